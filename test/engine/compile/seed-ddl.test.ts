import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { seedSchemas } from "../../../engine/src/adapters/seed-schemas.js";
import { checkSeedDdl, readSeedDdl } from "../../../engine/src/compile/seed-ddl.js";

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

/** Valid DuckDB DDL of every kind the static reader meets; DuckDB itself runs it without an error. */
const VALID_DDL = `-- land the raw tables
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE raw.customers (id BIGINT PRIMARY KEY);
CREATE OR REPLACE TABLE raw.orders (
    id INTEGER PRIMARY KEY, -- the key
    "Customer Id" BIGINT NOT NULL REFERENCES raw.customers (id),
    amount DECIMAL(18, 2) DEFAULT 0 CHECK (amount >= 0),
    note VARCHAR(200) COLLATE nocase,
    tags VARCHAR[], grid INTEGER[3], nested INTEGER[][],
    point STRUCT(x DOUBLE, y DOUBLE), attrs MAP(VARCHAR, INTEGER), choice UNION(n INTEGER, s VARCHAR),
    kind ENUM('a', 'b'), at_tz TIMESTAMP WITH TIME ZONE, d DOUBLE PRECISION, t TIME, ts TIMESTAMP(3),
    small UTINYINT, big UHUGEINT, bits BITSTRING, dur INTERVAL, v VARIANT, s STRING, c CHARACTER VARYING(5),
    /* generated */ doubled AS (amount * 2),
    tripled DECIMAL(18, 2) GENERATED ALWAYS AS (amount * 3) VIRTUAL,
    UNIQUE (note),
    CONSTRAINT positive CHECK (id > 0),
);
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TEMP TABLE IF NOT EXISTS feelings (m mood, u UUID, j JSON, b BLOB, h HUGEINT);
CREATE TABLE raw.copy AS SELECT * FROM raw.orders;
CREATE VIEW raw.v AS SELECT 1 AS one;
INSERT INTO raw.customers VALUES (2);
INSERT INTO raw.orders (id, "Customer Id") VALUES (1, 2);
`;

test("checkSeedDdl: nothing on valid DuckDB DDL, which DuckDB runs without an error", async () => {
  assert.deepEqual(checkSeedDdl(VALID_DDL, "data/seed.sql"), []);
  const { diagnostics } = await seedSchemas(VALID_DDL);
  assert.deepEqual(diagnostics.map((d) => d.message), [], "the valid seed is valid for DuckDB too");
});

test("checkSeedDdl: what it reports, DuckDB rejects, at the same line", async () => {
  const broken = "CREATE SCHEMA raw;\nCREATE TABLE raw.orders (\n    id INTEGER NOT NULL,\n    amount_cents BIGIN,\n);\nCREATE TABLE raw.b (\n    bad bad bad,\n    ok INTEGER\n);\nCREATE TABLE raw.c (x INTEGER, y DECIMAL(18, 2);\n";
  const ours = checkSeedDdl(broken, "data/seed.sql");
  assert.deepEqual(
    ours.map((d) => [d.code, d.severity, d.span?.line]),
    [
      ["R010", "Error", 4],
      ["R010", "Error", 7],
      ["R010", "Error", 10],
    ],
  );
  assert.equal(ours[0].suggestion, "did you mean BIGINT?");
  const duck = await seedSchemas(broken);
  assert.deepEqual(
    duck.diagnostics.map((d) => d.span?.line),
    [4, 7, 10],
  );
});

test("checkSeedDdl: an empty column definition (two commas in a row) is R010 where DuckDB's parser stops; a trailing comma is valid", async () => {
  const broken = "CREATE SCHEMA raw;\nCREATE TABLE raw.a (\n    x INTEGER,,\n    y INTEGER\n);\nCREATE TABLE raw.b (\n    , z INTEGER\n);\nCREATE TABLE raw.c (w INTEGER,);\n";
  const ours = checkSeedDdl(broken, "data/seed.sql");
  assert.deepEqual(
    ours.map((d) => [d.code, `${d.span?.line}:${d.span?.col}`]),
    [
      ["R010", "3:15"],
      ["R010", "7:5"],
    ],
  );
  assert.match(ours[0].message, /the column list of raw\.a has an empty column definition \(two commas in a row\)/);
  const duck = await seedSchemas(broken);
  assert.deepEqual(
    duck.diagnostics.map((d) => d.span?.line),
    [3, 7],
  );
});
