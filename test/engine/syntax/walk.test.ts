import assert from "node:assert/strict";
import { test } from "node:test";
import type { Expr, Query } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { printExpr } from "../../../engine/src/syntax/print-sql.js";
import { collectTableRefs, exprChildren, walkExpr, walkQuery } from "../../../engine/src/syntax/walk.js";
import { readCases } from "./fixture-cases.js";

function q(sql: string): Query {
  const r = parseSql(sql, "snowflake");
  assert.ok(r.query, r.error?.message);
  return r.query;
}

const names = (query: Query): string[] => collectTableRefs(query).map((t) => t.name.map((p) => p.name).join("."));

test("collectTableRefs lists tables in FROM, joins, subqueries and expressions, but not CTE names in scope", () => {
  const query = q(`
    WITH a AS (SELECT * FROM src1),
         b AS (SELECT * FROM a JOIN src2 ON a.id = src2.id)
    SELECT * FROM b, analytics.a, (SELECT * FROM src3) d
    WHERE x IN (SELECT y FROM src4) AND EXISTS (SELECT 1 FROM A)`);
  assert.deepEqual(names(query), ["src1", "src2", "analytics.a", "src3", "src4"]);
});

test("a CTE is not in scope before its definition (non-recursive), is in scope in itself when RECURSIVE, and not outside its query", () => {
  assert.deepEqual(names(q("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a")), ["b"]);
  assert.deepEqual(names(q("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r")), []);
  assert.deepEqual(names(q("WITH r AS (SELECT * FROM r) SELECT * FROM r")), ["r"]);
  assert.deepEqual(names(q("SELECT * FROM (WITH inner_cte AS (SELECT * FROM s) SELECT * FROM inner_cte) x JOIN inner_cte ON TRUE")), ["s", "inner_cte"]);
});

test("collectTableRefs reaches set operations, lateral views, pivots and table-function arguments", () => {
  assert.deepEqual(names(q("SELECT a FROM x UNION ALL SELECT a FROM y MINUS SELECT a FROM z")), ["x", "y", "z"]);
  assert.deepEqual(names(q("SELECT * FROM s PIVOT (SUM(v) FOR k IN ('a')) p")), ["s"]);
  const dbx = parseSql("SELECT * FROM t LATERAL VIEW explode((SELECT arr FROM u)) e AS x", "databricks");
  assert.ok(dbx.query);
  assert.deepEqual(names(dbx.query), ["t", "u"]);
});

test("walkQuery visits every query, CTE, select item, FROM item and expression; returning false skips children", () => {
  const query = q(`WITH c AS (SELECT UPPER(x) AS u FROM s)
    SELECT LOWER(u), (SELECT MAX(y) FROM t) AS m FROM c JOIN d ON c.k = d.k QUALIFY ROW_NUMBER() OVER (ORDER BY u) = 1`);
  const fns: string[] = [];
  let queries = 0;
  let ctes = 0;
  let items = 0;
  const tables: string[] = [];
  walkQuery(query, {
    query: () => {
      queries++;
    },
    cte: () => {
      ctes++;
    },
    selectItem: () => {
      items++;
    },
    tableRef: (t) => {
      tables.push(t.kind);
    },
    expr: (e) => {
      if (e.kind === "function") fns.push(e.name[e.name.length - 1].name.toUpperCase());
    },
  });
  assert.deepEqual(fns.sort(), ["LOWER", "MAX", "ROW_NUMBER", "UPPER"]);
  assert.equal(queries, 3);
  assert.equal(ctes, 1);
  assert.equal(items, 4);
  assert.deepEqual(tables, ["table", "table", "join", "table", "table"], "source order: CTE s, subquery t, then c JOIN d");

  const skipped: string[] = [];
  walkQuery(query, {
    query: (sub) => sub === query,
    expr: (e) => {
      if (e.kind === "function") skipped.push(e.name[0].name.toUpperCase());
      return e.kind !== "function" || e.name[0].name.toUpperCase() !== "LOWER";
    },
  });
  assert.deepEqual(skipped.sort(), ["LOWER", "ROW_NUMBER"], "CTE and subquery skipped; LOWER's children skipped");
});

test("walkExpr visits nested expressions iteratively, in source order, including inside subqueries", () => {
  const r = parseSql("SELECT a + b * c - (SELECT d FROM t WHERE e)", "duckdb");
  assert.ok(r.query && r.query.body.kind === "select");
  const item = r.query.body.projection[0];
  assert.equal(item.kind, "expr");
  const cols: string[] = [];
  walkExpr((item as { expr: Expr }).expr, (e) => {
    if (e.kind === "column") cols.push(e.parts[0].name);
  });
  assert.deepEqual(cols, ["a", "b", "c", "d", "e"]);

  const chain = parseSql(`SELECT ${Array.from({ length: 800 }, (_, k) => `c${k}`).join(" AND ")}`, "duckdb");
  assert.ok(chain.query && chain.query.body.kind === "select");
  const root = chain.query.body.projection[0];
  let n = 0;
  walkExpr((root as { expr: Expr }).expr, (e) => {
    if (e.kind === "column") n++;
  });
  assert.equal(n, 800);
  assert.ok(printExpr((root as { expr: Expr }).expr).endsWith("AND c799"));
});

test("walkExpr visits every expression of the parse fixtures in exprChildren's order (the iterative walk's fast paths agree)", () => {
  const shallow = (e: Expr, out: Expr[]): void => {
    out.push(e);
    if (e.kind === "subquery" || e.kind === "exists" || e.kind === "in_subquery") return;
    for (const k of exprChildren(e)) shallow(k, out);
  };
  let compared = 0;
  for (const [file, dialect] of [["duckdb.sql", "duckdb"], ["snowflake.sql", "snowflake"], ["databricks.sql", "databricks"], ["bigquery.sql", "bigquery"]] as const) {
    for (const c of readCases(file)) {
      const r = parseSql(c.sql, dialect);
      if (!r.query) continue;
      walkQuery(r.query, {
        selectItem(item) {
          const root = item.kind === "star" ? item.star : item.expr;
          const iterative: Expr[] = [];
          // Subqueries: this level's order only (their insides are select items of their own).
          walkExpr(root, (e) => {
            iterative.push(e);
            return !(e.kind === "subquery" || e.kind === "exists" || e.kind === "in_subquery");
          });
          const expected: Expr[] = [];
          shallow(root, expected);
          assert.equal(iterative.length, expected.length, `${file} ${c.name}`);
          assert.ok(iterative.every((e, i) => e === expected[i]), `${file} ${c.name}: same nodes in the same order`);
          compared++;
          return false;
        },
      });
    }
  }
  assert.ok(compared > 100, `compared ${compared} select items`);
});
