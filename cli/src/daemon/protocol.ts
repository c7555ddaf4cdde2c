import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The wire between `rocky` and its daemon (server.ts), kept to what the client needs so that its
 * bundle (client.ts, cli/dist/daemon-client.cjs) loads in a millisecond: no engine code here.
 *
 * A request is one line of JSON. The answer is frames, each a kind byte, a 32-bit big-endian length
 * and that many bytes: ACCEPTED first (the daemon is alive and took the request), then STDOUT and
 * STDERR as the command writes them, and EXIT with the exit code as text; or DECLINE with a reason,
 * before any output, when the caller should run the command itself.
 */

export const FRAME = { ACCEPTED: 1, STDOUT: 2, STDERR: 3, EXIT: 4, DECLINE: 5, REPLY: 6 } as const;

/** The verbs the daemon answers: they compile the project and print, reading nothing but its files. */
export const DAEMON_VERBS: ReadonlySet<string> = new Set(["compile", "lineage"]);

export type DaemonRequest =
  | {
      readonly op: "run";
      /** The client's build (its bundle's size and mtime): a daemon of another build declines and exits. */
      readonly build: string;
      readonly argv: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string | undefined>>;
      readonly isTty: boolean;
    }
  | { readonly op: "status" }
  | { readonly op: "stop" };

export interface DaemonStatus {
  readonly pid: number;
  readonly root: string;
  readonly build: string;
  readonly started_at: string;
  readonly requests: number;
  /** The projects held in memory (one per set of compile options), with their model counts. */
  readonly live: readonly { readonly models: number; readonly rounds: number }[];
  readonly idle_minutes: number;
}

export function frame(kind: number, payload: Uint8Array): Buffer {
  const head = Buffer.allocUnsafe(5);
  head[0] = kind;
  head.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([head, payload]);
}

/**
 * Splits a byte stream into frames, calling `onFrame` for each complete one. Chunks wait in a list
 * until a frame is whole: joining each chunk onto the rest would copy a large frame once per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** The length of the frame being read (header included), once its header is in. */
  private need = 5;
  constructor(private readonly onFrame: (kind: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    while (this.size >= this.need) {
      const buffered = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
      this.chunks = [buffered];
      const length = buffered.readUInt32BE(1);
      if (this.need === 5 && length > 0 && buffered.byteLength < 5 + length) {
        this.need = 5 + length;
        continue;
      }
      this.onFrame(buffered[0], buffered.subarray(5, 5 + length));
      const rest = buffered.subarray(5 + length);
      this.chunks = rest.byteLength > 0 ? [rest] : [];
      this.size = rest.byteLength;
      this.need = 5;
    }
  }
}

/** Frames of at most this many bytes: a large output is sent in pieces, as it would be written to a pipe. */
export const MAX_FRAME = 1024 * 1024;

/**
 * Where the daemon of project `root` listens: a socket in a directory only this user can enter
 * ($XDG_RUNTIME_DIR/rocky, or <tmp>/rocky-<uid>), named by a hash of the project's absolute path.
 * Short on purpose: a Unix socket's path may not pass 107 bytes. The daemon checks the root again,
 * so a collision costs speed, never a wrong answer.
 */
export function socketPath(root: string, env: Readonly<Record<string, string | undefined>>): string {
  return join(socketDir(env), `${pathHash(resolve(root))}.sock`);
}

export function socketDir(env: Readonly<Record<string, string | undefined>>): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== "") return join(runtime, "rocky");
  return join(tmpdir(), `rocky-${process.getuid?.() ?? "user"}`);
}

/** 64 bits of FNV-1a as hex: a name, not a secret (node:crypto would cost the client its start-up). */
function pathHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xc9dc5118;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

/** The project directory a command names (`-C DIR`, `--project DIR`, `-CDIR`, `--project=DIR`), from the shell's cwd. */
export function projectRootOf(argv: readonly string[], cwd: string): string {
  let dir = ".";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if ((a === "-C" || a === "--project") && i + 1 < argv.length) dir = argv[++i];
    else if (a.startsWith("--project=")) dir = a.slice("--project=".length);
    else if (a.startsWith("-C") && a.length > 2) dir = a.slice(2);
  }
  return resolve(cwd, dir);
}
