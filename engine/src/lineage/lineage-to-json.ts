import type { ColumnLineage, LineageEdge, ModelLineage } from "./lineage-types.js";
import { transformText } from "./lineage-types.js";

function edgeJson(e: LineageEdge): Record<string, unknown> {
  return {
    source: { model: e.source.model, column: e.source.column },
    target: { model: e.target.model, column: e.target.column },
    transform: transformText(e.transform),
    depth: e.depth,
  };
}

/** Rocky's `lineage` (LineageOutput) or `column_lineage` JSON shape, with `version` and `command`. */
export function lineageToJson(view: ModelLineage | ColumnLineage, version: string): Record<string, unknown> {
  if ("direction" in view) {
    return {
      version,
      command: "lineage",
      model: view.model,
      column: view.column,
      direction: view.direction,
      trace: view.trace.map(edgeJson),
      downstream_consumers: view.downstreamConsumers.map((c) => ({ model: c.model, column: c.column })),
    };
  }
  return {
    version,
    command: "lineage",
    model: view.model,
    columns: view.columns.map((c) => (c.dataType === undefined ? { name: c.name } : { name: c.name, data_type: c.dataType })),
    upstream: view.upstream,
    downstream: view.downstream,
    edges: view.edges.map(edgeJson),
    nodes: [...new Set([...view.upstream, view.model, ...view.downstream])].map((model) => ({ model })),
  };
}
