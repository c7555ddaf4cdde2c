import assert from "node:assert/strict";
import { test } from "node:test";
import type { DialectId, Expr, Select } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/** The first select item's expression, or the error message. */
function first(sql: string, dialect: DialectId): Expr | string {
  const r = parseSql(sql, dialect);
  if (!r.query) return `error: ${r.error?.message}`;
  const item = (r.query.body as Select).projection[0];
  return item.kind === "expr" ? item.expr : "star";
}

type Expect = "ok" | RegExp | ((e: Expr) => boolean);

// [sql, duckdb, databricks, snowflake, bigquery]
const table: [string, Expect, Expect, Expect, Expect][] = [
  // identifier quoting
  ['SELECT "a b"', (e) => e.kind === "column" && e.parts[0].quoted, (e) => e.kind === "literal" && e.value === "a b", (e) => e.kind === "column", (e) => e.kind === "literal"],
  ["SELECT `a b`", /backtick-quoted identifiers are not duckdb/, (e) => e.kind === "column" && e.parts[0].name === "a b", /not snowflake syntax/, (e) => e.kind === "column"],
  // string escapes: backslashes in databricks/snowflake/bigquery, '' everywhere
  ["SELECT 'a\\'b'", /expected|closing/, (e) => e.kind === "literal" && e.value === "a'b", (e) => e.kind === "literal" && e.value === "a'b", (e) => e.kind === "literal" && e.value === "a'b"],
  ["SELECT 'a''b'", (e) => e.kind === "literal" && e.value === "a'b", "ok", "ok", "ok"],
  ["SELECT 'a\\nb'", (e) => e.kind === "literal" && e.value === "a\\nb", (e) => e.kind === "literal" && e.value === "a\nb", (e) => e.kind === "literal" && e.value === "a\nb", (e) => e.kind === "literal" && e.value === "a\nb"],
  ["SELECT E'a\\tb'", (e) => e.kind === "literal" && e.value === "a\tb", /found string|expected/, /found string|expected/, /found string|expected/],
  // dollar, raw and triple-quoted strings
  ["SELECT $$x'y$$", (e) => e.kind === "literal" && e.value === "x'y", /found '\$'/, (e) => e.kind === "literal" && e.value === "x'y", /found '\$'/],
  ["SELECT r'\\d'", /expected/, (e) => e.kind === "literal" && e.value === "\\d", /expected/, (e) => e.kind === "literal" && e.value === "\\d"],
  ["SELECT '''a'b'''", /expected/, /expected/, /expected/, (e) => e.kind === "literal" && e.value === "a'b"],
  // comments
  ["SELECT 1 # c", /# comments are not duckdb/, /# comments are not databricks/, /# comments are not snowflake/, "ok"],
  ["SELECT 1 // c", (e) => e.kind === "binary" && e.op === "//", /expected an expression/, (e) => e.kind === "literal", /expected an expression/],
  ["SELECT 1 /* a /* b */ c */", "ok", "ok", /found '\*'/, /found '\*'/],
  // casts and paths
  ["SELECT a::INT", (e) => e.kind === "cast" && e.style === "colon_colon", "ok", "ok", /bigquery has no :: cast/],
  // DuckDB reads `v: a.b` as a prefix alias.
  ["SELECT v:a.b", (e) => e.kind === "column" && e.parts.length === 2, (e) => e.kind === "field" && e.style === "dot", (e) => e.kind === "field" && e.expr.kind === "field" && e.expr.style === "colon", /found ':'/],
  // operators
  ["SELECT j->>'a'", (e) => e.kind === "binary" && e.op === "->>", /found '->>'/, /found '->>'/, /found '->>'/],
  ["SELECT 7 // 2", (e) => e.kind === "binary" && e.op === "//", /expected an expression/, (e) => e.kind === "literal", /expected an expression/],
  ["SELECT a <=> b", /expected an expression/, (e) => e.kind === "binary" && e.op === "<=>", /expected an expression/, /expected an expression/],
  ["SELECT 2 ^ 3 * 4", (e) => e.kind === "binary" && e.op === "*", (e) => e.kind === "binary" && e.op === "^", (e) => e.kind === "binary" && e.op === "^", (e) => e.kind === "binary" && e.op === "^"],
  ["SELECT f(x -> x + 1)", (e) => e.kind === "function" && e.args[0].kind === "lambda", (e) => e.kind === "function" && e.args[0].kind === "lambda", (e) => e.kind === "function" && e.args[0].kind === "lambda", /found '->'/],
  // parameters
  ["SELECT @start_date", (e) => e.kind === "param" && e.name === "@start_date", "ok", "ok", "ok"],
  ["SELECT $1", (e) => e.kind === "param" && e.name === "$1", "ok", "ok", "ok"],
  ["SELECT ?", (e) => e.kind === "param" && e.name === "?", "ok", "ok", "ok"],
  // literals
  ["SELECT [1, 2]", (e) => e.kind === "array", /expected an expression/, (e) => e.kind === "array", (e) => e.kind === "array"],
  ["SELECT {'a': 1}", (e) => e.kind === "struct", /expected an expression/, (e) => e.kind === "struct", /expected an expression/],
  // `10L` is Spark's BIGINT literal; elsewhere it is 10 aliased L.
  ["SELECT 10L", (e) => e.kind === "literal" && e.value === "10", (e) => e.kind === "literal" && e.value === "10L", (e) => e.kind === "literal" && e.value === "10", (e) => e.kind === "literal" && e.value === "10"],
  // Spark's lexer takes the longest match: a name may start with digits when it is longer than the number there.
  ["SELECT 1688_min_price", (e) => e.kind === "literal", (e) => e.kind === "column" && e.parts[0].name === "1688_min_price", (e) => e.kind === "literal", (e) => e.kind === "literal"],
  ["SELECT 1_000", (e) => e.kind === "literal" && e.value === "1_000", (e) => e.kind === "column" && e.parts[0].name === "1_000", "ok", "ok"],
  ["SELECT 2BD", "ok", (e) => e.kind === "literal" && e.value === "2BD", "ok", "ok"],
  ["SELECT 1e3", (e) => e.kind === "literal", (e) => e.kind === "literal" && e.value === "1e3", "ok", "ok"],
  ["SELECT 7d", "ok", (e) => e.kind === "literal" && e.value === "7d", "ok", "ok"],
  // ... and outside ANSI mode it reserves few words: `order.id` is a column, not ORDER.
  ["SELECT order.id", /expected an expression/, (e) => e.kind === "column" && e.parts.map((p) => p.name).join(".") === "order.id", /expected an expression/, /expected an expression/],
];

const dialects: DialectId[] = ["duckdb", "databricks", "snowflake", "bigquery"];

test("lexical and syntactic differences between dialects", () => {
  for (const [sql, ...expects] of table) {
    expects.forEach((want, k) => {
      const dialect = dialects[k];
      const got = first(sql, dialect);
      const label = `${dialect}: ${sql} → ${typeof got === "string" ? got : JSON.stringify(got).slice(0, 160)}`;
      if (want === "ok") assert.ok(typeof got !== "string", label);
      else if (want instanceof RegExp) {
        assert.equal(typeof got, "string", label);
        assert.match(got as string, want, label);
      } else {
        assert.ok(typeof got !== "string", label);
        assert.ok(want(got as Expr), label);
      }
    });
  }
});
