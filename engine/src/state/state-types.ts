import type { SourceColumn } from "../project/types.js";

/** How one model's run ended. `skipped`: an upstream failed, so it was not run. */
export type ModelRunStatus = "success" | "failure" | "skipped";

/** One model's execution in one run (Rocky's RunRecord per model). Times are ISO-8601 UTC. */
export interface RunRecord {
  readonly run_id: string;
  readonly model: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly status: ModelRunStatus;
  readonly rows_affected?: number;
  readonly bytes_scanned?: number;
  readonly bytes_written?: number;
  readonly cost_usd?: number;
  /** Branch name when the run wrote into a branch schema; absent = production. */
  readonly branch?: string;
  /** What started the run: `manual`, `ci`, `pr`, `merge`, `schedule`, ... */
  readonly trigger: string;
  readonly adapter_type?: string;
  readonly error?: string;
}

/** A whole run: what `rocky cost latest` and `rocky history` read. */
export interface RunSummary {
  readonly run_id: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly status: "success" | "partial_failure" | "failure";
  readonly trigger: string;
  readonly branch?: string;
  readonly adapter_type?: string;
  readonly total_cost_usd?: number;
  readonly models: readonly string[];
}

/** A branch: a schema `branch__<name>` the branch's runs write into. */
export interface BranchRecord {
  readonly name: string;
  readonly schema: string;
  readonly pr?: number;
  readonly head_sha?: string;
  readonly created_at: string;
  readonly created_by?: string;
  readonly description?: string;
  /** Catalogs the branch schema was created in ("" = the connection's default): where drop looks. */
  readonly catalogs?: readonly string[];
}

export interface Watermark {
  readonly key: string;
  /** The high-water value as text (a timestamp, a number, a partition key). */
  readonly value: string;
  readonly updated_at: string;
}

export interface SchemaCacheEntry {
  /** `catalog.schema.table` or `schema.table`, lower-case. */
  readonly source: string;
  readonly columns: readonly SourceColumn[];
  readonly fetched_at: string;
  readonly ttl_seconds: number;
}

/**
 * The shape the review's cost port reads (review/src/ports.ts `ModelRunRecord`), so that a
 * `StateReader` is directly usable as the review's `StateReader` (`recentRuns`).
 */
export interface RecentRun {
  readonly model: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly status: ModelRunStatus;
  readonly durationMs: number;
  readonly bytesScanned?: number;
  readonly bytesWritten?: number;
  readonly rowsAffected?: number;
  readonly costUsd?: number;
  readonly adapterType?: string;
}

export interface RunHistoryQuery {
  /** A branch's runs; absent = production runs only; `"*"` = every run. */
  readonly branch?: string;
  /** Newest first, at most this many (default 20). */
  readonly limit?: number;
}

/** Everything that reads the state: the review, `rocky history`, the cost model, the compiler. */
export interface StateReader {
  readonly path: string;
  readonly schemaVersion: number;
  runHistory(model: string, query?: RunHistoryQuery): RunRecord[];
  /** The review's port: production runs, newest first. */
  recentRuns(model: string, limit: number): Promise<RecentRun[]>;
  getRun(runId: string): RunSummary | undefined;
  latestRun(query?: { readonly branch?: string }): RunSummary | undefined;
  getWatermark(key: string): Watermark | undefined;
  getBranch(name: string): BranchRecord | undefined;
  listBranches(): BranchRecord[];
  /** A cached DESCRIBE, or undefined when absent or older than its TTL. */
  getSchemaCache(source: string): SchemaCacheEntry | undefined;
  /** A value of the generic cache (the compiler's per-content-hash cache, ...). */
  cacheGet<T = unknown>(ns: string, key: string): T | undefined;
  hasDelivery(id: string): boolean;
}

export interface StateWriter {
  /** Record a run: its summary and every model's record, in one transaction. */
  recordRun(summary: RunSummary, records: readonly RunRecord[]): Promise<void>;
  setWatermark(key: string, value: string): Promise<void>;
  putBranch(record: BranchRecord): Promise<void>;
  /** Returns false when there was no such branch. */
  removeBranch(name: string): Promise<boolean>;
  /**
   * Record a webhook delivery id. Atomic (also across processes sharing the store): exactly one
   * caller gets `true` for an id; later callers get `false` until the record expires (TTL).
   */
  recordDelivery(id: string): Promise<boolean>;
  /** Forget a delivery id (its work failed): the next `recordDelivery` of it gets `true` again. */
  forgetDelivery(id: string): Promise<void>;
  /** Remove delivery records older than the TTL; returns how many were removed. */
  sweepDeliveries(): Promise<number>;
  putSchemaCache(source: string, columns: readonly SourceColumn[], ttlSeconds?: number): Promise<void>;
  clearSchemaCache(): Promise<number>;
  cachePut(ns: string, key: string, value: unknown): Promise<void>;
  cacheDelete(ns: string, key: string): Promise<boolean>;
  /** Drop a whole namespace; returns how many entries were removed. */
  cacheClear(ns: string): Promise<number>;
  /** Wait until every write so far is durable. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

export type StateStore = StateReader & StateWriter;
