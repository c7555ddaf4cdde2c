import assert from "node:assert/strict";
import { test } from "node:test";
import type { DialectId, ParseResult } from "../../../engine/src/syntax/ast.js";
import { dialectIds } from "../../../engine/src/dialects/get-dialect.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { printQuery } from "../../../engine/src/syntax/print-sql.js";
import { readCases, stripTree } from "./fixture-cases.js";
import { seededRandom as prng } from "../../support/seeded-random.js";


/** parseSql returned (never threw), with exactly one of query/error, and no internal error. */
function checkResult(r: ParseResult, what: string): void {
  assert.ok((r.query === undefined) !== (r.error === undefined), `${what}: exactly one of query/error`);
  if (r.error) {
    assert.ok(!r.error.message.startsWith("internal"), `${what}: ${r.error.message}`);
    assert.ok(r.error.span.line >= 1 && r.error.span.col >= 1, what);
  }
}

function safeParse(sql: string, dialect: DialectId, what: string): ParseResult {
  let r: ParseResult | undefined;
  assert.doesNotThrow(() => {
    r = parseSql(sql, dialect);
  }, what);
  checkResult(r as ParseResult, what);
  return r as ParseResult;
}

test("every fixture cut at many points parses or fails cleanly, and what parses prints and re-parses", () => {
  for (const dialect of dialectIds) {
    for (const c of [...readCases(`${dialect}.sql`), ...readCases(`${dialect}__invalid.sql`)]) {
      const step = Math.max(1, Math.floor(c.sql.length / 60));
      for (let cut = 0; cut <= c.sql.length; cut += step) {
        const r = safeParse(c.sql.slice(0, cut), dialect, `${dialect} "${c.name}" cut at ${cut}`);
        if (r.query) checkResult(parseSql(printQuery(r.query, { dialect }), dialect), `${dialect} "${c.name}" cut ${cut} reprinted`);
      }
    }
  }
});

test("random bytes and random unicode never throw", () => {
  const rnd = prng(42);
  for (let k = 0; k < 1500; k++) {
    const len = Math.floor(rnd() * 200);
    let s = "";
    for (let j = 0; j < len; j++) {
      const pick = rnd();
      s += String.fromCharCode(pick < 0.6 ? 32 + Math.floor(rnd() * 95) : pick < 0.8 ? Math.floor(rnd() * 32) : Math.floor(rnd() * 0xffff));
    }
    safeParse(s, dialectIds[k % 4], `random string #${k}`);
  }
});

const SOUP = [
  "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "QUALIFY", "WITH", "AS", "JOIN", "LEFT", "ON", "USING", "UNION", "ALL",
  "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "INTERVAL", "NOT", "AND", "OR", "IN", "IS", "NULL", "LIKE", "ILIKE", "BETWEEN",
  "LATERAL", "FLATTEN", "VIEW", "PIVOT", "FOR", "OVER", "PARTITION", "ROWS", "EXCLUDE", "VALUES", "DISTINCT", "TOP", "LIMIT",
  "a", "b", "t", "x.y", "fn", "1", "2.5", "'s'", "\"q\"", "`b`", "@start_date", "$1", "?", "(", ")", "(", ")", ",", ",", "*", "+",
  "-", "/", "||", "::", ":", "=", "<>", "[", "]", "{", "}", "->", "=>", ".", ";", "--c\n", "/*c*/", "$$d$$", "#h\n", "//",
];

test("random token soup never throws", () => {
  const rnd = prng(7);
  for (let k = 0; k < 4000; k++) {
    const n = 1 + Math.floor(rnd() * 50);
    const parts: string[] = [];
    for (let j = 0; j < n; j++) parts.push(SOUP[Math.floor(rnd() * SOUP.length)]);
    const sql = (rnd() < 0.5 ? "SELECT " : "") + parts.join(rnd() < 0.8 ? " " : "");
    const r = safeParse(sql, dialectIds[k % 4], `soup #${k}: ${sql}`);
    if (r.query) checkResult(parseSql(printQuery(r.query, { dialect: dialectIds[k % 4] }), dialectIds[k % 4]), `soup #${k} reprinted`);
  }
});

test("10,000 nested parentheses, subqueries, prefix operators and CASEs are an error, not a stack overflow", () => {
  const deep = 10_000;
  const cases = [
    `SELECT ${"(".repeat(deep)}1${")".repeat(deep)}`,
    `${"SELECT * FROM (".repeat(deep)}SELECT 1${") AS s".repeat(deep)}`,
    `SELECT ${"- ".repeat(deep)}1`,
    `SELECT ${"NOT ".repeat(deep)}TRUE`,
    `SELECT ${"CASE WHEN a THEN ".repeat(deep)}1${" END".repeat(deep)}`,
    `SELECT ${"f(".repeat(deep)}1${")".repeat(deep)}`,
    `SELECT ${"ARRAY[".repeat(deep)}1${"]".repeat(deep)}`,
    `SELECT 1 FROM t WHERE ${"x IN (SELECT y FROM t WHERE ".repeat(deep)}TRUE${")".repeat(deep)}`,
    `SELECT CAST(a AS ${"ARRAY<".repeat(deep)}INT${">".repeat(deep)})`,
    `SELECT ${"(".repeat(deep)}`,
  ];
  for (const sql of cases) {
    for (const dialect of dialectIds) {
      const r = safeParse(sql, dialect, `${dialect} ${sql.slice(0, 30)}...`);
      assert.ok(r.error, `${dialect}: ${sql.slice(0, 30)} should fail`);
      if (!sql.endsWith("(")) assert.match(r.error.message, /nested too deeply|expected|found/, sql.slice(0, 30));
    }
  }
  const r = parseSql(`SELECT ${"(".repeat(deep)}1${")".repeat(deep)}`, "duckdb");
  assert.equal(r.error?.message, "expression nested too deeply");
});

test("a left-deep operator chain deeper than later stages can walk is an error; a moderate one parses", () => {
  const long = parseSql(`SELECT ${Array.from({ length: 5000 }, (_, k) => `c${k}`).join(" OR ")} FROM t`, "duckdb");
  assert.equal(long.error?.message, "expression nested too deeply");
  const moderate = parseSql(`SELECT ${Array.from({ length: 500 }, (_, k) => `c${k}`).join(" || ")} FROM t`, "duckdb");
  assert.ok(moderate.query, moderate.error?.message);
  const printed = printQuery(moderate.query);
  assert.ok(printed.startsWith("SELECT c0 || c1 || c2"));
  assert.ok(parseSql(printed, "duckdb").query);
});

test("a 5 MB model parses (valid) or fails (garbage) without throwing", () => {
  const cols: string[] = [];
  let size = 0;
  for (let k = 0; size < 5_000_000; k++) {
    const col = `    COALESCE(t.column_${k}, 0) + ${k} AS out_${k}`;
    cols.push(col);
    size += col.length + 2;
  }
  const sql = `SELECT\n${cols.join(",\n")}\nFROM big_table AS t\nWHERE t.id > 0`;
  const r = parseSql(sql, "duckdb");
  assert.ok(r.query, r.error?.message);
  assert.equal(r.query.body.kind === "select" && r.query.body.projection.length, cols.length);
  const garbage = "SELECT (".repeat(10) + "x ".repeat(500_000);
  assert.ok(safeParse(garbage, "snowflake", "1 MB garbage").error);
  const unterminated = `SELECT '${"a".repeat(5_000_000)}`;
  const u = safeParse(unterminated, "bigquery", "5 MB unterminated string");
  assert.equal(u.error?.span.col, 8);
});

test("token-level mutations of every fixture: never throw, and whatever parses prints and re-parses to the same tree", () => {
  const rnd = prng(5);
  let parsed = 0;
  for (const dialect of dialectIds) {
    const cases = readCases(`${dialect}.sql`);
    for (let k = 0; k < 1000; k++) {
      const c = cases[Math.floor(rnd() * cases.length)];
      const toks = c.sql.split(/(\s+|[(),])/).filter((x) => x && !/^\s+$/.test(x));
      const i = Math.floor(rnd() * toks.length);
      const j = Math.floor(rnd() * toks.length);
      const m = Math.floor(rnd() * 4);
      if (m === 0) toks.splice(i, 1);
      else if (m === 1) toks.splice(i, 0, toks[j]);
      else if (m === 2) [toks[i], toks[j]] = [toks[j], toks[i]];
      else toks.splice(i, 1, `(${toks[i]})`);
      const sql = toks.join(" ");
      const r = safeParse(sql, dialect, `${dialect} mutation: ${sql}`);
      if (!r.query) continue;
      parsed++;
      const printed = printQuery(r.query, { dialect });
      const again = parseSql(printed, dialect);
      assert.ok(again.query, `${dialect}: ${sql}\n  printed ${printed}\n  → ${again.error?.message}`);
      assert.deepEqual(stripTree(again.query), stripTree(r.query), `${dialect}: ${sql}\n  printed ${printed}`);
    }
  }
  assert.ok(parsed > 600, `only ${parsed} mutations parsed`);
});
