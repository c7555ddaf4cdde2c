import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { editLine, SHOP_BASE, shopTomlOnFile } from "../review/e2e/shop-fixture.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { withDuckDbFile } from "../support/duckdb-file.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";
import { pullRequestEvent, pushEvent } from "../support/webhooks.js";
import { runAction } from "./action-harness.js";
import { shopOnWarehouse } from "./shop-warehouse.js";

const TOKEN = "ghs_action_token";

const tables = (path: string) => withDuckDbFile(path, async (run) => (await run("SELECT table_schema || '.' || table_name FROM information_schema.tables")).map((r) => String(r[0])));

describe("the bundled Action's production runs and branch schemas on a real DuckDB warehouse", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let db: string;

  before(async () => {
    ({ gh, repo, db } = await shopOnWarehouse(TOKEN, {
      // One push to main of two commits (stg_customers, then stg_orders), then a commit that breaks int_orders at run time.
      mainAfter: [editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email"), editLine("models/stg_orders.sql", 8, "WHERE status <> 'test' AND amount >= 0"), editLine("models/int_orders.sql", 5, "    CAST(status AS INTEGER) AS status")],
      head: { "README.md": "docs\n" },
      headIsPatch: true,
    }));
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("a push runs every model changed between before and after, not only the last commit's", async () => {
    const pushed = repo.git("rev-parse", "main~1");

    const run = await runAction({ apiUrl: gh.url, event: "push", payload: pushEvent({ ref: "refs/heads/main", before: repo.baseSha, after: pushed }), workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" } });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    const names = await tables(db);
    assert.ok(names.some((t) => t.endsWith(".stg_customers")), `the first commit's model ran: ${names}`);
    assert.ok(names.some((t) => t.endsWith(".stg_orders")), `${names}`);
  });

  test("a failed production run fails the step and names the failed models", async () => {
    const run = await runAction({ apiUrl: gh.url, event: "push", payload: pushEvent({ ref: "refs/heads/main", before: repo.git("rev-parse", "main~1"), after: repo.mainSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" } });

    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /::error::Rocky review: the production run for [0-9a-f]{7}\.\.[0-9a-f]{7} failed: production run (failure|partial_failure): int_orders failed \(/);
    assert.match(run.stdout, /skipped because an upstream failed: .*fct_revenue/);
    // The failure is marked on the commit (the next run looks past it, to the last success, and runs its changes again).
    const marks = [...gh.checkRuns.values()].filter((r) => r.name === "rocky/production").map((r) => [r.head_sha, r.conclusion]);
    assert.deepEqual(marks, [
      [repo.git("rev-parse", "main~1"), "success"],
      [repo.mainSha, "failure"],
    ]);
    assert.match(run.summary, /## Rocky production run failed[\s\S]*int_orders failed/);
  });

  test("a merged PR's close runs no production (the push does) and, with branch-schema off, drops nothing and says nothing about it", async () => {
    const payload = pullRequestEvent({ action: "closed", headSha: repo.headSha, baseSha: repo.baseSha, merged: true, mergeCommitSha: repo.mainSha });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" } });

    assert.equal(run.code, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /models run|drop|branch schema/i);
    assert.match(run.stdout, /production run happens on the push to the default branch/);
  });
});

describe("the bundled Action when the branch schema cannot be created", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    // The warehouse cannot be opened: its directory does not exist.
    const toml = shopTomlOnFile("no-such-dir/warehouse.duckdb");
    repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": toml }, head: editLine("models/int_orders.sql", 5, "    UPPER(status) AS status"), headIsPatch: true });
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, "models/int_orders.sql")] });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("the review is posted first, the warehouse failure is reported, and the step exits by the fail-on policy", async () => {
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace: repo.dir, inputs: { "github-token": TOKEN, "branch-schema": "on", "fail-on": "never" } });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
    assert.equal(run.outputs.posted, "true");
    assert.ok(run.outputs.verdict);
    assert.match(run.stdout, /::warning title=Rocky review%3A branch schema not created::Rocky review: the branch schema of PR #2 could not be created/);
    assert.match(run.summary, /Branch schema not created/);
  });
});

describe("the bundled Action's production run on a project with no target schema", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let db: string;

  before(async () => {
    ({ gh, repo, db } = await shopOnWarehouse(TOKEN, { mainAfter: [{ "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = ""\n' }], head: { "README.md": "docs\n" }, headIsPatch: true }));
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("the step fails naming _defaults.toml and its line, and nothing is written to the warehouse", async () => {
    const before = await tables(db);

    const run = await runAction({ apiUrl: gh.url, event: "push", payload: pushEvent({ ref: "refs/heads/main", before: repo.baseSha, after: repo.mainSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" } });

    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /::error::Rocky review: the production run for [0-9a-f]{7}\.\.[0-9a-f]{7} failed: models\/_defaults\.toml:3: `target\.schema` = "" is not valid: expected a schema name, not an empty string; nothing was run/);
    assert.doesNotMatch(run.stdout, /CREATE SCHEMA/);
    assert.deepEqual(await tables(db), before);
  });
});

/** Three pushes to main of one commit each (stg_customers, then stg_orders, then stg_customers again), a DuckDB warehouse seeded, and a token with `permissions`. */
function threePushes(permissions: Record<string, "read" | "write">): Promise<{ gh: FakeGitHub; repo: GitFixture; db: string }> {
  return shopOnWarehouse(
    TOKEN,
    {
      mainAfter: [editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email"), editLine("models/stg_orders.sql", 8, "WHERE status <> 'test' AND amount >= 0"), editLine("models/stg_customers.sql", 3, "    UPPER(email) AS email")],
      head: { "README.md": "docs\n" },
      headIsPatch: true,
    },
    permissions,
  );
}

/** The Action on a push of main from `before` to `after`, production runs on. */
function pushRun(gh: FakeGitHub, repo: GitFixture, before: string, after: string) {
  return runAction({ apiUrl: gh.url, event: "push", payload: pushEvent({ ref: "refs/heads/main", before, after }), workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" } });
}

describe("the bundled Action's production runs, queued in one concurrency group, cover every push since the last successful one", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let db: string;

  before(async () => {
    ({ gh, repo, db } = await threePushes({ contents: "read", checks: "write", pull_requests: "write" }));
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  const push = (before: string, after: string) => pushRun(gh, repo, before, after);
  const markers = () => [...gh.checkRuns.values()].filter((r) => r.name === "rocky/production").map((r) => [r.head_sha, r.conclusion]);

  test("three pushes, the second's pending run cancelled by the third: the third runs the second's models too", async () => {
    const [c1, c2, c3] = ["main~2", "main~1", "main"].map((r) => repo.git("rev-parse", r));

    // Push 1: no production run has been marked yet, so its own range is run, and the log and the summary say so.
    const first = await push(repo.baseSha, c1);
    // Push 2 (c1..c2) never runs: GitHub cancelled it while it waited in the concurrency group.
    const third = await push(c2, c3);

    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /::warning title=Rocky review%3A production run falls back to the push's range::Rocky review: no successful production run \(a rocky\/production check run\) was found among the last 2 first-parent commit\(s\) of [0-9a-f]{7}/);
    assert.match(first.summary, /## Rocky production run succeeded\n\n[0-9a-f]{7}\.\.[0-9a-f]{7}: no successful production run .* falling back to this push's own range/);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, new RegExp(`production run of ${c1.slice(0, 7)}\\.\\.${c3.slice(0, 7)}: the models changed since the last successful production run, at ${c1.slice(0, 7)} \\(2 first-parent commit\\(s\\) back; this push started at ${c2.slice(0, 7)}`));
    assert.match(third.summary, /## Rocky production run succeeded/);
    assert.doesNotMatch(third.stdout, /::warning/);
    const names = await tables(db);
    for (const model of ["stg_customers", "stg_orders", "int_orders", "fct_revenue"]) assert.ok(names.includes(`wh.analytics.${model}`) || names.includes(`analytics.${model}`), `${model} built: ${names}`);
    assert.deepEqual(markers(), [
      [c1, "success"],
      [c3, "success"],
    ]);
    assert.deepEqual(gh.invalid(), []);
  });

  test("a re-run of an older push after main moved on builds nothing: the newer commit's run covers it", async () => {
    const [c1, c3] = ["main~2", "main"].map((r) => repo.git("rev-parse", r));
    // Dropped here so that any build of c1's stg_customers would show.
    await withDuckDbFile(db, (run) => run("DROP TABLE analytics.stg_customers CASCADE"));
    const marksBefore = markers();

    gh.refs.set("heads/main", c3);
    const rerun = await push(repo.baseSha, c1);

    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.match(rerun.stdout, new RegExp(`production run of ${c1.slice(0, 7)} skipped: main is at ${c3.slice(0, 7)} now, not ${c1.slice(0, 7)}: the production run of ${c3.slice(0, 7)} covers this commit's changes`));
    assert.match(rerun.summary, /## Rocky production run skipped/);
    // c1's stg_customers (LOWER(email)) was not built over c3's, and no marker was written.
    assert.ok(!(await tables(db)).includes("analytics.stg_customers"), "nothing was built");
    assert.deepEqual(markers(), marksBefore);
    assert.deepEqual(gh.invalid(), []);
  });

  test("the run of the commit main points at goes ahead", async () => {
    const c3 = repo.git("rev-parse", "main");
    gh.refs.set("heads/main", c3);
    const again = await push(repo.git("rev-parse", "main~1"), c3);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.doesNotMatch(again.stdout, /skipped/);
    assert.match(again.stdout, new RegExp(`${c3.slice(0, 7)} already had a successful production run`));
    assert.deepEqual(gh.invalid(), []);
  });
});

describe("the bundled Action's production run with a token that cannot read or write check runs", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let db: string;

  before(async () => {
    ({ gh, repo, db } = await threePushes({ contents: "read" }));
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("each run falls back to its push's range and says why, so the cancelled push's models are not run, and says that too", async () => {
    const [c1, c2, c3] = ["main~2", "main~1", "main"].map((r) => repo.git("rev-parse", r));
    const push = (before: string, after: string) => pushRun(gh, repo, before, after);

    await push(repo.baseSha, c1);
    const third = await push(c2, c3);

    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /no successful production run \(a rocky\/production check run\) was found \(the rocky\/production check runs could not be read: Resource not accessible by integration.*; the token needs `checks: read`\): falling back to this push's own range [0-9a-f]{7}\.\.[0-9a-f]{7}; models changed by earlier pushes whose production runs were cancelled or failed are not run by this one/);
    assert.match(third.stdout, /::warning::Rocky review: the rocky\/production check run could not be written on [0-9a-f]{7}: Resource not accessible by integration/);
    assert.match(third.summary, /could not be written .*give the workflow `checks: write`/);
    const names = await tables(db);
    assert.ok(names.includes("analytics.stg_customers"), `${names}`);
    assert.ok(!names.includes("analytics.stg_orders"), `the cancelled push's stg_orders was not run, as the log says: ${names}`);
    assert.equal(gh.checkRuns.size, 0);
  });
});
