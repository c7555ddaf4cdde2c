import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AdapterError } from "../../../engine/src/adapters/adapter-error.js";
import { createSnowflakeAdapter, type SnowflakeAdapterOptions, snowflakeError } from "../../../engine/src/adapters/snowflake-adapter.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import { branchCatalogs, createBranch, dropBranch, runProject, withDownstream } from "../../../engine/src/run/index.js";
import { openStateStore } from "../../../engine/src/state/index.js";
import { type FakeSnowflake, startFakeSnowflake } from "../../support/fake-snowflake.js";
import { fourModelDag, RAW_SEED } from "../run/support/dag.js";

const FAST = { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 };
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

let fake: FakeSnowflake;
let sf: WarehouseAdapter;
const opts = (): SnowflakeAdapterOptions => ({ id: "prod", account: "testacct", username: "tester", password: "pw", database: "DB", schema: "ANALYTICS", warehouse: "WH", accessUrl: fake.url, retry: FAST, statementTimeoutMs: 1500 });

before(async () => {
  fake = await startFakeSnowflake({
    keyUsers: { keyuser: publicKey },
    // DuckDB's information_schema.tables has no row_count/bytes: answer Snowflake's columns.
    canned: (sql) => (/information_schema\.tables/i.test(sql) ? { columns: [{ name: "ROW_COUNT", type: "fixed" }, { name: "BYTES", type: "fixed" }], rows: [[3, 4096]] } : undefined),
  });
  sf = await createSnowflakeAdapter(opts());
});
after(async () => {
  await sf.close();
  await fake.close();
});

describe("Snowflake adapter (real snowflake-sdk against the fake)", () => {
  it("runs a typed query", async () => {
    const rows = await sf.query("SELECT 42 AS answer, 'hi' AS greeting, CAST(1.25 AS DECIMAL(10,2)) AS amt, DATE '2024-01-02' AS d, TRUE AS flag, CAST(NULL AS VARCHAR) AS nothing, ? AS bound", [7]);
    assert.equal(rows.length, 1);
    const r = rows[0];
    assert.equal(r.ANSWER, 42);
    assert.equal(r.GREETING, "hi");
    assert.equal(r.AMT, 1.25);
    assert.ok(r.D instanceof Date);
    assert.equal(r.FLAG, true);
    assert.equal(r.NOTHING, null);
    assert.equal(r.BOUND, 7);
  });

  it("large results arrive in chunks and are all read", async () => {
    const rows = await sf.query("SELECT range AS id, 'row ' || range AS label FROM range(2500)");
    assert.equal(rows.length, 2500);
    assert.deepEqual(rows[2499], { ID: 2499, LABEL: "row 2499" });
    assert.ok(fake.log.some((l) => l.path.startsWith("/chunks/")), "the chunk URLs were fetched");
  });

  it("describes tables, creates, lists and drops schemas", async () => {
    await sf.execute("CREATE TABLE DB.ANALYTICS.t1 (id INTEGER NOT NULL, amount DECIMAL(10,2), name VARCHAR)");
    assert.deepEqual(await sf.describeTable({ schema: "analytics", table: "T1" }), [
      { name: "id", type: "INTEGER", nullable: false },
      { name: "amount", type: "DECIMAL(10,2)", nullable: true },
      { name: "name", type: "VARCHAR", nullable: true },
    ]);
    assert.equal(await sf.describeTable({ schema: "analytics", table: "missing" }), undefined);
    await sf.createSchema({ schema: "branch__pr_1" });
    await sf.createSchema({ schema: "branch__pr_1" });
    await sf.execute("CREATE TABLE DB.branch__pr_1.x AS SELECT 1 AS a");
    assert.deepEqual(await sf.listSchemas("branch__"), ["branch__pr_1"]);
    await sf.dropSchema({ schema: "branch__pr_1" }, { cascade: true });
    await sf.dropSchema({ schema: "branch__pr_1" }, { cascade: true });
    assert.deepEqual(await sf.listSchemas("branch__"), []);
    assert.equal(sf.qualify({ schema: "marts", table: "fct" }), "DB.marts.fct");
    assert.equal(sf.qualify({ catalog: "Other DB", schema: "marts", table: "select" }), '"Other DB".marts."select"');
  });

  it("a SQL error is an AdapterError with the statement's first line and Snowflake's code", async () => {
    await assert.rejects(sf.query("SELECT *\nFROM no_such_table"), (e: unknown) => {
      assert.ok(e instanceof AdapterError);
      assert.equal(e.kind, "sql");
      assert.equal(e.code, "002003");
      assert.equal(e.sqlState, "42S02");
      assert.match(e.message, /^snowflake adapter "prod": SQL error 002003 \(SQLSTATE 42S02\) running `SELECT \*`: SQL compilation error:/);
      return true;
    });
  });

  it("503 then success: retried, nothing lost", async () => {
    // No statement deadline here: the driver's own backoff (about 1-3 s) rides out the 503.
    const patient = await createSnowflakeAdapter({ ...opts(), statementTimeoutMs: undefined });
    fake.faults.status = { "/queries/v1/query-request": { count: 1, status: 503 } };
    const before = fake.log.length;
    const rows = await patient.query("SELECT 1 AS one");
    await patient.close();
    assert.deepEqual(rows, [{ ONE: 1 }]);
    assert.ok(fake.log.slice(before).filter((l) => l.path === "/queries/v1/query-request").length >= 2, "the request was retried");
  });

  it("a dropped connection past the statement deadline is a clear AdapterError, not re-sent", async () => {
    // Two drops: the driver's own retries (in the background) then succeed soon after the test.
    fake.faults.drop = { "/queries/v1/query-request": { count: 2 } };
    try {
      await assert.rejects(sf.query("SELECT 2 AS two"), (e: unknown) => {
        assert.ok(e instanceof AdapterError, String(e));
        assert.equal(e.kind, "connection");
        assert.match(e.message, /^snowflake adapter "prod": connection failed running `SELECT 2 AS two`: no answer within 1500 ms/);
        assert.equal(e.transient, false, "never re-sent: the statement may still run");
        return true;
      });
    } finally {
      fake.faults.drop = {};
    }
    assert.deepEqual(await sf.query("SELECT 3 AS three"), [{ THREE: 3 }], "usable again once the network is back");
  });

  it("a connection lost while a statement runs is never sent again (snowflake-sdk retried it already); a lost login and a 503 are", () => {
    // What snowflake-sdk reports once its own retries of a query-request (same request id) are spent: about 85 s.
    const hangUp = Object.assign(new Error("socket hang up"), { code: "401001" });
    const lost = snowflakeError("prod", hangUp, "INSERT INTO DB.marts.events\nSELECT * FROM (...)", "execute");
    assert.equal(lost.kind, "connection");
    assert.equal(lost.transient, false, "a new send is a new query: the INSERT may have run");
    assert.match(lost.message, /^snowflake adapter "prod": connection failed 401001 running `INSERT INTO DB\.marts\.events`: socket hang up/);
    assert.equal(snowflakeError("prod", hangUp, undefined, "connect").transient, true, "logging in again changes nothing");
    assert.equal(snowflakeError("prod", new Error("Request failed with status code 503"), "SELECT 1", "execute").transient, true, "a 503 was not taken");
  });

  it("a dynamic table names the adapter's warehouse, which Snowflake requires", async () => {
    const dyn = fourModelDag("snowflake", "DB").map((m) => (m.name === "stg_customers" ? { ...m, strategy: { type: "dynamic_table" as const, target_lag: "5 minutes" } } : m)).slice(0, 1);
    await runProject({ models: dyn, adapter: sf, trigger: "merge" });
    // The DuckDB-backed fake cannot run it; what matters is what Snowflake would get.
    assert.ok(
      fake.statements().some((s) => s.startsWith("CREATE OR REPLACE DYNAMIC TABLE DB.staging.stg_customers TARGET_LAG = '5 minutes' WAREHOUSE = WH AS\n")),
      fake.statements().filter((s) => /DYNAMIC/.test(s)).join("\n"),
    );
  });

  it("renews an expired session and polls an async (333334) query", async () => {
    fake.faults.expire = { count: 1 };
    assert.deepEqual(await sf.query("SELECT 4 AS four"), [{ FOUR: 4 }]);
    assert.ok(fake.log.some((l) => l.path === "/session/token-request"));
    fake.faults.async = { count: 1 };
    assert.deepEqual(await sf.query("SELECT 5 AS five"), [{ FIVE: 5 }]);
    assert.ok(fake.log.some((l) => /^\/queries\/.+\/result$/.test(l.path)));
  });

  it("wrong password is an auth AdapterError, not a hang or a resolved promise", async () => {
    await assert.rejects(createSnowflakeAdapter({ ...opts(), password: "WRONG" }), (e: unknown) => {
      assert.ok(e instanceof AdapterError);
      assert.equal(e.kind, "auth");
      assert.equal(e.code, "390100");
      assert.match(e.message, /authentication failed 390100.*Incorrect username or password/);
      return true;
    });
  });

  it("key-pair (JWT) login", async () => {
    const kp = await createSnowflakeAdapter({ ...opts(), username: "keyuser", password: undefined, privateKey });
    assert.deepEqual(await kp.query("SELECT 1 AS k"), [{ K: 1 }]);
    await kp.close();
  });

  it("runs a 4-model DAG, then a branch: branch tables exist, production untouched, drop removes them", async () => {
    for (const s of RAW_SEED) await sf.execute(s);
    const models = fourModelDag("snowflake", "DB");
    const prod = await runProject({ models, adapter: sf, trigger: "merge", cost: { warehouse_size: "X-Small", compute_cost_per_dbu: 3 } });
    assert.equal(prod.status, "success", JSON.stringify(prod.per_model, null, 1));
    assert.ok((prod.per_model[0].cost_usd ?? 0) > 0, "observed cost from duration × DBU/h × price");
    const prodRows = await fake.sql('SELECT * FROM "DB".marts.customer_revenue ORDER BY customer_id');
    assert.equal(prodRows.length, 2);
    const again = await runProject({ models, adapter: sf, trigger: "merge" });
    assert.equal(again.per_model[2].action, "merge");
    assert.ok(fake.statements().some((s) => /^MERGE INTO DB\.marts\.fct_orders AS rocky_tgt/.test(s)), "a real MERGE INTO on Snowflake");
    assert.deepEqual(await sf.tableStats({ schema: "marts", table: "fct_orders" }), { rows: 3, bytes: 4096 });

    const state = await openStateStore(mkdtempSync(join(tmpdir(), "rocky-sf-state-")));
    await fake.sql("ATTACH ':memory:' AS OTHERDB");
    await createBranch(sf, state, { pr: 3 }, { catalogs: [...branchCatalogs(models), "OTHERDB"] });
    assert.deepEqual(await sf.listSchemas("branch__", "OTHERDB"), ["branch__pr_3"]);
    const changed = models.map((m) => (m.name === "customer_revenue" ? { ...m, sql: `${m.sql} HAVING SUM(amount) > 10` } : m));
    const out = await runProject({ models: changed, adapter: sf, trigger: "pr", branch: "pr_3", select: withDownstream(changed, ["customer_revenue"]) });
    assert.equal(out.status, "success", JSON.stringify(out.per_model, null, 1));
    assert.deepEqual(await fake.sql('SELECT customer_id FROM "DB".branch__pr_3.customer_revenue'), [{ customer_id: 1 }]);
    assert.deepEqual(await fake.sql('SELECT * FROM "DB".marts.customer_revenue ORDER BY customer_id'), prodRows, "production untouched");
    // No scope: the branch record says which catalogs to drop it from.
    assert.deepEqual(await dropBranch(sf, state, 3), { name: "pr_3", schema: "branch__pr_3", removed: true, dropped: true });
    assert.deepEqual(await sf.listSchemas("branch__", "OTHERDB"), []);
    await state.close();
    assert.equal(await sf.describeTable({ schema: "branch__pr_3", table: "customer_revenue" }), undefined);
    assert.deepEqual(await sf.listSchemas("branch__"), []);
  });
});
