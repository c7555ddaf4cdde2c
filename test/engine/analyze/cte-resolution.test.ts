import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyzeSql } from "./support/analyze-sql.js";

const schema = {
  orders: "id INTEGER NOT NULL, amount DECIMAL(10,2), status VARCHAR",
  b: "x VARCHAR",
};

function chain(n: number, last = `c${n - 1}`): string {
  const parts = ["WITH c0 AS (SELECT id, amount FROM orders)"];
  for (let i = 1; i < n; i++) parts.push(`c${i} AS (SELECT id, amount + ${i} AS amount FROM c${i - 1})`);
  return `${parts.join(",\n")}\nSELECT id, amount FROM ${last}`;
}

const kinds = (sql: string): string[] => analyzeSql(sql, schema).columns.map((c) => `${c.name}:${c.type.kind}`);

describe("CTE resolution", () => {
  test("3,000 chained CTEs type and trace through every link (no stack overflow, no R009)", () => {
    const a = analyzeSql(chain(3_000), schema);
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(
      a.columns.map((c) => `${c.name}:${c.type.kind}:${c.sources.map((s) => `${s.model}.${s.column}/${s.transform.kind}`).join(",")}`),
      ["id:Int32:orders.id/direct", "amount:Decimal:orders.amount/expression"],
    );
  });

  test("the body may read any CTE of the chain, and a CTE may read several earlier ones out of order", () => {
    assert.deepEqual(kinds(chain(50, "c17")), ["id:Int32", "amount:Decimal"]);
    const sql = `WITH a AS (SELECT id FROM orders), s AS (SELECT id, status FROM orders),
      j AS (SELECT s.status, a.id FROM s JOIN a ON a.id = s.id) SELECT status, id FROM j`;
    assert.deepEqual(kinds(sql), ["status:String", "id:Int32"]);
  });

  test("a CTE sees only earlier CTEs: a later name, or its own name without RECURSIVE, is the upstream", () => {
    // `b` inside `a` is the model b (x VARCHAR), not the CTE b declared after it.
    assert.deepEqual(kinds("WITH a AS (SELECT * FROM b), b AS (SELECT id FROM orders) SELECT * FROM a"), ["x:String"]);
    // A CTE named after the model it reads wraps that model.
    const self = analyzeSql("WITH orders AS (SELECT id, status FROM orders WHERE amount > 0) SELECT id, status FROM orders", schema);
    assert.deepEqual(self.columns.map((c) => `${c.type.kind}<-${c.sources.map((s) => `${s.model}.${s.column}`).join(",")}`), ["Int32<-orders.id", "String<-orders.status"]);
    assert.deepEqual(self.rowLevel.filters, [{ model: "orders", column: "amount" }]);
  });

  test("WITH RECURSIVE still sees itself through the anchor member", () => {
    const a = analyzeSql("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT n FROM t", schema);
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.columns.map((c) => `${c.name}:${c.type.kind}`), ["n:Int32"]);
  });

  test("a CTE nobody reads is not analysed: no diagnostics, no row-level clauses from it", () => {
    const a = analyzeSql(
      "WITH unused AS (SELECT nope FROM orders WHERE status = 'x'), c1 AS (SELECT id FROM orders), c2 AS (SELECT id FROM c1) SELECT id FROM c2",
      schema,
    );
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.rowLevel.filters, []);
    assert.equal(a.rowLevel.fingerprints.where, undefined);
  });

  test("a nested WITH inside a CTE shadows the outer name", () => {
    const sql = `WITH x AS (SELECT status AS v FROM orders),
      y AS (WITH x AS (SELECT id AS v FROM orders) SELECT v FROM x)
      SELECT v FROM y`;
    assert.deepEqual(kinds(sql), ["v:Int32"]);
  });
});

describe("where a column is made: `via`", () => {
  const lines = (sql: string) => analyzeSql(sql, schema).columns.map((c) => `${c.name} ${c.span?.line ?? "-"} [${(c.via ?? []).map((v) => `${v.line}:${v.col}`).join(" ")}]`);

  test("the CTE items a column reads, outermost first, and none for an upstream's column", () => {
    const sql = "WITH a AS (\n  SELECT id, amount * 2 AS amount FROM orders\n),\nb AS (\n  SELECT id, amount + 1 AS total FROM a\n)\nSELECT\n  id,\n  COALESCE(total, 0) AS total,\n  (SELECT MAX(amount) FROM a) AS top\nFROM b";
    assert.deepEqual(lines(sql), ["id 8 [5:10 2:10]", "total 9 [5:14 2:14]", "top 10 [2:14]"]);
    assert.deepEqual(lines("SELECT id, amount FROM orders"), ["id 1 []", "amount 1 []"]);
  });

  test("a column from `*` has no item of its own: the one it is made in, then the `*`; a UNION's other branch counts", () => {
    assert.deepEqual(lines("SELECT * FROM (\n  SELECT id, amount - 1 AS net FROM orders\n) AS d"), ["id - [2:10 1:8]", "net - [2:14 1:8]"]);
    // Over an upstream model the `*` is its only place (where a finding on the column goes).
    assert.deepEqual(lines("SELECT o.*\nFROM orders AS o"), ["id - [1:8]", "amount - [1:8]", "status - [1:8]"]);
    assert.deepEqual(lines("SELECT id FROM orders\nUNION ALL\nSELECT id + 1 FROM orders"), ["id 1 [3:8]"]);
  });

  test("a CTE analysed first for one item gives that item only the columns it reads", () => {
    // `a` is analysed lazily inside the subquery of `n`: `n` reads none of a's items, `m` reads only amount's.
    const sql = "WITH a AS (\n  SELECT id, amount AS amount FROM orders\n)\nSELECT\n  (SELECT COUNT(*) FROM a) AS n,\n  (SELECT MAX(amount) FROM a) AS m\nFROM orders";
    assert.deepEqual(lines(sql), ["n 5 []", "m 6 [2:14]"]);
  });

  test("a long chain keeps the nearest items only", () => {
    const via = analyzeSql(chain(3_000), schema).columns[1].via ?? [];
    assert.equal(via.length, 16);
    assert.equal(via[0].line, 3_000, "the last CTE's item first");
  });
});
