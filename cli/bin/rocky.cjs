#!/usr/bin/env node
// The `rocky` command. `npm run build` bundles the CLI into cli/dist/rocky.cjs; this runs it through
// vm.Script with a V8 code cache beside it, so a command does not re-parse the 900 kB bundle: Node 20
// caches no compiled code for modules by itself. CommonJS, as the bundle is: an ES module entry
// costs node another ~9 ms of loader start. Without a build it says what to run instead.
"use strict";
const { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const { Script } = require("node:vm");

const dist = join(__dirname, "..", "dist");
const bundle = join(dist, "rocky.cjs");
const stat = statSync(bundle, { throwIfNoEntry: false });
if (stat === undefined) {
  console.error("rocky: the CLI is not built yet. Run `npm run build` (or `npm install`, which builds it).");
  process.exit(2);
}
// A daemon serving this project (`rocky daemon start`) answers compile and lineage from memory: the
// client asks it first, and only when none answers (or it declines) is the compiler loaded here.
let client;
try {
  client = require(join(dist, "daemon-client.cjs"));
} catch {
  client = undefined;
}
const argv = process.argv.slice(2);
const socket = client?.findDaemon(argv, process.env, process.cwd());
if (socket !== undefined) {
  client.throughDaemon(socket, argv, `${stat.size}:${stat.mtimeMs}`).then((code) => {
    if (code === undefined) runBundle();
    else process.exitCode = code;
  });
} else {
  runBundle();
}

function runBundle() {
  // esbuild writes ASCII (only a few comments are not), so latin1 reads it at half the cost of UTF-8.
  const source = readFileSync(bundle, "latin1");
  // V8 checks a cache against the source's length only, so the name carries the bundle's size and
  // time: a rebuilt bundle never meets the old cache (the build also empties cli/dist first).
  const cacheFile = join(dist, `rocky.${stat.size}-${String(stat.mtimeMs).replace(".", "_")}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected || process.env.ROCKY_WRITE_CODE_CACHE === "1") {
    // At exit the cache holds every function this run compiled. Best effort: a read-only install runs uncached.
    process.once("exit", () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        for (const f of readdirSync(dist)) if (f.endsWith(".v8cache") && join(dist, f) !== cacheFile) rmSync(join(dist, f), { force: true });
      } catch {
        // Not writable: nothing lost but speed.
      }
    });
  }
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dist);
}
