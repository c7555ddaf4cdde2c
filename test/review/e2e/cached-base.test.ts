import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { openLmdbCompileCache } from "../../../engine/src/compile/lmdb-compile-cache.js";
import { createGitSourceReader } from "../../../review/src/git/git-source-reader.js";
import { cachedReviewRunner, defaultReviewRunner } from "../../../review/src/github/shell-ports.js";
import { listingOf } from "../../../review/src/git/tree-listing.js";
import type { SourceReader } from "../../../review/src/ports.js";
import { KEPT_BASE_SNAPSHOTS, type ReviewOptions, reviewPullRequest } from "../../../review/src/review-pull-request.js";
import { shopRepo } from "../../cli/support/cli-harness.js";

/**
 * A review whose base side comes from a kept snapshot (the head recompiled from it where the PR
 * changed models) says exactly what a review without any cache says: the same report (findings,
 * blast radius, contracts, compliance, cost) and the same comment, inline comments and checks.
 */

const FIXED_CLOCK = { now: () => Date.parse("2026-11-21T00:00:00Z"), elapsed: () => 0 };

function comparable(result: Awaited<ReturnType<typeof reviewPullRequest>>) {
  const { timings: _t, ...report } = result.report as unknown as Record<string, unknown>;
  return { report, rendered: result.rendered };
}

/** The git reader without its cached-review methods: the review reads both trees and compiles both in full. */
/**
 * Main moves on: branch `main` made from `from` with one commit of what `write` changes, and `pr`
 * made from `prFrom` and rebased onto it (a PR whose merge-base is that new commit).
 */
function mainMovesOn(repo: { git(...args: string[]): string }, b: { main: string; from: string; pr: string; prFrom: string }, write: () => void): void {
  repo.git("checkout", "-q", "-B", b.main, b.from);
  write();
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", `${b.main} moves on`);
  repo.git("checkout", "-q", "-B", b.pr, b.prFrom);
  repo.git("rebase", "-q", b.main);
}

function plainReader(repoDir: string): SourceReader {
  const { listProject: _l, readEntries: _r, lazyFiles: _z, quickCompare: _q, ...rest } = createGitSourceReader(repoDir);
  return rest;
}

describe("review from a cached base", { timeout: 180_000 }, () => {
  const repo = shopRepo();
  const state = mkdtempSync(join(tmpdir(), "rocky-cached-"));
  after(() => {
    repo.cleanup();
    rmSync(state, { recursive: true, force: true });
  });
  const options = (extra: Partial<ReviewOptions> = {}): ReviewOptions => ({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK, ...extra });

  it("the example PR: same report and comment with no cache, a cold lmdb cache and a warm one", async () => {
    const reference = comparable(await reviewPullRequest(options({ source: plainReader(repo.dir) })));
    assert.ok(reference.rendered.comment.length > 0);
    const cache = await openLmdbCompileCache(join(state, "cache"));
    try {
      const cold = await reviewPullRequest(options({ cache }));
      assert.deepEqual(comparable(cold), reference);
      const warm = await reviewPullRequest(options({ cache }));
      assert.deepEqual(comparable(warm), reference);
      assert.equal(warm.report.timings.cache_hits.base, 7, "the base comes from its snapshot");
      assert.ok(cache.getRecord?.("base-snapshots") !== undefined);
    } finally {
      await cache.close();
    }
  });

  it("a PR that adds a model and edits rocky.toml compiles the head in full and still agrees", async () => {
    repo.git("checkout", "-q", "-b", "pr-wide", "pr");
    repo.git("commit", "-q", "--allow-empty", "-m", "noop");
    const fs = await import("node:fs");
    fs.writeFileSync(join(repo.dir, "models/stg_extra.sql"), "SELECT order_id, amount FROM stg_orders\n");
    fs.appendFileSync(join(repo.dir, "rocky.toml"), "\n# widened\n");
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "wide");
    const wide = { head: "pr-wide" };
    const reference = comparable(await reviewPullRequest(options({ ...wide, source: plainReader(repo.dir) })));
    const cache = createMemoryCompileCache();
    await reviewPullRequest(options({ ...wide, cache }));
    assert.deepEqual(comparable(await reviewPullRequest(options({ ...wide, cache }))), reference);
  });

  it("a PR that edits _defaults.toml: the cached review finds the key on its line, as the plain one does", async () => {
    repo.git("checkout", "-q", "-b", "pr-defaults", "main");
    const fs = await import("node:fs");
    const file = join(repo.dir, "models/_defaults.toml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('schema = "marts"', 'schema = "mart"'));
    repo.git("commit", "-q", "-am", "defaults");
    const head = { head: "pr-defaults" };
    const reference = comparable(await reviewPullRequest(options({ ...head, source: plainReader(repo.dir) })));
    const cache = createMemoryCompileCache();
    await reviewPullRequest(options({ ...head, cache }));
    const cached = await reviewPullRequest(options({ ...head, cache }));
    assert.deepEqual(comparable(cached), reference);
    const spans = cached.report.breakingChanges.filter((b) => b.kind === "target_renamed").map((b) => `${b.span?.file}:${b.span?.line}`);
    assert.ok(spans.length >= 2 && spans.every((s) => s === "models/_defaults.toml:4"), spans.join(" "));
  });

  it("the App's runner keeps its cache on disk: a second review starts from the kept base and says the same", async () => {
    const dir = join(state, "app-cache");
    const first = cachedReviewRunner(dir, "test");
    const a = (await first({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    await first.close();
    const second = cachedReviewRunner(dir, "test");
    const b = (await second({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    await second.close();
    assert.equal(b.report.timings.cache_hits.base, 7, "the base came from the snapshot the first review kept");
    assert.deepEqual(b.rendered, a.rendered);
    const plain = (await defaultReviewRunner({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    assert.deepEqual(b.rendered.checks, plain.rendered.checks);
  });

  it("the App's runner with a cache that cannot open reviews all the same, and warns once", async () => {
    const fs = await import("node:fs");
    const blocked = join(state, "not-a-dir");
    fs.writeFileSync(blocked, "a file where the cache's directory goes");
    const warnings: string[] = [];
    const runner = cachedReviewRunner(join(blocked, "compile-cache"), "test", (m) => warnings.push(m));
    const a = (await runner({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    const b = (await runner({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    await runner.close();
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /^reviewing without the compile cache: .*not-a-dir\/compile-cache could not open \(.+\); every review compiles both sides in full$/);
    assert.equal(b.report.timings.cache_hits.base, 0);
    const plain = (await defaultReviewRunner({ repoDir: repo.dir, base: "main", head: "pr" })) as Awaited<ReturnType<typeof reviewPullRequest>>;
    assert.deepEqual(a.rendered.checks, plain.rendered.checks);
  });

  it("main moved on: the new base is recompiled from the snapshot kept for the old one, reading only what main changed, and says the same", async () => {
    const fs = await import("node:fs");
    mainMovesOn(repo, { main: "main-moved", from: "main", pr: "pr-moved", prFrom: "pr" }, () => {
      const stg = join(repo.dir, "models/stg_customers.sql");
      fs.writeFileSync(stg, fs.readFileSync(stg, "utf8").replace("TRIM(last_name) AS last_name", "UPPER(TRIM(last_name)) AS last_name"));
      fs.writeFileSync(join(repo.dir, "NOTES.md"), "not a project file\n");
    });
    const moved = { base: "main-moved", head: "pr-moved" };
    const reference = comparable(await reviewPullRequest(options({ ...moved, source: plainReader(repo.dir) })));
    /** The git reader, counting the files it reads and the commits it compares. */
    const counting = () => {
      const reader = createGitSourceReader(repo.dir);
      const seen = { files: 0, compared: [] as string[] };
      const spied: SourceReader = {
        ...reader,
        readEntries: async (entries) => {
          seen.files += entries.length;
          return reader.readEntries!(entries);
        },
        changedFiles: async (from, to, dir) => {
          seen.compared.push(`${from}..${to}`);
          return reader.changedFiles(from, to, dir);
        },
      };
      return { spied, seen };
    };
    const kept = createMemoryCompileCache();
    await reviewPullRequest(options({ cache: kept }));
    // The App's one cache: another repository's base, kept since, is no commit of this one.
    const other = shopRepo();
    try {
      // A base of its own, in a commit this repository does not have.
      mainMovesOn(other, { main: "main", from: "main", pr: "pr", prFrom: "pr" }, () => {
        const otherStg = join(other.dir, "models/stg_customers.sql");
        fs.writeFileSync(otherStg, fs.readFileSync(otherStg, "utf8").replace("LOWER(email)", "TRIM(LOWER(email))"));
      });
      await reviewPullRequest({ repoDir: other.dir, base: "main", head: "pr", clock: FIXED_CLOCK, cache: kept });
    } finally {
      other.cleanup();
    }
    const near = counting();
    const fromKept = await reviewPullRequest(options({ ...moved, cache: kept, source: near.spied }));
    assert.deepEqual(comparable(fromKept), reference);
    const fresh = counting();
    assert.deepEqual(comparable(await reviewPullRequest(options({ ...moved, cache: createMemoryCompileCache(), source: fresh.spied }))), reference);
    const sha = (ref: string) => repo.git("rev-parse", ref).trim();
    assert.ok(near.seen.compared.includes(`${sha("main")}..${sha("main-moved")}`), near.seen.compared.join(" "));
    assert.ok(near.seen.files < fresh.seen.files, `read ${near.seen.files} files from the kept base, ${fresh.seen.files} without`);
    // A main that adds a model is more than the incremental compile takes: the base compiles in full, and agrees.
    mainMovesOn(repo, { main: "main-wide", from: "main-moved", pr: "pr-wide2", prFrom: "pr-moved" }, () => fs.writeFileSync(join(repo.dir, "models/stg_extra.sql"), "SELECT customer_id FROM stg_customers\n"));
    const wide = { base: "main-wide", head: "pr-wide2" };
    const wideReference = comparable(await reviewPullRequest(options({ ...wide, source: plainReader(repo.dir) })));
    assert.deepEqual(comparable(await reviewPullRequest(options({ ...wide, cache: kept }))), wideReference);
  });

  it("files read lazily from git are the files of the tree, one by one or all at once", async () => {
    const reader = createGitSourceReader(repo.dir);
    const entries = await reader.listProject!("main", "");
    const all = await reader.readEntries!(entries);
    assert.ok(entries.length > 16, `enough files to pass the one-by-one limit (${entries.length})`);
    const lazy = reader.lazyFiles!(listingOf(entries), new Map());
    for (const e of entries) assert.equal(lazy.get(e.path), all.get(e.path), e.path);
    assert.equal(lazy.get("no/such/file.sql"), undefined);
  });

  it(`keeps the ${KEPT_BASE_SNAPSHOTS} most recent base snapshots`, async () => {
    const cache = createMemoryCompileCache();
    const bases: string[] = [];
    for (let i = 0; i <= KEPT_BASE_SNAPSHOTS; i++) {
      repo.git("checkout", "-q", "-B", `base-${i}`, "main");
      const fs = await import("node:fs");
      fs.appendFileSync(join(repo.dir, "models/stg_orders.sql"), `\n-- base ${i}\n`);
      repo.git("commit", "-q", "-am", `base ${i}`);
      repo.git("checkout", "-q", "-B", `head-${i}`, `base-${i}`);
      fs.appendFileSync(join(repo.dir, "models/stg_payments.sql"), `\n-- head ${i}\n`);
      repo.git("commit", "-q", "-am", `head ${i}`);
      bases.push(`base-${i}`);
      await reviewPullRequest(options({ base: `base-${i}`, head: `head-${i}`, cache }));
    }
    const kept = cache.getRecord?.("base-snapshots") as string[];
    assert.equal(kept.length, KEPT_BASE_SNAPSHOTS);
    for (const k of kept) assert.ok(cache.getSnapshot?.(k) !== undefined);
    assert.equal(new Set(kept).size, KEPT_BASE_SNAPSHOTS, "one per base commit");
  });
});
