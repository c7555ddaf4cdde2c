import type { SqlType } from "../sql-type.js";
import { T, decimal, isFloat, isInteger } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, fixed, infer } from "./function-row.js";

/** BigQuery: INT64 everywhere, SUM(INT64) → INT64, SUM(NUMERIC) → NUMERIC, AVG(INT64) → FLOAT64; DATE_TRUNC(date, part) keeps the input type. */
const bqSum = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return T.Int64;
    if (a.kind === "Decimal") return a;
    if (isFloat(a)) return T.Float64;
    return a;
  }),
);

const bqAvg = agg(infer((c) => ((c.args[0] ?? T.Unknown).kind === "Decimal" ? (c.args[0] as SqlType) : T.Float64)));

function firstArg(c: CallContext): SqlType {
  return c.args[0] ?? T.Unknown;
}

export const BIGQUERY_FUNCTIONS: DialectFunctions = {
  scalar: {
    ...BASE_SCALAR,
    SUM: bqSum,
    AVG: bqAvg,
    COUNTIF: agg(fixed(T.Int64), "never"),
    COUNT_IF: agg(fixed(T.Int64), "never"),
    DATE_TRUNC: infer(firstArg),
    DATETIME_TRUNC: infer(firstArg),
    TIMESTAMP_TRUNC: fixed(T.Timestamp),
    DATE_ADD: infer(firstArg),
    DATE_SUB: infer(firstArg),
    DATETIME_ADD: infer(firstArg),
    TIMESTAMP_ADD: infer(firstArg),
    DATE_DIFF: fixed(T.Int64),
    DATETIME_DIFF: fixed(T.Int64),
    CURRENT_TIMESTAMP: fixed(T.Timestamp, "never"),
    CURRENT_DATETIME: fixed(T.TimestampNtz, "never"),
    // NULL when any argument is NULL (DuckDB's skips them).
    CONCAT: fixed(T.String),
    FORMAT_DATE: fixed(T.String),
    FORMAT_TIMESTAMP: fixed(T.String),
    PARSE_DATE: fixed(T.Date),
    PARSE_TIMESTAMP: fixed(T.Timestamp),
    PARSE_DATETIME: fixed(T.TimestampNtz),
    SAFE_DIVIDE: fixed(T.Float64, "always"),
    ROUND: infer(firstArg),
    CEIL: infer(firstArg),
    FLOOR: infer(firstArg),
    TO_JSON_STRING: fixed(T.String),
    TO_JSON: fixed(T.Variant),
    HASH: fixed(T.Int64),
    SIGN: infer(firstArg),
    ARRAY_LENGTH: fixed(T.Int64),
    SPLIT: fixed({ kind: "Array", element: T.String }),
    GENERATE_ARRAY: fixed({ kind: "Array", element: T.Int64 }),
    GENERATE_DATE_ARRAY: fixed({ kind: "Array", element: T.Date }),
    NUMERIC: fixed(decimal(38, 9)),
  },
  table: { ...BASE_TABLE },
};
