import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import { loadSeed, seedRelations, seedTablesMissing } from "../../../engine/src/run/index.js";

const SHOP_SEED = readFileSync(new URL("../../../examples/shop/data/seed.sql", import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "rocky-seed-"));
let db: WarehouseAdapter;
before(async () => {
  db = await createDuckDbAdapter({ path: join(dir, "wh.duckdb") });
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe("loadSeed: data/seed.sql into a warehouse, as a re-load", () => {
  it("the example seed loads twice: its tables are re-created, their rows there once", async () => {
    const first = await loadSeed(db, SHOP_SEED);
    assert.deepEqual(first.diagnostics, []);
    assert.deepEqual(first.value.created, ["raw.customers", "raw.orders", "raw.payments"]);
    const again = await loadSeed(db, SHOP_SEED);
    assert.deepEqual(again.diagnostics, [], "a second load is not 'table already exists'");
    assert.equal(await count("raw.customers"), 3);
    assert.equal(await count("raw.orders"), 5);
  });

  it("CREATE SCHEMA without IF NOT EXISTS, CREATE TABLE IF NOT EXISTS and views re-load too; quoted names and comments kept", async () => {
    const seed = `CREATE SCHEMA land;
-- rows the loader writes
CREATE TABLE IF NOT EXISTS land."Events" (id INTEGER, kind VARCHAR DEFAULT 'x');
INSERT INTO land."Events" VALUES (1, 'a'), (2, 'b');
CREATE VIEW land.kinds AS SELECT DISTINCT kind FROM land."Events";
CREATE OR REPLACE TEMP TABLE scratch AS SELECT 1 AS one;`;
    for (let i = 0; i < 2; i++) assert.deepEqual((await loadSeed(db, seed)).diagnostics, [], `load ${i + 1}`);
    assert.equal(await count('land."Events"'), 2, "IF NOT EXISTS would have kept the first load's rows and doubled them");
    assert.equal(await count("land.kinds"), 2);
  });

  it("a statement the warehouse rejects is R010 at the line DuckDB points at, naming the statement; the others still run", async () => {
    const seed = "CREATE SCHEMA IF NOT EXISTS r2;\n\nCREATE TABLE r2.ok (x INT);\nCREATE TABLE r2.bad (\n  x INT,\n  y BIGIN\n);\nINSERT INTO r2.ok VALUES (1);\n";
    const { value, diagnostics } = await loadSeed(db, seed);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span?.file, d.span?.line]),
      [["R010", "data/seed.sql", 6]],
    );
    assert.match(diagnostics[0].message, /^data\/seed\.sql: statement failed on the duckdb adapter "duckdb": `CREATE TABLE r2\.bad \(`: Catalog Error: Type with name BIGIN does not exist!/);
    assert.doesNotMatch(diagnostics[0].message, /\n/, "one line");
    assert.equal(value.statements, 3);
    assert.equal(await count("r2.ok"), 1);
  });

  it("a warehouse without CREATE OR REPLACE gets DROP ... IF EXISTS first", async () => {
    const ran: string[] = [];
    const plain: WarehouseAdapter = Object.assign(Object.create(db) as WarehouseAdapter, {
      capabilities: { ...db.capabilities, createOrReplace: false },
      execute: (sql: string) => {
        ran.push(sql);
        return db.execute(sql);
      },
    });
    const seed = "CREATE SCHEMA IF NOT EXISTS r3; CREATE TABLE r3.t (x INT); INSERT INTO r3.t VALUES (1)";
    for (let i = 0; i < 2; i++) assert.deepEqual((await loadSeed(plain, seed)).diagnostics, []);
    assert.equal(await count("r3.t"), 1);
    assert.deepEqual(ran.slice(0, 3), ["CREATE SCHEMA IF NOT EXISTS r3", "DROP TABLE IF EXISTS r3.t", "CREATE TABLE r3.t (x INT)"]);
  });
});

describe("seedTablesMissing: the seed's tables a warehouse does not have", () => {
  it("names the sources the seed creates and the warehouse lacks; not other sources, not loaded ones", async () => {
    const fresh = await createDuckDbAdapter();
    try {
      const sources = ["raw.orders", "raw.customers", "other.thing"];
      assert.deepEqual(await seedTablesMissing(fresh, SHOP_SEED, sources), ["raw.orders", "raw.customers"]);
      await loadSeed(fresh, SHOP_SEED);
      assert.deepEqual(await seedTablesMissing(fresh, SHOP_SEED, sources), []);
    } finally {
      await fresh.close();
    }
  });

  it("seedRelations reads names as the warehouse keys them", () => {
    assert.deepEqual(seedRelations('CREATE TABLE "Raw".Orders (id INT); create or replace view cat.s.v as select 1; CREATE TABLE plain AS SELECT 1'), [
      { schema: "Raw", table: "orders" },
      { catalog: "cat", schema: "s", table: "v" },
      { schema: "main", table: "plain" },
    ]);
  });
});
