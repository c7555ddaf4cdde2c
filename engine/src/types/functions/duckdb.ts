import { arrayOf, isInteger, T } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, arrayOfArg, fixed, infer } from "./function-row.js";
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

/**
 * DuckDB's JSON extraction: one value for one path, a LIST for a list of paths or a path with a
 * wildcard (`$[*].a`, `$.*`, `$..a`), which can match many.
 */
const jsonPath = (one: SqlType) =>
  infer((c) => {
    const path = c.args[1];
    if (path?.kind === "Array") return arrayOf(one);
    const text = c.literal(1);
    return text !== undefined && (text.includes("*") || text.includes("..")) ? arrayOf(one) : one;
  }, "always");

/**
 * AVG / MEAN of a temporal value or an interval is one of them (a DATE averages to a TIMESTAMP);
 * of a number a DOUBLE. MEDIAN / QUANTILE_CONT interpolate the same way, integers to DOUBLE.
 */
const temporalMean = (numeric: (a: SqlType) => SqlType) =>
  agg(
    infer((c) => {
      const a = c.args[0] ?? T.Unknown;
      if (a.kind === "Date") return T.TimestampNtz;
      if (a.kind === "TimestampNtz" || a.kind === "Timestamp" || a.kind === "Time" || a.kind === "Interval") return a;
      return numeric(a);
    }),
  );

/** MIN(x, n), ARG_MAX(x, y, n) and kin: with a count argument the aggregate returns the top n as a LIST. */
const topN = (countAt: number) => agg(infer((c) => (c.args.length > countAt ? arrayOf(c.args[0] ?? T.Unknown) : (c.args[0] ?? T.Unknown))));

/** The same fixed return type for each of the space-separated names. */
function fixedRows(type: SqlType, names: string): Record<string, ReturnType<typeof fixed>> {
  return Object.fromEntries(names.split(" ").map((n) => [n, fixed(type)]));
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
    // DuckDB functions with one return type whatever their arguments (duckdb_functions() lists it;
    // the DuckDB agreement corpus DESCRIBEs each): strings, encodings, similarity, JSON, lists,
    // intervals, timestamps, hyperbolic maths and the statistics aggregates.
    ...fixedRows(T.String, "TO_HEX TO_BINARY TO_BASE BIN BAR URL_ENCODE URL_DECODE STRIP_ACCENTS NFC_NORMALIZE REGEXP_ESCAPE FORMAT_BYTES FORMATREADABLESIZE FORMATREADABLEDECIMALSIZE PARSE_FILENAME PARSE_DIRNAME PARSE_DIRPATH LEFT_GRAPHEME RIGHT_GRAPHEME SUBSTRING_GRAPHEME JSON_PRETTY"),
    ...fixedRows(T.Binary, "FROM_HEX FROM_BINARY UNBIN FROM_BASE64 ENCODE"),
    ...fixedRows(T.Float64, "JACCARD JARO_SIMILARITY ACOSH ASINH ATANH COSH SINH TANH COT LGAMMA JULIAN"),
    ...fixedRows(T.Int32, "ORD ARRAY_INDEXOF LIST_INDEXOF STRUCT_INDEXOF STRUCT_POSITION GET_BIT BIT_POSITION"),
    ...fixedRows(T.Boolean, "JSON_VALID JSON_CONTAINS LIST_HAS_ALL LIST_HAS_ANY ARRAY_HAS_ALL ARRAY_HAS_ANY MAP_CONTAINS STRUCT_CONTAINS SIGNBIT"),
    ...fixedRows(T.Variant, "JSON_OBJECT JSON_ARRAY JSON_MERGE_PATCH JSON_QUOTE JSON_STRUCTURE ARRAY_TO_JSON ROW_TO_JSON"),
    ...fixedRows(T.Interval, "TO_YEARS TO_MONTHS TO_QUARTERS TO_WEEKS TO_DECADES TO_CENTURIES TO_MILLENNIA TO_MILLISECONDS TO_MICROSECONDS NORMALIZED_INTERVAL"),
    ...fixedRows(arrayOf(T.String), "REGEXP_EXTRACT_ALL STR_SPLIT_REGEX PARSE_PATH STRUCT_KEYS"),
    // BIGINT over integers (DuckDB has one overload for BIGINT and one for HUGEINT).
    ...fixedRows(T.Int64, "DAMERAU_LEVENSHTEIN HAMMING MISMATCHES"),
    ...Object.fromEntries(
      "GCD LCM GREATEST_COMMON_DIVISOR LEAST_COMMON_MULTIPLE".split(" ").map((n) => [n, infer((c) => (c.args.some((a) => a.kind === "Decimal") ? decimal(38, 0) : T.Int64))]),
    ),
    // repeat(x, n) repeats a string, a blob or a list and returns the same kind.
    REPEAT: infer((c) => (c.args[0]?.kind === "Array" || c.args[0]?.kind === "Binary" ? c.args[0] : T.String)),
    ARRAY_POSITION: fixed(T.Int32, "always"),
    LIST_POSITION: fixed(T.Int32, "always"),
    AVG: temporalMean(() => T.Float64),
    MEAN: temporalMean(() => T.Float64),
    MEDIAN: temporalMean((a) => (isInteger(a) ? T.Float64 : a)),
    QUANTILE_CONT: temporalMean((a) => (isInteger(a) ? T.Float64 : a)),
    COUNTIF: agg(fixed(decimal(38, 0)), "never"),
    MIN: topN(1),
    MAX: topN(1),
    ARG_MAX: topN(2),
    ARG_MIN: topN(2),
    MAX_BY: topN(2),
    MIN_BY: topN(2),
    APPROX_TOP_K: agg(arrayOfArg(0)),
    BIT_XOR: BASE_SCALAR.BIT_AND,
    // decode(blob) is the blob's text (DuckDB has no CASE-like DECODE); json_array_length a UBIGINT.
    DECODE: fixed(T.String),
    JSON_ARRAY_LENGTH: fixed(decimal(20, 0)),
    JSON_EXTRACT: jsonPath(T.Variant),
    JSON_EXTRACT_PATH: jsonPath(T.Variant),
    JSON_EXTRACT_STRING: jsonPath(T.String),
    JSON_EXTRACT_PATH_TEXT: jsonPath(T.String),
    JSON_VALUE: jsonPath(T.String),
    JSON_EXISTS: jsonPath(T.Boolean),
    JSON_KEYS: jsonPath(arrayOf(T.String)),
    // map_entries(m): a LIST of STRUCT(key, value).
    MAP_ENTRIES: infer((c) => {
      const m = c.args[0];
      return m?.kind === "Map" ? arrayOf({ kind: "Struct", fields: [{ name: "key", type: m.key }, { name: "value", type: m.value }] }) : T.Unknown;
    }),
    MAKE_TIMESTAMP_MS: fixed(T.TimestampNtz),
    MAKE_TIMESTAMP_NS: fixed(T.TimestampNtz),
    MAKE_TIMESTAMPTZ: fixed(T.Timestamp),
    UUIDV4: fixed(T.String, "never"),
    UUIDV7: fixed(T.String, "never"),
    UUID_EXTRACT_TIMESTAMP: fixed(T.Timestamp),
    ...Object.fromEntries("ENTROPY FAVG FSUM KAHAN_SUM SUMKAHAN KURTOSIS_POP SEM REGR_AVGX REGR_AVGY REGR_INTERCEPT REGR_R2 REGR_SXX REGR_SXY REGR_SYY".split(" ").map((n) => [n, agg(fixed(T.Float64))])),
  },
  table: { ...BASE_TABLE },
};
