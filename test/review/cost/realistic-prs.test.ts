import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openStateStore } from "../../../engine/src/state/state-store.js";
import { reviewPullRequest, type ReviewResult } from "../../../review/src/index.js";
import { type CostReportDetail, joinKinds, toPreviewCostOutput } from "../../../review/src/cost/index.js";
import { renderPreviewCostText } from "../../../review/src/cost/preview-cost.js";
import { renderText } from "../../../review/src/render/render-text.js";
import type { ModelRunRecord } from "../../../review/src/ports.js";
import { rocky } from "../../cli/support/cli-harness.js";
import { type FileMap, fixturesOfFile } from "../../support/git-fixture.js";

/**
 * The cost check on pull requests a data platform lead would see, compiled from real SQL on a
 * Snowflake project (the compiler's own fingerprints, not hand-made ones): the question each asks
 * is "would a reviewer see this change's effect on warehouse spend coming?".
 */
const { fixture } = fixturesOfFile();
const FIXED_CLOCK = { now: () => Date.parse("2026-02-01T00:00:00Z"), elapsed: () => 0 };

const BASE: FileMap = {
  "rocky.toml": [
    "[adapter]",
    'type = "snowflake"',
    'account = "acme"',
    'warehouse = "transform_wh"',
    "",
    "[pipeline.main]",
    'type = "transformation"',
    'models = "models/**"',
    'schedule = "daily"',
    "",
    "[cost]",
    'warehouse_size = "Small"',
    "",
  ].join("\n"),
  "models/_defaults.toml": '[target]\ncatalog = "analytics"\nschema = "marts"\n',
  "models/stg_events.sql": [
    "SELECT event_id, customer_id, event_type, occurred_at",
    "FROM raw.events",
    "WHERE occurred_at >= DATEADD(day, -3, CURRENT_DATE)",
    "",
  ].join("\n"),
  "models/stg_events.toml": '[strategy]\ntype = "incremental"\ntimestamp_column = "occurred_at"\n',
  "models/stg_customers.sql": "SELECT id AS customer_id, country_code FROM raw.customers\n",
  "models/fct_events_daily.sql": "SELECT customer_id, COUNT(*) AS events\nFROM stg_events\nGROUP BY customer_id\n",
};

async function review(head: FileMap, options: { history?: Record<string, readonly ModelRunRecord[]> } = {}): Promise<ReviewResult> {
  const repo = fixture({ base: BASE, head, headIsPatch: true });
  const history = options.history;
  return reviewPullRequest({
    repoDir: repo.dir,
    base: "main",
    head: "pr",
    clock: FIXED_CLOCK,
    ...(history ? { state: { recentRuns: async (model: string, limit: number) => (history[model] ?? []).slice(0, limit) } } : {}),
  });
}

function costSection(result: ReviewResult): string {
  const md = result.rendered.comment;
  const at = md.indexOf("### 💰 Projected cost");
  assert.ok(at >= 0, `no cost section in:\n${md}`);
  return md.slice(at, md.indexOf("\n---", at));
}

function costCheck(result: ReviewResult) {
  const check = result.rendered.checks.find((c) => c.name === "rocky/cost");
  assert.ok(check);
  return check;
}

describe("cost on realistic pull requests", () => {
  it("a CROSS JOIN is priced as rows × rows, not as the sum of its inputs", async () => {
    const result = await review({ "models/customer_event_grid.sql": "SELECT c.customer_id, e.event_type\nFROM stg_customers AS c\nCROSS JOIN stg_events AS e\n" });

    const grid = result.report.cost?.models.find((m) => m.model === "customer_event_grid");
    assert.ok(grid);
    // Stub leaves of 10,000 rows each: 10^8 rows processed at Snowflake's 6e-9 per row is $0.60 and more.
    assert.ok((grid.afterPerRun ?? 0) > 0.5, `a cross join of two 10,000-row tables priced at ${grid.afterPerRun}`);
    assert.equal(grid.confidence, "low");
    // Stub figures: the headline says so beside its number, and the footnote says what "static" assumes.
    const section = costSection(result);
    assert.match(section, /^Monthly estimate increased by \*\*\$\S+\*\* 📈 — \$0\/month → \$\S+\/month · static estimate, low confidence$/m);
    assert.match(section, /`static` rows have neither: they assume 10,000 rows of 256 B for each table read from outside the project/);
  });

  it("reads join kinds from the compiler's JOIN fingerprint (no JOIN word; several sorted, ` ; `-separated)", () => {
    assert.deepEqual(joinKinds("CROSS stg_events"), ["cross"]);
    assert.deepEqual(joinKinds("INNER b ON (a.id = b.id) ; LEFT c ON (a.id = c.id)"), ["inner", "left"]);
    assert.deepEqual(joinKinds("ANTI b ON (a.id = b.id) ; ASOF LEFT c ON (a.t >= c.t)"), ["left", "left"]);
    assert.deepEqual(joinKinds(undefined), []);
  });
});

describe("a schedule change: no run costs more, the month does", () => {
  it("daily → hourly: the review and rocky preview cost both show the monthly Δ, though every per-run Δ is $0", async () => {
    const result = await review({ "rocky.toml": (BASE["rocky.toml"] as string).replace('schedule = "daily"', 'schedule = "hourly"') });

    const cost = result.report.cost as CostReportDetail;
    assert.ok(cost.models.length > 0 && cost.models.every((m) => m.deltaPerRun === 0));
    assert.ok((cost.totals.deltaPerMonth ?? 0) > 0);
    assert.match(costSection(result), /^Monthly estimate increased by \*\*/m);
    // The PR's checks list shows the spend, as Infracost's check does, not "No new findings".
    assert.match(costCheck(result).title, /^No budget breached · projected \+\$\S+\/month$/);
    // An incremental model run 24× as often reads about 1/24 of the new rows each time: its monthly figure is a ceiling, and says so.
    assert.match(cost.models.find((m) => m.model === "stg_events")?.note ?? "", /^incremental: each of the more frequent runs reads fewer new rows, so Δ\/month \(every run at today's cost\) is an upper bound$/);
    assert.equal(cost.models.find((m) => m.model === "stg_customers")?.note, undefined, "a full refresh costs the same each run");
    assert.match(costSection(result), /- `stg_events`: incremental: each of the more frequent runs/);
    const preview = toPreviewCostOutput(cost, { branchName: "pr", baseRef: "main" });
    assert.equal(preview.summary.delta_usd, 0);
    assert.ok(Math.abs((preview.summary.delta_usd_per_month ?? 0) - (cost.totals.deltaPerMonth ?? 0)) < 1e-12);
    assert.equal(preview.per_model[0].base_schedule, "daily");
    assert.equal(preview.per_model[0].schedule, "hourly");
    const text = renderPreviewCostText(preview, "main", cost);
    assert.match(text, /^Δ \$0 per run; .*\nΔ \+\$\S+ per month; branch \$\S+, base \$\S+; 3 models change schedule \(daily → hourly\)$/m);
    assert.match(preview.markdown, /^Δ \*\*\+\$\S+\*\* per month · branch \$\S+, base \$\S+ · 3 models change schedule \(daily → hourly\)$/m);
  });
});

describe("a change the estimate cannot price is never reported as no change", () => {
  const fiveRuns = (model: string, ms: number): ModelRunRecord[] =>
    [0, 1, 2, 3, 4].map((i) => ({ model, runId: `r${i}`, startedAt: `2026-01-2${i}T00:00:00Z`, status: "success", durationMs: ms, adapterType: "snowflake" }));

  it("incremental → full_refresh with no history: the headline warns instead of saying 'unchanged', and the check's summary says so", async () => {
    const result = await review({ "models/stg_events.toml": '[strategy]\ntype = "full_refresh"\n' });

    const events = result.report.cost?.models.find((m) => m.model === "stg_events");
    assert.deepEqual(events?.unpriced, ["strategy incremental → full_refresh"]);
    assert.equal(events?.confidence, "low");
    const section = costSection(result);
    assert.doesNotMatch(section, /unchanged|none costs more or less/, section);
    assert.match(section, /Cost change not estimated\.\*\* .*`stg_events`: strategy incremental → full\\_refresh/);
    assert.match(section, /\| `stg_events` \(changed\) \|/, "the model's row is listed though its Δ is $0");
    assert.match(result.rendered.comment, /projected cost \$0\/month \(1 change not priced\)/);
    const check = costCheck(result);
    assert.equal(check.conclusion, "success", "no budget breached: the check passes, with the caveat");
    assert.equal(check.title, "No budget breached · projected $0/month · 1 model's change not priced (stg_events)");
    assert.match(check.text, /cannot price 1 model's change \(`stg_events`: strategy incremental → full\\_refresh\)/);
    // `rocky review --output text` and `rocky preview cost` say it too.
    assert.match(renderText(result.report), /^ {2}stg_events: \$\S+ -> \$\S+ per run, \$0\/month \(daily; static, low\)\n {4}not priced: strategy incremental → full_refresh; the estimate does not see this change/m);
    const preview = toPreviewCostOutput(result.report.cost as CostReportDetail, { branchName: "pr", baseRef: "main" });
    assert.deepEqual(preview.per_model.find((m) => m.model_name === "stg_events")?.unpriced, ["strategy incremental → full_refresh"]);
    assert.match(preview.markdown, /⚠️ `stg_events`: not priced: strategy incremental → full_refresh\./);
    assert.match(renderPreviewCostText(preview, "main", result.report.cost as CostReportDetail), /\nstg_events: not priced: strategy incremental → full_refresh\. The estimate does not see this change/);
  });

  it("on DuckDB, which costs $0 whatever it reads, the same change is not flagged: one line, no warning", async () => {
    const duck = { ...BASE, "rocky.toml": (BASE["rocky.toml"] as string).replace('type = "snowflake"\naccount = "acme"\nwarehouse = "transform_wh"', 'type = "duckdb"') };
    const repo = fixture({ base: duck, head: { "models/stg_events.toml": '[strategy]\ntype = "full_refresh"\n' }, headIsPatch: true });
    const result = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK });

    assert.equal(result.report.cost?.warehouse, "duckdb");
    assert.equal(result.report.cost?.models.find((m) => m.model === "stg_events")?.unpriced, undefined);
    assert.match(costSection(result), /^No projected cost: 1 changed or downstream model on `duckdb` cost \$0 per run\.$/m);
    assert.equal(costCheck(result).title, "No new findings");
  });

  it("a WHERE dropped from a model with five observed runs: not 'high' confidence and $0, but flagged and low", async () => {
    const result = await review(
      { "models/stg_events.sql": "SELECT event_id, customer_id, event_type, occurred_at\nFROM raw.events\n" },
      { history: { stg_events: fiveRuns("stg_events", 600_000), fct_events_daily: fiveRuns("fct_events_daily", 300_000) } },
    );

    const events = result.report.cost?.models.find((m) => m.model === "stg_events");
    assert.equal(events?.basis, "observed");
    // Ten minutes on a Small warehouse (12 credits/h) at $0.40: $0.80 a run, measured on base.
    assert.ok(Math.abs((events?.beforePerRun ?? 0) - 0.8) < 1e-9);
    assert.deepEqual(events?.unpriced, ["WHERE removed"]);
    assert.equal(events?.confidence, "low", "an observed figure the change is invisible to is not high confidence");
    assert.match(events?.note ?? "", /not priced: WHERE removed/);
    assert.match(costSection(result), /Cost change not estimated/);
    // Downstream, the daily aggregate now reads every event too: its observed figure is no more "high" than the model's own.
    const daily = result.report.cost?.models.find((m) => m.model === "fct_events_daily");
    assert.equal(daily?.role, "downstream");
    assert.equal(daily?.confidence, "low");
    assert.match(daily?.note ?? "", /^reads stg_events, whose change is not priced: this row's Δ leaves it out too$/);
    assert.match(costSection(result), /- `fct_events_daily`: reads stg\\_events, whose change is not priced/);
  });

  it("a join moved to another key (a fan-out the estimate cannot see) is flagged; a change the estimate prices is not", async () => {
    const base = "SELECT e.event_id, c.country_code\nFROM stg_events AS e\nJOIN stg_customers AS c ON e.customer_id = c.customer_id\n";
    const repoBase = { ...BASE, "models/events_by_country.sql": base };
    const repo = fixture({ base: repoBase, head: { "models/events_by_country.sql": base.replace("e.customer_id = c.customer_id", "e.event_type = c.country_code") }, headIsPatch: true });
    const result = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK });
    assert.deepEqual(result.report.cost?.models.find((m) => m.model === "events_by_country")?.unpriced, ["JOIN changed"]);

    const crossed = fixture({ base: repoBase, head: { "models/events_by_country.sql": "SELECT e.event_id, c.country_code\nFROM stg_events AS e\nCROSS JOIN stg_customers AS c\n" }, headIsPatch: true });
    const priced = await reviewPullRequest({ repoDir: crossed.dir, base: "main", head: "pr", clock: FIXED_CLOCK });
    const row = priced.report.cost?.models.find((m) => m.model === "events_by_country");
    assert.equal(row?.unpriced, undefined, "INNER → CROSS moves the estimate: it is priced");
    assert.ok((row?.deltaPerRun ?? 0) > 0.5);
  });

  it("a PR that only reformats SQL shows no cost section and a passing, quiet cost check", async () => {
    const result = await review({ "models/stg_events.sql": "-- Events of the last three days.\nselect event_id, customer_id, event_type, occurred_at\nfrom   raw.events\nwhere  occurred_at >= DATEADD(day, -3, CURRENT_DATE)\n" });

    assert.equal(result.report.cost?.models.length ?? 0, 0, JSON.stringify(result.report.cost?.models) + result.rendered.comment);
    assert.doesNotMatch(result.rendered.comment, /Projected cost|projected cost/);
    assert.notEqual(costCheck(result).conclusion, "failure");
  });
});

describe("the CLI prices from the run history `rocky run` records beside the project", () => {
  it("rocky review and rocky preview cost read .rocky-state/state: observed figures, not the stub", async () => {
    const repo = fixture({ base: { ...BASE, ".gitignore": ".rocky-state/\n" }, head: { "models/stg_events.toml": '[strategy]\ntype = "full_refresh"\n' }, headIsPatch: true });
    const store = await openStateStore(join(repo.dir, ".rocky-state", "state"));
    for (const i of [1, 2, 3, 4, 5]) {
      const at = `2026-01-0${i}T00:00:00Z`;
      // Thirty minutes a run on a Small warehouse (12 credits/h) at $0.40: $2.40.
      const record = { run_id: `r${i}`, model: "stg_events", started_at: at, finished_at: at, duration_ms: 1_800_000, status: "success" as const, trigger: "schedule", adapter_type: "snowflake" };
      await store.recordRun({ run_id: `r${i}`, started_at: at, finished_at: at, duration_ms: 1_800_000, status: "success", trigger: "schedule", models: ["stg_events"] }, [record]);
    }
    await store.close();

    const preview = await rocky(["preview", "cost", "--base", "main", "-o", "json"], { cwd: repo.dir });
    assert.equal(preview.stderr, "");
    const events = (JSON.parse(preview.stdout).per_model as { model_name: string; basis: string; base_cost_usd: number; unpriced?: string[] }[]).find((m) => m.model_name === "stg_events");
    assert.equal(events?.basis, "observed");
    assert.ok(Math.abs((events?.base_cost_usd ?? 0) - 2.4) < 1e-9, `base cost ${events?.base_cost_usd}`);
    assert.deepEqual(events?.unpriced, ["strategy incremental → full_refresh"]);

    const review = await rocky(["review", "--base", "main", "-o", "json"], { cwd: repo.dir });
    assert.equal(review.stderr, "");
    const row = (JSON.parse(review.stdout).report.cost.models as { model: string; basis: string; beforePerRun: number }[]).find((m) => m.model === "stg_events");
    assert.equal(row?.basis, "observed");
    assert.ok(Math.abs((row?.beforePerRun ?? 0) - 2.4) < 1e-9);
  });
});

describe("a model removed", () => {
  it("costs less: a negative Δ, and preview cost's table says `removed`, not that it was copied", async () => {
    const result = await review({ "models/fct_events_daily.sql": null });

    const cost = result.report.cost as CostReportDetail;
    const gone = cost.models.find((m) => m.model === "fct_events_daily");
    assert.equal(gone?.role, "removed");
    assert.ok((gone?.deltaPerMonth ?? 0) < 0);
    assert.match(costSection(result), /^Monthly estimate decreased by \*\*/m);
    const preview = toPreviewCostOutput(cost, { branchName: "pr", baseRef: "main" });
    assert.equal(preview.per_model.find((m) => m.model_name === "fct_events_daily")?.skipped_via_copy, true, "Rocky's field for a base-only model");
    assert.match(preview.markdown, /^\| `fct_events_daily` +\| — +\| \S+ +\| -\S+ +\| — +\| — +\| removed +\|/m);
    assert.match(renderPreviewCostText(preview, "main", cost), /^ {2}fct_events_daily +— +\S+ +-\S+ +— +— +removed /m);
  });
});

describe("the project [budget] against the whole run", () => {
  it("a new model over the biggest table pushes the run past the ceiling: the models the PR leaves alone count at their observed cost, not the stub", async () => {
    const withBudget = { ...BASE, "rocky.toml": `${BASE["rocky.toml"] as string}\n[budget]\nmax_usd = 2.5\non_breach = "error"\n` };
    const repo = fixture({ base: withBudget, head: { "models/customer_event_grid.sql": "SELECT c.customer_id, e.event_type\nFROM stg_customers AS c\nCROSS JOIN stg_events AS e\n" }, headIsPatch: true });
    // stg_events: thirty minutes a run on Small, $2.40; the run is under $2.50 before the PR.
    const runs: ModelRunRecord[] = [0, 1, 2, 3, 4].map((i) => ({ model: "stg_events", runId: `r${i}`, startedAt: `2026-01-2${i}T00:00:00Z`, status: "success", durationMs: 1_800_000, adapterType: "snowflake" }));
    const result = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK, state: { recentRuns: async (model: string, limit: number) => (model === "stg_events" ? runs.slice(0, limit) : []) } });

    const project = result.report.cost?.budgetBreaches.find((b) => b.scope === "project");
    assert.ok(project, `no project breach: ${JSON.stringify(result.report.cost?.budgetBreaches)}`);
    assert.ok(project.actual > 2.4 + 0.5, `the run after the PR priced at ${project.actual}`);
    assert.equal(costCheck(result).conclusion, "failure", "on_breach = error");
  });
});
