import type { DialectId } from "../syntax/ast.js";

/** How each dialect is named in messages (Rocky's `Dialect` Display). */
export const DIALECT_DISPLAY: Readonly<Record<DialectId, string>> = {
  databricks: "Databricks",
  snowflake: "Snowflake",
  bigquery: "BigQuery",
  duckdb: "DuckDB",
};

/** Rocky's display order for "supported by" lists. */
export const DIALECT_ORDER: readonly DialectId[] = ["snowflake", "databricks", "bigquery", "duckdb"];

const TARGET_NAMES: Readonly<Record<string, DialectId>> = {
  dbx: "databricks",
  databricks: "databricks",
  sf: "snowflake",
  snowflake: "snowflake",
  bq: "bigquery",
  bigquery: "bigquery",
  duckdb: "duckdb",
};

/** A P001 target from `--target-dialect` (short `dbx|sf|bq|duckdb` or long names, any case); undefined when unknown. */
export function parseTargetDialect(name: string | undefined): DialectId | undefined {
  if (name === undefined) return undefined;
  return TARGET_NAMES[name.trim().toLowerCase()];
}

/** The accepted spellings, for did-you-mean and help text. */
export const TARGET_DIALECT_NAMES: readonly string[] = Object.keys(TARGET_NAMES);
