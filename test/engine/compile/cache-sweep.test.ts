import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
// @ts-expect-error -- plain JS (no types) so `npm run bench` needs no build step
import { generateProject } from "../../../bench/generate-project.mjs";
import { filesToRead, recompileChanged } from "../../../engine/src/compile/compile-incremental.js";
import { type CompileOptions, compileProject } from "../../../engine/src/compile/compile-project.js";
import { type LmdbCompileCache, type LmdbCompileCacheOptions, openLmdbCompileCache } from "../../../engine/src/compile/lmdb-compile-cache.js";
import { type CompileSnapshot, SNAPSHOT_VERSION, unchangedProject } from "../../../engine/src/compile/snapshot.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";

/**
 * The compile cache's sweep (lmdb-compile-cache.ts): what no kept snapshot reaches is condemned,
 * then deleted by a later sweep once the grace period has passed; what a kept snapshot reaches (in
 * its current or its replaced generation) stays; a compile after the sweep is still right.
 */

const dirs: string[] = [];
const opened: LmdbCompileCache[] = [];
after(async () => {
  // A failed assertion leaves its cache open: close it, or the process waits on it.
  for (const c of opened) await c.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const GRACE = 10_000;

async function open(clock: { t: number }, extra: LmdbCompileCacheOptions = {}, dir?: string): Promise<{ cache: LmdbCompileCache; dir: string }> {
  const at = dir ?? mkdtempSync(join(tmpdir(), "rocky-cache-sweep-"));
  if (dir === undefined) dirs.push(at);
  const cache = await openLmdbCompileCache(at, { now: () => clock.t, graceMs: GRACE, sweepEvery: 1e9, ...extra });
  opened.push(cache);
  return { cache, dir: at };
}

const files = generateProject(80, 7) as Map<string, string>;
const stg = [...files.keys()].filter((f) => /models\/stg_\d+\.sql$/.test(f));
const edit = (text: string, to: string) => {
  const out = text.replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, '${to}')`);
  assert.notEqual(out, text);
  return out;
};
const options = (cache: LmdbCompileCache): CompileOptions & { cache: LmdbCompileCache } => ({ env: {}, vars: {}, cache, snapshot: true });

/** What a compile says, comparably: every model's columns with lineage, row-level inputs, and every finding. */
function picture(c: CompiledProject): string {
  const models = [...c.models.values()].map((m) => ({ name: m.name, columns: m.columns, rowLevel: m.rowLevel, layer: m.layer, config: m.config }));
  return JSON.stringify({ models, diagnostics: sortDiagnostics(c.diagnostics) });
}

/** The head after an edit of `file`, recompiled from `s` (the way a review compiles a PR's head). */
function recompile(s: CompileSnapshot, cache: LmdbCompileCache, edited: Map<string, string>, file: string): CompiledProject {
  const needed = filesToRead(s, [file])!;
  const result = recompileChanged(s, [file], new Map(needed.map((f) => [f, edited.get(f) ?? null])), options(cache));
  assert.ok(result.compiled !== undefined, result.reason);
  return result.compiled;
}

/** Reads every record the snapshot refers to (its sources, syntax and analysis entries): throws if one is gone. */
function readAll(cache: LmdbCompileCache, key: string): void {
  const s = cache.getSnapshot!(key);
  assert.ok(s !== undefined, `snapshot ${key} is there`);
  for (const m of s.models) {
    assert.equal(m.source.name, m.name);
    assert.ok(cache.getSyntax(m.syntaxKey) !== undefined, `syntax of ${m.name}`);
    if (m.analysisKey !== null) assert.ok(cache.getAnalysis(m.analysisKey) !== undefined, `analysis of ${m.name}`);
  }
  assert.ok(s.rawSources.size >= 0);
}

// A bound on each test: an lmdb environment a failed assertion left open must not hold CI for its 90 minutes.
describe("compile cache sweep", { timeout: 120_000 }, () => {
  it("drops what no kept snapshot reaches a grace period after finding it, keeps what one reaches, and compiles right afterwards", async () => {
    const clock = { t: 1_000_000 };
    const { cache, dir } = await open(clock);
    const base = await compileProject(files, options(cache));
    cache.putSnapshot!("base", base.snapshot!);
    // Three PR heads reviewed from the base: their analyses are written, no snapshot keeps them.
    const heads: string[] = [];
    for (const [i, file] of stg.slice(0, 3).entries()) {
      const head = recompile(base.snapshot!, cache, new Map(files).set(file, edit(files.get(file)!, `pr-${i}`)), file);
      heads.push(...[...head.snapshot!.models].filter((m, j) => m !== base.snapshot!.models[j] && m.analysisKey !== null).map((m) => m.analysisKey!));
    }
    await cache.flush();
    const unreachable = heads.filter((k) => !base.snapshot!.models.some((m) => m.analysisKey === k));
    assert.ok(unreachable.length >= 3, "each head re-typed its edited model at least");
    for (const k of unreachable) assert.ok(cache.getAnalysis(k) !== undefined);
    const before = cache.stats().entries;

    const first = cache.sweep();
    assert.equal(first.deleted, 0, "nothing deleted the first time it is found unreachable");
    assert.ok(first.condemned >= unreachable.length, `${first.condemned} condemned`);
    clock.t += GRACE - 1;
    assert.equal(cache.sweep().deleted, 0, "still within the grace period");
    for (const k of unreachable) assert.ok(cache.getAnalysis(k) !== undefined);
    clock.t += 2;
    const third = cache.sweep();
    assert.equal(third.deleted, first.condemned, "every condemned entry goes once the grace period has passed");
    for (const k of unreachable) assert.equal(cache.getAnalysis(k), undefined, "a head's analysis no snapshot keeps is gone");
    assert.ok(cache.stats().entries["analysis-v1"] < before["analysis-v1"]);
    readAll(cache, "base");
    await cache.close();

    // A fresh process: the kept base answers unchanged, and a PR head recompiled from it is what a cold compile says.
    const again = (await open(clock, {}, dir)).cache;
    const s = again.getSnapshot!("base")!;
    assert.equal(picture(unchangedProject(s, again)), picture(await compileProject(files, { env: {}, vars: {} })));
    const file = stg[0];
    const edited = new Map(files).set(file, edit(files.get(file)!, "pr-0"));
    assert.equal(picture(recompile(s, again, edited, file)), picture(await compileProject(edited, { env: {}, vars: {} })));
    await again.close();
  });

  it("keeps both generations of a replaced snapshot, and drops the older one's entries only after the next replacement", async () => {
    const clock = { t: 5_000_000 };
    const { cache } = await open(clock);
    const file = stg[1];
    let text = files.get(file)!;
    let s = (await compileProject(files, options(cache))).snapshot!;
    cache.putSnapshot!("dir", s);
    const at = s.models.findIndex((m) => m.file === file);
    const gen0 = s.models[at].analysisKey!;
    const step = (to: string) => {
      text = edit(text, to);
      s = recompile(cache.getSnapshot!("dir")!, cache, new Map(files).set(file, text), file).snapshot!;
      cache.putSnapshot!("dir", s);
    };
    step("one");
    assert.notEqual(s.models[at].analysisKey, gen0);
    cache.sweep();
    clock.t += GRACE + 1;
    cache.sweep();
    assert.ok(cache.getAnalysis(gen0) !== undefined, "the replaced generation's analysis stays (a compile may still read it)");
    step("two");
    cache.sweep();
    clock.t += GRACE + 1;
    cache.sweep();
    assert.equal(cache.getAnalysis(gen0), undefined, "two generations back: gone");
    readAll(cache, "dir");
    await cache.close();
  });

  it("a dropped snapshot stays readable for whoever read it, until a sweep a grace period later", async () => {
    const clock = { t: 9_000_000 };
    const { cache } = await open(clock);
    const compiled = await compileProject(files, options(cache));
    cache.putSnapshot!("tree:a", compiled.snapshot!);
    await cache.flush();
    // A review reads the base snapshot; another one (in this process or another) drops it meanwhile.
    const reading = cache.getSnapshot!("tree:a")!;
    cache.dropSnapshot!("tree:a");
    assert.equal(cache.getSnapshot!("tree:a"), undefined, "nobody finds it any more");
    await cache.flush();
    cache.sweep();
    // Read lazily after the drop: sources, schemas, analyses.
    assert.equal(picture(unchangedProject(reading, cache)), picture(compiled));
    for (const m of reading.models) assert.equal(m.source.name, m.name);
    clock.t += GRACE + 1;
    const later = cache.sweep();
    assert.ok(later.deleted > 0);
    assert.equal(cache.stats().entries["analysis-v1"], 0, "nothing keeps any analysis now");
    assert.equal(cache.stats().entries["syntax-v1"], 0);
    await cache.close();
  });

  it("a snapshot made from another (a moved base recompiled from the last one) shares its models' sources, which outlive the one dropped", async () => {
    const clock = { t: 15_000_000 };
    const { cache } = await open(clock);
    const compiled = await compileProject(files, options(cache));
    cache.putSnapshot!("tree:a", compiled.snapshot!);
    await cache.flush();
    const entries = () => cache.stats().entries[`snapshot-v${SNAPSHOT_VERSION}`];
    const before = entries();
    const file = stg[0];
    const edited = new Map(files).set(file, edit(files.get(file)!, "moved-on"));
    const moved = recompile(cache.getSnapshot!("tree:a")!, cache, edited, file);
    cache.putSnapshot!("tree:b", moved.snapshot!);
    await cache.flush();
    const models = compiled.snapshot!.models.length;
    // Its own index, chunks and schemas, and one new source: not a second copy of every model's.
    assert.ok(entries() - before < models / 2, `${entries() - before} records added for ${models} models`);
    cache.dropSnapshot!("tree:a");
    await cache.flush();
    cache.sweep();
    clock.t += GRACE + 1;
    cache.sweep();
    readAll(cache, "tree:b");
    assert.equal(picture(unchangedProject(cache.getSnapshot!("tree:b")!, cache)), picture(await compileProject(edited, { env: {}, vars: {} })));
    await cache.close();
  });

  it("keeps the most recently used snapshots and shell records within their caps, and records named after a kept snapshot", async () => {
    const clock = { t: 20_000_000 };
    const { cache } = await open(clock, { maxSnapshots: 1, maxRecords: 2 });
    const compiled = await compileProject(files, options(cache));
    cache.putSnapshot!("old", compiled.snapshot!);
    cache.putRecord!("manifest:old", { n: 1 });
    clock.t += GRACE * 3;
    cache.putSnapshot!("new", compiled.snapshot!);
    cache.putRecord!("manifest:new", { n: 2 });
    for (const [i, k] of ["r1", "r2", "r3"].entries()) {
      clock.t += 1000;
      cache.putRecord!(k, { i });
    }
    await cache.flush();
    clock.t += GRACE * 3;
    // "new" is read now (its use stamped), "old" was last used long ago.
    assert.ok(cache.getSnapshot!("new") !== undefined);
    await cache.flush();
    const first = cache.sweep();
    assert.deepEqual(first.snapshotsDropped, ["old"]);
    assert.equal(cache.getSnapshot!("old"), undefined);
    clock.t += GRACE + 1;
    cache.sweep();
    assert.deepEqual(
      ["manifest:old", "manifest:new", "r1", "r2", "r3"].map((k) => cache.getRecord!(k) !== undefined),
      [false, true, false, true, true],
      "the record of the dropped snapshot and the least recently used beyond the cap go",
    );
    readAll(cache, "new");
    await cache.close();
  });

  it("sweeps by itself at a flush once enough entries were written, and drops databases of an older cache version", async () => {
    const clock = { t: 30_000_000 };
    const dir = mkdtempSync(join(tmpdir(), "rocky-cache-sweep-"));
    dirs.push(dir);
    const { open: openEnv } = await import("lmdb");
    const old = openEnv({ path: dir, compression: false, maxDbs: 16 });
    old.openDB({ name: "analysis-v0" }).putSync("x", { stale: true });
    await old.close();
    const { cache } = await open(clock, { sweepEvery: 3, sweepRatio: 0.01 }, dir);
    cache.putSnapshot!("dir", (await compileProject(files, options(cache))).snapshot!);
    await cache.flush();
    assert.equal(cache.sweep().generation, 1, "a first compile (its flush is most of the store) does not sweep");
    const edited = new Map(files);
    for (const [i, f] of stg.slice(0, 3).entries()) edited.set(f, edit(files.get(f)!, `sweep-${i}`));
    await compileProject(edited, options(cache));
    await cache.flush();
    assert.equal(cache.sweep().generation, 2, "no sweep sooner than half the grace period after the last one");
    clock.t += GRACE / 2;
    for (const [i, f] of stg.slice(0, 3).entries()) edited.set(f, edit(files.get(f)!, `again-${i}`));
    const later = await compileProject(edited, options(cache));
    await cache.flush();
    clock.t += GRACE + 1;
    assert.equal(cache.sweep().generation, 4, "three models re-compiled later: their flush swept (generation 3)");
    // What that flush wrote was not condemned by its own sweep (the snapshot that keeps it comes after): still here.
    const fresh = later.snapshot!.models.filter((m) => stg.slice(0, 3).includes(m.file)).map((m) => m.analysisKey!);
    assert.equal(fresh.length, 3);
    for (const k of fresh) assert.ok(cache.getAnalysis(k) !== undefined);
    const names = async () => {
      const probe = openEnv({ path: dir, readOnly: true, maxDbs: 16 });
      const out = [...probe.getKeys()].map(String);
      await probe.close();
      return out;
    };
    assert.ok(!(await names()).includes("analysis-v0"), "the older version's database is gone");
    await cache.close();
  });

  it("writes a snapshot's records ahead and its index last: a flush that fails in its last transaction leaves no snapshot to find", async () => {
    const clock = { t: 40_000_000 };
    const { cache, dir } = await open(clock);
    // 300 models: more records than one transaction ahead takes.
    const big = generateProject(300, 7) as Map<string, string>;
    const compiled = await compileProject(big, options(cache));
    cache.putSnapshot!("dir", compiled.snapshot!);
    // Shell records go in the last transaction: one that cannot be encoded makes it fail.
    cache.putRecord!("manifest:dir", { unencodable: Symbol("x") });
    await assert.rejects(cache.flush());
    const { open: openEnv } = await import("lmdb");
    const probe = openEnv({ path: dir, readOnly: true, maxDbs: 16 });
    const keys = [...probe.openDB({ name: `snapshot-v${SNAPSHOT_VERSION}` }).getKeys()].map(String);
    const bodies = keys.filter((k) => k.startsWith("body:")).length;
    assert.equal(bodies, 300, "every model's source record was written ahead");
    assert.ok(keys.some((k) => k.startsWith("chunk:")));
    assert.deepEqual(keys.filter((k) => k.startsWith("snapshot:") || k.startsWith("chunks:")), [], "but not the index that reaches them");
    await probe.close();
    // The same flush with the record mended writes the rest: the snapshot is whole.
    cache.putRecord!("manifest:dir", { version: 0 });
    await cache.flush();
    readAll(cache, "dir");
    assert.equal(cache.getSnapshot!("dir")!.models.length, 300);
    await cache.close();
  });
});
