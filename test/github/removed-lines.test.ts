import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Octokit } from "@octokit/rest";
import { publishReview } from "../../review/src/github/publish-review.js";
import { createResiliencePlugin } from "../../review/src/github/resilience.js";
import { reviewPullRequest } from "../../review/src/review-pull-request.js";
import { SHOP_BASE } from "../review/e2e/shop-fixture.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";

/**
 * Findings on things a PR removes (a dropped column, a deleted model) have their line on the
 * merge-base side: the real review core puts them on the deleted lines (`side: LEFT`), the fake
 * GitHub accepts them (it answers 422 for a LEFT line the patch does not delete), and later pushes
 * neither repeat them nor resolve their threads while the finding stands.
 */
const OWNER = "Codertocat";
const REPO = "Hello-World";
const TOKEN = "ghs_removed_lines";

function client(gh: FakeGitHub) {
  const Resilient = Octokit.plugin(createResiliencePlugin({ retries: 1, baseDelayMs: 1, retryAfterUnitMs: 1, writeSpacingMs: 0, secondaryFallbackMs: 1 }));
  const quiet = () => undefined;
  return new Resilient({ auth: TOKEN, baseUrl: gh.url, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
}

// int_orders drops `status` (its line 5; line 4 loses its comma), which orders_export reads through
// its SELECT *; the PR deletes stg_customers, which a dashboard reads (an exposure), and old_report,
// which nothing reads: gone, not broken, so its deleted line gets no comment.
const BASE: Readonly<Record<string, string>> = {
  ...SHOP_BASE,
  "models/orders_export.sql": ["SELECT * FROM int_orders", ""].join("\n"),
  "models/stg_customers.toml": `${SHOP_BASE["models/stg_customers.toml"]}\n[[exposures]]\nname = "Customer list"\ntype = "dashboard"\n`,
  "models/old_report.sql": ["SELECT order_id FROM int_orders", ""].join("\n"),
};
const INT_ORDERS_HEAD = ["SELECT", "    order_id,", "    customer_id,", "    amount", "FROM stg_orders", ""].join("\n");
const FILES = ["models/int_orders.sql", "models/stg_customers.sql", "models/stg_customers.toml", "models/old_report.sql"];
const DELETED = new Set(["models/stg_customers.sql", "models/stg_customers.toml", "models/old_report.sql"]);

describe("findings on removed lines, end to end through the fake GitHub", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    repo = createGitFixture({ base: BASE, head: { "models/int_orders.sql": INT_ORDERS_HEAD, "models/stg_customers.sql": null, "models/stg_customers.toml": null, "models/old_report.sql": null }, headIsPatch: true });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  /** As GitHub lists the PR's files at `head`: a deleted file is `removed`, its patch all deletions. */
  function servePull(headSha: string, paths: readonly string[]) {
    const files = paths.map((path) => ({ ...pullFile({ ...repo, headSha }, path), ...(DELETED.has(path) ? { status: "removed" as const } : {}) }));
    const existing = gh.pulls.get(2);
    if (existing) {
      existing.headSha = headSha;
      existing.files = files;
    } else gh.addPull({ number: 2, headSha, baseSha: repo.baseSha, author: "analyst", files });
  }

  async function reviewAndPublish(headSha: string, paths: readonly string[] = FILES) {
    const { rendered } = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: headSha, env: {} });
    servePull(headSha, paths);
    const result = await publishReview({ octokit: client(gh), owner: OWNER, repo: REPO, pr: 2, headSha, rendered, options: { commentMode: "update" } });
    return { rendered, result };
  }

  test("the dropped column's and the removed model's findings go on their deleted lines (LEFT), and GitHub's rules accept them", async () => {
    const { rendered, result } = await reviewAndPublish(repo.headSha);

    assert.deepEqual(gh.invalid(), [], JSON.stringify(gh.invalid().map((r) => [r.operationId, r.error])));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      gh.reviewComments.map((c) => [c.path, c.line, c.side]).sort(),
      [
        ["models/int_orders.sql", 5, "LEFT"],
        ["models/stg_customers.sql", 1, "LEFT"],
      ],
    );
    const dropped = gh.reviewComments.find((c) => c.path === "models/int_orders.sql");
    // The subject once: "in `int_orders.status`: String dropped", not "...: status: String dropped".
    assert.match(dropped?.body ?? "", /^\*\*column_dropped\*\* in `int_orders\.status`: String dropped/);
    const create = gh.requests.find((r) => r.operationId === "pulls/create-review");
    assert.ok(create, "one review was posted");
    // No check-run annotation can point at a base line; the comment names where the line was.
    assert.ok([...gh.checkRuns.values()].every((r) => r.annotations.every((a) => a.path !== "models/stg_customers.sql")));
    assert.match(gh.comments[0].body, /`model_removed` .*`models\/stg_customers\.sql` \(deleted by this PR\)/);
    assert.match(gh.comments[0].body, /`column_dropped` .*`models\/int_orders\.sql:5` \(line deleted by this PR\)/);
    assert.equal(rendered.inlineComments.filter((c) => c.side === "LEFT").length, 2);
    // old_report is listed as removed, and not commented: nothing read it.
    assert.match(gh.comments[0].body, /`model_removed` .*`models\/old_report\.sql` \(deleted by this PR\)/);
    assert.ok(!gh.reviewComments.some((c) => c.path === "models/old_report.sql"));
  });

  test("a second push repeats neither comment and keeps their threads open; the fix resolves the column's thread", async () => {
    writeFileSync(join(repo.dir, "models/fct_revenue.sql"), `-- revenue per order\n${SHOP_BASE["models/fct_revenue.sql"]}`);
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "a comment");
    const second = repo.git("rev-parse", "HEAD");

    const { result } = await reviewAndPublish(second, [...FILES, "models/fct_revenue.sql"]);

    assert.deepEqual(gh.invalid(), []);
    assert.deepEqual(result.review, { posted: 0, skipped: 2 });
    assert.equal(gh.reviewComments.length, 2);
    assert.deepEqual(result.threads, { resolved: 0, reopened: 0 });
    assert.ok(gh.reviewThreads(2).every((t) => !t.resolved));

    writeFileSync(join(repo.dir, "models/int_orders.sql"), BASE["models/int_orders.sql"]);
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "keep status");
    const third = repo.git("rev-parse", "HEAD");

    const fixed = await reviewAndPublish(third, [...DELETED, "models/fct_revenue.sql"]);

    assert.deepEqual(gh.invalid(), []);
    assert.deepEqual(fixed.result.threads, { resolved: 1, reopened: 0 });
    const open = gh.reviewThreads(2).filter((t) => !t.resolved);
    assert.deepEqual(open.map((t) => t.comments[0].path), ["models/stg_customers.sql"]);
  });

  test("a deleted line GitHub's patch does not show (a file too large for a patch) is never sent: the fake would answer 422", async () => {
    const { rendered } = await reviewAndPublish(repo.headSha);
    gh.reset();
    servePull(repo.headSha, FILES);
    const pull = gh.pulls.get(2);
    assert.ok(pull);
    pull.files = pull.files.map((f) => (f.filename === "models/stg_customers.sql" ? { filename: f.filename, status: "removed" as const } : f));

    const result = await publishReview({ octokit: client(gh), owner: OWNER, repo: REPO, pr: 2, headSha: repo.headSha, rendered, options: { commentMode: "update" } });

    assert.deepEqual(gh.invalid(), []);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.review, { posted: 1, skipped: 1 });
    assert.deepEqual(gh.reviewComments.map((c) => [c.path, c.line, c.side]), [["models/int_orders.sql", 5, "LEFT"]]);
    // GitHub's rule, as the fake keeps it: LEFT names a line the patch deletes, not a context line (line 2 of int_orders).
    const post = (line: number) =>
      client(gh).request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: OWNER, repo: REPO, pull_number: 2, event: "COMMENT", body: "x", comments: [{ path: "models/int_orders.sql", line, side: "LEFT", body: "on base" }] });
    await assert.rejects(post(2), (e: { status: number; message: string }) => e.status === 422 && /Line could not be resolved/.test(e.message));
    await post(4);
  });
});
