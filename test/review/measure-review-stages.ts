/**
 * Review stage timings after the compile (not a test):
 *   node --import tsx test/review/measure-review-stages.ts [repo=/tmp/rocky-bench/review-10000] [base=main] [head=pr] [iterations=9]
 * Compiles both sides once (lmdb cache in /tmp/rocky-review-stages-cache), then runs diff, compliance
 * (head + base), cost, assembleReport and render `iterations` times in this process and prints the
 * first (cold) run and the min/median of CPU milliseconds per stage (CPU time: the machine is shared).
 */
import { openLmdbCompileCache } from "../../engine/src/compile/lmdb-compile-cache.js";
import { analyzeCompliance } from "../../review/src/compliance/analyze-compliance.js";
import { projectCost } from "../../review/src/cost/project-cost.js";
import { diffProjects } from "../../review/src/diff/diff-projects.js";
import { renderReview } from "../../review/src/render/render-review.js";
import { assembleReport, compareRefs } from "../../review/src/review-pull-request.js";

const [repoDir = "/tmp/rocky-bench/review-10000", base = "main", head = "pr", n = "9"] = process.argv.slice(2);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cache = await openLmdbCompileCache(`/tmp/rocky-review-stages-cache-${repoDir.replace(/\W/g, "_")}`);
const cmp = await compareRefs({ repoDir, base, head, cache });
const times: Record<string, number[]> = { diff: [], compliance: [], cost: [], assemble: [], render: [] };
for (let i = 0; i < Number(n); i++) {
  let t = cpu();
  const diff = diffProjects(cmp.base, cmp.head, cmp.changedFiles);
  times.diff.push(cpu() - t);
  t = cpu();
  const compliance = analyzeCompliance(cmp.head);
  analyzeCompliance(cmp.base);
  times.compliance.push(cpu() - t);
  t = cpu();
  const cost = await projectCost({ diff, head: cmp.head, base: cmp.base });
  times.cost.push(cpu() - t);
  t = cpu();
  const report = assembleReport({ ...cmp, diff }, { compliance, cost, generatedAt: new Date(0).toISOString() });
  times.assemble.push(cpu() - t);
  t = cpu();
  renderReview(report, { headFiles: cmp.headFiles });
  times.render.push(cpu() - t);
}
await cache.close();
const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`${cmp.head.models.size} models, ${cmp.head.diagnostics.length} head diagnostics; CPU ms: first / min / median`);
for (const [stage, v] of Object.entries(times)) console.log(`${stage.padEnd(11)} ${v[0].toFixed(1).padStart(7)} ${Math.min(...v).toFixed(1).padStart(7)} ${median(v).toFixed(1).padStart(7)}`);
