/**
 * The whole compile pipeline (compileProject, no cache) run several times in one process: pass 1 is
 * what a cold `rocky compile --no-cache` pays inside the compiler (JIT warm-up included), later
 * passes what the same code costs once V8 has optimised it. Shows how much of a cold compile is
 * warm-up and how far the optimised code itself is from a target. Not a test.
 * Run: node --import tsx bench/micro/steady-state.ts [/tmp/rocky-bench/project-10000] [passes=5]
 */
import { compileProject } from "../../engine/src/compile/compile-project.js";
import { readProjectDir } from "../../engine/src/project/read-project-dir.js";

const root = process.argv[2] ?? "/tmp/rocky-bench/project-10000";
const passes = Number(process.argv[3] ?? 5);
const files = readProjectDir(root);
const walls: number[] = [];
let models = 0;
for (let pass = 1; pass <= passes; pass++) {
  const t = performance.now();
  const compiled = await compileProject(files, { env: {}, vars: {} });
  const wall = performance.now() - t;
  walls.push(wall);
  models = compiled.models.size;
  const { cache_hits: _hits, analysed: _analysed, ...stages } = compiled.timings;
  console.log(`pass ${pass}: ${wall.toFixed(0)} ms  ${Object.entries(stages).map(([k, v]) => `${k.replace(/_ms$/, "")} ${Math.round(v)}`).join("  ")}`);
}
if (walls.length > 1) {
  const later = walls.slice(1).sort((a, b) => a - b);
  const median = later[Math.floor(later.length / 2)];
  console.log(`${models} models: pass 1 ${walls[0].toFixed(0)} ms, later passes median ${median.toFixed(0)} ms (pass 1 / median ${(walls[0] / median).toFixed(2)})`);
}
