import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { editLine } from "../review/e2e/shop-fixture.js";
import type { FakeGitHub } from "../support/fake-github.js";
import { withDuckDbFile } from "../support/duckdb-file.js";
import { type GitFixture, pullFile } from "../support/git-fixture.js";
import { pullRequestEvent } from "../support/webhooks.js";
import { runAction } from "./action-harness.js";
import { shopOnWarehouse } from "./shop-warehouse.js";

const TOKEN = "ghs_action_token";

const schemaNames = (path: string) => withDuckDbFile(path, async (run) => (await run("SELECT schema_name FROM information_schema.schemata")).map((r) => String(r[0])));

describe("the bundled Action with branch-schema on, on a real DuckDB warehouse", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let db: string;

  before(async () => {
    ({ gh, repo, db } = await shopOnWarehouse(TOKEN, { head: editLine("models/int_orders.sql", 5, "    UPPER(status) AS status"), headIsPatch: true }));
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, files: [pullFile(repo, "models/int_orders.sql")] });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("opened creates branch__pr_2 with the changed models; closed drops it", async () => {
    const opened = await runAction({ apiUrl: gh.url, event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "branch-schema": "on" } });
    const afterOpen = await schemaNames(db);
    const closed = await runAction({ apiUrl: gh.url, event: "pull_request", payload: pullRequestEvent({ action: "closed", headSha: repo.headSha, baseSha: repo.baseSha }), workspace: repo.dir, inputs: { "github-token": TOKEN, "branch-schema": "on" } });
    const afterClose = await schemaNames(db);

    assert.ok(afterOpen.includes("branch__pr_2"), `${afterOpen} ${opened.stdout}`);
    assert.match(opened.stdout, /branch branch__pr_2: \d+ models run/);
    assert.equal(closed.code, 0, closed.stdout);
    assert.ok(!afterClose.includes("branch__pr_2"));
  });
});
