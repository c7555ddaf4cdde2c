// Not a test. Two builds of the CLI on `rocky review`, alternating runs, medians of wall, CPU (user+sys,
// through /usr/bin/time) and the report's own timings: the figures charter 17's commits quote.
//   node test/review/ab-cached-review.mjs OLD_MAIN_JS NEW_MAIN_JS [runs=9] [repo=/tmp/rocky-bench/review-10000]
// Each build reviews its own copy of the repository (its lmdb cache inside), so neither warms the other's;
// AB_NOCACHE=1 measures the review without a cache instead.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [oldCli, newCli, runsArg, repoArg] = process.argv.slice(2);
if (!oldCli || !newCli) {
  console.error("usage: node test/review/ab-cached-review.mjs OLD_MAIN_JS NEW_MAIN_JS [runs] [repo]");
  process.exit(2);
}
const runs = Number(runsArg ?? 9);
const repo = repoArg ?? "/tmp/rocky-bench/review-10000";
if (!existsSync(repo)) {
  console.error(`no ${repo}: npm run bench generates it`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "rocky-ab-review-"));
const builds = { old: oldCli, new: newCli };
for (const b of Object.keys(builds)) cpSync(repo, join(work, b), { recursive: true, filter: (s) => !s.includes(".rocky-state") });
const env = { ...process.env, ...(process.env.AB_NOCACHE ? { ROCKY_NO_CACHE: "1" } : {}) };
const run = (b) => {
  const t = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "CPU %U %S", process.execPath, builds[b], "review", "--base", "main", "--head", "pr", "-C", join(work, b), "--output", "json"], { encoding: "utf8", maxBuffer: 1 << 30, env });
  const wall = performance.now() - t;
  if (r.status > 1) throw new Error(r.stderr);
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: (Number(cpu[1]) + Number(cpu[2])) * 1000, ...JSON.parse(r.stdout).report.timings };
};
try {
  // Two runs each first: the cold one keeps the base snapshot, the second settles the cache.
  for (const b of Object.keys(builds)) for (let i = 0; i < 2; i++) run(b);
  const res = { old: [], new: [] };
  for (let i = 0; i < runs; i++) for (const b of Object.keys(builds)) res[b].push(run(b));
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const keys = ["wall", "cpu", "total_ms", "git_ms", "read_ms", "compile_base_ms", "compile_head_ms", "diff_ms", "cost_ms", "render_ms"];
  console.log(`| ${runs} runs each | old | new | new/old |\n|---|---:|---:|---:|`);
  for (const k of keys) {
    const o = med(res.old.map((r) => r[k]));
    const n = med(res.new.map((r) => r[k]));
    console.log(`| ${k} | ${o.toFixed(0)} | ${n.toFixed(0)} | ${(n / o).toFixed(2)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
