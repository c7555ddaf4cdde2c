import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeModel } from "../../../engine/src/analyze/analyze-model.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { CORPUS } from "./support/duckdb-corpus.js";
import { schemaProvider } from "./support/analyze-sql.js";

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const schemas = schemaProvider(
  { orders: "id INTEGER NOT NULL, customer_id BIGINT, amount DECIMAL(10,2), status VARCHAR, tags VARCHAR[]", customers: "id BIGINT, name VARCHAR" },
  "duckdb",
);
const JUNK = ["(", ")", ",", "*", "SELECT", "FROM", "JOIN", "ON", "x", "1", "'s'", "NULL", "OVER", "(SELECT 1)", "CASE", "END", "::INT", "[1]", "->", "USING (id)"];

test("mutated queries that still parse are analysed without exceptions in every dialect", () => {
  const next = rng(42);
  let analysed = 0;
  for (let round = 0; round < 1500; round++) {
    const base = CORPUS[Math.floor(next() * CORPUS.length)];
    const tokens = base.split(/(\s+)/);
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const i = Math.floor(next() * tokens.length);
      const r = next();
      if (r < 0.4) tokens.splice(i, 1);
      else if (r < 0.8) tokens[i] = JUNK[Math.floor(next() * JUNK.length)];
      else tokens.splice(i, 0, " ", JUNK[Math.floor(next() * JUNK.length)], " ");
    }
    const sql = tokens.join("");
    for (const dialect of ["duckdb", "snowflake", "databricks", "bigquery"] as DialectId[]) {
      const parsed = parseSql(sql, dialect);
      if (!parsed.query) continue;
      analysed++;
      assert.doesNotThrow(() => analyzeModel({ model: "m", file: "m.sql", dialect, query: parsed.query as NonNullable<typeof parsed.query>, schemas }), sql);
    }
  }
  assert.ok(analysed > 500, `only ${analysed} mutated queries parsed`);
});
