import { buildColumnConsumerIndex } from "../../../engine/src/lineage/build-column-consumer-index.js";
import { lineageToDot } from "../../../engine/src/lineage/lineage-to-dot.js";
import { lineageToJson } from "../../../engine/src/lineage/lineage-to-json.js";
import { lineageToMermaid } from "../../../engine/src/lineage/lineage-to-mermaid.js";
import { lineageToText } from "../../../engine/src/lineage/lineage-to-text.js";
import { type LineageEdge, transformText } from "../../../engine/src/lineage/lineage-types.js";
import { columnLineage, modelLineage } from "../../../engine/src/lineage/lineage-views.js";
import { didYouMeanSuffix } from "../../../engine/src/util/did-you-mean.js";
import { VERSION } from "../../../engine/src/version.js";
import { bool, type CliIo, json, outputFormat, type ParsedCommand, str, UsageError } from "../io.js";
import { compileDir } from "./compile-dir.js";

/**
 * `rocky lineage <model>[.<column>] [--downstream|--upstream]`, and `rocky lineage --all` (every
 * column edge of the project: what the benchmark's "lineage of all columns" measures).
 */
export async function lineageCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json", "dot", "mermaid"], "text");
  const target = cmd.positionals[0];
  const all = bool(cmd, "all");
  if (target === undefined && !all) throw new UsageError("name a model or model.column (or pass --all)");
  if (bool(cmd, "upstream") && bool(cmd, "downstream")) throw new UsageError("--upstream and --downstream are exclusive");
  const depthText = str(cmd, "depth");
  const depth = depthText === undefined ? undefined : Number(depthText);
  if (depth !== undefined && !(Number.isInteger(depth) && depth > 0)) throw new UsageError(`--depth must be a positive whole number (got \`${depthText}\`)`);

  const { compiled } = await compileDir(cmd, io);
  const index = buildColumnConsumerIndex(compiled.models);

  if (all) {
    const edges: LineageEdge[] = [];
    for (const [name, m] of compiled.models) for (const c of m.columns) for (const s of c.sources) edges.push({ source: { model: s.model, column: s.column }, target: { model: name, column: c.name }, transform: s.transform, depth: 1 });
    if (format === "json") io.stdout(json({ version: VERSION, command: "lineage", models: compiled.models.size, edges: edges.map((e) => ({ source: e.source, target: e.target, transform: transformText(e.transform) })) }));
    else io.stdout(`${edges.length} column edges across ${compiled.models.size} models\n`);
    return 0;
  }

  const dot = target!.indexOf(".");
  const modelName = dot < 0 ? target! : target!.slice(0, dot);
  const column = dot < 0 ? undefined : target!.slice(dot + 1);
  const model = compiled.models.get(modelName);
  if (model === undefined) throw new UsageError(`unknown model \`${modelName}\`${didYouMeanSuffix(modelName, compiled.models.keys())}`);
  let view: Parameters<typeof lineageToText>[0];
  if (column === undefined) {
    view = modelLineage(compiled.models, index, modelName)!;
  } else {
    const col = model.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    if (col === undefined) throw new UsageError(`model \`${modelName}\` has no column \`${column}\`${didYouMeanSuffix(column, model.columns.map((c) => c.name))}`);
    view = columnLineage(compiled.models, index, { model: modelName, column: col.name }, bool(cmd, "upstream") ? "upstream" : "downstream", depth);
  }
  if (format === "json") io.stdout(json({ command: "lineage", ...lineageToJson(view, VERSION) }));
  else if (format === "dot") io.stdout(`${lineageToDot(view)}\n`);
  else if (format === "mermaid") io.stdout(`${lineageToMermaid(view)}\n`);
  else io.stdout(`${lineageToText(view)}\n`);
  return 0;
}
