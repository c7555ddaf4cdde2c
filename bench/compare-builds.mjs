// `node bench/compare-builds.mjs OLD_CLI NEW_CLI [runs]`: two builds of the CLI (paths to their
// cli/bin/rocky.cjs, e.g. a `git worktree` of an older commit after `node scripts/build.mjs --cli-only`)
// measured alternately on the benchmark projects `npm run bench` generated (in the OS temp dir):
// medians and the ratio new/old, so a comparison is made in one run on one machine state.
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
const [oldCli, newCli] = process.argv.slice(2);
if (!oldCli || !newCli) {
  console.error("usage: node bench/compare-builds.mjs OLD_CLI NEW_CLI [runs]");
  process.exit(2);
}
const builds = { old: oldCli, new: newCli };
const work = join(tmpdir(), "rocky-bench");
if (!existsSync(join(work, "project-10000")) || !existsSync(join(work, "review-10000"))) {
  console.error(`run npm run bench first: it generates ${work}/project-10000 and review-10000`);
  process.exit(2);
}
const runs = Number(process.argv[4] ?? 3);
const time = (args, env = {}) => { const t = performance.now(); const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, ...env } }); const ms = performance.now() - t; if (r.status > 1) throw new Error(r.stderr); return ms; };
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const out = {};
const rec = (k, b, ms) => ((out[k] ??= { old: [], new: [] })[b].push(ms));
for (const b of ["old", "new"]) { rmSync(join(work, `ab-${b}`), { recursive: true, force: true }); cpSync(join(work, "project-10000"), join(work, `ab-${b}`), { recursive: true, filter: (s) => !s.includes(".rocky-state") }); }
for (const b of ["old", "new"]) { rmSync(join(work, `ab-rev-${b}`), { recursive: true, force: true }); cpSync(join(work, "review-10000"), join(work, `ab-rev-${b}`), { recursive: true, filter: (s) => !s.includes(".rocky-state") }); }
await new Promise((r) => setTimeout(r, 2100));
for (const b of ["old", "new"]) time([builds[b], "compile", "-C", join(work, `ab-${b}`), "--output", "json"]);
for (let i = 0; i < runs; i++) for (const b of ["old", "new"]) {
  rec("startup", b, time([builds[b], "--version"]));
  // A first compile and a first review that write the lmdb cache (what the first run in a checkout pays).
  rmSync(join(work, `ab-${b}`, ".rocky-state"), { recursive: true, force: true });
  rec("first compile 10k, writing the cache", b, time([builds[b], "compile", "-C", join(work, `ab-${b}`), "--output", "json"]));
  rmSync(join(work, `ab-rev-${b}`, ".rocky-state"), { recursive: true, force: true });
  rec("first review 10k, writing the cache", b, time([builds[b], "review", "--base", "main", "--head", "pr", "-C", join(work, `ab-rev-${b}`), "--output", "json"]));
  rec("cold compile 10k", b, time([builds[b], "compile", "-C", join(work, `ab-${b}`), "--no-cache", "--output", "json"]));
  const f = join(work, `ab-${b}`, "models", "stg_00001.sql");
  writeFileSync(f, readFileSync(f, "utf8").replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, 'x${i}${Date.now()}')`));
  rec("warm compile 10k, 1 file changed", b, time([builds[b], "compile", "-C", join(work, `ab-${b}`), "--output", "json"]));
  rec("review 10k cold", b, time([builds[b], "review", "--base", "main", "--head", "pr", "-C", join(work, `ab-rev-${b}`), "--output", "json"], { ROCKY_NO_CACHE: "1" }));
  rec("review 10k base cached", b, time([builds[b], "review", "--base", "main", "--head", "pr", "-C", join(work, `ab-rev-${b}`), "--output", "json"]));
}
await new Promise((r) => setTimeout(r, 2100));
for (let i = 0; i < runs; i++) for (const b of ["old", "new"]) rec("warm compile 10k, nothing changed", b, time([builds[b], "compile", "-C", join(work, `ab-${b}`), "--output", "json"]));
console.log("| measure | old (ms) | new (ms) | new / old |\n| --- | ---: | ---: | ---: |");
for (const [k, v] of Object.entries(out)) console.log(`| ${k} | ${med(v.old).toFixed(0)} | ${med(v.new).toFixed(0)} | ${(med(v.new) / med(v.old)).toFixed(2)} |`);
