/**
 * Hand-built CompiledProject objects for unit-testing the diff without the compiler:
 *   model("stg_orders", { columns: [col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], fp: "amount" })] })
 * Source strings are `model.column[:transform]`; the model part of an external source has dots
 * (`raw.orders.amount` → model `raw.orders`, column `amount`).
 */
import type { CompiledModel, CompiledProject, LineageSource, OutputColumn, RowLevel, Transform } from "../../../engine/src/compile/types.js";
import type { Contract, ModelConfig, ModelSource, Project, StrategyConfig } from "../../../engine/src/project/types.js";
import { parseRockyTypeName } from "../../../engine/src/types/rocky-type-name.js";
import type { SqlType } from "../../../engine/src/types/sql-type.js";

export interface ColOptions {
  readonly src?: readonly string[];
  readonly fp?: string;
  readonly nullable?: boolean;
  readonly line?: number;
}

export function col(name: string, type: string, o: ColOptions = {}): OutputColumn {
  const t: SqlType = type === "Unknown" ? { kind: "Unknown" } : (parseRockyTypeName(type) ?? { kind: "Unknown" });
  const sources: LineageSource[] = (o.src ?? []).map((s) => {
    const [ref, tr = "direct"] = s.split(":");
    const dot = ref.lastIndexOf(".");
    const transform: Transform = tr === "direct" || tr === "expression" ? { kind: tr } : tr === "cast" ? { kind: "cast", to: "?" } : { kind: "aggregation", fn: tr };
    return { model: ref.slice(0, dot), column: ref.slice(dot + 1), transform };
  });
  return {
    name,
    type: t,
    nullable: o.nullable ?? true,
    sources,
    fingerprint: o.fp ?? (sources.length === 1 ? sources[0].column : name),
    ...(o.line !== undefined ? { span: { start: 0, end: 1, line: o.line, col: 3 } } : {}),
  };
}

export interface ModelOptions {
  readonly columns: readonly OutputColumn[];
  readonly rowLevel?: Partial<RowLevel["fingerprints"]>;
  /** Upstream columns ("model.column") the model's WHERE, JOIN or GROUP BY read. */
  readonly rowReads?: { readonly filters?: readonly string[]; readonly joins?: readonly string[]; readonly groups?: readonly string[] };
  readonly contract?: Partial<Contract> & { columns?: Contract["columns"] };
  readonly target?: string;
  readonly strategy?: StrategyConfig;
  readonly sql?: string;
  readonly dependsOn?: readonly string[];
  readonly classification?: Record<string, string>;
  readonly exposures?: readonly string[];
  readonly hash?: string;
  readonly parsed?: boolean;
}

export function model(name: string, o: ModelOptions): CompiledModel {
  const [catalog, schema, table] = (o.target ?? `wh.analytics.${name}`).split(".");
  const config: ModelConfig = {
    name,
    target: { catalog, schema, table },
    strategy: o.strategy ?? { type: "full_refresh" },
    classification: o.classification ?? {},
    tags: {},
    locations: {},
    ...(o.exposures ? { exposures: o.exposures.map((n) => ({ name: n })) } : {}),
  };
  const deps = new Set<string>(o.dependsOn ?? []);
  const external = new Set<string>();
  for (const c of o.columns) for (const s of c.sources) (s.model.includes(".") ? external : deps).add(s.model);
  const contract: Contract | undefined = o.contract
    ? { model: name, file: `models/${name}.contract.toml`, source: "auto", columns: [], required: [], protected: [], ...o.contract }
    : undefined;
  return {
    name,
    file: `models/${name}.sql`,
    dialect: "duckdb",
    config,
    ...(contract ? { contract } : {}),
    dependsOn: [...deps].sort(),
    externalSources: [...external].sort(),
    columns: o.columns,
    rowLevel: { filters: refs(o.rowReads?.filters), joins: refs(o.rowReads?.joins), groups: refs(o.rowReads?.groups), fingerprints: { ...(o.rowLevel ?? {}) } },
    hasStar: false,
    reads: new Map(),
    contentHash: o.hash ?? JSON.stringify([o.sql ?? "", o.columns.map((c) => [c.name, c.fingerprint]), o.rowLevel, o.contract, o.target, o.strategy, o.classification]).slice(0, 400),
    parsed: o.parsed ?? true,
    layer: 0,
  };
}

export function project(models: readonly CompiledModel[]): CompiledProject {
  const byName = new Map(models.map((m) => [m.name, m]));
  const downstream = new Map<string, string[]>();
  for (const m of models) for (const d of m.dependsOn) if (byName.has(d)) downstream.set(d, [...(downstream.get(d) ?? []), m.name]);
  // topological order
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of byName.get(n)?.dependsOn ?? []) if (byName.has(d)) visit(d);
    order.push(n);
  };
  for (const m of models) visit(m.name);
  const sources: ModelSource[] = models.map((m) => ({ name: m.name, file: m.file, rawSql: m.contentHash, sql: m.contentHash, dialect: "duckdb", config: m.config, ...(m.contract ? { contract: m.contract } : {}) }));
  const proj: Project = {
    config: {
      adapters: [],
      pipelines: [],
      portability: { allow: [] },
      mask: { defaults: {}, envs: {} },
      classifications: { allow_unmasked: [] },
      cost: { storage_cost_per_gb_month: 0.023, compute_cost_per_dbu: 0.4, warehouse_size: "Medium", min_history_runs: 5 },
      raw: {},
    },
    models: sources,
    orphanContracts: [],
    sourceSchemas: new Map(),
  };
  return {
    project: proj,
    models: new Map(order.map((n) => [n, byName.get(n) as CompiledModel])),
    layers: [order],
    downstream,
    diagnostics: [],
    timings: { project_load_ms: 0, parse_ms: 0, semantic_graph_ms: 0, typecheck_ms: 0, contracts_ms: 0, checks_ms: 0, total_ms: 0, cache_hits: 0, analysed: 0 },
  };
}

function refs(names: readonly string[] = []): { model: string; column: string }[] {
  return names.map((n) => ({ model: n.slice(0, n.lastIndexOf(".")), column: n.slice(n.lastIndexOf(".") + 1) }));
}
