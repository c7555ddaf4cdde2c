import assert from "node:assert/strict";
import { test } from "node:test";
import { getDialect } from "../../../engine/src/dialects/get-dialect.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { T_STRING, T_WORD, tokenize } from "../../../engine/src/syntax/tokenize.js";

/** [kind, text, upper] of every token but the final EOF. */
function words(sql: string, dialect: DialectId = "duckdb"): [number, string, string][] {
  const t = tokenize(sql, getDialect(dialect));
  const out: [number, string, string][] = [];
  for (let i = 0; i < t.count - 1; i++) out.push([t.kinds[i], t.texts[i], t.uppers[i]]);
  return out;
}

test("words keep their exact spelling whatever case variants were seen before", () => {
  // Interned texts are keyed by a case-folding hash: the variants share a chain, never a string.
  assert.deepEqual(
    words("amount Amount AMOUNT amount").map((w) => w[1]),
    ["amount", "Amount", "AMOUNT", "amount"],
  );
  assert.deepEqual(words("select Select"), [
    [T_WORD, "select", "SELECT"],
    [T_WORD, "Select", "SELECT"],
  ]);
});

test("long words and words past the interning limit keep their text", () => {
  const long = `a_very_long_column_name_${"x".repeat(60)}`;
  assert.deepEqual(words(`${long} running_total_amount`).map((w) => w[1]), [long, "running_total_amount"]);
  // Many distinct words (more than the intern table takes) still come back exactly.
  const many = Array.from({ length: 60_000 }, (_, i) => `w${i}`);
  const got = words(many.join(" ")).map((w) => w[1]);
  assert.equal(got.length, many.length);
  assert.deepEqual(got.slice(-3), many.slice(-3));
  assert.deepEqual(words("w59999 w0").map((w) => w[1]), ["w59999", "w0"]);
});

test("a string-prefix letter starts a word unless a quote follows", () => {
  // DuckDB has E'..' strings; BigQuery r'..', b'..', rb'..'.
  assert.deepEqual(words("end else e Edge", "duckdb").map((w) => [w[0], w[1]]), [
    [T_WORD, "end"],
    [T_WORD, "else"],
    [T_WORD, "e"],
    [T_WORD, "Edge"],
  ]);
  assert.deepEqual(words("E'a\\tb' e", "duckdb").map((w) => [w[0], w[1]]), [
    [T_STRING, "a\tb"],
    [T_WORD, "e"],
  ]);
  assert.deepEqual(words("rank r'\\d' rb'x' br'y' b bx rbz", "bigquery").map((w) => [w[0], w[1]]), [
    [T_WORD, "rank"],
    [T_STRING, "\\d"],
    [T_STRING, "x"],
    [T_STRING, "y"],
    [T_WORD, "b"],
    [T_WORD, "bx"],
    [T_WORD, "rbz"],
  ]);
});
