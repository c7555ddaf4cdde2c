import { createHash } from "node:crypto";
import type { Diagnostic, DiagnosticSpan } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { buildModelGraph, type GraphNode } from "../graph/build-model-graph.js";
import type { LoadOptions, ModelSource, Project, SourceColumn } from "../project/types.js";
import type { DialectId, Query, Span } from "../syntax/ast.js";
import type { SqlType } from "../types/sql-type.js";
import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import type { CompiledModel, CompiledProject, ModelAnalysis, SchemaProvider } from "./types.js";
import { analyzeModel } from "../analyze/analyze-model.js";
import { runProjectChecks, runTextChecks } from "../checks/run-checks.js";
import { collectSyntaxFacts } from "../checks/syntax-facts.js";
import { loadProject } from "../project/load-project.js";
import { parseSql } from "../syntax/parse-sql.js";
import { collectTableRefs } from "../syntax/walk.js";
import { typeFromWarehouseName } from "../types/type-from-name.js";
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
}

type Columns = readonly { readonly name: string; readonly type: SqlType; readonly nullable: boolean }[];

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

  // ---- parse (or recall) every model
  const syntaxKeys = new Map<string, string>();
  const syntax = new Map<string, SyntaxEntry>();
  const asts = new Map<string, Query>();
  let cacheHits = 0;
  for (const m of project.models) {
    const key = hash(`syntax\0${salt}\0${m.dialect}\0${target ?? ""}\0${allow.join(",")}\0${m.file}\0${m.sql}`);
    syntaxKeys.set(m.name, key);
    const cached = cache?.getSyntax(key);
    if (cached !== undefined) {
      syntax.set(m.name, cached);
      continue;
    }
    const { entry, query } = parseModel(m, target, allow);
    syntax.set(m.name, entry);
    if (query !== undefined) asts.set(m.name, query);
    cache?.putSyntax(key, entry);
  }
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
  const sourceColumns = new Map<string, Columns | null>();
  const modelByLower = new Map<string, string>();
  for (const m of project.models) modelByLower.set(m.name.toLowerCase(), m.name);

  const sourceSignature = (name: string): string => {
    const cols = rawSources.get(name);
    return cols === undefined ? "?" : hash(JSON.stringify(cols));
  };
  const schemasFor = (dialect: DialectId): SchemaProvider => ({
    isModel: (name) => modelByLower.has(name.toLowerCase()),
    columnsOf(name) {
      const lower = name.toLowerCase();
      const model = modelByLower.get(lower);
      if (model !== undefined) return compiledColumns.get(model);
      const key = `${dialect}\0${lower}`;
      if (sourceColumns.has(key)) return sourceColumns.get(key) ?? undefined;
      const raw = rawSources.get(lower) ?? rawSources.get(lower.split(".").slice(-2).join("."));
      const cols: Columns | null = raw === undefined ? null : raw.map((c) => ({ name: c.name, type: typeFromWarehouseName(c.type, dialect), nullable: c.nullable }));
      sourceColumns.set(key, cols);
      return cols ?? undefined;
    },
  });

  const analyses = new Map<string, AnalysisEntry>();
  let analysed = 0;
  for (const layer of graph.layers) {
    for (const name of layer) {
      const m = byName.get(name)!;
      const s = syntax.get(name)!;
      const upstreamSig = [
        ...(graph.deps.get(name) ?? []).map((d) => `${d}=${signatures.get(d) ?? "?"}`),
        ...(graph.external.get(name) ?? []).map((e) => `${e}=${sourceSignature(e)}`),
      ].join("\n");
      const key = hash(`analysis\0${syntaxKeys.get(name)}\0${upstreamSig}`);
      let entry = cache?.getAnalysis(key);
      if (entry !== undefined) {
        cacheHits++;
      } else if (s.parseError !== undefined) {
        entry = emptyAnalysis();
      } else {
        let query = asts.get(name);
        if (query === undefined) query = parseSql(m.sql, m.dialect).query;
        entry = query === undefined ? emptyAnalysis() : toEntry(safeAnalyze({ model: name, file: m.file, dialect: m.dialect, query, schemas: schemasFor(m.dialect) }));
        analysed++;
        cache?.putAnalysis(key, entry);
      }
      asts.delete(name);
      analyses.set(name, entry);
      compiledColumns.set(name, entry.columns);
      signatures.set(name, hash(entry.columns.map((c) => `${c.name}:${formatColumn(c)}`).join(",")));
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

function formatColumn(c: { type: SqlType; nullable: boolean }): string {
  return `${JSON.stringify(c.type)}${c.nullable ? "?" : "!"}`;
}

function emptyAnalysis(): AnalysisEntry {
  return { columns: [], rowLevel: { filters: [], joins: [], groups: [], fingerprints: {} }, hasStar: false, reads: [], diagnostics: [] };
}

function toEntry(a: ModelAnalysis): AnalysisEntry {
  return {
    columns: a.columns,
    rowLevel: a.rowLevel,
    hasStar: a.hasStar,
    reads: [...a.reads].map(([k, v]) => [k, [...v].sort()] as const),
    diagnostics: a.diagnostics,
  };
}

/** An exception inside inference is a bug: report it as R009 on the model and carry on with the rest of the project. */
function safeAnalyze(input: Parameters<typeof analyzeModel>[0]): ModelAnalysis {
  try {
    return analyzeModel(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      columns: [],
      rowLevel: { filters: [], joins: [], groups: [], fingerprints: {} },
      hasStar: false,
      reads: new Map(),
      diagnostics: [createDiagnostic("R009", `internal error while typing this model: ${message}`, { model: input.model, span: { file: input.file, line: 1, col: 1 } })],
    };
  }
}

function parseModel(m: ModelSource, target: DialectId | undefined, allow: readonly string[]): { entry: SyntaxEntry; query?: Query } {
  const result = parseSql(m.sql, m.dialect);
  if (result.query === undefined || result.error !== undefined) {
    const span: Span = result.error?.span ?? { start: 0, end: 0, line: 1, col: 1 };
    return {
      entry: {
        parseError: { message: result.error?.message ?? "no query found", span },
        bare: [],
        qualified: [],
        textDiagnostics: [],
        projectionNamed: false,
      },
    };
  }
  const query = result.query;
  const refs = collectTableRefs(query);
  const bare: { name: string; line: number; col: number }[] = [];
  const qualified = new Set<string>();
  for (const r of refs) {
    if (r.name.length === 1) bare.push({ name: r.name[0].quoted ? r.name[0].name : r.name[0].name.toLowerCase(), line: r.span.line, col: r.span.col });
    else qualified.add(r.name.map((p) => (p.quoted ? p.name : p.name.toLowerCase())).join("."));
  }
  const facts = collectSyntaxFacts(query, m.sql);
  const textDiagnostics = runTextChecks({ model: m, query, comments: result.comments, target, allow });
  return {
    query,
    entry: {
      bare,
      qualified: [...qualified].sort(),
      textDiagnostics,
      ...(facts.starSpan ? { starSpan: facts.starSpan } : {}),
      ...(facts.startDate ? { startDate: facts.startDate } : {}),
      ...(facts.endDate ? { endDate: facts.endDate } : {}),
      projectionNamed: facts.projectionNamed,
    },
  };
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
