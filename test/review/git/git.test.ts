import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { catFileBatch, changedFiles, parseUnifiedZeroDiff, readTree, ReviewInputError, resolveRefs, unquoteGitPath, WORKTREE } from "../../../review/src/git/index.js";
import { lazyTreeFiles, listDirectories, listTree } from "../../../review/src/git/read-tree.js";
import { listingOf } from "../../../review/src/git/tree-listing.js";
import { fixturesOfFile, shallowClone } from "../../support/git-fixture.js";

const { fixture, track } = fixturesOfFile();

describe("resolveRefs", () => {
  it("uses the merge-base (three-dot), not base's tip", async () => {
    const repo = fixture({
      base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" },
      head: { "models/a.sql": "select 2 as x\n" },
      headIsPatch: true,
      mainAfter: [{ "models/b.sql": "select 3 as y\n" }],
    });
    const refs = await resolveRefs(repo.dir, "main", "pr");
    assert.equal(refs.base.sha, repo.mainSha);
    assert.equal(refs.mergeBase, repo.baseSha);
    assert.notEqual(repo.mainSha, repo.baseSha);
    assert.equal(refs.head.sha, repo.headSha);
    const files = await changedFiles(repo.dir, refs.mergeBase, refs.head.sha);
    assert.deepEqual(files.map((f) => f.path), ["models/a.sql"], "main's later commit is not part of the PR");
  });

  it("names the exact fetch when the base is missing from a shallow clone", async () => {
    const repo = fixture({ base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" }, head: { "models/a.sql": "select 2 as x\n" }, headIsPatch: true });
    const clone = shallowClone(repo.dir, "pr", 1);
    track(clone);
    await assert.rejects(resolveRefs(clone.dir, "origin/main", "HEAD"), (e: unknown) => {
      assert.ok(e instanceof ReviewInputError);
      assert.equal(e.code, "missing-base");
      assert.match(e.message, /shallow clone does not contain it/);
      assert.match(e.advice, /git fetch --no-tags --depth=50 origin \+refs\/heads\/main:refs\/remotes\/origin\/main/);
      assert.match(e.advice, /fetch-depth: 0/);
      return true;
    });
  });

  it("falls back to origin/<base> when the branch exists only as a remote-tracking ref (CI checkouts)", async () => {
    const repo = fixture({ base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" }, head: { "models/a.sql": "select 2 as x\n" }, headIsPatch: true });
    const clone = shallowClone(repo.dir, "pr", 5);
    track(clone);
    clone.git("fetch", "-q", "--no-tags", "origin", "+refs/heads/main:refs/remotes/origin/main");
    const refs = await resolveRefs(clone.dir, "main", "HEAD");
    assert.equal(refs.base.sha, repo.baseSha);
    assert.equal(refs.base.ref, "main");
    assert.equal(refs.mergeBase, repo.baseSha);
  });

  it("asks to deepen when base is fetched but the merge-base is not", async () => {
    const repo = fixture({
      base: { "rocky.toml": "", "models/a.sql": "select 1 as x\n" },
      head: { "models/a.sql": "select 2 as x\n" },
      headIsPatch: true,
      prSteps: [{ "models/c.sql": "select 1 as c\n" }],
      mainAfter: [{ "models/b.sql": "select 3 as y\n" }],
    });
    const clone = shallowClone(repo.dir, "pr", 1);
    track(clone);
    clone.git("fetch", "-q", "--no-tags", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main");
    await assert.rejects(resolveRefs(clone.dir, "origin/main", "HEAD"), (e: unknown) => {
      assert.ok(e instanceof ReviewInputError);
      assert.equal(e.code, "missing-merge-base");
      assert.match(e.advice, /git fetch --no-tags --deepen=200 origin \+refs\/heads\/main:refs\/remotes\/origin\/main/);
      return true;
    });
    clone.git("fetch", "-q", "--unshallow", "origin");
    const refs = await resolveRefs(clone.dir, "origin/main", "HEAD");
    assert.equal(refs.mergeBase, repo.baseSha);
  });

  it("rejects an unknown ref and a non-repository with ReviewInputError", async () => {
    const repo = fixture({ base: { "rocky.toml": "" }, head: {}, headIsPatch: true });
    await assert.rejects(resolveRefs(repo.dir, "nope", "pr"), (e: unknown) => e instanceof ReviewInputError && e.code === "missing-base" && /no such commit/.test(e.message));
    await assert.rejects(resolveRefs("/", "main", "HEAD"), (e: unknown) => e instanceof ReviewInputError && e.code === "not-a-repository");
  });

  it("suggests the branch a misspelt ref was meant to be, and only then", async () => {
    const repo = fixture({ base: { "rocky.toml": "" }, head: {}, headIsPatch: true });
    await assert.rejects(resolveRefs(repo.dir, "mian", "pr"), (e: unknown) => e instanceof ReviewInputError && /^Did you mean "main"\? If not, fetch it:/.test(e.advice));
    await assert.rejects(resolveRefs(repo.dir, "main", "pt"), (e: unknown) => e instanceof ReviewInputError && e.code === "missing-head" && /^Did you mean "pr"\?/.test(e.advice));
    await assert.rejects(resolveRefs(repo.dir, "release-2026", "pr"), (e: unknown) => e instanceof ReviewInputError && /^Fetch it:/.test(e.advice));
  });
});

describe("readTree", () => {
  it("reads a commit's project files from git objects, saying why a file has no text, without the work tree", async () => {
    const repo = fixture({
      base: {
        "proj/rocky.toml": "[portability]\n",
        "proj/models/a.sql": "select 1 as x\n",
        "proj/models/a.toml": "name = 'a'\n",
        "proj/models/_defaults.toml": "[target]\ncatalog='c'\nschema='s'\n",
        "proj/models/nested/skip.sql": "select 1\n",
        "proj/models/blob.sql": new Uint8Array([0x73, 0x00, 0xff, 0x01]),
        "proj/models/latin1.sql": Buffer.from("SELECT 1 AS x\n-- caf\xe9\n", "latin1"),
        "proj/models/bom.sql": Buffer.from("\ufeffSELECT 1 AS x\n"),
        "proj/README.md": "docs\n",
        "proj/data/seed.sql": "create table t(x int);\n",
        "proj/schemas/raw.json": "{}\n",
        "other/models/z.sql": "select 9\n",
      },
      head: { "proj/models/a.sql": "select 2 as x\n" },
      headIsPatch: true,
    });
    writeFileSync(join(repo.dir, "proj/models/a.sql"), "select 3 as dirty\n");
    const base = await readTree(repo.dir, repo.baseSha, "proj");
    // A nested SQL file is read too (the loader warns it is no model), as the disk reader reads it.
    assert.deepEqual([...base.keys()], ["data/seed.sql", "models/_defaults.toml", "models/a.sql", "models/a.toml", "models/blob.sql", "models/bom.sql", "models/latin1.sql", "models/nested/skip.sql", "rocky.toml", "schemas/raw.json"]);
    assert.equal(base.get("models/a.sql"), "select 1 as x\n");
    // As the disk reader reads them: why a file has no text, with where; a BOM dropped.
    assert.deepEqual(base.get("models/blob.sql"), { unreadable: "binary", line: 1, col: 2 });
    assert.deepEqual(base.get("models/latin1.sql"), { unreadable: "not-utf8", line: 2, col: 7 });
    assert.equal(base.get("models/bom.sql"), "SELECT 1 AS x\n");
    // Read lazily, one blob at a time, the same.
    const listing = listingOf(await listTree(repo.dir, repo.baseSha, "proj"));
    const lazy = lazyTreeFiles(repo.dir, listing, new Map());
    assert.deepEqual(lazy.get("models/latin1.sql"), { unreadable: "not-utf8", line: 2, col: 7 });
    assert.deepEqual(lazy.get("models/blob.sql"), { unreadable: "binary", line: 1, col: 2 });
    assert.equal(lazy.get("models/bom.sql"), "SELECT 1 AS x\n");
    const head = await readTree(repo.dir, "pr", "proj/");
    assert.equal(head.get("models/a.sql"), "select 2 as x\n");
    const wt = await readTree(repo.dir, WORKTREE, "proj");
    assert.equal(wt.get("models/a.sql"), "select 3 as dirty\n");
  });
});

describe("listDirectories", () => {
  it("lists the directories below the project at a commit and in the work tree, or undefined when the project is not there", async () => {
    const repo = fixture({
      base: { "proj/rocky.toml": "", "proj/models/a.sql": "select 1\n", "proj/models/staging/b.sql": "select 2\n", "proj/docs/x.md": "", "other/sql/z.sql": "" },
      head: { "proj/sql/a.sql": "select 1\n" },
      headIsPatch: true,
    });
    assert.deepEqual(await listDirectories(repo.dir, repo.baseSha, "proj"), ["docs", "models", "models/staging"]);
    assert.deepEqual(await listDirectories(repo.dir, repo.headSha, "proj/"), ["docs", "models", "models/staging", "sql"]);
    assert.deepEqual(await listDirectories(repo.dir, repo.baseSha, "nowhere"), undefined);
    assert.deepEqual((await listDirectories(repo.dir, repo.baseSha))?.sort(), ["other", "other/sql", "proj", "proj/docs", "proj/models", "proj/models/staging"]);
    mkdirSync(join(repo.dir, "proj/contracts"));
    mkdirSync(join(repo.dir, "proj/.rocky-state"));
    assert.deepEqual((await listDirectories(repo.dir, WORKTREE, "proj"))?.sort(), ["contracts", "docs", "models", "models/staging", "sql"]);
    assert.equal(await listDirectories(repo.dir, WORKTREE, "nowhere"), undefined);
  });
});

describe("catFileBatch", () => {
  it("reads 4,500 blobs (shared between git processes on a multi-core machine) byte for byte, and leaves no scratch files", async () => {
    const repo = fixture({ base: { "rocky.toml": "" }, head: {}, headIsPatch: true });
    // Blobs written straight into the object store: text, binary (every byte value), empty, and repeats.
    const blobs: Buffer[] = [];
    for (let i = 0; i < 4500; i++) blobs.push(i % 500 === 7 ? Buffer.from(Array.from({ length: 256 }, (_, b) => (b + i) % 256)) : i % 999 === 3 ? Buffer.alloc(0) : Buffer.from(`select ${i} as c${i % 17}\n`.repeat(1 + (i % 5))));
    const dir = join(repo.dir, "blobs");
    mkdirSync(dir);
    blobs.forEach((b, i) => writeFileSync(join(dir, `${i}`), b));
    const ids = execFileSync("git", ["hash-object", "-w", "--stdin-paths"], { cwd: repo.dir, input: blobs.map((_, i) => join(dir, `${i}`)).join("\n"), encoding: "utf8" }).trim().split("\n");
    assert.equal(ids.length, 4500);
    const scratch = mkdtempSync(join(tmpdir(), "rocky-git-test-"));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const read = await catFileBatch(repo.dir, [...ids, ...ids.slice(0, 50)]);
      assert.equal(read.size, new Set(ids).size);
      ids.forEach((id, i) => assert.ok(Buffer.from(read.get(id)!).equals(blobs[i]), `blob ${i}`));
      assert.deepEqual(readdirSync(scratch), [], "the scratch directory is removed");
      // An object git does not have is an error naming it, never a tree with a file silently missing.
      const absent = "0123456789abcdef0123456789abcdef01234567";
      const asked = new Set(ids.slice(0, 3000)).size;
      await assert.rejects(catFileBatch(repo.dir, [...ids.slice(0, 3000), absent]), new RegExp(`returned ${asked} of ${asked + 1} objects \\(first missing: ${absent}\\)`));
      assert.deepEqual(readdirSync(scratch), [], "removed after a failure too");
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe("changedFiles", () => {
  it("reports statuses, renames, roles and head-side line ranges (CRLF too)", async () => {
    const crlfBase = ["select", "  a,", "  b,", "  c", "from t", ""].join("\r\n");
    const crlfHead = ["select", "  a,", "  b2,", "  c,", "  d", "from t", ""].join("\r\n");
    const long = Array.from({ length: 30 }, (_, i) => `  col_${i} as c${i},`).join("\n");
    const repo = fixture({
      base: {
        "rocky.toml": "x = 1\n",
        "models/crlf.sql": crlfBase,
        "models/old_name.sql": `select\n${long}\n  1 as z\nfrom t\n`,
        "models/gone.sql": "select 1 as x\n",
        "models/_defaults.toml": "a = 1\n",
        "docs/readme.md": "hi\n",
      },
      head: {
        "rocky.toml": "x = 1\n",
        "models/crlf.sql": crlfHead,
        "models/new name.sql": `select\n${long}\n  2 as z\nfrom t\n`,
        "models/added.sql": "select\n1 as x\n",
        "models/_defaults.toml": "a = 2\n",
        "models/a.contract.toml": "[rules]\n",
        "docs/readme.md": "hi\n",
      },
    });
    const files = await changedFiles(repo.dir, repo.baseSha, repo.headSha);
    const byPath = new Map(files.map((f) => [f.path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ["models/_defaults.toml", "models/a.contract.toml", "models/added.sql", "models/crlf.sql", "models/gone.sql", "models/new name.sql"]);
    assert.deepEqual(byPath.get("models/crlf.sql")?.headRanges, [{ start: 3, end: 5 }]);
    const renamed = byPath.get("models/new name.sql");
    assert.equal(renamed?.status, "renamed");
    assert.equal(renamed?.oldPath, "models/old_name.sql");
    assert.deepEqual(renamed?.headRanges, [{ start: 32, end: 32 }]);
    assert.equal(renamed?.role, "model_sql");
    assert.deepEqual(byPath.get("models/added.sql")?.headRanges, [{ start: 1, end: 2 }]);
    assert.equal(byPath.get("models/gone.sql")?.status, "deleted");
    assert.deepEqual(byPath.get("models/gone.sql")?.headRanges, []);
    // The base lines the PR deletes or rewrites, where a finding on a removed thing is commented (side LEFT).
    assert.deepEqual(byPath.get("models/gone.sql")?.baseRanges, [{ start: 1, end: 1 }]);
    assert.deepEqual(byPath.get("models/crlf.sql")?.baseRanges, [{ start: 3, end: 4 }]);
    assert.deepEqual(renamed?.baseRanges, [{ start: 32, end: 32 }], "a renamed file's are the old file's lines");
    assert.equal(byPath.get("models/added.sql")?.baseRanges, undefined);
    assert.equal(byPath.get("models/_defaults.toml")?.role, "defaults");
    assert.equal(byPath.get("models/a.contract.toml")?.role, "contract");
  });

  it("covers the work tree, including untracked files, and a project sub-directory", async () => {
    const repo = fixture({ base: { "p/rocky.toml": "", "p/models/a.sql": "select 1 as x\n", "q/x.sql": "1\n" }, head: {}, headIsPatch: true });
    writeFileSync(join(repo.dir, "p/models/a.sql"), "select 1 as x,\n 2 as y\n");
    writeFileSync(join(repo.dir, "p/models/new.sql"), "select 1\nas z\nfrom t\n");
    writeFileSync(join(repo.dir, "q/x.sql"), "2\n");
    const files = await changedFiles(repo.dir, repo.headSha, WORKTREE, "p");
    assert.deepEqual(
      files.map((f) => [f.path, f.projectPath, f.status, f.headRanges]),
      [
        ["p/models/a.sql", "models/a.sql", "modified", [{ start: 1, end: 2 }]],
        ["p/models/new.sql", "models/new.sql", "added", [{ start: 1, end: 3 }]],
      ],
    );
  });
});

describe("changedFiles with unusual paths", () => {
  it("maps quoted, tab, quote, space and non-ASCII paths to their line ranges", async () => {
    const names = ['models/we"ird\tname.sql', "models/café.sql", "models/with space.sql"];
    const base = Object.fromEntries(names.map((n) => [n, "select\n1 as x\n"]));
    const head = Object.fromEntries(names.map((n) => [n, "select\n1 as x,\n2 as y\n"]));
    const repo = fixture({ base, head });
    const files = await changedFiles(repo.dir, repo.baseSha, repo.headSha);
    assert.deepEqual(
      files.map((f) => [f.path, f.headRanges]).sort(),
      names.map((n) => [n, [{ start: 2, end: 3 }]]).sort(),
    );
  });
});

describe("diff parsing", () => {
  it("unquotes C-style paths and handles pure deletions and binary files", () => {
    assert.equal(unquoteGitPath('"a\\tb\\303\\251.sql"'), "a\tbé.sql");
    const out = [
      "diff --git a/m/x.sql b/m/x.sql",
      "index 1..2 100644",
      "--- a/m/x.sql",
      "+++ b/m/x.sql",
      "@@ -3,2 +2,0 @@",
      "--- a removed comment line",
      "-x",
      "@@ -10 +9 @@",
      "-old",
      "+new",
      "diff --git a/img.png b/img.png",
      "index 1..2 100644",
      "Binary files a/img.png and b/img.png differ",
    ].join("\n");
    const parsed = parseUnifiedZeroDiff(out);
    assert.deepEqual(parsed.get("m/x.sql")?.ranges, [{ start: 9, end: 9 }]);
    assert.deepEqual(parsed.get("m/x.sql")?.baseRanges, [{ start: 3, end: 4 }, { start: 10, end: 10 }]);
    assert.equal(parsed.get("img.png")?.binary, true);
    const deleted = parseUnifiedZeroDiff(["diff --git a/m/gone.sql b/m/gone.sql", "deleted file mode 100644", "index 1..0", "--- a/m/gone.sql", "+++ /dev/null", "@@ -1,3 +0,0 @@", "-select", "-1 as x", "-from t"].join("\n"));
    assert.deepEqual(deleted.get("m/gone.sql"), { path: "m/gone.sql", ranges: [], baseRanges: [{ start: 1, end: 3 }], binary: false });
  });
});
