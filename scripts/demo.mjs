#!/usr/bin/env node
// The README's main job: build a scratch git repository with the example shop project on `main`
// and its pull request (examples/shop-pr) on a `pr` branch, then print the review of that PR,
// exactly as the bot would post it. DuckDB only, no credentials, nothing leaves the machine.
//
// Usage: npm run demo [-- --output json|markdown|text] [-- --keep]
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const passThrough = args.filter((a) => a !== "--keep");
const repo = mkdtempSync(join(tmpdir(), "rocky-demo-"));
const git = (...a) => execFileSync("git", a, { cwd: repo, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "Demo", GIT_AUTHOR_EMAIL: "demo@example.com", GIT_COMMITTER_NAME: "Demo", GIT_COMMITTER_EMAIL: "demo@example.com" } });

try {
  git("init", "-q", "-b", "main");
  cpSync(join(root, "examples/shop"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "shop: staged models, order fact with a contract, revenue mart");
  git("checkout", "-qb", "pr");
  cpSync(join(root, "examples/shop-pr"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "orders: simpler amount maths, drop fraud orders; CRM contact export");
  console.error(`rocky demo: reviewing branch \`pr\` against \`main\` in ${repo}\n`);
  const r = spawnSync(process.execPath, [join(root, "cli/bin/rocky.cjs"), "review", "--base", "main", "--head", "pr", "-C", repo, ...passThrough], { stdio: "inherit" });
  // The demo PR is meant to fail review (exit 1); only a crash or a usage error fails the demo.
  process.exitCode = r.status === 0 || r.status === 1 ? 0 : (r.status ?? 1);
} finally {
  if (keep) console.error(`\n(kept ${repo})`);
  else rmSync(repo, { recursive: true, force: true });
}
