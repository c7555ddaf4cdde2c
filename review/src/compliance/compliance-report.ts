import type {
  ColumnPointer,
  ComplianceColumn,
  ComplianceEnvResult,
  ComplianceReport as ReportCompliance,
  ComplianceException as ReportComplianceException,
  UncheckedClassification,
} from "../report/types.js";

/**
 * `rocky compliance` output (rocky-compat.md §3.6, `ComplianceOutput` in Rocky's
 * `rocky-cli/src/output.rs`), plus our additive fields: `diagnostics` (the configuration problems
 * that make the verdict unsure, compliance-config.ts, then W004s) and `unchecked` (what they leave
 * out of the count). With `lineage: false` the
 * report is exactly Rocky's (plus those, and `envs`); with lineage (the default) `exceptions` also holds columns that
 * carry a classified column's values downstream unclassified (`via_lineage: true`), and
 * `summary.total_exceptions` counts them too (`total_lineage_exceptions` says how many).
 */

/** The label of the top-level `[mask]` block. */
export const DEFAULT_ENV_LABEL = "default";
/** Wire name of "no strategy resolved". */
export const STRATEGY_UNRESOLVED = "unresolved";

export type EnvMaskingStatus = ComplianceEnvResult;

export type ColumnClassificationStatus = ComplianceColumn;

/**
 * One hop of a lineage path: `model.column`, and how it was derived from the previous hop (absent
 * on the first): the lineage transform's kind, and for a function that keeps the values
 * (`lower`, `coalesce`, `max`, `case`, `concat`), its name in `keeps`.
 */
export interface LineageStep extends ColumnPointer {
  readonly transform?: "direct" | "cast" | "try_cast" | "expression" | "aggregation" | "window";
  readonly keeps?: string;
}

/**
 * Rocky's `{model, column, env, reason}` plus, ours: `via_lineage`, `tag` (the column's own or
 * the one inherited through lineage), `path` (classified root → ... → this column) and `span`
 * (the select item for lineage, the sidecar classification line otherwise).
 */
export interface ComplianceException extends ReportComplianceException {
  readonly path?: readonly LineageStep[];
}

export interface ComplianceReport extends ReportCompliance {
  readonly version: string;
  readonly command: "compliance";
  readonly summary: ReportCompliance["summary"] & {
    /** Ours: how many of `total_exceptions` come from lineage. */
    readonly total_lineage_exceptions: number;
    /** Ours: how many models or columns could not be checked (`unchecked`). */
    readonly total_unchecked: number;
  };
  /**
   * Ours: the models and columns whose classification did not load (a sidecar that did not parse
   * or read, a `classification.<column>` value that did not load) or names no column (R012): not
   * counted, not checked. The diagnostics that say why are in `diagnostics`.
   */
  readonly unchecked: readonly UncheckedClassification[];
  readonly exceptions: readonly ComplianceException[];
  /** Ours: models scanned. */
  readonly models_scanned: number;
  /** Ours: whether lineage was followed. */
  readonly lineage: boolean;
}
