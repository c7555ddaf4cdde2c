import { parse } from "smol-toml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { findSource, graphNodeOf, tableRefsOf } from "../compile/model-stages.js";
import { staticSourceSchemas } from "../compile/seed-ddl.js";
import { buildModelGraph } from "../graph/build-model-graph.js";
import { parseSql } from "../syntax/parse-sql.js";
import { didYouMeanSuffix } from "../util/did-you-mean.js";
import { classifyProjectFiles, describeUnreadable, loadProject } from "./load-project.js";
import { ROCKY_TOML } from "./load-rocky-config.js";
import { locateTomlKeys } from "./toml-locator.js";
import { isTable } from "./toml-spec.js";
import { asString, asStrings, asTable } from "./toml-values.js";
import type { LoadOptions, ModelSource, PipelineConfig, Project, ProjectFiles, ProjectFileText, RockyConfig } from "./types.js";

export type ValidateSeverity = "ok" | "warn" | "error" | "lint";

export interface ValidateMessage {
  readonly severity: ValidateSeverity;
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  /** Config field path, e.g. `adapter.prod.type`. */
  readonly field?: string;
  /** 1-based line in `file` (our addition to Rocky's shape). */
  readonly line?: number;
}

export interface ValidateAdapterStatus {
  readonly name: string;
  readonly adapter_type: string;
  readonly ok: boolean;
}

export interface ValidatePipelineStatus {
  readonly name: string;
  readonly pipeline_type: string;
  readonly ok: boolean;
  readonly strategy: string;
  readonly catalog_template: string;
  readonly schema_template: string;
}

export interface ValidateModelsStatus {
  readonly found: boolean;
  readonly count: number;
  readonly dag_valid: boolean;
}

/** Rocky's `rocky validate` JSON (`version` and `command` are added by the CLI). */
export interface ValidateOutput {
  readonly version?: string;
  readonly command?: string;
  readonly valid: boolean;
  readonly messages: readonly ValidateMessage[];
  readonly adapters: readonly ValidateAdapterStatus[];
  readonly pipelines: readonly ValidatePipelineStatus[];
  readonly models: ValidateModelsStatus;
}

type Msg = { -readonly [K in keyof ValidateMessage]: ValidateMessage[K] };

const msg = (severity: ValidateSeverity, code: string, message: string, at: { file?: string; field?: string; line?: number } = {}): Msg => {
  const m: Msg = { severity, code, message };
  if (at.file !== undefined) m.file = at.file;
  if (at.field !== undefined) m.field = at.field;
  if (at.line !== undefined) m.line = at.line;
  return m;
};

/** Loader codes that mean "the models could not be loaded" (V030) rather than a bad config value (V046). */
const MODEL_LOAD_CODES = new Set(["R005", "R006", "R007"]);

/**
 * `rocky validate` for a transformation project: config parse (V001), adapters (V010-V013, V017),
 * pipelines (V020-V025, V029, V030, V047), the model DAG from `depends_on` (V031), every loader
 * error as V046 with file, field and line, and the lints L001-L004, L007, L008. Pure.
 */
export function validateProject(files: ProjectFiles, options: LoadOptions): ValidateOutput {
  const messages: Msg[] = [];
  const loaded = loadProject(files, options);
  const project = loaded.value;
  const config = project.config;
  const layout = classifyProjectFiles(files, options);

  const rockyText = files.get(ROCKY_TOML);
  const rockyLocator = typeof rockyText === "string" ? locateTomlKeys(rockyText) : undefined;
  const lineOf = (path: readonly (string | number)[]) => rockyLocator?.keyAt(path).line;
  messages.push(...configParseMessages(rockyText, loaded.diagnostics));

  const problems = new Map<string, number>();
  const note = (owner: string) => problems.set(owner, (problems.get(owner) ?? 0) + 1);
  for (const d of loaded.diagnostics) {
    const m = diagnosticMessage(d);
    if (!m) continue;
    messages.push(m);
    if (m.severity === "error" && m.field?.startsWith("adapter")) note(adapterOwner(m.field, config));
    if (m.severity === "error" && m.field?.startsWith("pipeline.")) note(`pipeline:${m.field.split(".")[1]}`);
  }

  const adapterPath = (name: string) => (isTable(config.raw.adapter) && "type" in config.raw.adapter && !isTable(config.raw.adapter.type) ? ["adapter"] : ["adapter", name]);
  if (config.adapters.length === 0) messages.push(msg("warn", "V010", "no adapters defined", { file: ROCKY_TOML }));
  for (const a of config.adapters) {
    const at = { file: ROCKY_TOML, field: adapterPath(a.name).join("."), line: lineOf(adapterPath(a.name)) };
    const before = messages.length;
    // A setting from an unset ${VAR}: compiling does not need it, connecting will (the adapter's code for that key, else V010).
    const unsetKeys = new Set<string>();
    for (const d of a.unsetEnv ?? []) {
      const key = d.key?.split(".").at(-1) ?? "";
      unsetKeys.add(key);
      const code = a.type === "databricks" ? ({ host: "V011", http_path: "V012", token: "V013" } as Record<string, string>)[key] : undefined;
      const where = { file: ROCKY_TOML, ...(d.key ? { field: d.key } : {}), ...(d.span ? { line: d.span.line } : {}) };
      messages.push(msg("warn", code ?? "V010", `adapter ${a.name}: ${d.message}; compiling and reviewing do not need it, connecting to the warehouse does`, where));
    }
    if (a.type === "databricks") {
      const s = a.settings;
      if (!s.host && !unsetKeys.has("host")) messages.push(msg("warn", "V011", `adapter ${a.name}: databricks \`host\` is missing`, at));
      if (!s.http_path && !unsetKeys.has("http_path")) messages.push(msg("warn", "V012", `adapter ${a.name}: databricks \`http_path\` is missing`, at));
      if (!s.token && !(s.client_id && s.client_secret) && !s.oauth_token && !["token", "client_id", "client_secret", "oauth_token"].some((k) => unsetKeys.has(k))) messages.push(msg("warn", "V013", `adapter ${a.name}: databricks auth is missing (token, or client_id + client_secret)`, at));
    }
    if (messages.length === before && !problems.has(a.name)) messages.push(msg("ok", "V010", `adapter ${a.name} (${a.type}) ok`, at));
  }

  const pipelineNames = config.pipelines.map((p) => p.name);
  if (config.pipelines.length === 0) messages.push(msg("warn", "V020", "no pipelines defined", { file: ROCKY_TOML }));
  for (const p of config.pipelines) messages.push(...pipelineMessages(p, config, files, pipelineNames, lineOf, (o) => note(o)));
  messages.push(...pipelineCycleMessages(config.pipelines, lineOf));

  const loadErrors = loaded.diagnostics.some((d) => MODEL_LOAD_CODES.has(d.code) && d.severity === "Error");
  if (!loadErrors) messages.push(msg("ok", "V030", `${project.models.length} models loaded from ${layout.modelsDir}/`));
  const dagMessages = modelDagMessages(project);
  messages.push(...(dagMessages.length ? dagMessages : [msg("ok", "V031", `model DAG is valid: no cycles, no unknown models (${project.models.length} models, their SQL references and depends_on)`)]));
  messages.push(...lintMessages(project.models, config, files, lineOf));

  const adapters = config.adapters.map((a) => ({ name: a.name, adapter_type: a.type, ok: !problems.has(a.name) }));
  const pipelines = config.pipelines.map((p) => pipelineStatus(p, !problems.has(`pipeline:${p.name}`)));
  const prefix = layout.modelsDir === "." ? "" : `${layout.modelsDir}/`;
  const found = [...files.keys()].some((f) => f.startsWith(prefix));
  return {
    valid: !messages.some((m) => m.severity === "error"),
    messages,
    adapters,
    pipelines,
    models: { found, count: project.models.length, dag_valid: dagMessages.length === 0 },
  };
}

function configParseMessages(text: ProjectFileText | undefined, diagnostics: readonly Diagnostic[]): Msg[] {
  if (text === undefined) return [msg("error", "V001", `${ROCKY_TOML} not found`, { file: ROCKY_TOML })];
  if (typeof text !== "string") {
    const why = describeUnreadable(ROCKY_TOML, text);
    return [msg("error", "V001", why.message, { file: ROCKY_TOML, line: why.line })];
  }
  const syntax = diagnostics.find((d) => d.code === "R002" && d.span?.file === ROCKY_TOML && d.message.startsWith("invalid TOML"));
  if (!syntax) return [msg("ok", "V001", `${ROCKY_TOML} parsed`, { file: ROCKY_TOML })];
  return [msg("error", "V001", `${ROCKY_TOML} failed to parse: ${syntax.message.replace(/^invalid TOML: /, "")}`, { file: ROCKY_TOML, line: syntax.span?.line })];
}

function adapterOwner(field: string, config: RockyConfig): string {
  const parts = field.split(".");
  return parts.length > 2 && config.adapters.some((a) => a.name === parts[1]) ? parts[1] : "default";
}

/** A loader diagnostic as a validate message: adapter type → V017, load failures → V030, other errors → V046. */
function diagnosticMessage(d: Diagnostic): Msg | undefined {
  if (d.code === "E028") return undefined; // SQL rendering, not config: compile reports it.
  if (d.code === "R002" && d.span?.file === ROCKY_TOML && d.message.startsWith("invalid TOML")) return undefined; // V001 says it.
  const at = { file: d.span?.file, field: d.key, line: d.span?.line };
  const text = d.suggestion && !d.message.includes("did you mean") ? `${d.message}; ${d.suggestion}` : d.message;
  if (d.code === "R002" && d.key !== undefined && /^adapter(\.[^.]+)?\.type$/.test(d.key) && d.span?.file === ROCKY_TOML) return msg("error", "V017", text, at);
  if (MODEL_LOAD_CODES.has(d.code)) return msg(d.severity === "Error" ? "error" : "warn", "V030", text, at);
  if (d.severity === "Error") return msg("error", "V046", text, at);
  return msg("warn", d.code, text, at);
}

function pipelineMessages(
  p: PipelineConfig,
  config: RockyConfig,
  files: ProjectFiles,
  pipelineNames: readonly string[],
  lineOf: (path: readonly (string | number)[]) => number | undefined,
  problem: (owner: string) => void,
): Msg[] {
  const out: Msg[] = [];
  const base = ["pipeline", p.name];
  const at = (...path: string[]) => ({ file: ROCKY_TOML, field: [...base, ...path].join("."), line: lineOf([...base, ...path]) });
  const error = (code: string, text: string, path: string[]) => {
    out.push(msg("error", code, text, at(...path)));
    problem(`pipeline:${p.name}`);
  };
  const adapterNames = config.adapters.map((a) => a.name);
  const checkAdapter = (code: string, role: string, name: string | undefined, path: string[]) => {
    if (name === undefined || adapterNames.includes(name)) return;
    error(code, `pipeline ${p.name}: ${role} adapter \`${name}\` is not declared${didYouMeanSuffix(name, adapterNames)}`, path);
  };
  const raw = p.raw;
  const source = asTable(raw.source);
  const target = asTable(raw.target);
  if (p.type === "replication") {
    checkAdapter("V022", "source", asString(source?.adapter), ["source", "adapter"]);
    checkAdapter("V024", "discovery", asString(asTable(source?.discovery)?.adapter), ["source", "discovery", "adapter"]);
    const pattern = source?.schema_pattern;
    if (pattern !== undefined) {
      const t = asTable(pattern);
      const ok = t !== undefined && typeof t.prefix === "string" && typeof t.separator === "string" && Array.isArray(t.components) && t.components.every((c) => typeof c === "string");
      if (ok) out.push(msg("ok", "V021", `pipeline ${p.name}: schema pattern ok`, at("source", "schema_pattern")));
      else error("V021", `pipeline ${p.name}: schema_pattern needs prefix, separator and components (strings)`, ["source", "schema_pattern"]);
    }
  }
  if (p.type === "transformation" || target?.adapter !== undefined) checkAdapter("V023", "target", p.targetAdapter, ["target", "adapter"]);
  for (const dep of asStrings(raw.depends_on) ?? []) {
    if (!pipelineNames.includes(dep)) error("V029", `pipeline ${p.name}: depends_on names unknown pipeline \`${dep}\`${didYouMeanSuffix(dep, pipelineNames)}`, ["depends_on"]);
  }
  if (p.type === "transformation") {
    const glob = p.models ?? "models/**";
    if (glob.startsWith("/") || /^[A-Za-z]:/.test(glob) || glob.split("/").includes("..")) {
      error("V047", `pipeline ${p.name}: models glob "${glob}" resolves outside the project root`, ["models"]);
    } else {
      const dir = glob.replace(/\/?\*.*$/, "").replace(/^\.\//, "") || ".";
      const prefix = dir === "." ? "" : `${dir}/`;
      const exists = [...files.keys()].some((f) => f.startsWith(prefix));
      if (!exists) out.push(msg("warn", "V025", `pipeline ${p.name}: models directory ${dir}/ not found`, at("models")));
    }
  }
  out.push(msg("ok", "V020", `pipeline ${p.name} (${p.type})`, at()));
  return out;
}

function pipelineStatus(p: PipelineConfig, ok: boolean): ValidatePipelineStatus {
  const target = asTable(p.raw.target);
  return {
    name: p.name,
    pipeline_type: p.type,
    ok,
    strategy: asString(p.raw.strategy) ?? (p.type === "replication" ? "full_refresh" : ""),
    catalog_template: asString(target?.catalog_template) ?? "",
    schema_template: asString(target?.schema_template) ?? "",
  };
}

/** V030: cycles in pipeline `depends_on`. */
function pipelineCycleMessages(pipelines: readonly PipelineConfig[], lineOf: (path: readonly (string | number)[]) => number | undefined): Msg[] {
  const deps = new Map(pipelines.map((p) => [p.name, (asStrings(p.raw.depends_on) ?? []).filter((d) => pipelines.some((q) => q.name === d))]));
  const cycle = findCycle(deps);
  if (pipelines.length === 0) return [];
  if (!cycle) return [msg("ok", "V030", "pipeline dependency graph is acyclic")];
  return [msg("error", "V030", `pipeline dependency cycle: ${cycle.join(" -> ")}`, { file: ROCKY_TOML, field: `pipeline.${cycle[0]}.depends_on`, line: lineOf(["pipeline", cycle[0], "depends_on"]) })];
}

/**
 * V031: the model DAG as the compile builds it (build-model-graph.ts): the tables each model's SQL
 * reads and its `depends_on`, so a cycle through a `FROM`, a model reading itself and an unknown
 * model are errors here as in `rocky compile` (R003, R004). A one-part name in `FROM` that is no
 * model is checked against the sources the compile knows without a warehouse (the schema files, the
 * seed's CREATE TABLE statements: staticSourceSchemas), so an undeclared table is the compile's R004
 * here too. The SQL is parsed for its references only, not typed; a model whose SQL does not parse
 * is a warning, since what it reads is unknown.
 */
function modelDagMessages(project: Project): Msg[] {
  const out: Msg[] = [];
  const sources = staticSourceSchemas(project);
  const nodes = project.models.map((m) => {
    const parsed = parseSql(m.sql, m.dialect);
    if (parsed.query !== undefined && parsed.error === undefined) return graphNodeOf(m, tableRefsOf(parsed.query));
    const at = parsed.error?.span;
    out.push(msg("warn", "V031", `model ${m.name}: its SQL does not parse (${parsed.error?.message ?? "no query found"}), so the models it reads are not checked; \`rocky compile\` reports it as R001`, { file: m.file, line: at?.line ?? 1 }));
    return graphNodeOf(m, { bare: [], qualified: [] });
  });
  // The compile reports a cycle on each of its models; validate says it once, where its first model reads the next.
  const cycles = new Set<string>();
  for (const d of buildModelGraph(nodes, { isKnownSource: (name) => findSource(sources, name) !== undefined }).diagnostics) {
    if (d.code === "R003" && d.message.startsWith("dependency cycle")) {
      if (cycles.has(d.message)) continue;
      cycles.add(d.message);
    }
    const help = d.suggestion && !d.message.includes("did you mean") ? `; ${d.suggestion}` : "";
    out.push(msg("error", "V031", `model ${d.model}: ${d.message}${help}`, { file: d.span?.file, line: d.span?.line }));
  }
  return out;
}

/**
 * The first cycle found (as a closed path a -> b -> a), deterministic by name order: a depth-first
 * search from each name in order, children in order. Iterative, so a chain of 20,000 models does not
 * overflow the stack.
 */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const frames: { node: string; children: string[]; i: number }[] = [];
  const enter = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    frames.push({ node: n, children: [...(deps.get(n) ?? [])].sort(), i: 0 });
  };
  for (const root of [...deps.keys()].sort()) {
    if (state.get(root) !== undefined) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.i < frame.children.length) {
        const d = frame.children[frame.i++];
        if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
        if (state.get(d) === undefined) enter(d);
        continue;
      }
      frames.pop();
      stack.pop();
      state.set(frame.node, 2);
    }
  }
  return undefined;
}

/** The sidecar as written (before `${VAR}` substitution), for lints that judge what the author typed. */
function declared(files: ProjectFiles, file: string | undefined): Record<string, unknown> | undefined {
  const text = file === undefined ? undefined : files.get(file);
  if (typeof text !== "string") return undefined;
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The config keys a model's own sidecar (or front-matter) wrote, as written. Without `${` in the
 * text the loaded config says it all (a key with a location was written there); with `${` the
 * text is parsed again so lints judge the template, not what the env resolved to (as Rocky).
 */
function writtenKeys(m: ModelSource, files: ProjectFiles): { name?: string; table?: string; catalog?: string; schema?: string; adapter?: string } {
  const file = m.sidecarFile ?? (m.frontMatter ? m.file : undefined);
  if (file === undefined) return {};
  const text = files.get(file);
  if (typeof text === "string" && m.sidecarFile !== undefined && text.includes("${")) {
    const raw = declared(files, file);
    const target = asTable(raw?.target);
    return { name: asString(raw?.name), table: asString(target?.table), catalog: asString(target?.catalog), schema: asString(target?.schema), adapter: asString(raw?.adapter) };
  }
  const at = m.config.locations;
  const has = (k: string) => at[k] !== undefined && at[k].file === file;
  return {
    name: has("name") ? m.config.name : undefined,
    table: has("target.table") ? m.config.target.table : undefined,
    catalog: has("target.catalog") ? m.config.target.catalog : undefined,
    schema: has("target.schema") ? m.config.target.schema : undefined,
    adapter: has("adapter") ? m.config.adapter : undefined,
  };
}

function lintMessages(models: readonly ModelSource[], config: RockyConfig, files: ProjectFiles, lineOf: (path: readonly (string | number)[]) => number | undefined): Msg[] {
  const out: Msg[] = [];
  const targets = new Map<string, string[]>();
  for (const m of models) {
    const file = m.sidecarFile ?? (m.frontMatter ? m.file : undefined);
    const written = writtenKeys(m, files);
    const stem = m.file.slice(m.file.lastIndexOf("/") + 1, -".sql".length);
    const loc = (key: string) => ({ file, field: key, line: m.config.locations[key]?.line });
    if (written.name !== undefined && written.name === stem) out.push(msg("lint", "L001", `model ${m.name}: \`name\` equals the file name and can be removed`, loc("name")));
    if (written.table !== undefined && written.table === (written.name ?? stem)) out.push(msg("lint", "L002", `model ${m.name}: \`target.table\` equals the model name and can be removed`, loc("target.table")));
    if (written.catalog !== undefined && written.schema !== undefined) {
      const key = `${written.catalog}.${written.schema}`;
      const list = targets.get(key);
      if (list) list.push(m.name);
      else targets.set(key, [m.name]);
    }
    if (config.adapters.length === 1 && written.adapter === config.adapters[0].name) {
      out.push(msg("lint", "L007", `model ${m.name}: \`adapter = "${config.adapters[0].name}"\` repeats the project's only adapter and can be removed`, loc("adapter")));
    }
    if (m.contract?.source === "auto") out.push(msg("lint", "L008", `model ${m.name}: contract auto-discovered from ${m.contract.file}`, { file: m.contract.file }));
  }
  for (const [target, names] of [...targets].sort()) {
    if (names.length < 2) continue;
    out.push(msg("lint", "L003", `${names.length} models (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}) repeat target ${target}; set it once in models/_defaults.toml`));
  }
  if (asString(asTable(config.raw.state)?.backend) === "local") {
    out.push(msg("lint", "L004", '`[state] backend = "local"` is the default and can be removed', { file: ROCKY_TOML, field: "state.backend", line: lineOf(["state", "backend"]) }));
  }
  return out;
}
