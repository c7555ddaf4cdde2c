import type { SqlType } from "../sql-type.js";
import { T, arrayOf, decimal, isFloat, isInteger, mapOf } from "../type-constants.js";
import type { CallContext, DialectFunctions, FunctionRow, TableFunctionRow } from "./function-row.js";
import { agg, argType, arrayOfArg, elementOf, fixed, infer, returnTypeFor, supertype, win } from "./function-row.js";

/**
 * The base function table: the semantics most warehouses share, written as DuckDB types them
 * where they differ (DuckDB is the dialect the agreement test checks against). Dialect files
 * spread this and override rows.
 */

const S = fixed(T.String);
const I64 = fixed(T.Int64);
const F64 = fixed(T.Float64);
const BOOL = fixed(T.Boolean);
const DATE = fixed(T.Date);
const NOW_TZ = fixed(T.Timestamp, "never");

export function elementType(t: SqlType | undefined): SqlType {
  if (!t) return T.Unknown;
  if (t.kind === "Array") return t.element;
  if (t.kind === "Map") return t.value;
  if (t.kind === "Variant") return T.Variant;
  return T.Unknown;
}

/** The first temporal argument's type (DATEADD(part, n, x), DATE_ADD(x, n)). */
export function temporalArg(c: CallContext): SqlType {
  return c.args.find((a) => a.kind === "Date" || a.kind === "Timestamp" || a.kind === "TimestampNtz" || a.kind === "Time") ?? T.Unknown;
}

function literalInt(c: CallContext, i: number): number | undefined {
  const text = c.literal(i);
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** ROUND/TRUNC: a decimal keeps its precision and takes the literal digits as scale (DuckDB: round(DECIMAL(10,2), 1) → DECIMAL(10,1)). */
export const roundRule = infer((c) => {
  const a = c.args[0] ?? T.Unknown;
  if (a.kind !== "Decimal" || a.precision === undefined) return a;
  const digits = c.args.length > 1 ? literalInt(c, 1) : 0;
  if (digits === undefined) return a;
  return decimal(a.precision, Math.max(0, Math.min(digits, a.scale ?? 0)));
});

/** CEIL/FLOOR in DuckDB: decimals drop their scale, integers become DOUBLE. */
const ceilRule = infer((c) => {
  const a = c.args[0] ?? T.Unknown;
  if (a.kind === "Decimal" && a.precision !== undefined) return decimal(a.precision, 0);
  if (isInteger(a)) return T.Float64;
  return a;
});

/** SUM in DuckDB: integers → HUGEINT (Decimal(38,0)), decimals → Decimal(38,s), floats → DOUBLE. */
export const duckdbSum = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (isInteger(a)) return decimal(38, 0);
    if (a.kind === "Decimal") return a.precision === undefined ? a : decimal(38, a.scale ?? 0);
    if (isFloat(a)) return T.Float64;
    // sum(BOOLEAN) counts the TRUE rows, as a HUGEINT.
    if (a.kind === "Boolean") return decimal(38, 0);
    return a;
  }),
);

/** MEDIAN / QUANTILE_CONT in DuckDB: integers interpolate to DOUBLE, decimals and floats keep their type. */
const medianRule = agg(infer((c) => (isInteger(c.args[0] ?? T.Unknown) ? T.Float64 : (c.args[0] ?? T.Unknown))));

/** DATE_TRUNC(unit, x): DuckDB returns TIMESTAMP for a DATE or TIMESTAMP and TIMESTAMPTZ for a TIMESTAMPTZ. */
const duckdbDateTrunc = infer((c) => {
  const a = c.args[1] ?? T.Unknown;
  if (a.kind === "Timestamp") return T.Timestamp;
  if (a.kind === "Date" || a.kind === "TimestampNtz") return T.TimestampNtz;
  return a;
});

/** DECODE(expr, search1, result1, ..., [default]): the unified results (NULL when nothing matches and there is no default). */
const decodeRule = infer((c) => {
  const at: number[] = [];
  for (let i = 2; i < c.args.length; i += 2) at.push(i);
  if (c.args.length % 2 === 0 && c.args.length > 2) at.push(c.args.length - 1);
  return c.unifyArgs?.(at) ?? c.unify(at.map((i) => c.args[i]));
}, "decode");

/** A struct of the call's named arguments (`struct_pack(a := 1)`), or undefined when it has none. */
function namedArgsStruct(c: CallContext): SqlType | undefined {
  return c.named.length > 0 ? { kind: "Struct", fields: c.named.map((n) => ({ name: n.name, type: n.type })) } : undefined;
}

/** DuckDB `struct_pack(a := 1)`, Databricks `named_struct('a', 1)`. */
const structRule = infer((c) => {
  const named = namedArgsStruct(c);
  if (named !== undefined) return named;
  const fields: { name: string; type: SqlType }[] = [];
  for (let i = 0; i + 1 < c.args.length; i += 2) fields.push({ name: c.literal(i) ?? `col${i / 2 + 1}`, type: c.args[i + 1] });
  return { kind: "Struct", fields };
}, "never");

/** Spark `struct(a, t.b, 1)`, DuckDB `row(a, b)`: positional fields, named after bare column arguments, else col1, col2... */
const positionalStruct = infer((c) => namedArgsStruct(c) ?? { kind: "Struct", fields: c.args.map((type, i) => ({ name: c.argName(i) ?? `col${i + 1}`, type })) }, "never");

/** DuckDB `map([k...], [v...])`; Spark `map(k1, v1, k2, v2)`. */
const mapRule = infer((c) => {
  if (c.args.length === 0) return mapOf(T.Unknown, T.Unknown);
  if (c.args.length === 2 && c.args[0].kind === "Array" && c.args[1].kind === "Array") return mapOf(elementType(c.args[0]), elementType(c.args[1]));
  const keys: SqlType[] = [];
  const values: SqlType[] = [];
  for (let i = 0; i + 1 < c.args.length; i += 2) {
    keys.push(c.args[i]);
    values.push(c.args[i + 1]);
  }
  return mapOf(c.unify(keys), c.unify(values));
}, "never");

/** DuckDB `list_aggregate(list, 'sum')` and the `list_sum(list)` shortcuts: the named aggregate's rule on the element type. */
function listAggregateType(name: string | undefined, c: CallContext): SqlType {
  const row = name === undefined ? undefined : BASE_SCALAR[name.toUpperCase()];
  if (row === undefined || row.kind !== "aggregate") return T.Unknown;
  return returnTypeFor(row, { ...c, args: [elementType(c.args[0])], literal: () => undefined, literalList: () => undefined, argName: () => undefined, named: [] });
}
// An aggregate over an empty list (or one of only NULLs) is NULL, as over no rows; only the counts give 0.
const listAggregate = infer((c) => listAggregateType(c.literal(1), c), "always");
const listAgg = (name: string) => infer((c) => listAggregateType(name, c), name === "COUNT" ? undefined : "always");

/** struct_extract(s, 'field'): the field's type. */
function structField(c: CallContext): SqlType {
  const s = c.args[0];
  const name = c.literal(1)?.toLowerCase();
  if (s?.kind !== "Struct" || name === undefined) return T.Unknown;
  return s.fields.find((f) => f.name.toLowerCase() === name)?.type ?? T.Unknown;
}

const mapKeys = infer((c) => {
  const m = c.args[0];
  return arrayOf(m?.kind === "Map" ? m.key : T.Unknown);
});
const mapValues = infer((c) => {
  const m = c.args[0];
  return arrayOf(m?.kind === "Map" ? m.value : T.Unknown);
});
const listValue = infer((c) => arrayOf(c.unify(c.args)), "never");
const lagLead = win(infer((c) => (c.args.length > 2 ? (c.unifyArgs?.([0, 2]) ?? c.unify([c.args[0], c.args[2]])) : (c.args[0] ?? T.Unknown))), "always");
const concatLists = infer((c) => c.unify(c.args));

export const BASE_SCALAR: Record<string, FunctionRow> = {
  // ---- strings
  UPPER: S, LOWER: S, UCASE: S, LCASE: S, TRIM: S, LTRIM: S, RTRIM: S, BTRIM: S, SUBSTR: S, SUBSTRING: S, REPLACE: S,
  REGEXP_REPLACE: S, REGEXP_EXTRACT: S, REGEXP_SUBSTR: S, LEFT: S, RIGHT: S, LPAD: S, RPAD: S, REVERSE: S, REPEAT: S,
  INITCAP: S, TRANSLATE: S, SPLIT_PART: S, FORMAT: S, PRINTF: S, CHR: S, HEX: S, UNHEX: fixed(T.Binary), BASE64: S, TO_BASE64: S,
  CONCAT: fixed(T.String, "never"), CONCAT_WS: fixed(T.String, "first"), TO_CHAR: S, TO_VARCHAR: S, STRFTIME: S, DATE_FORMAT: S,
  MONTHNAME: S, DAYNAME: S, TYPEOF: fixed(T.String, "never"), UUID: fixed(T.String, "never"), GEN_RANDOM_UUID: fixed(T.String, "never"),
  UUID_STRING: fixed(T.String, "never"), SOUNDEX: S, QUOTE: S, MD5: S, SHA1: S, SHA256: S, SHA2: S, SHA512: S,
  LENGTH: I64, LEN: I64, CHAR_LENGTH: I64, CHARACTER_LENGTH: I64, OCTET_LENGTH: I64, BIT_LENGTH: I64, STRPOS: I64, POSITION: I64,
  INSTR: I64, ASCII: fixed(T.Int32), UNICODE: fixed(T.Int32), LEVENSHTEIN: I64, EDITDIST3: I64, JARO_WINKLER_SIMILARITY: F64,
  CONTAINS: BOOL, STARTS_WITH: BOOL, STARTSWITH: BOOL, ENDS_WITH: BOOL, ENDSWITH: BOOL, PREFIX: BOOL, SUFFIX: BOOL,
  REGEXP_MATCHES: BOOL, REGEXP_LIKE: BOOL, REGEXP_FULL_MATCH: BOOL,
  // ---- numbers
  ABS: argType(0), SIGN: fixed(T.Int32), ROUND: roundRule, TRUNC: roundRule, TRUNCATE: roundRule, CEIL: ceilRule, CEILING: ceilRule, FLOOR: ceilRule,
  SQRT: F64, CBRT: F64, POWER: F64, POW: F64, EXP: F64, LN: F64, LOG: F64, LOG10: F64, LOG2: F64, SIN: F64, COS: F64, TAN: F64,
  ASIN: F64, ACOS: F64, ATAN: F64, ATAN2: F64, DEGREES: F64, RADIANS: F64, PI: fixed(T.Float64, "never"), RANDOM: fixed(T.Float64, "never"),
  RAND: fixed(T.Float64, "never"), MOD: supertype(), DIV: supertype(), ISNAN: BOOL, ISINF: BOOL, ISFINITE: BOOL,
  GREATEST: supertype(), LEAST: supertype(), TO_DOUBLE: F64, TO_NUMBER: infer(toNumber), TO_DECIMAL: infer(toNumber), TO_NUMERIC: infer(toNumber),
  TRY_TO_NUMBER: infer(toNumber, "always"), TRY_TO_DECIMAL: infer(toNumber, "always"), TO_BOOLEAN: BOOL, TRY_TO_BOOLEAN: fixed(T.Boolean, "always"),
  ZEROIFNULL: argType(0, "never"), NULLIFZERO: argType(0, "always"), DIV0: F64, DIV0NULL: F64, GAMMA: F64, FACTORIAL: fixed(decimal(38, 0)),
  // ---- conditionals
  COALESCE: supertype(0, 1, "all"), IFNULL: supertype(0, 1, "all"), NVL: supertype(0, 1, "all"), NVL2: supertype(1, 1, "rest"),
  NULLIF: argType(0, "always"), IFF: supertype(1, 1, "rest"), IF: supertype(1, 1, "rest"), DECODE: decodeRule,
  // ---- date and time
  // ---- the session: who, where
  CURRENT_USER: S, SESSION_USER: S, CURRENT_ROLE: S, CURRENT_SCHEMA: S, CURRENT_DATABASE: S, CURRENT_CATALOG: S,
  CURRENT_DATE: fixed(T.Date, "never"), TODAY: fixed(T.Date, "never"), CURRENT_TIMESTAMP: NOW_TZ, NOW: NOW_TZ, GETDATE: NOW_TZ,
  SYSDATE: fixed(T.TimestampNtz, "never"), LOCALTIMESTAMP: fixed(T.TimestampNtz, "never"), CURRENT_TIME: fixed(T.Time, "never"),
  DATE_TRUNC: duckdbDateTrunc, DATETRUNC: duckdbDateTrunc, DATE_DIFF: I64, DATEDIFF: I64, DATESUB: I64, TIMESTAMPDIFF: I64, TIMESTAMP_DIFF: I64,
  DATE_ADD: infer(temporalArg), DATEADD: infer(temporalArg), DATE_SUB: infer(temporalArg), TIMESTAMPADD: infer(temporalArg),
  TIMESTAMP_ADD: infer(temporalArg), TIMEADD: infer(temporalArg),
  DATE_PART: I64, DATEPART: I64, YEAR: I64, MONTH: I64, DAY: I64, DAYOFMONTH: I64, HOUR: I64, MINUTE: I64, SECOND: I64, QUARTER: I64,
  WEEK: I64, WEEKOFYEAR: I64, WEEKDAY: I64, DAYOFWEEK: I64, DOW: I64, DAYOFYEAR: I64, DOY: I64, ISODOW: I64, ISOYEAR: I64, YEARWEEK: I64,
  EPOCH: F64, EPOCH_MS: I64, EPOCH_US: I64, EPOCH_NS: I64, MILLISECOND: I64, MICROSECOND: I64,
  TO_DATE: DATE, DATE: DATE, TRY_TO_DATE: fixed(T.Date, "always"), MAKE_DATE: DATE, DATE_FROM_PARTS: DATE, DATEFROMPARTS: DATE, LAST_DAY: DATE,
  TO_TIMESTAMP: fixed(T.Timestamp), TO_TIMESTAMP_TZ: fixed(T.Timestamp), TO_TIMESTAMP_LTZ: fixed(T.Timestamp), TO_TIMESTAMP_NTZ: fixed(T.TimestampNtz),
  TRY_TO_TIMESTAMP: fixed(T.Timestamp, "always"), STRPTIME: fixed(T.TimestampNtz), TRY_STRPTIME: fixed(T.TimestampNtz, "always"),
  MAKE_TIMESTAMP: fixed(T.TimestampNtz), TIMESTAMP_FROM_PARTS: fixed(T.TimestampNtz), TIMESTAMP_NTZ_FROM_PARTS: fixed(T.TimestampNtz),
  TIME_BUCKET: infer((c) => c.args[1] ?? T.Unknown), TO_TIME: fixed(T.Time), MAKE_TIME: fixed(T.Time), AGE: fixed(T.Interval),
  TO_DAYS: fixed(T.Interval), TO_HOURS: fixed(T.Interval), TO_MINUTES: fixed(T.Interval), TO_SECONDS: fixed(T.Interval),
  ADD_MONTHS: infer(temporalArg), MONTHS_BETWEEN: F64, NEXT_DAY: DATE, PREVIOUS_DAY: DATE, CONVERT_TIMEZONE: fixed(T.TimestampNtz),
  FROM_UNIXTIME: S, UNIX_TIMESTAMP: I64, TO_UNIX_TIMESTAMP: I64, TIMESTAMP_SECONDS: fixed(T.Timestamp), TIMESTAMP_MILLIS: fixed(T.Timestamp),
  UNIX_SECONDS: I64, UNIX_MILLIS: I64, UNIX_DATE: I64, DATE_FROM_UNIX_DATE: DATE, MAKE_INTERVAL: fixed(T.Interval),
  FORMAT_NUMBER: S, LOCATE: fixed(T.Int32), BROUND: roundRule, EQUAL_NULL: fixed(T.Boolean, "never"),
  // ---- hashing
  HASH: fixed(decimal(20, 0)), FARM_FINGERPRINT: I64, CRC32: I64, XXHASH64: I64,
  // ---- JSON / variant
  PARSE_JSON: fixed(T.Variant), TRY_PARSE_JSON: fixed(T.Variant, "always"), TO_VARIANT: fixed(T.Variant), TO_JSON: fixed(T.Variant),
  JSON: fixed(T.Variant), GET_PATH: fixed(T.Variant, "always"), GET: fixed(T.Variant, "always"), JSON_EXTRACT: fixed(T.Variant, "always"),
  JSON_EXTRACT_PATH: fixed(T.Variant, "always"), JSON_QUERY: fixed(T.Variant, "always"),
  JSON_EXTRACT_STRING: fixed(T.String, "always"), JSON_EXTRACT_PATH_TEXT: fixed(T.String, "always"), JSON_VALUE: fixed(T.String, "always"),
  JSON_EXTRACT_SCALAR: fixed(T.String, "always"), GET_JSON_OBJECT: fixed(T.String, "always"), JSON_ARRAY_LENGTH: I64,
  JSON_TYPE: S, OBJECT_CONSTRUCT: fixed(T.Variant, "never"), OBJECT_CONSTRUCT_KEEP_NULL: fixed(T.Variant, "never"),
  ARRAY_CONSTRUCT: fixed(arrayOf(T.Variant), "never"), OBJECT_KEYS: fixed(arrayOf(T.String)),
  // ---- arrays, maps, structs
  ARRAY_SIZE: I64, ARRAY_LENGTH: I64, CARDINALITY: I64, LIST_SIZE: I64, SIZE: fixed(T.Int32),
  ARRAY_CONTAINS: BOOL, LIST_CONTAINS: BOOL, LIST_HAS: BOOL, ARRAY_HAS: BOOL, ARRAYS_OVERLAP: BOOL,
  SPLIT: fixed(arrayOf(T.String)), STRING_SPLIT: fixed(arrayOf(T.String)), STR_SPLIT: fixed(arrayOf(T.String)),
  STRING_TO_ARRAY: fixed(arrayOf(T.String)), REGEXP_SPLIT_TO_ARRAY: fixed(arrayOf(T.String)), STRING_SPLIT_REGEX: fixed(arrayOf(T.String)),
  LIST_VALUE: listValue, LIST_PACK: listValue, ARRAY: listValue, ARRAY_CAT: concatLists, LIST_CONCAT: concatLists, ARRAY_CONCAT: concatLists,
  LIST_TRANSFORM: arrayOfArg(1), ARRAY_TRANSFORM: arrayOfArg(1), APPLY: arrayOfArg(1), LIST_APPLY: arrayOfArg(1), TRANSFORM: arrayOfArg(1),
  LIST_FILTER: argType(0), ARRAY_FILTER: argType(0), FILTER: argType(0), LIST_SORT: argType(0), ARRAY_SORT: argType(0),
  LIST_REVERSE_SORT: argType(0), LIST_DISTINCT: argType(0), ARRAY_DISTINCT: argType(0), ARRAY_COMPACT: argType(0), LIST_SLICE: argType(0),
  ARRAY_SLICE: argType(0), FLATTEN: elementOf(0), ELEMENT_AT: elementOf(0, "always"), LIST_EXTRACT: elementOf(0, "always"),
  LIST_ELEMENT: elementOf(0, "always"), ARRAY_EXTRACT: elementOf(0, "always"), GET_ARRAY_ITEM: elementOf(0, "always"),
  ARRAY_POSITION: fixed(T.Int64, "always"), LIST_POSITION: fixed(T.Int64, "always"), ARRAY_TO_STRING: S, ARRAY_JOIN: S,
  LIST_AGGREGATE: listAggregate, ARRAY_AGGREGATE: listAggregate, LIST_AGGR: listAggregate, ARRAY_AGGR: listAggregate,
  LIST_SUM: listAgg("SUM"), LIST_AVG: listAgg("AVG"), LIST_MEDIAN: listAgg("MEDIAN"), LIST_MODE: listAgg("MODE"),
  LIST_FIRST: listAgg("FIRST"), LIST_LAST: listAgg("LAST"), LIST_ANY_VALUE: listAgg("ANY_VALUE"), LIST_STRING_AGG: listAgg("STRING_AGG"),
  LIST_BOOL_AND: listAgg("BOOL_AND"), LIST_BOOL_OR: listAgg("BOOL_OR"), LIST_STDDEV_SAMP: listAgg("STDDEV_SAMP"), LIST_VAR_SAMP: listAgg("VAR_SAMP"),
  LIST_COUNT: listAgg("COUNT"), LIST_PRODUCT: listAgg("PRODUCT"), LIST_MIN: elementOf(0, "always"), LIST_MAX: elementOf(0, "always"),
  ARRAY_MAX: elementOf(0, "always"), ARRAY_MIN: elementOf(0, "always"), SORT_ARRAY: argType(0), ARRAY_UNION: argType(0), ARRAY_INTERSECT: argType(0),
  ARRAY_EXCEPT: argType(0), ARRAY_REMOVE: argType(0), ARRAY_APPEND: argType(0), ARRAY_PREPEND: infer((c) => c.args[1] ?? T.Unknown),
  ARRAY_REPEAT: arrayOfArg(0), SEQUENCE: infer((c) => arrayOf(c.args[0] ?? T.Unknown)), AGGREGATE: argType(1), REDUCE: argType(1),
  EXISTS: BOOL, FORALL: BOOL, MAP_FROM_ARRAYS: infer((c) => mapOf(elementType(c.args[0]), elementType(c.args[1]))),
  OBJECT_INSERT: fixed(T.Variant), ARRAY_INSERT: argType(0),
  UNNEST: elementOf(0, "always"), EXPLODE: elementOf(0), EXPLODE_OUTER: elementOf(0), GENERATE_SERIES: infer((c) => arrayOf(seriesType(c))), RANGE: infer((c) => arrayOf(seriesType(c))),
  MAP_KEYS: mapKeys, MAP_VALUES: mapValues, MAP_FROM_ENTRIES: fixed(mapOf(T.Unknown, T.Unknown)),
  STRUCT_PACK: structRule, NAMED_STRUCT: structRule, ROW: positionalStruct, STRUCT: positionalStruct, MAP: mapRule, STRUCT_EXTRACT: infer(structField, "always"),
  // ---- bits, numbers, strings and variants, one dialect each
  BIT_COUNT: fixed(T.Int32), EVEN: F64, XOR: supertype(), BITAND: supertype(), BITOR: supertype(), BITXOR: supertype(), BITNOT: argType(0),
  BITSHIFTLEFT: argType(0), BITSHIFTRIGHT: argType(0), SQUARE: F64, PMOD: supertype(), UNIFORM: infer((c) => (c.args.length >= 2 && isInteger(c.args[0]) && isInteger(c.args[1]) ? T.Int64 : T.Float64)),
  GROUPING: fixed(T.Int64, "never"), GROUPING_ID: fixed(T.Int64, "never"),
  SEQ1: fixed(T.Int64, "never"), SEQ2: fixed(T.Int64, "never"), SEQ4: fixed(T.Int64, "never"), SEQ8: fixed(T.Int64, "never"),
  CHARINDEX: I64, EDITDISTANCE: I64, REGEXP_COUNT: I64, REGEXP_INSTR: I64, FORMAT_STRING: S, SCHEMA_OF_JSON: S, STR_TO_MAP: fixed(mapOf(T.String, T.String)),
  STRTOK_TO_ARRAY: fixed(arrayOf(T.Variant)), TO_ARRAY: fixed(arrayOf(T.Variant)), TIME_SLICE: argType(0), SLICE: argType(0),
  TRY_ELEMENT_AT: elementOf(0, "always"), ZIP_WITH: infer((c) => arrayOf(c.args[2] ?? T.Unknown)),
  IS_NULL_VALUE: BOOL, IS_INTEGER: BOOL, IS_DECIMAL: BOOL, IS_DOUBLE: BOOL, IS_REAL: BOOL, IS_VARCHAR: BOOL, IS_BOOLEAN: BOOL, IS_ARRAY: BOOL,
  IS_OBJECT: BOOL, IS_DATE: BOOL, IS_DATE_VALUE: BOOL, IS_TIMESTAMP_NTZ: BOOL, IS_TIMESTAMP_LTZ: BOOL, IS_TIMESTAMP_TZ: BOOL,
  AS_VARCHAR: fixed(T.String, "always"), AS_CHAR: fixed(T.String, "always"), AS_INTEGER: fixed(T.Int64, "always"), AS_DOUBLE: fixed(T.Float64, "always"),
  AS_REAL: fixed(T.Float64, "always"), AS_BOOLEAN: fixed(T.Boolean, "always"), AS_DATE: fixed(T.Date, "always"), AS_ARRAY: fixed(arrayOf(T.Variant), "always"),
  AS_OBJECT: fixed(T.Variant, "always"),
  // ---- aggregates
  COUNT: agg(I64, "never"), PRODUCT: agg(F64), COUNT_IF: agg(fixed(decimal(38, 0)), "never"), COUNTIF: agg(I64, "never"), SUM: duckdbSum,
  AVG: agg(F64), MEAN: agg(F64), MIN: agg(argType(0)), MAX: agg(argType(0)), ANY_VALUE: agg(argType(0)), ARBITRARY: agg(argType(0)),
  FIRST: agg(argType(0)), LAST: agg(argType(0)), MODE: agg(argType(0)), ARG_MAX: agg(argType(0)), ARG_MIN: agg(argType(0)),
  MAX_BY: agg(argType(0)), MIN_BY: agg(argType(0)), MEDIAN: medianRule, QUANTILE_CONT: medianRule, QUANTILE_DISC: agg(argType(0)),
  PERCENTILE: agg(F64), PERCENTILE_CONT: agg(F64), PERCENTILE_DISC: agg(argType(0)), APPROX_PERCENTILE: agg(argType(0)), APPROX_QUANTILE: agg(argType(0)),
  PERCENTILE_APPROX: agg(argType(0)), APPROX_TOP_K: agg(fixed(arrayOf(T.Variant))), COUNT_DISTINCT: agg(I64, "never"),
  STDDEV: agg(F64), STDDEV_SAMP: agg(F64), STDDEV_POP: agg(F64), VARIANCE: agg(F64), VAR_SAMP: agg(F64), VAR_POP: agg(F64),
  CORR: agg(F64), COVAR_POP: agg(F64), COVAR_SAMP: agg(F64), REGR_SLOPE: agg(F64), KURTOSIS: agg(F64), SKEWNESS: agg(F64),
  APPROX_COUNT_DISTINCT: agg(I64, "never"), APPROX_DISTINCT: agg(I64, "never"), HLL: agg(I64, "never"),
  BOOL_AND: agg(BOOL), BOOL_OR: agg(BOOL), BOOLAND_AGG: agg(BOOL), BOOLOR_AGG: agg(BOOL), LOGICAL_AND: agg(BOOL), LOGICAL_OR: agg(BOOL),
  EVERY: agg(BOOL), BIT_AND: agg(argType(0)), BIT_OR: agg(argType(0)),
  STRING_AGG: agg(S), LISTAGG: agg(S), GROUP_CONCAT: agg(S), ARRAY_AGG: agg(arrayOfArg(0)), LIST: agg(arrayOfArg(0)),
  COLLECT_LIST: agg(arrayOfArg(0), "never"), COLLECT_SET: agg(arrayOfArg(0), "never"), ARRAY_UNIQUE_AGG: agg(arrayOfArg(0), "never"),
  OBJECT_AGG: agg(fixed(T.Variant)), MAP_AGG: agg(infer((c) => mapOf(c.args[0] ?? T.Unknown, c.args[1] ?? T.Unknown))),
  // ---- windows
  ROW_NUMBER: win(I64, "never"), RANK: win(I64, "never"), DENSE_RANK: win(I64, "never"), NTILE: win(I64, "never"),
  PERCENT_RANK: win(F64, "never"), CUME_DIST: win(F64, "never"), LAG: lagLead, LEAD: lagLead,
  FIRST_VALUE: win(argType(0), "first"), LAST_VALUE: win(argType(0), "first"), NTH_VALUE: win(argType(0), "always"),
};

function toNumber(c: CallContext): SqlType {
  const p = c.literal(1);
  const s = c.literal(2);
  const t = p !== undefined && /^\d+$/.test(p) ? decimal(Number(p), s !== undefined && /^\d+$/.test(s) ? Number(s) : 0) : decimal(38, 0);
  // Snowflake's NUMBER(38, 0) is its integer, as a cast to it is (type-from-name.ts).
  return c.dialect === "snowflake" && t.kind === "Decimal" && t.precision === 38 && t.scale === 0 ? T.Int64 : t;
}

const unnestColumns: TableFunctionRow = { columns: (c) => [{ name: "unnest", type: elementType(c.args[0]) }] };

export const BASE_TABLE: Record<string, TableFunctionRow> = {
  UNNEST: unnestColumns,
  GENERATE_SERIES: { columns: (c) => [{ name: "generate_series", type: seriesType(c) }] },
  RANGE: { columns: (c) => [{ name: "range", type: seriesType(c) }] },
  EXPLODE: {
    columns: (c) => {
      const a = c.args[0];
      if (a?.kind === "Map") return [{ name: "key", type: a.key }, { name: "value", type: a.value }];
      return [{ name: "col", type: elementType(a) }];
    },
  },
  EXPLODE_OUTER: {
    columns: (c) => {
      const a = c.args[0];
      if (a?.kind === "Map") return [{ name: "key", type: a.key }, { name: "value", type: a.value }];
      return [{ name: "col", type: elementType(a) }];
    },
  },
  POSEXPLODE_OUTER: { columns: (c) => [{ name: "pos", type: T.Int32 }, { name: "col", type: elementType(c.args[0]) }] },
  POSEXPLODE: { columns: (c) => [{ name: "pos", type: T.Int32 }, { name: "col", type: elementType(c.args[0]) }] },
  INLINE: { columns: (c) => { const e = elementType(c.args[0]); return e.kind === "Struct" ? e.fields : []; } },
  FLATTEN: {
    columns: () => [
      { name: "SEQ", type: T.Int64 },
      { name: "KEY", type: T.String },
      { name: "PATH", type: T.String },
      { name: "INDEX", type: T.Int64 },
      { name: "VALUE", type: T.Variant },
      { name: "THIS", type: T.Variant },
    ],
  },
  SPLIT_TO_TABLE: { columns: () => [{ name: "SEQ", type: T.Int64 }, { name: "INDEX", type: T.Int64 }, { name: "VALUE", type: T.String }] },
};

function seriesType(c: CallContext): SqlType {
  const first = c.args[0];
  if (first && (first.kind === "Timestamp" || first.kind === "TimestampNtz" || first.kind === "Date")) return first.kind === "Date" ? T.TimestampNtz : first;
  return T.Int64;
}

export const BASE_FUNCTIONS: DialectFunctions = { scalar: BASE_SCALAR, table: BASE_TABLE };
