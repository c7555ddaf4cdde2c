import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, openStateReader, openStateStore, StateStoreError } from "../../../engine/src/state/index.js";
import type { RunRecord, RunSummary } from "../../../engine/src/state/index.js";
import type { StateReader as ReviewStateReader } from "../../../review/src/ports.js";

const root = mkdtempSync(join(tmpdir(), "rocky-state-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `s${++n}`);

function rec(model: string, runId: string, startedAt: string, extra: Partial<RunRecord> = {}): RunRecord {
  const started = Date.parse(startedAt);
  return { run_id: runId, model, started_at: startedAt, finished_at: new Date(started + 1500).toISOString(), duration_ms: 1500, status: "success", trigger: "manual", ...extra };
}

function summary(runId: string, startedAt: string, models: string[], extra: Partial<RunSummary> = {}): RunSummary {
  return { run_id: runId, started_at: startedAt, finished_at: startedAt, duration_ms: 0, status: "success", trigger: "manual", models, ...extra };
}

describe("state store", () => {
  it("persists runs, branches, watermarks, caches across reopen", async () => {
    const path = fresh();
    const s = await openStateStore(path);
    assert.equal(s.schemaVersion, LATEST_SCHEMA_VERSION);
    await s.recordRun(summary("r1", "2026-01-01T00:00:00.000Z", ["a", "b"]), [rec("a", "r1", "2026-01-01T00:00:00.000Z", { cost_usd: 0.5 }), rec("b", "r1", "2026-01-01T00:00:02.000Z")]);
    await s.recordRun(summary("r2", "2026-01-02T00:00:00.000Z", ["a"]), [rec("a", "r2", "2026-01-02T00:00:00.000Z", { status: "failure", error: "boom" })]);
    await s.recordRun(summary("r3", "2026-01-03T00:00:00.000Z", ["a"], { branch: "pr_7" }), [rec("a", "r3", "2026-01-03T00:00:00.000Z", { branch: "pr_7" })]);
    await s.setWatermark("a", "2026-01-02 00:00:00");
    await s.putBranch({ name: "pr_7", schema: "branch__pr_7", pr: 7, head_sha: "abc", created_at: "2026-01-03T00:00:00.000Z" });
    await s.putSchemaCache("RAW.Orders", [{ name: "id", type: "INTEGER", nullable: false }]);
    await s.cachePut("syntax", "h1", { query: { kind: "select", n: [1, 2] }, big: 12345678901234 });
    await s.cachePut("analysis", "h1", "other-namespace");
    await s.close();

    const r = await openStateStore(path);
    assert.deepEqual(r.runHistory("a").map((x) => x.run_id), ["r2", "r1"], "production runs, newest first");
    assert.deepEqual(r.runHistory("a", { branch: "pr_7" }).map((x) => x.run_id), ["r3"]);
    assert.deepEqual(r.runHistory("a", { branch: "*" }).map((x) => x.run_id), ["r3", "r2", "r1"]);
    assert.deepEqual(r.runHistory("a", { limit: 1 }).map((x) => x.run_id), ["r2"]);
    assert.equal(r.runHistory("a")[0].error, "boom");
    assert.deepEqual(r.runHistory("b").map((x) => x.model), ["b"]);
    assert.deepEqual(r.runHistory("missing"), []);
    // The store is the review's run-history port as it is (checked by tsc).
    const review: ReviewStateReader = r;
    const recent = await review.recentRuns("a", 5);
    assert.deepEqual(recent[1], { model: "a", runId: "r1", startedAt: "2026-01-01T00:00:00.000Z", status: "success", durationMs: 1500, costUsd: 0.5 });
    assert.equal(r.getRun("r1")?.models.length, 2);
    assert.equal(r.latestRun()?.run_id, "r2");
    assert.equal(r.latestRun({ branch: "pr_7" })?.run_id, "r3");
    assert.equal(r.getWatermark("a")?.value, "2026-01-02 00:00:00");
    assert.deepEqual(r.getBranch("pr_7")?.schema, "branch__pr_7");
    assert.equal(r.listBranches().length, 1);
    assert.deepEqual(r.getSchemaCache("raw.orders")?.columns, [{ name: "id", type: "INTEGER", nullable: false }]);
    assert.deepEqual(r.cacheGet("syntax", "h1"), { query: { kind: "select", n: [1, 2] }, big: 12345678901234 });
    assert.equal(r.cacheGet("analysis", "h1"), "other-namespace");
    assert.equal(await r.cacheClear("syntax"), 1);
    assert.equal(r.cacheGet("syntax", "h1"), undefined);
    assert.equal(r.cacheGet("analysis", "h1"), "other-namespace", "other namespaces survive a clear");
    assert.equal(await r.removeBranch("pr_7"), true);
    assert.equal(await r.removeBranch("pr_7"), false);
    await r.close();
  });

  it("expires schema-cache entries after their TTL", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const s = await openStateStore(fresh(), { now: () => new Date(now) });
    await s.putSchemaCache("raw.t", [{ name: "x", type: "VARCHAR", nullable: true }], 60);
    now += 59_000;
    assert.ok(s.getSchemaCache("raw.t"));
    now += 2_000;
    assert.equal(s.getSchemaCache("raw.t"), undefined);
    assert.equal(await s.clearSchemaCache(), 1);
    await s.close();
  });

  it("recordDelivery: concurrent calls with one id → exactly one true; TTL sweep", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const s = await openStateStore(fresh(), { now: () => new Date(now), deliveryTtlMs: 1000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => s.recordDelivery("d-1")));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await s.recordDelivery("d-2"), true);
    assert.ok(s.hasDelivery("d-1"));
    now += 1500;
    assert.equal(s.hasDelivery("d-1"), false, "expired");
    assert.equal(await s.sweepDeliveries(), 2);
    assert.equal(await s.recordDelivery("d-1"), true, "after expiry the id is new again");
    await s.close();
  });

  it("forgetDelivery: a forgotten id (its work failed) is new again; others are kept", async () => {
    const s = await openStateStore(fresh());
    assert.equal(await s.recordDelivery("d-1"), true);
    assert.equal(await s.recordDelivery("d-2"), true);
    await s.forgetDelivery("d-1");
    assert.equal(await s.recordDelivery("d-1"), true);
    assert.equal(await s.recordDelivery("d-2"), false);
    await s.close();
  });

  it("recordDelivery is atomic across processes sharing the store", async () => {
    const path = fresh();
    (await openStateStore(path)).close();
    const script = `
      const { openStateStore } = await import(${JSON.stringify(fileURLToPath(new URL("../../../engine/src/state/index.ts", import.meta.url)))});
      const s = await openStateStore(process.argv[1]);
      const won = [];
      for (let i = 0; i < 100; i++) if (await s.recordDelivery("id-" + i)) won.push(i);
      await s.close();
      process.stdout.write(JSON.stringify(won));`;
    const runChild = () =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, path], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
      });
    const [a, b] = await Promise.all([runChild(), runChild()]);
    assert.equal(a.length + b.length, 100, "every id won exactly once");
    assert.equal(new Set([...a, ...b]).size, 100);
  });

  it("migrates an older store and keeps its data", async () => {
    const path = fresh();
    const v1 = await openStateStore(path, { migrations: MIGRATIONS.slice(0, 1) });
    assert.equal(v1.schemaVersion, 1);
    // A v1 store had per-model records only.
    await v1.recordRun(summary("old", "2026-01-01T00:00:00.000Z", []), [rec("m", "old", "2026-01-01T00:00:00.000Z", { cost_usd: 1 }), rec("n", "old", "2026-01-01T00:00:01.000Z", { status: "failure", cost_usd: 2 })]);
    await v1.cacheClear("x");
    await v1.close();
    // Simulate the v1 layout: no summaries existed.
    const { open } = await import("lmdb");
    const env = open({ path, maxDbs: 32 });
    env.openDB({ name: "run_summaries" }).clearSync();
    env.openDB({ name: "runs_by_time" }).clearSync();
    await env.close();

    const v2 = await openStateStore(path);
    assert.equal(v2.schemaVersion, 2);
    const s = v2.getRun("old");
    assert.ok(s, "summary rebuilt by migration 2");
    assert.equal(s.status, "partial_failure");
    assert.equal(s.total_cost_usd, 3);
    assert.deepEqual([...s.models].sort(), ["m", "n"]);
    assert.equal(v2.latestRun()?.run_id, "old");
    assert.equal(v2.runHistory("m")[0].run_id, "old");
    await v2.close();
  });

  it("a store from a newer version is a clear error", async () => {
    const path = fresh();
    const s = await openStateStore(path);
    await s.close();
    const { open } = await import("lmdb");
    const env = open({ path, maxDbs: 32 });
    env.openDB({ name: "meta" }).putSync("schema_version", LATEST_SCHEMA_VERSION + 5);
    await env.close();
    await assert.rejects(openStateStore(path), (e: unknown) => e instanceof StateStoreError && e.code === "newer_version" && /newer rocky-review/.test(e.message));
  });

  it("a corrupt path is a clear error, not a crash", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a store");
    await assert.rejects(openStateStore(file), (e: unknown) => e instanceof StateStoreError && e.code === "corrupt" && /is a file/.test(e.message));
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, "data.mdb"), Buffer.alloc(16384, 7));
    await assert.rejects(openStateStore(dir), (e: unknown) => e instanceof StateStoreError && e.code === "corrupt" && /not an lmdb file/.test(e.message));
  });

  it("a reader opens read-only; missing and older stores are clear errors", async () => {
    await assert.rejects(openStateReader(fresh()), (e: unknown) => e instanceof StateStoreError && e.code === "missing");
    const path = fresh();
    const s = await openStateStore(path);
    await s.recordRun(summary("r1", "2026-01-01T00:00:00.000Z", ["a"]), [rec("a", "r1", "2026-01-01T00:00:00.000Z")]);
    await s.close();
    const r = await openStateReader(path);
    assert.equal(r.runHistory("a").length, 1);
    await r.close();
    const old = fresh();
    await (await openStateStore(old, { migrations: MIGRATIONS.slice(0, 1) })).close();
    await assert.rejects(openStateReader(old), (e: unknown) => e instanceof StateStoreError && e.code === "needs_migration");
  });
});
