import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DialectId } from "../syntax/ast.js";
import { ADAPTER_SPEC, ROCKY_TOML_SPEC } from "./config-specs.js";
import { type Env, type TomlDoc, checkDoc, locationOf, parseTomlDoc, reportIssue, unsetEnvPath } from "./toml-file.js";
import { isTable, typeName } from "./toml-spec.js";
import { asNumber, asString, asStrings, asTable, compact } from "./toml-values.js";
import { normalizeBudget } from "./normalize-config.js";
import type { AdapterConfig, CostConfig, MaskConfig, MaskStrategy, PipelineConfig, RockyConfig, TomlLocation } from "./types.js";

export const ROCKY_TOML = "rocky.toml";

export const DEFAULT_COST: CostConfig = {
  storage_cost_per_gb_month: 0.023,
  compute_cost_per_dbu: 0.4,
  warehouse_size: "Medium",
  min_history_runs: 5,
};

export const EMPTY_ROCKY_CONFIG: RockyConfig = {
  adapters: [],
  pipelines: [],
  portability: { allow: [] },
  mask: { defaults: {}, envs: {} },
  classifications: { allow_unmasked: [] },
  cost: DEFAULT_COST,
  raw: {},
};

export interface LoadedRockyConfig {
  readonly config: RockyConfig;
  /** The parsed document (absent when rocky.toml is missing or does not parse). */
  readonly doc?: TomlDoc;
  /** True when rocky.toml had a syntax error, so the config is all defaults. */
  readonly broken: boolean;
  /** Adapter name → the key path of its block (`["adapter"]` for the unnamed form). */
  readonly adapterPaths: ReadonlyMap<string, readonly string[]>;
}

/**
 * rocky.toml → RockyConfig with Rocky's defaults. Never throws: a syntax error is one R002 and
 * the blocks of its section take their defaults (the others keep what they say: toml-file.ts); a
 * bad key or value is R002 and only that value is dropped.
 */
export function loadRockyConfig(text: string | undefined, env: Env, diagnostics: Diagnostic[]): LoadedRockyConfig {
  if (text === undefined) return { config: EMPTY_ROCKY_CONFIG, broken: false, adapterPaths: new Map() };
  const parsed: Diagnostic[] = [];
  const doc = parseTomlDoc(ROCKY_TOML, text, env, parsed);
  const deferred = doc ? deferConnectionEnv(doc, parsed) : new Map<string, Diagnostic[]>();
  const onAdapters = new Set([...deferred.values()].flat());
  for (const d of parsed) if (!onAdapters.has(d)) diagnostics.push(d);
  if (!doc) return { config: EMPTY_ROCKY_CONFIG, broken: true, adapterPaths: new Map() };
  checkDoc(doc, ROCKY_TOML_SPEC, diagnostics);
  const { adapters, adapterPaths } = loadAdapters(doc, diagnostics, deferred);
  const data = doc.data;
  const portability = asTable(data.portability) ?? {};
  const cost = asTable(data.cost) ?? {};
  const freshness = asTable(data.freshness);
  const config: RockyConfig = compact({
    adapters,
    pipelines: loadPipelines(data),
    portability: compact({ target_dialect: asString(portability.target_dialect) as DialectId | undefined, allow: asStrings(portability.allow) ?? [] }),
    mask: loadMask(data.mask),
    classifications: { allow_unmasked: asStrings(asTable(data.classifications)?.allow_unmasked) ?? [] },
    budget: data.budget === undefined ? undefined : { on_breach: "warn" as const, ...normalizeBudget(data.budget) },
    cost: {
      storage_cost_per_gb_month: asNumber(cost.storage_cost_per_gb_month) ?? DEFAULT_COST.storage_cost_per_gb_month,
      compute_cost_per_dbu: asNumber(cost.compute_cost_per_dbu) ?? DEFAULT_COST.compute_cost_per_dbu,
      warehouse_size: asString(cost.warehouse_size) ?? DEFAULT_COST.warehouse_size,
      min_history_runs: asNumber(cost.min_history_runs) ?? DEFAULT_COST.min_history_runs,
    },
    freshness: freshness ? compact({ expected_lag_seconds: asNumber(freshness.expected_lag_seconds) }) : undefined,
    raw: data,
  });
  return { config, doc, broken: doc.salvaged === true, adapterPaths };
}

/** `[adapter] type = ...` is the unnamed form (→ `default`); `[adapter.NAME]` the named one: each adapter's name and key path. */
function adapterBlocks(doc: TomlDoc): [string, string[]][] {
  const raw = doc.data.adapter;
  if (!isTable(raw)) return [];
  return "type" in raw && !isTable(raw.type) ? [["default", ["adapter"]]] : Object.keys(raw).map((k) => [k, ["adapter", k]]);
}

/**
 * An unset `${VAR}` in an adapter's settings (a password, a token, an account) matters only when
 * the adapter connects: compiling and reviewing never do, and a pull request's review runs
 * without the warehouse's secrets. Such a finding is kept on the adapter (`unsetEnv`) and said
 * when the adapter is created (createAdapter), not as a compile error. Its `type` is needed to
 * compile (it picks the dialect), so an unset one there stays an error.
 */
function deferConnectionEnv(doc: TomlDoc, parsed: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const blocks = adapterBlocks(doc);
  for (const d of parsed) {
    const path = unsetEnvPath(d);
    if (path === undefined || path[0] !== "adapter") continue;
    const block = blocks.find(([, p]) => path.length > p.length && p.every((k, i) => path[i] === k));
    if (block === undefined || path[block[1].length] === "type") continue;
    let list = out.get(block[0]);
    if (list === undefined) out.set(block[0], (list = []));
    list.push(d);
  }
  return out;
}

function loadAdapters(doc: TomlDoc, diagnostics: Diagnostic[], deferred: ReadonlyMap<string, readonly Diagnostic[]>): { adapters: AdapterConfig[]; adapterPaths: Map<string, string[]> } {
  const raw = doc.data.adapter;
  const adapters: AdapterConfig[] = [];
  const adapterPaths = new Map<string, string[]>();
  if (raw === undefined) return { adapters, adapterPaths };
  if (!isTable(raw)) {
    reportIssue(doc, { path: ["adapter"], at: "value", message: `\`adapter\` must be a table, found ${typeName(raw)}` }, diagnostics);
    return { adapters, adapterPaths };
  }
  for (const [name, path] of adapterBlocks(doc)) {
    checkDoc(doc, ADAPTER_SPEC, diagnostics, { base: path });
    const block = path.length === 1 ? asTable(doc.data.adapter) : asTable(asTable(doc.data.adapter)?.[name]);
    if (!block) continue;
    const { type, ...settings } = block;
    adapterPaths.set(name, path);
    // An adapter whose type was invalid keeps its place (so references resolve) and compiles as duckdb.
    const unsetEnv = deferred.get(name);
    adapters.push({ name, type: (asString(type) ?? "duckdb") as AdapterConfig["type"], settings, location: locationOf(doc, path), ...fileSettingLocations(doc, path, settings), ...(unsetEnv ? { unsetEnv } : {}) });
  }
  return { adapters, adapterPaths };
}

/** Where `path` and each `attach.<name>` are written, when they are (a DuckDB adapter's files). */
function fileSettingLocations(doc: TomlDoc, path: string[], settings: Record<string, unknown>): Pick<AdapterConfig, "settingLocations"> {
  const out: Record<string, TomlLocation> = {};
  if (settings.path !== undefined) out.path = locationOf(doc, [...path, "path"]);
  const attach = asTable(settings.attach);
  for (const name of Object.keys(attach ?? {})) out[`attach.${name}`] = locationOf(doc, [...path, "attach", name]);
  return Object.keys(out).length > 0 ? { settingLocations: out } : {};
}

function loadPipelines(data: Record<string, unknown>): PipelineConfig[] {
  const raw = asTable(data.pipeline) ?? {};
  const out: PipelineConfig[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const p = asTable(value);
    if (!p) continue;
    const type = (asString(p.type) ?? "replication") as PipelineConfig["type"];
    const target = asTable(p.target);
    const schedule = asString(p.schedule) ?? asString(asTable(p.schedule)?.cron);
    out.push(
      compact({
        name,
        type,
        models: type === "transformation" ? (asString(p.models) ?? "models/**") : asString(p.models),
        targetAdapter: asString(target?.adapter) ?? (type === "transformation" ? "default" : undefined),
        schedule,
        raw: p,
      }),
    );
  }
  return out;
}

function loadMask(raw: unknown): MaskConfig {
  const defaults: Record<string, MaskStrategy> = {};
  const envs: Record<string, Record<string, MaskStrategy>> = {};
  for (const [key, value] of Object.entries(asTable(raw) ?? {})) {
    if (typeof value === "string") {
      defaults[key.toLowerCase()] = value as MaskStrategy;
      continue;
    }
    const table = asTable(value);
    if (!table) continue;
    const env: Record<string, MaskStrategy> = {};
    for (const [tag, strategy] of Object.entries(table)) if (typeof strategy === "string") env[tag.toLowerCase()] = strategy as MaskStrategy;
    envs[key] = env;
  }
  return { defaults, envs };
}

/** Adapter type → the SQL dialect its models are parsed in; other types compile as duckdb. */
export function dialectOfAdapterType(type: string | undefined): DialectId {
  return type === "databricks" || type === "snowflake" || type === "bigquery" ? type : "duckdb";
}
