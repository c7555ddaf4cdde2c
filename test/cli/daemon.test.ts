import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createMemoryCompileCache } from "../../engine/src/compile/compile-cache.js";
import { idleText } from "../../cli/src/commands/daemon.js";
import { LiveProject } from "../../cli/src/commands/live-project.js";
import { askDaemon, findDaemon, throughDaemon as throughSocket } from "../../cli/src/daemon/client.js";
import { type DaemonStatus, FrameReader, frame, socketPath } from "../../cli/src/daemon/protocol.js";
import { type Daemon, serveDaemon } from "../../cli/src/daemon/server.js";
import { rocky, SHOP, saveLikeAnEditor, scratchCopy } from "./support/cli-harness.js";

/**
 * The daemon in-process: a real server on a Unix socket and the real client `rocky` runs first.
 * What it answers must be what the command prints run on its own, from the files as they are when
 * the command starts: a save right before the command is always seen (the cookie sync).
 */

const BUILD = "test-build";

/** What cli/bin/rocky.cjs does: find the daemon's socket, then run the command through it (undefined: run it here). */
async function throughDaemon(argv: readonly string[], build: string, streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, env: Record<string, string | undefined>, cwd: string, isTty: boolean): Promise<number | undefined> {
  const socket = findDaemon(argv, env, cwd);
  return socket === undefined ? undefined : throughSocket(socket, argv, build, streams, env, cwd, isTty);
}

/** A stream that keeps what is written to it. */
function sink() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Without its timings (which differ run to run). */
const body = (text: string) => text.replace(/"compile_timings": \{[^}]*\}/, '"compile_timings": {}');

describe("rocky daemon", { timeout: 180_000 }, () => {
  let project: ReturnType<typeof scratchCopy>;
  let runtime: string;
  let env: Record<string, string | undefined>;
  let daemon: Daemon;
  const logged: string[] = [];
  const file = (p: string) => join(project.dir, p);
  const original = (p: string) => readFileSync(join(SHOP, p), "utf8");
  const save = (p: string, text: string) => saveLikeAnEditor(file(p), text);
  /** The command through the daemon: undefined when the client would run it itself. */
  const viaDaemon = async (argv: readonly string[], extraEnv: Record<string, string> = {}, build = BUILD) => {
    const out = sink();
    const err = sink();
    const code = await throughDaemon(argv, build, { stdout: out.stream, stderr: err.stream }, { ...env, ...extraEnv }, project.dir, false);
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const alone = (argv: readonly string[], extraEnv: Record<string, string> = {}) => rocky(argv, { cwd: project.dir, env: { ...env, ...extraEnv } });

  before(async () => {
    project = scratchCopy(SHOP);
    rmSync(join(project.dir, ".rocky-state"), { recursive: true, force: true });
    // A variable the TOML reads: the daemon must answer with the caller's value, not the first caller's.
    save("models/_defaults.toml", original("models/_defaults.toml").replace('catalog = "analytics"', 'catalog = "${ROCKY_TEST_CATALOG:-analytics}"'));
    runtime = mkdtempSync(join(tmpdir(), "rocky-daemon-test-"));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_RUNTIME_DIR: runtime };
    daemon = await serveDaemon({ root: project.dir, socket: socketPath(project.dir, env), build: BUILD, idleMinutes: 0, log: (t) => logged.push(t) });
  });
  after(async () => {
    await daemon?.close();
    project?.cleanup();
    rmSync(runtime, { recursive: true, force: true });
  });

  it("answers compile and lineage exactly as the command run on its own", async () => {
    for (const argv of [["compile", "--output", "json"], ["compile"], ["lineage", "fct_orders", "--output", "json"], ["lineage", "fct_orders.customer_id", "--upstream"]]) {
      const served = await viaDaemon(argv);
      const own = await alone(argv);
      assert.equal(served.code, own.code, `${argv.join(" ")}: ${served.stderr}`);
      // The text footer names the time taken, and the daemon: compare the rest.
      if (argv.join(" ") === "compile") assert.match(served.stdout, /\(\d+ ms, answered by the rocky daemon\)\n$/);
      const strip = (t: string) => body(t).replace(/ \(\d+ ms(, answered by the rocky daemon)?\)\n$/, "\n");
      assert.equal(strip(served.stdout), strip(own.stdout), argv.join(" "));
    }
    const status = await askDaemon<DaemonStatus>(socketPath(project.dir, env), { op: "status" });
    assert.equal(status?.requests, 4);
    assert.deepEqual(status?.live.map((p) => p.models), [7]);
  });

  it("a save right before the command is always in its answer", async () => {
    const sql = original("models/fct_orders.sql");
    assert.ok(sql.includes("    paid_amount,\n"));
    for (let i = 0; i < 12; i++) {
      save("models/fct_orders.sql", sql.replace("    paid_amount,\n", `    paid_amount AS paid_${i},\n`));
      const served = await viaDaemon(["lineage", "fct_orders", "--output", "json"]);
      assert.equal(served.code, 0, served.stderr);
      assert.ok(served.stdout.includes(`"paid_${i}"`), `save ${i} not seen`);
      if (i > 0) assert.ok(!served.stdout.includes(`"paid_${i - 1}"`), `save ${i - 1} still seen`);
    }
    save("models/fct_orders.sql", sql);
  });

  it("an error introduced by a save: exit 1 with the finding on its line, then fixed", async () => {
    const sql = original("models/fct_orders.sql");
    save("models/fct_orders.sql", sql.replace("    paid_amount,\n", "    paid_amount,\n    refunded_amount,\n"));
    const broken = await viaDaemon(["compile"]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /error\[R008\]: column 'refunded_amount' not found[^\n]*\n --> models\/fct_orders\.sql:\d+:5/);
    save("models/fct_orders.sql", sql);
    const fixed = await viaDaemon(["compile"]);
    assert.equal(fixed.code, 0, fixed.stdout);
  });

  it("answers with the caller's environment where the TOML reads it", async () => {
    const catalogOf = (text: string) => (JSON.parse(text) as { models_detail: { name: string; target: { catalog: string } }[] }).models_detail.find((m) => m.name === "fct_orders")?.target.catalog;
    assert.equal(catalogOf((await viaDaemon(["compile", "--output", "json"])).stdout), "analytics");
    assert.equal(catalogOf((await viaDaemon(["compile", "--output", "json"], { ROCKY_TEST_CATALOG: "prod" })).stdout), "prod");
    assert.equal(catalogOf((await alone(["compile", "--output", "json"], { ROCKY_TEST_CATALOG: "prod" })).stdout), "prod");
  });

  it("a reader that stops early (| head): exit 0 quietly, and the daemon goes on answering", async () => {
    const closed = new Writable({ write: (_chunk, _encoding, callback) => callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })) });
    const code = await throughDaemon(["compile", "--output", "json"], BUILD, { stdout: closed, stderr: sink().stream }, env, project.dir, false);
    assert.equal(code, 0);
    const next = await viaDaemon(["compile", "--output", "json"]);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(JSON.parse(next.stdout).models, 7);
  });

  it("does not take what it cannot serve: a watch, no cache, help, other verbs", async () => {
    for (const argv of [["compile", "--watch"], ["compile", "--no-cache"], ["compile", "--help"], ["validate"], ["review", "--base", "main"]]) {
      const out = sink();
      const code = await throughDaemon(argv, BUILD, { stdout: out.stream, stderr: out.stream }, env, project.dir, false);
      assert.equal(code, undefined, argv.join(" "));
    }
    assert.equal(await throughDaemon(["compile"], BUILD, { stdout: sink().stream, stderr: sink().stream }, { ...env, ROCKY_DAEMON: "0" }, project.dir, false), undefined);
  });

  it("a project without a daemon, or a socket nobody listens on: the command runs itself", async () => {
    const elsewhere = scratchCopy(SHOP);
    try {
      assert.equal(await throughDaemon(["compile"], BUILD, { stdout: sink().stream, stderr: sink().stream }, env, elsewhere.dir, false), undefined);
      // A daemon that was killed leaves its socket: connecting fails, and the client runs the command.
      const path = socketPath(elsewhere.dir, env);
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path, resolve));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      writeFileSync(path, "");
      assert.equal(await throughDaemon(["compile"], BUILD, { stdout: sink().stream, stderr: sink().stream }, env, elsewhere.dir, false), undefined);
      assert.equal(await askDaemon(path, { op: "status" }), undefined);
    } finally {
      elsewhere.cleanup();
    }
  });

  it("a client of another build is declined and the daemon stops (an upgraded rocky never talks to an old compiler)", async () => {
    const served = await viaDaemon(["compile"], {}, "another-build");
    assert.equal(served.code, undefined);
    assert.equal(served.stdout, "");
    await daemon.closed;
    assert.equal(await askDaemon(socketPath(project.dir, env), { op: "status" }), undefined);
    assert.ok(logged.some((l) => l.includes("another build")), logged.join(""));
  });
});

describe("rocky daemon's own limits", { timeout: 60_000 }, () => {
  it("stops by itself after its idle time, and declines what is not a request", async () => {
    const project = scratchCopy(SHOP);
    const runtime = mkdtempSync(join(tmpdir(), "rocky-daemon-idle-"));
    const env = { XDG_RUNTIME_DIR: runtime };
    const socket = socketPath(project.dir, env);
    const logged: string[] = [];
    // 0.005 minutes: 300 ms without a request.
    const daemon = await serveDaemon({ root: project.dir, socket, build: BUILD, idleMinutes: 0.005, log: (t) => logged.push(t) });
    try {
      const declined = await new Promise<string>((resolve) => {
        const conn = connect(socket);
        const got: Buffer[] = [];
        conn.on("data", (c: Buffer) => got.push(c));
        conn.on("close", () => resolve(Buffer.concat(got).subarray(5).toString("utf8")));
        conn.on("connect", () => conn.write("{not json\n"));
      });
      assert.match(declined, /not a request/);
      const t0 = performance.now();
      await daemon.closed;
      assert.ok(performance.now() - t0 < 5000);
      assert.ok(logged.some((l) => l.includes("no request for")), logged.join(""));
      assert.equal(await askDaemon(socket, { op: "status" }), undefined);
    } finally {
      await daemon.close();
      project.cleanup();
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});

describe("LiveProject.sync without its cookie directory", { timeout: 60_000 }, () => {
  it("stats every file instead, and still sees a save made just before", async () => {
    const project = scratchCopy(SHOP);
    const cache = createMemoryCompileCache();
    const live = new LiveProject({ root: project.dir, layout: {}, options: { env: {}, vars: {}, cache } });
    try {
      await live.start();
      const path = join(project.dir, "models/fct_orders.sql");
      writeFileSync(path, readFileSync(path, "utf8").replace("    paid_amount,\n", "    paid_amount AS paid_now,\n"));
      const state = await live.sync();
      const columns = state.compiled.models.get("fct_orders")?.columns.map((c) => c.name);
      assert.ok(columns?.includes("paid_now"), String(columns));
    } finally {
      await live.close();
      project.cleanup();
    }
  });
});

describe("rocky daemon start's message", () => {
  it("says when the daemon stops by itself: never for --idle-minutes 0 (it read \"after never\"), one minute in the singular", () => {
    assert.equal(idleText(60), "it stops by itself after 60 idle minutes");
    assert.equal(idleText(1), "it stops by itself after 1 idle minute");
    assert.equal(idleText(0), "it never stops by itself");
  });
});

describe("FrameReader", () => {
  it("gives back every frame, whole and in order, however the stream is cut", () => {
    const payloads = [Buffer.alloc(0), Buffer.from("a"), Buffer.alloc(300_000, 7), Buffer.from("é…"), Buffer.alloc(0), Buffer.alloc(70_000, 1)];
    const stream = Buffer.concat(payloads.map((p, i) => frame(i + 1, p)));
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const maxCut of [1, 3, 5, 7, 4096, 65536, stream.byteLength]) {
      const got: [number, Buffer][] = [];
      const reader = new FrameReader((kind, payload) => got.push([kind, Buffer.from(payload)]));
      for (let at = 0; at < stream.byteLength; ) {
        const n = 1 + Math.floor(random() * maxCut);
        reader.push(stream.subarray(at, at + n));
        at += n;
      }
      assert.deepEqual(
        got.map(([k, p]) => [k, p.byteLength, p.equals(payloads[k - 1])]),
        payloads.map((p, i) => [i + 1, p.byteLength, true]),
        `cut at most ${maxCut}`,
      );
    }
  });
});
