/**
 * Starting the App (`npm start`) with a mistake in its settings: one line naming the variable and
 * what to set, exit 1, no stack trace. Started well, it says where it listens at the default log
 * level. An installation token lacking a permission the App needs is a warning naming it.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { serverConfig } from "../../app/src/server-config.js";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import { startFakeGitHub } from "../support/fake-github.js";
import { cannedReview } from "../support/fake-github/canned-review.js";
import { deliver, pullRequestEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, fixtureRepo, recordingLog, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";
import { appWorkDir, startServerProcess, waitForHttp } from "./server-process.js";

const GOOD = (): Record<string, string> => ({ APP_ID: String(APP_ID), PRIVATE_KEY: appKeys().privateKey, WEBHOOK_SECRET: SECRET });

async function startupFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const server = await startServerProcess({ cwd: appWorkDir(), env });
  const code = await server.exited();
  return { code, output: server.output().trim() };
}

describe("npm start with a mistake in the App's settings: one line naming the variable, exit 1", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["a malformed PRIVATE_KEY", { ...GOOD(), PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----" }, /^rocky-review app: PRIVATE_KEY is not a PEM RSA private key: set PRIVATE_KEY to the whole contents of the \.pem file/],
    ["a PRIVATE_KEY_PATH that does not exist", { APP_ID: String(APP_ID), WEBHOOK_SECRET: SECRET, PRIVATE_KEY_PATH: "keys/app.pem" }, /^rocky-review app: PRIVATE_KEY_PATH is "keys\/app\.pem", which does not exist .*: set it to the path of the \.pem file/],
    ["a non-numeric APP_ID", { ...GOOD(), APP_ID: "abc" }, /^rocky-review app: APP_ID must be the App's numeric ID .*not "abc"/],
    ["a bad PORT", { ...GOOD(), PORT: "x" }, /^rocky-review app: PORT must be a TCP port number .*not "x"/],
  ];
  for (const [name, env, expected] of cases) {
    test(name, async () => {
      const { code, output } = await startupFailure(env);

      assert.equal(code, 1, output);
      assert.match(output, expected);
      assert.equal(output.split("\n").length, 1, output);
      assert.doesNotMatch(output, /\n\s+at /);
    });
  }

  test("the port in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const { code, output } = await startupFailure({ ...GOOD(), PORT: String((taken.address() as { port: number }).port) });

      assert.equal(code, 1, output);
      assert.match(output.split("\n").at(-1) ?? "", /^rocky-review app: could not start: port \d+ is already in use: set PORT to a free port\.$/);
      assert.doesNotMatch(output, /\n\s+at /);
    } finally {
      taken.close();
    }
  });

  test("the checks accept what Probot accepts: a base64 key, a key file", () => {
    const dir = appWorkDir();
    writeFileSync(join(dir, "app.pem"), appKeys().privateKey);
    assert.ok(serverConfig({ APP_ID: "1", PRIVATE_KEY: Buffer.from(appKeys().privateKey).toString("base64") }, dir).ok);
    assert.ok(serverConfig({ APP_ID: "1", PRIVATE_KEY: appKeys().privateKey.replaceAll("\n", "\\n") }, dir).ok);
    assert.ok(serverConfig({ APP_ID: "1", PRIVATE_KEY_PATH: "app.pem" }, dir).ok);
  });
});

test("started well, with no LOG_LEVEL: it logs where it listens", async () => {
  const server = await startServerProcess({ cwd: appWorkDir(), env: GOOD() });
  try {
    assert.ok(await waitForHttp(server), server.output());
    const deadline = Date.now() + 5000;
    while (!server.output().includes("listening on") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    assert.match(server.output(), new RegExp(`rocky-review app listening on ${server.url.replace(/[.]/g, "\\.")}`));
  } finally {
    await server.stop();
  }
});

describe("an installation token lacking a permission the App needs is a warning naming it", () => {
  for (const missing of ["checks", "pull_requests", "contents"]) {
    test(`without ${missing}`, async () => {
      const permissions: Record<string, "read" | "write"> = { checks: "write", pull_requests: "write", issues: "read", contents: "read", metadata: "read" };
      delete permissions[missing];
      const gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review", installationPermissions: permissions });
      try {
        const repo = fixtureRepo();
        gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [{ filename: "models/orders.sql", patch: "@@ -1 +1 @@\n-a\n+b" }] });
        const log = recordingLog();
        const app = await startAppServer(testProbot(gh.url, log), { review: new ScriptedReview(() => cannedReview({ inline: [] })).run, fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }), deliveries: memoryDeliveryLog() });
        await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), delivery: `perm-${missing}`, secret: SECRET });
        await app.close();

        const warnings = log.at("warn").filter((l) => l.includes("lacks permission"));
        assert.equal(warnings.length, 1, log.at("warn").join("\n"));
        assert.match(warnings[0], new RegExp(`^warn: installation 1 lacks permission the App needs: ${missing}: (read|write) \\(.*\\)\\. Grant it in the App's settings \\(Permissions & events`));
        assert.deepEqual(gh.invalid(), []);
      } finally {
        await gh.close();
      }
    });
  }
});
