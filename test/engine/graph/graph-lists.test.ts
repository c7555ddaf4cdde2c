import assert from "node:assert/strict";
import { test } from "node:test";
import { buildModelGraph, type GraphNode } from "../../../engine/src/graph/build-model-graph.js";

const node = (name: string, bare: string[], qualified: string[] = [], dependsOn: string[] = []): GraphNode => ({
  name,
  file: `models/${name}.sql`,
  dependsOn,
  bareRefs: bare.map((r, i) => ({ name: r, line: 1, col: i + 1 })),
  qualifiedRefs: qualified,
});

test("dependency, SQL and external lists are sorted and distinct, short (scanned) or long (past the scan limit)", () => {
  const ups = Array.from({ length: 60 }, (_, i) => `up_${String(59 - i).padStart(2, "0")}`);
  const nodes: GraphNode[] = [
    ...ups.map((u) => node(u, [])),
    // every upstream twice (reversed order), a qualified list with repeats, depends_on overlapping the SQL
    node("wide", [...ups, ...ups], ["raw.b", "raw.a", "raw.b", ...ups.map((u) => `s.${u}`)], ["up_00", "up_59", "Up_01"]),
    node("narrow", ["up_02", "up_01", "up_02"], ["raw.z", "raw.a", "raw.z"], ["up_03", "up_01"]),
  ];
  const g = buildModelGraph(nodes);
  const sortedUps = [...ups].sort();
  assert.deepEqual(g.deps.get("wide"), sortedUps);
  assert.deepEqual(g.sqlDeps.get("wide"), sortedUps);
  assert.deepEqual(g.external.get("wide"), ["raw.a", "raw.b", ...sortedUps.map((u) => `s.${u}`)]);
  assert.deepEqual(g.deps.get("narrow"), ["up_01", "up_02", "up_03"]);
  assert.deepEqual(g.sqlDeps.get("narrow"), ["up_01", "up_02"]);
  assert.deepEqual(g.external.get("narrow"), ["raw.a", "raw.z"]);
  assert.deepEqual(g.downstream.get("up_01"), ["narrow", "wide"]);
  assert.deepEqual(g.downstream.get("up_30"), ["wide"]);
  assert.deepEqual(g.layers, [sortedUps, ["narrow", "wide"]]);
  assert.equal(g.layerOf.get("wide"), 1);
  // The lists are the graph's own: sorting one in place (a caller's bug) cannot reorder another.
  assert.notEqual(g.deps.get("wide"), g.sqlDeps.get("wide"));
});
