/**
 * Build a real git repository in a temp dir from file maps: a base commit on `main` and a head
 * commit on a `pr` branch that starts from it (optionally more commits on main after the branch
 * point, to exercise the three-dot merge-base). Used by the review tests and by colleagues'.
 *
 *   const repo = createGitFixture({ base: {"rocky.toml": "...", "models/a.sql": "..."}, head: {...} });
 *   ... reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr" }) ...
 *   repo.cleanup();
 *
 * `head` is the complete file set of the PR branch (files absent from it are deleted), unless
 * `headIsPatch: true`, in which case it is applied on top of base (a null value deletes).
 */
import { execFileSync } from "node:child_process";
import { after } from "node:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type FileMap = Readonly<Record<string, string | Uint8Array | null>>;

export interface GitFixtureOptions {
  readonly base: FileMap;
  readonly head: FileMap;
  /** Treat `head` as changes on top of base instead of the whole tree. */
  readonly headIsPatch?: boolean;
  /** Commits made on main after `pr` branched off (each a patch over the previous main). */
  readonly mainAfter?: readonly FileMap[];
  /** Commit the PR in several steps: each a patch applied before the final `head`. */
  readonly prSteps?: readonly FileMap[];
}

export interface GitFixture {
  readonly dir: string;
  /** The base commit (main at the branch point). */
  readonly baseSha: string;
  /** main's tip (differs from baseSha when mainAfter is given). */
  readonly mainSha: string;
  readonly headSha: string;
  git(...args: string[]): string;
  cleanup(): void;
}

const ENV = {
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.invalid",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function runGit(dir: string, args: readonly string[], date = "2026-01-01T00:00:00Z"): string {
  return execFileSync("git", args, {
    cwd: dir,
    env: { ...process.env, ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 512 * 1024 * 1024,
  }).trim();
}

function writeFiles(dir: string, files: FileMap): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, path);
    if (content === null) {
      rmSync(abs, { force: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

function commitAll(dir: string, message: string, date: string): string {
  runGit(dir, ["add", "-A"], date);
  runGit(dir, ["commit", "-q", "--allow-empty", "--no-verify", "-m", message], date);
  return runGit(dir, ["rev-parse", "HEAD"], date);
}

/**
 * A file the PR changed, as GitHub lists it (`GET /pulls/{n}/files`): its path and its patch, the
 * hunks of `git diff -U3` from base to head (the `@@` lines on, without git's header).
 */
export function pullFile(repo: GitFixture, path: string): { filename: string; patch: string } {
  const lines = repo.git("diff", "-U3", repo.baseSha, repo.headSha, "--", path).split("\n");
  return { filename: path, patch: lines.slice(lines.findIndex((l) => l.startsWith("@@"))).join("\n") };
}

export function createGitFixture(options: GitFixtureOptions): GitFixture {
  const dir = mkdtempSync(join(tmpdir(), "rocky-review-git-"));
  runGit(dir, ["init", "-q", "-b", "main"]);
  runGit(dir, ["config", "core.autocrlf", "false"]);
  runGit(dir, ["config", "commit.gpgsign", "false"]);
  // no detached auto-gc/maintenance writing into .git while a test removes the directory
  runGit(dir, ["config", "gc.auto", "0"]);
  runGit(dir, ["config", "maintenance.auto", "false"]);
  writeFiles(dir, options.base);
  const baseSha = commitAll(dir, "base", "2026-01-01T00:00:00Z");
  let mainSha = baseSha;
  (options.mainAfter ?? []).forEach((patch, i) => {
    writeFiles(dir, patch);
    mainSha = commitAll(dir, `main ${i + 1}`, `2026-01-02T00:0${i}:00Z`);
  });
  runGit(dir, ["checkout", "-q", "-b", "pr", baseSha]);
  (options.prSteps ?? []).forEach((patch, i) => {
    writeFiles(dir, patch);
    commitAll(dir, `pr step ${i + 1}`, `2026-01-03T00:0${i}:00Z`);
  });
  if (!options.headIsPatch) {
    for (const path of Object.keys(options.base)) if (!(path in options.head)) rmSync(join(dir, path), { force: true });
    for (const step of options.prSteps ?? []) for (const path of Object.keys(step)) if (!(path in options.head)) rmSync(join(dir, path), { force: true });
  }
  writeFiles(dir, options.head);
  const headSha = commitAll(dir, "pr", "2026-01-04T00:00:00Z");
  return {
    dir,
    baseSha,
    mainSha,
    headSha,
    git: (...args: string[]) => runGit(dir, args),
    cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }),
  };
}

/** A shallow clone (depth commits of `branch`, no other history) of a fixture, via file://. */
export function shallowClone(source: string, branch: string, depth = 1): GitFixture {
  const dir = mkdtempSync(join(tmpdir(), "rocky-review-shallow-"));
  runGit(dir, ["clone", "-q", "--no-tags", `--depth=${depth}`, "--single-branch", "--branch", branch, `file://${source}`, "."]);
  const head = runGit(dir, ["rev-parse", "HEAD"]);
  return { dir, baseSha: "", mainSha: "", headSha: head, git: (...args: string[]) => runGit(dir, args), cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }) };
}

/**
 * For a test file, called at its top level: `track(f)` cleans `f` up after the file's tests (a
 * shallow clone, say), and `fixture(options)` makes one with createGitFixture and tracks it.
 */
export function fixturesOfFile(): { fixture(options: GitFixtureOptions): GitFixture; track<T extends GitFixture>(f: T): T } {
  const made: GitFixture[] = [];
  after(() => {
    for (const f of made) f.cleanup();
  });
  const track = <T extends GitFixture>(f: T): T => {
    made.push(f);
    return f;
  };
  return { track, fixture: (options) => track(createGitFixture(options)) };
}
