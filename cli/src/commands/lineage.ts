import { buildColumnConsumerIndex } from "../../../engine/src/lineage/build-column-consumer-index.js";
import { lineageToDot } from "../../../engine/src/lineage/lineage-to-dot.js";
import { lineageToJson } from "../../../engine/src/lineage/lineage-to-json.js";
import { lineageToMermaid } from "../../../engine/src/lineage/lineage-to-mermaid.js";
import { lineageToText } from "../../../engine/src/lineage/lineage-to-text.js";
import { columnKey, type LineageEdge, transformText } from "../../../engine/src/lineage/lineage-types.js";
import { columnLineage, modelLineage } from "../../../engine/src/lineage/lineage-views.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { plural, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { didYouMeanSuffix } from "../../../engine/src/util/did-you-mean.js";
import { VERSION } from "../../../engine/src/version.js";
import { bool, type CliIo, json, outputFormat, type ParsedCommand, str, UsageError } from "../io.js";
import { compileDir } from "./compile-dir.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

/**
 * `rocky lineage <model>[.<column>] [--downstream|--upstream]`, and `rocky lineage --all` (every
 * column edge of the project: what the benchmark's "lineage of all columns" measures).
 */
export async function lineageCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json", "dot", "mermaid"], "text");
  const target = cmd.positionals[0];
  const all = bool(cmd, "all");
  if (target === undefined && !all) throw new UsageError("name a model or model.column (or pass --all)");
  if (target !== undefined && all) throw new UsageError(`--all lists every column edge of the project: name \`${target}\` or pass --all, not both`);
  if (bool(cmd, "upstream") && bool(cmd, "downstream")) throw new UsageError("--upstream and --downstream are exclusive");
  const depthText = str(cmd, "depth");
  const depth = depthText === undefined ? undefined : Number(depthText);
  if (depth !== undefined && !(Number.isInteger(depth) && depth > 0)) throw new UsageError(`--depth must be a positive whole number (got \`${depthText}\`)`);

  const { compiled, files } = await compileDir(cmd, io);
  const index = buildColumnConsumerIndex(compiled.models);
  const incomplete = (names: Iterable<string>) => untyped(compiled, names, files, io.isTty);

  if (all) {
    const edges: LineageEdge[] = [];
    for (const [name, m] of compiled.models) for (const c of m.columns) for (const s of c.sources) edges.push({ source: { model: s.model, column: s.column }, target: { model: name, column: c.name }, transform: s.transform, depth: 1 });
    const missing = incomplete(compiled.models.keys());
    const count = `${plural(edges.length, "column edge")} across ${plural(compiled.models.size, "model")}`;
    if (format === "json") io.stdout(json({ version: VERSION, command: "lineage", models: compiled.models.size, edges: edges.map((e) => ({ source: e.source, target: e.target, transform: transformText(e.transform) })), ...missing.json }));
    else if (format === "text") {
      // One line per edge, as `rocky lineage <model>` writes a column's sources, then the count.
      const lines = edges.map((e) => `${e.source.model}.${e.source.column} -> ${e.target.model}.${e.target.column} [${transformText(e.transform)}]`);
      io.stdout(`${lines.join("\n")}${lines.length > 0 ? "\n\n" : ""}${count}\n${missing.text && `\n${missing.text}`}`);
    } else {
      // The whole project's column graph, for a renderer; what it lacks goes beside it.
      const view = { model: "", columns: [], upstream: [], downstream: [], edges };
      io.stdout(`${format === "dot" ? lineageToDot(view) : lineageToMermaid(view)}\n`);
      io.stderr(missing.text);
    }
    return missing.code;
  }

  const dot = target!.indexOf(".");
  const modelName = dot < 0 ? target! : target!.slice(0, dot);
  const column = dot < 0 ? undefined : target!.slice(dot + 1);
  const model = compiled.models.get(modelName);
  const write = (view: Parameters<typeof lineageToText>[0], missing: ReturnType<typeof incomplete>): number => {
    if (format === "json") io.stdout(json({ command: "lineage", ...lineageToJson(view, VERSION), ...missing.json }));
    else if (format === "text") io.stdout(`${lineageToText(view)}\n${missing.text}`);
    else {
      io.stdout(`${format === "dot" ? lineageToDot(view) : lineageToMermaid(view)}\n`);
      // The graph is for a renderer: what it lacks goes beside it.
      io.stderr(missing.text);
    }
    return missing.code;
  };
  if (model === undefined) {
    // `raw.orders.amount`: a source's column, traced to the models that read it.
    const source = sourceColumn(compiled, index, target!);
    if (source === undefined) throw new UsageError(`unknown model \`${modelName}\`${didYouMeanSuffix(modelName, compiled.models.keys())}`);
    if (bool(cmd, "upstream")) throw new UsageError(`\`${source.model}\` is a source: its columns have no upstream (trace \`${target}\` --downstream)`);
    const view = columnLineage(compiled.models, index, source, "downstream", depth);
    return write(view, incomplete([...view.trace.map((e) => e.target.model)]));
  }
  let view: Parameters<typeof lineageToText>[0];
  let names: string[];
  if (column === undefined) {
    const m = modelLineage(compiled.models, index, modelName)!;
    view = m;
    names = [modelName, ...m.upstream, ...m.downstream];
  } else {
    const col = model.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    if (col === undefined && !model.parsed) {
      // Not "no such column": the model's columns are unknown, and its errors say why.
      io.stderr(`rocky lineage: model \`${modelName}\` could not be typed, so its columns are unknown\n\n${incomplete([modelName]).errors}`);
      return 1;
    }
    if (col === undefined) throw new UsageError(`model \`${modelName}\` has no column \`${column}\`${didYouMeanSuffix(column, model.columns.map((c) => c.name))}`);
    const c = columnLineage(compiled.models, index, { model: modelName, column: col.name }, bool(cmd, "upstream") ? "upstream" : "downstream", depth);
    view = c;
    names = [modelName, ...c.trace.flatMap((e) => [e.source.model, e.target.model]), ...c.downstreamConsumers.map((x) => x.model)];
  }
  return write(view, incomplete(names));
}

/**
 * `schema.table.column` (or `catalog.schema.table.column`) naming a column of an external source
 * some model reads, as lineage spells it: the longest source name that prefixes it. A column no
 * model reads is a usage error naming the ones they do.
 */
function sourceColumn(compiled: CompiledProject, index: ReturnType<typeof buildColumnConsumerIndex>, target: string): { model: string; column: string } | undefined {
  const columns = new Map<string, Set<string>>();
  for (const m of compiled.models.values()) {
    for (const c of m.columns) {
      for (const s of c.sources) {
        if (compiled.models.has(s.model)) continue;
        let set = columns.get(s.model);
        if (set === undefined) columns.set(s.model, (set = new Set()));
        set.add(s.column);
      }
    }
  }
  const lower = target.toLowerCase();
  const whole = [...columns.keys()].find((n) => n.toLowerCase() === lower);
  if (whole !== undefined) throw new UsageError(`\`${whole}\` is a source, not a model: name one of its columns (\`${whole}.<column>\`) to see what reads it`);
  const name = [...columns.keys()].filter((n) => lower.startsWith(`${n.toLowerCase()}.`)).sort((a, b) => b.length - a.length)[0];
  if (name === undefined) return undefined;
  const column = target.slice(name.length + 1);
  const read = [...(columns.get(name) ?? [])];
  const hit = read.find((c) => c === column) ?? read.find((c) => c.toLowerCase() === column.toLowerCase());
  if (hit === undefined || !index.has(columnKey(name, hit))) throw new UsageError(`no model reads a column \`${column}\` of source \`${name}\`${didYouMeanSuffix(column, read)}`);
  return { model: name, column: hit };
}

/**
 * The models of an answer that could not be typed (their SQL does not parse, or they are in or
 * behind a dependency cycle: CompiledModel.parsed false): their columns are unknown, so the answer
 * is incomplete. Their errors, rendered as `rocky compile` renders them (text) or as the compile's
 * JSON diagnostics (`diagnostics`, `untyped_models`), and exit 1; nothing and exit 0 when every
 * model was typed.
 */
function untyped(compiled: CompiledProject, names: Iterable<string>, files: ProjectFiles, color: boolean): { text: string; errors: string; json: Record<string, unknown>; code: number } {
  const models = new Set<string>();
  for (const name of names) if (compiled.models.get(name)?.parsed === false) models.add(name);
  if (models.size === 0) return { text: "", errors: "", json: {}, code: 0 };
  const errors = sortDiagnostics(compiled.diagnostics.filter((d) => d.severity === "Error" && d.model !== undefined && models.has(d.model)));
  const list = [...models].sort();
  const behind = list.filter((m) => !errors.some((d) => d.model === m));
  const lines: string[] = [];
  if (errors.length > 0) lines.push(renderDiagnosticsText(errors, { sources: files, color }));
  if (behind.length > 0) lines.push(`${behind.join(", ")}: not typed, since ${behind.length === 1 ? "a model it depends on is" : "models they depend on are"} in a dependency cycle (\`rocky compile\` shows it).`);
  const rendered = `${lines.join("\n\n")}\n`;
  const text = `Lineage is incomplete: ${plural(list.length, "model")} could not be typed (${list.join(", ")}).\n\n${rendered}`;
  return { text, errors: rendered, json: { untyped_models: list, diagnostics: errors }, code: 1 };
}
