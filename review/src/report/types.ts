/**
 * The ReviewReport: everything the review of one pull request found, as plain JSON-serializable
 * data (no Maps, no classes). It is the one input of the renderer (review/src/render, charter 6),
 * and what `rocky review --output json` prints. Everything the sticky comment, the check runs and
 * the inline comments show is in here; the renderer only sorts, counts, truncates and formats.
 *
 * Conventions
 * - `file` in every span is **project-relative** (the engine's convention: `models/fct.sql`),
 *   with forward slashes. Turn it into a repository path with `toRepoPath(report.projectDir, file)`
 *   before talking to GitHub. `ChangedFile.path` is already repository-relative.
 * - Lines and columns are 1-based.
 * - Model names are the compiler's (lower-case file stems); `target` is `catalog.schema.table`.
 * - Lists are sorted deterministically by the producer (model, column, kind), so two runs on the
 *   same commits give byte-identical JSON apart from `generatedAt` and `timings`.
 * - Versioning: `version` is bumped when a field is removed or renamed; fields may be added.
 */
import type { Diagnostic, DiagnosticSpan, Severity } from "../../../engine/src/diagnostics/diagnostic.js";
import type { MaskStrategy } from "../../../engine/src/project/types.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";

export const REPORT_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Small shared pieces
// ---------------------------------------------------------------------------------------------

/** A span in a model file, and which side of the PR it is on (`base` for removed things). */
export interface ReportSpan extends DiagnosticSpan {
  readonly side: "head" | "base";
}

/** `model.column` as plain data. `model` may be an external source (`schema.table`). */
export interface ColumnPointer {
  readonly model: string;
  readonly column: string;
}

/** Rocky's breaking-change severities (rocky-compat.md §1.4). */
export type BreakingSeverity = "breaking" | "warning" | "info";

/** How a consumer column is derived from the column it reads (the engine's `Transform.kind`, flattened: `cast`, `aggregation:sum`, `window:rank`...). */
export type TransformLabel = string;

export interface GitRef {
  /** As given by the caller (`main`, `origin/main`, `HEAD`, `WORKTREE`, a SHA). */
  readonly ref: string;
  /** Resolved commit SHA; for the work tree, the SHA of HEAD it sits on. */
  readonly sha: string;
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

export type FileStatus = "added" | "modified" | "deleted" | "renamed" | "copied" | "type_changed";

/** A range of head-side lines `[start, end]` (inclusive) that the PR added or changed. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export interface ChangedFile {
  /** Repository-relative path on head (on base for deleted files). */
  readonly path: string;
  /** Project-relative path (the key used in spans), or null when the file is outside the project dir. */
  readonly projectPath: string | null;
  readonly status: FileStatus;
  /** Repository-relative path on base, for renames and copies. */
  readonly oldPath?: string;
  /** Head-side line ranges inside the diff: the ONLY lines inline comments may be placed on. Empty for deleted and binary files. */
  readonly headRanges: readonly LineRange[];
  /**
   * Base-side line ranges the PR deletes or rewrites (a deleted file: all of it), where a finding
   * on something the PR removed (a dropped column's line, a removed model) may carry an inline
   * comment on the deleted line (GitHub's `side: LEFT`). Absent when there are none.
   */
  readonly baseRanges?: readonly LineRange[];
  readonly binary: boolean;
  /** What this file is to the project: a model's SQL, its sidecar, a contract, shared config, or other. */
  readonly role: "model_sql" | "model_config" | "contract" | "defaults" | "project_config" | "schema" | "seed" | "other";
}

// ---------------------------------------------------------------------------------------------
// Model-level changes
// ---------------------------------------------------------------------------------------------

export type ModelStatus = "added" | "removed" | "modified" | "unchanged";

export type ModelLevelChange =
  /** Same model name, new physical target (or the same SQL under a new name writing elsewhere). */
  | { readonly kind: "target_renamed"; readonly from: string; readonly to: string }
  /** The model file was renamed but writes the same target, or the same SQL fingerprint moved to a new name. */
  | { readonly kind: "model_renamed"; readonly from: string; readonly to: string }
  | { readonly kind: "strategy_changed"; readonly from: string; readonly to: string }
  /** Rocky's `materialization_key_changed`: `keyKind` ∈ unique_key, update_columns, timestamp_column, partition_by, time_column, granularity, target_lag, storage_prefix, partition_columns. */
  | { readonly kind: "key_changed"; readonly keyKind: string; readonly from: string; readonly to: string }
  | { readonly kind: "sql_body_changed" }
  | { readonly kind: "config_changed"; readonly keys: readonly string[] }
  | { readonly kind: "contract_changed"; readonly file: string }
  | { readonly kind: "columns_reordered" };

export interface ModelChange {
  /** Head name (base name for removed models). */
  readonly model: string;
  readonly status: ModelStatus;
  /** `catalog.schema.table` on head (base for removed). */
  readonly target: string;
  /** Target on base when it differs, or for removed models. */
  readonly baseTarget?: string;
  /** Base model name when it differs (model renamed). */
  readonly baseModel?: string;
  /** Project-relative SQL file (head; base for removed). */
  readonly file: string;
  /** True when the PR touched one of the model's inputs (its SQL, sidecar, contract, `_defaults.toml`, `rocky.toml`). */
  readonly touched: boolean;
  readonly changes: readonly ModelLevelChange[];
  readonly columnChanges: number;
  readonly rowLevelChanges: number;
  /** Has a contract on head. */
  readonly contracted: boolean;
  readonly exposures: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Column-level and row-level changes
// ---------------------------------------------------------------------------------------------

export type ColumnChangeKind =
  | { readonly kind: "added" }
  | { readonly kind: "removed" }
  | { readonly kind: "renamed"; readonly from: string }
  /**
   * `expression`: the column's own expression changed beyond a cast (`COALESCE(x, 0)`, `x OR y`), so
   * its values change too, not only its type or nullability: traced as a logic change is.
   */
  | { readonly kind: "type_changed"; readonly old: string; readonly new: string; readonly narrowing: boolean; readonly expression?: true }
  | { readonly kind: "nullability_changed"; readonly old: boolean; readonly new: boolean; readonly expression?: true }
  /**
   * Same type, different logic. `expression`: the column's own normalized expression changed.
   * `upstream`: its expression is the same but a column it reads changed (listed in `upstream`).
   */
  | { readonly kind: "logic_changed"; readonly reason: "expression" | "upstream"; readonly upstream?: readonly ColumnPointer[] };

export interface ColumnChange {
  /** Stable id, referenced by blast-radius entries and breaking changes: `col:<model>.<column>:<kind>`. */
  readonly id: string;
  readonly model: string;
  readonly target: string;
  readonly column: string;
  readonly change: ColumnChangeKind;
  /** Rocky's breaking-change severity for this change (§1.4; ours for renamed → breaking, logic_changed → warning). */
  readonly severity: BreakingSeverity;
  /** Head type and nullability (base for removed). */
  readonly type: string;
  readonly nullable: boolean;
  /**
   * False when the change flowed in from upstream (a propagated type/nullability change): the model
   * was not touched, or its expression for this column is unchanged and reads a changed column.
   * Propagated changes have no blast-radius entry of their own (they sit inside their root's).
   */
  readonly direct: boolean;
  /** Where the select item is: head, or base for removed columns. Absent for columns from `*`. */
  readonly span?: ReportSpan;
  /** Number of distinct downstream consumer columns (see `blastRadius`). */
  readonly consumers: number;
}

export type RowLevelClause = "from" | "where" | "join" | "group_by" | "having" | "distinct" | "qualify" | "limit" | "connect_by" | "match_recognize";

export interface RowLevelChange {
  /** `row:<model>:<clause>`. */
  readonly id: string;
  readonly model: string;
  readonly target: string;
  readonly clause: RowLevelClause;
  /** Normalized clause text on base / head; absent when the clause did not exist on that side. */
  readonly old?: string;
  readonly new?: string;
  /** The clause keyword on head (base when removed), best effort. */
  readonly span?: ReportSpan;
  /** Number of distinct downstream consumer columns (every column of every downstream model). */
  readonly consumers: number;
}

// ---------------------------------------------------------------------------------------------
// Blast radius
// ---------------------------------------------------------------------------------------------

export interface Consumer {
  readonly model: string;
  readonly column: string;
  /** 1 = reads the changed column directly. */
  readonly depth: number;
  /** How this column is derived from `via` (for row-level reach: `row_level`). */
  readonly transform: TransformLabel;
  /** The column it reads on the way (`model.column`); the changed column itself at depth 1. */
  readonly via: string;
  /** The consumer's model has a contract naming this column ([[columns]], required or protected). */
  readonly contracted: boolean;
  /** Classification tag of this column on its model, or null. */
  readonly classified: string | null;
  /** Exposures (dashboards, reverse-ETL) of the consumer's model. */
  readonly exposures: readonly string[];
}

export interface BlastRadiusEntry {
  /** The ColumnChange or RowLevelChange id this radiates from. */
  readonly changeId: string;
  readonly origin: { readonly model: string; readonly column?: string };
  /** `base` for removed columns (traced where they still exist), `head` otherwise. */
  readonly tracedOn: "head" | "base";
  readonly rowLevel: boolean;
  /** Sorted by depth, model, column. Complete (the renderer truncates). */
  readonly consumers: readonly Consumer[];
  readonly models: readonly string[];
  readonly maxDepth: number;
  /** Ours, for a renamed column (traced on base under its old name). */
  readonly rename?: RenamedOrigin;
  /**
   * Exposures (dashboards, reverse-ETL) declared on the origin's own model: they read the changed
   * column or rows directly, whether or not any model does. Head's declaration, base's for a
   * removed model; absent for an added column (nothing reads it yet) and for a model with none.
   */
  readonly exposures?: readonly string[];
  /**
   * Ours, for a model whose table moved (a `target_renamed`: its sidecar's or `_defaults.toml`'s
   * `target` changed), the old and new `catalog.schema.table`; `changeId` is `target:<model>`. The
   * models that read it follow it by name, so it has no consumers: only its `exposures`, which
   * read the old table, no longer built. There is one only for a model with exposures.
   */
  readonly moved?: { readonly from: string; readonly to: string };
}

export interface RenamedOrigin {
  /** The column's head model and name. */
  readonly model: string;
  readonly column: string;
  /**
   * The models reading the old name on base (depth 1) that read the new name on head, by their
   * base names as in `consumers`: the PR changed them, or they read it through `SELECT *`. A reader
   * not listed still names the old column (R008 on head) or no longer reads it.
   */
  readonly readingNewName: readonly string[];
}

export interface BlastRadius {
  readonly entries: readonly BlastRadiusEntry[];
  /** Distinct consumer columns over all entries. */
  readonly totalConsumers: number;
  /** Distinct downstream models over all entries. */
  readonly totalModels: number;
  readonly contractedConsumers: number;
  readonly classifiedConsumers: number;
  readonly exposedConsumers: number;
  /** Distinct exposure names reached: the consumers' and the changed models' own (`BlastRadiusEntry.exposures`). */
  readonly exposures: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Breaking changes (Rocky's classifier, plus our kinds)
// ---------------------------------------------------------------------------------------------

export type BreakingChangeKind =
  // Rocky's kinds (§1.4)
  | "model_removed"
  | "model_added"
  | "column_dropped"
  | "column_added"
  | "column_type_changed"
  | "column_nullability_changed"
  | "column_reordered"
  | "materialization_strategy_changed"
  | "materialization_key_changed"
  | "partition_by_changed"
  | "target_renamed"
  | "source_changed"
  | "column_mask_changed"
  | "lakehouse_format_changed"
  | "sql_body_changed"
  // ours
  | "column_renamed"
  | "column_logic_changed"
  | "row_level_changed"
  | "contract_relaxed";

export interface BreakingChange {
  readonly kind: BreakingChangeKind;
  readonly severity: BreakingSeverity;
  readonly model: string;
  readonly target: string;
  readonly column?: string;
  /** One line for humans: `amount: Decimal(18,2) → Int32 (narrowing)`. */
  readonly detail: string;
  readonly old?: string;
  readonly new?: string;
  /** For materialization_key_changed. */
  readonly keyKind?: string;
  /** The ColumnChange / RowLevelChange it came from, when any. */
  readonly changeId?: string;
  /**
   * For a change that flowed in from upstream (its ColumnChange is not `direct`): the changed
   * column it comes from, `model.column`, the nearest when several reach it.
   */
  readonly from?: string;
  readonly span?: ReportSpan;
}

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

export type ContractCode = "E010" | "E011" | "E012" | "E013" | "E014" | "W010";

export interface ContractFinding {
  readonly code: ContractCode;
  readonly severity: Severity;
  readonly message: string;
  /** The contracted model and column. */
  readonly model: string;
  readonly column: string;
  /** Project-relative contract file. */
  readonly contractFile: string;
  /** What the contract says (`Decimal(18,2)`, `not null`, `required`, `protected`). */
  readonly expected: string;
  /** What head has (`Int32`, `nullable`, `missing`). */
  readonly actual: string;
  /**
   * `head`: the contracted model itself changed. `upstream`: the model is untouched and a change
   * upstream breaks it (see `path`). `base`: E013 from comparing base and head (a protected column
   * that existed on base is gone).
   */
  readonly origin: "head" | "upstream" | "base";
  /** From the changed column to the contracted one: `stg_orders.amount → int_orders.amount → fct_revenue.amount`. */
  readonly path?: readonly ColumnPointer[];
  /** Human form of `path` plus the contract: `stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))`. */
  readonly pathText?: string;
  /** The change(s) that cause it. */
  readonly changeIds: readonly string[];
  /** Also failing on base (pre-existing): not new on this PR. */
  readonly new: boolean;
  /** Where to point: the head select item of the change at the start of the path when it is in the diff, else the contracted column, else the contract file. */
  readonly span?: ReportSpan;
  readonly diagnostic: Diagnostic;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics (compile, portability)
// ---------------------------------------------------------------------------------------------

export interface ReviewDiagnostic extends Diagnostic {
  /** False when the same finding (code, model, message, line text) already existed on base. */
  readonly new: boolean;
  /** The span's line is inside the PR's changed head lines (inline-commentable). */
  readonly inDiff: boolean;
  /**
   * Not on base, yet not new: a `P002` in a file the PR left alone that only a reader the PR adds
   * or changes made (the reader's own finding is this PR's). Neither new nor pre-existing.
   */
  readonly madeByReader?: true;
  /**
   * New findings that this error causes, in its model (a `W002` over the table an `R004` says is
   * no model, an `I002` of columns that do not resolve) or downstream of it (a `W002` or `I002`
   * whose Unknown head's lineage traces only to new errors upstream, this one first; each keeps its
   * own `model`): folded into it, not listed, counted or annotated on their own
   * (review/src/report/fold-consequences.ts). Absent when there are none.
   */
  readonly consequences?: readonly ReviewDiagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Compliance (filled by review/src/compliance, charter 6). Rocky's ComplianceOutput + lineage.
// ---------------------------------------------------------------------------------------------

export interface ComplianceEnvResult {
  readonly env: string;
  readonly masking_strategy: MaskStrategy | "unresolved";
  readonly enforced: boolean;
}

export interface ComplianceColumn {
  readonly model: string;
  readonly column: string;
  readonly classification: string;
  readonly envs: readonly ComplianceEnvResult[];
  /** Tag inherited through lineage rather than declared (ours). */
  readonly via_lineage?: boolean;
}

export interface ComplianceException {
  readonly model: string;
  readonly column: string;
  readonly env: string;
  readonly reason: string;
  /** Ours: found by following lineage from a classified column. */
  readonly via_lineage?: boolean;
  readonly tag?: string;
  readonly path?: readonly ColumnPointer[];
  /**
   * Ours, with `via_lineage`: the column's own classification, when it has one that leaves it in
   * clear in this env (allow-listed, or `none`) while it carries values of `tag`, which is masked.
   */
  readonly classified_as?: string;
  readonly span?: ReportSpan;
  /** The exception did not exist on base. */
  readonly new?: boolean;
}

export interface ComplianceReport {
  readonly summary: { readonly total_classified: number; readonly total_masked: number; readonly total_exceptions: number };
  readonly envs: readonly string[];
  readonly per_column: readonly ComplianceColumn[];
  readonly exceptions: readonly ComplianceException[];
  /**
   * The configuration diagnostics that bear on compliance (review/src/compliance/compliance-config.ts:
   * rocky.toml's masking tables, sidecars' [classification], unreadable model files, R012), then
   * W004 once per unmasked column, with spans.
   */
  readonly diagnostics: readonly Diagnostic[];
  /** Ours, for a review: tags this PR stops masking (Rocky counts `none` as masked). */
  readonly weakened?: readonly MaskWeakening[];
  /** Ours, for a review: columns whose classification this PR removes while they stay, so their values are no longer masked. */
  readonly declassified?: readonly Declassification[];
  /** Ours: models and columns whose classification did not load (or names no column), so they are not counted or checked. */
  readonly unchecked?: readonly UncheckedClassification[];
  /** Ours, for a review: the base branch's unmasked columns this PR masks or stops writing (review/src/compliance/fixed-exceptions.ts). */
  readonly fixed?: readonly FixedException[];
}

/** An unmasked column on the base branch that the PR fixes, in the environments it was unmasked in. */
export interface FixedException {
  readonly model: string;
  readonly column: string;
  readonly envs: readonly string[];
  readonly tag?: string;
  /** A copy found through lineage (else a classified column with no strategy). */
  readonly via_lineage?: true;
}

/**
 * A model whose classification could not be checked: its sidecar (or front-matter, or model file)
 * did not load, in whole or at a `classification.<column>` key, or a key names no column (R012).
 */
export interface UncheckedClassification {
  readonly model: string;
  /** The file of the diagnostic that left it unchecked (the sidecar, or the model file). */
  readonly file: string;
  /** Its line. */
  readonly line?: number;
  /** Its code: R002 (did not load), R007 (unreadable), R012 (no such column). */
  readonly code?: string;
  /** The columns left unchecked, lower-cased; for a whole model, those base classified (a review) or none known. */
  readonly columns: readonly string[];
  /** The model's whole [classification] is unknown (not only `columns`). */
  readonly whole_model?: true;
  readonly reason?: string;
}

/** A tag that masked on base and is left in clear on head, in one environment (ours). */
export interface Declassification {
  readonly model: string;
  /** As base's `[classification]` spells it. */
  readonly column: string;
  /** Base's tag, lower-cased. */
  readonly tag: string;
  /** The environments whose strategy masked it on base (`default` for `[mask]`). */
  readonly envs: readonly string[];
  /** The strategy of the first of them. */
  readonly from: string;
  /** The `[classification]` key the PR removed (base side). */
  readonly span?: ReportSpan;
}

export interface MaskWeakening {
  /** `default` (the `[mask]` defaults) or a `[mask.<env>]` name. */
  readonly env: string;
  /** Lower-cased, as `[mask]` keys are. */
  readonly tag: string;
  /** The base strategy: `hash`, `redact` or `partial`. */
  readonly from: string;
  /** `none`; `allow_unmasked` when the tag lost its strategy and was allow-listed; `partial` when a `hash` or `redact` became `partial` (part of each value in clear). */
  readonly to: "none" | "allow_unmasked" | "partial";
  /** Head's columns classified with the tag. */
  readonly columns: readonly ColumnPointer[];
  /** The rocky.toml key that did it (head), or the one the PR removed (base). */
  readonly span?: ReportSpan;
}

// ---------------------------------------------------------------------------------------------
// Cost (filled by review/src/cost, charter 6)
// ---------------------------------------------------------------------------------------------

export type CostBasis = "observed" | "table_stats" | "static";
export type CostConfidence = "high" | "medium" | "low";

export interface ModelCost {
  readonly model: string;
  /** `changed` = the PR changed it; `downstream` = in its blast radius. */
  readonly role: "changed" | "downstream" | "added" | "removed";
  readonly basis: CostBasis;
  readonly confidence: CostConfidence;
  /** `daily`, `hourly`, a cron expression... and how many runs that is per 30 days. */
  readonly schedule: string;
  readonly runsPerMonth: number;
  /** When the PR changes the model's schedule: base's, and its runs per 30 days (the "before" side of the monthly figures). */
  readonly baseSchedule?: string;
  readonly baseRunsPerMonth?: number;
  /** USD per run; null when unknown. */
  readonly beforePerRun: number | null;
  readonly afterPerRun: number | null;
  readonly deltaPerRun: number | null;
  /** After per run × runs per month minus before per run × base's runs per month. */
  readonly deltaPerMonth: number | null;
  /** How the numbers were made, for a reviewer (`after scaled by the static after/before ratio`). */
  readonly note?: string;
  /**
   * What the PR changes in this model that the projection cannot price (`strategy incremental →
   * full_refresh`, `WHERE removed`): its Δ leaves the change out, so a $0 here is not "no change".
   * Absent when none, or when the branch's own runs measured the change.
   */
  readonly unpriced?: readonly string[];
}

export interface BudgetBreach {
  readonly scope: "project" | "model";
  readonly model?: string;
  readonly limit_type: "max_usd" | "max_duration_ms" | "max_bytes_scanned";
  readonly limit: number;
  readonly actual: number;
  readonly on_breach: "warn" | "error";
  readonly diagnostic: Diagnostic;
}

export interface CostReport {
  readonly currency: "USD";
  /** Warehouse whose prices apply (`duckdb`, `databricks`, `snowflake`, `bigquery`). */
  readonly warehouse: string;
  readonly models: readonly ModelCost[];
  readonly totals: {
    readonly beforePerMonth: number | null;
    readonly afterPerMonth: number | null;
    readonly deltaPerMonth: number | null;
  };
  readonly budgetBreaches: readonly BudgetBreach[];
  /** Head models left out of every row and total because they do not compile on the branch (their error is among the findings); absent when none. */
  readonly notPriced?: readonly string[];
}

/** Nothing to price (DuckDB runs locally, or every figure is $0 or unknown) and no budget breached: renderers show one line, no table of zeros. */
export function costsNothing(cost: CostReport): boolean {
  return cost.budgetBreaches.length === 0 && cost.models.every((m) => !m.beforePerRun && !m.afterPerRun);
}

// ---------------------------------------------------------------------------------------------
// The diff (diffProjects) and the whole report
// ---------------------------------------------------------------------------------------------

/** What `diffProjects` returns: the structural part of the report. */
export interface ProjectDiff {
  readonly models: readonly ModelChange[];
  readonly columnChanges: readonly ColumnChange[];
  readonly rowLevelChanges: readonly RowLevelChange[];
  readonly blastRadius: BlastRadius;
  readonly breakingChanges: readonly BreakingChange[];
  readonly contracts: readonly ContractFinding[];
  /** Models the PR touched directly (by input file), head names. */
  readonly touchedModels: readonly string[];
  /** Touched models whose SQL the PR edited in comments, layout or keyword case only, with no other change: not changed models. */
  readonly layoutOnlyModels?: readonly string[];
  /** Every model a change reaches downstream (head names, excluding the changed ones). */
  readonly downstreamModels: readonly string[];
  /** R004 on head models that still read a model the PR removes (head diagnostics the compile alone cannot see). */
  readonly readsOfRemoved: readonly Diagnostic[];
}

export interface ReviewSummary {
  readonly models: {
    readonly total: number;
    readonly added: number;
    readonly removed: number;
    readonly modified: number;
    readonly unchanged: number;
    /** Models the PR edited in comments, layout or keyword case only (counted in `unchanged`, not as changed); absent when none. */
    readonly layoutOnly?: number;
  };
  readonly columnChanges: {
    readonly total: number;
    readonly added: number;
    readonly removed: number;
    readonly renamed: number;
    readonly type_changed: number;
    readonly nullability_changed: number;
    readonly logic_changed: number;
  };
  readonly rowLevelChanges: number;
  readonly breaking: { readonly breaking: number; readonly warning: number; readonly info: number };
  readonly blastRadius: { readonly columns: number; readonly models: number };
  readonly contracts: { readonly error: number; readonly warning: number; readonly new: number };
  readonly portability: { readonly error: number; readonly warning: number };
  /** New compile diagnostics by severity (pre-existing ones excluded). */
  readonly diagnostics: { readonly error: number; readonly warning: number; readonly info: number; readonly preExisting: number };
  readonly complianceExceptions: number;
  readonly budgetBreaches: { readonly error: number; readonly warning: number };
  readonly filesChanged: number;
  /**
   * Verdict inputs: counts of NEW findings by severity across compile diagnostics, contracts,
   * portability, compliance exceptions (Error) and budget breaches. Breaking changes of severity
   * `breaking` count as Warning unless a contract makes them an Error.
   */
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
}

export interface ReviewTimings {
  /** Resolving refs and the changed-files diff. */
  readonly git_ms: number;
  /** Reading both trees (runs concurrently with the diff part of git_ms). */
  readonly read_ms: number;
  readonly compile_base_ms: number;
  readonly compile_head_ms: number;
  readonly diff_ms: number;
  readonly compliance_ms: number;
  readonly cost_ms: number;
  readonly render_ms: number;
  readonly total_ms: number;
  /** Models served from the compile cache, per side. */
  readonly cache_hits: { readonly base: number; readonly head: number };
}

export interface ReviewReport {
  readonly version: typeof REPORT_VERSION;
  readonly kind: "rocky-review";
  /** ISO-8601, from the Clock port. */
  readonly generatedAt: string;
  readonly base: GitRef;
  readonly head: GitRef;
  /** Merge-base of base and head (what head is compared against: GitHub's three-dot diff). */
  readonly mergeBase: string;
  /** Project directory inside the repository ("" = root), forward slashes, no trailing slash. */
  readonly projectDir: string;
  /** The project's (default) model dialect. */
  readonly dialect: DialectId;
  /** P001 target (`[portability] target_dialect` or the caller's override), when any. */
  readonly targetDialect?: DialectId;
  /**
   * When the PR changes `[portability] target_dialect` in rocky.toml (and no caller override is
   * given): every model is then checked against another warehouse, so the new P001 findings of
   * files the PR left alone follow from that one line. `from`/`to` absent: no target on that side.
   * `span`: the key on head (on base when the PR removed it).
   */
  readonly targetDialectChange?: { readonly from?: DialectId; readonly to?: DialectId; readonly span?: ReportSpan };
  /** True when the PR changes no model, contract, or project config file: checks are `skipped`. */
  readonly touchesNoModels: boolean;
  readonly summary: ReviewSummary;
  /** Changed models plus every model in the blast radius (status `unchanged` for those). */
  readonly models: readonly ModelChange[];
  readonly columnChanges: readonly ColumnChange[];
  readonly rowLevelChanges: readonly RowLevelChange[];
  readonly blastRadius: BlastRadius;
  readonly breakingChanges: readonly BreakingChange[];
  readonly contracts: readonly ContractFinding[];
  /** P001 / P002 on head, each with file/line/col and (P001) replacement. */
  readonly portability: readonly ReviewDiagnostic[];
  readonly compliance: ComplianceReport | null;
  readonly cost: CostReport | null;
  /** Head compile diagnostics other than contracts and portability, `new` relative to base. */
  readonly diagnostics: readonly ReviewDiagnostic[];
  /**
   * Set when `diagnostics` leaves the project's standing (pre-existing) warnings and notices out
   * (the CLI's JSON: see withoutStandingNotices): how many, by severity. Absent: nothing left out.
   */
  readonly omittedDiagnostics?: OmittedDiagnostics;
  readonly changedFiles: readonly ChangedFile[];
  readonly timings: ReviewTimings;
}

/** The pre-existing diagnostics a report leaves out (their identity is the base branch's, not the PR's). */
export interface OmittedDiagnostics {
  readonly preExisting: { readonly warning: number; readonly info: number };
  readonly reason: string;
}

/** Whether a head line of a changed file is inside the PR's diff (where inline comments may go). */
export function inHeadRanges(file: ChangedFile, line: number): boolean {
  return file.headRanges.some((r) => line >= r.start && line <= r.end);
}

/** Whether a base line of the file is one the PR deletes or rewrites. */
export function inBaseRanges(file: ChangedFile, line: number): boolean {
  return (file.baseRanges ?? []).some((r) => line >= r.start && line <= r.end);
}

/** Repository-relative path of a project-relative file. */
export function toRepoPath(projectDir: string, file: string): string {
  if (projectDir === "" || projectDir === ".") return file;
  return `${projectDir}/${file}`;
}
