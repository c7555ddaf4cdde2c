import { type LineagePath, makePath } from "./lineage-path.js";

/**
 * Functions whose output holds their input's values, so a classified column read through them is
 * still the classified data (masking through lineage follows it): case and whitespace tidying,
 * null handling, concatenation, and the aggregates and windows that pick or collect input values.
 * Which arguments are kept: `first`, `all`, or `rest` (all but the first: a condition or a
 * separator). Packing values into a struct, a list, a map or JSON keeps them too: the mart's
 * `STRUCT_PACK(e := email)` or `TO_JSON(email)` column holds the email, and so do reversible
 * encodings (`TO_BASE64`, `HEX`), padding, `REVERSE` and formatting. Hashing, `SUBSTR`/`LEFT`, `REPLACE`/`REGEXP_REPLACE` (the usual hand-written masks),
 * `LENGTH`, arithmetic and counting are not here: they derive new values.
 */
type Kept = "first" | "all" | "rest";

const SCALAR: Readonly<Record<string, Kept>> = {
  UPPER: "first",
  LOWER: "first",
  UCASE: "first",
  LCASE: "first",
  TRIM: "first",
  LTRIM: "first",
  RTRIM: "first",
  BTRIM: "first",
  INITCAP: "first",
  NULLIF: "first",
  NULLIFZERO: "first",
  ZEROIFNULL: "first",
  COALESCE: "all",
  IFNULL: "all",
  NVL: "all",
  CONCAT: "all",
  GREATEST: "all",
  LEAST: "all",
  CONCAT_WS: "rest",
  // Nested values: each argument (or named argument, `STRUCT_PACK(e := email)`) is held as it is.
  STRUCT_PACK: "all",
  STRUCT: "all",
  ROW: "all",
  NAMED_STRUCT: "all",
  OBJECT_CONSTRUCT: "all",
  OBJECT_CONSTRUCT_KEEP_NULL: "all",
  JSON_OBJECT: "all",
  JSON_ARRAY: "all",
  ARRAY_CONSTRUCT: "all",
  LIST_VALUE: "all",
  LIST_PACK: "all",
  ARRAY: "all",
  MAP: "all",
  ARRAY_APPEND: "all",
  ARRAY_PREPEND: "all",
  LIST_APPEND: "all",
  LIST_PREPEND: "all",
  ARRAY_CAT: "all",
  ARRAY_CONCAT: "all",
  LIST_CONCAT: "all",
  // Reversible encodings and formatting: the text is still there to read back.
  TO_BASE64: "first",
  BASE64: "first",
  BASE64_ENCODE: "first",
  HEX: "first",
  TO_HEX: "first",
  ENCODE: "first",
  LPAD: "first",
  RPAD: "first",
  REVERSE: "first",
  FORMAT: "rest",
  PRINTF: "rest",
  FORMAT_STRING: "rest",
  ARRAY_TO_STRING: "first",
  ARRAY_JOIN: "first",
  LIST_TO_STRING: "first",
  // A list's elements, one per row.
  UNNEST: "first",
  EXPLODE: "first",
  EXPLODE_OUTER: "first",
  TO_JSON: "first",
  TO_VARIANT: "first",
  TO_VARCHAR: "first",
  IF: "rest",
  IFF: "rest",
  NVL2: "rest",
};

/** Aggregates and window functions that return (or collect) their first argument's values. */
const PICKING: ReadonlySet<string> = new Set([
  "MIN",
  "MAX",
  "ANY_VALUE",
  "ARBITRARY",
  "FIRST",
  "LAST",
  "MODE",
  "ARG_MIN",
  "ARG_MAX",
  "ARGMIN",
  "ARGMAX",
  "MIN_BY",
  "MAX_BY",
  "ARRAY_AGG",
  "LIST",
  "STRING_AGG",
  "LISTAGG",
  "GROUP_CONCAT",
  "COLLECT_LIST",
  "COLLECT_SET",
  "ARRAY_UNIQUE_AGG",
  "FIRST_VALUE",
  "LAST_VALUE",
  "NTH_VALUE",
  "LAG",
  "LEAD",
]);

/** What a call of one function keeps: which arguments, and the path of those arguments as the call is made. */
export interface KeptArgs {
  readonly kept: Kept;
  /** Called as a scalar, an aggregate, or a window function; undefined where that call keeps nothing. */
  readonly scalar?: LineagePath;
  readonly agg?: LineagePath;
  readonly win?: LineagePath;
}

/** What upper-case function `name` keeps, or undefined when it keeps nothing however it is called. Look it up once per name. */
export function keptArgs(name: string): KeptArgs | undefined {
  const scalar = SCALAR[name];
  const picks = PICKING.has(name);
  if (scalar === undefined && !picks) return undefined;
  const fn = name.toLowerCase();
  if (!picks) return { kept: scalar as Kept, scalar: makePath(undefined, undefined, true, undefined, fn) };
  return { kept: "first", agg: makePath(fn, undefined, false, undefined, fn), win: makePath(undefined, fn, false, undefined, fn) };
}

/** Argument `i` of `n` positional ones (those from `n` on are named: `STRUCT_PACK(e := email)`) is kept. */
export function isKeptArg(kept: Kept, i: number, n: number): boolean {
  if (i >= n) return kept === "all";
  return kept === "all" || (kept === "first" ? i === 0 : i > 0);
}

/** The path of a CASE result (THEN / ELSE) and of `||`'s operands. */
export const CASE_RESULT: LineagePath = makePath(undefined, undefined, true, undefined, "case");
export const CONCAT_OPERAND: LineagePath = makePath(undefined, undefined, true, undefined, "concat");

/** The path of a list, struct or map literal's elements (`[email]`, `{'e': email}`, `MAP {'e': email}`). */
export const LIST_ELEMENT: LineagePath = makePath(undefined, undefined, true, undefined, "list");
export const STRUCT_FIELD: LineagePath = makePath(undefined, undefined, true, undefined, "struct");
export const MAP_ENTRY: LineagePath = makePath(undefined, undefined, true, undefined, "map");

/** The path of a scalar subquery's value (`(SELECT c.email FROM ... WHERE ...)`): its column's values, looked up. */
export const SUBQUERY_VALUE: LineagePath = makePath(undefined, undefined, true, undefined, "subquery");
