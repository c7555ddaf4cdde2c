import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { buildSalt } from "../../../engine/src/compile/build-salt.js";
import { compileProject, type CompileOptions } from "../../../engine/src/compile/compile-project.js";
import type { LmdbCompileCache } from "../../../engine/src/compile/lmdb-compile-cache.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { parseTargetDialect, TARGET_DIALECT_NAMES } from "../../../engine/src/checks/dialect-names.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { didYouMeanSuffix } from "../../../engine/src/util/did-you-mean.js";
import { stateDir } from "../state-dir.js";
import { bool, type CliIo, onCommandEnd, type ParsedCommand, projectDir, str, UsageError, vars } from "../io.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

export function parseDialect(value: string | undefined): DialectId | undefined {
  if (value === undefined) return undefined;
  const d = parseTargetDialect(value);
  if (d === undefined) throw new UsageError(`--target-dialect must be one of dbx, sf, bq, duckdb (got \`${value}\`)${didYouMeanSuffix(value, TARGET_DIALECT_NAMES)}`);
  return d;
}

/** The cache lives beside the project, in `.rocky-state/compile-cache` (which git ignores: see stateDir). */
export function cacheDir(root: string): string {
  return join(stateDir(root), "compile-cache");
}

/**
 * The compile worker module: `cli/dist/compile-worker.js`, beside the bundle, when running the built CLI,
 * the TypeScript source when running under tsx (the worker inherits tsx's loader). Undefined (one
 * thread) when neither exists or ROCKY_WORKERS=0.
 */
export function compileWorkerUrl(env: Readonly<Record<string, string | undefined>>): URL | undefined {
  if (env.ROCKY_WORKERS === "0") return undefined;
  for (const candidate of [new URL("./compile-worker.js", import.meta.url), new URL("../../../engine/src/compile/compile-worker.ts", import.meta.url)]) {
    if (candidate.pathname.includes("/dist/") !== import.meta.url.includes("/dist/")) continue;
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `ROCKY_WORKERS=N` overrides the worker count (0 = one thread). */
export function workerCount(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const n = Number(env.ROCKY_WORKERS);
  return env.ROCKY_WORKERS !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** What the shell adds to every compile: the build's cache salt, worker threads when asked, DuckDB for --with-seed. */
export async function compileExtras(cmd: ParsedCommand, io: CliIo): Promise<Pick<CompileOptions, "seedRunner" | "cacheSalt" | "workerUrl" | "workers">> {
  const url = compileWorkerUrl(io.env);
  const workers = workerCount(io.env);
  const seedRunner = bool(cmd, "with-seed") ? (await import("../../../engine/src/adapters/seed-schemas.js")).seedSchemas : undefined;
  return {
    // This build of the CLI (its bundle's size and mtime): a rebuilt compiler never reads a stale cache.
    cacheSalt: buildSalt(import.meta.url),
    ...(url ? { workerUrl: url } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(seedRunner ? { seedRunner } : {}),
  };
}

/**
 * `ROCKY_DEBUG_CACHE=1`: a writer to stderr for how the cache and the workers were set up, where a
 * warm compile spent its time, and why it compiled in full. Undefined otherwise.
 */
export function cacheDebugLog(io: CliIo): ((text: string) => void) | undefined {
  return io.env.ROCKY_DEBUG_CACHE === "1" ? (t: string) => io.stderr(t) : undefined;
}

/**
 * A cache that cannot open (a read-only checkout, a full disk, a file where its directory goes)
 * costs speed, never the command; it is said on stderr, not only when debugging, since every
 * compile stays cold until it is fixed.
 */
export function warnCacheOff(io: CliIo, root: string, error: unknown): void {
  const where = relative(io.cwd, cacheDir(root)) || ".";
  io.stderr(`rocky: warning: compiling without the cache: it could not open (${error instanceof Error ? error.message : String(error)}); check ${where}, or pass --no-cache to compile without it quietly\n`);
}

/** What every compile of a project directory starts from: where it is, its layout, the compile options and the lmdb cache (absent with `--no-cache`). */
export interface CompileSetup {
  readonly root: string;
  readonly layout: { readonly modelsDir?: string; readonly contractsDir?: string };
  readonly options: CompileOptions;
  readonly cache?: LmdbCompileCache;
}

/**
 * A usage error unless `root` holds a Rocky project (rocky.toml, or the models directory) and the
 * layout flags name directories in it: a misspelt `--models` or `--contracts` stops the command
 * instead of compiling a project with no models or no contracts.
 */
export function requireProject(root: string, cmd: ParsedCommand): void {
  if (!existsSync(join(root, "rocky.toml")) && !existsSync(join(root, str(cmd, "models") ?? "models"))) {
    throw new UsageError(`no Rocky project at ${root}: expected rocky.toml or a models/ directory (use -C DIR)`);
  }
  for (const flag of ["models", "contracts"] as const) {
    const dir = str(cmd, flag);
    if (dir === undefined || isDirectory(join(root, dir))) continue;
    throw new UsageError(`--${flag} ${dir}: no such directory in ${root}${didYouMeanSuffix(dir, subdirectories(root))}`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function subdirectories(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() && !e.name.startsWith(".") ? [e.name] : []));
  } catch {
    return [];
  }
}

/**
 * Models compile without rocky.toml (the CLI takes a models/ directory for a project), but with
 * every project setting at its default: said once on stderr, so that the warnings those defaults
 * bring (W005 without [freshness]) are not the only trace of it. `rocky validate` reports it as V001.
 */
export function warnNoRockyToml(io: CliIo, root: string): void {
  if (existsSync(join(root, "rocky.toml"))) return;
  io.stderr(`rocky: warning: no rocky.toml in ${root}: compiling with the defaults (no adapter, so DuckDB SQL; no [freshness], [mask], [portability] or [budget]); add rocky.toml, or pass -C the directory that holds it\n`);
}

/** Resolve the project, open its cache (closed when the command ends) and assemble the compile options. */
export async function compileSetup(cmd: ParsedCommand, io: CliIo, extra: Partial<CompileOptions> = {}): Promise<CompileSetup> {
  const root = projectDir(cmd, io);
  requireProject(root, cmd);
  warnNoRockyToml(io, root);
  const layout = { modelsDir: str(cmd, "models"), contractsDir: str(cmd, "contracts") };
  const useCache = !bool(cmd, "no-cache") && io.env.ROCKY_NO_CACHE !== "1";
  const debug = cacheDebugLog(io);
  const open = async () => {
    // The daemon's caches stay open between its commands.
    if (io.live !== undefined) return io.live.cache(cacheDir(root));
    const opened = await (await import("../../../engine/src/compile/lmdb-compile-cache.js")).openLmdbCompileCache(cacheDir(root));
    // Lazy results (a warm compile's models) read the cache until the command ends.
    onCommandEnd(() => opened.close());
    return opened;
  };
  const cache = useCache
    ? await open().catch((error: unknown) => {
        warnCacheOff(io, root, error);
        return undefined;
      })
    : undefined;
  const options: CompileOptions = {
    env: io.env,
    vars: vars(cmd),
    modelsDir: layout.modelsDir,
    contractsDir: layout.contractsDir,
    targetDialect: parseDialect(str(cmd, "target-dialect")),
    withSeed: bool(cmd, "with-seed"),
    cache,
    ...(await compileExtras(cmd, io)),
    ...extra,
  };
  debug?.(`rocky: cache ${cache !== undefined ? cacheDir(root) : "off"}; compile workers ${options.workerUrl !== undefined ? `${options.workers ?? 0} of ${String(options.workerUrl)}` : "none"}\n`);
  return { root, layout, options, cache };
}

/** Read a project directory and compile it, with the lmdb cache unless `--no-cache` (then from the last run's snapshot when only model files changed). */
export async function compileDir(cmd: ParsedCommand, io: CliIo, extra: Partial<CompileOptions> = {}): Promise<{ root: string; files: ProjectFiles; compiled: CompiledProject; fromDaemon?: true }> {
  const setup = await compileSetup(cmd, io, extra);
  const { root, layout, options, cache } = setup;
  // Only the command's own options make a snapshot reusable (a caller's extras, e.g. warehouse schemas, do not).
  const reusable = cache !== undefined && Object.keys(extra).length === 0;
  if (io.live !== undefined && reusable) {
    const live = await io.live.compile({ ...setup, cache }, cacheDebugLog(io));
    if (live !== undefined) return { root, ...live, fromDaemon: true };
  }
  const warm = reusable ? await import("./warm-compile.js") : undefined;
  if (warm !== undefined && cache !== undefined) {
    return { root, ...(await warm.compileWithSnapshot(root, layout, options, cache, cacheDebugLog(io))) };
  }
  const files = readProjectDir(root, layout);
  const compiled = await compileProject(files, options);
  return { root, files, compiled };
}
