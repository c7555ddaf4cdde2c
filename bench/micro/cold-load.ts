/**
 * Cold cost of reading and loading a project, each stage once in a fresh process (the CLI's path:
 * no warm JIT). Not a test. Usage:
 *   node --import tsx bench/micro/cold-load.ts [project=/tmp/rocky-bench/project-10000] [runs=7] [baseline-root]
 * Runs `runs` child processes and prints the minimum and median CPU (user+system) ms per stage. With
 * a baseline root (a copy of the repository's engine/, e.g. `git archive HEAD engine | tar -x -C DIR`),
 * the runs alternate between it and this checkout, so both see the same machine load.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

interface Sample {
  readCpu: number;
  loadCpu: number;
  diagnostics: number;
  models: number;
}

async function once(root: string, engineRoot: string): Promise<Sample> {
  const { readProjectDir } = (await import(`${engineRoot}/engine/src/project/read-project-dir.ts`)) as typeof import("../../engine/src/project/read-project-dir.js");
  const { loadProject } = (await import(`${engineRoot}/engine/src/project/load-project.ts`)) as typeof import("../../engine/src/project/load-project.js");
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const files = readProjectDir(root);
  const c1 = cpu();
  const loaded = loadProject(files, { env: {}, vars: {} });
  // compileProject reads every model's depends_on location (for the DAG): include that cost.
  for (const m of loaded.value.models) void m.config.locations.depends_on;
  const c2 = cpu();
  return { readCpu: c1 - c0, loadCpu: c2 - c1, diagnostics: loaded.diagnostics.length, models: loaded.value.models.length };
}

const root = process.argv[2] ?? "/tmp/rocky-bench/project-10000";
const here = resolve(new URL("../..", import.meta.url).pathname);
if (process.env.COLD_LOAD_ENGINE !== undefined) {
  process.stdout.write(JSON.stringify(await once(root, process.env.COLD_LOAD_ENGINE)));
} else {
  const runs = Number(process.argv[3] ?? 7);
  const roots = process.argv[4] === undefined ? [here] : [resolve(process.argv[4]), here];
  const samples = new Map<string, Sample[]>(roots.map((r) => [r, []]));
  for (let i = 0; i < runs; i++) {
    for (const engineRoot of roots) {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], root], { env: { ...process.env, COLD_LOAD_ENGINE: engineRoot }, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      samples.get(engineRoot)!.push(JSON.parse(r.stdout) as Sample);
    }
  }
  for (const [engineRoot, xs] of samples) {
    const stat = (k: keyof Sample) => {
      const v = xs.map((s) => s[k]).sort((a, b) => a - b);
      return `${Math.round(v[0])}/${Math.round(v[Math.floor(v.length / 2)])}`;
    };
    console.log(JSON.stringify({ engine: engineRoot, runs, models: xs[0].models, diagnostics: xs[0].diagnostics, "readProjectDirCpuMs(min/median)": stat("readCpu"), "loadProjectCpuMs(min/median)": stat("loadCpu") }));
  }
}
