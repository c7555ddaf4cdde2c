import { type Stats, statSync } from "node:fs";
import type { CompileCache } from "../../../engine/src/compile/compile-cache.js";
import { ownersOf, recompileFiles } from "../../../engine/src/compile/compile-incremental.js";
import { type CompileOptions, compileOptionsIdentity, compileProject, globalHashOf } from "../../../engine/src/compile/compile-project.js";
import { type CompileSnapshot, snapshotMatchesEnv, unchangedProject } from "../../../engine/src/compile/snapshot.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { lazyProjectFiles } from "../../../engine/src/project/lazy-project-files.js";
import { listProjectDir, readProjectDir, readProjectFile } from "../../../engine/src/project/read-project-dir.js";
import { sha1Hex } from "../../../engine/src/util/sha1.js";
import { isUnreadable, type ProjectFiles, type ProjectFileText } from "../../../engine/src/project/types.js";

/**
 * The CLI's warm compile: the last compile of this directory left a snapshot and a manifest of the
 * files it read (size, mtime, inode). The next compile stats those files instead of reading them;
 * when nothing changed it answers from the snapshot, when only model files changed it recompiles
 * those (compile-incremental.ts), and otherwise it compiles in full. A file written within two
 * seconds of the manifest is recorded as unknown, so an edit in the same clock tick is never missed
 * (git's "racily clean" rule).
 */

type Layout = { modelsDir?: string; contractsDir?: string };

interface Manifest {
  readonly version: 2;
  /** The project-relative paths in the order listProjectDir walks them, joined by newlines. */
  readonly paths: string;
  /** Per path: size, mtime (ms) and inode as float64 bytes; NaN when unknown (racy, unreadable, or read without text). */
  readonly stats: Uint8Array;
}

const RACY_MS = 2000;

function recordStat(out: Float64Array, i: number, st: Stats | undefined, now: number): void {
  const racy = st === undefined || st.mtimeMs >= now - RACY_MS;
  out[i * 3] = racy ? Number.NaN : st.size;
  out[i * 3 + 1] = racy ? Number.NaN : st.mtimeMs;
  out[i * 3 + 2] = racy ? Number.NaN : st.ino;
}

/** Unchanged since recorded (NaN never equals, so a racy or unknown entry always reads as changed). */
function sameStat(stats: Float64Array, i: number, st: Stats): boolean {
  return stats[i * 3] === st.size && stats[i * 3 + 1] === st.mtimeMs && stats[i * 3 + 2] === st.ino;
}

function manifestStats(manifest: Manifest): Float64Array {
  return new Float64Array(manifest.stats.buffer.slice(manifest.stats.byteOffset, manifest.stats.byteOffset + manifest.stats.byteLength));
}

/** Each manifest path's place, for the last manifest asked about (`rocky compile --watch` asks after every save). */
let lastIndex: { paths: string; at: ReadonlyMap<string, number> } | undefined;
function pathIndex(paths: string): ReadonlyMap<string, number> {
  if (lastIndex?.paths !== paths) lastIndex = { paths, at: new Map(paths.split("\n").map((p, i) => [p, i])) };
  return lastIndex.at;
}

/**
 * After an incremental compile: keep its snapshot, and record the stats of the files it read anew in
 * the manifest (the rest of the manifest still describes the files the snapshot was built from).
 */
export function keepRecompiled(root: string, key: string, cache: CompileCache, snapshot: CompileSnapshot, changed: readonly string[], manifest = cache.getRecord?.(`manifest:${key}`) as Manifest | undefined, stats = manifest?.version === 2 ? manifestStats(manifest) : undefined): void {
  cache.putSnapshot?.(key, snapshot);
  if (manifest?.version !== 2 || stats === undefined) return;
  const at = pathIndex(manifest.paths);
  const now = Date.now();
  for (const p of changed) {
    const i = at.get(p);
    if (i !== undefined) recordStat(stats, i, statSync(`${root}/${p}`, { throwIfNoEntry: false }), now);
  }
  cache.putRecord?.(`manifest:${key}`, { version: 2, paths: manifest.paths, stats: new Uint8Array(stats.buffer) } satisfies Manifest);
}

/** Which snapshot a compile of `root` with these options may start from. */
export function snapshotKey(root: string, options: CompileOptions): string {
  return `dir:${sha1Hex(`${root}\0${compileOptionsIdentity(options)}`)}`;
}


/** Compile from the last run's snapshot, or undefined when a full compile is needed. */
export function compileFromLastRun(root: string, layout: Layout, key: string, options: CompileOptions, cache: CompileCache, log?: (text: string) => void): { files: ProjectFiles; compiled: CompiledProject } | undefined {
  const t0 = performance.now();
  const mark = (what: string) => log?.(`rocky: warm ${what} at ${(performance.now() - t0).toFixed(1)} ms\n`);
  const manifest = cache.getRecord?.(`manifest:${key}`) as Manifest | undefined;
  if (manifest?.version !== 2) return undefined;
  const recorded = manifestStats(manifest);
  // The same files in the same walk order, or compile in full (a model added or removed changes the DAG).
  const listing = listProjectDir(root, layout);
  const paths = listing.map((e) => e[0]);
  if (paths.join("\n") !== manifest.paths) return undefined;
  mark("listed");
  const changed: string[] = [];
  for (let i = 0; i < listing.length; i++) {
    const st = statSync(listing[i][1], { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) return undefined;
    if (!sameStat(recorded, i, st)) changed.push(listing[i][0]);
  }
  mark("statted");
  const snapshot = cache.getSnapshot?.(key);
  if (snapshot === undefined || !snapshotMatchesEnv(snapshot, options.env)) return undefined;
  mark("snapshot read");
  // The text renderer asks for the few files its findings point into.
  const files = lazyProjectFiles(paths, (p) => readProjectFile(`${root}/${p}`));
  if (changed.length === 0) {
    return { files, compiled: unchangedProject(snapshot, cache, Math.round((performance.now() - t0) * 100) / 100) };
  }

  const owners = ownersOf(snapshot, changed);
  const modelChanged = changed.filter((p) => owners.has(p));
  if (modelChanged.length < changed.length) {
    // A file no model owns was touched: go on only if none of them changed in content.
    const globals = new Map<string, ProjectFileText>();
    for (const f of snapshot.globalFiles) globals.set(f, files.get(f) ?? null);
    if (globalHashOf(globals, new Map()) !== snapshot.globalHash) return undefined;
  }
  // Past a few dozen changed models (a branch switch, a fresh copy), a full compile is the cheaper road.
  if (modelChanged.length > Math.max(40, snapshot.models.length / 50)) return undefined;
  const result = recompileFiles(snapshot, modelChanged, (f) => files.get(f) ?? null, { ...options, cache });
  mark("read and recompiled");
  if (result.compiled === undefined) {
    log?.(`rocky: compiling in full: ${result.reason}\n`);
    return undefined;
  }
  keepRecompiled(root, key, cache, result.compiled.snapshot as CompileSnapshot, changed, manifest, recorded);
  mark("snapshot written");
  const compiled = withTimings(result.compiled, { ...result.compiled.timings, total_ms: Math.round((performance.now() - t0) * 100) / 100 });
  return { files, compiled };
}

/**
 * The same compiled project with other timings. Not a spread: the project and its findings are read
 * lazily through accessors a spread would call.
 */
export function withTimings(compiled: CompiledProject, timings: CompiledProject["timings"]): CompiledProject {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(compiled), timings: { value: timings, enumerable: true } }) as CompiledProject;
}

/**
 * Compile `root` starting from the last run's snapshot when it can (compileFromLastRun), otherwise
 * in full, keeping the result's snapshot and manifest for the next run. A cache that cannot answer
 * (records missing, damaged) costs a full compile, never a wrong one.
 */
export async function compileWithSnapshot(root: string, layout: Layout, options: CompileOptions, cache: CompileCache, log?: (text: string) => void): Promise<{ files: ProjectFiles; compiled: CompiledProject; fromLastRun: boolean }> {
  const key = snapshotKey(root, options);
  let again: ReturnType<typeof compileFromLastRun>;
  try {
    again = compileFromLastRun(root, layout, key, options, cache, log);
  } catch (error) {
    log?.(`rocky: compiling in full: the cache could not answer (${error instanceof Error ? error.message : String(error)})\n`);
    again = undefined;
  }
  if (again !== undefined) return { ...again, fromLastRun: true };
  return { ...(await compileInFull(root, layout, key, options, cache)), fromLastRun: false };
}

/** A full compile of `root` that keeps its snapshot and manifest, and flushes the cache. */
export async function compileInFull(root: string, layout: Layout, key: string, options: CompileOptions, cache: CompileCache): Promise<{ files: ProjectFiles; compiled: CompiledProject }> {
  const files = readProjectDir(root, layout);
  const compiled = await compileProject(files, { ...options, cache, snapshot: true });
  keepSnapshot(root, key, files, compiled, cache);
  await cache.flush();
  return { files, compiled };
}

/** After a full compile: keep its snapshot and the manifest of the files it read. */
function keepSnapshot(root: string, key: string, files: ProjectFiles, compiled: CompiledProject, cache: CompileCache): void {
  if (compiled.snapshot === undefined || cache.putSnapshot === undefined || cache.putRecord === undefined) return;
  const paths = [...files.keys()];
  const now = Date.now();
  const stats = new Float64Array(paths.length * 3);
  // A file without text is recorded as unknown, so the next compile reads it again: a chmod that makes it readable changes no mtime.
  paths.forEach((p, i) => recordStat(stats, i, isUnreadable(files.get(p)) ? undefined : statSync(`${root}/${p}`, { throwIfNoEntry: false }), now));
  cache.putSnapshot(key, compiled.snapshot);
  cache.putRecord(`manifest:${key}`, { version: 2, paths: paths.join("\n"), stats: new Uint8Array(stats.buffer) } satisfies Manifest);
}
