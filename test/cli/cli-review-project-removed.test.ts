import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createGitFixture, type FileMap, type GitFixture } from "../support/git-fixture.js";
import { readTree, rocky, SHOP } from "./support/cli-harness.js";

/**
 * `rocky review` of a PR that deletes the whole project (or adds one where there was none): a
 * review of every model removed (or added), not "No Rocky project files". Only a directory with no
 * project on either side is the user's mistake. The `pr` branch is checked out, as a developer has it.
 */
interface ReviewJson {
  verdict: string;
  checks: { name: string; conclusion: string }[];
  report: {
    models: { model: string; status: string }[];
    breakingChanges: { kind: string; model: string; severity: string }[];
    blastRadius: { totalConsumers: number };
    diagnostics: { code: string }[];
  };
}

const made: GitFixture[] = [];
after(() => {
  for (const f of made) f.cleanup();
});

function repoOf(base: FileMap, head: FileMap): GitFixture {
  const repo = createGitFixture({ base, head });
  made.push(repo);
  return repo;
}

const SHOP_FILES = readTree(SHOP);
const SHOP_MODELS = Object.keys(SHOP_FILES)
  .filter((p) => /^models\/[^/]+\.sql$/.test(p))
  .map((p) => p.slice("models/".length, -".sql".length))
  .sort();
const inDir = (dir: string, files: FileMap): FileMap => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${dir}/${k}`, v]));
const conclusion = (out: ReviewJson, name: string) => out.checks.find((c) => c.name === name)?.conclusion;

async function reviewJson(cwd: string, ...extra: string[]): Promise<{ code: number; out: ReviewJson; stderr: string }> {
  const r = await rocky(["review", "--base", "main", "-o", "json", ...extra], { cwd });
  return { code: r.code, out: JSON.parse(r.stdout) as ReviewJson, stderr: r.stderr };
}

describe("rocky review of a PR that deletes or adds the whole project", { timeout: 120_000 }, () => {
  it("the project at the root deleted, rocky.toml too: every model removed, a breaking change; with and without the cache", async () => {
    const repo = repoOf({ ...SHOP_FILES, "README.md": "shop\n" }, { "README.md": "shop\n" });
    for (const cache of [[], ["--no-cache"], []]) {
      const { code, out, stderr } = await reviewJson(repo.dir, ...cache);
      assert.equal(stderr, "");
      // Removed models are breaking changes (warnings): rocky/contracts is advisory under the default fail-on.
      assert.equal(code, 0);
      assert.equal(out.verdict, "advisory");
      assert.deepEqual(out.report.models.map((m) => m.status), SHOP_MODELS.map(() => "removed"));
      assert.deepEqual(out.report.models.map((m) => m.model).sort(), SHOP_MODELS);
      assert.deepEqual(out.report.breakingChanges.filter((b) => b.kind === "model_removed").map((b) => `${b.model} ${b.severity}`).sort(), SHOP_MODELS.map((m) => `${m} breaking`));
      assert.equal(out.report.blastRadius.totalConsumers, 0);
      assert.deepEqual(out.report.diagnostics, []);
      assert.equal(conclusion(out, "rocky/compile"), "success");
      assert.equal(conclusion(out, "rocky/contracts"), "neutral");
    }
    const strict = await reviewJson(repo.dir, "--fail-on", "contracts=warning");
    assert.equal(strict.code, 1);
    assert.equal(conclusion(strict.out, "rocky/contracts"), "failure");
    const md = await rocky(["review", "--base", "main"], { cwd: repo.dir });
    assert.equal(md.code, 0, md.stderr);
    for (const m of SHOP_MODELS) assert.match(md.stdout, new RegExp(`\`model_removed\` model removed .*\`models/${m}\\.sql\` \\(deleted by this PR\\)`));
  });

  it("a project in a sub-directory the PR deletes: `-C` names the directory the work tree no longer has, which is not made again", async () => {
    const repo = repoOf({ ...inDir("analytics", SHOP_FILES), "README.md": "mono\n" }, { "README.md": "mono\n" });
    // As a checkout of the PR leaves it: git removes the directories it emptied (the fixture only deletes the files).
    rmSync(join(repo.dir, "analytics"), { recursive: true });
    const { code, out, stderr } = await reviewJson(repo.dir, "-C", "analytics");
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.deepEqual(out.report.models.map((m) => m.status), SHOP_MODELS.map(() => "removed"));
    assert.equal(existsSync(join(repo.dir, "analytics")), false, "no .rocky-state/ cache directory recreates the deleted project");
  });

  it("a PR that adds the project where main had none: every model added", async () => {
    const repo = repoOf({ "README.md": "new\n" }, { ...SHOP_FILES, "README.md": "new\n" });
    const { out, stderr } = await reviewJson(repo.dir);
    assert.equal(stderr, "");
    assert.deepEqual(out.report.models.map((m) => m.status), SHOP_MODELS.map(() => "added"));
    assert.ok(out.report.breakingChanges.every((b) => b.kind === "model_added" || b.kind === "column_added"));
    assert.notEqual(conclusion(out, "rocky/compile"), "failure");
  });

  it("no project on either side is the one usage error, naming both refs", async () => {
    const repo = repoOf({ "README.md": "a\n" }, { "README.md": "b\n" });
    const r = await rocky(["review", "--base", "main"], { cwd: repo.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rocky review: No Rocky project files \(rocky\.toml, models\/\) at the repository root on HEAD, nor on main \(merge-base [0-9a-f]{7}\)\.\s.*`-C DIR` for the rocky CLI/s);
    assert.equal(r.stdout, "");
  });
});
