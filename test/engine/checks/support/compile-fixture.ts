import { runProjectChecks, runTextChecks } from "../../../../engine/src/checks/index.js";
import { collectSyntaxFacts, type SyntaxFacts } from "../../../../engine/src/checks/syntax-facts.js";
import { analyzeModel } from "../../../../engine/src/analyze/analyze-model.js";
import { createMemoryCompileCache } from "../../../../engine/src/compile/compile-cache.js";
import { compileProject } from "../../../../engine/src/compile/compile-project.js";
import { checkSeedDdl, SEED_FILE } from "../../../../engine/src/compile/seed-ddl.js";
import type { CompiledModel, CompiledProject, ModelAnalysis } from "../../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../../engine/src/diagnostics/diagnostic.js";
import { createDiagnostic } from "../../../../engine/src/diagnostics/registry.js";
import { buildModelGraph, type GraphNode } from "../../../../engine/src/graph/build-model-graph.js";
import { loadProject } from "../../../../engine/src/project/load-project.js";
import type { ProjectFiles } from "../../../../engine/src/project/types.js";
import type { DialectId, Query } from "../../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../../engine/src/syntax/parse-sql.js";
import { collectTableRefs } from "../../../../engine/src/syntax/walk.js";
import { typeFromWarehouseName } from "../../../../engine/src/types/type-from-name.js";
import type { SqlType } from "../../../../engine/src/types/sql-type.js";
import { duckdbProjectFiles } from "../../../support/duckdb-project.js";

export interface FixtureCompileOptions {
  readonly targetDialect?: DialectId;
}

type Columns = readonly { readonly name: string; readonly type: SqlType; readonly nullable: boolean }[];

/**
 * Compile a fixture project and return every diagnostic: by default through `compileProject`, the
 * product's own pipeline (what a user's compile reports, known sources and all); with
 * `ROCKY_FIXTURES_VIA=stages` through the stages wired here from the real parts (loader, parser,
 * graph, analyzeModel) and the checks, which measure-checks.ts times one by one.
 */
export async function compileFixture(files: ProjectFiles, options: FixtureCompileOptions = {}): Promise<{ diagnostics: readonly Diagnostic[]; via: "compileProject" | "stages" }> {
  const full = await loadCompileProject();
  if (full !== undefined) {
    const compiled = await full(files, { env: {}, vars: {}, targetDialect: options.targetDialect });
    return { diagnostics: compiled.diagnostics, via: "compileProject" };
  }
  return { diagnostics: compileInStages(files, options), via: "stages" };
}

type CompileProjectFn = (files: ProjectFiles, options: { env: Record<string, string>; vars: Record<string, string>; targetDialect?: DialectId }) => Promise<CompiledProject>;

let cached: CompileProjectFn | null | undefined;
async function loadCompileProject(): Promise<CompileProjectFn | undefined> {
  if (cached !== undefined) return cached ?? undefined;
  if (process.env.ROCKY_FIXTURES_VIA === "stages") {
    cached = null;
    return undefined;
  }
  const path = "../../../../engine/src/compile/compile-project.js";
  const mod = (await import(path)) as { compileProject?: CompileProjectFn };
  if (mod.compileProject === undefined) throw new Error("compile-project.ts exports no compileProject");
  cached = mod.compileProject;
  return cached;
}

/** Milliseconds spent in the checks, for measure-checks.ts. */
export interface CheckTimings {
  textChecksMs: number;
  projectChecksMs: number;
  models: number;
}

export function compileInStages(files: ProjectFiles, options: FixtureCompileOptions, timings?: CheckTimings): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const loaded = loadProject(files, { env: {}, vars: {} });
  diagnostics.push(...loaded.diagnostics);
  const project = loaded.value;
  // What compileProject's static seed reader finds (without --with-seed).
  if (project.seedSql !== undefined) diagnostics.push(...checkSeedDdl(project.seedSql, SEED_FILE));
  const target = options.targetDialect ?? project.config.portability.target_dialect;

  const asts = new Map<string, Query>();
  const syntax = new Map<string, SyntaxFacts & { parseError?: unknown }>();
  const nodes: GraphNode[] = [];
  for (const m of project.models) {
    const parsed = parseSql(m.sql, m.dialect);
    if (parsed.query === undefined || parsed.error !== undefined) {
      // The R001 compileProject emits for a model that does not parse (compile-project.ts).
      if (parsed.error !== undefined) {
        diagnostics.push(
          createDiagnostic("R001", `syntax error: ${parsed.error.message}`, {
            model: m.name,
            span: { file: m.file, line: parsed.error.span.line, col: parsed.error.span.col },
            suggestion: `the model is parsed as ${m.dialect} SQL`,
          }),
        );
      }
      syntax.set(m.name, { projectionNamed: false, parseError: parsed.error });
      nodes.push({ name: m.name, file: m.file, dependsOn: m.config.depends_on ?? [], bareRefs: [], qualifiedRefs: [] });
      continue;
    }
    asts.set(m.name, parsed.query);
    syntax.set(m.name, collectSyntaxFacts(parsed.query, m.sql));
    const t0 = performance.now();
    diagnostics.push(...runTextChecks({ model: m, query: parsed.query, comments: parsed.comments, target, allow: project.config.portability.allow }));
    if (timings) timings.textChecksMs += performance.now() - t0;
    const refs = collectTableRefs(parsed.query);
    const loc = m.config.locations.depends_on;
    nodes.push({
      name: m.name,
      file: m.file,
      dependsOn: m.config.depends_on ?? [],
      dependsOnSpan: loc ? { file: loc.file, line: loc.line, col: loc.col } : undefined,
      bareRefs: refs.filter((r) => r.name.length === 1).map((r) => ({ name: r.name[0].name.toLowerCase(), span: { file: m.file, line: r.span.line, col: r.span.col } })),
      qualifiedRefs: refs.filter((r) => r.name.length > 1).map((r) => r.name.map((p) => p.name.toLowerCase()).join(".")),
    });
  }
  const graph = buildModelGraph(nodes);
  diagnostics.push(...graph.diagnostics);

  const columns = new Map<string, Columns>();
  const analyses = new Map<string, ModelAnalysis>();
  const byLower = new Map(project.models.map((m) => [m.name.toLowerCase(), m.name]));
  const byName = new Map(project.models.map((m) => [m.name, m]));
  for (const layer of graph.layers) {
    for (const name of layer) {
      const m = byName.get(name);
      const query = asts.get(name);
      if (m === undefined || query === undefined) continue;
      const a = analyzeModel({
        model: name,
        file: m.file,
        dialect: m.dialect,
        query,
        schemas: {
          isModel: (n) => byLower.has(n.toLowerCase()),
          columnsOf(n) {
            const model = byLower.get(n.toLowerCase());
            if (model !== undefined) return columns.get(model);
            const raw = project.sourceSchemas.get(n.toLowerCase()) ?? project.sourceSchemas.get(n.toLowerCase().split(".").slice(-2).join("."));
            return raw?.map((c) => ({ name: c.name, type: typeFromWarehouseName(c.type, m.dialect), nullable: c.nullable }));
          },
        },
      });
      analyses.set(name, a);
      columns.set(name, a.columns);
      diagnostics.push(...a.diagnostics);
    }
  }

  const models = new Map<string, CompiledModel>();
  for (const m of project.models) {
    const a = analyses.get(m.name);
    models.set(m.name, {
      name: m.name,
      file: m.file,
      sidecarFile: m.sidecarFile,
      dialect: m.dialect,
      config: m.config,
      contract: m.contract,
      dependsOn: graph.deps.get(m.name) ?? [],
      externalSources: graph.external.get(m.name) ?? [],
      columns: a?.columns ?? [],
      rowLevel: a?.rowLevel ?? { filters: [], joins: [], groups: [], fingerprints: {} },
      hasStar: a?.hasStar ?? false,
      reads: a?.reads ?? new Map(),
      contentHash: "",
      // As compileProject: a model in or behind a cycle is not analysed.
      parsed: asts.has(m.name) && graph.layerOf.has(m.name),
      layer: graph.layerOf.get(m.name) ?? -1,
    });
  }
  const t1 = performance.now();
  diagnostics.push(...runProjectChecks({ project, models, downstream: graph.downstream, diagnostics }, { syntax, graph }));
  if (timings) {
    timings.projectChecksMs += performance.now() - t1;
    timings.models += models.size;
  }
  return diagnostics;
}

/**
 * A DuckDB project of one source `raw.orders` (`columns`) and one model `models/orders.sql` (`sql`)
 * whose P001 target is `target`, compiled twice through one memory cache: each compile's P001 as
 * `file:line:col replacement`, and the second compile's cache hits.
 */
export async function p001ThroughCache(columns: readonly { name: string; type: string; nullable: boolean }[], sql: string, target: string): Promise<{ first: string[]; second: string[]; hits: number }> {
  const files = new Map<string, string>(Object.entries(duckdbProjectFiles(columns)));
  files.set("rocky.toml", `${files.get("rocky.toml")}\n[portability]\ntarget_dialect = "${target}"\n`);
  files.set("models/orders.sql", sql);
  const cache = createMemoryCompileCache();
  const p001 = (p: CompiledProject) => p.diagnostics.filter((d) => d.code === "P001").map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.col} ${d.replacement?.text}`);
  const first = await compileProject(files, { env: {}, vars: {}, cache });
  const second = await compileProject(files, { env: {}, vars: {}, cache });
  return { first: p001(first), second: p001(second), hits: second.timings.cache_hits };
}
