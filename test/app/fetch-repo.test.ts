import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { cacheDir } from "./app-fixtures.js";

const TOKEN = "ghs_SECRETTOKEN123";

describe("the App's git fetch never exposes the installation token", () => {
  for (const urlTemplate of ["https://x-access-token:{token}@{host}/{owner}/{repo}.git", "https://{host}/{owner}/{repo}.git"]) {
    test(`a failed fetch with ${urlTemplate}: the error names the repository and git's reason, not the token`, async () => {
      const fetch = gitFetcher({ cacheDir: cacheDir(), host: "127.0.0.1:1", urlTemplate });

      const error = await fetch({ owner: "o", repo: "r", token: TOKEN, refs: ["refs/heads/main"], shas: [] }).then(
        () => assert.fail("the fetch should fail"),
        (e: unknown) => e as Error,
      );

      // What the log (pino's err serializer) and the check run would show: every own property.
      const shown = `${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}\n${error.stack}`;
      assert.ok(!shown.includes(TOKEN), shown);
      assert.ok(!shown.includes(Buffer.from(`x-access-token:${TOKEN}`).toString("base64")), shown);
      assert.match(error.message, /^git fetch of o\/r failed: .*(unable to access|Failed to connect)/s);
    });
  }
});
