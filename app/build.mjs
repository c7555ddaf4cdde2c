#!/usr/bin/env node
// Bundles the App's server into app/dist/server.js (esbuild, node20, ESM) for a container-free
// `node app/dist/server.js`. Native and warehouse modules stay external (loaded lazily, only when
// a warehouse is configured); run it from a checkout with node_modules installed (`npm ci`).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLE_ALIAS } from "../scripts/bundle-alias.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const EXTERNAL = ["@duckdb/node-api", "@duckdb/*", "lmdb", "snowflake-sdk", "@databricks/sql", "thrift", "pino", "pino-*", "thread-stream", "ioredis"];

export function bundleOptions(overrides = {}) {
  return {
    entryPoints: [join(here, "src", "server.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outfile: join(here, "dist", "server.js"),
    external: EXTERNAL,
    alias: BUNDLE_ALIAS,
    legalComments: "none",
    logLevel: "warning",
    banner: { js: "import { createRequire as __rockyCreateRequire } from 'node:module'; const require = __rockyCreateRequire(import.meta.url);" },
    ...overrides,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await build(bundleOptions());
  if (result.errors.length > 0) process.exit(1);
  console.log(`bundled ${join(here, "dist", "server.js")}`);
}
