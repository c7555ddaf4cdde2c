import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { sortDiagnostics } from "../../../engine/src/diagnostics/registry.js";
import { countBySeverity, renderDiagnosticsText } from "../../../engine/src/diagnostics/render-text.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { VERSION } from "../../../engine/src/version.js";
import { type CliIo, json, outputFormat, type ParsedCommand, str } from "../io.js";
import { compileDir } from "./compile-dir.js";

/** `rocky compile`: exit 1 when any Error diagnostic remains. JSON shaped like Rocky's CompileOutput, plus our fields. */
export async function compileCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const { files, compiled } = await compileDir(cmd, io);
  const only = str(cmd, "model");
  const diagnostics = sortDiagnostics(only ? compiled.diagnostics.filter((d) => d.model === only) : compiled.diagnostics);
  const counts = countBySeverity(diagnostics);
  if (format === "json") io.stdout(json(compileJson(compiled, diagnostics, only)));
  else io.stdout(compileText(compiled, diagnostics, files, io.isTty));
  return counts.errors > 0 ? 1 : 0;
}

export function compileJson(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], only?: string) {
  const t = compiled.timings;
  const models = [...compiled.models.values()].filter((m) => only === undefined || m.name === only);
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
    models_detail: models.map((m) => ({
      name: m.name,
      file: m.file,
      strategy: m.config.strategy,
      target: m.config.target,
      depends_on: m.dependsOn,
      external_sources: m.externalSources,
      ...(m.config.freshness ? { freshness: m.config.freshness } : {}),
      ...(m.contract ? { contract_source: m.contract.source } : {}),
      tags: m.config.tags,
      layer: m.layer,
      columns: m.columns.map((c) => ({ name: c.name, type: formatType(c.type), nullable: c.nullable })),
    })),
  };
}

function compileText(compiled: CompiledProject, diagnostics: CompiledProject["diagnostics"], files: ReadonlyMap<string, string | null>, color: boolean): string {
  const failed = new Set(diagnostics.filter((d) => d.severity === "Error" && d.model !== undefined).map((d) => d.model));
  const lines: string[] = [];
  for (const m of compiled.models.values()) lines.push(failed.has(m.name) ? `✗ ${m.name}` : `✓ ${m.name} (${m.columns.length} columns)`);
  if (diagnostics.length > 0) lines.push("", renderDiagnosticsText(diagnostics, { sources: files, color }));
  const c = countBySeverity(diagnostics);
  lines.push("", `Compiled: ${compiled.models.size} models, ${c.errors} errors, ${c.warnings} warnings (${compiled.timings.total_ms.toFixed(0)} ms)`);
  return `${lines.join("\n")}\n`;
}
