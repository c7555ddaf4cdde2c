/**
 * Tree walkers. A visitor returning `false` skips that node's children. `walkExpr` descends into
 * subqueries too (their expressions are visited with the same callback); `walkQuery` visits every
 * query, CTE, select item, FROM item and expression. `collectTableRefs` lists the named tables a
 * query reads, leaving out names that refer to a CTE in scope.
 */
import type { Cte, Expr, NamedTableRef, Query, Select, SelectItem, SetExpr, TableRef, WindowSpec } from "./ast.js";

export type VisitResult = boolean | undefined | void;

export interface QueryVisitors {
  query?(q: Query): VisitResult;
  cte?(c: Cte): VisitResult;
  select?(s: Select): VisitResult;
  selectItem?(item: SelectItem): VisitResult;
  tableRef?(t: TableRef): VisitResult;
  expr?(e: Expr): VisitResult;
}

export function walkExpr(expr: Expr, visit: (e: Expr) => VisitResult): void {
  walkE(expr, { expr: visit });
}

export function walkQuery(query: Query, visitors: QueryVisitors): void {
  walkQ(query, visitors);
}

/** The direct child expressions of `e` (not descending into subqueries). */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case "literal":
    case "typed_literal":
    case "column":
    case "param":
    case "subquery":
    case "exists":
      return [];
    case "star":
      return e.replace ? e.replace.map((r) => r.expr) : [];
    case "function": {
      const out: Expr[] = [...e.args];
      if (e.namedArgs) for (const n of e.namedArgs) out.push(n.value);
      if (e.orderBy) for (const o of e.orderBy) out.push(o.expr);
      if (e.within) for (const o of e.within) out.push(o.expr);
      if (e.filter) out.push(e.filter);
      if (e.over) pushWindow(out, e.over);
      return out;
    }
    case "binary":
      return [e.left, e.right];
    case "unary":
      return [e.operand];
    case "cast":
      return [e.expr];
    case "case": {
      const out: Expr[] = e.operand ? [e.operand] : [];
      for (const w of e.whens) out.push(w.when, w.then);
      if (e.else) out.push(e.else);
      return out;
    }
    case "between":
      return [e.expr, e.low, e.high];
    case "in_list":
      return [e.expr, ...e.list];
    case "in_subquery":
      return [e.expr];
    case "is":
      return [e.expr];
    case "like":
      return e.escape ? [e.expr, e.pattern, e.escape] : [e.expr, e.pattern];
    case "interval":
      return [e.value];
    case "array":
      return [...e.elements];
    case "struct":
      return e.fields.map((f) => f.value);
    case "map": {
      const out: Expr[] = [];
      for (const en of e.entries) out.push(en.key, en.value);
      return out;
    }
    case "subscript":
      return e.to ? (e.step ? [e.expr, e.index, e.to, e.step] : [e.expr, e.index, e.to]) : [e.expr, e.index];
    case "field":
      return [e.expr];
    case "lambda":
      return [e.body];
    case "extract":
      return [e.expr];
    case "collate":
      return [e.expr];
  }
}

/**
 * Push the direct child expressions of `e` onto `stack` in reverse source order (so popping visits them
 * in source order), without allocating an array per node: the walkers' inner loop.
 */
function pushChildren(e: Expr, stack: Expr[]): void {
  switch (e.kind) {
    case "literal":
    case "typed_literal":
    case "column":
    case "param":
    case "subquery":
    case "exists":
      return;
    case "binary":
      stack.push(e.right, e.left);
      return;
    case "unary":
      stack.push(e.operand);
      return;
    case "cast":
    case "in_subquery":
    case "is":
    case "field":
    case "extract":
    case "collate":
      stack.push(e.expr);
      return;
    case "lambda":
      stack.push(e.body);
      return;
    case "interval":
      stack.push(e.value);
      return;
    case "function": {
      // Reverse of exprChildren's order: args, named args, ORDER BY, WITHIN GROUP, FILTER, window.
      if (e.over) {
        const w = e.over;
        for (let i = w.orderBy.length - 1; i >= 0; i--) stack.push(w.orderBy[i].expr);
        for (let i = w.partitionBy.length - 1; i >= 0; i--) stack.push(w.partitionBy[i]);
      }
      if (e.filter) stack.push(e.filter);
      if (e.within) for (let i = e.within.length - 1; i >= 0; i--) stack.push(e.within[i].expr);
      if (e.orderBy) for (let i = e.orderBy.length - 1; i >= 0; i--) stack.push(e.orderBy[i].expr);
      if (e.namedArgs) for (let i = e.namedArgs.length - 1; i >= 0; i--) stack.push(e.namedArgs[i].value);
      for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]);
      return;
    }
    case "case": {
      if (e.else) stack.push(e.else);
      for (let i = e.whens.length - 1; i >= 0; i--) stack.push(e.whens[i].then, e.whens[i].when);
      if (e.operand) stack.push(e.operand);
      return;
    }
    case "between":
      stack.push(e.high, e.low, e.expr);
      return;
    case "in_list":
      for (let i = e.list.length - 1; i >= 0; i--) stack.push(e.list[i]);
      stack.push(e.expr);
      return;
    default: {
      const kids = exprChildren(e);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
}

function pushWindow(out: Expr[], w: WindowSpec): void {
  for (const p of w.partitionBy) out.push(p);
  for (const o of w.orderBy) out.push(o.expr);
}

function walkE(e: Expr, v: QueryVisitors): void {
  // An explicit stack keeps long left-deep operator chains from recursing once per operand.
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const cur = stack.pop() as Expr;
    if (v.expr && v.expr(cur) === false) continue;
    if (cur.kind === "subquery" || cur.kind === "exists" || cur.kind === "in_subquery") walkQ(cur.query, v);
    pushChildren(cur, stack);
  }
}

function walkQ(q: Query, v: QueryVisitors): void {
  if (v.query && v.query(q) === false) return;
  if (q.with) {
    for (const c of q.with.ctes) {
      if (v.cte && v.cte(c) === false) continue;
      walkQ(c.query, v);
    }
  }
  walkSet(q.body, v);
  if (q.orderBy) for (const o of q.orderBy) walkE(o.expr, v);
  if (q.limit) walkE(q.limit, v);
  if (q.offset) walkE(q.offset, v);
}

function walkSet(s: SetExpr, v: QueryVisitors): void {
  switch (s.kind) {
    case "select":
      walkSelect(s, v);
      return;
    case "set_op":
      walkSet(s.left, v);
      walkSet(s.right, v);
      return;
    case "values":
      for (const row of s.rows) for (const x of row) walkE(x, v);
      return;
    case "query":
      walkQ(s, v);
      return;
  }
}

function walkSelect(s: Select, v: QueryVisitors): void {
  if (v.select && v.select(s) === false) return;
  if (s.distinct?.on) for (const x of s.distinct.on) walkE(x, v);
  if (s.top) walkE(s.top, v);
  for (const item of s.projection) {
    if (v.selectItem && v.selectItem(item) === false) continue;
    walkE(item.kind === "star" ? item.star : item.expr, v);
  }
  for (const t of s.from) walkTable(t, v);
  if (s.where) walkE(s.where, v);
  if (s.groupBy) for (const x of s.groupBy.items) walkE(x, v);
  if (s.having) walkE(s.having, v);
  if (s.windows) {
    for (const w of s.windows) {
      const out: Expr[] = [];
      pushWindow(out, w.spec);
      for (const x of out) walkE(x, v);
    }
  }
  if (s.qualify) walkE(s.qualify, v);
  if (s.connectBy?.startWith) walkE(s.connectBy.startWith, v);
  if (s.connectBy) walkE(s.connectBy.condition, v);
}

function walkTable(t: TableRef, v: QueryVisitors): void {
  if (v.tableRef && v.tableRef(t) === false) return;
  switch (t.kind) {
    case "table":
      return;
    case "derived":
      walkQ(t.query, v);
      return;
    case "join":
      walkTable(t.left, v);
      walkTable(t.right, v);
      if (t.matchCondition) walkE(t.matchCondition, v);
      if (t.on) walkE(t.on, v);
      return;
    case "function_table":
      walkE(t.fn, v);
      return;
    case "values_table":
      for (const row of t.values.rows) for (const x of row) walkE(x, v);
      return;
    case "pivot":
      walkTable(t.source, v);
      for (const a of t.aggregates) walkE(a, v);
      for (const i of t.inList) walkE(i.expr, v);
      if (t.moreFor) for (const f of t.moreFor) for (const i of f.inList) walkE(i.expr, v);
      if (t.groupBy) for (const g of t.groupBy) walkE(g, v);
      if (t.defaultOnNull) walkE(t.defaultOnNull, v);
      if (t.inQuery) walkQ(t.inQuery, v);
      return;
    case "lateral_view":
      walkTable(t.source, v);
      walkE(t.fn, v);
      return;
    case "match_recognize":
      walkTable(t.source, v);
      for (const e of t.partitionBy) walkE(e, v);
      for (const o of t.orderBy) walkE(o.expr, v);
      for (const m of t.measures) walkE(m.expr, v);
      for (const d of t.define) walkE(d.expr, v);
      return;
  }
}

/** The case-insensitive key a single-part name is compared under for CTE scoping. */
function nameKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Queries the parser built that hold no subquery expression (scalar, EXISTS, IN, ARRAY) anywhere
 * inside, CTEs and derived tables included: their named tables are all in FROM clauses, so
 * collectTableRefs need not walk their expressions. Trees built otherwise are simply not in here.
 */
const withoutSubqueryExprs = new WeakSet<Query>();

/** Called by the parser for each query it finishes without having built a subquery expression inside it. */
export function markWithoutSubqueryExprs(q: Query): void {
  withoutSubqueryExprs.add(q);
}

/** Queries the parser built with no DuckDB `COLUMNS(...)` call anywhere inside: the analyzer need not look for one. */
const withoutColumnsCalls = new WeakSet<Query>();

export function markWithoutColumnsCalls(q: Query): void {
  withoutColumnsCalls.add(q);
}

/** False only for a tree the parser built and saw no `COLUMNS(...)` call in. */
export function mayHaveColumnsCalls(q: Query): boolean {
  return !withoutColumnsCalls.has(q);
}

/**
 * Every named table the query reads, in source order, excluding single-part names that refer to a
 * CTE in scope (a CTE is visible in the body of its WITH, in later CTEs, and in itself when RECURSIVE).
 */
export function collectTableRefs(query: Query): NamedTableRef[] {
  const out: NamedTableRef[] = [];
  // The shared expression stack is empty between calls (reset in case a bug threw out of a walk).
  collectStack.length = 0;
  collectQ(query, NO_CTE_SCOPE, out);
  return out;
}

/** CTE names in scope: the innermost WITH's names, then the enclosing ones. */
interface CteNames {
  readonly names: Set<string>;
  readonly parent: CteNames | undefined;
}

const NO_CTE_SCOPE: CteNames | undefined = undefined;

function cteInScope(scope: CteNames | undefined, key: string): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names.has(key)) return true;
  return false;
}

/**
 * Tables of a query in source order. When the parser marked this query (or one it is nested in)
 * as holding no subquery expression, its tables are all in FROM items, CTEs, derived tables and set
 * operations, and the walk visits no expression (`fromOnly`, passed down to what is nested).
 */
function collectQ(q: Query, scope: CteNames | undefined, out: NamedTableRef[], outerFromOnly = false): void {
  const fromOnly = outerFromOnly || withoutSubqueryExprs.has(q);
  let inner = scope;
  if (q.with) {
    const names = new Set<string>();
    inner = { names, parent: scope };
    for (const c of q.with.ctes) {
      if (q.with.recursive) names.add(nameKey(c.name.name));
      collectQ(c.query, inner, out, fromOnly);
      names.add(nameKey(c.name.name));
    }
  }
  collectSet(q.body, inner, out, fromOnly);
  if (fromOnly) return;
  if (q.orderBy) for (const o of q.orderBy) collectE(o.expr, inner, out);
  if (q.limit) collectE(q.limit, inner, out);
  if (q.offset) collectE(q.offset, inner, out);
}

function collectSet(s: SetExpr, scope: CteNames | undefined, out: NamedTableRef[], fromOnly: boolean): void {
  switch (s.kind) {
    case "query":
      collectQ(s, scope, out, fromOnly);
      return;
    case "set_op":
      collectSet(s.left, scope, out, fromOnly);
      collectSet(s.right, scope, out, fromOnly);
      return;
    case "values":
      if (!fromOnly) for (const row of s.rows) for (const x of row) collectE(x, scope, out);
      return;
    case "select": {
      // FROM first (source order of tables matters more than of subqueries in expressions).
      for (const t of s.from) collectT(t, scope, out, fromOnly);
      if (fromOnly) return;
      if (s.distinct?.on) for (const x of s.distinct.on) collectE(x, scope, out);
      if (s.top) collectE(s.top, scope, out);
      for (const item of s.projection) collectE(item.kind === "star" ? item.star : item.expr, scope, out);
      if (s.where) collectE(s.where, scope, out);
      if (s.groupBy) for (const x of s.groupBy.items) collectE(x, scope, out);
      if (s.having) collectE(s.having, scope, out);
      if (s.windows) {
        for (const w of s.windows) {
          for (const p of w.spec.partitionBy) collectE(p, scope, out);
          for (const o of w.spec.orderBy) collectE(o.expr, scope, out);
        }
      }
      if (s.qualify) collectE(s.qualify, scope, out);
      if (s.connectBy?.startWith) collectE(s.connectBy.startWith, scope, out);
      if (s.connectBy) collectE(s.connectBy.condition, scope, out);
      return;
    }
  }
}

/** One expression stack for every collectE: a nested walk (a subquery's) works above its caller's entries. */
const collectStack: Expr[] = [];

/** Tables read by subqueries inside an expression. */
function collectE(e: Expr, scope: CteNames | undefined, out: NamedTableRef[]): void {
  const stack = collectStack;
  const base = stack.length;
  stack.push(e);
  while (stack.length > base) {
    const cur = stack.pop() as Expr;
    if (cur.kind === "subquery" || cur.kind === "exists" || cur.kind === "in_subquery") collectQ(cur.query, scope, out);
    pushChildren(cur, stack);
  }
}

function collectT(t: TableRef, scope: CteNames | undefined, out: NamedTableRef[], fromOnly: boolean): void {
  switch (t.kind) {
    case "table": {
      // A file DuckDB reads, or a Snowflake stage, is neither a model nor a source.
      if (t.file || t.stage) return;
      if (t.name.length === 1) {
        if (scope !== undefined && cteInScope(scope, nameKey(t.name[0].name))) return;
      }
      out.push(t);
      return;
    }
    case "derived":
      collectQ(t.query, scope, out, fromOnly);
      return;
    case "join":
      collectT(t.left, scope, out, fromOnly);
      collectT(t.right, scope, out, fromOnly);
      if (fromOnly) return;
      if (t.matchCondition) collectE(t.matchCondition, scope, out);
      if (t.on) collectE(t.on, scope, out);
      return;
    case "function_table":
      if (!fromOnly) collectE(t.fn, scope, out);
      return;
    case "values_table":
      if (!fromOnly) for (const row of t.values.rows) for (const x of row) collectE(x, scope, out);
      return;
    case "pivot":
      collectT(t.source, scope, out, fromOnly);
      // `IN (SELECT DISTINCT m FROM months)` reads a table: the pivot cannot be built without it.
      if (t.inQuery) collectQ(t.inQuery, scope, out, fromOnly);
      return;
    case "lateral_view":
      collectT(t.source, scope, out, fromOnly);
      if (!fromOnly) collectE(t.fn, scope, out);
      return;
    case "match_recognize":
      collectT(t.source, scope, out, fromOnly);
      if (fromOnly) return;
      for (const m of t.measures) collectE(m.expr, scope, out);
      for (const d of t.define) collectE(d.expr, scope, out);
      return;
  }
}

/** Databricks' `STREAM t`: the parser records it as the first word of a table's `modifiers`. */
export function readsStream(modifiers: string | undefined): boolean {
  return modifiers !== undefined && (modifiers === "STREAM" || modifiers.startsWith("STREAM "));
}
