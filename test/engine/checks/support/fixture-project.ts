import assert from "node:assert/strict";
import { duckdbProjectFiles } from "../../../support/duckdb-project.js";

/**
 * The project a diagnostic fixture case compiles: a small default project (rocky.toml on DuckDB,
 * `_defaults.toml`, a source schema for raw.orders) with the case's files over it. A case
 * overrides any of them by path, removes one with null, or makes one unreadable with
 * `{"unreadable": true}` (passed to the loader as `null`, as readProjectDir does for a binary,
 * non-UTF-8 or too large file).
 */
export type FixtureFile = string | null | { readonly unreadable: true };

export const DEFAULT_FILES: Readonly<Record<string, string>> = duckdbProjectFiles([
  { name: "id", type: "BIGINT", nullable: false },
  { name: "customer_id", type: "BIGINT", nullable: true },
  { name: "amount", type: "DECIMAL(10,2)", nullable: true },
  { name: "status", type: "VARCHAR", nullable: true },
  { name: "ordered_at", type: "TIMESTAMP", nullable: false },
  { name: "order_date", type: "DATE", nullable: false },
  { name: "updated_at", type: "TIMESTAMP", nullable: true },
]);

export function projectFiles(c: { readonly name: string; readonly files: Readonly<Record<string, FixtureFile>> }): Map<string, string | null> {
  const files = new Map<string, string | null>(Object.entries(DEFAULT_FILES));
  for (const [path, text] of Object.entries(c.files)) {
    if (text === null) files.delete(path);
    else if (typeof text === "string") files.set(path, text);
    else if (text.unreadable === true) files.set(path, null);
    else assert.fail(`${c.name}: ${path} must be a string, null or {"unreadable": true}`);
  }
  return files;
}
