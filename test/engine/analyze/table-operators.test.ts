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

  test("PIVOT and UNPIVOT read the input columns they keep, pivot on or unpivot, unnamed (P002 counts them)", () => {
    const reads = (sql: string) => [...(analyzeSql(sql, schema, "snowflake").reads.get("sales") ?? [])].sort();
    assert.deepEqual(reads("SELECT * FROM sales PIVOT (SUM(amount) FOR month IN ('JAN'))"), ["amount", "month", "qty", "region"]);
    assert.deepEqual(reads("SELECT * FROM sales UNPIVOT (v FOR k IN (amount, qty))"), ["amount", "month", "qty", "region"]);
  });
});

describe("Snowflake MATCH_RECOGNIZE", () => {
  const ticks = { ticks: "symbol VARCHAR, ts TIMESTAMP_NTZ, price NUMBER(10,2) NOT NULL" };
  const sql = (rows: string) =>
    [
      "SELECT *",
      "FROM ticks",
      "  MATCH_RECOGNIZE (",
      "    PARTITION BY symbol",
      "    ORDER BY ts",
      "    MEASURES MATCH_NUMBER() AS match_no, FIRST(down.ts) AS started, FINAL LAST(up.price) AS peak, COUNT(*) AS n, CLASSIFIER() AS kind",
      `    ${rows}`,
      "    AFTER MATCH SKIP TO LAST up",
      "    PATTERN (^ down+ up{2,} $)",
      "    SUBSET both = (down, up)",
      "    DEFINE down AS price < PREV(price), up AS up.price > PREV(up.price)",
      "  ) AS mr",
    ].join("\n");

  test("ONE ROW PER MATCH: the partition columns and the measures, typed through the row symbols", () => {
    const a = analyzeSql(sql("ONE ROW PER MATCH"), ticks, "snowflake");
    assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "Info"), []);
    assert.deepEqual(
      a.columns.map((c) => `${c.name}: ${formatType(c.type)}${c.nullable ? "" : " NOT NULL"} <- ${c.sources.map((s) => `${s.model}.${s.column}`).join(",")}`),
      ["symbol: String <- ticks.symbol", "match_no: Int64 NOT NULL <- ", "started: TimestampNtz <- ticks.ts", "peak: Decimal(10,2) NOT NULL <- ticks.price", "n: Int64 NOT NULL <- ", "kind: String NOT NULL <- "],
    );
  });

  test("ALL ROWS PER MATCH keeps every input column; the pattern and its conditions decide the rows", () => {
    const a = analyzeSql(sql("ALL ROWS PER MATCH WITH UNMATCHED ROWS"), ticks, "snowflake");
    assert.deepEqual(a.columns.map((c) => c.name), ["symbol", "ts", "price", "match_no", "started", "peak", "n", "kind"]);
    assert.match(
      a.rowLevel.fingerprints.matchRecognize ?? "",
      /^MATCH_RECOGNIZE\(PARTITION BY ticks\.symbol ORDER BY ticks\.ts ALL ROWS WITH UNMATCHED ROWS AFTER MATCH SKIP TO LAST up PATTERN \(\^ down \+ up \{ 2 , \} \$\) SUBSET both = \(down, up\) DEFINE down AS .*PREV/,
    );
    assert.deepEqual([...new Set(a.rowLevel.filters.map((f) => `${f.model}.${f.column}`))], ["ticks.price"]);
  });

  test("a symbol that is not one of the pattern's is an unknown qualifier, as anywhere else", () => {
    const bad = analyzeSql(sql("ONE ROW PER MATCH").replace("FIRST(down.ts)", "FIRST(side.ts)"), ticks, "snowflake");
    assert.deepEqual(bad.diagnostics.filter((d) => d.code === "R008").map((d) => d.message.split(" in ")[0]), ["unknown table or alias 'side'"]);
  });

  test("a pattern left open is a parse error at the end, naming what was expected", () => {
    const r = parseSql("SELECT * FROM ticks MATCH_RECOGNIZE (ORDER BY ts PATTERN (a (b+)", "snowflake");
    assert.match(r.error?.message ?? "", /'\)' closing the pattern/);
  });
});
