import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { projectWarehouse } from "../../review/src/github/index.js";
import type { WarehousePort } from "../../review/src/github/index.js";

export interface AppWarehouseOptions {
  /** `ROCKY_CACHE_DIR`: state stores go under `runs/`. */
  readonly cacheDir: string;
  /** The App's own environment: warehouse secrets (SNOWFLAKE_*, DATABRICKS_*). */
  readonly secrets: Readonly<Record<string, string | undefined>>;
  readonly log?: (message: string) => void;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

/**
 * The state store of one repository's project: its branch records (`pr_12`), run history and
 * time_interval watermarks (`time_interval/<model>`) are keyed by names every repository reuses, so
 * two repositories must never share one (repository B's `daily_orders` would start from A's watermark).
 */
export function runStateDir(cacheDir: string, repository: string, projectDir?: string): string {
  const [owner = "", repo = ""] = repository.split("/");
  const project = projectDir === undefined || projectDir === "" || projectDir === "." ? "root" : `dir_${safe(projectDir)}`;
  return join(cacheDir, "runs", `${safe(owner)}__${safe(repo)}`, project);
}

/**
 * Where an embedded DuckDB of one repository's project keeps its files (a rocky.toml `path`,
 * `attach`, DuckDB's temp directory), and the only directory its SQL may touch. Not the clone: the
 * App's clone has no work tree, only `.git`, whose config the App's authenticated `git fetch`
 * reads; and not shared with another repository.
 */
export function duckDbDataDir(cacheDir: string, repository: string, projectDir?: string): string {
  const [owner = "", repo = ""] = repository.split("/");
  const project = projectDir === undefined || projectDir === "" || projectDir === "." ? "root" : `dir_${safe(projectDir)}`;
  return join(cacheDir, "duckdb", `${safe(owner)}__${safe(repo)}`, project);
}

/**
 * The App's warehouse port for a fetched repository: `${VAR}` in its rocky.toml stays empty,
 * credentials are the App's. An embedded DuckDB is locked down to the repository's data directory:
 * the PR's SQL runs inside the App's process, whose environment holds the App's private key.
 */
export function appWarehouse(options: AppWarehouseOptions): (repo: { readonly repoDir: string; readonly projectDir?: string; readonly repository: string }) => WarehousePort {
  return ({ repoDir, projectDir, repository }) => {
    const dataDir = duckDbDataDir(options.cacheDir, repository, projectDir);
    mkdirSync(dataDir, { recursive: true });
    return projectWarehouse({
      repoDir,
      projectDir,
      tomlEnv: {},
      secrets: options.secrets,
      stateDir: runStateDir(options.cacheDir, repository, projectDir),
      dataDir,
      sandbox: { root: dataDir, name: "the App's data directory of this repository" },
      ...(options.log ? { log: options.log } : {}),
    });
  };
}
