import { createHash } from "node:crypto";
/**
 * Hand-built CompiledProject objects for the review-core tests (compliance, cost, render), so
 * these tests do not depend on the compiler. Shared by test/review/{compliance,cost,render}.
 */
import type { CompiledModel, CompiledProject, LineageSource, OutputColumn, RowLevel, Transform } from "../../../../engine/src/compile/types.js";
import type { BudgetConfig, Contract, CostConfig, MaskConfig, ModelConfig, PipelineConfig, RockyConfig, AdapterConfig } from "../../../../engine/src/project/types.js";
import type { DialectId } from "../../../../engine/src/syntax/ast.js";
import type { SqlType } from "../../../../engine/src/types/sql-type.js";

export interface ColumnSpec {
  readonly name: string;
  readonly type?: SqlType["kind"];
  readonly nullable?: boolean;
  /** `[model, column, transform?]`; transform "direct" (default), "cast", "try_cast", "expression", "aggregation:sum". */
  readonly from?: readonly (readonly [string, string, string?])[];
  readonly line?: number;
}

export interface ModelSpec {
  readonly name: string;
  readonly deps?: readonly string[];
  readonly sources?: readonly string[];
  readonly columns?: readonly (ColumnSpec | string)[];
  readonly classification?: Readonly<Record<string, string>>;
  readonly classificationLines?: Readonly<Record<string, number>>;
  readonly schedule?: string;
  readonly budget?: BudgetConfig;
  readonly joins?: string;
  readonly groupBy?: string;
  readonly where?: string;
  readonly contract?: Contract;
  readonly dialect?: DialectId;
  readonly adapter?: string;
  readonly file?: string;
  readonly contentHash?: string;
}

export interface ConfigSpec {
  readonly mask?: Partial<MaskConfig>;
  readonly allowUnmasked?: readonly string[];
  readonly budget?: BudgetConfig;
  readonly cost?: Partial<CostConfig>;
  readonly adapters?: readonly AdapterConfig[];
  readonly pipelines?: readonly PipelineConfig[];
}

function transformOf(spec: string | undefined): Transform {
  if (!spec || spec === "direct") return { kind: "direct" };
  if (spec === "cast") return { kind: "cast", to: "String" };
  if (spec === "try_cast") return { kind: "try_cast", to: "String" };
  if (spec.startsWith("aggregation:")) return { kind: "aggregation", fn: spec.slice("aggregation:".length) };
  if (spec.startsWith("window:")) return { kind: "window", fn: spec.slice("window:".length) };
  return { kind: "expression" };
}

function column(spec: ColumnSpec | string, index: number): OutputColumn {
  const s: ColumnSpec = typeof spec === "string" ? { name: spec } : spec;
  const sources: LineageSource[] = (s.from ?? []).map(([model, col, t]) => ({ model, column: col, transform: transformOf(t) }));
  const line = s.line ?? index + 2;
  return {
    name: s.name,
    type: { kind: s.type ?? "String" } as SqlType,
    nullable: s.nullable ?? true,
    sources,
    fingerprint: sources.map((x) => `${x.model}.${x.column}`).join(",") || s.name,
    span: { start: 0, end: 0, line, col: 3 },
  };
}

export function buildModel(spec: ModelSpec): CompiledModel {
  const file = spec.file ?? `models/${spec.name}.sql`;
  const locations: Record<string, { file: string; line: number; col: number }> = {};
  for (const [col, line] of Object.entries(spec.classificationLines ?? {})) locations[`classification.${col}`] = { file: `models/${spec.name}.toml`, line, col: 1 };
  if (spec.budget) locations.budget = { file: `models/${spec.name}.toml`, line: 10, col: 1 };
  const config: ModelConfig = {
    name: spec.name,
    target: { catalog: "warehouse", schema: "analytics", table: spec.name },
    strategy: { type: "full_refresh" },
    classification: spec.classification ?? {},
    tags: {},
    locations,
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
    ...(spec.budget ? { budget: spec.budget } : {}),
    ...(spec.adapter ? { adapter: spec.adapter } : {}),
    ...(spec.deps ? { depends_on: spec.deps } : {}),
  };
  const rowLevel: RowLevel = {
    filters: [],
    joins: spec.joins ? (spec.deps ?? []).map((d) => ({ model: d, column: "id" })) : [],
    groups: spec.groupBy ? [{ model: spec.deps?.[0] ?? "x", column: "k" }] : [],
    fingerprints: {
      ...(spec.where ? { where: spec.where } : {}),
      ...(spec.joins ? { joins: spec.joins } : {}),
      ...(spec.groupBy ? { groupBy: spec.groupBy } : {}),
    },
  };
  return {
    name: spec.name,
    file,
    sidecarFile: `models/${spec.name}.toml`,
    dialect: spec.dialect ?? "duckdb",
    config,
    ...(spec.contract ? { contract: spec.contract } : {}),
    dependsOn: [...(spec.deps ?? [])].sort(),
    externalSources: [...(spec.sources ?? [])].sort(),
    columns: (spec.columns ?? []).map(column),
    rowLevel,
    hasStar: false,
    reads: new Map(),
    // As a compile's: it changes with what the model's files say (its columns, classification, ...).
    contentHash: spec.contentHash ?? createHash("sha1").update(JSON.stringify(spec)).digest("hex").slice(0, 16),
    parsed: true,
    layer: 0,
  };
}

export function buildConfig(spec: ConfigSpec = {}): RockyConfig {
  return {
    adapters: spec.adapters ?? [{ name: "default", type: "duckdb", settings: {} }],
    pipelines: spec.pipelines ?? [],
    portability: { allow: [] },
    mask: { defaults: spec.mask?.defaults ?? {}, envs: spec.mask?.envs ?? {} },
    classifications: { allow_unmasked: spec.allowUnmasked ?? [] },
    ...(spec.budget ? { budget: spec.budget } : {}),
    cost: { storage_cost_per_gb_month: 0.023, compute_cost_per_dbu: 0.4, warehouse_size: "Medium", min_history_runs: 5, ...spec.cost },
    raw: {},
  };
}

/** Topologically ordered project with layers and downstream edges computed from `deps`. */
export function buildProject(models: readonly ModelSpec[], config: ConfigSpec = {}): CompiledProject {
  const built = models.map(buildModel);
  const byName = new Map(built.map((m) => [m.name, m]));
  const layerOf = new Map<string, number>();
  const visit = (name: string, stack: Set<string>): number => {
    const known = layerOf.get(name);
    if (known !== undefined) return known;
    if (stack.has(name)) throw new Error(`cycle at ${name}`);
    stack.add(name);
    const m = byName.get(name);
    const deps = (m?.dependsOn ?? []).filter((d) => byName.has(d));
    const layer = deps.length === 0 ? 0 : Math.max(...deps.map((d) => visit(d, stack))) + 1;
    stack.delete(name);
    layerOf.set(name, layer);
    return layer;
  };
  for (const m of built) visit(m.name, new Set());
  const ordered = [...built].map((m) => ({ ...m, layer: layerOf.get(m.name) ?? 0 })).sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name));
  const layers: string[][] = [];
  for (const m of ordered) (layers[m.layer] ??= []).push(m.name);
  const downstream = new Map<string, string[]>();
  for (const m of ordered) downstream.set(m.name, []);
  for (const m of ordered) for (const d of m.dependsOn) downstream.get(d)?.push(m.name);
  return {
    project: { config: buildConfig(config), models: [], orphanContracts: [], sourceSchemas: new Map() },
    models: new Map(ordered.map((m) => [m.name, m])),
    layers,
    downstream,
    diagnostics: [],
    timings: { project_load_ms: 0, parse_ms: 0, semantic_graph_ms: 0, typecheck_ms: 0, contracts_ms: 0, checks_ms: 0, total_ms: 0, cache_hits: 0, analysed: 0 },
  };
}

/** A minimal ProjectDiff: which models changed (with status) and which are downstream. */
export function buildDiff(spec: {
  readonly changed?: readonly string[];
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  readonly downstream?: readonly string[];
}): import("../../../../review/src/report/types.js").ProjectDiff {
  const change = (model: string, status: "added" | "removed" | "modified" | "unchanged") => ({
    model,
    status,
    target: `warehouse.analytics.${model}`,
    file: `models/${model}.sql`,
    touched: status !== "unchanged",
    changes: [],
    columnChanges: 0,
    rowLevelChanges: 0,
    contracted: false,
    exposures: [],
  });
  const models = [
    ...(spec.changed ?? []).map((m) => change(m, "modified")),
    ...(spec.added ?? []).map((m) => change(m, "added")),
    ...(spec.removed ?? []).map((m) => change(m, "removed")),
    ...(spec.downstream ?? []).map((m) => change(m, "unchanged")),
  ];
  return {
    models,
    columnChanges: [],
    rowLevelChanges: [],
    blastRadius: { entries: [], totalConsumers: 0, totalModels: 0, contractedConsumers: 0, classifiedConsumers: 0, exposedConsumers: 0, exposures: [] },
    breakingChanges: [],
    contracts: [],
    touchedModels: [...(spec.changed ?? []), ...(spec.added ?? [])],
    downstreamModels: [...(spec.downstream ?? [])],
    readsOfRemoved: [],
  };
}
