import { createHash } from "node:crypto";
import type { Diagnostic, DiagnosticSpan } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { buildModelGraph, type GraphNode } from "../graph/build-model-graph.js";
import { fileContentKey, type LoadOptions, type ModelSource, type Project, type ProjectFiles, type SourceColumn } from "../project/types.js";
import type { DialectId, Query } from "../syntax/ast.js";
import { formatType } from "../types/sql-type.js";
import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import type { CompiledModel, CompiledProject, SchemaProvider } from "./types.js";
import { CompileWorker } from "./compile-pool.js";
import { analyzeEntry, type Columns, createSchemaProvider, emptyAnalysis, findSource, graphNodeOf, parseModel, readerColumns } from "./model-stages.js";
import { checkModelInProject, projectCheckContext, runProjectWideChecks } from "../checks/run-checks.js";
import { checkConcatNulls } from "../checks/rules/concat-nulls.js";
import { dateDiffDiagnostics, dateDiffMeanings } from "../checks/rules/date-diff-meaning.js";
import { checkMethodCalls } from "../checks/rules/method-calls.js";
import { checkWindowNullOrder } from "../checks/rules/window-null-order.js";
import { modelDetailJson } from "./model-detail.js";
import { type CompileSnapshot, classifies, lazyDetail, SNAPSHOT_VERSION, type SnapshotModel, snapshotDiagnostics, snapshotOrder, tomlEnvNames } from "./snapshot.js";
import { loadProject } from "../project/load-project.js";
import { parseSql } from "../syntax/parse-sql.js";
import type { Compiled } from "../diagnostics/diagnostic.js";
import { checkSeedDdl, SEED_FILE, staticSourceSchemas } from "./seed-ddl.js";
import { ANALYZER_VERSION } from "../analyze/analyzer-version.js";
import { VERSION } from "../version.js";
import { sha1Hex } from "../util/sha1.js";

export interface CompileOptions extends LoadOptions {
  /** P001 target (`--target-dialect`), overriding `[portability] target_dialect`. */
  readonly targetDialect?: DialectId;
  /** Run `data/seed.sql` in an in-memory DuckDB for source schemas (`--with-seed`). */
  readonly withSeed?: boolean;
  /** Source schemas from elsewhere (the warehouse schema cache): "schema.table" (lower-case) → columns. */
  readonly sourceSchemas?: ReadonlyMap<string, readonly SourceColumn[]>;
  /** Per-content-hash cache of parse and analysis results. */
  readonly cache?: CompileCache;
  /**
   * Runs the seed SQL for `withSeed` (the shells pass DuckDB: engine/src/adapters/seed-schemas.ts).
   * Without one, source schemas are read statically from the seed's CREATE TABLE statements.
   */
  readonly seedRunner?: (seedSql: string) => Promise<Compiled<ReadonlyMap<string, readonly SourceColumn[]>>>;
  /**
   * Mixed into every cache key, so that a different build of the compiler never reads another
   * build's entries (the CLI passes its bundle's size and mtime). The engine and analyzer versions
   * are always mixed in.
   */
  readonly cacheSalt?: string;
  /**
   * The compile worker module (engine/src/compile/compile-worker.ts, or the CLI bundle's
   * compile-worker.js). When given and the project is large, parsing and typing are shared with
   * `workers` worker threads (default: one less than the available cores, at least 1).
   */
  readonly workerUrl?: URL | string;
  readonly workers?: number;
  /**
   * Keep a snapshot of the result (`CompiledProject.snapshot`, with each model's `models_detail`
   * serialised) for the next compile to start from (compile-incremental.ts). Needs `cache`.
   */
  readonly snapshot?: boolean;
  /** With the snapshot, serialise each model's `models_detail` item (default true; a review does not print them). */
  readonly snapshotDetails?: boolean;
}

/** Below this many models to parse, a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_MODELS = 600;

const now = () => performance.now();

/**
 * The compile pipeline (architecture.md): load → parse each model (cached per content hash) →
 * DAG → type inference and lineage layer by layer in topological order (cached per content hash
 * + upstream schemas) → checks → CompiledProject. User mistakes are diagnostics; the rest of the
 * project still compiles around a model that does not parse or sits in a cycle.
 */
export async function compileProject(files: ProjectFiles, options: CompileOptions): Promise<CompiledProject> {
  const t0 = now();
  // Start workers first so their start-up overlaps with loading the project.
  const pool = startPool(files.size, options);
  try {
    return await compileWith(files, options, pool, t0);
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}

function startPool(fileCount: number, options: CompileOptions): CompileWorker[] {
  if (options.workerUrl === undefined || fileCount < PARALLEL_MIN_MODELS) return [];
  // Opt-in: measured on 2 cores, a second thread costs more than it saves at 10k and 50k models (each
  // thread warms its own JIT, and analysis results cloned back cost more than the work they save).
  const n = Math.max(0, Math.min(options.workers ?? 0, 7));
  return Array.from({ length: n }, () => new CompileWorker(options.workerUrl!));
}

async function compileWith(files: ProjectFiles, options: CompileOptions, pool: CompileWorker[], t0: number): Promise<CompiledProject> {
  /** Seed and graph findings (the loader's are split by model at the end). */
  const stageDiagnostics: Diagnostic[] = [];
  const loaded = loadProject(files, options);
  const project: Project = loaded.value;

  // A seed file knows its tables: columns are Unknown only when nothing can know them. Without
  // --with-seed (or without DuckDB), its CREATE TABLE statements are read statically.
  const runSeed = project.seedSql !== undefined && options.withSeed === true && options.seedRunner !== undefined;
  const rawSources = staticSourceSchemas(project, options.sourceSchemas, !runSeed);
  if (project.seedSql !== undefined) {
    if (runSeed) {
      const seeded = await options.seedRunner!(project.seedSql);
      for (const d of seeded.diagnostics) stageDiagnostics.push(d);
      for (const [k, v] of seeded.value) if (!rawSources.has(k)) rawSources.set(k, v);
    } else {
      for (const d of checkSeedDdl(project.seedSql, SEED_FILE)) stageDiagnostics.push(d);
    }
  }
  const tLoad = now();

  const target = options.targetDialect ?? project.config.portability.target_dialect;
  const salt = `${VERSION}\0${ANALYZER_VERSION}\0${options.cacheSalt ?? ""}`;
  const allow = project.config.portability.allow;
  const cache = options.cache;
  const byName = new Map<string, ModelSource>();
  for (const m of project.models) byName.set(m.name, m);

  const modelByLower = new Map<string, string>();
  for (const m of project.models) modelByLower.set(m.name.toLowerCase(), m.name);

  const compiledColumns = new Map<string, Columns>();
  const typedSources = new Map<string, Columns | null>();
  const providers = new Map<DialectId, SchemaProvider>();
  const schemasFor = (dialect: DialectId): SchemaProvider => {
    let p = providers.get(dialect);
    if (p === undefined) providers.set(dialect, (p = createSchemaProvider(dialect, modelByLower, compiledColumns, rawSources, typedSources)));
    return p;
  };

  // ---- parse (or recall) every model; with workers, each side keeps the trees it parsed
  const syntaxKeys = new Map<string, string>();
  const syntax = new Map<string, SyntaxEntry>();
  const asts = new Map<string, Query>();
  /** Which worker holds a model's syntax tree (absent: the main thread, or nobody after a cache hit). */
  const owner = new Map<string, CompileWorker>();
  let cacheHits = 0;
  const toParse: ModelSource[] = [];
  // Cache keys only when there is a cache: hashing every model's SQL and upstream schemas is not free.
  const keyed = cache !== undefined;
  for (const m of project.models) {
    const key = keyed ? syntaxKeyOf(salt, m, target, allow) : "";
    syntaxKeys.set(m.name, key);
    const cached = cache?.getSyntax(key);
    if (cached !== undefined) syntax.set(m.name, cached);
    else toParse.push(m);
  }
  const workers = toParse.length >= PARALLEL_MIN_MODELS ? pool : [];
  const shares: ModelSource[][] = Array.from({ length: workers.length + 1 }, () => []);
  toParse.forEach((m, i) => shares[i % shares.length].push(m));
  for (const w of workers) w.init(target, allow, modelByLower, rawSources);
  const remote = workers.map((w, i) => w.parse(shares[i + 1].map((m) => ({ name: m.name, file: m.file, sql: m.sql, dialect: m.dialect, columnMap: m.columnMap }))));
  // Without workers, each model is typed as soon as it and the models it reads are parsed
  // (typeAhead): its syntax tree is released at once instead of all 10k trees living until the DAG
  // is built. Results are checked against the DAG before they are used (see takeTypedAhead).
  const ahead = workers.length === 0 ? typeAhead(shares[0], byName, modelByLower, target, allow, syntax, asts, schemasFor) : undefined;
  if (ahead === undefined) {
    for (const m of shares[0]) {
      const { entry, query } = parseModel(m, target, allow);
      syntax.set(m.name, entry);
      if (query !== undefined) asts.set(m.name, query);
    }
  }
  const parsedRemotely = await Promise.all(remote);
  parsedRemotely.forEach((entries, i) => {
    for (const [name, entry] of entries) {
      syntax.set(name, entry);
      if (entry.parseError === undefined) owner.set(name, workers[i]);
    }
  });
  if (cache !== undefined) for (const m of toParse) cache.putSyntax(syntaxKeys.get(m.name)!, syntax.get(m.name)!);
  const tParse = now();

  // ---- the DAG
  const nodes: GraphNode[] = project.models.map((m) => graphNodeOf(m, syntax.get(m.name)!));
  const graph = buildModelGraph(nodes, { isKnownSource: (name) => findSource(rawSources, name) !== undefined });
  for (const d of graph.diagnostics) stageDiagnostics.push(d);
  const tGraph = now();

  // ---- types and lineage, layer by layer
  const signatures = new Map<string, string>();
  const sourceSignature = sourceSignatures(rawSources);

  const analyses = new Map<string, AnalysisEntry>();
  const analysisKeys = new Map<string, string>();
  let analysed = 0;
  // Readers get their own array of a model's columns (readerColumns): the analyzer caches what it
  // derives from an upstream schema by that array, and dropping the readers' arrays after typing
  // lets those derivations go while the columns themselves stay in the result.
  const finish = (name: string, entry: AnalysisEntry, columns: Columns = readerColumns(entry)) => {
    analyses.set(name, entry);
    compiledColumns.set(name, columns);
    if (keyed) signatures.set(name, columnsSignature(columns));
  };
  for (const layer of graph.layers) {
    const local: { name: string; key: string }[] = [];
    const jobs = new Map<CompileWorker, { name: string; key: string }[]>();
    for (const name of layer) {
      const s = syntax.get(name)!;
      const key = keyed ? analysisKeyOf(syntaxKeys.get(name)!, graph.deps.get(name) ?? [], graph.external.get(name) ?? [], (d) => signatures.get(d), sourceSignature) : "";
      if (keyed && s.parseError === undefined) analysisKeys.set(name, key);
      const cached = cache?.getAnalysis(key);
      if (cached !== undefined) {
        cacheHits++;
        finish(name, cached);
      } else if (s.parseError !== undefined) {
        finish(name, emptyAnalysis());
      } else {
        const w = owner.get(name);
        if (w === undefined) local.push({ name, key });
        else {
          let list = jobs.get(w);
          if (list === undefined) jobs.set(w, (list = []));
          list.push({ name, key });
        }
      }
    }
    // Remote jobs first, with the upstream schemas each worker lacks; then ours while they work.
    const remote = [...jobs].map(async ([w, list]) => {
      const schemas: (readonly [string, Columns])[] = [];
      for (const { name } of list) {
        for (const d of graph.deps.get(name) ?? []) {
          if (w.known.has(d)) continue;
          w.known.add(d);
          schemas.push([d, compiledColumns.get(d) ?? []]);
        }
      }
      const models = list.map(({ name }) => {
        const m = byName.get(name)!;
        return { name, file: m.file, dialect: m.dialect };
      });
      return { list, entries: await w.analyze(schemas, models) };
    });
    for (const { name, key } of local) {
      const early = ahead === undefined ? undefined : takeTypedAhead(ahead, name, graph.layerOf);
      if (early !== undefined) {
        analysed++;
        cache?.putAnalysis(key, early.entry);
        finish(name, early.entry, early.columns);
        continue;
      }
      const m = byName.get(name)!;
      const query = asts.get(name) ?? parseSql(m.sql, m.dialect).query;
      asts.delete(name);
      const entry = query === undefined ? emptyAnalysis() : analyzeEntry({ model: name, file: m.file, dialect: m.dialect, query, schemas: schemasFor(m.dialect) });
      analysed++;
      cache?.putAnalysis(key, entry);
      finish(name, entry);
    }
    for (const { list, entries } of await Promise.all(remote)) {
      const keys = new Map(list.map((j) => [j.name, j.key]));
      for (const [name, entry] of entries) {
        analysed++;
        cache?.putAnalysis(keys.get(name)!, entry);
        finish(name, entry);
      }
    }
  }
  // What only typing needed: the readers' schemas (and the analyzer's derivations kept by them).
  compiledColumns.clear();
  typedSources.clear();
  providers.clear();
  ahead?.results.clear();
  const tTypes = now();
  // Typing done ahead during the parse counts as typing.
  const aheadMs = ahead?.ms ?? 0;

  // ---- assemble
  const models = new Map<string, CompiledModel>();
  const orderedNames = [...graph.layers.flat(), ...[...graph.blocked].sort()];
  const modelDiagnostics = new Map<string, Diagnostic[]>();
  for (const name of orderedNames) {
    const m = byName.get(name)!;
    const s = syntax.get(name)!;
    const a = analyses.get(name) ?? emptyAnalysis();
    models.set(name, {
      name,
      file: m.file,
      sidecarFile: m.sidecarFile,
      dialect: m.dialect,
      config: m.config,
      contract: m.contract,
      dependsOn: graph.deps.get(name) ?? [],
      externalSources: graph.external.get(name) ?? [],
      columns: a.columns,
      rowLevel: a.rowLevel,
      hasStar: a.hasStar,
      reads: new Map(a.reads.map(([k, v]) => [k, new Set(v)])),
      contentHash: modelContentHash(m, files),
      // A model in or behind a dependency cycle is not analysed: like one that did not parse, it has no schema to check.
      parsed: s.parseError === undefined && graph.layerOf.has(name),
      layer: graph.layerOf.get(name) ?? -1,
    });
    modelDiagnostics.set(name, remapAll(modelStageDiagnostics(m, s, a, { target, allow }), byName));
  }
  analyses.clear();
  const tContracts = now();

  // ---- checks, per model (kept apart so an incremental compile re-runs only the ones a change reached)
  const compiledView = { project, models, downstream: graph.downstream };
  const context = projectCheckContext(project);
  const checkDiagnostics = new Map<string, Diagnostic[]>();
  for (const m of models.values()) {
    const incomplete = modelDiagnostics.get(m.name)!.some((d) => d.code === "W002" && d.model === m.name);
    const found = checkModelInProject(compiledView, m, { sql: byName.get(m.name)?.sql, syntax: syntax.get(m.name), incomplete, sqlDeps: graph.sqlDeps.get(m.name) }, context);
    checkDiagnostics.set(m.name, remapAll(found, byName));
  }
  const postDiagnostics = remapAll(runProjectWideChecks(compiledView), byName);
  const tChecks = now();

  // Loader findings go with the model whose files they are on; the rest are the project's.
  const ownerOf = new Map<string, string>();
  for (const m of project.models) for (const f of ownFilesOf(m)) ownerOf.set(f, m.name);
  const loadByModel = new Map<string, Diagnostic[]>();
  const preDiagnostics: Diagnostic[] = [];
  // Not remapped: the loader reads the files as written (E028 is at the `@var` call in the file), so its columns are the file's.
  for (const d of loaded.diagnostics) {
    const owner = d.span !== undefined ? ownerOf.get(d.span.file) : d.model !== undefined && byName.has(d.model) ? d.model : undefined;
    if (owner === undefined) preDiagnostics.push(d);
    else {
      let list = loadByModel.get(owner);
      if (list === undefined) loadByModel.set(owner, (list = []));
      list.push(d);
    }
  }
  for (const d of remapAll(stageDiagnostics, byName)) preDiagnostics.push(d);

  // The findings are assembled the same way with or without a snapshot kept; only a kept one needs its keys and hashes.
  const keep = options.snapshot === true && cache !== undefined;
  const details = keep && options.snapshotDetails !== false;
  const snapshotModels: SnapshotModel[] = project.models.map((m) => {
    const cm = models.get(m.name)!;
    const s = syntax.get(m.name)!;
    const model: SnapshotModel = {
      name: m.name,
      file: m.file,
      source: m,
      config: m.config,
      dialect: m.dialect,
      ownFiles: ownFilesOf(m),
      contentHash: cm.contentHash,
      syntaxKey: syntaxKeys.get(m.name)!,
      analysisKey: analysisKeys.get(m.name) ?? null,
      signature: signatures.get(m.name) ?? "",
      columnCount: cm.columns.length,
      parsed: cm.parsed,
      hasStar: cm.hasStar,
      refNames: keep ? refNamesOf(m, s) : "",
      refSpans: keep ? refSpansOf(m, s) : "",
      loadDiagnostics: loadByModel.get(m.name) ?? [],
      modelDiagnostics: modelDiagnostics.get(m.name) ?? [],
      checkDiagnostics: checkDiagnostics.get(m.name) ?? [],
      detail: EMPTY_DETAIL,
    };
    return details ? lazyDetail(model, () => modelDetailJson(cm)) : model;
  });
  const { models: _omit, sourceSchemas, ...projectRest } = project;
  const snapshot: CompileSnapshot = {
    version: SNAPSHOT_VERSION,
    project: projectRest,
    sourceSchemas,
    rawSources,
    ...(target !== undefined ? { target } : {}),
    salt,
    models: snapshotModels,
    graph: { ...graph, blocked: [...graph.blocked] },
    preDiagnostics,
    postDiagnostics,
    globalFiles: [...files.keys()].filter((f) => !ownerOf.has(f)).sort(),
    globalHash: keep ? globalHashOf(files, ownerOf) : "",
    classified: project.models.filter((m) => classifies(m.config)).map((m) => m.name).sort(),
    envRefs: keep ? tomlEnvNames(files).map((name) => [name, options.env[name] ?? null] as const) : [],
  };
  const order = snapshotOrder(snapshot);
  const diagnostics = snapshotDiagnostics(snapshot, order);

  await cache?.flush();
  const tEnd = now();
  return {
    project,
    models,
    layers: graph.layers,
    downstream: graph.downstream,
    diagnostics,
    ...(keep ? { snapshot } : {}),
    timings: {
      project_load_ms: round(tLoad - t0),
      parse_ms: round(tParse - tLoad - aheadMs),
      semantic_graph_ms: round(tGraph - tParse),
      typecheck_ms: round(tTypes - tGraph + aheadMs),
      contracts_ms: round(tContracts - tTypes),
      checks_ms: round(tChecks - tContracts),
      total_ms: round(tEnd - t0),
      cache_hits: cacheHits,
      analysed,
    },
  };
}

const EMPTY_DETAIL = new Uint8Array(0);

/** A model typed while the project was being parsed, and which models' columns that typing read. */
interface TypedAhead {
  readonly entry: AnalysisEntry;
  /** The array of its columns its readers see (readerColumns). */
  readonly columns: Columns;
  readonly read: readonly string[];
}

interface TypeAhead {
  /** Models typed ahead whose result was taken (their columns are what readers typed ahead saw). */
  readonly results: Map<string, TypedAhead>;
  readonly taken: Set<string>;
  /** Time spent typing, inside the parse stage. */
  ms: number;
}

/**
 * Parse `models` depth-first along the models each one reads (its single-part references), and type
 * each model right after the models it reads are typed: a syntax tree then lives from its parse to
 * its typing instead of until the whole project is parsed and the DAG built (the trees of a 10k-model
 * project are ~85 MB). A model that cannot be typed yet (its upstream is in a cycle, did not parse,
 * or was not typed ahead) keeps its tree in `asts` for the layer-by-layer pass.
 *
 * Typing ahead sees only results typed ahead; whatever it asked for is recorded, so that
 * takeTypedAhead can prove the layer-by-layer pass would have given it the same answers.
 */
function typeAhead(
  models: readonly ModelSource[],
  byName: ReadonlyMap<string, ModelSource>,
  modelByLower: ReadonlyMap<string, string>,
  target: DialectId | undefined,
  allow: readonly string[],
  syntax: Map<string, SyntaxEntry>,
  asts: Map<string, Query>,
  schemasFor: (dialect: DialectId) => SchemaProvider,
): TypeAhead {
  const ahead: TypeAhead = { results: new Map(), taken: new Set(), ms: 0 };
  const typeNow = (m: ModelSource, query: Query): void => {
    const t = now();
    const base = schemasFor(m.dialect);
    const read: string[] = [];
    let missed = false;
    const schemas: SchemaProvider = {
      isModel: base.isModel,
      ...(base.modelName ? { modelName: base.modelName } : {}),
      columnsOf(name) {
        const model = modelByLower.get(name.toLowerCase());
        if (model === undefined) return base.columnsOf(name);
        read.push(model);
        const r = ahead.results.get(model);
        if (r === undefined) missed = true;
        return r?.columns;
      },
    };
    const entry = analyzeEntry({ model: m.name, file: m.file, dialect: m.dialect, query, schemas });
    if (missed) asts.set(m.name, query);
    else ahead.results.set(m.name, { entry, columns: readerColumns(entry), read });
    ahead.ms += now() - t;
  };

  interface Frame {
    readonly m: ModelSource;
    readonly query: Query | undefined;
    readonly upstream: readonly string[];
    next: number;
  }
  const open = (m: ModelSource): Frame => {
    const { entry, query } = parseModel(m, target, allow);
    syntax.set(m.name, entry);
    const upstream: string[] = [];
    if (query !== undefined) {
      for (const r of entry.bare) {
        const model = modelByLower.get(r.name);
        if (model !== undefined && model !== m.name && !upstream.includes(model)) upstream.push(model);
      }
    }
    return { m, query, upstream, next: 0 };
  };
  const close = (f: Frame): void => {
    if (f.query === undefined) return;
    if (f.upstream.every((u) => ahead.results.has(u))) typeNow(f.m, f.query);
    else asts.set(f.m.name, f.query);
  };

  const toParse = new Set(models.map((m) => m.name));
  const seen = new Set<string>();
  for (const start of models) {
    if (seen.has(start.name)) continue;
    seen.add(start.name);
    // An explicit stack: a chain of thousands of models must not overflow the call stack.
    const stack: Frame[] = [open(start)];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.upstream.length) {
        const u = top.upstream[top.next++];
        if (seen.has(u) || !toParse.has(u)) continue;
        seen.add(u);
        stack.push(open(byName.get(u)!));
        continue;
      }
      stack.pop();
      close(top);
    }
  }
  return ahead;
}

/**
 * A model's result typed ahead, when the layer-by-layer pass would have computed the same: every
 * model it read sits in an earlier layer (so the layer pass would have had its columns) and was
 * itself taken from typing ahead (so those columns are the ones it saw). Otherwise undefined, and
 * the model is typed again in its layer.
 */
function takeTypedAhead(ahead: TypeAhead, name: string, layerOf: ReadonlyMap<string, number>): TypedAhead | undefined {
  const r = ahead.results.get(name);
  if (r === undefined) return undefined;
  ahead.results.delete(name);
  const layer = layerOf.get(name);
  if (layer === undefined) return undefined;
  for (const u of r.read) if (!ahead.taken.has(u) || (layerOf.get(u) ?? layer) >= layer) return undefined;
  ahead.taken.add(name);
  return r;
}

/** A model's output as its readers' analysis keys see it: `name:Type?` per column. */
export function columnsSignature(columns: Columns): string {
  // A nullability by assumption is part of what readers see (their NULL-order findings depend on it).
  return sha1Hex(columns.map((c) => `${c.name}:${formatType(c.type)}${c.nullable ? (c.nullableAssumed ? "~" : "?") : "!"}`).join(",")).slice(0, 24);
}

/** Source signatures, each built once (plain strings: the analysis key's one hash covers them). */
export function sourceSignatures(rawSources: ReadonlyMap<string, readonly SourceColumn[]>): (name: string) => string {
  const memo = new Map<string, string>();
  return (name) => {
    let sig = memo.get(name);
    if (sig === undefined) {
      const cols = findSource(rawSources, name);
      sig = cols === undefined ? "?" : cols.map((c) => `${c.name}:${c.type}${c.nullable ? "?" : "!"}`).join(",");
      memo.set(name, sig);
    }
    return sig;
  };
}

/** A model's analysis key: its syntax key and the signature of every upstream it reads. */
export function analysisKeyOf(syntaxKey: string, deps: readonly string[], external: readonly string[], signature: (model: string) => string | undefined, sourceSignature: (name: string) => string): string {
  const upstreamSig = [...deps.map((d) => `${d}=${signature(d) ?? "?"}`), ...external.map((e) => `${e}=${sourceSignature(e)}`)].join("\n");
  return sha1Hex(`analysis\0${syntaxKey}\0${upstreamSig}`);
}

/**
 * The options that make two compiles of the same files different compiles (layout, P001 target,
 * seed, `--var`s, the build): part of every snapshot's key. `env` is not: a snapshot records the
 * variables its TOML reads (CompileSnapshot.envRefs).
 */
export function compileOptionsIdentity(o: CompileOptions): string {
  return JSON.stringify([o.modelsDir ?? "", o.contractsDir ?? "", o.targetDialect ?? "", o.withSeed === true, o.vars, o.cacheSalt ?? ""]);
}

/** A model's syntax key: dialect, SQL, file and what the text checks depend on. */
export function syntaxKeyOf(salt: string, m: Pick<ModelSource, "dialect" | "file" | "sql">, target: DialectId | undefined, allow: readonly string[]): string {
  return sha1Hex(`syntax\0${salt}\0${m.dialect}\0${target ?? ""}\0${allow.join(",")}\0${m.file}\0${m.sql}`);
}

/**
 * R001 for a model that does not parse, then its text findings (P001), then its inference findings
 * (P001 for DuckDB's method calls and for a CONCAT whose NULL arguments the target treats otherwise,
 * with the portability settings).
 */
export function modelStageDiagnostics(m: ModelSource, s: SyntaxEntry, a: AnalysisEntry, portability: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (s.parseError !== undefined) {
    out.push(
      createDiagnostic("R001", `syntax error: ${s.parseError.message}`, {
        model: m.name,
        span: { file: m.file, line: s.parseError.span.line, col: s.parseError.span.col },
        suggestion: `the model is parsed as ${m.dialect} SQL`,
      }),
    );
  }
  // One account of the model's SQL for the checks of what inference found.
  const input = { model: m.name, file: m.file, dialect: m.dialect, sql: m.sql, columnMap: m.columnMap };
  // A date difference whose count differs on the target: its own P001, or merged into the text P001 on the same call.
  const meanings = dateDiffMeanings(a.dateDiffs, input, portability);
  const dateDiffs = portability.target !== undefined && meanings.length > 0 ? dateDiffDiagnostics(meanings, input, portability.target, s.textDiagnostics) : undefined;
  for (const d of dateDiffs?.text ?? s.textDiagnostics) out.push(d);
  if (dateDiffs !== undefined) for (const d of dateDiffs.add) out.push(d);
  if (a.methodCalls !== undefined) for (const d of checkMethodCalls(a.methodCalls, input, portability)) out.push(d);
  if (a.nullableConcats !== undefined) for (const d of checkConcatNulls(a.nullableConcats, input, portability)) out.push(d);
  if (a.windowNullOrders !== undefined) for (const d of checkWindowNullOrder(a.windowNullOrders, input, portability)) out.push(d);
  for (const d of a.diagnostics) out.push(d);
  return out;
}

/** The files a model is made of: its SQL, its sidecar, its contract. */
export function ownFilesOf(m: ModelSource): string[] {
  const out = [m.file];
  if (m.sidecarFile !== undefined) out.push(m.sidecarFile);
  if (m.contract !== undefined && !out.includes(m.contract.file)) out.push(m.contract.file);
  return out;
}

/** Hash of a model's SQL as written, sidecar and contract text. */
export function modelContentHash(m: ModelSource, files: ProjectFiles): string {
  return sha1Hex(`${m.rawSql}\0${fileContentKey(files.get(m.sidecarFile ?? ""))}\0${m.contract ? fileContentKey(files.get(m.contract.file)) : ""}`).slice(0, 16);
}

/** What the DAG takes from a model: the names it references, its depends_on and its target. */
export function refNamesOf(m: ModelSource, s: SyntaxEntry): string {
  const t = m.config.target;
  return sha1Hex(JSON.stringify([s.bare.map((r) => r.name), s.qualified, m.config.depends_on ?? [], t ? [t.catalog, t.schema, t.table] : null, s.parseError === undefined])).slice(0, 24);
}

/** The same with the positions graph findings point at. */
export function refSpansOf(m: ModelSource, s: SyntaxEntry): string {
  return sha1Hex(JSON.stringify([s.bare, m.config.locations.depends_on ?? null])).slice(0, 24);
}

/** Hash over the files no model owns (path and content). */
export function globalHashOf(files: ProjectFiles, ownerOf: ReadonlyMap<string, string>): string {
  const h = createHash("sha1");
  for (const f of [...files.keys()].filter((k) => !ownerOf.has(k)).sort()) h.update(`${f}\0${fileContentKey(files.get(f) ?? null)}\0`);
  return h.digest("hex");
}

export function remapAll(ds: readonly Diagnostic[], byName: ReadonlyMap<string, ModelSource>): Diagnostic[] {
  return ds.map((d) => remapSpan(d, byName));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Map a diagnostic's column back through `@var` substitution so it points at the file as written. */
function remapSpan(d: Diagnostic, models: ReadonlyMap<string, ModelSource>): Diagnostic {
  if (d.span === undefined || d.model === undefined) return d;
  const m = models.get(d.model);
  if (m?.columnMap === undefined || d.span.file !== m.file) return d;
  const pairs = m.columnMap.get(d.span.line);
  if (pairs === undefined) return d;
  const mapCol = (col: number): number => {
    let best: readonly [number, number] | undefined;
    for (const p of pairs) if (p[0] <= col && (best === undefined || p[0] >= best[0])) best = p;
    return best === undefined ? col : best[1] + (col - best[0]);
  };
  const span: DiagnosticSpan = { ...d.span, col: mapCol(d.span.col), ...(d.span.endCol !== undefined && d.span.endLine === d.span.line ? { endCol: mapCol(d.span.endCol) } : {}) };
  return { ...d, span };
}
