import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { getDialect } from "../../../engine/src/dialects/get-dialect.js";
import { T_ERROR, T_OP, T_STRING, T_WORD, type Tokens, tokenize } from "../../../engine/src/syntax/tokenize.js";

/**
 * Whether two versions of a model's SQL differ only in comments, layout (whitespace, line breaks)
 * and the case of keywords and function names: the same tokens, with the same text, in the same
 * order, where a reserved word (`select`, `JOIN`), a word called as a function (`sum(`,
 * `COALESCE (`), a typed literal's type (`date '2024-01-01'`, `interval '1 day'`) or a type after
 * `::` (`x::varchar`) is compared in upper case. Any other word keeps its case (an identifier's
 * spelling can be an output column's name). A lexical error on either side counts as a change. The
 * tokenizer reuses its buffers, so one side is read out before the other is tokenized.
 */
export function sameTokens(a: string, b: string, dialect: DialectId): boolean {
  const d = getDialect(dialect);
  const first = tokenTexts(tokenize(a, d), d.reserved);
  if (first === undefined) return false;
  const second = tokenize(b, d);
  if (second.count !== first.length) return false;
  for (let i = 0; i < second.count; i++) {
    if (second.kinds[i] === T_ERROR || tokenText(second, i, d.reserved) !== first[i]) return false;
  }
  return true;
}

function tokenTexts(t: Tokens, reserved: ReadonlySet<string>): string[] | undefined {
  const out: string[] = new Array(t.count);
  for (let i = 0; i < t.count; i++) {
    if (t.kinds[i] === T_ERROR) return undefined;
    out[i] = tokenText(t, i, reserved);
  }
  return out;
}

function tokenText(t: Tokens, i: number, reserved: ReadonlySet<string>): string {
  const kind = t.kinds[i];
  if (kind !== T_WORD) return `${kind}:${t.texts[i]}`;
  const upper = t.uppers[i];
  if (upper !== "" && reserved.has(upper)) return `${kind}:${upper}`;
  if (i + 1 < t.count && t.kinds[i + 1] === T_OP && t.texts[i + 1] === "(") return `${kind}:${t.texts[i].toUpperCase()}`;
  // A type name: a typed literal's (a word right before a string) or a cast's after `::`.
  if ((i + 1 < t.count && t.kinds[i + 1] === T_STRING) || (i > 0 && t.kinds[i - 1] === T_OP && t.texts[i - 1] === "::")) return `${kind}:${t.texts[i].toUpperCase()}`;
  return `${kind}:${t.texts[i]}`;
}
