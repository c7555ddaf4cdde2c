import { existsSync, type FSWatcher, watch } from "node:fs";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { recompileFiles } from "../../../engine/src/compile/compile-incremental.js";
import { type CompileSnapshot, snapshotDiagnostics } from "../../../engine/src/compile/snapshot.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { countBySeverity, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { lazyProjectFiles } from "../../../engine/src/project/lazy-project-files.js";
import { listProjectDir, projectDirSpecs, readProjectFile } from "../../../engine/src/project/read-project-dir.js";
import { VERSION } from "../../../engine/src/version.js";
import { type CliIo, type ParsedCommand, str, UsageError } from "../io.js";
import { cacheDebugLog, compileSetup } from "./compile-dir.js";
import { compileInFull, compileWithSnapshot, keepRecompiled, snapshotKey } from "./warm-compile.js";

/**
 * `rocky compile --watch`: compile once, then keep the compiled project in memory and recompile
 * when a project file changes, printing what the change introduced and what it fixed. A change to
 * model files is an incremental compile from the in-memory snapshot (compile-incremental.ts): no
 * stat of every file, no snapshot to read, a JIT-warm compiler. Anything wider (a model added or
 * removed, rocky.toml, a reference added) compiles in full, with every unchanged model answered
 * from the cache. Each round keeps its snapshot and manifest in the cache, so the next plain
 * `rocky compile` starts warm. A round that fails says why on stderr and the watch goes on.
 *
 * The layout is flat (models/*.sql with sidecars, contracts/, data/, schemas/), so the directories
 * are watched one by one with inotify: Node 20's recursive watch takes ~0.5 s to set up on 20,000
 * files and reports a change ~70 ms late.
 */

/** Editors save in several events (truncate, write, rename): wait this long after the last one. */
const SETTLE_MS = 25;

type Format = "text" | "json";

interface State {
  readonly compiled: CompiledProject;
  readonly snapshot: CompileSnapshot;
  /** The project files the compile read. */
  readonly paths: ReadonlySet<string>;
}

interface Round {
  readonly trigger: "start" | "change";
  /** How it compiled: from the last run's snapshot, incrementally from memory, or in full. */
  readonly mode: "from-last-run" | "incremental" | "full";
  readonly changed: readonly string[];
  /** Why a change compiled in full. */
  readonly reason?: string;
  readonly ms: number;
}

export function diagnosticKey(d: Diagnostic): string {
  return `${d.severity}\0${d.code}\0${d.model ?? ""}\0${d.span?.file ?? ""}:${d.span?.line ?? 0}:${d.span?.col ?? 0}\0${d.message}`;
}

export async function watchCompile(cmd: ParsedCommand, io: CliIo, format: Format): Promise<number> {
  if (io.interrupted === undefined) throw new UsageError("--watch needs a shell that can be interrupted (Ctrl-C)");
  const stopped = io.interrupted();
  const setup = await compileSetup(cmd, io);
  const { root, layout } = setup;
  // Without the lmdb cache (--no-cache) the rounds share one in memory.
  const cache = setup.cache ?? createMemoryCompileCache();
  const options = { ...setup.options, cache };
  const key = snapshotKey(root, setup.options);
  const only = str(cmd, "model");
  const log = cacheDebugLog(io);

  const stateOf = (compiled: CompiledProject, paths: Iterable<string>): State => {
    if (compiled.snapshot === undefined) throw new Error("a watched compile kept no snapshot");
    return { compiled, snapshot: compiled.snapshot as CompileSnapshot, paths: paths instanceof Set ? paths : new Set(paths) };
  };
  const full = async (): Promise<State> => {
    const { files, compiled } = await compileInFull(root, layout, key, options, cache);
    return stateOf(compiled, files.keys());
  };

  let state: State;
  const report = (previous: State | undefined, round: Round) => {
    const out = describeRound(previous, state, round, only);
    io.stdout(format === "json" ? `${JSON.stringify(out.json)}\n` : renderRound(out, root, state, io.isTty));
  };

  // ---- the watchers, and the queue of changed paths
  const specs = projectDirSpecs(layout);
  const specDirs = new Set(specs.map(([dir]) => dir));
  let watchers: FSWatcher[] = [];
  const pending = new Set<string>();
  /** A change the per-file path cannot take (a watched directory came or went, events were lost). */
  let wholeProject: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  /** Rounds wait for the first compile: what is saved while it runs is one round right after it. */
  let started = false;

  const schedule = () => {
    if (closed || !started) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // A round in progress takes what arrived meanwhile before it ends (drain loops).
      if (running === undefined) running = drain().finally(() => (running = undefined));
    }, SETTLE_MS);
  };
  const watchAll = () => {
    for (const w of watchers) w.close();
    watchers = [];
    for (const [dir, accept] of specs) {
      const abs = dir === "." ? root : `${root}/${dir}`;
      if (!existsSync(abs)) continue;
      try {
        const w = watch(abs, { persistent: true }, (_event, name) => {
          if (name === null) {
            wholeProject = "the file watcher lost events";
          } else {
            const path = dir === "." ? name : `${dir}/${name}`;
            if (specDirs.has(path)) wholeProject = `${path}/ appeared or went`;
            else if (accept(name)) pending.add(path);
            else return;
          }
          schedule();
        });
        w.on("error", () => {
          wholeProject = `${dir}/ is no longer watchable`;
          schedule();
        });
        watchers.push(w);
      } catch {
        // A directory that vanished between the check and the watch: the parent's event recompiles.
      }
    }
  };
  // Watching starts before the first compile and before the line that says so: a save made as soon
  // as that line appears (or while the compile runs) is never missed.
  watchAll();
  const t0 = performance.now();
  let first: Awaited<ReturnType<typeof compileWithSnapshot>>;
  try {
    first = await compileWithSnapshot(root, layout, options, cache, log);
  } catch (error) {
    // Open watchers would keep the process alive after the error is reported.
    for (const w of watchers) w.close();
    throw error;
  }
  state = stateOf(first.compiled, first.files.keys());
  report(undefined, { trigger: "start", mode: first.fromLastRun ? "from-last-run" : "full", changed: [], ms: performance.now() - t0 });
  started = true;
  if (pending.size > 0 || wholeProject !== undefined) schedule();

  /** One round per batch of settled changes, until none is left. */
  const drain = async (): Promise<void> => {
    while (!closed && (pending.size > 0 || wholeProject !== undefined)) {
      const changed = [...pending].sort();
      pending.clear();
      let reason = wholeProject;
      wholeProject = undefined;
      const previous = state;
      const t = performance.now();
      try {
        if (reason !== undefined) watchAll();
        let mode: Round["mode"] = "incremental";
        if (reason === undefined) {
          const attempt = incremental(changed);
          if (attempt.state !== undefined) state = attempt.state;
          else reason = attempt.reason;
        }
        if (reason !== undefined) {
          mode = "full";
          log?.(`rocky: compiling in full: ${reason}\n`);
          state = await full();
        }
        report(previous, { trigger: "change", mode, changed, ...(reason !== undefined ? { reason } : {}), ms: performance.now() - t });
      } catch (error) {
        io.stderr(`rocky: the compile after ${changed.join(", ") || "a change"} failed, still watching: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
    }
  };

  /** Recompile the changed model files from the in-memory snapshot; a reason when it must be a full compile. */
  const incremental = (changed: readonly string[]): { state: State; reason?: undefined } | { state?: undefined; reason: string } => {
    const unknown = changed.filter((p) => !state.paths.has(p));
    if (unknown.length > 0) {
      // A new file, or an editor's rename: the project changed shape only if the listing did.
      const listing = listProjectDir(root, layout).map((e) => e[0]);
      if (listing.length !== state.paths.size || listing.some((p) => !state.paths.has(p))) return { reason: `${unknown[0]} was added or removed` };
    }
    const known = changed.filter((p) => state.paths.has(p));
    if (known.length === 0) return { state };
    const gone = known.find((p) => !existsSync(`${root}/${p}`));
    if (gone !== undefined) return { reason: `${gone} was removed` };
    const result = recompileFiles(state.snapshot, known, (f) => readProjectFile(`${root}/${f}`), options);
    if (result.compiled === undefined) return { reason: result.reason };
    keepRecompiled(root, key, cache, result.compiled.snapshot as CompileSnapshot, known);
    return { state: stateOf(result.compiled, state.paths) };
  };

  await stopped;
  closed = true;
  if (timer !== undefined) clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  await cache.flush();
  if (format === "text") io.stdout("rocky: stopped watching\n");
  return 0;
}

interface RoundOutput {
  readonly round: Round;
  readonly introduced: readonly Diagnostic[];
  readonly fixed: readonly Diagnostic[];
  readonly counts: ReturnType<typeof countBySeverity>;
  readonly json: Record<string, unknown>;
}

/** What a round changed in the findings: the ones it introduced and the ones it fixed (at start: every finding is new). */
function describeRound(previous: State | undefined, state: State, round: Round, only: string | undefined): RoundOutput {
  const mine = (d: Diagnostic) => only === undefined || d.model === only;
  const all = state.compiled.diagnostics.filter(mine);
  const diff = previous === undefined ? { introduced: all, fixed: [] } : findingsDiff(previous.snapshot, state.snapshot);
  const introduced = sortDiagnostics(diff.introduced.filter(mine));
  const fixed = sortDiagnostics(diff.fixed.filter(mine));
  const counts = countBySeverity(all);
  const json = {
    version: VERSION,
    command: "compile",
    watch: { trigger: round.trigger, mode: round.mode, changed_files: round.changed, ...(round.reason !== undefined ? { reason: round.reason } : {}), round_ms: Math.round(round.ms * 100) / 100 },
    models: state.compiled.models.size,
    execution_layers: state.compiled.layers.length,
    has_errors: counts.errors > 0,
    counts,
    new_diagnostics: introduced,
    fixed_diagnostics: fixed,
    compile_timings: { ...state.compiled.timings },
  };
  return { round, introduced, fixed, counts, json };
}

/**
 * The findings `after` has and `before` had not, and the other way round. An incremental compile
 * replaces only the models it redid (the others are the same objects), so when both snapshots list
 * the same models only the replaced ones and the project-wide lists are compared: at 10,000 models
 * that is a handful of lists, not 20,000 keys per save.
 */
export function findingsDiff(before: CompileSnapshot, after: CompileSnapshot): { introduced: Diagnostic[]; fixed: Diagnostic[] } {
  const was: Diagnostic[] = [];
  const is: Diagnostic[] = [];
  const add = (into: Diagnostic[], ds: readonly Diagnostic[]) => {
    for (const d of ds) into.push(d);
  };
  const sameModels = before.models.length === after.models.length && before.models.every((m, i) => m.name === after.models[i].name);
  if (sameModels) {
    for (let i = 0; i < before.models.length; i++) {
      const [b, a] = [before.models[i], after.models[i]];
      if (a === b) continue;
      for (const [into, m] of [[was, b], [is, a]] as const) {
        add(into, m.loadDiagnostics);
        add(into, m.modelDiagnostics);
        add(into, m.checkDiagnostics);
      }
    }
    for (const part of ["preDiagnostics", "postDiagnostics"] as const) {
      if (before[part] === after[part]) continue;
      add(was, before[part]);
      add(is, after[part]);
    }
  } else {
    add(was, snapshotDiagnostics(before, before.models.map((_, i) => i)));
    add(is, snapshotDiagnostics(after, after.models.map((_, i) => i)));
  }
  const wasKeys = new Set(was.map(diagnosticKey));
  const isKeys = new Set(is.map(diagnosticKey));
  return { introduced: is.filter((d) => !wasKeys.has(diagnosticKey(d))), fixed: was.filter((d) => !isKeys.has(diagnosticKey(d))) };
}

function renderRound(out: RoundOutput, root: string, state: State, color: boolean): string {
  const { round, counts } = out;
  const clock = new Date().toTimeString().slice(0, 8);
  const lines: string[] = [];
  if (round.trigger === "start") {
    lines.push(`[${clock}] watching ${root}: ${state.compiled.models.size} models. Ctrl-C to stop.`);
  } else {
    const what = round.changed.length === 0 ? "the project" : round.changed.length <= 3 ? round.changed.join(", ") : `${round.changed.slice(0, 3).join(", ")} and ${round.changed.length - 3} more`;
    lines.push(`[${clock}] ${what} changed: ${round.mode === "full" ? `compiled in full (${round.reason})` : "recompiled"} in ${round.ms.toFixed(0)} ms`);
  }
  // At start, only the errors: the standing warnings are what `rocky compile` lists.
  const shown = round.trigger === "start" ? out.introduced.filter((d) => d.severity === "Error") : out.introduced;
  if (shown.length > 0) {
    const sources = lazyProjectFiles(state.paths, (p) => readProjectFile(`${root}/${p}`) ?? null);
    lines.push("", renderDiagnosticsText(shown, { sources, color }), "");
  }
  for (const d of out.fixed) lines.push(`fixed: ${d.severity.toLowerCase()}[${d.code}]${d.model !== undefined ? ` ${d.model}` : ""}: ${d.message}`);
  lines.push(`${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} infos in ${state.compiled.models.size} models.${round.trigger === "start" && counts.warnings + counts.infos > 0 ? " `rocky compile` lists the warnings." : ""}`);
  return `${lines.join("\n")}\n`;
}
