import type { RowLevelClause } from "../report/types.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { getDialect } from "../../../engine/src/dialects/get-dialect.js";
import { T_EOF, T_ERROR, T_OP, T_WORD, tokenize } from "../../../engine/src/syntax/tokenize.js";

/** Where a clause keyword is written: 1-based line and column. */
export interface KeywordAt {
  readonly line: number;
  readonly col: number;
}

/** Snowflake's `SAMPLE <method> (..)`: a column named `sample` is not one. */
const SAMPLE_METHODS = new Set(["BERNOULLI", "ROW", "SYSTEM", "BLOCK"]);

/** The words that open a query (the top level, or a parenthesis a subquery or CTE body fills). */
const QUERY_START = new Set(["SELECT", "WITH", "FROM", "VALUES", "TABLE"]);
/** After these, DISTINCT is the query's own (SELECT DISTINCT, UNION DISTINCT), not `IS DISTINCT FROM` nor `COUNT(DISTINCT x)`. */
const DISTINCT_AFTER = new Set(["SELECT", "UNION", "INTERSECT", "EXCEPT"]);

/**
 * Every place the SQL writes a clause's keyword as a clause of a query, by clause, in order: the
 * tokens (so never inside a string or a comment), at the level of a query, so not a function's own
 * syntax (`EXTRACT(year FROM d)`, `TRIM(x FROM s)`, `COUNT(DISTINCT x)`, `WITHIN GROUP (ORDER BY ..)`),
 * nor `IS [NOT] DISTINCT FROM`. A lexical error ends the scan where it stands.
 */
export function clauseKeywordPositions(sql: string, dialect: DialectId): ReadonlyMap<RowLevelClause, readonly KeywordAt[]> {
  const t = tokenize(sql, getDialect(dialect));
  const word = (i: number) => (i >= 0 && i < t.count && t.kinds[i] === T_WORD ? t.texts[i].toUpperCase() : "");
  const out = new Map<RowLevelClause, KeywordAt[]>();
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
    const clause = clauseOf(word(i), word(i - 1), word(i + 1), t.kinds[i + 1] === T_OP && t.texts[i + 1] === "(", word(i + 2));
    if (clause === undefined) continue;
    let list = out.get(clause);
    if (list === undefined) out.set(clause, (list = []));
    list.push({ line: t.lines[i], col: t.cols[i] });
  }
  return out;
}

/** The clause a query-level word opens, given the words beside it (`paren`: a `(` follows it; `then`: the word after `after`). */
function clauseOf(w: string, before: string, after: string, paren: boolean, then: string): RowLevelClause | undefined {
  switch (w) {
    case "FROM":
      return before !== "DISTINCT" ? "from" : undefined;
    // What decides the rows a FROM item gives, written after its name: sampling, time travel, a
    // generator (LATERAL VIEW), UNPIVOT's INCLUDE NULLS.
    case "TABLESAMPLE":
    case "UNPIVOT":
      return "from";
    case "SAMPLE":
      return before === "USING" || paren || SAMPLE_METHODS.has(after) ? "from" : undefined;
    case "LATERAL":
      return after === "VIEW" ? "from" : undefined;
    case "AT":
    case "BEFORE":
    case "CHANGES":
      return paren ? "from" : undefined;
    case "VERSION":
    case "TIMESTAMP":
      return after === "AS" && then === "OF" ? "from" : undefined;
    case "WHERE":
      return "where";
    case "JOIN":
      return "join";
    case "GROUP":
      return after === "BY" ? "group_by" : undefined;
    case "HAVING":
      return "having";
    case "DISTINCT":
      return DISTINCT_AFTER.has(before) ? "distinct" : undefined;
    case "QUALIFY":
      return "qualify";
    // A hierarchical query's START WITH and CONNECT BY are one clause: either line places it.
    case "CONNECT":
      return after === "BY" ? "connect_by" : undefined;
    case "START":
      return after === "WITH" ? "connect_by" : undefined;
    case "MATCH_RECOGNIZE":
      return "match_recognize";
    // The rows a LIMIT keeps: its count, the ORDER BY that picks them, Snowflake's TOP and FETCH.
    case "LIMIT":
    case "OFFSET":
    case "FETCH":
      return "limit";
    case "TOP":
      return before === "SELECT" || before === "DISTINCT" ? "limit" : undefined;
    case "ORDER":
      return after === "BY" ? "limit" : undefined;
    default:
      return undefined;
  }
}
