import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelRunRecord } from "../../../review/src/ports.js";
import { cronRunsPer30Days, projectCost, runsPerMonth, staticModelCosts, toPreviewCostOutput, withAncestors } from "../../../review/src/cost/index.js";
import { renderPreviewCostText } from "../../../review/src/cost/preview-cost.js";
import type { ProjectCostInput, TableStatsReader } from "../../../review/src/cost/index.js";
import { type ConfigSpec, buildDiff, buildProject, type ModelSpec } from "../compliance/support/project-builder.js";

const databricks: ConfigSpec = { adapters: [{ name: "default", type: "databricks", settings: {} }] };

const baseModels: ModelSpec[] = [
  { name: "raw_orders", sources: ["shop.orders"], columns: ["id", "amount"] },
  { name: "raw_refunds", sources: ["shop.refunds"], columns: ["id", "amount"] },
  { name: "stg_orders", deps: ["raw_orders"], columns: [{ name: "id", from: [["raw_orders", "id"]] }] },
  { name: "fct_revenue", deps: ["stg_orders"], groupBy: "day", columns: [{ name: "total", from: [["stg_orders", "id", "aggregation:sum"]] }] },
];

function runs(model: string, durationsMs: readonly number[], extra: Partial<ModelRunRecord> = {}): ModelRunRecord[] {
  return durationsMs.map((d, i) => ({ model, runId: `r${i}`, startedAt: `2026-11-${10 + i}T00:00:00Z`, status: "success", durationMs: d, ...extra }));
}

function history(table: Record<string, ModelRunRecord[]>) {
  const calls: string[] = [];
  return {
    calls,
    reader: {
      async recentRuns(model: string, limit: number) {
        calls.push(`${model}:${limit}`);
        return (table[model] ?? []).slice(0, limit);
      },
    },
  };
}

describe("schedules", () => {
  it("named schedules use the fixed factors; cron counts runs per 30 days", () => {
    assert.equal(runsPerMonth("hourly").runsPerMonth, 730);
    assert.equal(runsPerMonth(undefined).runsPerMonth, 30);
    assert.equal(runsPerMonth("weekly").runsPerMonth, 4.35);
    assert.equal(runsPerMonth("@monthly").runsPerMonth, 1);
    assert.equal(cronRunsPer30Days("0 * * * *"), 720);
    assert.equal(cronRunsPer30Days("*/15 * * * *"), 2880);
    // 2026 has 261 weekdays.
    assert.equal(cronRunsPer30Days("0 9 * * 1-5"), (261 * 30) / 365);
    assert.equal(cronRunsPer30Days("0 0 1 * *"), (12 * 30) / 365);
    assert.equal(cronRunsPer30Days("0 0 * * 8"), undefined);
  });

  it("an unreadable schedule falls back to daily and says so", () => {
    const r = runsPerMonth("every full moon");

    assert.equal(r.runsPerMonth, 30);
    assert.match(r.note ?? "", /not understood; assumed daily/);
  });
});

describe("projectCost: basis and confidence", () => {
  it("observed: mean of the last min_history_runs runs × DBU/h × price, high confidence", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject(baseModels, databricks);
    // Medium = 24 DBU/h, $0.40/DBU: 30 minutes = $4.80.
    const h = history({ stg_orders: runs("stg_orders", [1_800_000, 1_800_000, 1_800_000, 1_800_000, 1_800_000, 99_000_000]) });

    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"], downstream: ["fct_revenue"] }), head, base, history: h.reader });

    const stg = report.models.find((m) => m.model === "stg_orders");
    assert.ok(stg);
    assert.equal(stg.basis, "observed");
    assert.equal(stg.confidence, "high");
    assert.ok(Math.abs((stg.beforePerRun ?? 0) - 4.8) < 1e-9);
    assert.ok(Math.abs((stg.afterPerRun ?? 0) - 4.8) < 1e-9, "same structure: after = before");
    assert.equal(stg.deltaPerMonth, 0);
    assert.ok(h.calls.includes("stg_orders:5"), "reads min_history_runs runs");
    const fct = report.models.find((m) => m.model === "fct_revenue");
    assert.equal(fct?.basis, "static");
    assert.equal(fct?.confidence, "low");
    assert.equal(fct?.role, "downstream");
  });

  it("observed with fewer runs than min_history_runs is medium confidence and says how many", async () => {
    const p = buildProject(baseModels, databricks);

    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), head: p, base: p, history: history({ stg_orders: runs("stg_orders", [600_000, 600_000, 600_000]) }).reader });

    const stg = report.models[0];
    assert.equal(stg.confidence, "medium");
    assert.match(stg.note ?? "", /3 of 5 runs in history/);
  });

  it("after, with history only for base, is scaled by the static after/before ratio and says so", async () => {
    const base = buildProject(baseModels, databricks);
    const headModels = baseModels.map((m) => (m.name === "stg_orders" ? { ...m, deps: ["raw_orders", "raw_refunds"], joins: "CROSS JOIN raw_refunds" } : m));
    const head = buildProject(headModels, databricks);
    const staticBefore = staticModelCosts(base).get("stg_orders")?.usd ?? 0;
    const staticAfter = staticModelCosts(head).get("stg_orders")?.usd ?? 0;
    assert.ok(staticAfter > staticBefore, "a cross join costs more in the static model");

    const report = await projectCost({
      diff: buildDiff({ changed: ["stg_orders"] }),
      head,
      base,
      history: history({ stg_orders: runs("stg_orders", [3_600_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]) }).reader,
    });

    const stg = report.models[0];
    const ratio = staticAfter / staticBefore;
    assert.ok(Math.abs((stg.beforePerRun ?? 0) - 9.6) < 1e-9);
    assert.ok(Math.abs((stg.afterPerRun ?? 0) - 9.6 * ratio) < 1e-6);
    assert.equal(stg.basis, "observed");
    assert.equal(stg.confidence, "medium");
    assert.match(stg.note ?? "", /static model's after\/before ratio/);
    assert.ok(Math.abs((stg.deltaPerMonth ?? 0) - (9.6 * ratio - 9.6) * 30) < 1e-6);
  });

  it("table_stats: warehouse row counts feed the static model, medium confidence", async () => {
    const p = buildProject(baseModels, databricks);
    const asked: string[] = [];
    const stats: TableStatsReader = {
      async tableStats(ref) {
        asked.push([ref.catalog, ref.schema, ref.table].filter(Boolean).join("."));
        return ref.table === "raw_orders" ? { rows: 5_000_000, bytes: 1_000_000_000 } : undefined;
      },
    };

    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), head: p, base: p, stats });

    const stg = report.models[0];
    assert.equal(stg.basis, "table_stats");
    assert.equal(stg.confidence, "medium");
    assert.ok(asked.includes("warehouse.analytics.raw_orders"));
    // filter over 5M rows at Databricks' 5e-9 per row.
    assert.ok(Math.abs((stg.afterPerRun ?? 0) - 5_000_000 * 5e-9) < 1e-9);
  });

  it("static with stub leaves; a DuckDB project costs $0", async () => {
    const p = buildProject(baseModels);

    const report = await projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), head: p, base: p });

    assert.equal(report.warehouse, "duckdb");
    assert.equal(report.models[0].basis, "static");
    assert.equal(report.models[0].afterPerRun, 0);
    assert.equal(report.totals.deltaPerMonth, 0);
  });

  it("BigQuery observed cost is bytes × $6.25/TB", async () => {
    const bq: ConfigSpec = { adapters: [{ name: "default", type: "bigquery", settings: {} }] };
    const p = buildProject(baseModels, bq);

    const report = await projectCost({
      diff: buildDiff({ changed: ["stg_orders"] }),
      head: p,
      base: p,
      history: history({ stg_orders: runs("stg_orders", [1, 1, 1, 1, 1], { bytesScanned: 2e12 }) }).reader,
    });

    assert.ok(Math.abs((report.models[0].beforePerRun ?? 0) - 12.5) < 1e-9);
  });

  it("added and removed models: a delta against nothing; per month follows the schedule", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject([...baseModels.filter((m) => m.name !== "fct_revenue"), { name: "fct_hourly", deps: ["stg_orders"], schedule: "hourly" }], databricks);

    const report = await projectCost({ diff: buildDiff({ added: ["fct_hourly"], removed: ["fct_revenue"] }), head, base });

    const added = report.models.find((m) => m.model === "fct_hourly");
    const removed = report.models.find((m) => m.model === "fct_revenue");
    assert.equal(added?.beforePerRun, null);
    assert.equal(added?.runsPerMonth, 730);
    assert.ok((added?.deltaPerRun ?? 0) > 0);
    assert.ok(Math.abs((added?.deltaPerMonth ?? 0) - (added?.deltaPerRun ?? 0) * 730) < 1e-12);
    assert.equal(removed?.afterPerRun, null);
    assert.ok((removed?.deltaPerRun ?? 0) < 0);
  });

  it("a schedule the PR changes prices before on base's schedule and after on head's: daily → hourly costs more a month at the same cost per run", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject(baseModels.map((m) => (m.name === "fct_revenue" ? { ...m, schedule: "hourly" } : m)), databricks);

    const report = await projectCost({ diff: buildDiff({ changed: ["fct_revenue"] }), head, base });

    const fct = report.models.find((m) => m.model === "fct_revenue");
    assert.ok(fct && fct.beforePerRun !== null && fct.beforePerRun > 0);
    assert.equal(fct.deltaPerRun, 0);
    assert.deepEqual([fct.baseSchedule, fct.baseRunsPerMonth, fct.schedule, fct.runsPerMonth], ["daily", 30, "hourly", 730]);
    assert.ok(Math.abs((fct.deltaPerMonth ?? 0) - fct.beforePerRun * 700) < 1e-12);
    assert.ok(Math.abs((report.totals.beforePerMonth ?? 0) - fct.beforePerRun * 30) < 1e-12);
    assert.ok(Math.abs((report.totals.afterPerMonth ?? 0) - fct.beforePerRun * 730) < 1e-12);
    // The schedule kept: no base schedule in the row.
    const same = await projectCost({ diff: buildDiff({ changed: ["fct_revenue"] }), head: base, base });
    assert.equal(same.models[0].baseSchedule, undefined);
    assert.equal(same.models[0].deltaPerMonth, 0);
  });
});

describe("static estimate scope", () => {
  it("pricing a model and its ancestors only gives the same figures as pricing the whole project", () => {
    const p = buildProject(
      [...baseModels, { name: "other", deps: ["raw_refunds"], columns: ["id"] }, { name: "fct_mix", deps: ["stg_orders", "raw_refunds"], joins: "LEFT JOIN raw_refunds", columns: ["id"] }],
      databricks,
    );

    const scope = withAncestors(p, ["fct_mix"]);
    const scoped = staticModelCosts(p, new Map(), scope);
    const full = staticModelCosts(p);

    assert.deepEqual([...scope].sort(), ["fct_mix", "raw_orders", "raw_refunds", "stg_orders"]);
    assert.equal(scoped.has("other"), false);
    for (const name of scope) assert.deepEqual(scoped.get(name), full.get(name));
    assert.ok((full.get("fct_mix")?.usd ?? 0) > 0);
  });
});

describe("projectCost: [budget] → E027", () => {
  const observed = (ms: number) => history({ stg_orders: runs("stg_orders", [ms, ms, ms, ms, ms]) }).reader;
  const withBudget = (budget: ModelSpec["budget"]) => baseModels.map((m) => (m.name === "stg_orders" ? { ...m, budget } : m));
  const costOf = async (input: Partial<ProjectCostInput> & Pick<ProjectCostInput, "head">) =>
    projectCost({ diff: buildDiff({ changed: ["stg_orders"] }), ...input });

  it("on_breach = warn → Warning, error → Error, at the sidecar [budget] line", async () => {
    const base = buildProject(baseModels, databricks);
    const warn = buildProject(withBudget({ max_usd: 1, on_breach: "warn" }), databricks);
    const error = buildProject(withBudget({ max_usd: 1, on_breach: "error" }), databricks);

    const w = await costOf({ head: warn, base, history: observed(1_800_000) });
    const e = await costOf({ head: error, base, history: observed(1_800_000) });

    assert.equal(w.budgetBreaches.length, 1);
    assert.equal(w.budgetBreaches[0].diagnostic.severity, "Warning");
    assert.equal(w.budgetBreaches[0].diagnostic.code, "E027");
    assert.match(w.budgetBreaches[0].diagnostic.message, /projected \$4\.80 per run > ceiling \$1\.00 \(max_usd, observed\)/);
    assert.deepEqual(w.budgetBreaches[0].diagnostic.span, { file: "models/stg_orders.toml", line: 10, col: 1 });
    assert.equal(e.budgetBreaches[0].diagnostic.severity, "Error");
    assert.equal(e.budgetBreaches[0].on_breach, "error");
  });

  it("without on_breach: the project's, else Rocky's default warn", async () => {
    const base = buildProject(baseModels, databricks);
    const unset = buildProject(withBudget({ max_usd: 1 }), databricks);
    const strictProject = buildProject(withBudget({ max_usd: 1 }), { ...databricks, budget: { on_breach: "error" } });

    const u = await costOf({ head: unset, base, history: observed(1_800_000) });
    const s = await costOf({ head: strictProject, base, history: observed(1_800_000) });

    assert.equal(u.budgetBreaches[0].diagnostic.severity, "Warning");
    assert.equal(u.budgetBreaches[0].on_breach, "warn");
    assert.equal(s.budgetBreaches[0].diagnostic.severity, "Error");
  });

  it("max_duration_ms is checked against observed durations only", async () => {
    const head = buildProject(withBudget({ max_duration_ms: 60_000 }), databricks);

    const observedRun = await costOf({ head, base: head, history: observed(120_000) });
    const staticRun = await costOf({ head, base: buildProject(baseModels, databricks) });

    assert.deepEqual(observedRun.budgetBreaches.map((b) => b.limit_type), []);
    assert.equal(staticRun.budgetBreaches.length, 0);
    // Over on base and unchanged: not this PR's doing. Crossed on this PR: reported.
    const crossed = await costOf({ head, base: buildProject(baseModels, databricks), history: observed(120_000) });
    assert.deepEqual(crossed.budgetBreaches.map((b) => b.limit_type), ["max_duration_ms"]);
  });

  it("the project [budget] compares the whole run after the PR; default on_breach is warn", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject(baseModels, { ...databricks, budget: { max_usd: 2 } });
    const under = buildProject(baseModels, { ...databricks, budget: { max_usd: 100, on_breach: "error" } });

    const over = await costOf({ head, base, history: observed(1_800_000) });
    const fine = await costOf({ head: under, base, history: observed(1_800_000) });

    assert.equal(over.budgetBreaches.length, 1);
    assert.equal(over.budgetBreaches[0].scope, "project");
    assert.equal(over.budgetBreaches[0].diagnostic.severity, "Warning");
    assert.ok(over.budgetBreaches[0].actual > 4.8);
    assert.equal(fine.budgetBreaches.length, 0);
  });
});

describe("projectCost: models that do not compile on head", () => {
  it("get no row; every total and the project budget leave them out on both sides; the report and the preview name them", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject(baseModels, { ...databricks, budget: { max_usd: 1e-12 } });
    const diff = buildDiff({ changed: ["stg_orders", "raw_refunds"], downstream: ["fct_revenue"] });
    const priced = await projectCost({ diff, head, base });
    const staticOf = (name: string) => priced.models.find((m) => m.model === name)?.afterPerRun ?? 0;
    assert.ok(staticOf("stg_orders") > 0, "the static model gives the model a figure, which is what would be taken for its cost");

    const report = await projectCost({ diff, head, base, notPriced: new Set(["stg_orders"]) });

    assert.deepEqual(report.models.map((m) => m.model), ["raw_refunds", "fct_revenue"]);
    assert.deepEqual(report.notPriced, ["stg_orders"]);
    const sum = (pick: (m: (typeof report.models)[number]) => number | null) => report.models.reduce((s, m) => s + (pick(m) ?? 0), 0);
    assert.ok(Math.abs((report.totalsPerRun.after ?? 0) - sum((m) => m.afterPerRun)) < 1e-12);
    assert.ok(Math.abs((report.totalsPerRun.before ?? 0) - sum((m) => m.beforePerRun)) < 1e-12);
    const whole = (r: typeof report) => r.budgetBreaches.find((b) => b.scope === "project")?.actual ?? 0;
    assert.ok(Math.abs(whole(priced) - whole(report) - staticOf("stg_orders")) < 1e-9, "the project's total leaves the model out");
    assert.equal(priced.notPriced, undefined, "no field when every model was priced");

    const error = { severity: "Error" as const, code: "R001", message: "syntax error", model: "stg_orders", span: { file: "models/stg_orders.sql", line: 3, col: 8 } };
    const out = toPreviewCostOutput(report, { branchName: "pr-42", baseRef: "main", uncompared: [error] });
    assert.deepEqual(out.not_priced, ["stg_orders"]);
    assert.equal(out.summary.models_not_priced, 1);
    assert.deepEqual(out.diagnostics, [error]);
    assert.deepEqual(out.per_model.map((m) => m.model_name), ["raw_refunds", "fct_revenue"]);
    assert.match(out.markdown, /^Δ \*\*.+\*\* per run · branch .+ · leaves out 1 model that does not compile on `pr-42` \(`stg_orders`\)$/m);
    assert.match(out.markdown, /^#### Not priced\n\nThis model does not compile on `pr-42`, so it has no cost to project and the totals above leave it out:\n\n- `stg_orders`: R001 syntax error \(`models\/stg_orders\.sql:3:8`\)$/m);
    const text = renderPreviewCostText(out, "main", report);
    assert.match(text, /^Δ .+ per run; .+; leaves out 1 model that does not compile on pr-42 \(stg_orders\)$/m);
    assert.doesNotMatch(text, /^ {2}stg_orders /m);
    // The "copied" column is there when a model was copied (a removed one), not otherwise.
    assert.doesNotMatch(text, / copied /);
    const withCopy = { ...out, per_model: out.per_model.map((m, i) => (i === 0 ? { ...m, skipped_via_copy: true } : m)) };
    assert.match(renderPreviewCostText(withCopy, "main", report), /^ {2}model +branch \$ .* +copied +basis\n.*\n {2}raw_refunds +.* +removed +\S/m);

    const clean = toPreviewCostOutput(priced, { branchName: "pr-42", baseRef: "main" });
    assert.equal(clean.summary.models_not_priced, 0);
    assert.equal(clean.not_priced, undefined);
    assert.equal(clean.diagnostics, undefined);
    assert.doesNotMatch(clean.markdown, /leaves out|Not priced/);
  });
});

describe("toPreviewCostOutput", () => {
  it("has Rocky's preview_cost shape and Markdown", async () => {
    const base = buildProject(baseModels, databricks);
    const head = buildProject(baseModels.map((m) => (m.name === "stg_orders" ? { ...m, budget: { max_usd: 1, on_breach: "warn" as const } } : m)), databricks);
    const report = await projectCost({
      diff: buildDiff({ changed: ["stg_orders"], removed: [] }),
      head,
      base,
      history: history({ stg_orders: runs("stg_orders", [1_800_000, 1_800_000, 1_800_000, 1_800_000, 1_800_000]) }).reader,
    });

    const out = toPreviewCostOutput(report, { branchName: "pr-42", baseRef: "main" });

    assert.equal(out.command, "preview-cost");
    assert.equal(out.per_model[0].model_name, "stg_orders");
    assert.equal(out.per_model[0].base_duration_ms, 1_800_000);
    assert.equal(out.per_model[0].skipped_via_copy, false);
    assert.equal(out.projected_per_model_budget_breaches[0].on_breach, "warn");
    assert.match(out.markdown, /^\*\*Preview cost\*\* — branch `pr-42` vs `main`\n/);
    assert.match(out.markdown, /\| model +\| branch \$ +\| base \$/);
    assert.match(out.markdown, /#### Budget projection \(advisory\)/);
  });
});
