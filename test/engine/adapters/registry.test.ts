import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AdapterError, createAdapter, warehouseSourceSchemas } from "../../../engine/src/adapters/index.js";
import { openStateStore } from "../../../engine/src/state/index.js";
import { loadRockyConfig } from "../../../engine/src/project/load-rocky-config.js";
import { startFakeSnowflake } from "../../support/fake-snowflake.js";

const dir = mkdtempSync(join(tmpdir(), "rocky-registry-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("createAdapter", () => {
  it("DuckDB from rocky.toml settings: a relative path resolves against the project root", async () => {
    const a = await createAdapter({ name: "default", type: "duckdb", settings: { path: "wh.duckdb" } }, { baseDir: dir });
    assert.equal(a.type, "duckdb");
    assert.equal(a.id, "default");
    await a.execute("CREATE TABLE t AS SELECT 1 AS x");
    await a.close();
    const b = await createAdapter({ name: "default", type: "duckdb", settings: { path: join(dir, "wh.duckdb") } });
    assert.deepEqual(await b.describeTable({ schema: "main", table: "t" }), [{ name: "x", type: "INTEGER", nullable: true }], "same file");
    await b.close();
  });

  it("Snowflake with the password from the shell's env, pointed at the fake by access_url", async () => {
    const fake = await startFakeSnowflake();
    try {
      const a = await createAdapter({ name: "sf", type: "snowflake", settings: { account: "acct", user: "tester", database: "DB", schema: "S", access_url: fake.url } }, { env: { SNOWFLAKE_PASSWORD: "pw" } });
      assert.deepEqual(await a.query("SELECT 1 AS one"), [{ ONE: 1 }]);
      await a.close();
    } finally {
      await fake.close();
    }
  });

  it("a setting from an unset ${VAR} (no compile error: see load-rocky-config) stops the connection, naming the variable, the key and rocky.toml's line", async () => {
    const diagnostics: never[] = [];
    const { config } = loadRockyConfig('[adapter.sf]\ntype = "snowflake"\naccount = "acct"\nuser = "${SF_USER:-tester}"\npassword = "${SF_PASSWORD}"\n', {}, diagnostics);
    assert.deepEqual(diagnostics, []);
    // The shell's SNOWFLAKE_PASSWORD does not stand in: the project named another variable.
    await assert.rejects(createAdapter(config.adapters[0], { env: { SNOWFLAKE_PASSWORD: "pw" } }), (e: unknown) => {
      assert.ok(e instanceof AdapterError);
      assert.equal(e.kind, "config");
      assert.match(e.message, /^snowflake adapter "sf": configuration error: environment variable `SF_PASSWORD` is not set \(used by `adapter\.sf\.password`\) and has no default at rocky\.toml:5$/);
      assert.equal(e.hint, "set SF_PASSWORD, or write ${SF_PASSWORD:-default}");
      return true;
    });
  });

  it("missing settings and unsupported types are config errors naming the adapter and key", async () => {
    await assert.rejects(createAdapter({ name: "prod", type: "databricks", settings: { host: "h", http_path: "/p" } }), (e: unknown) => {
      assert.ok(e instanceof AdapterError);
      assert.equal(e.kind, "config");
      assert.match(e.message, /^databricks adapter "prod": configuration error: `token` is required in \[adapter\.prod\] \(or DATABRICKS_TOKEN\)/);
      return true;
    });
    await assert.rejects(createAdapter({ name: "default", type: "snowflake", settings: { account: "a", user: "u" } }), /`password` is required in \[adapter\]/);
    await assert.rejects(createAdapter({ name: "bq", type: "bigquery", settings: {} }), /adapter type "bigquery" cannot execute models here/);
  });
});

describe("warehouseSourceSchemas", () => {
  it("describes sources through the state store's schema cache", async () => {
    const a = await createAdapter({ name: "default", type: "duckdb", settings: {} });
    const state = await openStateStore(join(dir, "state"));
    await a.execute("CREATE SCHEMA raw");
    await a.execute("CREATE TABLE raw.orders (id INTEGER NOT NULL, amount DECIMAL(10,2))");
    const first = await warehouseSourceSchemas(a, ["RAW.orders", "raw.missing"], { state });
    assert.deepEqual(first.schemas.get("raw.orders"), [
      { name: "id", type: "INTEGER", nullable: false },
      { name: "amount", type: "DECIMAL(10,2)", nullable: true },
    ]);
    assert.deepEqual([first.fetched, first.cached, first.missing], [2, 0, ["raw.missing"]]);
    await a.execute("DROP TABLE raw.orders");
    const second = await warehouseSourceSchemas(a, ["raw.orders"], { state });
    assert.deepEqual([second.fetched, second.cached], [0, 1], "served from the cache");
    assert.equal(second.schemas.get("raw.orders")?.length, 2);
    await state.close();
    await a.close();
  });
});
