import { T } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { infer } from "./function-row.js";
import type { SqlType } from "../sql-type.js";

/** DATE_ADD(date, INTERVAL) in DuckDB is date + interval: a TIMESTAMP. */
function dateAdd(c: CallContext): SqlType {
  const t = temporalArg(c);
  if (t.kind === "Date" && c.args.some((a) => a.kind === "Interval")) return T.TimestampNtz;
  return t;
}

/** DuckDB: the base table is written as DuckDB types functions; only a few rows differ. */
export const DUCKDB_FUNCTIONS: DialectFunctions = {
  scalar: { ...BASE_SCALAR, DATE_ADD: infer(dateAdd), DATE_SUB: infer(dateAdd) },
  table: { ...BASE_TABLE },
};
