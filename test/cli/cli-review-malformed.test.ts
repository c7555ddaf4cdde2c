import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { VERSION } from "../../engine/src/version.js";
import { createGitFixture, type GitFixture } from "../support/git-fixture.js";
import { readTree, rocky, SHOP } from "./support/cli-harness.js";

/**
 * `rocky review` on pull requests that break the project: a syntax error, a cycle, a binary model
 * and a sidecar that is not TOML. The review must not crash, must fail rocky/compile, and must put
 * each finding on its file and line; a mistake already on main is not the PR's.
 */
interface ReviewJson {
  version: string;
  command: string;
  verdict: string;
  checks: { name: string; conclusion: string }[];
  report: { diagnostics: { code: string; severity: string; message: string; span?: { file: string; line: number; col: number }; new?: boolean; inDiff?: boolean }[]; breakingChanges?: unknown };
}

const BROKEN_PR = {
  "models/broken.sql": "SELECT customer_id,\n  email\nFROM stg_customers\nWHERE (",
  "models/loop_a.sql": "SELECT customer_id\nFROM loop_b",
  "models/loop_b.sql": "SELECT customer_id\nFROM loop_a",
  "models/blob.sql": new Uint8Array([0x00, 0x01, 0x02, 0xff]),
};

async function review(repo: GitFixture): Promise<{ code: number; out: ReviewJson; markdown: string }> {
  const json = await rocky(["review", "--base", "main", "-o", "json"], { cwd: repo.dir });
  assert.equal(json.stderr, "");
  const out = JSON.parse(json.stdout) as ReviewJson;
  assert.equal(out.version, VERSION);
  assert.equal(out.command, "review");
  const md = await rocky(["review", "--base", "main"], { cwd: repo.dir });
  assert.equal(md.code, json.code);
  return { code: json.code, out, markdown: md.stdout };
}

const found = (out: ReviewJson) => out.report.diagnostics.filter((d) => d.severity === "Error").map((d) => `${d.code} ${d.span?.file}:${d.span?.line}:${d.span?.col}${d.new === false ? " (not new)" : ""}`).sort();
const conclusion = (out: ReviewJson, name: string) => out.checks.find((c) => c.name === name)?.conclusion;

describe("rocky review of a PR that breaks the project", { timeout: 120_000 }, () => {
  let repo: GitFixture;
  before(() => {
    repo = createGitFixture({ base: readTree(SHOP), head: BROKEN_PR, headIsPatch: true });
  });
  after(() => repo.cleanup());

  it("fails rocky/compile with each mistake at its file, line and column, in JSON and in the comment", async () => {
    const { code, out, markdown } = await review(repo);
    assert.equal(code, 1);
    assert.equal(out.verdict, "fail");
    assert.equal(conclusion(out, "rocky/compile"), "failure");
    assert.deepEqual(found(out), ["R001 models/broken.sql:4:8", "R003 models/loop_a.sql:2:6", "R003 models/loop_b.sql:2:6", "R007 models/blob.sql:1:1"]);
    for (const where of ["models/broken.sql:4:8", "models/loop_a.sql:2:6", "models/blob.sql:1:1"]) assert.ok(markdown.includes(`\`${where}\``), where);
    // The git reader says why, as the disk reader does.
    assert.equal(out.report.diagnostics.find((d) => d.code === "R007")?.message, "models/blob.sql is binary, not text: it holds a NUL byte (the first at line 1, column 1)");
    // The binary file has no lines GitHub can anchor a comment on.
    assert.equal(out.report.diagnostics.find((d) => d.code === "R007")?.inDiff, false);
    assert.equal(out.report.diagnostics.find((d) => d.code === "R001")?.inDiff, true);
  });
});

describe("rocky review when main is already broken", { timeout: 120_000 }, () => {
  let repo: GitFixture;
  before(() => {
    repo = createGitFixture({
      base: { ...readTree(SHOP), "models/legacy.sql": "SELECT customer_id\nFROM stg_customers\nWHERE (" },
      head: { "models/stg_customers.sql": `${new TextDecoder().decode(readTree(SHOP)["models/stg_customers.sql"])}\n-- reviewed\n` },
      headIsPatch: true,
    });
  });
  after(() => repo.cleanup());

  it("a syntax error the PR did not touch is not new, and does not fail the PR's compile check", async () => {
    const { out } = await review(repo);
    assert.deepEqual(found(out), ["R001 models/legacy.sql:3:8 (not new)"]);
    assert.notEqual(conclusion(out, "rocky/compile"), "failure");
  });
});

describe("rocky review of a PR whose sidecar is not TOML", { timeout: 120_000 }, () => {
  let repo: GitFixture;
  before(() => {
    repo = createGitFixture({ base: readTree(SHOP), head: { "models/stg_orders.toml": 'name = "stg_orders"\n[strategy\n' }, headIsPatch: true });
  });
  after(() => repo.cleanup());

  it("reports R002 on the broken line and fails rocky/compile", async () => {
    const { code, out } = await review(repo);
    assert.equal(code, 1);
    assert.deepEqual(found(out), ["R002 models/stg_orders.toml:2:1"]);
    assert.equal(conclusion(out, "rocky/compile"), "failure");
  });

  it(
    "does not also report the config it could not read as breaking changes",
    {},
    async () => {
      const { out, markdown } = await review(repo);
      assert.doesNotMatch(markdown, /target_renamed|column_mask_changed|materialization_strategy_changed/);
      // The JSON report likewise: the config error (R002) is the finding, not what the defaults differ in.
      assert.doesNotMatch(JSON.stringify(out.report.breakingChanges ?? []), /target_renamed|column_mask_changed|materialization_strategy_changed|analytics\.marts\.stg_orders/);
    },
  );
});

describe("rocky review and its compile cache", { timeout: 120_000 }, () => {
  let repo: GitFixture;
  before(() => {
    repo = createGitFixture({ base: readTree(SHOP), head: { "models/stg_orders.sql": "SELECT id AS order_id, customer_id, ordered_at, status FROM raw.orders" }, headIsPatch: true });
  });
  after(() => repo.cleanup());
  const checks = (stdout: string) => (JSON.parse(stdout) as ReviewJson).checks;

  it("--no-cache leaves no cache behind, where a review without it keeps one", async () => {
    const off = await rocky(["review", "--base", "main", "-o", "json", "--no-cache"], { cwd: repo.dir });
    assert.equal(off.stderr, "");
    assert.equal(existsSync(join(repo.dir, ".rocky-state", "compile-cache")), false);
    const on = await rocky(["review", "--base", "main", "-o", "json"], { cwd: repo.dir });
    assert.equal(on.code, off.code);
    assert.deepEqual(checks(on.stdout), checks(off.stdout));
    assert.equal(existsSync(join(repo.dir, ".rocky-state", "compile-cache")), true);
  });

  it("a cache that cannot open: reviews without it, as --no-cache does, and says so once on stderr", async () => {
    // A file where the cache's directory goes: lmdb cannot open it, and it is the user's, so it stays.
    rmSync(join(repo.dir, ".rocky-state"), { recursive: true, force: true });
    mkdirSync(join(repo.dir, ".rocky-state"));
    writeFileSync(join(repo.dir, ".rocky-state", "compile-cache"), "not a directory");
    const r = await rocky(["review", "--base", "main", "-o", "json"], { cwd: repo.dir });
    const off = await rocky(["review", "--base", "main", "-o", "json", "--no-cache"], { cwd: repo.dir });
    const envOff = await rocky(["review", "--base", "main", "-o", "json"], { cwd: repo.dir, env: { ROCKY_NO_CACHE: "1" } });
    assert.equal(off.stderr, "");
    assert.equal(envOff.stderr, "");
    assert.match(r.stderr, /^rocky: warning: compiling without the cache: it could not open \(.*\); check \.rocky-state\/compile-cache, or pass --no-cache to compile without it quietly\n$/);
    assert.equal(r.code, off.code);
    assert.deepEqual(checks(r.stdout), checks(off.stdout));
    assert.deepEqual(checks(envOff.stdout), checks(off.stdout));
    assert.equal(readFileSync(join(repo.dir, ".rocky-state", "compile-cache"), "utf8"), "not a directory");
  });
});
