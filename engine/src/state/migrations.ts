import type { RunRecord, RunSummary } from "./state-types.js";

/** The sub-databases of the store, by name. */
export const DB_NAMES = ["meta", "runs", "run_summaries", "runs_by_time", "watermarks", "branches", "deliveries", "schema_cache", "cache"] as const;
export type DbName = (typeof DB_NAMES)[number];

/** What a migration sees: synchronous access to every sub-database, inside one write transaction. */
export interface MigrationContext {
  get(db: DbName, key: unknown): unknown;
  put(db: DbName, key: unknown, value: unknown): void;
  remove(db: DbName, key: unknown): void;
  entries(db: DbName): Iterable<{ key: unknown; value: unknown }>;
}

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(ctx: MigrationContext): void;
}

/** Production runs are keyed with an empty branch so they sort first and range-scan cheaply. */
export function branchKey(branch: string | undefined): string {
  return branch ?? "";
}

/**
 * Numbered migrations, applied in order, each in its own transaction with the version bump, so a
 * crash mid-way leaves the store at the previous version. Never edit a released migration: add one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "initial layout: per-model run records, branches, watermarks, webhook deliveries, schema cache, generic cache",
    up: () => {},
  },
  {
    version: 2,
    description: "run summaries by run id and by time, rebuilt from the per-model run records",
    up: (ctx) => {
      const byRun = new Map<string, RunRecord[]>();
      for (const { value } of ctx.entries("runs")) {
        const r = value as RunRecord;
        const list = byRun.get(r.run_id) ?? [];
        list.push(r);
        byRun.set(r.run_id, list);
      }
      for (const [runId, records] of byRun) {
        if (ctx.get("run_summaries", runId) !== undefined) continue;
        const summary = summarize(runId, records);
        ctx.put("run_summaries", runId, summary);
        ctx.put("runs_by_time", [branchKey(summary.branch), Date.parse(summary.started_at), runId], runId);
      }
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** A run summary from its model records (for migrated stores, whose runs predate summaries). */
export function summarize(runId: string, records: readonly RunRecord[]): RunSummary {
  const started = Math.min(...records.map((r) => Date.parse(r.started_at)));
  const finished = Math.max(...records.map((r) => Date.parse(r.finished_at)));
  const failures = records.filter((r) => r.status !== "success").length;
  const costs = records.map((r) => r.cost_usd).filter((c): c is number => c !== undefined);
  const first = records[0];
  const summary: { -readonly [K in keyof RunSummary]: RunSummary[K] } = {
    run_id: runId,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(finished).toISOString(),
    duration_ms: finished - started,
    status: failures === 0 ? "success" : failures === records.length ? "failure" : "partial_failure",
    trigger: first.trigger,
    models: records.map((r) => r.model),
  };
  if (first.branch !== undefined) summary.branch = first.branch;
  if (first.adapter_type !== undefined) summary.adapter_type = first.adapter_type;
  if (costs.length > 0) summary.total_cost_usd = costs.reduce((a, b) => a + b, 0);
  return summary;
}
