import { resolve } from "node:path";
import type { LmdbCompileCache } from "../../engine/src/compile/lmdb-compile-cache.js";
import type { CompiledProject } from "../../engine/src/compile/types.js";
import type { CompileSetup } from "./commands/compile-dir.js";
import type { ProjectFiles } from "../../engine/src/project/types.js";

/** What a command may touch of the outside world: injected so tests run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  /**
   * Raw UTF-8 output, when the shell can write bytes (a warm compile writes cached JSON without
   * decoding it). Resolves once the bytes are written or copied: the caller then reuses them.
   */
  stdoutBytes?(bytes: Uint8Array): Promise<void>;
  stderr(text: string): void;
  /**
   * Resolves when stdout has taken what was written so far. On a pipe, Node queues writes the reader
   * has not taken yet in memory; a command writing megabytes in pieces awaits this between them, so
   * the whole output never sits in memory (the shell's `process.stdout` 'drain'; absent: no wait).
   */
  drain?(): Promise<void>;
  /**
   * Resolves when the user asks a long-running command (`rocky compile --watch`) to stop: the shell's
   * SIGINT or SIGTERM. Absent: the shell cannot be interrupted, and such commands refuse to start.
   */
  interrupted?(): Promise<void>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours). */
  readonly isTty: boolean;
  /** In the daemon (cli/src/daemon/server.ts): the projects it keeps compiled in memory. Absent in a plain `rocky` process. */
  readonly live?: LiveCompiles;
}

/** What a daemon offers the commands it runs: its open caches, and compiles answered from memory. */
export interface LiveCompiles {
  /** The daemon's cache at `dir`, open for as long as it runs (a command must not close it). */
  cache(dir: string): Promise<LmdbCompileCache | undefined>;
  /** The compile of the set-up's project from the one held in memory (kept current by a file watcher), or undefined when it holds none for that directory. */
  compile(setup: CompileSetup & { readonly cache: LmdbCompileCache }, log?: (text: string) => void): Promise<{ files: ProjectFiles; compiled: CompiledProject } | undefined>;
}

export interface ParsedCommand {
  readonly name: string;
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What a `--output json` error object says besides the message (Rocky's error envelope: `code`, `message`, `remediation_hint`). */
export interface CommandErrorDetails {
  /** What to do about it. */
  readonly hint?: string;
  /** Where in the project, when a file is at fault. */
  readonly file?: string;
  readonly line?: number;
  /** The warehouse adapter, the statement it rejected (first line) and its own error code. */
  readonly adapter?: string;
  readonly statement?: string;
  readonly sql_code?: string;
}

/**
 * An error the user can cause and fix, which stops the command: one line on stderr (and, under
 * `--output json`, a JSON error object on stdout), never a stack trace. `exitCode` follows the
 * CLI's rule: 1 the project has errors, 2 the call or the environment is wrong.
 */
export abstract class CommandError extends Error {
  abstract readonly exitCode: 1 | 2;
  /** The JSON error object's `code`. */
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: CommandErrorDetails = {},
  ) {
    // One line: warehouses' messages carry their own line breaks ("Did you mean ...?").
    super(message.trim().replace(/\s*\n\s*/g, " "));
  }
}

/** A mistake in how the command was called, or an environment it cannot work in (exit 2), as opposed to findings (exit 1). */
export class UsageError extends CommandError {
  override readonly name = "UsageError";
  readonly exitCode = 2;
  readonly code = "usage_error";
}

/** The project has errors that stop the command before it does anything (compile errors before a run, a seed statement the warehouse rejects): exit 1. */
export class ProjectError extends CommandError {
  override readonly name = "ProjectError";
  readonly exitCode = 1;
  readonly code = "project_error";
}

/** The warehouse cannot be used as configured: it cannot be opened or reached, refuses the login, or rejects what the command needs of it (exit 2). */
export class WarehouseError extends CommandError {
  override readonly name = "WarehouseError";
  readonly exitCode = 2;
  readonly code = "warehouse_error";
}

/** The JSON error object a command prints on stdout under `--output json` when it stops on a CommandError. */
export function errorJson(command: string, version: string, error: CommandError): string {
  const { hint, ...where } = error.details;
  return json({ version, command, error: { code: error.code, message: error.message, ...(hint !== undefined ? { remediation_hint: hint } : {}), ...where } });
}

export function str(cmd: ParsedCommand, key: string): string | undefined {
  const v = cmd.values[key];
  return typeof v === "string" ? v : undefined;
}

export function bool(cmd: ParsedCommand, key: string): boolean {
  return cmd.values[key] === true;
}

export function projectDir(cmd: ParsedCommand, io: CliIo): string {
  return resolve(io.cwd, str(cmd, "project") ?? ".");
}

export function outputFormat<T extends string>(cmd: ParsedCommand, allowed: readonly T[], fallback: T): T {
  const v = str(cmd, "output") ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--output must be one of ${allowed.join(", ")} (got \`${v}\`)`);
  return v as T;
}

/** `--var name=value` (repeatable). */
export function vars(cmd: ParsedCommand): Record<string, string> {
  const out: Record<string, string> = {};
  const list = cmd.values.var;
  for (const item of Array.isArray(list) ? list : []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--var expects name=value (got \`${item}\`)`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v), 2)}\n`;
}

/** Cleanups to run when the command has finished (e.g. the compile cache, which lazy results read from until then). */
const atEnd: (() => Promise<void>)[] = [];

export function onCommandEnd(fn: () => Promise<void>): void {
  atEnd.push(fn);
}

export async function endCommand(): Promise<void> {
  for (const fn of atEnd.splice(0).reverse()) await fn();
}
