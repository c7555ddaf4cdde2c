import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { didYouMean, didYouMeanSuffix } from "../util/did-you-mean.js";
import { SIDECAR_SPEC } from "./config-specs.js";
import { normalizeBudget, normalizeFreshness, normalizeStrategy } from "./normalize-config.js";
import { type TomlDoc, checkDoc, reportIssue } from "./toml-file.js";
import { asBool, asString, asStrings, asTable, asTables, compact } from "./toml-values.js";
import type { FreshnessConfig, ModelConfig, TargetRef, TomlLocation } from "./types.js";

/** A config group (`models/groups/<g>.toml`), checked. */
export interface GroupConfig {
  readonly name: string;
  readonly doc: TomlDoc;
}

export interface ModelConfigInput {
  /** The file stem (the default name). */
  readonly stem: string;
  readonly sqlFile: string;
  /** The sidecar or the front-matter document, already parsed (not yet checked). */
  readonly doc?: TomlDoc;
  /** `_defaults.toml` data, already checked. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** `_defaults.toml` exists but did not load (reported once there): do not report what it would have set. */
  readonly defaultsBroken?: boolean;
  /** `_defaults.toml`'s `[target]` has a finding of its own (a misspelt key): do not report the target keys models then lack. */
  readonly defaultsTargetBroken?: boolean;
  /** The sidecar's own [target] lost a value while parsing (a `${VAR}` unset, reported there). */
  readonly docTargetBroken?: boolean;
  readonly groups: ReadonlyMap<string, GroupConfig>;
  /** rocky.toml `[freshness]`, inherited (whole block) when it has `expected_lag_seconds`. */
  readonly projectFreshness?: FreshnessConfig;
  /** The owning pipeline's schedule, used when the model has none. */
  readonly pipelineSchedule?: string;
}

/**
 * One model's config: the sidecar (or front-matter) checked against SIDECAR_SPEC, merged over its
 * group and `_defaults.toml` (sidecar wins), normalized. Never throws; every problem is R002 on
 * the file and line that caused it, and the value falls back to its default.
 */
export function loadModelConfig(input: ModelConfigInput, diagnostics: Diagnostic[]): ModelConfig {
  const { doc, stem } = input;
  const data: Record<string, unknown> = doc?.data ?? {};
  const declaredName = asString(data.name);
  const model = declaredName ?? stem;
  const before = diagnostics.length;
  if (doc) checkDoc(doc, SIDECAR_SPEC, diagnostics, { model });
  // `schema = ""` in the sidecar's [target]: that one finding, not also "missing target.schema".
  let targetBroken = input.docTargetBroken === true;
  for (let i = before; i < diagnostics.length; i++) if (diagnostics[i].key === "target" || diagnostics[i].key?.startsWith("target.")) targetBroken = true;
  const name = asString(data.name) ?? stem;
  const defaults = input.defaults ?? {};
  const group = resolveGroup(input, name, data, diagnostics);

  const sidecarTarget = asTable(data.target) ?? {};
  const defaultsTarget = asTable(defaults.target) ?? {};
  const catalog = asString(sidecarTarget.catalog) ?? group.catalog ?? asString(defaultsTarget.catalog);
  const schema = (group.enforce ? group.schema : undefined) ?? asString(sidecarTarget.schema) ?? group.schema ?? asString(defaultsTarget.schema);
  const target: TargetRef = { catalog: catalog ?? "", schema: schema ?? "", table: asString(sidecarTarget.table) ?? name };
  if ((catalog === undefined || schema === undefined) && !input.defaultsBroken && !input.defaultsTargetBroken && !targetBroken) {
    const missing = [catalog === undefined ? "catalog" : undefined, schema === undefined ? "schema" : undefined].filter((f): f is string => f !== undefined);
    const fields = missing.map((f) => `target.${f}`).join(" and ");
    const message = `model \`${name}\` is missing ${fields} (set ${missing.length > 1 ? "them" : "it"} in the sidecar or in _defaults.toml)`;
    const key = missing.length > 1 ? "target" : `target.${missing[0]}`;
    if (doc) reportIssue(doc, { path: key.split("."), at: "parent", message }, diagnostics, name);
    else diagnostics.push(createDiagnostic("R002", message, { model: name, span: { file: input.sqlFile, line: 1, col: 1 }, key }));
  }

  const strategy = (group.enforce ? group.strategy : undefined) ?? normalizeStrategy(data.strategy) ?? group.strategy ?? normalizeStrategy(defaults.strategy) ?? { type: "full_refresh" as const };
  const classification: Record<string, string> = {};
  const classified = asTable(data.classification);
  if (classified !== undefined) {
    for (const col of Object.keys(classified)) {
      const tag = classified[col];
      if (typeof tag === "string") classification[col] = tag;
    }
  }

  // Built key by key in the declared order, leaving out what is not set (as compact() would): the
  // loader runs this for every model of the project.
  const config: Record<string, unknown> = { name };
  const dependsOn = asStrings(data.depends_on);
  if (dependsOn !== undefined) config.depends_on = dependsOn;
  const adapter = asString(data.adapter) ?? group.adapter ?? asString(defaults.adapter);
  if (adapter !== undefined) config.adapter = adapter;
  config.target = target;
  config.strategy = strategy;
  if (data.sources !== undefined) config.sources = asTables(data.sources).map((s) => ({ catalog: asString(s.catalog) ?? "", schema: asString(s.schema) ?? "", table: asString(s.table) ?? "" }));
  const format = asString(data.format) ?? asString(defaults.format);
  if (format !== undefined) config.format = format;
  const formatOptions = asTable(data.format_options) ?? asTable(defaults.format_options);
  if (formatOptions !== undefined) config.format_options = formatOptions;
  const intent = asString(data.intent) ?? group.intent ?? asString(defaults.intent);
  if (intent !== undefined) config.intent = intent;
  const freshness = normalizeFreshness(data.freshness) ?? normalizeFreshness(defaults.freshness) ?? input.projectFreshness;
  if (freshness !== undefined) config.freshness = freshness;
  config.classification = classification;
  config.tags = { ...asTable(defaults.tags), ...group.tags, ...asTable(data.tags) };
  const budget = normalizeBudget(data.budget) ?? group.budget ?? normalizeBudget(defaults.budget);
  if (budget !== undefined) config.budget = budget;
  if (data.exposures !== undefined) {
    config.exposures = asTables(data.exposures)
      .filter((e) => typeof e.name === "string")
      .map((e) => compact({ name: e.name as string, type: asString(e.type), url: asString(e.url) }));
  }
  const schedule = asString(data.schedule) ?? group.schedule ?? asString(defaults.schedule) ?? input.pipelineSchedule;
  if (schedule !== undefined) config.schedule = schedule;
  if (data.columns !== undefined) {
    const columns: Record<string, { description?: string }> = {};
    for (const [col, v] of Object.entries(asTable(data.columns) ?? {})) columns[col] = compact({ description: asString(asTable(v)?.description) });
    config.columns = columns;
  }
  config.locations = doc ? collectLocations(doc) : {};
  return config as unknown as ModelConfig;
}

/** Key path → location for every top-level key, its sub-keys and array elements (two levels). */
function collectLocations(doc: TomlDoc): Record<string, TomlLocation> {
  const out: Record<string, TomlLocation> = {};
  const { file, lineOffset, data } = doc;
  doc.locator.forEachShallowKey((top, sub, line, col) => {
    const name = sub === undefined ? top : Array.isArray(data[top]) ? `${top}[${sub}]` : `${top}.${sub}`;
    out[name] = { file, line: line + lineOffset, col };
  });
  return out;
}

interface GroupValues {
  enforce?: boolean;
  catalog?: string;
  schema?: string;
  strategy?: ModelConfig["strategy"];
  tags?: Record<string, unknown>;
  adapter?: string;
  intent?: string;
  schedule?: string;
  budget?: ModelConfig["budget"];
}

/** No group: read only. */
const NO_GROUP: GroupValues = Object.freeze({});

/**
 * `group = "g"` with `[args]` filling the group's `schema_template` placeholders (`{region}`).
 * Pinning `target.schema` while supplying `[args]` is rejected, and an `enforce = true` group
 * forbids overriding the schema or the strategy (rocky-compat.md §2.2).
 */
function resolveGroup(input: ModelConfigInput, model: string, data: Record<string, unknown>, diagnostics: Diagnostic[]): GroupValues {
  const { doc } = input;
  const groupName = asString(data.group);
  const args = asTable(data.args);
  if (!doc) return NO_GROUP;
  if (groupName === undefined) {
    if (args) reportIssue(doc, { path: ["args"], at: "key", message: "`[args]` is only meaningful with `group = ...`" }, diagnostics, model);
    return NO_GROUP;
  }
  const group = input.groups.get(groupName);
  if (!group) {
    const near = didYouMean(groupName, input.groups.keys());
    reportIssue(
      doc,
      { path: ["group"], at: "value", message: `unknown group \`${groupName}\`${didYouMeanSuffix(groupName, input.groups.keys())} (groups live in models/groups/<name>.toml)`, replacement: near },
      diagnostics,
      model,
    );
    return NO_GROUP;
  }
  const g = group.doc.data;
  const gTarget = asTable(g.target) ?? {};
  const sidecarTarget = asTable(data.target) ?? {};
  const enforce = asBool(g.enforce) === true;
  let schema = asString(gTarget.schema);
  const template = asString(g.schema_template);
  if (template !== undefined) {
    if (args && asString(sidecarTarget.schema) !== undefined) {
      reportIssue(doc, { path: ["target", "schema"], at: "key", message: "pinning `target.schema` while also supplying `[args]` for the group's schema_template is rejected" }, diagnostics, model);
    }
    schema = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, arg: string) => {
      const v = args?.[arg];
      if (typeof v === "string" || typeof v === "number") return String(v);
      reportIssue(doc, { path: ["args", arg], at: "parent", message: `group \`${groupName}\` schema_template "${template}" needs \`args.${arg}\`` }, diagnostics, model);
      return whole;
    });
  }
  if (enforce) {
    for (const path of [["target", "schema"], ["strategy"]]) {
      const present = path.length === 1 ? data[path[0]] !== undefined : asTable(data[path[0]])?.[path[1]] !== undefined;
      if (present) reportIssue(doc, { path, at: "key", message: `group \`${groupName}\` has enforce = true: \`${path.join(".")}\` cannot be overridden` }, diagnostics, model);
    }
  }
  return compact({
    enforce,
    catalog: asString(gTarget.catalog) ?? asString(g.catalog),
    schema,
    strategy: normalizeStrategy(g.strategy),
    tags: asTable(g.tags),
    adapter: asString(g.adapter),
    intent: asString(g.intent),
    schedule: asString(g.schedule),
    budget: normalizeBudget(g.budget),
  });
}
