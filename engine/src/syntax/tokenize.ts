/**
 * The SQL tokenizer: one pass over `charCodeAt`, a flat token store (kinds as small ints,
 * offsets and 1-based line/col in typed arrays), line/col computed incrementally.
 * Lexical errors stop the scan and leave an ERROR token where they occur, so a syntax error
 * earlier in the file is still reported first.
 */
import { baseDialect, type Dialect } from "../dialects/dialect.js";
import type { Comment, ParseError, Span } from "./ast.js";
import { foldStep, lookupKeyword, MAX_KEYWORD_LENGTH } from "./keywords.js";

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
  /** WORD: the upper-case keyword (a shared constant, keywords.ts) when the word is one; otherwise and for other kinds: "". */
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

const NON_ASCII_START = /[\p{L}\p{Nl}]/u;
const NON_ASCII_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;

/** Letters that may start a prefixed string literal (r'..', b'..', E'..'). */
const STRING_PREFIX = new Uint8Array(128);
for (const ch of "rRbBeE") STRING_PREFIX[ch.charCodeAt(0)] = 1;

/** Punctuation that is always a one-character token. `.` is one unless it starts a number (`.5`). */
const SINGLE: (string | undefined)[] = new Array(128).fill(undefined);
for (const ch of "(),;[]{}+%&^~*.") SINGLE[ch.charCodeAt(0)] = ch;
/** DuckDB's two-character operators that start with a SINGLE character (`**`, `&&`, `^@`, `~~`): the character that makes them, by first character. */
const PG_OP_NEXT: (number | undefined)[] = new Array(128).fill(undefined);
PG_OP_NEXT[42] = 42;
PG_OP_NEXT[38] = 38;
PG_OP_NEXT[94] = 64;
PG_OP_NEXT[126] = 126;

/**
 * After a string-prefix letter at `i`: a quote, or a second prefix letter and a quote (`rb'..'`), may
 * make it a prefixed string, which the slow path decides. Anything else is an ordinary word.
 */
function quoteFollows(src: string, i: number): boolean {
  const c1 = src.charCodeAt(i + 1);
  if (c1 === 39 || c1 === 34) return true;
  if (c1 < 128 && STRING_PREFIX[c1] === 1) {
    const c2 = src.charCodeAt(i + 2);
    return c2 === 39 || c2 === 34;
  }
  return false;
}

/** A Spark number literal at a position (sticky): digits, a fraction, an exponent, a type suffix. */
const SPARK_NUMBER = /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?(?:[bB][dD]|[lLsSyYdDfF])?/y;

/** Whether char code `c` continues an unquoted identifier (`$` too with `dollar`). */
export function isIdentPart(c: number, dollar: boolean): boolean {
  if (c < 128) return cls[c] !== 0 || (dollar && c === 36);
  return NON_ASCII_PART.test(String.fromCharCode(c));
}

function isIdentStart(c: number): boolean {
  if (c < 128) return cls[c] === C_IDENT_START;
  return NON_ASCII_START.test(String.fromCharCode(c));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0", Z: "\x1a" };

/**
 * Word texts, interned across calls: the same spelling of a word (`id`, `amount`, `SELECT`, a model
 * name) is one string, whichever model it comes from, so scanning it allocates nothing after its
 * first sight and every tree that holds it shares it. Keyed by the scanner's case-folding hash,
 * compared exactly. Bounded: when the table is 3/4 full, new words are no longer interned.
 */
const INTERN_SIZE = 1 << 16;
const INTERN_MASK = INTERN_SIZE - 1;
const INTERN_LIMIT = (INTERN_SIZE >> 2) * 3;
/** Longest word interned (longer ones are rare and seldom repeated). */
const INTERN_MAX_LENGTH = 40;
const internHashes = new Int32Array(INTERN_SIZE);
const internWords: string[] = new Array<string>(INTERN_SIZE).fill("");
let internCount = 0;

/** `src[start, end)` (a word whose case-folding hash is `h`), as the interned string. */
function internWord(src: string, start: number, end: number, h: number): string {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH) return src.slice(start, end);
  // The probe step runs on every call (starting one slot early): a step first taken only after
  // the scanner was optimized would deoptimize it, and it is one of the biggest functions to recompile.
  let s = ((h ^ (h >>> 15)) - 1) & INTERN_MASK;
  for (;;) {
    s = (s + 1) & INTERN_MASK;
    const w = internWords[s];
    if (w === "") break;
    if (internHashes[s] === h && w.length === len) {
      let j = 0;
      while (j < len && w.charCodeAt(j) === src.charCodeAt(start + j)) j++;
      if (j === len) return w;
    }
  }
  if (internCount >= INTERN_LIMIT) return src.slice(start, end);
  // A slice of 13+ characters would be a view that keeps the whole model text alive: copy it.
  const word = len < 13 ? src.slice(start, end) : flatCopy(src.slice(start, end));
  internWords[s] = word;
  internHashes[s] = h;
  internCount++;
  return word;
}

/** A string with its own characters (not a view into a larger one). */
function flatCopy(text: string): string {
  return ` ${text}`.slice(1);
}

function describeChar(c: number): string {
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${String.fromCharCode(c)}'`;
}

/**
 * The scanner. One instance per thread is reused (parsing is synchronous and not re-entrant), so
 * its typed arrays are allocated once and grown on demand; state lives in fields, not closures.
 */
class Scanner {
  src = "";
  n = 0;
  i = 0;
  line = 1;
  lineStart = 0;
  count = 0;
  cap = 0;
  kinds = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  lines = new Int32Array(0);
  cols = new Int32Array(0);
  texts: string[] = [];
  uppers: string[] = [];
  comments: Comment[] = [];
  err: ParseError | undefined = undefined;
  d: Dialect = baseDialect;

  grow(min: number): void {
    let next = this.cap === 0 ? 512 : this.cap * 2;
    while (next < min) next *= 2;
    const k = new Uint8Array(next);
    k.set(this.kinds);
    const s = new Int32Array(next);
    s.set(this.starts);
    const e = new Int32Array(next);
    e.set(this.ends);
    const l = new Int32Array(next);
    l.set(this.lines);
    const c = new Int32Array(next);
    c.set(this.cols);
    this.kinds = k;
    this.starts = s;
    this.ends = e;
    this.lines = l;
    this.cols = c;
    this.cap = next;
  }

  /** Drop oversized buffers after a very large input so one 5 MB model does not pin memory. */
  shrink(): void {
    this.cap = 0;
    this.kinds = new Uint8Array(0);
    this.starts = new Int32Array(0);
    this.ends = new Int32Array(0);
    this.lines = new Int32Array(0);
    this.cols = new Int32Array(0);
    this.texts = [];
    this.uppers = [];
  }

  push(kind: number, start: number, end: number, tline: number, tcol: number, text: string, upper: string): void {
    const k = this.count;
    if (k >= this.cap) this.grow(k + 1);
    this.kinds[k] = kind;
    this.starts[k] = start;
    this.ends[k] = end;
    this.lines[k] = tline;
    this.cols[k] = tcol;
    this.texts[k] = text;
    this.uppers[k] = upper;
    this.count = k + 1;
  }

  /**
   * The EOF token sits where the content ends: right after the last token or comment (trailing
   * blank lines and whitespace do not move it), so "found end of input" names a line that exists
   * in the file (GitHub cannot anchor a comment on the empty line after a final newline). Nothing
   * but whitespace: 1:1.
   */
  pushEof(): void {
    let start = 0;
    let end = 0;
    let line = 1;
    let col = 1;
    const last = this.count - 1;
    if (last >= 0) {
      start = this.starts[last];
      end = this.ends[last];
      line = this.lines[last];
      col = this.cols[last];
    }
    const comment = this.comments[this.comments.length - 1];
    if (comment !== undefined && comment.span.end > end) ({ start, end, line, col } = comment.span);
    // A token or comment may span lines (a string literal, a block comment): find where it ends.
    let lineStart = start - col + 1;
    for (let j = start; j < end; j++) {
      const c = this.src.charCodeAt(j);
      if (c === 10) {
        line++;
        lineStart = j + 1;
      }
    }
    this.push(T_EOF, end, end, line, end - lineStart + 1, "", "");
  }

  fail(start: number, tline: number, tcol: number, message: string, expected: string[]): void {
    const span: Span = { start, end: Math.min(this.n, start + 1), line: tline, col: tcol };
    this.err = { message, span, expected };
  }

  /** Scan a quoted run (string or quoted identifier) from just after its opening quote. Undefined when unterminated. */
  scanQuoted(quote: number, backslash: boolean): string | undefined {
    let out = "";
    let chunk = this.i;
    while (this.i < this.n) {
      const c = this.src.charCodeAt(this.i);
      if (c === quote) {
        if (this.i + 1 < this.n && this.src.charCodeAt(this.i + 1) === quote) {
          out += this.src.slice(chunk, this.i + 1);
          this.i += 2;
          chunk = this.i;
          continue;
        }
        out += this.src.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (c === 92 && backslash) {
        out += this.src.slice(chunk, this.i);
        if (this.i + 1 >= this.n) {
          this.i++;
          return undefined;
        }
        const e = this.src[this.i + 1];
        out += ESCAPES[e] ?? e;
        // An escaped line break is still a line of the file.
        if (e === "\n") {
          this.line++;
          this.lineStart = this.i + 2;
        }
        this.i += 2;
        chunk = this.i;
        continue;
      }
      if (c === 10) {
        this.line++;
        this.lineStart = this.i + 1;
      }
      this.i++;
    }
    return undefined;
  }

  countLines(from: number, to: number): void {
    for (let j = from; j < to; j++) {
      const c = this.src.charCodeAt(j);
      if (c === 10) {
        this.line++;
        this.lineStart = j + 1;
      }
    }
  }

  readString(start: number, tline: number, tcol: number, quote: number, backslash: boolean, raw: boolean): boolean {
    // `this.i` points at the opening quote.
    if (this.d.tripleQuotedStrings && this.src.charCodeAt(this.i + 1) === quote && this.src.charCodeAt(this.i + 2) === quote) {
      const q = String.fromCharCode(quote).repeat(3);
      const close = this.src.indexOf(q, this.i + 3);
      if (close < 0) {
        this.fail(start, tline, tcol, `expected the closing ${q} of the string literal, found end of input`, [q]);
        return false;
      }
      let text = this.src.slice(this.i + 3, close);
      if (!raw && backslash && text.includes("\\")) text = text.replace(/\\(.)/gs, (_m, e: string) => ESCAPES[e] ?? e);
      this.countLines(this.i + 3, close);
      this.i = close + 3;
      this.push(T_STRING, start, this.i, tline, tcol, text, "");
      return true;
    }
    this.i++;
    const text = this.scanQuoted(quote, backslash && !raw);
    if (text === undefined) {
      const q = String.fromCharCode(quote);
      this.fail(start, tline, tcol, `expected the closing ${q} of the string literal, found end of input`, [q]);
      return false;
    }
    this.push(T_STRING, start, this.i, tline, tcol, text, "");
    return true;
  }

  afterValue(k: number, at: number): boolean {
    if (k === 0) return false;
    const kind = this.kinds[k - 1];
    if (kind === T_WORD || kind === T_QIDENT || kind === T_NUMBER) return this.ends[k - 1] === at;
    if (kind === T_OP) return (this.texts[k - 1] === ")" || this.texts[k - 1] === "]") && this.ends[k - 1] === at;
    return false;
  }


  /** Everything but whitespace, plain ASCII words and single-character punctuation (the hot paths in `run`). */
  scanSlow(c: number): void {
    const src = this.src;
    const dollarIdent = this.d.dollarInIdent;
    const identQuote = this.d.identQuote;
      const start = this.i;
    const tcol = this.i - this.lineStart + 1;
    const tline = this.line;
    if (c === 11 || c === 12 || c === 0xfeff || c === 0xa0) {
      this.i++;
      return;
    }
    // words (and prefixed strings)
    if (isIdentStart(c)) {
      const next = this.src.charCodeAt(this.i + 1);
      if (this.d.rawStrings && (c === 114 || c === 82 || c === 98 || c === 66)) {
        // r'..', b'..', rb'..', br'..'
        let j = this.i + 1;
        let raw = c === 114 || c === 82;
        const n2 = this.src.charCodeAt(j);
        if ((n2 === 114 || n2 === 82 || n2 === 98 || n2 === 66) && n2 !== c && (n2 | 32) !== (c | 32)) {
          raw = raw || n2 === 114 || n2 === 82;
          j++;
        }
        const q = this.src.charCodeAt(j);
        if (q === 39 || (q === 34 && this.d.doubleQuotedStrings)) {
          this.i = j;
          if (!this.readString(start, tline, tcol, q, true, raw)) return;
          return;
        }
      }
      if (this.d.escapeStrings && (c === 69 || c === 101) && next === 39) {
        this.i++;
        if (!this.readString(start, tline, tcol, 39, true, false)) return;
        return;
      }
      let h = foldStep(0, c);
      let ascii = c < 128;
      let j = start + 1;
      const n = this.n;
      for (; j < n; j++) {
        const cc = src.charCodeAt(j);
        if (cc < 128) {
          if (cls[cc] === 0 && !(dollarIdent && cc === 36)) break;
          h = (Math.imul(h, 31) + (cc >= 97 ? cc - 32 : cc)) | 0;
        } else if (isIdentPart(cc, false)) ascii = false;
        else break;
      }
      this.i = j;
      const text = ascii ? internWord(src, start, j, h) : src.slice(start, j);
      const upper = ascii && j - start <= MAX_KEYWORD_LENGTH ? lookupKeyword(src, start, j, h) : "";
      this.push(T_WORD, start, this.i, tline, tcol, text, upper);
      return;
    }
    if (isDigit(c) || (c === 46 && isDigit(this.src.charCodeAt(this.i + 1)) && !this.afterValue(this.count, this.i))) {
      if (this.d.digitIdentifiers && c !== 46 && this.digitIdentifier(start, tline, tcol)) return;
      if (c === 48 && (this.src.charCodeAt(this.i + 1) | 32) === 120 && /[0-9a-fA-F]/.test(this.src[this.i + 2] ?? "")) {
        this.i += 2;
        while (this.i < this.n && /[0-9a-fA-F]/.test(this.src[this.i])) this.i++;
      } else {
        // Digits with `_` between them (DuckDB's `1_000_000`, `0.000_1`, `1e1_0`), in every part of the number.
        this.digits();
        if (this.src.charCodeAt(this.i) === 46 && this.src.charCodeAt(this.i + 1) !== 46) {
          this.i++;
          if (isDigit(this.src.charCodeAt(this.i))) this.digits();
        }
        const e = this.src.charCodeAt(this.i);
        if (e === 101 || e === 69) {
          const s = this.src.charCodeAt(this.i + 1);
          if (isDigit(s) || ((s === 43 || s === 45) && isDigit(this.src.charCodeAt(this.i + 2)))) {
            this.i += 2;
            this.digits();
          }
        }
        if (this.d.numberSuffixes) {
          const s = this.src.charCodeAt(this.i) | 32;
          if ((s === 98 && (this.src.charCodeAt(this.i + 1) | 32) === 100) && !isIdentPart(this.src.charCodeAt(this.i + 2), false)) this.i += 2;
          else if ((s === 108 || s === 115 || s === 121 || s === 100 || s === 102) && !isIdentPart(this.src.charCodeAt(this.i + 1), false)) this.i++;
        }
      }
      this.push(T_NUMBER, start, this.i, tline, tcol, this.src.slice(start, this.i), "");
      return;
    }
    switch (c) {
      case 39: // '
        if (!this.readString(start, tline, tcol, 39, this.d.backslashEscapes, false)) return;
        return;
      case 34: // "
        if (this.d.doubleQuotedStrings) {
          if (!this.readString(start, tline, tcol, 34, this.d.backslashEscapes, false)) return;
          return;
        }
        this.i++;
        {
          const text = this.scanQuoted(34, false);
          if (text === undefined) {
            this.fail(start, tline, tcol, `expected the closing " of the quoted identifier, found end of input`, ['"']);
            return;
          }
          this.push(T_QIDENT, start, this.i, tline, tcol, text, "");
        }
        return;
      case 96: // `
        if (identQuote !== 96) {
          this.fail(
            start,
            tline,
            tcol,
            `expected an identifier, found '\`' (backtick-quoted identifiers are not ${this.d.id} syntax; use "double quotes")`,
            ["an identifier"],
          );
          return;
        }
        this.i++;
        {
          const text = this.scanQuoted(96, false);
          if (text === undefined) {
            this.fail(start, tline, tcol, "expected the closing ` of the quoted identifier, found end of input", ["`"]);
            return;
          }
          this.push(T_QIDENT, start, this.i, tline, tcol, text, "");
        }
        return;
      case 45: // -
        if (this.src.charCodeAt(this.i + 1) === 45) {
          this.i = lineEnd(this.src, this.i);
          this.comments.push({ text: trimCr(this.src.slice(start, this.i)), span: { start, end: this.i, line: tline, col: tcol } });
          return;
        }
        if (this.src.charCodeAt(this.i + 1) === 62) {
          if (this.src.charCodeAt(this.i + 2) === 62) {
            this.i += 3;
            this.push(T_OP, start, this.i, tline, tcol, "->>", "");
          } else {
            this.i += 2;
            this.push(T_OP, start, this.i, tline, tcol, "->", "");
          }
          return;
        }
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "-", "");
        return;
      case 47: // /
        if (this.src.charCodeAt(this.i + 1) === 42) {
          let depth = 1;
          let j = this.i + 2;
          while (j < this.n && depth > 0) {
            const cc = this.src.charCodeAt(j);
            if (cc === 42 && this.src.charCodeAt(j + 1) === 47) {
              depth--;
              j += 2;
            } else if (cc === 47 && this.src.charCodeAt(j + 1) === 42 && this.d.nestedComments) {
              depth++;
              j += 2;
            } else j++;
          }
          if (depth > 0) {
            this.fail(start, tline, tcol, "expected the closing */ of the comment, found end of input", ["*/"]);
            return;
          }
          this.countLines(this.i, j);
          this.i = j;
          this.comments.push({ text: this.src.slice(start, this.i), span: { start, end: this.i, line: tline, col: tcol } });
          return;
        }
        if (this.src.charCodeAt(this.i + 1) === 47) {
          if (this.d.slashSlashComments) {
            this.i = lineEnd(this.src, this.i);
            this.comments.push({ text: trimCr(this.src.slice(start, this.i)), span: { start, end: this.i, line: tline, col: tcol } });
            return;
          }
          if (this.d.intDiv) {
            this.i += 2;
            this.push(T_OP, start, this.i, tline, tcol, "//", "");
            return;
          }
        }
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "/", "");
        return;
      case 35: // #
        if (this.d.hashComments) {
          this.i = lineEnd(this.src, this.i);
          this.comments.push({ text: trimCr(this.src.slice(start, this.i)), span: { start, end: this.i, line: tline, col: tcol } });
          return;
        }
        if (this.d.id === "duckdb" && isDigit(this.src.charCodeAt(this.i + 1))) {
          // DuckDB's positional reference `#2`: a column by its position.
          this.i += 2;
          while (this.i < this.n && isDigit(this.src.charCodeAt(this.i))) this.i++;
          this.push(T_PARAM, start, this.i, tline, tcol, this.src.slice(start, this.i), "");
          return;
        }
        this.fail(start, tline, tcol, `expected a SQL token, found '#' (# comments are not ${this.d.id} syntax; use --)`, ["a SQL token"]);
        return;
      case 58: // :
        if (this.src.charCodeAt(this.i + 1) === 58) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "::", "");
        } else if (this.src.charCodeAt(this.i + 1) === 61) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, ":=", "");
        } else {
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, ":", "");
        }
        return;
      case 61: // =
        if (this.src.charCodeAt(this.i + 1) === 62) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "=>", "");
        } else if (this.src.charCodeAt(this.i + 1) === 61) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "=", "");
        } else {
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, "=", "");
        }
        return;
      case 60: {
        // <
        const c1 = this.src.charCodeAt(this.i + 1);
        if (c1 === 61 && this.src.charCodeAt(this.i + 2) === 62 && this.d.nullSafeEq) {
          this.i += 3;
          this.push(T_OP, start, this.i, tline, tcol, "<=>", "");
        } else if (c1 === 61) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "<=", "");
        } else if (c1 === 62) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "<>", "");
        } else if (c1 === 60) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "<<", "");
        } else if (c1 === 64 && this.d.postgresOperators) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "<@", "");
        } else {
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, "<", "");
        }
        return;
      }
      case 62: {
        // >
        const c1 = this.src.charCodeAt(this.i + 1);
        if (c1 === 61) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, ">=", "");
        } else if (c1 === 62) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, ">>", "");
        } else {
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, ">", "");
        }
        return;
      }
      case 33: // !
        if (this.src.charCodeAt(this.i + 1) === 61) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "<>", "");
          return;
        }
        if (this.d.postgresOperators && this.src.charCodeAt(this.i + 1) === 126) {
          // DuckDB !~ !~~ !~~*
          const op = this.src.charCodeAt(this.i + 2) !== 126 ? "!~" : this.src.charCodeAt(this.i + 3) === 42 ? "!~~*" : "!~~";
          this.i += op.length;
          this.push(T_OP, start, this.i, tline, tcol, op, "");
          return;
        }
        this.fail(start, tline, tcol, "expected a SQL token, found '!'", ["a SQL token"]);
        return;
      case 124: // |
        if (this.src.charCodeAt(this.i + 1) === 124) {
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "||", "");
        } else {
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, "|", "");
        }
        return;
      case 36: {
        // $
        const c1 = this.src.charCodeAt(this.i + 1);
        if (c1 === 36 && this.d.dollarStrings) {
          const close = this.src.indexOf("$$", this.i + 2);
          if (close < 0) {
            this.fail(start, tline, tcol, "expected the closing $$ of the string literal, found end of input", ["$$"]);
            return;
          }
          const text = this.src.slice(this.i + 2, close);
          this.countLines(this.i + 2, close);
          this.i = close + 2;
          this.push(T_STRING, start, this.i, tline, tcol, text, "");
          return;
        }
        if (isDigit(c1)) {
          this.i += 2;
          while (this.i < this.n && isDigit(this.src.charCodeAt(this.i))) this.i++;
          this.push(T_PARAM, start, this.i, tline, tcol, this.src.slice(start, this.i), "");
          return;
        }
        if (this.d.matchRecognize) {
          // A MATCH_RECOGNIZE pattern's end anchor; anywhere else the parser rejects it.
          this.i++;
          this.push(T_OP, start, this.i, tline, tcol, "$", "");
          return;
        }
        this.fail(start, tline, tcol, "expected a SQL token, found '$'", ["a SQL token"]);
        return;
      }
      case 64: {
        if (this.d.postgresOperators && this.src.charCodeAt(this.i + 1) === 62) {
          // DuckDB @> (list contains)
          this.i += 2;
          this.push(T_OP, start, this.i, tline, tcol, "@>", "");
          return;
        }
        if (this.d.stages) {
          // A stage and its path: @stage, @db.schema.stage/path/to/, @~ (the user's), @%table (a table's).
          let j = this.i + 1;
          if (this.src.charCodeAt(j) === 126 || this.src.charCodeAt(j) === 37) j++;
          while (j < this.n && isStagePart(this.src.charCodeAt(j))) j++;
          if (j > this.i + 1) {
            this.i = j;
            this.push(T_PARAM, start, this.i, tline, tcol, this.src.slice(start, this.i), "");
            return;
          }
        }
        // @name, @@name
        let j = this.i + 1;
        if (this.src.charCodeAt(j) === 64) j++;
        if (j < this.n && isIdentStart(this.src.charCodeAt(j))) {
          j++;
          while (j < this.n && isIdentPart(this.src.charCodeAt(j), false)) j++;
          this.i = j;
          this.push(T_PARAM, start, this.i, tline, tcol, this.src.slice(start, this.i), "");
          return;
        }
        this.fail(start, tline, tcol, "expected a parameter name after '@', found " + (j < this.n ? describeChar(this.src.charCodeAt(j)) : "end of input"), [
          "a parameter name",
        ]);
        return;
      }
      case 63: // ?
        this.i++;
        this.push(T_PARAM, start, this.i, tline, tcol, "?", "");
        return;
      case 40:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "(", "");
        return;
      case 41:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, ")", "");
        return;
      case 44:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, ",", "");
        return;
      case 46:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, ".", "");
        return;
      case 43:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "+", "");
        return;
      case 59:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, ";", "");
        return;
      case 91:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "[", "");
        return;
      case 93:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "]", "");
        return;
      case 123:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "{", "");
        return;
      case 125:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "}", "");
        return;
      case 37:
        this.i++;
        this.push(T_OP, start, this.i, tline, tcol, "%", "");
        return;
      case 42:
      case 38:
      case 94: {
        // * & ^, and DuckDB's ** && ^@ (PG_OP_NEXT, as the fast path reads them)
        const op = this.d.postgresOperators && PG_OP_NEXT[c] === this.src.charCodeAt(this.i + 1) ? this.src.slice(this.i, this.i + 2) : (SINGLE[c] as string);
        this.i += op.length;
        this.push(T_OP, start, this.i, tline, tcol, op, "");
        return;
      }
      case 126: {
        // ~ (and DuckDB's ~~ ~~* ~~~)
        let op = "~";
        if (this.d.postgresOperators && this.src.charCodeAt(this.i + 1) === 126) {
          const c2 = this.src.charCodeAt(this.i + 2);
          op = c2 === 126 ? "~~~" : c2 === 42 ? "~~*" : "~~";
        }
        this.i += op.length;
        this.push(T_OP, start, this.i, tline, tcol, op, "");
        return;
      }
      default:
        this.fail(start, tline, tcol, `expected a SQL token, found ${describeChar(c)}`, ["a SQL token"]);
        return;
    }
    
  }

  /**
   * Spark: the word at `start` (a digit) when the run of letters, digits and `_` there is longer
   * than the number literal it begins with (`1688_min_price`, `1_000`, `10days`; not `10L`, `1e3`,
   * `2BD`). Pushed as a word, and true; false leaves the number to the caller.
   */
  private digitIdentifier(start: number, tline: number, tcol: number): boolean {
    const src = this.src;
    let k = start;
    for (let c = src.charCodeAt(k); k < this.n && c < 128 && cls[c] !== 0; c = src.charCodeAt(++k));
    SPARK_NUMBER.lastIndex = start;
    const number = SPARK_NUMBER.exec(src);
    const numberEnd = start + (number?.[0].length ?? 0);
    if (k <= numberEnd) return false;
    this.i = k;
    this.push(T_WORD, start, k, tline, tcol, src.slice(start, k), "");
    return true;
  }

  /** Digits, and `_` where a digit follows it. */
  private digits(): void {
    while (this.i < this.n && (isDigit(this.src.charCodeAt(this.i)) || (this.src.charCodeAt(this.i) === 95 && isDigit(this.src.charCodeAt(this.i + 1))))) this.i++;
  }

  run(source: string, dialect: Dialect): Tokens {
    if (this.cap > 1 << 16 && source.length < 1 << 14) this.shrink();
    this.src = source;
    this.n = source.length;
    this.d = dialect;
    this.i = 0;
    this.line = 1;
    this.lineStart = 0;
    this.count = 0;
    this.err = undefined;
    this.comments = [];
    const src = source;
    const n = source.length;
    const dollarIdent = dialect.dollarInIdent;
    const pgOps = dialect.postgresOperators;
    const prefixed = dialect.rawStrings || dialect.escapeStrings;
    let i = 0;
    let line = 1;
    let lineStart = 0;
    while (i < n) {
      let c = src.charCodeAt(i);
      // whitespace: a tight local loop (indentation is most of a model's bytes)
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        for (;;) {
          if (c === 10) {
            line++;
            lineStart = i + 1;
          } else if (c !== 32 && c !== 9 && c !== 13) break;
          if (++i >= n) break;
          c = src.charCodeAt(i);
        }
        continue;
      }
      const start = i;
      // plain ASCII words (not a string prefix such as r'..' or E'..': a prefix letter followed by a quote)
      if (c < 128 && cls[c] === C_IDENT_START && !(prefixed && STRING_PREFIX[c] === 1 && quoteFollows(src, i))) {
        let h = c >= 97 ? c - 32 : c;
        let ascii = true;
        let j = start + 1;
        for (; j < n; j++) {
          const cc = src.charCodeAt(j);
          if (cc < 128) {
            if (cls[cc] === 0 && !(dollarIdent && cc === 36)) break;
            h = (Math.imul(h, 31) + (cc >= 97 ? cc - 32 : cc)) | 0;
          } else if (isIdentPart(cc, false)) ascii = false;
          else break;
        }
        const upper = ascii && j - start <= MAX_KEYWORD_LENGTH ? lookupKeyword(src, start, j, h) : "";
        this.push(T_WORD, start, j, line, start - lineStart + 1, ascii ? internWord(src, start, j, h) : src.slice(start, j), upper);
        i = j;
        continue;
      }
      // single-character punctuation
      const single = c < 128 ? SINGLE[c] : undefined;
      if (single !== undefined && !(c === 46 && isDigit(src.charCodeAt(i + 1)) && !this.afterValue(this.count, i)) && !(pgOps && PG_OP_NEXT[c] === src.charCodeAt(i + 1))) {
        this.push(T_OP, start, i + 1, line, start - lineStart + 1, single, "");
        i++;
        continue;
      }
      this.i = i;
      this.line = line;
      this.lineStart = lineStart;
      this.scanSlow(c);
      i = this.i;
      line = this.line;
      lineStart = this.lineStart;
      if (this.err !== undefined) break;
    }
    this.i = i;
    this.line = line;
    this.lineStart = lineStart;
    const err = this.err as ParseError | undefined;
    if (err !== undefined) {
      const sp = err.span;
      this.push(T_ERROR, sp.start, sp.end, sp.line, sp.col, "", "");
    } else {
      this.pushEof();
    }
    const result: Tokens = {
      count: this.count,
      kinds: this.kinds,
      starts: this.starts,
      ends: this.ends,
      lines: this.lines,
      cols: this.cols,
      texts: this.texts,
      uppers: this.uppers,
      comments: this.comments,
      lexError: err,
    };
    this.src = "";
    return result;
  }
}

const scanner = new Scanner();

/** Tokenize `source` in `dialect`. The returned arrays are shared buffers valid until the next call. */
export function tokenize(source: string, dialect: Dialect): Tokens {
  return scanner.run(source, dialect);
}

/**
 * Where a line comment starting at `i` ends: the next \n or \r (CRLF, LF and old-Mac CR files
 * alike), as the warehouses read it. Lines are counted at \n alone, as git, GitHub and the rest of
 * the engine (util/line-index.ts) count them, so a finding after a stray CR names the line GitHub shows.
 */
function lineEnd(sql: string, i: number): number {
  for (let j = i; j < sql.length; j++) {
    const c = sql.charCodeAt(j);
    if (c === 10 || c === 13) return j;
  }
  return sql.length;
}

function trimCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}

/** A character of a stage name or path after `@`: a name's, `.`, `/`, `-`, `=`. */
function isStagePart(c: number): boolean {
  return isIdentPart(c, false) || c === 46 || c === 47 || c === 45 || c === 61;
}
