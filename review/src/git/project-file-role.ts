import { isNestedStraySql, isSqlName } from "../../../engine/src/project/stray-model-files.js";
import type { ChangedFile } from "../report/types.js";

export interface ProjectLayout {
  /** Default "models". */
  readonly modelsDir?: string;
  /** Default "contracts". */
  readonly contractsDir?: string;
}

export type FileRole = ChangedFile["role"];

/**
 * What a project-relative path is to a Rocky project: the same selection as
 * engine/src/project/read-project-dir.ts (rocky.toml; flat `models/*.sql|*.toml|*.rocky`;
 * `models/groups/*.toml`; `contracts/*.contract.toml`; `data/seed.sql`; `schemas/*.json`; and
 * the SQL files under the models dir that are no model, so the loader can say so).
 * `other` files are not read and cannot change a model.
 */
export function projectFileRole(path: string, layout: ProjectLayout = {}): FileRole {
  const models = trimSlashes(layout.modelsDir ?? "models");
  const contracts = trimSlashes(layout.contractsDir ?? "contracts");
  if (path === "rocky.toml") return "project_config";
  if (path === "data/seed.sql") return "seed";
  if (/^schemas\/[^/]+\.json$/.test(path) || path === "rocky.schema.json") return "schema";
  if (path.startsWith(`${contracts}/`) && isFlat(path, contracts) && path.endsWith(".contract.toml")) return "contract";
  if (path.startsWith(`${models}/groups/`) && isFlat(path, `${models}/groups`) && path.endsWith(".toml")) return "defaults";
  if (!path.startsWith(`${models}/`)) return "other";
  const name = path.slice(models.length + 1);
  // A SQL file the flat layout does not load (nested, or `.SQL`) is read all the same: the loader
  // warns that it is no model, which a PR adding one must hear.
  if (!isFlat(path, models)) return isNestedStraySql(name) ? "model_sql" : "other";
  if (name === "_defaults.toml" || name === "test_definitions.toml") return "defaults";
  if (name.endsWith(".contract.toml")) return "contract";
  if (name.endsWith(".toml")) return "model_config";
  if (name.endsWith(".rocky") || isSqlName(name)) return "model_sql";
  return "other";
}

export function isProjectFile(path: string, layout: ProjectLayout = {}): boolean {
  return projectFileRole(path, layout) !== "other";
}

function trimSlashes(p: string): string {
  return p.replace(/^\.\//, "").replace(/^\/+|\/+$/g, "");
}

function isFlat(path: string, dir: string): boolean {
  return !path.slice(dir.length + 1).includes("/");
}

/** Normalize a project directory inside a repository: "" for the root, no leading/trailing slash. */
export function normalizeProjectDir(dir: string | undefined): string {
  if (!dir) return "";
  const d = trimSlashes(dir.replace(/\\/g, "/"));
  return d === "." ? "" : d;
}
