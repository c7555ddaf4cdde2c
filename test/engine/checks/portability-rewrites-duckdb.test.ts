import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { checkPortability } from "../../../engine/src/checks/index.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * The rewrites P001 offers for DuckDB must mean what the Snowflake construct meant: each rewritten
 * query runs in a real DuckDB and returns the values Snowflake's function returns on the same rows.
 */
const ROWS = "(VALUES (NULL, 'abc', 'ABC'), (2, 'xbz', 'x'), (0, 'zzz', NULL)) t(a, s, u)";
const cases: { name: string; expr: string; expected: unknown[] }[] = [
  { name: "NVL → COALESCE", expr: "NVL(a, 7)", expected: [7, 2, 0] },
  { name: "IFF → CASE (NULL condition takes the else branch)", expr: "IFF(a > 1, 'y', 'n')", expected: ["n", "y", "n"] },
  { name: "NVL2 → CASE", expr: "NVL2(a, 'set', 'unset')", expected: ["unset", "set", "set"] },
  { name: "ZEROIFNULL → COALESCE(x, 0)", expr: "ZEROIFNULL(a)", expected: [0, 2, 0] },
  { name: "CHARINDEX → STRPOS (1-based, 0 when absent)", expr: "CHARINDEX('b', s)", expected: [2, 2, 0] },
  { name: "TO_VARCHAR → CAST AS VARCHAR", expr: "TO_VARCHAR(a)", expected: [null, "2", "0"] },
  { name: "DATE_FROM_PARTS → MAKE_DATE", expr: "TO_VARCHAR(DATE_FROM_PARTS(2024, 1, 2))", expected: ["2024-01-02", "2024-01-02", "2024-01-02"] },
  { name: "BOOLOR_AGG → BOOL_OR (NULLs ignored)", expr: "BOOLOR_AGG(a > 1)", expected: [true] },
  { name: "BOOLAND_AGG → BOOL_AND (NULLs ignored)", expr: "BOOLAND_AGG(a >= 0)", expected: [true] },
  { name: "ARRAY_CONSTRUCT → list literal", expr: "TO_VARCHAR(ARRAY_CONSTRUCT(1, 2))", expected: ["[1, 2]", "[1, 2]", "[1, 2]"] },
  { name: "nested rewrites fold into one replacement", expr: "NVL(TO_VARCHAR(ZEROIFNULL(a)), IFF(a IS NULL, 'none', 'x'))", expected: ["0", "2", "0"] },
];

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});
after(() => conn?.closeSync());

/** Apply every replacement, right to left (they are on one line here). */
function rewriteAll(sql: string): string {
  const parsed = parseSql(sql, "snowflake");
  assert.equal(parsed.error, undefined);
  const ds = checkPortability({ model: "m", file: "m.sql", query: parsed.query, sql, dialect: "snowflake" }, { target: "duckdb" });
  assert.ok(ds.length > 0, "the construct is flagged for DuckDB");
  const withRewrite = ds.filter((d) => d.replacement !== undefined);
  assert.ok(withRewrite.length > 0, "a rewrite is offered");
  let out = sql;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const d of [...withRewrite].sort((x, y) => (y.replacement?.span.col ?? 0) - (x.replacement?.span.col ?? 0))) {
    const r = d.replacement as NonNullable<typeof d.replacement>;
    assert.ok((r.span.endCol as number) <= lastStart, "replacements never overlap");
    lastStart = r.span.col;
    out = out.slice(0, r.span.col - 1) + r.text + out.slice((r.span.endCol as number) - 1);
  }
  return out;
}

describe("P001 rewrites for DuckDB run in DuckDB with the source construct's meaning", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const sql = `SELECT ${c.expr} AS v FROM ${ROWS}`;
      const rewritten = rewriteAll(sql);
      assert.equal(parseSql(rewritten, "duckdb").error, undefined);
      const rows = (await conn.runAndReadAll(rewritten)).getRows().map((r) => (r[0] === null ? null : typeof r[0] === "bigint" ? Number(r[0]) : typeof r[0] === "object" ? String(r[0]) : r[0]));
      assert.deepEqual(rows, c.expected, rewritten);
    });
  }
});
