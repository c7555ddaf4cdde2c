import assert from "node:assert/strict";
import type { ProjectFileText, UnreadableFile } from "../../../../engine/src/project/types.js";
import { duckdbProjectFiles } from "../../../support/duckdb-project.js";

/**
 * The project a diagnostic fixture case compiles: a small default project (rocky.toml on DuckDB,
 * `_defaults.toml`, a source schema for raw.orders) with the case's files over it. A case
 * overrides any of them by path, removes one with null, or makes one unreadable with
 * `{"unreadable": true}` (passed to the loader as `null`: a reader that does not say why) or with
 * the reader's account of why (an UnreadableFile, e.g. `{"unreadable": "not-utf8", "line": 2,
 * "col": 7}`, passed as it is, as readProjectDir passes it).
 */
export type FixtureFile = string | null | { readonly unreadable: true } | UnreadableFile;

export const DEFAULT_FILES: Readonly<Record<string, string>> = duckdbProjectFiles([
  { name: "id", type: "BIGINT", nullable: false },
  { name: "customer_id", type: "BIGINT", nullable: true },
  { name: "amount", type: "DECIMAL(10,2)", nullable: true },
  { name: "status", type: "VARCHAR", nullable: true },
  { name: "ordered_at", type: "TIMESTAMP", nullable: false },
  { name: "order_date", type: "DATE", nullable: false },
  { name: "updated_at", type: "TIMESTAMP", nullable: true },
]);

const REASONS = new Set(["not-utf8", "binary", "too-large", "read-error"]);

export function projectFiles(c: { readonly name: string; readonly files: Readonly<Record<string, FixtureFile>> }): Map<string, ProjectFileText> {
  const files = new Map<string, ProjectFileText>(Object.entries(DEFAULT_FILES));
  for (const [path, text] of Object.entries(c.files)) {
    if (text === null) files.delete(path);
    else if (typeof text === "string") files.set(path, text);
    else if (text.unreadable === true) files.set(path, null);
    else if (REASONS.has(text.unreadable)) files.set(path, text);
    else assert.fail(`${c.name}: ${path} must be a string, null, {"unreadable": true} or {"unreadable": "not-utf8" | "binary" | "too-large" | "read-error", ...}`);
  }
  return files;
}
