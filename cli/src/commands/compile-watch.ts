import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { type CompileSnapshot, snapshotDiagnostics } from "../../../engine/src/compile/snapshot.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { countBySeverity, plural, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { lazyProjectFiles } from "../../../engine/src/project/lazy-project-files.js";
import { readProjectFile } from "../../../engine/src/project/read-project-dir.js";
import { VERSION } from "../../../engine/src/version.js";
import { type CliIo, type ParsedCommand, str, UsageError } from "../io.js";
import { cacheDebugLog, compileSetup } from "./compile-dir.js";
import { LiveProject, type LiveRound, type LiveState } from "./live-project.js";

/**
 * `rocky compile --watch`: compile once, then keep the compiled project in memory and recompile
 * when a project file changes (live-project.ts), printing what each change introduced and what it
 * fixed. A round that fails says why on stderr and the watch goes on.
 */

type Format = "text" | "json";

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
  const only = str(cmd, "model");
  const report = (previous: LiveState | undefined, state: LiveState, round: LiveRound) => {
    const out = describeRound(previous, state, round, only);
    io.stdout(format === "json" ? `${JSON.stringify(out.json)}\n` : renderRound(out, root, state, io.isTty));
  };
  const live = new LiveProject({
    root,
    layout,
    options: { ...setup.options, cache },
    log: cacheDebugLog(io),
    onRound: report,
    onError: (changed, error) => io.stderr(`rocky: the compile after ${changed.join(", ") || "a change"} failed, still watching: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  });
  const first = await live.start();
  report(undefined, first.state, first.round);

  await stopped;
  await live.close();
  await cache.flush();
  if (format === "text") io.stdout("rocky: stopped watching\n");
  return 0;
}

interface RoundOutput {
  readonly round: LiveRound;
  readonly introduced: readonly Diagnostic[];
  readonly fixed: readonly Diagnostic[];
  readonly counts: ReturnType<typeof countBySeverity>;
  readonly json: Record<string, unknown>;
}

/** What a round changed in the findings: the ones it introduced and the ones it fixed (at start: every finding is new). */
function describeRound(previous: LiveState | undefined, state: LiveState, round: LiveRound, only: string | undefined): RoundOutput {
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

function renderRound(out: RoundOutput, root: string, state: LiveState, color: boolean): string {
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
    const sources = lazyProjectFiles(state.paths, (p) => readProjectFile(`${root}/${p}`));
    lines.push("", renderDiagnosticsText(shown, { sources, color }), "");
  }
  for (const d of out.fixed) lines.push(`fixed: ${d.severity.toLowerCase()}[${d.code}]${d.model !== undefined ? ` ${d.model}` : ""}: ${d.message}`);
  lines.push(`${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ${plural(counts.infos, "info")} in ${plural(state.compiled.models.size, "model")}.${round.trigger === "start" && counts.warnings + counts.infos > 0 ? " `rocky compile` lists the warnings." : ""}`);
  return `${lines.join("\n")}\n`;
}
