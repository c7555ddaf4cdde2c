import type { SqlType } from "../types/sql-type.js";
import type { PathSource } from "./lineage-path.js";

/** What inference knows about one expression. */
export interface ExprInfo {
  readonly type: SqlType;
  readonly nullable: boolean;
  readonly sources: readonly PathSource[];
  /** Canonical text (CTE/subquery columns inlined, upstream columns as `model.column`). */
  readonly fp: string;
  /** The NULL literal: skipped when unifying types. */
  readonly isNull?: boolean;
  /** The empty array literal `[]`: its element type comes from whatever it is unified with. */
  readonly emptyArray?: boolean;
  /** Contains an aggregate call outside any window. */
  readonly hasAgg?: boolean;
  /** A `DATE_TRUNC(unit, x)`: the canonical unit and x's fingerprint (a date difference between truncated values, dateDiffFp). */
  readonly truncated?: { readonly unit: string; readonly fp: string };
  /** String/number literal text (for DATE_TRUNC units, ROUND digits, named_struct names). */
  readonly literal?: string;
  /** When the expression is a bare column of a named upstream table: which one (join-key checks). */
  readonly upstreamColumn?: { readonly upstream: string; readonly column: string };
  /** A logical chain's sorted terms (a BETWEEN is one of `>=` AND `<=`), or a `+` or `*` chain's: an enclosing chain of the same operator takes them as its own. */
  readonly chain?: LogicChain;
  /** Its exact negation, where that has a spelling of its own (`a = b` is `a <> b` negated): what `NOT` of it reads as. */
  readonly negate?: () => Logic;
  /**
   * Nullable only by assumption: every input that makes it nullable is a column of no known type (or
   * an upstream column so marked), which may be NOT NULL for all anyone knows. Absent where a NULL is
   * certain (a NULL literal, a CASE without ELSE, an outer join, TRY_CAST, a nullable column of a
   * known schema) or where inference does not say.
   */
  readonly nullAssumed?: true;
}

/** A chain in fingerprints: `op` is AND, OR or XOR (or `+` or `*`, arithmetic), `terms` sorted. */
export interface LogicChain {
  readonly op: string;
  readonly terms: readonly string[];
}

/** A boolean expression's fingerprint, with its chain when it is one. */
export interface Logic {
  readonly fp: string;
  readonly chain?: LogicChain;
}
