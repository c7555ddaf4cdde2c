import type { ColumnRef } from "../compile/types.js";
import type { ColumnConsumerIndex, LineageDirection, LineageEdge, LineageModels } from "./lineage-types.js";
import { columnKey } from "./lineage-types.js";

function findOutput(models: LineageModels, ref: ColumnRef): { model: string; column: string; sources: readonly import("../compile/types.js").LineageSource[] } | undefined {
  const m = models.get(ref.model);
  if (!m) return undefined;
  const key = ref.column.toLowerCase();
  const col = m.columns.find((c) => c.name === ref.column) ?? m.columns.find((c) => c.name.toLowerCase() === key);
  return col ? { model: ref.model, column: col.name, sources: col.sources } : undefined;
}

/**
 * Breadth-first trace of one column through the project: `upstream` follows each column's
 * sources (stopping at external sources), `downstream` follows the consumer index. Edges are
 * deduplicated, each node is expanded once (cycle-safe), and `maxDepth` bounds the hops.
 */
export function traceColumn(
  models: LineageModels,
  downstreamIndex: ColumnConsumerIndex,
  start: ColumnRef,
  direction: LineageDirection,
  maxDepth = Number.POSITIVE_INFINITY,
): LineageEdge[] {
  const edges: LineageEdge[] = [];
  const seenEdges = new Set<string>();
  const expanded = new Set<string>();
  const startOut = findOutput(models, start);
  let frontier: ColumnRef[] = [startOut ? { model: startOut.model, column: startOut.column } : start];
  expanded.add(columnKey(start.model, start.column));
  for (let depth = 1; frontier.length > 0 && depth <= maxDepth; depth++) {
    const next: ColumnRef[] = [];
    for (const node of frontier) {
      if (direction === "upstream") {
        const out = findOutput(models, node);
        for (const s of out?.sources ?? []) {
          const source = { model: s.model, column: s.column };
          push(edges, seenEdges, { source, target: node, transform: s.transform, depth });
          const key = columnKey(s.model, s.column);
          if (!expanded.has(key)) {
            expanded.add(key);
            next.push(source);
          }
        }
        continue;
      }
      for (const c of downstreamIndex.get(columnKey(node.model, node.column)) ?? []) {
        const target = { model: c.model, column: c.column };
        push(edges, seenEdges, { source: node, target, transform: c.transform, depth });
        const key = columnKey(c.model, c.column);
        if (!expanded.has(key)) {
          expanded.add(key);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return edges;
}

function push(edges: LineageEdge[], seen: Set<string>, e: LineageEdge): void {
  const key = `${columnKey(e.source.model, e.source.column)}\u0001${columnKey(e.target.model, e.target.column)}`;
  if (seen.has(key)) return;
  seen.add(key);
  edges.push(e);
}
