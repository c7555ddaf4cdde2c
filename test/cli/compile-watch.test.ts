import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { diagnosticKey } from "../../cli/src/commands/compile-watch.js";
import { main } from "../../cli/src/main.js";
import { compileProject } from "../../engine/src/compile/compile-project.js";
import type { Diagnostic } from "../../engine/src/diagnostics/diagnostic.js";
import { readProjectDir } from "../../engine/src/project/read-project-dir.js";
// @ts-expect-error: a plain ESM script without types (the benchmark's project generator)
import { generateProject, writeProject } from "../../bench/generate-project.mjs";
import { rocky, SHOP, saveLikeAnEditor, scratchCopy } from "./support/cli-harness.js";

/**
 * `rocky compile --watch`, in-process: each save is one JSON line saying what the save introduced
 * and what it fixed. After every round, the findings so far (the first line's, plus what each round
 * introduced, minus what it fixed) must be exactly those of a compile without cache of the same
 * files: the incremental compile and the diff of findings are both held to the full compile.
 */

interface WatchEvent {
  readonly version: string;
  readonly command: string;
  readonly watch: { trigger: "start" | "change"; mode: "from-last-run" | "incremental" | "full"; changed_files: string[]; reason?: string };
  readonly models: number;
  readonly has_errors: boolean;
  readonly counts: { errors: number; warnings: number; infos: number };
  readonly new_diagnostics: Diagnostic[];
  readonly fixed_diagnostics: Diagnostic[];
}

const WAIT_MS = 30_000;

function startWatch(dir: string, args: readonly string[] = []) {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const events: WatchEvent[] = [];
  const waiting: ((e: WatchEvent) => void)[] = [];
  let pendingText = "";
  let stderr = "";
  const done = main(["compile", "--watch", "--output", "json", ...args], {
    stdout: (text) => {
      pendingText += text;
      for (let nl = pendingText.indexOf("\n"); nl >= 0; nl = pendingText.indexOf("\n")) {
        const event = JSON.parse(pendingText.slice(0, nl)) as WatchEvent;
        pendingText = pendingText.slice(nl + 1);
        const w = waiting.shift();
        if (w !== undefined) w(event);
        else events.push(event);
      }
    },
    stderr: (text) => {
      stderr += text;
    },
    interrupted: () => stopped,
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    isTty: false,
  });
  const next = (what: string): Promise<WatchEvent> => {
    const queued = events.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no watch event after ${what} within ${WAIT_MS} ms; stderr: ${stderr}`)), WAIT_MS);
      waiting.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  };
  return {
    next,
    stderr: () => stderr,
    stop: async () => {
      stop();
      return done;
    },
  };
}

/**
 * The findings of a compile without cache of the directory as it is now: the engine's, not a second
 * in-process `main` (a command's end closes every cache opened through the CLI in this process,
 * the running watch's too; one process runs one command).
 */
async function coldFindings(dir: string): Promise<Set<string>> {
  const compiled = await compileProject(readProjectDir(dir), { env: {}, vars: {} });
  return new Set(compiled.diagnostics.map(diagnosticKey));
}

describe("rocky compile --watch", { timeout: 180_000 }, () => {
  let project: ReturnType<typeof scratchCopy>;
  let watch: ReturnType<typeof startWatch>;
  /** The findings as the watch has told them so far. */
  const told = new Set<string>();
  const file = (p: string) => join(project.dir, p);
  const original = (p: string) => readFileSync(join(SHOP, p), "utf8");
  /** Save as an editor does (one event; the last test saves in place instead). */
  const save = (p: string, text: string) => saveLikeAnEditor(file(p), text);

  const apply = (e: WatchEvent) => {
    for (const d of e.fixed_diagnostics) assert.ok(told.delete(diagnosticKey(d)), `fixed but never told: ${diagnosticKey(d)}`);
    for (const d of e.new_diagnostics) told.add(diagnosticKey(d));
  };
  const agreesWithCold = async () => assert.deepEqual([...told].sort(), [...(await coldFindings(project.dir))].sort());

  before(() => {
    project = scratchCopy(SHOP);
    rmSync(join(project.dir, ".rocky-state"), { recursive: true, force: true });
  });
  after(async () => {
    await watch?.stop();
    project.cleanup();
  });

  it("starts with a full compile and every finding of the project", async () => {
    watch = startWatch(project.dir);
    const e = await watch.next("start");
    assert.equal(e.command, "compile");
    assert.deepEqual([e.watch.trigger, e.watch.mode, e.models, e.has_errors], ["start", "full", 7, false]);
    apply(e);
    await agreesWithCold();
  });

  it("a column that does not exist: an incremental round with the error on its line", async () => {
    save("models/fct_orders.sql", original("models/fct_orders.sql").replace("    paid_amount,\n", "    paid_amount,\n    refunded_amount,\n"));
    const e = await watch.next("adding a missing column");
    assert.deepEqual([e.watch.trigger, e.watch.mode, e.watch.changed_files], ["change", "incremental", ["models/fct_orders.sql"]]);
    assert.equal(e.has_errors, true);
    const error = e.new_diagnostics.find((d) => d.severity === "Error");
    assert.ok(error, JSON.stringify(e.new_diagnostics));
    assert.equal(error.model, "fct_orders");
    assert.deepEqual([error.span?.file, error.span?.line], ["models/fct_orders.sql", 9]);
    assert.match(error.message, /refunded_amount/);
    apply(e);
    await agreesWithCold();
  });

  it("putting it back fixes it", async () => {
    save("models/fct_orders.sql", original("models/fct_orders.sql"));
    const e = await watch.next("reverting");
    assert.equal(e.has_errors, false);
    assert.ok(e.fixed_diagnostics.some((d) => d.severity === "Error" && /refunded_amount/.test(d.message)));
    assert.deepEqual(e.new_diagnostics.filter((d) => d.severity === "Error"), []);
    apply(e);
    await agreesWithCold();
  });

  it("a type changed upstream breaks the contract of the model that reads it", async () => {
    save("models/int_order_payments.sql", original("models/int_order_payments.sql").replace("    o.amount,\n", "    CAST(o.amount AS DOUBLE) AS amount,\n"));
    const e = await watch.next("changing an upstream type");
    assert.deepEqual([e.watch.mode, e.watch.changed_files], ["incremental", ["models/int_order_payments.sql"]]);
    const broken = e.new_diagnostics.filter((d) => d.model === "fct_orders");
    assert.ok(broken.some((d) => /^E01[0-3]$/.test(d.code)), JSON.stringify(e.new_diagnostics));
    apply(e);
    await agreesWithCold();
    save("models/int_order_payments.sql", original("models/int_order_payments.sql"));
    const back = await watch.next("reverting the upstream type");
    assert.ok(back.fixed_diagnostics.some((d) => d.model === "fct_orders" && /^E01[0-3]$/.test(d.code)));
    apply(back);
    await agreesWithCold();
  });

  it("files that are not the project's are ignored; a new model compiles in full, and so does its removal", async () => {
    writeFileSync(file("models/notes.txt"), "not a model\n");
    save("models/orders_by_status.sql", "SELECT status, COUNT(*) AS orders FROM stg_orders GROUP BY status\n");
    const e = await watch.next("adding a model");
    assert.deepEqual(e.watch.changed_files, ["models/orders_by_status.sql"]);
    assert.equal(e.watch.mode, "full");
    assert.match(e.watch.reason ?? "", /orders_by_status\.sql was added or removed/);
    assert.equal(e.models, 8);
    apply(e);
    await agreesWithCold();
    unlinkSync(file("models/orders_by_status.sql"));
    const gone = await watch.next("removing the model");
    assert.deepEqual([gone.watch.mode, gone.models], ["full", 7]);
    apply(gone);
    await agreesWithCold();
  });

  it("a broken rocky.toml is a finding naming the file and line, and the watch goes on", async () => {
    const toml = original("rocky.toml");
    save("rocky.toml", toml.replace('schedule = "daily"', 'schedule = "daily"\nschedul = "hourly"'));
    const e = await watch.next("breaking rocky.toml");
    assert.equal(e.watch.mode, "full");
    const finding = e.new_diagnostics.find((d) => d.span?.file === "rocky.toml");
    assert.ok(finding, JSON.stringify(e.new_diagnostics));
    assert.equal(finding.span?.line, toml.split("\n").findIndex((l) => l === 'schedule = "daily"') + 2);
    assert.match(finding.message, /schedul/);
    apply(e);
    await agreesWithCold();
    save("rocky.toml", toml);
    const fixed = await watch.next("fixing rocky.toml");
    assert.ok(fixed.fixed_diagnostics.some((d) => d.span?.file === "rocky.toml"));
    apply(fixed);
    await agreesWithCold();
  });

  it("an in-place save (a truncate, then a write) ends in the same findings, however its events fall", async () => {
    writeFileSync(file("models/fct_orders.sql"), original("models/fct_orders.sql").replace("FROM int_order_payments", "FROM int_order_payment"));
    for (;;) {
      const e = await watch.next("an in-place save");
      apply(e);
      if (e.new_diagnostics.some((d) => /int_order_payment\b/.test(d.message) && d.span?.file === "models/fct_orders.sql")) break;
    }
    await agreesWithCold();
    writeFileSync(file("models/fct_orders.sql"), original("models/fct_orders.sql"));
    for (;;) {
      const e = await watch.next("an in-place save back");
      apply(e);
      if (!e.has_errors) break;
    }
    await agreesWithCold();
  });

  it("stops on interrupt with exit 0, and the next plain compile starts from the snapshot the watch kept", async () => {
    save("models/dim_customers.sql", `${original("models/dim_customers.sql")}\n-- last edit before stopping\n`);
    apply(await watch.next("a last edit"));
    assert.equal(await watch.stop(), 0);
    assert.equal(watch.stderr(), "");
    const warm = await rocky(["compile", "--output", "json"], { cwd: project.dir, env: { ROCKY_DEBUG_CACHE: "1" } });
    assert.doesNotMatch(warm.stderr, /compiling in full/);
    const cold = await rocky(["compile", "--no-cache", "--output", "json"], { cwd: project.dir });
    const body = (t: string) => t.replace(/"compile_timings": \{[^}]*\}/, "");
    assert.equal(body(warm.stdout), body(cold.stdout));
    // And a second watch starts from that snapshot.
    watch = startWatch(project.dir);
    const again = await watch.next("restart");
    assert.equal(again.watch.mode, "from-last-run");
    assert.equal(await watch.stop(), 0);
  });

  it("without a shell that can be interrupted, --watch is a usage error", async () => {
    const run = await rocky(["compile", "--watch"], { cwd: project.dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--watch needs a shell that can be interrupted/);
  });
});

describe("rocky compile --watch on a generated project: a run of edits that reach downstream", { timeout: 300_000 }, () => {
  let dir: string;
  let watch: ReturnType<typeof startWatch>;
  const told = new Set<string>();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "rocky-watch-gen-"));
    writeProject(dir, generateProject(150));
  });
  after(async () => {
    await watch?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("after every save, the findings told so far are exactly a compile without cache's", async () => {
    watch = startWatch(dir);
    const first = await watch.next("start");
    for (const d of first.new_diagnostics) told.add(diagnosticKey(d));
    const path = (n: number) => join(dir, "models", `stg_${String(n).padStart(5, "0")}.sql`);
    const originals = new Map<number, string>();
    // Each edit: which staging model, and what to do to it (by index into the edits below).
    const edits: [number, (sql: string) => string][] = [
      [27, (sql) => sql.replace("    id,\n", "    id AS key_id,\n")], // a rename: int_00000 still joins on a.id
      [20, (sql) => sql.replace("    id,\n", "    CAST(id AS VARCHAR) AS id,\n")], // a join key's type changed under its readers
      [27, (sql) => sql], // back
      [11, (sql) => sql.replace("SELECT\n", "SELEC\n")], // a syntax error
      [20, (sql) => sql], // back
      [11, (sql) => sql], // back
      [3, (sql) => sql.replace("    amount,\n", "    CAST(amount AS VARCHAR) AS amount,\n")], // a type its readers aggregate
      [3, (sql) => sql], // back
    ];
    let rounds = 0;
    const downstream = new Set<string>();
    for (const [n, edit] of edits) {
      if (!originals.has(n)) originals.set(n, readFileSync(path(n), "utf8"));
      const text = edit(originals.get(n)!);
      const tmp = `${path(n)}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, path(n));
      const e = await watch.next(`editing stg_${n}`);
      assert.deepEqual(e.watch.changed_files, [`models/stg_${String(n).padStart(5, "0")}.sql`]);
      for (const d of e.fixed_diagnostics) assert.ok(told.delete(diagnosticKey(d)), `fixed but never told: ${diagnosticKey(d)}`);
      for (const d of e.new_diagnostics) told.add(diagnosticKey(d));
      for (const d of e.new_diagnostics) if (d.model !== undefined && !d.model.startsWith("stg_")) downstream.add(d.model);
      assert.deepEqual([...told].sort(), [...(await coldFindings(dir))].sort(), `after editing stg_${n} (${e.watch.mode})`);
      rounds++;
    }
    assert.equal(rounds, edits.length);
    // The run reached downstream: the rename and the join key's type were findings in models the edits did not touch.
    assert.ok(downstream.has("int_00000"), [...downstream].join(", "));
    assert.equal(await watch.stop(), 0);
  });
});
