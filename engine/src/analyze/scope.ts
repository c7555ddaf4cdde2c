import type { Span } from "../syntax/ast.js";
import type { SqlType } from "../types/sql-type.js";
import type { PathSource } from "./lineage-path.js";

/** A column of a relation inside one model's analysis (a FROM item, a CTE, a subquery). */
export interface RelColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  readonly sources: readonly PathSource[];
  /** Canonical expression text with CTE/subquery columns inlined; `model.column` for upstream columns. */
  readonly fp: string;
  readonly span?: Span;
  /** The column is a bare NULL literal (skipped when a UNION unifies its types). */
  readonly isNull?: boolean;
  /**
   * The select items of this model's CTEs, derived tables and other set-operation branches that the
   * column's value is made from (transitively, outermost first), then the `*` that writes a column
   * from a star: where else a PR may have changed it.
   */
  readonly via?: readonly Span[];
  /** ExprInfo.nullAssumed of the column's value. */
  readonly nullAssumed?: true;
}

/**
 * A relation's columns. `open` lists the upstreams whose columns could not be listed (a `*` over
 * an unknown schema, an unknown table function): a name not among `columns` may still exist
 * there. `open` undefined = the column list is complete.
 */
export interface Relation {
  readonly columns: readonly RelColumn[];
  readonly open?: readonly string[];
  /**
   * Where a name `columns` does not list comes from, when that is no upstream's column: a generator
   * over an input of unknown type (`explode(x)`: `key` and `value`, or `col`) yields it from the input.
   */
  readonly openSources?: readonly PathSource[];
  /**
   * A `*` took some of its columns from an upstream model or source, directly or through another
   * such relation (a CTE that is itself `SELECT * FROM stg`): which columns it has follows that
   * upstream's schema. A `*` over a CTE that lists its columns (dbt's `SELECT * FROM renamed`)
   * passes nothing through: an upstream change breaks the CTE, visibly.
   */
  readonly starPassesThrough?: true;
}

/** One FROM item visible in a SELECT. */
export interface ScopeItem {
  /** Lower-case names that qualify its columns: the alias, or the table name (last part and full dotted name). */
  readonly names: readonly string[];
  /** Display name for messages. */
  readonly display: string;
  readonly rel: Relation;
  /** Set for named tables that are upstream models or external sources (lower-case dotted name). */
  readonly upstream?: string;
  /** On the optional side of an outer join. */
  nullable: boolean;
  /** Right side of SEMI/ANTI joins: visible in ON, not in `*`. */
  hiddenFromStar: boolean;
  /** Columns merged into an earlier item by USING / NATURAL (lower-case): not repeated by `*` (created on first use). */
  mergedAway: Set<string> | undefined;
  /** A named table's time travel and sampling (normalized text): part of which rows it gives. */
  modifiers: string | undefined;
}

/** A USING / NATURAL merged column: unqualified references see one column. */
export interface MergedColumn {
  readonly items: readonly ScopeItem[];
  /** FULL join: the key is COALESCE(left, right). */
  readonly full: boolean;
  /** RIGHT join: the key is the right side's. */
  readonly right: boolean;
}

/**
 * One level of name resolution. Every scope is built by `newScope` with all fields present (one
 * object shape), and the rarely used tables are created on first use.
 */
export interface Scope {
  readonly items: ScopeItem[];
  /** USING / NATURAL merged columns by lower-case name (created on first use). */
  merged: Map<string, MergedColumn> | undefined;
  readonly parent: Scope | undefined;
  /**
   * Select-list aliases seen so far, as written (lateral column aliases; WHERE/GROUP BY/HAVING/QUALIFY
   * fallbacks), with their expressions at the same index; a later alias shadows an earlier one.
   * Undefined outside a SELECT.
   */
  readonly aliasNames: string[] | undefined;
  readonly aliasInfos: import("./expr-info.js").ExprInfo[] | undefined;
  /** Lambda parameters in scope. */
  readonly lambda: Map<string, import("./expr-info.js").ExprInfo> | undefined;
  /** Fingerprints of columns a WHERE conjunct or an inner join condition rejects NULLs for: non-null in this SELECT. */
  nonNull: Set<string> | undefined;
  /** Named windows of this SELECT (`WINDOW w AS (...)`). */
  windows: Map<string, import("../syntax/ast.js").WindowSpec> | undefined;
}

export function newScope(parent: Scope | undefined, select: boolean, lambda?: Map<string, import("./expr-info.js").ExprInfo>): Scope {
  return {
    items: [],
    merged: undefined,
    parent,
    aliasNames: select ? [] : undefined,
    aliasInfos: select ? [] : undefined,
    lambda,
    nonNull: undefined,
    windows: undefined,
  };
}

/** The expression of the last select-list alias named `key` (lower-case), if any. */
export function findAlias(scope: Scope, key: string): import("./expr-info.js").ExprInfo | undefined {
  const names = scope.aliasNames;
  if (names === undefined) return undefined;
  for (let i = names.length - 1; i >= 0; i--) {
    const n = names[i];
    if (n === key || n.toLowerCase() === key) return scope.aliasInfos?.[i];
  }
  return undefined;
}
