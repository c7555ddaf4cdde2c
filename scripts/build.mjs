#!/usr/bin/env node
// Builds what runs outside tsx: the `rocky` CLI (cli/dist: one CommonJS bundle and the compile
// worker), the Action bundle (action/dist, committed) and the App server (app/dist).
// `--check-action-dist` fails when the committed Action bundle is stale (CI).
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import * as esbuild from "esbuild";
import { BUNDLE_ALIAS } from "./bundle-alias.mjs";

const root = new URL("..", import.meta.url).pathname;
const check = process.argv.includes("--check-action-dist");
// `--cli-only` (npm's prepare step) must not rewrite the committed Action bundle: CI checks it is fresh.
const cliOnly = process.argv.includes("--cli-only");
// `--outdir DIR` builds the CLI elsewhere (inside the repo, so node_modules resolves): engineers measuring side by side.
const outdirAt = process.argv.indexOf("--outdir");
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : "cli/dist";

// The CLI is one CommonJS file, cli/dist/rocky.cjs, that cli/bin/rocky.cjs runs through vm.Script
// with a V8 code cache beside it: Node 20 has no compile cache for ES modules, and parsing and
// linking the ESM build's 60 modules took 80-140 ms of every command. Packages with native code or
// that only the warehouse adapters load stay outside (required at run time); the pure-JS rest is
// bundled, so an ESM-only dependency never meets `require`. Dynamic `import()` becomes `require`:
// a vm.Script has no ESM loader to hand it to.
const external = ["lmdb", "msgpackr", "msgpackr-extract", "@duckdb/node-api", "snowflake-sdk", "@databricks/sql", "simple-git"];
rmSync(`${root}${outdir}`, { recursive: true, force: true });
/** A CommonJS file of the CLI in cli/dist. */
const cjs = { absWorkingDir: root, outdir, outExtension: { ".js": ".cjs" }, bundle: true, format: "cjs", platform: "node", target: "node20", logLevel: "warning", alias: BUNDLE_ALIAS };
await esbuild.build({
  ...cjs,
  entryPoints: { rocky: "cli/src/entry.ts" },
  supported: { "dynamic-import": false },
  external,
  // import.meta.url (the worker's location, the build's cache salt) is this file's URL.
  define: { "import.meta.url": "__rockyModuleUrl" },
  // Strict, as the ES modules it is built from were.
  banner: { js: '"use strict";\nconst __rockyModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  sourcemap: "linked",
});
// The daemon's client (cli/src/daemon/client.ts): cli/bin/rocky.cjs loads it before the bundle, so a
// command a running daemon answers never loads the compiler. Its own small file for that reason.
await esbuild.build({ ...cjs, entryPoints: { "daemon-client": "cli/src/daemon/client.ts" } });
// The compile worker (cold compiles of large projects): its own ES module, loaded by worker_threads.
if (existsSync(`${root}engine/src/compile/compile-worker.ts`)) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { "compile-worker": "engine/src/compile/compile-worker.ts" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
  });
}
// Run the example project's compile once so the code cache holds what a compile runs (the loader
// writes it when this variable is set, or when it has none that V8 accepts).
if (outdir === "cli/dist" && existsSync(`${root}examples/shop/rocky.toml`)) {
  const r = spawnSync(process.execPath, [`${root}cli/bin/rocky.cjs`, "compile", "-C", `${root}examples/shop`, "--no-cache", "--output", "json"], { cwd: root, env: { ...process.env, ROCKY_WRITE_CODE_CACHE: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 1);
}

for (const part of cliOnly || outdirAt > 0 ? [] : ["action", "app"]) {
  const script = `${root}${part}/build.mjs`;
  if (!existsSync(script)) continue;
  const args = part === "action" && check ? [script, "--check"] : [script];
  const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
