import { arrayOf, isInteger, T } from "../type-constants.js";
import { BASE_SCALAR, BASE_TABLE, temporalArg } from "./base.js";
import type { CallContext, DialectFunctions } from "./function-row.js";
import { agg, argType, arrayOfArg, fixed, infer, supertype, win } from "./function-row.js";
import { decimal, mapOf } from "../type-constants.js";
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

/** The parts date_part / EXTRACT give as a DOUBLE; every other part is a BIGINT. */
export const DOUBLE_DATE_PARTS: ReadonlySet<string> = new Set(["epoch", "julian"]);

const partType = (part: string): SqlType => (DOUBLE_DATE_PARTS.has(part.toLowerCase()) ? T.Float64 : T.Int64);

/**
 * date_part('epoch' | 'julian', x) is a DOUBLE, every other part a BIGINT; a list of parts gives a
 * STRUCT with one field per part, named as written (`date_part(['year', 'month'], ts)`).
 */
function datePart(c: CallContext): SqlType {
  if (c.args[0]?.kind === "Array") {
    const parts = c.literalList(0);
    return parts === undefined ? T.Unknown : { kind: "Struct", fields: parts.map((p) => ({ name: p, type: partType(p) })) };
  }
  return partType(c.literal(0) ?? "");
}

/** strptime with a `%z` / `%Z` in its format (or in any of a list of formats) parses a TIMESTAMPTZ. */
function strptime(c: CallContext): SqlType {
  const formats = c.literalList(1) ?? [c.literal(1) ?? ""];
  if (c.args[1]?.kind === "Array" && c.literalList(1) === undefined) return T.Unknown;
  return formats.some((f) => /%[zZ]/.test(f)) ? T.Timestamp : T.TimestampNtz;
}

/** The quantile aggregates: given a list of fractions (`quantile_cont(x, [0.25, 0.75])`), a LIST of what one fraction gives. */
const quantiles = (one: (a: SqlType) => SqlType) =>
  agg(
    infer((c) => {
      const t = one(c.args[0] ?? T.Unknown);
      return c.args[1]?.kind === "Array" && t.kind !== "Unknown" ? arrayOf(t) : t;
    }),
  );

/** MEDIAN / QUANTILE_CONT interpolate: a DATE to a TIMESTAMP, an integer to a DOUBLE; other types keep theirs. */
function interpolated(a: SqlType): SqlType {
  if (a.kind === "Date") return T.TimestampNtz;
  return isInteger(a) ? T.Float64 : a;
}

/**
 * approx_quantile(x, q) of one fraction returns a decimal's stored integer (DECIMAL(4,1) a
 * SMALLINT, (10,2) a BIGINT, (38,10) a HUGEINT) and a FLOAT as a DOUBLE; of a list of fractions,
 * a LIST of x's own type.
 */
const approxQuantile = agg(
  infer((c) => {
    const a = c.args[0] ?? T.Unknown;
    if (c.args[1]?.kind === "Array") return a.kind === "Unknown" ? a : arrayOf(a);
    if (a.kind === "Float32") return T.Float64;
    if (a.kind === "Decimal" && a.precision !== undefined) return a.precision <= 9 ? T.Int32 : a.precision <= 18 ? T.Int64 : decimal(38, 0);
    return a;
  }),
);

/** The first list argument's element type, or Unknown. */
const elementOfArray = (t: SqlType | undefined): SqlType => (t?.kind === "Array" ? t.element : T.Unknown);

/** list_append(l, x) / list_prepend(x, l): the list of the unified element and value. */
const appendTo = (listAt: number, valueAt: number) =>
  infer((c) => {
    const l = c.args[listAt];
    const v = c.args[valueAt];
    if (l?.kind !== "Array" || v === undefined) return T.Unknown;
    return arrayOf(c.unify([l.element, v]));
  });

/** histogram's key: the value's type, but a DOUBLE for a decimal counted into bins. */
function binKey(c: CallContext, binned: boolean): SqlType {
  const a = c.args[0] ?? T.Unknown;
  return binned && a.kind === "Decimal" ? T.Float64 : a;
}

/** The list distance functions: a FLOAT for FLOAT lists, else a DOUBLE. */
const listDistance = infer((c) => (elementOfArray(c.args[0]).kind === "Float32" ? T.Float32 : T.Float64));

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
    // mod(x, 0) is NULL, as x % 0 is.
    MOD: supertype(0, 1, "divisor"),
    STRPTIME: infer(strptime),
    TRY_STRPTIME: infer(strptime, "always"),
    // lag / lead cast their default to the value's type: lag(i, 1, 0.5) is an INTEGER.
    LAG: win(argType(0), "always"),
    LEAD: win(argType(0), "always"),
    // list / array_extract on a string take a character.
    ARRAY_EXTRACT: infer((c) => (c.args[0]?.kind === "String" ? T.String : elementOfArray(c.args[0])), "always"),
    LIST_EXTRACT: infer((c) => (c.args[0]?.kind === "String" ? T.String : elementOfArray(c.args[0])), "always"),
    LIST_ELEMENT: infer((c) => (c.args[0]?.kind === "String" ? T.String : elementOfArray(c.args[0])), "always"),
    ...fixedRows(T.Int64, "STRLEN LENGTH_GRAPHEME ERA CENTURY DECADE MILLENNIUM NEXTVAL CURRVAL NANOSECOND TIMEZONE_HOUR TIMEZONE_MINUTE UUID_EXTRACT_VERSION"),
    ...fixedRows(decimal(20, 0), "PARSE_FORMATTED_BYTES TXID_CURRENT"),
    IN_SEARCH_PATH: fixed(T.Boolean),
    JSON_DESERIALIZE_SQL: fixed(T.String),
    JSON_SERIALIZE_PLAN: fixed(T.Variant),
    BITSTRING: fixed(T.Binary),
    NEXTAFTER: infer((c) => (c.args[0]?.kind === "Float32" ? T.Float32 : T.Float64)),
    CURRENT_LOCALTIME: fixed(T.Time, "never"),
    GET_CURRENT_TIME: fixed(T.Time, "never"),
    CURRENT_LOCALTIMESTAMP: fixed(T.TimestampNtz, "never"),
    LIST_CAT: BASE_SCALAR.LIST_CONCAT,
    ...fixedRows(T.Boolean, "LIKE_ESCAPE ILIKE_ESCAPE NOT_LIKE_ESCAPE NOT_ILIKE_ESCAPE"),
    // md5_number is a UHUGEINT (stored as Decimal(38,0), as HUGEINT is).
    MD5_NUMBER: fixed(decimal(38, 0)),
    VERSION: fixed(T.String, "never"),
    JSON_SERIALIZE_SQL: fixed(T.Variant),
    REGEXP_SPLIT_TO_TABLE: fixed(T.String),
    GET_CURRENT_TIMESTAMP: fixed(T.Timestamp, "never"),
    TRANSACTION_TIMESTAMP: fixed(T.Timestamp, "never"),
    LOCALTIME: fixed(T.Time, "never"),
    // round_even / roundbankers: a DOUBLE, a FLOAT for a FLOAT.
    ROUND_EVEN: infer((c) => (c.args[0]?.kind === "Float32" ? T.Float32 : T.Float64)),
    ROUNDBANKERS: infer((c) => (c.args[0]?.kind === "Float32" ? T.Float32 : T.Float64)),
    // timezone(zone, x) is x AT TIME ZONE zone: a zoned timestamp loses its zone, anything else gains one; timezone(x) is x's offset part.
    TIMEZONE: infer((c) => {
      if (c.args.length === 1) return T.Int64;
      const x = c.args[1];
      if (x === undefined || x.kind === "Unknown") return T.Unknown;
      return x.kind === "Timestamp" ? T.TimestampNtz : x.kind === "TimestampNtz" || x.kind === "Date" ? T.Timestamp : T.Unknown;
    }),
    ARRAY_VALUE: BASE_SCALAR.LIST_VALUE,
    LIST_APPEND: appendTo(0, 1),
    ARRAY_APPEND: appendTo(0, 1),
    ARRAY_PUSH_BACK: appendTo(0, 1),
    LIST_PREPEND: appendTo(1, 0),
    ARRAY_PREPEND: appendTo(1, 0),
    ARRAY_PUSH_FRONT: appendTo(1, 0),
    ...Object.fromEntries("LIST_REVERSE ARRAY_REVERSE LIST_RESIZE ARRAY_RESIZE LIST_SELECT ARRAY_SELECT LIST_WHERE ARRAY_WHERE MAP_CONCAT".split(" ").map((n) => [n, argType(0)])),
    LIST_GRADE_UP: fixed(arrayOf(T.Int64)),
    GRADE_UP: fixed(arrayOf(T.Int64)),
    LIST_INTERSECT: argType(0),
    ARRAY_REVERSE_SORT: argType(0),
    ...fixedRows(T.String, "VECTOR_TYPE ALIAS"),
    ...fixedRows(T.Boolean, "CAN_CAST_IMPLICITLY IS_HISTOGRAM_OTHER_BIN"),
    ARRAY_GRADE_UP: fixed(arrayOf(T.Int64)),
    LIST_UNIQUE: fixed(decimal(20, 0)),
    ARRAY_UNIQUE: fixed(decimal(20, 0)),
    ...Object.fromEntries("LIST_COSINE_SIMILARITY LIST_COSINE_DISTANCE LIST_DISTANCE LIST_INNER_PRODUCT LIST_DOT_PRODUCT LIST_NEGATIVE_INNER_PRODUCT LIST_NEGATIVE_DOT_PRODUCT".split(" ").map((n) => [n, listDistance])),
    // map_from_entries(list of (key, value) structs).
    MAP_FROM_ENTRIES: infer((c) => {
      const e = elementOfArray(c.args[0]);
      return e.kind === "Struct" && e.fields.length === 2 ? mapOf(e.fields[0].type, e.fields[1].type) : T.Unknown;
    }),
    // struct_insert(s, name := value, ...): s's fields, then the new ones.
    STRUCT_INSERT: infer((c) => {
      const s = c.args[0];
      return s?.kind === "Struct" ? { kind: "Struct", fields: [...s.fields, ...c.named.map((n) => ({ name: n.name, type: n.type }))] } : T.Unknown;
    }),
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
    QUANTILE_CONT: quantiles(interpolated),
    QUANTILE_DISC: quantiles((a) => a),
    QUANTILE: quantiles((a) => a),
    APPROX_QUANTILE: approxQuantile,
    // MAD: a number's own type (an integer's a DOUBLE); of dates, timestamps and times an INTERVAL.
    MAD: agg(
      infer((c) => {
        const a = c.args[0] ?? T.Unknown;
        if (a.kind === "Date" || a.kind === "Timestamp" || a.kind === "TimestampNtz" || a.kind === "Time") return T.Interval;
        return isInteger(a) ? T.Float64 : a;
      }),
    ),
    GEOMEAN: agg(fixed(T.Float64)),
    GEOMETRIC_MEAN: agg(fixed(T.Float64)),
    // histogram(x): a MAP from each value to its count (UBIGINT); given bins (and histogram_exact), a decimal's bins are DOUBLEs.
    HISTOGRAM: agg(infer((c) => mapOf(binKey(c, c.args.length > 1), decimal(20, 0)))),
    HISTOGRAM_EXACT: agg(infer((c) => mapOf(binKey(c, true), decimal(20, 0)))),
    BITSTRING_AGG: agg(fixed(T.Binary)),
    JSON_GROUP_ARRAY: agg(fixed(T.Variant)),
    JSON_GROUP_OBJECT: agg(fixed(T.Variant)),
    JSON_GROUP_STRUCTURE: agg(fixed(T.Variant)),
    // count_if over no rows, or over only NULLs, is NULL in DuckDB (a sum of its matches).
    COUNT_IF: agg(fixed(decimal(38, 0))),
    COUNTIF: agg(fixed(decimal(38, 0))),
    MIN: topN(1),
    MAX: topN(1),
    ARG_MAX: topN(2),
    ARG_MIN: topN(2),
    ...Object.fromEntries("ARGMAX ARGMIN ARG_MAX_NULL ARG_MIN_NULL ARG_MAX_NULLS_LAST ARG_MIN_NULLS_LAST".split(" ").map((n) => [n, topN(2)])),
    COUNT_STAR: agg(fixed(T.Int64), "never"),
    REGR_COUNT: agg(fixed(T.Int64), "never"),
    MAX_BY: topN(2),
    MIN_BY: topN(2),
    APPROX_TOP_K: agg(arrayOfArg(0)),
    BIT_XOR: BASE_SCALAR.BIT_AND,
    // decode(blob) is the blob's text (DuckDB has no CASE-like DECODE); json_array_length a UBIGINT.
    DECODE: fixed(T.String),
    JSON_ARRAY_LENGTH: fixed(decimal(20, 0), "path"),
    JSON_TYPE: fixed(T.String, "path"),
    // array_to_string of a list of only NULLs is NULL (a string_agg of the elements).
    ARRAY_TO_STRING: fixed(T.String, "always"),
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
