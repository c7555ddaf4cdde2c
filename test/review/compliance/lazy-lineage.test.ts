import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeCompliance } from "../../../review/src/compliance/index.js";
import { ANALYSIS_FIELDS, countingProject, modelsRead } from "../support/counting-project.js";
import { buildProject, type ModelSpec } from "./support/project-builder.js";

const specs: ModelSpec[] = [
  { name: "raw_customers", columns: ["customer_id", "email"], classification: { email: "pii" } },
  { name: "stg_customers", deps: ["raw_customers"], columns: [{ name: "email", from: [["raw_customers", "email"]] }, { name: "customer_id", from: [["raw_customers", "customer_id"]] }] },
  { name: "fct_orders", deps: ["stg_customers"], columns: [{ name: "customer_email", from: [["stg_customers", "email", "cast"]] }] },
  { name: "dim_ids", deps: ["stg_customers"], columns: [{ name: "customer_id", from: [["stg_customers", "customer_id"]] }] },
  // A big project around it that no classified value reaches.
  ...Array.from({ length: 300 }, (_, i): ModelSpec => ({ name: `other_${String(i).padStart(3, "0")}`, deps: i > 0 ? [`other_${String(i - 1).padStart(3, "0")}`] : [], columns: [{ name: "v", from: i > 0 ? [[`other_${String(i - 1).padStart(3, "0")}`, "v"]] : [] }] })),
];

describe("compliance lineage reads only the models a classified value reaches", () => {
  it("finds the unmasked copies downstream and reads no column of the 300 unrelated models", () => {
    const { project, read } = countingProject(buildProject(specs, { mask: { defaults: {} } }));
    const report = analyzeCompliance(project);

    assert.deepEqual(
      report.exceptions.filter((e) => e.via_lineage).map((e) => `${e.model}.${e.column}`),
      ["fct_orders.customer_email", "stg_customers.email"],
    );
    assert.equal(report.models_scanned, 304);
    // Whole-project: every model's [classification] (config) is read to list the classified columns.
    assert.deepEqual(modelsRead(read, ANALYSIS_FIELDS), ["dim_ids", "fct_orders", "raw_customers", "stg_customers"]);
  });

  it("reads no model's columns when nothing is classified", () => {
    const { project, read } = countingProject(buildProject(specs.slice(3)));
    const report = analyzeCompliance(project);

    assert.equal(report.exceptions.length, 0);
    assert.deepEqual(modelsRead(read, ANALYSIS_FIELDS), []);
  });
});
