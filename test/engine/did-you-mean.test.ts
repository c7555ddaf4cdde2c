import assert from "node:assert/strict";
import { test } from "node:test";
import { didYouMean, editDistance } from "../../engine/src/util/did-you-mean.js";
import { seededRandom } from "../support/seeded-random.js";

test("editDistance counts single edits", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
  assert.equal(editDistance("bsae", "base"), 1, "an adjacent swap is one edit");
  assert.equal(editDistance("ca", "abc"), 3);
});

test("didYouMean finds close typos and rejects far ones", () => {
  assert.equal(didYouMean("stg_ordrs", ["stg_orders", "stg_customers"]), "stg_orders");
  assert.equal(didYouMean("TARGET_DIALECT", ["target_dialect", "allow"]), "target_dialect");
  assert.equal(didYouMean("zzzz", ["stg_orders"]), undefined);
  assert.equal(didYouMean("bsae", ["base", "head"]), "base");
});

test("didYouMean skips candidates too different in length to be the answer, and answers as measuring every one would (seeded)", () => {
  const random = seededRandom(20261122);
  const word = (n: number) => Array.from({ length: n }, () => "abcAB_é"[Math.floor(random() * 7)]).join("");
  for (let i = 0; i < 2000; i++) {
    const input = word(1 + Math.floor(random() * 12));
    const candidates = Array.from({ length: 1 + Math.floor(random() * 6) }, () => (random() < 0.5 ? word(1 + Math.floor(random() * 14)) : `${input.slice(0, Math.floor(random() * input.length))}${word(Math.floor(random() * 3))}`));
    const needle = input.toLowerCase();
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const c of candidates) {
      const d = editDistance(needle, c.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    const expected = bestDistance <= Math.max(1, Math.floor(needle.length / 3)) ? best : undefined;
    assert.equal(didYouMean(input, candidates), expected, `${input} among ${JSON.stringify(candidates)}`);
  }
  // A 100,000-character type name (from the fuzz campaign) against the type words: no suggestion.
  assert.equal(didYouMean("x".repeat(100_000), ["BIGINT", "VARCHAR", "x".repeat(60_000)]), undefined);
});
