import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { countBySeverity, plural, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { modelDetail } from "../../../engine/src/compile/model-detail.js";
import { SEED_FILE } from "../../../engine/src/compile/seed-ddl.js";
import { VERSION } from "../../../engine/src/version.js";
import { didYouMeanSuffix } from "../../../engine/src/util/did-you-mean.js";
import { bool, type CliIo, outputFormat, type ParsedCommand, str, UsageError } from "../io.js";
import { compileDir } from "./compile-dir.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

/** `rocky compile`: exit 1 when any Error diagnostic remains. JSON shaped like Rocky's CompileOutput, plus our fields. */
export async function compileCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  if (bool(cmd, "watch")) return (await import("./compile-watch.js")).watchCompile(cmd, io, format);
  const { files, compiled, fromDaemon } = await compileDir(cmd, io);
  const only = str(cmd, "model");
  if (only !== undefined && !compiled.models.has(only)) throw new UsageError(`--model: unknown model \`${only}\`${didYouMeanSuffix(only, compiled.models.keys())}`);
  const diagnostics = sortDiagnostics(only ? compiled.diagnostics.filter((d) => d.model === only) : compiled.diagnostics);
  const counts = countBySeverity(diagnostics);
  if (format === "json") await writeCompileJson(io, compiled, diagnostics, only);
  else io.stdout(compileText(compiled, diagnostics, files, io.isTty, fromDaemon === true, only));
  return counts.errors > 0 ? 1 : 0;
}

/**
 * The compile JSON, the same bytes as json(compileJson(...)) written in pieces: the head as one
 * JSON.stringify with both arrays empty, split where they go; the diagnostics and the models'
 * entries in pieces of a few dozen, each serialised by one native JSON.stringify (plain data: no
 * replacer) and written once stdout has taken the previous ones (CliIo.drain). With a snapshot (a
 * cached compile) every `models_detail` item is already serialised and is written as its bytes, so
 * a warm compile does not rebuild or re-encode 10,000 unchanged entries.
 *
 * Every piece stays under V8's large-object size (128 KB): larger strings are allocated in the
 * large-object space, which only a full GC frees, and that rarely runs at the end of a compile;
 * 500-model pieces and the 4 MB of diagnostics in one string kept ~45 MB of dead text in a 10k-model
 * compile's peak RSS, and on a pipe the whole output queued in memory behind a busy reader.
 */
async function writeCompileJson(io: CliIo, compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], only: string | undefined): Promise<void> {
  const details = only !== undefined || io.stdoutBytes === undefined || compiled.snapshot === undefined ? undefined : snapshotDetails(compiled);
  const { models_detail: _none, ...head } = compileJson(compiled, diagnostics, only, false);
  const text = JSON.stringify({ ...head, diagnostics: [], models_detail: [] }, null, 2);
  // Both arrays are top-level keys: `\n  "diagnostics": []` can only be that key (the head's other values are numbers and fixed words).
  const diagAt = text.indexOf(DIAGNOSTICS_KEY) + DIAGNOSTICS_KEY.length - 2;
  const detailAt = text.lastIndexOf(DETAILS_KEY) + DETAILS_KEY.length - 2;
  io.stdout(text.slice(0, diagAt));
  await writeArrayItems(io, diagnostics, DIAGNOSTIC_BATCH, (d) => d);
  io.stdout(text.slice(diagAt + 2, detailAt));
  if (details !== undefined) await writeSerialisedItems(io, details);
  else await writeArrayItems(io, [...compiled.models.values()].filter((m) => only === undefined || m.name === only), DETAIL_BATCH, modelDetail);
  io.stdout(`${text.slice(detailAt + 2)}\n`);
}

const DIAGNOSTICS_KEY = '\n  "diagnostics": []';
const DETAILS_KEY = '\n  "models_detail": []';
/** Entries per piece: a diagnostic is ~450 bytes of JSON, a model's detail ~1,300 (twice as much in memory when not ASCII). */
const DIAGNOSTIC_BATCH = 100;
const DETAIL_BATCH = 40;

/**
 * A top-level array's value as JSON.stringify(_, null, 2) writes it (`[]`, or one item per line at
 * depth 1), in pieces, each written once stdout has taken the previous ones (CliIo.drain).
 */
async function writeArrayItems<T>(io: CliIo, items: readonly T[], batch: number, map: (item: T) => unknown): Promise<void> {
  if (items.length === 0) {
    io.stdout("[]");
    return;
  }
  io.stdout("[");
  for (let start = 0; start < items.length; start += batch) {
    const piece = JSON.stringify({ a: items.slice(start, start + batch).map(map) }, null, 2);
    // piece = '{\n  "a": [\n    {...},\n    {...}\n  ]\n}': keep from after '[' to before '\n  ]'.
    io.stdout(`${start === 0 ? "" : ","}${piece.slice(piece.indexOf("[") + 1, piece.lastIndexOf("]") - 3)}`);
    await stdoutTaken(io);
  }
  io.stdout("\n  ]");
}

/**
 * Wait until stdout has taken what was written (CliIo.drain). A shell without one still gets a turn
 * of the event loop, in which libuv writes what a pipe has queued: measured on the 10k project read
 * through a pipe, 256 -> 233 MB peak RSS, against 228 MB with the shell's drain.
 */
function stdoutTaken(io: CliIo): Promise<void> {
  return io.drain?.() ?? new Promise((resolve) => setImmediate(resolve));
}

/**
 * The same for items already serialised at their indentation (model-detail.ts, modelDetailJson), in
 * pieces of about 64 KB copied into one buffer, refilled once stdout has written it: a new buffer per
 * piece left ~16 MB of written pieces for the garbage collector in a 10k-model compile's peak RSS.
 */
async function writeSerialisedItems(io: CliIo, items: readonly Uint8Array[]): Promise<void> {
  if (items.length === 0) {
    io.stdout("[]");
    return;
  }
  io.stdout("[");
  let piece = Buffer.allocUnsafe(2 * SERIALISED_PIECE);
  let size = 0;
  for (let i = 0; i < items.length; i++) {
    const separator = i === 0 ? FIRST_SEPARATOR : SEPARATOR;
    const item = items[i];
    const need = separator.byteLength + item.byteLength;
    if (size + need > piece.byteLength) {
      if (size > 0) await io.stdoutBytes!(piece.subarray(0, size));
      size = 0;
      if (need > piece.byteLength) piece = Buffer.allocUnsafe(need);
    }
    piece.set(separator, size);
    piece.set(item, size + separator.byteLength);
    size += need;
    if (size < SERIALISED_PIECE && i < items.length - 1) continue;
    await io.stdoutBytes!(piece.subarray(0, size));
    size = 0;
    await stdoutTaken(io);
  }
  io.stdout("\n  ]");
}

const FIRST_SEPARATOR = Buffer.from("\n");
const SEPARATOR = Buffer.from(",\n");
const SERIALISED_PIECE = 64 * 1024;

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

function compileText(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], files: ProjectFiles, color: boolean, fromDaemon: boolean, only: string | undefined): string {
  const failed = new Set(diagnostics.filter((d) => d.severity === "Error" && d.model !== undefined).map((d) => d.model));
  const lines: string[] = [];
  // From a snapshot the counts are at hand: listing them reads no model's analysis.
  const counts = new Map<string, number>();
  for (const m of compiled.snapshot?.models ?? []) counts.set(m.name, m.columnCount);
  for (const m of only === undefined ? compiled.models.values() : [compiled.models.get(only)!]) {
    if (failed.has(m.name)) lines.push(`✗ ${m.name}`);
    else if (m.layer < 0) lines.push(`- ${m.name} (not typed: a model it depends on is in a dependency cycle)`);
    else lines.push(`✓ ${m.name} (${plural(counts.get(m.name) ?? m.columns.length, "column")})`);
  }
  // A model file that could not be read (not UTF-8, binary, too large) is no model of the project, but it is one of the user's.
  const unread = only === undefined ? unreadModelFiles(compiled, diagnostics) : [];
  for (const file of unread) lines.push(`✗ ${file.replace(/^.*\//, "").replace(/\.sql$/i, "")} (${file} could not be read: R007 below)`);
  if (diagnostics.length > 0) lines.push("", renderDiagnosticsText(diagnostics, { sources: files, color }));
  const c = countBySeverity(diagnostics);
  lines.push("", `Compiled: ${plural(compiled.models.size, "model")}${unread.length > 0 ? ` (${unread.length} more could not be read)` : ""}, ${plural(c.errors, "error")}, ${plural(c.warnings, "warning")} (${compiled.timings.total_ms.toFixed(0)} ms${fromDaemon ? ", answered by the rocky daemon" : ""})`);
  return `${lines.join("\n")}\n`;
}

/** The `.sql` files of R007 (unreadable) that are no model of the project and not the seed: models the user wrote that could not be read. */
function unreadModelFiles(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"]): string[] {
  const modelFiles = new Set([...compiled.models.values()].map((m) => m.file));
  const out = new Set<string>();
  for (const d of diagnostics) {
    const file = d.span?.file;
    if (d.code !== "R007" || file === undefined || !/\.sql$/i.test(file) || file === SEED_FILE || modelFiles.has(file)) continue;
    out.add(file);
  }
  return [...out].sort();
}
