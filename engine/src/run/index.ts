export { BRANCH_NAME_PATTERN, branchSchemaName, prBranchName, prNumberOfSchema, sanitizeBranchName } from "./branch-names.js";
export { type BranchInput, type BranchScope, branchCatalogs, createBranch, type DropBranchResult, dropBranch, sweepBranches } from "./branches.js";
export { type MaterializeInput, type MaterializePlan, materializeSql } from "./materialize-sql.js";
export { boundLiteral, type Granularity, type Partition, parsePartitionKey, partitionKey, planPartitions } from "./partitions.js";
export { type RenderableModel, type RenderOptions, renderModelSql } from "./render-model-sql.js";
export { type ModelRunResult, type ModelStatus, type RunOutput, type RunProjectOptions, runProject } from "./run-project.js";
export { type RunnableModel, runnableModels, withDownstream } from "./runnable-model.js";
export { loadSeed, type SeedLoad, seedRelations, seedTablesMissing } from "./load-seed.js";
export { changedModels, type ProductionRunInput, type PullRequestRunInput, runProduction, runPullRequestBranch } from "./pull-request.js";
