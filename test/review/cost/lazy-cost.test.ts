import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { projectCost } from "../../../review/src/cost/index.js";
import { buildDiff, buildProject, type ConfigSpec, type ModelSpec } from "../compliance/support/project-builder.js";
import { ANALYSIS_FIELDS, countingProject, modelsRead } from "../support/counting-project.js";

const pad = (i: number) => String(i).padStart(3, "0");
const adapters: ConfigSpec = { adapters: [{ name: "default", type: "duckdb", settings: {} }, { name: "sf", type: "snowflake", settings: {} }] };
const specs: ModelSpec[] = [
  { name: "raw_orders", columns: ["id", "amount"] },
  { name: "stg_orders", deps: ["raw_orders"], columns: [{ name: "amount", from: [["raw_orders", "amount"]] }] },
  { name: "fct_revenue", deps: ["stg_orders"], columns: [{ name: "total", from: [["stg_orders", "amount", "aggregation:sum"]] }], groupBy: "group by day" },
  ...Array.from({ length: 300 }, (_, i): ModelSpec => ({ name: `other_${pad(i)}`, deps: i > 0 ? [`other_${pad(i - 1)}`] : [], columns: ["v"], ...(i % 3 === 0 ? {} : { adapter: "sf" }) })),
];

describe("projected cost reads only the changed models, their downstream and their ancestors", () => {
  it("prices stg_orders and fct_revenue without reading any of the 300 other models' columns or clauses", async () => {
    const head = countingProject(buildProject(specs, adapters));
    const base = countingProject(buildProject(specs, adapters));
    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"], downstream: ["fct_revenue"] }), head: head.project, base: base.project });

    assert.deepEqual(
      report.models.map((m) => `${m.model}:${m.role}`),
      ["stg_orders:changed", "fct_revenue:downstream"],
    );
    assert.equal(report.warehouse, "snowflake", "the warehouse most models run on (200 of 303)");
    // Whole-project: every model's adapter and dialect (config) name the majority warehouse.
    for (const side of [head, base]) assert.deepEqual(modelsRead(side.read, ANALYSIS_FIELDS), ["fct_revenue", "raw_orders", "stg_orders"]);
  });

  it("with one adapter, reads no config of the models it does not price (every model runs on that warehouse)", async () => {
    const head = countingProject(buildProject(specs));
    const base = countingProject(buildProject(specs));
    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"], downstream: ["fct_revenue"] }), head: head.project, base: base.project });

    assert.equal(report.warehouse, "duckdb");
    for (const side of [head, base]) assert.deepEqual(modelsRead(side.read), ["fct_revenue", "raw_orders", "stg_orders"]);
  });
});
