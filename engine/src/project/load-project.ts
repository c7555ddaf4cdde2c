import type { Compiled, Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { DialectId } from "../syntax/ast.js";
import { type NameMatcher, createNameMatcher } from "../graph/name-matcher.js";
import { didYouMean, didYouMeanSuffix } from "../util/did-you-mean.js";
import { DEFAULTS_SPEC, GROUP_SPEC } from "./config-specs.js";
import { loadContract } from "./load-contract.js";
import { type GroupConfig, loadModelConfig } from "./load-model-config.js";
import { EMPTY_ROCKY_CONFIG, ROCKY_TOML, dialectOfAdapterType, loadRockyConfig } from "./load-rocky-config.js";
import { loadSourceSchemas } from "./load-source-schemas.js";
import { splitFrontMatter } from "./split-front-matter.js";
import { isNestedStraySql, isSqlName } from "./stray-model-files.js";
import { substituteVars } from "./substitute-vars.js";
import { type TomlDoc, checkDoc, parseTomlDoc, prunePath, reportIssue } from "./toml-file.js";
import { isUnreadable, type Contract, type FreshnessConfig, type LoadOptions, type ModelSource, type PipelineConfig, type Project, type ProjectFiles, type RockyConfig, type SourceColumn, type UnreadableFile } from "./types.js";

/** How the project's files were classified (shared by loadProject and validateProject). */
export interface ProjectLayout {
  readonly modelsDir: string;
  readonly contractDirs: readonly string[];
  /** `models/x.sql` files, sorted. */
  readonly sqlFiles: readonly string[];
  /** stem → sidecar path. */
  readonly sidecars: ReadonlyMap<string, string>;
  readonly rockyFiles: readonly string[];
  readonly defaultsFile?: string;
  readonly testDefinitionsFile?: string;
  readonly groupFiles: readonly string[];
  /** Beside the models: stem → path. */
  readonly autoContracts: ReadonlyMap<string, string>;
  /** In contracts dirs: model name → path (the first dir wins). */
  readonly explicitContracts: ReadonlyMap<string, string>;
  readonly schemaFiles: readonly string[];
  readonly seedFile?: string;
  /**
   * SQL files the flat layout does not load, sorted: under a sub-directory of the models dir (a
   * dbt habit), or ending `.SQL` or another case of `.sql`.
   */
  readonly strayModelFiles: readonly string[];
}

const stemOf = (file: string, ext: string): string => file.slice(file.lastIndexOf("/") + 1, file.length - ext.length);

export function normalizeDir(dir: string): string {
  return dir.replace(/\\/g, "/").replace(/^\.\/+/, "").replace(/\/+$/, "") || ".";
}

/** Classify project files by Rocky's layout (rocky-compat.md §2.1); models are flat. */
export function classifyProjectFiles(files: ProjectFiles, options: Pick<LoadOptions, "modelsDir" | "contractsDir">): ProjectLayout {
  const modelsDir = normalizeDir(options.modelsDir ?? "models");
  const contractDirs = [...new Set([options.contractsDir ? normalizeDir(options.contractsDir) : undefined, "contracts"].filter((d): d is string => d !== undefined))];
  const prefix = modelsDir === "." ? "" : `${modelsDir}/`;
  const sqlFiles: string[] = [];
  const sidecars = new Map<string, string>();
  const rockyFiles: string[] = [];
  const groupFiles: string[] = [];
  const autoContracts = new Map<string, string>();
  const explicitContracts = new Map<string, string>();
  const schemaFiles: string[] = [];
  const strayModelFiles: string[] = [];
  let defaultsFile: string | undefined;
  let testDefinitionsFile: string | undefined;
  for (const path of files.keys()) {
    if (path.startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      if (rest.startsWith("groups/") && rest.indexOf("/", 7) < 0 && rest.endsWith(".toml")) groupFiles.push(path);
      if (rest.includes("/")) {
        if (isNestedStraySql(rest)) strayModelFiles.push(path);
        continue;
      }
      if (rest === "_defaults.toml") defaultsFile = path;
      else if (rest === "test_definitions.toml") testDefinitionsFile = path;
      else if (rest.endsWith(".contract.toml")) autoContracts.set(stemOf(path, ".contract.toml"), path);
      else if (rest.endsWith(".toml") && path !== ROCKY_TOML) sidecars.set(stemOf(path, ".toml"), path);
      else if (rest.endsWith(".sql")) sqlFiles.push(path);
      else if (rest.endsWith(".rocky")) rockyFiles.push(path);
      else if (isSqlName(rest)) strayModelFiles.push(path);
      if (modelsDir !== ".") continue;
    }
    for (const dir of contractDirs) {
      if (!path.startsWith(`${dir}/`) || !path.endsWith(".contract.toml")) continue;
      if (path.slice(dir.length + 1).includes("/")) continue;
      const model = stemOf(path, ".contract.toml");
      if (!explicitContracts.has(model)) explicitContracts.set(model, path);
    }
    if ((path.startsWith("schemas/") && path.endsWith(".json") && !path.slice(8).includes("/")) || path === "rocky.schema.json") schemaFiles.push(path);
  }
  sqlFiles.sort();
  rockyFiles.sort();
  groupFiles.sort();
  schemaFiles.sort();
  strayModelFiles.sort();
  return {
    modelsDir,
    contractDirs,
    sqlFiles,
    sidecars,
    rockyFiles,
    defaultsFile,
    testDefinitionsFile,
    groupFiles,
    autoContracts,
    explicitContracts,
    schemaFiles,
    seedFile: files.has("data/seed.sql") ? "data/seed.sql" : undefined,
    strayModelFiles,
  };
}

/** " (did you mean `x`?)" or "", as didYouMeanSuffix words it. */
const suggestion = (near: string | undefined): string => (near === undefined ? "" : ` (did you mean \`${near}\`?)`);

function unreadable(file: string, why: UnreadableFile | null | undefined, diagnostics: Diagnostic[], model?: string): void {
  const { message, line, col, suggestion } = describeUnreadable(file, why);
  diagnostics.push(createDiagnostic("R007", message, { span: { file, line, col }, model, suggestion }));
}

/**
 * R007's words for a file with no text, from its reader's account: which of not UTF-8 (at the first
 * byte that is not), binary, too large or not read at all (the OS's or git's error), and what to do.
 * A reader that gave no reason (`null`) gets every possibility named.
 */
export function describeUnreadable(file: string, why: UnreadableFile | null | undefined): { message: string; line: number; col: number; suggestion: string } {
  switch (why?.unreadable) {
    case "not-utf8":
      return { message: `${file} is not UTF-8 text (its first invalid byte is at line ${why.line}, column ${why.col})`, line: why.line, col: why.col, suggestion: "save the file as UTF-8 (an editor may have written it as Latin-1 or Windows-1252)" };
    case "binary":
      return { message: `${file} is binary, not text: it holds a NUL byte (the first at line ${why.line}, column ${why.col})`, line: why.line, col: why.col, suggestion: "replace it with the text file meant to be here, or remove it (a UTF-16 file holds NUL bytes too: save it as UTF-8)" };
    case "too-large":
      return { message: `${file} is too large to read: ${megabytes(why.bytes)} (${why.bytes} bytes), over the limit of ${megabytes(why.limit)}`, line: 1, col: 1, suggestion: "split the file, or remove it" };
    case "read-error":
      return { message: `${file} could not be read (${why.code}: ${why.message})`, line: 1, col: 1, suggestion: why.code === "EISDIR" ? "a directory has the name of a project file: rename or remove it" : "make the file readable (check its permissions and that it exists), or remove it" };
    default:
      return { message: `${file} is not readable text (no permission to read it, binary, not UTF-8, or larger than 10 MB)`, line: 1, col: 1, suggestion: "make the file readable (check its permissions), save it as UTF-8 text, or remove it" };
  }
}

/** "10 MB", "14.3 MB": a size in mebibytes, as file managers say MB. */
function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** Read a file's text; a file without one (unreadable, binary, not UTF-8, too large) is R007, saying which, and yields undefined. */
function textOf(files: ProjectFiles, file: string | undefined, diagnostics: Diagnostic[], model?: string): string | undefined {
  if (file === undefined) return undefined;
  const text = files.get(file);
  if (text === undefined || typeof text === "string") return text;
  unreadable(file, text, diagnostics, model);
  return undefined;
}

const PER_MODEL_DEFAULT_KEYS = ["name", "depends_on", "sources"] as const;

/**
 * Load a Rocky project from its files. Pure (no fs, no env): every user mistake is a diagnostic
 * naming file, line, column and key, and nothing throws. A broken rocky.toml leaves the models
 * loading with defaults; a broken sidecar costs only its model's config (marked `configError`).
 */
export function loadProject(files: ProjectFiles, options: LoadOptions): Compiled<Project> {
  const diagnostics: Diagnostic[] = [];
  try {
    return { value: loadProjectInto(files, options, diagnostics), diagnostics };
  } catch (e) {
    // A bug, not a user mistake: say so and return what a compile can still use.
    diagnostics.push(createDiagnostic("R009", `internal error while loading the project: ${e instanceof Error ? e.message : String(e)}`));
    return { value: { config: EMPTY_ROCKY_CONFIG, models: [], orphanContracts: [], sourceSchemas: new Map() }, diagnostics };
  }
}

function loadProjectInto(files: ProjectFiles, options: LoadOptions, diagnostics: Diagnostic[]): Project {
  const env = options.env;
  const layout = classifyProjectFiles(files, options);
  const rocky = loadRockyConfig(textOf(files, files.has(ROCKY_TOML) ? ROCKY_TOML : undefined, diagnostics), env, diagnostics);
  const config = rocky.config;

  const { defaults, broken: defaultsBroken, targetBroken: defaultsTargetBroken } = loadDefaults(files, layout.defaultsFile, env, diagnostics);
  const groups = loadGroups(files, layout.groupFiles, env, diagnostics);
  const testDefinitions = textOf(files, layout.testDefinitionsFile, diagnostics);
  if (testDefinitions !== undefined && layout.testDefinitionsFile) parseTomlDoc(layout.testDefinitionsFile, testDefinitions, env, diagnostics);

  for (const file of layout.rockyFiles) {
    diagnostics.push(
      createDiagnostic("R002", "Rocky DSL models (.rocky) are not supported; convert to .sql", {
        span: { file, line: 1, col: 1 },
        model: stemOf(file, ".rocky"),
        suggestion: "rewrite the model as plain SQL in a .sql file with a .toml sidecar",
      }),
    );
  }

  const models: ModelSource[] = [];
  const byName = new Map<string, ModelSource>();
  const byLowerName = new Map<string, ModelSource>();
  const stemToName = new Map<string, string>();
  const owner = owningPipeline(config, layout.modelsDir);
  const pipelineAdapter = owner?.targetAdapter;
  const projectFreshness = projectFreshnessDefault(config);
  for (const file of layout.sqlFiles) {
    const stem = stemOf(file, ".sql");
    const model = loadModel(files, file, stem, layout, { defaults, defaultsBroken, defaultsTargetBroken, groups, options, config, pipelineAdapter, pipelineSchedule: owner?.schedule, projectFreshness, configBroken: rocky.broken || isUnreadable(files.get(ROCKY_TOML)) }, diagnostics);
    if (!model) continue;
    // SQL names are case-insensitive (`FROM Stg_Orders` reads stg_orders): `STG_ORDERS` and
    // `stg_orders` are one name to every reference, and one file on macOS and Windows.
    const first = byLowerName.get(model.name.toLowerCase());
    if (first) {
      const message =
        first.name === model.name
          ? `model \`${model.name}\` is defined by both ${first.file} and ${model.file}`
          : `models \`${first.name}\` (${first.file}) and \`${model.name}\` (${model.file}) differ only in case: SQL names are case-insensitive, so a reference cannot tell them apart (a case-insensitive file system cannot even hold both)`;
      diagnostics.push(
        createDiagnostic("R005", message, {
          model: model.name,
          // Where the name was given: its `name` key, else the file it is the name of.
          span: model.config.locations.name ?? (first.name === model.name && model.sidecarFile ? { file: model.sidecarFile, line: 1, col: 1 } : { file: model.file, line: 1, col: 1 }),
          suggestion: "rename one of them (the `name` key, or the file)",
        }),
      );
      continue;
    }
    byName.set(model.name, model);
    byLowerName.set(model.name.toLowerCase(), model);
    stemToName.set(stem, model.name);
    models.push(model);
  }
  reportOrphanSidecars(layout, diagnostics);
  reportStrayModelFiles(layout, diagnostics);
  if (models.length === 0 && layout.rockyFiles.length === 0) {
    diagnostics.push(
      createDiagnostic("R006", `no models found in ${layout.modelsDir}/ (expected ${layout.modelsDir}/*.sql)`, {
        span: { file: `${layout.modelsDir}/`, line: 1, col: 1 },
        suggestion: layout.modelsDir === "models" ? "add models/<name>.sql, or pass --models DIR" : `check --models ${layout.modelsDir}`,
      }),
    );
  }

  const { attached, orphans } = loadContracts(files, layout, byName, stemToName, env, diagnostics);
  const withContracts = models.map((m) => (attached.has(m.name) ? { ...m, contract: attached.get(m.name) } : m));

  const sourceSchemas = new Map<string, SourceColumn[]>();
  for (const file of layout.schemaFiles) {
    const text = textOf(files, file, diagnostics);
    if (text !== undefined) loadSourceSchemas(file, text, sourceSchemas, diagnostics);
  }
  const seedSql = textOf(files, layout.seedFile, diagnostics);
  const project: Project = { config, models: withContracts, orphanContracts: orphans, sourceSchemas };
  return seedSql === undefined ? project : { ...project, seedSql };
}

/**
 * A sidecar with no `.sql` beside it configures nothing: usually a model was renamed and its
 * sidecar was not, so the model silently lost its strategy, target and classifications. R002 as
 * a warning (Rocky ignores such files), with the nearest model file as did-you-mean.
 */
function reportOrphanSidecars(layout: ProjectLayout, diagnostics: Diagnostic[]): void {
  const sqlStems = new Set(layout.sqlFiles.map((f) => stemOf(f, ".sql")));
  const rockyStems = new Set(layout.rockyFiles.map((f) => stemOf(f, ".rocky")));
  // Sort only the orphans (usually none), not every sidecar of the project.
  const orphans = [...layout.sidecars].filter(([stem]) => !sqlStems.has(stem) && !rockyStems.has(stem));
  // didYouMean(stem, sqlStems), without comparing every orphan with every model when many are orphaned.
  let nearest: NameMatcher | undefined;
  for (const [stem, file] of orphans.sort((a, b) => a[1].localeCompare(b[1]))) {
    const near = (nearest ??= createNameMatcher(sqlStems))(stem);
    diagnostics.push(
      createDiagnostic("R002", `sidecar ${file} has no ${layout.modelsDir}/${stem}.sql: its config applies to no model${near ? ` (did you mean ${layout.modelsDir}/${near}.sql?)` : ""}`, {
        span: { file, line: 1, col: 1 },
        severity: "Warning",
        suggestion: near ? `rename it to ${layout.modelsDir}/${near}.toml` : "rename it to match its model, or delete it",
      }),
    );
  }
}

/**
 * SQL files in the models dir that Rocky's flat loader never reads: one in a sub-directory (dbt
 * projects nest models by layer, so an analyst adds `models/staging/x.sql` and it silently is no
 * model), or one ending `.SQL`. R002 as a warning, as for an orphan sidecar.
 */
function reportStrayModelFiles(layout: ProjectLayout, diagnostics: Diagnostic[]): void {
  const dir = layout.modelsDir === "." ? "" : `${layout.modelsDir}/`;
  for (const file of layout.strayModelFiles) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    const flat = `${dir}${name.slice(0, -4)}.sql`;
    const nested = file.slice(dir.length).includes("/");
    diagnostics.push(
      createDiagnostic(
        "R002",
        nested
          ? `${file} is not a model: models are read from ${dir === "" ? "the project's top directory" : `${layout.modelsDir}/`} only, not its sub-directories`
          : `${file} is not a model: a model's file name ends in \`.sql\` (lower-case)`,
        {
          span: { file, line: 1, col: 1 },
          severity: "Warning",
          suggestion: `${nested ? "move" : "rename"} it to ${flat}${nested ? " (with its .toml sidecar)" : ""}`,
        },
      ),
    );
  }
}

/**
 * `_defaults.toml`, checked. `broken` when the file exists but could not be read or parsed: its
 * R002/R007 is then the one finding, and models do not also report the targets it would have set.
 */
function loadDefaults(files: ProjectFiles, file: string | undefined, env: LoadOptions["env"], diagnostics: Diagnostic[]): { defaults?: Record<string, unknown>; broken: boolean; targetBroken: boolean } {
  if (file === undefined) return { broken: false, targetBroken: false };
  const text = textOf(files, file, diagnostics);
  if (text === undefined) return { broken: true, targetBroken: true };
  // From here: the file's findings, an unset `${VAR}` of `[target]` among them.
  const before = diagnostics.length;
  const doc = parseTomlDoc(file, text, env, diagnostics);
  if (!doc) return { broken: true, targetBroken: true };
  for (const key of PER_MODEL_DEFAULT_KEYS) {
    if (doc.data[key] === undefined) continue;
    reportIssue(doc, { path: [key], at: "key", message: `_defaults.toml must not declare per-model field \`${key}\``, suggestion: "move it to the model's sidecar" }, diagnostics);
    prunePath(doc.data, [key]);
  }
  checkDoc(doc, DEFAULTS_SPEC, diagnostics);
  // `catalgo = ...` or `schema = "${UNSET}"` in [target]: that one finding, not one "missing target.schema" per model.
  let targetBroken = false;
  for (let i = before; i < diagnostics.length; i++) if (diagnostics[i].key === "target" || diagnostics[i].key?.startsWith("target.")) targetBroken = true;
  // A syntax error leaves the rest of the file in force, and the file still broken: its R002 is the one finding.
  return { defaults: doc.data, broken: doc.salvaged === true, targetBroken: targetBroken || doc.salvaged === true };
}

function loadGroups(files: ProjectFiles, groupFiles: readonly string[], env: LoadOptions["env"], diagnostics: Diagnostic[]): Map<string, GroupConfig> {
  const groups = new Map<string, GroupConfig>();
  for (const file of groupFiles) {
    const text = textOf(files, file, diagnostics);
    if (text === undefined) continue;
    const doc = parseTomlDoc(file, text, env, diagnostics);
    if (!doc) continue;
    checkDoc(doc, GROUP_SPEC, diagnostics);
    groups.set(stemOf(file, ".toml"), { name: stemOf(file, ".toml"), doc });
  }
  return groups;
}

interface ModelContext {
  readonly defaults?: Record<string, unknown>;
  /** `_defaults.toml` exists but did not load: every model's config is partly missing. */
  readonly defaultsBroken: boolean;
  /** `_defaults.toml`'s `[target]` has a finding (a misspelt key): its one finding stands for the models' missing target keys. */
  readonly defaultsTargetBroken: boolean;
  readonly groups: ReadonlyMap<string, GroupConfig>;
  readonly options: LoadOptions;
  readonly config: RockyConfig;
  readonly pipelineAdapter?: string;
  readonly pipelineSchedule?: string;
  readonly projectFreshness?: FreshnessConfig;
  readonly configBroken: boolean;
}

function loadModel(files: ProjectFiles, file: string, stem: string, layout: ProjectLayout, ctx: ModelContext, diagnostics: Diagnostic[]): ModelSource | undefined {
  const raw = files.get(file);
  if (typeof raw !== "string") {
    unreadable(file, raw, diagnostics, stem);
    return undefined;
  }
  const before = diagnostics.length;
  const sidecarFile = layout.sidecars.get(stem);
  const front = splitFrontMatter(raw);
  let doc: TomlDoc | undefined;
  let configError = false;
  if (sidecarFile !== undefined) {
    const text = textOf(files, sidecarFile, diagnostics, stem);
    if (text === undefined) configError = true;
    else doc = parseTomlDoc(sidecarFile, text, ctx.options.env, diagnostics);
    if (text !== undefined && !doc) configError = true;
    if (front) {
      diagnostics.push(
        createDiagnostic("R002", `${file} has both a sidecar (${sidecarFile}) and inline ---toml front-matter; the front-matter is ignored`, {
          model: stem,
          span: { file, line: front.lineOffset, col: 1 },
          suggestion: "delete the front-matter block",
        }),
      );
    }
  } else if (front) {
    if (!front.closed) {
      diagnostics.push(createDiagnostic("R002", "the ---toml front-matter block is not closed with ---", { model: stem, span: { file, line: front.lineOffset, col: 1 } }));
    }
    doc = parseTomlDoc(file, front.toml, ctx.options.env, diagnostics, front.lineOffset);
    if (!doc) configError = true;
  }
  // A `${VAR}` unset in the sidecar's [target] (reported while parsing): that one finding, not also "missing target.schema".
  let docTargetBroken = false;
  for (let i = before; i < diagnostics.length; i++) if (diagnostics[i].key === "target" || diagnostics[i].key?.startsWith("target.")) docTargetBroken = true;
  const config = loadModelConfig(
    { stem, sqlFile: file, doc, docTargetBroken, defaults: ctx.defaults, defaultsBroken: ctx.defaultsBroken, defaultsTargetBroken: ctx.defaultsTargetBroken, groups: ctx.groups, projectFreshness: ctx.projectFreshness, pipelineSchedule: ctx.pipelineSchedule },
    diagnostics,
  );
  // Broken defaults leave every model's config partly unknown (target, strategy, ...): mark it. So
  // does a broken [target] in _defaults.toml for a model that takes its catalog or schema from there.
  const targetFromBrokenDefaults = ctx.defaultsTargetBroken && (config.target.catalog === "" || config.target.schema === "");
  if (diagnostics.length > before || ctx.defaultsBroken || targetFromBrokenDefaults) configError = true;

  const rawSql = front ? front.sql : raw;
  const vars = substituteVars(rawSql, ctx.options.vars, file, config.name, diagnostics);
  const dialect = modelDialect(config.adapter, doc, ctx, config.name, diagnostics);
  const model: { -readonly [K in keyof ModelSource]: ModelSource[K] } = { name: config.name, file, rawSql, sql: vars.sql, dialect, config };
  if (sidecarFile !== undefined) model.sidecarFile = sidecarFile;
  if (vars.columnMap) model.columnMap = vars.columnMap;
  if (configError) model.configError = true;
  if (front && sidecarFile === undefined) model.frontMatter = true;
  return model;
}

/** The transformation pipeline that owns the models dir (its `models` glob), else the first one. */
function owningPipeline(config: RockyConfig, modelsDir: string): PipelineConfig | undefined {
  const transformations = config.pipelines.filter((p) => p.type === "transformation");
  return transformations.find((p) => (p.models ?? "").replace(/\/?\*.*$/, "").replace(/^\.\//, "") === modelsDir) ?? transformations[0];
}

/** rocky.toml `[freshness]` is inherited by models without their own only when it sets expected_lag_seconds. */
function projectFreshnessDefault(config: RockyConfig): FreshnessConfig | undefined {
  const raw = config.raw.freshness;
  const lag = config.freshness?.expected_lag_seconds;
  if (lag === undefined || raw === null || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  return {
    max_lag_seconds: lag,
    ...(typeof r.time_column === "string" ? { time_column: r.time_column } : {}),
    ...(typeof r.severity === "string" ? { severity: r.severity } : {}),
  };
}

/**
 * The model's dialect: its `adapter` override, else its pipeline's target adapter, else the only
 * (or the `default`) adapter; duckdb when none. Types other than duckdb/databricks/snowflake/
 * bigquery compile as duckdb.
 */
function modelDialect(override: string | undefined, doc: TomlDoc | undefined, ctx: ModelContext, model: string, diagnostics: Diagnostic[]): DialectId {
  const adapters = ctx.config.adapters;
  if (override !== undefined) {
    const hit = adapters.find((a) => a.name === override);
    if (hit) return dialectOfAdapterType(hit.type);
    if (doc && !ctx.configBroken) {
      const names = adapters.map((a) => a.name);
      reportIssue(
        doc,
        {
          path: ["adapter"],
          at: "value",
          message: `adapter \`${override}\` is not declared in rocky.toml${didYouMeanSuffix(override, names)}`,
          suggestion: names.length ? `declared adapters: ${names.join(", ")}` : "add an [adapter.NAME] block to rocky.toml",
          replacement: didYouMean(override, names),
        },
        diagnostics,
        model,
      );
    }
  }
  const viaPipeline = ctx.pipelineAdapter === undefined ? undefined : adapters.find((a) => a.name === ctx.pipelineAdapter);
  if (viaPipeline) return dialectOfAdapterType(viaPipeline.type);
  const fallback = adapters.length === 1 ? adapters[0] : adapters.find((a) => a.name === "default");
  return dialectOfAdapterType(fallback?.type);
}

/**
 * Contracts beside a model (`models/<stem>.contract.toml`, source "auto") or in a contracts dir
 * (`contracts/<model>.contract.toml`, source "explicit"; an explicit contract wins). A contract for
 * no model is W011 and lands in `orphanContracts`.
 */
function loadContracts(
  files: ProjectFiles,
  layout: ProjectLayout,
  byName: ReadonlyMap<string, ModelSource>,
  stemToName: ReadonlyMap<string, string>,
  env: LoadOptions["env"],
  diagnostics: Diagnostic[],
): { attached: Map<string, Contract>; orphans: Contract[] } {
  const attached = new Map<string, Contract>();
  const orphans: Contract[] = [];
  const candidates: { file: string; model: string; source: Contract["source"] }[] = [];
  for (const [model, file] of [...layout.explicitContracts].sort((a, b) => a[1].localeCompare(b[1]))) candidates.push({ file, model, source: "explicit" });
  for (const [stem, file] of [...layout.autoContracts].sort((a, b) => a[1].localeCompare(b[1]))) candidates.push({ file, model: stemToName.get(stem) ?? stem, source: "auto" });
  // didYouMeanSuffix(model, byName.keys()), as above.
  let nearest: NameMatcher | undefined;
  for (const c of candidates) {
    const text = textOf(files, c.file, diagnostics, c.model);
    if (text === undefined) continue;
    const contract = loadContract(c.file, text, c.model, c.source, env, diagnostics);
    if (!contract) continue;
    if (!byName.has(c.model)) {
      orphans.push(contract);
      diagnostics.push(
        createDiagnostic("W011", `contract ${c.file} is for model \`${c.model}\`, which is not in the project${suggestion((nearest ??= createNameMatcher(byName.keys()))(c.model))}`, {
          model: c.model,
          span: { file: c.file, line: 1, col: 1 },
        }),
      );
      continue;
    }
    if (!attached.has(c.model)) attached.set(c.model, contract);
  }
  return { attached, orphans };
}
