import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { changedFiles } from "../../../review/src/git/changed-files.js";
import { createGitSourceReader, withEarlyCompare } from "../../../review/src/git/git-source-reader.js";
import { quickCompare } from "../../../review/src/git/quick-compare.js";
import { lazyTreeFiles, listTree } from "../../../review/src/git/read-tree.js";
import { resolveRefs } from "../../../review/src/git/resolve-refs.js";
import { listingFromRecord, listingOf, overlayListing } from "../../../review/src/git/tree-listing.js";
import type { SourceReader } from "../../../review/src/ports.js";
import { KEPT_TREE_LISTINGS, reviewPullRequest, treeListingKey } from "../../../review/src/review-pull-request.js";
import { fixturesOfFile } from "../../support/git-fixture.js";

const { fixture } = fixturesOfFile();

/** Every path → blob id of a listing, in its order. */
const pairs = (l: { paths(): Iterable<string>; object(p: string): string | undefined }) => [...l.paths()].map((p) => [p, l.object(p)]);

describe("tree listing", () => {
  const entries = [
    { path: "rocky.toml", object: "a".repeat(40) },
    { path: "models/b.sql", object: "b".repeat(40) },
    { path: "models/a.sql", object: "c".repeat(40) },
  ];

  it("looks paths up in sorted order and survives its cache record", () => {
    const listing = listingOf(entries);
    assert.deepEqual([...listing.paths()], ["models/a.sql", "models/b.sql", "rocky.toml"]);
    assert.equal(listing.object("models/b.sql"), "b".repeat(40));
    assert.equal(listing.object("models/c.sql"), undefined);
    assert.equal(listing.size, 3);
    const back = listingFromRecord(structuredClone(listing.toRecord()))!;
    assert.deepEqual(pairs(back), pairs(listing));
    assert.equal(back.contentHash, listing.contentHash);
    assert.deepEqual(back.entries(), listing.entries());
    assert.equal(listingFromRecord(null), undefined, "an emptied record reads as not kept");
    assert.equal(listingFromRecord({ v: 1, paths: "a\0b", objects: "x".repeat(40), width: 40, contentHash: "h" }), undefined, "a damaged record is refused");
    assert.equal(listingFromRecord(listingOf([]).toRecord())?.size, 0);
  });

  it("the same files give the same content hash; another blob another", () => {
    assert.equal(listingOf(entries).contentHash, listingOf([...entries].reverse()).contentHash);
    assert.notEqual(listingOf(entries).contentHash, listingOf([{ ...entries[0], object: "d".repeat(40) }, ...entries.slice(1)]).contentHash);
  });

  it("an overlay adds, removes and replaces paths and keeps them sorted", () => {
    const base = listingOf(entries);
    const head = overlayListing(
      base,
      new Map<string, string | null>([
        ["models/a.sql", null],
        ["models/aa.sql", "e".repeat(40)],
        ["models/b.sql", "f".repeat(40)],
        ["zz/gone.sql", null],
        ["models/0.sql", "0".repeat(40)],
      ]),
    );
    const expected = listingOf([
      { path: "models/0.sql", object: "0".repeat(40) },
      { path: "models/aa.sql", object: "e".repeat(40) },
      { path: "models/b.sql", object: "f".repeat(40) },
      { path: "rocky.toml", object: "a".repeat(40) },
    ]);
    assert.deepEqual(pairs(head), pairs(expected));
    assert.equal(head.size, 4);
    assert.equal(head.object("models/a.sql"), undefined);
    assert.equal(head.contentHash, expected.contentHash);
    assert.equal(head.has("models/a.sql"), false);
    assert.equal(head.has("rocky.toml"), true);
    assert.equal(head.sameIn(base, "rocky.toml"), true, "untouched: the same blob as on its base");
    assert.equal(head.sameIn(base, "models/b.sql"), false, "replaced");
    assert.equal(head.sameIn(base, "models/aa.sql"), false, "added");
    assert.equal(head.sameIn(base, "models/a.sql"), false, "removed");
    assert.equal(head.sameIn(base, "models/nowhere.sql"), true, "absent from both reads the same (as two files maps say)");
    assert.equal(head.sameIn(expected, "models/b.sql"), true, "against another listing: by blob id");
    assert.equal(head.sameIn(expected, "models/nowhere.sql"), true);
    assert.equal(head.sameIn(expected, "models/a.sql"), true, "absent from both");
    assert.equal(base.sameIn(head, "models/b.sql"), false);
    assert.equal(base.sameIn(head, "models/a.sql"), false);
    assert.equal(base.sameIn(head, "rocky.toml"), true);
  });

  it("answers the same past the lookups that build its index", () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ path: `models/m_${String(i).padStart(4, "0")}.sql`, object: i.toString(16).padStart(40, "0") }));
    const listing = listingOf(many);
    for (let round = 0; round < 2; round++) {
      for (const e of many) assert.equal(listing.object(e.path), e.object);
      assert.equal(listing.object("models/m_9999.sql"), undefined);
      assert.equal(listing.has("models/m_0000.sq"), false);
    }
  });
});

describe("quickCompare", () => {
  const base = {
    "rocky.toml": "[adapter]\ntype = \"duckdb\"\n",
    "models/a.sql": "select 1 as x\n",
    "models/b.sql": "select 2 as y\nfrom a\n",
    "models/b.toml": "name = \"b\"\n",
    "models/old_name.sql": "select 3 as z\nfrom a\nwhere 1 = 1\n",
    "models/gone.sql": "select 4 as w\n",
    "models/link_me.sql": "select 5 as v\n",
    "docs/readme.md": "hello\n",
  };
  const head = {
    "rocky.toml": "[adapter]\ntype = \"duckdb\"\n# changed\n",
    "models/gone.sql": null,
    "models/old_name.sql": null,
    "models/new_name.sql": "select 3 as z\nfrom a\nwhere 1 = 1\n",
    "models/b.sql": "select 2 as y,\n 7 as q\nfrom a\n",
    "models/added.sql": "select 6 as u\n",
    "models/we ird\tname.sql": "select 8 as t\n",
    "models/café.sql": "select 9 as s\n",
    "docs/readme.md": "hello again\n",
  };

  /** What the careful road says: resolveRefs, changedFiles and ls-tree of head. */
  async function careful(dir: string, b: string, h: string, projectDir = "") {
    const refs = await resolveRefs(dir, b, h);
    return { refs, changedFiles: await changedFiles(dir, refs.mergeBase, refs.head.sha, projectDir), head: await listTree(dir, refs.head.sha, projectDir) };
  }

  it("agrees with resolveRefs + changedFiles + ls-tree of head: added, removed, renamed, rocky.toml, odd names", async () => {
    const repo = fixture({ base, head, headIsPatch: true, mainAfter: [{ "models/main_only.sql": "select 10 as r\n" }] });
    const quick = await quickCompare(repo.dir, "main", "pr");
    assert.ok(quick);
    const slow = await careful(repo.dir, "main", "pr");
    assert.deepEqual(quick.refs, slow.refs);
    assert.equal(quick.refs.mergeBase, repo.baseSha, "three-dot: the merge-base, not main's tip");
    assert.deepEqual(quick.changedFiles, slow.changedFiles);
    assert.ok(quick.changedFiles.some((f) => f.status === "renamed" && f.oldPath === "models/old_name.sql"));
    const headListing = overlayListing(listingOf(await listTree(repo.dir, repo.baseSha)), quick.changes);
    assert.deepEqual(pairs(headListing), pairs(listingOf(slow.head)));
    assert.equal(quick.changes.get("models/gone.sql"), null);
    assert.equal(quick.changes.get("models/old_name.sql"), null);
    assert.equal(quick.changes.has("docs/readme.md"), false, "not a project file");
  });

  it("a model file that becomes a symlink leaves the listing, as ls-tree leaves it out", async () => {
    const repo = fixture({ base, head: {}, headIsPatch: true });
    repo.git("checkout", "-q", "-b", "linked");
    repo.git("rm", "-q", "models/link_me.sql");
    symlinkSync("a.sql", join(repo.dir, "models/link_me.sql"));
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "link");
    const quick = (await quickCompare(repo.dir, "main", "linked"))!;
    const slow = await careful(repo.dir, "main", "linked");
    assert.equal(quick.changes.get("models/link_me.sql"), null);
    assert.deepEqual(pairs(overlayListing(listingOf(await listTree(repo.dir, repo.baseSha)), quick.changes)), pairs(listingOf(slow.head)));
    assert.deepEqual(quick.changedFiles, slow.changedFiles);
  });

  it("inside a project directory: project-relative changes, repository paths in changed files", async () => {
    const inDir = (files: Record<string, string | null>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`proj/${k}`, v]));
    const repo = fixture({ base: { ...inDir(base), "other/x.sql": "1\n" }, head: { ...inDir(head), "other/x.sql": "2\n" }, headIsPatch: true });
    const quick = (await quickCompare(repo.dir, "main", "pr", "proj/"))!;
    const slow = await careful(repo.dir, "main", "pr", "proj");
    assert.deepEqual(quick.changedFiles, slow.changedFiles);
    assert.ok(quick.changes.has("models/added.sql"));
    assert.deepEqual(pairs(overlayListing(listingOf(await listTree(repo.dir, repo.baseSha, "proj")), quick.changes)), pairs(listingOf(slow.head)));
  });

  it("declines what the careful road must explain: an unknown ref, no common history", async () => {
    const repo = fixture({ base, head, headIsPatch: true });
    assert.equal(await quickCompare(repo.dir, "nope", "pr"), undefined);
    assert.equal(await quickCompare(repo.dir, "--upload-pack=x", "pr"), undefined);
    repo.git("checkout", "-q", "--orphan", "lonely");
    repo.git("commit", "-q", "--allow-empty", "-m", "alone");
    assert.equal(await quickCompare(repo.dir, "main", "lonely"), undefined);
  });

  it("waits for git's whole output: a git that exits before it has written is read in full", async () => {
    const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`models/model_with_a_longish_name_${String(i).padStart(5, "0")}.sql`, `select ${i} as id\n`]));
    const changedMany = Object.fromEntries(Object.keys(many).slice(0, 400).map((p, i) => [p, `select ${i} as id, 1 as x\n`]));
    const repo = fixture({ base: { "rocky.toml": "", ...many }, head: changedMany, headIsPatch: true });
    const expected = (await quickCompare(repo.dir, "main", "pr"))!;
    assert.equal(expected.changedFiles.length, 400);
    const listing = await listTree(repo.dir, repo.baseSha);
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    const bin = mkdtempSync(join(tmpdir(), "rocky-slow-git-"));
    // Exits at once; the real git writes through the inherited pipe 300 ms later.
    writeFileSync(join(bin, "git"), `#!/bin/sh\n( sleep 0.3; exec ${realGit} "$@" ) &\nexit 0\n`);
    chmodSync(join(bin, "git"), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      assert.deepEqual(await quickCompare(repo.dir, "main", "pr"), expected);
      assert.deepEqual(await listTree(repo.dir, repo.baseSha), listing);
    } finally {
      process.env.PATH = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("lazy files over a listing read only the listing's paths and tell unchanged blobs without reading", async () => {
    const repo = fixture({ base, head, headIsPatch: true });
    const baseListing = listingOf(await listTree(repo.dir, repo.baseSha));
    const headListing = listingOf(await listTree(repo.dir, repo.headSha));
    const files = lazyTreeFiles(repo.dir, headListing, new Map([["models/never.sql", null]]), baseListing);
    assert.equal(files.get("models/never.sql"), undefined, "a known text outside the listing is not a file");
    assert.equal(files.has("models/never.sql"), false);
    assert.equal(files.get("models/b.sql"), head["models/b.sql"]);
    assert.equal(files.unchanged("models/a.sql"), true);
    assert.equal(files.unchanged("models/b.sql"), false);
    assert.equal(files.unchanged("models/gone.sql"), false, "on base only");
    assert.equal(files.unchanged("models/added.sql"), false, "on head only");
    assert.equal(files.unchanged("models/never.sql"), files.get("models/never.sql") === undefined, "on neither: the same as comparing texts");
    assert.equal(lazyTreeFiles(repo.dir, headListing, new Map()).unchanged("models/a.sql"), false, "no other side: nothing is known unchanged");
    assert.equal(files.size, headListing.size);
    assert.deepEqual([...files.keys()], [...headListing.paths()]);
  });
});

describe("withEarlyCompare", () => {
  it("starts the comparison at once and hands that same one to the review; any other is run when asked", async () => {
    const calls: string[] = [];
    const source = {
      quickCompare: async (b: string, h: string, d: string) => {
        calls.push(`${b}..${h}@${d}`);
        return undefined;
      },
    } as unknown as SourceReader;
    const early = withEarlyCompare(source, "main", "pr", "proj/");
    assert.deepEqual(calls, ["main..pr@proj"], "started before anyone asks");
    await early.quickCompare!("main", "pr", "proj");
    assert.deepEqual(calls, ["main..pr@proj"], "the started one is reused");
    await early.quickCompare!("main", "other", "proj");
    assert.deepEqual(calls, ["main..pr@proj", "main..other@proj"]);
    assert.equal(withEarlyCompare(source, "main", "WORKTREE", ""), source, "the work tree has no quick road");
  });

  it("a CLI review with the early git round says what a review without it says", async () => {
    const repo = fixture({ base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" }, head: { "models/b.sql": "select x from a\n" }, headIsPatch: true });
    const clock = { now: () => 0, elapsed: () => 0 };
    const plain = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", cache: createMemoryCompileCache(), clock });
    const early = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", cache: createMemoryCompileCache(), clock, source: withEarlyCompare(createGitSourceReader(repo.dir), "main", "pr", "") });
    assert.deepEqual(early.report, plain.report);
  });
});

describe("the cached review keeps the merge-base listing", () => {
  it("by commit, read back on the next review, and at most KEPT_TREE_LISTINGS of them", async () => {
    const repo = fixture({ base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" }, head: { "models/b.sql": "select x from a\n" }, headIsPatch: true });
    const cache = createMemoryCompileCache();
    const layout = { modelsDir: "", contractsDir: "" };
    const first = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", cache });
    const key = treeListingKey(repo.baseSha, "", layout);
    assert.deepEqual([...listingFromRecord(cache.getRecord?.(key))!.paths()], ["models/a.sql", "rocky.toml"]);
    // A kept listing is what the next review reads: plant one without models/a.sql and the review believes it.
    cache.putRecord?.(key, listingOf(listingFromRecord(cache.getRecord?.(key))!.entries().filter((e) => e.path !== "models/a.sql")).toRecord());
    const second = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", cache, source: createGitSourceReader(repo.dir) });
    assert.equal(first.report.summary.models.total, 2);
    assert.equal(second.report.summary.models.total, 1, "the listing came from the cache, not from git");
    for (let i = 0; i < KEPT_TREE_LISTINGS + 1; i++) {
      repo.git("checkout", "-q", "-B", `base-${i}`, "main");
      repo.git("commit", "-q", "--allow-empty", "-m", `base ${i}`);
      repo.git("checkout", "-q", "-B", `head-${i}`, `base-${i}`);
      repo.git("commit", "-q", "--allow-empty", "-m", `head ${i}`);
      await reviewPullRequest({ repoDir: repo.dir, base: `base-${i}`, head: `head-${i}`, cache });
    }
    const kept = cache.getRecord?.("tree-listings") as string[];
    assert.equal(kept.length, KEPT_TREE_LISTINGS);
    for (const k of kept) assert.ok(listingFromRecord(cache.getRecord?.(k)) !== undefined);
    assert.equal(cache.getRecord?.(key), null, "the oldest listing is emptied");
  });
});
