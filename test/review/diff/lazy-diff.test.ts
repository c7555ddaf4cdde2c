import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompiledModel } from "../../../engine/src/compile/types.js";
import { diffProjects } from "../../../review/src/diff/diff-projects.js";
import type { ChangedFile } from "../../../review/src/report/types.js";
import { countingProject, EDGE_FIELDS, modelsRead } from "../support/counting-project.js";
import { col, model, project } from "./build-compiled.js";

const pad = (i: number) => String(i).padStart(3, "0");

function chain(amountType: string): CompiledModel[] {
  return [
    model("stg_orders", { columns: [col("id", "Int64", { src: ["raw.orders.id"] }), col("amount", amountType, { src: ["raw.orders.amount"], fp: "amount" })], sql: `select id, amount::${amountType}` }),
    model("int_orders", { columns: [col("amount", amountType, { src: ["stg_orders.amount"] })] }),
    model("fct_revenue", { columns: [col("total", "Decimal(38,2)", { src: ["int_orders.amount:sum"], fp: "sum(amount)" })] }),
    model("dim_ids", { columns: [col("id", "Int64", { src: ["stg_orders.id"] })] }),
    ...Array.from({ length: 300 }, (_, i) => model(`other_${pad(i)}`, { columns: [col("v", "Int64", { src: [i > 0 ? `other_${pad(i - 1)}.v` : "raw.other.v"] })] })),
  ];
}

const changed: ChangedFile[] = [{ path: "models/stg_orders.sql", projectPath: "models/stg_orders.sql", status: "modified", headRanges: [{ start: 1, end: 1 }], binary: false, role: "model_sql" }];

describe("the diff reads only the models a change reaches", () => {
  it("compares and traces stg_orders → int_orders → fct_revenue (and dim_ids, which reads stg_orders) and none of the 300 other models", () => {
    const base = countingProject(project(chain("Decimal(18,2)")));
    const head = countingProject(project(chain("Int32")));
    const d = diffProjects(base.project, head.project, changed);

    assert.deepEqual(
      d.columnChanges.map((c) => `${c.model}.${c.column}:${c.change.kind}`),
      ["stg_orders.amount:type_changed", "int_orders.amount:type_changed"],
    );
    assert.deepEqual(d.blastRadius.entries[0]?.models, ["fct_revenue", "int_orders"]);
    // Neither their analysis nor their loaded source (config, sidecar, contract): a lazily loaded project decodes neither.
    const unrelated = (read: Map<string, Set<string>>) => modelsRead(read).filter((n) => n.startsWith("other_"));
    assert.deepEqual(unrelated(head.read), [], "head: no unrelated model read");
    assert.deepEqual(unrelated(base.read), [], "base: no unrelated model read");
    // Which untouched models to compare comes from the changed models' readers (downstream), not from every model's edges.
    const edgesRead = (read: Map<string, Set<string>>) => modelsRead(read, EDGE_FIELDS).filter((n) => n.startsWith("other_"));
    assert.deepEqual(edgesRead(head.read), [], "head: no unrelated model's dependsOn read");
    assert.deepEqual(edgesRead(base.read), [], "base: no unrelated model's dependsOn read");
  });

  it("a changed .toml makes only the model of that stem look up its sidecar and contract", () => {
    // Same content on both sides: only the changed-path check can tell whether a model owns the file.
    const base = countingProject(project(chain("Int32")));
    const head = countingProject(project(chain("Int32")));
    const sidecar: ChangedFile = { path: "models/stg_orders.toml", projectPath: "models/stg_orders.toml", status: "modified", headRanges: [{ start: 1, end: 1 }], binary: false, role: "model_config" };
    const d = diffProjects(base.project, head.project, [sidecar]);

    assert.deepEqual(d.touchedModels, [], "stg_orders has no sidecar: the .toml is not its");
    for (const side of [base, head]) {
      assert.deepEqual(modelsRead(side.read, ["sidecarFile", "contract"]), ["stg_orders"]);
      assert.deepEqual(modelsRead(side.read).filter((n) => n !== "stg_orders"), []);
    }
  });
});
