import { lineStartsOf } from "../../util/line-index.js";
import type { DateDiffCall } from "../../compile/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId } from "../../syntax/ast.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import { type ModelSqlInput, SourceLocator } from "../source-locator.js";

/**
 * What a date difference with a unit counts, per warehouse. The same text runs on all of them and
 * returns other numbers, with no error (P001 "returns other numbers"):
 *
 * - Snowflake DATEDIFF / TIMESTAMPDIFF / TIMEDIFF(unit, a, b): unit boundaries crossed. "Difference
 *   calculations compare the specified date or time part, not the complete date or time" (the month
 *   difference between November 28 and December 5 is 1); for timestamps "only the specified unit and
 *   larger units are used"; weeks follow the WEEK_START session parameter (0, the default, starts
 *   them on Monday). docs.snowflake.com/en/sql-reference/functions/datediff,
 *   docs.snowflake.com/sql-reference/functions/timediff, .../timestampdiff.
 * - BigQuery DATE_DIFF(end, start, unit): "the number of unit boundaries between two DATE values";
 *   WEEK weeks begin on Sunday, WEEK(<WEEKDAY>) on that day, ISOWEEK on Monday.
 *   cloud.google.com/bigquery/docs/reference/standard-sql/date_functions.
 * - Databricks DATEDIFF / DATE_DIFF / TIMESTAMPDIFF / TIMEDIFF(unit, start, end): "counts whole
 *   elapsed units based on UTC with a DAY being 86400 seconds. One month is considered elapsed when
 *   the calendar month has increased and the calendar day and time is equal or greater to the start.
 *   Weeks, quarters, and years follow from that" (a DATE is its midnight).
 *   docs.databricks.com/sql/language-manual/functions/datediff3.html, .../timestampdiff.html,
 *   .../date_diff.html.
 * - DuckDB DATEDIFF / DATE_DIFF('unit', a, b): "the number of partition boundaries", except 'week',
 *   which counts whole 7-day periods between the calendar dates (the time of day ignored); DATE_SUB
 *   counts complete units elapsed, but a month that ends on a shorter month's last day is complete
 *   (2023-01-31 to 2023-02-28 is 1). duckdb.org/docs/sql/functions/date; every DuckDB fact here is
 *   asserted against DuckDB itself in test/engine/checks/date-diff-meaning.test.ts.
 *
 * So the two agree on DATE values for DAY and the units below it (whole days either way) and
 * disagree on MONTH, QUARTER and YEAR whatever the values; on timestamps they disagree from
 * MILLISECOND up. Between values truncated to the unit (`DATE_TRUNC('month', a)`) they agree
 * whatever the unit: that is the rewrite offered. Microseconds and nanoseconds are not compared (Databricks and DuckDB keep
 * microseconds, so they agree on the values those warehouses hold).
 */
type Values = "date" | "timestamp";

const BELOW_DAY = new Set(["hour", "minute", "second", "millisecond"]);
const PLURAL: Readonly<Record<string, string>> = { day: "days", hour: "hours", minute: "minutes", second: "seconds", millisecond: "milliseconds", week: "weeks", month: "months", quarter: "quarters", year: "years" };

/** The unit the target's own date difference is written with for the model's unit (BigQuery's week variants are weeks elsewhere). */
const targetUnit = (unit: string, target: DialectId) => (target !== "bigquery" && (unit === "isoweek" || unit.startsWith("week(")) ? "week" : unit);

/** What the dialect's date difference counts for the unit over such values, as an identity (equal = same numbers). */
function countOf(dialect: DialectId, unit: string, values: Values): string {
  if (unit === "microsecond" || unit === "nanosecond") return "same";
  const week = unit === "week" || unit === "isoweek" || unit.startsWith("week(");
  if ((unit === "day" || BELOW_DAY.has(unit)) && values === "date") return "same";
  if (dialect === "databricks") return week && values === "date" ? "7-day periods" : "elapsed";
  if (!week) return "boundaries";
  if (dialect === "duckdb") return values === "date" ? "7-day periods" : "7-day periods of dates";
  if (dialect === "bigquery") return unit === "isoweek" || unit === "week(monday)" ? "weeks from monday" : unit === "week" ? "weeks from sunday" : `weeks from ${unit.slice(5, -1)}`;
  return "weeks from monday";
}

/** BigQuery's ISOWEEK and WEEK(<day>) are weeks, as a message says them. */
const plainUnit = (unit: string) => (unit === "isoweek" || unit.startsWith("week(") ? "week" : unit);

/** How a count is said in a message. */
function describe(count: string, unit: string, dialect: DialectId): string {
  const units = PLURAL[unit] ?? `${unit}s`;
  if (count === "elapsed") return unit === "month" || unit === "quarter" || unit === "year" ? `counts whole ${units} elapsed (one counts once the day and time reach the start's)` : `counts whole ${units} elapsed`;
  if (count === "boundaries") return `counts the ${unit} boundaries crossed`;
  if (count === "7-day periods") return "counts whole 7-day periods";
  if (count === "7-day periods of dates") return "counts whole 7-day periods between the calendar dates, ignoring the time of day";
  const day = count.slice("weeks from ".length);
  return `counts the week boundaries crossed, weeks starting on ${day[0].toUpperCase()}${day.slice(1)}${dialect === "snowflake" ? " (WEEK_START's default)" : ""}`;
}

/** One pair of values that the two counts tell apart, and what each returns. */
function example(unit: string, model: string, target: string): { from: string; to: string; model: number; target: number } | undefined {
  const one = (c: string) => (c === model ? { model: 1, target: 0 } : { model: 0, target: 1 });
  if (unit === "year") return { from: "2023-12-31", to: "2024-01-01", ...one("boundaries") };
  if (unit === "quarter") return { from: "2023-03-31", to: "2023-04-01", ...one("boundaries") };
  if (unit === "month") return { from: "2023-01-31", to: "2023-02-01", ...one("boundaries") };
  if (unit === "day") return { from: "2023-01-01 23:00", to: "2023-01-02 01:00", ...one("boundaries") };
  if (unit === "hour") return { from: "10:59", to: "11:01", ...one("boundaries") };
  if (unit === "minute") return { from: "10:59:59", to: "11:00:01", ...one("boundaries") };
  if (unit === "second") return { from: "10:00:00.9", to: "10:00:01.1", ...one("boundaries") };
  if (unit === "millisecond") return { from: "10:00:00.0009", to: "10:00:00.0011", ...one("boundaries") };
  // BigQuery's WEEK(<day>) for another day than Sunday or Monday: no example.
  if ([model, target].some((c) => c.startsWith("weeks from") && c !== "weeks from monday" && c !== "weeks from sunday")) return undefined;
  const sunday = [model, target].find((c) => c === "weeks from sunday");
  if (sunday !== undefined) return { from: "Saturday 2023-01-07", to: "Sunday 2023-01-08", ...one(sunday) };
  if (model === "weeks from monday" || target === "weeks from monday") return { from: "Sunday 2023-01-08", to: "Monday 2023-01-09", ...one("weeks from monday") };
  return { from: "2023-01-04 12:00", to: "2023-01-11 11:00", ...one("7-day periods of dates") };
}

export type DateDiffMeaningInput = ModelSqlInput;

/** A finding's parts: merged into a P001 the text checks already report on the same name (a form the target rejects). */
export interface DateDiffMeaning {
  readonly call: DateDiffCall;
  /** What differs, as a clause: "Databricks' DATEDIFF counts whole months elapsed, where Snowflake's counts ...". */
  readonly what: string;
  readonly suggestion: string;
  /** The exact rewrite of the whole call, from its values' text (with the rewrites inside them applied). */
  readonly rewrite?: (textOf: TextOf) => string | undefined;
}

type TextOf = (r: { readonly start: number; readonly end: number }) => string | undefined;

/**
 * P001 for a date difference whose count differs on the target: Snowflake's, DuckDB's and BigQuery's
 * count unit boundaries, Databricks' whole elapsed units. Only where the unit and the values' types
 * make the numbers differ: MONTH, QUARTER, YEAR and WEEK whatever the values, DAY and the units below
 * it only over timestamps (on DATEs they agree; where inference does not know the type, no finding).
 */
export function dateDiffMeanings(calls: readonly DateDiffCall[] | undefined, input: DateDiffMeaningInput, options: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): DateDiffMeaning[] {
  const target = options.target;
  if (calls === undefined || calls.length === 0 || target === undefined || target === input.dialect) return [];
  let allowed: Set<string> | undefined;
  const out: DateDiffMeaning[] = [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  for (const c of calls) {
    // Between two unit starts, boundaries crossed and whole units elapsed are one number (P001's own rewrite).
    if (c.truncated) continue;
    const tUnit = targetUnit(c.unit, target);
    const kinds: Values[] = c.values === "unknown" ? ["date", "timestamp"] : [c.values];
    if (!kinds.every((v) => countOf(input.dialect, c.unit, v) !== countOf(target, tUnit, v))) continue;
    allowed ??= allowedLabels(options.allow, { sql: input.sql });
    if (allowed.has(c.fn)) continue;
    const v: Values = c.values === "timestamp" ? "timestamp" : "date";
    const mine = countOf(input.dialect, c.unit, v);
    const theirs = countOf(target, tUnit, v);
    const here = DIALECT_DISPLAY[input.dialect];
    const there = DIALECT_DISPLAY[target];
    const ex = example(plainUnit(c.unit), mine, theirs);
    const onTimestamps = c.values === "timestamp" && (c.unit === "day" || BELOW_DAY.has(c.unit) || mine.includes("of dates") || theirs.includes("of dates")) ? " (the values are timestamps)" : "";
    const what = `${of(target)} ${targetFn(target)} ${describe(theirs, plainUnit(tUnit), target)}, where ${of(input.dialect)} ${c.fn} ${describe(mine, plainUnit(c.unit), input.dialect)}${onTimestamps}${ex === undefined ? "" : `: from ${ex.from} to ${ex.to} it is ${ex.model} on ${here}, ${ex.target} on ${there}`}`;
    const written = loc.text(c.name) ?? c.fn;
    const kw = written === written.toLowerCase() && written !== written.toUpperCase() ? (w: string) => w.toLowerCase() : (w: string) => w;
    const model = input.dialect;
    // The suggestion names the values (as the other P001 suggestions do); the replacement has their text.
    const fix = suggestionFor(c, model, target, mine, kw, "start", "end");
    const rewrite = fix.rewrite !== undefined && loc.verbatim(c.call) ? (textOf: TextOf) => {
      const s = textOf(c.start);
      const e = textOf(c.end);
      return s === undefined || e === undefined ? undefined : suggestionFor(c, model, target, mine, kw, s, e).rewrite;
    } : undefined;
    out.push({ call: c, what, suggestion: fix.text, ...(rewrite !== undefined ? { rewrite } : {}) });
  }
  return out;
}

/**
 * The findings, merged with the model's text P001s: a call the target also rejects as written (a
 * form, a missing function) is one finding whose fix keeps the model's count. Rewrites never
 * overlap: a text rewrite inside the call (DATE_FROM_PARTS → MAKE_DATE in an argument) is applied
 * inside this one and dropped from its own finding; a call inside another rewrite gets none.
 */
export function dateDiffDiagnostics(meanings: readonly DateDiffMeaning[], input: DateDiffMeaningInput, target: DialectId, text: readonly Diagnostic[]): { readonly add: Diagnostic[]; readonly text: Diagnostic[] } {
  if (meanings.length === 0) return { add: [], text: text as Diagnostic[] };
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  const starts = lineStartsOf(input.sql);
  const offset = (line: number, col: number) => (starts[line - 1] ?? Number.NaN) + col - 1;
  const rangeOf = (d: Diagnostic) => {
    const r = d.replacement?.span;
    if (r === undefined || r.file !== input.file || r.endLine === undefined || r.endCol === undefined) return undefined;
    return { start: offset(r.line, r.col), end: offset(r.endLine, r.endCol), text: d.replacement?.text as string };
  };
  const there = DIALECT_DISPLAY[target];
  const add: Diagnostic[] = [];
  const merged = [...text];
  for (const m of meanings) {
    const span = loc.span(m.call.name);
    const call = m.call.call;
    const same = (d: Diagnostic) => d.code === "P001" && d.span?.file === span.file && d.span?.line === span.line && d.span?.col === span.col;
    let replacement: Diagnostic["replacement"];
    if (m.rewrite !== undefined) {
      const others = merged.map((d, i) => ({ i, r: rangeOf(d) })).filter((o): o is { i: number; r: { start: number; end: number; text: string } } => o.r !== undefined && !same(merged[o.i]) && o.r.start < call.end && call.start < o.r.end);
      const inside = (o: { start: number; end: number }, arg: { start: number; end: number }) => o.start >= arg.start && o.end <= arg.end;
      if (others.every((o) => inside(o.r, m.call.start) || inside(o.r, m.call.end))) {
        const textOf: TextOf = (arg) => {
          let t = loc.text(arg);
          for (const o of [...others].sort((a, b) => b.r.start - a.r.start)) {
            if (t === undefined || !inside(o.r, arg)) continue;
            t = t.slice(0, o.r.start - arg.start) + o.r.text + t.slice(o.r.end - arg.start);
          }
          return t;
        };
        const rewritten = m.rewrite(textOf);
        if (rewritten !== undefined) {
          replacement = { span: loc.spanOf(call.start, call.end), text: rewritten };
          for (const o of others) {
            const { replacement: _inner, ...rest } = merged[o.i];
            merged[o.i] = rest;
          }
        }
      }
    }
    const i = merged.findIndex(same);
    if (i >= 0) {
      // The target rejects the call as written: one finding, whose fix keeps the model's count.
      const { replacement: _dropped, ...rest } = merged[i];
      merged[i] = { ...rest, message: `${rest.message}; and its count differs there: ${m.what}`, suggestion: m.suggestion, ...(replacement !== undefined ? { replacement } : {}) };
      continue;
    }
    add.push(createDiagnostic("P001", `${m.call.fn} returns other numbers on ${there}: ${m.what}`, { model: input.model, span, suggestion: m.suggestion, ...(replacement !== undefined ? { replacement } : {}) }));
  }
  return { add, text: merged };
}

/** "Snowflake's", "Databricks'". */
const of = (d: DialectId) => (DIALECT_DISPLAY[d].endsWith("s") ? `${DIALECT_DISPLAY[d]}'` : `${DIALECT_DISPLAY[d]}'s`);

/** The target's own date difference, as a message names it. */
const targetFn = (target: DialectId) => (target === "bigquery" || target === "duckdb" ? "DATE_DIFF" : "DATEDIFF");

const MICROS: Readonly<Record<string, string>> = { day: "86400000000", hour: "3600000000", minute: "60000000", second: "1000000", millisecond: "1000", week: "604800000000" };

/**
 * What to write on the target to keep the model's count, from the start and end values' text: the
 * suggestion, and the exact rewrite of the whole call where there is one.
 */
function suggestionFor(c: DateDiffCall, model: DialectId, target: DialectId, mine: string, kw: (s: string) => string, s: string, e: string): { text: string; rewrite?: string } {
  const here = DIALECT_DISPLAY[model];
  const unit = c.unit;
  if (target === "databricks") {
    const fn = kw(model !== "bigquery" && ["DATEDIFF", "DATE_DIFF", "TIMESTAMPDIFF", "TIMEDIFF"].includes(c.fn) ? c.fn : "DATEDIFF");
    if (mine === "boundaries") {
      const u = kw(unit.toUpperCase());
      const text = `${fn}(${u}, ${kw("DATE_TRUNC")}('${u}', ${s}), ${kw("DATE_TRUNC")}('${u}', ${e}))`;
      return { text: `count between the ${unit}s' starts, which counts the boundaries as ${here} does (the same number on ${here}): ${text}`, rewrite: text };
    }
    if (mine === "7-day periods of dates") {
      const text = `${fn}(${kw("WEEK")}, ${kw("CAST")}(${s} ${kw("AS DATE")}), ${kw("CAST")}(${e} ${kw("AS DATE")}))`;
      return { text: `count between the dates, as DuckDB does: ${text}`, rewrite: text };
    }
    if (mine === "weeks from monday") {
      const text = `${fn}(${kw("WEEK")}, ${kw("DATE_TRUNC")}('${kw("WEEK")}', ${s}), ${kw("DATE_TRUNC")}('${kw("WEEK")}', ${e}))`;
      return model === "snowflake"
        ? { text: `${text} counts Monday-start week boundaries, as Snowflake does with WEEK_START 0 (the default) or 1; with another WEEK_START no Databricks function counts those weeks` }
        : { text: `count between the weeks' starts (Databricks' weeks start on Monday): ${text}`, rewrite: text };
    }
    if (mine === "weeks from sunday") {
      const text = `${fn}(${kw("WEEK")}, ${kw("DATE_TRUNC")}('${kw("WEEK")}', ${kw("DATE_ADD")}(${s}, 1)), ${kw("DATE_TRUNC")}('${kw("WEEK")}', ${kw("DATE_ADD")}(${e}, 1)))`;
      return { text: `Databricks' weeks start on Monday: shift the dates by a day to count Sunday-start weeks, as BigQuery does: ${text}`, rewrite: c.values === "date" ? text : undefined };
    }
    return { text: `Databricks' DATE_TRUNC('WEEK', …) starts weeks on Monday: no Databricks spelling counts these week boundaries as ${here} does; check which count the model needs` };
  }
  // The model counts whole elapsed units (Databricks).
  if (mine === "elapsed") {
    const long = unit === "month" || unit === "quarter" || unit === "year";
    if (target === "duckdb") {
      if (long) return { text: `DuckDB's DATE_SUB('${unit}', start, end) counts whole ${unit}s elapsed too, but counts a ${unit} that ends on a shorter month's last day (from 2023-01-31 to 2023-02-28 it is 1 month, 0 on Databricks): no exact rewrite; check which count the model needs` };
      const text = `${kw("DATE_SUB")}('${unit}', ${s}, ${e})`;
      return { text: `DuckDB's DATE_SUB counts whole ${unit}s elapsed, as Databricks does: ${text}`, rewrite: text };
    }
    if (long) return { text: `${of(target)} ${targetFn(target)} counts ${unit} boundaries and no ${DIALECT_DISPLAY[target]} function counts whole ${unit}s elapsed as Databricks does: check which count the model needs` };
    if (target === "snowflake") {
      return { text: `count in microseconds and divide, to count whole ${unit}s elapsed as Databricks does: TRUNC(DATEDIFF(microsecond, ${s}, ${e}) / ${MICROS[unit]}) (exact for values in whole microseconds, as Databricks keeps them)` };
    }
    return { text: `BigQuery's DATE_DIFF counts ${unit} boundaries, not whole ${unit}s elapsed as Databricks does: check which count the model needs` };
  }
  // The model counts 7-day periods (Databricks on DATEs, DuckDB's 'week') where the target counts week boundaries.
  if (mine === "7-day periods" || mine === "7-day periods of dates") {
    if (target === "snowflake") return { text: `count days and divide, as ${here} does: TRUNC(DATEDIFF(day, ${s}, ${e}) / 7)${mine === "7-day periods of dates" ? "" : " (the values are dates)"}` };
    if (target === "bigquery") return { text: `count days and divide, as ${here} does: DIV(DATE_DIFF(${e}, ${s}, DAY), 7)` };
    if (target === "duckdb" && model === "databricks") {
      const text = `${kw("DATE_SUB")}('week', ${s}, ${e})`;
      return { text: `DuckDB's DATE_SUB counts whole weeks elapsed, as Databricks does: ${text}`, rewrite: text };
    }
    return { text: `count days and divide, as ${here} does` };
  }
  // Week boundaries on both, from other days (Snowflake's Monday, BigQuery's Sunday).
  if (target === "bigquery" && mine === "weeks from monday") return { text: `BigQuery's WEEK starts on Sunday; ISOWEEK starts on Monday, as ${of(model)} weeks do${model === "snowflake" ? " with the default WEEK_START" : ""}: DATE_DIFF(${e}, ${s}, ISOWEEK)` };
  if (target === "duckdb" && mine === "weeks from monday") return { text: `DuckDB's DATE_DIFF('week', …) counts 7-day periods: count between the weeks' starts instead, DATE_DIFF('week', DATE_TRUNC('week', ${s}), DATE_TRUNC('week', ${e})) (DuckDB's weeks start on Monday)` };
  return { text: `the weeks start on another day on ${DIALECT_DISPLAY[target]}: check which count the model needs` };
}
