/**
 * TOML syntax errors as a person who wrote the file can act on them. The parser (smol-toml)
 * names what it met ("control characters are not allowed in strings", "invalid value"); this
 * looks at the text at its position and says what was most likely meant: an unterminated string,
 * an unquoted word, a capitalised boolean, curly quotes, `key: value`, a key set twice (and where
 * it was first set), an unclosed table header or array. A rewrite of the exact span is given
 * when one is certain, so a review can offer it as a suggestion. Anything else keeps the
 * parser's words.
 */

import { didYouMean } from "../util/did-you-mean.js";
import { escapeRegExp } from "../util/escape-regexp.js";

export interface ExplainedTomlError {
  readonly message: string;
  /** Where the error is, 1-based (may move from the parser's position to the construct's start). */
  readonly line: number;
  readonly col: number;
  readonly suggestion?: string;
  /** Replace text from `col` to `endCol` (exclusive, same line) with `text`. */
  readonly replacement?: { readonly endCol: number; readonly text: string };
}

const BOOLEANS: Readonly<Record<string, string>> = { True: "true", TRUE: "true", False: "false", FALSE: "false" };

export function explainTomlError(text: string, line: number, col: number, parserMessage: string): ExplainedTomlError {
  const lines = text.split(/\r?\n/);
  const lineText = lines[line - 1] ?? "";
  const plain = { message: parserMessage, line, col };
  if (/control characters are not allowed in strings|unfinished string/.test(parserMessage)) return unterminated(lineText, line, col) ?? plain;
  if (/invalid value/.test(parserMessage)) return invalidValue(lineText, line, col) ?? plain;
  if (/already defined/.test(parserMessage)) return redefined(lines, line, col) ?? plain;
  if (/illegal character in key/.test(parserMessage)) return badKey(lineText, line, col) ?? plain;
  if (/expected comma or end of structure/.test(parserMessage)) {
    return { ...plain, message: "an array `[...]` or inline table `{...}` is not closed: expected `,` or its closing bracket", suggestion: "close the array or inline table where its values end" };
  }
  return plain;
}

/** The string that opens before `col` on its line and is not closed there. */
function unterminated(lineText: string, line: number, col: number): ExplainedTomlError | undefined {
  const open = openQuote(lineText);
  if (open === undefined) {
    // A raw tab or other control character inside a closed string.
    if (col - 1 < lineText.length) return { message: "a string cannot hold a raw control character (a tab, say): write it as an escape (`\\t`)", line, col };
    return undefined;
  }
  const quote = lineText[open];
  const rest = lineText.slice(open).trimEnd();
  return {
    message: `unterminated string: the \`${quote}\` at column ${open + 1} is not closed on its line`,
    line,
    col: open + 1,
    suggestion: `close the string with \`${quote}\` (a string that spans lines is written between \`${quote.repeat(3)}\`)`,
    // Without a comment on the line, closing it at the end of the line is what was meant.
    ...(rest.includes("#") ? {} : { replacement: { endCol: open + 1 + rest.length, text: `${rest}${quote}` } }),
  };
}

/** The index of a quote that opens a string not closed on the line (outside comments), if any. */
function openQuote(lineText: string): number | undefined {
  for (let i = 0; i < lineText.length; i++) {
    const c = lineText[i];
    if (c === "#") return undefined;
    if (c !== '"' && c !== "'") continue;
    if (lineText.startsWith(c.repeat(3), i)) return undefined; // multi-line strings close elsewhere
    let j = i + 1;
    for (; j < lineText.length; j++) {
      if (c === '"' && lineText[j] === "\\") {
        j++;
        continue;
      }
      if (lineText[j] === c) break;
    }
    if (j >= lineText.length) return i;
    i = j;
  }
  return undefined;
}

function invalidValue(lineText: string, line: number, col: number): ExplainedTomlError | undefined {
  const at = lineText.slice(col - 1);
  const curly = /^[“”‘’]([^“”‘’]*)[“”‘’]/.exec(at);
  if (curly) {
    return { message: "curly quotes are not TOML quotes: use straight quotes `\"`", line, col, suggestion: "retype the quotes as `\"`", replacement: { endCol: col + curly[0].length, text: `"${curly[1]}"` } };
  }
  const word = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(at)?.[0];
  if (word === undefined) return undefined;
  const boolean = BOOLEANS[word];
  if (boolean !== undefined) return { message: `TOML booleans are lower-case: \`${boolean}\`, not \`${word}\``, line, col, suggestion: `write \`${boolean}\``, replacement: { endCol: col + word.length, text: boolean } };
  // `flase`, `ture`: a misspelt boolean, not a string someone forgot to quote.
  const misspelt = didYouMean(word, ["true", "false"]);
  if (misspelt !== undefined) return { message: `\`${word}\` is not a TOML value: did you mean the boolean \`${misspelt}\`?`, line, col, suggestion: `write \`${misspelt}\` (or "${word}" in quotes, for a string)`, replacement: { endCol: col + word.length, text: misspelt } };
  return { message: `\`${word}\` is not a TOML value: a string is written in quotes`, line, col, suggestion: `write "${word}"`, replacement: { endCol: col + word.length, text: `"${word}"` } };
}

/** A key or a table defined twice: name it and the line that first defined it. */
function redefined(lines: readonly string[], line: number, col: number): ExplainedTomlError | undefined {
  const lineText = lines[line - 1] ?? "";
  const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]/.exec(lineText);
  if (header) {
    const name = header[2];
    const first = lines.findIndex((l, i) => i < line - 1 && new RegExp(`^\\s*\\[\\s*${escapeRegExp(name)}\\s*\\]`).test(l));
    const where = first >= 0 ? ` (first on line ${first + 1})` : "";
    return { message: `table \`[${name}]\` is defined twice${where}`, line, col: lineText.indexOf("[") + 1, suggestion: "put its keys under the first header" };
  }
  const key = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-.]+)\s*=/.exec(lineText)?.[1];
  if (key === undefined) return undefined;
  // The same key earlier in the same table: back to the nearest header.
  let first = -1;
  for (let i = line - 2; i >= 0; i--) {
    if (/^\s*\[/.test(lines[i])) break;
    if (new RegExp(`^\\s*${escapeRegExp(key)}\\s*=`).test(lines[i])) first = i;
  }
  const where = first >= 0 ? ` (first on line ${first + 1})` : "";
  return { message: `\`${key}\` is set twice${where}`, line, col: lineText.indexOf(key) + 1, suggestion: "keep one of them" };
}

function badKey(lineText: string, line: number, col: number): ExplainedTomlError | undefined {
  const trimmed = lineText.trimStart();
  if (trimmed.startsWith("[") && !trimmed.includes("]") && !trimmed.includes("#")) {
    const start = lineText.length - trimmed.length + 1;
    return { message: "table header is not closed: expected `]`", line, col: start, suggestion: "end the header with `]`", replacement: { endCol: lineText.trimEnd().length + 1, text: `${trimmed.trimEnd()}]` } };
  }
  const c = lineText[col - 1];
  if (c === ":") return { message: "TOML writes `key = value`, not `key: value`", line, col, suggestion: "write `=`", replacement: { endCol: col + 1, text: " =" } };
  if (c === " " || c === "\t" || c === '"' || c === "'") return { message: "expected `=` between the key and its value", line, col, suggestion: "write `key = value`" };
  return undefined;
}
