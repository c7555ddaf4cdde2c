/**
 * The SQL tokenizer: one pass over `charCodeAt`, a flat token store (kinds as small ints,
 * offsets and 1-based line/col in typed arrays), line/col computed incrementally.
 * Lexical errors stop the scan and leave an ERROR token where they occur, so a syntax error
 * earlier in the file is still reported first.
 */
import type { Dialect } from "../dialects/dialect.js";
import type { Comment, ParseError, Span } from "./ast.js";

export const T_EOF = 0;
export const T_WORD = 1;
export const T_QIDENT = 2;
export const T_STRING = 3;
export const T_NUMBER = 4;
export const T_PARAM = 5;
export const T_OP = 6;
export const T_ERROR = 7;

export interface Tokens {
  /** Number of tokens including the final EOF (or ERROR) token. */
  count: number;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  lines: Int32Array;
  cols: Int32Array;
  /** WORD: as written; QIDENT: unescaped name; STRING: decoded value; NUMBER: source text; PARAM: with its sigil; OP: the operator. */
  texts: string[];
  /** WORD: upper-cased text; other kinds: "". */
  uppers: string[];
  comments: Comment[];
  /** The lexical error the ERROR token stands for. */
  lexError?: ParseError;
}

// Character classes for ASCII.
const C_IDENT_START = 1;
const C_DIGIT = 2;
const cls = new Uint8Array(128);
for (let c = 65; c <= 90; c++) cls[c] = C_IDENT_START;
for (let c = 97; c <= 122; c++) cls[c] = C_IDENT_START;
cls[95] = C_IDENT_START;
for (let c = 48; c <= 57; c++) cls[c] = C_DIGIT;

function isIdentPart(c: number, dollar: boolean): boolean {
  if (c < 128) return cls[c] !== 0 || (dollar && c === 36);
  return c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029 && c !== 0x3000;
}

function isIdentStart(c: number): boolean {
  if (c < 128) return cls[c] === C_IDENT_START;
  return c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029 && c !== 0x3000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Reusable buffers: parsing is synchronous and not re-entrant, so one set per thread suffices.
let cap = 0;
let kinds = new Uint8Array(0);
let starts = new Int32Array(0);
let ends = new Int32Array(0);
let lines = new Int32Array(0);
let cols = new Int32Array(0);
let texts: string[] = [];
let uppers: string[] = [];

function grow(min: number): void {
  let next = cap === 0 ? 512 : cap * 2;
  while (next < min) next *= 2;
  const k = new Uint8Array(next);
  k.set(kinds);
  const s = new Int32Array(next);
  s.set(starts);
  const e = new Int32Array(next);
  e.set(ends);
  const l = new Int32Array(next);
  l.set(lines);
  const c = new Int32Array(next);
  c.set(cols);
  kinds = k;
  starts = s;
  ends = e;
  lines = l;
  cols = c;
  cap = next;
}

/** Shrink the shared buffers after a very large input so one 5 MB model does not pin memory. */
function maybeShrink(): void {
  if (cap <= 1 << 16) return;
  cap = 0;
  kinds = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  lines = new Int32Array(0);
  cols = new Int32Array(0);
  texts = [];
  uppers = [];
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0", Z: "\x1a" };

function describeChar(c: number): string {
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCharCode(c)}'`;
}

/** Tokenize `sql` in dialect `d`. The returned arrays are shared buffers valid until the next call. */
export function tokenize(sql: string, d: Dialect): Tokens {
  const n = sql.length;
  const comments: Comment[] = [];
  const dollarIdent = d.dollarInIdent;
  const identQuote = d.identQuote;
  let count = 0;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let lexError: ParseError | undefined;
  if (cap > 1 << 16 && n < 1 << 14) maybeShrink();
  texts.length = 0;
  uppers.length = 0;

  const push = (kind: number, start: number, end: number, tline: number, tcol: number, text: string, upper: string): void => {
    if (count >= cap) grow(count + 1);
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    lines[count] = tline;
    cols[count] = tcol;
    texts[count] = text;
    uppers[count] = upper;
    count++;
  };

  const fail = (start: number, tline: number, tcol: number, message: string, expected: string[]): void => {
    const span: Span = { start, end: Math.min(n, start + 1), line: tline, col: tcol };
    lexError = { message, span, expected };
  };

  // Scan a quoted run (string or quoted identifier) starting after the opening quote at `i`.
  // Returns the decoded text, or undefined when unterminated. Tracks newlines.
  const scanQuoted = (quote: number, backslash: boolean): string | undefined => {
    let out = "";
    let chunk = i;
    while (i < n) {
      const c = sql.charCodeAt(i);
      if (c === quote) {
        if (i + 1 < n && sql.charCodeAt(i + 1) === quote) {
          out += sql.slice(chunk, i + 1);
          i += 2;
          chunk = i;
          continue;
        }
        out += sql.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 92 && backslash) {
        out += sql.slice(chunk, i);
        if (i + 1 >= n) {
          i++;
          return undefined;
        }
        const e = sql[i + 1];
        out += ESCAPES[e] ?? e;
        if (e === "\n") {
          line++;
          lineStart = i + 2;
        }
        i += 2;
        chunk = i;
        continue;
      }
      if (c === 10) {
        line++;
        lineStart = i + 1;
      } else if (c === 13 && sql.charCodeAt(i + 1) !== 10) {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
    return undefined;
  };

  const countLines = (from: number, to: number): void => {
    for (let j = from; j < to; j++) {
      const c = sql.charCodeAt(j);
      if (c === 10 || (c === 13 && sql.charCodeAt(j + 1) !== 10)) {
        line++;
        lineStart = j + 1;
      }
    }
  };

  const readString = (start: number, tline: number, tcol: number, quote: number, backslash: boolean, raw: boolean): boolean => {
    // `i` points at the opening quote.
    if (d.tripleQuotedStrings && sql.charCodeAt(i + 1) === quote && sql.charCodeAt(i + 2) === quote) {
      const q = String.fromCharCode(quote).repeat(3);
      const close = sql.indexOf(q, i + 3);
      if (close < 0) {
        fail(start, tline, tcol, `expected the closing ${q} of the string literal, found end of input`, [q]);
        return false;
      }
      let text = sql.slice(i + 3, close);
      if (!raw && backslash && text.includes("\\")) text = text.replace(/\\(.)/gs, (_m, e: string) => ESCAPES[e] ?? e);
      countLines(i + 3, close);
      i = close + 3;
      push(T_STRING, start, i, tline, tcol, text, "");
      return true;
    }
    i++;
    const text = scanQuoted(quote, backslash && !raw);
    if (text === undefined) {
      fail(start, tline, tcol, `expected the closing ${String.fromCharCode(quote)} of the string literal, found end of input`, [
        String.fromCharCode(quote),
      ]);
      return false;
    }
    push(T_STRING, start, i, tline, tcol, text, "");
    return true;
  };

  while (i < n && lexError === undefined) {
    const c = sql.charCodeAt(i);
    const start = i;
    const tcol = i - lineStart + 1;
    const tline = line;
    // whitespace
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 13) {
      i++;
      if (sql.charCodeAt(i) !== 10) {
        line++;
        lineStart = i;
      }
      continue;
    }
    if (c === 11 || c === 12 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    // words (and prefixed strings)
    if (isIdentStart(c)) {
      const next = sql.charCodeAt(i + 1);
      if (d.rawStrings && (c === 114 || c === 82 || c === 98 || c === 66)) {
        // r'..', b'..', rb'..', br'..'
        let j = i + 1;
        let raw = c === 114 || c === 82;
        const n2 = sql.charCodeAt(j);
        if ((n2 === 114 || n2 === 82 || n2 === 98 || n2 === 66) && n2 !== c && (n2 | 32) !== (c | 32)) {
          raw = raw || n2 === 114 || n2 === 82;
          j++;
        }
        const q = sql.charCodeAt(j);
        if (q === 39 || (q === 34 && d.doubleQuotedStrings)) {
          i = j;
          if (!readString(start, tline, tcol, q, true, raw)) break;
          continue;
        }
      }
      if (d.escapeStrings && (c === 69 || c === 101) && next === 39) {
        i++;
        if (!readString(start, tline, tcol, 39, true, false)) break;
        continue;
      }
      i++;
      while (i < n && isIdentPart(sql.charCodeAt(i), dollarIdent)) i++;
      const text = sql.slice(start, i);
      push(T_WORD, start, i, tline, tcol, text, text.toUpperCase());
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)) && !afterValue(count))) {
      if (c === 48 && (sql.charCodeAt(i + 1) | 32) === 120 && /[0-9a-fA-F]/.test(sql[i + 2] ?? "")) {
        i += 2;
        while (i < n && /[0-9a-fA-F]/.test(sql[i])) i++;
      } else {
        while (i < n && (isDigit(sql.charCodeAt(i)) || (sql.charCodeAt(i) === 95 && isDigit(sql.charCodeAt(i + 1))))) i++;
        if (sql.charCodeAt(i) === 46 && sql.charCodeAt(i + 1) !== 46) {
          i++;
          while (i < n && isDigit(sql.charCodeAt(i))) i++;
        }
        const e = sql.charCodeAt(i);
        if (e === 101 || e === 69) {
          const s = sql.charCodeAt(i + 1);
          if (isDigit(s) || ((s === 43 || s === 45) && isDigit(sql.charCodeAt(i + 2)))) {
            i += 2;
            while (i < n && isDigit(sql.charCodeAt(i))) i++;
          }
        }
        if (d.numberSuffixes) {
          const s = sql.charCodeAt(i) | 32;
          if ((s === 98 && (sql.charCodeAt(i + 1) | 32) === 100) && !isIdentPart(sql.charCodeAt(i + 2), false)) i += 2;
          else if ((s === 108 || s === 115 || s === 121 || s === 100 || s === 102) && !isIdentPart(sql.charCodeAt(i + 1), false)) i++;
        }
      }
      push(T_NUMBER, start, i, tline, tcol, sql.slice(start, i), "");
      continue;
    }
    switch (c) {
      case 39: // '
        if (!readString(start, tline, tcol, 39, d.backslashEscapes, false)) break;
        continue;
      case 34: // "
        if (d.doubleQuotedStrings) {
          if (!readString(start, tline, tcol, 34, d.backslashEscapes, false)) break;
          continue;
        }
        i++;
        {
          const text = scanQuoted(34, false);
          if (text === undefined) {
            fail(start, tline, tcol, `expected the closing " of the quoted identifier, found end of input`, ['"']);
            break;
          }
          push(T_QIDENT, start, i, tline, tcol, text, "");
        }
        continue;
      case 96: // `
        if (identQuote !== 96) {
          fail(
            start,
            tline,
            tcol,
            `expected an identifier, found '\`' (backtick-quoted identifiers are not ${d.id} syntax; use "double quotes")`,
            ["an identifier"],
          );
          break;
        }
        i++;
        {
          const text = scanQuoted(96, false);
          if (text === undefined) {
            fail(start, tline, tcol, "expected the closing ` of the quoted identifier, found end of input", ["`"]);
            break;
          }
          push(T_QIDENT, start, i, tline, tcol, text, "");
        }
        continue;
      case 45: // -
        if (sql.charCodeAt(i + 1) === 45) {
          i = lineEnd(sql, i);
          comments.push({ text: trimCr(sql.slice(start, i)), span: { start, end: i, line: tline, col: tcol } });
          continue;
        }
        if (sql.charCodeAt(i + 1) === 62) {
          if (sql.charCodeAt(i + 2) === 62) {
            i += 3;
            push(T_OP, start, i, tline, tcol, "->>", "");
          } else {
            i += 2;
            push(T_OP, start, i, tline, tcol, "->", "");
          }
          continue;
        }
        i++;
        push(T_OP, start, i, tline, tcol, "-", "");
        continue;
      case 47: // /
        if (sql.charCodeAt(i + 1) === 42) {
          let depth = 1;
          let j = i + 2;
          while (j < n && depth > 0) {
            const cc = sql.charCodeAt(j);
            if (cc === 42 && sql.charCodeAt(j + 1) === 47) {
              depth--;
              j += 2;
            } else if (cc === 47 && sql.charCodeAt(j + 1) === 42 && d.nestedComments) {
              depth++;
              j += 2;
            } else j++;
          }
          if (depth > 0) {
            fail(start, tline, tcol, "expected the closing */ of the comment, found end of input", ["*/"]);
            break;
          }
          countLines(i, j);
          i = j;
          comments.push({ text: sql.slice(start, i), span: { start, end: i, line: tline, col: tcol } });
          continue;
        }
        if (sql.charCodeAt(i + 1) === 47) {
          if (d.slashSlashComments) {
            i = lineEnd(sql, i);
            comments.push({ text: trimCr(sql.slice(start, i)), span: { start, end: i, line: tline, col: tcol } });
            continue;
          }
          if (d.intDiv) {
            i += 2;
            push(T_OP, start, i, tline, tcol, "//", "");
            continue;
          }
        }
        i++;
        push(T_OP, start, i, tline, tcol, "/", "");
        continue;
      case 35: // #
        if (d.hashComments) {
          i = lineEnd(sql, i);
          comments.push({ text: trimCr(sql.slice(start, i)), span: { start, end: i, line: tline, col: tcol } });
          continue;
        }
        fail(start, tline, tcol, `expected a SQL token, found '#' (# comments are not ${d.id} syntax; use --)`, ["a SQL token"]);
        break;
      case 58: // :
        if (sql.charCodeAt(i + 1) === 58) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "::", "");
        } else if (sql.charCodeAt(i + 1) === 61) {
          i += 2;
          push(T_OP, start, i, tline, tcol, ":=", "");
        } else {
          i++;
          push(T_OP, start, i, tline, tcol, ":", "");
        }
        continue;
      case 61: // =
        if (sql.charCodeAt(i + 1) === 62) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "=>", "");
        } else if (sql.charCodeAt(i + 1) === 61) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "=", "");
        } else {
          i++;
          push(T_OP, start, i, tline, tcol, "=", "");
        }
        continue;
      case 60: {
        // <
        const c1 = sql.charCodeAt(i + 1);
        if (c1 === 61 && sql.charCodeAt(i + 2) === 62 && d.nullSafeEq) {
          i += 3;
          push(T_OP, start, i, tline, tcol, "<=>", "");
        } else if (c1 === 61) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "<=", "");
        } else if (c1 === 62) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "<>", "");
        } else if (c1 === 60) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "<<", "");
        } else {
          i++;
          push(T_OP, start, i, tline, tcol, "<", "");
        }
        continue;
      }
      case 62: {
        // >
        const c1 = sql.charCodeAt(i + 1);
        if (c1 === 61) {
          i += 2;
          push(T_OP, start, i, tline, tcol, ">=", "");
        } else if (c1 === 62) {
          i += 2;
          push(T_OP, start, i, tline, tcol, ">>", "");
        } else {
          i++;
          push(T_OP, start, i, tline, tcol, ">", "");
        }
        continue;
      }
      case 33: // !
        if (sql.charCodeAt(i + 1) === 61) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "<>", "");
          continue;
        }
        fail(start, tline, tcol, "expected a SQL token, found '!'", ["a SQL token"]);
        break;
      case 124: // |
        if (sql.charCodeAt(i + 1) === 124) {
          i += 2;
          push(T_OP, start, i, tline, tcol, "||", "");
        } else {
          i++;
          push(T_OP, start, i, tline, tcol, "|", "");
        }
        continue;
      case 36: {
        // $
        const c1 = sql.charCodeAt(i + 1);
        if (c1 === 36 && d.dollarStrings) {
          const close = sql.indexOf("$$", i + 2);
          if (close < 0) {
            fail(start, tline, tcol, "expected the closing $$ of the string literal, found end of input", ["$$"]);
            break;
          }
          const text = sql.slice(i + 2, close);
          countLines(i + 2, close);
          i = close + 2;
          push(T_STRING, start, i, tline, tcol, text, "");
          continue;
        }
        if (isDigit(c1)) {
          i += 2;
          while (i < n && isDigit(sql.charCodeAt(i))) i++;
          push(T_PARAM, start, i, tline, tcol, sql.slice(start, i), "");
          continue;
        }
        fail(start, tline, tcol, "expected a SQL token, found '$'", ["a SQL token"]);
        break;
      }
      case 64: {
        // @name, @@name
        let j = i + 1;
        if (sql.charCodeAt(j) === 64) j++;
        if (j < n && isIdentStart(sql.charCodeAt(j))) {
          j++;
          while (j < n && isIdentPart(sql.charCodeAt(j), false)) j++;
          i = j;
          push(T_PARAM, start, i, tline, tcol, sql.slice(start, i), "");
          continue;
        }
        fail(start, tline, tcol, "expected a parameter name after '@', found " + (j < n ? describeChar(sql.charCodeAt(j)) : "end of input"), [
          "a parameter name",
        ]);
        break;
      }
      case 63: // ?
        i++;
        push(T_PARAM, start, i, tline, tcol, "?", "");
        continue;
      case 40:
        i++;
        push(T_OP, start, i, tline, tcol, "(", "");
        continue;
      case 41:
        i++;
        push(T_OP, start, i, tline, tcol, ")", "");
        continue;
      case 44:
        i++;
        push(T_OP, start, i, tline, tcol, ",", "");
        continue;
      case 46:
        i++;
        push(T_OP, start, i, tline, tcol, ".", "");
        continue;
      case 42:
        i++;
        push(T_OP, start, i, tline, tcol, "*", "");
        continue;
      case 43:
        i++;
        push(T_OP, start, i, tline, tcol, "+", "");
        continue;
      case 59:
        i++;
        push(T_OP, start, i, tline, tcol, ";", "");
        continue;
      case 91:
        i++;
        push(T_OP, start, i, tline, tcol, "[", "");
        continue;
      case 93:
        i++;
        push(T_OP, start, i, tline, tcol, "]", "");
        continue;
      case 123:
        i++;
        push(T_OP, start, i, tline, tcol, "{", "");
        continue;
      case 125:
        i++;
        push(T_OP, start, i, tline, tcol, "}", "");
        continue;
      case 37:
        i++;
        push(T_OP, start, i, tline, tcol, "%", "");
        continue;
      case 38:
        i++;
        push(T_OP, start, i, tline, tcol, "&", "");
        continue;
      case 94:
        i++;
        push(T_OP, start, i, tline, tcol, "^", "");
        continue;
      case 126:
        i++;
        push(T_OP, start, i, tline, tcol, "~", "");
        continue;
      default:
        fail(start, tline, tcol, `expected a SQL token, found ${describeChar(c)}`, ["a SQL token"]);
        break;
    }
  }

  if (lexError !== undefined) {
    const s = lexError.span;
    push(T_ERROR, s.start, s.end, s.line, s.col, "", "");
  } else {
    push(T_EOF, n, n, line, n - lineStart + 1, "", "");
  }
  return { count, kinds, starts, ends, lines, cols, texts, uppers, comments, lexError };

  function afterValue(k: number): boolean {
    if (k === 0) return false;
    const kind = kinds[k - 1];
    if (kind === T_WORD || kind === T_QIDENT || kind === T_NUMBER) return ends[k - 1] === i;
    if (kind === T_OP) return (texts[k - 1] === ")" || texts[k - 1] === "]") && ends[k - 1] === i;
    return false;
  }
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf("\n", i);
  return nl < 0 ? sql.length : nl;
}

function trimCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}
