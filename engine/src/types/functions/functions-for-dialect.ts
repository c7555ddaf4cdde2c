import type { DialectId } from "../../syntax/ast.js";
import { BIGQUERY_FUNCTIONS } from "./bigquery.js";
import { DATABRICKS_FUNCTIONS } from "./databricks.js";
import { DUCKDB_FUNCTIONS } from "./duckdb.js";
import type { DialectFunctions } from "./function-row.js";
import { SNOWFLAKE_FUNCTIONS } from "./snowflake.js";

const BY_DIALECT: Record<DialectId, DialectFunctions> = {
  duckdb: DUCKDB_FUNCTIONS,
  databricks: DATABRICKS_FUNCTIONS,
  snowflake: SNOWFLAKE_FUNCTIONS,
  bigquery: BIGQUERY_FUNCTIONS,
};

/** The function table of a dialect (names upper-case). */
export function functionsForDialect(dialect: DialectId): DialectFunctions {
  return BY_DIALECT[dialect];
}
