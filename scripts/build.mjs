#!/usr/bin/env node
// Builds what runs outside tsx: the `rocky` CLI (cli/dist, code-split so start-up loads only the
// argument parser), the Action bundle (action/dist, committed) and the App server (app/dist).
// `--check-action-dist` fails when the committed Action bundle is stale (CI).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as esbuild from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const check = process.argv.includes("--check-action-dist");
// `--cli-only` (npm's prepare step) must not rewrite the committed Action bundle: CI checks it is fresh.
const cliOnly = process.argv.includes("--cli-only");
// `--outdir DIR` builds the CLI elsewhere (inside the repo, so node_modules resolves): engineers measuring side by side.
const outdirAt = process.argv.indexOf("--outdir");
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : "cli/dist";

const entryPoints = { main: "cli/src/entry.ts" };
if (existsSync(`${root}engine/src/compile/compile-worker.ts`)) entryPoints["compile-worker"] = "engine/src/compile/compile-worker.ts";
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
});

for (const part of cliOnly || outdirAt > 0 ? [] : ["action", "app"]) {
  const script = `${root}${part}/build.mjs`;
  if (!existsSync(script)) continue;
  const args = part === "action" && check ? [script, "--check"] : [script];
  const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
