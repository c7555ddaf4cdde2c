import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { main } from "../../../cli/src/main.js";
import { createGitFixture, type GitFixture } from "../../support/git-fixture.js";

export const ROOT = new URL("../../../", import.meta.url).pathname;
export const SHOP = join(ROOT, "examples/shop");
export const SHOP_PR = join(ROOT, "examples/shop-pr");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the `rocky` CLI in-process through `main(argv, io)`, collecting stdout and stderr. The
 * environment is explicit (no ROCKY_* or DuckDB path from the developer's shell leaks in); an
 * exception escaping `main` is a bug and fails the calling test.
 */
export async function rocky(argv: readonly string[], options: { readonly cwd: string; readonly env?: Record<string, string | undefined> }): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    isTty: false,
  });
  return { code, stdout, stderr };
}

/** Parse a JSON stdout and check the two fields every JSON output carries. */
export function parseJson(run: CliRun): Record<string, unknown> & { version: string; command: string } {
  return JSON.parse(run.stdout) as Record<string, unknown> & { version: string; command: string };
}

/** Local state a developer's runs leave in examples/ (gitignored): never copied into a test project. */
const isLocalState = (name: string): boolean => name.startsWith(".") || /\.duckdb(\.wal)?$/.test(name);

/** Every project file under `dir` as a path → bytes map (paths relative to `dir`, forward slashes). */
export function readTree(dir: string, prefix = ""): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (isLocalState(name)) continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}${relative(dir, p).split("\\").join("/")}`] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * A scratch git repository holding the example shop project on `main` and its PR overlay
 * (examples/shop-pr) on `pr`, as `scripts/demo.mjs` builds it; `pr` is checked out. With
 * `subdir`, the project sits in that folder of the repository (a monorepo layout).
 */
export function shopRepo(options: { readonly subdir?: string } = {}): GitFixture & { readonly project: string } {
  const prefix = options.subdir ? `${options.subdir}/` : "";
  const repo = createGitFixture({ base: { ...readTree(SHOP, prefix), ".gitignore": ".rocky-state/\n*.duckdb\n" }, head: readTree(SHOP_PR, prefix), headIsPatch: true });
  return { ...repo, project: options.subdir ? join(repo.dir, options.subdir) : repo.dir };
}

/** A copy of a directory in a temp dir (so compile caches and DuckDB files never land in the checkout). */
export function scratchCopy(dir: string): { readonly dir: string; cleanup(): void } {
  const tmp = mkdtempSync(join(tmpdir(), "rocky-cli-"));
  cpSync(dir, tmp, { recursive: true, filter: (src) => src === dir || !isLocalState(basename(src)) });
  return { dir: tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }) };
}

/**
 * Save as many editors do: write a temporary file beside it and rename it into place, one event.
 * (An in-place write is a truncate and a write, two events that may fall into two rounds.)
 */
export function saveLikeAnEditor(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
