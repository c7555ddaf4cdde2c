import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import { observedCostUsd, type Warehouse, warehouseOf } from "../../../engine/src/cost/index.js";
import type { RockyConfig } from "../../../engine/src/project/types.js";
import { projectConfig } from "../report/project-access.js";
import type { CostConfidence, ModelChange, RowLevelChange, RowLevelClause } from "../report/types.js";
import { evaluateBudgets } from "./budget.js";
import type { CostData, CostReportDetail, CostSide, ModelCostDetail, ModelRunRecord, ProjectCostInput, TableStatistics } from "./cost-types.js";
import { runsPerMonth } from "./schedule.js";
import { type ModelStaticCost, modelWarehouse, staticModelCosts, tableKey, withAncestors } from "./static-estimate.js";

type Role = ModelCostDetail["role"];

interface Subject {
  readonly model: string;
  readonly baseModel: string;
  readonly role: Role;
}

/**
 * Projected cost of a pull request: for every changed model and every model downstream of a
 * change, the cost per run before (base) and after (head), the delta per run and per month for the
 * model's schedule, and which basis and confidence each number has:
 * - `observed`: the mean of the last `[cost] min_history_runs` successful runs in the state store,
 *   priced with Rocky's formula (duration × DBU/h for `[cost] warehouse_size` × `compute_cost_per_dbu`;
 *   BigQuery bytes × $6.25/TB; DuckDB $0). `high` with at least min_history_runs runs, else `medium`.
 *   When only base has history, "after" is the observed figure scaled by the static model's
 *   after/before ratio, and the row says so.
 * - `table_stats`: Rocky's static model fed with the warehouse's row/byte counts (`medium`).
 * - `static`: Rocky's static model with stub leaf statistics (`low`).
 * Then `[budget]` breaches (E027) per model and for the project.
 *
 * Reads its ports (run history, table statistics) first, then computes with `projectCostFromData`.
 */
export async function projectCost(input: ProjectCostInput): Promise<CostReportDetail> {
  const subjects = costSubjects(input.diff.models, input.diff.touchedModels, input.diff.downstreamModels);
  const limit = Math.max(1, projectConfig(input.head).cost.min_history_runs);
  const history = new Map<string, readonly ModelRunRecord[]>();
  const headHistory = new Map<string, readonly ModelRunRecord[]>();
  if (input.history) {
    for (const s of subjects) if (input.base?.models.has(s.baseModel)) history.set(s.baseModel, await input.history.recentRuns(s.baseModel, limit));
    // The project [budget] compares a whole run: every model's observed figure, not only the PR's (the rest would be stub guesses).
    if (projectConfig(input.head).budget?.max_usd !== undefined) {
      for (const name of new Set([...(input.base?.models.keys() ?? []), ...input.head.models.keys()])) if (!history.has(name)) history.set(name, await input.history.recentRuns(name, limit));
    }
  }
  if (input.headHistory) {
    for (const s of subjects) if (input.head.models.has(s.model)) headHistory.set(s.model, await input.headHistory.recentRuns(s.model, limit));
  }
  const stats = new Map<string, TableStatistics>();
  if (input.stats) {
    for (const ref of statsRefs(subjects, input.head, input.base)) {
      const key = tableKey(ref);
      if (stats.has(key)) continue;
      const s = await input.stats.tableStats(ref);
      if (s) stats.set(key, s);
    }
  }
  return projectCostFromData({ diff: input.diff, head: input.head, ...(input.base ? { base: input.base } : {}), history, headHistory, stats, ...(input.notPriced ? { notPriced: input.notPriced } : {}) });
}

/** The pure part of `projectCost`: everything already read. */
export function projectCostFromData(data: CostData): CostReportDetail {
  const { head, base } = data;
  const config = projectConfig(head).cost;
  const subjects = costSubjects(data.diff.models, data.diff.touchedModels, data.diff.downstreamModels);
  // The project [budget] needs every model's figure; otherwise only the subjects and their ancestors are priced.
  const everything = projectConfig(head).budget?.max_usd !== undefined;
  const headScope = everything ? undefined : withAncestors(head, subjects.map((s) => s.model));
  const baseScope = everything || !base ? undefined : withAncestors(base, subjects.map((s) => s.baseModel));
  const headStatic = staticModelCosts(head, data.stats, headScope);
  const baseStatic = base ? staticModelCosts(base, data.stats, baseScope) : new Map<string, ModelStaticCost>();
  const notes: string[] = [];

  const notPriced = data.notPriced ?? new Set<string>();
  const rows: ModelCostDetail[] = [];
  // Changed models whose change the estimate cannot see (subjects come changed first, downstream after).
  const unpricedModels: string[] = [];
  for (const subject of subjects) {
    // A head model that does not compile has no figure to give; its base figure is left out with it, so the totals compare alike.
    if (subject.role !== "removed" && notPriced.has(subject.model)) continue;
    const headModel = subject.role === "removed" ? undefined : head.models.get(subject.model);
    const baseModel = subject.role === "added" ? undefined : base?.models.get(subject.baseModel);
    const model = headModel ?? baseModel;
    if (!model) continue;
    const project = headModel ? head : (base as CompiledProject);
    const warehouse = modelWarehouse(project, model);
    const schedule = runsPerMonth(model.config.schedule ?? pipelineSchedule(project));
    if (schedule.note) notes.push(`${model.name}: ${schedule.note}`);
    // A schedule the PR changes (daily → hourly) changes the monthly cost though no run costs more: before runs on base's.
    const baseSchedule = headModel && baseModel && base ? runsPerMonth(baseModel.config.schedule ?? pipelineSchedule(base)) : schedule;
    const rescheduled = baseSchedule.runsPerMonth !== schedule.runsPerMonth;

    const staticBefore = baseModel ? baseStatic.get(baseModel.name) : undefined;
    const staticAfter = headModel ? headStatic.get(headModel.name) : undefined;
    const observedBefore = baseModel ? observedSide(data.history.get(baseModel.name), warehouse, config) : undefined;
    const observedAfter = headModel ? observedSide(data.headHistory?.get(headModel.name), warehouse, config) : undefined;

    // A base model whose SQL did not parse has no inputs the static estimate can see (a stub scan): no figure before, unless its runs measured one.
    const baseBroken = baseModel !== undefined && !baseModel.parsed && observedBefore === undefined;
    const before: CostSide | null = baseModel && !baseBroken ? (observedBefore ?? estimatedSide(staticBefore)) : null;
    let after: CostSide | null = null;
    let note: string | undefined = baseBroken && headModel ? "did not compile on the base branch: no figure before" : undefined;
    if (headModel) {
      if (observedAfter) {
        after = observedAfter;
      } else if (observedBefore) {
        const scaled = scaleObserved(observedBefore, staticBefore, staticAfter);
        after = scaled.side;
        note = scaled.note;
      } else {
        after = estimatedSide(staticAfter);
      }
    }
    if (observedBefore && observedBefore.runs !== undefined && observedBefore.runs < config.min_history_runs) {
      note = joinNotes(`${observedBefore.runs} of ${config.min_history_runs} runs in history`, note);
    }
    // An incremental model run more often reads fewer new rows each time: pricing every run at today's cost is the most it can be, not the estimate.
    if (rescheduled && headModel && INCREMENTAL.has(headModel.config.strategy.type) && schedule.runsPerMonth > baseSchedule.runsPerMonth) {
      note = joinNotes(`${headModel.config.strategy.type}: each of the more frequent runs reads fewer new rows, so Δ/month (every run at today's cost) is an upper bound`, note);
    }
    // A change the projection cannot see (a filter, the strategy): unless the branch's own runs measured it, its figure leaves the change out.
    // DuckDB runs in-process and costs $0 whatever it reads: nothing is left unpriced there.
    const unpriced = headModel && baseModel && !observedAfter && warehouse !== "duckdb" ? unpricedChanges(baseModel, headModel, data.diff.rowLevelChanges, staticBefore, staticAfter) : [];
    if (unpriced.length > 0) {
      note = joinNotes(`not priced: ${unpriced.join(", ")} (the estimate does not see it; this row's Δ leaves it out)`, note);
      if (after) after = { ...after, confidence: "low" };
      unpricedModels.push(subject.model);
    } else if (subject.role === "downstream" && headModel && !observedAfter && unpricedModels.length > 0) {
      // A downstream model reads what the unpriced change lets through (every row, once a filter is gone): its figure leaves that out too.
      const ancestors = withAncestors(head, [headModel.name]);
      const reads = unpricedModels.filter((m) => ancestors.has(m));
      if (reads.length > 0) {
        note = joinNotes(`reads ${reads.join(", ")}, whose change is not priced: this row's Δ leaves it out too`, note);
        if (after) after = { ...after, confidence: "low" };
      }
    }

    const deltaPerRun = before?.usd == null && after?.usd == null ? null : (after?.usd ?? 0) - (before?.usd ?? 0);
    const deltaPerMonth = deltaPerRun === null ? null : (after?.usd ?? 0) * schedule.runsPerMonth - (before?.usd ?? 0) * baseSchedule.runsPerMonth;
    const shown = after ?? before;
    rows.push({
      model: subject.model,
      role: subject.role,
      basis: shown?.basis ?? "static",
      confidence: weakest(before?.confidence, after?.confidence),
      schedule: schedule.schedule,
      runsPerMonth: schedule.runsPerMonth,
      ...(rescheduled ? { baseSchedule: baseSchedule.schedule, baseRunsPerMonth: baseSchedule.runsPerMonth } : {}),
      beforePerRun: before?.usd ?? null,
      afterPerRun: after?.usd ?? null,
      deltaPerRun,
      deltaPerMonth,
      ...(note ? { note } : {}),
      ...(unpriced.length > 0 ? { unpriced } : {}),
      warehouse,
      before,
      after,
    });
  }

  const totals = sumTotals(rows);
  const left = [...head.models.keys()].filter((name) => notPriced.has(name));
  // The models outside the PR run as they ran: their observed cost (when there is history) counts in the project's whole run on both sides.
  const observedElsewhere = new Map<string, number>();
  if (everything) {
    const withRow = new Set(rows.map((r) => r.model));
    for (const [name, records] of data.history) {
      const model = head.models.get(name) ?? base?.models.get(name);
      if (!model || withRow.has(name)) continue;
      const usd = observedSide(records, modelWarehouse(head.models.has(name) ? head : (base as CompiledProject), model), config)?.usd;
      if (usd !== undefined && usd !== null) observedElsewhere.set(name, usd);
    }
  }
  const budgets = evaluateBudgets({ rows, head, ...(base ? { base } : {}), headStatic, baseStatic, observedElsewhere, ...(left.length > 0 ? { notPriced } : {}) });
  return {
    currency: "USD",
    warehouse: projectWarehouse(head),
    models: rows,
    totals: totals.perMonth,
    totalsPerRun: totals.perRun,
    budgetBreaches: budgets,
    notes,
    ...(left.length > 0 ? { notPriced: left } : {}),
  };
}

/** Changed, added and removed models first (in the diff's order), then downstream ones; each once. */
function costSubjects(models: readonly ModelChange[], touched: readonly string[], downstream: readonly string[]): Subject[] {
  const out: Subject[] = [];
  const seen = new Set<string>();
  const touchedSet = new Set(touched);
  for (const m of models) {
    const role: Role | undefined =
      m.status === "added" ? "added" : m.status === "removed" ? "removed" : m.status === "modified" || m.touched || touchedSet.has(m.model) ? "changed" : undefined;
    if (!role) continue;
    const key = `${role === "removed" ? "base" : "head"}:${m.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ model: m.model, baseModel: m.baseModel ?? m.model, role });
  }
  const baseNames = new Map(models.map((m) => [m.model, m.baseModel ?? m.model]));
  for (const name of downstream) {
    const key = `head:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ model: name, baseModel: baseNames.get(name) ?? name, role: "downstream" });
  }
  return out;
}

/** Tables whose statistics matter: each subject's target and its direct inputs (upstream targets and external sources, and a leaf upstream's sources). */
function statsRefs(subjects: readonly Subject[], head: CompiledProject, base: CompiledProject | undefined) {
  const refs: { catalog?: string; schema: string; table: string }[] = [];
  const sources = (model: CompiledModel) => {
    for (const source of model.externalSources) {
      const parts = source.split(".");
      if (parts.length === 2) refs.push({ schema: parts[0], table: parts[1] });
      if (parts.length === 3) refs.push({ catalog: parts[0], schema: parts[1], table: parts[2] });
    }
  };
  const add = (project: CompiledProject, model: CompiledModel) => {
    refs.push(model.config.target);
    sources(model);
    for (const dep of model.dependsOn) {
      const upstream = project.models.get(dep);
      if (!upstream) continue;
      refs.push(upstream.config.target);
      // A leaf upstream not materialized yet is priced from the sources it reads.
      if (upstream.dependsOn.length === 0) sources(upstream);
    }
  };
  for (const s of subjects) {
    const h = head.models.get(s.model);
    if (h) add(head, h);
    const b = base?.models.get(s.baseModel);
    if (b && base) add(base, b);
  }
  return refs;
}

/** Strategies whose run reads only what is new since the last run: its cost scales with the data per run, not the number of runs. */
const INCREMENTAL: ReadonlySet<string> = new Set(["incremental", "time_interval", "microbatch"]);

const CLAUSE_LABEL: Readonly<Record<RowLevelClause, string>> = {
  from: "FROM",
  where: "WHERE",
  join: "JOIN",
  group_by: "GROUP BY",
  having: "HAVING",
  distinct: "DISTINCT",
  qualify: "QUALIFY",
  limit: "LIMIT",
  connect_by: "CONNECT BY",
  match_recognize: "MATCH_RECOGNIZE",
};

/** Clauses whose change the static model prices in part (which models are read, the join kinds, whether it aggregates): unpriced only when its figure did not move. */
const PARTLY_PRICED: ReadonlySet<RowLevelClause> = new Set(["from", "join", "group_by"]);

/**
 * What a changed model changes that Rocky's static model cannot price, and so a projection built
 * on it (or on base's observed cost scaled by it) leaves out: the materialization strategy
 * (incremental → full_refresh reads the whole table every run), and the row-level clauses the
 * model never reads (WHERE, HAVING, DISTINCT, QUALIFY, LIMIT, ...). FROM, JOIN and GROUP BY are
 * priced through the models read, the join kinds and aggregation: named only when the figure stayed
 * the same (a join on another key, a fan-out).
 */
function unpricedChanges(
  base: CompiledModel,
  head: CompiledModel,
  rowLevel: readonly RowLevelChange[],
  staticBefore: ModelStaticCost | undefined,
  staticAfter: ModelStaticCost | undefined,
): string[] {
  const out: string[] = [];
  if (base.config.strategy.type !== head.config.strategy.type) out.push(`strategy ${base.config.strategy.type} → ${head.config.strategy.type}`);
  const sameFigure = staticBefore !== undefined && staticAfter !== undefined && Math.abs(staticAfter.usd - staticBefore.usd) <= 1e-12 * Math.max(1, staticBefore.usd);
  for (const c of rowLevel) {
    if (c.model !== head.name) continue;
    if (PARTLY_PRICED.has(c.clause) && !sameFigure) continue;
    const label = CLAUSE_LABEL[c.clause] ?? c.clause;
    out.push(c.old === undefined ? `${label} added` : c.new === undefined ? `${label} removed` : `${label} changed`);
  }
  return [...new Set(out)];
}

function observedSide(records: readonly ModelRunRecord[] | undefined, warehouse: Warehouse, config: RockyConfig["cost"]): CostSide | undefined {
  const runs = (records ?? []).filter((r) => r.status === "success").slice(0, Math.max(1, config.min_history_runs));
  if (runs.length === 0) return undefined;
  const costs: number[] = [];
  for (const r of runs) {
    const usd = observedCostUsd({
      warehouse: warehouseOf(r.adapterType) ?? warehouse,
      duration_ms: r.durationMs,
      ...(r.bytesScanned !== undefined ? { bytes_scanned: r.bytesScanned } : {}),
      warehouse_size: config.warehouse_size,
      cost_per_dbu: config.compute_cost_per_dbu,
    });
    const value = usd ?? r.costUsd;
    if (value !== undefined) costs.push(value);
  }
  if (costs.length === 0) return undefined;
  const bytes = runs.filter((r) => r.bytesScanned !== undefined).map((r) => r.bytesScanned as number);
  return {
    usd: mean(costs),
    basis: "observed",
    confidence: runs.length >= config.min_history_runs ? "high" : "medium",
    durationMs: mean(runs.map((r) => r.durationMs)),
    ...(bytes.length > 0 ? { bytes: mean(bytes) } : {}),
    runs: runs.length,
  };
}

function estimatedSide(estimate: ModelStaticCost | undefined): CostSide | null {
  if (!estimate) return null;
  return {
    usd: estimate.usd,
    basis: estimate.fromStats ? "table_stats" : "static",
    confidence: estimate.confidence,
    ...(estimate.fromStats ? { bytes: estimate.bytesScanned } : {}),
  };
}

/** Observed cost of base, scaled by how the static model sees the change (after / before). */
function scaleObserved(observed: CostSide, before: ModelStaticCost | undefined, after: ModelStaticCost | undefined): { side: CostSide | null; note?: string } {
  if (!after) return { side: null };
  if (!before) return { side: estimatedSide(after), note: "no base estimate to scale the observed cost by" };
  const ratio = before.usd > 0 ? after.usd / before.usd : after.usd === 0 ? 1 : undefined;
  if (ratio === undefined) return { side: estimatedSide(after), note: "observed cost could not be scaled (static before = $0)" };
  const scale = (n: number | undefined) => (n === undefined ? undefined : n * ratio);
  const durationMs = scale(observed.durationMs);
  const bytes = scale(observed.bytes);
  const side: CostSide = {
    usd: observed.usd === null ? null : observed.usd * ratio,
    basis: "observed",
    confidence: ratio === 1 ? observed.confidence : weakest(observed.confidence, "medium"),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(bytes !== undefined ? { bytes } : {}),
    ...(observed.runs !== undefined ? { runs: observed.runs } : {}),
  };
  if (ratio === 1) return { side };
  return { side, note: `after = observed before × ${formatRatio(ratio)} (the static model's after/before ratio)` };
}

function formatRatio(r: number): string {
  return r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function pipelineSchedule(project: CompiledProject): string | undefined {
  const pipelines = projectConfig(project).pipelines;
  return (pipelines.find((p) => p.type === "transformation" && p.schedule) ?? pipelines.find((p) => p.schedule))?.schedule;
}

/** The warehouse most models run on. A model's warehouse follows from its adapter and dialect: each distinct pair is resolved once, not once per model. */
function projectWarehouse(project: CompiledProject): string {
  // Every adapter on one warehouse (the usual single adapter): every model runs there, whatever it names; no model's config is read.
  const adapters = projectConfig(project).adapters;
  const only = adapters.length > 0 ? warehouseOf(adapters[0].type) : undefined;
  if (only !== undefined && adapters.every((a) => warehouseOf(a.type) === only)) return only;
  const byAdapter = new Map<string | undefined, Map<CompiledModel["dialect"], { model: CompiledModel; n: number }>>();
  for (const m of project.models.values()) {
    let byDialect = byAdapter.get(m.config.adapter);
    if (!byDialect) byAdapter.set(m.config.adapter, (byDialect = new Map()));
    const seen = byDialect.get(m.dialect);
    if (seen) seen.n += 1;
    else byDialect.set(m.dialect, { model: m, n: 1 });
  }
  const counts = new Map<string, number>();
  for (const byDialect of byAdapter.values()) {
    for (const { model, n } of byDialect.values()) {
      const w = modelWarehouse(project, model);
      counts.set(w, (counts.get(w) ?? 0) + n);
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? warehouseOf(projectConfig(project).adapters[0]?.type) ?? "duckdb";
}

function sumTotals(rows: readonly ModelCostDetail[]) {
  const sum = (pick: (r: ModelCostDetail) => number | null): number | null => {
    const values = rows.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const beforePerMonth = sum((r) => (r.beforePerRun === null ? null : r.beforePerRun * (r.baseRunsPerMonth ?? r.runsPerMonth)));
  const afterPerMonth = sum((r) => (r.afterPerRun === null ? null : r.afterPerRun * r.runsPerMonth));
  return {
    perMonth: { beforePerMonth, afterPerMonth, deltaPerMonth: sum((r) => r.deltaPerMonth) },
    perRun: { before: sum((r) => r.beforePerRun), after: sum((r) => r.afterPerRun), delta: sum((r) => r.deltaPerRun) },
  };
}

const rank: Record<CostConfidence, number> = { low: 0, medium: 1, high: 2 };

function weakest(...cs: readonly (CostConfidence | undefined)[]): CostConfidence {
  const present = cs.filter((c): c is CostConfidence => c !== undefined);
  if (present.length === 0) return "low";
  return present.reduce((a, b) => (rank[b] < rank[a] ? b : a));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function joinNotes(a: string, b: string | undefined): string {
  return b ? `${a}; ${b}` : a;
}
