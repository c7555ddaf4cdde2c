import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import { branchCatalogs, createBranch, dropBranch, runProject, sweepBranches, withDownstream } from "../../../engine/src/run/index.js";
import { openStateStore } from "../../../engine/src/state/index.js";
import type { StateStore } from "../../../engine/src/state/index.js";
import { fourModelDag, model, RAW_SEED } from "./support/dag.js";

const dir = mkdtempSync(join(tmpdir(), "rocky-run-"));
let db: WarehouseAdapter;
let state: StateStore;
before(async () => {
  db = await createDuckDbAdapter({ path: join(dir, "wh.duckdb") });
  for (const s of RAW_SEED) await db.execute(s);
  state = await openStateStore(join(dir, "state"));
});
after(async () => {
  await db.close();
  await state.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = async (sql: string) => (await db.query(sql)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));

describe("runProject on DuckDB", () => {
  it("a model naming another adapter, or read by one selected, is never sent to this one: the run throws before CREATE SCHEMA", async () => {
    const before = await db.listSchemas();
    const elsewhere = { ...model("snow_orders", "SELECT 1 AS x", { type: "full_refresh" }, [], { schema: "on_snow" }), adapter: { name: "snow", type: "snowflake", file: "models/snow_orders.toml", line: 2, inherited: false } };
    const reader = model("reads_snow", "SELECT x FROM snow_orders", { type: "full_refresh" }, ["snow_orders"], { schema: "on_duck" });
    for (const select of [undefined, ["reads_snow"]]) {
      await assert.rejects(
        runProject({ models: [elsewhere, reader], adapter: db, trigger: "manual", ...(select ? { select } : {}) }),
        /^ModelAdapterError: models\/snow_orders\.toml:2: model `snow_orders` names adapter "snow" \(snowflake\), but this run is on adapter "duckdb" \(duckdb\); nothing was run/,
      );
    }
    assert.deepEqual(await db.listSchemas(), before);
  });

  it("a model with an empty target schema is never sent to the warehouse: the run throws before CREATE SCHEMA", async () => {
    const before = await db.listSchemas();
    const blank = model("nowhere", "SELECT 1 AS x", { type: "full_refresh" }, [], { schema: "" });
    await assert.rejects(runProject({ models: [blank], adapter: db, trigger: "manual" }), /^Error: no target schema or table for nowhere: set \[target\] schema and table in the sidecar or in _defaults\.toml; nothing was run$/);
    assert.deepEqual(await db.listSchemas(), before);
    // In a branch the model writes to branch__<name>: its own schema is not the one created.
    const inBranch = await runProject({ models: [blank], adapter: db, trigger: "manual", branch: "blank" });
    assert.equal(inBranch.status, "success");
    await db.execute("DROP SCHEMA branch__blank CASCADE");
  });

  it("runs a 4-model DAG layer by layer, records runs with observed cost 0", async () => {
    const models = fourModelDag();
    const out = await runProject({ models, adapter: db, state, trigger: "manual", cost: { warehouse_size: "Small" } });
    assert.equal(out.status, "success", JSON.stringify(out.per_model));
    assert.deepEqual(out.per_model.map((m) => [m.model_name, m.status, m.action]), [
      ["stg_customers", "success", "create_table"],
      ["stg_orders", "success", "create_view"],
      ["fct_orders", "success", "create_table"],
      ["customer_revenue", "success", "create_table"],
    ]);
    assert.equal(out.per_model[0].target, "staging.stg_customers", "catalog `analytics` is not attached: schema.table");
    assert.equal(out.per_model[2].rows_affected, 3);
    assert.equal(out.per_model[0].cost_usd, 0);
    assert.deepEqual(await rows("SELECT customer_id, revenue::DOUBLE AS revenue FROM marts.customer_revenue ORDER BY 1"), [
      { customer_id: 1, revenue: 15.5 },
      { customer_id: 2, revenue: 7.25 },
    ]);
    const hist = state.runHistory("fct_orders");
    assert.equal(hist[0].run_id, out.run_id);
    assert.equal(hist[0].status, "success");
    assert.equal(state.latestRun()?.run_id, out.run_id);

    // Second run: merge updates changed keys and inserts new ones, without duplicates.
    await db.execute("UPDATE raw.orders SET amount = 11.00 WHERE id = 1");
    await db.execute("INSERT INTO raw.orders VALUES (4, 3, 1.00, TIMESTAMP '2026-01-03 09:00:00')");
    const again = await runProject({ models, adapter: db, state, trigger: "manual" });
    assert.equal(again.status, "success");
    assert.equal(again.per_model[2].action, "merge");
    assert.deepEqual(await rows("SELECT order_id, amount::DOUBLE AS amount FROM marts.fct_orders ORDER BY 1"), [
      { order_id: 1, amount: 11 },
      { order_id: 2, amount: 5 },
      { order_id: 3, amount: 7.25 },
      { order_id: 4, amount: 1 },
    ]);
    assert.equal(state.runHistory("fct_orders").length, 2);
  });

  it("a failed model skips its downstream; independent models still run", async () => {
    const models = [
      model("a_ok", "SELECT 1 AS x", { type: "full_refresh" }, [], { schema: "s2" }),
      model("b_bad", "SELECT no_such_column FROM raw.orders", { type: "full_refresh" }, [], { schema: "s2" }),
      model("c_down", "SELECT * FROM b_bad", { type: "full_refresh" }, ["b_bad"], { schema: "s2" }),
      model("d_down2", "SELECT * FROM c_down", { type: "view" }, ["c_down"], { schema: "s2" }),
      model("e_ok", "SELECT x + 1 AS y FROM a_ok", { type: "full_refresh" }, ["a_ok"], { schema: "s2" }),
    ];
    const out = await runProject({ models, adapter: db, state, trigger: "ci" });
    assert.equal(out.status, "partial_failure");
    const by = Object.fromEntries(out.per_model.map((m) => [m.model_name, m]));
    assert.equal(by.b_bad.status, "failure");
    assert.match(by.b_bad.error?.message ?? "", /^duckdb adapter "duckdb": SQL error Binder Error running `CREATE OR REPLACE TABLE s2\.b_bad AS`: .*no_such_column/);
    assert.equal(by.b_bad.error?.code, "Binder Error");
    assert.equal(by.c_down.status, "skipped");
    assert.equal(by.c_down.skipped_because, "b_bad");
    assert.equal(by.d_down2.status, "skipped");
    assert.equal(by.d_down2.skipped_because, "c_down");
    assert.equal(by.e_ok.status, "success");
    assert.deepEqual([out.models_succeeded, out.models_failed, out.models_skipped], [2, 1, 2]);
    assert.equal(state.runHistory("c_down")[0].status, "skipped");
    assert.match(state.runHistory("b_bad")[0].error ?? "", /no_such_column/);
  });

  it("with concurrency 2, every model still runs after its upstreams", async () => {
    const models = [
      model("c1", "SELECT 1 AS x", { type: "full_refresh" }, [], { schema: "s6" }),
      model("c2", "SELECT 2 AS x", { type: "full_refresh" }, [], { schema: "s6" }),
      model("c3", "SELECT x FROM c1 UNION ALL SELECT x FROM c2", { type: "full_refresh" }, ["c1", "c2"], { schema: "s6" }),
      model("c4", "SELECT SUM(x) AS total FROM c3", { type: "view" }, ["c3"], { schema: "s6" }),
    ];
    const out = await runProject({ models, adapter: db, trigger: "manual", concurrency: 2 });
    assert.equal(out.status, "success", JSON.stringify(out.per_model));
    assert.deepEqual(await rows("SELECT total::INTEGER AS total FROM s6.c4"), [{ total: 3 }]);
  });

  it("ephemeral models are inlined, never materialized; incremental inserts only newer rows", async () => {
    const models = [
      model("eph_orders", "SELECT id, amount, ordered_at FROM raw.orders WHERE amount > 0", { type: "ephemeral" }, [], { schema: "s3" }),
      model("inc_orders", "SELECT id, amount, ordered_at FROM eph_orders", { type: "incremental", timestamp_column: "ordered_at" }, ["eph_orders"], { schema: "s3" }),
    ];
    const first = await runProject({ models, adapter: db, trigger: "manual" });
    assert.equal(first.status, "success", JSON.stringify(first.per_model));
    assert.deepEqual(first.per_model.map((m) => m.model_name), ["inc_orders"]);
    assert.equal(await db.describeTable({ schema: "s3", table: "eph_orders" }), undefined);
    const n0 = (await rows("SELECT COUNT(*) AS n FROM s3.inc_orders"))[0].n;
    await db.execute("INSERT INTO raw.orders VALUES (5, 1, 2.00, TIMESTAMP '2027-01-01 00:00:00')");
    const second = await runProject({ models, adapter: db, trigger: "manual" });
    assert.equal(second.per_model[0].action, "insert_new_rows");
    assert.equal(second.per_model[0].rows_affected, 1);
    assert.equal((await rows("SELECT COUNT(*) AS n FROM s3.inc_orders"))[0].n, Number(n0) + 1);
  });

  it("schema drift on an incremental target rebuilds it instead of inserting misplaced columns", async () => {
    const v1 = model("drifty", "SELECT id, amount FROM raw.orders", { type: "merge", unique_key: ["id"] }, [], { schema: "s5", columns: ["id", "amount"] });
    assert.equal((await runProject({ models: [v1], adapter: db, trigger: "manual" })).status, "success");
    const v2 = { ...v1, sql: "SELECT id, customer_id, amount FROM raw.orders", columns: ["id", "customer_id", "amount"] };
    const out = await runProject({ models: [v2], adapter: db, trigger: "merge" });
    assert.equal(out.status, "success", JSON.stringify(out.per_model));
    assert.equal(out.per_model[0].action, "create_table");
    assert.match(out.per_model[0].drift?.reason ?? "", /target has columns \(id, amount\), the model produces \(id, customer_id, amount\)/);
    assert.deepEqual((await db.describeTable({ schema: "s5", table: "drifty" }))?.map((c) => c.name), ["id", "customer_id", "amount"]);
    const same = await runProject({ models: [v2], adapter: db, trigger: "merge" });
    assert.equal(same.per_model[0].action, "merge", "no drift: merge as usual");
    assert.equal(same.per_model[0].drift, undefined);
  });

  it("time_interval replaces each partition and keeps a watermark", async () => {
    const m = model(
      "daily_amounts",
      "SELECT CAST(ordered_at AS DATE) AS day, SUM(amount) AS amount FROM raw.orders WHERE ordered_at >= @start_date AND ordered_at < @end_date GROUP BY 1",
      { type: "time_interval", time_column: "day", granularity: "day", first_partition: "2026-01-01" },
      [],
      { schema: "s4" },
    );
    const out = await runProject({ models: [m], adapter: db, state, trigger: "schedule", now: () => new Date("2026-01-03T05:00:00Z") });
    assert.equal(out.status, "success", JSON.stringify(out.per_model));
    assert.deepEqual(out.per_model[0].partitions, ["2026-01-01", "2026-01-02", "2026-01-03"]);
    assert.equal(state.getWatermark("time_interval/daily_amounts")?.value, "2026-01-02", "the current day is not complete");
    const again = await runProject({ models: [m], adapter: db, state, trigger: "schedule", now: () => new Date("2026-01-04T06:00:00Z") });
    assert.deepEqual(again.per_model[0].partitions, ["2026-01-03", "2026-01-04"], "from the watermark on");
    assert.equal(state.getWatermark("time_interval/daily_amounts")?.value, "2026-01-03");
    const redo = await runProject({ models: [m], adapter: db, state, trigger: "manual", partitions: { from: "2026-01-02", to: "2026-01-02" } });
    assert.deepEqual(redo.per_model[0].partitions, ["2026-01-02"]);
    const r = await rows("SELECT CAST(day AS VARCHAR) AS day, COUNT(*) AS n FROM s4.daily_amounts GROUP BY 1 ORDER BY 1");
    assert.deepEqual(r.map((x) => [x.day, x.n]), [
      ["2026-01-01", 1],
      ["2026-01-02", 1],
      ["2026-01-03", 1],
    ], "re-running a partition replaces it, no duplicates");
  });
});

describe("an interrupted run (Ctrl-C)", () => {
  it("the model in flight finishes, no other starts, and the run is recorded with the rest skipped", async () => {
    const models = [
      model("int_a", "SELECT 1 AS x", { type: "full_refresh" }, [], { schema: "s7" }),
      model("int_b", "SELECT x + 1 AS y FROM int_a", { type: "merge", unique_key: ["y"] }, ["int_a"], { schema: "s7", columns: ["y"] }),
      model("int_c", "SELECT 3 AS z", { type: "full_refresh" }, [], { schema: "s7" }),
    ];
    const stop = new AbortController();
    // The signal arrives while int_a's statement runs.
    const interrupted: WarehouseAdapter = Object.assign(Object.create(db) as WarehouseAdapter, {
      execute: async (sql: string, params?: readonly unknown[]) => {
        const r = await db.execute(sql, params);
        if (/int_a AS/.test(sql)) stop.abort();
        return r;
      },
    });
    const out = await runProject({ models, adapter: interrupted, state, trigger: "manual", signal: stop.signal });
    assert.equal(out.interrupted, true);
    assert.deepEqual(
      out.per_model.map((m) => [m.model_name, m.status, m.skipped_reason]),
      [
        ["int_a", "success", undefined],
        ["int_b", "skipped", "the run was interrupted before this model started"],
        ["int_c", "skipped", "the run was interrupted before this model started"],
      ],
    );
    assert.deepEqual(await rows("SELECT x FROM s7.int_a"), [{ x: 1 }], "the finished model is there");
    assert.equal(await db.describeTable({ schema: "s7", table: "int_b" }), undefined);
    assert.equal(state.getRun(out.run_id)?.status, "partial_failure", "the interrupted run is in the history");
    assert.equal(state.runHistory("int_c")[0].status, "skipped");
  });

  it("a time_interval model stops between partitions: the done ones keep their watermark, the rest run next time", async () => {
    const m = model(
      "int_daily",
      "SELECT CAST(ordered_at AS DATE) AS day, COUNT(*) AS n FROM raw.orders WHERE ordered_at >= @start_date AND ordered_at < @end_date GROUP BY 1",
      { type: "time_interval", time_column: "day", granularity: "day", first_partition: "2026-01-01" },
      [],
      { schema: "s7" },
    );
    const stop = new AbortController();
    const interrupted: WarehouseAdapter = Object.assign(Object.create(db) as WarehouseAdapter, {
      execute: async (sql: string, params?: readonly unknown[]) => {
        const r = await db.execute(sql, params);
        if (/^INSERT INTO s7\.int_daily/.test(sql)) stop.abort();
        return r;
      },
    });
    const now = () => new Date("2026-01-05T00:00:00Z");
    const out = await runProject({ models: [m], adapter: interrupted, state, trigger: "schedule", now, signal: stop.signal });
    assert.equal(out.per_model[0].status, "failure");
    assert.match(out.per_model[0].error?.message ?? "", /^interrupted after partition\(s\) 2026-01-01; the others run next time/);
    assert.equal(state.getWatermark("time_interval/int_daily")?.value, "2026-01-01");
    const next = await runProject({ models: [m], adapter: db, state, trigger: "schedule", now });
    assert.deepEqual(next.per_model[0].partitions, ["2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"]);
  });
});

describe("branches on DuckDB", () => {
  it("a branch run writes changed models into branch__<name>, reads unchanged upstreams from production; drop removes the tables", async () => {
    const models = fourModelDag();
    await runProject({ models, adapter: db, state, trigger: "merge" });
    const prodBefore = await rows("SELECT * FROM marts.customer_revenue ORDER BY customer_id");

    const branch = await createBranch(db, state, { pr: 42, head_sha: "abc123" }, { catalogs: branchCatalogs(models) });
    assert.deepEqual([branch.name, branch.schema, branch.pr], ["pr_42", "branch__pr_42", 42]);
    await createBranch(db, state, { pr: 42, head_sha: "def456" });
    assert.equal(state.getBranch("pr_42")?.head_sha, "def456", "creating twice updates the head");
    assert.equal(state.getBranch("pr_42")?.created_at, branch.created_at);

    const changed = models.map((m) => (m.name === "fct_orders" ? { ...m, sql: m.sql.replace("o.amount", "o.amount * 2 AS amount") } : m));
    const select = withDownstream(changed, ["fct_orders"]);
    assert.deepEqual(select, ["fct_orders", "customer_revenue"]);
    const out = await runProject({ models: changed, adapter: db, state, trigger: "pr", branch: "pr_42", select });
    assert.equal(out.status, "success", JSON.stringify(out.per_model));
    assert.equal(out.branch_schema, "branch__pr_42");
    assert.deepEqual(out.per_model.map((m) => m.target), ["branch__pr_42.fct_orders", "branch__pr_42.customer_revenue"]);
    const branchRev = await rows("SELECT customer_id, revenue::DOUBLE AS revenue FROM branch__pr_42.customer_revenue ORDER BY 1");
    const prodRev = await rows("SELECT customer_id, revenue::DOUBLE AS revenue FROM marts.customer_revenue ORDER BY 1");
    assert.deepEqual(branchRev.map((r) => r.revenue), prodRev.map((r) => Number(r.revenue) * 2), "the branch reads production staging and doubles");
    assert.deepEqual(await rows("SELECT * FROM marts.customer_revenue ORDER BY customer_id"), prodBefore, "production untouched");
    assert.equal(await db.describeTable({ schema: "branch__pr_42", table: "stg_orders" }), undefined, "unchanged upstreams are not copied");
    assert.equal(state.runHistory("fct_orders", { branch: "pr_42" })[0].run_id, out.run_id);

    const dropped = await dropBranch(db, state, 42);
    assert.deepEqual(dropped, { name: "pr_42", schema: "branch__pr_42", removed: true, dropped: true });
    assert.equal(await db.describeTable({ schema: "branch__pr_42", table: "fct_orders" }), undefined, "tables dropped with the schema");
    assert.deepEqual(await db.listSchemas("branch__"), []);
    assert.deepEqual(await dropBranch(db, state, 42), { name: "pr_42", schema: "branch__pr_42", removed: false, dropped: false }, "dropping again is fine, and says there was nothing to drop");
  });

  it("sweepBranches drops branch__pr_* schemas whose PR is closed", async () => {
    for (const pr of [1, 2, 3]) await createBranch(db, state, { pr });
    await db.createSchema({ schema: "branch__pr_9" }); // created by an earlier bot without a record
    await createBranch(db, state, { name: "feature/x y" });
    const dropped = await sweepBranches(db, state, [2]);
    assert.deepEqual(dropped, ["branch__pr_1", "branch__pr_3", "branch__pr_9"]);
    assert.deepEqual(await db.listSchemas("branch__"), ["branch__feature_x_y", "branch__pr_2"]);
    assert.deepEqual(state.listBranches().map((b) => b.name).sort(), ["feature_x_y", "pr_2"]);
  });

  it("time_interval models fail closed in a branch, as Rocky does", async () => {
    const m = model("ti", "SELECT ordered_at FROM raw.orders WHERE ordered_at >= @start_date AND ordered_at < @end_date", { type: "time_interval", time_column: "ordered_at", granularity: "day" }, []);
    const out = await runProject({ models: [m], adapter: db, trigger: "pr", branch: "pr_5" });
    assert.equal(out.per_model[0].status, "failure");
    assert.match(out.per_model[0].error?.message ?? "", /cannot run in a branch/);
  });
});
