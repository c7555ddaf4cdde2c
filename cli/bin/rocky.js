#!/usr/bin/env node
// The `rocky` command. `npm run build` bundles the CLI into cli/dist/rocky.cjs; this runs it through
// vm.Script with a V8 code cache (rocky.<hash>.v8cache beside it), so a command does not re-parse
// the 900 kB bundle: Node 20 caches no compiled code for modules by itself. Without a build it
// explains what to run instead of failing with a module error.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const bundle = join(dist, "rocky.cjs");
if (!existsSync(bundle)) {
  console.error("rocky: the CLI is not built yet. Run `npm run build` (or `npm install`, which builds it).");
  process.exit(2);
}
const source = readFileSync(bundle, "utf8");
// Named by the bundle's content: V8 checks a cache against the source's length only, not its text.
const cacheFile = join(dist, `rocky.${createHash("sha1").update(source).digest("hex").slice(0, 16)}.v8cache`);
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
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist);
