#!/usr/bin/env node
/**
 * `npm run bench`: the compiler's and the reviewer's speed, measured (never asserted in tests).
 *
 * For 1k, 10k and 50k generated models (Rocky's benchmark project, bench/generate-project.mjs):
 *   - cold compile (no cache) wall time and peak RSS of the `rocky compile` process
 *   - warm compile after changing one file (lmdb cache populated by a previous run)
 *   - `rocky compile --watch`: from saving one model to the watch's result, in one long-running process
 *   - lineage of every column of every model
 * plus CLI start-up (`rocky --version`), and the review scenario on the 10k project in a real git
 * repository (a PR that changes one staging column's type and another's expression): `rocky review`
 * cold and with the base side cached, and the blast radius it found.
 *
 * Prints a table and writes bench/out/results.json. Options: --sizes 1000,10000 --runs 3 --quick
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { generateProject, writeProject } from "./generate-project.mjs";

const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "cli/bin/rocky.cjs");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes("--quick");
const sizes = opt("sizes", quick ? "1000" : "1000,10000,50000").split(",").map(Number);
const runs = Number(opt("runs", quick ? "1" : "3"));
const work = join(tmpdir(), "rocky-bench");
mkdirSync(work, { recursive: true });
mkdirSync(join(root, "bench/out"), { recursive: true });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The environment without the variables set to undefined (spawn would pass them as the text "undefined"). */
function withoutUndefined(env) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** Run the CLI as a user would (a fresh node process), returning wall ms, peak RSS MB, exit code and stdout. */
function runCli(cliArgs, { cwd = root, env = {}, nodeArgs = [] } = {}) {
  const rssFile = join(work, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, "--import", join(root, "bench/rss-reporter.mjs"), cli, ...cliArgs], {
      cwd,
      env: withoutUndefined({ ...process.env, ROCKY_BENCH_RSS_FILE: rssFile, NO_COLOR: "1", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      let rss = Number.NaN;
      if (existsSync(rssFile)) {
        rss = Number(readFileSync(rssFile, "utf8"));
        rmSync(rssFile);
      }
      resolve({ ms, rss, code, stdout, stderr });
    });
  });
}

function projectDir(n) {
  const dir = join(work, `project-${n}`);
  if (!existsSync(join(dir, "rocky.toml"))) writeProject(dir, generateProject(n));
  return dir;
}

/**
 * Change one staging model's expression to text never compiled before (a fresh literal each run),
 * so the warm run really re-parses and re-types that model; its output types stay the same, so
 * its downstream models are served from the cache. variant 0 restores the original.
 */
function touchOneModel(dir, n, variant) {
  const file = join(dir, "models", "stg_00001.sql");
  const original = readFileSync(file, "utf8").replace(/COALESCE\(category, '[^']*'\)/, "COALESCE(category, 'unknown')");
  const text = variant === 0 ? original : original.replace("COALESCE(category, 'unknown')", `COALESCE(category, 'unknown-${process.pid}-${Date.now()}-${variant}')`);
  writeFileSync(file, text);
}

/**
 * `rocky compile --watch` on the project: the time from saving one model (as an editor does: a
 * temporary file renamed into place) to the watch's JSON line for that save, in one long-running
 * process. Each save is new text (the same change touchOneModel makes); the last restores it.
 */
async function watchRounds(dir, n, count) {
  const child = spawn(process.execPath, [cli, "compile", "--watch", "--output", "json", "-C", dir], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const waiting = [];
  let buffered = "";
  child.stdout.on("data", (d) => {
    buffered += d;
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(JSON.parse(line));
    }
  });
  const next = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch: no event within 120 s; stderr: ${stderr.slice(0, 2000)}`)), 120_000);
      waiting.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  const file = join(dir, "models", "stg_00001.sql");
  const save = (text) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  try {
    const t0 = performance.now();
    const start = await next();
    const startMs = performance.now() - t0;
    const rounds = [];
    const inside = [];
    const original = readFileSync(file, "utf8");
    for (let i = 0; i < count; i++) {
      const text = original.replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, 'watch-${process.pid}-${Date.now()}-${i}')`);
      const event = next();
      const t = performance.now();
      save(text);
      const e = await event;
      rounds.push(performance.now() - t);
      inside.push(e.watch.round_ms);
      if (e.watch.mode !== "incremental") throw new Error(`watch: a one-model save compiled ${e.watch.mode} (${e.watch.reason})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const restored = next();
    save(original);
    await restored;
    return { start_ms: startMs, start_mode: start.watch.mode, save_to_result_ms: median(rounds), round_ms: median(inside), rounds: rounds.length };
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.on("close", r));
  }
}

const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, compile: [], startup: null, review: null };

// ---- start-up
/** A bare `node -e 0` with `env` over this environment: what every Node process costs on this machine before any of our code runs. */
function bareNode(env) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    spawn(process.execPath, ["-e", "0"], { env: withoutUndefined({ ...process.env, ...env }), stdio: "ignore" }).on("close", () => resolve(performance.now() - t0));
  });
}
{
  // NODE_EXTRA_CA_CERTS makes Node 20 parse that certificate file while it starts, before any
  // script runs (measured here: ~70 ms for Debian's bundle). When the environment sets it, start-up
  // is measured both with it and without it, each against a bare node in the same environment.
  const envs = [["as given", {}]];
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) envs.push(["without NODE_EXTRA_CA_CERTS", { NODE_EXTRA_CA_CERTS: undefined }]);
  results.startup = { ms: Number.NaN, node_ms: Number.NaN, environments: [] };
  for (const [label, env] of envs) {
    const times = [];
    const bare = [];
    for (let i = 0; i < 10; i++) {
      times.push((await runCli(["--version"], { env })).ms);
      bare.push(await bareNode(env));
    }
    results.startup.environments.push({ environment: label, ms: median(times), node_ms: median(bare) });
  }
  results.startup.ms = results.startup.environments[0].ms;
  results.startup.node_ms = results.startup.environments[0].node_ms;
}

/**
 * `rocky daemon start` on the project, then `rocky compile --output json` as fresh processes that the
 * daemon answers: after changing one model (touchOneModel, as for the warm run), and with nothing
 * changed. The daemon's answer must be the bytes a run without it prints (timings aside). Three
 * requests first, untimed: a daemon is a long-lived process, and its figures are those of one that
 * has answered a few commands (its JIT warm), as it has after the first minute of a working session.
 */
async function daemonRounds(dir, n, count) {
  const runtime = join(work, "daemon-runtime");
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const env = { XDG_RUNTIME_DIR: runtime };
  const started = await runCli(["daemon", "start", "-C", dir], { env });
  if (started.code !== 0) throw new Error(`rocky daemon start failed: ${started.stderr}`);
  try {
    for (let i = 0; i < 3; i++) await runCli(["compile", "-C", dir, "--output", "json"], { env });
    const oneFile = [];
    const rss = [];
    let analysed;
    for (let i = 0; i < count; i++) {
      touchOneModel(dir, n, i + 1);
      const r = await runCli(["compile", "-C", dir, "--output", "json"], { env });
      oneFile.push(r.ms);
      rss.push(r.rss);
      analysed = JSON.parse(r.stdout).compile_timings?.analysed;
    }
    touchOneModel(dir, n, 0);
    await runCli(["compile", "-C", dir, "--output", "json"], { env });
    const unchanged = [];
    let last;
    for (let i = 0; i < count; i++) {
      last = await runCli(["compile", "-C", dir, "--output", "json"], { env });
      unchanged.push(last.ms);
    }
    const lineage = [];
    for (let i = 0; i < Math.min(count, 3); i++) lineage.push((await runCli(["lineage", "--all", "-C", dir, "--output", "json"], { env })).ms);
    const alone = await runCli(["compile", "-C", dir, "--output", "json"], { env: { ...env, ROCKY_DAEMON: "0" } });
    const body = (text) => text.replace(/"compile_timings": \{[^}]*\}/, "");
    if (body(alone.stdout) !== body(last.stdout)) throw new Error("the daemon's compile output differs from a run without it");
    return { start_ms: started.ms, one_file_ms: median(oneFile), unchanged_ms: median(unchanged), lineage_all_ms: median(lineage), analysed, client_rss_mb: median(rss) };
  } finally {
    await runCli(["daemon", "stop", "-C", dir], { env });
  }
}

// ---- compile at each size
for (const n of sizes) {
  const dir = projectDir(n);
  const cold = [];
  const coldRss = [];
  let detail;
  for (let i = 0; i < runs; i++) {
    const r = await runCli(["compile", "-C", dir, "--no-cache", "--output", "json"]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`compile failed (${r.code}): ${r.stderr.slice(0, 2000)}`);
    cold.push(r.ms);
    coldRss.push(r.rss);
    detail = JSON.parse(r.stdout);
  }
  // Where a cold compile's CPU goes: the main thread, and V8's own threads (TurboFan's background
  // compiles, the GC's helpers), which a CPU profile does not see. Their sum over the cores is the
  // least wall time any schedule of this work could take on this machine.
  const cpuRun = await runCli(["compile", "-C", dir, "--no-cache", "--output", "json"], { nodeArgs: ["-r", join(root, "bench/micro/thread-cpu.cjs")] });
  const cpuLine = /thread-cpu main (\d+) background (\d+)/.exec(cpuRun.stderr);
  const cpu = cpuLine ? { wall_ms: cpuRun.ms, main_ms: Number(cpuLine[1]), background_ms: Number(cpuLine[2]) } : undefined;
  rmSync(join(dir, ".rocky-state"), { recursive: true, force: true });
  const firstWithCache = await runCli(["compile", "-C", dir, "--output", "json"]);
  const warm = [];
  const warmRss = [];
  let warmDetail;
  for (let i = 0; i < runs; i++) {
    touchOneModel(dir, n, i + 1);
    const r = await runCli(["compile", "-C", dir, "--output", "json"]);
    warm.push(r.ms);
    warmRss.push(r.rss);
    warmDetail = JSON.parse(r.stdout);
  }
  touchOneModel(dir, n, 0);
  // Nothing changed since the last run (after the racy window: a file written in the last 2 s is always re-read).
  await runCli(["compile", "-C", dir, "--output", "json"]);
  await new Promise((r) => setTimeout(r, 2100));
  const unchanged = [];
  for (let i = 0; i < runs; i++) unchanged.push((await runCli(["compile", "-C", dir, "--output", "json"])).ms);
  const watch = await watchRounds(dir, n, Math.max(5, runs * 2));
  const daemon = await daemonRounds(dir, n, Math.max(5, runs * 2));
  const lineage = [];
  let edges = 0;
  for (let i = 0; i < runs; i++) {
    const r = await runCli(["lineage", "--all", "-C", dir, "--output", "json"]);
    lineage.push(r.ms);
    if (r.code === 0) edges = JSON.parse(r.stdout).edges?.length ?? 0;
  }
  results.compile.push({
    models: n,
    cold_ms: median(cold),
    cold_peak_rss_mb: median(coldRss),
    cold_us_per_model: (median(cold) * 1000) / n,
    cold_stage_ms: detail?.compile_timings,
    cold_cpu: cpu && { ...cpu, all_cores_floor_ms: (cpu.main_ms + cpu.background_ms) / results.machine.cpus },
    first_run_with_cache_write_ms: firstWithCache.ms,
    first_run_with_cache_write_peak_rss_mb: firstWithCache.rss,
    warm_one_file_ms: median(warm),
    warm_unchanged_ms: median(unchanged),
    watch_save_to_result_ms: watch.save_to_result_ms,
    watch_round_ms: watch.round_ms,
    watch_start_ms: watch.start_ms,
    daemon_start_ms: daemon.start_ms,
    daemon_warm_one_file_ms: daemon.one_file_ms,
    daemon_warm_unchanged_ms: daemon.unchanged_ms,
    daemon_analysed: daemon.analysed,
    daemon_lineage_all_ms: daemon.lineage_all_ms,
    daemon_client_peak_rss_mb: daemon.client_rss_mb,
    warm_peak_rss_mb: median(warmRss),
    warm_analysed: warmDetail?.compile_timings?.analysed,
    warm_cache_hits: warmDetail?.compile_timings?.cache_hits,
    lineage_all_ms: median(lineage),
    lineage_edges: edges,
    diagnostics: detail?.diagnostics?.length,
  });
}

// ---- review on the 10k project in a real git repository
if (!args.includes("--no-review")) {
  const n = sizes.includes(10000) ? 10000 : sizes[sizes.length - 1];
  const repo = join(work, `review-${n}`);
  rmSync(repo, { recursive: true, force: true });
  writeProject(repo, generateProject(n));
  const git = (...a) => execFileSync("git", a, { cwd: repo, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "pr");
  const file = join(repo, "models", "stg_00007.sql");
  writeFileSync(file, readFileSync(file, "utf8").replace("    amount,\n", "    CAST(amount AS DOUBLE) AS amount,\n").replace("LOWER(status) AS status", "LOWER(TRIM(status)) AS status"));
  git("commit", "-qam", "stg_00007: amount as DOUBLE, trimmed status");
  rmSync(join(repo, ".rocky-state"), { recursive: true, force: true });
  // Cold: no cache at all (ROCKY_NO_CACHE keeps it in memory for the one run), the median of `runs`.
  const coldRuns = [];
  let cold;
  for (let i = 0; i < runs; i++) {
    cold = await runCli(["review", "--base", "main", "--head", "pr", "-C", repo, "--output", "json"], { env: { ROCKY_NO_CACHE: "1" } });
    coldRuns.push(cold.ms);
  }
  await runCli(["review", "--base", "main", "--head", "pr", "-C", repo, "--output", "json"]);
  const cachedRuns = [];
  let cached;
  for (let i = 0; i < runs; i++) {
    cached = await runCli(["review", "--base", "main", "--head", "pr", "-C", repo, "--output", "json"]);
    cachedRuns.push(cached.ms);
  }
  let report;
  try {
    report = JSON.parse(cached.stdout);
  } catch {
    report = undefined;
  }
  // Main moved on since the last review (another PR merged, one model changed): the PR, rebased,
  // has a merge-base no review has seen, one model away from the base the last review kept.
  const movedRuns = [];
  let moved;
  for (let i = 0; i < runs; i++) {
    git("checkout", "-q", "main");
    const other = join(repo, "models", `stg_${String(100 + i).padStart(5, "0")}.sql`);
    writeFileSync(other, readFileSync(other, "utf8").replace(/COALESCE\(category, '[^']*'\)/, `COALESCE(category, 'merged-${i}')`));
    git("commit", "-qam", `main moves on ${i}`);
    git("checkout", "-q", "pr");
    git("rebase", "-q", "main");
    moved = await runCli(["review", "--base", "main", "--head", "pr", "-C", repo, "--output", "json"]);
    movedRuns.push(moved.ms);
  }
  let movedStages;
  try {
    movedStages = JSON.parse(moved.stdout).report.timings;
  } catch {
    movedStages = undefined;
  }
  results.review = {
    models: n,
    exit_code: cold.code,
    cold_ms: median(coldRuns),
    cold_runs_ms: coldRuns,
    cold_peak_rss_mb: cold.rss,
    base_cached_ms: median(cachedRuns),
    base_cached_peak_rss_mb: cached.rss,
    base_moved_ms: median(movedRuns),
    base_moved_runs_ms: movedRuns,
    base_moved_stage_ms: movedStages ?? null,
    blast_radius_columns: report?.report?.summary?.blastRadius?.columns ?? null,
    blast_radius_models: report?.report?.summary?.blastRadius?.models ?? null,
    changed_columns: report?.report?.summary?.columnChanges?.total ?? null,
    stage_ms: report?.report?.timings ?? null,
    error: cold.code > 1 ? cold.stderr.slice(0, 500) : undefined,
  };
}

// ---- report
const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const lines = [];
lines.push(`rocky-review benchmark — ${results.machine.cpus} cores, ${results.machine.model}, node ${results.machine.node}`);
lines.push("");
lines.push("| models | cold compile ms | µs/model | peak RSS MB | first compile with cache ms (RSS MB) | warm (1 file) ms | analysed warm | warm (no change) ms | watch: save → result ms | lineage all ms | edges |");
lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results.compile) lines.push(`| ${r.models} | ${f(r.cold_ms)} | ${f(r.cold_us_per_model, 1)} | ${f(r.cold_peak_rss_mb)} | ${f(r.first_run_with_cache_write_ms)} (${f(r.first_run_with_cache_write_peak_rss_mb)}) | ${f(r.warm_one_file_ms)} | ${r.warm_analysed ?? "n/a"} | ${f(r.warm_unchanged_ms)} | ${f(r.watch_save_to_result_ms)} | ${f(r.lineage_all_ms)} | ${r.lineage_edges} |`);
lines.push("", "| models | warm (1 file) ms, fresh process | through `rocky daemon` ms | ratio | no change ms, fresh process | through the daemon ms | ratio | lineage all ms, fresh process | through the daemon ms | analysed by the daemon | daemon start ms |");
lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results.compile) lines.push(`| ${r.models} | ${f(r.warm_one_file_ms)} | ${f(r.daemon_warm_one_file_ms)} | ${f(r.daemon_warm_one_file_ms / r.warm_one_file_ms, 2)}× | ${f(r.warm_unchanged_ms)} | ${f(r.daemon_warm_unchanged_ms)} | ${f(r.daemon_warm_unchanged_ms / r.warm_unchanged_ms, 2)}× | ${f(r.lineage_all_ms)} | ${f(r.daemon_lineage_all_ms)} | ${r.daemon_analysed ?? "n/a"} | ${f(r.daemon_start_ms)} |`);
lines.push("", "| models | cold compile: wall ms | CPU ms, main thread | CPU ms, V8's threads (JIT, GC) | CPU ms, all | ÷ cores: least wall any schedule could take |");
lines.push("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results.compile) {
  const c = r.cold_cpu;
  if (c) lines.push(`| ${r.models} | ${f(c.wall_ms)} | ${f(c.main_ms)} | ${f(c.background_ms)} | ${f(c.main_ms + c.background_ms)} | ${f(c.all_cores_floor_ms)} |`);
}
if (results.compile.length > 1) {
  const a = results.compile[0];
  const b = results.compile[results.compile.length - 1];
  lines.push("", `scaling: ${b.models / a.models}× the models took ${f(b.cold_ms / a.cold_ms, 1)}× the cold time (µs/model ${f(a.cold_us_per_model, 1)} → ${f(b.cold_us_per_model, 1)})`);
}
for (const e of results.startup.environments) lines.push(`${e === results.startup.environments[0] ? "\n" : ""}start-up (rocky --version), environment ${e.environment}: ${f(e.ms, 1)} ms (a bare \`node -e 0\`: ${f(e.node_ms, 1)} ms)`);
if (results.review) lines.push(`review (${results.review.models} models, git + 2 compiles + diff + checks + render): cold ${f(results.review.cold_ms)} ms, base cached ${f(results.review.base_cached_ms)} ms (${f(results.review.base_cached_ms / results.review.cold_ms, 2)}× cold), main moved on by one model since the kept base ${f(results.review.base_moved_ms)} ms (${f(results.review.base_moved_ms / results.review.cold_ms, 2)}× cold), ${results.review.changed_columns ?? "n/a"} changed columns reaching ${results.review.blast_radius_columns ?? "n/a"} columns in ${results.review.blast_radius_models ?? "n/a"} models, peak RSS ${f(results.review.cold_peak_rss_mb)} MB`);
console.log(lines.join("\n"));
writeFileSync(join(root, "bench/out/results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results)}`);
