import type { DateDiffCall } from "../compile/types.js";
import type { DialectId, Expr, FunctionExpr } from "../syntax/ast.js";
import type { SqlType } from "../types/sql-type.js";

/**
 * The date differences with a unit each dialect runs, and where the unit goes: first (Snowflake's
 * DATEDIFF / TIMESTAMPDIFF / TIMEDIFF, Databricks' DATEDIFF / DATE_DIFF / TIMESTAMPDIFF / TIMEDIFF,
 * DuckDB's DATEDIFF / DATE_DIFF) or last (BigQuery's DATE_DIFF(end, start, unit)). What each counts
 * is in checks/date-diff-meaning.ts.
 */
const UNIT_FIRST: Readonly<Record<DialectId, ReadonlySet<string>>> = {
  snowflake: new Set(["DATEDIFF", "TIMESTAMPDIFF", "TIMEDIFF"]),
  databricks: new Set(["DATEDIFF", "DATE_DIFF", "TIMESTAMPDIFF", "TIMEDIFF"]),
  duckdb: new Set(["DATEDIFF", "DATE_DIFF"]),
  bigquery: new Set(),
};
const UNIT_LAST: Readonly<Record<DialectId, ReadonlySet<string>>> = { snowflake: new Set(), databricks: new Set(), duckdb: new Set(), bigquery: new Set(["DATE_DIFF"]) };

/** The unit names (and the abbreviations the warehouses accept) → the canonical unit. Single letters are left out. */
const UNITS: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = {};
  const add = (unit: string, names: string) => {
    for (const n of names.split(" ")) out[n] = unit;
  };
  add("year", "year years yy yyyy yr yrs");
  add("quarter", "quarter quarters qtr qtrs");
  add("month", "month months mm mon mons");
  add("week", "week weeks wk wks woy weekofyear");
  add("isoweek", "isoweek");
  add("day", "day days dd dayofmonth");
  add("hour", "hour hours hh hr hrs");
  add("minute", "minute minutes mi min mins");
  add("second", "second seconds sec secs");
  add("millisecond", "millisecond milliseconds ms msec msecs");
  add("microsecond", "microsecond microseconds us usec usecs");
  add("nanosecond", "nanosecond nanoseconds ns nsec nsecs");
  return out;
})();

/** A unit as written: a bare word or a string literal (`month`, `'month'`, `MONTH`); BigQuery's `WEEK(MONDAY)` is a week starting that day. */
function unitOf(e: Expr, dialect: DialectId): string | undefined {
  if (e.kind === "column" && e.parts.length === 1 && !e.parts[0].quoted) return UNITS[e.parts[0].name.toLowerCase()];
  if (e.kind === "literal" && e.type === "string" && dialect !== "bigquery") return UNITS[e.value.toLowerCase()];
  if (dialect === "bigquery" && e.kind === "function" && e.name.length === 1 && e.name[0].name.toUpperCase() === "WEEK" && e.args.length === 1) {
    const day = e.args[0];
    if (day.kind === "column" && day.parts.length === 1) return `week(${day.parts[0].name.toLowerCase()})`;
  }
  return undefined;
}

/**
 * `DATE_TRUNC(unit, x)` (BigQuery: `DATE_TRUNC(x, UNIT)`, `TIMESTAMP_TRUNC`, `DATETIME_TRUNC`): the
 * canonical unit and which argument is the value; else undefined.
 */
export function truncation(fn: FunctionExpr, dialect: DialectId): { readonly unit: string; readonly value: number } | undefined {
  if (fn.name.length !== 1 || fn.args.length !== 2) return undefined;
  const unit = truncatedTo(fn, dialect);
  return unit === undefined ? undefined : { unit, value: dialect === "bigquery" ? 0 : 1 };
}

/**
 * The fingerprint of a date difference, as the analyzer compares calls: the unit canonical
 * (`month`, `'month'`, `MM` are one unit), the start before the end, and where the dialect counts
 * unit boundaries (Snowflake, BigQuery, DuckDB except its 7-day 'week'), values truncated to the
 * unit read as the values themselves: `DATEDIFF(month, DATE_TRUNC('month', a), DATE_TRUNC('month', b))`
 * counts what `DATEDIFF(month, a, b)` counts (P001's rewrite for Databricks). Undefined for other calls.
 */
export function dateDiffFp(fn: FunctionExpr, fnText: string, args: readonly { readonly fp: string; readonly truncated?: { readonly unit: string; readonly fp: string } }[], dialect: DialectId): string | undefined {
  if (fn.name.length !== 1 || fn.args.length !== 3 || args.length !== 3 || fn.over !== undefined) return undefined;
  const name = fn.name[0].name.toUpperCase();
  const first = UNIT_FIRST[dialect].has(name);
  if (!first && !UNIT_LAST[dialect].has(name)) return undefined;
  const unit = unitOf(first ? fn.args[0] : fn.args[2], dialect);
  if (unit === undefined) return undefined;
  const counts = dialect !== "databricks" && !(dialect === "duckdb" && unit === "week");
  const value = (a: (typeof args)[number]) => (counts && a.truncated !== undefined && sameWeek(a.truncated.unit, unit) ? a.truncated.fp : a.fp);
  const [start, end] = first ? [args[1], args[2]] : [args[1], args[0]];
  return `${fnText}(${unit.toUpperCase()}, ${value(start)}, ${value(end)})`;
}

/** The unit a `DATE_TRUNC(unit, x)` (BigQuery: `DATE_TRUNC(x, UNIT)`, `TIMESTAMP_TRUNC`, `DATETIME_TRUNC`) truncates to; else undefined. */
function truncatedTo(e: Expr, dialect: DialectId): string | undefined {
  if (e.kind !== "function" || e.name.length !== 1 || e.args.length !== 2) return undefined;
  const name = e.name[0].name.toUpperCase();
  if (dialect === "bigquery") return ["DATE_TRUNC", "TIMESTAMP_TRUNC", "DATETIME_TRUNC"].includes(name) ? unitOf(e.args[1], dialect) : undefined;
  if (name !== "DATE_TRUNC" && name !== "DATETRUNC") return undefined;
  const unit = e.args[0];
  return unit.kind === "literal" && unit.type === "string" ? UNITS[unit.value.toLowerCase()] : unitOf(unit, dialect);
}

const sameWeek = (a: string | undefined, b: string) => a !== undefined && (a === b || ((a === "isoweek" || a.startsWith("week")) && (b === "isoweek" || b.startsWith("week"))));

const valuesOf = (a: SqlType, b: SqlType): DateDiffCall["values"] => {
  const timed = (t: SqlType) => t.kind === "Timestamp" || t.kind === "TimestampNtz";
  if (timed(a) || timed(b)) return "timestamp";
  return a.kind === "Date" && b.kind === "Date" ? "date" : "unknown";
};

/** The call as a DateDiffCall when it is one of its dialect's date differences with a unit it names; else undefined. */
export function dateDiffCall(fn: FunctionExpr, argTypes: readonly SqlType[], dialect: DialectId): DateDiffCall | undefined {
  if (fn.name.length !== 1 || fn.args.length !== 3 || fn.over !== undefined) return undefined;
  const name = fn.name[0].name.toUpperCase();
  const first = UNIT_FIRST[dialect].has(name);
  if (!first && !UNIT_LAST[dialect].has(name)) return undefined;
  const unit = unitOf(first ? fn.args[0] : fn.args[2], dialect);
  if (unit === undefined) return undefined;
  const [start, end] = first ? [fn.args[1], fn.args[2]] : [fn.args[1], fn.args[0]];
  const [startType, endType] = first ? [argTypes[1], argTypes[2]] : [argTypes[1], argTypes[0]];
  if (startType === undefined || endType === undefined) return undefined;
  return {
    fn: name,
    name: fn.nameSpan,
    call: { start: fn.span.start, end: fn.span.end },
    unit,
    start: { start: start.span.start, end: start.span.end },
    end: { start: end.span.start, end: end.span.end },
    values: valuesOf(startType, endType),
    ...(sameWeek(truncatedTo(start, dialect), unit) && sameWeek(truncatedTo(end, dialect), unit) ? { truncated: true as const } : {}),
  };
}
