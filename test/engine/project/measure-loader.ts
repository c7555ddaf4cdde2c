/**
 * Measures readProjectDir and loadProject on a generated project (not a test; timing goes in
 * reports and benchmarks). Usage: node --import tsx test/engine/project/measure-loader.ts [models=10000]
 * Writes N models + N sidecars (2N files) to a temp dir, then prints JSON with the median of 5 runs
 * (wall and CPU time: on a shared machine CPU time is the steadier figure).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../../../engine/src/project/load-project.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";

const n = Number(process.argv[2] ?? 10000);
const root = mkdtempSync(join(tmpdir(), "rocky-measure-"));
try {
  mkdirSync(join(root, "models"));
  writeFileSync(join(root, "rocky.toml"), '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\n[mask]\npii = "hash"\n');
  writeFileSync(join(root, "models", "_defaults.toml"), '[target]\ncatalog = "wh"\nschema = "analytics"\n');
  for (let i = 0; i < n; i++) {
    const name = `m_${String(i).padStart(5, "0")}`;
    const up = i > 0 ? `m_${String(i - 1).padStart(5, "0")}` : "raw.src";
    const cols = Array.from({ length: 10 }, (_, c) => `  UPPER(TRIM(col_${c})) AS col_${c}`).join(",\n");
    writeFileSync(join(root, "models", `${name}.sql`), `-- model ${i}\nSELECT\n  id,\n${cols}\nFROM ${up}\nWHERE id > @var(min_id, 0)\n`);
    writeFileSync(join(root, "models", `${name}.toml`), `depends_on = [${i > 0 ? `"${up}"` : ""}]\n\n[strategy]\ntype = "merge"\nunique_key = ["id"]\n\n[classification]\ncol_1 = "pii"\n`);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const readMs: number[] = [];
  const loadMs: number[] = [];
  const readCpuMs: number[] = [];
  const loadCpuMs: number[] = [];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let diagnostics = 0;
  for (let r = 0; r < 5; r++) {
    const c0 = cpu();
    const t0 = performance.now();
    const files = readProjectDir(root);
    const c1 = cpu();
    const t1 = performance.now();
    const loaded = loadProject(files, { env: {}, vars: {} });
    // compileProject reads every model's depends_on location (for the DAG): include that cost.
    for (const m of loaded.value.models) void m.config.locations.depends_on;
    const t2 = performance.now();
    const c2 = cpu();
    readMs.push(t1 - t0);
    loadMs.push(t2 - t1);
    readCpuMs.push(c1 - c0);
    loadCpuMs.push(c2 - c1);
    diagnostics = loaded.diagnostics.length;
  }
  console.log(JSON.stringify({ models: n, files: 2 * n + 2, readProjectDirMs: Math.round(median(readMs)), readProjectDirCpuMs: Math.round(median(readCpuMs)), loadProjectMs: Math.round(median(loadMs)), loadProjectCpuMs: Math.round(median(loadCpuMs)), loadAverage: (await import("node:os")).loadavg()[0], diagnostics, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
