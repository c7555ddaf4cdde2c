import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatUsd } from "../../../review/src/cost/format-usd.js";
import { formatDeltaUsd } from "../../../review/src/render/format.js";

describe("formatUsd", () => {
  it("writes figures below a millionth of a dollar out, never as an exponent", () => {
    // A static estimate of a small staging model per run: JavaScript's String() gives "7.6e-7".
    assert.equal(formatUsd(7.6e-7), "$0.00000076");
    assert.equal(formatDeltaUsd(3.2e-7), "+$0.00000032");
    assert.equal(formatUsd(-1.25e-9), "-$0.0000000013");
  });

  it("keeps two significant digits below a cent and cents above", () => {
    assert.equal(formatUsd(0.0042), "$0.0042");
    assert.equal(formatUsd(0.000023), "$0.000023");
    assert.equal(formatUsd(0.005), "$0.005");
    assert.equal(formatUsd(0.00999), "$0.01");
    assert.equal(formatUsd(4.8), "$4.80");
    assert.equal(formatUsd(1402.4), "$1,402");
    assert.equal(formatUsd(0), "$0");
  });
});
