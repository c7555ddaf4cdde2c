import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createProbot } from "probot";
import { lmdbDeliveryLog } from "../../app/src/delivery-log.js";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { rockyProbotOctokit } from "../../app/src/probot-octokit.js";
import { startAppServer } from "../../app/src/start-server.js";
import { memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview } from "../support/fake-github/canned-review.js";
import { deliver, pullRequestEvent, pushEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, FAST_RESILIENCE, fixtureRepo, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";

const PATCH = "@@ -1 +1 @@\n-select id, amount from raw.orders\n+select id, amount::double as amount from raw.orders";

describe("GitHub Enterprise base URL (GHE_HOST) through createProbot's environment", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub({ prefix: "/api/v3", appId: APP_ID, appPublicKey: appKeys().publicKey });
  });
  after(() => gh.close());

  test("every request goes to /api/v3 and the review is posted", async () => {
    const repo = fixtureRepo();
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [{ filename: "models/orders.sql", patch: PATCH }] });
    const probot = createProbot({
      env: { APP_ID: String(APP_ID), PRIVATE_KEY: appKeys().privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${gh.port}`, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal" },
      overrides: { Octokit: rockyProbotOctokit(FAST_RESILIENCE) },
    });
    const review = new ScriptedReview(() => cannedReview({ inline: [] }));
    const app = await startAppServer(probot, { review: review.run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries: memoryDeliveryLog() });

    const response = await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), delivery: "ghe-1", secret: SECRET });
    await app.close();

    assert.equal(response.status, 200);
    assert.deepEqual(gh.invalid(), []);
    assert.ok(gh.requests.length > 5 && gh.requests.every((r) => r.status < 400));
    assert.equal(gh.comments.length, 1);
  });
});

describe("a push is the first event a fresh GHES app sees", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub({ prefix: "/api/v3", appId: APP_ID, appPublicKey: appKeys().publicKey });
  });
  after(() => gh.close());

  test("the installation token comes from the GHES host and production runs", async () => {
    const repo = fixtureRepo("production-run: on\n");
    const probot = createProbot({
      env: { APP_ID: String(APP_ID), PRIVATE_KEY: appKeys().privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${gh.port}`, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal" },
      overrides: { Octokit: rockyProbotOctokit(FAST_RESILIENCE) },
    });
    const calls: string[] = [];
    const warehouse = { createBranch: async () => undefined, dropBranch: async () => undefined, runProduction: async (sha: string) => void calls.push(sha) };
    const app = await startAppServer(probot, { review: new ScriptedReview(() => cannedReview()).run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries: memoryDeliveryLog(), warehouseFor: () => warehouse });

    await deliver(app.url, { event: "push", payload: pushEvent({ ref: "refs/heads/main", after: repo.baseSha }), delivery: "push-1", secret: SECRET });
    await app.close();

    assert.deepEqual(calls, [repo.baseSha]);
    assert.deepEqual(gh.invalid(), []);
  });
});

describe("deliveries recorded in the lmdb state store", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey });
  });
  after(() => gh.close());

  test("a redelivery after a restart of the app does nothing", async () => {
    const repo = fixtureRepo();
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [{ filename: "models/orders.sql", patch: PATCH }] });
    const stateDir = mkdtempSync(join(tmpdir(), "rocky-app-state-"));
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha });
    const review = new ScriptedReview(() => cannedReview({ inline: [] }));
    const start = async () => {
      const deliveries = await lmdbDeliveryLog(stateDir);
      const app = await startAppServer(testProbot(gh.url), { review: review.run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries });
      return { app, deliveries };
    };

    const first = await start();
    await deliver(first.app.url, { event: "pull_request", payload, delivery: "persisted-1", secret: SECRET });
    await first.app.close();
    await first.deliveries.close();
    const writes = gh.writes().length;
    const second = await start();
    const again = await deliver(second.app.url, { event: "pull_request", payload, delivery: "persisted-1", secret: SECRET });
    await second.app.close();
    await second.deliveries.close();

    assert.equal(again.status, 200);
    assert.equal(review.calls.length, 1);
    assert.equal(gh.writes().length, writes);
  });

  test("Redeliver after a failed job runs it again, even after a restart; a duplicate while the first runs is ignored", async () => {
    const repo = fixtureRepo();
    gh.pulls.clear();
    gh.checkRuns.clear();
    gh.comments.length = 0;
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [{ filename: "models/orders.sql", patch: PATCH }] });
    const stateDir = mkdtempSync(join(tmpdir(), "rocky-app-state-"));
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha });
    let broken = true;
    const review = new ScriptedReview(() => {
      if (broken) throw new Error("the review core stopped (a bug, since fixed)");
      return cannedReview({ inline: [] });
    });
    const start = async () => {
      const deliveries = await lmdbDeliveryLog(stateDir);
      const app = await startAppServer(testProbot(gh.url), { review: review.run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries });
      return { app, deliveries, stop: async () => (await app.close(), await deliveries.close()) };
    };

    // The first delivery fails (rocky/compile says so); the same delivery arriving while it runs is a duplicate.
    const first = await start();
    const release = review.hold(repo.headSha);
    await deliver(first.app.url, { event: "pull_request", payload, delivery: "redeliver-1", secret: SECRET });
    while (review.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    await deliver(first.app.url, { event: "pull_request", payload, delivery: "redeliver-1", secret: SECRET });
    release();
    await first.stop();
    assert.equal(review.calls.length, 1, "the duplicate delivered while the first ran was ignored");
    assert.equal([...gh.checkRuns.values()].find((r) => r.name === "rocky/compile")?.output.title, "Rocky review could not run");

    // The cause is fixed and the App restarted: "Redeliver" runs the review again and posts it.
    broken = false;
    const second = await start();
    await deliver(second.app.url, { event: "pull_request", payload, delivery: "redeliver-1", secret: SECRET });
    await second.app.idle();
    const writes = gh.writes().length;
    // Once it succeeded, another redelivery does nothing.
    await deliver(second.app.url, { event: "pull_request", payload, delivery: "redeliver-1", secret: SECRET });
    await second.stop();

    assert.equal(review.calls.length, 2);
    assert.equal([...gh.checkRuns.values()].filter((r) => r.name === "rocky/compile").at(-1)?.conclusion, "success", "the newest rocky/compile (the one GitHub shows) passed");
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.writes().length, writes);
    assert.deepEqual(gh.invalid(), []);
  });
});
