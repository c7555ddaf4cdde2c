import type { DuckDBConnection } from "@duckdb/node-api";
import { PORTABILITY_CATALOG } from "../../../../engine/src/checks/portability-catalog.js";
import { functionsForDialect } from "../../../../engine/src/types/functions/functions-for-dialect.js";

/**
 * The built-in functions our Snowflake, Databricks and BigQuery tables know that the DuckDB at hand
 * does not have: not in duckdb_functions(), and a call fails with DuckDB's "does not exist" (some
 * names DuckDB reads in its parser, COALESCE, IFNULL, are no catalog entries). Catalog rows with
 * their own advice, and functions that exist only inside a construct flagged as a whole, are left
 * out. What engine/src/checks/duckdb-missing-functions.ts must list.
 */
export async function duckdbMissingFunctions(conn: DuckDBConnection): Promise<string[]> {
  const have = new Set((await conn.runAndReadAll("SELECT DISTINCT upper(function_name) FROM duckdb_functions()")).getRows().map((r) => String(r[0])));
  const rows = new Set(PORTABILITY_CATALOG.filter((c) => c.kind === "function").map((c) => c.label));
  // Functions that exist only inside a construct P001 flags as a whole (MATCH_RECOGNIZE, CONNECT BY).
  for (const inside of ["PREV", "NEXT", "CLASSIFIER", "MATCH_NUMBER", "MATCH_SEQUENCE_NUMBER", "SYS_CONNECT_BY_PATH"]) rows.add(inside);
  const names = new Set<string>();
  for (const d of ["snowflake", "databricks", "bigquery"] as const) {
    const f = functionsForDialect(d);
    for (const n of [...Object.keys(f.scalar), ...Object.keys(f.table)]) if (/^[A-Z_][A-Z0-9_]*$/.test(n)) names.add(n);
  }
  const missing: string[] = [];
  for (const n of [...names].sort()) {
    if (have.has(n) || rows.has(n)) continue;
    if (!(await exists(conn, n))) missing.push(n);
  }
  return missing;
}

/**
 * Calls in a few shapes (no arguments, one, two, three, an ordered-set aggregate): the name exists when one
 * of them runs or fails for another reason than the name (its arguments, say). A parser error proves
 * nothing either way (`COALESCE()`); the bare word is left out: a niladic form (`CURRENT_TIMESTAMP`
 * with no parentheses) is no call, and the P001 rule never flags one.
 */
async function exists(conn: DuckDBConnection, name: string): Promise<boolean> {
  for (const call of [`${name}()`, `${name}(1)`, `${name}(1, 2)`, `${name}(true, 1, 2)`, `${name}('a')`, `${name}(0.5) WITHIN GROUP (ORDER BY 1)`]) {
    try {
      await conn.runAndReadAll(`SELECT ${call}`);
      return true;
    } catch (e) {
      if (!/does not exist|Unknown ordered aggregate|Parser Error/.test(String((e as Error).message))) return true;
    }
  }
  return false;
}
