import type { Expr, Query, SetExpr, Select, Span, TableRef } from "../syntax/ast.js";

/**
 * Which of `@start_date` / `@end_date` bound every row a `time_interval` model emits (E024, W003):
 * each is the span of a placeholder that does, or absent. Rocky counts a placeholder only where it
 * filters rows (#2233), and so does this: a placeholder only in the SELECT list, in a CTE the
 * output never reads, in a scalar subquery, or in one UNION branch of two, leaves rows outside the
 * window, and every partition run copies them again.
 *
 * - a SELECT is bounded by its WHERE, HAVING and QUALIFY, or by what its FROM reads (a bounded CTE or
 *   derived table; comma-joined items are a cross join, one bounded item bounds the product);
 * - an inner, cross or semi join by either side or its ON; a LEFT or anti join only by its left side,
 *   a RIGHT join by its right side, a FULL or positional join by both;
 * - UNION needs every branch, INTERSECT one side, EXCEPT its left side;
 * - a table, a table function (a date spine included) and VALUES are unbounded.
 *
 * Within a filter a placeholder counts in a top-level AND conjunct that bounds a column on its side
 * of the window: `col >= @start_date` (or `>`, `=`, or written the other way round), `col <
 * @end_date` (or `<=`, `=`), `col BETWEEN @start_date AND @end_date`, or `col IN (<a bounded
 * subquery>)`. The column may sit in a cast or a function of it (`DATE(ts)`), the placeholder too
 * (`DATEADD(day, -1, @start_date)`, `@start_date - INTERVAL 1 DAY`), and `'@start_date'` counts as
 * the bare form (Rocky substitutes both). An OR bounds its rows only where every branch does. A
 * comparison the wrong way round, NOT IN, EXISTS and anything under NOT bound nothing.
 */
export interface WindowBound {
  readonly start?: Span;
  readonly end?: Span;
}

type Edge = "start" | "end";
type Scope = [string, WindowBound][];

const NONE: WindowBound = Object.freeze({});

/** Rows one of two bounded inputs restricts: each bound from either. */
function or(a: WindowBound, b: WindowBound): WindowBound {
  if (b.start === undefined && b.end === undefined) return a;
  if (a.start !== undefined && a.end !== undefined) return a;
  const start = a.start ?? b.start;
  const end = a.end ?? b.end;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** Rows both inputs contribute unfiltered: each bound only when both have it. */
function and(a: WindowBound, b: WindowBound): WindowBound {
  const start = a.start !== undefined && b.start !== undefined ? a.start : undefined;
  const end = a.end !== undefined && b.end !== undefined ? a.end : undefined;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

export function emittedRowsWindowBound(query: Query): WindowBound {
  return queryBound(query, []);
}

function queryBound(q: Query, scope: Scope): WindowBound {
  const outer = scope.length;
  // A CTE sees those declared before it; a recursive one's reference to itself is unbounded.
  for (const cte of q.with?.ctes ?? []) scope.push([cte.name.name.toLowerCase(), queryBound(cte.query, scope)]);
  const bound = setBound(q.body, scope);
  scope.length = outer;
  return bound;
}

function setBound(body: SetExpr, scope: Scope): WindowBound {
  switch (body.kind) {
    case "select":
      return selectBound(body, scope);
    case "query":
      return queryBound(body, scope);
    case "set_op": {
      const left = setBound(body.left, scope);
      const right = setBound(body.right, scope);
      if (body.op === "UNION") return and(left, right);
      if (body.op === "INTERSECT") return or(left, right);
      return left;
    }
    default:
      return NONE;
  }
}

function selectBound(s: Select, scope: Scope): WindowBound {
  let bound = NONE;
  for (const filter of [s.where, s.having, s.qualify]) if (filter !== undefined) bound = or(bound, filterBound(filter, scope));
  for (const t of s.from) bound = or(bound, tableBound(t, scope));
  return bound;
}

function tableBound(t: TableRef, scope: Scope): WindowBound {
  switch (t.kind) {
    case "table": {
      if (t.name.length !== 1) return NONE;
      const key = t.name[0].name.toLowerCase();
      for (let i = scope.length - 1; i >= 0; i--) if (scope[i][0] === key) return scope[i][1];
      return NONE;
    }
    case "derived":
      return queryBound(t.query, scope);
    case "join": {
      const left = tableBound(t.left, scope);
      const right = tableBound(t.right, scope);
      const outer = t.joinType === "asof" ? t.asofOuter : undefined;
      if (t.joinType === "left" || t.joinType === "anti" || outer === "left") return left;
      if (t.joinType === "right" || outer === "right") return right;
      if (t.joinType === "full" || t.joinType === "positional" || outer === "full") return and(left, right);
      let bound = or(left, right);
      if (t.on !== undefined) bound = or(bound, filterBound(t.on, scope));
      return bound;
    }
    case "pivot":
    case "lateral_view":
    case "match_recognize":
      return tableBound(t.source, scope);
    default:
      return NONE;
  }
}

function filterBound(filter: Expr, scope: Scope): WindowBound {
  if (filter.kind === "binary" && filter.op === "AND") return or(filterBound(filter.left, scope), filterBound(filter.right, scope));
  if (filter.kind === "binary" && filter.op === "OR") return and(filterBound(filter.left, scope), filterBound(filter.right, scope));
  if (filter.kind === "binary") {
    let op: string | undefined = filter.op;
    let placeholder: { edge: Edge; span: Span } | undefined;
    if (isColumnTerm(filter.left)) placeholder = placeholderTerm(filter.right);
    else if (isColumnTerm(filter.right)) {
      placeholder = placeholderTerm(filter.left);
      op = FLIP[op];
    }
    if (placeholder === undefined || op === undefined) return NONE;
    if (placeholder.edge === "start" && (op === ">=" || op === ">" || op === "=")) return { start: placeholder.span };
    if (placeholder.edge === "end" && (op === "<" || op === "<=" || op === "=")) return { end: placeholder.span };
    return NONE;
  }
  if (filter.kind === "between" && !filter.not && filter.symmetric !== true && isColumnTerm(filter.expr)) {
    const low = placeholderTerm(filter.low);
    const high = placeholderTerm(filter.high);
    return { ...(low?.edge === "start" ? { start: low.span } : {}), ...(high?.edge === "end" ? { end: high.span } : {}) };
  }
  if (filter.kind === "in_subquery" && !filter.not && isColumnTerm(filter.expr)) return queryBound(filter.query, scope);
  return NONE;
}

const FLIP: Readonly<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };

const DATE_PARTS = new Set(
  "year years yy yyyy y quarter quarters qq q month months mm mon m week weeks wk ww isoweek day days dd d dayofyear doy dy dow weekday hour hours hh minute minutes mi n second seconds ss s millisecond milliseconds ms microsecond microseconds us nanosecond nanoseconds ns epoch".split(
    " ",
  ),
);

/** Which window bound a placeholder's text names (`@start_date`, `@END_DATE`): the run substitutes the quoted literal form too (render-model-sql.ts). */
export function placeholderName(text: string): Edge | undefined {
  const t = text.toLowerCase();
  if (t === "@start_date") return "start";
  if (t === "@end_date") return "end";
  return undefined;
}

/** `@start_date` / `@end_date` (or the whole literal `'@start_date'`), cast, shifted by a constant, or in a function of it alone. */
function placeholderTerm(e: Expr): { edge: Edge; span: Span } | undefined {
  switch (e.kind) {
    case "param": {
      const edge = placeholderName(e.name.startsWith("@") ? e.name : `@${e.name}`);
      return edge === undefined ? undefined : { edge, span: e.span };
    }
    case "literal":
    case "typed_literal": {
      if (e.kind === "literal" && e.type !== "string") return undefined;
      const edge = placeholderName(e.value);
      return edge === undefined ? undefined : { edge, span: e.span };
    }
    case "cast":
      return placeholderTerm(e.expr);
    case "binary":
      if ((e.op === "+" || e.op === "-") && isConstant(e.right)) return placeholderTerm(e.left);
      if (e.op === "+" && isConstant(e.left)) return placeholderTerm(e.right);
      return undefined;
    case "function": {
      if (!isPlainCall(e)) return undefined;
      let found: { edge: Edge; span: Span } | undefined;
      for (const arg of e.args) {
        const p = placeholderTerm(arg);
        if (p !== undefined) {
          if (found !== undefined) return undefined;
          found = p;
        } else if (!isConstant(arg) && !isDatePart(arg)) return undefined;
      }
      return found;
    }
    default:
      return undefined;
  }
}

/** A column, possibly cast, shifted by a constant, or in a function of it (`DATE_TRUNC('day', ts)`); never a placeholder. */
function isColumnTerm(e: Expr): boolean {
  switch (e.kind) {
    case "column":
    case "field":
      return true;
    case "cast":
      return isColumnTerm(e.expr);
    case "binary":
      return (e.op === "+" || e.op === "-") && ((isColumnTerm(e.left) && isConstant(e.right)) || (isConstant(e.left) && isColumnTerm(e.right)));
    case "function": {
      if (!isPlainCall(e)) return false;
      let columns = 0;
      for (const arg of e.args) {
        if (isColumnTerm(arg)) columns++;
        else if (!isConstant(arg) && !isDatePart(arg)) return false;
      }
      return columns > 0;
    }
    default:
      return false;
  }
}

/** A literal that is not a placeholder, possibly cast, negated, or an interval. */
function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case "literal":
    case "typed_literal":
      return placeholderTerm(e) === undefined;
    case "interval":
      return isConstant(e.value);
    case "cast":
      return isConstant(e.expr);
    case "unary":
      return (e.op === "-" || e.op === "+") && isConstant(e.operand);
    default:
      return false;
  }
}

/** A bare date-part word as a function argument (`DATEADD(day, ...)`), which parses as a column. */
function isDatePart(e: Expr): boolean {
  return e.kind === "column" && e.parts.length === 1 && DATE_PARTS.has(e.parts[0].name.toLowerCase());
}

/** A scalar call this reads through: not a window, an aggregate's FILTER / WITHIN GROUP, or named arguments. */
function isPlainCall(e: Extract<Expr, { kind: "function" }>): boolean {
  return e.over === undefined && e.filter === undefined && e.within === undefined && e.namedArgs === undefined && e.star !== true && e.args.length > 0;
}
