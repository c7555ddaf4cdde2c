#!/usr/bin/env node
// Runs every test file under test/ with node's own test runner (TypeScript through tsx).
// Usage: npm test [-- <path-substring> ...] to run a subset.
// No single test may take ten minutes (--test-timeout): a hang fails, it never holds CI to its limit.
// Not --test-force-exit: on Node 20 it ended a file before its last suites ran (seen: the W011
// fixtures and the registry-coverage suite missing from a run, with nothing reported as failed).
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "fixtures") continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.(ts|mjs)$/.test(entry)) out.push(relative(root, p));
  }
  return out;
}

const files = walk(join(root, "test"), []).sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", "--test-timeout=600000", ...files], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_NO_WARNINGS: "1" },
});
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
