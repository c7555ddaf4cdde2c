/**
 * A review the App cannot make (clone failure, missing project, review core error) still answers
 * on the PR: rocky/compile fails with the error, so required checks never wait for ever. Warehouse
 * work runs after the static review is posted, and its failure never loses the review.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { type RunningApp, startAppServer } from "../../app/src/start-server.js";
import { projectWarehouse } from "../../review/src/github/project-warehouse.js";
import { defaultReviewRunner, memoryDeliveryLog, type ReviewRunner, type WarehousePort } from "../../review/src/github/shell-ports.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview } from "../support/fake-github/canned-review.js";
import { deliver, pullRequestEvent, pushEvent } from "../support/webhooks.js";
import { APP_ID, appKeys, cacheDir, type FixtureRepo, fixtureRepo, recordingLog, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";

const PATCH = "@@ -1 +1 @@\n-select id, amount from raw.orders\n+select id, amount::double as amount from raw.orders";

let gh: FakeGitHub;
let deliveryNo = 0;

async function reviewOnce(options: { repo: FixtureRepo; review: ReviewRunner; urlTemplate?: string; progressChecks?: boolean; warehouse?: WarehousePort }): Promise<void> {
  gh.pulls.clear();
  gh.checkRuns.clear();
  gh.comments.length = 0;
  gh.clearRequests();
  gh.addPull({ number: 2, headSha: options.repo.headSha, baseSha: options.repo.baseSha, files: [{ filename: "models/orders.sql", patch: PATCH }] });
  const warehouse = options.warehouse;
  const app: RunningApp = await startAppServer(testProbot(gh.url), {
    review: options.review,
    fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: options.urlTemplate ?? options.repo.urlTemplate }),
    deliveries: memoryDeliveryLog(),
    progressChecks: options.progressChecks ?? false,
    ...(warehouse ? { warehouseFor: () => warehouse } : {}),
  });
  await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha: options.repo.headSha, baseSha: options.repo.baseSha }), delivery: `failure-${++deliveryNo}`, secret: SECRET });
  await app.close();
}

function runsByName() {
  return Object.fromEntries([...gh.checkRuns.values()].map((r) => [r.name, r]));
}

function assertCompileFailed(pattern: RegExp): void {
  const runs = runsByName();
  assert.deepEqual(Object.keys(runs).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking", "rocky/portability"]);
  assert.equal(runs["rocky/compile"].status, "completed");
  assert.equal(runs["rocky/compile"].conclusion, "failure");
  assert.equal(runs["rocky/compile"].output.title, "Rocky review could not run");
  assert.match(runs["rocky/compile"].output.summary ?? "", pattern);
  for (const name of ["rocky/contracts", "rocky/masking", "rocky/portability", "rocky/cost"]) {
    assert.equal(runs[name].status, "completed", name);
    // Failed, not neutral: branch protection counts neutral as passing, and nothing was checked.
    assert.equal(runs[name].conclusion, "failure", name);
    assert.match(runs[name].output.title ?? "", /^Not checked/, name);
  }
  assert.deepEqual(gh.invalid(), []);
  assert.equal(gh.comments.length, 0);
}

describe("a review the App cannot make fails rocky/compile with the error", () => {
  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review" });
  });
  after(() => gh.close());

  test("the clone fails: five completed checks, rocky/compile failed with git's error", async () => {
    const repo = fixtureRepo();
    const review = new ScriptedReview(() => cannedReview());

    await reviewOnce({ repo, review: review.run, urlTemplate: `file://${repo.root}/missing/{owner}/{repo}.git` });

    assert.equal(review.calls.length, 0);
    assertCompileFailed(/missing\/Codertocat\/Hello-World\.git|does not appear to be a git repository/);
  });

  test("with progress checks, the five started checks end failed, not cancelled or in progress", async () => {
    const repo = fixtureRepo();
    const failing: ReviewRunner = async () => {
      throw new Error("No Rocky project files (rocky.toml) at the head commit");
    };

    await reviewOnce({ repo, review: failing, progressChecks: true });

    assertCompileFailed(/No Rocky project files/);
    assert.ok([...gh.checkRuns.values()].every((r) => r.writes === 2), "started, then completed in place");
  });

  test("with progress checks, a clone failure (before the settings name the checks) creates the five checks failed", async () => {
    const repo = fixtureRepo();

    await reviewOnce({ repo, review: new ScriptedReview(() => cannedReview()).run, urlTemplate: `file://${repo.root}/missing/{owner}/{repo}.git`, progressChecks: true });

    assertCompileFailed(/missing/);
    assert.ok([...gh.checkRuns.values()].every((r) => r.writes === 1));
  });

  test("the review core throws: rocky/compile failed with its message", async () => {
    const repo = fixtureRepo();
    const failing: ReviewRunner = async () => {
      throw new Error("internal error while diffing the projects");
    };

    await reviewOnce({ repo, review: failing });

    assertCompileFailed(/internal error while diffing the projects/);
  });

  test("working-directory in .github/rocky.yml names a directory that does not exist (real review core)", async () => {
    const repo = fixtureRepo("working-directory: analytics\n");

    await reviewOnce({ repo, review: defaultReviewRunner });

    assertCompileFailed(/analytics/);
  });
});

describe("branch schemas run after the static review is posted", () => {
  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review" });
  });
  after(() => gh.close());

  test("the warehouse is down: the review's checks and comment are posted and kept", async () => {
    const repo = fixtureRepo("branch-schema: on\n");
    const calls: string[] = [];
    const warehouse: WarehousePort = {
      createBranch: async () => {
        calls.push(`create (after ${gh.writes().length} writes, ${gh.comments.length} comment)`);
        throw new Error("could not connect to the warehouse");
      },
      dropBranch: async () => undefined,
      runProduction: async () => undefined,
    };

    await reviewOnce({ repo, review: new ScriptedReview(() => cannedReview({ inline: [] })).run, warehouse });

    assert.deepEqual(calls, ["create (after 6 writes, 1 comment)"]);
    const runs = runsByName();
    assert.equal(runs["rocky/portability"].conclusion, "failure", "the review's own conclusions");
    assert.equal(runs["rocky/compile"].conclusion, "success");
    assert.ok([...gh.checkRuns.values()].every((r) => r.writes === 1), "no check overwritten after the warehouse failed");
    assert.equal(gh.comments.length, 1);
  });
});

describe("production runs", () => {
  before(async () => {
    gh = await startFakeGitHub({ appId: APP_ID, appPublicKey: appKeys().publicKey, appSlug: "rocky-review" });
  });
  after(() => gh.close());

  test("a failed production run (real warehouse: DuckDB) is logged at error level, naming the failed model", async () => {
    // The fixture's model reads raw.orders, which the empty DuckDB database does not have.
    const repo = fixtureRepo("production-run: on\n", { "models/_defaults.toml": '[target]\ncatalog = "memory"\nschema = "analytics"\n' });
    const log = recordingLog();
    const app = await startAppServer(testProbot(gh.url, log), {
      review: new ScriptedReview(() => cannedReview()).run,
      fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }),
      deliveries: memoryDeliveryLog(),
      warehouseFor: ({ repoDir, projectDir }) => projectWarehouse({ repoDir, projectDir }),
    });

    await deliver(app.url, { event: "push", payload: pushEvent({ ref: "refs/heads/main", after: repo.baseSha }), delivery: "production-1", secret: SECRET });
    await app.close();

    const errors = log.at("error");
    assert.equal(errors.length, 1, log.lines.map((l) => `${l.level}: ${l.msg}`).join("\n"));
    assert.match(errors[0], new RegExp(`^error: production run of Codertocat/Hello-World ${repo.baseSha.slice(0, 7)} failed: .*orders failed`));
    assert.deepEqual(gh.invalid(), []);
  });

  test("a project whose models have no target schema: the production run is refused naming the file and line, before the warehouse is opened", async () => {
    const repo = fixtureRepo("production-run: on\n", { "models/_defaults.toml": '[target]\ncatalog = "memory"\nschema = ""\n' });
    const log = recordingLog();
    let opened = 0;
    const app = await startAppServer(testProbot(gh.url, log), {
      review: new ScriptedReview(() => cannedReview()).run,
      fetchRepo: gitFetcher({ cacheDir: cacheDir(), urlTemplate: repo.urlTemplate }),
      deliveries: memoryDeliveryLog(),
      warehouseFor: ({ repoDir, projectDir }) => projectWarehouse({ repoDir, projectDir, log: () => void opened++ }),
    });

    await deliver(app.url, { event: "push", payload: pushEvent({ ref: "refs/heads/main", after: repo.baseSha }), delivery: "production-2", secret: SECRET });
    await app.close();

    const errors = log.at("error");
    assert.equal(errors.length, 1, log.lines.map((l) => `${l.level}: ${l.msg}`).join("\n"));
    assert.match(errors[0], /failed: models\/_defaults\.toml:3: `target\.schema` = "" is not valid: expected a schema name, not an empty string; nothing was run/);
    assert.equal(opened, 0, "no run was logged");
  });
});
