import assert from "node:assert/strict";
import { test } from "node:test";
import type { DialectId, Expr, Select } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { printExpr, printQuery } from "../../../engine/src/syntax/print-sql.js";
import { stripTree } from "./fixture-cases.js";
import { seededRandom as prng } from "../../support/seeded-random.js";

function expr(sql: string, dialect: DialectId = "duckdb"): Expr {
  const r = parseSql(`SELECT ${sql}`, dialect);
  assert.ok(r.query, `${sql}: ${r.error?.message}`);
  const item = (r.query.body as Select).projection[0];
  assert.equal(item.kind, "expr");
  return item.kind === "expr" ? item.expr : (undefined as never);
}

function canon(sql: string, dialect: DialectId = "duckdb"): string {
  const r = parseSql(sql, dialect);
  assert.ok(r.query, `${sql}: ${r.error?.message}`);
  return printQuery(r.query, { dialect });
}

test("whitespace, comments and the case of keywords and unquoted identifiers do not change the print", () => {
  const a = canon("select Id , upper( Name ) as N\nfrom Orders o -- note\nwhere o.Amount>0 /* c */ and status in ('A','B')");
  const b = canon("SELECT id, UPPER(name) AS n FROM orders AS o WHERE o.amount > 0 AND status IN ('A', 'B')");
  assert.equal(a, b);
  assert.equal(a, "SELECT id, UPPER(name) AS n FROM orders AS o WHERE o.amount > 0 AND status IN ('A', 'B')");
  assert.notEqual(canon("SELECT a FROM t WHERE x > 1"), canon("SELECT a FROM t WHERE x >= 1"));
  assert.notEqual(canon('SELECT "Amount" FROM t'), canon("SELECT amount FROM t"));
});

test("quoted identifiers stay quoted with the dialect's quote; strings are escaped for the dialect", () => {
  assert.equal(canon('SELECT "My Col", "a""b" FROM "S"."T"'), 'SELECT "My Col", "a""b" FROM "S"."T"');
  assert.equal(canon("SELECT `My Col` FROM `t`", "databricks"), "SELECT `My Col` FROM `t`");
  assert.equal(printExpr(expr("'it''s'")), "'it''s'");
  assert.equal(printExpr(expr("'a\\\\b'", "bigquery"), { dialect: "bigquery" }), "'a\\\\b'");
  assert.equal(printExpr(expr("'a\\\\b'", "bigquery")), "'a\\b'");
});

test("only the parentheses precedence needs are printed", () => {
  const cases: [string, string][] = [
    ["(a + b) * c", "(a + b) * c"],
    ["a + (b * c)", "a + b * c"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["NOT (a = b)", "NOT a = b"],
    ["(NOT a) = b", "(NOT a) = b"],
    ["(a OR b) AND c", "(a OR b) AND c"],
    ["a OR (b AND c)", "a OR b AND c"],
    ["-(a + b)", "-(a + b)"],
    ["- (-a)", "-(-a)"],
    ["(a + b)::INT", "(a + b)::INT"],
    ["-a::INT", "-a::INT"],
    ["(a || b) = c", "a || b = c"],
    ["a || (b + c)", "a || b + c"],
    ["(a = b) IS NULL", "a = b IS NULL"],
    ["a BETWEEN (1 + 1) AND 3", "a BETWEEN 1 + 1 AND 3"],
    ["a BETWEEN 1 AND (b AND c)", "a BETWEEN 1 AND (b AND c)"],
    ["(s).f", "(s).f"],
    ["(((a)))", "a"],
    ["x IN (1, (2))", "x IN (1, 2)"],
    ["CASE WHEN (a > 1) THEN (b) END", "CASE WHEN a > 1 THEN b END"],
  ];
  for (const [input, want] of cases) {
    const e = expr(input);
    assert.equal(printExpr(e), want, input);
    assert.deepEqual(stripTree(expr(printExpr(e))), stripTree(e), `${input} re-parses to the same tree`);
  }
});

test("canonical spellings: != is <>, INNER JOIN is JOIN, ASC is dropped, functions upper-case", () => {
  assert.equal(
    canon("select count(distinct x) from a inner join b on a.k != b.k order by 1 asc"),
    "SELECT COUNT(DISTINCT x) FROM a JOIN b ON a.k <> b.k ORDER BY 1",
  );
  assert.equal(canon("select current_date, current_date() from t"), "SELECT CURRENT_DATE, CURRENT_DATE FROM t");
  assert.equal(printExpr(expr("my_schema.My_Udf(1)")), "my_schema.MY_UDF(1)");
});

/** Random expressions over a small grammar: every print must re-parse to the same tree. */

function randomExpr(rnd: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  if (depth <= 0 || rnd() < 0.25) return pick(["a", "b", "t.c", "1", "2.5", "'s'", "NULL", "TRUE", "@start_date", "f(x)"]);
  const sub = (): string => randomExpr(rnd, depth - 1);
  const paren = (s: string): string => (rnd() < 0.4 ? `(${s})` : s);
  switch (Math.floor(rnd() * 12)) {
    case 0:
    case 1:
    case 2:
      return `${paren(sub())} ${pick(["+", "-", "*", "/", "%", "||", "=", "<>", "<", ">=", "AND", "OR", "//", "^", "&", "|"])} ${paren(sub())}`;
    case 3:
      return `${pick(["NOT ", "-", "+", "~"])}${paren(sub())}`;
    case 4:
      return `${paren(sub())} ${pick(["IS NULL", "IS NOT NULL", "IS TRUE"])}`;
    case 5:
      return `${paren(sub())} ${pick(["", "NOT "])}BETWEEN ${paren(sub())} AND ${paren(sub())}`;
    case 6:
      return `${paren(sub())} ${pick(["", "NOT "])}IN (${sub()}, ${sub()})`;
    case 7:
      return `${paren(sub())} ${pick(["LIKE", "ILIKE", "NOT LIKE"])} ${paren(sub())}`;
    case 8:
      return `CASE WHEN ${sub()} THEN ${sub()} ELSE ${sub()} END`;
    case 9:
      return `${paren(sub())}::${pick(["INT", "VARCHAR", "DECIMAL(10, 2)"])}`;
    case 10:
      return `COALESCE(${sub()}, ${sub()})`;
    default:
      return `${paren(sub())} IS ${pick(["", "NOT "])}DISTINCT FROM ${paren(sub())}`;
  }
}

test("random expressions: print → parse gives the same tree, and printing is idempotent", () => {
  const rnd = prng(2024);
  let checked = 0;
  for (let k = 0; k < 3000; k++) {
    const src = randomExpr(rnd, 4);
    const r = parseSql(`SELECT ${src}`, "duckdb");
    if (!r.query) continue; // some random shapes are not valid SQL (e.g. `a = b = c` is fine, `IS` chains may not be)
    const e = (r.query.body as Select).projection[0];
    if (e.kind !== "expr") continue;
    const printed = printExpr(e.expr);
    const again = expr(printed);
    assert.deepEqual(stripTree(again), stripTree(e.expr), `${src}\n  printed ${printed}`);
    assert.equal(printExpr(again), printed);
    checked++;
  }
  assert.ok(checked > 2500, `only ${checked} random expressions parsed`);
});
