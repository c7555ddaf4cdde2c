/**
 * App test fixtures: a local bare repository the App clones over file:// (its clone URL template),
 * an RSA app key, a Probot wired to the fake GitHub, and a controllable review runner.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { Probot } from "probot";
import { rockyProbotOctokit } from "../../app/src/probot-octokit.js";
import type { ReviewCallOptions, ReviewOutcome } from "../../review/src/github/shell-ports.js";
import type { RenderedReview } from "../../review/src/report/rendered.js";

export const APP_ID = 123;
export const SECRET = "s3cret-webhook";

let keys: { privateKey: string; publicKey: string } | undefined;

export function appKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  return keys;
}

export const FAST_RESILIENCE = { baseDelayMs: 2, retryAfterUnitMs: 2, writeSpacingMs: 0, secondaryFallbackMs: 2, writesPerMinute: 10_000 } as const;

export function testProbot(baseUrl: string, log?: RecordingLog): Probot {
  return new Probot({ appId: APP_ID, privateKey: appKeys().privateKey, secret: SECRET, baseUrl, logLevel: (process.env.ROCKY_TEST_LOG_LEVEL ?? "fatal") as "fatal", Octokit: rockyProbotOctokit(FAST_RESILIENCE), ...(log ? { log: log.logger } : {}) });
}

/** A pino logger (debug and up) keeping every line, to assert what the App logs and at which level. */
export interface RecordingLog {
  readonly logger: pino.Logger;
  readonly lines: { level: string; msg: string }[];
  /** "error: …" lines at `level` or above. */
  at(level: "debug" | "info" | "warn" | "error"): string[];
}

export function recordingLog(): RecordingLog {
  const lines: { level: string; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        lines.push({ level: pino.levels.labels[entry.level] ?? String(entry.level), msg: entry.msg });
      }
      done();
    },
  });
  const order = ["trace", "debug", "info", "warn", "error", "fatal"];
  return {
    logger: pino({ level: "debug" }, stream),
    lines,
    at: (level) => lines.filter((l) => order.indexOf(l.level) >= order.indexOf(level)).map((l) => `${l.level}: ${l.msg}`),
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" } }).trim();
}

export interface FixtureRepo {
  /** Template for the App's clone URL: file://<root>/{owner}/{repo}.git */
  readonly urlTemplate: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly root: string;
  /** Adds a commit on the PR branch and moves refs/pull/<n>/head; returns its SHA. */
  push(file: string, content: string): string;
  /** Adds a commit on main (the PR's base branch moves on; the PR's base SHA does not); returns its SHA. */
  pushMain(file: string, content: string): string;
}

/** Base commit on main (with optional .github/rocky.yml and more files) and a PR head at refs/pull/2/head. */
export function fixtureRepo(settings?: string, files: Readonly<Record<string, string>> = {}): FixtureRepo {
  const root = mkdtempSync(join(tmpdir(), "rocky-app-repo-"));
  const work = join(root, "work");
  mkdirSync(work);
  git(work, "init", "-q", "-b", "main");
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), content);
  };
  write("rocky.toml", '[adapter]\ntype = "duckdb"\n');
  write("models/orders.sql", "select id, amount from raw.orders\n");
  if (settings !== undefined) write(".github/rocky.yml", settings);
  for (const [file, content] of Object.entries(files)) write(file, content);
  git(work, "add", "-A");
  git(work, "commit", "-q", "-m", "base");
  const baseSha = git(work, "rev-parse", "HEAD");
  git(work, "checkout", "-q", "-b", "feature");
  write("models/orders.sql", "select id, amount::double as amount from raw.orders\n");
  git(work, "commit", "-q", "-am", "head");
  const headSha = git(work, "rev-parse", "HEAD");
  const bare = join(root, "Codertocat", "Hello-World.git");
  mkdirSync(dirname(bare), { recursive: true });
  git(root, "clone", "-q", "--bare", work, bare);
  git(bare, "update-ref", "refs/pull/2/head", headSha);
  return {
    urlTemplate: `file://${root}/{owner}/{repo}.git`,
    baseSha,
    headSha,
    root,
    push(file, content) {
      write(file, content);
      git(work, "commit", "-q", "-am", `change ${file}`);
      const sha = git(work, "rev-parse", "HEAD");
      git(work, "push", "-q", bare, "feature");
      git(bare, "update-ref", "refs/pull/2/head", sha);
      return sha;
    },
    pushMain(file, content) {
      git(work, "checkout", "-q", "main");
      write(file, content);
      git(work, "add", "-A");
      git(work, "commit", "-q", "-m", `main: change ${file}`);
      const sha = git(work, "rev-parse", "HEAD");
      git(work, "push", "-q", bare, "main");
      git(work, "checkout", "-q", "feature");
      return sha;
    },
  };
}

/** A review runner returning canned reviews, with gates to hold a run for a given head SHA. */
export class ScriptedReview {
  readonly calls: ReviewCallOptions[] = [];
  readonly #gates = new Map<string, { promise: Promise<void>; release: () => void }>();
  rendered: (options: ReviewCallOptions) => RenderedReview;

  constructor(rendered: (options: ReviewCallOptions) => RenderedReview) {
    this.rendered = rendered;
  }

  /** Runs for `headSha` wait until `release()` is called. */
  hold(headSha: string): () => void {
    let release = () => undefined as void;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#gates.set(headSha, { promise, release });
    return release;
  }

  readonly run = async (options: ReviewCallOptions): Promise<ReviewOutcome> => {
    this.calls.push(options);
    await this.#gates.get(options.head ?? "")?.promise;
    return { report: { version: 1 }, rendered: this.rendered(options) };
  };
}

export function cacheDir(): string {
  return mkdtempSync(join(tmpdir(), "rocky-app-cache-"));
}
