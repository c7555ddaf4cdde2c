import type { SqlType } from "../sql-type.js";
import { T, decimal, isFloat, isInteger } from "../type-constants.js";
import { typeFromWarehouseName } from "../type-from-name.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, arrayOfArg, fixed, infer, supertype } from "./function-row.js";

/** Databricks (Spark SQL): SUM(int) → BIGINT, SUM(DECIMAL(p,s)) → DECIMAL(p+min(10,31-p),s), AVG(DECIMAL(p,s)) → DECIMAL(p+4,s+4), date_trunc → TIMESTAMP. */
const dbxSum = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return T.Int64;
    // DECIMAL(p + min(10, 31 - p), s) (https://docs.databricks.com/sql/language-manual/functions/sum.html); past 31 digits, as wide as its input.
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(a.precision + Math.min(10, Math.max(0, 31 - a.precision)), a.scale ?? 0);
    if (isFloat(a)) return T.Float64;
    return a;
  }),
);

const dbxAvg = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    // DECIMAL(p + 4, s + 4), the scale growing less where 38 digits would not keep the integer digits
    // (https://docs.databricks.com/sql/language-manual/functions/avg.html).
    if (a.kind === "Decimal" && a.precision !== undefined) {
      const sc = a.scale ?? 0;
      return decimal(Math.min(38, a.precision + 4), Math.min(sc + 4, 38 - (a.precision - sc)));
    }
    return T.Float64;
  }),
);

/**
 * `date_add(startDate, numDays)` (and dateadd, date_sub) is a DATE, whatever it is given
 * (https://docs.databricks.com/sql/language-manual/functions/date_add.html); the unit form
 * `dateadd(unit, value, expr)` is timestampadd, a TIMESTAMP (a TIMESTAMP_NTZ stays one)
 * (https://docs.databricks.com/sql/language-manual/functions/dateadd.html).
 */
function dateAdd(c: CallContext): SqlType {
  if (c.args.length === 2) return T.Date;
  return timestampAdd(c);
}

function timestampAdd(c: CallContext): SqlType {
  return temporalArg(c).kind === "TimestampNtz" ? T.TimestampNtz : T.Timestamp;
}

function literalInt(c: CallContext, i: number): number | undefined {
  const text = c.literal(i);
  return text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * round / bround(expr [, targetScale]): a DECIMAL(p, s) keeps the smaller scale, with a digit for
 * the carry (Spark's RoundBase, shared by ceil and floor with a scale: p - s + 1 integer digits, at
 * least 1 - targetScale); other numbers keep their type
 * (https://docs.databricks.com/sql/language-manual/functions/round.html).
 */
function roundDecimal(p: number, s: number, k: number): SqlType {
  const scale = Math.max(0, Math.min(s, k));
  return decimal(Math.min(38, Math.max(p - s + 1, 1 - k) + scale), scale);
}

const roundRule = infer((c) => {
  const a = c.args[0] ?? T.Unknown;
  if (a.kind !== "Decimal" || a.precision === undefined) return a;
  const k = c.args.length > 1 ? literalInt(c, 1) : 0;
  return k === undefined ? a : roundDecimal(a.precision, a.scale ?? 0, k);
});

/**
 * ceil / floor(expr [, targetScale]): DECIMAL(p - s + 1, 0) for a decimal and BIGINT for anything
 * else; with a target scale, the table of the docs (an integer of n digits is DECIMAL(max(n, 1 - k), 0)),
 * a decimal as round has it
 * (https://docs.databricks.com/sql/language-manual/functions/ceil.html, floor.html).
 */
const ceilRule = infer((c) => {
  const a = c.args[0] ?? T.Unknown;
  if (c.args.length < 2) {
    if (a.kind === "Decimal" && a.precision !== undefined) return decimal(Math.min(38, a.precision - (a.scale ?? 0) + 1), 0);
    return a.kind === "Unknown" ? a : T.Int64;
  }
  const k = literalInt(c, 1);
  if (k === undefined) return T.Unknown;
  const wide = (p: number, s: number) => decimal(Math.min(38, Math.max(p, 1 - k)), Math.max(0, Math.min(s, k)));
  if (a.kind === "Decimal" && a.precision !== undefined) return roundDecimal(a.precision, a.scale ?? 0, k);
  if (a.kind === "Int32") return wide(10, 0);
  if (a.kind === "Int64") return wide(20, 0);
  if (a.kind === "Float32") return wide(14, 7);
  if (a.kind === "Float64") return wide(30, 15);
  return T.Unknown;
});

/**
 * to_number(expr, fmt) / try_to_number: DECIMAL(p, s), p the 0s and 9s of the format and s those
 * after its decimal point (https://docs.databricks.com/sql/language-manual/functions/to_number.html).
 */
function toNumber(c: CallContext): SqlType {
  const fmt = c.literal(1);
  if (fmt === undefined) return T.Unknown;
  const [whole, frac = ""] = fmt.toUpperCase().split(/[.D]/);
  const digits = (t: string) => (t.match(/[09]/g) ?? []).length;
  const s = digits(frac);
  const p = digits(whole) + s;
  return p === 0 || p > 38 ? T.Unknown : decimal(p, s);
}

/**
 * from_json(jsonStr, schema): the schema's type; a bare field list (`a INT, b STRING`) is a STRUCT
 * (https://docs.databricks.com/sql/language-manual/functions/from_json.html).
 */
function fromJson(c: CallContext): SqlType {
  const schema = c.literal(1)?.trim();
  if (schema === undefined || schema === "") return T.Unknown;
  if (/^(ARRAY|MAP|STRUCT)\s*</i.test(schema)) return typeFromWarehouseName(schema, "databricks");
  return typeFromWarehouseName(`STRUCT<${schema}>`, "databricks");
}

/** try_add / try_subtract / try_multiply / try_divide: the operator's type, NULL where it overflows (or divides by 0) (https://docs.databricks.com/sql/language-manual/functions/try_divide.html). */
const tryArith = (op: "+" | "-" | "*" | "/") => infer((c) => c.arithmetic?.(op, 0, 1) ?? T.Unknown, "always");

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
    TRY_DIVIDE: tryArith("/"),
    TRY_ADD: tryArith("+"),
    TRY_SUBTRACT: tryArith("-"),
    TRY_MULTIPLY: tryArith("*"),
    // try_sum / try_avg: SUM's and AVG's types, NULL on overflow.
    TRY_SUM: dbxSum,
    TRY_AVG: dbxAvg,
    TO_NUMBER: infer(toNumber),
    TRY_TO_NUMBER: infer(toNumber, "always"),
    FROM_JSON: infer(fromJson),
    ROUND: roundRule,
    BROUND: roundRule,
    CEIL: ceilRule,
    CEILING: ceilRule,
    FLOOR: ceilRule,
    // -1.0, 0.0 or 1.0 (https://docs.databricks.com/sql/language-manual/functions/sign.html).
    SIGN: fixed(T.Float64),
    SIGNUM: fixed(T.Float64),
    DATE_TRUNC: fixed(T.Timestamp),
    TRUNC: fixed(T.Date),
    DATE_ADD: infer(dateAdd),
    DATEADD: infer(dateAdd),
    DATE_SUB: infer(dateAdd),
    TIMESTAMPADD: infer(timestampAdd),
    // make_timestamp: a TIMESTAMP, the session's zoned one (https://docs.databricks.com/sql/language-manual/functions/make_timestamp.html).
    MAKE_TIMESTAMP: fixed(T.Timestamp),
    // datediff(end, start) counts days as an INTEGER; datediff(unit, start, end) is timestampdiff, a BIGINT.
    DATEDIFF: infer((c) => (c.args.length === 3 ? T.Int64 : T.Int32)),
    // date_part is extract: SECOND is DECIMAL(8, 6), every other field an INTEGER (https://docs.databricks.com/sql/language-manual/functions/extract.html).
    DATE_PART: infer((c) => (/^(S|SEC|SECS|SECOND|SECONDS)$/i.test(c.literal(0) ?? "") ? decimal(8, 6) : T.Int32)),
    DATEPART: infer((c) => (/^(S|SEC|SECS|SECOND|SECONDS)$/i.test(c.literal(0) ?? "") ? decimal(8, 6) : T.Int32)),
    DAYOFMONTH: fixed(T.Int32),
    DAYOFYEAR: fixed(T.Int32),
    WEEKOFYEAR: fixed(T.Int32),
    OCTET_LENGTH: fixed(T.Int32),
    BIT_LENGTH: fixed(T.Int32),
    LEVENSHTEIN: fixed(T.Int32),
    // array_agg is collect_list: an empty array over no rows, never NULL.
    ARRAY_AGG: agg(arrayOfArg(0), "never"),
    CURRENT_TIMEZONE: fixed(T.String, "never"),
    ISNULL: fixed(T.Boolean, "never"),
    ISNOTNULL: fixed(T.Boolean, "never"),
    NANVL: supertype(),
    E: fixed(T.Float64, "never"),
    MAP_CONTAINS_KEY: fixed(T.Boolean),
    UNBASE64: fixed(T.Binary),
    BIN: fixed(T.String),
    ELT: fixed(T.String, "always"),
    // Geospatial functions whose results the lattice has (GEOMETRY and GEOGRAPHY stay Unknown):
    // https://docs.databricks.com/sql/language-manual/sql-ref-st-geospatial-functions.html, sql-ref-h3-geospatial-functions.html.
    ST_ASTEXT: fixed(T.String),
    ST_ASWKT: fixed(T.String),
    ST_ASBINARY: fixed(T.Binary),
    ST_ASWKB: fixed(T.Binary),
    ST_AREA: fixed(T.Float64),
    ST_LENGTH: fixed(T.Float64),
    ST_DISTANCE: fixed(T.Float64),
    ST_ISVALID: fixed(T.Boolean),
    ST_ISEMPTY: fixed(T.Boolean),
    ST_CONTAINS: fixed(T.Boolean),
    ST_INTERSECTS: fixed(T.Boolean),
    ST_WITHIN: fixed(T.Boolean),
    H3_STRINGTOH3: fixed(T.Int64),
    H3_H3TOSTRING: fixed(T.String),
    H3_POINTASH3STRING: fixed(T.String),
    H3_POINTASH3: fixed(T.Int64),
    H3_BOUNDARYASWKT: fixed(T.String),
    H3_CENTERASWKT: fixed(T.String),
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
