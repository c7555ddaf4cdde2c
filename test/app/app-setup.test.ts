/**
 * Setting the App up as the README says: `ROCKY_APP_SETUP=1 npm start` (GitHub's manifest flow,
 * which writes .env), then `npm start`. The server runs as a child process from its own directory.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { deliver } from "../support/webhooks.js";
import { APP_ID, appKeys } from "./app-fixtures.js";
import { appWorkDir, startServerProcess, waitForHttp } from "./server-process.js";

const SECRET = "from-the-manifest-flow";

/** .env as Probot's manifest flow writes it (the PEM quoted, over several lines). */
function manifestFlowEnv(dir: string): void {
  writeFileSync(join(dir, ".env"), `WEBHOOK_PROXY_URL=\nAPP_ID=${APP_ID}\nPRIVATE_KEY="${appKeys().privateKey}"\nWEBHOOK_SECRET=${SECRET}\nGITHUB_CLIENT_ID=Iv1.x\nGITHUB_CLIENT_SECRET=y\n`);
}

const PING = { zen: "Design for failure.", hook_id: 1, hook: { type: "App", id: 1, active: true, events: ["pull_request"], app_id: APP_ID, config: { content_type: "json" } } };

describe("App set-up through the manifest flow", () => {
  for (const setupFlag of [false, true]) {
    test(`npm start${setupFlag ? " with ROCKY_APP_SETUP=1 still set" : ""} after the manifest flow: the credentials in .env start the App`, async () => {
      const dir = appWorkDir();
      manifestFlowEnv(dir);
      const server = await startServerProcess({ cwd: dir, env: { LOG_LEVEL: "info", ...(setupFlag ? { ROCKY_APP_SETUP: "1" } : {}) } });
      try {
        assert.ok(await waitForHttp(server), server.output());
        const health = await fetch(`${server.url}/healthz`);
        // The manifest flow registers <set-up address>/ as the webhook URL: deliveries there are
        // checked against .env's secret like those at /api/github/webhooks.
        const good = await deliver(server.url, { event: "ping", payload: PING, delivery: "setup-1", secret: SECRET, path: "/" });
        const forged = await deliver(server.url, { event: "ping", payload: PING, delivery: "setup-2", secret: SECRET, signWith: "other", path: "/" });

        assert.equal(health.status, 200, "the Rocky App answers /healthz (Probot's no-op app answers 404)");
        assert.equal(good.status, 200, good.body);
        assert.equal(forged.status, 400);
        assert.doesNotMatch(server.output(), /missing|no credentials/);
      } finally {
        await server.stop();
      }
    });
  }

  test("the set-up page's manifest: app.yml's events and permissions, the webhook URL at the page's own address", async () => {
    const dir = appWorkDir();
    const server = await startServerProcess({ cwd: dir, env: { ROCKY_APP_SETUP: "1", LOG_LEVEL: "info" } });
    try {
      assert.ok(await waitForHttp(server, "/probot"), server.output());
      const page = await (await fetch(`${server.url}/probot`)).text();
      const manifest = JSON.parse(/name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1] ?? "{}") as { hook_attributes?: { url?: string }; default_permissions?: Record<string, string>; default_events?: string[] };

      assert.equal(manifest.hook_attributes?.url, `${server.url}/`);
      assert.equal(manifest.default_permissions?.issues, "read");
      assert.deepEqual(manifest.default_events, ["pull_request", "check_run", "check_suite", "issue_comment", "push"]);
    } finally {
      await server.stop();
    }
  });
});
