import type { ColumnLineage, ModelLineage } from "./lineage-types.js";
import { transformText } from "./lineage-types.js";

function q(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** Graphviz DOT: one node per `model.column`, one labelled edge per lineage edge. Identifiers are always quoted and escaped. */
export function lineageToDot(view: ModelLineage | ColumnLineage): string {
  const edges = "direction" in view ? view.trace : view.edges;
  const lines = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box];"];
  for (const e of edges) {
    lines.push(`  ${q(`${e.source.model}.${e.source.column}`)} -> ${q(`${e.target.model}.${e.target.column}`)} [label=${q(transformText(e.transform))}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
