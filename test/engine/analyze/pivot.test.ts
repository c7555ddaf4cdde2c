import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { collectTableRefs } from "../../../engine/src/syntax/walk.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { analyzeSql } from "./support/analyze-sql.js";

// DuckDB's own naming is checked against DuckDB itself (duckdb-agreement.test.ts); these are the warehouses' rules.
const schema = { sales: "region VARCHAR, month VARCHAR, amount DECIMAL(10,2), qty INT", months: "m VARCHAR" };
const cols = (sql: string, dialect: DialectId) => {
  const a = analyzeSql(sql, schema, dialect);
  return a.columns.map((c) => `${c.name}: ${formatType(c.type)}${c.nullable ? "" : " NOT NULL"}`);
};

describe("PIVOT across dialects", () => {
  test("Snowflake names a pivoted column by the value as written, quotes included, unless the alias list renames it", () => {
    const sql = "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) FOR month IN ('JAN', 'FEB'))";
    assert.deepEqual(cols(sql, "snowflake"), ["region: String", "'JAN': Decimal(38,2)", "'FEB': Decimal(38,2)"]);
    assert.deepEqual(cols(`${sql} AS p (region, jan, feb)`, "snowflake"), ["region: String", "jan: Decimal(38,2)", "feb: Decimal(38,2)"]);
    // A downstream reference has to quote it: the name is not JAN.
    const a = analyzeSql(`SELECT p.jan FROM (${sql}) AS p`, schema, "snowflake");
    assert.ok(a.diagnostics.some((d) => d.code === "R008" || d.message.includes("jan")), "JAN is no column of a Snowflake pivot");
  });

  test("Databricks names by value alone with one aggregate, value_alias with several", () => {
    const one = "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) AS total FOR month IN ('JAN', 'FEB'))";
    assert.deepEqual(cols(one, "databricks"), ["region: String", "JAN: Decimal(20,2)", "FEB: Decimal(20,2)"]);
    const two = "SELECT * FROM (SELECT region, month, amount, qty FROM sales) PIVOT (SUM(amount) AS total, MAX(qty) FOR month IN ('JAN' AS jan))";
    assert.deepEqual(cols(two, "databricks"), ["region: String", "jan_total: Decimal(20,2)", "jan_max(qty): Int32"]);
  });

  test("BigQuery puts the aggregate's alias first", () => {
    const sql = "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) AS total FOR month IN ('JAN', 'FEB'))";
    assert.deepEqual(analyzeSql(sql, schema, "bigquery").columns.map((c) => c.name), ["region", "total_JAN", "total_FEB"]);
  });

  test("IN (ANY) and IN (subquery): the pivoted columns are known only when it runs, and the subquery's table is read", () => {
    const any = analyzeSql("SELECT p.region, p.\"'MAR'\" AS mar FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) FOR month IN (ANY ORDER BY month)) AS p", schema, "snowflake");
    assert.deepEqual(any.diagnostics.filter((d) => d.severity === "Error"), []);
    assert.deepEqual(any.columns.map((c) => `${c.name}: ${formatType(c.type)}`), ["region: String", "mar: Unknown"]);
    const sub = "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) FOR month IN (SELECT DISTINCT m FROM months))";
    const parsed = parseSql(sub, "snowflake");
    assert.ok(parsed.query);
    assert.deepEqual(collectTableRefs(parsed.query).map((t) => t.name.map((p) => p.name).join(".")), ["sales", "months"]);
  });

  test("DEFAULT ON NULL makes the pivoted columns non-null", () => {
    const sql = "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (SUM(amount) FOR month IN ('JAN') DEFAULT ON NULL (0))";
    assert.deepEqual(cols(sql, "snowflake"), ["region: String", "'JAN': Decimal(38,2) NOT NULL"]);
  });

  test("DuckDB's PIVOT statement without IN: the columns it keeps are known, the pivoted ones are not (no error on a reference)", () => {
    const a = analyzeSql("SELECT region, jan FROM (PIVOT sales ON month USING sum(amount) GROUP BY region)", schema, "duckdb");
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === "Error"), []);
    assert.deepEqual(a.columns.map((c) => `${c.name}: ${formatType(c.type)}`), ["region: String", "jan: Unknown"]);
  });

  test("a DuckDB PIVOT statement is P001 for another target, on the PIVOT keyword; no 'prefer a column list' for its implicit *", () => {
    const a = analyzeSql("-- wide\nPIVOT sales ON month IN ('JAN') USING sum(amount)", schema, "duckdb");
    assert.deepEqual(a.diagnostics.filter((d) => d.code === "I001"), []);
  });
});
