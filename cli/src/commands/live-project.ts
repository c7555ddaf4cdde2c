import { existsSync, type FSWatcher, mkdirSync, unlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CompileCache } from "../../../engine/src/compile/compile-cache.js";
import { recompileFiles } from "../../../engine/src/compile/compile-incremental.js";
import type { CompileOptions } from "../../../engine/src/compile/compile-project.js";
import type { CompileSnapshot } from "../../../engine/src/compile/snapshot.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { listProjectDir, projectDirSpecs, readProjectFile } from "../../../engine/src/project/read-project-dir.js";
import { compileInFull, compileWithSnapshot, keepRecompiled, snapshotKey } from "./warm-compile.js";

/**
 * A project kept compiled in memory while its files are watched: what `rocky compile --watch` prints
 * rounds of, and what the daemon (cli/src/daemon) answers `rocky compile` from. A change to model
 * files is an incremental compile from the in-memory snapshot (compile-incremental.ts): no stat of
 * every file, no snapshot to read, a JIT-warm compiler. Anything wider (a model added or removed,
 * rocky.toml, a reference added) compiles in full, with every unchanged model answered from the
 * cache. Each round keeps its snapshot and manifest in the cache, so the next plain `rocky compile`
 * starts warm.
 *
 * The layout is flat (models/*.sql with sidecars, contracts/, data/, schemas/), so the directories
 * are watched one by one with inotify: Node 20's recursive watch takes ~0.5 s to set up on 20,000
 * files and reports a change ~70 ms late.
 *
 * `sync()` answers "everything saved before now is compiled" without statting the project: it writes
 * a cookie file into a watched directory of its own and waits for that file's event. Node watches
 * every directory through one inotify queue, which delivers events in the order they happened, so
 * once the cookie's event is in, every earlier save's event is too (git's fsmonitor and watchman
 * sync the same way). A cookie that never arrives (a file system without inotify) falls back to
 * statting every file against the last manifest, as a fresh `rocky compile` does.
 */

/** Editors save in several events (truncate, write, rename): wait this long after the last one. */
const SETTLE_MS = 25;
/** How long a sync waits for its cookie's event before it stats the project instead. */
const COOKIE_WAIT_MS = 2000;

type Layout = { readonly modelsDir?: string; readonly contractsDir?: string };

export interface LiveState {
  readonly compiled: CompiledProject;
  readonly snapshot: CompileSnapshot;
  /** The project files the compile read. */
  readonly paths: ReadonlySet<string>;
}

export interface LiveRound {
  readonly trigger: "start" | "change";
  /** How it compiled: from the last run's snapshot, incrementally from memory, in full, or by statting every file (a sync whose cookie never came). */
  readonly mode: "from-last-run" | "incremental" | "full" | "statted";
  readonly changed: readonly string[];
  /** Why a change compiled in full. */
  readonly reason?: string;
  readonly ms: number;
}

export interface LiveProjectOptions {
  readonly root: string;
  readonly layout: Layout;
  /** The compile options; `cache` is the one the rounds share. */
  readonly options: CompileOptions & { readonly cache: CompileCache };
  /** A directory of the caller's where sync() writes its cookies; absent: sync() stats every file. */
  readonly cookieDir?: string;
  /** Called after every round that changed the state (not at start: start() returns the first). */
  readonly onRound?: (previous: LiveState, state: LiveState, round: LiveRound) => void;
  /** A round that failed: the project keeps its last state and goes on watching. */
  readonly onError?: (changed: readonly string[], error: unknown) => void;
  readonly log?: (text: string) => void;
  /**
   * When an incremental round's snapshot and manifest go to the cache (for the next plain `rocky
   * compile`): after each round (the default), or once no round has run for `persistAfterMs`, so a
   * round, and the request waiting on it, does not pay for writing a 10,000-model index.
   */
  readonly persistAfterMs?: number;
}

export class LiveProject {
  readonly root: string;
  readonly key: string;
  private readonly o: LiveProjectOptions;
  private current: LiveState | undefined;
  private watchers: FSWatcher[] = [];
  private cookieWatcher: FSWatcher | undefined;
  private readonly cookies = new Map<string, () => void>();
  private cookieCount = 0;
  private readonly pending = new Set<string>();
  /** A change the per-file path cannot take (a watched directory came or went, events were lost). */
  private wholeProject: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  /** Rounds wait for the first compile: what is saved while it runs is one round right after it. */
  private started = false;
  /** Models analysed since the last takeAnalysed(). */
  private analysed = 0;
  /** Files recompiled incrementally since the cache last got the snapshot (persistAfterMs). */
  private readonly unpersisted = new Set<string>();
  private persistTimer: NodeJS.Timeout | undefined;

  constructor(o: LiveProjectOptions) {
    this.o = o;
    this.root = o.root;
    this.key = snapshotKey(o.root, o.options);
  }

  get state(): LiveState {
    if (this.current === undefined) throw new Error("the live project has not started");
    return this.current;
  }

  /**
   * Watch, then compile (from the last run's snapshot when it can). Watching starts first: a save
   * made while the first compile runs is one round right after it, never missed.
   */
  async start(): Promise<{ state: LiveState; round: LiveRound }> {
    this.watchAll();
    this.watchCookies();
    const t0 = performance.now();
    let first: Awaited<ReturnType<typeof compileWithSnapshot>>;
    try {
      first = await compileWithSnapshot(this.root, this.o.layout, this.o.options, this.o.options.cache, this.o.log);
    } catch (error) {
      // Open watchers would keep the process alive after the error is reported.
      this.unwatch();
      throw error;
    }
    this.current = this.stateOf(first.compiled, first.files.keys());
    this.analysed += first.compiled.timings.analysed;
    this.started = true;
    if (this.pending.size > 0 || this.wholeProject !== undefined) this.schedule();
    return { state: this.current, round: { trigger: "start", mode: first.fromLastRun ? "from-last-run" : "full", changed: [], ms: performance.now() - t0 } };
  }

  /** Every save made before this call is compiled: the state as of now. */
  async sync(): Promise<LiveState> {
    if (!this.started) throw new Error("the live project has not started");
    const delivered = await this.cookie();
    if (!delivered) {
      this.o.log?.("rocky: the file watcher did not answer; statting every file\n");
      await this.settle();
      await this.round([], () => this.statted());
    }
    await this.settle();
    if (this.pending.size > 0 || this.wholeProject !== undefined) await this.drainNow();
    return this.state;
  }

  /** The number of models analysed since the last call (a daemon's answer says what it redid). */
  takeAnalysed(): number {
    const n = this.analysed;
    this.analysed = 0;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.unwatch();
    await this.running;
    this.persist();
  }

  /** Give the cache the snapshot of the rounds not yet kept (and the manifest of the files they read). */
  private persist(): void {
    if (this.persistTimer !== undefined) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.unpersisted.size === 0 || this.current === undefined) return;
    keepRecompiled(this.root, this.key, this.o.options.cache, this.current.snapshot, [...this.unpersisted]);
    this.unpersisted.clear();
  }

  private schedulePersist(): void {
    if (this.persistTimer !== undefined) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      // Still busy (a round running or due): the round's end schedules this again.
      if (this.running !== undefined || this.timer !== undefined || this.pending.size > 0) return;
      try {
        this.persist();
        void this.o.options.cache.flush().catch((error: unknown) => this.o.log?.(`rocky: the cache could not be written: ${error instanceof Error ? error.message : String(error)}\n`));
      } catch (error) {
        this.o.log?.(`rocky: the cache could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }, this.o.persistAfterMs);
    this.persistTimer.unref();
  }

  // ---- watching

  private unwatch(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.cookieWatcher?.close();
    this.cookieWatcher = undefined;
    for (const resolve of this.cookies.values()) resolve();
    this.cookies.clear();
  }

  private schedule(): void {
    if (this.closed || !this.started) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A round in progress takes what arrived meanwhile before it ends (drain loops).
      if (this.running === undefined) this.drainNow();
    }, SETTLE_MS);
  }

  private watchAll(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    const specs = projectDirSpecs(this.o.layout);
    const specDirs = new Set(specs.map(([dir]) => dir));
    for (const [dir, accept] of specs) {
      const abs = dir === "." ? this.root : `${this.root}/${dir}`;
      if (!existsSync(abs)) continue;
      try {
        const w = watch(abs, { persistent: true }, (_event, name) => {
          if (name === null) {
            this.wholeProject = "the file watcher lost events";
          } else {
            const path = dir === "." ? name : `${dir}/${name}`;
            if (specDirs.has(path)) this.wholeProject = `${path}/ appeared or went`;
            else if (accept(name)) this.pending.add(path);
            else return;
          }
          this.schedule();
        });
        w.on("error", () => {
          this.wholeProject = `${dir}/ is no longer watchable`;
          this.schedule();
        });
        this.watchers.push(w);
      } catch {
        // A directory that vanished between the check and the watch: the parent's event recompiles.
      }
    }
  }

  private watchCookies(): void {
    const dir = this.o.cookieDir;
    if (dir === undefined) return;
    try {
      mkdirSync(dir, { recursive: true });
      this.cookieWatcher = watch(dir, { persistent: false }, (_event, name) => {
        const resolve = name === null ? undefined : this.cookies.get(name);
        if (resolve === undefined) return;
        this.cookies.delete(name as string);
        resolve();
      });
      this.cookieWatcher.on("error", () => {
        this.cookieWatcher = undefined;
      });
    } catch {
      // Not writable or not watchable: sync() stats instead.
      this.cookieWatcher = undefined;
    }
  }

  /** Write a cookie and wait for its event: true once every earlier event has been taken. */
  private async cookie(): Promise<boolean> {
    const dir = this.o.cookieDir;
    if (dir === undefined || this.cookieWatcher === undefined) return false;
    const name = `cookie-${process.pid}-${++this.cookieCount}`;
    const file = join(dir, name);
    let timer: NodeJS.Timeout | undefined;
    const seen = new Promise<boolean>((resolve) => {
      this.cookies.set(name, () => resolve(true));
      timer = setTimeout(() => resolve(false), COOKIE_WAIT_MS);
    });
    try {
      writeFileSync(file, "");
    } catch {
      this.cookies.delete(name);
      clearTimeout(timer);
      return false;
    }
    const delivered = await seen;
    clearTimeout(timer);
    this.cookies.delete(name);
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to tidy.
    }
    return delivered;
  }

  // ---- rounds

  /** Wait for a round in progress (which takes what arrived meanwhile) and cancel the settle timer. */
  private async settle(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.running !== undefined) await this.running;
  }

  private drainNow(): Promise<void> {
    if (this.running === undefined) this.running = this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** One round per batch of settled changes, until none is left. */
  private async drain(): Promise<void> {
    while (!this.closed && (this.pending.size > 0 || this.wholeProject !== undefined)) {
      const changed = [...this.pending].sort();
      this.pending.clear();
      const reason = this.wholeProject;
      this.wholeProject = undefined;
      await this.round(changed, async () => {
        if (reason !== undefined) this.watchAll();
        const attempt = reason === undefined ? this.incremental(changed) : { reason };
        if (attempt.state !== undefined) return { state: attempt.state, mode: "incremental" as const };
        this.o.log?.(`rocky: compiling in full: ${attempt.reason}\n`);
        return { state: await this.full(), mode: "full" as const, reason: attempt.reason };
      });
    }
  }

  /** Run one round: the new state, counted and reported; a failure is reported and the old state kept. */
  private async round(changed: readonly string[], compute: () => Promise<{ state: LiveState; mode: LiveRound["mode"]; reason?: string }>): Promise<void> {
    const previous = this.state;
    const t = performance.now();
    try {
      const { state, mode, reason } = await compute();
      this.current = state;
      if (state !== previous) this.analysed += state.compiled.timings.analysed;
      this.o.onRound?.(previous, state, { trigger: "change", mode, changed, ...(reason !== undefined ? { reason } : {}), ms: performance.now() - t });
    } catch (error) {
      this.o.onError?.(changed, error);
    }
  }

  private stateOf(compiled: CompiledProject, paths: Iterable<string>): LiveState {
    if (compiled.snapshot === undefined) throw new Error("a watched compile kept no snapshot");
    return { compiled, snapshot: compiled.snapshot as CompileSnapshot, paths: paths instanceof Set ? paths : new Set(paths) };
  }

  private async full(): Promise<LiveState> {
    // A full compile keeps its own snapshot and manifest: the rounds before it need not be kept.
    this.unpersisted.clear();
    const { files, compiled } = await compileInFull(this.root, this.o.layout, this.key, this.o.options, this.o.options.cache);
    return this.stateOf(compiled, files.keys());
  }

  /** The stat-based warm compile a fresh `rocky compile` runs, for a sync that could not trust the watcher. */
  private async statted(): Promise<{ state: LiveState; mode: "statted" }> {
    // The manifest it stats against must describe the state in memory.
    this.persist();
    const { files, compiled, fromLastRun } = await compileWithSnapshot(this.root, this.o.layout, this.o.options, this.o.options.cache, this.o.log);
    // Nothing changed since the manifest the rounds keep: the state in memory is the project as it is.
    if (fromLastRun && compiled.timings.analysed === 0) return { state: this.state, mode: "statted" };
    return { state: this.stateOf(compiled, files.keys()), mode: "statted" };
  }

  /** Recompile the changed model files from the in-memory snapshot; a reason when it must be a full compile. */
  private incremental(changed: readonly string[]): { state: LiveState; reason?: undefined } | { state?: undefined; reason: string } {
    const state = this.state;
    const unknown = changed.filter((p) => !state.paths.has(p));
    if (unknown.length > 0) {
      // A new file, or an editor's rename: the project changed shape only if the listing did.
      const listing = listProjectDir(this.root, this.o.layout).map((e) => e[0]);
      if (listing.length !== state.paths.size || listing.some((p) => !state.paths.has(p))) return { reason: `${unknown[0]} was added or removed` };
    }
    const known = changed.filter((p) => state.paths.has(p));
    if (known.length === 0) return { state };
    const gone = known.find((p) => !existsSync(`${this.root}/${p}`));
    if (gone !== undefined) return { reason: `${gone} was removed` };
    const result = recompileFiles(state.snapshot, known, (f) => readProjectFile(`${this.root}/${f}`), this.o.options);
    if (result.compiled === undefined) return { reason: result.reason };
    if (this.o.persistAfterMs === undefined) {
      keepRecompiled(this.root, this.key, this.o.options.cache, result.compiled.snapshot as CompileSnapshot, known);
    } else {
      for (const p of known) this.unpersisted.add(p);
      this.schedulePersist();
    }
    return { state: this.stateOf(result.compiled, state.paths) };
  }
}
