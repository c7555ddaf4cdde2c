/**
 * R014: the column references of an aggregating SELECT that are neither grouped nor inside an
 * aggregate. DuckDB, Snowflake and Databricks all refuse such a query when the model runs (DuckDB:
 * `column "status" must appear in the GROUP BY clause or must be part of an aggregate function`),
 * and none of them uses functional dependence (DuckDB refuses `SELECT t.name ... GROUP BY t.id` with
 * `id` the primary key too).
 *
 * A false alarm on a valid model is worse than a miss, so every doubt leaves a reference alone:
 *
 * - a column is a key when any GROUP BY item names it anywhere, bare, qualified or inside an
 *   expression (`GROUP BY LOWER(status)` keeps `status` from being reported, though DuckDB would
 *   refuse a bare `status` then); GROUPING SETS, ROLLUP and CUBE name their columns as arguments;
 * - a GROUP BY ordinal or select alias makes that select item a key, and every column it names;
 *   with an ordinal and a select item of several columns (`*`, `COLUMNS(..)`, a generator), whose
 *   position is unsure, or with a GROUP BY key that names no column (`t.*`, `#2`, `$2`,
 *   `COLUMNS(..)`), nothing is reported;
 * - GROUP BY ALL, and a hierarchical (CONNECT BY) query, are not checked;
 * - nothing inside an aggregate (its arguments, FILTER, ORDER BY, WITHIN GROUP) is read, nor inside
 *   a call that may be one: a function the dialect's catalog does not list, a qualified name, a
 *   DISTINCT or FILTER on any call, GROUPING / GROUPING_ID;
 * - a window function's arguments, FILTER, PARTITION BY and ORDER BY are read (they are evaluated
 *   on the grouped rows), a named window's are not;
 * - subqueries are their own scope (a correlated reference is not read), lambda bodies are not read;
 * - the reference must resolve surely to a column of this SELECT's own FROM (the resolver): a
 *   select alias, a lambda parameter, a date-part word, a positional `#n` / `$n`, a name R008 or R013
 *   already reports, an unqualified name another input of unknown columns may also have, are not.
 *
 * HAVING and QUALIFY are read the same way, and a name there that is also a select alias is left
 * alone (the dialects differ on which one they see). So is the query's ORDER BY, but only its items
 * that name no output column, hold no subquery and no lambda (ORDER BY binds an output name first).
 */
import type { ColumnExpr, Expr, FunctionExpr, Select } from "../syntax/ast.js";
import { exprChildren } from "../syntax/walk.js";

export interface GroupingResolver {
  /**
   * Identities of the FROM column `e` names in this SELECT's own scope (a USING column: one per
   * input it merges), or undefined when it surely names none. `inCall`: a direct argument of a call.
   */
  column(e: ColumnExpr, inCall: boolean): readonly string[] | undefined;
  /** The call, without OVER, is a scalar function the dialect's catalog lists: its arguments are read per group. */
  scalar(fn: FunctionExpr): boolean;
}

/**
 * The ungrouped column references of `sel`, an aggregating SELECT (a GROUP BY, or an aggregate in
 * its select list), in source order. `plain[i]` says select item `i` is one expression with one
 * output column (not `*`, `COLUMNS(..)` or a generator): only those are read.
 */
export function ungroupedColumns(sel: Select, plain: readonly boolean[], r: GroupingResolver, orderBy: readonly Expr[] = []): ColumnExpr[] {
  const groupBy = sel.groupBy;
  if (groupBy?.all || sel.connectBy !== undefined) return [];
  const projection = sel.projection;
  const keys = new Set<string>();
  /** Name parts of GROUP BY references that resolve to no column of this SELECT, and of its calls: never reported. */
  const names = new Set<string>();
  /** Select items that are keys themselves (by ordinal or alias). */
  const keyItems = new Set<number>();
  const aliases = new Set<string>();
  for (const item of projection) if (item.kind === "expr" && item.alias !== undefined) aliases.add(item.alias.name.toLowerCase());

  const addKeys = (e: Expr): void => {
    forEachColumn(e, (fn) => {
      // Spark's `GROUP BY window(ts, '1 hour')` makes a `window` column the select list names.
      for (const p of fn.name) names.add(p.name.toLowerCase());
    }, (c) => {
      const ids = r.column(c, false);
      if (ids !== undefined) for (const id of ids) keys.add(id);
      else for (const p of c.parts) names.add(p.name.toLowerCase());
      if (c.parts.length === 1 && aliases.has(c.parts[0].name.toLowerCase())) {
        const name = c.parts[0].name.toLowerCase();
        projection.forEach((item, i) => {
          if (item.kind === "expr" && item.alias?.name.toLowerCase() === name) keyItem(i);
        });
      }
    });
  };
  const keyItem = (i: number): void => {
    if (keyItems.has(i)) return;
    keyItems.add(i);
    const item = projection[i];
    if (item?.kind === "expr") addKeys(item.expr);
  };

  for (const g of groupBy?.items ?? []) {
    // DuckDB's `GROUP BY t.*` groups by every column of t; `#2`, Snowflake's `$2` and `COLUMNS(..)` by columns not named.
    if (unnamedKeys(g)) return [];
    if (g.kind === "literal" && g.type === "number" && /^\d+$/.test(g.value)) {
      // An ordinal counts output columns: past a `*` it is not the select item of that index.
      if (plain.some((p) => !p)) return [];
      keyItem(Number(g.value) - 1);
      continue;
    }
    addKeys(g);
  }

  const out: ColumnExpr[] = [];
  let aliasFirst = false;
  const visit = (e: Expr, inCall: boolean): void => {
    switch (e.kind) {
      case "column": {
        if (aliasFirst && aliases.has(e.parts[0].name.toLowerCase())) return;
        const ids = r.column(e, inCall);
        if (ids === undefined || ids.some((id) => keys.has(id))) return;
        for (const p of e.parts) if (names.has(p.name.toLowerCase())) return;
        out.push(e);
        return;
      }
      case "subquery":
      case "exists":
      case "lambda":
      case "star":
        return;
      case "in_subquery":
        visit(e.expr, false);
        return;
      case "function": {
        if (e.over === undefined) {
          // An aggregate, or a call that may be one: what it reads is aggregated.
          if (!r.scalar(e)) return;
          for (const a of e.args) visit(a, true);
          if (e.namedArgs) for (const n of e.namedArgs) visit(n.value, true);
          return;
        }
        // A window function runs over the grouped rows: all it reads must be grouped or aggregated.
        for (const a of e.args) visit(a, true);
        for (const c of exprChildren(e).slice(e.args.length)) visit(c, false);
        return;
      }
      default:
        for (const c of exprChildren(e)) visit(c, false);
    }
  };
  projection.forEach((item, i) => {
    if (item.kind === "expr" && plain[i] && !keyItems.has(i)) visit(item.expr, false);
  });
  aliasFirst = true;
  if (sel.having !== undefined) visit(sel.having, false);
  // QUALIFY filters the grouped rows after the windows: what it reads must be grouped or aggregated too.
  if (sel.qualify !== undefined) visit(sel.qualify, false);
  // The query's ORDER BY items that name no output column (the caller leaves out the others): they sort the groups.
  aliasFirst = false;
  for (const e of orderBy) visit(e, false);
  return out;
}

/** Every call and column reference in `e`, not inside a subquery. */
function forEachColumn(e: Expr, call: (fn: FunctionExpr) => void, column: (c: ColumnExpr) => void): void {
  if (e.kind === "column") {
    column(e);
    return;
  }
  if (e.kind === "function") call(e);
  for (const c of exprChildren(e)) forEachColumn(c, call, column);
}

/** `e` is or holds a `*`, a positional column (`#2`, `$2`) or a `COLUMNS(..)` call (not inside a subquery). */
function unnamedKeys(e: Expr): boolean {
  if (e.kind === "star") return true;
  if (e.kind === "column") return e.parts.some((p) => p.name.startsWith("#") || p.name.startsWith("$"));
  if (e.kind === "function" && e.name.length === 1 && e.name[0].name.toUpperCase() === "COLUMNS") return true;
  for (const c of exprChildren(e)) if (unnamedKeys(c)) return true;
  return false;
}
