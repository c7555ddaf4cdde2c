import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  aggregateProjectCost,
  checkBudget,
  checkProjectBudget,
  type CostEstimate,
  dbuPerHour,
  estimateCompiledProject,
  estimateJoin,
  estimateStaticCost,
  estimateTableScan,
  observedCostUsd,
  type StaticCostModelInput,
  warehouseOf,
} from "../../../engine/src/cost/index.js";

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9 + 1e-15, `${what}: ${actual} != ${expected}`);

const model = (name: string, dependsOn: string[] = [], extra: Partial<StaticCostModelInput> = {}): StaticCostModelInput => ({
  name,
  dependsOn,
  warehouse: "databricks",
  ...extra,
});

describe("estimateStaticCost (Rocky's WarehouseCostModel, hand-computed)", () => {
  it("prices a leaf with the stub statistics: 10,000 rows × 256 B on Databricks", () => {
    const e = estimateStaticCost([model("src")]).get("src") as CostEstimate;
    assert.equal(e.estimated_rows, 10_000);
    assert.equal(e.estimated_bytes, 2_560_000);
    // 10,000 × 1e-9 + 2,560,000 × 5e-12
    close(e.estimated_cost_usd, 2.28e-5, "leaf cost");
    assert.equal(e.confidence, "low");
  });

  it("keeps 0.8 of a single parent and adds its processing cost", () => {
    const est = estimateStaticCost([model("stg", ["src"]), model("src")]);
    const e = est.get("stg") as CostEstimate;
    assert.equal(e.estimated_rows, 8_000);
    assert.equal(e.estimated_bytes, 2_048_000);
    // 2.28e-5 + 10,000 × 5e-9
    close(e.estimated_cost_usd, 7.28e-5, "single-parent cost");
  });

  it("sums several parents, then applies 0.8", () => {
    const est = estimateStaticCost([model("a"), model("b"), model("sa", ["a"]), model("sb", ["b"]), model("int", ["sa", "sb"])]);
    const e = est.get("int") as CostEstimate;
    assert.equal(e.estimated_rows, 12_800);
    assert.equal(e.estimated_bytes, 3_276_800);
    // 2 × 7.28e-5 + 16,000 × 5e-9
    close(e.estimated_cost_usd, 2.256e-4, "multi-parent cost");
  });

  it("applies join cardinalities and √N aggregates when declared", () => {
    const base = [model("a"), model("b"), model("sa", ["a"]), model("sb", ["b"])];
    const inner = estimateStaticCost([...base, model("j", ["sa", "sb"], { joins: ["inner"] })]).get("j") as CostEstimate;
    assert.equal(inner.estimated_rows, 6_400); // min(8000, 8000) × 0.8
    assert.equal(inner.estimated_bytes, 1_638_400);
    close(inner.estimated_cost_usd, 2.256e-4, "inner join then filter");
    const agg = estimateStaticCost([...base, model("g", ["sa", "sb"], { joins: ["inner"], aggregates: true })]).get("g") as CostEstimate;
    assert.equal(agg.estimated_rows, 80); // ceil(√6400)
    assert.equal(agg.estimated_bytes, 80 * 64);
    close(agg.estimated_cost_usd, 2.256e-4 + 6_400 * 5e-9 * 2, "aggregate cost");
    assert.equal(agg.confidence, "low");
  });

  it("uses textbook join cardinalities: inner=min, left/right=preserved side, full=max, cross=product", () => {
    const l = estimateTableScan(10_000, 128, "databricks");
    const r = estimateTableScan(5_000, 64, "databricks");
    assert.equal(estimateJoin(l, r, "inner", "databricks").estimated_rows, 5_000);
    assert.equal(estimateJoin(l, r, "left", "databricks").estimated_rows, 10_000);
    assert.equal(estimateJoin(l, r, "right", "databricks").estimated_rows, 5_000);
    assert.equal(estimateJoin(l, r, "full", "databricks").estimated_rows, 10_000);
    assert.equal(estimateJoin(l, r, "cross", "databricks").estimated_rows, 50_000_000);
    assert.equal(estimateJoin(l, r, "inner", "databricks").confidence, "medium");
    assert.equal(estimateJoin(l, r, "full", "databricks").confidence, "low");
    assert.equal(estimateJoin(l, r, "inner", "databricks").estimated_bytes, 5_000 * 128);
  });

  it("starts from real table statistics with high confidence, per warehouse", () => {
    const est = estimateStaticCost([model("src", [], { warehouse: "snowflake" })], new Map([["src", { row_count: 1_000_000, avg_row_bytes: 200 }]]));
    const e = est.get("src") as CostEstimate;
    // 1e6 × 1.2e-9 + 2e8 × 6e-12
    close(e.estimated_cost_usd, 2.4e-3, "snowflake scan");
    assert.equal(e.confidence, "high");
  });

  it("prices DuckDB at zero all the way down", () => {
    const est = estimateStaticCost([model("src", [], { warehouse: "duckdb" }), model("stg", ["src"], { warehouse: "duckdb" })]);
    assert.equal(est.get("stg")?.estimated_cost_usd, 0);
    assert.equal(est.get("stg")?.estimated_rows, 8_000);
  });

  it("leaves out the members of a cycle instead of looping", () => {
    const est = estimateStaticCost([model("a", ["b"]), model("b", ["a"]), model("c")]);
    assert.deepEqual([...est.keys()], ["c"]);
  });

  it("sums a project total with the weakest confidence", () => {
    const total = aggregateProjectCost([estimateTableScan(10, 10, "databricks"), { estimated_rows: 5, estimated_bytes: 5, estimated_cost_usd: 1, confidence: "low" }]);
    assert.equal(total.estimated_rows, 15);
    assert.equal(total.confidence, "low");
  });
});

describe("estimateCompiledProject", () => {
  const compiled = {
    models: new Map([
      ["src", { name: "src", dependsOn: [], dialect: "duckdb" }],
      ["stg", { name: "stg", dependsOn: ["src"], dialect: "duckdb" }],
    ]),
  } as unknown as Parameters<typeof estimateCompiledProject>[0];
  it("prices each model on its own dialect's warehouse by default", () => {
    const e = estimateCompiledProject(compiled);
    assert.equal(e.get("stg")?.estimated_cost_usd, 0);
    assert.equal(e.get("stg")?.estimated_rows, 8_000);
  });
  it("prices like Rocky's compile when asked for Databricks", () => {
    close(estimateCompiledProject(compiled, { warehouse: "databricks" }).get("stg")?.estimated_cost_usd as number, 7.28e-5, "Databricks stg");
  });
  it("starts from real leaf statistics when given", () => {
    const e = estimateCompiledProject(compiled, { warehouse: "databricks", leafStats: new Map([["src", { row_count: 100, avg_row_bytes: 10 }]]) });
    assert.equal(e.get("src")?.confidence, "high");
    assert.equal(e.get("stg")?.estimated_rows, 80);
  });
});

describe("observedCostUsd (Rocky's compute_observed_cost_usd)", () => {
  it("prices Databricks by duration × DBU/h × $/DBU", () => {
    close(observedCostUsd({ warehouse: "databricks", duration_ms: 30 * 60_000 }) as number, 0.5 * 24 * 0.4, "30 min Medium");
    close(observedCostUsd({ warehouse: "databricks", duration_ms: 3_600_000, warehouse_size: "4X-Large", cost_per_dbu: 0.55 }) as number, 528 * 0.55, "4X-Large");
  });
  it("runs Snowflake credits through the same table", () => {
    close(observedCostUsd({ warehouse: "snowflake", duration_ms: 3_600_000, warehouse_size: "X-Small", cost_per_dbu: 2 }) as number, 12, "X-Small credits");
  });
  it("knows every size of the table", () => {
    const sizes: [string, number][] = [["2X-Small", 4], ["X-Small", 6], ["Small", 12], ["Medium", 24], ["Large", 40], ["X-Large", 80], ["2X-Large", 144], ["3X-Large", 272], ["4X-Large", 528]];
    for (const [s, rate] of sizes) assert.equal(dbuPerHour(s), rate, s);
    assert.equal(dbuPerHour("xsmall"), 6);
    assert.equal(dbuPerHour("Huge"), undefined);
  });
  it("prices BigQuery by bytes at $6.25/TB, and says nothing without bytes", () => {
    close(observedCostUsd({ warehouse: "bigquery", duration_ms: 1, bytes_scanned: 2e12 }) as number, 12.5, "2 TB");
    assert.equal(observedCostUsd({ warehouse: "bigquery", duration_ms: 1000 }), undefined);
  });
  it("prices DuckDB at 0", () => {
    assert.equal(observedCostUsd({ warehouse: "duckdb", duration_ms: 999_999 }), 0);
  });
  it("maps adapter types to warehouses", () => {
    assert.equal(warehouseOf("Snowflake"), "snowflake");
    assert.equal(warehouseOf("trino"), undefined);
  });
});

describe("checkBudget (E027)", () => {
  const est = new Map<string, CostEstimate>([["m", { estimated_rows: 50_000, estimated_bytes: 5_000_000, estimated_cost_usd: 1.5, confidence: "low" }]]);
  const loc = { file: "models/m.toml", line: 4, col: 1 };

  it("is an Error by default, at the sidecar [budget] line, with Rocky's message", () => {
    const ds = checkBudget([{ name: "m", budget: { max_usd: 0.01 }, budgetLocation: loc }], est);
    assert.equal(ds.length, 1);
    assert.equal(ds[0].code, "E027");
    assert.equal(ds[0].severity, "Error");
    assert.equal(ds[0].message, "budget exceeded — projected $1.5000 > ceiling $0.0100");
    assert.deepEqual(ds[0].span, { file: "models/m.toml", line: 4, col: 1 });
  });
  it("is a Warning when on_breach = warn, and an Error when on_breach = error", () => {
    assert.equal(checkBudget([{ name: "m", budget: { max_usd: 0.01, on_breach: "warn" } }], est)[0].severity, "Warning");
    assert.equal(checkBudget([{ name: "m", budget: { max_usd: 0.01, on_breach: "error" } }], est)[0].severity, "Error");
  });
  it("inherits unset fields from the project [budget]; the model's on_breach wins", () => {
    const ds = checkBudget([{ name: "m", budget: { on_breach: "error" } }], est, { projectBudget: { max_bytes_scanned: 1_000_000, on_breach: "warn" } });
    assert.equal(ds.length, 1);
    assert.equal(ds[0].severity, "Error");
    assert.match(ds[0].message, /5000000 bytes > ceiling 1000000 bytes scanned/);
  });
  it("does not fire at equality, without a [budget], or without an estimate", () => {
    assert.equal(checkBudget([{ name: "m", budget: { max_usd: 1.5 } }], est).length, 0);
    assert.equal(checkBudget([{ name: "m" }], est, { projectBudget: { max_usd: 0.0001 } }).length, 0);
    assert.equal(checkBudget([{ name: "x", budget: { max_usd: 0 } }], est).length, 0);
  });
  it("emits one diagnostic per breached ceiling", () => {
    assert.equal(checkBudget([{ name: "m", budget: { max_usd: 0.001, max_bytes_scanned: 100 } }], est).length, 2);
  });
  it("checks the project total against rocky.toml [budget], a Warning unless on_breach = error", () => {
    const total = { estimated_rows: 1, estimated_bytes: 10, estimated_cost_usd: 3, confidence: "low" as const };
    assert.equal(checkProjectBudget(total, { max_usd: 2 })[0].severity, "Warning");
    assert.equal(checkProjectBudget(total, { max_usd: 2, on_breach: "error" })[0].severity, "Error");
    assert.equal(checkProjectBudget(total, { max_usd: 3 }).length, 0);
  });
});
