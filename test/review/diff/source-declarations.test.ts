import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { schemaDeclarations, seedDeclarations, SourceDeclarations } from "../../../review/src/diff/source-declarations.js";
import type { ChangedFile } from "../../../review/src/report/types.js";

const SEED = [
  "-- CREATE TABLE raw.ignored (x INT);",
  "CREATE SCHEMA raw;",
  "CREATE TABLE raw.orders (",
  "    id           BIGINT NOT NULL,",
  "    amount       DECIMAL(18, 2),   -- the comma inside the type is not a column",
  '    "Status"     VARCHAR DEFAULT \'new, unpaid\',',
  "    PRIMARY KEY (id)",
  ");",
  "create table customers (id INTEGER, email VARCHAR);",
  "INSERT INTO raw.orders VALUES (1, 2.5, 'x');",
].join("\n");

const changed = (file: string, role: ChangedFile["role"], lines: number[]): ChangedFile => ({
  path: file,
  projectPath: file,
  status: "modified",
  headRanges: lines.map((l) => ({ start: l, end: l })),
  binary: false,
  role,
});

describe("where seed and schema files declare a source column", () => {
  it("reads a seed's CREATE TABLE column lists: names at their line and column, constraints and comments left out", () => {
    const d = seedDeclarations(SEED);
    assert.deepEqual(
      [...d].map(([k, v]) => [k, v.line, v.col]),
      [
        ["raw.orders.id", 4, 5],
        ["raw.orders.amount", 5, 5],
        ["raw.orders.status", 6, 5],
        ["customers.id", 9, 25],
        ["main.customers.id", 9, 25],
        ["customers.email", 9, 37],
        ["main.customers.email", 9, 37],
      ],
    );
  });

  it("reads a schema file's columns under their table, the declaration running to the column's closing brace", () => {
    const json = JSON.stringify({ tables: { "raw.orders": [{ name: "id", type: "BIGINT" }, { name: "amount", type: "DECIMAL(18,2)" }], "raw.x": [{ name: "id", type: "INT" }] } }, null, 2);
    const d = schemaDeclarations(json);
    const lines = json.split("\n");
    const lineOf = (needle: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
    assert.deepEqual(d.get("raw.orders.amount"), { line: lineOf('"name": "amount"'), col: 9, endLine: lineOf("}", lineOf('"name": "amount"')) });
    assert.equal(d.get("raw.x.id")?.line, lineOf('"name": "id"', lineOf('"raw.x"')));
    assert.equal(schemaDeclarations("{ not json").size, 0);
  });

  it("says where the merge-base declared a column, in a seed or schema file the PR changed or deleted; never in one it added", () => {
    const files = { base: new Map<string, string | null>([["data/seed.sql", SEED], ["schemas/old.json", JSON.stringify({ tables: { "raw.gone": [{ name: "x", type: "INT" }] } })]]), head: new Map<string, string | null>([["data/seed.sql", SEED.replace(/ {4}amount.*\n/, "")]]) };
    const at = new SourceDeclarations([changed("data/seed.sql", "seed", [5]), { ...changed("schemas/old.json", "schema", []), status: "deleted" }], files);
    assert.deepEqual(at.removedAt("raw.orders", "AMOUNT"), { file: "data/seed.sql", line: 5 });
    assert.deepEqual(at.removedAt("RAW.GONE", "x"), { file: "schemas/old.json", line: 1 });
    assert.equal(at.removedAt("raw.orders", "nope"), undefined);
    const added = new SourceDeclarations([{ ...changed("data/seed.sql", "seed", [5]), status: "added" }], files);
    assert.equal(added.removedAt("raw.orders", "amount"), undefined);
  });

  it("answers only for a declaration the PR's diff changed, at the changed line", () => {
    const json = JSON.stringify({ tables: { "raw.orders": [{ name: "amount", type: "DECIMAL(10,2)" }] } }, null, 2);
    const typeLine = json.split("\n").findIndex((l) => l.includes('"type"')) + 1;
    const files = { base: new Map(), head: new Map<string, string | null>([["data/seed.sql", SEED], ["schemas/raw.json", json]]) };
    const at = new SourceDeclarations([changed("data/seed.sql", "seed", [4]), changed("schemas/raw.json", "schema", [typeLine])], files);
    assert.deepEqual(at.changedAt("RAW.ORDERS", "ID"), { file: "data/seed.sql", line: 4, col: 5, side: "head" });
    assert.equal(at.changedAt("raw.orders", "status"), undefined, "a line the PR did not change");
    assert.deepEqual(at.changedAt("raw.orders", "amount"), { file: "schemas/raw.json", line: typeLine, col: 9, side: "head" });
    assert.equal(new SourceDeclarations([{ ...changed("data/seed.sql", "seed", [4]), status: "deleted" }], files).changedAt("raw.orders", "id"), undefined);
  });
});
