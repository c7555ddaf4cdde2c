import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { runTextChecks } from "../../../engine/src/checks/run-checks.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * BigQuery's DATE_TRUNC(date, WEEK) truncates to the Sunday; Snowflake's (WEEK_START 0, the
 * default), Databricks' and DuckDB's DATE_TRUNC('week', date) to the Monday. The forms differ, so
 * the call is flagged either way already; the week finding says the week start too, and offers no
 * rewrite that moves only the unit (it would truncate to another day).
 */
function findings(sql: string, dialect: DialectId, target: DialectId): Diagnostic[] {
  const r = parseSql(sql, dialect);
  assert.equal(r.error, undefined, sql);
  return runTextChecks({ model: { name: "m", file: "models/m.sql", sql, dialect }, query: r.query, comments: r.comments, target });
}

describe("P001: DATE_TRUNC to weeks between BigQuery and the others", () => {
  it("a BigQuery DATE_TRUNC(d, WEEK) says its weeks start on Sunday, with each target's Sunday, and no rewrite", () => {
    for (const target of ["snowflake", "databricks", "duckdb"] as const) {
      const [d, ...rest] = findings("SELECT DATE_TRUNC(d, WEEK) AS w FROM t", "bigquery", target);
      assert.equal(rest.length, 0, target);
      assert.match(d.message, /^DATE_TRUNC\(date, WEEK\) \(weeks from Sunday\) is not portable to /);
      assert.match(d.suggestion ?? "", /^BigQuery's WEEK starts on Sunday, .* on Monday/);
      assert.equal(d.replacement, undefined, target);
    }
    assert.match(findings("SELECT DATE_TRUNC(d, WEEK) AS w FROM t", "bigquery", "duckdb")[0].suggestion ?? "", /DATE_TRUNC\('week', date \+ INTERVAL 1 DAY\) - INTERVAL 1 DAY is the Sunday$/);
    // Other units keep the plain rewrite.
    assert.equal(findings("SELECT DATE_TRUNC(d, MONTH) AS m FROM t", "bigquery", "duckdb")[0].replacement?.text, "DATE_TRUNC('month', d)");
  });

  it("a DATE_TRUNC('week', d) for BigQuery suggests WEEK(MONDAY); other units the plain form", () => {
    for (const [dialect, sql] of [["snowflake", "SELECT DATE_TRUNC(week, d) AS w FROM t"], ["databricks", "SELECT date_trunc('WEEK', d) AS w FROM t"], ["duckdb", "SELECT date_trunc('week', d) AS w FROM t"]] as const) {
      const [d, ...rest] = findings(sql, dialect, "bigquery");
      assert.equal(rest.length, 0, dialect);
      assert.match(d.message, /^DATE_TRUNC\('week', date\) \(weeks from Monday\) is not portable to BigQuery/);
      assert.match(d.suggestion ?? "", /DATE_TRUNC\(date, WEEK\(MONDAY\)\)/);
    }
    assert.match(findings("SELECT DATE_TRUNC('month', d) AS m FROM t", "snowflake", "bigquery")[0].message, /^DATE_TRUNC\(unit, date\) with the unit first/);
  });

  it("no week finding between the Monday-week warehouses", () => {
    assert.deepEqual(findings("SELECT DATE_TRUNC('week', d) AS w FROM t", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT date_trunc('week', d) AS w FROM t", "duckdb", "snowflake"), []);
  });
});

describe("DuckDB's week truncation, in DuckDB itself", () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
  });
  after(() => conn?.closeSync());
  const day = async (sql: string) => String((await conn.runAndReadAll(`SELECT CAST(CAST(${sql} AS DATE) AS VARCHAR)`)).getRows()[0][0]);

  it("starts weeks on Monday; the suggestion's spelling gives BigQuery's Sunday", async () => {
    // 2023-01-08 is a Sunday, 2023-01-07 a Saturday.
    assert.equal(await day("DATE_TRUNC('week', DATE '2023-01-08')"), "2023-01-02");
    const sunday = (d: string) => day(`DATE_TRUNC('week', DATE '${d}' + INTERVAL 1 DAY) - INTERVAL 1 DAY`);
    assert.equal(await sunday("2023-01-08"), "2023-01-08");
    assert.equal(await sunday("2023-01-07"), "2023-01-01");
    assert.equal(await sunday("2023-01-09"), "2023-01-08");
  });
});
