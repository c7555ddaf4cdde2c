#!/usr/bin/env node
// Bundles the Action into one committed file, action/dist/index.js (esbuild, node20, ESM).
// `node action/build.mjs --check` rebuilds in memory and fails when the committed bundle is stale.
// `--from-head` bundles the sources of the last commit (git archive HEAD into a temp dir) instead
// of the work tree, so uncommitted work never lands in the committed bundle.
// Native and warehouse modules stay external: every use of them is a lazy, optional import, so
// the bundle runs on a runner without node_modules as long as those features are not used.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLE_ALIAS } from "../scripts/bundle-alias.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, "dist", "index.js");
export const EXTERNAL = ["@duckdb/node-api", "@duckdb/*", "lmdb", "snowflake-sdk", "@databricks/sql", "thrift"];

export function bundleOptions(overrides = {}, root = join(here, "..")) {
  return {
    absWorkingDir: root,
    entryPoints: [join(root, "action", "src", "index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outfile: join(root, "action", "dist", "index.js"),
    external: EXTERNAL,
    alias: BUNDLE_ALIAS,
    legalComments: "none",
    // Same output from a checkout whose node_modules is a symlink (see --from-head) as from CI's.
    preserveSymlinks: true,
    logLevel: "warning",
    // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __rockyCreateRequire } from 'node:module'; const require = __rockyCreateRequire(import.meta.url);" },
    ...overrides,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

async function main() {
  const check = process.argv.includes("--check");
  const fromHead = process.argv.includes("--from-head");
  let root = join(here, "..");
  if (fromHead) {
    root = mkdtempSync(join(tmpdir(), "rocky-action-head-"));
    const tar = execFileSync("git", ["archive", "--format=tar", "HEAD"], { cwd: join(here, ".."), maxBuffer: 1 << 30 });
    execFileSync("tar", ["-x", "-C", root], { input: tar });
    symlinkSync(join(here, "..", "node_modules"), join(root, "node_modules"));
  }
  try {
    const result = await build(bundleOptions({ write: false }, root));
    if (result.errors.length > 0) process.exit(1);
    const fresh = result.outputFiles[0]?.text ?? "";
    if (!check) {
      writeFileSync(outfile, fresh);
      console.log(`bundled ${outfile}${fromHead ? " (from HEAD)" : ""}`);
      return;
    }
    let committed = "";
    try {
      committed = readFileSync(outfile, "utf8");
    } catch {
      committed = "";
    }
    if (fresh !== committed) {
      console.error("action/dist/index.js is stale: run `node action/build.mjs` (or --from-head) and commit action/dist/index.js");
      process.exit(1);
    }
    console.log("action/dist/index.js is up to date");
  } finally {
    if (fromHead) rmSync(root, { recursive: true, force: true });
  }
}
