import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyzeSql, describeColumns } from "./support/analyze-sql.js";

const schema = {
  orders: "id INTEGER NOT NULL, customer_id BIGINT, amount DECIMAL(10,2), status VARCHAR, created_at TIMESTAMP",
  customers: "id BIGINT NOT NULL, name VARCHAR, email VARCHAR, code VARCHAR",
  payments: "order_id INTEGER NOT NULL, paid DECIMAL(12,2)",
};

const fp = (sql: string, column: string): string => {
  const c = analyzeSql(sql, schema).columns.find((x) => x.name === column);
  assert.ok(c, `column ${column}`);
  return c.fingerprint;
};

describe("fingerprints", () => {
  test("formatting, keyword case and table aliases do not change a column's fingerprint", () => {
    const a = fp("SELECT UPPER(o.status) || '-' || o.id AS label FROM orders o WHERE o.amount > 1", "label");
    const b = fp("select\n  upper( status )||'-'||id as label\nfrom orders\nwhere amount>1", "label");
    assert.equal(a, b);
  });
  test("moving logic into a CTE without changing it keeps the fingerprint", () => {
    const inline = fp("SELECT amount * 2 + 1 AS v FROM orders", "v");
    const cte = fp("WITH x AS (SELECT amount * 2 + 1 AS v FROM orders) SELECT v FROM x", "v");
    const nested = fp("WITH a AS (SELECT amount * 2 AS d FROM orders), b AS (SELECT d + 1 AS v FROM a) SELECT v FROM b", "v");
    assert.equal(cte, inline);
    assert.equal(nested, inline);
  });
  test("changing an upstream CTE's expression changes the outer column's fingerprint", () => {
    const before = fp("WITH x AS (SELECT amount * 2 AS d FROM orders) SELECT d AS v FROM x", "v");
    const after = fp("WITH x AS (SELECT amount * 3 AS d FROM orders) SELECT d AS v FROM x", "v");
    assert.notEqual(before, after);
  });
  test("changing the expression or its input column changes the fingerprint", () => {
    assert.notEqual(fp("SELECT SUM(amount) AS t FROM orders", "t"), fp("SELECT AVG(amount) AS t FROM orders", "t"));
    assert.notEqual(fp("SELECT id AS k FROM orders", "k"), fp("SELECT customer_id AS k FROM orders", "k"));
  });
  test("row-level fingerprints: WHERE / JOIN / GROUP BY changes show, formatting does not", () => {
    const base = analyzeSql("SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.amount > 1", schema).rowLevel.fingerprints;
    const reformatted = analyzeSql("select orders.id from orders join customers on orders.customer_id=customers.id where orders.amount>1", schema).rowLevel.fingerprints;
    const changedWhere = analyzeSql("SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.amount > 2", schema).rowLevel.fingerprints;
    const changedJoin = analyzeSql("SELECT o.id FROM orders o LEFT JOIN customers c ON o.customer_id = c.id WHERE o.amount > 1", schema).rowLevel.fingerprints;
    assert.deepEqual(reformatted, base);
    assert.notEqual(changedWhere.where, base.where);
    assert.equal(changedWhere.joins, base.joins);
    assert.notEqual(changedJoin.joins, base.joins);
    const grouped = analyzeSql("WITH g AS (SELECT status, COUNT(*) AS n FROM orders GROUP BY status) SELECT status, n FROM g", schema).rowLevel;
    assert.equal(grouped.fingerprints.groupBy, "orders.status", "a CTE the model reads contributes its GROUP BY");
    assert.deepEqual(grouped.groups, [{ model: "orders", column: "status" }]);
    // DISTINCT groups by its select items, DISTINCT ON by its keys: a change of their values changes which rows stay.
    assert.deepEqual(analyzeSql("SELECT DISTINCT customer_id, status FROM orders", schema).rowLevel.groups, [{ model: "orders", column: "customer_id" }, { model: "orders", column: "status" }]);
    assert.deepEqual(analyzeSql("WITH d AS (SELECT DISTINCT customer_id FROM orders) SELECT COUNT(*) AS n FROM d", schema).rowLevel.groups, [{ model: "orders", column: "customer_id" }]);
    assert.deepEqual(analyzeSql("SELECT DISTINCT * FROM payments", schema).rowLevel.groups, [{ model: "payments", column: "order_id" }, { model: "payments", column: "paid" }]);
    assert.deepEqual(analyzeSql("SELECT DISTINCT ON (customer_id) customer_id, amount FROM orders ORDER BY customer_id, amount", schema).rowLevel.groups, [{ model: "orders", column: "customer_id" }]);
    const limit = (sql: string) => analyzeSql(sql, schema).rowLevel.fingerprints.limit;
    assert.notEqual(limit("SELECT id FROM orders LIMIT 10%"), limit("SELECT id FROM orders LIMIT 10"), "a percentage keeps other rows than a count");
    assert.equal(limit("SELECT id FROM orders LIMIT 10%"), limit("SELECT id FROM orders LIMIT 10 PERCENT"));
  });
  test("spellings with one meaning share a fingerprint; other meanings do not", () => {
    const same = (a: string, b: string) => assert.equal(fp(`SELECT ${a} AS v FROM orders`, "v"), fp(`SELECT ${b} AS v FROM orders`, "v"), `${a} ≡ ${b}`);
    const differ = (a: string, b: string) => assert.notEqual(fp(`SELECT ${a} AS v FROM orders`, "v"), fp(`SELECT ${b} AS v FROM orders`, "v"), `${a} ≢ ${b}`);
    same("COUNT(*)", "COUNT(1)");
    differ("COUNT(1)", "COUNT(DISTINCT 1)");
    differ("COUNT(*)", "COUNT(NULL)");
    differ("COUNT(*)", "COUNT(amount)");
    same("CASE WHEN amount > 1 THEN 'big' END", "CASE WHEN 1 < amount THEN 'big' ELSE NULL END");
    differ("CASE WHEN amount > 1 THEN 'big' END", "CASE WHEN amount > 1 THEN 'big' ELSE 'small' END");
    same("SUM(amount) OVER (PARTITION BY customer_id, status ORDER BY id)", "SUM(amount) OVER (PARTITION BY status, customer_id ORDER BY id)");
    differ("SUM(amount) OVER (PARTITION BY customer_id ORDER BY id, created_at)", "SUM(amount) OVER (PARTITION BY customer_id ORDER BY created_at, id)");
    same("DATE_TRUNC('month', created_at)", "date_trunc('MONTH', created_at)");
    differ("DATE_TRUNC('month', created_at)", "DATE_TRUNC('year', created_at)");
    same("IF(amount > 1, 'big', 'small')", "CASE WHEN amount > 1 THEN 'big' ELSE 'small' END");
    same("IF(amount > 1, 'big', NULL)", "CASE WHEN amount > 1 THEN 'big' END");
    differ("IF(amount > 1, 'big', 'small')", "IF(amount > 1, 'small', 'big')");
    same("id != 1", "1 <> id");
    differ("status = 'a'", "status = 'A'");
    // Operands that commute, and negations that have a spelling of their own.
    same("amount + id", "id + amount");
    same("amount * 2", "2 * amount");
    differ("amount - id", "id - amount");
    differ("amount / 2", "2 / amount");
    same("NOT amount = 1", "amount <> 1");
    same("NOT amount < 1", "amount >= 1");
    differ("NOT amount < 1", "amount > 1");
    same("NOT status IS NULL", "status IS NOT NULL");
    same("NOT NOT (amount > 1)", "amount > 1");
    same("NOT status IN ('a', 'b')", "status NOT IN ('b', 'a')");
    same("NOT status LIKE 'a%'", "status NOT LIKE 'a%'");
    differ("NOT status LIKE 'a%'", "status LIKE 'a%'");
    same("amount BETWEEN 1 AND 10", "amount >= 1 AND amount <= 10");
    same("amount NOT BETWEEN 1 AND 10", "amount < 1 OR amount > 10");
    same("NOT amount BETWEEN 1 AND 10", "amount NOT BETWEEN 1 AND 10");
    differ("amount BETWEEN 1 AND 10", "amount > 1 AND amount < 10");
    differ("amount BETWEEN 1 AND 10", "amount BETWEEN SYMMETRIC 1 AND 10");
    same("NOT (amount = 1 AND id = 2)", "amount <> 1 OR id <> 2");
    differ("NOT (amount = 1 AND id = 2)", "amount <> 1 AND id <> 2");
    // A NOT over what has no spelling of its own stays a NOT.
    differ("NOT (amount > 1 AND flag)", "amount <= 1 OR flag");
    // A value subquery's own clauses decide its value.
    differ("(SELECT MAX(paid) FROM payments WHERE order_id = 1)", "(SELECT MAX(paid) FROM payments WHERE order_id = 2)");
    differ("(SELECT MAX(paid) FROM payments WHERE order_id = 1)", "(SELECT MAX(paid) FROM payments)");
    differ("(SELECT MAX(paid) FROM payments GROUP BY order_id LIMIT 1)", "(SELECT MAX(paid) FROM payments GROUP BY paid LIMIT 1)");
    same("(SELECT MAX(paid) FROM payments WHERE order_id = 1)", "(SELECT MAX(p.paid) FROM payments p WHERE 1 = p.order_id)");
    // ... and so does what it reads: a count names no column of it.
    differ("(SELECT COUNT(*) FROM payments)", "(SELECT COUNT(*) FROM customers)");
    same("(SELECT COUNT(*) FROM payments)", "(SELECT COUNT(*) FROM payments AS p)");
    same("(SELECT COUNT(*) FROM payments)", "(WITH p AS (SELECT order_id, paid FROM payments) SELECT COUNT(*) FROM p)");
  });
  test("a value subquery's clauses are its own; in a WHERE they are also the model's", () => {
    const a = analyzeSql("SELECT id, (SELECT MAX(paid) FROM payments WHERE order_id = 1) AS top FROM orders", schema);
    assert.deepEqual(a.rowLevel.fingerprints, { from: "orders" }, "a subquery in the select list does not decide the model's rows");
    assert.match(a.columns[1].fingerprint, /WHERE \(1 = payments\.order_id\)/);
    const w = analyzeSql("SELECT id FROM orders WHERE id IN (SELECT order_id FROM payments WHERE paid > 0)", schema);
    assert.match(w.rowLevel.fingerprints.where ?? "", /\(0 < payments\.paid\)/);
    // What it reads FROM is in the WHERE's fingerprint: not a second row-level clause of the model.
    assert.equal(w.rowLevel.fingerprints.from, "orders");
    assert.match(w.rowLevel.fingerprints.where ?? "", /FROM payments WHERE/);
    assert.deepEqual(
      w.rowLevel.filters.map((f) => `${f.model}.${f.column}`).sort(),
      ["orders.id", "payments.order_id", "payments.paid"],
    );
    // A CTE's WHERE is the model's, even when a subquery in the select list reads it first.
    const cte = analyzeSql("WITH big AS (SELECT order_id FROM payments WHERE paid > 9) SELECT (SELECT COUNT(*) FROM big) AS n, o.id FROM orders o JOIN big ON o.id = big.order_id", schema);
    assert.equal(cte.rowLevel.fingerprints.where, "(9 < payments.paid)");
    assert.match(cte.columns[0].fingerprint, /^\(SELECT COUNT\(\*\) FROM payments WHERE \(9 < payments\.paid\)\)$/, "and the subquery that reads it counts them too");
  });
  test("a CTE's clauses are its readers': a value subquery's value when only it reads the CTE, the model's rows when the model does", () => {
    const only = (where: string) => analyzeSql(`WITH big AS (SELECT order_id FROM payments WHERE ${where}) SELECT o.id, (SELECT COUNT(*) FROM big) AS n FROM orders o`, schema);
    const a = only("paid > 9");
    const b = only("paid > 10");
    assert.deepEqual(a.rowLevel.fingerprints, { from: "orders" }, "the rows of the model are not what the CTE filters");
    assert.deepEqual(a.rowLevel.filters, []);
    assert.notEqual(a.columns[1].fingerprint, b.columns[1].fingerprint, "the count's value is");
    // Written inside the subquery, the same.
    const inner = analyzeSql("SELECT o.id, (SELECT COUNT(*) FROM (WITH big AS (SELECT order_id FROM payments WHERE paid > 9) SELECT * FROM big) x) AS n FROM orders o", schema);
    assert.deepEqual(inner.rowLevel.fingerprints, { from: "orders" });
    assert.match(inner.columns[1].fingerprint, /WHERE \(9 < payments\.paid\)/);
    // Through a chain of CTEs to the model's JOIN: the first CTE's WHERE and the second's GROUP BY decide the model's rows.
    const chain = analyzeSql("WITH p AS (SELECT order_id, paid FROM payments WHERE paid > 0), q AS (SELECT order_id, SUM(paid) AS paid FROM p GROUP BY order_id) SELECT o.id, q.paid FROM orders o JOIN q ON o.id = q.order_id", schema);
    assert.equal(chain.rowLevel.fingerprints.where, "(0 < payments.paid)");
    assert.equal(chain.rowLevel.fingerprints.groupBy, "payments.order_id");
  });
  test("only a written alias is a lateral alias: an implicit output name does not hide the table's column", () => {
    const open = analyzeSql("SELECT CAST(created_at AS VARCHAR), DATE_TRUNC('day', created_at) AS d FROM raw.unknown", schema, "databricks");
    assert.equal(open.columns[1].fingerprint, "DATE_TRUNC('day', raw.unknown.created_at)");
    const aliased = analyzeSql("SELECT CAST(created_at AS VARCHAR) AS c, UPPER(c) AS u FROM raw.unknown", schema, "databricks");
    assert.equal(aliased.columns[1].fingerprint, "UPPER(CAST(raw.unknown.created_at AS String))");
  });
  test("row-level fingerprints: refactors that keep the rows are not changes", () => {
    const rows = (sql: string) => analyzeSql(sql, schema).rowLevel.fingerprints;
    const base = rows(
      "WITH paid AS (SELECT order_id, SUM(paid) AS total FROM payments GROUP BY order_id, paid) " +
        "SELECT o.id, p.total FROM orders AS o LEFT JOIN paid AS p ON o.id = p.order_id AND o.amount > 0 " +
        "WHERE o.status IN ('placed', 'shipped') AND o.amount >= 1 AND o.customer_id != 7",
    );
    // The CTE and both aliases renamed, the ON and WHERE terms reordered and their operands swapped,
    // the IN list reordered, `!=` spelt `<>`, the GROUP BY keys reordered.
    const refactored = rows(
      "WITH payments_by_order AS (SELECT order_id, SUM(paid) AS total FROM payments GROUP BY paid, order_id) " +
        "SELECT ord.id, pbo.total FROM orders ord LEFT JOIN payments_by_order pbo ON 0 < ord.amount AND pbo.order_id = ord.id " +
        "WHERE (7 <> ord.customer_id AND 1 <= ord.amount) AND ord.status IN ('shipped', 'placed')",
    );
    assert.deepEqual(refactored, base);
    // A BETWEEN is its two comparisons among the others of the WHERE, a NOT the comparison it negates.
    assert.equal(
      rows("SELECT id FROM orders WHERE NOT status = 'void' AND amount BETWEEN 1 AND 100 AND id > 0").where,
      rows("SELECT id FROM orders WHERE id > 0 AND amount <= 100 AND status <> 'void' AND (amount >= 1)").where,
    );
    // USING and NATURAL are the ON they stand for.
    const on = rows("SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id").joins;
    const renamed = "WITH o AS (SELECT id AS order_id, amount FROM orders) ";
    assert.equal(rows(`${renamed}SELECT order_id FROM o JOIN payments USING (order_id)`).joins, on);
    assert.equal(rows(`${renamed}SELECT order_id FROM o NATURAL JOIN payments`).joins, on);
    assert.notEqual(rows(`${renamed}SELECT order_id FROM o LEFT JOIN payments USING (order_id)`).joins, on);
    // GROUP BY ALL groups by the same keys as listing them.
    assert.equal(rows("SELECT status, customer_id, COUNT(*) AS n FROM orders GROUP BY ALL").groupBy, rows("SELECT status, customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id, status").groupBy);
    // Changes of rows still show: another comparison, another operand, OR for AND, a narrower IN, a CTE over another table.
    assert.notEqual(rows("SELECT id FROM orders WHERE amount > 1").where, rows("SELECT id FROM orders WHERE amount < 1").where);
    assert.notEqual(rows("SELECT id FROM orders WHERE amount > 1").where, rows("SELECT id FROM orders WHERE 1 > amount").where);
    assert.equal(rows("SELECT id FROM orders WHERE amount > 1").where, rows("SELECT id FROM orders WHERE 1 < amount").where);
    assert.notEqual(rows("SELECT id FROM orders WHERE amount > 1 AND id > 2").where, rows("SELECT id FROM orders WHERE amount > 1 OR id > 2").where);
    assert.notEqual(rows("SELECT id FROM orders WHERE status IN ('a', 'b')").where, rows("SELECT id FROM orders WHERE status IN ('a')").where);
    // Another FROM relation is other rows, even for a count that names no column; an alias or a CTE over the same table is not.
    assert.notEqual(rows("SELECT COUNT(*) AS n FROM orders").from, rows("SELECT COUNT(*) AS n FROM payments").from);
    assert.equal(rows("SELECT COUNT(*) AS n FROM orders").from, rows("SELECT COUNT(*) AS n FROM orders AS o").from);
    assert.equal(rows("SELECT o.id FROM orders o, payments p WHERE o.id = p.order_id").from, rows("SELECT o.id FROM payments p, orders o WHERE o.id = p.order_id").from);
    assert.notEqual(
      rows("WITH x AS (SELECT order_id AS id FROM payments) SELECT o.id FROM orders o JOIN x ON o.id = x.id").joins,
      rows("WITH x AS (SELECT id FROM customers) SELECT o.id FROM orders o JOIN x ON o.id = x.id").joins,
    );
  });
  test("a chain of 800 ANDs is one node: typed, not too deep (R009)", () => {
    const terms = Array.from({ length: 800 }, (_, i) => `amount <> ${i}`).join(" AND ");
    const a = analyzeSql(`SELECT id FROM orders WHERE ${terms}`, schema);
    assert.match(a.rowLevel.fingerprints.where ?? "", /^\(\(0 <> orders\.amount\) AND /);
    assert.deepEqual(a.diagnostics.map((d) => d.code), []);
  });
});

describe("lineage", () => {
  test("transforms: direct, cast, try_cast, aggregation, window, expression", () => {
    const a = analyzeSql(
      "SELECT id, CAST(amount AS DOUBLE) AS a, TRY_CAST(status AS INTEGER) AS b, SUM(amount) OVER () AS w, amount + 1 AS e FROM orders",
      schema,
    );
    assert.deepEqual(
      a.columns.map((c) => c.sources.map((s) => s.transform)),
      [[{ kind: "direct" }], [{ kind: "cast", to: "Float64" }], [{ kind: "try_cast", to: "Int32" }], [{ kind: "window", fn: "sum" }], [{ kind: "expression" }]],
    );
    const g = analyzeSql("SELECT customer_id, MAX(amount) AS m FROM orders GROUP BY customer_id", schema);
    assert.deepEqual(g.columns[1].sources, [{ model: "orders", column: "amount", transform: { kind: "aggregation", fn: "max", keeps: "max" } }]);
  });
  test("DuckDB: `j->'path'` inside a function that takes no lambda is JSON's arrow, reading j (a lambda in list_transform)", () => {
    const spec = { events: "id INTEGER NOT NULL, payload JSON NOT NULL, xs INTEGER[]" };
    const a = analyzeSql("SELECT json_array_length(payload->'$.items') AS n, upper(payload->>'name') AS u, list_transform(xs, x -> 'k') AS k FROM events", spec);
    assert.deepEqual(describeColumns(a), [
      "n: Decimal(20,0) <- events.payload (expression)",
      "u: String <- events.payload (expression)",
      "k: Array<String> <- events.xs (expression)",
    ]);
  });
  test("keeps: which calls keep their arguments' values, and which arguments", () => {
    const a = analyzeSql(
      [
        "SELECT",
        "  CONCAT_WS(code, name, email) AS joined,",
        "  IF(id > 0, email, NULL) AS chosen,",
        "  FIRST_VALUE(email) OVER (PARTITION BY code ORDER BY id) AS first_email,",
        "  NULLIF(email, name) AS nulled,",
        "  LENGTH(LOWER(email)) AS len,",
        "  CASE code WHEN 'a' THEN name ELSE 'x' END AS picked",
        "FROM customers",
      ].join("\n"),
      schema,
    );
    const edges = (column: string) =>
      Object.fromEntries((a.columns.find((c) => c.name === column)?.sources ?? []).map((s) => [s.column, "keeps" in s.transform ? `${s.transform.kind}:${s.transform.keeps}` : s.transform.kind]));
    assert.deepEqual(edges("joined"), { code: "expression", name: "expression:concat_ws", email: "expression:concat_ws" });
    assert.deepEqual(edges("chosen"), { id: "expression", email: "expression:if" });
    assert.deepEqual(edges("first_email"), { email: "window:first_value", code: "window", id: "window" });
    assert.deepEqual(edges("nulled"), { email: "expression:nullif", name: "expression" });
    assert.deepEqual(edges("len"), { email: "expression" });
    assert.deepEqual(edges("picked"), { code: "expression", name: "expression:case" });
  });
  test("keeps: a table function's value columns keep its input's values, its positions do not", () => {
    const edges = (sql: string, spec: Record<string, string>, dialect: "duckdb" | "snowflake" | "databricks") =>
      analyzeSql(sql, spec, dialect).columns.map((c) => `${c.name}: ${c.sources.map((s) => `${s.column} ${"keeps" in s.transform ? `${s.transform.kind}:${s.transform.keeps}` : s.transform.kind}`).join(", ")}`);
    assert.deepEqual(edges("SELECT u.tag FROM t, UNNEST(t.tags) AS u(tag)", { t: "tags VARCHAR[]" }, "duckdb"), ["tag: tags expression:unnest"]);
    assert.deepEqual(edges("SELECT f.value::VARCHAR AS v, f.index AS i FROM t, LATERAL FLATTEN(input => t.items) f", { t: "ITEMS ARRAY" }, "snowflake"), ["v: ITEMS expression:flatten", "i: ITEMS expression"]);
    assert.deepEqual(edges("SELECT p, x FROM t LATERAL VIEW POSEXPLODE(items) e AS p, x", { t: "items ARRAY<STRING>" }, "databricks"), ["p: items expression", "x: items expression:posexplode"]);
    assert.deepEqual(edges("SELECT EXPLODE(items) AS x FROM t", { t: "items ARRAY<STRING>" }, "databricks"), ["x: items expression:explode"]);
    // A * argument of a call that keeps all its arguments keeps each column: OBJECT_CONSTRUCT(*) holds the email.
    assert.deepEqual(edges("SELECT OBJECT_CONSTRUCT(*) AS o, HASH(*) AS h FROM t", { t: "EMAIL VARCHAR" }, "snowflake"), ["o: EMAIL expression:object_construct", "h: EMAIL expression"]);
  });
  test("a renamed column through a CTE and a subquery stays direct", () => {
    const a = analyzeSql("WITH x AS (SELECT id AS order_id FROM orders) SELECT t.k FROM (SELECT order_id AS k FROM x) t", schema);
    assert.deepEqual(describeColumns(a), ["k: Int32 NOT NULL <- orders.id (direct)"]);
  });
  test("a cast in a CTE then a direct read is a cast", () => {
    const a = analyzeSql("WITH x AS (SELECT CAST(email AS VARCHAR) AS e FROM customers) SELECT e FROM x", schema);
    assert.deepEqual(a.columns[0].sources, [{ model: "customers", column: "email", transform: { kind: "cast", to: "String" } }]);
  });
  test("reads lists the columns read per upstream, and not the excluded ones", () => {
    const a = analyzeSql("SELECT * EXCLUDE (email) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status = 'x'", schema);
    assert.deepEqual([...(a.reads.get("customers") ?? [])].sort(), ["code", "id", "name"]);
    assert.deepEqual([...(a.reads.get("orders") ?? [])].sort(), ["amount", "created_at", "customer_id", "id", "status"]);
  });
  test("hasStar is set by a star in the output projection, not by one inside a CTE that is then narrowed", () => {
    assert.equal(analyzeSql("SELECT * FROM orders", schema).hasStar, true);
    assert.equal(analyzeSql("SELECT o.* FROM orders o", schema).hasStar, true);
    assert.equal(analyzeSql("WITH x AS (SELECT * FROM orders) SELECT id FROM x", schema).hasStar, false);
    assert.equal(analyzeSql("SELECT id FROM orders", schema).hasStar, false);
  });
  test("output columns carry the select item's span", () => {
    const a = analyzeSql("SELECT id,\n  amount * 2 AS dbl\nFROM orders", schema);
    assert.equal(a.columns[1].span?.line, 2);
    assert.equal(a.columns[1].span?.col, 3);
  });
});

describe("diagnostics: each fires, and each stays silent when it must", () => {
  const codes = (sql: string, s: Record<string, string> = schema): string[] => analyzeSql(sql, s).diagnostics.map((d) => d.code).sort();

  test("E001 fires on join keys with no common type, naming both models and types", () => {
    const d = analyzeSql("SELECT o.id FROM orders o JOIN customers c ON o.status = c.id", schema).diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, "E001");
    assert.equal(d[0].severity, "Error");
    assert.equal(d[0].message, "join key type mismatch on column 'status = id': orders has String, customers has Int64");
    assert.deepEqual(d[0].span, { file: "models/m.sql", line: 1, col: 56 }, "points at the = of the join condition");
    assert.equal(d[0].model, "m");
  });
  test("E001/W001 stay silent for equal key types and for keys of the same upstream", () => {
    assert.deepEqual(codes("SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id"), []);
    assert.deepEqual(codes("SELECT a.id FROM orders a JOIN orders b ON a.id = b.customer_id"), []);
  });
  test("W001 fires on coercible but different key types", () => {
    const d = analyzeSql("SELECT o.id FROM orders o\nJOIN payments p\n  ON p.order_id = o.customer_id", schema).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.span?.line]), [["W001", "Warning", 3]]);
    assert.match(d[0].message, /^implicit type coercion on column 'order_id = customer_id': payments has Int32, orders has Int64$/);
  });
  test("W002 fires for a star over an unknown upstream; I001 for a star over typed ones; neither for explicit columns", () => {
    assert.deepEqual(codes("SELECT * FROM raw.nothing"), ["W002"]);
    assert.deepEqual(codes("SELECT * FROM orders"), ["I001"]);
    assert.deepEqual(codes("SELECT id FROM orders"), []);
  });
  test("I002 fires when some but not all columns are Unknown", () => {
    const d = analyzeSql("SELECT r.x, o.id FROM raw.nothing r JOIN orders o ON o.id = r.id", schema).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.message]), [["I002", "1 column(s) have unknown types; provide source schemas"]]);
    assert.deepEqual(codes("SELECT r.x, r.y FROM raw.nothing r"), [], "all Unknown: silent");
    assert.deepEqual(codes("SELECT id FROM orders"), [], "all typed: silent");
  });
  test("R008 fires for an unknown column of a known upstream, with did-you-mean, and never guesses for unknown ones", () => {
    const d = analyzeSql("SELECT amout FROM orders", schema).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ["R008"]);
    assert.match(d[0].message, /did you mean `amount`/);
    assert.deepEqual(codes("SELECT whatever FROM raw.nothing"), []);
    assert.deepEqual(codes("SELECT whatever FROM orders o JOIN raw.nothing r ON r.id = o.id"), []);
  });
  test("R008 stays silent for select aliases, lambdas, struct fields, correlated references and date-part words", () => {
    assert.deepEqual(codes("SELECT amount * 2 AS d FROM orders WHERE d > 1 ORDER BY d"), []);
    assert.deepEqual(codes("SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)"), []);
    assert.deepEqual(codes("SELECT LIST_TRANSFORM([1, 2], x -> x + id) AS l FROM orders"), []);
    assert.deepEqual(codes("SELECT DATE_DIFF('day', created_at, created_at) AS d FROM orders"), []);
    assert.deepEqual(codes("SELECT rowid FROM orders"), []);
  });
});

describe("robustness", () => {
  test("deeply nested expressions produce a result or a diagnostic, never an exception", () => {
    const deep = `SELECT ${"(".repeat(150)}id${" + 1)".repeat(150)} AS x FROM orders`;
    const a = analyzeSql(deep, schema);
    assert.equal(a.columns.length, 1);
  });
  test("many CTEs chained resolve in order", () => {
    const ctes = Array.from({ length: 60 }, (_, i) => (i === 0 ? "c0 AS (SELECT id FROM orders)" : `c${i} AS (SELECT id FROM c${i - 1})`));
    const a = analyzeSql(`WITH ${ctes.join(", ")} SELECT id FROM c59`, schema);
    assert.deepEqual(describeColumns(a), ["id: Int32 NOT NULL <- orders.id (direct)"]);
  });
  test("a self-referencing non-recursive CTE does not loop", () => {
    const a = analyzeSql("WITH RECURSIVE x AS (SELECT id FROM x) SELECT id FROM x", schema);
    assert.equal(a.columns.length, 1);
  });
});

describe("join keys through CTEs and unknown upstreams", () => {
  test("E001 also fires when the keys reach the join through CTEs that pass them on unchanged", () => {
    const a = analyzeSql("WITH a AS (SELECT status FROM orders), b AS (SELECT id FROM customers) SELECT a.status FROM a JOIN b ON a.status = b.id", schema);
    assert.deepEqual(a.diagnostics.map((d) => d.code), ["E001"]);
    assert.match(a.diagnostics[0].message, /orders has String, customers has Int64/);
  });
  test("an upstream with an empty schema (it failed to parse) is unknown: no R008 cascade", () => {
    const a = analyzeSql("SELECT b.x, b.y FROM broken b", { ...schema, broken: "" });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(describeColumns(a), ["x: Unknown <- broken.x (direct)", "y: Unknown <- broken.y (direct)"]);
  });
});

describe("R009", () => {
  test("an AST nested beyond what the analyzer follows is one R009 diagnostic, not a stack overflow", async () => {
    const { analyzeModel } = await import("../../../engine/src/analyze/analyze-model.js");
    const { schemaProvider } = await import("./support/analyze-sql.js");
    const span = { start: 0, end: 1, line: 1, col: 1 };
    let expr: import("../../../engine/src/syntax/ast.js").Expr = { kind: "literal", type: "number", value: "1", span };
    for (let i = 0; i < 5000; i++) expr = { kind: "unary", op: "-", operand: expr, span };
    const query: import("../../../engine/src/syntax/ast.js").Query = {
      kind: "query",
      body: { kind: "select", projection: [{ kind: "expr", expr, span }], from: [], span },
      span,
    };
    const a = analyzeModel({ model: "deep", file: "models/deep.sql", dialect: "duckdb", query, schemas: schemaProvider({}, "duckdb") });
    assert.deepEqual(a.diagnostics.map((d) => d.code), ["R009"]);
    assert.deepEqual(a.columns, []);
  });
});

describe("null-rejecting filters", () => {
  test("WHERE x IS NOT NULL, comparisons and inner join keys make those columns non-null", () => {
    const a = analyzeSql(
      "SELECT o.status, o.amount, o.customer_id, c.name, UPPER(o.status) AS u, o.created_at FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status IS NOT NULL AND o.amount > 0 AND c.name IN ('a', 'b')",
      schema,
    );
    assert.deepEqual(
      a.columns.map((c) => `${c.name}${c.nullable ? "?" : ""}`),
      ["status", "amount", "customer_id", "name", "u", "created_at?"],
    );
  });
  test("OR, IS NULL and outer-join conditions do not", () => {
    const a = analyzeSql(
      "SELECT o.status, o.amount, c.name FROM orders o LEFT JOIN customers c ON c.id = o.customer_id AND c.name = 'x' WHERE o.status IS NULL OR o.amount > 0",
      schema,
    );
    assert.deepEqual(a.columns.map((c) => c.nullable), [true, true, true]);
  });
  test("a filter in a CTE carries through to the model's output", () => {
    const a = analyzeSql("WITH f AS (SELECT status FROM orders WHERE status IS NOT NULL) SELECT status FROM f", schema);
    assert.equal(a.columns[0].nullable, false);
  });
});

describe("LIMIT is row-level", () => {
  test("the outer LIMIT and a CTE's ORDER BY ... LIMIT are fingerprinted; formatting is not", () => {
    const a = analyzeSql("SELECT id FROM orders ORDER BY id DESC LIMIT 10", schema).rowLevel.fingerprints.limit;
    const b = analyzeSql("select id from orders order by id desc limit 10", schema).rowLevel.fingerprints.limit;
    const c = analyzeSql("SELECT id FROM orders ORDER BY id LIMIT 10", schema).rowLevel.fingerprints.limit;
    assert.ok(a);
    assert.equal(a, b);
    assert.notEqual(a, c);
    const cte = analyzeSql("WITH top AS (SELECT id FROM orders ORDER BY amount DESC LIMIT 5) SELECT id FROM top", schema).rowLevel.fingerprints.limit;
    assert.match(cte ?? "", /LIMIT 5/);
    assert.equal(analyzeSql("SELECT id FROM orders ORDER BY id", schema).rowLevel.fingerprints.limit, undefined);
  });
});

describe("named windows", () => {
  test("OVER w takes the named window's partition and order columns, and fingerprints like the inline window", () => {
    const named = analyzeSql("SELECT SUM(amount) OVER w AS s FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY created_at)", schema);
    const inline = analyzeSql("SELECT SUM(amount) OVER (PARTITION BY customer_id ORDER BY created_at) AS s FROM orders", schema);
    assert.deepEqual(named.columns[0].sources, inline.columns[0].sources);
    assert.equal(named.columns[0].fingerprint, inline.columns[0].fingerprint);
  });
});

describe("synonyms do not change fingerprints", () => {
  test("NVL/IFNULL/COALESCE, SUBSTRING/SUBSTR, CEILING/CEIL and LISTAGG/STRING_AGG fingerprint alike; a different function does not", () => {
    assert.equal(fp("SELECT NVL(amount, 0) AS a FROM orders", "a"), fp("SELECT COALESCE(amount, 0) AS a FROM orders", "a"));
    assert.equal(fp("SELECT IFNULL(amount, 0) AS a FROM orders", "a"), fp("SELECT COALESCE(amount, 0) AS a FROM orders", "a"));
    assert.equal(fp("SELECT SUBSTRING(status, 1, 2) AS a FROM orders", "a"), fp("SELECT SUBSTR(status, 1, 2) AS a FROM orders", "a"));
    assert.equal(fp("SELECT CEILING(amount) AS a FROM orders", "a"), fp("SELECT CEIL(amount) AS a FROM orders", "a"));
    assert.notEqual(fp("SELECT FLOOR(amount) AS a FROM orders", "a"), fp("SELECT CEIL(amount) AS a FROM orders", "a"));
  });
  test("Snowflake's ZEROIFNULL(x) is NVL(x, 0) and NULLIFZERO(x) is NULLIF(x, 0); another default is not", () => {
    const sf = (sql: string) => analyzeSql(sql, schema, "snowflake").columns[0].fingerprint;
    assert.equal(sf("SELECT ZEROIFNULL(amount) AS a FROM orders"), sf("SELECT NVL(amount, 0) AS a FROM orders"));
    assert.equal(sf("SELECT NULLIFZERO(amount) AS a FROM orders"), sf("SELECT NULLIF(amount, 0) AS a FROM orders"));
    assert.notEqual(sf("SELECT ZEROIFNULL(amount) AS a FROM orders"), sf("SELECT NVL(amount, 1) AS a FROM orders"));
  });
});

describe("DuckDB COLUMNS(...)", () => {
  test("each match is a column with its own lineage, through the expression around it", () => {
    const a = analyzeSql("SELECT MAX(COLUMNS('^(id|amount)$')) FROM orders", schema);
    assert.deepEqual(describeColumns(a), ["id: Int32 <- orders.id (aggregation max)", "amount: Decimal(10,2) <- orders.amount (aggregation max)"]);
  });
  test("a selector that matches nothing is an error on the call, as DuckDB's binder says", () => {
    const a = analyzeSql("SELECT id, COLUMNS('^zz') FROM orders", schema);
    assert.deepEqual(
      a.diagnostics.map((d) => [d.code, d.message, d.span?.col]),
      [["R008", "COLUMNS('^zz') matches no column of orders", 12]],
    );
  });
  test("a selector nothing can evaluate leaves the model's columns open, not guessed", () => {
    const a = analyzeSql("SELECT id, COLUMNS(c -> length(c) > 3) FROM orders", schema);
    assert.deepEqual(a.columns.map((c) => c.name), ["id"]);
    assert.equal(a.open, true);
  });
});

describe("Databricks generators in the select list", () => {
  const dbx = { orders: "id INT NOT NULL, items ARRAY<STRING>, props MAP<STRING, INT>, jan INT, feb INT" };

  test("aliases that do not match the generator's columns are R008 on the item, naming what it yields", () => {
    const r = analyzeSql("SELECT id,\n  explode(props) AS (k) FROM orders", dbx, "databricks");
    const d = r.diagnostics.find((x) => x.code === "R008");
    assert.equal(d?.message, "explode(...) yields 2 column(s) (key, value), but 1 alias(es) name them");
    assert.equal(d?.span?.line, 2);
    assert.deepEqual(r.columns.map((c) => c.name), ["id", "k", "value"]);
  });

  test("stack's columns read only their own values: a change to one month is not a change of the label", () => {
    const sql = (feb: string) => `SELECT stack(2, 'jan', jan, 'feb', ${feb}) AS (month, amount) FROM orders`;
    const before = analyzeSql(sql("feb"), dbx, "databricks").columns;
    const after = analyzeSql(sql("feb * 2"), dbx, "databricks").columns;
    assert.deepEqual(before.map((c) => [c.name, c.sources.map((s) => s.column)]), [["month", []], ["amount", ["jan", "feb"]]]);
    assert.equal(before[0].fingerprint, after[0].fingerprint);
    assert.notEqual(before[1].fingerprint, after[1].fingerprint);
  });

  test("another dialect's explode stays a scalar call", () => {
    const r = analyzeSql("SELECT explode(items) FROM orders", { orders: "items VARCHAR[]" }, "duckdb");
    assert.equal(r.columns.length, 1);
  });
});
