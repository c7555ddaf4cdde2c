export { changedFiles, changedLines, lineInDiff, parseNameStatus, parseUnifiedZeroDiff, unquoteGitPath } from "./changed-files.js";
export { createGitSourceReader } from "./git-source-reader.js";
export { isProjectFile, normalizeProjectDir, type ProjectLayout, projectFileRole } from "./project-file-role.js";
export { catFileBatch, lazyTreeFiles, listTree, readEntries, readTree, type TreeEntry } from "./read-tree.js";
export { fetchAdvice, resolveRefs, WORKTREE } from "./resolve-refs.js";
export { isReviewInputError, ReviewInputError, type ReviewInputErrorCode } from "./review-input-error.js";
