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

describe("mermaidGraph with several changes", () => {
  it("draws every changed column and, depth by depth, the readers of each, though the first could fill the graph alone", () => {
    const many = Array.from({ length: 30 }, (_, i) => consumer(`m${String(i).padStart(2, "0")}.user_id`, 1, "stg.user_id"));
    const { code, nodes } = mermaidGraph([entry("stg.user_id", many), entry("stg.amount", [consumer("fct.amount", 1, "stg.amount"), consumer("rpt.total", 2, "fct.amount")])], 10);
    assert.equal(nodes, 10);
    const labels = code.split("\n").filter((l) => /^ {2}n\d+\[/.test(l));
    assert.deepEqual(labels.slice(0, 2), ['  n0["stg.user_id"]:::changed', '  n1["stg.amount"]:::changed']);
    assert.equal(labels[3], '  n3["fct.amount"]', code);
    assert.match(code, /\n {2}n1 --> n3\n/);
    // The second change's depth-2 reader waits for the first change's depth-1 readers; what is left out is counted against its own change.
    assert.ok(!code.includes('"rpt.total"'), code);
    assert.match(code, /m0\["\+23 more models"\]:::more\n {2}n0 -\.-> m0\n {2}m1\["\+1 more model"\]:::more\n {2}n1 -\.-> m1/);
  });
});

describe("mermaidGraph past its size", () => {
  it("draws one node per model, its columns counted, when the columns would not fit: every model of a wide reach, not the first columns of a few", () => {
    const cols = (model: string, depth: number, via: string, n: number, transform = "row_level") => Array.from({ length: n }, (_, i) => consumer(`${model}.c${i}`, depth, via, i === 0 ? "direct" : transform));
    const e = entry("stg.user_id", [...cols("int_a", 1, "stg.user_id", 6), ...cols("int_b", 1, "stg.user_id", 6), ...cols("mart_a", 2, "int_a.c0", 6), consumer("rpt.n", 3, "mart_a.c1", "row_level")]);
    const { code, nodes } = mermaidGraph([e], 10);
    assert.equal(nodes, 5);
    assert.deepEqual(
      code.split("\n").slice(3),
      [
        '  n0["stg.user_id"]:::changed',
        '  n1["int_a (6 columns)"]',
        "  n0 --> n1",
        '  n2["int_b (6 columns)"]',
        "  n0 --> n2",
        '  n3["mart_a (6 columns)"]',
        "  n1 --> n3",
        '  n4["rpt.n"]',
        "  n3 -.-> n4",
      ],
    );
  });
});
