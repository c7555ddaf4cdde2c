import type { DialectId, Expr, FunctionExpr } from "../syntax/ast.js";

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
  | "table_sample"
  | "try_cast"
  | "safe_cast"
  | "set_op_minus"
  | "set_op_bare"
  | "top"
  | "stream_read";

/**
 * One argument form of a function that some of the dialects running it reject (two-argument
 * DATEDIFF, BigQuery's DATE_DIFF(end, start, DAY)). `accepts[target]` says whether a call is *not*
 * in this form there; a call in the form is flagged on that target as `display`.
 */
export interface FunctionForm {
  readonly accepts: Partial<Readonly<Record<DialectId, (args: readonly Expr[], call: FunctionExpr) => boolean>>>;
  readonly display: string;
  /** The dialects that run the call in this form, for "supported by" (absent: the row's `native`). */
  readonly native?: readonly DialectId[];
  readonly suggestions: Partial<Readonly<Record<DialectId, string>>>;
  /** A key of portability-rewrites.ts' FORM_REWRITES: the exact rewrite of a call in this form, where there is one. */
  readonly rewrite?: string;
}

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
   * For dialects in `native` that run the function in some argument forms only: the forms they
   * reject, in order (the first that rejects a call names it). A call in such a form is flagged on
   * that dialect as the form's `display`, with its own suggestion.
   */
  readonly forms?: readonly FunctionForm[];
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

/** The form of a date function DuckDB runs only with the part as a string. */
const duckdbPartForm = (label: string, native: readonly DialectId[], suggestion: string): FunctionForm => ({
  accepts: { duckdb: partAsString },
  display: `${label} with an unquoted date part`,
  native,
  suggestions: { duckdb: suggestion },
});

const isStringLit = (e: Expr | undefined) => e?.kind === "literal" && e.type === "string";
/** A date part as written: a bare word, or a string naming one (`'day'`). */
const isPartArg = (e: Expr | undefined) => isBarePart(e) || (isStringLit(e) && DATE_PARTS.has((e as { value: string }).value.toLowerCase()));
/** BigQuery's `DATE_DIFF(end, start, DAY)` (or `WEEK(MONDAY)`): the part last, as a keyword. */
const partLast3 = (a: readonly Expr[]) => a.length === 3 && !isPartArg(a[0]) && (isBarePart(a[2]) || a[2].kind === "function");
/** Databricks' `DATE_ADD(date, 1)` / `DATE_SUB(date, 1)`: a number of days, where BigQuery takes an INTERVAL. */
const daysAsNumber = (a: readonly Expr[]) => a.length === 2 && a[1].kind !== "interval";
/** BigQuery's `DATE_TRUNC(date, MONTH)`: the unit last, as a keyword. */
const truncPartLast = (a: readonly Expr[]) => a.length === 2 && !isPartArg(a[0]) && (isBarePart(a[1]) || a[1].kind === "function");
/** A week as a date part, written as a word or a string (`WEEK`, `'week'`, `wk`): BigQuery's starts on Sunday, the others' on Monday. */
const isWeekPart = (e: Expr | undefined) => {
  const name = e?.kind === "column" && e.parts.length === 1 && !e.parts[0].quoted ? e.parts[0].name : isStringLit(e) ? (e as { value: string }).value : undefined;
  return name !== undefined && ["week", "weeks", "wk", "wks"].includes(name.toLowerCase());
};
/** `DATE_DIFF(DAY, start, end)` / `DATE_DIFF('day', start, end)`: the part first. */
const partFirst3 = (a: readonly Expr[]) => a.length === 3 && isPartArg(a[0]);

/**
 * Databricks' two-argument DATEDIFF(end, start) / DATE_DIFF(end, start): the days from start to
 * end, the end first. Snowflake and DuckDB need the unit and take the start first; BigQuery's
 * DATE_DIFF takes the end first and the unit last.
 */
const daysEndStartForm = (label: string, flaggedOn: readonly DialectId[]): FunctionForm => {
  const twoArgs = (a: readonly Expr[]) => a.length !== 2;
  const on = {
    snowflake: `Snowflake's ${label} takes the unit first and the start before the end: ${label}(day, start, end) for Databricks' ${label}(end, start)`,
    duckdb: `DuckDB's ${label} takes the unit first, as a string, and the start before the end: ${label}('day', start, end) for Databricks' ${label}(end, start)`,
    bigquery: `BigQuery's ${label} takes the unit last, as a keyword: ${label}(end, start, DAY) for Databricks' ${label}(end, start)`,
  } as const;
  return {
    accepts: Object.fromEntries(flaggedOn.map((d) => [d, twoArgs])),
    display: `${label}(end, start) with two arguments`,
    native: [DBX],
    suggestions: Object.fromEntries(flaggedOn.map((d) => [d, on[d as keyof typeof on]])),
    rewrite: "DAYS_END_START",
  };
};

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
    forms: [daysEndStartForm("DATEDIFF", [SF, DUCK]), duckdbPartForm("DATEDIFF", [SF, DBX], "DuckDB takes the date part first, as a string: DATEDIFF('day', start, end)")],
    suggestions: { bigquery: "use DATE_DIFF(end, start, unit) instead of DATEDIFF(unit, start, end)" },
  },
  {
    label: "DATE_ADD",
    kind: "function",
    native: [BQ, DBX, DUCK],
    origin: "rocky",
    forms: [
      {
        accepts: { bigquery: (a) => !daysAsNumber(a) },
        display: "DATE_ADD(date, n) with a number of days",
        native: [DBX, DUCK],
        suggestions: { bigquery: "BigQuery adds an interval: DATE_ADD(date, INTERVAL n DAY)" },
      },
      duckdbPartForm("DATE_ADD", [DBX], "add an interval instead: date + INTERVAL (n) unit"),
    ],
    suggestions: { snowflake: "use DATEADD(unit, n, date) instead of DATE_ADD(...)" },
  },
  {
    label: "DATE_DIFF",
    kind: "function",
    native: [BQ, DBX, DUCK],
    origin: "rocky",
    forms: [
      daysEndStartForm("DATE_DIFF", [BQ, DUCK]),
      {
        accepts: { databricks: (a) => !partLast3(a), duckdb: (a) => !partLast3(a) },
        display: "DATE_DIFF(end, start, unit) with the unit last",
        native: [BQ],
        suggestions: {
          databricks: "Databricks' DATE_DIFF takes the unit first and the start before the end: DATE_DIFF(DAY, start, end) for BigQuery's DATE_DIFF(end, start, DAY)",
          duckdb: "DuckDB's DATE_DIFF takes the unit first, as a string, and the start before the end: DATE_DIFF('day', start, end) for BigQuery's DATE_DIFF(end, start, DAY)",
        },
        rewrite: "DAYS_PART_LAST",
      },
      {
        accepts: { bigquery: (a) => !partFirst3(a) },
        display: "DATE_DIFF(unit, start, end) with the unit first",
        native: [DBX, DUCK],
        suggestions: { bigquery: "BigQuery's DATE_DIFF takes the end first and the unit last, as a keyword: DATE_DIFF(end, start, DAY) for DATE_DIFF(day, start, end)" },
      },
      duckdbPartForm("DATE_DIFF", [DBX], "DuckDB takes the date part first, as a string: DATE_DIFF('day', start, end)"),
    ],
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
  {
    label: "LISTAGG",
    kind: "function",
    native: [SF, DBX, DUCK],
    origin: "ours",
    // DuckDB parses WITHIN GROUP for its ordered-set aggregates only ("Unknown ordered aggregate"), checked against DuckDB.
    forms: [
      {
        accepts: { duckdb: (_a, call) => call.within === undefined },
        display: "LISTAGG(...) WITHIN GROUP (ORDER BY ...)",
        native: [SF, DBX],
        suggestions: { duckdb: "DuckDB has no WITHIN GROUP for LISTAGG: order inside the call, LISTAGG(x, separator ORDER BY y)" },
        rewrite: "WITHIN_GROUP_INSIDE",
      },
    ],
    suggestions: { bigquery: "use STRING_AGG(x, separator [ORDER BY ...]) instead of LISTAGG(...)" },
  },
  {
    label: "ARRAY_AGG",
    kind: "function",
    native: [SF, DBX, BQ, DUCK],
    origin: "ours",
    forms: [
      {
        accepts: { bigquery: (_a, call) => call.within === undefined, duckdb: (_a, call) => call.within === undefined },
        display: "ARRAY_AGG(...) WITHIN GROUP (ORDER BY ...)",
        native: [SF],
        suggestions: {
          bigquery: "BigQuery has no WITHIN GROUP: order inside the call, ARRAY_AGG(x ORDER BY y)",
          duckdb: "DuckDB has no WITHIN GROUP for ARRAY_AGG: order inside the call, ARRAY_AGG(x ORDER BY y)",
        },
        rewrite: "WITHIN_GROUP_INSIDE",
      },
      {
        accepts: { snowflake: (_a, call) => call.orderBy === undefined },
        display: "ARRAY_AGG(x ORDER BY ...) with the order inside the call",
        native: [BQ, DUCK],
        suggestions: { snowflake: "Snowflake orders an ARRAY_AGG with WITHIN GROUP: ARRAY_AGG(x) WITHIN GROUP (ORDER BY y)" },
        rewrite: "ORDER_BY_WITHIN_GROUP",
      },
    ],
    suggestions: {},
  },
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
  // DATE_TRUNC: the unit first in Snowflake (a word or a string), Databricks and DuckDB (a string
  // only: a bare word is read as a column); the date first and the unit last, as a keyword, in BigQuery.
  {
    label: "DATE_TRUNC",
    kind: "function",
    native: [SF, DBX, BQ, DUCK],
    origin: "ours",
    // Weeks start on Sunday in BigQuery's `DATE_TRUNC(date, WEEK)`, on Monday in the others'
    // `DATE_TRUNC('week', date)` (Snowflake's with WEEK_START 0, the default; DuckDB's checked in
    // DuckDB): moving the unit alone would truncate to other days. cloud.google.com/bigquery/docs/
    // reference/standard-sql/date_functions#date_trunc ("WEEK: ... weeks begin on Sunday"),
    // docs.snowflake.com/en/sql-reference/functions-date-time#label-calendar-weeks-weekdays,
    // docs.databricks.com/sql/language-manual/functions/date_trunc.html ("the Monday of the week").
    forms: [
      {
        accepts: { snowflake: (a) => !(truncPartLast(a) && isWeekPart(a[1])), databricks: (a) => !(truncPartLast(a) && isWeekPart(a[1])), duckdb: (a) => !(truncPartLast(a) && isWeekPart(a[1])) },
        display: "DATE_TRUNC(date, WEEK) (weeks from Sunday)",
        native: [BQ],
        suggestions: {
          snowflake: "BigQuery's WEEK starts on Sunday, Snowflake's DATE_TRUNC('week', date) on Monday (WEEK_START 0, the default): DATE_TRUNC('week', DATEADD(day, 1, date)) - 1 is the Sunday, or set WEEK_START = 7",
          databricks: "BigQuery's WEEK starts on Sunday, Databricks' DATE_TRUNC('WEEK', date) on Monday: DATE_SUB(DATE_TRUNC('WEEK', DATE_ADD(date, 1)), 1) is the Sunday",
          duckdb: "BigQuery's WEEK starts on Sunday, DuckDB's DATE_TRUNC('week', date) on Monday: DATE_TRUNC('week', date + INTERVAL 1 DAY) - INTERVAL 1 DAY is the Sunday",
        },
      },
      {
        accepts: { bigquery: (a) => !(a.length === 2 && isWeekPart(a[0])) },
        display: "DATE_TRUNC('week', date) (weeks from Monday)",
        native: [SF, DBX, DUCK],
        suggestions: { bigquery: "BigQuery's DATE_TRUNC takes the date first and the unit last, and its WEEK starts on Sunday: DATE_TRUNC(date, WEEK(MONDAY)) (or ISOWEEK) starts on Monday, as DATE_TRUNC('week', date) does" },
      },
      {
        accepts: { snowflake: (a) => !truncPartLast(a), databricks: (a) => !truncPartLast(a), duckdb: (a) => !truncPartLast(a) },
        display: "DATE_TRUNC(date, unit) with the unit last",
        native: [BQ],
        suggestions: {
          snowflake: "Snowflake's DATE_TRUNC takes the unit first: DATE_TRUNC('month', date) for BigQuery's DATE_TRUNC(date, MONTH)",
          databricks: "Databricks' DATE_TRUNC takes the unit first, as a string: DATE_TRUNC('MONTH', date) for BigQuery's DATE_TRUNC(date, MONTH)",
          duckdb: "DuckDB's DATE_TRUNC takes the unit first, as a string: DATE_TRUNC('month', date) for BigQuery's DATE_TRUNC(date, MONTH)",
        },
        rewrite: "TRUNC_PART_LAST",
      },
      {
        accepts: { bigquery: (a) => !(a.length === 2 && isPartArg(a[0])) },
        display: "DATE_TRUNC(unit, date) with the unit first",
        native: [SF, DBX, DUCK],
        suggestions: { bigquery: "BigQuery's DATE_TRUNC takes the date first and the unit last, as a keyword: DATE_TRUNC(date, MONTH) for DATE_TRUNC('month', date)" },
      },
      {
        accepts: { databricks: (a) => !(a.length === 2 && isBarePart(a[0])), duckdb: (a) => !(a.length === 2 && isBarePart(a[0])) },
        display: "DATE_TRUNC with an unquoted unit",
        native: [SF],
        suggestions: { databricks: "Databricks takes the unit as a string: DATE_TRUNC('MONTH', date)", duckdb: "DuckDB takes the unit as a string: DATE_TRUNC('month', date)" },
        rewrite: "QUOTE_PART",
      },
    ],
    suggestions: {},
  },
  {
    label: "DATE_PART",
    kind: "function",
    native: [SF, DBX, DUCK],
    origin: "ours",
    forms: [
      {
        accepts: { duckdb: (a) => !(a.length === 2 && isBarePart(a[0])) },
        display: "DATE_PART with an unquoted date part",
        native: [SF],
        suggestions: { duckdb: "DuckDB takes the part as a string: DATE_PART('year', date)" },
        rewrite: "QUOTE_PART",
      },
    ],
    suggestions: { bigquery: "use EXTRACT(part FROM date) instead of DATE_PART(part, date)" },
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
  // BigQuery lacks these (its date, string, aggregate and conditional function lists, 2026-11).
  {
    label: "ADD_MONTHS",
    kind: "function",
    native: [SF, DBX],
    origin: "ours",
    suggestions: {
      bigquery: "use DATE_ADD(date, INTERVAL n MONTH) instead of ADD_MONTHS(date, n) (ADD_MONTHS keeps a month's last day the last day)",
      duckdb: "use date + INTERVAL (n) MONTH instead of ADD_MONTHS(date, n) (ADD_MONTHS keeps a month's last day the last day)",
    },
  },
  {
    label: "MONTHS_BETWEEN",
    kind: "function",
    native: [SF, DBX],
    origin: "ours",
    suggestions: all("MONTHS_BETWEEN returns a fraction of months: DATE_DIFF counts whole month boundaries (BigQuery DATE_DIFF(end, start, MONTH), DuckDB DATE_DIFF('month', start, end)); write the fraction out if it matters"),
  },
  { label: "MEDIAN", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use PERCENTILE_CONT(x, 0.5) OVER (PARTITION BY ...) (an analytic function in BigQuery), or APPROX_QUANTILES(x, 2)[OFFSET(1)], instead of MEDIAN(x)" } },
  { label: "MODE", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use APPROX_TOP_COUNT(x, 1)[OFFSET(0)].value instead of MODE(x)" } },
  { label: "CONCAT_WS", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use ARRAY_TO_STRING([a, b, ...], separator) instead of CONCAT_WS(separator, a, b, ...)" } },
  { label: "CONTAINS", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use STRPOS(string, substring) > 0 instead of CONTAINS(string, substring) (CONTAINS_SUBSTR ignores case)" } },
  { label: "NULLIFZERO", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use NULLIF(x, 0) instead of NULLIFZERO(x)") },
  // Databricks' support was not established: listed as native.
  { label: "BOOLAND_AGG", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use LOGICAL_AND(...) instead of BOOLAND_AGG(...)", duckdb: "use BOOL_AND(...) instead of BOOLAND_AGG(...)" } },
  { label: "BOOLOR_AGG", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use LOGICAL_OR(...) instead of BOOLOR_AGG(...)", duckdb: "use BOOL_OR(...) instead of BOOLOR_AGG(...)" } },
  { label: "TIMESTAMPDIFF", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use TIMESTAMP_DIFF(end, start, unit) instead of TIMESTAMPDIFF(unit, start, end)", duckdb: "use DATE_DIFF('unit', start, end) instead of TIMESTAMPDIFF(unit, start, end)" } },
  {
    label: "CONVERT_TIMEZONE",
    kind: "function",
    native: [SF, DBX],
    origin: "ours",
    suggestions: { bigquery: "use DATETIME(timestamp, 'zone') (and TIMESTAMP(datetime, 'zone') back) instead of CONVERT_TIMEZONE(...)", duckdb: "use timestamp AT TIME ZONE 'zone' instead of CONVERT_TIMEZONE(...)" },
  },
  {
    label: "TRY_TO_TIMESTAMP",
    kind: "function",
    native: [SF, DBX],
    origin: "ours",
    suggestions: { bigquery: "use SAFE.PARSE_TIMESTAMP(format, s) or SAFE_CAST(s AS TIMESTAMP) instead of TRY_TO_TIMESTAMP(...)", duckdb: "use TRY_STRPTIME(s, format) or TRY_CAST(s AS TIMESTAMP) instead of TRY_TO_TIMESTAMP(...)" },
  },
  // Snowflake's division that returns 0 (DIV0) or NULL (DIV0NULL) for a zero divisor: Snowflake only.
  {
    label: "DIV0",
    kind: "function",
    native: [SF],
    origin: "ours",
    suggestions: all("use CASE WHEN b = 0 THEN 0 ELSE a / b END instead of DIV0(a, b)"),
  },
  {
    label: "DIV0NULL",
    kind: "function",
    native: [SF],
    origin: "ours",
    suggestions: { databricks: "use TRY_DIVIDE(a, b) (NULL for a zero divisor; DIV0NULL also returns 0 when b is NULL) instead of DIV0NULL(a, b)", bigquery: "use CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE a / b END instead of DIV0NULL(a, b)", duckdb: "use CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE a / b END instead of DIV0NULL(a, b)" },
  },
  // Databricks' (Spark's) JSON and array functions: neither Snowflake nor BigQuery has them.
  {
    label: "GET_JSON_OBJECT",
    kind: "function",
    native: [DBX],
    origin: "ours",
    suggestions: { snowflake: "use JSON_EXTRACT_PATH_TEXT(json, 'path') (or PARSE_JSON(json):path::STRING) instead of GET_JSON_OBJECT(json, '$.path')", bigquery: "use JSON_VALUE(json, '$.path') instead of GET_JSON_OBJECT(json, '$.path')", duckdb: "use json ->> '$.path' instead of GET_JSON_OBJECT(json, '$.path')" },
  },
  {
    label: "ARRAY_JOIN",
    kind: "function",
    native: [DBX],
    origin: "ours",
    suggestions: { snowflake: "use ARRAY_TO_STRING(array, separator) instead of ARRAY_JOIN(array, separator)", bigquery: "use ARRAY_TO_STRING(array, separator) instead of ARRAY_JOIN(array, separator)", duckdb: "use ARRAY_TO_STRING(list, separator) instead of ARRAY_JOIN(list, separator)" },
  },
  {
    label: "EXPLODE",
    kind: "function",
    native: [DBX],
    origin: "ours",
    suggestions: { snowflake: "use LATERAL FLATTEN(input => array) and its VALUE column instead of EXPLODE(array)", bigquery: "use CROSS JOIN UNNEST(array) AS x instead of EXPLODE(array)", duckdb: "use UNNEST(list) instead of EXPLODE(list)" },
  },
  // DATE_SUB: Databricks' (date, days), BigQuery's (date, INTERVAL n unit), DuckDB's (part, start, end),
  // the whole parts between two dates (checked against DuckDB). Snowflake's support was not established: listed as native.
  {
    label: "DATE_SUB",
    kind: "function",
    native: [SF, DBX, BQ, DUCK],
    origin: "ours",
    forms: [
      {
        accepts: { bigquery: (a) => !daysAsNumber(a), duckdb: (a) => !daysAsNumber(a) },
        display: "DATE_SUB(date, n) with a number of days",
        native: [DBX],
        suggestions: { bigquery: "BigQuery subtracts an interval: DATE_SUB(date, INTERVAL n DAY)", duckdb: "subtract an interval: date - INTERVAL (n) DAY (DuckDB's DATE_SUB(part, start, end) is a difference)" },
      },
      {
        accepts: { duckdb: (a) => !(a.length === 2 && a[1].kind === "interval") },
        display: "DATE_SUB(date, INTERVAL ...)",
        native: [BQ],
        suggestions: { duckdb: "subtract the interval: date - INTERVAL n unit (DuckDB's DATE_SUB(part, start, end) is a difference)" },
      },
      {
        accepts: { databricks: (a) => a.length !== 3, bigquery: (a) => a.length !== 3 },
        display: "DATE_SUB(part, start, end), DuckDB's count of whole parts",
        native: [DUCK],
        suggestions: {
          databricks: "DuckDB's DATE_SUB(part, start, end) counts whole parts from start to end: Databricks' DATEDIFF(unit, start, end) counts elapsed units alike, except that DuckDB counts a month ending on a shorter month's last day as whole (2023-01-31 to 2023-02-28 is 1 month in DuckDB, 0 on Databricks)",
          bigquery: "DuckDB's DATE_SUB(part, start, end) counts whole parts from start to end: BigQuery's DATE_DIFF(end, start, unit) counts boundaries instead",
        },
      },
    ],
    suggestions: {},
  },
  {
    label: "PERCENTILE_CONT",
    kind: "function",
    native: [SF, DBX, BQ, DUCK],
    origin: "ours",
    forms: [
      {
        accepts: { bigquery: (_a, call) => call.within === undefined },
        display: "PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x)",
        native: [SF, DBX, DUCK],
        suggestions: { bigquery: "BigQuery's PERCENTILE_CONT is an analytic function: PERCENTILE_CONT(x, f) OVER (PARTITION BY ...), with DISTINCT or a GROUP BY for one row per group" },
      },
      {
        accepts: { snowflake: (a, call) => call.within !== undefined || a.length !== 2, duckdb: (a, call) => call.within !== undefined || a.length !== 2 },
        display: "PERCENTILE_CONT(x, f) OVER (...), BigQuery's analytic form",
        native: [BQ],
        suggestions: { snowflake: "write PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x) (an aggregate, or OVER (PARTITION BY ...))", duckdb: "write PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x) (or QUANTILE_CONT(x, f))" },
      },
    ],
    suggestions: {},
  },
  // More that BigQuery lacks (date, conversion and JSON function lists); Databricks' support not established: listed as native.
  { label: "GETDATE", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use CURRENT_TIMESTAMP() instead of GETDATE()", duckdb: "use CURRENT_TIMESTAMP instead of GETDATE()" } },
  { label: "SYSDATE", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use CURRENT_DATETIME('UTC') instead of SYSDATE() (the UTC time, no time zone)", duckdb: "use CURRENT_TIMESTAMP AT TIME ZONE 'UTC' instead of SYSDATE()" } },
  { label: "EQUAL_NULL", kind: "function", native: [SF, DBX], origin: "ours", suggestions: all("use a IS NOT DISTINCT FROM b instead of EQUAL_NULL(a, b)") },
  { label: "TO_NUMBER", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use CAST(x AS NUMERIC) (or PARSE_NUMERIC(x)) instead of TO_NUMBER(x)", duckdb: "use CAST(x AS DECIMAL(38, 0)) instead of TO_NUMBER(x)" } },
  {
    label: "SAFE_DIVIDE",
    kind: "function",
    native: [BQ],
    origin: "ours",
    suggestions: { snowflake: "use a / NULLIF(b, 0) instead of SAFE_DIVIDE(a, b)", databricks: "use TRY_DIVIDE(a, b) instead of SAFE_DIVIDE(a, b)", duckdb: "use a / NULLIF(b, 0) instead of SAFE_DIVIDE(a, b)" },
  },
  { label: "GET_PATH", kind: "function", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use JSON_QUERY(json, '$.path') (JSON_VALUE for a scalar) instead of GET_PATH(json, 'path')", duckdb: "use json -> '$.path' instead of GET_PATH(json, 'path')" } },
  { label: "JSON_EXTRACT_PATH_TEXT", kind: "function", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use JSON_VALUE(json, '$.path') instead of JSON_EXTRACT_PATH_TEXT(json, 'path')" } },
  // REGEXP_LIKE: Snowflake's matches the whole value (the pattern anchored at both ends), Databricks'
  // (a synonym of RLIKE) anywhere in it; BigQuery and DuckDB have none. As the RLIKE operator rows.
  {
    label: "REGEXP_LIKE",
    kind: "function",
    native: [SF],
    writtenIn: [SF],
    meaning: { databricks: "it matches the pattern anywhere in the value, where Snowflake's matches the whole value" },
    origin: "ours",
    suggestions: {
      databricks: "use REGEXP_LIKE(value, '^(?:pattern)$') to match the whole value, as Snowflake's REGEXP_LIKE does",
      bigquery: "use REGEXP_CONTAINS(value, r'^(?:pattern)$'): it matches anywhere, Snowflake's REGEXP_LIKE the whole value",
      duckdb: "use regexp_full_match(value, pattern): like Snowflake's REGEXP_LIKE it matches the whole value",
    },
  },
  {
    label: "REGEXP_LIKE",
    kind: "function",
    native: [DBX],
    writtenIn: [DBX],
    meaning: { snowflake: "it matches the whole value, where Databricks' matches the pattern anywhere in it" },
    origin: "ours",
    suggestions: {
      snowflake: "use REGEXP_INSTR(value, pattern) > 0: like Databricks' REGEXP_LIKE it matches anywhere",
      bigquery: "use REGEXP_CONTAINS(value, pattern): like Databricks' REGEXP_LIKE it matches anywhere",
      duckdb: "use regexp_matches(value, pattern): like Databricks' REGEXP_LIKE it matches anywhere",
    },
  },
  // Sampling: the row names the label (`-- rocky-allow: TABLESAMPLE`); which forms each target takes
  // is sample-forms.ts', and a finding's row is built there for the clause as written.
  { label: "TABLESAMPLE", display: "a sample clause", kind: "table_sample", native: [SF, DBX, BQ, DUCK], origin: "ours", suggestions: {} },
  // TRY_CAST: Snowflake (a string argument only), Databricks, DuckDB; BigQuery's is SAFE_CAST.
  { label: "TRY_CAST", kind: "try_cast", native: [SF, DBX, DUCK], origin: "ours", suggestions: { bigquery: "use SAFE_CAST(x AS type) instead of TRY_CAST(x AS type)" } },
  {
    label: "SAFE_CAST",
    kind: "safe_cast",
    native: [BQ],
    origin: "ours",
    suggestions: {
      snowflake: "use TRY_CAST(x AS type) instead of SAFE_CAST(x AS type) (Snowflake's TRY_CAST takes a string argument only)",
      databricks: "use TRY_CAST(x AS type) instead of SAFE_CAST(x AS type)",
      duckdb: "use TRY_CAST(x AS type) instead of SAFE_CAST(x AS type)",
    },
  },
  { label: "MINUS", display: "the MINUS set operator", kind: "set_op_minus", native: [SF, DBX], origin: "ours", suggestions: { bigquery: "use EXCEPT DISTINCT instead of MINUS", duckdb: "use EXCEPT instead of MINUS" } },
  {
    label: "SET_OP_WITHOUT_ALL_OR_DISTINCT",
    display: "a set operator without ALL or DISTINCT",
    kind: "set_op_bare",
    native: [SF, DBX, DUCK],
    origin: "ours",
    suggestions: { bigquery: "BigQuery needs ALL or DISTINCT after UNION / INTERSECT / EXCEPT: add DISTINCT, which is what the bare operator means elsewhere (or ALL to keep duplicates)" },
  },
  { label: "TOP", display: "SELECT TOP n", kind: "top", native: [SF], origin: "ours", suggestions: all("use LIMIT n at the end of the query instead of SELECT TOP n") },
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
