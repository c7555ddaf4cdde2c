/**
 * The App runs a PR's model SQL inside its own process (its environment holds the App's private
 * key and the warehouse secrets) when the project's warehouse is the embedded DuckDB. The branch
 * schema's DuckDB is locked down to the repository's data directory: a model reading
 * /proc/self/environ or another file fails with a permission error, and nothing of either reaches
 * GitHub or the App's log. A rocky.toml DuckDB `path` outside that directory is refused.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { appWarehouse, duckDbDataDir } from "../../app/src/app-warehouse.js";
import { gitFetcher } from "../../app/src/fetch-repo.js";
import { startAppServer } from "../../app/src/start-server.js";
import { memoryDeliveryLog } from "../../review/src/github/shell-ports.js";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview } from "../support/fake-github/canned-review.js";
import { deliver, pullRequestEvent } from "../support/webhooks.js";
import { cacheDir, type FixtureRepo, fixtureRepo, recordingLog, SECRET, ScriptedReview, testProbot } from "./app-fixtures.js";

const SENTINEL = "rocky-app-sentinel-8e41c07b";
const DEFAULTS = { "models/_defaults.toml": '[target]\ncatalog = "memory"\nschema = "analytics"\n' };

/** This process's environment as /proc/self/environ gives it: the values a leak would carry (the short ones could occur by chance). */
/**
 * This process's environment as /proc/self/environ holds it: the values a model reading that file
 * could leak. npm's own `npm_*` entries are left out (under `npm test` they hold this package's name,
 * `rocky-review`, which the App's comment marker names anyway): metadata, not secrets.
 */
function environValues(): string[] {
  return readFileSync("/proc/self/environ", "utf8")
    .split("\0")
    .filter((kv) => !kv.startsWith("npm_"))
    .map((kv) => kv.slice(kv.indexOf("=") + 1))
    .filter((v) => v.length >= 12);
}

describe("the App's branch schema on an embedded DuckDB is locked down", () => {
  let gh: FakeGitHub;
  let outside: string;
  let delivery = 0;

  before(async () => {
    gh = await startFakeGitHub();
    outside = realpathSync(mkdtempSync(join(tmpdir(), "rocky-app-outside-")));
    writeFileSync(join(outside, "secret.txt"), `${SENTINEL}\n`);
  });
  after(async () => {
    await gh.close();
    rmSync(outside, { recursive: true, force: true });
  });

  /** The PR at `headSha` opened, reviewed, and its branch schema built by the App's own warehouse port; what it logged. */
  async function open(repo: FixtureRepo, headSha: string): Promise<{ lines: string[]; warehouse: string[] }> {
    gh.pulls.clear();
    gh.clearRequests();
    gh.addPull({ number: 2, headSha, baseSha: repo.baseSha, files: [{ filename: "models/orders.sql", patch: "@@ -1 +1 @@\n-a\n+b" }] });
    const log = recordingLog();
    const warehouse: string[] = [];
    const cache = cacheDir();
    const app = await startAppServer(testProbot(gh.url, log), {
      review: new ScriptedReview(() => cannedReview({ inline: [] })).run,
      fetchRepo: gitFetcher({ cacheDir: join(cache, "repos"), urlTemplate: repo.urlTemplate }),
      deliveries: memoryDeliveryLog(),
      warehouseFor: appWarehouse({ cacheDir: cache, secrets: {}, log: (m) => warehouse.push(m) }),
    });
    await deliver(app.url, { event: "pull_request", payload: pullRequestEvent({ action: "opened", headSha, baseSha: repo.baseSha }), delivery: `sandbox-${++delivery}`, secret: SECRET });
    await app.close();
    return { lines: log.lines.map((l) => l.msg), warehouse };
  }

  const assertNothingLeaked = (texts: readonly string[]) => {
    const bodies = JSON.stringify(gh.requests.map((r) => r.body));
    assert.ok(gh.requests.length > 0);
    assert.ok(!bodies.includes(SENTINEL) && !texts.some((t) => t.includes(SENTINEL)), "the sentinel left the sandbox");
    const leaked = environValues().filter((v) => bodies.includes(v));
    assert.deepEqual(leaked, [], "an environment value reached GitHub");
    assert.deepEqual(gh.invalid(), []);
  };

  test("a model reading /proc/self/environ fails with a permission error; no environment value reaches GitHub", async () => {
    const repo = fixtureRepo("branch-schema: on\n", DEFAULTS);
    const head = repo.push("models/orders.sql", "SELECT CAST(content AS INTEGER) AS x FROM read_text('/proc/self/environ')\n");

    const { lines, warehouse } = await open(repo, head);

    assert.equal(warehouse.length, 1, lines.join("\n"));
    assert.match(warehouse[0], /^branch branch__pr_2: 1 models run, status failure: orders failed \(.*Permission Error: Cannot access file "\/proc\/self\/environ" - file system operations are disabled by configuration/);
    assertNothingLeaked([...lines, ...warehouse]);
  });

  test("a model reading a file outside the App's data directory of the repository fails the same way", async () => {
    const repo = fixtureRepo("branch-schema: on\n", DEFAULTS);
    const head = repo.push("models/orders.sql", `SELECT CAST(content AS INTEGER) AS x FROM read_text('${join(outside, "secret.txt")}')\n`);

    const { lines, warehouse } = await open(repo, head);

    assert.equal(warehouse.length, 1, lines.join("\n"));
    assert.match(warehouse[0], /orders failed \(.*Permission Error: Cannot access file "[^"]*secret\.txt"/);
    assertNothingLeaked([...lines, ...warehouse]);
  });

  test("a rocky.toml DuckDB `path` outside the data directory is refused naming rocky.toml's line; nothing is created there", async () => {
    const stolen = join(outside, "stolen.duckdb");
    const repo = fixtureRepo("branch-schema: on\n", { ...DEFAULTS, "rocky.toml": `[adapter]\ntype = "duckdb"\npath = "${stolen}"\n` });

    const { lines, warehouse } = await open(repo, repo.headSha);

    assert.deepEqual(warehouse, []);
    const refusal = lines.find((l) => l.includes("the branch schema could not be built"));
    assert.match(refusal ?? lines.join("\n"), /`path` in \[adapter\] of rocky\.toml line 3 names .*stolen\.duckdb, outside the App's data directory of this repository/);
    assert.throws(() => readFileSync(stolen));
  });

  test("each repository and project has its own data directory, beside the clone and the state store", () => {
    const cache = "/srv/rocky";
    assert.equal(duckDbDataDir(cache, "acme/shop"), "/srv/rocky/duckdb/acme__shop/root");
    assert.equal(duckDbDataDir(cache, "acme/shop", "finance"), "/srv/rocky/duckdb/acme__shop/dir_finance");
    assert.notEqual(duckDbDataDir(cache, "acme/shop"), duckDbDataDir(cache, "other/shop"));
  });
});
