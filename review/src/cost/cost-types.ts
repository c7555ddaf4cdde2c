import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { ModelRunRecord, StateReader } from "../ports.js";
import type { CostBasis, CostConfidence, CostReport, ModelCost, ProjectDiff } from "../report/types.js";

/** Run history, newest first: the review's `StateReader` port (built by the shells from the lmdb state store). */
export type RunHistoryReader = StateReader;
export type { ModelRunRecord };

/** A physical table, as `[target]` names it (or a `schema.table` source). */
export interface TableRef {
  readonly catalog?: string;
  readonly schema: string;
  readonly table: string;
}

/** Row and byte counts the warehouse reports for a table (the adapter's `tableStats`). */
export interface TableStatistics {
  readonly rows?: number;
  readonly bytes?: number;
}

/** Table statistics through the warehouse adapter port; undefined when the table is unknown. */
export interface TableStatsReader {
  tableStats(ref: TableRef): Promise<TableStatistics | undefined>;
}

export interface ProjectCostInput {
  readonly diff: ProjectDiff;
  readonly head: CompiledProject;
  readonly base?: CompiledProject;
  readonly history?: RunHistoryReader;
  readonly stats?: TableStatsReader;
  /** When branch runs of head are recorded under another name (e.g. `branch__pr_42`): read head-side history from it. */
  readonly headHistory?: RunHistoryReader;
  /** Head models that do not compile (see CostData.notPriced). */
  readonly notPriced?: ReadonlySet<string>;
}

/** The same input with every port read into memory: what the pure computation takes. */
export interface CostData {
  readonly diff: ProjectDiff;
  readonly head: CompiledProject;
  readonly base?: CompiledProject;
  /** model → recent runs (newest first), base side (production). */
  readonly history: ReadonlyMap<string, readonly ModelRunRecord[]>;
  /** model → recent runs of the head (branch) version, when known. */
  readonly headHistory?: ReadonlyMap<string, readonly ModelRunRecord[]>;
  /** `catalog.schema.table` or `schema.table` (lower-case) → statistics. */
  readonly stats: ReadonlyMap<string, TableStatistics>;
  /**
   * Head models the caller knows do not compile (review-pull-request.ts, uncomparedModels): with no
   * known inputs, the static model would price each as a scan of a stub table, a figure that means
   * nothing. They get no row, and every total (per run, per month, the project budget's, on both
   * sides) leaves them out; the report names them in `notPriced`.
   */
  readonly notPriced?: ReadonlySet<string>;
}

/** One side (before or after) of a model's cost. */
export interface CostSide {
  readonly usd: number | null;
  readonly basis: CostBasis;
  readonly confidence: CostConfidence;
  /** Mean observed duration (scaled for the after side), when there is history. */
  readonly durationMs?: number;
  /** Bytes scanned: observed, or estimated from table statistics. */
  readonly bytes?: number;
  /** How many runs the observed figure averages. */
  readonly runs?: number;
}

/** The report's ModelCost plus the detail behind it (additive fields). */
export interface ModelCostDetail extends ModelCost {
  readonly warehouse: string;
  readonly before: CostSide | null;
  readonly after: CostSide | null;
}

export interface CostReportDetail extends CostReport {
  readonly models: readonly ModelCostDetail[];
  readonly totalsPerRun: {
    readonly before: number | null;
    readonly after: number | null;
    readonly delta: number | null;
  };
  /** Human notes about the whole estimate (assumptions, missing history). */
  readonly notes: readonly string[];
  /** The head models of `CostData.notPriced` (project order), which no row and no total includes; absent when none. */
  readonly notPriced?: readonly string[];
}
