/** The review core's public API (what the CLI, the Action and the App call). */
export { ciDiff, type CiDiffOutput, type DiffOutputOptions, lineageDiff, type LineageDiffOutput } from "./diff/lineage-diff.js";
export { diffProjects } from "./diff/diff-projects.js";
export { evaluateContract } from "./diff/evaluate-contract.js";
export { changedFiles, changedLines, createGitSourceReader, fetchAdvice, isReviewInputError, readTree, ReviewInputError, type ReviewInputErrorCode, resolveRefs, WORKTREE } from "./git/index.js";
export type { Clock, ModelRunRecord, ResolvedRefs, SourceReader, StateReader } from "./ports.js";
export { SYSTEM_CLOCK } from "./ports.js";
export * from "./report/rendered.js";
export * from "./report/types.js";
export { type AssembleExtras, assembleReport, type CompareOptions, type ComparedRefs, compareRefs, type ReviewOptions, type ReviewResult, reviewPullRequest } from "./review-pull-request.js";
