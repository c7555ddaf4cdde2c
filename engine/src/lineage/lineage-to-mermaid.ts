import type { ColumnLineage, ModelLineage } from "./lineage-types.js";
import { transformText } from "./lineage-types.js";

/** Mermaid label text: entity-escape everything that could close the label, end the line (a quoted name's line break) or inject markup. */
export function mermaidLabel(s: string): string {
  return s.replace(/[&"<>#|`[\](){}\r\n]/g, (ch) => `#${ch.charCodeAt(0)};`);
}

/** A Mermaid flowchart: nodes get generated ids (`n0`, `n1`, ...) and escaped labels, so no identifier can break the graph. */
export function lineageToMermaid(view: ModelLineage | ColumnLineage): string {
  const edges = "direction" in view ? view.trace : view.edges;
  const ids = new Map<string, string>();
  const lines = ["flowchart LR"];
  const id = (label: string): string => {
    let v = ids.get(label);
    if (!v) {
      v = `n${ids.size}`;
      ids.set(label, v);
      lines.push(`  ${v}["${mermaidLabel(label)}"]`);
    }
    return v;
  };
  const body: string[] = [];
  for (const e of edges) {
    const s = id(`${e.source.model}.${e.source.column}`);
    const t = id(`${e.target.model}.${e.target.column}`);
    body.push(`  ${s} -->|"${mermaidLabel(transformText(e.transform))}"| ${t}`);
  }
  return `${[...lines, ...body].join("\n")}\n`;
}
