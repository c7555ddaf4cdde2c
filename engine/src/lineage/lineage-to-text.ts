import type { ColumnLineage, ModelLineage } from "./lineage-types.js";
import { transformText } from "./lineage-types.js";

/** Human-readable lineage: a model's columns with their sources, or a column's trace as an indented tree. */
export function lineageToText(view: ModelLineage | ColumnLineage): string {
  const lines: string[] = [];
  if ("direction" in view) {
    lines.push(`${view.model}.${view.column} (${view.direction})`);
    const arrow = view.direction === "upstream" ? "<-" : "->";
    for (const e of view.trace) {
      const other = view.direction === "upstream" ? e.source : e.target;
      lines.push(`${"  ".repeat(e.depth)}${arrow} ${other.model}.${other.column} [${transformText(e.transform)}]`);
    }
    if (view.trace.length === 0) lines.push("  (no lineage)");
    if (view.downstreamConsumers.length > 0) lines.push(`consumers: ${view.downstreamConsumers.map((c) => `${c.model}.${c.column}`).join(", ")}`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`model ${view.model}`);
  lines.push(`  upstream: ${view.upstream.join(", ") || "(none)"}`);
  lines.push(`  downstream: ${view.downstream.join(", ") || "(none)"}`);
  for (const c of view.columns) {
    const srcs = view.edges.filter((e) => e.target.column === c.name).map((e) => `${e.source.model}.${e.source.column} [${transformText(e.transform)}]`);
    lines.push(`  ${c.name}${c.dataType ? `: ${c.dataType}` : ""}${srcs.length ? ` <- ${srcs.join(", ")}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
