export { type BudgetCheckModel, type BudgetCheckOptions, checkBudget, checkProjectBudget, effectiveBudget } from "./check-budget.js";
export { type CompiledCostOptions, estimateCompiledProject } from "./estimate-compiled-project.js";
export { type ObservedCostInput, observedCostUsd } from "./observed-cost.js";
export {
  AGG_ROW_BYTES,
  aggregateProjectCost,
  type Confidence,
  type CostEstimate,
  DEFAULT_TRANSFORM_SELECTIVITY,
  estimateAggregate,
  estimateFilter,
  estimateJoin,
  estimateStaticCost,
  estimateTableScan,
  type JoinKind,
  minConfidence,
  type StaticCostModelInput,
  STUB_LEAF_STATS,
  type TableStats,
} from "./static-cost.js";
export {
  BIGQUERY_USD_PER_TB,
  DBU_PER_HOUR,
  DEFAULT_COST_PER_DBU,
  DEFAULT_WAREHOUSE_SIZE,
  dbuPerHour,
  type Warehouse,
  WAREHOUSE_COST_MODELS,
  warehouseOf,
} from "./warehouse-cost-model.js";
