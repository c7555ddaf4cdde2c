import { existsSync } from "node:fs";
import { connect } from "node:net";
import { DAEMON_VERBS, FRAME, FrameReader, projectRootOf, socketPath } from "./protocol.js";

/**
 * The `rocky` side of the daemon: cli/bin/rocky.cjs calls `findDaemon` before it loads the
 * compiler (one stat of a socket that is not there: the cost for everyone who never started one),
 * and when a daemon serves this project `throughDaemon` runs the command there, its output streamed
 * back here as it is written. Undefined means "run it yourself": a daemon that refused or did not
 * answer within a second, or one of another build. A daemon that dies mid-answer, after output was
 * written, cannot be taken back: that is exit 70 with a message.
 */

/** How long a daemon may take to say it took the request before the command runs here instead. */
const ACCEPT_MS = 1000;

export interface ClientStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export function wantsDaemon(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.ROCKY_DAEMON === "0" || env.ROCKY_NO_CACHE === "1" || process.platform === "win32") return false;
  if (!DAEMON_VERBS.has(argv[0] ?? "")) return false;
  // What the daemon cannot serve: a watch (its own long-lived process), no cache, help.
  return !argv.some((a) => a === "--watch" || a === "--no-cache" || a === "--help" || a === "-h");
}

/** The socket of a daemon that may answer this command: undefined (run it here) when the command is not for one, or no socket is there. */
export function findDaemon(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  if (!wantsDaemon(argv, env)) return undefined;
  const path = socketPath(projectRootOf(argv, cwd), env);
  return existsSync(path) ? path : undefined;
}

/** Run the command through the daemon at `path` (findDaemon); undefined when it should run here after all. */
export function throughDaemon(path: string, argv: readonly string[], build: string, streams: ClientStreams = process, env = process.env, cwd = process.cwd(), isTty = process.stdout.isTTY === true && env.NO_COLOR === undefined): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let wrote = false;
    let settled = false;
    const finish = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => finish(undefined), ACCEPT_MS);
    const write = (stream: NodeJS.WritableStream, payload: Buffer) => {
      wrote = true;
      // A slow reader (a pipe): stop reading the socket until it has taken this.
      if (!stream.write(payload)) {
        socket.pause();
        stream.once("drain", () => socket.resume());
      }
    };
    const reader = new FrameReader((kind, payload) => {
      if (kind === FRAME.ACCEPTED) clearTimeout(timer);
      // Each payload is a view of bytes read for it alone: written as it is, not copied.
      else if (kind === FRAME.STDOUT) write(streams.stdout, payload);
      else if (kind === FRAME.STDERR) write(streams.stderr, payload);
      else if (kind === FRAME.DECLINE) finish(undefined);
      else if (kind === FRAME.EXIT) {
        const code = Number(payload.toString("latin1"));
        // Exit once stdout has taken everything: a pipe's reader gets the whole output.
        streams.stdout.write("", () => finish(Number.isInteger(code) ? code : 70));
      }
    });
    socket.on("data", (chunk: Buffer) => reader.push(chunk));
    // A reader that stops early (`rocky compile --output json | head`): stop quietly, as the command run here does.
    streams.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      finish(0);
    });
    const lost = () => {
      if (settled) return;
      if (!wrote) return finish(undefined);
      streams.stderr.write(`\nrocky: the daemon stopped in the middle of its answer; run the command again (ROCKY_DAEMON=0 runs it without the daemon)\n`);
      finish(70);
    };
    socket.on("error", lost);
    socket.on("close", lost);
    socket.on("connect", () => {
      socket.write(`${JSON.stringify({ op: "run", build, argv, cwd, env, isTty })}\n`);
    });
  });
}

/**
 * One control request (status, stop) to the daemon at `path`: its reply, or undefined when none
 * answers within `waitMs` (no daemon, or a stale socket left by one that was killed).
 */
export function askDaemon<T>(path: string, request: { readonly op: "status" | "stop" }, waitMs = 2000): Promise<T | undefined> {
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = connect(path);
    let settled = false;
    const finish = (value: T | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), waitMs);
    const reader = new FrameReader((kind, payload) => {
      if (kind !== FRAME.REPLY) return;
      try {
        finish(JSON.parse(payload.toString("utf8")) as T);
      } catch {
        finish(undefined);
      }
    });
    socket.on("data", (chunk: Buffer) => reader.push(chunk));
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
  });
}
