import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { changedFiles } from "../../../review/src/git/changed-files.js";
import { listTree } from "../../../review/src/git/read-tree.js";
import { resolveRefs } from "../../../review/src/git/resolve-refs.js";

/**
 * The root cause of the transient wrong cached reviews (bench/stress-cache.mjs found one in about
 * 200 cached reviews at 1k models, with two reviews running at once): simple-git by default calls a
 * git command done 50 ms after the process *exits*, not when its output is *closed*. On a busy
 * event loop (two reviews in one process, or a loaded machine) the rest of `git ls-tree`'s output
 * is still in the pipe then, and the review went on with a listing cut short: hundreds of models
 * "removed", the head compiled in full with no cache hits (the 114 s run), exit 1.
 *
 * Made deterministic here with a `git` on PATH that exits at once and lets the real git write its
 * output 300 ms later through the inherited pipe: a reader that waits for the output to close gets
 * all of it; one that stops 50 ms after the exit gets none.
 */

let repo: string;
let fakeBin: string;
const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
const savedPath = process.env.PATH;

function git(...args: string[]): string {
  return execFileSync(realGit, args, { cwd: repo, encoding: "utf8", env: { ...process.env, PATH: savedPath, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
}

before(() => {
  repo = mkdtempSync(join(tmpdir(), "rocky-git-reads-"));
  mkdirSync(join(repo, "models"));
  writeFileSync(join(repo, "rocky.toml"), '[adapter]\ntype = "duckdb"\n');
  // Enough files that the listing is larger than a pipe's buffer.
  for (let i = 0; i < 1500; i++) writeFileSync(join(repo, "models", `model_with_a_longish_name_${String(i).padStart(5, "0")}.sql`), `SELECT ${i} AS id\n`);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "pr");
  for (let i = 0; i < 300; i++) writeFileSync(join(repo, "models", `model_with_a_longish_name_${String(i).padStart(5, "0")}.sql`), `SELECT ${i} AS id, 1 AS x\n`);
  git("commit", "-qam", "pr");
  fakeBin = mkdtempSync(join(tmpdir(), "rocky-slow-git-"));
  writeFileSync(join(fakeBin, "git"), `#!/bin/sh\n( sleep 0.3; exec ${realGit} "$@" ) &\nexit 0\n`);
  chmodSync(join(fakeBin, "git"), 0o755);
});

after(() => {
  process.env.PATH = savedPath;
  rmSync(repo, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

/** Run `fn` with the slow git first on PATH. */
async function withSlowGit<T>(fn: () => Promise<T>): Promise<T> {
  process.env.PATH = `${fakeBin}:${savedPath}`;
  try {
    return await fn();
  } finally {
    process.env.PATH = savedPath;
  }
}

describe("the review's git reads wait for git's whole output", () => {
  it("lists every file of a tree (git ls-tree)", async () => {
    const expected = await listTree(repo, "main");
    assert.equal(expected.length, 1501);
    const listed = await withSlowGit(() => listTree(repo, "main"));
    assert.equal(listed.length, expected.length, "a listing cut short reads as files removed");
    assert.deepEqual(listed, expected);
  });

  it("finds every changed file (git diff)", async () => {
    const expected = await changedFiles(repo, "main", "pr");
    assert.equal(expected.length, 300);
    const found = await withSlowGit(() => changedFiles(repo, "main", "pr"));
    assert.deepEqual(found, expected);
  });

  it("resolves refs and their merge-base", async () => {
    const expected = await resolveRefs(repo, "main", "pr");
    const resolved = await withSlowGit(() => resolveRefs(repo, "main", "pr"));
    assert.deepEqual(resolved, expected);
  });
});
