import type { DialectId } from "../syntax/ast.js";
import { WAREHOUSE_COST_MODELS, type Warehouse } from "./warehouse-cost-model.js";

/**
 * Rocky's static cost estimate (rocky-compat.md §3.3; `rocky-core/src/cost.rs`): table scans from
 * leaf statistics, then propagation through the DAG in topological order. Deterministic, no I/O.
 *
 * Deliberate differences from Rocky, each for the user's sake:
 * - the per-row processing price is the model's own warehouse's (Rocky always uses Databricks'
 *   5e-9, so a DuckDB project would show a non-zero cost); identical for Databricks;
 * - a leaf priced from the stub statistics (10,000 rows × 256 B) has `low` confidence, not `high`:
 *   it is a guess, not a catalog statistic;
 * - `joins` and `aggregates` (optional per model) apply Rocky's own join and aggregate estimators,
 *   which its DAG propagation does not call.
 */
export type Confidence = "high" | "medium" | "low";
export type JoinKind = "inner" | "left" | "right" | "full" | "cross";

export interface CostEstimate {
  readonly estimated_rows: number;
  readonly estimated_bytes: number;
  readonly estimated_cost_usd: number;
  readonly confidence: Confidence;
}

export interface TableStats {
  readonly row_count: number;
  readonly avg_row_bytes: number;
  /** How the stats were obtained; catalog statistics are `high` (the default). */
  readonly confidence?: Confidence;
}

export interface StaticCostModelInput {
  readonly name: string;
  /** Upstream **models** (not external sources). A model with none is a leaf. */
  readonly dependsOn: readonly string[];
  /** The warehouse that runs the model (a dialect id works). Rocky's compile uses Databricks. */
  readonly warehouse: Warehouse | DialectId;
  /**
   * How the upstreams combine, in `dependsOn` order: `joins[i]` joins the result so far with
   * `dependsOn[i + 1]`. Absent (or of the wrong length) = Rocky's default: sum of the parents.
   */
  readonly joins?: readonly JoinKind[];
  /** The model aggregates (GROUP BY): √N groups of 64-byte rows. */
  readonly aggregates?: boolean;
  /** Known group count for the aggregate, when there is one. */
  readonly groupCardinality?: number;
}

/** Rocky's stub statistics for a leaf with no catalog stats. */
export const STUB_LEAF_STATS: TableStats = { row_count: 10_000, avg_row_bytes: 256, confidence: "low" };
/** Fraction of upstream rows a transformation keeps. */
export const DEFAULT_TRANSFORM_SELECTIVITY = 0.8;
/** Width of an aggregated row. */
export const AGG_ROW_BYTES = 64;

const rank: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
export function minConfidence(...cs: readonly Confidence[]): Confidence {
  return cs.reduce((a, b) => (rank[b] < rank[a] ? b : a), "high" as Confidence);
}

const cap = (n: number): number => Math.min(Math.max(0, n), Number.MAX_SAFE_INTEGER);

export function estimateTableScan(rows: number, avgRowBytes: number, warehouse: Warehouse, confidence: Confidence = "high"): CostEstimate {
  const m = WAREHOUSE_COST_MODELS[warehouse];
  const r = cap(Math.round(rows));
  const bytes = cap(r * Math.round(avgRowBytes));
  return { estimated_rows: r, estimated_bytes: bytes, estimated_cost_usd: r * m.perRowScanCost + bytes * m.perByteIoCost, confidence };
}

export function estimateFilter(input: CostEstimate, selectivity: number, warehouse: Warehouse): CostEstimate {
  const s = Math.min(1, Math.max(0, selectivity));
  const m = WAREHOUSE_COST_MODELS[warehouse];
  return {
    estimated_rows: Math.round(input.estimated_rows * s),
    estimated_bytes: Math.round(input.estimated_bytes * s),
    estimated_cost_usd: input.estimated_cost_usd + input.estimated_rows * m.perRowComputeCost,
    confidence: s === 0 || s === 1 ? input.confidence : minConfidence(input.confidence, "medium"),
  };
}

export function estimateJoin(left: CostEstimate, right: CostEstimate, kind: JoinKind, warehouse: Warehouse): CostEstimate {
  const l = left.estimated_rows;
  const r = right.estimated_rows;
  const rowsByKind: Record<JoinKind, number> = { inner: Math.min(l, r), left: l, right: r, full: Math.max(l, r), cross: cap(l * r) };
  const rows = rowsByKind[kind];
  const avg = l > 0 && r > 0 ? Math.max(Math.floor(left.estimated_bytes / l), Math.floor(right.estimated_bytes / r)) : 0;
  const m = WAREHOUSE_COST_MODELS[warehouse];
  const base = minConfidence(left.confidence, right.confidence);
  return {
    estimated_rows: rows,
    estimated_bytes: cap(rows * avg),
    estimated_cost_usd: left.estimated_cost_usd + right.estimated_cost_usd + rows * m.perRowComputeCost,
    confidence: kind === "cross" || kind === "full" ? minConfidence(base, "low") : minConfidence(base, "medium"),
  };
}

export function estimateAggregate(input: CostEstimate, warehouse: Warehouse, groupCardinality?: number): CostEstimate {
  const rows = groupCardinality === undefined ? Math.ceil(Math.sqrt(input.estimated_rows)) : Math.min(Math.round(groupCardinality), input.estimated_rows);
  const m = WAREHOUSE_COST_MODELS[warehouse];
  return {
    estimated_rows: rows,
    estimated_bytes: cap(rows * AGG_ROW_BYTES),
    estimated_cost_usd: input.estimated_cost_usd + input.estimated_rows * m.perRowComputeCost * 2,
    confidence: minConfidence(input.confidence, groupCardinality === undefined ? "low" : "medium"),
  };
}

function toWarehouse(w: Warehouse | DialectId): Warehouse {
  return w in WAREHOUSE_COST_MODELS ? (w as Warehouse) : "databricks";
}

/**
 * Kahn's algorithm over the given models; members of a cycle are left out, as Rocky's propagation
 * does. Linear in models + edges: each downstream list is appended to in place, and the ready
 * queue is read by an index.
 */
function topologicalOrder(models: readonly StaticCostModelInput[]): StaticCostModelInput[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const indegree = new Map<string, number>();
  const downstream = new Map<string, string[]>();
  for (const m of models) {
    const deps = new Set(m.dependsOn.filter((d) => byName.has(d) && d !== m.name));
    indegree.set(m.name, deps.size);
    for (const d of deps) {
      const list = downstream.get(d);
      if (list) list.push(m.name);
      else downstream.set(d, [m.name]);
    }
  }
  const ready = models.filter((m) => indegree.get(m.name) === 0).map((m) => m.name);
  const order: StaticCostModelInput[] = [];
  for (let i = 0; i < ready.length; i++) {
    const name = ready[i];
    order.push(byName.get(name) as StaticCostModelInput);
    for (const d of downstream.get(name) ?? []) {
      const left = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return order;
}

const ZERO: CostEstimate = { estimated_rows: 0, estimated_bytes: 0, estimated_cost_usd: 0, confidence: "low" };

/**
 * Static estimate per model. A model with `leafStats` is a table scan of those stats; a model with
 * no upstream models scans the stub statistics; every other model combines its upstreams (sum, or
 * the declared joins), keeps 0.8 of the rows, and aggregates to √N groups when it aggregates.
 */
export function estimateStaticCost(
  models: readonly StaticCostModelInput[],
  leafStats: ReadonlyMap<string, TableStats> = new Map(),
): Map<string, CostEstimate> {
  const out = new Map<string, CostEstimate>();
  const names = new Set(models.map((m) => m.name));
  for (const m of topologicalOrder(models)) {
    const warehouse = toWarehouse(m.warehouse);
    const stats = leafStats.get(m.name);
    if (stats !== undefined) {
      out.set(m.name, estimateTableScan(stats.row_count, stats.avg_row_bytes, warehouse, stats.confidence ?? "high"));
      continue;
    }
    const parents = [...new Set(m.dependsOn)].map((d) => out.get(d)).filter((e): e is CostEstimate => e !== undefined);
    if (!m.dependsOn.some((d) => names.has(d) && d !== m.name)) {
      const stub = STUB_LEAF_STATS;
      out.set(m.name, estimateTableScan(stub.row_count, stub.avg_row_bytes, warehouse, stub.confidence));
      continue;
    }
    out.set(m.name, deriveFromParents(m, parents, warehouse));
  }
  return out;
}

function deriveFromParents(m: StaticCostModelInput, parents: readonly CostEstimate[], warehouse: Warehouse): CostEstimate {
  if (parents.length === 0) return ZERO;
  let combined: CostEstimate;
  if (parents.length === 1) {
    combined = parents[0];
  } else if (m.joins !== undefined && m.joins.length === parents.length - 1) {
    combined = parents.slice(1).reduce((acc, p, i) => estimateJoin(acc, p, (m.joins as readonly JoinKind[])[i], warehouse), parents[0]);
  } else {
    combined = {
      estimated_rows: cap(parents.reduce((s, p) => s + p.estimated_rows, 0)),
      estimated_bytes: cap(parents.reduce((s, p) => s + p.estimated_bytes, 0)),
      estimated_cost_usd: parents.reduce((s, p) => s + p.estimated_cost_usd, 0),
      confidence: minConfidence(...parents.map((p) => p.confidence)),
    };
  }
  const filtered = estimateFilter(combined, DEFAULT_TRANSFORM_SELECTIVITY, warehouse);
  return m.aggregates ? estimateAggregate(filtered, warehouse, m.groupCardinality) : filtered;
}

/** The project total: sums, weakest confidence (Rocky's `aggregate_project_cost`). */
export function aggregateProjectCost(estimates: Iterable<CostEstimate>): CostEstimate {
  let rows = 0;
  let bytes = 0;
  let usd = 0;
  const cs: Confidence[] = [];
  for (const e of estimates) {
    rows = cap(rows + e.estimated_rows);
    bytes = cap(bytes + e.estimated_bytes);
    usd += e.estimated_cost_usd;
    cs.push(e.confidence);
  }
  return { estimated_rows: rows, estimated_bytes: bytes, estimated_cost_usd: usd, confidence: minConfidence(...cs) };
}
