import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CostEstimate, estimateStaticCost, type StaticCostModelInput } from "../../../engine/src/cost/static-cost.js";

const model = (name: string, dependsOn: string[] = []): StaticCostModelInput => ({ name, dependsOn, warehouse: "databricks" });

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9, `${what}: ${actual} != ${expected}`);

describe("estimateStaticCost: topological order (Kahn, linear)", () => {
  it("estimates in Kahn order: ready models in input order, then downstreams in the order they were declared", () => {
    const est = estimateStaticCost([model("d", ["b", "c"]), model("c", ["a"]), model("b", ["a"]), model("a"), model("e")]);
    assert.deepEqual([...est.keys()], ["a", "e", "c", "b", "d"]);
  });

  it("a 20,000-model fan-out (and the fan-in that reads it back) is estimated in full, cycles left out", () => {
    const n = 20_000;
    const children = Array.from({ length: n }, (_, i) => model(`m${i}`, ["root", "root", `m${i}`]));
    const sink = model("sink", children.map((c) => c.name));
    // Declared downstream-first, with duplicate and self dependencies and a two-model cycle hanging off root.
    const est = estimateStaticCost([...children, sink, model("x", ["root", "y"]), model("y", ["x"]), model("root")]);

    assert.equal(est.size, n + 2);
    const keys = [...est.keys()];
    assert.equal(keys[0], "root");
    assert.equal(keys[n + 1], "sink");
    for (let i = 0; i < n; i++) if (keys[i + 1] !== `m${i}`) assert.fail(`position ${i + 1}: ${keys[i + 1]}, expected m${i}`);
    assert.ok(!est.has("x") && !est.has("y"), "members of a cycle are left out");

    // Every child keeps 0.8 of root's stub scan: 2.28e-5 + 10,000 × 5e-9.
    for (const name of ["m0", `m${n - 1}`]) {
      const e = est.get(name) as CostEstimate;
      assert.deepEqual([e.estimated_rows, e.estimated_bytes, e.confidence], [8_000, 2_048_000, "low"]);
      close(e.estimated_cost_usd, 7.28e-5, name);
    }
    // The sink sums 20,000 children (160M rows) and keeps 0.8: 20,000 × 7.28e-5 + 160,000,000 × 5e-9.
    const s = est.get("sink") as CostEstimate;
    assert.deepEqual([s.estimated_rows, s.estimated_bytes, s.confidence], [128_000_000, 32_768_000_000, "low"]);
    close(s.estimated_cost_usd, 2.256, "sink");
  });
});
