import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { countBySeverity, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { modelDetail } from "../../../engine/src/compile/model-detail.js";
import { VERSION } from "../../../engine/src/version.js";
import { type CliIo, outputFormat, type ParsedCommand, str } from "../io.js";
import { compileDir } from "./compile-dir.js";

/** `rocky compile`: exit 1 when any Error diagnostic remains. JSON shaped like Rocky's CompileOutput, plus our fields. */
export async function compileCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const { files, compiled } = await compileDir(cmd, io);
  const only = str(cmd, "model");
  const diagnostics = sortDiagnostics(only ? compiled.diagnostics.filter((d) => d.model === only) : compiled.diagnostics);
  const counts = countBySeverity(diagnostics);
  if (format === "json") writeCompileJson(io, compiled, diagnostics, only);
  else io.stdout(compileText(compiled, diagnostics, files, io.isTty));
  return counts.errors > 0 ? 1 : 0;
}

/**
 * The compile JSON. With a snapshot (a cached compile) every model's `models_detail` item is already
 * serialised: the rest is stringified and the items spliced in as bytes, so a warm compile does not
 * rebuild or re-encode 10,000 unchanged entries. Same bytes as json(compileJson(...)).
 */
function writeCompileJson(io: CliIo, compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], only: string | undefined): void {
  const snapshot = compiled.snapshot;
  const details = only !== undefined || io.stdoutBytes === undefined || snapshot === undefined ? undefined : snapshotDetails(compiled);
  if (details === undefined) {
    writeStreamed(io, compiled, diagnostics, only);
    return;
  }
  const { models_detail: _none, ...head } = compileJson(compiled, diagnostics, only, false);
  const text = JSON.stringify(head, null, 2);
  const chunks: Uint8Array[] = [Buffer.from(`${text.slice(0, -2)},\n  "models_detail": [`)];
  details.forEach((d, i) => chunks.push(Buffer.from(i === 0 ? "\n" : ",\n"), d));
  chunks.push(Buffer.from(details.length === 0 ? "]\n}\n" : "\n  ]\n}\n"));
  io.stdoutBytes!(Buffer.concat(chunks));
}

/**
 * Without a snapshot: the same bytes written in pieces of a few hundred models, each serialised by
 * one native JSON.stringify (the output is plain data: no replacer), so the 18 MB of a 10k-model
 * project never sit in memory at once at the peak of the compile.
 */
function writeStreamed(io: CliIo, compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], only: string | undefined): void {
  const { models_detail: _none, ...head } = compileJson(compiled, diagnostics, only, false);
  const text = JSON.stringify(head, null, 2);
  io.stdout(`${text.slice(0, -2)},\n  "models_detail": [`);
  const models = [...compiled.models.values()].filter((m) => only === undefined || m.name === only);
  for (let start = 0; start < models.length; start += DETAIL_BATCH) {
    const piece = JSON.stringify({ models_detail: models.slice(start, start + DETAIL_BATCH).map(modelDetail) }, null, 2);
    // piece = '{\n  "models_detail": [\n    {...},\n    {...}\n  ]\n}': keep from after '[' to before '\n  ]'.
    io.stdout(`${start === 0 ? "" : ","}${piece.slice(piece.indexOf("[") + 1, piece.lastIndexOf("]") - 3)}`);
  }
  io.stdout(models.length === 0 ? "]\n}\n" : "\n  ]\n}\n");
}

const DETAIL_BATCH = 500;

/** Each model's serialised detail in output order, when the snapshot has them all. */
function snapshotDetails(compiled: CompiledProject): Uint8Array[] | undefined {
  const byName = new Map<string, Uint8Array>();
  for (const m of compiled.snapshot!.models) byName.set(m.name, m.detail);
  const out: Uint8Array[] = [];
  for (const name of compiled.models.keys()) {
    const d = byName.get(name);
    if (d === undefined || d.byteLength === 0) return undefined;
    out.push(d);
  }
  return out;
}

export function compileJson(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], only?: string, withDetail = true) {
  const t = compiled.timings;
  // Only when the details are built here: a warm compile's models are lazy, and listing them would read them all.
  const models = withDetail ? [...compiled.models.values()].filter((m) => only === undefined || m.name === only) : [];
  return {
    version: VERSION,
    command: "compile",
    models: compiled.models.size,
    execution_layers: compiled.layers.length,
    has_errors: diagnostics.some((d) => d.severity === "Error"),
    diagnostics,
    compile_timings: {
      project_load_ms: t.project_load_ms,
      parse_ms: t.parse_ms,
      semantic_graph_ms: t.semantic_graph_ms,
      typecheck_ms: t.typecheck_ms,
      typecheck_join_keys_ms: 0,
      contracts_ms: t.contracts_ms,
      checks_ms: t.checks_ms,
      total_ms: t.total_ms,
      cache_hits: t.cache_hits,
      analysed: t.analysed,
    },
    models_detail: withDetail ? models.map(modelDetail) : [],
  };
}

function compileText(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], files: ReadonlyMap<string, string | null>, color: boolean): string {
  const failed = new Set(diagnostics.filter((d) => d.severity === "Error" && d.model !== undefined).map((d) => d.model));
  const lines: string[] = [];
  // From a snapshot the counts are at hand: listing them reads no model's analysis.
  const counts = new Map<string, number>();
  for (const m of compiled.snapshot?.models ?? []) counts.set(m.name, m.columnCount);
  for (const m of compiled.models.values()) lines.push(failed.has(m.name) ? `✗ ${m.name}` : `✓ ${m.name} (${counts.get(m.name) ?? m.columns.length} columns)`);
  if (diagnostics.length > 0) lines.push("", renderDiagnosticsText(diagnostics, { sources: files, color }));
  const c = countBySeverity(diagnostics);
  lines.push("", `Compiled: ${compiled.models.size} models, ${c.errors} errors, ${c.warnings} warnings (${compiled.timings.total_ms.toFixed(0)} ms)`);
  return `${lines.join("\n")}\n`;
}
