import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { nullsFirstByDefault } from "../../../engine/src/analyze/null-order.js";
import { checkWindowNullOrder } from "../../../engine/src/checks/rules/window-null-order.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { analyzeSql, type SchemaSpec } from "../analyze/support/analyze-sql.js";
import { applyReplacement, rewritesKeepLogic } from "./support/build-inputs.js";
import { p001ThroughCache } from "./support/compile-fixture.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { duckdbProjectFiles } from "../../support/duckdb-project.js";

/**
 * Where NULLs go in an ORDER BY key that says neither NULLS FIRST nor NULLS LAST is the warehouse's
 * default: Snowflake's NULLs are the highest value, Databricks' and BigQuery's the lowest, DuckDB's
 * always last. A Snowflake `ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1` keeps
 * the row whose updated_at is NULL; on Databricks it keeps the latest date. P001 flags such a key
 * where inference knows it may be NULL, with the model's own default written out.
 */
const SCHEMA: SchemaSpec = { "raw.events": "id INTEGER NOT NULL, updated_at TIMESTAMP, created_at TIMESTAMP NOT NULL, amount INTEGER" };

function findings(sql: string, dialect: DialectId, target: DialectId | undefined, allow: readonly string[] = [], schema: SchemaSpec = SCHEMA): Diagnostic[] {
  const a = analyzeSql(sql, schema, dialect);
  return checkWindowNullOrder(a.windowNullOrders, { model: "m", file: "models/m.sql", dialect, sql }, { target, allow });
}

const applied = applyReplacement;

const LATEST = "SELECT id, updated_at\nFROM raw.events\nQUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1";

describe("P001: NULL order in a row-picking window", () => {
  it("flags a Snowflake ROW_NUMBER over a nullable descending key for Databricks, on the ORDER BY item, with Snowflake's NULLS FIRST", () => {
    const [d, ...rest] = findings(LATEST, "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.equal(d.code, "P001");
    assert.deepEqual([d.span?.line, d.span?.col, d.span?.endLine, d.span?.endCol], [3, 53, 3, 68]);
    assert.equal(d.message, "ROW_NUMBER picks another row on Databricks: NULLs sort last there in a descending order, first on Snowflake (`updated_at` may be NULL)");
    assert.equal(d.replacement?.text, "updated_at DESC NULLS FIRST");
    assert.match(d.suggestion ?? "", /^write NULLS FIRST to keep Snowflake's order on Databricks/);
  });

  it("flags each direction where the two defaults differ, and only there", () => {
    const asc = "SELECT id, FIRST_VALUE(amount) OVER (PARTITION BY id ORDER BY updated_at) AS first_amount FROM raw.events";
    const desc = "SELECT id, LAG(amount) OVER (PARTITION BY id ORDER BY updated_at DESC) AS prev FROM raw.events";
    const count = (sql: string, dialect: DialectId, target: DialectId) => findings(sql, dialect, target).length;
    // Ascending: last on Snowflake and DuckDB, first on Databricks and BigQuery.
    assert.equal(count(asc, "snowflake", "databricks"), 1);
    assert.equal(count(asc, "snowflake", "bigquery"), 1);
    assert.equal(count(asc, "duckdb", "databricks"), 1);
    assert.equal(count(asc, "snowflake", "duckdb"), 0);
    assert.equal(count(asc, "databricks", "bigquery"), 0);
    // Descending: first on Snowflake, last on the others.
    assert.equal(count(desc, "snowflake", "duckdb"), 1);
    assert.equal(count(desc, "databricks", "snowflake"), 1);
    assert.equal(count(desc, "duckdb", "databricks"), 0);
    assert.equal(count(desc, "bigquery", "duckdb"), 0);
    const [back] = findings(asc, "databricks", "snowflake");
    assert.equal(back.message, "FIRST_VALUE picks another row on Snowflake: NULLs sort last there in an ascending order, first on Databricks (`updated_at` may be NULL)");
    assert.equal(back.replacement?.text, "updated_at NULLS FIRST");
    assert.equal(findings(asc.toLowerCase(), "duckdb", "bigquery")[0].replacement?.text, "updated_at nulls last");
  });

  it("flags the row picked through a subquery's WHERE, RANK and DENSE_RANK, and a named window's key once", () => {
    const sub = "SELECT id FROM (SELECT id, RANK() OVER (PARTITION BY id ORDER BY updated_at DESC) AS rk FROM raw.events) WHERE rk = 1";
    assert.equal(findings(sub, "snowflake", "databricks")[0].message.startsWith("RANK picks another row on Databricks"), true);
    const named = "SELECT id, DENSE_RANK() OVER w AS r, LEAD(amount) OVER w AS nxt FROM raw.events WINDOW w AS (PARTITION BY id ORDER BY amount DESC)";
    const ds = findings(named, "snowflake", "bigquery");
    assert.equal(ds.length, 1);
    assert.equal(ds[0].replacement?.text, "amount DESC NULLS FIRST");
  });

  it("says nothing for a NOT NULL key, a key filtered to NOT NULL, an unknown type, a written NULLS FIRST/LAST, or a window that picks no row", () => {
    assert.deepEqual(findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY created_at DESC) = 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.events WHERE updated_at IS NOT NULL QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.other QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC NULLS LAST) = 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id, SUM(amount) OVER (PARTITION BY id) AS total FROM raw.events", "snowflake", "databricks"), []);
    // An earlier key already puts the NULLs on one side, whatever the warehouse.
    assert.deepEqual(findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY (CASE WHEN updated_at IS NOT NULL THEN 1 ELSE 0 END) DESC, updated_at) = 1", "snowflake", "databricks"), []);
    // Only the model's own ORDER BY, which orders no table: not flagged.
    assert.deepEqual(findings("SELECT id, updated_at FROM raw.events ORDER BY updated_at DESC", "snowflake", "databricks"), []);
    assert.deepEqual(findings(LATEST, "snowflake", "snowflake"), []);
    assert.deepEqual(findings(LATEST, "snowflake", undefined), []);
  });

  it("flags a nullable second key; an expression is left alone (its nullability is often assumed, e.g. a CAST of a column of unknown type)", () => {
    const ds = findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY created_at DESC, amount DESC) = 1", "snowflake", "databricks");
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /\(`amount` may be NULL\)$/);
    assert.equal(ds[0].replacement?.text, "amount DESC NULLS FIRST");
    assert.deepEqual(findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY created_at DESC, amount + 1 DESC) = 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.events QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY CAST(amount AS DOUBLE) DESC) = 1", "snowflake", "databricks"), []);
  });

  it("one finding per window: its nullable keys together, the rewrite writing each one's default; only the keys whose default differs", () => {
    const schema: SchemaSpec = { "raw.loads": "id INTEGER NOT NULL, dt DATE, load_ts TIMESTAMP, source_file VARCHAR" };
    const sql = "select *\nfrom raw.loads\nqualify row_number() over (partition by id order by dt desc, load_ts desc, source_file desc) = 1";
    const [d, ...rest] = findings(sql, "databricks", "snowflake", [], schema);
    assert.equal(rest.length, 0);
    assert.equal(d.message, "ROW_NUMBER picks another row on Snowflake: NULLs sort first there in a descending order, last on Databricks (`dt`, `load_ts`, `source_file` may be NULL)");
    assert.deepEqual([d.span?.line, d.span?.col, d.span?.endCol], [3, 53, 92]);
    assert.equal(d.replacement?.text, "dt desc nulls last, load_ts desc nulls last, source_file desc nulls last");
    // Databricks to DuckDB: descending keys agree (NULLs last on both), the ascending one does not.
    const mixed = "SELECT id FROM raw.loads QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY dt DESC, load_ts) = 1";
    const [m] = findings(mixed, "databricks", "duckdb", [], schema);
    assert.match(m.message, /\(`load_ts` may be NULL\)$/);
    assert.equal(m.replacement?.text, "load_ts NULLS FIRST");
    const [both] = findings(mixed, "databricks", "snowflake", [], schema);
    assert.match(both.message, /NULLs sort at the other end there, in Databricks' order \(`dt`, `load_ts` may be NULL\)$/);
    assert.equal(both.replacement?.text, "dt DESC NULLS LAST, load_ts NULLS FIRST");
    assert.match(both.suggestion ?? "", /^write NULLS LAST \/ NULLS FIRST to keep Databricks' order on Snowflake/);
  });

  it("flags a running aggregate over a nullable key: each row's value counts the rows sorted before it", () => {
    const running = "SELECT id, SUM(amount) OVER (PARTITION BY id ORDER BY updated_at) AS running FROM raw.events";
    const [d, ...rest] = findings(running, "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.equal(d.message, "a running SUM gives other values on Databricks: NULLs sort first there in an ascending order, last on Snowflake (`updated_at` may be NULL)");
    assert.equal(d.replacement?.text, "updated_at NULLS LAST");
    assert.match(d.suggestion ?? "", /so the model computes the same values there: updated_at NULLS LAST$/);
    // A sliding frame depends on the order too; the whole partition does not; nor does a NOT NULL key.
    assert.equal(findings("SELECT id, AVG(amount) OVER (ORDER BY updated_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS avg3 FROM raw.events", "snowflake", "databricks").length, 1);
    assert.deepEqual(findings("SELECT id, SUM(amount) OVER (ORDER BY updated_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total FROM raw.events", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id, SUM(amount) OVER (ORDER BY created_at) AS running FROM raw.events", "snowflake", "databricks"), []);
    // Where both put NULLs at the same end, nothing.
    assert.deepEqual(findings(running, "snowflake", "duckdb"), []);
  });

  it("flags an aggregate ordered inside the call or WITHIN GROUP by a nullable key, and DuckDB's first(x ORDER BY k)", () => {
    const [listagg, ...rest] = findings("SELECT id, LISTAGG(CAST(amount AS VARCHAR), ',') WITHIN GROUP (ORDER BY updated_at) AS amounts FROM raw.events GROUP BY id", "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.equal(listagg.message, "LISTAGG puts its values in another order on Databricks: NULLs sort first there in an ascending order, last on Snowflake (`updated_at` may be NULL)");
    assert.equal(listagg.replacement?.text, "updated_at NULLS LAST");
    assert.match(listagg.suggestion ?? "", /so the model computes the same values there/);
    const [agg] = findings("SELECT id, string_agg(CAST(amount AS VARCHAR), ',' ORDER BY updated_at DESC) AS amounts FROM raw.events GROUP BY id", "duckdb", "snowflake");
    assert.equal(agg.message.startsWith("STRING_AGG puts its values in another order on Snowflake"), true);
    assert.equal(agg.replacement?.text, "updated_at DESC NULLS LAST");
    const [first] = findings("SELECT id, first(amount ORDER BY updated_at) AS first_amount FROM raw.events GROUP BY id", "duckdb", "databricks");
    assert.equal(first.message.startsWith("FIRST picks another row on Databricks"), true);
    // A percentile's ORDER BY is its value (NULLs are skipped), a NOT NULL key or a written NULLS is no finding.
    assert.deepEqual(findings("SELECT id, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY amount) AS median FROM raw.events GROUP BY id", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id, LISTAGG(CAST(amount AS VARCHAR), ',') WITHIN GROUP (ORDER BY created_at) AS a FROM raw.events GROUP BY id", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id, LISTAGG(CAST(amount AS VARCHAR), ',') WITHIN GROUP (ORDER BY updated_at NULLS FIRST) AS a FROM raw.events GROUP BY id", "snowflake", "databricks"), []);
  });

  it("is silenced by [portability] allow and by a rocky-allow pragma naming the function", () => {
    assert.deepEqual(findings(LATEST, "snowflake", "databricks", ["row_number"]), []);
    assert.deepEqual(findings(`-- rocky-allow: ROW_NUMBER\n${LATEST}`, "snowflake", "databricks"), []);
    assert.equal(findings(`-- rocky-allow: RANK\n${LATEST}`, "snowflake", "databricks").length, 1);
  });
});

describe("P001's NULL order rewrites keep the model's logic", () => {
  const cases: { sql: string; dialect: DialectId; target: DialectId }[] = [
    { sql: "SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) AS rn, LAG(amount) OVER (ORDER BY amount) AS prev FROM raw.events", dialect: "snowflake", target: "databricks" },
    { sql: "select id, first_value(amount) over (partition by id order by updated_at) as a from raw.events", dialect: "duckdb", target: "bigquery" },
    { sql: "SELECT id, RANK() OVER (ORDER BY updated_at DESC) AS r FROM raw.events", dialect: "databricks", target: "snowflake" },
    { sql: "SELECT id, SUM(amount) OVER (PARTITION BY id ORDER BY updated_at) AS running FROM raw.events", dialect: "snowflake", target: "bigquery" },
    { sql: "SELECT id, LISTAGG(CAST(amount AS VARCHAR), ',') WITHIN GROUP (ORDER BY updated_at DESC) AS a FROM raw.events GROUP BY id", dialect: "snowflake", target: "databricks" },
    { sql: "select id, array_agg(amount order by updated_at) as a from raw.events group by id", dialect: "duckdb", target: "databricks" },
  ];
  rewritesKeepLogic(cases, SCHEMA, (sql, dialect, target) => findings(sql, dialect, target));

  it("a written NULLS placement other than the default is still a change", () => {
    const fp = (sql: string, d: DialectId) => analyzeSql(sql, SCHEMA, d).columns[1].fingerprint;
    const plain = "SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at DESC) AS rn FROM raw.events";
    assert.equal(fp(plain.replace("DESC", "DESC NULLS FIRST"), "snowflake"), fp(plain, "snowflake"));
    assert.notEqual(fp(plain.replace("DESC", "DESC NULLS LAST"), "snowflake"), fp(plain, "snowflake"));
    assert.equal(fp(plain.replace("DESC", "DESC NULLS LAST"), "duckdb"), fp(plain, "duckdb"));
  });
});

describe("DuckDB's NULL order, in DuckDB itself", () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run("CREATE TABLE e (id INTEGER, updated_at TIMESTAMP)");
    await conn.run("INSERT INTO e VALUES (1, TIMESTAMP '2024-01-01'), (1, NULL), (1, TIMESTAMP '2024-02-01')");
    await conn.run("CREATE TABLE r AS SELECT * FROM (VALUES (TIMESTAMP '2024-01-01', 10), (NULL, 5), (TIMESTAMP '2024-02-01', 20)) t(updated_at, amount)");
  });
  after(() => conn?.closeSync());
  const picked = async (order: string) => (await conn.runAndReadAll(`SELECT CAST(updated_at AS VARCHAR) FROM e QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ${order}) = 1`)).getRows()[0][0];

  it("puts NULLs last ascending and descending, as nullsFirstByDefault says", async () => {
    assert.equal(nullsFirstByDefault("duckdb", true), false);
    assert.equal(nullsFirstByDefault("duckdb", false), false);
    assert.equal(await picked("updated_at DESC"), "2024-02-01 00:00:00");
    assert.equal(await picked("updated_at"), "2024-01-01 00:00:00");
    assert.equal(await picked("updated_at DESC NULLS LAST"), await picked("updated_at DESC"));
    assert.equal(await picked("updated_at NULLS LAST"), await picked("updated_at"));
  });

  it("keeps a Snowflake model's row with the rewrite: DESC NULLS FIRST picks the NULL, as Snowflake's default does", async () => {
    const [d] = findings(LATEST, "snowflake", "duckdb");
    assert.equal(d.replacement?.text, "updated_at DESC NULLS FIRST");
    assert.equal(await picked(d.replacement.text), null);
  });

  it("gives a running SUM other values where the NULL sorts at the other end, and the Databricks rewrite keeps Databricks' values", async () => {
    const totals = async (order: string) => (await conn.runAndReadAll(`SELECT CAST(SUM(amount) OVER (ORDER BY ${order}) AS INTEGER) FROM r ORDER BY amount`)).getRows().map((row) => row[0]);
    // Rows by amount (5: the NULL, 10, 20): NULLs first counts the 5 into every other total.
    assert.deepEqual(await totals("updated_at NULLS FIRST"), [5, 15, 35]);
    assert.deepEqual(await totals("updated_at NULLS LAST"), [35, 10, 30]);
    const [d] = findings("SELECT SUM(amount) OVER (ORDER BY updated_at) AS running FROM raw.events", "databricks", "duckdb");
    assert.equal(d.replacement?.text, "updated_at NULLS FIRST");
    assert.deepEqual(await totals(d.replacement.text), await totals("updated_at NULLS FIRST"));
    assert.notDeepEqual(await totals("updated_at"), await totals(d.replacement.text));
  });

  it("orders an ordered aggregate's values by where the NULL key sorts", async () => {
    const agg = async (order: string) => (await conn.runAndReadAll(`SELECT string_agg(CAST(amount AS VARCHAR), ',' ORDER BY ${order}) FROM r`)).getRows()[0][0];
    assert.equal(await agg("updated_at NULLS FIRST"), "5,10,20");
    assert.equal(await agg("updated_at"), "10,20,5");
  });
});

describe("P001 for NULL order in a compile", () => {
  it("reports through the pipeline, the same from the cache", async () => {
    const { first, second, hits } = await p001ThroughCache(
      [
      { name: "id", type: "INTEGER", nullable: false },
      { name: "ordered_at", type: "TIMESTAMP", nullable: true },
      ],
      "SELECT\n    id,\n    ordered_at\nFROM raw.orders\nQUALIFY row_number() OVER (PARTITION BY id ORDER BY ordered_at) = 1\n",
      "databricks",
    );
    assert.deepEqual(first, ["models/orders.sql:5:53 ordered_at NULLS LAST"]);
    assert.equal(hits, 1);
    assert.deepEqual(second, first);
  });
});

describe("P001 for NULL order across models", () => {
  /** A staging model over `raw.orders` (known schema) and `raw.clicks` (none), and a mart picking rows by one of its columns. */
  async function martFindings(key: string): Promise<{ first: string[]; second: string[] }> {
    const files = new Map<string, string>(Object.entries(duckdbProjectFiles([
      { name: "id", type: "INTEGER", nullable: false },
      { name: "ordered_at", type: "TIMESTAMP", nullable: true },
    ])));
    files.set("rocky.toml", `${files.get("rocky.toml")}\n[portability]\ntarget_dialect = "databricks"\n`);
    files.set("models/stg_orders.sql", "SELECT id, ordered_at FROM raw.orders\n");
    // `seen_at` is typed by the CAST, nullable only because nothing knows raw.clicks.
    // `bought_at` may be NULL for certain: the CASE has no ELSE.
    files.set("models/stg_clicks.sql", "SELECT CAST(click_id AS INTEGER) AS id, CAST(seen_at AS TIMESTAMP) AS seen_at, CASE WHEN kind = 'buy' THEN CAST(seen_at AS TIMESTAMP) END AS bought_at FROM raw.clicks\n");
    const from = key === "ordered_at" ? "stg_orders" : "stg_clicks";
    files.set("models/mart.sql", `SELECT id, ${key}\nFROM ${from}\nQUALIFY row_number() OVER (PARTITION BY id ORDER BY ${key}) = 1\n`);
    const cache = createMemoryCompileCache();
    const p001 = (p: CompiledProject) => p.diagnostics.filter((d) => d.code === "P001" && d.model === "mart").map((d) => `${d.span?.line}:${d.span?.col} ${d.replacement?.text}`);
    const first = p001(await compileProject(files, { env: {}, vars: {}, cache }));
    const second = p001(await compileProject(files, { env: {}, vars: {}, cache }));
    return { first, second };
  }

  it("flags a key whose NULLs come from a known schema, two models up", async () => {
    const { first, second } = await martFindings("ordered_at");
    assert.deepEqual(first, ["3:53 ordered_at NULLS LAST"]);
    assert.deepEqual(second, first);
  });

  it("says nothing when the upstream model's column is nullable only by assumption (a CAST of a schemaless source's column)", async () => {
    const { first, second } = await martFindings("seen_at");
    assert.deepEqual(first, []);
    assert.deepEqual(second, []);
  });

  it("flags a key that is NULL for certain upstream (a CASE without ELSE), whatever its inputs' schemas", async () => {
    const { first, second } = await martFindings("bought_at");
    assert.deepEqual(first, ["3:53 bought_at NULLS LAST"]);
    assert.deepEqual(second, first);
  });
});

describe("P001: NULL order in an ORDER BY with LIMIT", () => {
  it("flags the rows a LIMIT keeps, by an input column, an output name or a position; labelled LIMIT", () => {
    const sql = "SELECT id, updated_at FROM (SELECT id, updated_at FROM raw.events ORDER BY updated_at DESC LIMIT 1)";
    const [d, ...rest] = findings(sql, "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.equal(d.message, "ORDER BY with LIMIT keeps other rows on Databricks: NULLs sort last there in a descending order, first on Snowflake (`updated_at` may be NULL)");
    assert.equal(d.replacement?.text, "updated_at DESC NULLS FIRST");
    const top = "SELECT id, SUM(amount) AS total FROM raw.events GROUP BY id ORDER BY total DESC LIMIT 10";
    assert.equal(findings(top, "databricks", "snowflake")[0].replacement?.text, "total DESC NULLS LAST");
    assert.equal(findings("SELECT id, SUM(amount) AS total FROM raw.events GROUP BY id ORDER BY 2 LIMIT 10", "duckdb", "bigquery")[0].replacement?.text, "2 NULLS LAST");
    assert.deepEqual(findings("SELECT id FROM raw.events GROUP BY id ORDER BY SUM(amount) / 2 DESC LIMIT 5", "snowflake", "duckdb"), [], "an expression is left alone");
    assert.deepEqual(findings(`-- rocky-allow: LIMIT\n${sql}`, "snowflake", "databricks"), []);
  });

  it("says nothing without a LIMIT, for a NOT NULL key, or with NULLS written", () => {
    assert.deepEqual(findings("SELECT id, updated_at FROM raw.events ORDER BY updated_at DESC", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.events ORDER BY created_at DESC LIMIT 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT id FROM raw.events ORDER BY updated_at DESC NULLS LAST LIMIT 1", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT COUNT(*) AS n FROM raw.events ORDER BY n DESC LIMIT 1", "snowflake", "databricks"), []);
  });

  it("taking the rewrite is no change to the model's rows", () => {
    const sql = "SELECT id, updated_at FROM raw.events ORDER BY updated_at DESC LIMIT 1";
    const [d] = findings(sql, "snowflake", "databricks");
    const a = analyzeSql(sql, SCHEMA, "snowflake");
    const b = analyzeSql(applied(sql, d), SCHEMA, "snowflake");
    assert.deepEqual(b.rowLevel, a.rowLevel);
    assert.deepEqual(b.columns.map((c) => c.fingerprint), a.columns.map((c) => c.fingerprint));
    assert.notDeepEqual(analyzeSql(sql.replace("DESC", "DESC NULLS LAST"), SCHEMA, "snowflake").rowLevel, a.rowLevel);
  });
});
