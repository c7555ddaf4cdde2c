import type { CompiledProject } from "../compile/types.js";
import { type CostEstimate, estimateStaticCost, type TableStats } from "./static-cost.js";
import { type Warehouse, warehouseOf } from "./warehouse-cost-model.js";

export interface CompiledCostOptions {
  /** Catalog statistics per model (leaf scans start from them); otherwise the stub statistics. */
  readonly leafStats?: ReadonlyMap<string, TableStats>;
  /** Price every model on this warehouse (Rocky's compile uses Databricks); default: each model's own dialect. */
  readonly warehouse?: Warehouse;
}

/**
 * The static estimate of every model of a compiled project (Rocky's compile `cost_hint` and the
 * basis of E027): the DAG's model dependencies, stub leaf statistics unless real ones are given.
 */
export function estimateCompiledProject(compiled: Pick<CompiledProject, "models">, options: CompiledCostOptions = {}): Map<string, CostEstimate> {
  const inputs = [...compiled.models.values()].map((m) => ({
    name: m.name,
    dependsOn: m.dependsOn,
    warehouse: options.warehouse ?? warehouseOf(m.dialect) ?? "databricks",
  }));
  return estimateStaticCost(inputs, options.leafStats);
}
