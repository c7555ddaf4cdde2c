import type { WarehouseAdapter } from "../adapters/warehouse-adapter.js";
import type { CompiledProject } from "../compile/types.js";
import type { BranchRecord, StateStore } from "../state/state-types.js";
import { prBranchName } from "./branch-names.js";
import { checkModelAdapters } from "./model-adapters.js";
import { branchCatalogs, createBranch } from "./branches.js";
import { type RunOutput, runProject } from "./run-project.js";
import { type RunnableModel, runnableModels, withDownstream } from "./runnable-model.js";
import { runTargetProblems, targetProblemsText } from "./target-problems.js";

/**
 * Models of `head` that are new or whose content (SQL, sidecar, contract) differs from `base`, or
 * whose run differs (the SQL after `@var`, the target, the strategy, the dialect: a change made once
 * in `_defaults.toml`, a group file or rocky.toml reaches every model it configures), plus every
 * model downstream of one, in execution order. Without a base, every model.
 */
export function changedModels(head: CompiledProject, base?: CompiledProject): string[] {
  const models = runnableModels(head);
  if (base === undefined) return models.map((m) => m.name);
  const before = new Map(runnableModels(base).map((m) => [m.name, runKey(m)]));
  const runs = new Map(models.map((m) => [m.name, runKey(m)]));
  const changed = [...head.models.values()].filter((m) => base.models.get(m.name)?.contentHash !== m.contentHash || before.get(m.name) !== runs.get(m.name)).map((m) => m.name);
  return withDownstream(models, changed);
}

/** What running a model does, as one comparable string (keys sorted, so the loader's key order does not matter). */
function runKey(m: RunnableModel): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v;
  return JSON.stringify(sorted([m.sql, m.dialect, m.target, m.strategy]));
}

function costOf(project: CompiledProject) {
  const c = project.project.config.cost;
  return { warehouse_size: c.warehouse_size, compute_cost_per_dbu: c.compute_cost_per_dbu };
}

export interface PullRequestRunInput {
  readonly adapter: WarehouseAdapter;
  readonly state?: StateStore;
  readonly pr: number;
  readonly headSha?: string;
  /** The PR head, compiled. */
  readonly head: CompiledProject;
  /** The merge base, compiled: only changed models and their downstream run. Absent: all. */
  readonly base?: CompiledProject;
  readonly now?: () => Date;
}

/**
 * A pull request's branch schema: create `branch__pr_<n>` (idempotent, head SHA recorded), then run
 * the changed models and their downstream into it, reading unchanged upstreams from production.
 */
export async function runPullRequestBranch(input: PullRequestRunInput): Promise<{ branch: BranchRecord; changed: string[]; run: RunOutput }> {
  const models = runnableModels(input.head);
  const changed = changedModels(input.head, input.base);
  checkTargets(input.head, changed);
  checkModelAdapters(models, { name: input.adapter.id, type: input.adapter.type }, changed);
  const branch = await createBranch(input.adapter, input.state, { pr: input.pr, head_sha: input.headSha }, { catalogs: branchCatalogs(models), now: input.now });
  const run = await runProject({ models, adapter: input.adapter, state: input.state, branch: prBranchName(input.pr), select: changed, trigger: "pr", cost: costOf(input.head), now: input.now });
  return { branch, changed, run };
}

export interface ProductionRunInput {
  readonly adapter: WarehouseAdapter;
  readonly state?: StateStore;
  /** The default branch after the merge, compiled. */
  readonly head: CompiledProject;
  /** The default branch before the merge: only changed models and their downstream run. Absent: all. */
  readonly base?: CompiledProject;
  readonly trigger?: string;
  readonly now?: () => Date;
}

/**
 * After a merge (or a push to the default branch): run the changed models and their downstream in
 * production, and with them what production needs but does not have: models whose latest production
 * run (in the state store) failed or was skipped, and the upstreams of the models to run whose
 * table does not exist (the first production run; a model built by hand and dropped). Their
 * downstream runs too. Without this, a model that failed once stays stale until someone edits it.
 */
export async function runProduction(input: ProductionRunInput): Promise<{ changed: string[]; retried: string[]; missing: string[]; run: RunOutput }> {
  const models = runnableModels(input.head);
  const changed = changedModels(input.head, input.base);
  checkTargets(input.head, changed);
  const state = input.state;
  const retried = state === undefined ? [] : models.filter((m) => m.strategy.type !== "ephemeral" && !changed.includes(m.name) && notSucceeded(state, m.name)).map((m) => m.name);
  // Before the warehouse is asked anything: the missing upstreams added below are upstreams of these, checked with them.
  checkModelAdapters(models, { name: input.adapter.id, type: input.adapter.type }, withDownstream(models, [...changed, ...retried]));
  const missing = await missingUpstreams(input.adapter, models, withDownstream(models, [...changed, ...retried]));
  const select = withDownstream(models, [...changed, ...retried, ...missing]);
  const run = await runProject({ models, adapter: input.adapter, state: input.state, select, trigger: input.trigger ?? "merge", cost: costOf(input.head), now: input.now });
  return { changed, retried, missing, run };
}

/** The model's latest production run (not a branch's) did not succeed. */
function notSucceeded(state: StateStore, model: string): boolean {
  const last = state.runHistory(model, { limit: 1 })[0];
  return last !== undefined && last.status !== "success";
}

/**
 * Upstreams (through ephemeral models) of `selected` that are not selected and whose target the
 * warehouse does not have, and theirs in turn. A warehouse that cannot say is left to the run to report.
 */
async function missingUpstreams(adapter: WarehouseAdapter, models: readonly RunnableModel[], selected: readonly string[]): Promise<string[]> {
  const byName = new Map(models.map((m) => [m.name.toLowerCase(), m]));
  const chosen = new Set(selected.map((s) => s.toLowerCase()));
  const checked = new Set<string>();
  const missing: string[] = [];
  const queue = [...chosen];
  while (queue.length > 0) {
    const m = byName.get(queue.shift() as string);
    for (const dep of m?.dependsOn ?? []) {
      const k = dep.toLowerCase();
      const d = byName.get(k);
      if (d === undefined || chosen.has(k) || checked.has(k)) continue;
      checked.add(k);
      if (d.strategy.type === "ephemeral") {
        queue.push(k);
        continue;
      }
      const exists = await adapter.describeTable(d.target).then(
        (cols) => cols !== undefined,
        () => true,
      );
      if (exists) continue;
      missing.push(d.name);
      chosen.add(k);
      queue.push(k);
    }
  }
  return missing;
}

/** A run whose models' targets are not all known (a missing or empty target schema): refused before any warehouse work. */
export class TargetConfigError extends Error {
  override readonly name = "TargetConfigError";
}

/** Throws a TargetConfigError naming the first target finding's file and line, when `changed` (or what it reads) has one. */
export function checkTargets(head: CompiledProject, changed: readonly string[]): void {
  const problems = runTargetProblems(head, changed);
  if (problems.length > 0) throw new TargetConfigError(targetProblemsText(problems));
}
