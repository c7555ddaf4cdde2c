import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { readSeedDdl } from "../../../engine/src/compile/seed-ddl.js";

const seed = readFileSync(new URL("../../../examples/shop/data/seed.sql", import.meta.url), "utf8");

test("the static DDL reader agrees with DuckDB on the example seed (names, types, nullability)", async () => {
  const ours = readSeedDdl(seed);
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  await conn.run(seed);
  for (const table of ["raw.customers", "raw.orders", "raw.payments"]) {
    const rows = (await conn.runAndReadAll(`DESCRIBE ${table}`)).getRowObjects();
    const theirs = rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type), nullable: r.null === "YES" }));
    assert.deepEqual(ours.get(table), theirs, table);
  }
  conn.closeSync();
});

test("comments, quoted names, table constraints and non-DDL statements", () => {
  const m = readSeedDdl(`
    -- a comment with CREATE TABLE nope (x int);
    CREATE TABLE IF NOT EXISTS "Raw"."Events" ("Id" BIGINT, payload JSON DEFAULT '{}', amount DECIMAL(10, 2) NOT NULL, PRIMARY KEY ("Id"));
    INSERT INTO x VALUES (1, 'a;b');
    /* block */ create or replace table plain (a int check (a > 0), b varchar collate nocase);
  `);
  assert.deepEqual(m.get("Raw.Events"), [
    { name: "Id", type: "BIGINT", nullable: false },
    { name: "payload", type: "JSON", nullable: true },
    { name: "amount", type: "DECIMAL(10, 2)", nullable: false },
  ]);
  assert.deepEqual(m.get("plain"), [
    { name: "a", type: "INT", nullable: true },
    { name: "b", type: "VARCHAR", nullable: true },
  ]);
  assert.ok(m.has("main.plain"));
  assert.equal(m.has("nope"), false);
});
