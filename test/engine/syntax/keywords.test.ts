import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { dialectIds, getDialect } from "../../../engine/src/dialects/get-dialect.js";
import { KEYWORDS, lookupKeyword, foldStep } from "../../../engine/src/syntax/keywords.js";

const src = (rel: string): string => readFileSync(fileURLToPath(new URL(`../../../engine/src/${rel}`, import.meta.url)), "utf8");

test("every upper-case word the parser compares against is a recognised keyword", () => {
  // The tokenizer only gives keywords an upper-case spelling; a word missing from KEYWORDS would silently never match.
  const known = new Set(KEYWORDS);
  const words = new Set<string>();
  for (const m of src("syntax/parser.ts").matchAll(/"([A-Z][A-Z_]+)"/g)) words.add(m[1]);
  const missing = [...words].filter((w) => !known.has(w));
  assert.deepEqual(missing, []);
  assert.ok(words.size > 100, `only ${words.size} words found: the scan is broken`);
});

test("every reserved word of every dialect is a recognised keyword", () => {
  const known = new Set(KEYWORDS);
  for (const id of dialectIds) for (const w of getDialect(id).reserved) assert.ok(known.has(w), `${id}: ${w}`);
});

test("keyword lookup folds case and rejects near misses", () => {
  const hash = (w: string): number => {
    let h = 0;
    for (let k = 0; k < w.length; k++) h = foldStep(h, w.charCodeAt(k));
    return h;
  };
  for (const w of ["select", "SeLeCt", "SELECT"]) assert.equal(lookupKeyword(w, 0, w.length, hash(w)), "SELECT");
  for (const w of ["selects", "selec", "amount", "id", "x"]) assert.equal(lookupKeyword(w, 0, w.length, hash(w)), "");
  for (const k of KEYWORDS) assert.equal(lookupKeyword(k.toLowerCase(), 0, k.length, hash(k)), k);
});
