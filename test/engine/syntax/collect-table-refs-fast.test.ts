import assert from "node:assert/strict";
import { test } from "node:test";
import type { DialectId, Query } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { collectTableRefs } from "../../../engine/src/syntax/walk.js";
import { readCases } from "./fixture-cases.js";

/**
 * collectTableRefs skips the expressions of a query the parser built without a subquery expression
 * inside. A structured clone of the tree is a tree the parser did not build: it takes the full
 * walk. Both must list the same tables, in the same order, at the same positions.
 */
const refs = (q: Query) => collectTableRefs(q).map((t) => `${t.name.map((p) => p.name).join(".")}@${t.span.start}`);

const DIALECTS: readonly DialectId[] = ["duckdb", "databricks", "snowflake", "bigquery"];

test("every parse fixture: the expression-free walk lists what the full walk lists", () => {
  let compared = 0;
  let withTables = 0;
  for (const d of DIALECTS) {
    for (const c of readCases(`${d}.sql`)) {
      const r = parseSql(c.sql, d);
      if (r.query === undefined) continue;
      const fast = refs(r.query);
      assert.deepEqual(fast, refs(structuredClone(r.query)), `${d}: ${c.name}`);
      compared++;
      if (fast.length > 0) withTables++;
    }
  }
  assert.ok(compared > 100 && withTables > 50, `${compared} cases compared, ${withTables} with tables`);
});

test("tables read only inside subquery expressions are found, at any depth, CTEs and derived tables included", () => {
  const cases: [string, string[]][] = [
    ["SELECT a FROM t WHERE a IN (SELECT b FROM u)", ["t", "u"]],
    ["SELECT (SELECT max(x) FROM u) AS m FROM t", ["t", "u"]],
    ["WITH c AS (SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u)) SELECT * FROM c", ["t", "u"]],
    ["SELECT * FROM (SELECT * FROM t WHERE x > (SELECT 1 FROM u)) d JOIN v ON d.id = v.id", ["t", "u", "v"]],
    ["WITH c AS (SELECT * FROM t) SELECT * FROM c JOIN d ON c.id = d.id", ["t", "d"]],
    ["SELECT * FROM t UNION ALL SELECT * FROM u WHERE u.x NOT IN (SELECT x FROM w)", ["t", "u", "w"]],
  ];
  for (const [sql, expected] of cases) {
    const q = parseSql(sql, "duckdb").query;
    assert.ok(q, sql);
    assert.deepEqual(
      collectTableRefs(q).map((t) => t.name.map((p) => p.name).join(".")),
      expected,
      sql,
    );
    assert.deepEqual(refs(q), refs(structuredClone(q)), sql);
  }
});
