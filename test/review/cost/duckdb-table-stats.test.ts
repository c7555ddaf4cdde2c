import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import { projectCost } from "../../../review/src/cost/index.js";
import { buildDiff, buildProject } from "../compliance/support/project-builder.js";

describe("projectCost with a real warehouse adapter as the table-statistics port", () => {
  it("row counts from DuckDB make the basis table_stats (medium) and drive the estimate", async () => {
    const adapter = await createDuckDbAdapter();
    try {
      await adapter.execute("CREATE SCHEMA shop");
      await adapter.execute("CREATE TABLE shop.orders AS SELECT range AS id FROM range(50000)");
      // Priced as Databricks (the project's adapter); DuckDB only answers the statistics.
      const p = buildProject(
        [
          { name: "raw_orders", sources: ["shop.orders"] },
          { name: "stg_orders", deps: ["raw_orders"] },
        ],
        { adapters: [{ name: "default", type: "databricks", settings: {} }] },
      );

      const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), head: p, base: p, stats: adapter });

      const stg = report.models[0];
      assert.equal(stg.basis, "table_stats");
      assert.equal(stg.confidence, "medium");
      // The filter over 50,000 rows at Databricks' 5e-9 per row processed.
      assert.ok(Math.abs((stg.afterPerRun ?? 0) - 50_000 * 5e-9) < 1e-12, `got ${stg.afterPerRun}`);
    } finally {
      await adapter.close();
    }
  });
});
