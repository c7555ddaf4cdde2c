#!/usr/bin/env node
// How much a second core can give a cold compile on this machine, whatever the split: two cold
// compiles of a project half the size, run at once as separate processes (the best any division of
// the work could do: no shared state, no copying), against one cold compile of the whole project.
// Each process also reports its CPU, main thread and V8's own threads apart (thread-cpu.cjs).
// Usage: node bench/micro/two-halves.mjs [models=10000] [rounds=3]   (after `npm run build`)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { generateProject, writeProject } from "../generate-project.mjs";

const root = new URL("../..", import.meta.url).pathname;
const cli = join(root, "cli/bin/rocky.cjs");
const n = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 3);

function projectDir(models) {
  const dir = join(tmpdir(), "rocky-bench", `project-${models}`);
  if (!existsSync(join(dir, "rocky.toml"))) writeProject(dir, generateProject(models));
  return dir;
}

function compile(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", join(root, "bench/micro/thread-cpu.cjs"), cli, "compile", "-C", dir, "--no-cache", "--output", "json"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const m = /thread-cpu main (\d+) background (\d+)/.exec(stderr);
      if ((code !== 0 && code !== 1) || m === null) reject(new Error(`compile of ${dir} failed (${code}): ${stderr.slice(0, 500)}`));
      else resolve({ main: Number(m[1]), background: Number(m[2]) });
    });
  });
}

async function timed(run) {
  const t0 = performance.now();
  const cpu = await run();
  return { ms: performance.now() - t0, cpu: [cpu].flat() };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const whole = projectDir(n);
const half = projectDir(n / 2);
const one = [];
const two = [];
const cpuOne = [];
const cpuTwo = [];
for (let i = 0; i < rounds; i++) {
  const a = await timed(() => compile(whole));
  const b = await timed(() => Promise.all([compile(half), compile(half)]));
  one.push(a.ms);
  two.push(b.ms);
  cpuOne.push(a.cpu.reduce((s, c) => s + c.main + c.background, 0));
  cpuTwo.push(b.cpu.reduce((s, c) => s + c.main + c.background, 0));
}
console.log(`${cpus().length} cores, ${n} models, ${rounds} rounds alternating (medians):`);
console.log(`  one cold compile of ${n} models:            ${median(one).toFixed(0)} ms wall, ${median(cpuOne)} ms CPU`);
console.log(`  two cold compiles of ${n / 2} models at once: ${median(two).toFixed(0)} ms wall, ${median(cpuTwo)} ms CPU`);
console.log(`  ratio (two halves at once / whole):          ${(median(two) / median(one)).toFixed(2)}×`);
