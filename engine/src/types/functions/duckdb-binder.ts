import type { SqlType, SqlTypeKind } from "../sql-type.js";
import { isNumeric, isTemporal } from "../type-constants.js";

/**
 * Where DuckDB's binder rejects a query for its argument types ("No function matches the given
 * name and argument types", "Cannot mix values of type ... in CASE expression"): no overload of
 * the function or operator takes them, and DuckDB converts no column implicitly (a string
 * *literal* it does). R011 reports these for DuckDB models, where the warehouse would otherwise
 * reject the query only when it runs.
 *
 * Only what DuckDB itself was seen to reject is listed: test/engine/analyze/duckdb-binder.test.ts
 * runs every (function, rejected kind) pair below through a real DuckDB and asserts it fails to
 * bind, and every other kind of the same probe set either binds or goes unreported. Snowflake and
 * Databricks cast strings to numbers implicitly (and fail per row at run time), so they get no
 * such rule.
 */

type Kinds = readonly SqlTypeKind[];

const NUMBER_KINDS: Kinds = ["Int32", "Int64", "Float32", "Float64", "Decimal"];
const TEMPORAL_KINDS: Kinds = ["Date", "Timestamp", "TimestampNtz"];
/** Not a number: what DuckDB's numeric functions refuse. */
const NOT_NUMBER: Kinds = ["String", "Boolean", ...TEMPORAL_KINDS];
/** Not text: what DuckDB's string functions refuse (JSON and lists they take). */
const NOT_TEXT: Kinds = [...NUMBER_KINDS, "Boolean", ...TEMPORAL_KINDS];

export interface ArgumentCheck {
  /** Which arguments: an index, or every one. */
  readonly at: number | "all";
  readonly rejects: Kinds;
  /** What the function takes there, for the message ("a number", "text"). */
  readonly takes: string;
}

const numeric = (at: number | "all" = 0, rejects: Kinds = NOT_NUMBER): ArgumentCheck => ({ at, rejects, takes: "a number" });
const text = (at = 0): ArgumentCheck => ({ at, rejects: NOT_TEXT, takes: "text" });
const count = (at: number): ArgumentCheck => ({ at, rejects: ["String"], takes: "an integer" });
/** Not a date, timestamp or interval: what DuckDB's date-part functions refuse (a text *column* too). */
const NOT_TEMPORAL: Kinds = [...NUMBER_KINDS, "String", "Boolean"];
/** The date-part argument of DATE_PART, DATE_TRUNC and `EXTRACT(part FROM x)`. */
export const TEMPORAL_ARGUMENT = (at: number): ArgumentCheck => ({ at, rejects: NOT_TEMPORAL, takes: "a date, timestamp or interval" });

/** Upper-case function name (as spelled) → the argument checks DuckDB's overloads imply. */
export const DUCKDB_ARGUMENT_CHECKS: Readonly<Record<string, readonly ArgumentCheck[]>> = {
  // aggregates: SUM takes booleans, AVG takes dates and timestamps, the statistics neither
  SUM: [numeric(0, ["String", ...TEMPORAL_KINDS, "Interval"])],
  AVG: [numeric(0, ["String", "Boolean"])],
  MEAN: [numeric(0, ["String", "Boolean"])],
  STDDEV: [numeric()],
  STDDEV_SAMP: [numeric()],
  STDDEV_POP: [numeric()],
  VARIANCE: [numeric()],
  VAR_SAMP: [numeric()],
  VAR_POP: [numeric()],
  PRODUCT: [numeric()],
  CORR: [numeric("all")],
  COVAR_POP: [numeric("all")],
  COVAR_SAMP: [numeric("all")],
  // numeric scalars
  ABS: [numeric()],
  SIGN: [numeric()],
  ROUND: [numeric(), count(1)],
  CEIL: [numeric()],
  CEILING: [numeric()],
  FLOOR: [numeric()],
  SQRT: [numeric()],
  LN: [numeric()],
  LOG10: [numeric()],
  LOG2: [numeric()],
  EXP: [numeric()],
  POWER: [numeric("all")],
  POW: [numeric("all")],
  MOD: [numeric("all")],
  // string scalars
  UPPER: [text()],
  LOWER: [text()],
  UCASE: [text()],
  LCASE: [text()],
  TRIM: [text()],
  LTRIM: [text()],
  RTRIM: [text()],
  REVERSE: [text()],
  LENGTH: [text()],
  SUBSTR: [text(), count(1)],
  SUBSTRING: [text(), count(1)],
  LEFT: [text(), count(1)],
  RIGHT: [text(), count(1)],
  REPLACE: [text()],
  STRPOS: [text()],
  LPAD: [text()],
  RPAD: [text()],
  // date parts: a number (a day count from DATEDIFF, say) or a text column has no overload
  DATE_PART: [TEMPORAL_ARGUMENT(1)],
  DATE_TRUNC: [TEMPORAL_ARGUMENT(1)],
};

/** Functions whose arguments DuckDB unifies to one type, as it does CASE branches. */
export const DUCKDB_UNIFYING_FUNCTIONS: ReadonlySet<string> = new Set(["COALESCE", "IFNULL", "GREATEST", "LEAST"]);

/** An argument as the checks see it: its type, and whether it is a string literal (which DuckDB casts freely). */
export interface BoundArg {
  readonly type: SqlType;
  readonly stringLiteral: boolean;
}

/** The first argument of a call that DuckDB's overloads refuse, with what was expected there. */
export function rejectedArgument(checks: readonly ArgumentCheck[], args: readonly BoundArg[]): { index: number; takes: string } | undefined {
  for (const check of checks) {
    const from = check.at === "all" ? 0 : check.at;
    const to = check.at === "all" ? args.length : Math.min(check.at + 1, args.length);
    for (let i = from; i < to; i++) {
      const a = args[i];
      if (!a.stringLiteral && check.rejects.includes(a.type.kind)) return { index: i, takes: check.takes };
    }
  }
  return undefined;
}

/** Arithmetic operands (`+ - * / // %` and unary minus) DuckDB has no overload for. */
export function rejectedOperand(a: BoundArg): boolean {
  return !a.stringLiteral && (a.type.kind === "String" || a.type.kind === "Boolean");
}

type Family = "text" | "number" | "temporal" | "boolean";

function familyOf(a: BoundArg): Family | undefined {
  const t = a.type;
  if (t.kind === "String") return a.stringLiteral ? undefined : "text";
  if (t.kind === "Boolean") return "boolean";
  if (isNumeric(t)) return "number";
  if (isTemporal(t)) return "temporal";
  return undefined;
}

/** Pairs DuckDB refuses to unify without a cast (a boolean with a number it accepts). */
function clash(a: Family, b: Family): boolean {
  if (a === b) return false;
  if (a === "text" || b === "text") return true;
  return (a === "number" && b === "temporal") || (a === "temporal" && b === "number");
}

/** Where CASE / COALESCE-like branches mix types DuckDB will not unify: the first branch that clashes with an earlier one. */
export function clashingBranch(branches: readonly BoundArg[]): { index: number; with: number } | undefined {
  const seen: { family: Family; index: number }[] = [];
  for (let i = 0; i < branches.length; i++) {
    const f = familyOf(branches[i]);
    if (f === undefined) continue;
    const earlier = seen.find((s) => clash(s.family, f));
    if (earlier !== undefined) return { index: i, with: earlier.index };
    if (!seen.some((s) => s.family === f)) seen.push({ family: f, index: i });
  }
  return undefined;
}
