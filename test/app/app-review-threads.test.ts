/**
 * The App resolves the review threads of fixed findings with its installation token: with the
 * manifest's permissions (contents: read) GitHub will not let it, and the App says so in its log
 * and posts everything else; with contents: write granted, the thread is resolved.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import type { RenderedReview } from "../../review/src/report/rendered.js";
import { type FakeGitHub, manifestPermissions, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview } from "../support/fake-github/canned-review.js";
import { deliver, pullRequestEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, fixtureRepo, recordingLog, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";

const PATCH = "@@ -1 +1 @@\n-select id, amount from raw.orders\n+select id, amount::double as amount from raw.orders";
const P001 = { path: "models/orders.sql", line: 1, side: "RIGHT" as const, body: "**P001** `::double`", fingerprint: "P001:orders:1" };

const withFinding = (): RenderedReview => ({ ...cannedReview({ inline: [P001] }), findingFingerprints: [P001.fingerprint] });
const fixed = (): RenderedReview => ({ ...cannedReview({ inline: [], verdict: "pass", comment: "## Rocky review: pass\n\nfixed" }), findingFingerprints: [] });

/** Two reviews of one PR by the App: the first with the finding, the second after it was fixed. */
async function fixAFinding(gh: FakeGitHub) {
  const repo = fixtureRepo();
  const review = new ScriptedReview(withFinding);
  const log = recordingLog();
  gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, author: "analyst", files: [{ filename: "models/orders.sql", patch: PATCH }] });
  const app = await startAppServer(testProbot(gh.url, log), { review: review.run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries: memoryDeliveryLog(), botLogin: "rocky-review[bot]", progressChecks: false });
  try {
    await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), delivery: "threads-1", secret: SECRET });
    await app.idle();
    assert.equal(gh.reviewThreads(2).length, 1, "the first review started one thread");
    review.rendered = fixed;
    await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "synchronize", headSha: repo.headSha, baseSha: repo.baseSha }), delivery: "threads-2", secret: SECRET });
    await app.idle();
  } finally {
    await app.close();
  }
  return { log, thread: gh.reviewThreads(2)[0] };
}

describe("the App and the review threads of fixed findings", () => {
  const fakes: FakeGitHub[] = [];
  after(() => Promise.all(fakes.map((f) => f.close())));

  test("with app.yml's permissions (contents: read) the thread stays open, the App logs why, and the review is posted", async () => {
    const gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review" });
    fakes.push(gh);
    assert.equal(manifestPermissions().contents, "read");

    const { log, thread } = await fixAFinding(gh);

    assert.equal(thread.resolved, false);
    assert.ok(log.at("warn").some((l) => /review thread of Rocky's findings left as it is: .*contents: write/.test(l)), log.at("warn").join("\n"));
    assert.deepEqual(log.at("error"), []);
    assert.match(gh.comments[0].body, /fixed/);
    assert.deepEqual(gh.invalid(), []);
  });

  test("with contents: write granted, the fixed finding's thread is resolved", async () => {
    const gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review", installationPermissions: { ...manifestPermissions(), contents: "write" } });
    fakes.push(gh);

    const { log, thread } = await fixAFinding(gh);

    assert.equal(thread.resolved, true);
    assert.deepEqual(log.at("warn"), []);
    assert.deepEqual(gh.invalid(), []);
  });
});
