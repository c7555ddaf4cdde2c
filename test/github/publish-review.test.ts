import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Octokit } from "@octokit/rest";
import { cancelChecks, startChecks } from "../../review/src/github/check-runs.js";
import { asGitHubClient } from "../../review/src/github/github-client.js";
import { parseStamp, STICKY_MARKER } from "../../review/src/github/markers.js";
import { publishReview } from "../../review/src/github/publish-review.js";
import { createResiliencePlugin } from "../../review/src/github/resilience.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview, ORDERS_PATCH, p001Inline } from "../support/fake-github/canned-review.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);
const TOKEN = "ghs_test_token";

let gh: FakeGitHub;
let octokit: InstanceType<typeof Octokit>;

function client(token = TOKEN) {
  const Resilient = Octokit.plugin(createResiliencePlugin({ baseDelayMs: 1, retryAfterUnitMs: 1, writeSpacingMs: 0, secondaryFallbackMs: 1 }));
  const quiet = () => undefined;
  return new Resilient({ auth: token, baseUrl: gh.url, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
}

function publish(rendered = cannedReview(), options: Partial<Parameters<typeof publishReview>[0]["options"]> = {}, headSha = HEAD, instance: object = octokit) {
  return publishReview({ octokit: instance, owner: OWNER, repo: REPO, pr: 2, headSha, rendered, options: { commentMode: "update", ...options } });
}

describe("publishReview against the fake GitHub", () => {
  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } }, ghs_read_only: { user: { login: "github-actions[bot]", type: "Bot" }, readOnly: true } } });
  });
  after(() => gh.close());
  beforeEach(() => {
    gh.reset();
    gh.addPull({ number: 2, headSha: HEAD, baseSha: BASE, author: "analyst", files: [{ filename: "models/orders.sql", patch: ORDERS_PATCH }] });
    octokit = client();
  });

  test("first run: five completed checks, one stamped comment, one review; every request valid; 7 writes", async () => {
    const result = await publish();

    assert.equal(result.comment, "created");
    assert.equal(result.checks.length, 5);
    assert.deepEqual(result.review, { posted: 1, skipped: 0 });
    assert.equal(result.writes, 7);
    assert.deepEqual(gh.invalid(), []);
    const runs = [...gh.checkRuns.values()];
    assert.deepEqual(runs.map((r) => r.name).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking", "rocky/portability"]);
    assert.ok(runs.every((r) => r.head_sha === HEAD && r.status === "completed"));
    assert.equal(runs.find((r) => r.name === "rocky/portability")?.conclusion, "failure");
    assert.match(runs[0].external_id, /^rocky-review;pr=2;run=/);
    assert.equal(gh.comments.length, 1);
    assert.ok(gh.comments[0].body.startsWith(STICKY_MARKER));
    assert.equal(parseStamp(gh.comments[0].body)?.head_sha, HEAD);
    assert.match(gh.comments[0].body, /`aaaaaaa`/);
    // Checks are written before the comment.
    const order = gh.writes().map((r) => r.operationId);
    assert.ok(order.lastIndexOf("checks/create") < order.indexOf("issues/create-comment"));
    assert.equal(gh.reviewComments[0].line, 3);
    assert.match(gh.reviewComments[0].body, /```suggestion/);
  });

  test("an unchanged re-run writes nothing at all", async () => {
    await publish();
    gh.clearRequests();

    const result = await publish();

    assert.equal(result.comment, "unchanged");
    assert.equal(result.checksUnchanged, 5);
    assert.deepEqual(result.review, { posted: 0, skipped: 1 });
    assert.equal(result.writes, 0);
    assert.deepEqual(gh.writes(), []);
  });

  test("a changed review edits the one comment in place and re-posts only changed checks", async () => {
    await publish();
    gh.clearRequests();

    const result = await publish(cannedReview({ comment: "## Rocky review: fail\n\nnow 2 errors", conclusions: { "rocky/contracts": "failure" } }));

    assert.equal(result.comment, "updated");
    assert.equal(gh.comments.length, 1);
    assert.match(gh.comments[0].body, /now 2 errors/);
    assert.equal(result.checks.length, 1, "only rocky/contracts changed");
    assert.ok(gh.writes().some((r) => r.operationId === "issues/update-comment"));
  });

  test("a worse verdict also posts a short notification mentioning the author", async () => {
    await publish(cannedReview({ verdict: "advisory" }));

    const result = await publish(cannedReview({ verdict: "fail", comment: "worse now" }));

    assert.equal(result.notified, true);
    assert.equal(gh.comments.length, 2);
    assert.match(gh.comments[1].body, /@analyst .*advisory.*fail/);
    assert.ok(!gh.comments[1].body.startsWith(STICKY_MARKER), "the notice is never taken for the sticky comment");
    const again = await publish(cannedReview({ verdict: "fail", comment: "worse, changed again" }));
    assert.equal(again.notified, false);
    assert.equal(again.comment, "updated");
  });

  test("the notice mentions no one when the author is a bot (renovate[bot] is not @renovatebot)", async () => {
    await publish(cannedReview({ verdict: "advisory" }), { author: "renovate[bot]" });

    const result = await publish(cannedReview({ verdict: "fail", comment: "worse now" }), { author: "renovate[bot]" });

    assert.equal(result.notified, true);
    assert.doesNotMatch(gh.comments[1].body, /@/);
    assert.match(gh.comments[1].body, /Rocky review got worse/);
  });

  test("a run whose head is no longer the PR head posts checks on its own SHA but no comment", async () => {
    gh.pulls.get(2)!.headSha = "c".repeat(40);

    const result = await publish();

    assert.equal(result.comment, "skipped");
    assert.equal(result.posted, false);
    assert.match(result.reason ?? "", /stale run/);
    assert.equal(gh.comments.length, 0);
    assert.equal(gh.reviews.length, 0);
  });

  test("hide-and-new minimizes the old comment and posts a new one", async () => {
    await publish(cannedReview({ comment: "first" }), { commentMode: "hide-and-new" });

    const result = await publish(cannedReview({ comment: "second" }), { commentMode: "hide-and-new" });

    assert.equal(result.comment, "created");
    assert.equal(gh.comments.length, 2);
    assert.equal(gh.comments[0].minimized, true);
    assert.equal(gh.comments[1].minimized, false);
  });

  test("inline comments outside the diff are dropped (GitHub would reject the whole review) and never repeated", async () => {
    const inline = [p001Inline(3), { ...p001Inline(40), fingerprint: "P001:orders:x:40" }, { ...p001Inline(4), start_line: 3, fingerprint: "multi" }];

    const first = await publish(cannedReview({ inline }));
    const second = await publish(cannedReview({ inline, comment: "changed" }));

    assert.deepEqual(first.review, { posted: 2, skipped: 1 });
    assert.deepEqual(second.review, { posted: 0, skipped: 3 });
    assert.equal(gh.reviews.length, 1);
    assert.deepEqual(
      gh.reviewComments.map((c) => c.line),
      [3, 4],
    );
  });

  test("the review's body counts every finding on a changed line left to the annotations, those past the render's cap too", async () => {
    const inline = [p001Inline(3), { ...p001Inline(4), fingerprint: "P001:orders:x:4" }];

    const result = await publish({ ...cannedReview({ inline }), inlineCommentsOverCap: 75 }, { maxInlineComments: 1 });

    assert.deepEqual(result.review, { posted: 1, skipped: 1 });
    assert.deepEqual(gh.invalid(), []);
    assert.match(gh.reviews[0].body, /^Rocky review: 1 finding on lines this PR changes \(76 more are in the check runs' annotations\)\./);
  });

  test("the fake rejects a review with one line outside the diff", async () => {
    await assert.rejects(
      octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: OWNER, repo: REPO, pull_number: 2, event: "COMMENT", body: "x", comments: [{ path: "models/orders.sql", line: 40, side: "RIGHT", body: "no" }] }),
      (e: { status: number; message: string }) => e.status === 422 && /Line could not be resolved/.test(e.message),
    );
  });

  test("5,000 findings stay within every limit: annotations in batches of 50, long comment clamped", async () => {
    const huge = "x".repeat(70_000);

    const result = await publish(cannedReview({ annotations: 5000, comment: huge }), { maxAnnotations: 1000 });

    assert.deepEqual(gh.invalid(), []);
    assert.equal(result.comment, "created");
    assert.ok([...gh.comments[0].body].length <= 65_536);
    const portability = [...gh.checkRuns.values()].find((r) => r.name === "rocky/portability")!;
    assert.equal(portability.annotations.length, 1000);
    assert.equal(portability.writes, 20);
    assert.ok(gh.requests.every((r) => ((r.body as { output?: { annotations?: unknown[] } })?.output?.annotations?.length ?? 0) <= 50));
    assert.match(portability.output.text ?? "", /4000 more annotations/);
  });

  test("a PR touching no model: checks skipped, no new comment", async () => {
    const result = await publish(cannedReview({ touchesNoModels: true, inline: [] }));

    assert.ok([...gh.checkRuns.values()].every((r) => r.conclusion === "skipped"));
    assert.equal(result.comment, "skipped");
    assert.equal(gh.comments.length, 0);
  });

  test("a read-only token is reported, not thrown", async () => {
    const result = await publish(cannedReview(), {}, HEAD, client("ghs_read_only"));

    assert.equal(result.posted, false);
    assert.equal(result.readOnly, true);
    assert.match(result.reason ?? "", /Resource not accessible by integration/);
    assert.equal(gh.checkRuns.size, 0);
  });

  test("502 then success, secondary rate limit then success, 429 then success", async () => {
    gh.fault({ operationId: "checks/create", status: 502, times: 2 });
    gh.fault({ operationId: "issues/create-comment", status: 403, message: "You have exceeded a secondary rate limit.", headers: { "retry-after": "1" } });
    gh.fault({ operationId: "pulls/create-review", status: 429, message: "Too many requests", headers: { "retry-after": "1" } });

    const result = await publish();

    assert.equal(result.comment, "created");
    assert.equal(result.checks.length, 5);
    assert.equal(result.review.posted, 1);
    assert.equal(gh.requests.filter((r) => r.operationId === "checks/create" && r.status === 502).length, 2);
    assert.equal(gh.requests.filter((r) => r.operationId === "issues/create-comment").length, 2);
  });

  for (const how of [
    { name: "answers 502", fault: { status: 502 } },
    { name: "drops the connection", fault: { status: 500, drop: true } },
  ]) {
    test(`a create GitHub applied before it ${how.name} is not sent again: one comment, one review, five check runs`, async () => {
      for (const operationId of ["checks/create", "issues/create-comment", "pulls/create-review"]) gh.fault({ operationId, apply: true, ...how.fault });

      const result = await publish();

      assert.equal(result.posted, true, result.errors.join("; "));
      assert.equal(result.comment, "created");
      assert.equal(result.checks.length, 5);
      assert.equal(result.review.posted, 1);
      assert.equal(gh.comments.length, 1);
      assert.equal(gh.reviews.length, 1);
      assert.equal(gh.reviewComments.length, 1);
      assert.deepEqual([...gh.checkRuns.values()].map((r) => r.name).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking", "rocky/portability"]);
      // The answer GitHub never gave is found again: the comment's URL, the checks' ids.
      assert.equal(result.commentUrl, `https://github.com/${OWNER}/${REPO}/pull/2#issuecomment-${gh.comments[0].id}`);
      assert.deepEqual(result.checks.sort(), [...gh.checkRuns.keys()].sort());
      assert.deepEqual(gh.invalid(), []);
    });
  }

  test("a started check GitHub created before answering 502 is not created twice, and is completed in place", async () => {
    gh.fault({ operationId: "checks/create", status: 502, apply: true, after: 2 });
    const started = await startChecks({ client: asGitHubClient(octokit), owner: OWNER, repo: REPO, headSha: HEAD }, { pr: 2, runKey: "r1" });

    assert.equal(gh.checkRuns.size, 5);
    assert.deepEqual(Object.values(started).sort(), [...gh.checkRuns.keys()].sort());
    const result = await publish(cannedReview(), { started });
    assert.equal(gh.checkRuns.size, 5);
    assert.ok([...gh.checkRuns.values()].every((r) => r.status === "completed"), "every started check completed");
    assert.equal(result.posted, true);
  });

  test("the 'got worse' notice GitHub posted before answering 502 is not posted twice", async () => {
    await publish(cannedReview({ verdict: "advisory" }));
    gh.fault({ operationId: "issues/create-comment", status: 502, apply: true });

    const result = await publish(cannedReview({ verdict: "fail", comment: "worse now" }));

    assert.equal(result.notified, true);
    assert.equal(result.posted, true);
    assert.equal(gh.comments.length, 2, "the sticky comment and one notice");
  });

  test("when GitHub cannot say whether a 502'd comment landed, it is reported, never sent twice", async () => {
    gh.fault({ operationId: "issues/create-comment", status: 502, apply: true });
    // The first listing (looking for an earlier comment) works; the look-up after the 502 fails.
    gh.fault({ operationId: "issues/list-comments", status: 404, message: "Not Found", after: 1, times: 1 });

    const result = await publish();

    assert.equal(gh.comments.length, 1);
    assert.equal(result.posted, false);
    assert.match(result.errors.join(), /sticky comment: fault injected \(502\)/);
  });

  test("a failure after the checks are complete is reported, not thrown", async () => {
    gh.fault({ operationId: "pulls/get", status: 404, message: "Not Found" });

    const result = await publish();

    assert.equal(result.checks.length, 5);
    assert.equal(result.posted, false);
    assert.match(result.errors.join(), /reading PR #2: Not Found/);
  });

  test("started checks are completed in place; cancelled ones end cancelled", async () => {
    const target = { client: asGitHubClient(octokit), owner: OWNER, repo: REPO, headSha: HEAD };
    const started = await startChecks(target, { pr: 2, runKey: "r1" });
    assert.ok([...gh.checkRuns.values()].every((r) => r.status === "in_progress"));

    const result = await publish(cannedReview(), { started });

    assert.deepEqual(result.checks.sort(), Object.values(started).sort());
    assert.ok([...gh.checkRuns.values()].every((r) => r.status === "completed"));
    const other = await startChecks({ ...target, headSha: "d".repeat(40) }, { pr: 2, runKey: "r2" });
    await cancelChecks({ ...target, headSha: "d".repeat(40) }, other, "Superseded", "superseded by a newer push");
    assert.ok(Object.values(other).every((id) => gh.checkRuns.get(id)?.conclusion === "cancelled"));
  });
});
