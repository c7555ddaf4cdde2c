/**
 * Cold parse and typing of a project, two engine trees compared in alternating fresh processes (the
 * way a CLI run meets them: no warm JIT). Each child loads the project, then measures CPU (user +
 * system, every thread: TurboFan's background compiles and the GC helpers included) of
 *   parse: parseSql + collectTableRefs of every model, in project order (what compileProject's parse stage does);
 *   types: analyzeModel of every model, layer by layer (buildModelGraph's layers, as compileProject runs them).
 * Not a test. Usage:
 *   node --import tsx bench/micro/core-ab.ts BASE_ROOT NEW_ROOT [runs=8] [project=/tmp/rocky-bench/project-10000]
 * where a root is a directory holding engine/ (e.g. `git archive <commit> engine | tar -x -C DIR`, with
 * node_modules linked). Prints min and median per stage and the new/base ratios. On a shared machine
 * the minimum is the steadier figure.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

interface Sample {
  parse: number;
  types: number;
  columns: number;
}

async function child(engineRoot: string, project: string): Promise<Sample> {
  const load = async <T>(path: string): Promise<T> => (await import(`${engineRoot}/engine/src/${path}`)) as T;
  const { readProjectDir } = await load<typeof import("../../engine/src/project/read-project-dir.js")>("project/read-project-dir.ts");
  const { loadProject } = await load<typeof import("../../engine/src/project/load-project.js")>("project/load-project.ts");
  const { parseSql } = await load<typeof import("../../engine/src/syntax/parse-sql.js")>("syntax/parse-sql.ts");
  const { collectTableRefs } = await load<typeof import("../../engine/src/syntax/walk.js")>("syntax/walk.ts");
  const { analyzeModel } = await load<typeof import("../../engine/src/analyze/analyze-model.js")>("analyze/analyze-model.ts");
  const { buildModelGraph } = await load<typeof import("../../engine/src/graph/build-model-graph.js")>("graph/build-model-graph.ts");
  const { createSchemaProvider } = await load<typeof import("../../engine/src/compile/model-stages.js")>("compile/model-stages.ts");
  type Query = import("../../engine/src/syntax/ast.js").Query;
  type Columns = import("../../engine/src/compile/model-stages.js").Columns;

  const models = loadProject(readProjectDir(project), { env: {}, vars: {} }).value.models;
  const modelByLower = new Map(models.map((m) => [m.name.toLowerCase(), m.name]));
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };

  let c0 = cpu();
  const asts = new Map<string, Query>();
  const bare = new Map<string, { name: string; line: number; col: number }[]>();
  for (const m of models) {
    const r = parseSql(m.sql, m.dialect);
    if (r.query === undefined) continue;
    asts.set(m.name, r.query);
    const refs: { name: string; line: number; col: number }[] = [];
    for (const t of collectTableRefs(r.query)) if (t.name.length === 1) refs.push({ name: t.name[0].name.toLowerCase(), line: t.span.line, col: t.span.col });
    bare.set(m.name, refs);
  }
  const parse = cpu() - c0;

  const graph = buildModelGraph(models.map((m) => ({ name: m.name, file: m.file, dependsOn: m.config.depends_on ?? [], bareRefs: bare.get(m.name) ?? [], qualifiedRefs: [] })));
  const byName = new Map(models.map((m) => [m.name, m]));
  const columns = new Map<string, Columns>();
  const typed = new Map<string, Columns | null>();
  // One schema provider per dialect for the whole compile, as compileProject keeps them.
  const providers = new Map<string, ReturnType<typeof createSchemaProvider>>();
  const raw = loadProject(readProjectDir(project), { env: {}, vars: {} }).value.sourceSchemas;
  c0 = cpu();
  let outColumns = 0;
  for (const layer of graph.layers) {
    for (const name of layer) {
      const m = byName.get(name);
      const query = asts.get(name);
      if (m === undefined || query === undefined) continue;
      let schemas = providers.get(m.dialect);
      if (schemas === undefined) providers.set(m.dialect, (schemas = createSchemaProvider(m.dialect, modelByLower, columns, raw, typed)));
      const a = analyzeModel({ model: m.name, file: m.file, dialect: m.dialect, query, schemas });
      columns.set(name, a.columns);
      outColumns += a.columns.length;
    }
  }
  const types = cpu() - c0;
  return { parse, types, columns: outColumns };
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === "--child") {
    const [engineRoot, project] = rest;
    process.stdout.write(JSON.stringify(await child(engineRoot, project)));
    return;
  }
  const base = resolve(mode ?? "");
  const next = resolve(rest[0] ?? "");
  const runs = Number(rest[1] ?? 8);
  const project = rest[2] ?? "/tmp/rocky-bench/project-10000";
  if (!mode || !rest[0]) {
    console.error("usage: node --import tsx bench/micro/core-ab.ts BASE_ROOT NEW_ROOT [runs] [project]");
    process.exit(2);
  }
  const samples: Record<"base" | "new", Sample[]> = { base: [], new: [] };
  for (let i = 0; i < runs; i++) {
    const order: ["base" | "new", string][] = i % 2 === 0 ? [["base", base], ["new", next]] : [["new", next], ["base", base]];
    for (const [k, root] of order) {
      const r = spawnSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--child", root, project], { encoding: "utf8", maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(r.stderr);
      samples[k].push(JSON.parse(r.stdout) as Sample);
    }
  }
  const stat = (xs: number[]): { min: number; med: number } => {
    const s = [...xs].sort((a, b) => a - b);
    return { min: s[0], med: s[Math.floor(s.length / 2)] };
  };
  console.log(`${runs} runs each, ${project}; columns base ${samples.base[0].columns}, new ${samples.new[0].columns}`);
  console.log("| stage | base min | new min | new/base | base median | new median | new/base |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const stage of ["parse", "types"] as const) {
    const b = stat(samples.base.map((s) => s[stage]));
    const n = stat(samples.new.map((s) => s[stage]));
    console.log(`| ${stage} | ${b.min.toFixed(0)} | ${n.min.toFixed(0)} | ${(n.min / b.min).toFixed(2)} | ${b.med.toFixed(0)} | ${n.med.toFixed(0)} | ${(n.med / b.med).toFixed(2)} |`);
  }
}

await main();
