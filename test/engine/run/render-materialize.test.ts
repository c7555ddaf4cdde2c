import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AdapterCapabilities } from "../../../engine/src/adapters/warehouse-adapter.js";
import { branchSchemaName, materializeSql, planPartitions, prNumberOfSchema, renderModelSql, sanitizeBranchName } from "../../../engine/src/run/index.js";

const caps = (over: Partial<AdapterCapabilities> = {}): AdapterCapabilities => ({ describe: true, tableStats: true, merge: true, createSchema: true, clone: true, materializedView: true, dynamicTable: false, createOrReplace: true, transactions: true, ...over });
const q = (n: string) => `"${n}"`;

describe("renderModelSql", () => {
  const targets = new Map([
    ["stg_orders", '"DB"."STAGING"."stg_orders"'],
    ["dim", '"DB"."MARTS"."dim"'],
  ]);
  it("replaces bare model references by their targets, keeping the name as alias; leaves CTEs, sources, strings and comments", () => {
    const sql = "-- stg_orders in a comment\nWITH dim AS (SELECT 1 AS id)\nSELECT stg_orders.id, 'stg_orders' AS s FROM stg_orders JOIN raw.stg_orders r ON true JOIN dim USING (id);";
    const r = renderModelSql({ name: "m", file: "models/m.sql", sql, dialect: "snowflake" }, targets);
    assert.equal(r.value, "WITH dim AS (SELECT 1 AS id)\nSELECT stg_orders.id, 'stg_orders' AS s FROM \"DB\".\"STAGING\".\"stg_orders\" AS stg_orders JOIN raw.stg_orders r ON true JOIN dim USING (id)");
  });
  it("keeps an explicit alias, substitutes @start_date/@end_date, inlines ephemerals", () => {
    const r = renderModelSql(
      { name: "m", file: "models/m.sql", sql: "SELECT * FROM stg_orders AS o JOIN eph ON true WHERE ts >= @start_date AND ts < @end_date", dialect: "duckdb" },
      targets,
      { params: { start_date: "DATE '2026-01-01'", end_date: "DATE '2026-01-02'" }, inline: new Map([["eph", "SELECT 1 AS one -- note"]]) },
    );
    assert.equal(r.value, "SELECT * FROM \"DB\".\"STAGING\".\"stg_orders\" AS o JOIN (\nSELECT 1 AS one -- note\n) AS eph ON true WHERE ts >= DATE '2026-01-01' AND ts < DATE '2026-01-02'");
  });
  it("substitutes the quoted '@start_date' / '@end_date' as the bare form, and no other string", () => {
    const r = renderModelSql(
      { name: "m", file: "models/m.sql", sql: "SELECT '@start_date x' AS s FROM t WHERE ts >= '@start_date' AND ts < '@END_DATE'", dialect: "duckdb" },
      targets,
      { params: { start_date: "DATE '2026-01-01'", end_date: "DATE '2026-01-02'" } },
    );
    assert.equal(r.value, "SELECT '@start_date x' AS s FROM t WHERE ts >= DATE '2026-01-01' AND ts < DATE '2026-01-02'");
  });
  it("a model that does not parse is R001 at its line, no SQL", () => {
    const r = renderModelSql({ name: "m", file: "models/m.sql", sql: "SELECT\n  FROM FROM", dialect: "duckdb" }, targets);
    assert.equal(r.value, undefined);
    assert.equal(r.diagnostics[0].code, "R001");
    assert.equal(r.diagnostics[0].span?.file, "models/m.sql");
    assert.equal(r.diagnostics[0].span?.line, 2);
  });
});

describe("materializeSql", () => {
  const base = { target: "t.x", select: "SELECT 1 AS id, 2 AS v", targetExists: true, quoteIdent: q, columns: ["id", "v"] };
  it("MERGE INTO on Snowflake with explicit columns; UPDATE SET * on Databricks without them", () => {
    const sf = materializeSql({ ...base, strategy: { type: "merge", unique_key: ["id"] }, dialect: "snowflake", capabilities: caps() });
    assert.equal(sf.statements.length, 1);
    assert.match(sf.statements[0], /^MERGE INTO t\.x AS rocky_tgt\nUSING \(\nSELECT 1 AS id, 2 AS v\n\) AS rocky_src\nON rocky_tgt\."id" = rocky_src\."id"\nWHEN MATCHED THEN UPDATE SET "v" = rocky_src\."v"\nWHEN NOT MATCHED THEN INSERT \("id", "v"\) VALUES \(rocky_src\."id", rocky_src\."v"\)$/);
    const dbx = materializeSql({ ...base, columns: undefined, strategy: { type: "merge", unique_key: ["id"] }, dialect: "databricks", capabilities: caps() });
    assert.match(dbx.statements[0], /UPDATE SET \*\nWHEN NOT MATCHED THEN INSERT \*$/);
  });
  it("Snowflake merge with unknown columns falls back to delete + insert instead of failing", () => {
    const p = materializeSql({ ...base, columns: [], strategy: { type: "merge", unique_key: ["id"] }, dialect: "snowflake", capabilities: caps() });
    assert.equal(p.transactional, true);
    assert.match(p.statements[0], /^DELETE FROM t\.x WHERE \("id"\) IN/);
  });

  it("DuckDB merge is delete + insert in a transaction; first run is a CTAS", () => {
    const d = materializeSql({ ...base, strategy: { type: "merge", unique_key: ["id"] }, dialect: "duckdb", capabilities: caps({ merge: false }) });
    assert.equal(d.transactional, true);
    assert.match(d.statements[0], /^DELETE FROM t\.x WHERE \("id"\) IN/);
    assert.match(d.statements[1], /^INSERT INTO t\.x/);
    const first = materializeSql({ ...base, targetExists: false, strategy: { type: "merge", unique_key: ["id"] }, dialect: "duckdb", capabilities: caps({ merge: false }) });
    assert.deepEqual(first.statements, ["CREATE OR REPLACE TABLE t.x AS\nSELECT 1 AS id, 2 AS v\n"]);
  });
  it("views, materialized views and dynamic tables per dialect, with a stated fallback", () => {
    assert.match(materializeSql({ ...base, strategy: { type: "view" }, dialect: "duckdb", capabilities: caps() }).statements[0], /^CREATE OR REPLACE VIEW t\.x AS/);
    assert.match(materializeSql({ ...base, strategy: { type: "materialized_view" }, dialect: "databricks", capabilities: caps() }).statements[0], /^CREATE OR REPLACE MATERIALIZED VIEW/);
    const mv = materializeSql({ ...base, strategy: { type: "materialized_view" }, dialect: "duckdb", capabilities: caps({ materializedView: false }) });
    assert.match(mv.statements[0], /^CREATE OR REPLACE TABLE/);
    assert.match(mv.fallback ?? "", /no materialized views/);
    const dt = materializeSql({ ...base, strategy: { type: "dynamic_table", target_lag: "5 minutes" }, dialect: "snowflake", capabilities: caps({ dynamicTable: true }), warehouse: "WH" });
    assert.match(dt.statements[0], /^CREATE OR REPLACE DYNAMIC TABLE t\.x TARGET_LAG = '5 minutes' WAREHOUSE = "WH" AS/);
    assert.deepEqual(materializeSql({ ...base, strategy: { type: "ephemeral" }, dialect: "duckdb", capabilities: caps() }).statements, []);
  });
  it("delete_insert replaces the partitions the new rows touch; time_interval replaces one partition", () => {
    const di = materializeSql({ ...base, strategy: { type: "delete_insert", partition_by: ["day"] }, dialect: "snowflake", capabilities: caps() });
    assert.match(di.statements[0], /^DELETE FROM t\.x WHERE \("day"\) IN \(SELECT DISTINCT "day" FROM/);
    const ti = materializeSql({ ...base, strategy: { type: "time_interval", time_column: "day", granularity: "day" }, dialect: "duckdb", capabilities: caps(), partition: { start: "DATE '2026-01-01'", end: "DATE '2026-01-02'" } });
    assert.equal(ti.statements[0], `DELETE FROM t.x WHERE "day" >= DATE '2026-01-01' AND "day" < DATE '2026-01-02'`);
    // Without transactions but with Delta's REPLACE WHERE (Databricks): one atomic statement per partition.
    const delta = materializeSql({ ...base, strategy: { type: "time_interval", time_column: "day", granularity: "day" }, dialect: "databricks", capabilities: caps({ transactions: false, replaceWhere: true }), partition: { start: "DATE '2026-01-01'", end: "DATE '2026-01-02'" } });
    assert.deepEqual(delta.statements.map((s) => s.split("\n")[0]), [`INSERT INTO t.x REPLACE WHERE "day" >= DATE '2026-01-01' AND "day" < DATE '2026-01-02'`]);
    assert.equal(delta.transactional, false);
  });
});

describe("partitions and branch names", () => {
  it("plans partitions from first_partition, watermark and lookback, in batches", () => {
    const now = new Date("2026-01-05T10:00:00Z");
    assert.deepEqual(planPartitions({ granularity: "day", firstPartition: "2026-01-03", now }).map((p) => p.key), ["2026-01-03", "2026-01-04", "2026-01-05"]);
    assert.deepEqual(planPartitions({ granularity: "day", lastCompleted: "2026-01-04", lookback: 2, now }).map((p) => p.key), ["2026-01-03", "2026-01-04", "2026-01-05"]);
    const batched = planPartitions({ granularity: "hour", from: "2026-01-05T00", to: "2026-01-05T04", batchSize: 2, now });
    assert.deepEqual(batched.map((p) => [p.key, p.lastKey]), [["2026-01-05T00", "2026-01-05T01"], ["2026-01-05T02", "2026-01-05T03"], ["2026-01-05T04", "2026-01-05T04"]]);
    assert.deepEqual(planPartitions({ granularity: "month", from: "2025-11", now }).map((p) => p.key), ["2025-11", "2025-12", "2026-01"]);
    assert.throws(() => planPartitions({ granularity: "day", firstPartition: "2026-1-3", now }), /not a canonical day partition key/);
    assert.throws(() => planPartitions({ granularity: "hour", from: "2000-01-01T00", now }), /more than 10000 hour partitions/);
  });
  it("branch__<name>, sanitized; PR numbers back from schemas", () => {
    assert.equal(branchSchemaName("pr_12"), "branch__pr_12");
    assert.equal(branchSchemaName("Feature/New-Orders.v2"), "branch__feature_new_orders_v2");
    assert.equal(sanitizeBranchName("a b/c"), "a_b_c");
    assert.equal(sanitizeBranchName("x".repeat(80)).length, 64);
    assert.equal(sanitizeBranchName("///"), "branch");
    assert.equal(prNumberOfSchema("BRANCH__PR_7"), 7);
    assert.equal(prNumberOfSchema("branch__feature"), undefined);
  });
});
