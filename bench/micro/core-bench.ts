/**
 * Cold-path micro-benchmark of the compiler core on a real project directory: parse every model
 * (tokenize + parse + table refs), then type and trace every model in dependency order, the way
 * compileProject does, without the loader, the graph, the checks or the cache around them.
 * Run: node --import tsx bench/micro/core-bench.ts [/tmp/rocky-bench/project-10000] [passes]
 * Pass 1 is the cold one (what a CLI run pays, JIT warm-up included); later passes show steady state.
 * Prints user+system CPU ms per stage (the steadier figure on a shared machine), wall ms, main-thread
 * GC pause and heap growth. With `node --expose-gc`, heap growth is measured after a full GC: what
 * the stage's results retain (the ASTs, the analyses).
 */
import { GCProfiler } from "node:v8";
import { createSchemaProvider, type Columns } from "../../engine/src/compile/model-stages.js";
import { analyzeModel } from "../../engine/src/analyze/analyze-model.js";
import type { ModelAnalysis } from "../../engine/src/compile/types.js";
import { loadProject } from "../../engine/src/project/load-project.js";
import { readProjectDir } from "../../engine/src/project/read-project-dir.js";
import type { ModelSource } from "../../engine/src/project/types.js";
import type { Query } from "../../engine/src/syntax/ast.js";
import { parseSql } from "../../engine/src/syntax/parse-sql.js";
import { collectTableRefs } from "../../engine/src/syntax/walk.js";

const root = process.argv[2] ?? "/tmp/rocky-bench/project-10000";
const passes = Number(process.argv[3] ?? 1);

const files = readProjectDir(root);
const project = loadProject(files, { env: {}, vars: {} }).value;
const models = project.models;
const modelByLower = new Map<string, string>(models.map((m) => [m.name.toLowerCase(), m.name]));

/** Main-thread GC pause time (ms) of what `run` does. */
function withGc<T>(run: () => T): { value: T; gc: number } {
  const p = new GCProfiler();
  p.start();
  const value = run();
  const stats = p.stop() as { statistics: { cost: number }[] } | undefined;
  return { value, gc: (stats?.statistics ?? []).reduce((n, s) => n + s.cost, 0) / 1000 };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

/** Models in an order where every upstream model comes first (depth-first post-order; cycles broken arbitrarily). */
function dependencyOrder(deps: ReadonlyMap<string, readonly string[]>): ModelSource[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, number>();
  const out: ModelSource[] = [];
  const visit = (name: string): void => {
    if (state.has(name)) return;
    state.set(name, 1);
    for (const d of deps.get(name) ?? []) visit(d);
    out.push(byName.get(name)!);
  };
  for (const m of models) visit(m.name);
  return out;
}

/** Parse every model and list the models each one reads. */
function parseAll(): { asts: Map<string, Query>; deps: Map<string, string[]>; errors: number } {
  const asts = new Map<string, Query>();
  const deps = new Map<string, string[]>();
  let errors = 0;
  for (const m of models) {
    const r = parseSql(m.sql, m.dialect);
    if (r.query === undefined) {
      errors++;
      continue;
    }
    asts.set(m.name, r.query);
    const ds: string[] = [];
    for (const ref of collectTableRefs(r.query)) {
      if (ref.name.length !== 1) continue;
      const d = modelByLower.get(ref.name[0].name.toLowerCase());
      if (d !== undefined && d !== m.name) ds.push(d);
    }
    deps.set(m.name, ds);
  }
  return { asts, deps, errors };
}

/** Type and trace every model, upstream models first. */
function analyzeAll(order: readonly ModelSource[], asts: ReadonlyMap<string, Query>): { columns: number; diagnostics: number; analyses: ModelAnalysis[] } {
  const analyses: ModelAnalysis[] = [];
  const columns = new Map<string, Columns>();
  const providers = new Map<string, ReturnType<typeof createSchemaProvider>>();
  const typed = new Map<string, Columns | null>();
  let outCols = 0;
  let diags = 0;
  for (const m of order) {
    const query = asts.get(m.name);
    if (query === undefined) continue;
    let schemas = providers.get(m.dialect);
    if (schemas === undefined) providers.set(m.dialect, (schemas = createSchemaProvider(m.dialect, modelByLower, columns, project.sourceSchemas, typed)));
    const a = analyzeModel({ model: m.name, file: m.file, dialect: m.dialect, query, schemas });
    columns.set(m.name, a.columns);
    analyses.push(a);
    outCols += a.columns.length;
    diags += a.diagnostics.length;
  }
  return { columns: outCols, diagnostics: diags, analyses };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in use, after a full GC when the process exposes one (the GC happens outside the timed spans). */
function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

function pass(n: number): void {
  const mb = (x: number): string => `${(x / 1e6).toFixed(0)} MB`;
  const h0 = heapUsed();
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  const parsed = withGc(parseAll);
  const parseCpu = cpuMs(c0);
  const parseWall = performance.now() - t0;
  const h1 = heapUsed();
  const { asts, deps, errors } = parsed.value;

  const order = dependencyOrder(deps);
  c0 = process.cpuUsage();
  t0 = performance.now();
  const typed = withGc(() => analyzeAll(order, asts));
  const typeCpu = cpuMs(c0);
  const typeWall = performance.now() - t0;
  const h2 = heapUsed();
  console.log(
    `pass ${n}: parse ${parseCpu.toFixed(0)} cpu-ms (${parseWall.toFixed(0)} wall, gc ${parsed.gc.toFixed(0)}, heap +${mb(h1 - h0)}${gc ? " retained" : ""}, ${errors} errors)  ` +
      `types+lineage ${typeCpu.toFixed(0)} cpu-ms (${typeWall.toFixed(0)} wall, gc ${typed.gc.toFixed(0)}, heap +${mb(h2 - h1)}${gc ? " retained" : ""}; ${typed.value.columns} columns, ${typed.value.diagnostics} diagnostics)`,
  );
}

console.log(`${models.length} models from ${root}`);
for (let i = 1; i <= passes; i++) pass(i);
