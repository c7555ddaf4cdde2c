import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mermaidGraph } from "../../../review/src/render/index.js";
import type { BlastRadiusEntry, Consumer } from "../../../review/src/report/types.js";

function consumer(key: string, depth: number, via: string, transform = "direct"): Consumer {
  const [model, column] = key.split(".");
  return { model, column, depth, transform, via, contracted: false, classified: null, exposures: [] };
}

function entry(origin: string, consumers: Consumer[]): BlastRadiusEntry {
  const [model, column] = origin.split(".");
  return {
    changeId: `col:${origin}:logic_changed`,
    origin: { model, column },
    tracedOn: "head",
    rowLevel: false,
    consumers,
    models: [...new Set(consumers.map((c) => c.model))].sort(),
    maxDepth: Math.max(0, ...consumers.map((c) => c.depth)),
  };
}

describe("mermaidGraph", () => {
  it("draws a value read as an arrow and a row-level reach (a filter, a model that fails) as a dotted one, from the column it came through", () => {
    const { code } = mermaidGraph(
      [
        entry("stg.status", [
          consumer("int.status", 1, "stg.status"),
          consumer("int.id", 1, "int.status", "row_level"),
          consumer("fct.id", 2, "int.id"),
          consumer("rpt.n", 3, "fct.id", "row_level"),
        ]),
      ],
      40,
    );
    const edges = code.split("\n").filter((l) => l.includes("->"));
    assert.deepEqual(edges, ["  n0 --> n1", "  n1 -.-> n2", "  n2 --> n3", "  n3 -.-> n4"]);
  });
});
