import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { getDialect } from "../../../engine/src/dialects/get-dialect.js";
import { T_ERROR, tokenize } from "../../../engine/src/syntax/tokenize.js";

/**
 * Whether two versions of a model's SQL differ only in comments and layout (whitespace, line
 * breaks): the same tokens, with the same text, in the same order. A lexical error on either side
 * counts as a change. The tokenizer reuses its buffers, so one side is read out before the other is
 * tokenized.
 */
export function sameTokens(a: string, b: string, dialect: DialectId): boolean {
  const d = getDialect(dialect);
  const first = tokenTexts(a, d);
  if (first === undefined) return false;
  const second = tokenize(b, d);
  if (second.count !== first.length) return false;
  for (let i = 0; i < second.count; i++) {
    if (second.kinds[i] === T_ERROR || `${second.kinds[i]}:${second.texts[i]}` !== first[i]) return false;
  }
  return true;
}

function tokenTexts(sql: string, d: ReturnType<typeof getDialect>): string[] | undefined {
  const t = tokenize(sql, d);
  const out: string[] = new Array(t.count);
  for (let i = 0; i < t.count; i++) {
    if (t.kinds[i] === T_ERROR) return undefined;
    out[i] = `${t.kinds[i]}:${t.texts[i]}`;
  }
  return out;
}
