import { isInteger, T } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { fixed, infer } from "./function-row.js";
import { decimal } from "../type-constants.js";
import type { SqlType } from "../sql-type.js";

/** DATE_ADD(date, INTERVAL) in DuckDB is date + interval: a TIMESTAMP. */
function dateAdd(c: CallContext): SqlType {
  const t = temporalArg(c);
  if (t.kind === "Date" && c.args.some((a) => a.kind === "Interval")) return T.TimestampNtz;
  return t;
}

/** element_at / map_extract on a MAP return a LIST of the matches in DuckDB. */
function elementAt(c: CallContext): SqlType {
  const m = c.args[0];
  if (m?.kind === "Map") return { kind: "Array", element: m.value };
  return m?.kind === "Array" ? m.element : T.Unknown;
}

/** date_part('epoch', x) is a DOUBLE; every other part a BIGINT. */
function datePart(c: CallContext): SqlType {
  return (c.literal(0) ?? "").toLowerCase() === "epoch" ? T.Float64 : T.Int64;
}

/** epoch_ms(BIGINT) makes a TIMESTAMP of milliseconds; epoch_ms(TIMESTAMP) gives the milliseconds. */
function epochMs(c: CallContext): SqlType {
  const a = c.args[0];
  if (a === undefined || a.kind === "Unknown") return T.Unknown;
  return isInteger(a) || a.kind === "Decimal" ? T.TimestampNtz : T.Int64;
}

/** DuckDB: the base table is written as DuckDB types functions; only a few rows differ. */
export const DUCKDB_FUNCTIONS: DialectFunctions = {
  scalar: {
    ...BASE_SCALAR,
    DATE_ADD: infer(dateAdd),
    // date_sub(part, start, end) counts whole parts between two dates, as date_diff does.
    DATE_SUB: fixed(T.Int64),
    EPOCH_MS: infer(epochMs),
    ELEMENT_AT: infer(elementAt, "always"),
    MAP_EXTRACT: infer(elementAt, "always"),
    CARDINALITY: fixed(decimal(20, 0)),
    DATE_PART: infer(datePart),
    DATEPART: infer(datePart),
  },
  table: { ...BASE_TABLE },
};
