import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { parseStamp } from "../../review/src/github/markers.js";
import { cachedReviewRunner, defaultReviewRunner, memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import { editLine, SHOP_BASE } from "../review/e2e/shop-fixture.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";
import { deliver, pullRequestEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, SECRET, testProbot } from "./app-fixtures.js";

describe("the App with the real review core on a fixture repository", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey });
    repo = createGitFixture({ base: SHOP_BASE, head: editLine("models/stg_orders.sql", 4, "    amount::double AS amount,"), headIsPatch: true });
    repo.git("update-ref", "refs/pull/2/head", repo.headSha);
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, "models/stg_orders.sql")] });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("clones over the clone URL template, reviews base..head, posts valid checks and the comment", async () => {
    const app = await startAppServer(testProbot(gh.url), { review: defaultReviewRunner, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: `file://${repo.dir}` }), deliveries: memoryDeliveryLog() });

    const response = await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), delivery: "real-1", secret: SECRET });
    await app.close();

    assert.equal(response.status, 200);
    assert.deepEqual(gh.invalid(), [], JSON.stringify(gh.invalid().map((r) => [r.operationId, r.error])));
    const runs = [...gh.checkRuns.values()];
    assert.equal(runs.length, 5);
    assert.ok(runs.every((r) => r.status === "completed" && r.conclusion !== "cancelled"), JSON.stringify(runs.map((r) => [r.name, r.conclusion, r.output.summary?.slice(0, 200)])));
    assert.equal(runs.find((r) => r.name === "rocky/contracts")?.conclusion, "failure", "fct_revenue's contract breaks two hops down");
    assert.equal(gh.comments.length, 1);
    assert.equal(parseStamp(gh.comments[0].body)?.head_sha, repo.headSha);
  });
});

describe("the App on a PR that deletes the whole project (real review core, the App's cached runner)", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey });
    repo = createGitFixture({ base: { ...SHOP_BASE, "README.md": "shop\n" }, head: { "README.md": "shop\n" } });
    repo.git("update-ref", "refs/pull/3/head", repo.headSha);
    // As GitHub lists them: every project file removed, its patch all deletions.
    const files = Object.keys(SHOP_BASE).map((path) => ({ ...pullFile(repo, path), status: "removed" as const }));
    gh.addPull({ number: 3, headSha: repo.headSha, baseSha: repo.baseSha, files });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("a normal review: every model removed, rocky/compile passes, the one a dashboard reads commented on its deleted file's first line (LEFT)", async () => {
    const review = cachedReviewRunner(cacheDir());
    const app = await startAppServer(testProbot(gh.url), { review, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: `file://${repo.dir}` }), deliveries: memoryDeliveryLog() });

    const response = await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", number: 3, headSha: repo.headSha, baseSha: repo.baseSha }), delivery: "removed-1", secret: SECRET });
    await app.close();
    await review.close();

    assert.equal(response.status, 200);
    assert.deepEqual(gh.invalid(), [], JSON.stringify(gh.invalid().map((r) => [r.operationId, r.error])));
    const runs = Object.fromEntries([...gh.checkRuns.values()].map((r) => [r.name, r]));
    assert.deepEqual(Object.keys(runs).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking", "rocky/portability"]);
    // Not "No Rocky project files" as a failed rocky/compile: the removals are the review.
    assert.equal(runs["rocky/compile"].conclusion, "success", runs["rocky/compile"].output.summary);
    assert.equal(runs["rocky/contracts"].conclusion, "neutral");
    assert.match(runs["rocky/contracts"].output.title ?? "", /^4 warnings — model_removed: /);
    assert.ok([...gh.checkRuns.values()].every((r) => r.annotations.length === 0));
    assert.equal(gh.comments.length, 1);
    for (const m of ["fct_revenue", "int_orders", "stg_customers", "stg_orders"]) assert.match(gh.comments[0].body, new RegExp(`\`model_removed\` model removed .*\`models/${m}\\.sql\` \\(deleted by this PR\\)`));
    assert.equal(gh.reviews.length, 1);
    assert.deepEqual(
      gh.reviewComments.map((c) => [c.path, c.line, c.side]),
      [["models/fct_revenue.sql", 1, "LEFT"]],
    );
  });
});
