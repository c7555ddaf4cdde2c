/**
 * R014 (ungrouped-column) agrees with DuckDB's binder. Every query below is bound by a real
 * in-memory DuckDB (DESCRIBE) over the corpus's seed tables and analysed by analyzeModel:
 *
 * - REPORTED: DuckDB refuses it ("must appear in the GROUP BY clause or must be part of an
 *   aggregate function") and R014 sits on the reference, at the listed columns;
 * - CLEAN: DuckDB binds it and R014 stays silent;
 * - LEFT_ALONE: DuckDB refuses it, but the check is deliberately conservative there (a column named
 *   somewhere in GROUP BY, an alias that shadows a column, a subquery's correlated reference):
 *   R014 stays silent. Moving a case from here to REPORTED is a choice, not a fix.
 *
 * DuckDB has no functional dependence: grouping by a PRIMARY KEY does not let its other columns be
 * selected (the `pk` case), as in Snowflake and Databricks.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { useSeededDuckDb } from "./support/seeded-duckdb.js";
import { analyzeSql } from "./support/analyze-sql.js";
import { SEEDS } from "./support/duckdb-corpus.js";

const PK = "id INTEGER PRIMARY KEY, name VARCHAR";
const schema = { ...SEEDS, pk: PK };

/** Query → the `line:col` of each R014 (all on line 1 here). */
const REPORTED: Readonly<Record<string, readonly string[]>> = {
  "SELECT customer_id, status, SUM(amount) AS total FROM orders GROUP BY customer_id": ["1:21"],
  "SELECT status, COUNT(*) AS n FROM orders": ["1:8"],
  "SELECT COUNT(*) AS n, SUM(amount) OVER () AS s FROM orders": ["1:27"],
  "SELECT customer_id, SUM(amount) OVER () AS s FROM orders GROUP BY customer_id": ["1:25"],
  "SELECT customer_id, ROW_NUMBER() OVER (ORDER BY created_at) AS r FROM orders GROUP BY customer_id": ["1:49"],
  "SELECT customer_id, LAG(status) OVER (ORDER BY customer_id) AS l FROM orders GROUP BY customer_id": ["1:25"],
  "SELECT customer_id, SUM(COUNT(*)) OVER (PARTITION BY status) AS s FROM orders GROUP BY customer_id": ["1:54"],
  "SELECT customer_id, COUNT(*) FILTER (WHERE status = 'x') OVER () AS c FROM orders GROUP BY customer_id": ["1:44"],
  "SELECT pk.id, pk.name, COUNT(*) AS n FROM pk GROUP BY pk.id": ["1:15"],
  "SELECT o.status, COUNT(*) AS n FROM orders o JOIN orders p ON o.id = p.id GROUP BY p.status": ["1:8"],
  "SELECT o.customer_id, c.name, COUNT(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.id": ["1:8", "1:23"],
  "SELECT customer_id, MIN(id) AS a, MAX(id) AS b, status FROM orders GROUP BY 1": ["1:49"],
  "SELECT customer_id, COUNT(*) AS n, status FROM orders GROUP BY ROLLUP (customer_id)": ["1:36"],
  "SELECT customer_id, COUNT(*) AS n, note FROM orders GROUP BY CUBE (customer_id, status)": ["1:36"],
  "SELECT customer_id, status IN ('a', 'b') AS x, [status] AS y, {'s': status} AS z, COUNT(*) AS n FROM orders GROUP BY customer_id": ["1:21", "1:49", "1:69"],
  "SELECT customer_id, EXTRACT(year FROM created_at) AS y, CAST(status AS INT) AS s, CASE note WHEN 'a' THEN 1 END AS c, COUNT(*) AS n FROM orders GROUP BY customer_id":
    ["1:39", "1:62", "1:88"],
  "SELECT a, kind, SUM(e.value) AS v FROM events e, UNNEST(e.amounts) AS u(a) GROUP BY a": ["1:11"],
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id HAVING status = 'x'": ["1:75"],
  "SELECT COUNT(*) AS n FROM orders HAVING status = 'x'": ["1:41"],
  "WITH x AS (SELECT customer_id, status, SUM(amount) AS s FROM orders GROUP BY customer_id) SELECT * FROM x": ["1:32"],
  // A select alias does not hide the column of the same name from the select list (Snowflake and Databricks alike).
  "SELECT customer_id, SUM(amount) AS amount, RANK() OVER (ORDER BY amount DESC) AS r FROM orders GROUP BY customer_id": ["1:66"],
  "SELECT customer_id, UPPER(status) AS status, COUNT(*) AS n FROM orders GROUP BY customer_id": ["1:27"],
  "SELECT customer_id, MAX(status) AS status, status || 'x' AS s2 FROM orders GROUP BY customer_id": ["1:44"],
  "FROM orders SELECT customer_id, status, COUNT(*) AS n GROUP BY customer_id": ["1:33"],
  // The query's ORDER BY sorts the groups: an input column it names must be grouped or aggregated.
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY status": ["1:77"],
  "SELECT o.customer_id, COUNT(*) AS n FROM orders o GROUP BY o.customer_id ORDER BY LOWER(o.status), n": ["1:89"],
  "SELECT o.customer_id, MAX(x.m) AS m FROM orders o, LATERAL (SELECT MAX(amount) AS m, status AS st FROM orders p WHERE p.customer_id = o.customer_id) x GROUP BY o.customer_id":
    ["1:86"],
  // QUALIFY filters the groups after the windows: what it reads must be grouped or aggregated.
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id QUALIFY status = 'x'": ["1:76"],
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at) = 1": ["1:129"],
};

const CLEAN: readonly string[] = [
  "SELECT customer_id, SUM(SUM(amount)) OVER (ORDER BY customer_id) AS s FROM orders GROUP BY customer_id",
  "SELECT customer_id, RANK() OVER (ORDER BY SUM(amount)) AS r FROM orders GROUP BY customer_id",
  "SELECT customer_id, COUNT(*) * 100.0 / SUM(COUNT(*)) OVER () AS share FROM orders GROUP BY customer_id",
  "SELECT customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY MAX(created_at)) AS r, LAG(customer_id) OVER (ORDER BY customer_id) AS l FROM orders GROUP BY customer_id",
  "SELECT status, SUM(amount) OVER (PARTITION BY customer_id) AS s, COUNT(*) OVER () AS n FROM orders",
  "SELECT LOWER(status) AS ls, COUNT(*) AS n FROM orders GROUP BY LOWER(status)",
  "SELECT LOWER(status) AS s, s || 'x' AS t, COUNT(*) AS n FROM orders GROUP BY s",
  "SELECT LOWER(status) AS s, s || 'x' AS t, COUNT(*) AS n FROM orders GROUP BY 1",
  "SELECT LOWER(status) AS status, COUNT(*) AS n FROM orders GROUP BY status",
  "SELECT status, COUNT(*) AS n FROM orders o GROUP BY o.status",
  "SELECT o.status, COUNT(*) AS n FROM orders o GROUP BY status",
  "SELECT STATUS, COUNT(*) AS n FROM orders GROUP BY \"status\"",
  "SELECT customer_id, status, SUM(qty) AS q FROM orders GROUP BY 1, 2",
  "SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY ALL",
  "SELECT * EXCLUDE (lifetime), SUM(lifetime) AS l FROM customers GROUP BY ALL",
  "SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY GROUPING SETS ((customer_id, status), (customer_id), ())",
  "SELECT customer_id, status, GROUPING(customer_id, status) AS g, COUNT(*) AS n FROM orders GROUP BY ROLLUP (customer_id, status)",
  "SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY customer_id, ROLLUP (status)",
  "SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY CUBE (customer_id, status)",
  "SELECT customer_id, ANY_VALUE(status) AS a, ARRAY_AGG(note ORDER BY created_at) AS b, STRING_AGG(status, ',' ORDER BY id) AS c, FIRST(note) AS d, LIST(id) AS e, COUNT(*) FILTER (WHERE is_paid) AS f, SUM(amount) FILTER (WHERE status = 'x') AS g FROM orders GROUP BY customer_id",
  "SELECT customer_id, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY price) AS p, COUNT(DISTINCT status) AS d FROM orders GROUP BY customer_id",
  "SELECT customer_id, FIRST(status ORDER BY created_at) AS a, arg_max(status, created_at) AS b, max_by(status, created_at) AS c, histogram(status) AS d, list_sort(list(status)) AS e FROM orders GROUP BY 1",
  "SELECT customer_id, (SELECT MAX(c.name) FROM customers c WHERE c.id = o.customer_id) AS m FROM orders o GROUP BY customer_id",
  "SELECT status, (SELECT COUNT(*) FROM customers) AS n FROM orders",
  "SELECT COUNT(*) AS n, (SELECT MAX(name) FROM customers) AS m FROM orders",
  "SELECT customer_id, list_transform(list(id), x -> x + 1) AS a, list_transform(list(id), x -> x + customer_id) AS b FROM orders GROUP BY customer_id",
  "SELECT u.tag, COUNT(*) AS n FROM orders, UNNEST(tags) AS u(tag) GROUP BY u.tag",
  "SELECT e.customer_id, COUNT(*) AS n FROM events e, UNNEST(e.amounts) AS u(a) GROUP BY e.customer_id",
  "SELECT o.customer_id, COUNT(*) AS n, MAX(x.m) AS m FROM orders o, LATERAL (SELECT MAX(amount) AS m, o.status AS st FROM orders p WHERE p.customer_id = o.customer_id) x GROUP BY o.customer_id",
  "SELECT customer_id, SUM(amount) AS s FROM orders GROUP BY customer_id QUALIFY ROW_NUMBER() OVER (ORDER BY s DESC) <= 3",
  "SELECT customer_id, SUM(amount) AS s FROM orders GROUP BY customer_id HAVING s > 10 AND customer_id > 0 AND MAX(status) = 'x'",
  "SELECT customer_id, any_value(status) AS status, COUNT(*) AS n FROM orders GROUP BY customer_id HAVING status = 'x'",
  "SELECT customer_id, LOWER(status) AS status, COUNT(*) AS n FROM orders GROUP BY customer_id, LOWER(status) HAVING status = 'x'",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id HAVING (SELECT COUNT(*) FROM customers WHERE id = customer_id) > 0",
  "SELECT DISTINCT ON (customer_id) customer_id, status FROM orders ORDER BY customer_id, created_at",
  "SELECT 1 AS one, 'x' AS x, CURRENT_DATE AS d, COUNT(*) AS n FROM orders",
  "SELECT attrs.channel, COUNT(*) AS n FROM orders GROUP BY attrs.channel",
  "SELECT attrs.channel, COUNT(*) AS n FROM orders GROUP BY attrs",
  "SELECT customer_id, CASE WHEN COUNT(*) > 1 THEN 'many' ELSE 'one' END AS c, CURRENT_DATE - MAX(order_date) AS age FROM orders GROUP BY customer_id",
  "SELECT customer_id + 1 AS c, COUNT(*) AS n FROM orders GROUP BY customer_id",
  "SELECT customer_id AS c, COUNT(*) AS n FROM orders GROUP BY c",
  "SELECT id, COUNT(*) AS n FROM orders JOIN customers USING (id) GROUP BY id",
  "SELECT orders.id, COUNT(*) AS n FROM orders JOIN customers USING (id) GROUP BY id",
  "SELECT id, COUNT(*) AS n FROM orders JOIN customers USING (id) GROUP BY orders.id",
  "SELECT c.region, COUNT(*) AS n FROM customers c NATURAL JOIN customers d GROUP BY region",
  "SELECT o.customer_id, COUNT(*) AS n FROM orders o SEMI JOIN customers c ON c.id = o.customer_id GROUP BY 1",
  "SELECT t.s, COUNT(*) AS n FROM (SELECT status AS s FROM orders) t GROUP BY s",
  "SELECT t.x, COUNT(*) AS n FROM (VALUES (1), (2)) t(x) GROUP BY t.x",
  "SELECT customer_id, COUNT(*) AS n, 'x' || customer_id AS k FROM orders GROUP BY ALL",
  "SELECT customer_id, COUNT(*) AS n, status = 'x' AS paid FROM orders GROUP BY customer_id, status = 'x'",
  "SELECT 'a' || customer_id AS k, COUNT(*) AS n FROM orders GROUP BY 'a' || customer_id",
  "SELECT customer_id, COUNT(*) AS n, tags[1] AS t FROM orders GROUP BY customer_id, tags[1]",
  "SELECT customer_id, SUM(amount) AS total, total / COUNT(*) AS mean FROM orders GROUP BY customer_id",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY n, customer_id",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY SUM(amount)",
  "SELECT o.customer_id AS c, COUNT(*) AS n FROM orders o GROUP BY o.customer_id ORDER BY o.customer_id, COUNT(*) DESC, 1",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY MAX(created_at) DESC NULLS LAST",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id UNION ALL SELECT customer_id, id FROM orders",
  "SELECT customer_id, COUNT(*) AS n FROM orders WHERE status IN (SELECT status FROM orders GROUP BY status) GROUP BY customer_id",
  "SELECT DISTINCT customer_id, SUM(amount) OVER (PARTITION BY customer_id) AS s FROM orders",
  // In HAVING, DuckDB takes the select alias over the column of the same name.
  "SELECT customer_id, COUNT(*) AS status FROM orders GROUP BY customer_id HAVING status > 1",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY 1 HAVING n > 1",
  "SELECT customer_id, COUNT(*) AS n FROM orders o GROUP BY o.*",
  "SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY (customer_id, status)",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY GROUPING SETS (customer_id)",
  "SELECT customer_id, SUM(amount) AS s, s / SUM(SUM(amount)) OVER () AS share FROM orders GROUP BY customer_id",
  "SELECT customer_id, MAX(COLUMNS('amount|price')) FROM orders GROUP BY customer_id",
  "FROM orders SELECT customer_id, COUNT(*) AS n GROUP BY ALL",
  "PIVOT orders ON status USING SUM(amount) GROUP BY customer_id",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id QUALIFY ROW_NUMBER() OVER (ORDER BY n DESC) = 1",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id QUALIFY RANK() OVER (PARTITION BY customer_id > 10 ORDER BY MAX(amount) DESC) <= 3",
  "SELECT status, COUNT(*) AS n FROM orders GROUP BY status QUALIFY SUM(COUNT(*)) OVER (PARTITION BY status) > 1",
  "SELECT * FROM (PIVOT orders ON status IN ('a', 'b') USING SUM(amount) GROUP BY customer_id)",
];

const LEFT_ALONE: readonly string[] = [
  // A column named anywhere in GROUP BY is never reported, even when only an expression of it is grouped.
  "SELECT status, COUNT(*) AS n FROM orders GROUP BY LOWER(status)",
  "SELECT amount, COUNT(*) AS n FROM orders GROUP BY amount + 1",
  "SELECT customer_id, COUNT(*) AS n, status FROM orders GROUP BY customer_id, status = 'x'",
  "SELECT customer_id, COUNT(*) AS n, tags[2] AS t FROM orders GROUP BY customer_id, tags[1]",
  "SELECT attrs, COUNT(*) AS n FROM orders GROUP BY attrs.channel",
  // A USING column is each input's.
  "SELECT customers.id, COUNT(*) AS n FROM orders JOIN customers USING (id) GROUP BY id",
  // GROUP BY a name that is both a column and a select alias: DuckDB groups by the column.
  "SELECT customer_id AS id, COUNT(*) AS n FROM orders GROUP BY id",
  // Subqueries are their own scope, even for a correlated reference the outer query must group.
  "SELECT customer_id, (SELECT MAX(c.name) FROM customers c WHERE c.id = o.id) AS m FROM orders o GROUP BY customer_id",
  // DuckDB's method call and positional column.
  "SELECT customer_id, COUNT(*) AS n, status.lower() AS s FROM orders GROUP BY customer_id",
  "SELECT #2, COUNT(*) AS n FROM orders GROUP BY customer_id",
  "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY #2",
  // In a window inside QUALIFY, DuckDB takes the column over a select alias of the same name (the dialects differ).
  "SELECT customer_id, MAX(status) AS status FROM orders GROUP BY customer_id QUALIFY ROW_NUMBER() OVER (ORDER BY status) = 1",
];

describe("R014 agrees with DuckDB's binder", () => {
  const db = useSeededDuckDb();
  before(async () => {
    await db().run(`CREATE TABLE pk (${PK})`);
  });

  async function binds(sql: string): Promise<boolean> {
    try {
      await db().runAndReadAll(`DESCRIBE ${sql}`);
      return true;
    } catch (err) {
      assert.match(String(err), /GROUP BY|Binder Error/, sql);
      return false;
    }
  }

  function r014(sql: string): string[] {
    return analyzeSql(sql, schema, "duckdb")
      .diagnostics.filter((d) => d.code === "R014")
      .map((d) => `${d.span?.line}:${d.span?.col}`);
  }

  test("reported: DuckDB refuses each, and R014 is on each ungrouped reference", async () => {
    for (const [sql, at] of Object.entries(REPORTED)) {
      assert.equal(await binds(sql), false, `DuckDB binds ${sql}`);
      assert.deepEqual(r014(sql), at, sql);
    }
  });

  test("clean: DuckDB binds each, and R014 is silent", async () => {
    for (const sql of CLEAN) {
      assert.equal(await binds(sql), true, `DuckDB refuses ${sql}`);
      assert.deepEqual(r014(sql), [], sql);
    }
  });

  test("left alone: DuckDB refuses each, R014 is deliberately silent", async () => {
    for (const sql of LEFT_ALONE) {
      assert.equal(await binds(sql), false, `DuckDB binds ${sql}`);
      assert.deepEqual(r014(sql), [], sql);
    }
  });
});
