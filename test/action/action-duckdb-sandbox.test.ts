/**
 * The bundled Action runs a PR's model SQL in its own process when the warehouse is the embedded
 * DuckDB: locked down to the checkout, a model cannot read the runner's environment or a file
 * outside the checkout into the error messages the run logs and posts, while the repository's own
 * data files still load.
 */
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { editLine, SHOP_BASE, shopTomlOnFile } from "../review/e2e/shop-fixture.js";
import { seedShopRaw, withDuckDbFile } from "../support/duckdb-file.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";
import { pullRequestEvent, pushEvent } from "../support/webhooks.js";
import { type ActionRun, runAction } from "./action-harness.js";

const TOKEN = "ghs_action_token";
/** In the Action's environment (as a warehouse secret would be) and in a file outside the checkout: it must never leave. */
const SENTINEL = "rocky-sentinel-3f9c2a71d4";

const LEAKS = {
  "models/leak_env.sql": "SELECT CAST(content AS INTEGER) AS x FROM read_text('/proc/self/environ')\n",
  "models/csv_orders.sql": "SELECT id, amount FROM 'data/orders.csv'\n",
};

describe("the bundled Action runs a PR's SQL on an embedded DuckDB locked down to the checkout", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let outside: string;
  let db: string;

  const env = () => ({ ROCKY_TEST_SENTINEL: SENTINEL });

  /** The sentinel in nothing the Action sent to GitHub, logged or wrote to the job summary. */
  const assertNoSentinel = (run: ActionRun) => {
    assert.ok(gh.requests.length > 0);
    assert.ok(!JSON.stringify(gh.requests.map((r) => r.body)).includes(SENTINEL), "a request to GitHub carries the sentinel");
    assert.ok(!run.stdout.includes(SENTINEL) && !run.stderr.includes(SENTINEL) && !run.summary.includes(SENTINEL), "the log or the summary carries the sentinel");
  };

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    outside = realpathSync(mkdtempSync(join(tmpdir(), "rocky-outside-")));
    writeFileSync(join(outside, "secret.txt"), `${SENTINEL}\n`);
    repo = createGitFixture({
      base: { ...SHOP_BASE, "rocky.toml": shopTomlOnFile(), "data/orders.csv": "id,amount\n1,12.5\n2,3\n" },
      head: { ...LEAKS, "models/leak_file.sql": `SELECT CAST(content AS INTEGER) AS x FROM read_text('${join(outside, "secret.txt")}')\n` },
      headIsPatch: true,
      mainAfter: [{ ...LEAKS, "models/leak_file.sql": `SELECT CAST(content AS INTEGER) AS x FROM read_text('${join(outside, "secret.txt")}')\n` }],
    });
    db = join(repo.dir, "warehouse.duckdb");
    await seedShopRaw(db);
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: Object.keys(LEAKS).map((f) => pullFile(repo, f)) });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  test("branch schema: reading /proc/self/environ or a file outside the checkout fails with a permission error, a CSV in the repository loads", async () => {
    gh.clearRequests();
    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "branch-schema": "on" }, env: env() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /branch branch__pr_2: \d+ models run, status partial_failure: /);
    assert.match(run.stdout, /leak_env failed \([^)]*Permission Error: Cannot access file "\/proc\/self\/environ"/);
    assert.match(run.stdout, /leak_file failed \([^)]*Permission Error: Cannot access file "[^"]*secret\.txt"/);
    const rows = await withDuckDbFile(db, (q) => q("SELECT count(*)::INT, sum(amount)::DOUBLE FROM branch__pr_2.csv_orders"));
    assert.deepEqual(rows, [[2, 15.5]]);
    assertNoSentinel(run);
  });

  test("production run: the failure posted on the rocky/production check run names the permission error, never the sentinel", async () => {
    gh.clearRequests();
    const run = await runAction({ apiUrl: gh.url, event: "push", payload: pushEvent({ ref: "refs/heads/main", before: repo.baseSha, after: repo.mainSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "production-run": "on" }, env: env() });

    assert.equal(run.code, 1, run.stdout);
    const mark = [...gh.checkRuns.values()].find((r) => r.name === "rocky/production" && r.head_sha === repo.mainSha);
    assert.equal(mark?.conclusion, "failure");
    assert.match(mark?.output.summary ?? "", /leak_env failed \(.*Permission Error/);
    assert.deepEqual(gh.invalid(), []);
    assertNoSentinel(run);
  });
});

describe("the bundled Action refuses a DuckDB file outside the checkout", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": shopTomlOnFile("../elsewhere.duckdb") }, head: editLine("models/int_orders.sql", 5, "    UPPER(status) AS status"), headIsPatch: true });
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, "models/int_orders.sql")] });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("a rocky.toml `path` of ../elsewhere.duckdb: no branch schema, a warning naming rocky.toml's line", async () => {
    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "branch-schema": "on" } });

    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /::warning title=Rocky review%3A branch schema not created::.*`path` in \[adapter\] of rocky\.toml line 3 names "\.\.\/elsewhere\.duckdb" \(\/.*\/elsewhere\.duckdb\), outside the repository checkout/);
    assert.match(run.summary, /Branch schema not created:.*rocky\.toml line 3/);
  });
});
