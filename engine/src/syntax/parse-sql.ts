/**
 * `parseSql(sql, dialect)`: one model = one query. Never throws, never hangs: lexical and syntax
 * errors come back as a `ParseError` at the offending token's line and column; nesting beyond
 * `MAX_NESTING` is "expression nested too deeply".
 */
import { getDialect } from "../dialects/get-dialect.js";
import type { DialectId, ParseResult, Span } from "./ast.js";
import { ParseFailure, Parser } from "./parser.js";
import { tokenize } from "./tokenize.js";

export function parseSql(sql: string, dialect: DialectId): ParseResult {
  const d = getDialect(dialect);
  const tokens = tokenize(typeof sql === "string" ? sql : String(sql), d);
  const comments = tokens.comments;
  try {
    const query = new Parser(tokens, d).parseStatement();
    return { query, comments };
  } catch (e) {
    if (e instanceof ParseFailure) return { error: e.error, comments };
    const span: Span = { start: 0, end: 0, line: 1, col: 1 };
    if (e instanceof RangeError) return { error: { message: "expression nested too deeply", span, expected: [] }, comments };
    // A bug, not a user mistake: still never throw out of the parser.
    const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    return { error: { message, span, expected: [] }, comments };
  }
}
