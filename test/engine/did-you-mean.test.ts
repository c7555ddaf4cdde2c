import assert from "node:assert/strict";
import { test } from "node:test";
import { didYouMean, editDistance } from "../../engine/src/util/did-you-mean.js";

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
