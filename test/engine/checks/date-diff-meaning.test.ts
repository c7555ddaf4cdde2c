import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { checkPortability } from "../../../engine/src/checks/index.js";
import { dateDiffDiagnostics, dateDiffMeanings } from "../../../engine/src/checks/rules/date-diff-meaning.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { analyzeSql, type SchemaSpec } from "../analyze/support/analyze-sql.js";
import { applyReplacement } from "./support/build-inputs.js";
import { p001ThroughCache } from "./support/compile-fixture.js";

/**
 * DATEDIFF(month, start, end) runs on Snowflake, DuckDB, BigQuery (DATE_DIFF) and Databricks and
 * returns other numbers: the first three count unit boundaries crossed, Databricks whole units
 * elapsed. P001 says so where the unit and the values' types make the numbers differ, both ways,
 * with the rewrite that keeps the model's count where there is an exact one.
 */
const SCHEMA: SchemaSpec = { "raw.e": "id INTEGER, d1 DATE, d2 DATE, t1 TIMESTAMP, t2 TIMESTAMP, s VARCHAR" };

/** Every P001 for the model, as the compile reports them: the text checks merged with the date-difference ones. */
function findings(sql: string, dialect: DialectId, target: DialectId, allow: readonly string[] = []): Diagnostic[] {
  const parsed = parseSql(sql, dialect);
  assert.equal(parsed.error, undefined, sql);
  const input = { model: "m", file: "models/m.sql", dialect, sql };
  const text = checkPortability({ ...input, query: parsed.query, comments: parsed.comments }, { target, allow });
  const meanings = dateDiffMeanings(analyzeSql(sql, SCHEMA, dialect).dateDiffs, input, { target, allow });
  const merged = dateDiffDiagnostics(meanings, input, target, text);
  return [...merged.text, ...merged.add].sort((a, b) => (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.col ?? 0) - (b.span?.col ?? 0));
}

/** The findings about counting (new or merged), as `col message-start | replacement`. */
function counted(sql: string, dialect: DialectId, target: DialectId, allow: readonly string[] = []): Diagnostic[] {
  return findings(sql, dialect, target, allow).filter((d) => /returns other numbers|count differs there/.test(d.message));
}

const applied = applyReplacement;

describe("P001: a date difference whose count differs on the target", () => {
  it("Snowflake MONTH → Databricks: on the function's name, says the numbers differ with an example, and rewrites to count month starts", () => {
    const sql = "SELECT\n    DATEDIFF(month, d1, d2) AS months\nFROM raw.e";
    const [d, ...rest] = counted(sql, "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.deepEqual([d.span?.line, d.span?.col, d.span?.endCol], [2, 5, 13]);
    assert.match(d.message, /^DATEDIFF returns other numbers on Databricks: Databricks' DATEDIFF counts whole months elapsed .*, where Snowflake's DATEDIFF counts the month boundaries crossed: from 2023-01-31 to 2023-02-01 it is 1 on Snowflake, 0 on Databricks$/);
    assert.doesNotMatch(d.message, /not portable|fail/);
    assert.equal(d.replacement?.text, "DATEDIFF(MONTH, DATE_TRUNC('MONTH', d1), DATE_TRUNC('MONTH', d2))");
    assert.match(d.suggestion ?? "", /DATE_TRUNC\('MONTH', start\)/);
  });

  it("Snowflake YEAR / QUARTER flag whatever the values' types (every temporal type differs there)", () => {
    const sql = "SELECT DATEDIFF(year, s, s) AS a, DATEDIFF('quarter', d1, d2) AS b, TIMESTAMPDIFF(year, t1, t2) AS c FROM raw.e";
    const ds = counted(sql, "snowflake", "databricks");
    assert.deepEqual(
      ds.map((d) => d.replacement?.text),
      ["DATEDIFF(YEAR, DATE_TRUNC('YEAR', s), DATE_TRUNC('YEAR', s))", "DATEDIFF(QUARTER, DATE_TRUNC('QUARTER', d1), DATE_TRUNC('QUARTER', d2))", "TIMESTAMPDIFF(YEAR, DATE_TRUNC('YEAR', t1), DATE_TRUNC('YEAR', t2))"],
    );
  });

  it("DAY and the units below it: only over timestamps (on DATEs both count whole days)", () => {
    const sql = "SELECT datediff(day, t1, t2) AS a, DATEDIFF(hour, t1, d2) AS b, DATEDIFF(second, t1, t2) AS c FROM raw.e";
    const ds = counted(sql, "snowflake", "databricks");
    assert.deepEqual(
      ds.map((d) => d.replacement?.text),
      ["datediff(day, date_trunc('day', t1), date_trunc('day', t2))", "DATEDIFF(HOUR, DATE_TRUNC('HOUR', t1), DATE_TRUNC('HOUR', d2))", "DATEDIFF(SECOND, DATE_TRUNC('SECOND', t1), DATE_TRUNC('SECOND', t2))"],
    );
    assert.match(ds[0].message, /\(the values are timestamps\): from 2023-01-01 23:00 to 2023-01-02 01:00 it is 1 on Snowflake, 0 on Databricks/);
  });

  it("Snowflake WEEK: Monday-start boundaries (WEEK_START's default) vs 7-day periods; no replacement, WEEK_START is the session's", () => {
    const [d] = counted("SELECT DATEDIFF(week, d1, d2) AS w FROM raw.e", "snowflake", "databricks");
    assert.match(d.message, /weeks starting on Monday \(WEEK_START's default\): from Sunday 2023-01-08 to Monday 2023-01-09 it is 1 on Snowflake, 0 on Databricks/);
    assert.equal(d.replacement, undefined);
    assert.match(d.suggestion ?? "", /WEEK_START/);
  });

  it("DuckDB → Databricks: MONTH differs; 'week' over timestamps differs (DuckDB ignores the time of day), over DATEs it agrees", () => {
    const sql = "SELECT date_diff('month', d1, d2) AS a, date_diff('week', t1, t2) AS b, date_diff('week', d1, d2) AS c FROM raw.e";
    const ds = counted(sql, "duckdb", "databricks");
    assert.deepEqual(
      ds.map((d) => [d.span?.col, d.replacement?.text]),
      [
        [8, "date_diff(month, date_trunc('month', d1), date_trunc('month', d2))"],
        [41, "date_diff(week, cast(t1 as date), cast(t2 as date))"],
      ],
    );
  });

  it("BigQuery → Databricks: merged into the unit-last form's finding, whose fix now keeps BigQuery's count", () => {
    const sql = "SELECT DATE_DIFF(d2, d1, MONTH) AS a, DATE_DIFF(d2, d1, WEEK) AS w FROM raw.e";
    const ds = findings(sql, "bigquery", "databricks");
    assert.equal(ds.length, 2);
    assert.match(ds[0].message, /^DATE_DIFF\(end, start, unit\) with the unit last is not portable to Databricks .*; and its count differs there: Databricks' DATEDIFF counts whole months elapsed/);
    assert.equal(ds[0].replacement?.text, "DATEDIFF(MONTH, DATE_TRUNC('MONTH', d1), DATE_TRUNC('MONTH', d2))");
    // BigQuery's weeks start on Sunday: shifted a day, Databricks' Monday-start weeks count them.
    assert.equal(ds[1].replacement?.text, "DATEDIFF(WEEK, DATE_TRUNC('WEEK', DATE_ADD(d1, 1)), DATE_TRUNC('WEEK', DATE_ADD(d2, 1)))");
  });

  it("Databricks → DuckDB: merged into the unquoted-unit finding; DATE_SUB where it counts alike, none for MONTH (month ends)", () => {
    const sql = "SELECT DATEDIFF(MONTH, d1, d2) AS a, DATEDIFF(DAY, t1, t2) AS b, TIMESTAMPDIFF(WEEK, t1, t2) AS c FROM raw.e";
    const ds = counted(sql, "databricks", "duckdb");
    assert.deepEqual(
      ds.map((d) => d.replacement?.text),
      [undefined, "DATE_SUB('day', t1, t2)", "DATE_SUB('week', t1, t2)"],
    );
    assert.match(ds[0].message, /with an unquoted date part is not portable to DuckDB.*; and its count differs there: DuckDB's DATE_DIFF counts the month boundaries crossed, where Databricks' DATEDIFF counts whole months elapsed/);
    assert.match(ds[0].suggestion ?? "", /2023-01-31 to 2023-02-28 it is 1 month, 0 on Databricks/);
  });

  it("Databricks → Snowflake: says what differs; no replacement (no Snowflake function counts whole months)", () => {
    const ds = counted("SELECT DATEDIFF(MONTH, d1, d2) AS a, DATEDIFF(HOUR, t1, t2) AS b FROM raw.e", "databricks", "snowflake");
    assert.deepEqual(ds.map((d) => d.replacement), [undefined, undefined]);
    assert.match(ds[0].message, /^DATEDIFF returns other numbers on Snowflake: Snowflake's DATEDIFF counts the month boundaries crossed, where Databricks' DATEDIFF counts whole months elapsed/);
    assert.match(ds[1].suggestion ?? "", /TRUNC\(DATEDIFF\(microsecond, start, end\) \/ 3600000000\)/);
  });

  it("a rewrite inside an argument (DATE_FROM_PARTS → MAKE_DATE) is applied inside the call's and dropped from its own finding", () => {
    const sql = "SELECT DATEDIFF(year, DATE_FROM_PARTS(2020, 1, 1), d2) AS a FROM raw.e";
    const ds = findings(sql, "snowflake", "databricks");
    assert.equal(ds.length, 2);
    assert.equal(ds[0].replacement?.text, "DATEDIFF(YEAR, DATE_TRUNC('YEAR', MAKE_DATE(2020, 1, 1)), DATE_TRUNC('YEAR', d2))");
    assert.match(ds[1].message, /^DATE_FROM_PARTS is not portable/);
    assert.equal(ds[1].replacement, undefined);
  });
});

describe("P001 for date differences: where the counts agree, or cannot be known, nothing", () => {
  const none: { sql: string; dialect: DialectId; target: DialectId; why: string }[] = [
    { sql: "SELECT DATEDIFF(day, d1, d2) AS a, DATEDIFF(hour, d1, d2) AS b FROM raw.e", dialect: "snowflake", target: "databricks", why: "DATE values: whole days either way" },
    { sql: "SELECT DATEDIFF(day, s, s) AS a, DATEDIFF(minute, s, d1) AS b FROM raw.e", dialect: "snowflake", target: "databricks", why: "types unknown: DATEs agree, so no finding" },
    { sql: "SELECT DATEDIFF(microsecond, t1, t2) AS a, DATEDIFF(nanosecond, t1, t2) AS b FROM raw.e", dialect: "snowflake", target: "databricks", why: "below the precision the warehouses keep" },
    { sql: "SELECT DATEDIFF(month, d1, d2) AS a FROM raw.e", dialect: "snowflake", target: "snowflake", why: "same dialect" },
    { sql: "SELECT DATEDIFF(month, d1, d2) AS a, DATEDIFF(day, t1, t2) AS b FROM raw.e", dialect: "snowflake", target: "duckdb", why: "both count boundaries" },
    { sql: "SELECT date_diff('week', d1, d2) AS a, date_diff('day', d1, d2) AS b FROM raw.e", dialect: "duckdb", target: "databricks", why: "7-day periods of DATEs on both" },
    { sql: "SELECT DATEDIFF(MONTH, d1, d2) AS a, DATEDIFF(YEAR, t1, t2) AS b FROM raw.e", dialect: "databricks", target: "databricks", why: "same dialect" },
    { sql: "SELECT DATEDIFF(d2, d1) AS a FROM raw.e", dialect: "databricks", target: "snowflake", why: "two arguments: days, no unit" },
    { sql: "SELECT DATEDIFF(month, DATE_TRUNC('month', t1), date_trunc(month, t2)) AS a FROM raw.e", dialect: "snowflake", target: "databricks", why: "between month starts both count the same" },
    { sql: "SELECT DATEDIFF(MONTH, DATE_TRUNC('MONTH', t1), DATE_TRUNC('MONTH', t2)) AS a FROM raw.e", dialect: "databricks", target: "snowflake", why: "between month starts both count the same" },
    { sql: "-- rocky-allow: DATEDIFF\nSELECT DATEDIFF(month, d1, d2) AS a FROM raw.e", dialect: "snowflake", target: "databricks", why: "allowed" },
  ];
  for (const c of none) {
    it(`${c.dialect} → ${c.target}: ${c.why}`, () => assert.deepEqual(counted(c.sql, c.dialect, c.target), []));
  }

  it("BigQuery DAY over DATEs keeps the unit-last form's own finding and rewrite", () => {
    const ds = findings("SELECT DATE_DIFF(d2, d1, DAY) AS a FROM raw.e", "bigquery", "databricks");
    assert.equal(ds.length, 1);
    assert.doesNotMatch(ds[0].message, /count differs/);
    assert.equal(ds[0].replacement?.text, "DATE_DIFF(DAY, d1, d2)");
  });

  it("[portability] allow: DATEDIFF silences it too", () => assert.deepEqual(counted("SELECT DATEDIFF(month, d1, d2) AS a FROM raw.e", "snowflake", "databricks", ["datediff"]), []));

  it("after the rewrite, nothing is left to flag", () => {
    let sql = "SELECT DATEDIFF(month, d1, d2) AS a, DATEDIFF(day, t1, t2) AS b FROM raw.e";
    const before = analyzeSql(sql, SCHEMA, "snowflake").columns.map((c) => c.fingerprint);
    for (const d of counted(sql, "snowflake", "databricks").reverse()) sql = applied(sql, d);
    assert.deepEqual(counted(sql, "snowflake", "databricks"), [], sql);
    // Snowflake counts the same between the units' starts: taking the rewrite is no logic change.
    assert.deepEqual(analyzeSql(sql, SCHEMA, "snowflake").columns.map((c) => c.fingerprint), before, sql);
  });

  it("fingerprints: one unit however spelt; truncated values are the values where boundaries are counted, not on Databricks", () => {
    const fp = (sql: string, dialect: DialectId) => analyzeSql(`SELECT ${sql} AS a FROM raw.e`, SCHEMA, dialect).columns[0].fingerprint;
    assert.equal(fp("DATEDIFF('month', d1, d2)", "snowflake"), fp("DATEDIFF(mm, d1, d2)", "snowflake"));
    assert.equal(fp("DATE_DIFF(DATE_TRUNC(d2, MONTH), DATE_TRUNC(d1, MONTH), MONTH)", "bigquery"), fp("DATE_DIFF(d2, d1, MONTH)", "bigquery"));
    assert.notEqual(fp("DATEDIFF(month, d1, d2)", "snowflake"), fp("DATEDIFF(day, d1, d2)", "snowflake"));
    assert.notEqual(fp("DATEDIFF(MONTH, DATE_TRUNC('MONTH', d1), DATE_TRUNC('MONTH', d2))", "databricks"), fp("DATEDIFF(MONTH, d1, d2)", "databricks"));
    assert.notEqual(fp("date_diff('week', date_trunc('week', d1), date_trunc('week', d2))", "duckdb"), fp("date_diff('week', d1, d2)", "duckdb"));
    assert.equal(fp("date_diff('month', date_trunc('month', t1), date_trunc('month', t2))", "duckdb"), fp("date_diff('month', t1, t2)", "duckdb"));
  });
});

describe("DuckDB's date differences, in DuckDB itself", () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
  });
  after(() => conn?.closeSync());
  const one = async (sql: string) => Number((await conn.runAndReadAll(`SELECT ${sql}`)).getRows()[0][0]);

  it("DATE_DIFF / DATEDIFF count unit boundaries crossed (the examples P001's messages give)", async () => {
    assert.equal(await one("date_diff('month', DATE '2023-01-31', DATE '2023-02-01')"), 1);
    assert.equal(await one("datediff('month', DATE '2023-01-31', DATE '2023-02-01')"), 1);
    assert.equal(await one("date_diff('year', DATE '2023-12-31', DATE '2024-01-01')"), 1);
    assert.equal(await one("date_diff('quarter', DATE '2023-03-31', DATE '2023-04-01')"), 1);
    assert.equal(await one("date_diff('day', TIMESTAMP '2023-01-01 23:00', TIMESTAMP '2023-01-02 01:00')"), 1);
    assert.equal(await one("date_diff('hour', TIMESTAMP '2023-01-01 10:59', TIMESTAMP '2023-01-01 11:01')"), 1);
    assert.equal(await one("date_diff('minute', TIMESTAMP '2023-01-01 10:59:59', TIMESTAMP '2023-01-01 11:00:01')"), 1);
    assert.equal(await one("date_diff('second', TIMESTAMP '2023-01-01 10:00:00.9', TIMESTAMP '2023-01-01 10:00:01.1')"), 1);
    assert.equal(await one("date_diff('millisecond', TIMESTAMP '2023-01-01 10:00:00.0009', TIMESTAMP '2023-01-01 10:00:00.0011')"), 1);
  });

  it("'week' counts whole 7-day periods between the calendar dates, not week boundaries, and ignores the time of day", async () => {
    assert.equal(await one("date_diff('week', DATE '2023-01-08', DATE '2023-01-09')"), 0); // Sunday → Monday
    assert.equal(await one("date_diff('week', DATE '2023-01-04', DATE '2023-01-11')"), 1);
    assert.equal(await one("date_diff('week', DATE '2023-01-11', DATE '2023-01-05')"), 0);
    assert.equal(await one("date_diff('week', TIMESTAMP '2023-01-04 12:00', TIMESTAMP '2023-01-11 11:00')"), 1);
  });

  it("over DATEs, DAY and the units below it agree with the whole units elapsed (DATE_SUB)", async () => {
    for (const unit of ["day", "hour", "minute", "second"]) {
      assert.equal(await one(`date_diff('${unit}', DATE '2023-01-01', DATE '2023-01-03') = date_sub('${unit}', DATE '2023-01-01', DATE '2023-01-03')`), 1, unit);
    }
  });

  it("DATE_SUB counts whole units elapsed, as Databricks does (the rewrites P001 offers for a Databricks model)", async () => {
    assert.equal(await one("date_sub('day', TIMESTAMP '2023-01-01 23:00', TIMESTAMP '2023-01-02 01:00')"), 0);
    assert.equal(await one("date_sub('day', TIMESTAMP '2023-01-01 23:00', TIMESTAMP '2023-01-02 23:00')"), 1);
    assert.equal(await one("date_sub('day', TIMESTAMP '2023-01-03 01:00', TIMESTAMP '2023-01-01 23:00')"), -1);
    assert.equal(await one("date_sub('hour', TIMESTAMP '2023-01-01 11:01', TIMESTAMP '2023-01-01 09:59')"), -1);
    assert.equal(await one("date_sub('week', TIMESTAMP '2023-01-04 12:00', TIMESTAMP '2023-01-11 11:00')"), 0);
    assert.equal(await one("date_sub('week', TIMESTAMP '2023-01-04 12:00', TIMESTAMP '2023-01-11 12:00')"), 1);
    // Databricks' documented example: one second shy of a month is 0 months.
    assert.equal(await one("date_sub('month', TIMESTAMP '2021-02-28 12:00:00', TIMESTAMP '2021-03-28 11:59:59')"), 0);
  });

  it("but DATE_SUB counts a month that ends on a shorter month's last day, where Databricks does not: no MONTH rewrite", async () => {
    assert.equal(await one("date_sub('month', DATE '2023-01-31', DATE '2023-02-28')"), 1);
    assert.equal(await one("date_sub('year', DATE '2020-02-29', DATE '2021-02-28')"), 1);
  });

  it("the DuckDB rewrites of a Databricks model run in DuckDB", async () => {
    const sql = "SELECT DATEDIFF(DAY, t1, t2) AS b FROM raw.e";
    const [d] = counted(sql, "databricks", "duckdb");
    const expr = d.replacement?.text as string;
    await conn.run("CREATE SCHEMA IF NOT EXISTS raw");
    await conn.run("CREATE OR REPLACE TABLE raw.e (t1 TIMESTAMP, t2 TIMESTAMP)");
    await conn.run("INSERT INTO raw.e VALUES ('2023-01-01 23:00', '2023-01-02 01:00'), ('2023-01-01 23:00', '2023-01-03 23:00')");
    const rows = (await conn.runAndReadAll(`SELECT ${expr} FROM raw.e`)).getRows().map((r) => Number(r[0]));
    assert.deepEqual(rows, [0, 2]);
  });
});

describe("P001 for date differences in a compile", () => {
  it("reports through the pipeline, the same from the cache", async () => {
    const { first, second, hits } = await p001ThroughCache(
      [
      { name: "id", type: "INTEGER", nullable: false },
      { name: "ordered_at", type: "TIMESTAMP", nullable: true },
      { name: "shipped_on", type: "DATE", nullable: true },
      ],
      "SELECT\n    id,\n    date_diff('month', ordered_at, shipped_on) AS months,\n    date_diff('day', CAST(ordered_at AS DATE), shipped_on) AS days\nFROM raw.orders\n",
      "databricks",
    );
    assert.deepEqual(first, ["models/orders.sql:3:5 date_diff(month, date_trunc('month', ordered_at), date_trunc('month', shipped_on))"]);
    assert.equal(hits, 1);
    assert.deepEqual(second, first);
  });
});
