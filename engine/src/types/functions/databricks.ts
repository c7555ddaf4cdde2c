import type { SqlType } from "../sql-type.js";
import { T, decimal, isFloat, isInteger } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, argType, fixed, infer } from "./function-row.js";

/** Databricks (Spark SQL): SUM(int) → BIGINT, SUM(DECIMAL(p,s)) → DECIMAL(p+10,s), AVG(DECIMAL(p,s)) → DECIMAL(p+4,s+4), date_trunc → TIMESTAMP. */
const dbxSum = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return T.Int64;
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(Math.min(38, a.precision + 10), a.scale ?? 0);
    if (isFloat(a)) return T.Float64;
    return a;
  }),
);

const dbxAvg = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(Math.min(38, a.precision + 4), Math.min(38, (a.scale ?? 0) + 4));
    return T.Float64;
  }),
);

/** date_add(date, n) / dateadd: a DATE stays a DATE; `dateadd(unit, n, ts)` keeps the timestamp. */
function dateAdd(c: CallContext): SqlType {
  return temporalArg(c);
}

export const DATABRICKS_FUNCTIONS: DialectFunctions = {
  scalar: {
    ...BASE_SCALAR,
    SUM: dbxSum,
    AVG: dbxAvg,
    MEAN: dbxAvg,
    COUNT_IF: agg(fixed(T.Int64), "never"),
    // Spark's cast functions: `int(x)` is `CAST(x AS INT)`.
    INT: fixed(T.Int32),
    INTEGER: fixed(T.Int32),
    BIGINT: fixed(T.Int64),
    SMALLINT: fixed(T.Int32),
    TINYINT: fixed(T.Int32),
    STRING: fixed(T.String),
    DOUBLE: fixed(T.Float64),
    FLOAT: fixed(T.Float32),
    DECIMAL: fixed(decimal(10, 0)),
    BOOLEAN: fixed(T.Boolean),
    TIMESTAMP: fixed(T.Timestamp),
    BINARY: fixed(T.Binary),
    GROUPING: fixed(T.Int32, "never"),
    FROM_UTC_TIMESTAMP: fixed(T.Timestamp),
    TO_UTC_TIMESTAMP: fixed(T.Timestamp),
    CONV: fixed(T.String),
    SUBSTRING_INDEX: fixed(T.String),
    // Monday is 0 (DAYOFWEEK's Sunday is 1).
    WEEKDAY: fixed(T.Int32),
    TRY_DIVIDE: infer((c) => (c.args.some((a) => a.kind === "Decimal") ? T.Unknown : T.Float64), "always"),
    DATE_TRUNC: fixed(T.Timestamp),
    TRUNC: fixed(T.Date),
    DATE_ADD: infer(dateAdd),
    DATEADD: infer(dateAdd),
    DATE_SUB: infer(dateAdd),
    DATEDIFF: fixed(T.Int32),
    DATE_PART: fixed(T.Int32),
    YEAR: fixed(T.Int32),
    MONTH: fixed(T.Int32),
    DAY: fixed(T.Int32),
    HOUR: fixed(T.Int32),
    MINUTE: fixed(T.Int32),
    SECOND: fixed(T.Int32),
    QUARTER: fixed(T.Int32),
    DAYOFWEEK: fixed(T.Int32),
    LENGTH: fixed(T.Int32),
    LEN: fixed(T.Int32),
    CHAR_LENGTH: fixed(T.Int32),
    INSTR: fixed(T.Int32),
    HASH: fixed(T.Int32),
    TO_JSON: fixed(T.String),
    TO_TIMESTAMP: fixed(T.Timestamp),
    CURRENT_TIMESTAMP: fixed(T.Timestamp, "never"),
    NOW: fixed(T.Timestamp, "never"),
    CONCAT: fixed(T.String),
    ROUND: argType(0),
    CEIL: fixed(T.Int64),
    FLOOR: fixed(T.Int64),
    MEDIAN: agg(fixed(T.Float64)),
    ARRAY_SIZE: fixed(T.Int32),
    SIZE: fixed(T.Int32),
    CARDINALITY: fixed(T.Int32),
    ROW_NUMBER: { returns: { kind: "fixed", type: T.Int32 }, kind: "window", nulls: "never" },
    RANK: { returns: { kind: "fixed", type: T.Int32 }, kind: "window", nulls: "never" },
    DENSE_RANK: { returns: { kind: "fixed", type: T.Int32 }, kind: "window", nulls: "never" },
    NTILE: { returns: { kind: "fixed", type: T.Int32 }, kind: "window", nulls: "never" },
  },
  // `range(n)` in Spark is a table of one BIGINT column named id (DuckDB names it range).
  table: {
    ...BASE_TABLE,
    RANGE: { columns: () => [{ name: "id", type: T.Int64 }] },
    INLINE_OUTER: BASE_TABLE.INLINE,
    // `stack(n, v1, .., vk)`: n rows of ceil(k / n) columns col0, col1, ..; column i holds every
    // (i + 1)-th value from v1 on, unified.
    STACK: {
      columns: (c) => {
        const n = Number(c.literal(0));
        const values = c.args.slice(1);
        if (!Number.isInteger(n) || n < 1 || values.length === 0) return [];
        const width = Math.ceil(values.length / n);
        return Array.from({ length: width }, (_, i) => ({ name: `col${i}`, type: c.unify(values.filter((_, j) => j % width === i)) }));
      },
    },
  },
};
