import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { parseStamp } from "../../review/src/github/markers.js";
import { defaultReviewRunner, memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
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
