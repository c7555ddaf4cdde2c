import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ModelAnalysis } from "../../../engine/src/compile/types.js";
import {
  buildColumnConsumerIndex,
  columnLineage,
  lineageToDot,
  lineageToJson,
  lineageToMermaid,
  lineageToText,
  modelLineage,
  traceColumn,
  type LineageModel,
} from "../../../engine/src/lineage/index.js";
import { analyzeSql } from "./support/analyze-sql.js";

/** A three-model project, analysed model by model in topological order, as the compiler does. */
function project(): Map<string, LineageModel> {
  const sources: Record<string, string> = { "raw.orders": "id INTEGER NOT NULL, email VARCHAR, amount DECIMAL(10,2), cust BIGINT" };
  const models = new Map<string, LineageModel>();
  const add = (name: string, sql: string, deps: string[]): ModelAnalysis => {
    const spec: Record<string, string> = { ...sources };
    for (const [n, m] of models) spec[n] = m.columns.map((c) => `${c.name} ${typeText(c.type)}${c.nullable ? "" : " NOT NULL"}`).join(", ");
    const a = analyzeSql(sql, spec, "duckdb", name);
    models.set(name, { columns: a.columns, rowLevel: a.rowLevel, dependsOn: deps });
    return a;
  };
  add("stg_orders", "SELECT id AS order_id, CAST(email AS VARCHAR) AS email, amount, cust FROM raw.orders", []);
  add("int_totals", "SELECT cust, SUM(amount) AS total, MAX(email) AS last_email FROM stg_orders GROUP BY cust", ["stg_orders"]);
  add("fct_customers", "SELECT t.cust AS customer_id, t.total * 2 AS double_total, t.last_email AS email FROM int_totals t", ["int_totals"]);
  return models;
}

function typeText(t: { kind: string; precision?: number; scale?: number }): string {
  if (t.kind === "Decimal") return `DECIMAL(${t.precision},${t.scale})`;
  return ({ Int32: "INTEGER", Int64: "BIGINT", String: "VARCHAR" } as Record<string, string>)[t.kind] ?? "VARCHAR";
}

describe("column lineage across models", () => {
  const models = project();
  const index = buildColumnConsumerIndex(models);

  test("the consumer index inverts column sources", () => {
    assert.deepEqual(index.get("stg_orders\u0000amount"), [{ model: "int_totals", column: "total", transform: { kind: "aggregation", fn: "sum" } }]);
  });

  test("upstream trace follows sources to the external source, with depth and transform", () => {
    const edges = traceColumn(models, index, { model: "fct_customers", column: "double_total" }, "upstream");
    assert.deepEqual(
      edges.map((e) => `${e.depth} ${e.source.model}.${e.source.column} -> ${e.target.model}.${e.target.column} ${e.transform.kind}`),
      [
        "1 int_totals.total -> fct_customers.double_total expression",
        "2 stg_orders.amount -> int_totals.total aggregation",
        "3 raw.orders.amount -> stg_orders.amount direct",
      ],
    );
  });

  test("downstream trace follows consumers; maxDepth bounds it", () => {
    const all = traceColumn(models, index, { model: "raw.orders", column: "email" }, "downstream");
    assert.deepEqual(
      all.map((e) => `${e.depth} ${e.target.model}.${e.target.column} ${e.transform.kind}`),
      ["1 stg_orders.email cast", "2 int_totals.last_email aggregation", "3 fct_customers.email direct"],
    );
    assert.equal(traceColumn(models, index, { model: "raw.orders", column: "email" }, "downstream", 2).length, 2);
  });

  test("traces are cycle-safe and deduplicated", () => {
    const cyclic = new Map<string, LineageModel>([
      ["a", { columns: [{ name: "x", type: { kind: "Int32" }, nullable: true, fingerprint: "b.x", sources: [{ model: "b", column: "x", transform: { kind: "direct" } }] }] }],
      ["b", { columns: [{ name: "x", type: { kind: "Int32" }, nullable: true, fingerprint: "a.x", sources: [{ model: "a", column: "x", transform: { kind: "direct" } }, { model: "a", column: "X", transform: { kind: "direct" } }] }] }],
    ]);
    const idx = buildColumnConsumerIndex(cyclic);
    assert.equal(traceColumn(cyclic, idx, { model: "a", column: "x" }, "upstream").length, 2);
    assert.equal(traceColumn(cyclic, idx, { model: "a", column: "x" }, "downstream").length, 2);
  });

  test("column lineage JSON has Rocky's column_lineage shape with downstream consumers", () => {
    const view = columnLineage(models, index, { model: "stg_orders", column: "amount" }, "downstream");
    const json = lineageToJson(view, "0.1.0");
    assert.equal(json.command, "lineage");
    assert.equal(json.version, "0.1.0");
    assert.equal(json.direction, "downstream");
    assert.deepEqual(json.downstream_consumers, [{ model: "int_totals", column: "total" }]);
    assert.deepEqual((json.trace as unknown[])[0], {
      source: { model: "stg_orders", column: "amount" },
      target: { model: "int_totals", column: "total" },
      transform: "aggregation: sum",
      depth: 1,
    });
  });

  test("model lineage JSON has Rocky's LineageOutput shape", () => {
    const view = modelLineage(models, index, "int_totals");
    assert.ok(view);
    const json = lineageToJson(view, "0.1.0");
    assert.deepEqual(json.columns, [
      { name: "cust", data_type: "Int64" },
      { name: "total", data_type: "Decimal(38,2)" },
      { name: "last_email", data_type: "String" },
    ]);
    assert.deepEqual(json.upstream, ["stg_orders"]);
    assert.deepEqual(json.downstream, ["fct_customers"]);
    assert.equal((json.edges as unknown[]).length, 3);
    assert.deepEqual(json.nodes, [{ model: "stg_orders" }, { model: "int_totals" }, { model: "fct_customers" }]);
    assert.equal(modelLineage(models, index, "nope"), undefined);
  });

  test("text output is a readable tree", () => {
    const text = lineageToText(columnLineage(models, index, { model: "fct_customers", column: "email" }, "upstream"));
    assert.equal(
      text,
      [
        "fct_customers.email (upstream)",
        "  <- int_totals.last_email [direct]",
        "    <- stg_orders.email [aggregation: max]",
        "      <- raw.orders.email [cast]",
        "",
      ].join("\n"),
    );
  });
});

describe("renderers escape hostile identifiers", () => {
  const hostile = {
    model: 'we"ird\\mod',
    column: "col]|`<b>",
    direction: "upstream" as const,
    trace: [{ source: { model: "src", column: 'a"b' }, target: { model: 'we"ird\\mod', column: "col]|`<b>" }, transform: { kind: "direct" as const }, depth: 1 }],
    downstreamConsumers: [],
  };
  test("DOT quotes and escapes every identifier", () => {
    const dot = lineageToDot(hostile);
    assert.match(dot, /"src\.a\\"b" -> "we\\"ird\\\\mod\.col\]\|`<b>" \[label="direct"\];/);
  });
  test("Mermaid uses generated ids and entity-escaped labels", () => {
    const mm = lineageToMermaid(hostile);
    assert.match(mm, /^flowchart LR\n {2}n0\["src\.a#34;b"\]\n {2}n1\["we#34;ird\\mod\.col#93;#124;#96;#60;b#62;"\]\n {2}n0 -->\|"direct"\| n1\n$/);
    assert.doesNotMatch(mm.split("\n").slice(1).join("\n"), /<b>/);
  });
  test("a quoted name's line break stays inside its label in Mermaid (one statement per line) and DOT", () => {
    const view = { ...hostile, trace: [{ ...hostile.trace[0], source: { model: "src", column: "a\r\nb" } }] };
    assert.match(lineageToMermaid(view), /^ {2}n0\["src\.a#13;#10;b"\]$/m);
    assert.match(lineageToDot(view), /^ {2}"src\.a\r?\\nb" -> /m);
  });
});

describe("text trees", () => {
  test("each node appears under the column it comes from; a node reached twice is marked, not repeated", () => {
    const col = (name: string, sources: [string, string][]) => ({
      name,
      type: { kind: "Int64" as const },
      nullable: true,
      fingerprint: name,
      sources: sources.map(([model, column]) => ({ model, column, transform: { kind: "direct" as const } })),
    });
    const models = new Map<string, LineageModel>([
      ["a", { columns: [col("x", [])] }],
      ["b", { columns: [col("y", [["a", "x"]]), col("z", [["a", "x"]])] }],
      ["c", { columns: [col("w", [["b", "y"], ["b", "z"]])] }],
      ["d", { columns: [col("v", [["c", "w"]])] }],
    ]);
    const text = lineageToText(columnLineage(models, buildColumnConsumerIndex(models), { model: "a", column: "x" }, "downstream"));
    assert.equal(
      text,
      ["a.x (downstream)", "  -> b.y [direct]", "    -> c.w [direct]", "      -> d.v [direct]", "  -> b.z [direct]", "    -> c.w [direct] (see above)", "consumers: b.y, b.z", ""].join("\n"),
    );
  });
});
