import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { type RunningApp, startAppServer } from "../../app/src/start-server.js";
import { STICKY_MARKER, stickyMarker } from "../../review/src/github/markers.js";
import { memoryDeliveryLog, type WarehousePort } from "../../review/src/github/shell-ports.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview, ORDERS_PATCH } from "../support/fake-github/canned-review.js";
import { checkRunRerequestedEvent, checkSuiteRerequestedEvent, deliver, prCommentEvent, pullRequestEvent, pushEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, type FixtureRepo, fixtureRepo, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";

const ORDERS_HEAD_PATCH = "@@ -1 +1 @@\n-select id, amount from raw.orders\n+select id, amount::double as amount from raw.orders";

class RecordingWarehouse implements WarehousePort {
  readonly calls: string[] = [];
  async createBranch(pr: number, headSha: string, baseSha?: string) {
    this.calls.push(`create ${pr} ${headSha.slice(0, 7)}${baseSha ? "" : " (no base)"}`);
  }
  async dropBranch(pr: number) {
    this.calls.push(`drop ${pr}`);
  }
  async runProduction(sha: string, before?: string) {
    this.calls.push(`production ${before ? `${before.slice(0, 7)}..` : ""}${sha.slice(0, 7)}`);
  }
}

let gh: FakeGitHub;
let repo: FixtureRepo;
let app: RunningApp;
let review: ScriptedReview;
let warehouse: RecordingWarehouse;
let deliveryNo = 0;
let fetches = 0;

async function startApp(settings: string | undefined, progressChecks = true): Promise<void> {
  repo = fixtureRepo(settings);
  review = new ScriptedReview(() => cannedReview({ inline: [{ path: "models/orders.sql", line: 1, side: "RIGHT", body: "**P001** `::double`", fingerprint: "P001:orders:1" }] }));
  warehouse = new RecordingWarehouse();
  app = await startAppServer(testProbot(gh.url), { review: review.run, fetchRepo: countingFetch(gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate })), deliveries: memoryDeliveryLog(), warehouseFor: () => warehouse, botLogin: "rocky-review[bot]", progressChecks });
  gh.pulls.clear();
  gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, author: "analyst", files: [{ filename: "models/orders.sql", patch: ORDERS_HEAD_PATCH }] });
}

function countingFetch(fetch: ReturnType<typeof gitFetcher>): ReturnType<typeof gitFetcher> {
  return (input) => {
    fetches += 1;
    return fetch(input);
  };
}

function send(event: string, payload: unknown, delivery = `delivery-${++deliveryNo}`, signWith?: string) {
  return deliver(app.url, { event, payload, delivery, secret: SECRET, signWith });
}

function opened(extra: Partial<Parameters<typeof pullRequestEvent>[0]> = {}) {
  return pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha, ...extra });
}

function resetFake() {
  const pull = gh.pulls.get(2);
  if (pull) pull.headSha = repo.headSha;
  gh.comments.length = 0;
  gh.reviews.length = 0;
  gh.reviewComments.length = 0;
  gh.checkRuns.clear();
  gh.reactions.length = 0;
  gh.clearRequests();
}

describe("the Probot app end to end (signed deliveries, real app JWT and installation token)", () => {
  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review" });
  });
  after(() => gh.close());

  describe("without progress checks (the default)", () => {
    before(() => startApp("fail-on: contracts=error,cost=never\ncomment: update\ninline-comments: off\n", false));
    after(() => app.close());
    beforeEach(resetFake);

    test("a typical review costs 6 writes: 5 completed check runs, then the comment", async () => {
      await send("pull_request", opened());
      await app.idle();

      assert.deepEqual(gh.invalid(), []);
      assert.deepEqual(
        gh.writes().map((w) => w.operationId),
        [...Array(5).fill("checks/create"), "issues/create-comment"],
      );
      const runs = [...gh.checkRuns.values()];
      assert.equal(runs.length, 5);
      assert.ok(runs.every((r) => r.status === "completed" && r.head_sha === repo.headSha && r.writes === 1));
    });

    test("a draft PR is reviewed like any other (its required checks never wait); marked ready with no new push, nothing is rewritten", async () => {
      await send("pull_request", opened({ draft: true }));
      await app.idle();

      assert.equal(gh.checkRuns.size, 5);
      assert.ok([...gh.checkRuns.values()].every((r) => r.status === "completed" && r.head_sha === repo.headSha));
      assert.equal(gh.comments.length, 1);
      gh.clearRequests();

      await send("pull_request", pullRequestEvent({ action: "ready_for_review", headSha: repo.headSha, baseSha: repo.baseSha }));
      await app.idle();

      assert.deepEqual(gh.writes(), [], "the draft's review already stands");
      assert.equal(gh.checkRuns.size, 5);
    });

    test("racing pushes: the older run never posts; the newer one does, for the newer head", async () => {
      const shaA = repo.headSha;
      const shaB = repo.push("models/orders.sql", "select id, amount::double as amount, 2 as two from raw.orders\n");
      const releaseA = review.hold(shaA);
      gh.pulls.get(2)!.headSha = shaA;

      const callsBefore = review.calls.length;
      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: shaA, baseSha: repo.baseSha }));
      while (!review.calls.slice(callsBefore).some((c) => c.head === shaA)) await new Promise((r) => setTimeout(r, 10));
      gh.pulls.get(2)!.headSha = shaB;
      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: shaB, baseSha: repo.baseSha }));
      releaseA();
      await app.idle();

      assert.deepEqual([...gh.checkRuns.values()].filter((r) => r.head_sha === shaA), [], "nothing was written for the superseded head");
      const runsB = [...gh.checkRuns.values()].filter((r) => r.head_sha === shaB);
      assert.equal(runsB.length, 5);
      assert.equal(gh.comments.length, 1);
      assert.match(gh.comments[0].body, new RegExp(shaB));
    });

    test("Re-run on one check, unchanged results: the five check runs are written again (new completed_at), the comment is not", async () => {
      await send("pull_request", opened());
      await app.idle();
      const first = new Map([...gh.checkRuns.values()].map((r) => [r.id, r.completed_at]));
      gh.clearRequests();

      await send("check_run", checkRunRerequestedEvent({ headSha: repo.headSha, externalId: "rocky-review;pr=2;run=x" }));
      await app.idle();

      assert.deepEqual(gh.invalid(), []);
      assert.deepEqual(
        gh.writes().map((w) => w.operationId),
        Array(5).fill("checks/create"),
      );
      const rerun = [...gh.checkRuns.values()].filter((r) => !first.has(r.id));
      assert.equal(rerun.length, 5);
      assert.ok(rerun.every((r) => r.status === "completed" && r.completed_at !== undefined));
    });

    test("Re-run all checks (check_suite.rerequested) on a fork head: the PR is found through the check runs, the review re-runs and shows it", async () => {
      await send("pull_request", opened());
      await app.idle();
      const before = review.calls.length;
      const runsBefore = gh.checkRuns.size;
      gh.clearRequests();

      await send("check_suite", checkSuiteRerequestedEvent({ headSha: repo.headSha }));
      await app.idle();

      assert.equal(review.calls.length, before + 1);
      assert.equal(review.calls.at(-1)?.head, repo.headSha);
      assert.deepEqual(gh.invalid(), []);
      assert.ok(gh.requests.some((r) => r.operationId === "checks/list-for-ref"));
      assert.equal(gh.checkRuns.size, runsBefore + 5, "five new completed check runs");
      assert.equal(gh.writes().filter((w) => w.operationId?.startsWith("issues/")).length, 0, "the unchanged comment is not rewritten");
    });

    test("Re-run all checks on a same-repository head: the payload names the PR", async () => {
      const before = review.calls.length;

      await send("check_suite", checkSuiteRerequestedEvent({ headSha: repo.headSha, pullRequests: [2] }));
      await app.idle();

      assert.equal(review.calls.length, before + 1);
      assert.deepEqual(gh.invalid(), []);
    });

    test("/rocky review from a commenter without write access is refused with a short reply, and nothing is cloned", async () => {
      const before = review.calls.length;
      const fetchesBefore = fetches;

      await send("issue_comment", prCommentEvent({ body: "/rocky review", association: "NONE", commenter: "passer-by", commentId: 21 }));
      await send("issue_comment", prCommentEvent({ body: "/rocky review", association: "CONTRIBUTOR", commenter: "past-contributor", commentId: 22 }));
      await app.idle();

      assert.equal(review.calls.length, before);
      assert.equal(fetches, fetchesBefore, "no clone");
      assert.equal(gh.comments.length, 2);
      assert.ok(gh.comments.every((c) => /^`\/rocky review` can be asked by the repository's owners, members and collaborators/.test(c.body)), gh.comments.map((c) => c.body).join("\n"));
      assert.deepEqual(gh.invalid(), []);
    });
  });

  describe("with branch schemas and production runs on", () => {
    before(() => startApp("fail-on: contracts=error,cost=never\ncomment: update\nbranch-schema: on\nproduction-run: on\n"));
    after(() => app.close());
    beforeEach(resetFake);

    test("PR opened: acknowledged before the work, then checks in_progress → completed, one comment, one review", async () => {
      const release = review.hold(repo.headSha);

      const response = await send("pull_request", opened());
      const writesAtAck = gh.writes().filter((w) => w.operationId === "issues/create-comment").length;
      release();
      await app.idle();

      assert.equal(response.status, 200);
      assert.equal(writesAtAck, 0, "the comment is posted after the webhook was answered");
      assert.deepEqual(gh.invalid(), []);
      assert.ok(gh.requests.some((r) => r.operationId === "apps/create-installation-access-token" && /^bearer ey/i.test(r.auth ?? "")), "a real RS256 app JWT");
      assert.ok(gh.requests.filter((r) => r.path.startsWith("/repos/")).every((r) => gh.issuedTokens.some((t) => r.auth === `token ${t}`)), "every repository call carries an installation token the fake issued");
      const runs = [...gh.checkRuns.values()];
      assert.equal(runs.length, 5);
      assert.ok(runs.every((r) => r.status === "completed" && r.head_sha === repo.headSha && r.writes === 2));
      assert.equal(gh.comments.length, 1);
      assert.equal(gh.reviews.length, 1);
      assert.equal(review.calls[0].base, repo.baseSha);
      assert.equal(review.calls[0].failOn?.["rocky/cost"], "never", "settings come from .github/rocky.yml on the base branch");
      assert.deepEqual(warehouse.calls, [`create 2 ${repo.headSha.slice(0, 7)}`]);
      const order = gh.writes().map((w) => w.operationId);
      assert.ok(order.lastIndexOf("checks/update") < order.indexOf("issues/create-comment"), "checks complete before the comment");
      console.log(`# app writes per first review: ${gh.writes().length} (${order.join(", ")})`);
    });

    test("a redelivery (same X-GitHub-Delivery) does nothing twice", async () => {
      await send("pull_request", opened(), "same-id");
      await app.idle();
      const writes = gh.writes().length;

      const again = await send("pull_request", opened(), "same-id");
      await app.idle();

      assert.equal(again.status, 200);
      assert.equal(gh.writes().length, writes);
      assert.equal(review.calls.filter((c) => c.head === repo.headSha).length >= 1, true);
    });

    test("an unchanged re-run writes only its check runs: no comment edit, no repeated inline comment", async () => {
      await send("pull_request", opened());
      await app.idle();
      gh.clearRequests();

      await send("pull_request", pullRequestEvent({ action: "reopened", headSha: repo.headSha, baseSha: repo.baseSha }));
      await app.idle();

      assert.deepEqual(
        gh.writes().map((w) => w.operationId),
        [...Array(5).fill("checks/create"), ...Array(5).fill("checks/update")],
      );
    });

    test("a bad signature is refused with 400 and does nothing", async () => {
      const response = await send("pull_request", opened(), undefined, "wrong-secret");
      await app.idle();

      assert.equal(response.status, 400);
      assert.deepEqual(gh.writes(), []);
    });

    test("racing pushes: the older run ends cancelled, the newer posts, exactly one comment, for the newer head", async () => {
      const shaA = repo.headSha;
      const shaB = repo.push("models/orders.sql", "select id, amount::double as amount, 1 as one from raw.orders\n");
      const releaseA = review.hold(shaA);
      gh.pulls.get(2)!.headSha = shaA;

      const callsBefore = review.calls.length;
      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: shaA, baseSha: repo.baseSha }));
      while (!review.calls.slice(callsBefore).some((c) => c.head === shaA)) await new Promise((r) => setTimeout(r, 10));
      gh.pulls.get(2)!.headSha = shaB;
      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: shaB, baseSha: repo.baseSha }));
      releaseA();
      await app.idle();

      const runsA = [...gh.checkRuns.values()].filter((r) => r.head_sha === shaA);
      const runsB = [...gh.checkRuns.values()].filter((r) => r.head_sha === shaB);
      assert.equal(runsA.length, 5);
      assert.ok(runsA.every((r) => r.conclusion === "cancelled" && /superseded/i.test(r.output.title ?? "")), JSON.stringify(runsA.map((r) => [r.conclusion, r.output.title])));
      assert.ok(runsB.every((r) => r.status === "completed" && r.conclusion !== "cancelled"));
      assert.equal(gh.comments.length, 1);
      assert.match(gh.comments[0].body, new RegExp(shaB));
    });

    test("secondary rate limit, then 502: retried with backoff until posted", async () => {
      gh.fault({ operationId: "issues/create-comment", status: 403, message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", headers: { "retry-after": "1" } });
      gh.fault({ operationId: "pulls/create-review", status: 502, times: 2 });

      await send("pull_request", pullRequestEvent({ action: "reopened", headSha: repo.headSha, baseSha: repo.baseSha }));
      await app.idle();

      assert.equal(gh.comments.length, 1);
      assert.equal(gh.requests.filter((r) => r.operationId === "issues/create-comment").length, 2);
      assert.equal(gh.requests.filter((r) => r.operationId === "pulls/create-review" && r.status === 502).length, 2);
    });

    test("GitHub applies a started check, the comment and the review, then answers 502: exactly one of each", async () => {
      for (const operationId of ["checks/create", "issues/create-comment", "pulls/create-review"]) gh.fault({ operationId, status: 502, apply: true });

      await send("pull_request", opened());
      await app.idle();

      const runs = [...gh.checkRuns.values()];
      assert.deepEqual(runs.map((r) => r.name).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking", "rocky/portability"]);
      assert.ok(runs.every((r) => r.status === "completed"), "the check found again is the one completed");
      assert.equal(gh.comments.length, 1);
      assert.equal(gh.reviews.length, 1);
      assert.equal(gh.requests.filter((r) => r.status === 502).length, 3);
    });

    test("fork PR by an outside contributor: static review posted, warehouse untouched", async () => {
      warehouse.calls.length = 0;

      await send("pull_request", opened({ forkRepo: "forker/Hello-World" }));
      await app.idle();

      assert.deepEqual(warehouse.calls, []);
      assert.equal(review.calls.at(-1)?.head, repo.headSha);
      assert.equal([...gh.checkRuns.values()].filter((r) => r.status === "completed").length, 5);
    });

    test("/rocky help answers and reacts with 👀; /rocky run from a non-maintainer is refused", async () => {
      await send("issue_comment", prCommentEvent({ body: "/rocky help", commentId: 1 }));
      await send("issue_comment", prCommentEvent({ body: "/rocky run", association: "CONTRIBUTOR", commentId: 2 }));
      await app.idle();

      assert.deepEqual(
        gh.reactions.map((r) => r.commentId).sort(),
        [1, 2],
      );
      assert.ok(gh.comments.some((c) => c.body.includes("/rocky review")));
      assert.ok(gh.comments.some((c) => c.body.includes("needs a maintainer")));
    });

    test("/rocky review re-runs the review on the PR's current head", async () => {
      const before = review.calls.length;

      await send("issue_comment", prCommentEvent({ body: "please\n/rocky review", commentId: 11 }));
      await app.idle();

      assert.equal(review.calls.length, before + 1);
      assert.equal(review.calls.at(-1)?.head, repo.headSha);
      assert.deepEqual(gh.reactions, [{ commentId: 11, content: "eyes" }]);
    });

    test("check_run.rerequested re-runs the review of its PR (found through external_id)", async () => {
      const before = review.calls.length;

      await send("check_run", checkRunRerequestedEvent({ headSha: repo.headSha, externalId: "rocky-review;pr=2;run=x" }));
      await app.idle();

      assert.equal(review.calls.length, before + 1);
      assert.equal(gh.checkRuns.size, 5);
    });

    test("PR closed or merged: the branch is dropped; a merge does not run production (its push does)", async () => {
      warehouse.calls.length = 0;

      await send("pull_request", pullRequestEvent({ action: "closed", headSha: repo.headSha, baseSha: repo.baseSha }));
      await send("pull_request", pullRequestEvent({ action: "closed", headSha: repo.headSha, baseSha: repo.baseSha, merged: true, mergeCommitSha: repo.baseSha }));
      await app.idle();

      assert.deepEqual(warehouse.calls, ["drop 2", "drop 2"]);
    });

    test("a merge runs production once: the push to the default branch, over the push's before..after; other branches do nothing", async () => {
      warehouse.calls.length = 0;
      const before = "1".repeat(40);

      await send("pull_request", pullRequestEvent({ action: "closed", headSha: repo.headSha, baseSha: repo.baseSha, merged: true, mergeCommitSha: repo.baseSha }));
      await send("push", pushEvent({ ref: "refs/heads/main", before, after: repo.baseSha }));
      await send("push", pushEvent({ ref: "refs/heads/feature", after: repo.headSha }));
      await app.idle();

      assert.deepEqual(warehouse.calls, ["drop 2", `production 1111111..${repo.baseSha.slice(0, 7)}`]);
    });
  });

  describe("fork PR approval", () => {
    before(() => startApp("branch-schema: on\n"));
    after(() => app.close());
    beforeEach(resetFake);

    test("a maintainer's /rocky run approves this head of a fork PR for the warehouse", async () => {
      gh.pulls.set(2, { number: 2, headSha: repo.headSha, baseSha: repo.baseSha, author: "forker", authorAssociation: "CONTRIBUTOR", headRepoFullName: "forker/Hello-World", files: [{ filename: "models/orders.sql", patch: ORDERS_PATCH }] });

      await send("pull_request", opened({ forkRepo: "forker/Hello-World" }));
      await app.idle();
      const before = [...warehouse.calls];
      await send("issue_comment", prCommentEvent({ body: "/rocky run", association: "OWNER", commentId: 3 }));
      await app.idle();

      assert.deepEqual(before, []);
      assert.deepEqual(warehouse.calls, [`create 2 ${repo.headSha.slice(0, 7)}`]);
    });
  });

  describe("invalid .github/rocky.yml", () => {
    before(() => startApp("fail-on: sometimes\nbogus: 1\n"));
    after(() => app.close());
    beforeEach(resetFake);

    test("rocky/compile fails with each problem on its line; the other checks are neutral; no comment", async () => {
      await send("pull_request", opened());
      await app.idle();

      const compile = [...gh.checkRuns.values()].find((r) => r.name === "rocky/compile")!;
      assert.equal(compile.conclusion, "failure");
      assert.deepEqual(
        compile.annotations.map((a) => [a.path, a.start_line]),
        [
          [".github/rocky.yml", 1],
          [".github/rocky.yml", 2],
        ],
      );
      assert.ok([...gh.checkRuns.values()].filter((r) => r.name !== "rocky/compile").every((r) => r.conclusion === "failure" && r.output.title?.startsWith("Not checked")));
      assert.equal(gh.comments.length, 0);
      assert.equal(review.calls.length, 0);
    });
  });

  describe("project-name and a short target-dialect in .github/rocky.yml (as the Action's inputs)", () => {
    before(() => startApp("project-name: finance\ntarget-dialect: dbx\n", true));
    after(() => app.close());
    beforeEach(resetFake);

    const FINANCE_CHECKS = ["rocky/compile (finance)", "rocky/contracts (finance)", "rocky/cost (finance)", "rocky/masking (finance)", "rocky/portability (finance)"];

    test("the checks (started and completed in place), the sticky comment and the inline fingerprints carry the project; dbx reaches the review as databricks", async () => {
      gh.addComment(2, `${STICKY_MARKER}\nthe plain-named project's comment`, { login: "rocky-review[bot]", type: "Bot" });

      await send("pull_request", opened());
      await app.idle();

      assert.deepEqual(gh.invalid(), []);
      const runs = [...gh.checkRuns.values()];
      assert.deepEqual(runs.map((r) => r.name).sort(), FINANCE_CHECKS);
      assert.ok(runs.every((r) => r.status === "completed" && r.writes === 2), "started in progress under the project's names, completed in place");
      assert.equal(gh.comments.length, 2, "its own comment; the plain-named one is left alone");
      assert.match(gh.comments[0].body, /the plain-named project's comment/);
      assert.ok(gh.comments[1].body.startsWith(stickyMarker("finance")));
      assert.match(gh.reviewComments[0]?.body ?? "", /rocky-review:fp finance:P001/);
      assert.equal(review.calls.at(-1)?.targetDialect, "databricks");
    });

    test("Re-run all checks on a fork head finds the PR through the project's check runs", async () => {
      await send("pull_request", opened());
      await app.idle();
      const before = review.calls.length;

      await send("check_suite", checkSuiteRerequestedEvent({ headSha: repo.headSha }));
      await app.idle();

      assert.equal(review.calls.length, before + 1);
    });
  });

  describe("an invalid .github/rocky.yml that names its project", () => {
    before(() => startApp("project-name: finance\ncomment: sometimes\n"));
    after(() => app.close());
    beforeEach(resetFake);

    test("the failed checks carry the project's names (the ones its ruleset requires)", async () => {
      await send("pull_request", opened());
      await app.idle();

      const compile = gh.checkRuns.size > 0 ? [...gh.checkRuns.values()].find((r) => r.name === "rocky/compile (finance)") : undefined;
      assert.equal(compile?.conclusion, "failure");
      assert.deepEqual(compile?.annotations.map((a) => [a.path, a.start_line]), [[".github/rocky.yml", 2]]);
      assert.equal(gh.checkRuns.size, 5);
      assert.ok([...gh.checkRuns.values()].every((r) => r.name.endsWith(" (finance)")));
    });
  });

  describe("where .github/rocky.yml is read: the tip of the base branch, never the PR", () => {
    afterEach(() => app.close());

    test("a broken rocky.yml fixed on main applies to an open PR on its next run, though the PR's base SHA is the broken one", async () => {
      await startApp("fail-on: sometimes\n");
      resetFake();
      await send("pull_request", opened());
      await app.idle();
      assert.equal(review.calls.length, 0, "the broken settings fail rocky/compile");
      assert.match([...gh.checkRuns.values()].find((r) => r.name === "rocky/compile")?.output.title ?? "", /rocky\.yml is invalid/);

      repo.pushMain(".github/rocky.yml", "fail-on: contracts=warning,cost=never\n");
      resetFake();
      // GitHub's event still names the base commit the PR was opened on.
      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: repo.headSha, baseSha: repo.baseSha }));
      await app.idle();

      assert.deepEqual(gh.invalid(), []);
      assert.equal(review.calls.length, 1);
      assert.equal(review.calls[0].failOn?.["rocky/contracts"], "warning");
      assert.equal(review.calls[0].base, repo.baseSha, "the review still compares against the PR's base");
      assert.equal([...gh.checkRuns.values()].find((r) => r.name === "rocky/compile")?.output.title?.includes("rocky.yml"), false);
    });

    test("a PR that relaxes fail-on in its own rocky.yml is held to the base branch's", async () => {
      await startApp("fail-on: error\n");
      const head = repo.push(".github/rocky.yml", "fail-on: never\n");
      resetFake();
      gh.pulls.get(2)!.headSha = head;

      await send("pull_request", pullRequestEvent({ action: "synchronize", headSha: head, baseSha: repo.baseSha }));
      await app.idle();

      assert.equal(review.calls.length, 1);
      assert.equal(review.calls[0].head, head);
      assert.equal(review.calls[0].failOn?.["rocky/contracts"], "error");
      assert.equal(review.calls[0].failOn?.["rocky/compile"], "error");
    });

    test("a push's production run follows the base branch's settings now, not those of the commit it ran for", async () => {
      await startApp("production-run: on\n");
      const off = repo.pushMain(".github/rocky.yml", "production-run: off\n");
      warehouse.calls.length = 0;

      // A late (or redelivered) push of the commit that still had production on.
      await send("push", pushEvent({ ref: "refs/heads/main", before: "1".repeat(40), after: repo.baseSha }));
      await app.idle();
      assert.deepEqual(warehouse.calls, []);

      const on = repo.pushMain(".github/rocky.yml", "production-run: on\n");
      await send("push", pushEvent({ ref: "refs/heads/main", before: off, after: on }));
      await app.idle();
      assert.deepEqual(warehouse.calls, [`production ${off.slice(0, 7)}..${on.slice(0, 7)}`]);
    });
  });
});
