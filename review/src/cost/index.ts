export { evaluateBudgets } from "./budget.js";
export { formatUsd } from "./format-usd.js";
export type * from "./cost-types.js";
export { projectCost, projectCostFromData } from "./project-cost.js";
export { cronRunsPer30Days, DEFAULT_SCHEDULE, runsPerMonth, type ScheduleRuns } from "./schedule.js";
export { joinKinds, type ModelStaticCost, modelWarehouse, staticModelCosts, tableKey, withAncestors } from "./static-estimate.js";
export { type PreviewCostModel, type PreviewCostOptions, type PreviewCostOutput, renderPreviewCostMarkdown, toPreviewCostOutput } from "./preview-cost.js";
