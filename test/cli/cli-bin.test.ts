import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { VERSION } from "../../engine/src/version.js";
// @ts-expect-error: a plain ESM script without types (the benchmark's project generator)
import { generateProject, writeProject } from "../../bench/generate-project.mjs";
import { ROOT, SHOP, scratchCopy } from "./support/cli-harness.js";

/**
 * The built `rocky` command as a user runs it: `node scripts/build.mjs --cli-only` (npm's prepare
 * step), then real processes of `node cli/bin/rocky.cjs`: the exit code crosses the process boundary
 * and JSON arrives whole on stdout.
 */
const BIN = join(ROOT, "cli/bin/rocky.cjs");
const DIST = join(ROOT, "cli/dist");
const spawnRocky = (args: readonly string[], cwd = ROOT, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
const codeCaches = () => readdirSync(DIST).filter((f) => f.endsWith(".v8cache"));
/** The output without its timings (which differ run to run). */
const body = (text: string) => text.replace(/"compile_timings": \{[^}]*\}/, '"compile_timings": {}');

describe("cli/bin/rocky.cjs after the build", { timeout: 180_000 }, () => {
  let project: ReturnType<typeof scratchCopy>;
  before(() => {
    const build = spawnSync(process.execPath, ["scripts/build.mjs", "--cli-only"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(build.status, 0, `build failed: ${build.stderr}`);
    project = scratchCopy(SHOP);
  });
  after(() => project?.cleanup());

  it("--version prints the package version and exits 0", () => {
    const r = spawnRocky(["--version"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `rocky ${VERSION}\n`);
    assert.equal(r.stderr, "");
  });

  it("compile --output json on the example project: exit 0 and whole JSON", () => {
    const r = spawnRocky(["compile", "-C", project.dir, "--output", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { version: string; command: string; models: number; has_errors: boolean };
    assert.deepEqual([out.version, out.command, out.models, out.has_errors], [VERSION, "compile", 7, false]);
  });

  it("a malformed schemas/*.json is placed at its entry by the bundled JSON parser (its bundle form, not only tsx's)", () => {
    mkdirSync(join(project.dir, "schemas"), { recursive: true });
    const file = join(project.dir, "schemas", "bad.json");
    try {
      writeFileSync(file, '{"tables": {\n  "raw.extra": [\n    {"name": "id", "type": "BIGNT"}\n  ]\n}}\n');
      const typo = spawnRocky(["compile", "-C", project.dir]);
      assert.match(typo.stdout + typo.stderr, /warning\[R002\]: `BIGNT`[^\n]*\n --> schemas\/bad\.json:3:28/);
      writeFileSync(file, '{"tables": {\n  "raw.extra": [\n    {"name": "x" "type": "INT"}\n  ]\n}}\n');
      const syntax = spawnRocky(["compile", "-C", project.dir]);
      assert.match(syntax.stdout + syntax.stderr, /invalid JSON[^\n]*\n --> schemas\/bad\.json:3:18/);
      assert.doesNotMatch(syntax.stderr, /internal error/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("a usage error exits 2 across the process boundary", () => {
    const r = spawnRocky(["compil"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /did you mean `compile`\?/);
  });

  it("a reader that stops early (| head) ends the command quietly, not with an EPIPE stack trace", async () => {
    // 400 generated models: a compile JSON of ~700 KB, far more than a pipe holds.
    const dir = mkdtempSync(join(tmpdir(), "rocky-epipe-"));
    try {
      writeProject(dir, generateProject(400));
      const child = spawn(process.execPath, [BIN, "compile", "-C", dir, "--no-cache", "--output", "json"], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const first = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      assert.match(first, /^\{\n {2}"version"/);
      assert.equal(stderr, "");
      assert.equal(code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("compile --watch reports a save as it happens and stops on Ctrl-C (SIGINT) with exit 0", async () => {
    const child = spawn(process.execPath, [BIN, "compile", "--watch", "-C", project.dir], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const seen: { pattern: RegExp; resolve: () => void }[] = [];
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      for (const w of seen.splice(0)) if (w.pattern.test(stdout)) w.resolve();
      else seen.push(w);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    const file = join(project.dir, "models/fct_orders.sql");
    const before = readFileSync(file, "utf8");
    const until = (pattern: RegExp) =>
      pattern.test(stdout)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${JSON.stringify(stdout)}; stderr ${stderr}`)), 60_000);
            seen.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
          });
    try {
      await until(/Ctrl-C to stop\.\n0 errors, 0 warnings, 0 infos in 7 models\.\n/);
      const tmp = join(project.dir, "models/.fct_orders.sql.tmp");
      writeFileSync(tmp, before.replace("    paid_amount,\n", "    paid_amount,\n    refunded_amount,\n"));
      renameSync(tmp, file);
      await until(/models\/fct_orders\.sql changed: recompiled in \d+ ms\n[\s\S]*error\[R008\]: column 'refunded_amount' not found[\s\S]*--> models\/fct_orders\.sql:9:5[\s\S]*\n1 error, /);
      child.kill("SIGINT");
      assert.equal(await closed, 0);
      assert.match(stdout, /rocky: stopped watching\n$/);
      assert.equal(stderr, "");
    } finally {
      child.kill("SIGKILL");
      writeFileSync(file, before);
    }
  });

  it("the bundle's V8 code cache: the build leaves one, a damaged one is replaced, a missing one is written again", () => {
    const caches = codeCaches();
    assert.equal(caches.length, 1, `one code cache beside rocky.cjs: ${caches.join(", ")}`);
    const cache = join(DIST, caches[0]);
    assert.ok(readFileSync(cache).byteLength > 100_000, "the cache holds the compile the build ran, not just the top level");
    writeFileSync(cache, "garbage that V8 must reject");
    const damaged = spawnRocky(["compile", "-C", project.dir, "--no-cache", "--output", "json"]);
    assert.equal(damaged.status, 0, damaged.stderr);
    assert.equal((JSON.parse(damaged.stdout) as { models: number }).models, 7);
    assert.notEqual(readFileSync(cache, "utf8"), "garbage that V8 must reject", "a rejected cache is rewritten at exit");
    rmSync(cache);
    const missing = spawnRocky(["--version"]);
    assert.equal(missing.stdout, `rocky ${VERSION}\n`);
    assert.deepEqual(codeCaches(), caches, "written again under the same name (the bundle's size and time)");
  });

  it("the cache persists across runs of the built CLI, and a second run answers from its snapshot", () => {
    const fresh = scratchCopy(SHOP);
    try {
      const first = spawnRocky(["compile", "-C", fresh.dir, "--output", "json"], ROOT, { ROCKY_DEBUG_CACHE: "1" });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stderr, /rocky: cache \S+compile-cache;/);
      const second = spawnRocky(["compile", "-C", fresh.dir, "--output", "json"]);
      const timings = (JSON.parse(second.stdout) as { compile_timings: { analysed: number; project_load_ms: number } }).compile_timings;
      assert.deepEqual([timings.analysed, timings.project_load_ms], [0, 0]);
      assert.equal(body(second.stdout), body(first.stdout));
    } finally {
      fresh.cleanup();
    }
  });

  it("ROCKY_WORKERS=1: a large cold compile shares its work with the worker beside the bundle, with the same result as one thread", () => {
    const dir = mkdtempSync(join(tmpdir(), "rocky-workers-"));
    try {
      writeProject(dir, generateProject(700));
      // A worker that cannot load fails the compile (its error rejects every request): no silent fallback.
      const shared = spawnRocky(["compile", "-C", dir, "--no-cache", "--output", "json"], ROOT, { ROCKY_DEBUG_CACHE: "1", ROCKY_WORKERS: "1" });
      assert.match(shared.stderr, /compile workers 1 of file:\/\/\S+\/cli\/dist\/compile-worker\.js\n/);
      const alone = spawnRocky(["compile", "-C", dir, "--no-cache", "--output", "json"], ROOT, { ROCKY_WORKERS: "0" });
      assert.equal(shared.status, alone.status);
      assert.equal((JSON.parse(shared.stdout) as { models: number }).models, 700);
      assert.equal(body(shared.stdout), body(alone.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("rocky daemon start: compile and lineage answer from it, the same bytes as without it, until rocky daemon stop", () => {
    const runtime = mkdtempSync(join(tmpdir(), "rocky-daemon-bin-"));
    const env = { XDG_RUNTIME_DIR: runtime };
    try {
      const start = spawnRocky(["daemon", "start", "-C", project.dir], ROOT, env);
      assert.equal(start.status, 0, start.stderr);
      assert.match(start.stdout, /^rocky daemon: serving .* \(pid \d+, 7 models, ready in/);
      // Short lines for a terminal (it was one line of ~200 columns).
      assert.match(start.stdout, /\n`rocky compile` and `rocky lineage` in this project now answer from memory\.\n`rocky daemon stop` stops it \(it stops by itself after 60 idle minutes\)\.\nLog: \S+daemon\.log\n$/);
      assert.match(spawnRocky(["daemon", "start", "-C", project.dir], ROOT, env).stdout, /already serving/);
      const served = spawnRocky(["compile", "-C", project.dir, "--output", "json"], ROOT, env);
      const own = spawnRocky(["compile", "-C", project.dir, "--output", "json"], ROOT, { ...env, ROCKY_DAEMON: "0" });
      assert.equal(served.status, 0, served.stderr);
      assert.equal(body(served.stdout), body(own.stdout));
      assert.match(spawnRocky(["compile", "-C", project.dir], ROOT, env).stdout, /answered by the rocky daemon\)\n$/);
      assert.doesNotMatch(spawnRocky(["compile", "-C", project.dir], ROOT, { ...env, ROCKY_DAEMON: "0" }).stdout, /daemon/);
      const status = spawnRocky(["daemon", "status", "-C", project.dir, "--output", "json"], ROOT, env);
      assert.equal(status.status, 0, status.stderr);
      const s = JSON.parse(status.stdout) as { running: boolean; requests: number; live: { models: number }[] };
      assert.deepEqual([s.running, s.requests, s.live[0]?.models], [true, 2, 7]);
      const stop = spawnRocky(["daemon", "stop", "-C", project.dir], ROOT, env);
      assert.match(stop.stdout, /stopped serving/);
      const after = spawnRocky(["daemon", "status", "-C", project.dir], ROOT, env);
      assert.equal(after.status, 1);
      assert.match(after.stdout, /none serves/);
      // The daemon left its snapshot in the cache: a run without it starts warm.
      const warm = spawnRocky(["compile", "-C", project.dir, "--output", "json"], ROOT, env);
      assert.equal(warm.status, 0, warm.stderr);
      assert.deepEqual(JSON.parse(warm.stdout).compile_timings.analysed, 0);
    } finally {
      spawnRocky(["daemon", "stop", "-C", project.dir], ROOT, env);
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});
