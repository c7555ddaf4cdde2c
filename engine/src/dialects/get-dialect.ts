import type { DialectId } from "../syntax/ast.js";
import { bigqueryDialect } from "./bigquery.js";
import { databricksDialect } from "./databricks.js";
import type { Dialect } from "./dialect.js";
import { duckdbDialect } from "./duckdb.js";
import { snowflakeDialect } from "./snowflake.js";

const dialects: Readonly<Record<DialectId, Dialect>> = {
  duckdb: duckdbDialect,
  databricks: databricksDialect,
  snowflake: snowflakeDialect,
  bigquery: bigqueryDialect,
};

export const dialectIds: readonly DialectId[] = ["duckdb", "databricks", "snowflake", "bigquery"];

/** The flags of one dialect. Unknown ids fall back to duckdb (callers validate ids at the config layer). */
export function getDialect(id: DialectId): Dialect {
  return dialects[id] ?? duckdbDialect;
}

export function isDialectId(value: string): value is DialectId {
  return Object.hasOwn(dialects, value);
}
