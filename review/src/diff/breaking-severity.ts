import type { BreakingChangeKind, BreakingSeverity } from "../report/types.js";

/**
 * Rocky's breaking-change severities (rocky-compat.md §1.4, `breaking_change.rs`) plus our kinds.
 * A value is the fixed severity; the conditional kinds are functions of what changed.
 */
export interface SeverityFacts {
  /** column_added: the new column is nullable. */
  readonly nullable?: boolean;
  /** column_added: the column comes with a new model, so there is no existing table or reader it can break. */
  readonly newModel?: boolean;
  /** column_type_changed: narrowing by Rocky's is_type_narrowing. */
  readonly narrowing?: boolean;
  /** column_nullability_changed: from nullable to NOT NULL. */
  readonly toNotNull?: boolean;
  /** materialization_key_changed: which key. */
  readonly keyKind?: string;
  /** column_mask_changed: a mask was removed. */
  readonly maskRemoved?: boolean;
  /** column_logic_changed: the column's own expression changed (vs only something upstream); column_type_changed / column_nullability_changed: it was rewritten, not only cast. */
  readonly ownExpression?: boolean;
  /** contract_relaxed: the whole contract was removed (vs some of its guarantees). */
  readonly contractRemoved?: boolean;
}

type Rule = BreakingSeverity | ((f: SeverityFacts) => BreakingSeverity);

export const BREAKING_SEVERITY: Readonly<Record<BreakingChangeKind, Rule>> = {
  model_removed: "breaking",
  model_added: "info",
  column_dropped: "breaking",
  // Rocky warns on a NOT NULL column because existing rows and writers of the table break. A new model has
  // neither, so its NOT NULL columns are info (a deliberate difference: it would be noise on every new model).
  column_added: (f) => (f.nullable === false && !f.newModel ? "warning" : "info"),
  // ours: a type or nullability change whose expression was rewritten too (not only cast) changes values, as column_logic_changed does
  column_type_changed: (f) => (f.narrowing ? "breaking" : f.ownExpression ? "warning" : "info"),
  column_nullability_changed: (f) => (f.toNotNull || f.ownExpression ? "warning" : "info"),
  column_reordered: "warning",
  materialization_strategy_changed: "breaking",
  materialization_key_changed: (f) => (f.keyKind === "target_lag" ? "warning" : "breaking"),
  partition_by_changed: "breaking",
  target_renamed: "breaking",
  source_changed: "breaking",
  column_mask_changed: (f) => (f.maskRemoved ? "breaking" : "warning"),
  lakehouse_format_changed: "breaking",
  sql_body_changed: "info",
  // ours: a rename breaks every consumer that names the old column
  column_renamed: "breaking",
  // ours: same type, different values; Rocky only sees sql_body_changed (info) here
  column_logic_changed: (f) => (f.ownExpression ? "warning" : "info"),
  // ours: a WHERE/JOIN/GROUP BY/... change alters which rows every downstream column sees
  row_level_changed: "warning",
  // ours: a contract removed (every guarantee gone) or loosened (a required/protected entry, a type, NOT NULL)
  contract_relaxed: (f) => (f.contractRemoved ? "breaking" : "warning"),
};

export function breakingSeverity(kind: BreakingChangeKind, facts: SeverityFacts = {}): BreakingSeverity {
  const rule = BREAKING_SEVERITY[kind];
  return typeof rule === "function" ? rule(facts) : rule;
}
