import type { SqlType } from "../sql-type.js";
import { T, decimal, isFloat, isInteger } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, argType, fixed, infer, win } from "./function-row.js";

/**
 * ROUND / CEIL / FLOOR(x [, scale]) of a NUMBER(p, s): the scale the digits ask for (0 by default,
 * at most s, never negative) and the integer digits plus one for a carry (FLOOR(-9.99) is -10);
 * FLOAT and integers keep their type; a non-constant scale keeps the input's type.
 * https://docs.snowflake.com/en/sql-reference/functions/floor (CEIL and ROUND read the same).
 */
const sfRound = infer((c) => {
  const a = c.args[0] ?? T.Unknown;
  if (a.kind !== "Decimal" || a.precision === undefined) return a;
  const text = c.args.length > 1 ? c.literal(1) : "0";
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return a;
  const s = a.scale ?? 0;
  const scale = Math.max(0, Math.min(Number(text), s));
  return decimal(Math.min(38, a.precision - s + 1 + scale), scale);
});

/** DIV0 / DIV0NULL: the quotient as `/` types it (https://docs.snowflake.com/en/sql-reference/functions/div0null). */
const quotient = (c: CallContext): SqlType => c.arithmetic?.("/", 0, 1) ?? T.Unknown;

/** CONVERT_TIMEZONE(target, ts) is a TIMESTAMP_TZ, CONVERT_TIMEZONE(source, target, ntz) a TIMESTAMP_NTZ (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone). */
const convertTimezone = infer((c) => (c.args.length === 2 ? T.Timestamp : T.TimestampNtz));

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
    // An alias of CURRENT_TIMESTAMP: TIMESTAMP_LTZ (https://docs.snowflake.com/en/sql-reference/functions/localtimestamp).
    LOCALTIMESTAMP: fixed(T.Timestamp, "never"),
    // TRY_ forms type as their TO_ forms (TIMESTAMP is TIMESTAMP_NTZ) and are NULL where the text does not convert.
    TRY_TO_TIMESTAMP: fixed(T.TimestampNtz, "always"),
    TRY_TO_TIMESTAMP_NTZ: fixed(T.TimestampNtz, "always"),
    TRY_TO_TIMESTAMP_LTZ: fixed(T.Timestamp, "always"),
    TRY_TO_TIMESTAMP_TZ: fixed(T.Timestamp, "always"),
    TRY_TO_DOUBLE: fixed(T.Float64, "always"),
    TRY_TO_TIME: fixed(T.Time, "always"),
    CONVERT_TIMEZONE: convertTimezone,
    ROUND: sfRound,
    CEIL: sfRound,
    CEILING: sfRound,
    FLOOR: sfRound,
    // An integer median is a NUMBER with three decimals (MEDIAN of 1, 3, 10, 1, 3 is 3.000: https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/latest/snowpark/api/snowflake.snowpark.functions.median).
    MEDIAN: agg(infer((c) => (isInteger(c.args[0] ?? T.Unknown) ? decimal(38, 3) : (c.args[0] ?? T.Unknown)))),
    SIGN: fixed(T.Int64),
    // DIV0 is NULL when either side is; DIV0NULL's NULL divisor gives 0.
    DIV0: infer(quotient),
    DIV0NULL: infer(quotient, "first"),
    // A pseudo-random 64-bit integer (https://docs.snowflake.com/en/sql-reference/functions/random).
    RANDOM: fixed(T.Int64, "never"),
    STRTOK: fixed(T.String, "always"),
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
