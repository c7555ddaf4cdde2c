import type { RowLevelClause } from "../report/types.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { getDialect } from "../../../engine/src/dialects/get-dialect.js";
import { T_EOF, T_ERROR, T_OP, T_WORD, tokenize } from "../../../engine/src/syntax/tokenize.js";

/** Where a clause keyword is written: 1-based line and column. */
export interface KeywordAt {
  readonly line: number;
  readonly col: number;
}

/** The words that open a query (the top level, or a parenthesis a subquery or CTE body fills). */
const QUERY_START = new Set(["SELECT", "WITH", "FROM", "VALUES", "TABLE"]);
/** After these, DISTINCT is the query's own (SELECT DISTINCT, UNION DISTINCT), not `IS DISTINCT FROM` nor `COUNT(DISTINCT x)`. */
const DISTINCT_AFTER = new Set(["SELECT", "UNION", "INTERSECT", "EXCEPT"]);

/**
 * Every place the SQL writes a clause's keyword as a clause of a query, in order: the tokens (so never
 * inside a string or a comment), at the level of a query, so not a function's own syntax
 * (`EXTRACT(year FROM d)`, `TRIM(x FROM s)`, `COUNT(DISTINCT x)`, `WITHIN GROUP (ORDER BY ..)`), nor
 * `IS [NOT] DISTINCT FROM`. A lexical error ends the scan where it stands.
 */
export function clauseKeywordPositions(sql: string, dialect: DialectId, clause: RowLevelClause): KeywordAt[] {
  const t = tokenize(sql, getDialect(dialect));
  const word = (i: number) => (i >= 0 && i < t.count && t.kinds[i] === T_WORD ? t.texts[i].toUpperCase() : "");
  const out: KeywordAt[] = [];
  // Per open parenthesis: whether a query fills it. The top level is a query.
  const levels: boolean[] = [true];
  for (let i = 0; i < t.count; i++) {
    const kind = t.kinds[i];
    if (kind === T_EOF || kind === T_ERROR) break;
    if (kind === T_OP) {
      if (t.texts[i] === "(") levels.push(QUERY_START.has(word(i + 1)));
      else if (t.texts[i] === ")" && levels.length > 1) levels.pop();
      continue;
    }
    if (kind !== T_WORD || !levels[levels.length - 1]) continue;
    if (isClauseKeyword(clause, word(i), word(i - 1), word(i + 1))) out.push({ line: t.lines[i], col: t.cols[i] });
  }
  return out;
}

function isClauseKeyword(clause: RowLevelClause, w: string, before: string, after: string): boolean {
  switch (clause) {
    case "from":
      return w === "FROM" && before !== "DISTINCT";
    case "where":
      return w === "WHERE";
    case "join":
      return w === "JOIN";
    case "group_by":
      return w === "GROUP" && after === "BY";
    case "having":
      return w === "HAVING";
    case "distinct":
      return w === "DISTINCT" && DISTINCT_AFTER.has(before);
    case "qualify":
      return w === "QUALIFY";
    case "limit":
      return w === "LIMIT";
    default:
      return false;
  }
}
