import type { DialectId, Expr } from "../syntax/ast.js";

/**
 * The P001 catalog, as data (rocky-compat.md §4). A construct not listed here is portable.
 *
 * `native` lists the dialects that run the construct (never flagged there), in Rocky's order; the
 * construct is flagged on every other target. `origin: "rocky"` rows are Rocky's catalog, with one
 * correction: what DuckDB runs is DuckDB's, checked against a real DuckDB in
 * `test/engine/checks/portability-duckdb.test.ts`. Rocky flags QUALIFY, LEN, DATEDIFF, DATE_ADD
 * and DATE_DIFF on DuckDB, which runs them (a DuckDB project's own SQL failed the check), and
 * lists TO_CHAR, TO_DATE and DATE_FORMAT as DuckDB's, which has none of them (they failed only in
 * the warehouse). For the other dialects Rocky's choices are kept (LEN, DATEDIFF, DATE_FORMAT,
 * TO_CHAR, TO_DATE and TO_TIMESTAMP as Rocky lists them), except ARRAY_SIZE, which Databricks
 * runs. `origin: "ours"` rows extend it with constructs that are clearly non-portable; where a
 * dialect's support was uncertain it is listed as native, so an extension row never produces a
 * false positive. Rewrites (the replacement text) are in `portability-rewrites.ts`.
 */
export type ConstructKind =
  | "function"
  | "table_function"
  | "qualify"
  | "ilike"
  | "colon_cast"
  | "variant_path"
  | "lateral_view"
  | "operator"
  | "star_filter"
  | "star_modifier"
  | "struct_literal"
  | "array_literal"
  | "map_literal"
  | "slice"
  | "distinct_on"
  | "from_first"
  | "pivot_statement"
  | "match_recognize"
  | "connect_by"
  | "file_scan"
  | "stage_scan"
  | "list_comprehension"
  | "positional_column"
  | "typed_literal"
  | "using_sample"
  | "stream_read";

export interface PortabilityConstruct {
  /** The label in messages, `[portability] allow` and `-- rocky-allow:` (upper-case). For functions, the function name. */
  readonly label: string;
  /** How messages name it, when not the label (`:: cast`). */
  readonly display?: string;
  readonly kind: ConstructKind;
  readonly native: readonly DialectId[];
  /**
   * Only in models written in these dialects (absent: any). For an operator whose meaning depends
   * on the dialect: DuckDB's `^` is a power, Databricks' and BigQuery's a bitwise XOR.
   */
  readonly writtenIn?: readonly DialectId[];
  /** Only calls with this many arguments (absent: any). LOG means one thing with one argument and another with two. */
  readonly arity?: number;
  /**
   * Targets that run the construct but compute something else with it (a `writtenIn` row: the model's
   * dialect decides what it means): what it does there. The finding says so instead of "not portable".
   */
  readonly meaning?: Partial<Readonly<Record<DialectId, string>>>;
  readonly origin: "rocky" | "ours";
  /**
   * For dialects in `native` that run the function in some argument forms only: `accepts` says
   * whether a call's arguments have such a form there. A call in another form is flagged on that
   * dialect as `display`, with its own suggestion.
   */
  readonly form?: {
    readonly accepts: Partial<Readonly<Record<DialectId, (args: readonly Expr[]) => boolean>>>;
    readonly display: string;
    readonly suggestions: Partial<Readonly<Record<DialectId, string>>>;
  };
  /** What to use instead, per flagged target. */
  readonly suggestions: Partial<Readonly<Record<DialectId, string>>>;
}

const SF: DialectId = "snowflake";
const DBX: DialectId = "databricks";
const BQ: DialectId = "bigquery";
const DUCK: DialectId = "duckdb";

/**
 * Date-part names a call may spell as a bare word (Snowflake's `DATEDIFF(day, a, b)`, BigQuery's
 * `DATE_DIFF(a, b, DAY)`). Single letters (`d`, `s`) are left out: they are more often a column.
 */
const DATE_PARTS = new Set(
  "year years yy yyyy yr yrs quarter quarters qtr qtrs month months mm mon mons week weeks wk wks weekofyear isoweek day days dd dayofmonth dayofweek dow dayofyear doy hour hours hh hr hrs minute minutes mi min mins second seconds sec secs millisecond milliseconds ms microsecond microseconds us nanosecond nanoseconds ns epoch".split(" "),
);

const isBarePart = (e: Expr | undefined) => e?.kind === "column" && e.parts.length === 1 && !e.parts[0].quoted && DATE_PARTS.has(e.parts[0].name.toLowerCase());

/**
 * DuckDB's date functions take the part first, as a string (`DATEDIFF('day', a, b)`). A three-argument
 * call with a bare part word first (Snowflake, Databricks) or last (BigQuery) names a column there.
 */
function partAsString(args: readonly Expr[]): boolean {
  if (args.length !== 3 || args[0].kind === "literal") return true;
  return !isBarePart(args[0]) && !isBarePart(args[2]);
}

/** The form row of a date function DuckDB runs only with the part as a string. */
const duckdbPartForm = (label: string, suggestion: string): PortabilityConstruct["form"] => ({
  accepts: { duckdb: partAsString },
  display: `${label} with an unquoted date part`,
  suggestions: { duckdb: suggestion },
});

/** What a one-argument LOG written in DuckDB computes where it is the natural logarithm. */
const LOG_NATURAL = "it returns the natural logarithm, where DuckDB's LOG(x) returns the base-10 logarithm";
/** What BigQuery's two-argument LOG(x, base) computes where the base comes first. */
const LOG_BASE_FIRST = "it takes the base first and the value second, LOG(base, x)";
/** The spelling of DuckDB's one-argument LOG that is base 10 on Databricks and BigQuery too. */
const LOG10_BOTH = "use LOG10(x), the base-10 logarithm in both";
const SWAP_TO_BASE_FIRST = "swap the arguments: LOG(base, x)";

const all = (text: string) => ({ snowflake: text, databricks: text, bigquery: text, duckdb: text });

/**
 * DAYNAME and MONTHNAME: the full English name in DuckDB ('Monday'), three letters in Snowflake and
 * Databricks ('Mon'); BigQuery has neither (FORMAT_DATE). Two rows: one for models written in
 * DuckDB, one for models written in Snowflake or Databricks.
 */
function otherMeaning(
  label: string,
  what: string,
  example: { readonly full: string; readonly short: string },
  suggestions: { readonly full: PortabilityConstruct["suggestions"]; readonly short: PortabilityConstruct["suggestions"] },
): PortabilityConstruct[] {
  const full = `the full ${what} name ('${example.full}')`;
  const short = `the three-letter ${what} name ('${example.short}')`;
  const onWarehouses = `it returns ${short}, where DuckDB's ${label} returns ${full}`;
  return [
    {
      label,
      kind: "function",
      native: [DUCK],
      writtenIn: [DUCK],
      meaning: { snowflake: onWarehouses, databricks: onWarehouses },
      origin: "ours",
      suggestions: suggestions.full,
    },
    {
      label,
      kind: "function",
      native: [SF, DBX],
      writtenIn: [SF, DBX],
      meaning: { duckdb: `it returns ${full}, where Snowflake's and Databricks' ${label} return ${short}` },
      origin: "ours",
      suggestions: suggestions.short,
    },
  ];
}

export const PORTABILITY_CATALOG: readonly PortabilityConstruct[] = [
  // ---- Rocky's catalog (rocky-sql/src/portability.rs)
  { label: "NVL", kind: "function", native: [SF, DBX], origin: "rocky", suggestions: { bigquery: "use IFNULL(...) or COALESCE(...) instead of NVL(...)", duckdb: "use COALESCE(...) instead of NVL(...)" } },
  { label: "IFNULL", kind: "function", native: [BQ, DUCK], origin: "rocky", suggestions: all("use COALESCE(...) instead of IFNULL(...)") },
  { label: "DATEADD", kind: "function", native: [SF, DBX], origin: "rocky", suggestions: { bigquery: "use DATE_ADD(date, INTERVAL n unit) (TIMESTAMP_ADD for timestamps) instead of DATEADD(...)", duckdb: "add an interval instead of DATEADD(...): date + INTERVAL (n) unit" } },
  {
    label: "DATEDIFF",
    kind: "function",
    native: [SF, DBX, DUCK],
    origin: "rocky",
    form: duckdbPartForm("DATEDIFF", "DuckDB takes the date part first, as a string: DATEDIFF('day', start, end)"),
    suggestions: { bigquery: "use DATE_DIFF(end, start, unit) instead of DATEDIFF(unit, start, end)" },
  },
  {
    label: "DATE_ADD",
    kind: "function",
    native: [BQ, DBX, DUCK],
    origin: "rocky",
    form: duckdbPartForm("DATE_ADD", "add an interval instead: date + INTERVAL (n) unit"),
    suggestions: { snowflake: "use DATEADD(unit, n, date) instead of DATE_ADD(...)" },
  },
  {
    label: "DATE_DIFF",
    kind: "function",
    native: [BQ, DBX, DUCK],
    origin: "rocky",
    form: duckdbPartForm("DATE_DIFF", "DuckDB takes the date part first, as a string: DATE_DIFF('day', start, end)"),
    suggestions: { snowflake: "use DATEDIFF(unit, start, end) instead of DATE_DIFF(...)" },
  },
  {
    label: "TO_VARCHAR",
    kind: "function",
    native: [SF],
    origin: "rocky",
    suggestions: {
      bigquery: "use FORMAT_TIMESTAMP(...) or CAST(... AS STRING) instead of TO_VARCHAR(...)",
      databricks: "use DATE_FORMAT(...) or CAST(... AS STRING) instead of TO_VARCHAR(...)",
      duckdb: "use CAST(... AS VARCHAR) instead of TO_VARCHAR(...)",
    },
  },
  {
    label: "TO_CHAR",
    kind: "function",
    native: [SF, DBX],
    origin: "rocky",
    suggestions: { bigquery: "use the BigQuery equivalent of TO_CHAR(...): FORMAT_TIMESTAMP / FORMAT_DATE / CAST(... AS STRING)", duckdb: "use STRFTIME(value, format) or CAST(... AS VARCHAR) instead of TO_CHAR(...) (STRFTIME's format syntax differs)" },
  },
  {
    label: "TO_DATE",
    kind: "function",
    native: [SF, DBX],
    origin: "rocky",
    suggestions: { bigquery: "use the BigQuery equivalent of TO_DATE(...): PARSE_DATE(format, s) or DATE(...)", duckdb: "use CAST(s AS DATE), or STRPTIME(s, format)::DATE, instead of TO_DATE(...)" },
  },
  { label: "TO_TIMESTAMP", kind: "function", native: [SF, DBX, DUCK], origin: "rocky", suggestions: { bigquery: "use the BigQuery equivalent of TO_TIMESTAMP(...): PARSE_TIMESTAMP(format, s) or TIMESTAMP(...)" } },
  { label: "PARSE_DATE", kind: "function", native: [BQ], origin: "rocky", suggestions: all("use TO_DATE(...) instead of PARSE_DATE(...) (note the format syntax differs)") },
  { label: "PARSE_TIMESTAMP", kind: "function", native: [BQ], origin: "rocky", suggestions: all("use TO_TIMESTAMP(...) instead of PARSE_TIMESTAMP(...) (note the format syntax differs)") },
  {
    label: "FORMAT_TIMESTAMP",
    kind: "function",
    native: [BQ],
    origin: "rocky",
    suggestions: { snowflake: "use TO_VARCHAR(...) instead of FORMAT_TIMESTAMP(...)", databricks: "use DATE_FORMAT(...) instead of FORMAT_TIMESTAMP(...)", duckdb: "use STRFTIME(ts, format) instead of FORMAT_TIMESTAMP(...)" },
  },
  { label: "LEN", kind: "function", native: [SF, DUCK], origin: "rocky", suggestions: all("use LENGTH(...) instead of LEN(...)") },
  { label: "CHARINDEX", kind: "function", native: [SF], origin: "rocky", suggestions: { bigquery: "use STRPOS(string, substring) instead of CHARINDEX(...)", databricks: "use INSTR(string, substring) instead of CHARINDEX(substring, string)", duckdb: "use STRPOS(string, substring) instead of CHARINDEX(substring, string)" } },
  // Rocky lists Snowflake only; Databricks has had array_size since Runtime 10.4 (and ARRAY_LENGTH's suggestion for it is ARRAY_SIZE).
  { label: "ARRAY_SIZE", kind: "function", native: [SF, DBX], origin: "rocky", suggestions: { bigquery: "use ARRAY_LENGTH(...) instead of ARRAY_SIZE(...)", duckdb: "use ARRAY_LENGTH(...) instead of ARRAY_SIZE(...)" } },
  {
    label: "DATE_FORMAT",
    kind: "function",
    native: [DBX],
    origin: "rocky",
    suggestions: { bigquery: "use FORMAT_TIMESTAMP(...) instead of DATE_FORMAT(...)", snowflake: "use TO_VARCHAR(...) instead of DATE_FORMAT(...)", duckdb: "use STRFTIME(value, format) instead of DATE_FORMAT(...) (the format syntax differs)" },
  },
  { label: "QUALIFY", kind: "qualify", native: [SF, DBX, BQ, DUCK], origin: "rocky", suggestions: all("wrap the query in a subquery and filter on the window result in WHERE instead of QUALIFY") },
  { label: "ILIKE", kind: "ilike", native: [SF, DUCK, DBX], origin: "rocky", suggestions: all("use LOWER(value) LIKE LOWER(pattern) for case-insensitive matching") },
  { label: "FLATTEN", kind: "table_function", native: [SF], origin: "rocky", suggestions: { bigquery: "use UNNEST(array) instead of FLATTEN(input => ...)", databricks: "use EXPLODE(array) (or LATERAL VIEW EXPLODE) instead of FLATTEN(input => ...)", duckdb: "use UNNEST(list) instead of FLATTEN(input => ...)" } },

  // ---- our extensions: clearly non-portable constructs Rocky misses
  { label: "IFF", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use CASE WHEN condition THEN a ELSE b END instead of IFF(...)") },
  { label: "NVL2", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use CASE WHEN a IS NOT NULL THEN b ELSE c END instead of NVL2(a, b, c)") },
  // DuckDB has a DECODE, but it decodes a BLOB to text: a different function.
  { label: "DECODE", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use CASE value WHEN search THEN result ... ELSE default END instead of DECODE(...) (DECODE also matches NULL to NULL)") },
  { label: "ZEROIFNULL", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use COALESCE(x, 0) instead of ZEROIFNULL(x)") },
  { label: "TRY_TO_NUMBER", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use SAFE_CAST(x AS NUMERIC) instead of TRY_TO_NUMBER(x)", duckdb: "use TRY_CAST(x AS DECIMAL(p, s)) instead of TRY_TO_NUMBER(x)" } },
  { label: "TRY_TO_DATE", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use SAFE.PARSE_DATE(format, s) or SAFE_CAST(s AS DATE) instead of TRY_TO_DATE(...)", duckdb: "use TRY_STRPTIME(s, format)::DATE or TRY_CAST(s AS DATE) instead of TRY_TO_DATE(...)" } },
  { label: "ARRAY_CONSTRUCT", kind: "function", native: [SF], origin: "ours", suggestions: { bigquery: "use an array literal [a, b] instead of ARRAY_CONSTRUCT(a, b)", databricks: "use ARRAY(a, b) instead of ARRAY_CONSTRUCT(a, b)", duckdb: "use a list literal [a, b] instead of ARRAY_CONSTRUCT(a, b)" } },
  {
    label: "OBJECT_CONSTRUCT",
    kind: "function",
    native: [SF],
    origin: "ours",
    suggestions: { bigquery: "use STRUCT(v AS k, ...) or JSON_OBJECT(...) instead of OBJECT_CONSTRUCT(...)", databricks: "use NAMED_STRUCT(...) or MAP(...) instead of OBJECT_CONSTRUCT(...)", duckdb: "use a struct literal {'k': v} or STRUCT_PACK(k := v) instead of OBJECT_CONSTRUCT(...)" },
  },
  { label: "PARSE_JSON", kind: "function", native: [SF, DBX, BQ], origin: "ours", suggestions: { duckdb: "use CAST(s AS JSON) or JSON(s) instead of PARSE_JSON(s)" } },
  { label: "LISTAGG", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use STRING_AGG(x, separator [ORDER BY ...]) instead of LISTAGG(...)" } },
  { label: "STRING_AGG", kind: "function", native: [BQ, DBX, DUCK], origin: "ours", suggestions: { snowflake: "use LISTAGG(x, separator) [WITHIN GROUP (ORDER BY ...)] instead of STRING_AGG(...)" } },
  {
    label: "GROUP_CONCAT",
    kind: "function",
    native: [DUCK],
    origin: "ours",
    suggestions: { snowflake: "use LISTAGG(x, separator) instead of GROUP_CONCAT(...)", databricks: "use ARRAY_JOIN(COLLECT_LIST(x), separator) instead of GROUP_CONCAT(...)", bigquery: "use STRING_AGG(x, separator) instead of GROUP_CONCAT(...)" },
  },
  { label: "STRFTIME", kind: "function", native: [DUCK], origin: "ours", suggestions: { snowflake: "use TO_VARCHAR(ts, format) instead of STRFTIME(...) (Snowflake format syntax)", databricks: "use DATE_FORMAT(ts, format) instead of STRFTIME(...) (Java format syntax)", bigquery: "use FORMAT_TIMESTAMP(format, ts) instead of STRFTIME(ts, format)" } },
  { label: "STRPTIME", kind: "function", native: [DUCK], origin: "ours", suggestions: { snowflake: "use TO_TIMESTAMP(s, format) instead of STRPTIME(...) (Snowflake format syntax)", databricks: "use TO_TIMESTAMP(s, format) instead of STRPTIME(...) (Java format syntax)", bigquery: "use PARSE_TIMESTAMP(format, s) instead of STRPTIME(s, format)" } },
  { label: "EPOCH_MS", kind: "function", native: [DUCK], origin: "ours", suggestions: { snowflake: "use TO_TIMESTAMP(ms, 3) instead of EPOCH_MS(ms)", databricks: "use TIMESTAMP_MILLIS(ms) instead of EPOCH_MS(ms)", bigquery: "use TIMESTAMP_MILLIS(ms) instead of EPOCH_MS(ms)" } },
  // DuckDB's own names (a DuckDB-developed project deployed elsewhere); each checked against DuckDB,
  // and against the other warehouses' function references.
  { label: "NOW", kind: "function", native: [DBX, DUCK], origin: "ours", suggestions: { snowflake: "use CURRENT_TIMESTAMP instead of NOW()", bigquery: "use CURRENT_TIMESTAMP instead of NOW()" } },
  { label: "TODAY", kind: "function", native: [DUCK], origin: "ours", suggestions: all("use CURRENT_DATE instead of TODAY()") },
  { label: "EPOCH", kind: "function", native: [DUCK], origin: "ours", suggestions: { snowflake: "use DATE_PART(epoch_second, ts) instead of EPOCH(ts)", databricks: "use UNIX_TIMESTAMP(ts) instead of EPOCH(ts)", bigquery: "use UNIX_SECONDS(ts) instead of EPOCH(ts)" } },
  { label: "MAKE_DATE", kind: "function", native: [DBX, DUCK], origin: "ours", suggestions: { snowflake: "use DATE_FROM_PARTS(y, m, d) instead of MAKE_DATE(...)", bigquery: "use DATE(y, m, d) instead of MAKE_DATE(...)" } },
  {
    label: "MAKE_TIMESTAMP",
    kind: "function",
    native: [DBX, DUCK],
    origin: "ours",
    suggestions: { snowflake: "use TIMESTAMP_FROM_PARTS(y, m, d, h, mi, s) instead of MAKE_TIMESTAMP(...)", bigquery: "use DATETIME(y, m, d, h, mi, s) (or TIMESTAMP(DATETIME(...))) instead of MAKE_TIMESTAMP(...)" },
  },
  { label: "STRPOS", kind: "function", native: [BQ, DUCK], origin: "ours", suggestions: { snowflake: "use POSITION(substring, string) instead of STRPOS(string, substring)", databricks: "use INSTR(string, substring) instead of STRPOS(...)" } },
  { label: "STARTS_WITH", kind: "function", native: [BQ, DUCK], origin: "ours", suggestions: { snowflake: "use STARTSWITH(...) instead of STARTS_WITH(...)", databricks: "use STARTSWITH(...) instead of STARTS_WITH(...)" } },
  { label: "ENDS_WITH", kind: "function", native: [BQ, DUCK], origin: "ours", suggestions: { snowflake: "use ENDSWITH(...) instead of ENDS_WITH(...)", databricks: "use ENDSWITH(...) instead of ENDS_WITH(...)" } },
  // BigQuery's support was not established: listed as native (an extension row never produces a false positive).
  { label: "STARTSWITH", kind: "function", native: [SF, DBX, BQ], origin: "ours", suggestions: { duckdb: "use STARTS_WITH(...) instead of STARTSWITH(...)" } },
  { label: "ENDSWITH", kind: "function", native: [SF, DBX, BQ], origin: "ours", suggestions: { duckdb: "use ENDS_WITH(...) instead of ENDSWITH(...)" } },
  {
    label: "REGEXP_MATCHES",
    kind: "function",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use REGEXP_INSTR(value, pattern) > 0: like REGEXP_MATCHES it matches anywhere (Snowflake's REGEXP_LIKE matches the whole string)",
      databricks: "use value RLIKE pattern: like REGEXP_MATCHES it matches anywhere",
      bigquery: "use REGEXP_CONTAINS(value, pattern) instead of REGEXP_MATCHES(...)",
    },
  },
  {
    label: "REGEXP_FULL_MATCH",
    kind: "function",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use REGEXP_LIKE(value, pattern): like REGEXP_FULL_MATCH it matches the whole string",
      databricks: "use value RLIKE '^(?:pattern)$': RLIKE matches anywhere",
      bigquery: "use REGEXP_CONTAINS(value, r'^(?:pattern)$'): REGEXP_CONTAINS matches anywhere",
    },
  },
  { label: "REGEXP_EXTRACT", kind: "function", native: [DBX, BQ, DUCK], origin: "ours", suggestions: { snowflake: "use REGEXP_SUBSTR(value, pattern) instead of REGEXP_EXTRACT(...) (for a group: REGEXP_SUBSTR(value, pattern, 1, 1, 'e', group))" } },
  ...["STRING_SPLIT", "STR_SPLIT"].map(
    (label): PortabilityConstruct => ({
      label,
      kind: "function",
      native: [DUCK],
      origin: "ours",
      suggestions: { snowflake: `use SPLIT(string, separator) instead of ${label}(...)`, databricks: `use SPLIT(string, pattern) instead of ${label}(...): its separator is a regular expression`, bigquery: `use SPLIT(string, separator) instead of ${label}(...)` },
    }),
  ),
  { label: "ARRAY_LENGTH", kind: "function", native: [BQ, DUCK], origin: "ours", suggestions: { snowflake: "use ARRAY_SIZE(...) instead of ARRAY_LENGTH(...)", databricks: "use ARRAY_SIZE(...) instead of ARRAY_LENGTH(...)" } },
  ...["LIST_VALUE", "LIST_PACK"].map(
    (label): PortabilityConstruct => ({
      label,
      kind: "function",
      native: [DUCK],
      origin: "ours",
      suggestions: { snowflake: `use ARRAY_CONSTRUCT(a, b) instead of ${label}(a, b)`, databricks: `use ARRAY(a, b) instead of ${label}(a, b)`, bigquery: `use an array literal [a, b] instead of ${label}(a, b)` },
    }),
  ),
  {
    label: "STRUCT_PACK",
    kind: "function",
    native: [DUCK],
    origin: "ours",
    suggestions: { snowflake: "use OBJECT_CONSTRUCT('k', v, ...) instead of STRUCT_PACK(k := v, ...)", databricks: "use NAMED_STRUCT('k', v, ...) instead of STRUCT_PACK(k := v, ...)", bigquery: "use STRUCT(v AS k, ...) instead of STRUCT_PACK(k := v, ...)" },
  },
  ...["LIST_CONTAINS", "LIST_HAS", "ARRAY_HAS"].map(
    (label): PortabilityConstruct => ({
      label,
      kind: "function",
      native: [DUCK],
      origin: "ours",
      suggestions: {
        snowflake: `use ARRAY_CONTAINS(value::VARIANT, array) (the value first) instead of ${label}(array, value)`,
        databricks: `use ARRAY_CONTAINS(array, value) instead of ${label}(array, value)`,
        bigquery: `use value IN UNNEST(array) instead of ${label}(array, value)`,
      },
    }),
  ),
  ...["LIST_TRANSFORM", "ARRAY_TRANSFORM", "LIST_APPLY", "APPLY"].map(
    (label): PortabilityConstruct => ({
      label,
      kind: "function",
      native: [DUCK],
      origin: "ours",
      suggestions: { snowflake: `use TRANSFORM(array, x -> ...) instead of ${label}(...)`, databricks: `use TRANSFORM(array, x -> ...) instead of ${label}(...)`, bigquery: `use ARRAY(SELECT f(x) FROM UNNEST(array) AS x) instead of ${label}(...)` },
    }),
  ),
  ...["LIST_FILTER", "ARRAY_FILTER"].map(
    (label): PortabilityConstruct => ({
      label,
      kind: "function",
      native: [DUCK],
      origin: "ours",
      suggestions: { snowflake: `use FILTER(array, x -> ...) instead of ${label}(...)`, databricks: `use FILTER(array, x -> ...) instead of ${label}(...)`, bigquery: `use ARRAY(SELECT x FROM UNNEST(array) AS x WHERE ...) instead of ${label}(...)` },
    }),
  ),
  { label: "LIST", kind: "function", native: [DUCK], origin: "ours", suggestions: { snowflake: "use ARRAY_AGG(x) instead of LIST(x) (ARRAY_AGG leaves out NULLs)", databricks: "use COLLECT_LIST(x) instead of LIST(x) (COLLECT_LIST leaves out NULLs)", bigquery: "use ARRAY_AGG(x IGNORE NULLS) instead of LIST(x)" } },
  ...[
    ["ARG_MAX", "MAX_BY"],
    ["ARGMAX", "MAX_BY"],
    ["ARG_MIN", "MIN_BY"],
    ["ARGMIN", "MIN_BY"],
  ].map(([label, by]): PortabilityConstruct => ({ label, kind: "function", native: [DUCK], origin: "ours", suggestions: all(`use ${by}(value, key) instead of ${label}(value, key)`) })),
  { label: "COUNT_IF", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use COUNTIF(condition) instead of COUNT_IF(condition)" } },
  // Databricks' support was not established: listed as native.
  { label: "COUNTIF", kind: "function", native: [DBX, BQ, DUCK], origin: "ours", suggestions: { snowflake: "use COUNT_IF(condition) instead of COUNTIF(condition)" } },
  { label: "BOOL_AND", kind: "function", native: [DBX, DUCK], origin: "ours", suggestions: { snowflake: "use BOOLAND_AGG(...) instead of BOOL_AND(...)", bigquery: "use LOGICAL_AND(...) instead of BOOL_AND(...)" } },
  { label: "BOOL_OR", kind: "function", native: [DBX, DUCK], origin: "ours", suggestions: { snowflake: "use BOOLOR_AGG(...) instead of BOOL_OR(...)", bigquery: "use LOGICAL_OR(...) instead of BOOL_OR(...)" } },
  // Databricks' (Spark's) spellings a Databricks habit brings to a Snowflake project: Snowflake has none of them.
  {
    label: "COLLECT_LIST",
    kind: "function",
    native: [DBX],
    origin: "ours",
    suggestions: { snowflake: "use ARRAY_AGG(x) instead of COLLECT_LIST(x)", bigquery: "use ARRAY_AGG(x IGNORE NULLS) instead of COLLECT_LIST(x)", duckdb: "use LIST(x) FILTER (WHERE x IS NOT NULL) instead of COLLECT_LIST(x)" },
  },
  {
    label: "COLLECT_SET",
    kind: "function",
    native: [DBX],
    origin: "ours",
    suggestions: { snowflake: "use ARRAY_UNIQUE_AGG(x) instead of COLLECT_SET(x)", bigquery: "use ARRAY_AGG(DISTINCT x IGNORE NULLS) instead of COLLECT_SET(x)", duckdb: "use LIST(DISTINCT x) FILTER (WHERE x IS NOT NULL) instead of COLLECT_SET(x)" },
  },
  { label: "IF", kind: "function", native: [DBX, BQ, DUCK], origin: "ours", suggestions: { snowflake: "use IFF(condition, a, b) instead of IF(condition, a, b)" } },
  { label: "SIZE", kind: "function", native: [DBX], origin: "ours", suggestions: { snowflake: "use ARRAY_SIZE(array) instead of SIZE(array)", bigquery: "use ARRAY_LENGTH(array) instead of SIZE(array)", duckdb: "use LEN(list) instead of SIZE(list)" } },
  // Functions every warehouse spells alike that compute something else in some: a row per meaning,
  // for the models written where it means that. Flagged where the same call gives another result
  // (`meaning`) and where it does not exist; BigQuery's DAYOFWEEK() was not established, so it is
  // listed as native on both sides.
  ...otherMeaning("DAYNAME", "day", { full: "Monday", short: "Mon" }, {
    full: { snowflake: "Snowflake has no function for the full day name: map the three letters, e.g. DECODE(DAYNAME(d), 'Mon', 'Monday', 'Tue', 'Tuesday', ...)", databricks: "use DATE_FORMAT(d, 'EEEE') for the full day name", bigquery: "use FORMAT_DATE('%A', d) (FORMAT_TIMESTAMP for a timestamp) for the full day name" },
    short: { duckdb: "use STRFTIME(d, '%a') for the three-letter day name", bigquery: "use FORMAT_DATE('%a', d) (FORMAT_TIMESTAMP for a timestamp) for the three-letter day name" },
  }),
  ...otherMeaning("MONTHNAME", "month", { full: "January", short: "Jan" }, {
    full: { snowflake: "use TO_CHAR(d, 'MMMM') for the full month name", databricks: "use DATE_FORMAT(d, 'MMMM') for the full month name", bigquery: "use FORMAT_DATE('%B', d) (FORMAT_TIMESTAMP for a timestamp) for the full month name" },
    short: { duckdb: "use STRFTIME(d, '%b') for the three-letter month name", bigquery: "use FORMAT_DATE('%b', d) (FORMAT_TIMESTAMP for a timestamp) for the three-letter month name" },
  }),
  {
    label: "DAYOFWEEK",
    kind: "function",
    native: [SF, BQ, DUCK],
    writtenIn: [SF, DUCK],
    meaning: { databricks: "it numbers the days from Sunday = 1 to Saturday = 7, where DuckDB's and Snowflake's DAYOFWEEK go from Sunday = 0 to Saturday = 6 (Snowflake's with its default WEEK_START)" },
    origin: "ours",
    suggestions: { databricks: "DAYOFWEEK(d) - 1 gives Sunday = 0 to Saturday = 6 on Databricks, but not where DAYOFWEEK counts from 0: no one spelling does on both" },
  },
  {
    label: "DAYOFWEEK",
    kind: "function",
    native: [DBX, BQ],
    writtenIn: [DBX],
    meaning: {
      snowflake: "it numbers the days from Sunday = 0 to Saturday = 6 (with its default WEEK_START), where Databricks' DAYOFWEEK goes from Sunday = 1 to Saturday = 7",
      duckdb: "it numbers the days from Sunday = 0 to Saturday = 6, where Databricks' DAYOFWEEK goes from Sunday = 1 to Saturday = 7",
    },
    origin: "ours",
    suggestions: {
      snowflake: "DAYOFWEEK(d) + 1 gives Sunday = 1 to Saturday = 7 on Snowflake, but not on Databricks: no one spelling does on both",
      duckdb: "DAYOFWEEK(d) + 1 gives Sunday = 1 to Saturday = 7 on DuckDB, but not on Databricks: no one spelling does on both",
    },
  },
  {
    label: "ARRAY_CONTAINS",
    kind: "function",
    native: [SF],
    writtenIn: [SF],
    meaning: {
      databricks: "it takes the array first, ARRAY_CONTAINS(array, value), where Snowflake's takes the value first",
      duckdb: "it takes the list first, ARRAY_CONTAINS(list, value), where Snowflake's takes the value first",
    },
    origin: "ours",
    suggestions: { databricks: "swap the arguments: ARRAY_CONTAINS(array, value)", duckdb: "swap the arguments: ARRAY_CONTAINS(list, value)", bigquery: "use value IN UNNEST(array) instead of ARRAY_CONTAINS(value, array)" },
  },
  {
    label: "ARRAY_CONTAINS",
    kind: "function",
    native: [DBX, DUCK],
    writtenIn: [DBX, DUCK],
    meaning: { snowflake: "it takes the value first, ARRAY_CONTAINS(value, array), where Databricks' and DuckDB's take the array first" },
    origin: "ours",
    suggestions: { snowflake: "swap the arguments: ARRAY_CONTAINS(value::VARIANT, array) (a semi-structured array needs a VARIANT value)", bigquery: "use value IN UNNEST(array) instead of ARRAY_CONTAINS(array, value)" },
  },
  // LOG with one argument is base 10 in DuckDB and the natural logarithm in Databricks and BigQuery;
  // Snowflake has only LOG(base, x). With two, BigQuery takes the value first, the others the base.
  {
    label: "LOG",
    display: "LOG(x)",
    kind: "function",
    arity: 1,
    native: [DUCK],
    writtenIn: [DUCK],
    meaning: { databricks: LOG_NATURAL, bigquery: LOG_NATURAL },
    origin: "ours",
    suggestions: {
      snowflake: "use LOG(10, x): Snowflake's LOG takes the base first and has no one-argument form",
      databricks: LOG10_BOTH,
      bigquery: LOG10_BOTH,
    },
  },
  {
    label: "LOG",
    display: "LOG(x)",
    kind: "function",
    arity: 1,
    native: [DBX, BQ],
    writtenIn: [DBX, BQ],
    meaning: { duckdb: "it returns the base-10 logarithm, where Databricks' and BigQuery's LOG(x) return the natural logarithm" },
    origin: "ours",
    suggestions: { duckdb: "use LN(x), the natural logarithm in both", snowflake: "use LN(x): Snowflake's LOG takes the base first and has no one-argument form" },
  },
  {
    label: "LOG",
    display: "LOG(base, x)",
    kind: "function",
    arity: 2,
    native: [SF, DBX, DUCK],
    writtenIn: [SF, DBX, DUCK],
    meaning: { bigquery: "it takes the value first and the base second, LOG(x, base)" },
    origin: "ours",
    suggestions: { bigquery: "swap the arguments for BigQuery: LOG(x, base)" },
  },
  {
    label: "LOG",
    display: "LOG(x, base)",
    kind: "function",
    arity: 2,
    native: [BQ],
    writtenIn: [BQ],
    meaning: { snowflake: LOG_BASE_FIRST, databricks: LOG_BASE_FIRST, duckdb: LOG_BASE_FIRST },
    origin: "ours",
    suggestions: { snowflake: SWAP_TO_BASE_FIRST, databricks: SWAP_TO_BASE_FIRST, duckdb: SWAP_TO_BASE_FIRST },
  },
  { label: "DATE_FROM_PARTS", kind: "function", native: [SF], origin: "ours", suggestions: { databricks: "use MAKE_DATE(y, m, d) instead of DATE_FROM_PARTS(...)", duckdb: "use MAKE_DATE(y, m, d) instead of DATE_FROM_PARTS(...)", bigquery: "use DATE(y, m, d) instead of DATE_FROM_PARTS(...)" } },
  { label: "LATERAL_VIEW", display: "LATERAL VIEW", kind: "lateral_view", native: [DBX], origin: "ours", suggestions: { snowflake: "use LATERAL FLATTEN(input => array) instead of LATERAL VIEW EXPLODE(...)", bigquery: "use CROSS JOIN UNNEST(array) instead of LATERAL VIEW EXPLODE(...)", duckdb: "use CROSS JOIN UNNEST(list) instead of LATERAL VIEW EXPLODE(...)" } },
  { label: "STAR_ILIKE", display: "the `* ILIKE` column filter", kind: "star_filter", native: [SF, DUCK], origin: "ours", suggestions: all("list the columns it selects instead of * ILIKE 'pattern'") },
  { label: "STAR_LIKE", display: "the `* LIKE` column filter", kind: "star_filter", native: [DUCK], origin: "ours", suggestions: all("list the columns it selects instead of * LIKE / NOT LIKE / SIMILAR TO 'pattern'") },
  // The star's modifiers: each warehouse spells "all columns but these" its own way.
  { label: "STAR_EXCLUDE", display: "`* EXCLUDE`", kind: "star_modifier", native: [SF, DUCK], origin: "ours", suggestions: { databricks: "use * EXCEPT (...) instead of * EXCLUDE (...)", bigquery: "use * EXCEPT (...) instead of * EXCLUDE (...)" } },
  { label: "STAR_EXCEPT", display: "`* EXCEPT`", kind: "star_modifier", native: [DBX, BQ], origin: "ours", suggestions: { snowflake: "use * EXCLUDE (...) instead of * EXCEPT (...)", duckdb: "use * EXCLUDE (...) instead of * EXCEPT (...)" } },
  { label: "STAR_REPLACE", display: "`* REPLACE`", kind: "star_modifier", native: [SF, BQ, DUCK], origin: "ours", suggestions: { databricks: "list the columns, with the new expression under the column's name, instead of * REPLACE (...)" } },
  { label: "STAR_RENAME", display: "`* RENAME`", kind: "star_modifier", native: [SF, DUCK], origin: "ours", suggestions: { databricks: "list the columns, with `old AS new`, instead of * RENAME (...)", bigquery: "list the columns, with `old AS new`, instead of * RENAME (...)" } },
  // DuckDB's literals and syntax (Snowflake reads `{'k': v}` as an OBJECT constant and `[a, b]` as an ARRAY constant).
  { label: "STRUCT_LITERAL", display: "the `{'k': v}` struct literal", kind: "struct_literal", native: [SF, DUCK], origin: "ours", suggestions: { databricks: "use NAMED_STRUCT('k', v, ...) instead of {'k': v, ...}", bigquery: "use STRUCT(v AS k, ...) instead of {'k': v, ...}" } },
  { label: "ARRAY_LITERAL", display: "the `[a, b]` array literal", kind: "array_literal", native: [SF, BQ, DUCK], origin: "ours", suggestions: { databricks: "use ARRAY(a, b, ...) instead of [a, b, ...]" } },
  {
    label: "MAP_LITERAL",
    display: "the `MAP {k: v}` literal",
    kind: "map_literal",
    native: [DUCK],
    origin: "ours",
    suggestions: { snowflake: "use OBJECT_CONSTRUCT(k, v, ...) instead of MAP {k: v, ...}", databricks: "use MAP(k, v, ...) instead of MAP {k: v, ...}", bigquery: "BigQuery has no map type: use JSON_OBJECT(k, v, ...) or an ARRAY of STRUCT(k, v) instead of MAP {k: v, ...}" },
  },
  {
    label: "SLICE",
    display: "the `x[a:b]` slice",
    kind: "slice",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use SUBSTR(string, start, length), or ARRAY_SLICE(array, from, to) (0-based, `to` excluded), instead of x[a:b]",
      databricks: "use SUBSTRING(string, start, length), or SLICE(array, start, length), instead of x[a:b]",
      bigquery: "use SUBSTR(string, start, length), or ARRAY(SELECT e FROM UNNEST(array) AS e WITH OFFSET o WHERE o BETWEEN ...), instead of x[a:b]",
    },
  },
  { label: "DISTINCT_ON", display: "DISTINCT ON", kind: "distinct_on", native: [DUCK], origin: "ours", suggestions: all("keep the first row per key with QUALIFY ROW_NUMBER() OVER (PARTITION BY <keys> ORDER BY ...) = 1 instead of DISTINCT ON (<keys>)") },
  {
    label: "LIST_COMPREHENSION",
    display: "the `[x FOR x IN list]` list comprehension",
    kind: "list_comprehension",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use TRANSFORM(FILTER(list, x -> condition), x -> expression) instead of [expression FOR x IN list IF condition]",
      databricks: "use TRANSFORM(FILTER(list, x -> condition), x -> expression) instead of [expression FOR x IN list IF condition]",
      bigquery: "use ARRAY(SELECT expression FROM UNNEST(list) AS x WHERE condition) instead of [expression FOR x IN list IF condition]",
    },
  },
  { label: "COLUMNS", kind: "function", native: [DUCK], origin: "ours", suggestions: all("list the columns instead of COLUMNS(...)") },
  { label: "POSITIONAL_COLUMN", display: "a positional column `#n`", kind: "positional_column", native: [DUCK], origin: "ours", suggestions: all("name the column: `#n` is DuckDB's column by position") },
  {
    label: "USING_SAMPLE",
    display: "DuckDB's `USING SAMPLE`",
    kind: "using_sample",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "sample the table with SAMPLE (p) or SAMPLE (n ROWS) after its name instead of USING SAMPLE",
      databricks: "sample the table with TABLESAMPLE (p PERCENT) or TABLESAMPLE (n ROWS) after its name instead of USING SAMPLE",
      bigquery: "sample the table with TABLESAMPLE SYSTEM (p PERCENT) after its name instead of USING SAMPLE",
    },
  },
  {
    label: "STREAM_READ",
    display: "a streaming read `STREAM(t)`",
    kind: "stream_read",
    native: [DBX],
    origin: "ours",
    suggestions: all("read the table itself (a batch read of every row); to process only new rows, make the model incremental instead of STREAM(t)"),
  },
  {
    label: "TYPED_LITERAL",
    display: "a typed literal `TYPE 'text'`",
    kind: "typed_literal",
    native: [DUCK],
    origin: "ours",
    suggestions: all("write CAST('text' AS type) with the target's name for the type: a `TYPE 'text'` literal is for dates and times there"),
  },
  { label: "FROM_FIRST", display: "a query that starts with FROM", kind: "from_first", native: [DUCK], origin: "ours", suggestions: all("write SELECT <columns> FROM ... instead of FROM ... SELECT <columns> (or FROM ... alone)") },
  {
    label: "MATCH_RECOGNIZE",
    kind: "match_recognize",
    native: [SF],
    origin: "ours",
    suggestions: all("rewrite the pattern with window functions (LAG/LEAD, a running SUM over a change flag to number the matches) and GROUP BY the match number"),
  },
  {
    label: "FILE_SCAN",
    display: "a file read as a table",
    kind: "file_scan",
    native: [DUCK],
    origin: "ours",
    suggestions: all("load the file into a source table (an external table or a stage) and read that table instead of FROM '<path>'"),
  },
  {
    label: "STAGE_SCAN",
    display: "a stage read as a table",
    kind: "stage_scan",
    native: [SF],
    origin: "ours",
    suggestions: all("load the staged files into a source table (COPY INTO, or an external table) and read that table instead of FROM @stage"),
  },
  {
    label: "CONNECT_BY",
    display: "CONNECT BY",
    kind: "connect_by",
    native: [SF],
    origin: "ours",
    suggestions: all("walk the hierarchy with a recursive CTE: WITH RECURSIVE t AS (SELECT ..., 1 AS level FROM <table> WHERE <start with> UNION ALL SELECT ..., t.level + 1 FROM <table> JOIN t ON <connect by>) instead of START WITH ... CONNECT BY"),
  },
  {
    label: "PIVOT_STATEMENT",
    display: "the PIVOT / UNPIVOT statement",
    kind: "pivot_statement",
    native: [DUCK],
    origin: "ours",
    suggestions: all("write SELECT * FROM <table> PIVOT (<aggregate> FOR <column> IN (<values>)) (or UNPIVOT (<value> FOR <name> IN (<columns>))) instead of PIVOT <table> ON ... USING ..."),
  },
  { label: "DOUBLE_COLON_CAST", display: ":: cast", kind: "colon_cast", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use CAST(expr AS type) instead of expr::type" } },
  { label: "VARIANT_PATH", display: "`:` path access", kind: "variant_path", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use JSON_VALUE(json, '$.path') / JSON_QUERY(...) instead of the col:path syntax", duckdb: "use json ->> '$.path' (or json_extract) instead of the col:path syntax" } },
  // DuckDB's Postgres-style operators: the parser reads them in DuckDB models only, and no other
  // target has them. `label` is the operator itself (`-- rocky-allow: ~~`).
  {
    label: "~",
    display: "the `~` regex operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use REGEXP_LIKE(value, pattern): like `~` in DuckDB, it matches the whole string",
      databricks: "use value RLIKE '^(?:pattern)$': RLIKE matches anywhere, DuckDB's `~` the whole string",
      bigquery: "use REGEXP_CONTAINS(value, r'^(?:pattern)$'): it matches anywhere, DuckDB's `~` the whole string",
    },
  },
  {
    label: "!~",
    display: "the `!~` regex operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use NOT REGEXP_LIKE(value, pattern): like `!~` in DuckDB, it matches the whole string",
      databricks: "use NOT value RLIKE '^(?:pattern)$': RLIKE matches anywhere, DuckDB's `!~` the whole string",
      bigquery: "use NOT REGEXP_CONTAINS(value, r'^(?:pattern)$'): it matches anywhere, DuckDB's `!~` the whole string",
    },
  },
  { label: "~~", display: "the `~~` operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: all("use LIKE instead of ~~") },
  { label: "!~~", display: "the `!~~` operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: all("use NOT LIKE instead of !~~") },
  { label: "~~*", display: "the `~~*` operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: { snowflake: "use ILIKE instead of ~~*", databricks: "use ILIKE instead of ~~*", bigquery: "use LOWER(value) LIKE LOWER(pattern) instead of ~~*" } },
  { label: "!~~*", display: "the `!~~*` operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: { snowflake: "use NOT ILIKE instead of !~~*", databricks: "use NOT ILIKE instead of !~~*", bigquery: "use LOWER(value) NOT LIKE LOWER(pattern) instead of !~~*" } },
  { label: "~~~", display: "the `~~~` (GLOB) operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: all("use LIKE with % and _ (or a regular expression) instead of the GLOB operator ~~~") },
  { label: "^@", display: "the `^@` (starts with) operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: { snowflake: "use STARTSWITH(value, prefix) instead of ^@", databricks: "use STARTSWITH(value, prefix) instead of ^@", bigquery: "use STARTS_WITH(value, prefix) instead of ^@" } },
  {
    label: "@>",
    display: "the `@>` (list contains) operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use ARRAY_SIZE(ARRAY_EXCEPT(b, a)) = 0 instead of a @> b",
      databricks: "use SIZE(ARRAY_EXCEPT(b, a)) = 0 instead of a @> b",
      bigquery: "use NOT EXISTS (SELECT x FROM UNNEST(b) AS x WHERE x NOT IN UNNEST(a)) instead of a @> b",
    },
  },
  {
    label: "<@",
    display: "the `<@` (list contained by) operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use ARRAY_SIZE(ARRAY_EXCEPT(a, b)) = 0 instead of a <@ b",
      databricks: "use SIZE(ARRAY_EXCEPT(a, b)) = 0 instead of a <@ b",
      bigquery: "use NOT EXISTS (SELECT x FROM UNNEST(a) AS x WHERE x NOT IN UNNEST(b)) instead of a <@ b",
    },
  },
  {
    label: "&&",
    display: "the `&&` (list overlap) operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use ARRAYS_OVERLAP(a, b) instead of a && b",
      databricks: "use ARRAYS_OVERLAP(a, b) instead of a && b",
      bigquery: "use EXISTS (SELECT x FROM UNNEST(a) AS x WHERE x IN UNNEST(b)) instead of a && b",
    },
  },
  { label: "**", display: "the `**` power operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: all("use POWER(a, b) instead of a ** b") },
  {
    label: "//",
    display: "the `//` integer division operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use TRUNC(a / b) instead of a // b: in Snowflake `//` starts a comment",
      databricks: "use a DIV b instead of a // b (both truncate toward zero)",
      bigquery: "use DIV(a, b) instead of a // b (both truncate toward zero)",
    },
  },
  {
    label: "->",
    display: "the `->` JSON operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use GET_PATH(json, 'path') (or json:path) instead of json -> 'path'",
      databricks: "use json:path (or FROM_JSON) instead of json -> 'path'",
      bigquery: "use JSON_QUERY(json, '$.path') instead of json -> 'path'",
    },
  },
  {
    label: "->>",
    display: "the `->>` JSON operator",
    kind: "operator",
    native: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use GET_PATH(json, 'path')::VARCHAR (or json:path::VARCHAR) instead of json ->> 'path'",
      databricks: "use GET_JSON_OBJECT(json, '$.path') instead of json ->> 'path'",
      bigquery: "use JSON_VALUE(json, '$.path') instead of json ->> 'path'",
    },
  },
  // `^` means a power in DuckDB and a bitwise XOR in Databricks and BigQuery: the same text runs
  // everywhere and computes something else, so it is flagged by what the model's dialect means.
  {
    label: "^",
    display: "the `^` power operator",
    kind: "operator",
    native: [DUCK],
    writtenIn: [DUCK],
    origin: "ours",
    suggestions: {
      snowflake: "use POWER(a, b) instead of a ^ b",
      databricks: "use POWER(a, b): in Databricks `^` is a bitwise XOR",
      bigquery: "use POWER(a, b): in BigQuery `^` is a bitwise XOR",
    },
  },
  {
    label: "^",
    display: "the `^` XOR operator",
    kind: "operator",
    native: [DBX, BQ],
    writtenIn: [DBX, BQ],
    origin: "ours",
    suggestions: { snowflake: "use BITXOR(a, b) instead of a ^ b", duckdb: "use XOR(a, b): in DuckDB `^` is a power" },
  },
  // `x RLIKE p` / `x REGEXP p`: Snowflake anchors the pattern at both ends, Databricks matches it
  // anywhere; DuckDB and BigQuery have no such operator (their parsers reject it, as ours does).
  {
    label: "RLIKE",
    display: "the RLIKE / REGEXP operator",
    kind: "operator",
    native: [SF],
    writtenIn: [SF],
    meaning: { databricks: "it matches the pattern anywhere in the value, where Snowflake's matches the whole value" },
    origin: "ours",
    suggestions: {
      databricks: "use value RLIKE '^(?:pattern)$' to match the whole value, as Snowflake's RLIKE does",
      duckdb: "use regexp_full_match(value, pattern): like Snowflake's RLIKE it matches the whole value",
      bigquery: "use REGEXP_CONTAINS(value, r'^(?:pattern)$'): it matches anywhere, Snowflake's RLIKE the whole value",
    },
  },
  {
    label: "RLIKE",
    display: "the RLIKE / REGEXP operator",
    kind: "operator",
    native: [DBX],
    writtenIn: [DBX],
    meaning: { snowflake: "it matches the whole value, where Databricks' matches the pattern anywhere in it" },
    origin: "ours",
    suggestions: {
      snowflake: "use REGEXP_INSTR(value, pattern) > 0: like Databricks' RLIKE it matches anywhere",
      duckdb: "use regexp_matches(value, pattern): like Databricks' RLIKE it matches anywhere",
      bigquery: "use REGEXP_CONTAINS(value, pattern): like Databricks' RLIKE it matches anywhere",
    },
  },
  { label: "GLOB", display: "the GLOB operator", kind: "operator", native: [DUCK], origin: "ours", suggestions: all("use LIKE with % and _ (or a regular expression) instead of GLOB's * and ?") },
  {
    label: "<=>",
    display: "the `<=>` null-safe equality operator",
    kind: "operator",
    native: [DBX],
    origin: "ours",
    suggestions: all("use a IS NOT DISTINCT FROM b instead of a <=> b"),
  },
  {
    label: "DIV",
    display: "the `DIV` integer division operator",
    kind: "operator",
    native: [DBX],
    origin: "ours",
    suggestions: {
      snowflake: "use TRUNC(a / b) instead of a DIV b",
      duckdb: "use a // b instead of a DIV b (both truncate integers toward zero)",
      bigquery: "use DIV(a, b) instead of a DIV b",
    },
  },
];

const functionRows = new Map<string, PortabilityConstruct[]>();
const operatorRows = new Map<string, PortabilityConstruct[]>();
for (const c of PORTABILITY_CATALOG) {
  const rows = c.kind === "function" ? functionRows : c.kind === "operator" ? operatorRows : undefined;
  rows?.set(c.label, [...(rows.get(c.label) ?? []), c]);
}

/** The row of `rows` for a model written in `dialect` (unknown dialect: only rows that hold in any), for a call with `argc` arguments. */
const rowFor = (rows: readonly PortabilityConstruct[] | undefined, dialect: DialectId | undefined, argc?: number): PortabilityConstruct | undefined =>
  rows?.find((c) => (c.writtenIn === undefined || (dialect !== undefined && c.writtenIn.includes(dialect))) && (c.arity === undefined || c.arity === argc));

/** The catalog row for function `name` (upper-case) called with `argc` arguments in a model written in `dialect`. */
export const functionConstruct = (name: string, dialect: DialectId | undefined, argc: number): PortabilityConstruct | undefined => rowFor(functionRows.get(name), dialect, argc);

/** The catalog row for binary operator `op` in a model written in `dialect`. */
export const operatorConstruct = (op: string, dialect: DialectId | undefined): PortabilityConstruct | undefined => rowFor(operatorRows.get(op), dialect);

/** The dialects that run a construct at all: `native` (in Rocky's order), or with `meaning`, those and the ones where it means something else, in that order too. */
export function runsOn(c: PortabilityConstruct): readonly DialectId[] {
  if (c.meaning === undefined) return c.native;
  return ([SF, DBX, BQ, DUCK] as const).filter((d) => c.native.includes(d) || c.meaning?.[d] !== undefined);
}

export const constructOfKind = (kind: Exclude<ConstructKind, "function" | "operator" | "star_filter" | "star_modifier">): PortabilityConstruct =>
  PORTABILITY_CATALOG.find((c) => c.kind === kind) as PortabilityConstruct;

/** The row for a star's name filter: Snowflake has `* ILIKE` only, DuckDB every form. */
export const starFilterConstruct = (op: string, not: boolean): PortabilityConstruct =>
  PORTABILITY_CATALOG.find((c) => c.label === (op === "ILIKE" && !not ? "STAR_ILIKE" : "STAR_LIKE")) as PortabilityConstruct;

/** The row for a star modifier (`EXCLUDE`, `EXCEPT`, `REPLACE`, `RENAME`, as written). */
export const starModifierConstruct = (keyword: string): PortabilityConstruct | undefined => PORTABILITY_CATALOG.find((c) => c.kind === "star_modifier" && c.label === `STAR_${keyword.toUpperCase()}`);

/**
 * Whether `target` reads `<name> 'text'` as a typed literal: every target has the date and time
 * ones, BigQuery NUMERIC, BIGNUMERIC and JSON too, DuckDB any type name. Where a warehouse's support
 * was uncertain (DECIMAL, NUMERIC) the name counts as accepted, so no finding is a false positive.
 */
export function typedLiteralAccepted(name: string, target: DialectId): boolean {
  return target === DUCK || PORTABLE_TYPED_LITERALS.has(name) || (target === BQ && (name === "BIGNUMERIC" || name === "JSON"));
}
const PORTABLE_TYPED_LITERALS = new Set(["DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "DATETIME", "DECIMAL", "NUMERIC"]);

/** An allow-list entry or pragma label in canonical form: upper-case, runs of spaces as `_`. */
export const normalizeLabel = (label: string): string => label.trim().toUpperCase().replace(/\s+/g, "_");

/** Every label `[portability] allow` and `-- rocky-allow:` can name. */
export const PORTABILITY_LABELS: readonly string[] = [...new Set(PORTABILITY_CATALOG.map((c) => c.label))];
