import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { seedSchemas } from "../../../engine/src/adapters/seed-schemas.js";
import { splitStatements } from "../../../engine/src/adapters/split-statements.js";
import { readSeedDdl } from "../../../engine/src/compile/seed-ddl.js";

describe("splitStatements", () => {
  it("splits on ; outside strings, identifiers, comments and dollar quotes, with start lines", () => {
    const sql = "-- head; comment\nCREATE TABLE a (x INT);\n\n/* ; */ INSERT INTO a VALUES (';'), ($$;$$);\nSELECT \"a;b\" FROM a\n;  -- trailing\n";
    const out = splitStatements(sql);
    assert.deepEqual(
      out.map((s) => [s.sql, s.line, s.col]),
      [
        ["CREATE TABLE a (x INT)", 2, 1],
        ["INSERT INTO a VALUES (';'), ($$;$$)", 4, 9],
        ['SELECT "a;b" FROM a', 5, 1],
      ],
    );
  });

  it("backslash escapes only when asked (Snowflake/Databricks strings)", () => {
    assert.equal(splitStatements("select 'a\\'; select 2").length, 2);
    assert.equal(splitStatements("select 'a\\'; select 2'", { backslashEscapes: true }).length, 1);
  });

  it("never throws on unterminated strings and comments", () => {
    assert.equal(splitStatements("select 'abc").length, 1);
    assert.equal(splitStatements("/* never closed").length, 0);
  });
});

describe("seedSchemas", () => {
  it("describes every table and view the example seed creates, agreeing with the static reader", async () => {
    const seed = readFileSync(new URL("../../../examples/shop/data/seed.sql", import.meta.url), "utf8");
    const { value, diagnostics } = await seedSchemas(seed);
    assert.deepEqual(diagnostics, []);
    const stat = readSeedDdl(seed);
    for (const key of ["raw.customers", "raw.orders", "raw.payments"]) assert.deepEqual(value.get(key), stat.get(key), key);
    assert.deepEqual(value.get("raw.orders")?.[0], { name: "id", type: "INTEGER", nullable: false });
  });

  it("keys are lower-case schema.table; main tables also by bare name; CTAS and views included", async () => {
    const { value } = await seedSchemas(`CREATE SCHEMA "Raw"; CREATE TABLE "Raw"."Events" (Id BIGINT NOT NULL, amt DECIMAL(10,2));
      CREATE TABLE plain AS SELECT 1 AS one, 'x' AS s; CREATE VIEW raw.v AS SELECT Id FROM "Raw"."Events";`);
    assert.deepEqual(value.get("raw.events"), [
      { name: "Id", type: "BIGINT", nullable: false },
      { name: "amt", type: "DECIMAL(10,2)", nullable: true },
    ]);
    assert.deepEqual(value.get("main.plain")?.map((c) => c.type), ["INTEGER", "VARCHAR"]);
    assert.ok(value.has("plain"));
    assert.deepEqual(value.get("raw.v")?.map((c) => c.name), ["Id"]);
  });

  it("a failing statement is a diagnostic at its line in data/seed.sql; later statements still run", async () => {
    const seed = "CREATE SCHEMA raw;\n\nCREATE TABLE raw.a (x INT);\nINSERT INTO raw.a\n  SELECT * FROM raw.missing;\nCREATE TABLE raw.b (y VARCHAR);\nCREAT TABLE raw.c (z INT);\n";
    const { value, diagnostics } = await seedSchemas(seed);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span?.file, d.span?.line]),
      [
        ["R010", "data/seed.sql", 5],
        ["R010", "data/seed.sql", 7],
      ],
    );
    assert.match(diagnostics[0].message, /raw\.missing|missing/);
    assert.ok(value.has("raw.a"));
    assert.ok(value.has("raw.b"), "statements after a failure still run");
    assert.equal(value.has("raw.c"), false);
  });
});
