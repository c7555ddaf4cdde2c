#!/usr/bin/env node
/**
 * `node bench/stress-cache.mjs --cli PATH [--size 1000] [--iterations 100] [--work DIR] [--seed 1] [--src DIR] [--no-app]`
 * `node bench/stress-cache.mjs --cli PATH --size 10000 --growth 50`: the store's size after 50 reviews of different heads
 *
 * Is the compile cache always right? On a generated git repository (bench/generate-project.mjs,
 * branches `main`, `pr` as in bench/run.mjs, plus `pr2` editing other model files and a sidecar,
 * `pr3` adding a model and editing `_defaults.toml`), it loops over a mix of cached runs that all
 * share ONE cache directory (`<repo>/.rocky-state/compile-cache`):
 *
 *   - a cached `rocky review --base main --head <h> --output json` (one process);
 *   - a cached `rocky compile --output json` of the work tree after editing a model file;
 *   - two cached reviews of different heads at once in two processes;
 *   - two reviews at once in ONE long-lived process through `cachedReviewRunner` (the App's case,
 *     its lmdb environment kept open across every iteration while the others write to it);
 *
 * and compares every output (minus timings and time stamps) with the `ROCKY_NO_CACHE=1` reference
 * of the same input. Each run's wall time is recorded; a run slower than 5x the median of its kind
 * is reported as a finding. Exit 1 when any output differed or any run failed.
 * Writes `<work>/stress-<size>.json` (every run) and prints a summary.
 */
import { execFileSync, fork, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateProject, mulberry32, writeProject } from "./generate-project.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

// Strip what legitimately differs between two runs of the same input.
const VOLATILE = new Set(["timings", "compile_timings", "generatedAt", "generated_at", "durationMs", "duration_ms", "elapsed_ms"]);
function normalize(value) {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const k of Object.keys(value).sort()) if (!VOLATILE.has(k)) out[k] = normalize(value[k]);
  return out;
}
const canon = (value) => JSON.stringify(normalize(value));

/** Where two canonical JSON texts first differ, with some context. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: expected …${a.slice(Math.max(0, i - 80), i + 80)}… got …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

// ---------------------------------------------------------------- the App's case, as a child process
if (args.includes("--app-child")) {
  // --src: the source tree the App runs from (a frozen copy, e.g. `git archive`, while others edit this one).
  const { cachedReviewRunner, defaultReviewRunner } = await import(join(resolve(opt("src", root)), "review/src/github/shell-ports.ts"));
  const repo = opt("repo");
  const runner = cachedReviewRunner(opt("cache-dir"), "stress-app");
  const references = new Map();
  const call = (run, head) => run({ repoDir: repo, base: "main", head });
  process.on("message", async (msg) => {
    if (msg.type === "close") {
      await runner.close();
      process.send({ type: "closed" }, () => process.exit(0));
      return;
    }
    if (msg.type === "reference") {
      const out = await call(defaultReviewRunner, msg.head);
      references.set(msg.head, canon({ report: out.report, checks: out.rendered.checks }));
      process.send({ type: "reference", head: msg.head });
      return;
    }
    // Two (or more) reviews at once through the one cached runner.
    const results = await Promise.all(
      msg.heads.map(async (head) => {
        const t = performance.now();
        try {
          const out = await call(runner, head);
          const got = canon({ report: out.report, checks: out.rendered.checks });
          const ref = references.get(head);
          if (got !== ref) writeFileSync(`${opt("cache-dir")}/../fail-app-${Date.now()}-${head}.json`, `${JSON.stringify({ report: out.report, checks: out.rendered.checks }, null, 1)}\n`);
          return { head, ms: performance.now() - t, ok: got === ref, diff: got === ref ? undefined : firstDifference(ref, got), stats: out.report?.timings ?? null };
        } catch (error) {
          return { head, ms: performance.now() - t, ok: false, diff: `threw: ${error?.stack ?? error}` };
        }
      }),
    );
    process.send({ type: "pair", results });
  });
  process.send({ type: "ready" });
  await new Promise(() => {});
}

// ---------------------------------------------------------------- a sweep of the cache, as another process
if (args.includes("--sweeper")) {
  const { openLmdbCompileCache } = await import(join(resolve(opt("src", root)), "engine/src/compile/lmdb-compile-cache.ts"));
  const cache = await openLmdbCompileCache(opt("cache-dir"), { graceMs: Number(opt("grace-ms")) });
  const stats = cache.sweep();
  await cache.close();
  console.log(JSON.stringify({ ...stats, snapshotsDropped: stats.snapshotsDropped.length }));
  process.exit(0);
}

// ---------------------------------------------------------------- the driver
const cliArg = opt("cli");
if (cliArg === undefined) {
  console.error("usage: node bench/stress-cache.mjs --cli PATH/cli/bin/rocky.cjs [--size 1000] [--iterations 100] [--work DIR] [--seed 1] [--no-app]");
  process.exit(2);
}
const cli = resolve(cliArg);
const size = Number(opt("size", "1000"));
const iterations = Number(opt("iterations", "100"));
const work = resolve(opt("work", "/tmp/rocky-stress-cache"));
const withApp = !args.includes("--no-app");
// With --sweep-grace-ms N, a process sweeps the cache (grace N ms) alongside every pair of reviews.
const sweepGrace = opt("sweep-grace-ms");
const random = mulberry32(Number(opt("seed", "1")));
const repo = join(work, `review-${size}`);
const cacheDir = join(repo, ".rocky-state", "compile-cache");
const HEADS = ["pr", "pr2", "pr3"];

function git(...a) {
  return execFileSync("git", a, { cwd: repo, stdio: "pipe", encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
}
const edit = (rel, fn) => {
  const f = join(repo, rel);
  const before = readFileSync(f, "utf8");
  const after = fn(before);
  if (after === before) throw new Error(`stress setup: editing ${rel} changed nothing`);
  writeFileSync(f, after);
};

function setUp() {
  if (existsSync(join(repo, ".git")) && git("branch", "--list").includes("pr3")) return;
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  writeProject(repo, generateProject(size));
  writeFileSync(join(repo, "models", "_defaults.toml"), '[tags]\nteam = "data"\n');
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  // pr: one staging column's type and another's expression (bench/run.mjs's PR)
  git("checkout", "-qb", "pr");
  edit("models/stg_00007.sql", (t) => t.replace("    amount,\n", "    CAST(amount AS DOUBLE) AS amount,\n").replace("LOWER(status) AS status", "LOWER(TRIM(status)) AS status"));
  git("commit", "-qam", "pr");
  // pr2: other files: an intermediate's expression, a source's type, a mart's sidecar (a classification)
  git("checkout", "-q", "main");
  git("checkout", "-qb", "pr2");
  edit("models/int_00010.sql", (t) => t.replace("SUM(amount_a) AS total_amount", "SUM(amount_a * 2) AS total_amount"));
  edit("models/src_00003.sql", (t) => t.replace("CAST(category AS VARCHAR) AS category", "UPPER(CAST(category AS VARCHAR)) AS category"));
  edit("models/fct_00020.toml", (t) => `${t}\n[classification]\nlatest_name = "pii"\n`);
  git("commit", "-qam", "pr2");
  // pr3: a new model, and _defaults.toml edited (a file no model owns: the head compiles in full)
  git("checkout", "-q", "main");
  git("checkout", "-qb", "pr3");
  writeFileSync(join(repo, "models", "fct_new.sql"), "-- mart: new\nSELECT\n    f.id,\n    f.tier,\n    s.name\nFROM fct_00001 AS f\nLEFT JOIN stg_00002 AS s ON f.id = s.id\n");
  writeFileSync(join(repo, "models", "fct_new.toml"), 'name = "fct_new"\ndepends_on = ["fct_00001", "stg_00002"]\n\n[strategy]\ntype = "full_refresh"\n\n[target]\ncatalog = "warehouse"\nschema = "marts"\ntable = "fct_new"\n');
  edit("models/_defaults.toml", (t) => t.replace('"data"', '"platform"'));
  git("add", "-A");
  git("commit", "-qm", "pr3");
  git("checkout", "-q", "main");
}

/** Run the CLI (a fresh process), returning wall ms, exit code and parsed stdout. */
function runCli(cliArgs, env = {}) {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...cliArgs], { cwd: repo, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      const text = Buffer.concat(out).toString("utf8");
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      done({ ms, code, json, stderr: stderr.slice(0, 2000) });
    });
  });
}

/**
 * `--growth N`: the cache's size after N cached reviews of N different heads (branches g1..gN, each
 * editing another staging model; every third one a column type), one after the other.
 */
async function growth(n) {
  const stgs = git("ls-tree", "--name-only", "main", "models/").split("\n").filter((f) => /stg_\d+\.sql$/.test(f));
  const index = join(work, `growth-index-${size}`);
  for (let i = 1; i <= n; i++) {
    if (git("branch", "--list", `g${i}`).trim() !== "") continue;
    const file = stgs[(i * 37) % stgs.length];
    let text = git("show", `main:${file}`).replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, 'g${i}')`);
    if (i % 3 === 0) text = text.replace("    amount,\n", "    CAST(amount AS DOUBLE) AS amount,\n");
    const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, input: text, encoding: "utf8" }).trim();
    const env = { ...process.env, GIT_INDEX_FILE: index, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
    execFileSync("git", ["read-tree", "main"], { cwd: repo, env });
    execFileSync("git", ["update-index", "--cacheinfo", `100644,${blob},${file}`], { cwd: repo, env });
    const tree = execFileSync("git", ["write-tree"], { cwd: repo, env, encoding: "utf8" }).trim();
    const commit = execFileSync("git", ["commit-tree", tree, "-p", "main", "-m", `g${i}`], { cwd: repo, env, encoding: "utf8" }).trim();
    git("branch", `g${i}`, commit);
  }
  const { open } = await import("lmdb");
  const measure = async () => {
    const env = open({ path: cacheDir, readOnly: true, maxDbs: 16 });
    const entries = {};
    for (const name of [...env.getKeys()].map(String)) entries[name] = env.openDB({ name }).getCount();
    const s = env.getStats();
    await env.close();
    const { statSync } = await import("node:fs");
    return { fileMB: +(statSync(join(cacheDir, "data.mdb")).size / 1048576).toFixed(1), usedMB: +((s.pageSize * s.lastPageNumber) / 1048576).toFixed(1), entries };
  };
  const times = [];
  const first = await review("g1");
  console.log(`growth: first review (base compiled into the cache) ${Math.round(first.ms)} ms, exit ${first.code}`, JSON.stringify(await measure()));
  for (let i = 1; i <= n; i++) {
    const r = await review(`g${i}`);
    if (r.json === undefined) console.log(`  g${i}: exit ${r.code} ${r.stderr}`);
    times.push(r.ms);
    if (i % 10 === 0 || i === n) console.log(`  after ${i} reviews: ${JSON.stringify(await measure())}, median ${Math.round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)])} ms`);
  }
}

const review = (head, env) => runCli(["review", "--base", "main", "--head", head, "-C", repo, "--output", "json"], env);
const compile = (env) => runCli(["compile", "-C", repo, "--output", "json"], env);

/** The compile loop's edits of the work tree: a model file in a few states (variant 0 = as committed). */
const COMPILE_FILE = "models/stg_00001.sql";
let committedText;
function setVariant(v) {
  const f = join(repo, COMPILE_FILE);
  committedText ??= git("show", `main:${COMPILE_FILE}`);
  const text = v === 0 ? committedText : committedText.replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, 'variant-${v}')`);
  if (v !== 0 && text === committedText) throw new Error(`stress setup: ${COMPILE_FILE} has no COALESCE(category, ...)`);
  writeFileSync(f, text);
}
const VARIANTS = [0, 1, 2];

const runs = [];
const failures = [];
function record(kind, detail, r, expected) {
  const got = r.json === undefined ? `exit ${r.code}: ${r.stderr}` : canon(r.json);
  const ok = r.code === expected.code && got === expected.text;
  const row = { i: detail.i, kind, what: detail.what, ms: Math.round(r.ms), code: r.code, ok, hits: r.json?.report?.timings ?? r.json?.compile_timings?.cache_hits };
  runs.push(row);
  if (!ok) {
    const why = r.code !== expected.code ? `exit ${r.code}, expected ${expected.code}: ${r.stderr}` : firstDifference(expected.text, got);
    failures.push({ ...row, why });
    // The whole output, to find out why.
    writeFileSync(join(work, `fail-${size}-${detail.i}-${kind}-${String(detail.what).replace(/\W/g, "_")}.json`), `${JSON.stringify({ ...row, stderr: r.stderr, output: r.json }, null, 1)}\n`);
    console.log(`  FAIL ${kind} ${detail.what} (#${detail.i}, ${row.ms} ms): ${why.slice(0, 600)}`);
  }
}

setUp();
rmSync(join(repo, ".rocky-state"), { recursive: true, force: true });
if (args.includes("--growth")) {
  await growth(Number(opt("growth")));
  process.exit(0);
}
console.log(`stress-cache: ${size} models, ${iterations} iterations, cli ${cli}, repo ${repo}`);

// ---- references, without a cache
const refReview = new Map();
for (const h of HEADS) {
  const r = await review(h, { ROCKY_NO_CACHE: "1" });
  if (r.json === undefined) throw new Error(`reference review of ${h} failed (exit ${r.code}): ${r.stderr}`);
  refReview.set(h, { code: r.code, text: canon(r.json), ms: r.ms });
  console.log(`reference review ${h}: exit ${r.code}, ${Math.round(r.ms)} ms, ${r.json.report?.summary?.columnChanges?.total ?? "?"} changed columns`);
}
const refCompile = new Map();
for (const v of VARIANTS) {
  setVariant(v);
  const r = await runCli(["compile", "-C", repo, "--no-cache", "--output", "json"]);
  if (r.json === undefined) throw new Error(`reference compile failed (exit ${r.code}): ${r.stderr}`);
  refCompile.set(v, { code: r.code, text: canon(r.json), ms: r.ms });
  console.log(`reference compile variant ${v}: exit ${r.code}, ${Math.round(r.ms)} ms`);
}

// ---- the App's process
let app;
let appWaiting;
const appNext = () => new Promise((r) => (appWaiting = r));
if (withApp) {
  app = fork(new URL(import.meta.url).pathname, ["--app-child", "--repo", repo, "--cache-dir", cacheDir, "--src", resolve(opt("src", root))], { execArgv: ["--import", "tsx"], cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  app.on("message", (m) => appWaiting?.(m));
  await appNext();
  for (const h of HEADS) {
    app.send({ type: "reference", head: h });
    await appNext();
  }
  console.log("app child ready (references computed without a cache)");
}
const appPair = async (i, heads) => {
  app.send({ type: "pair", heads });
  const { results } = await appNext();
  for (const r of results) {
    runs.push({ i, kind: "app-pair", what: r.head, ms: Math.round(r.ms), code: 0, ok: r.ok });
    if (!r.ok) {
      failures.push({ i, kind: "app-pair", what: r.head, ms: Math.round(r.ms), why: r.diff });
      console.log(`  FAIL app-pair ${r.head} (#${i}, ${Math.round(r.ms)} ms): ${String(r.diff).slice(0, 600)}`);
    }
  }
};

const sweeps = [];
function sweeper(i) {
  return new Promise((done) => {
    const t = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--sweeper", "--cache-dir", cacheDir, "--grace-ms", sweepGrace, "--src", resolve(opt("src", root))], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      if (code !== 0) failures.push({ i, kind: "sweep", why: err.slice(0, 2000) });
      else sweeps.push({ i, wallMs: Math.round(performance.now() - t), ...JSON.parse(out) });
      done();
    });
  });
}

const pick = (xs) => xs[Math.floor(random() * xs.length)];
const t0 = performance.now();
for (let i = 0; i < iterations; i++) {
  // 1. a cached review
  const h = pick(HEADS);
  record("review", { i, what: h }, await review(h), refReview.get(h));
  // 2. a cached compile of the work tree after an edit
  const v = pick(VARIANTS);
  setVariant(v);
  record("compile", { i, what: `variant ${v}` }, await compile(), refCompile.get(v));
  // 3. two processes at once (and the App's pair in its own process alongside, every other iteration)
  const [a, b] = [pick(HEADS), pick(HEADS)];
  const parallel = [review(a), review(b)];
  const appRun = withApp && i % 2 === 0 ? appPair(i, [pick(HEADS), pick(HEADS)]) : undefined;
  const sweepRun = sweepGrace === undefined ? undefined : sweeper(i);
  const [ra, rb] = await Promise.all(parallel);
  await sweepRun;
  record("review-2proc", { i, what: a }, ra, refReview.get(a));
  record("review-2proc", { i, what: b }, rb, refReview.get(b));
  await appRun;
  // 4. the App's pair alone, every other iteration
  if (withApp && i % 2 === 1) await appPair(i, [pick(HEADS), pick(HEADS)]);
  if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${iterations} iterations, ${runs.length} runs, ${failures.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
if (withApp) {
  app.send({ type: "close" });
  await appNext();
}
setVariant(0);

// ---- summary: failures, and runs 5x slower than the median of their kind
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const kinds = [...new Set(runs.map((r) => r.kind))];
const slow = [];
const lines = ["| kind | runs | wrong | median ms | max ms | > 5x median of its input |", "| --- | ---: | ---: | ---: | ---: | ---: |"];
// Slow against runs of the same kind on the same input (a head that compiles in full is slower by nature).
const medianOf = new Map();
for (const r of runs) {
  const k = `${r.kind} ${r.what}`;
  if (!medianOf.has(k)) medianOf.set(k, median(runs.filter((x) => `${x.kind} ${x.what}` === k).map((x) => x.ms)));
}
for (const k of kinds) {
  const rs = runs.filter((r) => r.kind === k);
  const med = median(rs.map((r) => r.ms));
  const s = rs.filter((r) => r.ms > 5 * medianOf.get(`${r.kind} ${r.what}`));
  slow.push(...s.map((r) => ({ ...r, median: medianOf.get(`${r.kind} ${r.what}`) })));
  lines.push(`| ${k} | ${rs.length} | ${rs.filter((r) => !r.ok).length} | ${med} | ${Math.max(...rs.map((r) => r.ms))} | ${s.length} |`);
}
console.log(`\n${size} models, ${iterations} iterations, ${runs.length} cached runs in ${((performance.now() - t0) / 1000).toFixed(0)} s\n${lines.join("\n")}`);
if (sweeps.length > 0) console.log(`sweeps alongside: ${sweeps.length}, entries deleted ${sweeps.reduce((n, s) => n + s.deleted, 0)}, condemned ${sweeps.reduce((n, s) => n + s.condemned, 0)}, sweep median ${median(sweeps.map((s) => s.ms))} ms (process ${median(sweeps.map((s) => s.wallMs))} ms)`);
for (const s of slow) console.log(`  SLOW ${s.kind} ${s.what} #${s.i}: ${s.ms} ms (median ${s.median})`);
writeFileSync(join(work, `stress-${size}.json`), `${JSON.stringify({ size, iterations, cli, runs, failures, slow, sweeps }, null, 1)}\n`);
process.exit(failures.length > 0 || slow.length > 0 ? 1 : 0);
