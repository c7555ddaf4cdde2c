import type { ArrayExpr, BinaryExpr, CastExpr, DialectId, Expr, FunctionExpr, LikeExpr, OrderItem, StructExpr, TypedLiteralExpr, TypeName } from "../syntax/ast.js";
import type { SourceLocator } from "./source-locator.js";
import { fromStrftime, toStrftime } from "../dialects/time-formats.js";

/**
 * Clean textual rewrites for P001 findings: exactly the construct's range and the text that
 * replaces it on the target, built from the user's own source text of the operands. Only where the
 * rewrite means the same on the target; everything else gets a suggestion and no rewrite.
 */
export interface Rewrite {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The text of a source range as the rewrite should use it (the source, or the source with nested rewrites applied). */
export type TextOf = (span: { readonly start: number; readonly end: number }) => string | undefined;

type FunctionRewriter = (fn: FunctionExpr, target: DialectId, src: Source) => Rewrite | undefined;

interface Source {
  readonly loc: SourceLocator;
  /** The dialect the model is written in, when known: what its call means. */
  readonly dialect: DialectId | undefined;
  /** Source text of an expression. */
  arg(e: Expr): string | undefined;
  /** Keyword/function spelling following the user's case for the original function name. */
  kw(s: string): string;
}

const isPlainCall = (fn: FunctionExpr): boolean =>
  fn.name.length === 1 && !fn.distinct && !fn.star && fn.filter === undefined && fn.over === undefined && fn.within === undefined && fn.orderBy === undefined && fn.ignoreNulls === undefined && (fn.namedArgs?.length ?? 0) === 0;

/** Replace just the function name (same arguments, same meaning). */
const rename =
  (byTarget: Partial<Record<DialectId, string>> | string, arity?: (n: number) => boolean): FunctionRewriter =>
  (fn, target, src) => {
    const name = typeof byTarget === "string" ? byTarget : byTarget[target];
    if (name === undefined || fn.name.length !== 1) return undefined;
    if (arity !== undefined && !arity(fn.args.length)) return undefined;
    return { start: fn.nameSpan.start, end: fn.nameSpan.end, text: src.kw(name) };
  };

/** Replace the whole call with a template over the arguments' source text. */
const template =
  (arity: number, build: (args: string[], target: DialectId, kw: (s: string) => string) => string | undefined): FunctionRewriter =>
  (fn, target, src) => {
    if (!isPlainCall(fn) || fn.args.length !== arity) return undefined;
    const args = fn.args.map((a) => src.arg(a));
    if (args.some((a) => a === undefined)) return undefined;
    const text = build(args as string[], target, src.kw);
    return text === undefined ? undefined : { start: fn.span.start, end: fn.span.end, text };
  };

/** An array built from the call's arguments: the target's function, or BigQuery's and DuckDB's `[a, b]` literal. */
const arrayOf =
  (byTarget: Partial<Record<DialectId, string>>): FunctionRewriter =>
  (fn, target, src) => {
    if (!isPlainCall(fn)) return undefined;
    const args = fn.args.map((a) => src.arg(a));
    if (args.some((a) => a === undefined)) return undefined;
    const list = args.join(", ");
    const name = byTarget[target];
    return { start: fn.span.start, end: fn.span.end, text: name !== undefined ? `${src.kw(name)}(${list})` : `[${list}]` };
  };

/** The same value (a rewriter, a type spelling) for each of several names of one function or type. */
const sameFor = <V>(labels: readonly string[], value: V): Record<string, V> => Object.fromEntries(labels.map((l) => [l, value]));

const FUNCTION_REWRITES: Readonly<Record<string, FunctionRewriter>> = {
  NVL: rename("COALESCE", (n) => n === 2),
  IFNULL: rename("COALESCE", (n) => n === 2),
  LEN: rename("LENGTH", (n) => n === 1),
  ZEROIFNULL: template(1, ([x], _t, kw) => `${kw("COALESCE")}(${x}, 0)`),
  NULLIFZERO: template(1, ([x], _t, kw) => `${kw("NULLIF")}(${x}, 0)`),
  IFF: template(3, ([c, a, b], _t, kw) => `${kw("CASE WHEN")} ${c} ${kw("THEN")} ${a} ${kw("ELSE")} ${b} ${kw("END")}`),
  // Snowflake's IFF is Databricks' IF under another name (IF is the only target that flags it).
  IF: rename({ snowflake: "IFF" }, (n) => n === 3),
  NVL2: template(3, ([x, a, b], _t, kw) => `${kw("CASE WHEN")} ${x} ${kw("IS NOT NULL THEN")} ${a} ${kw("ELSE")} ${b} ${kw("END")}`),
  CHARINDEX: template(2, ([sub, str], t, kw) => `${kw(t === "databricks" ? "INSTR" : "STRPOS")}(${str}, ${sub})`),
  ARRAY_SIZE: rename({ bigquery: "ARRAY_LENGTH", duckdb: "ARRAY_LENGTH" }, (n) => n === 1),
  TO_VARCHAR: template(1, ([x], t, kw) => `${kw("CAST")}(${x} ${kw("AS")} ${kw(t === "duckdb" ? "VARCHAR" : "STRING")})`),
  DATE_FROM_PARTS: rename({ databricks: "MAKE_DATE", duckdb: "MAKE_DATE", bigquery: "DATE" }, (n) => n === 3),
  ARRAY_CONSTRUCT: arrayOf({ databricks: "ARRAY" }),
  ...sameFor(["LIST_VALUE", "LIST_PACK"], arrayOf({ databricks: "ARRAY", snowflake: "ARRAY_CONSTRUCT" })),
  // One argument: base 10 in DuckDB, the natural logarithm in Databricks and BigQuery. The rewrite is
  // the spelling that means the model's logarithm both where it is written and on the target. With
  // two, the arguments' order differs (BigQuery's value first): a swap would change it where written.
  LOG: (fn, target, src) => {
    if (fn.args.length !== 1) return undefined;
    if (src.dialect === "duckdb") return target === "snowflake" ? template(1, ([x], _t, kw) => `${kw("LOG")}(10, ${x})`)(fn, target, src) : rename("LOG10")(fn, target, src);
    if (src.dialect === "databricks" || src.dialect === "bigquery") return rename("LN")(fn, target, src);
    return undefined;
  },
  DATE_PART: (fn, target, src) => {
    const part = commonPart(fn.args[0]);
    const value = fn.args.length === 2 ? src.arg(fn.args[1]) : undefined;
    if (target !== "bigquery" || !isPlainCall(fn) || part === undefined || value === undefined) return undefined;
    return { start: fn.span.start, end: fn.span.end, text: `${src.kw("EXTRACT")}(${src.kw(part.toUpperCase())} ${src.kw("FROM")} ${value})` };
  },
  NOW: template(0, (_a, _t, kw) => kw("CURRENT_TIMESTAMP")),
  GETDATE: template(0, (_a, _t, kw) => kw("CURRENT_TIMESTAMP")),
  // DuckDB has these as keywords only, never with parentheses: the bare word, as written, is the same call.
  ...sameFor(["CURRENT_TIMESTAMP", "CURRENT_TIME", "LOCALTIMESTAMP"], (fn, target, src) => {
    if (target !== "duckdb" || fn.args.length !== 0) return undefined;
    const name = src.loc.text(fn.nameSpan);
    return name === undefined ? undefined : { start: fn.span.start, end: fn.span.end, text: name };
  }),
  // Snowflake's REGEXP_LIKE matches the whole string; Databricks' anywhere, as RLIKE does.
  REGEXP_LIKE: (fn, target, src) => {
    if (target !== "duckdb") return undefined;
    const name = src.dialect === "snowflake" ? "REGEXP_FULL_MATCH" : src.dialect === "databricks" ? "REGEXP_MATCHES" : undefined;
    return name === undefined ? undefined : rename(name, (n) => n === 2)(fn, target, src);
  },
  // One argument: the date of a timestamp, or of ISO text (a DATE cast; another format needs STRPTIME).
  // Two: text parsed with a format, which STRPTIME takes as strftime codes (time-formats.ts).
  TO_DATE: (fn, target, src) => {
    if (target !== "duckdb" || !isPlainCall(fn)) return undefined;
    if (fn.args.length === 1) return template(1, ([x], _t, kw) => `${kw("CAST")}(${x} ${kw("AS")} ${kw("DATE")})`)(fn, target, src);
    const format = fn.args.length === 2 ? stringValue(fn.args[1]) : undefined;
    const from = src.dialect === "snowflake" || src.dialect === "databricks" ? src.dialect : undefined;
    if (format === undefined || from === undefined) return undefined;
    const codes = toStrftime(format, from);
    const text = src.arg(fn.args[0]);
    if (codes === undefined || text === undefined) return undefined;
    return { start: fn.span.start, end: fn.span.end, text: `${src.kw("CAST")}(${src.kw("STRPTIME")}(${text}, '${codes}') ${src.kw("AS")} ${src.kw("DATE")})` };
  },
  // One argument: NUMBER(38, 0), the number rounded, as a DECIMAL cast rounds it.
  TO_NUMBER: template(1, ([x], target, kw) => (target === "duckdb" ? `${kw("CAST")}(${x} ${kw("AS")} ${kw("DECIMAL")}(38, 0))` : undefined)),
  TRY_TO_NUMBER: template(1, ([x], target, kw) => (target === "duckdb" ? `${kw("TRY_CAST")}(${x} ${kw("AS")} ${kw("DECIMAL")}(38, 0))` : undefined)),
  STRFTIME: (fn, target, src) => formatRewrite(fn, target, src, "format", target === "snowflake" ? "TO_VARCHAR" : "DATE_FORMAT"),
  STRPTIME: (fn, target, src) => formatRewrite(fn, target, src, "parse", "TO_TIMESTAMP"),
  TODAY: template(0, (_a, _t, kw) => kw("CURRENT_DATE")),
  MAKE_DATE: rename({ snowflake: "DATE_FROM_PARTS", bigquery: "DATE" }, (n) => n === 3),
  STRPOS: (fn, target, src) => (target === "snowflake" ? template(2, ([s, sub], _t, kw) => `${kw("POSITION")}(${sub}, ${s})`) : rename({ databricks: "INSTR" }, (n) => n === 2))(fn, target, src),
  STARTS_WITH: rename("STARTSWITH", (n) => n === 2),
  ENDS_WITH: rename("ENDSWITH", (n) => n === 2),
  STARTSWITH: rename({ duckdb: "STARTS_WITH" }, (n) => n === 2),
  ENDSWITH: rename({ duckdb: "ENDS_WITH" }, (n) => n === 2),
  REGEXP_MATCHES: rename({ bigquery: "REGEXP_CONTAINS" }, (n) => n === 2),
  REGEXP_FULL_MATCH: rename({ snowflake: "REGEXP_LIKE" }, (n) => n === 2),
  ...sameFor(["STRING_SPLIT", "STR_SPLIT"], rename({ snowflake: "SPLIT", bigquery: "SPLIT" }, (n) => n === 2)),
  ARRAY_LENGTH: rename({ snowflake: "ARRAY_SIZE", databricks: "ARRAY_SIZE" }, (n) => n === 1),
  ...sameFor(["LIST_CONTAINS", "LIST_HAS", "ARRAY_HAS"], rename({ databricks: "ARRAY_CONTAINS" }, (n) => n === 2)),
  ...sameFor(["LIST_TRANSFORM", "ARRAY_TRANSFORM", "LIST_APPLY", "APPLY"], rename({ snowflake: "TRANSFORM", databricks: "TRANSFORM" }, (n) => n === 2)),
  ...sameFor(["LIST_FILTER", "ARRAY_FILTER"], rename({ snowflake: "FILTER", databricks: "FILTER" }, (n) => n === 2)),
  ...sameFor(["ARG_MAX", "ARGMAX"], rename("MAX_BY", (n) => n === 2)),
  ...sameFor(["ARG_MIN", "ARGMIN"], rename("MIN_BY", (n) => n === 2)),
  COUNT_IF: rename({ bigquery: "COUNTIF" }, (n) => n === 1),
  COUNTIF: rename({ snowflake: "COUNT_IF" }, (n) => n === 1),
  // Snowflake's names for the same aggregates (which also take numbers, non-zero as true: the
  // rename is exact for the boolean argument the other warehouses require).
  BOOLAND_AGG: rename({ duckdb: "BOOL_AND", databricks: "BOOL_AND", bigquery: "LOGICAL_AND" }, (n) => n === 1),
  BOOLOR_AGG: rename({ duckdb: "BOOL_OR", databricks: "BOOL_OR", bigquery: "LOGICAL_OR" }, (n) => n === 1),
  BOOL_AND: rename({ snowflake: "BOOLAND_AGG", bigquery: "LOGICAL_AND" }, (n) => n === 1),
  BOOL_OR: rename({ snowflake: "BOOLOR_AGG", bigquery: "LOGICAL_OR" }, (n) => n === 1),
  // LISTAGG's default separator is '' and STRING_AGG's is ',': rename only with an explicit separator.
  LISTAGG: (fn, target, src) => (fn.within === undefined && fn.orderBy === undefined && fn.over === undefined ? rename({ bigquery: "STRING_AGG" }, (n) => n === 2)(fn, target, src) : undefined),
  STRING_AGG: (fn, target, src) => (fn.orderBy === undefined && fn.over === undefined ? rename({ snowflake: "LISTAGG" }, (n) => n === 2)(fn, target, src) : undefined),
  GROUP_CONCAT: (fn, target, src) => {
    if (fn.orderBy !== undefined || fn.over !== undefined || fn.filter !== undefined) return undefined;
    if (target === "bigquery") return rename("STRING_AGG", (n) => n === 1 || n === 2)(fn, target, src);
    if (target === "snowflake" && fn.args.length === 2) return rename("LISTAGG")(fn, target, src);
    if (target === "snowflake" && fn.args.length === 1 && !fn.distinct) return template(1, ([x], _t, kw) => `${kw("LISTAGG")}(${x}, ',')`)(fn, target, src);
    if (target === "databricks" && !fn.distinct) {
      if (fn.args.length === 1) return template(1, ([x], _t, kw) => `${kw("ARRAY_JOIN")}(${kw("COLLECT_LIST")}(${x}), ',')`)(fn, target, src);
      return template(2, ([x, sep], _t, kw) => `${kw("ARRAY_JOIN")}(${kw("COLLECT_LIST")}(${x}), ${sep})`)(fn, target, src);
    }
    return undefined;
  },
};

/**
 * A date part as written (`day`, `'day'`), lower-case, when it is one of the units every target
 * spells alike and means alike; WEEK is left out (the week starts on another day in each).
 */
function commonPart(e: Expr | undefined): string | undefined {
  const name = e?.kind === "column" && e.parts.length === 1 && !e.parts[0].quoted ? e.parts[0].name : e !== undefined ? stringValue(e) : undefined;
  const lower = name?.toLowerCase();
  return lower !== undefined && COMMON_PARTS.has(lower) ? lower : undefined;
}
const COMMON_PARTS = new Set(["year", "quarter", "month", "day", "hour", "minute", "second"]);

/** The call rebuilt with other arguments: the name as written, the arguments' text given. */
function withArgs(fn: FunctionExpr, src: Source, args: readonly string[]): Rewrite | undefined {
  if (!isPlainCall(fn)) return undefined;
  const name = src.loc.text(fn.nameSpan);
  return name === undefined ? undefined : { start: fn.span.start, end: fn.span.end, text: `${name}(${args.join(", ")})` };
}

/** A date part for the target: a string where it takes one, a keyword in BigQuery. */
const partFor = (part: string, target: DialectId, kw: (s: string) => string): string => (target === "bigquery" ? kw(part.toUpperCase()) : target === "snowflake" ? kw(part) : `'${part}'`);

type FormRewriter = (fn: FunctionExpr, target: DialectId, src: Source) => Rewrite | undefined;

/**
 * Rewrites of a call in a form the target rejects (catalog `FunctionForm.rewrite`), to the target's
 * own form of the same call. A rewrite that reorders arguments is offered only where the replacement
 * fails in the model's own dialect rather than computing something else there (its arguments mean
 * other things in the other order), and only for the units whose count means the same in both: day
 * for the differences (Databricks counts elapsed units, the others unit boundaries, alike for dates).
 */
const FORM_REWRITES: Readonly<Record<string, FormRewriter>> = {
  // Databricks' DATEDIFF(end, start) / DATE_DIFF(end, start), the days from start to end, as BigQuery's
  // DATE_DIFF(end, start, DAY): a three-argument DATE_DIFF with the unit last fails on Databricks. Not
  // for Snowflake or DuckDB: DATEDIFF(day, start, end) runs on Databricks too, counting elapsed days.
  DAYS_END_START: (fn, target, src) => {
    if (fn.args.length !== 2 || target !== "bigquery" || src.dialect !== "databricks") return undefined;
    const [end, start] = fn.args.map((a) => src.arg(a));
    return end === undefined || start === undefined ? undefined : withArgs(fn, src, [end, start, src.kw("DAY")]);
  },
  // BigQuery's DATE_DIFF(end, start, DAY) with the unit first (a unit first fails on BigQuery).
  DAYS_PART_LAST: (fn, target, src) => {
    if (fn.args.length !== 3 || commonPart(fn.args[2]) !== "day" || src.dialect !== "bigquery") return undefined;
    const [end, start] = fn.args.map((a) => src.arg(a));
    if (end === undefined || start === undefined) return undefined;
    return withArgs(fn, src, [target === "databricks" ? src.kw("DAY") : partFor("day", target, src.kw), start, end]);
  },
  // BigQuery's DATE_TRUNC(date, MONTH) with the unit first, as a string (which fails on BigQuery).
  TRUNC_PART_LAST: (fn, target, src) => {
    const part = commonPart(fn.args[1]);
    const date = fn.args.length === 2 ? src.arg(fn.args[0]) : undefined;
    if (part === undefined || date === undefined || src.dialect !== "bigquery") return undefined;
    return withArgs(fn, src, [`'${target === "databricks" ? part.toUpperCase() : part}'`, date]);
  },
  // A bare unit word as the string Databricks and DuckDB take: only the word changes.
  QUOTE_PART: (fn, target, src) => {
    const first = fn.args[0];
    const part = commonPart(first);
    if (part === undefined || first.kind !== "column") return undefined;
    return { start: first.span.start, end: first.span.end, text: `'${target === "databricks" ? part.toUpperCase() : part}'` };
  },
  // `AGG(x) WITHIN GROUP (ORDER BY y)` as `AGG(x ORDER BY y)`.
  WITHIN_GROUP_INSIDE: (fn, _target, src) => {
    if (fn.within === undefined || fn.over !== undefined || fn.filter !== undefined || fn.orderBy !== undefined || fn.name.length !== 1) return undefined;
    const args = fn.args.map((a) => src.arg(a));
    const order = orderText(fn.within, src);
    const name = src.loc.text(fn.nameSpan);
    if (args.some((a) => a === undefined) || order === undefined || name === undefined || args.length === 0) return undefined;
    return { start: fn.span.start, end: fn.span.end, text: `${name}(${fn.distinct ? `${src.kw("DISTINCT")} ` : ""}${args.join(", ")} ${src.kw("ORDER BY")} ${order})` };
  },
  // `ARRAY_AGG(x ORDER BY y)` as Snowflake's `ARRAY_AGG(x) WITHIN GROUP (ORDER BY y)`.
  ORDER_BY_WITHIN_GROUP: (fn, _target, src) => {
    if (fn.orderBy === undefined || fn.over !== undefined || fn.filter !== undefined || fn.within !== undefined || fn.ignoreNulls !== undefined || fn.name.length !== 1) return undefined;
    const args = fn.args.map((a) => src.arg(a));
    const order = orderText(fn.orderBy, src);
    const name = src.loc.text(fn.nameSpan);
    if (args.some((a) => a === undefined) || order === undefined || name === undefined || args.length !== 1) return undefined;
    return { start: fn.span.start, end: fn.span.end, text: `${name}(${fn.distinct ? `${src.kw("DISTINCT")} ` : ""}${args[0]}) ${src.kw("WITHIN GROUP")} (${src.kw("ORDER BY")} ${order})` };
  },
};

/** The source text of ORDER BY items, from the first item's start to the last one's end (directions and NULLS included). */
function orderText(items: readonly OrderItem[], src: Source): string | undefined {
  const first = items[0];
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return src.loc.text({ start: first.span.start, end: last.span.end });
}

export function rewriteForm(key: string, fn: FunctionExpr, target: DialectId, loc: SourceLocator, textOf: TextOf = (s) => loc.text(s), dialect?: DialectId): Rewrite | undefined {
  const rewriter = FORM_REWRITES[key];
  if (rewriter === undefined) return undefined;
  const original = fn.name[fn.name.length - 1]?.name ?? key;
  return rewriter(fn, target, sourceFor(loc, original, textOf, dialect));
}

/** A string literal's value, else undefined. */
const stringValue = (e: Expr): string | undefined => (e.kind === "literal" && e.type === "string" ? e.value : undefined);

/**
 * DuckDB's STRFTIME(value, format) (either order) as Snowflake's TO_VARCHAR / Databricks'
 * DATE_FORMAT, and STRPTIME(text, format) as TO_TIMESTAMP, with the format literal in the target's
 * syntax; only where time-formats.ts translates every part of it.
 */
function formatRewrite(fn: FunctionExpr, target: DialectId, src: Source, kind: "format" | "parse", name: string): Rewrite | undefined {
  if ((target !== "snowflake" && target !== "databricks") || !isPlainCall(fn) || fn.args.length !== 2) return undefined;
  const [a, b] = fn.args;
  // STRPTIME takes the text first; STRFTIME either way round.
  const formatArg = stringValue(b) !== undefined ? b : kind === "format" && stringValue(a) !== undefined ? a : undefined;
  if (formatArg === undefined) return undefined;
  const format = fromStrftime(stringValue(formatArg) as string, target);
  const value = src.arg(formatArg === b ? a : b);
  if (format === undefined || value === undefined) return undefined;
  return { start: fn.span.start, end: fn.span.end, text: `${src.kw(name)}(${value}, '${format}')` };
}

function sourceFor(loc: SourceLocator, originalName: string, textOf: TextOf, dialect: DialectId | undefined): Source {
  const lower = originalName !== originalName.toUpperCase() && originalName === originalName.toLowerCase();
  return {
    loc,
    dialect,
    arg: (e) => textOf(e.span),
    kw: (s) => (lower ? s.toLowerCase() : s),
  };
}

export function rewriteFunction(label: string, fn: FunctionExpr, target: DialectId, loc: SourceLocator, textOf: TextOf = (s) => loc.text(s), dialect?: DialectId): Rewrite | undefined {
  const rewriter = FUNCTION_REWRITES[label];
  if (rewriter === undefined) return undefined;
  const original = fn.name[fn.name.length - 1]?.name ?? label;
  return rewriter(fn, target, sourceFor(loc, original, textOf, dialect));
}

/**
 * DuckDB's Postgres-style operators for another target, where the target has the same meaning:
 * `**` → POWER, `^@` → STARTSWITH / STARTS_WITH, `~` / `!~` → [NOT] REGEXP_LIKE on Snowflake (a
 * whole-string match there too), and the LIKE spellings (`~~`, `!~~`, and `~~*`, `!~~*` where the
 * target has ILIKE). A call replaces the whole operation and is safe anywhere; a keyword operator
 * (or a leading NOT) is offered only where the operation is not itself an operand of another
 * operator (`bindsAlone`), since LIKE binds more loosely than `~~`.
 */
export function rewriteOperator(
  b: BinaryExpr,
  target: DialectId,
  bindsAlone: boolean,
  loc: SourceLocator,
  textOf: TextOf = (s) => loc.text(s),
  source?: DialectId,
): Rewrite | undefined {
  const l = textOf(b.left.span);
  const r = textOf(b.right.span);
  if (l === undefined || r === undefined) return undefined;
  const whole = (text: string): Rewrite => ({ start: b.span.start, end: b.span.end, text });
  const opOnly = (text: string): Rewrite | undefined => (bindsAlone ? { start: b.opSpan.start, end: b.opSpan.end, text } : undefined);
  switch (b.op) {
    case "**":
      return whole(`POWER(${l}, ${r})`);
    case "^":
      // A power written in DuckDB; a bitwise XOR written in Databricks or BigQuery.
      if (source === "duckdb") return whole(`POWER(${l}, ${r})`);
      return whole(`${target === "duckdb" ? "XOR" : "BITXOR"}(${l}, ${r})`);
    case "<=>":
      return bindsAlone ? whole(`${l} IS NOT DISTINCT FROM ${r}`) : undefined;
    case "^@":
      return whole(`${target === "bigquery" ? "STARTS_WITH" : "STARTSWITH"}(${l}, ${r})`);
    case "~":
      return target === "snowflake" ? whole(`REGEXP_LIKE(${l}, ${r})`) : undefined;
    case "!~":
      return target === "snowflake" && bindsAlone ? whole(`NOT REGEXP_LIKE(${l}, ${r})`) : undefined;
    case "~~":
      return opOnly("LIKE");
    case "!~~":
      return opOnly("NOT LIKE");
    case "~~*":
      return target === "bigquery" ? undefined : opOnly("ILIKE");
    case "!~~*":
      return target === "bigquery" ? undefined : opOnly("NOT ILIKE");
    default:
      return undefined;
  }
}

/** `a [NOT] ILIKE b [ESCAPE e]` → `LOWER(a) [NOT] LIKE LOWER(b) [ESCAPE e]`; not for `ILIKE ANY/ALL (...)`. */
export function rewriteIlike(like: LikeExpr, loc: SourceLocator, textOf: TextOf = (s) => loc.text(s)): Rewrite | undefined {
  if (like.quantifier !== undefined) return undefined;
  const a = textOf(like.expr.span);
  const b = textOf(like.pattern.span);
  const op = loc.text(like.opSpan);
  if (a === undefined || b === undefined || op === undefined) return undefined;
  const lower = op === op.toLowerCase();
  const kw = (s: string) => (lower ? s.toLowerCase() : s);
  const escapeText = like.escape === undefined ? "" : textOf(like.escape.span);
  if (escapeText === undefined) return undefined;
  const escape = like.escape === undefined ? "" : ` ${kw("ESCAPE")} ${escapeText}`;
  const text = `${kw("LOWER")}(${a}) ${like.not ? `${kw("NOT")} ` : ""}${kw("LIKE")} ${kw("LOWER")}(${b})${escape}`;
  return { start: like.span.start, end: like.span.end, text };
}

const BIGQUERY_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: "STRING",
  TEXT: "STRING",
  STRING: "STRING",
  INT: "INT64",
  INTEGER: "INT64",
  BIGINT: "INT64",
  SMALLINT: "INT64",
  TINYINT: "INT64",
  INT64: "INT64",
  DOUBLE: "FLOAT64",
  "DOUBLE PRECISION": "FLOAT64",
  FLOAT: "FLOAT64",
  FLOAT64: "FLOAT64",
  REAL: "FLOAT64",
  BOOLEAN: "BOOL",
  BOOL: "BOOL",
  DATE: "DATE",
  TIMESTAMP: "TIMESTAMP",
  DATETIME: "DATETIME",
  TIMESTAMP_NTZ: "DATETIME",
  JSON: "JSON",
  BYTES: "BYTES",
  BINARY: "BYTES",
  BLOB: "BYTES",
};

/** A BigQuery spelling of a type written for another dialect, when there is an unambiguous one. */
export function bigQueryTypeName(t: TypeName): string | undefined {
  if (t.args !== undefined || t.fields !== undefined) return undefined;
  if (t.name === "DECIMAL" || t.name === "NUMERIC" || t.name === "NUMBER") {
    if (t.params.length === 0) return "NUMERIC";
    const [p, s = 0] = t.params;
    if (p - s <= 29 && s <= 9) return `NUMERIC(${p}, ${s})`;
    if (p - s <= 38 && s <= 38) return `BIGNUMERIC(${p}, ${s})`;
    return undefined;
  }
  if (t.params.length > 0 && !["VARCHAR", "STRING", "TEXT"].includes(t.name)) return undefined;
  return BIGQUERY_TYPES[t.name];
}

/** `expr::T` → `CAST(expr AS T')` with T' the BigQuery spelling of T. */
export function rewriteColonCast(cast: CastExpr, loc: SourceLocator, textOf: TextOf = (s) => loc.text(s)): Rewrite | undefined {
  const e = textOf(cast.expr.span);
  const t = bigQueryTypeName(cast.to);
  if (e === undefined || t === undefined) return undefined;
  return { start: cast.span.start, end: cast.span.end, text: `CAST(${e} AS ${t})` };
}

/** Text types: their literal is the string itself. */
const TEXT_LITERAL_TYPES = new Set(["VARCHAR", "CHAR", "BPCHAR", "STRING", "TEXT", "NVARCHAR", "UUID"]);
/** A typed literal's type as each target spells it, by DuckDB's names for it. */
const LITERAL_CAST_TYPES: Readonly<Record<string, Partial<Readonly<Record<DialectId, string>>>>> = {
  ...sameFor(["INT", "INTEGER", "INT4", "SIGNED"], { snowflake: "INTEGER", databricks: "INT" }),
  ...sameFor(["BIGINT", "INT8", "LONG"], { snowflake: "BIGINT", databricks: "BIGINT", bigquery: "INT64" }),
  ...sameFor(["SMALLINT", "INT2", "SHORT"], { snowflake: "SMALLINT", databricks: "SMALLINT" }),
  ...sameFor(["TINYINT", "INT1"], { snowflake: "TINYINT", databricks: "TINYINT" }),
  ...sameFor(["BOOLEAN", "BOOL", "LOGICAL"], { snowflake: "BOOLEAN", databricks: "BOOLEAN", bigquery: "BOOL" }),
  ...sameFor(["DOUBLE", "FLOAT8"], { snowflake: "DOUBLE", databricks: "DOUBLE", bigquery: "FLOAT64" }),
  ...sameFor(["FLOAT", "FLOAT4", "REAL"], { databricks: "FLOAT" }),
};

/**
 * DuckDB's `TYPE 'text'` literals as the target spells the same value: the bare string for a text
 * type, a CAST for the others where the target has the same type (BigQuery's one integer type is
 * DuckDB's BIGINT, and neither Snowflake nor BigQuery has a 4-byte float). None for binary, bit,
 * unsigned, huge, JSON or DuckDB's own time types: no target reads their text alike.
 */
export function rewriteTypedLiteral(lit: TypedLiteralExpr, target: DialectId, textOf: TextOf): Rewrite | undefined {
  const quoted = textOf({ ...lit.span, start: lit.dataType.span.end })?.trimStart();
  if (quoted === undefined || !quoted.startsWith("'")) return undefined;
  const written = textOf(lit.dataType.span) ?? lit.dataType.name;
  const lower = written === written.toLowerCase();
  const type = TEXT_LITERAL_TYPES.has(lit.dataType.name) ? "" : LITERAL_CAST_TYPES[lit.dataType.name]?.[target];
  if (type === undefined) return undefined;
  const text = type === "" ? quoted : `${lower ? "cast" : "CAST"}(${quoted} ${lower ? "as" : "AS"} ${lower ? type.toLowerCase() : type})`;
  return { start: lit.span.start, end: lit.span.end, text };
}

/** A keyword replaced by another in the same case as written (`* EXCLUDE` ↔ `* EXCEPT`). */
export function rewriteKeyword(at: { readonly start: number; readonly end: number }, written: string, replacement: string): Rewrite {
  return { start: at.start, end: at.end, text: written === written.toLowerCase() ? replacement.toLowerCase() : replacement };
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * DuckDB's `{'k': v, ...}` as Databricks' `NAMED_STRUCT('k', v, ...)` or BigQuery's
 * `STRUCT(v AS k, ...)`: the same fields in the same order. Not offered for a field name that
 * would need escaping.
 */
export function rewriteStructLiteral(struct: StructExpr, target: DialectId, textOf: TextOf): Rewrite | undefined {
  const parts: string[] = [];
  for (const f of struct.fields) {
    const value = textOf(f.value.span);
    if (value === undefined) return undefined;
    if (target === "databricks") {
      if (/['\\]/.test(f.name.name)) return undefined;
      parts.push(`'${f.name.name}', ${value}`);
    } else if (target === "bigquery") {
      if (f.name.name.includes("`")) return undefined;
      parts.push(`${value} AS ${SIMPLE_NAME.test(f.name.name) ? f.name.name : `\`${f.name.name}\``}`);
    } else return undefined;
  }
  return { start: struct.span.start, end: struct.span.end, text: `${target === "databricks" ? "NAMED_STRUCT" : "STRUCT"}(${parts.join(", ")})` };
}

/** `[a, b]` → Databricks' `ARRAY(a, b)`. */
export function rewriteArrayLiteral(array: ArrayExpr, target: DialectId, textOf: TextOf): Rewrite | undefined {
  if (target !== "databricks") return undefined;
  const elements = array.elements.map((e) => textOf(e.span));
  if (elements.some((e) => e === undefined)) return undefined;
  return { start: array.span.start, end: array.span.end, text: `ARRAY(${elements.join(", ")})` };
}
