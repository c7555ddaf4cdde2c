import { existsSync } from "node:fs";
import { connect, type Socket } from "node:net";
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
  let wrote = false;
  const write = (x: Exchange<number | undefined>, stream: NodeJS.WritableStream, payload: Buffer) => {
    wrote = true;
    // A slow reader (a pipe): stop reading the socket until it has taken this.
    if (!stream.write(payload)) {
      x.socket.pause();
      stream.once("drain", () => x.socket.resume());
    }
  };
  return exchange<number | undefined>(path, { op: "run", build, argv, cwd, env, isTty }, {
    waitMs: ACCEPT_MS,
    timedOut: undefined,
    onStart: (x) =>
      // A reader that stops early (`rocky compile --output json | head`): stop quietly, as the command run here does.
      streams.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        x.finish(0);
      }),
    onFrame: (kind, payload, x) => {
      if (kind === FRAME.ACCEPTED) x.answered();
      // Each payload is a view of bytes read for it alone: written as it is, not copied.
      else if (kind === FRAME.STDOUT) write(x, streams.stdout, payload);
      else if (kind === FRAME.STDERR) write(x, streams.stderr, payload);
      else if (kind === FRAME.DECLINE) x.finish(undefined);
      else if (kind === FRAME.EXIT) {
        const code = Number(payload.toString("latin1"));
        // Exit once stdout has taken everything: a pipe's reader gets the whole output.
        streams.stdout.write("", () => x.finish(Number.isInteger(code) ? code : 70));
      }
    },
    onLost: (x) => {
      if (!wrote) return x.finish(undefined);
      streams.stderr.write(`\nrocky: the daemon stopped in the middle of its answer; run the command again (ROCKY_DAEMON=0 runs it without the daemon)\n`);
      x.finish(70);
    },
  });
}

/**
 * One control request (status, stop) to the daemon at `path`: its reply, or undefined when none
 * answers within `waitMs` (no daemon, or a stale socket left by one that was killed).
 */
export function askDaemon<T>(path: string, request: { readonly op: "status" | "stop" }, waitMs = 2000): Promise<T | undefined> {
  if (!existsSync(path)) return Promise.resolve(undefined);
  return exchange<T | undefined>(path, request, {
    waitMs,
    timedOut: undefined,
    onFrame: (kind, payload, x) => {
      if (kind !== FRAME.REPLY) return;
      try {
        x.finish(JSON.parse(payload.toString("utf8")) as T);
      } catch {
        x.finish(undefined);
      }
    },
    onLost: (x) => x.finish(undefined),
  });
}

/** One conversation with the daemon, as the handlers of `exchange` see it. */
interface Exchange<T> {
  readonly socket: Socket;
  /** Settle with `value` and close the connection; the first call wins. */
  finish(value: T): void;
  /** The daemon has taken the request: its answer may take as long as it takes. */
  answered(): void;
}

/**
 * Send `request` as one line to the daemon at `path` and hand its frames to `onFrame` until a
 * handler settles. `onLost` runs when the connection fails or ends first; `timedOut` is the result
 * when nothing settles, and the daemon has not said it took the request, within `waitMs`.
 */
function exchange<T>(path: string, request: object, on: { readonly waitMs: number; readonly timedOut: T; readonly onStart?: (x: Exchange<T>) => void; readonly onFrame: (kind: number, payload: Buffer, x: Exchange<T>) => void; readonly onLost: (x: Exchange<T>) => void }): Promise<T> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let settled = false;
    const x: Exchange<T> = {
      socket,
      finish: (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(value);
      },
      answered: () => clearTimeout(timer),
    };
    const timer = setTimeout(() => x.finish(on.timedOut), on.waitMs);
    on.onStart?.(x);
    const reader = new FrameReader((kind, payload) => on.onFrame(kind, payload, x));
    socket.on("data", (chunk: Buffer) => reader.push(chunk));
    const lost = () => {
      if (!settled) on.onLost(x);
    };
    socket.on("error", lost);
    socket.on("close", lost);
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
  });
}
