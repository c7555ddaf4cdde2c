/**
 * The review core's ports: everything it reads from outside goes through these small interfaces,
 * so the core can run against git (review/src/git), a fake in tests, or a GitHub API checkout.
 */
import type { ProjectFiles, ProjectFileText } from "../../engine/src/project/types.js";
import type { QuickComparison } from "./git/quick-compare.js";
import type { TreeListing } from "./git/tree-listing.js";
import type { ChangedFile } from "./report/types.js";

/** The commits a review compares. */
export interface ResolvedRefs {
  readonly base: { readonly ref: string; readonly sha: string };
  readonly head: { readonly ref: string; readonly sha: string };
  /** Merge-base of base and head (GitHub's three-dot diff). */
  readonly mergeBase: string;
  /** Head is the work tree (uncommitted changes included); `head.sha` is then the SHA of HEAD. */
  readonly worktree: boolean;
}

/** Reads the two sides of a pull request. */
export interface SourceReader {
  resolveRefs(base: string, head: string): Promise<ResolvedRefs>;
  /** The project's files at `commit` (or the work tree for `WORKTREE`), project-relative paths. Binary → null. */
  readProject(commit: string, projectDir: string): Promise<ProjectFiles>;
  /** Files changed between `from` and `to` with head-side line ranges. */
  changedFiles(from: string, to: string, projectDir: string): Promise<readonly ChangedFile[]>;
  /**
   * Optional, for cached reviews: the project's files at `commit` with their blob ids, without
   * reading them (what keys a cached base compile), their texts, and a map that reads them only
   * when asked (`unchanged` says, without reading, whether a path reads the same in `other`: the same blob, or absent from both).
   */
  listProject?(commit: string, projectDir: string): Promise<readonly ProjectEntry[]>;
  readEntries?(entries: readonly ProjectEntry[]): Promise<Map<string, ProjectFileText>>;
  lazyFiles?(listing: TreeListing, known: ProjectFiles, other?: TreeListing): ProjectFiles & { unchanged(path: string): boolean };
  /**
   * Optional, for cached reviews: resolveRefs and changedFiles at once, plus the blob ids of the
   * project files the PR changed (head = the merge-base's listing + those); undefined when the
   * common case does not hold (then resolveRefs says what is wrong).
   */
  quickCompare?(base: string, head: string, projectDir: string): Promise<QuickComparison | undefined>;
  /**
   * Optional: every directory below the project at `commit` (or the work tree for `WORKTREE`),
   * project-relative, or undefined when the project directory is not there. A `modelsDir` or
   * `contractsDir` that neither side has is a ReviewInputError, not a project with no models.
   */
  directories?(commit: string, projectDir: string): Promise<readonly string[] | undefined>;
}

/** A file of the project at a commit: its project-relative path and its blob id. */
export interface ProjectEntry {
  readonly path: string;
  readonly object: string;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A monotonic timer in milliseconds, for durations. */
  elapsed(): number;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  elapsed: () => performance.now(),
};

/** One past run of a model, as the state store records it (engine/src/state, charter 4). */
export interface ModelRunRecord {
  readonly model: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly status: "success" | "failure" | "skipped";
  readonly durationMs: number;
  readonly bytesScanned?: number;
  readonly bytesWritten?: number;
  readonly rowsAffected?: number;
  readonly costUsd?: number;
  /** Adapter type the run used (`duckdb`, `databricks`, ...). */
  readonly adapterType?: string;
}

/**
 * Run history, read-only. The shells build it from the lmdb state store; the review core never
 * imports lmdb. Absent = no history (costs fall back to table statistics or the static estimate).
 */
export interface StateReader {
  /** The most recent runs of `model`, newest first, at most `limit`. */
  recentRuns(model: string, limit: number): Promise<readonly ModelRunRecord[]>;
}
