import { createHash } from "node:crypto";
import type { Diagnostic, DiagnosticSpan } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { buildModelGraph, type GraphNode } from "../graph/build-model-graph.js";
import type { LoadOptions, ModelSource, Project, SourceColumn } from "../project/types.js";
import type { DialectId, Query } from "../syntax/ast.js";
import { formatType } from "../types/sql-type.js";
import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import type { CompiledModel, CompiledProject, SchemaProvider } from "./types.js";
import { CompileWorker } from "./compile-pool.js";
import { analyzeEntry, type Columns, createSchemaProvider, emptyAnalysis, findSource, parseModel } from "./model-stages.js";
import { runProjectChecks } from "../checks/run-checks.js";
import { loadProject } from "../project/load-project.js";
import { parseSql } from "../syntax/parse-sql.js";
import type { Compiled } from "../diagnostics/diagnostic.js";
import { readSeedDdl } from "./seed-ddl.js";
import { ANALYZER_VERSION } from "../analyze/analyzer-version.js";
import { VERSION } from "../version.js";

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
}

/** Below this many models to parse, a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_MODELS = 600;

const now = () => performance.now();

function hash(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/**
 * The compile pipeline (architecture.md): load → parse each model (cached per content hash) →
 * DAG → type inference and lineage layer by layer in topological order (cached per content hash
 * + upstream schemas) → checks → CompiledProject. User mistakes are diagnostics; the rest of the
 * project still compiles around a model that does not parse or sits in a cycle.
 */
export async function compileProject(files: ReadonlyMap<string, string | null>, options: CompileOptions): Promise<CompiledProject> {
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

async function compileWith(files: ReadonlyMap<string, string | null>, options: CompileOptions, pool: CompileWorker[], t0: number): Promise<CompiledProject> {
  const diagnostics: Diagnostic[] = [];
  const loaded = loadProject(files, options);
  const project: Project = loaded.value;
  diagnostics.push(...loaded.diagnostics);

  const rawSources = new Map<string, readonly SourceColumn[]>(project.sourceSchemas);
  for (const [k, v] of options.sourceSchemas ?? []) rawSources.set(k.toLowerCase(), v);
  // A seed file knows its tables: columns are Unknown only when nothing can know them. Without
  // --with-seed (or without DuckDB), its CREATE TABLE statements are read statically.
  if (project.seedSql !== undefined) {
    if (options.withSeed && options.seedRunner !== undefined) {
      const seeded = await options.seedRunner(project.seedSql);
      diagnostics.push(...seeded.diagnostics);
      for (const [k, v] of seeded.value) if (!rawSources.has(k)) rawSources.set(k, v);
    } else {
      for (const [k, v] of readSeedDdl(project.seedSql)) if (!rawSources.has(k)) rawSources.set(k, v);
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

  // ---- parse (or recall) every model; with workers, each side keeps the trees it parsed
  const syntaxKeys = new Map<string, string>();
  const syntax = new Map<string, SyntaxEntry>();
  const asts = new Map<string, Query>();
  /** Which worker holds a model's syntax tree (absent: the main thread, or nobody after a cache hit). */
  const owner = new Map<string, CompileWorker>();
  let cacheHits = 0;
  const toParse: ModelSource[] = [];
  for (const m of project.models) {
    const key = hash(`syntax\0${salt}\0${m.dialect}\0${target ?? ""}\0${allow.join(",")}\0${m.file}\0${m.sql}`);
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
  for (const m of shares[0]) {
    const { entry, query } = parseModel(m, target, allow);
    syntax.set(m.name, entry);
    if (query !== undefined) asts.set(m.name, query);
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
  const nodes: GraphNode[] = project.models.map((m) => {
    const s = syntax.get(m.name)!;
    const dependsOnLoc = m.config.locations.depends_on;
    return {
      name: m.name,
      file: m.file,
      dependsOn: m.config.depends_on ?? [],
      dependsOnSpan: dependsOnLoc ? { file: dependsOnLoc.file, line: dependsOnLoc.line, col: dependsOnLoc.col } : undefined,
      bareRefs: s.bare.map((r) => ({ name: r.name, span: { file: m.file, line: r.line, col: r.col } })),
      qualifiedRefs: s.qualified,
    };
  });
  const graph = buildModelGraph(nodes);
  diagnostics.push(...graph.diagnostics);
  const tGraph = now();

  // ---- types and lineage, layer by layer
  const compiledColumns = new Map<string, Columns>();
  const signatures = new Map<string, string>();
  const typedSources = new Map<string, Columns | null>();

  // Signatures are plain strings (the analysis key's one hash covers them); each is built once.
  const sourceSignatures = new Map<string, string>();
  const sourceSignature = (name: string): string => {
    let sig = sourceSignatures.get(name);
    if (sig === undefined) {
      const cols = findSource(rawSources, name);
      sig = cols === undefined ? "?" : cols.map((c) => `${c.name}:${c.type}${c.nullable ? "?" : "!"}`).join(",");
      sourceSignatures.set(name, sig);
    }
    return sig;
  };
  const providers = new Map<DialectId, SchemaProvider>();
  const schemasFor = (dialect: DialectId): SchemaProvider => {
    let p = providers.get(dialect);
    if (p === undefined) providers.set(dialect, (p = createSchemaProvider(dialect, modelByLower, compiledColumns, rawSources, typedSources)));
    return p;
  };

  const analyses = new Map<string, AnalysisEntry>();
  let analysed = 0;
  const finish = (name: string, entry: AnalysisEntry) => {
    analyses.set(name, entry);
    compiledColumns.set(name, entry.columns);
    signatures.set(name, entry.columns.map((c) => `${c.name}:${formatType(c.type)}${c.nullable ? "?" : "!"}`).join(","));
  };
  for (const layer of graph.layers) {
    const local: { name: string; key: string }[] = [];
    const jobs = new Map<CompileWorker, { name: string; key: string }[]>();
    for (const name of layer) {
      const s = syntax.get(name)!;
      const upstreamSig = [
        ...(graph.deps.get(name) ?? []).map((d) => `${d}=${signatures.get(d) ?? "?"}`),
        ...(graph.external.get(name) ?? []).map((e) => `${e}=${sourceSignature(e)}`),
      ].join("\n");
      const key = hash(`analysis\0${syntaxKeys.get(name)}\0${upstreamSig}`);
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
  const tTypes = now();

  // ---- assemble
  const models = new Map<string, CompiledModel>();
  const orderedNames = [...graph.layers.flat(), ...[...graph.blocked].sort()];
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
      contentHash: hash(`${m.rawSql}\0${files.get(m.sidecarFile ?? "") ?? ""}\0${m.contract ? (files.get(m.contract.file) ?? "") : ""}`).slice(0, 16),
      parsed: s.parseError === undefined,
      layer: graph.layerOf.get(name) ?? -1,
    });
    if (s.parseError !== undefined) {
      diagnostics.push(
        createDiagnostic("R001", `syntax error: ${s.parseError.message}`, {
          model: name,
          span: { file: m.file, line: s.parseError.span.line, col: s.parseError.span.col },
          suggestion: `the model is parsed as ${m.dialect} SQL`,
        }),
      );
    }
    diagnostics.push(...s.textDiagnostics, ...a.diagnostics);
  }
  const tContracts = now();

  const compiled = {
    project,
    models,
    layers: graph.layers,
    downstream: graph.downstream,
    diagnostics,
    timings: undefined as unknown as CompiledProject["timings"],
  };
  diagnostics.push(...runProjectChecks(compiled, { graph, syntax, target }));
  const tChecks = now();

  const remapped = diagnostics.map((d) => remapSpan(d, byName));
  await cache?.flush();
  const tEnd = now();
  return {
    ...compiled,
    diagnostics: remapped,
    timings: {
      project_load_ms: round(tLoad - t0),
      parse_ms: round(tParse - tLoad),
      semantic_graph_ms: round(tGraph - tParse),
      typecheck_ms: round(tTypes - tGraph),
      contracts_ms: round(tContracts - tTypes),
      checks_ms: round(tChecks - tContracts),
      total_ms: round(tEnd - t0),
      cache_hits: cacheHits,
      analysed,
    },
  };
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
