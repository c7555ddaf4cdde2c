import { randomUUID } from "node:crypto";
import { AdapterError } from "../adapters/adapter-error.js";
import type { TableRef, WarehouseAdapter } from "../adapters/warehouse-adapter.js";
import { observedCostUsd } from "../cost/observed-cost.js";
import type { StateStore } from "../state/state-types.js";
import type { RunRecord, RunSummary } from "../state/state-types.js";
import { branchSchemaName } from "./branch-names.js";
import { materializeSql } from "./materialize-sql.js";
import { checkModelAdapters } from "./model-adapters.js";
import { boundLiteral, type Granularity, planPartitions } from "./partitions.js";
import { renderModelSql } from "./render-model-sql.js";
import type { RunnableModel } from "./runnable-model.js";
import { blankTargets } from "./target-problems.js";

export interface RunProjectOptions {
  /** Every model of the project, in execution order (`runnableModels(compiled)`). */
  readonly models: readonly RunnableModel[];
  readonly adapter: WarehouseAdapter;
  /** Where run records and time_interval watermarks go; absent = not recorded. */
  readonly state?: StateStore;
  /** Write the selected models into `branch__<branch>` instead of their schema; unselected upstreams are read from production. */
  readonly branch?: string;
  /** Models to run (default: all). Their upstreams that are not selected are read where they are. */
  readonly select?: readonly string[];
  /** What started the run (`manual`, `ci`, `pr`, `merge`, `schedule`). */
  readonly trigger: string;
  /** `[cost]` for observed cost. */
  readonly cost?: { readonly warehouse_size?: string; readonly compute_cost_per_dbu?: number };
  /** time_interval range (canonical partition keys, inclusive). */
  readonly partitions?: { readonly from?: string; readonly to?: string };
  /** Snowflake dynamic tables' warehouse (default: the adapter's `warehouse`; Snowflake requires one). */
  readonly warehouse?: string;
  /** Models run at once (default 1: one session, statements in order). */
  readonly concurrency?: number;
  readonly runId?: string;
  readonly now?: () => Date;
  /**
   * Stop (Ctrl-C): no model starts after it is aborted, the one in flight finishes its statements
   * (an open transaction is never left behind), the rest are `skipped`, and the run is recorded.
   */
  readonly signal?: AbortSignal;
}

export type ModelStatus = "success" | "failure" | "skipped";

export interface ModelRunResult {
  readonly model_name: string;
  readonly status: ModelStatus;
  readonly duration_ms: number;
  /** Where it was written, qualified as the warehouse spells it. */
  readonly target?: string;
  readonly action?: string;
  readonly rows_affected?: number;
  readonly cost_usd?: number;
  readonly partitions?: readonly string[];
  /** A strategy the warehouse lacks was replaced. */
  readonly fallback?: string;
  /** The target's columns had drifted from the model's: it was rebuilt. */
  readonly drift?: { readonly action: "drop_and_recreate"; readonly reason: string };
  /** `hint`: what to do about it, when the caller knows (e.g. a source the seed creates was never loaded). */
  readonly error?: { readonly message: string; readonly code?: string; readonly statement?: string; readonly hint?: string };
  /** The upstream whose failure skipped this model; or, with `skipped_reason`, the model at which the warehouse was lost. */
  readonly skipped_because?: string;
  /** Why a model was skipped, when not because an upstream failed: the warehouse could no longer be used, the run was interrupted. */
  readonly skipped_reason?: string;
}

/** Rocky-like `rocky run` JSON. */
export interface RunOutput {
  readonly command: "run";
  readonly run_id: string;
  readonly status: "success" | "partial_failure" | "failure";
  readonly trigger: string;
  readonly adapter_type: string;
  readonly branch?: string;
  readonly branch_schema?: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly total_cost_usd?: number;
  readonly models_succeeded: number;
  readonly models_failed: number;
  readonly models_skipped: number;
  /** Stopped by `signal` (Ctrl-C, SIGTERM): the models not started are skipped. */
  readonly interrupted?: true;
  readonly per_model: readonly ModelRunResult[];
}

interface Outcome {
  result: ModelRunResult;
  started: Date;
}

/**
 * Run models on a warehouse: create the target schemas, then each model after its upstreams
 * (dependency order; `concurrency` at once), record a RunRecord per model with its duration and
 * observed cost, and return the run. A model that fails marks everything downstream of it
 * `skipped`; independent models still run. Never throws for a warehouse failure: it is in the output.
 */
export async function runProject(options: RunProjectOptions): Promise<RunOutput> {
  const { adapter, models } = options;
  const now = options.now ?? (() => new Date());
  const runId = options.runId ?? randomUUID();
  const startedAt = now();
  const t0 = performance.now();
  const byName = new Map(models.map((m) => [m.name.toLowerCase(), m]));
  const selected = new Set((options.select ?? models.map((m) => m.name)).map((s) => s.toLowerCase()));
  const branchSchema = options.branch !== undefined ? branchSchemaName(options.branch) : undefined;

  const physical = (m: RunnableModel): TableRef => {
    const inBranch = branchSchema !== undefined && selected.has(m.name.toLowerCase());
    return { catalog: m.target.catalog, schema: inBranch ? branchSchema : m.target.schema, table: m.target.table };
  };
  const targets = new Map<string, string>();
  for (const m of models) if (m.strategy.type !== "ephemeral") targets.set(m.name.toLowerCase(), adapter.qualify(physical(m)));

  // Ephemeral models are rendered in execution order and inlined into their consumers.
  const inline = new Map<string, string>();
  const ephemeralErrors = new Map<string, string>();
  for (const m of models) {
    if (m.strategy.type !== "ephemeral") continue;
    const r = renderModelSql(m, targets, { inline });
    if (r.value === undefined) ephemeralErrors.set(m.name.toLowerCase(), r.diagnostics[0]?.message ?? "does not parse");
    else inline.set(m.name.toLowerCase(), r.value);
  }

  const toRun = models.filter((m) => selected.has(m.name.toLowerCase()) && m.strategy.type !== "ephemeral");
  // An empty schema or table is a configuration mistake (the compile says where): never `CREATE SCHEMA ""`.
  const blank = blankTargets(toRun.map((m) => ({ ...m, target: physical(m) })));
  if (blank.length > 0) throw new Error(`no target schema or table for ${blank.join(", ")}: set [target] schema and table in the sidecar or in _defaults.toml; nothing was run`);
  // A model whose `adapter` names another adapter never reaches this one (nor is read from it).
  checkModelAdapters(models, { name: adapter.id, type: adapter.type }, toRun.map((m) => m.name));
  const outcomes = new Map<string, Promise<Outcome>>();
  const schemaErrors = await createSchemas(adapter, toRun.map(physical));
  // Once the warehouse itself fails (connection lost, login refused: not a statement it rejected),
  // the models not yet started are skipped instead of each waiting out the driver's retries.
  let lost: { model: string; reason: string } | undefined;
  const warehouseLost = (m: RunnableModel, e: AdapterError) => {
    if (e.kind !== "sql" && lost === undefined) lost = { model: m.name, reason: `the warehouse could not be used after ${m.name} failed (${e.kind}): the rest of the run was not started` };
  };

  const limit = semaphore(Math.max(1, options.concurrency ?? 1));
  const runOne = async (m: RunnableModel): Promise<Outcome> => {
    // Wait for every selected upstream (through ephemerals) and skip when one did not succeed.
    for (const dep of upstreamsToWait(m, byName, selected)) {
      const o = await outcomes.get(dep);
      if (o === undefined || o.result.status === "success") continue;
      // Downstream of a model the interruption skipped: interrupted too, not "upstream failed".
      if (o.result.status === "skipped" && o.result.skipped_because === undefined) return { started: now(), result: { model_name: m.name, status: "skipped", duration_ms: 0, ...(o.result.skipped_reason ? { skipped_reason: o.result.skipped_reason } : {}) } };
      return { started: now(), result: { model_name: m.name, status: "skipped", duration_ms: 0, skipped_because: o.result.model_name } };
    }
    const brokenEphemeral = ephemeralUpstreams(m, byName).find((e) => ephemeralErrors.has(e));
    if (brokenEphemeral !== undefined) {
      return { started: now(), result: { model_name: m.name, status: "failure", duration_ms: 0, error: { message: `ephemeral upstream ${brokenEphemeral}: ${ephemeralErrors.get(brokenEphemeral)}` } } };
    }
    return limit(() => {
      if (options.signal?.aborted) return Promise.resolve({ started: now(), result: { model_name: m.name, status: "skipped", duration_ms: 0, skipped_reason: "the run was interrupted before this model started" } });
      if (lost !== undefined) return Promise.resolve({ started: now(), result: { model_name: m.name, status: "skipped", duration_ms: 0, skipped_because: lost.model, skipped_reason: lost.reason } });
      return runModel(m, physical(m), { ...options, targets, inline, now, branchSchema, schemaErrors, warehouseLost: (e) => warehouseLost(m, e) });
    });
  };
  for (const m of toRun) outcomes.set(m.name.toLowerCase(), runOne(m));
  const done = await Promise.all([...outcomes.values()]);

  const finishedAt = now();
  const perModel = done.map((o) => o.result);
  const failed = perModel.filter((r) => r.status === "failure").length;
  const skipped = perModel.filter((r) => r.status === "skipped").length;
  const succeeded = perModel.length - failed - skipped;
  const costs = perModel.map((r) => r.cost_usd).filter((c): c is number => c !== undefined);
  const status = failed + skipped === 0 ? "success" : succeeded === 0 ? "failure" : "partial_failure";
  const output: RunOutput = {
    command: "run",
    run_id: runId,
    status,
    trigger: options.trigger,
    adapter_type: adapter.type,
    ...(options.branch !== undefined ? { branch: options.branch, branch_schema: branchSchema } : {}),
    ...(options.signal?.aborted ? { interrupted: true as const } : {}),
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: Math.round(performance.now() - t0),
    ...(costs.length > 0 ? { total_cost_usd: costs.reduce((a, b) => a + b, 0) } : {}),
    models_succeeded: succeeded,
    models_failed: failed,
    models_skipped: skipped,
    per_model: perModel,
  };
  if (options.state) await record(options.state, output, done);
  return output;
}

interface ModelContext extends RunProjectOptions {
  readonly targets: ReadonlyMap<string, string>;
  readonly inline: ReadonlyMap<string, string>;
  readonly now: () => Date;
  readonly branchSchema?: string;
  readonly schemaErrors: ReadonlyMap<string, AdapterError>;
  /** Called with a failure of the warehouse itself (any kind but `sql`). */
  readonly warehouseLost: (e: AdapterError) => void;
}

async function runModel(m: RunnableModel, ref: TableRef, ctx: ModelContext): Promise<Outcome> {
  const { adapter } = ctx;
  const started = ctx.now();
  const t0 = performance.now();
  const target = adapter.qualify(ref);
  const base = { model_name: m.name, target };
  const fail = (message: string, e?: AdapterError): Outcome => {
    if (e !== undefined) ctx.warehouseLost(e);
    return failed(message, e);
  };
  const failed = (message: string, e?: AdapterError): Outcome => ({
    started,
    result: { ...base, status: "failure", duration_ms: Math.round(performance.now() - t0), error: { message, ...(e?.code ? { code: e.code } : {}), ...(e?.statement ? { statement: e.statement } : {}) } },
  });
  const schemaError = ctx.schemaErrors.get(schemaKey(ref));
  if (schemaError) return fail(schemaError.message, schemaError);
  if (ctx.branchSchema !== undefined && m.strategy.type === "time_interval") {
    return fail("time_interval models cannot run in a branch (their partitions and watermark belong to production); run them on main");
  }
  const partitions = m.strategy.type === "time_interval" ? timePartitions(m, ctx) : [undefined];
  if (partitions instanceof Error) return fail(partitions.message);
  let rows: number | undefined;
  let action: string | undefined;
  let fallback: string | undefined;
  let drift: string | undefined;
  const doneKeys: string[] = [];
  try {
    const existing = m.strategy.type === "full_refresh" || m.strategy.type === "view" ? undefined : await adapter.describeTable(ref);
    let exists = existing !== undefined;
    // Schema drift (rocky-compat.md §6.3): an incremental target whose columns no longer match
    // the model's would take misplaced or failing INSERTs; rebuild it, as Rocky's DropAndRecreate.
    if (existing !== undefined && m.columns !== undefined && m.columns.length > 0) {
      const have = existing.map((c) => c.name.toLowerCase());
      const want = m.columns.map((c) => c.toLowerCase());
      if (have.join("\u0000") !== want.join("\u0000")) {
        drift = `the target has columns (${have.join(", ")}), the model produces (${want.join(", ")})`;
        if (m.strategy.type === "time_interval") return fail(`schema drift: ${drift}; rebuilding would lose the partitions outside this run, so rebuild it on purpose (drop the table, or run every partition)`);
        exists = false;
      }
    }
    for (const p of partitions) {
      // Between partitions of a time_interval model: the done ones keep their watermark, the rest run next time.
      if (p !== undefined && doneKeys.length > 0 && ctx.signal?.aborted) return failed(`interrupted after partition(s) ${doneKeys.join(", ")}; the others run next time (from the watermark)`);
      const params = p === undefined ? undefined : { start_date: p.start, end_date: p.end };
      const rendered = renderModelSql(m, ctx.targets, { inline: ctx.inline, params });
      if (rendered.value === undefined) return fail(rendered.diagnostics[0]?.message ?? "the model does not parse");
      const plan = materializeSql({
        strategy: m.strategy,
        dialect: adapter.dialect,
        capabilities: adapter.capabilities,
        target,
        select: rendered.value,
        targetExists: exists,
        columns: m.columns,
        partition: p,
        warehouse: ctx.warehouse ?? adapter.computeWarehouse,
        quoteIdent: (n) => adapter.quoteIdent(n),
      });
      action = plan.action;
      fallback = plan.fallback;
      const n = await executePlan(adapter, plan.statements, plan.transactional && (ctx.concurrency ?? 1) === 1 && adapter.capabilities.transactions);
      if (n !== undefined) rows = (rows ?? 0) + n;
      exists = true;
      if (p !== undefined) {
        doneKeys.push(p.key === p.lastKey ? p.key : `${p.key}..${p.lastKey}`);
        // Only complete partitions move the watermark: the current one is re-run next time.
        if (ctx.state && ctx.branchSchema === undefined && p.complete) await ctx.state.setWatermark(watermarkKey(m), p.lastKey);
      }
    }
  } catch (e) {
    if (e instanceof AdapterError) return fail(e.message, e);
    throw e;
  }
  const duration = Math.round(performance.now() - t0);
  const cost = observedCostUsd({ warehouse: adapter.type, duration_ms: duration, warehouse_size: ctx.cost?.warehouse_size, cost_per_dbu: ctx.cost?.compute_cost_per_dbu });
  const result: ModelRunResult = {
    ...base,
    status: "success",
    duration_ms: duration,
    ...(action ? { action } : {}),
    ...(rows !== undefined ? { rows_affected: rows } : {}),
    ...(cost !== undefined ? { cost_usd: cost } : {}),
    ...(doneKeys.length > 0 ? { partitions: doneKeys } : {}),
    ...(fallback ? { fallback } : {}),
    ...(drift ? { drift: { action: "drop_and_recreate", reason: drift } } : {}),
  };
  return { started, result };
}

async function executePlan(adapter: WarehouseAdapter, statements: readonly string[], transactional: boolean): Promise<number | undefined> {
  let rows: number | undefined;
  if (transactional) await adapter.execute("BEGIN TRANSACTION");
  try {
    for (const sql of statements) {
      const r = await adapter.execute(sql);
      if (r.rowsAffected !== undefined && /^\s*(insert|merge|create)/i.test(sql)) rows = (rows ?? 0) + r.rowsAffected;
    }
    if (transactional) await adapter.execute("COMMIT");
  } catch (e) {
    if (transactional) await adapter.execute("ROLLBACK").catch(() => {});
    throw e;
  }
  return rows;
}

function timePartitions(m: RunnableModel, ctx: ModelContext): { start: string; end: string; key: string; lastKey: string; complete: boolean }[] | Error {
  if (m.strategy.type !== "time_interval") return [];
  const g: Granularity = m.strategy.granularity;
  try {
    const wm = ctx.state?.getWatermark(watermarkKey(m))?.value;
    const now = ctx.now();
    return planPartitions({
      granularity: g,
      firstPartition: m.strategy.first_partition,
      lastCompleted: wm,
      lookback: m.strategy.lookback,
      batchSize: m.strategy.batch_size,
      from: ctx.partitions?.from,
      to: ctx.partitions?.to,
      now,
    }).map((p) => ({ key: p.key, lastKey: p.lastKey, start: boundLiteral(p.start, g), end: boundLiteral(p.end, g), complete: p.end.getTime() <= now.getTime() }));
  } catch (e) {
    if (e instanceof RangeError) return new Error(`${m.name}: ${e.message}`);
    throw e;
  }
}

const watermarkKey = (m: RunnableModel) => `time_interval/${m.name}`;
const schemaKey = (r: { catalog?: string; schema: string }) => `${r.catalog ?? ""}.${r.schema}`.toLowerCase();

/** Create each target schema once. After a failure of the warehouse itself (not a statement it rejected), the rest are not tried: they get that error. */
async function createSchemas(adapter: WarehouseAdapter, refs: readonly TableRef[]): Promise<Map<string, AdapterError>> {
  const errors = new Map<string, AdapterError>();
  const seen = new Set<string>();
  let lost: AdapterError | undefined;
  for (const r of refs) {
    const k = schemaKey(r);
    if (seen.has(k)) continue;
    seen.add(k);
    if (lost !== undefined) {
      errors.set(k, lost);
      continue;
    }
    try {
      await adapter.createSchema({ catalog: r.catalog, schema: r.schema });
    } catch (e) {
      if (!(e instanceof AdapterError)) throw e;
      errors.set(k, e);
      if (e.kind !== "sql") lost = e;
    }
  }
  return errors;
}

/** Selected, materialized upstreams to wait for, looking through ephemeral models. */
function upstreamsToWait(m: RunnableModel, byName: ReadonlyMap<string, RunnableModel>, selected: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  const visit = (name: string, seen: Set<string>) => {
    const k = name.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    const dep = byName.get(k);
    if (dep === undefined) return;
    if (dep.strategy.type === "ephemeral") {
      for (const d of dep.dependsOn) visit(d, seen);
      return;
    }
    if (selected.has(k)) out.add(k);
  };
  const seen = new Set<string>();
  for (const d of m.dependsOn) visit(d, seen);
  return [...out];
}

function ephemeralUpstreams(m: RunnableModel, byName: ReadonlyMap<string, RunnableModel>): string[] {
  const out: string[] = [];
  const visit = (name: string) => {
    const dep = byName.get(name.toLowerCase());
    if (dep === undefined || dep.strategy.type !== "ephemeral" || out.includes(dep.name.toLowerCase())) return;
    out.push(dep.name.toLowerCase());
    for (const d of dep.dependsOn) visit(d);
  };
  for (const d of m.dependsOn) visit(d);
  return out;
}

function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

async function record(state: StateStore, output: RunOutput, outcomes: readonly Outcome[]): Promise<void> {
  const records: RunRecord[] = outcomes.map(({ result: r, started }) => ({
    run_id: output.run_id,
    model: r.model_name,
    started_at: started.toISOString(),
    finished_at: new Date(started.getTime() + r.duration_ms).toISOString(),
    duration_ms: r.duration_ms,
    status: r.status,
    trigger: output.trigger,
    adapter_type: output.adapter_type,
    ...(r.rows_affected !== undefined ? { rows_affected: r.rows_affected } : {}),
    ...(r.cost_usd !== undefined ? { cost_usd: r.cost_usd } : {}),
    ...(output.branch !== undefined ? { branch: output.branch } : {}),
    ...(r.error ? { error: r.error.message } : {}),
  }));
  const summary: RunSummary = {
    run_id: output.run_id,
    started_at: output.started_at,
    finished_at: output.finished_at,
    duration_ms: output.duration_ms,
    status: output.status,
    trigger: output.trigger,
    adapter_type: output.adapter_type,
    models: records.map((r) => r.model),
    ...(output.branch !== undefined ? { branch: output.branch } : {}),
    ...(output.total_cost_usd !== undefined ? { total_cost_usd: output.total_cost_usd } : {}),
  };
  await state.recordRun(summary, records);
}
