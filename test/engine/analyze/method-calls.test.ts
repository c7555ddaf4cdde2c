import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkMethodCalls } from "../../../engine/src/checks/index.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { analyzeSql } from "./support/analyze-sql.js";

/**
 * DuckDB's method syntax: `x.f(a)` is `f(x, a)`. The parser reads a chain or a parenthesised
 * receiver as a call; `email.lower()` it reads as a qualified name, and the analyzer, which knows
 * the columns in scope, makes it the call (a schema's function stays one). Either way the column
 * is typed and traced as the plain call, and P001 says no warehouse parses it, with the plain call.
 */
const SCHEMA = { t: "name VARCHAR, email VARCHAR, id INT, tags VARCHAR[]" };
const columns = (sql: string) => analyzeSql(sql, SCHEMA, "duckdb").columns.map((c) => `${c.name}: ${formatType(c.type)} ${c.fingerprint} <- ${c.sources.map((s) => `${s.model}.${s.column}`).join(",")}`);

describe("DuckDB method calls", () => {
  test("are typed, traced and fingerprinted as the plain calls", () => {
    const method = columns("SELECT name.lower() AS a, t.email.upper() AS b, name.trim().lower() AS c, (id + 1).abs() AS d, tags.len() AS e, name.split(',').len() AS f FROM t");
    const plain = columns("SELECT lower(name) AS a, upper(t.email) AS b, lower(trim(name)) AS c, abs(id + 1) AS d, len(tags) AS e, len(split(name, ',')) AS f FROM t");
    assert.deepEqual(method, plain);
    assert.match(method[0], /^a: String LOWER\(t\.name\) <- t\.name$/);
  });

  test("a qualifier that names no column is a schema's function, as before", () => {
    const [c] = analyzeSql("SELECT main.my_macro(id) AS m FROM t", SCHEMA, "duckdb").columns;
    assert.equal(c.fingerprint, "MAIN.MY_MACRO(t.id)");
    assert.deepEqual(analyzeSql("SELECT main.my_macro(id) AS m FROM t", SCHEMA, "duckdb").methodCalls, undefined);
  });

  test("a lambda's parameter takes methods too", () => {
    const [c] = analyzeSql("SELECT list_transform(tags, x -> x.upper()) AS u FROM t", SCHEMA, "duckdb").columns;
    assert.equal(formatType(c.type), "Array<String>");
  });

  test("only DuckDB parses them: elsewhere the error says what to write", () => {
    assert.equal(parseSql("SELECT (v).lower() FROM t", "duckdb").error, undefined);
    assert.match(parseSql("SELECT (v).lower() FROM t", "snowflake").error?.message ?? "", /method calls are DuckDB's: write f\(x, \.\.\) instead of x\.f\(\.\.\)/);
  });
});

describe("P001 for DuckDB method calls", () => {
  const findings = (sql: string, target: "snowflake" | "duckdb", allow: readonly string[] = []): Diagnostic[] =>
    checkMethodCalls(analyzeSql(sql, SCHEMA, "duckdb").methodCalls, { model: "m", file: "models/m.sql", sql }, { target, allow });

  test("on each call's name, with the plain call as the rewrite; a chain's rewrite once, on its outermost call", () => {
    const sql = "SELECT name.lower() AS a, name.trim().lower() AS c FROM t";
    const ds = findings(sql, "snowflake");
    assert.deepEqual(
      ds.map((d) => `${d.span?.col}-${d.span?.endCol} ${d.replacement?.text ?? "-"}`),
      ["13-18 lower(name)", "32-36 -", "39-44 lower(trim(name))"],
    );
    assert.match(ds[0].message, /^the method call `name\.lower\(\)` is not portable to Snowflake \(supported by: DuckDB\)$/);
    // Applied, the SQL has nothing left to flag and means the same.
    let fixed = sql;
    for (const d of [...ds].reverse()) if (d.replacement) fixed = fixed.slice(0, (d.replacement.span.col as number) - 1) + d.replacement.text + fixed.slice((d.replacement.span.endCol as number) - 1);
    assert.equal(fixed, "SELECT lower(name) AS a, lower(trim(name)) AS c FROM t");
    assert.deepEqual(findings(fixed, "snowflake"), []);
    assert.deepEqual(columns(fixed), columns(sql));
  });

  test("nothing for DuckDB itself, and allow / rocky-allow silence it", () => {
    assert.deepEqual(findings("SELECT name.lower() AS a FROM t", "duckdb"), []);
    assert.deepEqual(findings("SELECT name.lower() AS a FROM t", "snowflake", ["method_call"]), []);
    assert.deepEqual(findings("-- rocky-allow: METHOD_CALL\nSELECT name.lower() AS a FROM t", "snowflake"), []);
  });
});
