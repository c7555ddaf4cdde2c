import type { SqlType } from "../sql-type.js";
import { T, decimal, isFloat, isInteger } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, argType, fixed, infer, win } from "./function-row.js";

/** Snowflake: integers are NUMBER(38,0) (Int64); SUM/AVG keep NUMBER; DATE_TRUNC keeps the input type; CONCAT is NULL-strict. */
const sfSum = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return T.Int64;
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(38, a.scale ?? 0);
    if (isFloat(a)) return T.Float64;
    return a;
  }),
);

const sfAvg = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return decimal(38, 6);
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(38, Math.min(37, Math.max(6, (a.scale ?? 0) + 6)));
    return T.Float64;
  }),
);

function truncKeeps(c: CallContext): SqlType {
  return c.args[1] ?? T.Unknown;
}

/** DATEADD(part, n, date): a date stays a date for day-or-larger parts, becomes TIMESTAMP_NTZ for smaller ones. */
function dateAdd(c: CallContext): SqlType {
  const t = temporalArg(c);
  const unit = (c.literal(0) ?? "").toLowerCase();
  if (t.kind === "Date" && /^(h|hh|hr|hour|minute|mi|min|second|s|sec|ms|millisecond|us|microsecond|ns|nanosecond)/.test(unit)) return T.TimestampNtz;
  return t;
}

export const SNOWFLAKE_FUNCTIONS: DialectFunctions = {
  scalar: {
    ...BASE_SCALAR,
    SUM: sfSum,
    AVG: sfAvg,
    COUNT_IF: agg(fixed(T.Int64), "never"),
    // MATCH_RECOGNIZE's navigation and match functions (MEASURES, DEFINE).
    PREV: argType(0, "always"),
    NEXT: argType(0, "always"),
    MATCH_NUMBER: fixed(T.Int64, "never"),
    MATCH_SEQUENCE_NUMBER: fixed(T.Int64, "never"),
    CLASSIFIER: fixed(T.String, "never"),
    // A hierarchical query's path from its root to the row: `/a/b/c`.
    SYS_CONNECT_BY_PATH: fixed(T.String),
    DATE_TRUNC: infer(truncKeeps),
    DATEADD: infer(dateAdd),
    TIMEADD: infer(dateAdd),
    TIMESTAMPADD: infer(dateAdd),
    CONCAT: fixed(T.String),
    // Unlike DuckDB's and Databricks', Snowflake's CONCAT_WS is NULL when any argument is.
    CONCAT_WS: fixed(T.String),
    LENGTH: fixed(T.Int64),
    HASH: fixed(T.Int64),
    TO_JSON: fixed(T.String),
    TO_TIMESTAMP: fixed(T.TimestampNtz),
    CURRENT_TIMESTAMP: fixed(T.Timestamp, "never"),
    ROUND: argType(0),
    CEIL: argType(0),
    FLOOR: argType(0),
    MEDIAN: agg(argType(0)),
    SIGN: fixed(T.Int64),
    DIV0: argType(0),
    SPLIT: fixed({ kind: "Array", element: T.Variant }),
    // The session's context.
    CURRENT_WAREHOUSE: fixed(T.String),
    CURRENT_ACCOUNT: fixed(T.String),
    CURRENT_ACCOUNT_NAME: fixed(T.String),
    CURRENT_ORGANIZATION_NAME: fixed(T.String),
    CURRENT_REGION: fixed(T.String),
    CURRENT_VERSION: fixed(T.String),
    CURRENT_CLIENT: fixed(T.String),
    CURRENT_SESSION: fixed(T.String),
    // A window's running count of the rows where the condition held (or the value changed).
    CONDITIONAL_TRUE_EVENT: win(fixed(T.Int64), "never"),
    CONDITIONAL_CHANGE_EVENT: win(fixed(T.Int64), "never"),
    PARSE_IP: fixed(T.Variant),
    AI_CLASSIFY: fixed(T.Variant),
    ARRAY_AGG: agg(fixed({ kind: "Array", element: T.Variant }), "never"),
  },
  table: {
    ...BASE_TABLE,
    // TABLE(GENERATOR(ROWCOUNT => n)): rows and no columns (SEQ4(), UNIFORM() in the select list number them).
    GENERATOR: { columns: () => [] },
  },
};
