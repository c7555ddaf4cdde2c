import type { ColumnRef } from "../compile/types.js";
import { formatType } from "../types/sql-type.js";
import type { ColumnConsumerIndex, ColumnLineage, LineageDirection, LineageEdge, LineageModels, ModelLineage } from "./lineage-types.js";
import { columnKey } from "./lineage-types.js";
import { traceColumn } from "./trace-column.js";

/** `rocky lineage <model>.<column>`: the trace plus the column's direct consumers (always filled, as Rocky does since #856). */
export function columnLineage(
  models: LineageModels,
  index: ColumnConsumerIndex,
  ref: ColumnRef,
  direction: LineageDirection,
  maxDepth?: number,
): ColumnLineage {
  const trace = traceColumn(models, index, ref, direction, maxDepth);
  const consumers = (index.get(columnKey(ref.model, ref.column)) ?? []).map((c) => ({ model: c.model, column: c.column }));
  return { model: ref.model, column: ref.column, direction, trace, downstreamConsumers: consumers };
}

/** `rocky lineage <model>`: columns with types, upstream/downstream models, and the edges into this model's columns. */
export function modelLineage(models: LineageModels, index: ColumnConsumerIndex, model: string): ModelLineage | undefined {
  const m = models.get(model);
  if (!m) return undefined;
  const edges: LineageEdge[] = [];
  const upstream = new Set<string>(m.dependsOn ?? []);
  for (const col of m.columns) {
    for (const s of col.sources) {
      edges.push({ source: { model: s.model, column: s.column }, target: { model, column: col.name }, transform: s.transform, depth: 1 });
      upstream.add(s.model);
    }
  }
  const downstream = new Set<string>();
  for (const col of m.columns) for (const c of index.get(columnKey(model, col.name)) ?? []) if (c.model !== model) downstream.add(c.model);
  for (const [name, other] of models) if (other.dependsOn?.includes(model)) downstream.add(name);
  return {
    model,
    columns: m.columns.map((c) => ({ name: c.name, dataType: formatType(c.type) })),
    upstream: [...upstream].sort(),
    downstream: [...downstream].sort(),
    edges,
  };
}
