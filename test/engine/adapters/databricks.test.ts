import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdapterError } from "../../../engine/src/adapters/adapter-error.js";
import { createDatabricksAdapter, type DatabricksAdapterOptions } from "../../../engine/src/adapters/databricks-adapter.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import { branchCatalogs, createBranch, dropBranch, runProject, sweepBranches, withDownstream } from "../../../engine/src/run/index.js";
import { type FakeDatabricks, startFakeDatabricks } from "../../support/fake-databricks.js";
import { makeTestCert, type TestCert } from "../../support/tls.js";
import { fourModelDag, model, RAW_SEED } from "../run/support/dag.js";

const FAST = { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 };
let cert: TestCert;
let fake: FakeDatabricks;
let dbx: WarehouseAdapter;
const opts = (): DatabricksAdapterOptions => ({ id: "lake", host: fake.host, port: fake.port, httpPath: fake.path, token: fake.token, catalog: "workspace", schema: "analytics", customCaCert: cert.cert, retry: FAST });

before(async () => {
  cert = makeTestCert();
  fake = await startFakeDatabricks({ cert, canned: (sql) => (/^DESCRIBE DETAIL .*customer_revenue/i.test(sql) ? { columns: ["format", "sizeInBytes", "numFiles"], rows: [["delta", 2048, 1]] } : undefined) });
  dbx = await createDatabricksAdapter(opts());
});
after(async () => {
  await dbx.close();
  await fake.close();
});

describe("Databricks adapter (real @databricks/sql over Thrift/HTTPS against the fake)", () => {
  it("connects over TLS with a custom CA and runs a typed query with ordinal parameters", async () => {
    const rows = await dbx.query("SELECT 42 AS answer, 'hi' AS greeting, CAST(1.25 AS DECIMAL(10,2)) AS amt, DATE '2024-01-02' AS d, TRUE AS flag, CAST(NULL AS VARCHAR) AS nothing, CAST(? AS INTEGER) + 1 AS bound", [6]);
    assert.equal(rows.length, 1);
    const r = rows[0];
    assert.equal(r.answer, 42);
    assert.equal(r.greeting, "hi");
    assert.equal(Number(r.amt), 1.25);
    assert.equal(r.flag, true);
    assert.equal(r.nothing, null);
    assert.equal(r.bound, 7);
    assert.ok(fake.calls.some((c) => c.name === "OpenSession"));
  });

  it("describes tables; creates, lists and drops schemas; quotes with backticks", async () => {
    await dbx.execute("CREATE TABLE workspace.analytics.t1 (id INTEGER NOT NULL, amount DECIMAL(10,2), name VARCHAR)");
    assert.deepEqual(await dbx.describeTable({ schema: "analytics", table: "t1" }), [
      { name: "id", type: "INTEGER", nullable: false },
      { name: "amount", type: "DECIMAL(10,2)", nullable: true },
      { name: "name", type: "VARCHAR", nullable: true },
    ]);
    assert.equal(await dbx.describeTable({ schema: "analytics", table: "nope" }), undefined);
    await dbx.createSchema({ schema: "branch__pr_8" });
    await dbx.createSchema({ schema: "branch__pr_8" });
    assert.deepEqual(await dbx.listSchemas("branch__"), ["branch__pr_8"]);
    assert.deepEqual(await sweepBranches(dbx, undefined, []), ["branch__pr_8"]);
    assert.deepEqual(await dbx.listSchemas("branch__"), []);
    assert.equal(dbx.qualify({ schema: "my-schema", table: "t" }), "workspace.`my-schema`.t");
  });

  it("a SQL error carries the Databricks error class and the statement", async () => {
    await assert.rejects(dbx.query("SELECT *\nFROM missing_table"), (e: unknown) => {
      assert.ok(e instanceof AdapterError, String(e));
      assert.equal(e.kind, "sql");
      assert.equal(e.code, "TABLE_OR_VIEW_NOT_FOUND");
      assert.match(e.message, /^databricks adapter "lake": SQL error TABLE_OR_VIEW_NOT_FOUND.* running `SELECT \*`: \[TABLE_OR_VIEW_NOT_FOUND\]/);
      return true;
    });
  });

  it("503 then success: retried within the bounded policy, nothing lost", async () => {
    fake.faults.status = { count: 2, status: 503 };
    assert.deepEqual(await dbx.query("SELECT 1 AS one"), [{ one: 1 }]);
    assert.equal(fake.faults.status.count, 0);
  });

  it("503 every time: a transient AdapterError after the bounded retries, naming the code", async () => {
    fake.faults.status = { count: 1000, status: 503 };
    try {
      await assert.rejects(dbx.query("SELECT 2 AS two"), (e: unknown) => {
        assert.ok(e instanceof AdapterError, String(e));
        assert.match(e.message, /^databricks adapter "lake": /);
        assert.match(e.message, /SELECT 2 AS two/);
        assert.match(e.message, /503/);
        assert.equal(e.kind, "transient");
        assert.equal(e.attempts, FAST.maxRetries + 1);
        return true;
      });
    } finally {
      delete fake.faults.status;
    }
    assert.deepEqual(await dbx.query("SELECT 3 AS three"), [{ three: 3 }]);
  });

  it("a dropped connection is a clear connection AdapterError after bounded retries", async () => {
    fake.faults.drop = { count: 1000 };
    try {
      await assert.rejects(dbx.query("SELECT 4 AS four"), (e: unknown) => {
        assert.ok(e instanceof AdapterError, String(e));
        assert.equal(e.kind, "connection");
        assert.match(e.message, /^databricks adapter "lake": connection failed.* running `SELECT 4 AS four`/);
        return true;
      });
    } finally {
      delete fake.faults.drop;
    }
  });

  it("the connection lost mid-run: the model fails naming it, the models not yet started are skipped, not each tried", async () => {
    const o = { dialect: "databricks" as const, catalog: "workspace", schema: "lost" };
    const models = [
      model("lost_a", "SELECT 1 AS x", { type: "full_refresh" }, [], o),
      model("lost_b", "SELECT 2 AS x", { type: "full_refresh" }, [], o),
      model("lost_c", "SELECT 3 AS x", { type: "full_refresh" }, [], o),
      model("lost_d", "SELECT x FROM lost_a", { type: "view" }, ["lost_a"], o),
    ];
    // The network goes away as lost_b's statement is sent.
    const flaky: WarehouseAdapter = Object.assign(Object.create(dbx) as WarehouseAdapter, {
      execute: (sql: string, params?: readonly unknown[]) => {
        if (/lost_b/.test(sql)) fake.faults.drop = { count: 1000 };
        return dbx.execute(sql, params);
      },
    });
    try {
      const out = await runProject({ models, adapter: flaky, trigger: "merge" });
      assert.deepEqual(
        out.per_model.map((m) => [m.model_name, m.status, m.skipped_because]),
        [
          ["lost_a", "success", undefined],
          ["lost_b", "failure", undefined],
          ["lost_c", "skipped", "lost_b"],
          ["lost_d", "skipped", "lost_b"],
        ],
      );
      assert.match(out.per_model[1].error?.message ?? "", /^databricks adapter "lake": connection failed.* running `CREATE OR REPLACE TABLE workspace\.lost\.lost_b AS`/);
      assert.match(out.per_model[2].skipped_reason ?? "", /^the warehouse could not be used after lost_b failed \(connection\)/);
      assert.equal(out.status, "partial_failure");

      // Lost from the start: the first target schema is tried, not each of them.
      const requests = () => fake.calls.filter((c) => c.name.startsWith("HTTP ")).length;
      const before = requests();
      await assert.rejects(dbx.createSchema({ catalog: "workspace", schema: "s0" }));
      const perSchema = requests() - before;
      const spread = ["s1", "s2", "s3"].map((schema, i) => model(`spread_${i}`, "SELECT 1 AS x", { type: "full_refresh" }, [], { ...o, schema }));
      const none = await runProject({ models: spread, adapter: dbx, trigger: "merge" });
      assert.deepEqual(none.per_model.map((m) => m.status), ["failure", "skipped", "skipped"]);
      assert.equal(requests() - before - perSchema, perSchema, "one schema's worth of requests");
    } finally {
      delete fake.faults.drop;
    }
  });

  it("a wrong token is an auth AdapterError", async () => {
    await assert.rejects(createDatabricksAdapter({ ...opts(), token: "dapi-wrong" }), (e: unknown) => {
      assert.ok(e instanceof AdapterError, String(e));
      assert.equal(e.kind, "auth");
      assert.match(e.message, /401/);
      return true;
    });
  });

  it("runs a 4-model DAG, then a branch: branch tables exist, production untouched, drop removes them", async () => {
    for (const s of RAW_SEED) await dbx.execute(s);
    const models = fourModelDag("databricks", "workspace");
    const prod = await runProject({ models, adapter: dbx, trigger: "merge" });
    assert.equal(prod.status, "success", JSON.stringify(prod.per_model, null, 1));
    const again = await runProject({ models, adapter: dbx, trigger: "merge" });
    assert.equal(again.status, "success", JSON.stringify(again.per_model, null, 1));
    assert.ok(fake.statements().some((s) => /^MERGE INTO workspace\.marts\.fct_orders AS rocky_tgt/.test(s)), "MERGE INTO on Databricks");
    assert.deepEqual(await dbx.tableStats({ schema: "marts", table: "customer_revenue" }), { bytes: 2048 });
    const prodRows = await fake.sql('SELECT * FROM "workspace".marts.customer_revenue ORDER BY customer_id');

    await createBranch(dbx, undefined, { pr: 11 }, { catalogs: branchCatalogs(models) });
    const changed = models.map((m) => (m.name === "stg_customers" ? { ...m, sql: m.sql.replace("UPPER(name)", "LOWER(name)") } : m));
    const select = withDownstream(changed, ["stg_customers"]);
    assert.deepEqual(select, ["stg_customers", "fct_orders", "customer_revenue"]);
    const out = await runProject({ models: changed, adapter: dbx, trigger: "pr", branch: "pr_11", select });
    assert.equal(out.status, "success", JSON.stringify(out.per_model, null, 1));
    assert.deepEqual((await fake.sql('SELECT customer_name FROM "workspace".branch__pr_11.customer_revenue ORDER BY customer_id')).map((r) => r.customer_name), ["ada", "linus"]);
    assert.deepEqual(await fake.sql('SELECT * FROM "workspace".marts.customer_revenue ORDER BY customer_id'), prodRows, "production untouched");
    assert.equal((await dropBranch(dbx, undefined, 11, { catalogs: ["workspace"] })).dropped, true);
    assert.equal(await dbx.describeTable({ schema: "branch__pr_11", table: "fct_orders" }), undefined);
    assert.deepEqual(await dbx.listSchemas("branch__"), []);
    assert.equal((await dropBranch(dbx, undefined, 11, { catalogs: ["workspace"] })).dropped, false, "a second drop finds nothing to drop");
  });
});

describe("time_interval on Databricks: one atomic INSERT INTO ... REPLACE WHERE per partition, not DELETE then INSERT", () => {
  const o = { dialect: "databricks" as const, catalog: "workspace", schema: "ti", columns: ["day", "n"] };
  const strategy = { type: "time_interval" as const, time_column: "day", granularity: "day" as const, first_partition: "2026-03-01" };
  const now = () => new Date("2026-03-02T12:00:00Z");
  const rows = async () => (await fake.sql('SELECT CAST("day" AS VARCHAR) AS day, CAST(n AS INTEGER) AS n FROM "workspace".ti.daily ORDER BY 1')).map((r) => [r.day, r.n]);

  it("replaces each partition with REPLACE WHERE on its bounds; a re-run replaces the rows instead of adding them", async () => {
    await dbx.execute("CREATE SCHEMA IF NOT EXISTS raw");
    await dbx.execute("CREATE OR REPLACE TABLE raw.events (day DATE, n INTEGER)");
    await dbx.execute("INSERT INTO raw.events VALUES (DATE '2026-03-01', 1), (DATE '2026-03-01', 2), (DATE '2026-03-02', 5)");
    const daily = model("daily", "SELECT day, SUM(n) AS n FROM raw.events WHERE day >= @start_date AND day < @end_date GROUP BY day", strategy, [], o);
    const sent = fake.statements().length;

    const first = await runProject({ models: [daily], adapter: dbx, trigger: "merge", now });
    await dbx.execute("INSERT INTO raw.events VALUES (DATE '2026-03-02', 10)");
    const second = await runProject({ models: [daily], adapter: dbx, trigger: "merge", now });

    assert.deepEqual([first.status, second.status], ["success", "success"], JSON.stringify([first.per_model, second.per_model]));
    const mine = fake.statements().slice(sent).filter((s) => /ti\.daily/.test(s) && !/^(DESCRIBE|SELECT)/i.test(s));
    assert.deepEqual(
      mine.filter((s) => /^INSERT/.test(s)).map((s) => s.split("\n")[0]),
      [
        "INSERT INTO workspace.ti.daily REPLACE WHERE day >= DATE '2026-03-01' AND day < DATE '2026-03-02'",
        "INSERT INTO workspace.ti.daily REPLACE WHERE day >= DATE '2026-03-02' AND day < DATE '2026-03-03'",
        "INSERT INTO workspace.ti.daily REPLACE WHERE day >= DATE '2026-03-01' AND day < DATE '2026-03-02'",
        "INSERT INTO workspace.ti.daily REPLACE WHERE day >= DATE '2026-03-02' AND day < DATE '2026-03-03'",
      ],
    );
    assert.ok(!mine.some((s) => /^DELETE/i.test(s)), `no DELETE: ${mine.join(" | ")}`);
    assert.deepEqual(await rows(), [
      ["2026-03-01", 3],
      ["2026-03-02", 15],
    ]);
  });

  it("a model that writes rows outside its partition fails with Delta's DELTA_REPLACE_WHERE_MISMATCH and leaves the table as it was", async () => {
    const before = await rows();
    // No filter on @start_date/@end_date: every partition's statement writes both days.
    const sloppy = model("daily", "SELECT day, SUM(n) AS n FROM raw.events GROUP BY day", strategy, [], o);

    const out = await runProject({ models: [sloppy], adapter: dbx, trigger: "merge", now });

    assert.equal(out.per_model[0].status, "failure");
    assert.match(out.per_model[0].error?.message ?? "", /DELTA_REPLACE_WHERE_MISMATCH/);
    assert.deepEqual(await rows(), before, "atomic: the partition's rows were not deleted");
  });
});
