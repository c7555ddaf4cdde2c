import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { main } from "../../cli/src/main.js";
import { SHOP, scratchCopy } from "./support/cli-harness.js";

/**
 * `rocky compile` from the last run's snapshot: the same bytes as a compile without cache, whether
 * nothing changed, one model changed, a file no model owns was touched without a change, or the
 * project changed shape (then it compiles in full). File times are set in the past so the manifest
 * trusts them (a file written in the last two seconds is always re-read).
 */

async function compile(cwd: string, args: readonly string[] = [], env: Record<string, string> = {}, format = "json") {
  const chunks: string[] = [];
  let stderr = "";
  const code = await main(["compile", "--output", format, ...args], {
    stdout: (t) => void chunks.push(t),
    stdoutBytes: async (b) => void chunks.push(Buffer.from(b).toString("utf8")),
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ROCKY_DEBUG_CACHE: "1", ...env },
    isTty: false,
  });
  const text = chunks.join("");
  return { code, text, stderr, json: (format === "json" ? JSON.parse(text) : {}) as { compile_timings: Record<string, number> } & Record<string, unknown> };
}

/** The output without its timings (which differ run to run). */
function body(text: string): string {
  return text.replace(/"compile_timings": \{[^}]*\}/, '"compile_timings": {}');
}

let tick = Date.now() / 1000 - 3600;
function aged(path: string): void {
  tick += 1;
  utimesSync(path, tick, tick);
}

describe("warm compile", { timeout: 120_000 }, () => {
  let project: ReturnType<typeof scratchCopy>;
  const file = (p: string) => join(project.dir, p);
  before(() => {
    project = scratchCopy(SHOP);
    for (const p of ["rocky.toml", "data/seed.sql", ...["_defaults.toml", "stg_orders.sql", "stg_orders.toml", "fct_orders.sql", "fct_orders.toml", "fct_orders.contract.toml", "stg_customers.sql", "stg_customers.toml", "stg_payments.sql", "stg_payments.toml", "int_order_payments.sql", "int_order_payments.toml", "dim_customers.sql", "dim_customers.toml", "fct_revenue_daily.sql", "fct_revenue_daily.toml"].map((m) => `models/${m}`)]) aged(file(p));
  });
  after(() => project.cleanup());

  const expectSameAsCold = async () => {
    const warm = await compile(project.dir);
    const cold = await compile(project.dir, ["--no-cache"]);
    assert.equal(warm.code, cold.code);
    assert.equal(body(warm.text), body(cold.text));
    return warm;
  };

  it("first run compiles in full, the second answers from the snapshot with the same bytes", async () => {
    const first = await compile(project.dir);
    assert.ok(first.json.compile_timings.project_load_ms > 0, "the first run loads the project");
    const second = await expectSameAsCold();
    assert.equal(second.json.compile_timings.analysed, 0);
    assert.equal(second.json.compile_timings.project_load_ms, 0, "nothing loaded: the snapshot answered");
  });

  it("one model changed: re-typed alone, same bytes as a cold compile", async () => {
    const p = file("models/stg_orders.sql");
    writeFileSync(p, readFileSync(p, "utf8").replace("    status,\n", "    UPPER(status) AS status,\n"));
    aged(p);
    const warm = await expectSameAsCold();
    assert.equal(warm.json.compile_timings.analysed, 1);
    assert.doesNotMatch(warm.stderr, /compiling in full/);
    // The text output too (column counts from the snapshot, finding lines read from the files).
    const untimed = (t: string) => t.replace(/\(\d+ ms\)/, "");
    const text = await compile(project.dir, [], {}, "text");
    assert.equal(untimed(text.text), untimed((await compile(project.dir, ["--no-cache"], {}, "text")).text));
    assert.match(text.text, /✓ fct_orders \(\d+ columns\)/);
  });

  it("a type change reaching a contract two hops down, and a broken sidecar, still match a cold compile", async () => {
    const p = file("models/stg_orders.sql");
    writeFileSync(p, readFileSync(p, "utf8").replace("CAST(amount_cents / 100.0 AS DECIMAL(18, 2)) AS amount", "amount_cents / 100.0 AS amount"));
    aged(p);
    const warm = await expectSameAsCold();
    assert.equal(warm.code, 1, "the contract on fct_orders breaks");
    const t = file("models/stg_payments.toml");
    writeFileSync(t, `${readFileSync(t, "utf8")}\n[classification\n`);
    aged(t);
    await expectSameAsCold();
  });

  it("rocky.toml touched but unchanged keeps the snapshot; changed, it compiles in full", async () => {
    aged(file("rocky.toml"));
    const same = await expectSameAsCold();
    assert.doesNotMatch(same.stderr, /compiling in full/);
    assert.equal(same.json.compile_timings.project_load_ms, 0);
    writeFileSync(file("rocky.toml"), `${readFileSync(file("rocky.toml"), "utf8")}\n# a comment\n`);
    aged(file("rocky.toml"));
    const full = await expectSameAsCold();
    assert.ok(full.json.compile_timings.project_load_ms > 0);
  });

  it("a model added or a reference added compiles in full, and matches", async () => {
    writeFileSync(file("models/stg_extra.sql"), "SELECT order_id FROM stg_orders\n");
    aged(file("models/stg_extra.sql"));
    const added = await expectSameAsCold();
    assert.ok(added.json.compile_timings.project_load_ms > 0);
    const p = file("models/dim_customers.sql");
    writeFileSync(p, `${readFileSync(p, "utf8").trimEnd()}\n-- reads stg_extra now\nCROSS JOIN stg_extra\n`);
    aged(p);
    const warm = await expectSameAsCold();
    assert.match(warm.stderr, /compiling in full: .*references/);
  });

  it("a snapshot being read stays whole while another compile replaces it", async () => {
    await compile(project.dir);
    const { openLmdbCompileCache } = await import("../../engine/src/compile/lmdb-compile-cache.js");
    const { open } = await import("lmdb");
    const dir = join(project.dir, ".rocky-state", "compile-cache");
    // The key the CLI used: the only `snapshot:dir:` entry of this project's cache.
    const probe = open({ path: dir, readOnly: true });
    const { SNAPSHOT_VERSION } = await import("../../engine/src/compile/snapshot.js");
    const db = probe.openDB({ name: `snapshot-v${SNAPSHOT_VERSION}` });
    const key = [...db.getKeys({ start: "snapshot:dir:", end: "snapshot:dir:\uffff" })].map((k) => String(k).slice("snapshot:".length))[0];
    await probe.close();
    assert.ok(key !== undefined);
    const reader = await openLmdbCompileCache(dir);
    try {
      const snapshot = reader.getSnapshot!(key)!;
      assert.ok(snapshot !== undefined);
      // Another compile replaces the snapshot (rocky.toml changed: a full compile, its old records dropped).
      writeFileSync(file("rocky.toml"), `${readFileSync(file("rocky.toml"), "utf8")}\n# replaced\n`);
      aged(file("rocky.toml"));
      await compile(project.dir);
      // Everything the first reader reads lazily is still there for it.
      for (const m of snapshot.models) {
        assert.equal(m.source.name, m.name);
        assert.ok(m.analysisKey === null || reader.getAnalysis(m.analysisKey) !== undefined);
      }
    } finally {
      await reader.close();
    }
  });

  it("a damaged cache (a record gone) costs a full compile, never a wrong answer", async () => {
    await compile(project.dir);
    const { open } = await import("lmdb");
    const { SNAPSHOT_VERSION } = await import("../../engine/src/compile/snapshot.js");
    const env = open({ path: join(project.dir, ".rocky-state", "compile-cache") });
    const db = env.openDB({ name: `snapshot-v${SNAPSHOT_VERSION}` });
    for (const k of [...db.getKeys({ start: "cold:", end: "cold:\uffff" })]) await db.remove(k);
    await env.close();
    const p = file("models/stg_customers.sql");
    writeFileSync(p, readFileSync(p, "utf8").replace(/^SELECT/m, "SELECT -- edited\n"));
    aged(p);
    const warm = await expectSameAsCold();
    assert.match(warm.stderr, /compiling in full: the cache could not answer/);
  });

  it("a file written in the last two seconds is re-read even if its size and time look the same", async () => {
    await compile(project.dir);
    const p = file("models/fct_revenue_daily.sql");
    const before = readFileSync(p, "utf8");
    writeFileSync(p, before.replace(/SELECT/, "SELECT -- same length?\n"));
    // Fresh write: no aging, so the manifest must not trust the stat.
    const warm = await expectSameAsCold();
    assert.doesNotMatch(warm.stderr, /compiling in full/);
  });

  it("a file without text is read again next time, though its size, time and inode stay (a chmod that makes it readable changes none)", async () => {
    // A model no other test here touches, so nothing else makes the compile read it again.
    const p = file("models/stg_customers.toml");
    const text = readFileSync(p);
    // The same bytes with one made NUL: the same size, written in place (the same inode).
    writeFileSync(p, Buffer.concat([text.subarray(0, 1), Buffer.from([0]), text.subarray(2)]));
    aged(p);
    const when = tick;
    const { mtimeMs, ino } = statSync(p);
    const broken = await expectSameAsCold();
    assert.deepEqual((broken.json.diagnostics as { code: string; span?: { file: string } }[]).filter((d) => d.code === "R007").map((d) => d.span?.file), ["models/stg_customers.toml"]);
    // Readable again with every stat the manifest could have kept unchanged, as a chmod leaves them.
    writeFileSync(p, text);
    utimesSync(p, when, when);
    assert.deepEqual([statSync(p).mtimeMs, statSync(p).ino], [mtimeMs, ino]);
    const fixed = await expectSameAsCold();
    assert.deepEqual((fixed.json.diagnostics as { code: string }[]).filter((d) => d.code === "R007"), [], "not the R007 of the last run");
  });

  it("the state directory ignores itself: `git add -A` in the user's repository commits no cache file", async () => {
    const other = scratchCopy(SHOP);
    try {
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: other.dir, encoding: "utf8" });
      git("init", "-q");
      const r = await compile(other.dir);
      assert.match(r.stderr, /rocky: cache \S*compile-cache;/, "the cache was used");
      assert.equal(readFileSync(join(other.dir, ".rocky-state", ".gitignore"), "utf8").split("\n").at(-2), "*");
      git("add", "-A");
      assert.deepEqual(git("diff", "--cached", "--name-only").split("\n").filter((f) => f.startsWith(".rocky-state")), []);
      writeFileSync(join(other.dir, ".rocky-state", ".gitignore"), "compile-cache/\n");
      await compile(other.dir);
      assert.equal(readFileSync(join(other.dir, ".rocky-state", ".gitignore"), "utf8"), "compile-cache/\n", "a user's own ignore file is kept");
    } finally {
      other.cleanup();
    }
  });

  it("a cache that cannot open (its directory is a file) compiles without it, says why, and gives the same bytes", async () => {
    const other = scratchCopy(SHOP);
    try {
      mkdirSync(join(other.dir, ".rocky-state"), { recursive: true });
      writeFileSync(join(other.dir, ".rocky-state", "compile-cache"), "not a directory");
      const r = await compile(other.dir);
      const cold = await compile(other.dir, ["--no-cache"]);
      assert.equal(r.code, cold.code);
      assert.equal(body(r.text), body(cold.text));
      assert.match(r.stderr, /compiling without the cache: it could not open \(/);
      assert.match(r.stderr, /rocky: cache off;/);
      // Said without ROCKY_DEBUG_CACHE too, naming where to look; --no-cache is quiet.
      const plain = await compile(other.dir, [], { ROCKY_DEBUG_CACHE: "0" });
      assert.match(plain.stderr, /^rocky: warning: compiling without the cache: it could not open \(.*\); check \.rocky-state\/compile-cache, or pass --no-cache to compile without it quietly\n$/);
      assert.equal((await compile(other.dir, ["--no-cache"], { ROCKY_DEBUG_CACHE: "0" })).stderr, "");
      assert.equal(readFileSync(join(other.dir, ".rocky-state", "compile-cache"), "utf8"), "not a directory", "nothing of the user's overwritten");
    } finally {
      other.cleanup();
    }
  });
});
