#!/usr/bin/env node
// Bundles the Action into one committed file, action/dist/index.js (esbuild, node20, ESM).
// `node action/build.mjs --check` rebuilds in memory and fails when the committed bundle is stale.
// Native and warehouse modules stay external: every use of them is a lazy, optional import, so
// the bundle runs on a runner without node_modules as long as those features are not used.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, "dist", "index.js");
export const EXTERNAL = ["@duckdb/node-api", "@duckdb/*", "lmdb", "snowflake-sdk", "@databricks/sql", "thrift"];

export function bundleOptions(overrides = {}) {
  return {
    entryPoints: [join(here, "src", "index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outfile,
    external: EXTERNAL,
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
  const result = await build(bundleOptions({ write: !check }));
  if (result.errors.length > 0) process.exit(1);
  if (check) {
    const fresh = result.outputFiles.find((f) => f.path === outfile)?.text ?? "";
    let committed = "";
    try {
      committed = readFileSync(outfile, "utf8");
    } catch {
      committed = "";
    }
    if (fresh !== committed) {
      console.error("action/dist/index.js is stale: run `node action/build.mjs` and commit action/dist/index.js");
      process.exit(1);
    }
    console.log("action/dist/index.js is up to date");
  } else {
    console.log(`bundled ${outfile}`);
  }
}
