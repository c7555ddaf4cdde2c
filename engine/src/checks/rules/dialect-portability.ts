import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ArrayExpr, BinaryExpr, CastExpr, ColumnExpr, Comment, DerivedTableRef, LiteralExpr, DialectId, FieldAccessExpr, FunctionExpr, FunctionTableRef, LateralViewRef, LikeExpr, MapExpr, MatchRecognizeRef, NamedTableRef, Query, Select, SetOperation, Span, StarExpr, StructExpr, SubscriptExpr, TypedLiteralExpr, UnaryExpr } from "../../syntax/ast.js";
import { readsStream } from "../../syntax/walk.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY, parseTargetDialect } from "../dialect-names.js";
import { constructOfKind, type FunctionForm, functionConstruct, normalizeLabel, operatorConstruct, PORTABILITY_CATALOG, type PortabilityConstruct, runsOn, starFilterConstruct, starModifierConstruct, typedLiteralAccepted } from "../portability-catalog.js";
import { type Rewrite, rewriteArrayLiteral, rewriteColonCast, rewriteForm, rewriteFunction, rewriteIlike, rewriteKeyword, rewriteOperator, rewriteStructLiteral, rewriteTypedLiteral, type TextOf } from "../portability-rewrites.js";
import { type ColumnMap, SourceLocator } from "../source-locator.js";
import { type AstNode, visitNodes } from "../visit-nodes.js";
import { escapeRegExp } from "../../util/escape-regexp.js";
import { TYPED_LITERALS } from "../../syntax/parser.js";
import { DUCKDB_MISSING_FUNCTIONS } from "../duckdb-missing-functions.js";
import { sampleConstruct, sampleOfModifiers } from "../sample-forms.js";
import { duckdbDialect } from "../../dialects/duckdb.js";

export interface PortabilityInput {
  readonly model: string;
  /** The model file, project-relative. */
  readonly file: string;
  /** The dialect the model is written in: the target decides, except for `^`, which means a power in DuckDB and XOR elsewhere. */
  readonly dialect?: DialectId;
  /** The parsed query; undefined when the SQL did not parse (then no P001, as in Rocky). */
  readonly query: Query | undefined;
  /** The parser's comments, for `-- rocky-allow:` pragmas. */
  readonly comments?: readonly Comment[];
  /** The SQL the parser saw: needed for end positions and replacements. */
  readonly sql?: string;
  /** `@var` substitutions (ModelSource.columnMap): no replacement is offered on substituted lines. */
  readonly columnMap?: ColumnMap;
}

export interface PortabilityOptions {
  /** `--target-dialect` (dbx|sf|bq|duckdb or long names) or `[portability] target_dialect`; unset = no lint. */
  readonly target: DialectId | string | undefined;
  /** `[portability] allow`: construct labels, case-insensitive. */
  readonly allow?: readonly string[];
}

interface Finding {
  readonly construct: PortabilityConstruct;
  readonly at: { readonly start: number; readonly end: number; readonly line: number; readonly col: number };
  readonly rewrite?: Rewrite;
}

/** Rebuilds a rewrite with other text for its operands (to fold nested rewrites into it). */
export type Rebuild = (textOf: TextOf) => Rewrite | undefined;

/**
 * P001 (rocky-compat.md §4): constructs that do not run on the target dialect, on the exact span of
 * the construct (the function name, the ILIKE / QUALIFY keyword, the `::` or `:` operator, LATERAL
 * VIEW), with the per-target suggestion and, where the rewrite is exact, a replacement of exactly
 * the construct's range. AST-based: identifiers and string literals never match.
 */
export function checkPortability(input: PortabilityInput, options: PortabilityOptions): Diagnostic[] {
  const target = typeof options.target === "string" ? parseTargetDialect(options.target) : undefined;
  if (target === undefined || input.query === undefined) return [];
  if (input.sql !== undefined && !mayHaveConstructs(target, withoutComments(input.sql, input.comments), input.dialect)) return [];
  const allowed = allowedLabels(options.allow ?? [], { comments: input.comments, sql: input.comments ? undefined : input.sql });
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  const findings = detectPortability(input.query, target, loc, input.dialect).filter((f) => !allowed.has(normalizeLabel(f.construct.label)) && !allowed.has(normalizeLabel(f.construct.display ?? f.construct.label)));
  return findings.map((f) => report(f, input, target, loc));
}

const isFlagged = (c: PortabilityConstruct, target: DialectId) => !c.native.includes(target);

const TOKENS: Readonly<Record<string, string>> = {
  qualify: "\\bqualify\\b",
  ilike: "\\bilike\\b",
  colon_cast: "::",
  // `v:path` / `v['k']:path` / `v:"Quoted"` — a single colon between an operand and a name.
  variant_path: `[\\w"\\]]\\s*(?<!:):(?!:)\\s*[\\w"]`,
  lateral_view: "\\blateral\\b",
  table_function: "\\bflatten\\b",
  star_filter: "\\*\\s*(?:not\\s+)?(?:i?like|similar)\\b",
  star_modifier: "\\*\\s*(?:exclude|except|replace|rename)\\b",
  struct_literal: "\\{",
  array_literal: "\\[",
  map_literal: "\\bmap\\s*\\{",
  slice: "\\[[^\\]]*:",
  list_comprehension: "\\bfor\\b",
  positional_column: "#\\d",
  using_sample: "\\busing\\s+sample\\b",
  stream_read: "\\bstream\\b",
  table_sample: "\\b(?:tablesample|sample)\\b",
  try_cast: "\\btry_cast\\b",
  safe_cast: "\\bsafe_cast\\b",
  set_op_minus: "\\bminus\\b",
  set_op_bare: "\\b(?:union|intersect|except)\\b",
  top: "\\btop\\b",
  // A type name, then the string: `VARCHAR 'x'`, `UUID '...'` (the AST decides which names a target lacks).
  typed_literal: `\\b(?:${[...TYPED_LITERALS, ...duckdbDialect.typedLiteralTypes].filter((n) => !typedLiteralAccepted(n, "snowflake") || !typedLiteralAccepted(n, "bigquery")).join("|")})\\s*'`,
  distinct_on: "\\bdistinct\\s+on\\b",
  // A query that starts with FROM: at the start, after `(`, or after a set operator.
  from_first: "(?:^|[(;]|\\b(?:union|intersect|except|all|distinct)\\b)\\s*from\\b",
  pivot_statement: "\\b(?:un)?pivot(?:_wider|_longer)?\\b",
  match_recognize: "\\bmatch_recognize\\b",
  connect_by: "\\bconnect\\s+by\\b",
  file_scan: "\\b(?:from|join)\\s*'",
  stage_scan: "\\b(?:from|join)\\s*@",
};

/** The pre-check for an operator row: its own characters, escaped; a word operator as a word, REGEXP for RLIKE (one operator, two spellings). */
const operatorToken = (label: string): string => (label === "RLIKE" ? "\\b(?:rlike|regexp)\\b" : /^[A-Z]+$/.test(label) ? `\\b${label}\\b` : escapeRegExp(label));
const prefilters = new Map<DialectId, RegExp>();

/**
 * A cheap text pre-check: can the SQL contain any construct flagged for this target at all? When
 * not, the AST walk is skipped. It only ever skips work: the AST decides every finding.
 */
function mayHaveConstructs(target: DialectId, sql: string, dialect?: DialectId): boolean {
  let re = prefilters.get(target);
  if (re === undefined) {
    const parts = PORTABILITY_CATALOG.filter((c) => isFlagged(c, target) || c.forms?.some((f) => f.accepts[target] !== undefined) === true || c.kind === "table_sample").map((c) => (c.kind === "function" ? `\\b${c.label}\\b` : c.kind === "operator" ? operatorToken(c.label) : TOKENS[c.kind]));
    re = new RegExp(parts.join("|"), "i");
    prefilters.set(target, re);
  }
  if (re.test(sql)) return true;
  // A DuckDB target also checks other dialects' built-ins against the ones DuckDB has (onFunction).
  if (target !== "duckdb" || dialect === undefined || dialect === "duckdb") return false;
  missingPrefilter ??= new RegExp(`\\b(?:${[...DUCKDB_MISSING_FUNCTIONS].join("|")})\\s*\\(`, "i");
  return missingPrefilter.test(sql);
}
let missingPrefilter: RegExp | undefined;

/** The SQL with the parser's comments blanked out (so prose in comments does not defeat the pre-check). */
function withoutComments(sql: string, comments: readonly Comment[] | undefined): string {
  if (comments === undefined || comments.length === 0) return sql;
  let out = "";
  let at = 0;
  for (const c of comments) {
    if (c.span.start < at || c.span.end > sql.length) return sql;
    out += `${sql.slice(at, c.span.start)} `;
    at = c.span.end;
  }
  return out + sql.slice(at);
}

/** Detection only: the flagged constructs with their spans and rewrites, in source order, one per (construct, place). */
export function detectPortability(query: Query, target: DialectId, loc: SourceLocator, dialect?: DialectId): Finding[] {
  const found: { construct: PortabilityConstruct; at: Finding["at"]; rebuild?: Rebuild }[] = [];
  const seen = new Set<string>();
  const add = (construct: PortabilityConstruct, at: Finding["at"], rebuild?: Rebuild) => {
    const key = `${construct.label}@${at.start}`;
    if (seen.has(key) || !isFlagged(construct, target)) return;
    seen.add(key);
    found.push({ construct, at, rebuild });
  };

  visitNodes(query, (node, parent) => {
    switch (node.kind) {
      case "function":
        onFunction(node as unknown as FunctionExpr, parent, target, dialect, loc, add);
        return;
      case "function_table": {
        const t = node as unknown as FunctionTableRef;
        if (isFlatten(t.fn)) add(constructOfKind("table_function"), t.fn.nameSpan);
        if (t.sample !== undefined) onSample(t.sample, t.fn.span.end, t.span.end, target, dialect, loc, add);
        // Databricks' `STREAM read_files(...)`: the keyword before the call.
        if (t.stream) add(constructOfKind("stream_read"), operatorSpan(loc, /\bstream\b/i, t.span.start, t.fn.span.start) ?? t.span);
        return;
      }
      case "match_recognize": {
        const mr = node as unknown as MatchRecognizeRef;
        add(constructOfKind("match_recognize"), operatorSpan(loc, /^match_recognize\b/i, mr.span.start, mr.span.start + 15) ?? mr.span);
        return;
      }
      case "derived": {
        const d = node as unknown as DerivedTableRef;
        if (d.sample !== undefined) onSample(d.sample, d.query.span.end, d.span.end, target, dialect, loc, add);
        return;
      }
      case "set_op": {
        const op = node as unknown as SetOperation;
        const at = operatorSpan(loc, /\b(?:union|intersect|except|minus)\b/i, op.left.span.end, op.right.span.start);
        if (at === undefined) return;
        const word = loc.text(at)?.toUpperCase();
        if (word === "MINUS") {
          add(constructOfKind("set_op_minus"), at, (target === "bigquery" || target === "duckdb") ? () => ({ start: at.start, end: at.end, text: target === "bigquery" ? "EXCEPT DISTINCT" : "EXCEPT" }) : undefined);
          return;
        }
        // BigQuery spells out ALL or DISTINCT; elsewhere a bare operator means DISTINCT.
        if (!op.all && loc.find(/^\s+distinct\b/i, at.end, op.right.span.start) === undefined) {
          const written = loc.text(at) as string;
          add(constructOfKind("set_op_bare"), at, op.byName ? undefined : () => ({ start: at.start, end: at.end, text: `${written} ${written === written.toLowerCase() ? "distinct" : "DISTINCT"}` }));
        }
        return;
      }
      case "select": {
        const select = node as unknown as Select;
        if (select.connectBy !== undefined) add(constructOfKind("connect_by"), select.connectBy.span);
        if (select.top !== undefined) add(constructOfKind("top"), operatorSpan(loc, /\btop\b/i, select.span.start, select.top.span.start) ?? select.span);
        if (select.qualify !== undefined) add(constructOfKind("qualify"), select.qualifySpan ?? keywordSpan(loc, /\bqualify\b/i, select.span, select.qualify.span) ?? select.span);
        if (select.distinct?.on !== undefined) add(constructOfKind("distinct_on"), operatorSpan(loc, /distinct\s+on/i, select.distinct.span.start, select.distinct.span.end) ?? select.distinct.span);
        const from = operatorSpan(loc, /^from\b/i, select.span.start, select.span.start + 4);
        if (from !== undefined) add(constructOfKind("from_first"), from);
        const pivot = operatorSpan(loc, /^(?:un)?pivot(?:_wider|_longer)?\b/i, select.span.start, select.span.start + 12);
        if (pivot !== undefined) add(constructOfKind("pivot_statement"), pivot);
        // DuckDB's select-level sample, after WHERE / GROUP BY: the last USING SAMPLE in the select.
        if (select.sample !== undefined) add(constructOfKind("using_sample"), keywordSpan(loc, /using\s+sample/i, select.span, { ...select.span, start: select.span.end }) ?? select.span);
        return;
      }
      case "binary": {
        const b = node as unknown as BinaryExpr;
        const construct = operatorConstruct(b.op, dialect);
        if (construct === undefined) return;
        add(construct, b.opSpan, (textOf) => rewriteOperator(b, target, bindsAlone(parent), loc, textOf, dialect));
        return;
      }
      case "like": {
        const like = node as unknown as LikeExpr;
        if (like.op === "RLIKE" || like.op === "GLOB") {
          const construct = operatorConstruct(like.op, dialect);
          if (construct !== undefined) add(construct, like.opSpan);
          return;
        }
        if (like.op !== "ILIKE") return;
        add(constructOfKind("ilike"), like.opSpan, (textOf) => rewriteIlike(like, loc, textOf));
        return;
      }
      case "cast": {
        const cast = node as unknown as CastExpr;
        if (cast.style === "try_cast" || cast.style === "safe_cast") {
          add(constructOfKind(cast.style), operatorSpan(loc, /^(?:try_cast|safe_cast)\b/i, cast.span.start, cast.span.end) ?? cast.span);
          return;
        }
        if (cast.style !== "colon_colon") return;
        const op = operatorSpan(loc, /::/, cast.expr.span.end, cast.to.span.start) ?? cast.span;
        add(constructOfKind("colon_cast"), op, target === "bigquery" ? (textOf) => rewriteColonCast(cast, loc, textOf) : undefined);
        return;
      }
      case "field": {
        const field = node as unknown as FieldAccessExpr;
        if (field.style !== "colon") return;
        add(constructOfKind("variant_path"), operatorSpan(loc, /:/, field.expr.span.end, field.field.span.start) ?? field.span);
        return;
      }
      case "star": {
        const star = node as unknown as StarExpr;
        if (star.pattern !== undefined) add(starFilterConstruct(star.pattern.op, star.pattern.not), star.pattern.opSpan);
        // Inside DuckDB's COLUMNS(...) (flagged itself) the star's modifiers go with it.
        if (parent?.kind !== "function") onStarModifiers(star, target, loc, add);
        return;
      }
      case "struct": {
        const struct = node as unknown as StructExpr;
        if (loc.text({ start: struct.span.start, end: struct.span.start + 1 }) === "{") add(constructOfKind("struct_literal"), openerSpan(loc, struct.span), (textOf) => rewriteStructLiteral(struct, target, textOf));
        return;
      }
      case "array": {
        const array = node as unknown as ArrayExpr;
        if (loc.text({ start: array.span.start, end: array.span.start + 1 }) === "[") add(constructOfKind("array_literal"), openerSpan(loc, array.span), (textOf) => rewriteArrayLiteral(array, target, textOf));
        return;
      }
      case "map": {
        const map = node as unknown as MapExpr;
        // No rewrite: MAP(k, v) is one entry in Databricks but MAP(keys, values) in DuckDB, so the fix reads differently in the model's own dialect.
        add(constructOfKind("map_literal"), operatorSpan(loc, /map/i, map.span.start, map.span.start + 3) ?? map.span);
        return;
      }
      case "typed_literal": {
        const lit = node as unknown as TypedLiteralExpr;
        if (!typedLiteralAccepted(lit.dataType.name, target)) add(constructOfKind("typed_literal"), lit.dataType.span, (textOf) => rewriteTypedLiteral(lit, target, textOf));
        return;
      }
      case "literal": {
        // A query's `ORDER BY #2` is parsed as the ordinal 2 it means: the source still says `#2`.
        const lit = node as unknown as LiteralExpr;
        if (lit.type === "number" && loc.text({ start: lit.span.start, end: lit.span.start + 1 }) === "#") add(constructOfKind("positional_column"), lit.span);
        return;
      }
      case "column": {
        const col = node as unknown as ColumnExpr;
        const last = col.parts[col.parts.length - 1];
        if (last !== undefined && !last.quoted && last.name.startsWith("#")) add(constructOfKind("positional_column"), last.span);
        return;
      }
      case "subscript": {
        const sub = node as unknown as SubscriptExpr;
        if (sub.to !== undefined) add(constructOfKind("slice"), operatorSpan(loc, /\[/, sub.expr.span.end, sub.span.end) ?? sub.span);
        return;
      }
      case "table": {
        const t = node as unknown as NamedTableRef;
        if (t.file) add(constructOfKind("file_scan"), t.name[0].span);
        else if (t.stage) add(constructOfKind("stage_scan"), t.name[0].span);
        const sample = sampleOfModifiers(t.modifiers);
        if (sample !== undefined) onSample(sample, t.name[t.name.length - 1]?.span.end ?? t.span.start, t.span.end, target, dialect, loc, add);
        if (t.modifiers !== undefined && /USING\s+SAMPLE/i.test(t.modifiers)) add(constructOfKind("using_sample"), operatorSpan(loc, /using\s+sample/i, t.span.start, t.span.end) ?? t.span);
        // Databricks' `STREAM t` / `STREAM(t)`: the parser records it as the table's first modifier, the keyword at the ref's start.
        if (readsStream(t.modifiers)) add(constructOfKind("stream_read"), operatorSpan(loc, /\bstream\b/i, t.span.start, t.span.end) ?? t.span);
        return;
      }
      case "lateral_view": {
        const lv = node as unknown as LateralViewRef;
        const from = lv.source.span.end <= lv.fn.span.start ? lv.source.span.end : lv.span.start;
        add(constructOfKind("lateral_view"), operatorSpan(loc, /lateral\s+view/i, from, lv.fn.span.start) ?? lv.span);
        return;
      }
      default:
    }
  });
  const rewrites = composeRewrites(found, loc);
  return found
    .map((f, i) => (rewrites[i] === undefined ? { construct: f.construct, at: f.at } : { construct: f.construct, at: f.at, rewrite: rewrites[i] }))
    .sort((a, b) => a.at.start - b.at.start || a.construct.label.localeCompare(b.construct.label));
}

const within = (inner: Rewrite, outer: Rewrite) => inner.start >= outer.start && inner.end <= outer.end && (inner.start !== outer.start || inner.end !== outer.end);

/**
 * Rewrites that never overlap: a rewrite whose range holds others (`TO_VARCHAR(NVL(a, b))`) is
 * rebuilt from its operands with the inner rewrites applied, and the inner findings keep their
 * message but drop their replacement, so every suggestion can be applied as it stands. Rewrites on
 * lines where `@var` was substituted are dropped.
 */
export function composeRewrites(found: readonly { rebuild?: Rebuild }[], loc: SourceLocator): (Rewrite | undefined)[] {
  const plain = found.map((f) => f.rebuild?.((s) => loc.text(s)));
  const order = plain.map((r, i) => ({ r, i })).filter((x): x is { r: Rewrite; i: number } => x.r !== undefined).sort((a, b) => a.r.end - a.r.start - (b.r.end - b.r.start));
  const final: (Rewrite | undefined)[] = found.map(() => undefined);
  for (const { r, i } of order) {
    const inner = order.filter((o) => o.i !== i && within(o.r, r) && final[o.i] !== undefined).map((o) => final[o.i] as Rewrite);
    if (inner.length === 0) {
      final[i] = r;
      continue;
    }
    const outermost = inner.filter((a) => !inner.some((b) => b !== a && within(a, b)));
    const textOf: TextOf = (span) => {
      let text = loc.text(span);
      if (text === undefined) return undefined;
      for (const x of [...outermost].sort((a, b) => b.start - a.start)) {
        if (x.start < span.start || x.end > span.end) continue;
        text = text.slice(0, x.start - span.start) + x.text + text.slice(x.end - span.start);
      }
      return text;
    };
    final[i] = found[i].rebuild?.(textOf);
  }
  return final.map((r, i) => {
    if (r === undefined || !loc.verbatim(r)) return undefined;
    const containedInAnother = final.some((o, j) => j !== i && o !== undefined && within(r, o));
    return containedInAnother ? undefined : r;
  });
}

/** Operators under which an operation may be respelt with a looser-binding keyword (LIKE, NOT ...) without parentheses. */
const OPERAND_KINDS = new Set(["unary", "between", "in_list", "is", "like", "collate"]);

/** Whether an operation under `parent` is a whole predicate (an AND/OR operand, a select item, a WHERE...), not an operand of another operator. */
function bindsAlone(parent: AstNode | undefined): boolean {
  if (parent === undefined) return true;
  if (parent.kind === "binary") return ["AND", "OR", "XOR"].includes((parent as unknown as BinaryExpr).op);
  if (parent.kind === "unary") return (parent as unknown as UnaryExpr).op === "NOT";
  return !OPERAND_KINDS.has(parent.kind);
}

/** A `TABLESAMPLE` / `SAMPLE` clause between `from` and `to`: flagged on its keyword where the target rejects it or counts another amount. */
function onSample(text: string, from: number, to: number, target: DialectId, dialect: DialectId | undefined, loc: SourceLocator, add: (c: PortabilityConstruct, at: Finding["at"], r?: Rebuild) => void): void {
  const construct = sampleConstruct(text, dialect, target);
  if (construct === undefined) return;
  const at = operatorSpan(loc, /\b(?:tablesample|sample)\b/i, from, to);
  if (at !== undefined) add(construct, at);
}

/** `* EXCLUDE / EXCEPT (...)`, `* REPLACE (...)`, `* RENAME (...)`: each on its keyword, as written. */
function onStarModifiers(star: StarExpr, target: DialectId, loc: SourceLocator, add: (c: PortabilityConstruct, at: Finding["at"], r?: Rebuild) => void): void {
  const words: RegExp[] = [];
  if (star.exclude !== undefined) words.push(/\b(?:exclude|except)\b/i);
  if (star.replace !== undefined) words.push(/\breplace\b/i);
  if (star.rename !== undefined) words.push(/\brename\b/i);
  for (const word of words) {
    const at = operatorSpan(loc, word, star.span.start, star.span.end);
    const written = at === undefined ? undefined : loc.text(at);
    const construct = written === undefined ? undefined : starModifierConstruct(written);
    if (at === undefined || written === undefined || construct === undefined) continue;
    const other = written.toUpperCase() === "EXCLUDE" ? "EXCEPT" : written.toUpperCase() === "EXCEPT" ? "EXCLUDE" : undefined;
    // Only the parenthesised list is the other dialect's too (`* EXCLUDE a` is DuckDB's alone).
    const listFollows = loc.find(/^\s*\(/, at.end, star.span.end) !== undefined;
    const otherRuns = other !== undefined && listFollows && starModifierConstruct(other)?.native.includes(target) === true;
    add(construct, at, otherRuns ? () => rewriteKeyword(at, written, other) : undefined);
  }
}

/** The opening character of a literal (`{`, `[`): where its finding points. */
function openerSpan(loc: SourceLocator, span: Span): Span {
  const p = loc.position(span.start);
  return { start: span.start, end: span.start + 1, line: p.line, col: p.col };
}

function isFlatten(fn: FunctionExpr): boolean {
  return fn.name.length === 1 && fn.name[0].name.toUpperCase() === "FLATTEN";
}

function onFunction(fn: FunctionExpr, parent: AstNode | undefined, target: DialectId, dialect: DialectId | undefined, loc: SourceLocator, add: (c: PortabilityConstruct, at: Finding["at"], r?: Rebuild) => void): void {
  // A table function's own name is checked as a table function (FLATTEN), not against the scalar catalog.
  if (parent !== undefined && (parent.kind === "function_table" || parent.kind === "lateral_view") && (parent as unknown as { fn: unknown }).fn === fn) return;
  // `TABLE(FLATTEN(...))`
  if (isFlatten(fn) && parent?.kind === "function" && (parent as unknown as FunctionExpr).name.at(-1)?.name.toUpperCase() === "TABLE") {
    add(constructOfKind("table_function"), fn.nameSpan);
    return;
  }
  const last = fn.name[fn.name.length - 1];
  if (last === undefined) return;
  // The calls a list comprehension means (the parser's), named at its `[`: flagged as the comprehension.
  if (loc.text(fn.nameSpan) === "[") {
    add(constructOfKind("list_comprehension"), fn.nameSpan);
    return;
  }
  const construct = functionConstruct(last.name.toUpperCase(), dialect, fn.args.length);
  if (construct === undefined) {
    // A built-in of the model's warehouse that DuckDB does not have (checked against DuckDB itself).
    // A niladic keyword (CURRENT_TIMESTAMP with no parentheses) is no call; a name we do not know is a user's function.
    const name = last.name.toUpperCase();
    if (target === "duckdb" && dialect !== undefined && dialect !== "duckdb" && fn.name.length === 1 && fn.span.end > fn.nameSpan.end && DUCKDB_MISSING_FUNCTIONS.has(name)) {
      add(missingInDuckdb(name, dialect), fn.nameSpan, (textOf) => rewriteFunction(name, fn, target, loc, textOf, dialect));
    }
    return;
  }
  // The function's own name (`PARSE_DATE` in `SAFE.PARSE_DATE`), not its qualifier.
  const at = fn.name.length > 1 ? last.span : fn.nameSpan;
  if (isFlagged(construct, target)) {
    add(construct, at, (textOf) => rewriteFunction(construct.label, fn, target, loc, textOf, dialect));
    return;
  }
  const form = construct.forms?.find((f) => {
    const accepts = f.accepts[target];
    return accepts !== undefined && !accepts(fn.args, fn);
  });
  if (form === undefined) return;
  const rewrite = form.rewrite;
  add(formConstruct(construct, form, target), at, rewrite === undefined ? undefined : (textOf) => rewriteForm(rewrite, fn, target, loc, textOf, dialect));
}

const missingConstructs = new Map<string, PortabilityConstruct>();

/** The row for a function DuckDB lacks (DUCKDB_MISSING_FUNCTIONS), called in a model written in `dialect`. */
function missingInDuckdb(name: string, dialect: DialectId): PortabilityConstruct {
  const key = `${name}\u0000${dialect}`;
  let out = missingConstructs.get(key);
  if (out === undefined) {
    out = { label: name, kind: "function", native: [dialect], origin: "ours", suggestions: { duckdb: `DuckDB has no ${name} function: write it with DuckDB's own functions (duckdb.org/docs/sql/functions), or allow it with -- rocky-allow: ${name}` } };
    missingConstructs.set(key, out);
  }
  return out;
}

const formConstructs = new Map<string, PortabilityConstruct>();

/** A function the target runs, called in a form it does not: the row as that form, flagged on the target. */
function formConstruct(c: PortabilityConstruct, form: FunctionForm, target: DialectId): PortabilityConstruct {
  const key = `${form.display}\u0000${target}`;
  let out = formConstructs.get(key);
  if (out === undefined) {
    const { forms: _forms, ...row } = c;
    out = { ...row, display: form.display, native: (form.native ?? c.native).filter((d) => d !== target), suggestions: form.suggestions };
    formConstructs.set(key, out);
  }
  return out;
}

/** The span of an operator or keyword found in the source between two offsets. */
function operatorSpan(loc: SourceLocator, pattern: RegExp, from: number, to: number): Span | undefined {
  if (from > to) return undefined;
  const hit = loc.find(pattern, from, to);
  if (hit === undefined) return undefined;
  const p = loc.position(hit.index);
  return { start: hit.index, end: hit.index + hit.length, line: p.line, col: p.col };
}

/** The last occurrence of a keyword before `before` inside `within` (QUALIFY precedes its predicate). */
function keywordSpan(loc: SourceLocator, pattern: RegExp, within: Span, before: Span): Span | undefined {
  const text = loc.text({ start: within.start, end: before.start });
  if (text === undefined) return undefined;
  const global = new RegExp(pattern.source, "gi");
  let last: RegExpExecArray | null = null;
  for (let m = global.exec(text); m !== null; m = global.exec(text)) last = m;
  if (last === null) return undefined;
  const start = within.start + last.index;
  const p = loc.position(start);
  return { start, end: start + last[0].length, line: p.line, col: p.col };
}

function report(f: Finding, input: PortabilityInput, target: DialectId, loc: SourceLocator): Diagnostic {
  const c = f.construct;
  const supported = runsOn(c)
    .map((d) => DIALECT_DISPLAY[d])
    .join(", ");
  const name = c.display ?? c.label;
  const meaning = c.meaning?.[target];
  const message = meaning !== undefined ? `${name} means something else on ${DIALECT_DISPLAY[target]}: ${meaning}` : `${name} is not portable to ${DIALECT_DISPLAY[target]} (supported by: ${supported})`;
  const suggestion = c.suggestions[target] ?? `${name} is not portable to ${DIALECT_DISPLAY[target]}`;
  return createDiagnostic("P001", message, {
    model: input.model,
    span: loc.span(f.at),
    suggestion,
    ...(f.rewrite !== undefined ? { replacement: { span: loc.spanOf(f.rewrite.start, f.rewrite.end), text: f.rewrite.text } } : {}),
  });
}
