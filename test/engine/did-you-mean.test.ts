import assert from "node:assert/strict";
import { test } from "node:test";
import { didYouMean, editDistance } from "../../engine/src/util/did-you-mean.js";

test("editDistance counts single edits", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});

test("didYouMean finds close typos and rejects far ones", () => {
  assert.equal(didYouMean("stg_ordrs", ["stg_orders", "stg_customers"]), "stg_orders");
  assert.equal(didYouMean("TARGET_DIALECT", ["target_dialect", "allow"]), "target_dialect");
  assert.equal(didYouMean("zzzz", ["stg_orders"]), undefined);
});
