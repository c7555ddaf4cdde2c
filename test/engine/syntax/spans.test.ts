import assert from "node:assert/strict";
import { test } from "node:test";
import type { FunctionExpr, LikeExpr, Select, Span } from "../../../engine/src/syntax/ast.js";
import { dialectIds } from "../../../engine/src/dialects/get-dialect.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { readCases } from "./fixture-cases.js";

/** 1-based line/col of a UTF-16 offset, lines ending at \n (a CR before it is the line's last character), as git and GitHub count them. */
function lineCol(sql: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    const c = sql.charCodeAt(k);
    if (c === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function allSpans(node: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(node)) {
    for (const x of node) allSpans(x, out);
    return out;
  }
  if (node === null || typeof node !== "object") return out;
  for (const [key, value] of Object.entries(node)) {
    if ((key === "span" || key.endsWith("Span")) && value && typeof value === "object") out.push(value as Span);
    else allSpans(value, out);
  }
  return out;
}

const model = [
  "-- model header", // 1
  "WITH base AS (", // 2
  "\tSELECT id, amount, name FROM src", // 3
  ")", // 4
  "SELECT", // 5
  "\tid,", // 6
  "\tNVL(amount, 0) AS amt, name ILIKE 'a%' AS flag", // 7
  "FROM base AS b", // 8
  "QUALIFY ROW_NUMBER() OVER (ORDER BY id) = 1", // 9
].join("\r\n");

test("spans on line 7 of a CRLF model with tabs: function nameSpan, opSpan, select items, table ref, qualifySpan", () => {
  const r = parseSql(model, "snowflake");
  assert.ok(r.query, r.error?.message);
  const select = r.query.body as Select;
  assert.equal(select.kind, "select");
  const line7 = model.split("\r\n")[6];
  const lineStart = model.indexOf(line7);

  const amt = select.projection[1];
  assert.equal(amt.kind, "expr");
  assert.deepEqual({ line: amt.span.line, col: amt.span.col }, { line: 7, col: 2 });
  assert.equal(model.slice(amt.span.start, amt.span.end), "NVL(amount, 0) AS amt");
  const nvl = (amt.kind === "expr" ? amt.expr : undefined) as FunctionExpr;
  assert.equal(nvl.kind, "function");
  assert.deepEqual(nvl.nameSpan, { start: lineStart + 1, end: lineStart + 4, line: 7, col: 2 });
  assert.equal(model.slice(nvl.span.start, nvl.span.end), "NVL(amount, 0)");

  const flag = select.projection[2];
  const like = (flag.kind === "expr" ? flag.expr : undefined) as LikeExpr;
  assert.equal(like.kind, "like");
  const ilikeCol = line7.indexOf("ILIKE") + 1;
  assert.deepEqual(like.opSpan, { start: lineStart + ilikeCol - 1, end: lineStart + ilikeCol + 4, line: 7, col: ilikeCol });
  assert.equal(model.slice(like.span.start, like.span.end), "name ILIKE 'a%'");

  const from = select.from[0];
  assert.equal(from.kind, "table");
  assert.deepEqual({ line: from.span.line, col: from.span.col }, { line: 8, col: 6 });
  assert.equal(model.slice(from.span.start, from.span.end), "base AS b");
  assert.deepEqual(select.qualifySpan && { line: select.qualifySpan.line, col: select.qualifySpan.col }, { line: 9, col: 1 });
  assert.equal(select.qualifySpan && model.slice(select.qualifySpan.start, select.qualifySpan.end), "QUALIFY");

  assert.equal(r.comments.length, 1);
  assert.equal(r.comments[0].text, "-- model header");
});

test("an error on line 7 of a CRLF model points at the token's line and column", () => {
  const bad = model.replace("NVL(amount, 0)", "NVL(amount,, 0)");
  const r = parseSql(bad, "snowflake");
  assert.ok(r.error);
  assert.equal(r.error.message, "expected an expression, found ','");
  assert.deepEqual({ line: r.error.span.line, col: r.error.span.col }, { line: 7, col: 13 });
});

test("every span in every fixture has line/col matching its offset, and lies inside the text", () => {
  let checked = 0;
  for (const dialect of dialectIds) {
    for (const c of readCases(`${dialect}.sql`)) {
      for (const sql of [c.sql, c.sql.replaceAll("\n", "\r\n")]) {
        const r = parseSql(sql, dialect);
        assert.ok(r.query, `${dialect} ${c.name}`);
        for (const s of [...allSpans(r.query), ...allSpans(r.comments)]) {
          assert.ok(s.start >= 0 && s.start <= s.end && s.end <= sql.length, `${dialect} ${c.name}: ${JSON.stringify(s)}`);
          assert.deepEqual({ line: s.line, col: s.col }, lineCol(sql, s.start), `${dialect} ${c.name}: span ${JSON.stringify(s)}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 2000, `only ${checked} spans checked`);
});

test("ParseError.expected lists bare expectations for tooling; the message quotes punctuation", () => {
  const r = parseSql("SELECT (a + b FROM t", "duckdb");
  assert.deepEqual(r.error?.expected, [")"]);
  assert.equal(r.error?.message, "expected ')', found keyword FROM");
  const s = parseSql("SELECT a b c FROM t", "duckdb");
  assert.deepEqual(s.error?.expected, [",", "FROM", "end of the query"]);
});

test("a line comment ends at a lone CR too (old Mac line endings), while lines are counted at \\n alone, as git and GitHub count them", () => {
  const r = parseSql("SELECT a -- note\rFROM t\rWHERE b", "duckdb");
  assert.ok(r.query, r.error?.message);
  assert.equal(r.comments[0].text, "-- note");
  const sel = r.query.body as Select;
  // One line to git: a finding after a stray CR names the line GitHub shows (found by the fuzz campaign: it was a line too far).
  assert.deepEqual({ line: sel.from[0].span.line, col: sel.from[0].span.col }, { line: 1, col: 23 });
  const stray = parseSql("SELECT 1 AS x,\r  2 AS y\nFROM b\nWHERE (", "duckdb");
  assert.equal(`${stray.error?.span.line}:${stray.error?.span.col}`, "3:8");
});

test("end of input is reported where the content ends, never on the empty line after a final newline", () => {
  const cases: readonly [string, string][] = [
    ["SELECT a\nFROM t\nWHERE x > (\n", "3:12"],
    ["SELECT a\r\nFROM t\r\nWHERE x > (\r\n\r\n", "3:12"],
    ["SELECT a\rFROM\r\r", "1:14"],
    ["SELECT a FROM\n  \n\t\n", "1:14"],
    ["SELECT 'multi\nline' ||\n", "2:9"],
    ["SELECT (\n-- why\n\n", "2:7"],
    ["SELECT a FROM /* note\n spans */\n", "2:10"],
    ["\n", "1:1"],
    ["", "1:1"],
    ["\n\n  \n", "1:1"],
  ];
  for (const [sql, at] of cases) {
    const r = parseSql(sql, "duckdb");
    assert.match(r.error?.message ?? "", /found end of input/, JSON.stringify(sql));
    assert.equal(`${r.error?.span.line}:${r.error?.span.col}`, at, JSON.stringify(sql));
    // On a line with content (GitHub can anchor there), at most one past its last character.
    const line = sql.split("\n")[(r.error?.span.line ?? 0) - 1] ?? "";
    assert.ok(sql.trim() === "" || line.trim() !== "", JSON.stringify(sql));
    assert.ok((r.error?.span.col ?? 0) <= line.length + 1, JSON.stringify(sql));
    assert.equal(lineCol(sql, r.error?.span.start ?? -1).line, r.error?.span.line, JSON.stringify(sql));
  }
});

test("a backslash-escaped line break inside a string still counts as a line (found by the fuzz campaign: spans after it were a line short)", () => {
  const cases: readonly [string, "databricks" | "bigquery" | "duckdb", string][] = [
    ["SELECT 'a\\\nb' AS s,\n  (1 AS broken\nFROM x", "databricks", "3:6"],
    ["SELECT 'a\\\r\nb' AS s,\r\n  (1 AS broken\r\nFROM x", "bigquery", "3:6"],
    ["SELECT 'a\\\rb' AS s,\n  (1 AS broken\nFROM x", "databricks", "2:6"],
    ["SELECT E'a\\\nb' AS s,\n  (1 AS broken\nFROM x", "duckdb", "3:6"],
  ];
  for (const [sql, dialect, at] of cases) {
    const r = parseSql(sql, dialect);
    assert.equal(r.error?.message, "expected ')', found keyword AS", JSON.stringify(sql));
    assert.equal(`${r.error?.span.line}:${r.error?.span.col}`, at, JSON.stringify(sql));
  }
});
