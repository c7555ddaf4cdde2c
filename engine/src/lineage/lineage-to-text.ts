import type { ColumnRef } from "../compile/types.js";
import type { ColumnLineage, LineageEdge, ModelLineage } from "./lineage-types.js";
import { columnKey, transformText } from "./lineage-types.js";

/** Human-readable lineage: a model's columns with their sources, or a column's trace as an indented tree. */
export function lineageToText(view: ModelLineage | ColumnLineage): string {
  const lines: string[] = [];
  if ("direction" in view) {
    lines.push(`${view.model}.${view.column} (${view.direction})`);
    renderTree(view, lines);
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

/** Depth-first from the traced column; a node reached again is printed once more, marked, and not expanded. */
function renderTree(view: ColumnLineage, lines: string[]): void {
  const upstream = view.direction === "upstream";
  const children = new Map<string, LineageEdge[]>();
  for (const e of view.trace) {
    const from = upstream ? e.target : e.source;
    const key = columnKey(from.model, from.column);
    const list = children.get(key);
    if (list) list.push(e);
    else children.set(key, [e]);
  }
  const arrow = upstream ? "<-" : "->";
  const expanded = new Set<string>();
  const visit = (node: ColumnRef, depth: number): void => {
    const key = columnKey(node.model, node.column);
    expanded.add(key);
    for (const e of children.get(key) ?? []) {
      const next = upstream ? e.source : e.target;
      const nextKey = columnKey(next.model, next.column);
      const seen = expanded.has(nextKey);
      lines.push(`${"  ".repeat(depth)}${arrow} ${next.model}.${next.column} [${transformText(e.transform)}]${seen && children.has(nextKey) ? " (see above)" : ""}`);
      if (!seen) visit(next, depth + 1);
    }
  };
  visit({ model: view.model, column: view.column }, 1);
}
