import { BASE_SCALAR, BASE_TABLE } from "./base.js";
import type { DialectFunctions } from "./function-row.js";

/** DuckDB: the base table is written as DuckDB types functions, so this dialect adds no overrides yet. */
export const DUCKDB_FUNCTIONS: DialectFunctions = {
  scalar: { ...BASE_SCALAR },
  table: { ...BASE_TABLE },
};
