/**
 * How long the static cost estimate takes (not a test: figures, not assertions).
 * Run: node --import tsx test/engine/cost/measure-static-cost.ts [project-dir=/tmp/p10k]
 * (make the project with `node bench/generate-project.mjs /tmp/p10k 10000`).
 *
 * 1. estimateCompiledProject over the compiled project (median of 21 warm runs).
 * 2. estimateStaticCost over a 20,000-model fan-out (one root, 20,000 children; median of 5).
 */
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { estimateCompiledProject } from "../../../engine/src/cost/estimate-compiled-project.js";
import { estimateStaticCost, type StaticCostModelInput } from "../../../engine/src/cost/static-cost.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";

function median(fn: () => unknown, runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(runs / 2)];
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? "/tmp/p10k";
  const compiled = await compileProject(readProjectDir(dir), { env: {}, vars: {} });
  const edges = [...compiled.models.values()].reduce((s, m) => s + m.dependsOn.length, 0);
  const project = median(() => estimateCompiledProject(compiled), 21);
  console.log(`${dir}: ${compiled.models.size} models, ${edges} edges: estimateCompiledProject ${project.toFixed(1)} ms (median of 21)`);

  const fan: StaticCostModelInput[] = [{ name: "root", dependsOn: [], warehouse: "databricks" }];
  for (let i = 0; i < 20_000; i++) fan.push({ name: `m${i}`, dependsOn: ["root"], warehouse: "databricks" });
  console.log(`20,000-model fan-out: estimateStaticCost ${median(() => estimateStaticCost(fan), 5).toFixed(1)} ms (median of 5)`);
}

await main();
