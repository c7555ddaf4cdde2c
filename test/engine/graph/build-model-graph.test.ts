import assert from "node:assert/strict";
import { test } from "node:test";
import { buildModelGraph, type GraphNode } from "../../../engine/src/graph/build-model-graph.js";

function node(name: string, bare: string[], dependsOn: string[] = [], qualified: string[] = []): GraphNode {
  return { name, file: `models/${name}.sql`, dependsOn, bareRefs: bare.map((n) => ({ name: n, span: { file: `models/${name}.sql`, line: 2, col: 6 } })), qualifiedRefs: qualified };
}

test("bare names are model edges, qualified names are external sources, layers are topological", () => {
  const g = buildModelGraph([
    node("fct", ["int_a", "stg_b"]),
    node("int_a", ["stg_a", "stg_b"]),
    node("stg_a", [], [], ["raw.a"]),
    node("stg_b", ["some_table"]),
  ]);
  assert.deepEqual(g.layers, [["stg_a", "stg_b"], ["int_a"], ["fct"]]);
  assert.deepEqual(g.external.get("stg_a"), ["raw.a"]);
  assert.deepEqual(g.external.get("stg_b"), ["some_table"]);
  assert.deepEqual(g.downstream.get("stg_b"), ["fct", "int_a"]);
  assert.equal(g.diagnostics.length, 0);
});

test("depends_on is merged; unknown depends_on is R004 with did-you-mean", () => {
  const g = buildModelGraph([node("a", []), node("b", [], ["a", "stg_ordrs"]), node("stg_orders", [])]);
  assert.deepEqual(g.deps.get("b"), ["a"]);
  assert.deepEqual(g.sqlDeps.get("b"), []);
  const d = g.diagnostics.find((x) => x.code === "R004");
  assert.ok(d);
  assert.match(d.message, /did you mean `stg_orders`/);
});

test("a misspelt bare reference is R004, not a silent external table", () => {
  const g = buildModelGraph([node("stg_orders", []), node("fct", ["stg_ordrs"])]);
  const d = g.diagnostics.find((x) => x.code === "R004");
  assert.ok(d);
  assert.equal(d.model, "fct");
  assert.deepEqual(d.span, { file: "models/fct.sql", line: 2, col: 6 });
});

test("a bare name no model and no known source answers to is R004 once sources are known; a known source is external", () => {
  const nodes = [node("stg_orders", []), node("fct", ["payments_staged", "customers"])];
  const g = buildModelGraph(nodes, { isKnownSource: (n) => n === "customers" });
  const r004 = g.diagnostics.filter((x) => x.code === "R004");
  assert.equal(r004.length, 1);
  assert.equal(r004[0].model, "fct");
  assert.match(r004[0].message, /unknown model `payments_staged`: no model or known source/);
  assert.match(r004[0].suggestion ?? "", /models\/payments_staged\.sql.*schema\.table/);
  // Still read from outside, as a graph of names alone (no source knowledge) has it, without a finding.
  assert.deepEqual(g.external.get("fct"), ["customers", "payments_staged"]);
  assert.equal(buildModelGraph(nodes).diagnostics.length, 0);
});

test("a bare name a known source answers to is that source, even one letter from a model's name", () => {
  // A seed's ergast_races beside a model ergast_laps (a real dbt-duckdb project): no did-you-mean.
  const nodes = [node("ergast_laps", []), node("d_races", ["ergast_races"])];
  const g = buildModelGraph(nodes, { isKnownSource: (n) => n === "ergast_races" });
  assert.deepEqual(g.diagnostics, []);
  assert.deepEqual(g.external.get("d_races"), ["ergast_races"]);
  // Without source knowledge, or when the source is not known, the close model name is still the guess.
  assert.match(buildModelGraph(nodes).diagnostics[0]?.message ?? "", /did you mean `ergast_laps`/);
  assert.match(buildModelGraph(nodes, { isKnownSource: () => false }).diagnostics[0]?.message ?? "", /did you mean `ergast_laps`/);
});

test("a cycle is R003 on every member with the cycle path; downstream of it is blocked, the rest compiles", () => {
  const g = buildModelGraph([node("a", ["c"]), node("b", ["a"]), node("c", ["b"]), node("d", ["a"]), node("ok", [])]);
  const cyc = g.diagnostics.filter((x) => x.code === "R003");
  assert.equal(cyc.length, 3);
  assert.match(cyc[0].message, /`a` → `c` → `b` → `a`/);
  assert.deepEqual([...g.blocked].sort(), ["a", "b", "c", "d"]);
  assert.deepEqual(g.layers, [["ok"]]);
});

test("each member's R003 points at where it reads the next one of the cycle: its FROM, else its depends_on", () => {
  const refs = (name: string, reads: [string, number][]) => reads.map(([n, line]) => ({ name: n, line, col: 6 + line }));
  const span = { file: "models/c.toml", line: 3, col: 1 };
  const g = buildModelGraph([
    { name: "a", file: "models/a.sql", dependsOn: [], bareRefs: refs("a", [["raw_x", 2], ["b", 5]]), qualifiedRefs: [] },
    { name: "b", file: "models/b.sql", dependsOn: [], bareRefs: refs("b", [["c", 4]]), qualifiedRefs: [] },
    // c reads a only through depends_on
    { name: "c", file: "models/c.sql", dependsOn: ["a"], dependsOnSpan: span, bareRefs: [], qualifiedRefs: [] },
  ]);
  assert.deepEqual(
    g.diagnostics.filter((d) => d.code === "R003").map((d) => [d.model, d.span]),
    [
      ["a", { file: "models/a.sql", line: 5, col: 11, endLine: 5, endCol: 12 }],
      ["b", { file: "models/b.sql", line: 4, col: 10, endLine: 4, endCol: 11 }],
      ["c", span],
    ],
  );
});

test("a self-reference is R003 at the FROM, not an edge; a deep chain does not overflow", () => {
  const n = 20000;
  const nodes = [node("m0", ["m0"])];
  for (let i = 1; i < n; i++) nodes.push(node(`m${i}`, [`m${i - 1}`]));
  const g = buildModelGraph(nodes);
  assert.equal(g.layers.length, n);
  assert.equal(g.diagnostics.length, 1);
  assert.equal(g.diagnostics[0].code, "R003");
  assert.match(g.diagnostics[0].message, /`m0` reads itself/);
  assert.deepEqual(g.diagnostics[0].span, { file: "models/m0.sql", line: 2, col: 6 });
});

test("a bare reference given as line/col (the parse's own form) is reported at that place in the node's file, underlining the name", () => {
  const nodes: GraphNode[] = [
    { name: "stg_orders", file: "models/stg_orders.sql", dependsOn: [], bareRefs: [], qualifiedRefs: [] },
    { name: "fct", file: "models/fct.sql", dependsOn: [], bareRefs: [{ name: "stg_ordrs", line: 4, col: 9 }, { name: "fct", line: 7, col: 3 }], qualifiedRefs: [] },
  ];
  const g = buildModelGraph(nodes);
  assert.deepEqual(
    g.diagnostics.map((d) => [d.code, d.span]),
    [
      ["R004", { file: "models/fct.sql", line: 4, col: 9, endLine: 4, endCol: 18 }],
      ["R003", { file: "models/fct.sql", line: 7, col: 3, endLine: 7, endCol: 6 }],
    ],
  );
});

test("a reference to the file name of a model its sidecar renames is R004 naming that model, not 'add models/<name>.sql' for a file that is there", () => {
  const renamed: GraphNode = { ...node("payments", []), file: "models/stg_payments.sql" };
  const g = buildModelGraph([renamed, node("fct", ["stg_payments"])], { isKnownSource: () => false });
  assert.deepEqual(
    g.diagnostics.map((d) => [d.code, d.model, d.message, d.suggestion]),
    [["R004", "fct", "unknown model `stg_payments`: models/stg_payments.sql defines the model `payments` (its `name` key renames it)", "reference `payments`, or remove the `name` key so that the model is `stg_payments` again"]],
  );
  assert.deepEqual(g.deps.get("fct"), []);
});
