import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { checkConcatNulls } from "../../../engine/src/checks/rules/concat-nulls.js";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { analyzeSql, type SchemaSpec } from "../analyze/support/analyze-sql.js";
import { duckdbProjectFiles } from "../../support/duckdb-project.js";
import { applyReplacement, rewritesKeepLogic } from "./support/build-inputs.js";

/**
 * DuckDB's CONCAT skips NULL arguments; Snowflake's, Databricks' and BigQuery's return NULL (and
 * Snowflake's CONCAT_WS too, where DuckDB's and Databricks' skip). A model developed on one and run
 * on the other gives other values without an error, so P001 flags the call when inference knows an
 * argument may be NULL, and offers a rewrite that means the model's result on both.
 */
const SCHEMA: SchemaSpec = { "raw.people": "id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR NOT NULL, nick VARCHAR, age INTEGER" };

function findings(sql: string, dialect: DialectId, target: DialectId | undefined, allow: readonly string[] = [], schema: SchemaSpec = SCHEMA): Diagnostic[] {
  const a = analyzeSql(sql, schema, dialect);
  return checkConcatNulls(a.nullableConcats, { model: "m", file: "models/m.sql", dialect, sql }, { target, allow });
}

const applied = applyReplacement;

describe("P001: CONCAT and NULL arguments", () => {
  it("flags a DuckDB CONCAT with nullable arguments for Snowflake, on the function's name, naming them", () => {
    const sql = "SELECT\n    CONCAT(first_name, ' ', last_name, nick) AS full_name\nFROM raw.people";
    const [d, ...rest] = findings(sql, "duckdb", "snowflake");
    assert.equal(rest.length, 0);
    assert.equal(d.code, "P001");
    assert.equal(d.severity, "Error");
    assert.deepEqual([d.span?.line, d.span?.col, d.span?.endCol], [2, 5, 11]);
    assert.match(d.message, /^CONCAT means something else on Snowflake: one NULL argument makes it NULL there, where DuckDB skips NULL arguments \(`first_name`, `nick` may be NULL\)$/);
    assert.equal(d.replacement?.text, "CONCAT(COALESCE(first_name, ''), ' ', last_name, COALESCE(nick, ''))");
  });

  it("says nothing when no argument may be NULL, when a type is unknown, or when both warehouses agree", () => {
    assert.deepEqual(findings("SELECT CONCAT(id, '-', last_name) AS k FROM raw.people", "duckdb", "snowflake"), []);
    assert.deepEqual(findings("SELECT CONCAT(id, COALESCE(nick, '')) AS k FROM raw.people", "duckdb", "snowflake"), []);
    // No schema for the source: its columns' nullability is not known.
    assert.deepEqual(findings("SELECT CONCAT(a, b) AS k FROM raw.unknown", "duckdb", "snowflake"), []);
    assert.deepEqual(findings("SELECT CONCAT(first_name, nick) AS k FROM raw.people", "duckdb", "duckdb"), []);
    assert.deepEqual(findings("SELECT CONCAT(first_name, nick) AS k FROM raw.people", "duckdb", undefined), []);
    // Databricks' and Snowflake's CONCAT both return NULL; DuckDB's and Databricks' CONCAT_WS both skip.
    assert.deepEqual(findings("SELECT CONCAT(first_name, nick) AS k FROM raw.people", "databricks", "snowflake"), []);
    assert.deepEqual(findings("SELECT CONCAT_WS('-', first_name, nick) AS k FROM raw.people", "duckdb", "databricks"), []);
  });

  it("counts a NULL literal, and writes a non-string argument as its text with the target's type name", () => {
    const sf = findings("SELECT CONCAT(id, age, NULL) AS k FROM raw.people", "duckdb", "snowflake");
    assert.equal(sf.length, 1);
    assert.match(sf[0].message, /\(`age`, `NULL` may be NULL\)/);
    assert.equal(sf[0].replacement?.text, "CONCAT(id, COALESCE(CAST(age AS VARCHAR), ''), COALESCE(CAST(NULL AS VARCHAR), ''))");
    const dbx = findings("select concat(id, age) as k from raw.people", "duckdb", "databricks");
    assert.equal(dbx[0].replacement?.text, "concat(id, coalesce(cast(age as string), ''))");
  });

  it("rewrites a Snowflake or Databricks CONCAT for DuckDB with ||, parenthesising operators", () => {
    const sql = "SELECT CONCAT(first_name, ' ', age + 1, last_name) AS k FROM raw.people";
    const [d] = findings(sql, "snowflake", "duckdb");
    assert.match(d.message, /^CONCAT means something else on DuckDB: it skips NULL arguments there, where Snowflake returns NULL when any argument is NULL \(`first_name`, `age \+ 1` may be NULL\)$/);
    assert.equal(d.replacement?.text, "first_name || ' ' || (age + 1) || last_name");
    assert.equal(findings(sql, "databricks", "duckdb")[0].replacement?.text, "first_name || ' ' || (age + 1) || last_name");
  });

  it("flags CONCAT_WS between Snowflake and the warehouses that skip NULLs, with advice and no rewrite", () => {
    const [d] = findings("SELECT CONCAT_WS('-', first_name, last_name) AS k FROM raw.people", "duckdb", "snowflake");
    assert.match(d.message, /^CONCAT_WS means something else on Snowflake/);
    assert.equal(d.replacement, undefined);
    assert.match(d.suggestion ?? "", /ARRAY_CONSTRUCT_COMPACT/);
    const [back] = findings("SELECT CONCAT_WS('-', first_name, last_name) AS k FROM raw.people", "snowflake", "databricks");
    assert.match(back.message, /^CONCAT_WS means something else on Databricks: it skips NULL arguments there/);
    // The separator alone being NULL makes every warehouse's CONCAT_WS NULL: nothing to say.
    assert.deepEqual(findings("SELECT CONCAT_WS(nick, first_name, last_name) AS k FROM raw.people", "duckdb", "snowflake").length, 1);
    assert.deepEqual(findings("SELECT CONCAT_WS(nick, id, last_name) AS k FROM raw.people", "duckdb", "snowflake"), []);
  });

  it("is silenced by [portability] allow and by a rocky-allow pragma", () => {
    const sql = "SELECT CONCAT(first_name, nick) AS k FROM raw.people";
    assert.deepEqual(findings(sql, "duckdb", "snowflake", ["concat"]), []);
    assert.deepEqual(findings(`-- rocky-allow: CONCAT\n${sql}`, "duckdb", "snowflake"), []);
    assert.equal(findings(`-- rocky-allow: ILIKE\n${sql}`, "duckdb", "snowflake").length, 1);
  });

  it("types Snowflake's CONCAT_WS and BigQuery's CONCAT as NULL when an argument is; DuckDB's CONCAT never", () => {
    const nullable = (sql: string, dialect: DialectId) => analyzeSql(sql, SCHEMA, dialect).columns[0].nullable;
    assert.equal(nullable("SELECT CONCAT_WS('-', first_name, last_name) AS k FROM raw.people", "snowflake"), true);
    assert.equal(nullable("SELECT CONCAT_WS('-', first_name, last_name) AS k FROM raw.people", "databricks"), false);
    assert.equal(nullable("SELECT CONCAT(first_name, last_name) AS k FROM raw.people", "bigquery"), true);
    assert.equal(nullable("SELECT CONCAT(first_name, last_name) AS k FROM raw.people", "duckdb"), false);
  });
});

describe("P001's CONCAT rewrites keep the model's logic", () => {
  const cases: { sql: string; dialect: DialectId; target: DialectId }[] = [
    { sql: "SELECT CONCAT(first_name, ' ', last_name) AS a, concat(id, age, nick) AS b FROM raw.people", dialect: "duckdb", target: "snowflake" },
    { sql: "SELECT CONCAT(id, age) AS a FROM raw.people", dialect: "duckdb", target: "databricks" },
    { sql: "SELECT CONCAT(first_name, ' ', age + 1) AS a FROM raw.people", dialect: "snowflake", target: "duckdb" },
    { sql: "SELECT CONCAT(first_name, nick) AS a FROM raw.people", dialect: "databricks", target: "duckdb" },
  ];
  rewritesKeepLogic(cases, SCHEMA, (sql, dialect, target) => findings(sql, dialect, target));
});

describe("P001's CONCAT rewrites in a real DuckDB", () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run("CREATE SCHEMA raw");
    await conn.run("CREATE TABLE raw.people (id INTEGER NOT NULL, first_name VARCHAR, last_name VARCHAR NOT NULL, nick VARCHAR, age INTEGER)");
    await conn.run("INSERT INTO raw.people VALUES (1, 'Ada', 'Lovelace', NULL, 36), (2, NULL, 'Hopper', 'amazing', NULL)");
  });
  after(() => conn?.closeSync());
  const rows = async (sql: string) => (await conn.runAndReadAll(`${sql} ORDER BY id`)).getRows().map((r) => r.map((v) => (v === null ? null : String(v))));

  it("a DuckDB model's rewrite returns what it returned", async () => {
    const sql = "SELECT id, CONCAT(first_name, ' ', last_name, nick) AS a, concat(id, '-', age) AS b FROM raw.people";
    let rewritten = sql;
    for (const d of findings(sql, "duckdb", "snowflake").reverse()) rewritten = applied(rewritten, d);
    assert.notEqual(rewritten, sql);
    assert.deepEqual(await rows(rewritten), await rows(sql));
    assert.deepEqual(await rows(sql), [
      ["1", "Ada Lovelace", "1-36"],
      ["2", " Hopperamazing", "2-"],
    ]);
  });

  it("a Snowflake model's rewrite returns Snowflake's NULL on DuckDB", async () => {
    const sql = "SELECT id, CONCAT(first_name, ' ', last_name) AS a FROM raw.people";
    const [d] = findings(sql, "snowflake", "duckdb");
    // Snowflake: NULL for the row whose first_name is NULL; DuckDB's own CONCAT would give ' Hopper'.
    assert.deepEqual(await rows(applied(sql, d)), [
      ["1", "Ada Lovelace"],
      ["2", null],
    ]);
  });
});

describe("P001 for CONCAT in a compile", () => {
  it("reports on the model's line through the pipeline, the same from the cache", async () => {
    const files = new Map<string, string>(Object.entries(duckdbProjectFiles([
      { name: "id", type: "INTEGER", nullable: false },
      { name: "status", type: "VARCHAR", nullable: true },
    ])));
    files.set("rocky.toml", `${files.get("rocky.toml")}\n[portability]\ntarget_dialect = "snowflake"\n`);
    files.set("models/orders.sql", "SELECT\n    id,\n    CONCAT('order-', status) AS label\nFROM raw.orders\n");
    const cache = createMemoryCompileCache();
    const first = await compileProject(files, { env: {}, vars: {}, cache });
    const second = await compileProject(files, { env: {}, vars: {}, cache });
    const p001 = (p: typeof first) => p.diagnostics.filter((d) => d.code === "P001").map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.col} ${d.replacement?.text}`);
    assert.deepEqual(p001(first), ["models/orders.sql:3:5 CONCAT('order-', COALESCE(status, ''))"]);
    assert.equal(second.timings.cache_hits, 1);
    assert.deepEqual(p001(second), p001(first));
  });
});
