import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openStateStore } from "../../../engine/src/state/state-store.js";
import type { RunRecord } from "../../../engine/src/state/state-types.js";
import { projectCost } from "../../../review/src/cost/index.js";
import { buildDiff, buildProject } from "../compliance/support/project-builder.js";

const dir = mkdtempSync(join(tmpdir(), "rr-cost-state-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("projectCost with the real lmdb state store", () => {
  it("reads production run history through the store's recentRuns and prices it (failed runs ignored)", async () => {
    const store = await openStateStore(join(dir, "state"));
    const records = (runId: string, ms: number, status: RunRecord["status"]): RunRecord[] => [
      { run_id: runId, model: "stg_orders", started_at: `2026-11-0${runId}T00:00:00Z`, finished_at: `2026-11-0${runId}T01:00:00Z`, duration_ms: ms, status, trigger: "schedule", adapter_type: "snowflake" },
    ];
    for (const [id, ms, status] of [["1", 3_600_000, "success"], ["2", 3_600_000, "success"], ["3", 99_000_000, "failure"]] as const) {
      await store.recordRun({ run_id: id, started_at: `2026-11-0${id}T00:00:00Z`, finished_at: `2026-11-0${id}T01:00:00Z`, duration_ms: ms, status: status === "success" ? "success" : "failure", trigger: "schedule", models: ["stg_orders"] }, records(id, ms, status));
    }
    const p = buildProject(
      [
        { name: "raw_orders", sources: ["shop.orders"] },
        { name: "stg_orders", deps: ["raw_orders"] },
      ],
      { adapters: [{ name: "default", type: "snowflake", settings: {} }], cost: { warehouse_size: "X-Small", compute_cost_per_dbu: 3 } },
    );

    try {
      const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), head: p, base: p, history: store });

      const stg = report.models[0];
      // One hour on X-Small (6 credits/h) at $3 per credit; the failed run is not averaged in.
      assert.equal(stg.basis, "observed");
      assert.ok(Math.abs((stg.beforePerRun ?? 0) - 18) < 1e-9, `got ${stg.beforePerRun}`);
      assert.equal(stg.confidence, "medium", "2 successful runs of min_history_runs 5");
    } finally {
      await store.close();
    }
  });
});
