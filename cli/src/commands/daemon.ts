import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildSalt } from "../../../engine/src/compile/build-salt.js";
import { VERSION } from "../../../engine/src/version.js";
import { askDaemon } from "../daemon/client.js";
import { type DaemonStatus, socketPath } from "../daemon/protocol.js";
import { type CliIo, json, outputFormat, type ParsedCommand, projectDir, str, UsageError } from "../io.js";
import { stateDir } from "../state-dir.js";
import { requireProject } from "./compile-dir.js";

/**
 * `rocky daemon start|stop|status|run`: a process that keeps one project compiled in memory and
 * answers `rocky compile` and `rocky lineage` in it (cli/src/daemon). `start` runs `run` in the
 * background, logging to `.rocky-state/daemon.log`, and returns once the daemon answers.
 */

const DEFAULT_IDLE_MINUTES = 60;
/** How long `start` waits for the first compile (a cold 50,000-model project takes ~20 s here). */
const START_WAIT_MS = 10 * 60_000;

export async function daemonCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const [sub, ...extra] = cmd.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\``);
  if (process.platform === "win32") throw new UsageError("the daemon listens on a Unix socket: it does not run on Windows");
  const root = projectDir(cmd, io);
  const socket = socketPath(root, io.env);
  switch (sub) {
    case "run":
      return runDaemon(cmd, io, root, socket);
    case "start":
      return startDaemon(cmd, io, root, socket);
    case "stop":
      return stopDaemon(cmd, io, root, socket);
    case "status":
      return daemonStatus(cmd, io, root, socket);
    default:
      throw new UsageError(sub === undefined ? "say what to do: start, stop, status or run" : `unknown daemon command \`${sub}\` (start, stop, status or run)`);
  }
}

function idleMinutes(cmd: ParsedCommand): number {
  const text = str(cmd, "idle-minutes");
  if (text === undefined) return DEFAULT_IDLE_MINUTES;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--idle-minutes must be a number of minutes, 0 for never (got \`${text}\`)`);
  return n;
}

/** When the daemon stops by itself, as `start` says it: `--idle-minutes 0` is never. */
export function idleText(minutes: number): string {
  return minutes > 0 ? `it stops by itself after ${minutes} idle minute${minutes === 1 ? "" : "s"}` : "it never stops by itself";
}

/** The compile the daemon holds from the start: the one a plain `rocky compile` in the project asks for. */
function primingCommand(root: string, cmd: ParsedCommand): ParsedCommand {
  return { name: "compile", values: { project: root, models: str(cmd, "models"), contracts: str(cmd, "contracts") }, positionals: [] };
}

/** `rocky daemon run`: serve in the foreground until Ctrl-C, a stop request, or the idle time. */
async function runDaemon(cmd: ParsedCommand, io: CliIo, root: string, socket: string): Promise<number> {
  if (io.interrupted === undefined) throw new UsageError("the daemon needs a shell that can be interrupted (Ctrl-C)");
  requireProject(root, cmd);
  const interrupted = io.interrupted();
  const log = (text: string) => io.stderr(`[${new Date().toISOString()}] ${text}`);
  const { serveDaemon, DaemonRunningError } = await import("../daemon/server.js");
  let daemon: Awaited<ReturnType<typeof serveDaemon>>;
  try {
    daemon = await serveDaemon({ root, socket, build: buildSalt(import.meta.url), idleMinutes: idleMinutes(cmd), log });
  } catch (error) {
    if (error instanceof DaemonRunningError) {
      io.stderr(`rocky daemon: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Compile before saying it serves: the first `rocky compile` then answers at once.
  const t0 = performance.now();
  try {
    const setup = await (await import("./compile-dir.js")).compileSetup(primingCommand(root, cmd), { stdout: () => {}, stderr: (t) => io.stderr(t), cwd: io.cwd, env: io.env, isTty: false, live: daemon.live });
    if (setup.cache === undefined) throw new Error(`the compile cache at ${root}/.rocky-state could not open`);
    await daemon.live.compile({ ...setup, cache: setup.cache });
  } catch (error) {
    io.stderr(`rocky daemon: the first compile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await daemon.close();
    return 1;
  }
  const models = daemon.live.status()[0]?.models ?? 0;
  io.stdout(`rocky daemon: serving ${root} (pid ${process.pid}, ${models} models compiled in ${(performance.now() - t0).toFixed(0)} ms) on ${socket}\n`);
  await Promise.race([interrupted, daemon.closed]);
  await daemon.close();
  log("stopped\n");
  return 0;
}

/** `rocky daemon start`: `run` in the background; returns once it answers, or with its log when it could not start. */
async function startDaemon(cmd: ParsedCommand, io: CliIo, root: string, socket: string): Promise<number> {
  requireProject(root, cmd);
  const running = await askDaemon<DaemonStatus>(socket, { op: "status" });
  if (running !== undefined) {
    io.stdout(`rocky daemon: already serving ${running.root} (pid ${running.pid})\n`);
    return 0;
  }
  const logFile = join(stateDir(root), "daemon.log");
  const logFd = openSync(logFile, "a");
  const logStart = statSync(logFile).size;
  const args = [process.argv[1], "daemon", "run", "-C", root, "--idle-minutes", String(idleMinutes(cmd))];
  for (const key of ["models", "contracts"] as const) {
    const v = str(cmd, key);
    if (v !== undefined) args.push(`--${key}`, v);
  }
  const child = spawn(process.execPath, args, { cwd: root, env: { ...io.env }, detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  child.unref();
  const t0 = performance.now();
  for (;;) {
    const status = await askDaemon<DaemonStatus>(socket, { op: "status" }, 500);
    if (status !== undefined && status.pid === child.pid) {
      io.stdout(
        `rocky daemon: serving ${root} (pid ${status.pid}, ${status.live[0]?.models ?? 0} models, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s).\n` +
          "`rocky compile` and `rocky lineage` in this project now answer from memory.\n" +
          `\`rocky daemon stop\` stops it (${idleText(status.idle_minutes)}).\nLog: ${logFile}\n`,
      );
      return 0;
    }
    if (exited !== undefined || performance.now() - t0 > START_WAIT_MS) {
      if (exited === undefined) child.kill();
      const said = readFileSync(logFile, "utf8").slice(logStart).trim();
      io.stderr(`rocky daemon: it did not start${exited !== undefined ? ` (exit ${exited})` : " in time"}${said !== "" ? `:\n${said}` : ""}\n`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopDaemon(_cmd: ParsedCommand, io: CliIo, root: string, socket: string): Promise<number> {
  const reply = await askDaemon<{ stopping: boolean }>(socket, { op: "stop" });
  if (reply === undefined) {
    io.stdout(`rocky daemon: none serves ${root}\n`);
    return 0;
  }
  // Back once it has let go of the socket: a `start` right after never meets the old one.
  for (let waited = 0; existsSync(socket) && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  io.stdout(`rocky daemon: stopped serving ${root}\n`);
  return 0;
}

async function daemonStatus(cmd: ParsedCommand, io: CliIo, root: string, socket: string): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const status = await askDaemon<DaemonStatus>(socket, { op: "status" });
  if (format === "json") {
    io.stdout(json({ version: VERSION, command: "daemon status", running: status !== undefined, socket, ...(status ?? { root }) }));
  } else if (status === undefined) {
    io.stdout(`rocky daemon: none serves ${root}\n`);
  } else {
    const held = status.live.map((p) => `${p.models} models (${p.rounds} rounds since it started)`).join("; ");
    io.stdout(`rocky daemon: serving ${status.root}, pid ${status.pid}, since ${status.started_at}; ${status.requests} commands answered; in memory: ${held || "nothing yet"}\n`);
  }
  return status === undefined ? 1 : 0;
}
