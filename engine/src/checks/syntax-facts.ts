import type { ParamExpr, Query, SelectItem, SetExpr, Span } from "../syntax/ast.js";
import { visitNodes } from "./visit-nodes.js";
import { emittedRowsWindowBound } from "./window-bound.js";

/**
 * What the project-level checks need from a model's SQL, computed once at parse time (and cached
 * with the parse): the output `*`, the `@start_date` / `@end_date` parameters, and whether every
 * output column is named.
 */
export interface SyntaxFacts {
  /** The first `*` select item of the output projection (P002). */
  readonly starSpan?: Span;
  /** First `@start_date` / `@end_date` parameter in the AST (W003 points at it). */
  readonly startDate?: Span;
  readonly endDate?: Span;
  /** A `@start_date` / `@end_date` that bounds every row the model emits (window-bound.ts; E024, W003). */
  readonly windowStart?: Span;
  readonly windowEnd?: Span;
  /** The two above were computed (the SQL names a bound); an entry cached before they existed lacks it. */
  readonly windowChecked?: true;
  /** No `*` in the output projection and every item is a column reference or aliased (W006's guard). */
  readonly projectionNamed: boolean;
}

/** The SELECT(s) whose items name the output: through nested queries, and the left side of set operations. */
function outputItems(body: SetExpr): readonly SelectItem[] | undefined {
  switch (body.kind) {
    case "select":
      return body.projection;
    case "set_op":
      return outputItems(body.left);
    case "query":
      return outputItems(body.body);
    default:
      return undefined;
  }
}

/** The first `*` select item of the output projection, or undefined. */
export function findOutputStar(query: Query): Span | undefined {
  const items = outputItems(query.body);
  return items?.find((i) => i.kind === "star")?.span;
}

/** Run-parameter names used in the query, without their sigil (`start_date`), lower-case. */
export function collectParams(query: Query): Map<string, Span> {
  const out = new Map<string, Span>();
  visitNodes(query, (node) => {
    if (node.kind !== "param") return;
    const p = node as unknown as ParamExpr;
    const name = p.name.replace(/^[@:$?]+/, "").toLowerCase();
    const prev = out.get(name);
    if (prev === undefined || p.span.start < prev.start) out.set(name, p.span);
  });
  return out;
}

/** `sql`, when given, lets the parameter scan be skipped for SQL that never names a run bound. */
export function collectSyntaxFacts(query: Query, sql?: string): SyntaxFacts {
  const named = sql === undefined || /start_date|end_date/i.test(sql);
  const params = named ? collectParams(query) : new Map<string, Span>();
  const items = outputItems(query.body);
  const projectionNamed = items !== undefined && items.every((i) => i.kind === "expr" && (i.alias !== undefined || i.aliases !== undefined || i.expr.kind === "column"));
  const facts: { -readonly [K in keyof SyntaxFacts]: SyntaxFacts[K] } = { projectionNamed };
  const star = findOutputStar(query);
  if (star !== undefined) facts.starSpan = star;
  const s = params.get("start_date");
  const e = params.get("end_date");
  if (s !== undefined) facts.startDate = s;
  if (e !== undefined) facts.endDate = e;
  if (named) {
    const window = emittedRowsWindowBound(query);
    facts.windowChecked = true;
    if (window.start !== undefined) facts.windowStart = window.start;
    if (window.end !== undefined) facts.windowEnd = window.end;
  }
  return facts;
}
