/**
 * Fork PRs on `pull_request` and on `pull_request_target`. On `pull_request` a fork's GITHUB_TOKEN
 * is read-only and secrets are absent: the review goes to the job summary. On
 * `pull_request_target` the workflow runs in the base repository with a write token and the
 * secrets, fork or not: the review is posted, and the fork's rocky.toml must not see the
 * environment (a `${VAR}` in a target schema would print the secret in the public comment).
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { SHOP_BASE } from "../review/e2e/shop-fixture.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";
import { pullRequestEvent } from "../support/webhooks.js";
import { runAction } from "./action-harness.js";

const TOKEN = "ghs_action_token";
const ACTIONS_BOT = { login: "github-actions[bot]", type: "Bot" } as const;
const SECRET = "hunter2-not-for-forks";

describe("fork pull requests: pull_request (read-only token) and pull_request_target (write token, secrets)", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: ACTIONS_BOT }, ghs_read_only: { user: ACTIONS_BOT, readOnly: true } } });
    // The PR moves every model's target schema to ${ROCKY_LEAK}: a review that resolved it would print the value.
    repo = createGitFixture({ base: SHOP_BASE, head: { "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "${ROCKY_LEAK:-analytics}"\n' }, headIsPatch: true });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });
  beforeEach(() => {
    gh.pulls.clear();
    gh.comments.length = 0;
    gh.reviews.length = 0;
    gh.checkRuns.clear();
    gh.clearRequests();
  });

  const review = (event: string, options: { fork: boolean; token?: string }) => {
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, "models/_defaults.toml")], ...(options.fork ? { headRepoFullName: "forker/Hello-World" } : {}) });
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha, ...(options.fork ? { forkRepo: "forker/Hello-World" } : {}) });
    return runAction({ apiUrl: gh.url, event, payload, workspace: repo.dir, inputs: { "github-token": options.token ?? TOKEN, "warehouse-env": `ROCKY_LEAK=${SECRET}` }, env: { ROCKY_LEAK: SECRET } });
  };
  const posted = () => JSON.stringify([gh.comments.map((c) => c.body), [...gh.checkRuns.values()].map((r) => [r.output, r.annotations])]);

  test("control: a same-repository PR's rocky.toml sees warehouse-env (so the fork tests below can see a leak)", async () => {
    const run = await review("pull_request", { fork: false });

    assert.equal(gh.comments.length, 1, run.stdout);
    assert.ok(posted().includes(SECRET));
  });

  test("pull_request_target, fork: the token can write, so the review is posted; the fork's rocky.toml gets no environment", async () => {
    const run = await review("pull_request_target", { fork: true });

    assert.deepEqual(gh.invalid(), []);
    assert.equal(gh.checkRuns.size, 5, run.stdout);
    assert.equal(gh.comments.length, 1);
    assert.equal(run.outputs.posted, "true");
    assert.doesNotMatch(run.stdout, /read-only/);
    assert.match(run.stdout, /fork pull request on pull_request_target: the review is posted/);
    assert.ok(!posted().includes(SECRET), "no secret in the posted comment or checks");
    assert.ok(!run.summary.includes(SECRET) && !run.stdout.includes(SECRET));
  });

  test("pull_request, fork: the token is read-only; the review goes to the job summary, nothing is written", async () => {
    const run = await review("pull_request", { fork: true, token: "ghs_read_only" });

    assert.deepEqual(gh.writes(), []);
    assert.match(run.stdout, /fork pull request on pull_request, the GITHUB_TOKEN is read-only/);
    assert.match(run.summary, /## .*Rocky review/);
    assert.equal(run.outputs.posted, "false");
  });
});
