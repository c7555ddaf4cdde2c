import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseStamp } from "../../review/src/github/markers.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { createGitFixture, type GitFixture, pullFile } from "../support/git-fixture.js";
import { pullRequestEvent } from "../support/webhooks.js";
import { editLine, SHOP_BASE } from "../review/e2e/shop-fixture.js";
import { ACTION_BUNDLE, runAction } from "./action-harness.js";

const TOKEN = "ghs_action_token";

describe("the bundled Action with the real review core on a fixture repository", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;
  let isolatedBundle: string;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    // stg_orders.amount becomes a double: fct_revenue's contract (Decimal(18,2)) two hops down breaks.
    repo = createGitFixture({ base: SHOP_BASE, head: editLine("models/stg_orders.sql", 4, "    amount::double AS amount,"), headIsPatch: true });
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, author: "analyst", files: [pullFile(repo, "models/stg_orders.sql")] });
    // As on a runner: the bundle alone, no node_modules next to it.
    const dir = mkdtempSync(join(tmpdir(), "rocky-isolated-action-"));
    mkdirSync(join(dir, "dist"));
    isolatedBundle = join(dir, "dist", "index.js");
    copyFileSync(ACTION_BUNDLE, isolatedBundle);
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("reviews the PR, posts valid checks and the stamped comment, fails the step on the contract break", async () => {
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace: repo.dir, bundle: isolatedBundle, inputs: { "github-token": TOKEN } });

    assert.deepEqual(gh.invalid(), [], JSON.stringify(gh.invalid().map((r) => [r.operationId, r.error])));
    assert.equal(gh.checkRuns.size, 5, run.stdout + run.stderr);
    assert.equal(gh.comments.length, 1);
    assert.equal(parseStamp(gh.comments[0].body)?.head_sha, repo.headSha);
    const saved = JSON.parse(readFileSync(run.outputs["report-path"], "utf8"));
    assert.equal(run.outputs.verdict, saved.rendered.verdict);
    assert.ok(Number(run.outputs["changed-columns"]) >= 1);
    const contracts = [...gh.checkRuns.values()].find((r) => r.name === "rocky/contracts");
    assert.equal(run.code, saved.rendered.checks.some((c: { conclusion: string }) => c.conclusion === "failure") ? 1 : 0);
    assert.equal(contracts?.conclusion, saved.rendered.checks.find((c: { name: string }) => c.name === "rocky/contracts").conclusion);
    console.log(`# real review: verdict ${run.outputs.verdict}, contracts ${contracts?.conclusion}, ${gh.writes().length} writes, exit ${run.code}`);
  });

  test("env the project does not define: the step fails naming the env input, nothing is posted", async () => {
    gh.checkRuns.clear();
    gh.comments.length = 0;
    gh.clearRequests();
    const payload = pullRequestEvent({ action: "synchronize", headSha: repo.headSha, baseSha: repo.baseSha });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace: repo.dir, bundle: isolatedBundle, inputs: { "github-token": TOKEN, env: "prd" } });

    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /::error::Rocky review: invalid inputs%0A- env: unknown compliance environment "prd": the project defines no \[mask.<env>\] table, only the base \[mask\]\. Leave the environment out/);
    assert.deepEqual(gh.writes(), []);
  });

  for (const [name, setup] of [
    ["no project at working-directory", () => ({ workspace: repo.dir, inputs: { "working-directory": "analytics" } })],
    ["a shallow clone (the base commit is not there)", () => {
      const shallow = mkdtempSync(join(tmpdir(), "rocky-shallow-"));
      execFileSync("git", ["clone", "-q", "--depth=1", "--branch", "pr", `file://${repo.dir}`, shallow]);
      return { workspace: shallow, inputs: {} };
    }],
  ] as const) {
    test(`the review cannot run (${name}): rocky/compile fails with the error, the other checks are marked not run, the step fails`, async () => {
      gh.checkRuns.clear();
      gh.comments.length = 0;
      const { workspace, inputs } = setup();
      const payload = pullRequestEvent({ action: "synchronize", headSha: repo.headSha, baseSha: repo.baseSha });

      const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace, bundle: isolatedBundle, inputs: { "github-token": TOKEN, ...inputs } });

      assert.equal(run.code, 1, run.stdout);
      assert.deepEqual(gh.invalid(), []);
      const runs = [...gh.checkRuns.values()];
      assert.equal(runs.length, 5, run.stdout);
      const compile = runs.find((r) => r.name === "rocky/compile");
      assert.equal(compile?.conclusion, "failure");
      assert.equal(compile?.output.title, "Rocky review could not run");
      const error = /::error::Rocky review could not run: ([^%\n]*)/.exec(run.stdout)?.[1] ?? "";
      assert.ok(error.length > 0, run.stdout);
      assert.ok(compile?.output.summary?.includes(error.slice(0, 40)), `${compile?.output.summary} vs ${error}`);
      assert.ok(runs.filter((r) => r.name !== "rocky/compile").every((r) => r.conclusion === "failure" && r.status === "completed" && r.output.title?.startsWith("Not checked")));
      assert.match(run.stdout, /rocky\/compile is marked failed with this error/);
      assert.equal(run.outputs.posted, "false");
    });
  }
});

describe("the bundled Action on a PR that deletes the whole project (real review core)", () => {
  let gh: FakeGitHub;
  let repo: GitFixture;

  before(async () => {
    gh = await startFakeGitHub({ staticTokens: { [TOKEN]: { user: { login: "github-actions[bot]", type: "Bot" } } } });
    repo = createGitFixture({ base: { ...SHOP_BASE, "README.md": "shop\n" }, head: { "README.md": "shop\n" } });
    gh.addPull({ number: 2, headSha: repo.headSha, baseSha: repo.baseSha, author: "analyst", files: Object.keys(SHOP_BASE).map((path) => ({ ...pullFile(repo, path), status: "removed" as const })) });
  });
  after(async () => {
    await gh.close();
    repo.cleanup();
  });

  test("is reviewed, not failed: every model removed, rocky/compile passes, the one a dashboard reads commented on its deleted file's first line (LEFT)", async () => {
    const payload = pullRequestEvent({ action: "opened", headSha: repo.headSha, baseSha: repo.baseSha });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, workspace: repo.dir, inputs: { "github-token": TOKEN } });

    assert.deepEqual(gh.invalid(), [], JSON.stringify(gh.invalid().map((r) => [r.operationId, r.error])));
    // Removed models are breaking changes (warnings): advisory under the default fail-on, so the step passes.
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /could not run|No Rocky project files/);
    assert.equal(run.outputs.verdict, "advisory");
    const runs = Object.fromEntries([...gh.checkRuns.values()].map((r) => [r.name, r]));
    assert.equal(runs["rocky/compile"]?.conclusion, "success");
    assert.equal(runs["rocky/contracts"]?.conclusion, "neutral");
    assert.equal(gh.comments.length, 1);
    assert.match(gh.comments[0].body, /`model_removed` model removed .*`models\/stg_orders\.sql` \(deleted by this PR\)/);
    assert.equal(gh.reviews.length, 1);
    assert.deepEqual(
      gh.reviewComments.map((c) => [c.path, c.line, c.side]),
      [["models/fct_revenue.sql", 1, "LEFT"]],
    );
  });
});
