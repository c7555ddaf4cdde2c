import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reviewPullRequest, type ReviewResult } from "../../../review/src/index.js";
import { joinKinds } from "../../../review/src/cost/index.js";
import type { ModelRunRecord } from "../../../review/src/ports.js";
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
  });

  it("reads join kinds from the compiler's JOIN fingerprint (no JOIN word; several sorted, ` ; `-separated)", () => {
    assert.deepEqual(joinKinds("CROSS stg_events"), ["cross"]);
    assert.deepEqual(joinKinds("INNER b ON (a.id = b.id) ; LEFT c ON (a.id = c.id)"), ["inner", "left"]);
    assert.deepEqual(joinKinds("ANTI b ON (a.id = b.id) ; ASOF LEFT c ON (a.t >= c.t)"), ["left", "left"]);
    assert.deepEqual(joinKinds(undefined), []);
  });
});
