import assert from "node:assert/strict";
import { test } from "node:test";
import { runModelChecks } from "../../../engine/src/checks/run-checks.js";
import { emittedRowsWindowBound } from "../../../engine/src/checks/window-bound.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { modelConfig, spanIn, T } from "./support/build-inputs.js";

/** "both" / "start" / "end" / "none": which placeholders bound every row the SQL emits. */
function bound(sql: string, dialect: "duckdb" | "snowflake" | "databricks" = "duckdb"): string {
  const parsed = parseSql(sql, dialect);
  assert.ok(parsed.query, `parses: ${sql}`);
  const b = emittedRowsWindowBound(parsed.query);
  if (b.start && b.end) return "both";
  return b.start ? "start" : b.end ? "end" : "none";
}

test("window bound: the filters that bound every emitted row", () => {
  const bounded = [
    "SELECT ts FROM t WHERE ts >= @start_date AND ts < @end_date",
    "SELECT ts FROM t WHERE @start_date <= ts AND @end_date > ts",
    "SELECT ts FROM t WHERE ts BETWEEN @start_date AND @end_date",
    "SELECT ts FROM t WHERE DATE_TRUNC('day', ts) >= CAST(@start_date AS DATE) AND ts::date < @end_date::date",
    "SELECT ts FROM t WHERE ts >= @start_date - INTERVAL 1 DAY AND ts < DATE_ADD(@end_date, INTERVAL 1 DAY)",
    "SELECT ts FROM t WHERE ts >= '@start_date' AND ts < '@end_date'",
    "SELECT a.ts FROM a JOIN b ON a.id = b.id AND a.ts >= @start_date AND a.ts < @end_date",
    "WITH w AS (SELECT * FROM t WHERE ts >= @start_date AND ts < @end_date) SELECT * FROM w",
    "SELECT * FROM (SELECT * FROM t WHERE ts >= @start_date AND ts < @end_date) s LEFT JOIN d ON s.k = d.k",
    "SELECT ts FROM t WHERE ts >= @start_date AND ts < @end_date UNION ALL SELECT ts FROM u WHERE ts BETWEEN @start_date AND @end_date",
    "SELECT ts FROM t WHERE (a >= @start_date AND a < @end_date) OR (b >= @start_date AND b < @end_date)",
    "SELECT d, COUNT(*) FROM t WHERE ts >= @start_date AND ts < @end_date GROUP BY d",
    "SELECT ts FROM t WHERE k IN (SELECT k FROM u WHERE ts >= @start_date AND ts < @end_date)",
  ];
  for (const sql of bounded) assert.equal(bound(sql), "both", sql);
  assert.equal(bound("SELECT ts FROM t WHERE ts >= DATEADD(day, -1, @start_date) AND ts < @end_date", "snowflake"), "both");
});

test("window bound: placeholders that filter no emitted row bound nothing", () => {
  const unbounded = [
    "SELECT ts, @start_date AS s, @end_date AS e FROM t",
    "WITH unused AS (SELECT * FROM t WHERE ts >= @start_date AND ts < @end_date) SELECT ts FROM t",
    "SELECT ts, (SELECT MAX(x) FROM u WHERE x >= @start_date AND x < @end_date) AS m FROM t",
    "SELECT ts FROM t WHERE ts <= @start_date AND ts > @end_date",
    "SELECT ts FROM t WHERE ts >= @start_date OR 1 = 1",
    "SELECT ts FROM t WHERE NOT (ts >= @start_date AND ts < @end_date)",
    "SELECT ts FROM t WHERE ts NOT BETWEEN @start_date AND @end_date",
    "SELECT ts FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.ts >= @start_date AND u.ts < @end_date)",
    "SELECT a.ts FROM a LEFT JOIN b ON a.id = b.id AND b.ts >= @start_date AND b.ts < @end_date",
    "SELECT * FROM generate_series(@start_date::date, @end_date::date, INTERVAL 1 DAY) g(d)",
  ];
  for (const sql of unbounded) assert.equal(bound(sql), "none", sql);
  // A UNION needs every branch; one bound alone is one side.
  assert.equal(bound("SELECT ts FROM t WHERE ts >= @start_date AND ts < @end_date UNION ALL SELECT ts FROM u"), "none");
  assert.equal(bound("SELECT ts FROM t WHERE ts >= @start_date"), "start");
  assert.equal(bound("SELECT ts FROM t WHERE ts >= @start_date AND @end_date IS NOT NULL"), "start");
});

test("an entry cached before the window bound existed (no windowChecked) keeps the old reading: any use counts", () => {
  const sql = "SELECT day FROM t WHERE day >= @start_date AND day < @end_date";
  const model = {
    name: "m",
    file: "models/m.sql",
    config: modelConfig("m", { strategy: { type: "time_interval", time_column: "day", granularity: "day" } }),
    columns: [{ name: "day", type: T.date, nullable: false, sources: [], fingerprint: "day" }],
    hasStar: false,
    parsed: true,
  } as unknown as Parameters<typeof runModelChecks>[0]["model"];
  const old = { startDate: spanIn(sql, "@start_date"), endDate: spanIn(sql, "@end_date"), projectionNamed: true };
  const codes = (syntax: Parameters<typeof runModelChecks>[0]["syntax"]) => runModelChecks({ model, sql, syntax }).map((d) => d.code).filter((c) => c !== "W005");
  assert.deepEqual(codes(old), []);
  // A current entry that computed no filtering bound is E024.
  assert.deepEqual(codes({ ...old, windowChecked: true }), ["E024"]);
});
