import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import {
  type CostEstimate,
  estimateStaticCost,
  type JoinKind,
  minConfidence,
  type StaticCostModelInput,
  type TableStats,
  type Warehouse,
  warehouseOf,
} from "../../../engine/src/cost/index.js";
import { projectConfig } from "../report/project-access.js";
import type { TableStatistics } from "./cost-types.js";

/**
 * Rocky's static cost model (engine/src/cost, charter 8) applied to a compiled project, turned
 * into a cost **per model per run**. Rocky's estimates are cumulative (a model's figure includes
 * everything upstream of it); a model's own run cost is its figure minus its parents' (the
 * processing it adds), and a table scan for a model priced from statistics or the stub leaf.
 */
export interface ModelStaticCost {
  /** USD for one run of this model alone. */
  readonly usd: number;
  /** Estimated output rows and bytes. */
  readonly rows: number;
  readonly bytes: number;
  /** Bytes the model reads (its inputs' estimated bytes; its own for a scan). */
  readonly bytesScanned: number;
  readonly confidence: "high" | "medium" | "low";
  /** Priced (directly or through an ancestor) from warehouse table statistics rather than the stub. */
  readonly fromStats: boolean;
  readonly warehouse: Warehouse;
}

/** Key of a table for the statistics map: lower-case `catalog.schema.table` (or `schema.table`). */
export function tableKey(ref: { readonly catalog?: string; readonly schema: string; readonly table: string }): string {
  return [ref.catalog, ref.schema, ref.table]
    .filter((p): p is string => p !== undefined && p !== "")
    .join(".")
    .toLowerCase();
}

/** The warehouse that runs a model: its adapter's type, else the pipeline's target adapter, else the default adapter, else its dialect. */
export function modelWarehouse(project: CompiledProject, model: CompiledModel): Warehouse {
  const config = projectConfig(project);
  const adapters = config.adapters;
  const byName = (name: string | undefined) => (name === undefined ? undefined : adapters.find((a) => a.name === name));
  const pipelineAdapter = config.pipelines.find((p) => p.targetAdapter !== undefined)?.targetAdapter;
  const adapter = byName(model.config.adapter) ?? byName(pipelineAdapter) ?? byName("default") ?? adapters[0];
  return warehouseOf(adapter?.type) ?? warehouseOf(model.dialect) ?? "duckdb";
}

/**
 * A join's kind at the start of each entry of the compiler's JOIN fingerprint (analyze-model.ts
 * buildJoin: `INNER stg_events ON (...)`, `CROSS stg_events`, `ASOF LEFT t ON ...`; several joins
 * are sorted and separated by ` ; `). There is no `JOIN` word in it.
 */
const JOIN_KIND_RE = /(?:^|\s;\s)(inner|left|right|full|cross|semi|anti|positional|asof)\b/gi;

/**
 * The join kinds the static model prices, from the JOIN fingerprint (sorted, so not in the order
 * written). SEMI, ANTI, ASOF and POSITIONAL keep at most the left side's rows: priced as LEFT.
 */
export function joinKinds(fingerprint: string | undefined): JoinKind[] {
  if (!fingerprint) return [];
  const kinds: JoinKind[] = [];
  for (const m of fingerprint.matchAll(JOIN_KIND_RE)) {
    const kind = m[1].toLowerCase();
    kinds.push(kind === "inner" || kind === "left" || kind === "right" || kind === "full" || kind === "cross" ? kind : "left");
  }
  return kinds;
}

function aggregates(model: CompiledModel): boolean {
  if (model.rowLevel.fingerprints.groupBy) return true;
  return model.columns.some((c) => c.sources.some((s) => s.transform.kind === "aggregation"));
}

/** Statistics of the table a model writes, else (for a model with no upstream models) the sum of its external sources'. */
function statsFor(model: CompiledModel, stats: ReadonlyMap<string, TableStatistics>): TableStats | undefined {
  const own = stats.get(tableKey(model.config.target));
  const usable = (s: TableStatistics | undefined): s is TableStatistics & { rows: number } => s?.rows !== undefined && s.rows >= 0;
  if (usable(own)) return { row_count: own.rows, avg_row_bytes: own.rows > 0 ? (own.bytes ?? own.rows * 256) / own.rows : 0, confidence: "medium" };
  if (model.dependsOn.length > 0) return undefined;
  const sources = model.externalSources.map((s) => stats.get(s.toLowerCase())).filter(usable);
  if (sources.length === 0) return undefined;
  const rows = sources.reduce((n, s) => n + s.rows, 0);
  const bytes = sources.reduce((n, s) => n + (s.bytes ?? s.rows * 256), 0);
  return { row_count: rows, avg_row_bytes: rows > 0 ? bytes / rows : 0, confidence: "medium" };
}

/** `names` and every model upstream of them (what their static estimates depend on). */
export function withAncestors(project: CompiledProject, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...names].filter((n) => project.models.has(n));
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    for (const dep of project.models.get(name)?.dependsOn ?? []) if (!out.has(dep) && project.models.has(dep)) stack.push(dep);
  }
  return out;
}

/** The models named in `only`, in the project's (topological) order: walking the names, not the models, leaves the others unread. */
function* inProjectOrder(project: CompiledProject, only: ReadonlySet<string>): Generator<CompiledModel> {
  for (const name of project.models.keys()) {
    if (!only.has(name)) continue;
    const model = project.models.get(name);
    if (model !== undefined) yield model;
  }
}

/**
 * Per-model static run cost (one pass, topological), for every model of the project or only for
 * `only` (which must be closed upstream: see `withAncestors`) — a PR's models and their ancestors
 * are usually a small part of a 10k-model project.
 */
export function staticModelCosts(
  project: CompiledProject,
  stats: ReadonlyMap<string, TableStatistics> = new Map(),
  only?: ReadonlySet<string>,
): Map<string, ModelStaticCost> {
  const inputs: StaticCostModelInput[] = [];
  const leafStats = new Map<string, TableStats>();
  const warehouses = new Map<string, Warehouse>();
  for (const model of only === undefined ? project.models.values() : inProjectOrder(project, only)) {
    const warehouse = modelWarehouse(project, model);
    warehouses.set(model.name, warehouse);
    const deps = model.dependsOn.filter((d) => project.models.has(d));
    const kinds = joinKinds(model.rowLevel.fingerprints.joins);
    inputs.push({
      name: model.name,
      dependsOn: deps,
      warehouse,
      ...(kinds.length > 0 && kinds.length === deps.length - 1 ? { joins: kinds } : {}),
      aggregates: aggregates(model),
    });
    const s = statsFor(model, stats);
    if (s) leafStats.set(model.name, s);
  }
  const estimates = estimateStaticCost(inputs, leafStats);
  const out = new Map<string, ModelStaticCost>();
  for (const input of inputs) {
    const estimate = estimates.get(input.name);
    if (!estimate) continue;
    const parents = [...new Set(input.dependsOn)].map((d) => ({ name: d, estimate: estimates.get(d) })).filter((p): p is { name: string; estimate: CostEstimate } => p.estimate !== undefined);
    const scanned = leafStats.has(input.name) || parents.length === 0;
    const usd = scanned ? estimate.estimated_cost_usd : Math.max(0, estimate.estimated_cost_usd - parents.reduce((s, p) => s + p.estimate.estimated_cost_usd, 0));
    const fromStats = leafStats.has(input.name) || parents.some((p) => out.get(p.name)?.fromStats === true);
    out.set(input.name, {
      usd,
      rows: estimate.estimated_rows,
      bytes: estimate.estimated_bytes,
      bytesScanned: scanned ? estimate.estimated_bytes : parents.reduce((s, p) => s + p.estimate.estimated_bytes, 0),
      confidence: fromStats ? minConfidence(estimate.confidence, "medium") : "low",
      fromStats,
      warehouse: warehouses.get(input.name) ?? "duckdb",
    });
  }
  return out;
}
