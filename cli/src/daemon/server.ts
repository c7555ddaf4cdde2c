import { chmodSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { LmdbCompileCache } from "../../../engine/src/compile/lmdb-compile-cache.js";
import { NO_TIMINGS, snapshotMatchesEnv } from "../../../engine/src/compile/snapshot.js";
import { lazyProjectFiles } from "../../../engine/src/project/lazy-project-files.js";
import { readProjectFile } from "../../../engine/src/project/read-project-dir.js";
import type { CompileSetup } from "../commands/compile-dir.js";
import { LiveProject } from "../commands/live-project.js";
import { snapshotKey, withTimings } from "../commands/warm-compile.js";
import type { CliIo, LiveCompiles } from "../io.js";
import { main } from "../main.js";
import { stateDir } from "../state-dir.js";
import { askDaemon } from "./client.js";
import { DAEMON_VERBS, type DaemonRequest, type DaemonStatus, FRAME, frame, MAX_FRAME } from "./protocol.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

/**
 * The daemon behind `rocky daemon start`: one process per project that keeps it compiled in memory
 * (live-project.ts: a file watcher and incremental rounds) and runs `rocky compile` and `rocky
 * lineage` for the `rocky` commands that connect to its socket (client.ts), streaming their output
 * back. What it answers is what the command would print run on its own, from the files as they are
 * when the request arrives (LiveProject.sync). Requests run one at a time, in the client's cwd and
 * environment; a request of another build is declined, and the daemon then exits, so an upgraded
 * `rocky` never talks to an old compiler.
 */

/** Projects held per daemon: one per set of compile options (`--models`, `--var`, `--target-dialect`...). */
const MAX_LIVE = 4;
/** A second without a round: the snapshot goes to the cache, for a `rocky` run without the daemon. */
const PERSIST_AFTER_MS = 1000;
/** Output queued for a client before a command waits for it to read (CliIo.drain). */
const IN_FLIGHT_BYTES = 4 * 1024 * 1024;

export interface DaemonOptions {
  readonly root: string;
  readonly socket: string;
  /** This build (the bundle's size and mtime), as clients send theirs. */
  readonly build: string;
  /** Exit after this long without a request (0: never). */
  readonly idleMinutes: number;
  readonly log: (text: string) => void;
}

export interface Daemon {
  readonly live: LiveCompiles & { status(): DaemonStatus["live"]; drop(): Promise<void> };
  /** Resolves once the daemon has stopped (a stop request, idle, another build, or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

class LiveRegistry implements LiveCompiles {
  private readonly caches = new Map<string, Promise<LmdbCompileCache>>();
  /** In least-recently-used order. */
  private readonly projects = new Map<string, { live: LiveProject; rounds: number }>();

  constructor(
    private readonly root: string,
    private readonly log: (text: string) => void,
  ) {}

  cache(dir: string): Promise<LmdbCompileCache | undefined> {
    let opened = this.caches.get(dir);
    if (opened === undefined) {
      opened = import("../../../engine/src/compile/lmdb-compile-cache.js").then((m) => m.openLmdbCompileCache(dir));
      // A cache that failed to open is tried again by the next request.
      opened.catch(() => this.caches.delete(dir));
      this.caches.set(dir, opened);
    }
    return opened;
  }

  /** One at a time: the priming compile and a request that arrives while it runs share one project, never start two. */
  private turn: Promise<unknown> = Promise.resolve();

  compile(setup: CompileSetup & { readonly cache: LmdbCompileCache }, log?: (text: string) => void) {
    const next = this.turn.then(() => this.compileNow(setup, log));
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async compileNow(setup: CompileSetup & { readonly cache: LmdbCompileCache }, log?: (text: string) => void) {
    if (setup.root !== this.root) return undefined;
    const t0 = performance.now();
    const key = snapshotKey(setup.root, setup.options);
    let held = this.projects.get(key);
    // The project's TOML reads an environment variable this caller sets otherwise: start over with the caller's.
    if (held !== undefined && !snapshotMatchesEnv(held.live.state.snapshot, setup.options.env)) {
      this.log(`a request's environment differs in a variable rocky.toml reads: compiling again\n`);
      await held.live.close();
      this.projects.delete(key);
      held = undefined;
    }
    let state: LiveProject["state"];
    if (held === undefined) {
      const entry = { live: undefined as unknown as LiveProject, rounds: 0 };
      entry.live = new LiveProject({
        root: setup.root,
        layout: setup.layout,
        options: { ...setup.options, cache: setup.cache },
        cookieDir: join(stateDir(setup.root), "daemon"),
        persistAfterMs: PERSIST_AFTER_MS,
        log: (t) => (log ?? this.log)(t),
        onRound: (_previous, _state, round) => {
          entry.rounds++;
          this.log(`${round.changed.length === 0 ? "the project" : round.changed.join(", ")}: ${round.mode}${round.reason !== undefined ? ` (${round.reason})` : ""} in ${round.ms.toFixed(0)} ms\n`);
        },
        onError: (changed, error) => this.log(`the compile after ${changed.join(", ") || "a change"} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
      });
      state = (await entry.live.start()).state;
      held = entry;
      this.projects.set(key, entry);
      for (const [k, old] of this.projects) {
        if (this.projects.size <= MAX_LIVE) break;
        this.projects.delete(k);
        await old.live.close();
      }
    } else {
      this.projects.delete(key);
      this.projects.set(key, held);
      state = await held.live.sync();
    }
    const analysed = held.live.takeAnalysed();
    const compiled = withTimings(state.compiled, { ...NO_TIMINGS, cache_hits: state.snapshot.models.length - analysed, analysed, total_ms: Math.round((performance.now() - t0) * 100) / 100 });
    return { files: this.filesOf(setup.root, state), compiled };
  }

  /** The project's files, read when a finding's source is shown: one map per state. */
  private readonly files = new WeakMap<LiveProject["state"], ProjectFiles>();
  private filesOf(root: string, state: LiveProject["state"]): ProjectFiles {
    let files = this.files.get(state);
    if (files === undefined) {
      files = lazyProjectFiles(state.paths, (p) => readProjectFile(`${root}/${p}`));
      this.files.set(state, files);
    }
    return files;
  }

  status(): DaemonStatus["live"] {
    return [...this.projects.values()].map((p) => ({ models: p.live.state.snapshot.models.length, rounds: p.rounds }));
  }

  /** Forget the projects held (their caches stay open). */
  async drop(): Promise<void> {
    for (const p of this.projects.values()) await p.live.close();
    this.projects.clear();
  }

  async close(): Promise<void> {
    await this.drop();
    for (const opened of this.caches.values()) {
      const cache = await opened.catch(() => undefined);
      await cache?.flush();
      await cache?.close();
    }
    this.caches.clear();
  }
}

/**
 * Listen on `o.socket`, in a directory only this user may enter. A socket left by a daemon that was
 * killed is replaced; one that answers means a daemon already serves the project (an error).
 */
export async function serveDaemon(o: DaemonOptions): Promise<Daemon> {
  await claimSocket(o.socket);
  const live = new LiveRegistry(o.root, o.log);
  const startedAt = new Date().toISOString();
  let requests = 0;
  let queue: Promise<void> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const sockets = new Set<Socket>();

  const resetIdle = () => {
    if (idle !== undefined) clearTimeout(idle);
    if (o.idleMinutes > 0) {
      idle = setTimeout(() => {
        o.log(`no request for ${o.idleMinutes} minutes: stopping\n`);
        void close();
      }, o.idleMinutes * 60_000);
      idle.unref();
    }
  };

  const close = (): Promise<void> => {
    stopping ??= (async () => {
      if (idle !== undefined) clearTimeout(idle);
      // Stop taking connections; the requests taken finish (new ones are declined), then the rest are dropped.
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      try {
        unlinkSync(o.socket);
      } catch {
        // Gone already.
      }
      await queue;
      for (const s of sockets) s.destroy();
      await serverClosed;
      await live.close();
      markClosed();
    })();
    return stopping;
  };

  const status = (): DaemonStatus => ({ pid: process.pid, root: o.root, build: o.build, started_at: startedAt, requests, live: live.status(), idle_minutes: o.idleMinutes });

  const answer = async (conn: Socket, request: DaemonRequest & { op: "run" }) => {
    const send = (kind: number, payload: Uint8Array) => {
      for (let at = 0; !conn.destroyed && (at < payload.byteLength || at === 0); at += MAX_FRAME) conn.write(frame(kind, payload.subarray(at, at + MAX_FRAME)));
    };
    // The client gave up (Ctrl-C) while earlier requests ran: nothing to answer.
    if (conn.destroyed) return;
    const t0 = performance.now();
    const io: CliIo = {
      stdout: (text) => send(FRAME.STDOUT, Buffer.from(text, "utf8")),
      // frame() copies: the caller may reuse the bytes as soon as this resolves.
      stdoutBytes: async (bytes) => send(FRAME.STDOUT, bytes),
      stderr: (text) => send(FRAME.STDERR, Buffer.from(text, "utf8")),
      // A few megabytes may wait in the socket: the command goes on serialising while the client reads.
      drain: () =>
        conn.writableLength > IN_FLIGHT_BYTES && !conn.destroyed
          ? new Promise((resolve) => {
              const done = () => {
                conn.off("drain", done).off("close", done);
                resolve();
              };
              conn.once("drain", done).once("close", done);
            })
          : Promise.resolve(),
      cwd: request.cwd,
      env: request.env,
      isTty: request.isTty,
      live,
    };
    let code: number;
    try {
      code = await main(request.argv, io);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      io.stderr(`rocky: internal error (a bug, please report it): ${text}\n`);
      // What it held may be what failed: the next request starts from the files and the cache again.
      o.log(`${request.argv.join(" ")} failed, dropping the projects in memory: ${text}\n`);
      await live.drop();
      code = 70;
    }
    requests++;
    o.log(`${request.argv.join(" ")}: exit ${code} in ${(performance.now() - t0).toFixed(1)} ms\n`);
    send(FRAME.EXIT, Buffer.from(String(code), "latin1"));
    conn.end();
  };

  const onRequest = (conn: Socket, request: DaemonRequest) => {
    resetIdle();
    if (request.op === "status") {
      conn.end(frame(FRAME.REPLY, Buffer.from(JSON.stringify(status()))));
      return;
    }
    if (request.op === "stop") {
      o.log("asked to stop\n");
      conn.end(frame(FRAME.REPLY, Buffer.from(JSON.stringify({ stopping: true }))));
      void close();
      return;
    }
    if (request.build !== o.build) {
      o.log(`a request from another build of rocky (${request.build}, this is ${o.build}): stopping\n`);
      conn.end(frame(FRAME.DECLINE, Buffer.from("the daemon is another build of rocky")));
      void close();
      return;
    }
    const verb = request.argv[0] ?? "";
    if (!DAEMON_VERBS.has(verb) || request.argv.includes("--watch") || stopping !== undefined) {
      conn.end(frame(FRAME.DECLINE, Buffer.from(`the daemon does not run \`rocky ${verb}\``)));
      return;
    }
    conn.write(frame(FRAME.ACCEPTED, new Uint8Array(0)));
    queue = queue.then(() => answer(conn, request));
  };

  const server: Server = createServer((conn) => {
    sockets.add(conn);
    conn.on("close", () => sockets.delete(conn));
    conn.on("error", () => conn.destroy());
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const nl = text.indexOf("\n");
      if (nl < 0) {
        // A request is a few kilobytes (the environment): anything far larger is not ours.
        if (text.length > 4 * 1024 * 1024) conn.destroy();
        return;
      }
      conn.off("data", onData);
      let request: DaemonRequest;
      try {
        request = JSON.parse(text.slice(0, nl)) as DaemonRequest;
        if (!isRequest(request)) throw new Error("not a request");
      } catch {
        conn.end(frame(FRAME.DECLINE, Buffer.from("not a request the daemon understands")));
        return;
      }
      onRequest(conn, request);
    };
    conn.on("data", onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.socket, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Only this user may connect (the directory is private too).
  chmodSync(o.socket, 0o600);
  resetIdle();
  return {
    live,
    closed,
    close,
  };
}

function isRequest(r: unknown): r is DaemonRequest {
  if (typeof r !== "object" || r === null) return false;
  const op = (r as { op?: unknown }).op;
  if (op === "status" || op === "stop") return true;
  const run = r as Record<string, unknown>;
  return op === "run" && typeof run.build === "string" && Array.isArray(run.argv) && run.argv.every((a) => typeof a === "string") && typeof run.cwd === "string" && typeof run.env === "object" && run.env !== null && typeof run.isTty === "boolean";
}

/** Make the socket's directory (private to this user) and clear a dead daemon's socket; fail when a live one answers. */
async function claimSocket(path: string): Promise<void> {
  const dir = join(path, "..");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a directory only you can enter (mode 700): refusing to put the daemon's socket there`);
  }
  if (lstatSync(path, { throwIfNoEntry: false }) === undefined) return;
  const running = await askDaemon<DaemonStatus>(path, { op: "status" });
  if (running !== undefined) throw new DaemonRunningError(running);
  unlinkSync(path);
}

export class DaemonRunningError extends Error {
  override readonly name = "DaemonRunningError";
  constructor(readonly status: DaemonStatus) {
    super(`a daemon (pid ${status.pid}) already serves ${status.root}`);
  }
}
