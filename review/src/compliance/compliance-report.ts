import type { MaskStrategy } from "../../../engine/src/project/types.js";

/**
 * `rocky compliance` output (rocky-compat.md §3.6, `ComplianceOutput` in Rocky's
 * `rocky-cli/src/output.rs`), plus our additive lineage fields. With `lineage: false` the
 * report is exactly Rocky's; with lineage (the default) `exceptions` also holds columns that
 * carry a classified column's values downstream unclassified (`via_lineage: true`), and
 * `summary.total_exceptions` counts them too (`total_lineage_exceptions` says how many).
 */

/** The label of the top-level `[mask]` block. */
export const DEFAULT_ENV_LABEL = "default";
/** Wire name of "no strategy resolved". */
export const STRATEGY_UNRESOLVED = "unresolved";

export interface EnvMaskingStatus {
  readonly env: string;
  readonly masking_strategy: MaskStrategy | typeof STRATEGY_UNRESOLVED;
  readonly enforced: boolean;
}

export interface ColumnClassificationStatus {
  readonly model: string;
  readonly column: string;
  readonly classification: string;
  readonly envs: readonly EnvMaskingStatus[];
}

/** One hop of a lineage path: `model.column`, and how it was derived from the previous hop (absent on the first). */
export interface LineageStep {
  readonly model: string;
  readonly column: string;
  readonly transform?: "direct" | "cast" | "try_cast";
}

/** Where a finding sits, for annotations and inline comments. */
export interface ComplianceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface ComplianceException {
  readonly model: string;
  readonly column: string;
  readonly env: string;
  readonly reason: string;
  /** Our extension: true when the column is not classified itself but carries a classified column's values. */
  readonly via_lineage?: boolean;
  /** Our extension: the tag (the column's own, or the one inherited through lineage). */
  readonly classification?: string;
  /** Our extension: classified root → ... → this column. */
  readonly path?: readonly LineageStep[];
  /** Our extension: the select item (lineage) or the sidecar classification line. */
  readonly location?: ComplianceLocation;
}

export interface ComplianceSummary {
  readonly total_classified: number;
  readonly total_masked: number;
  readonly total_exceptions: number;
  /** Our extension: how many of `total_exceptions` come from lineage. */
  readonly total_lineage_exceptions: number;
}

export interface ComplianceReport {
  readonly version: string;
  readonly command: "compliance";
  readonly summary: ComplianceSummary;
  readonly per_column: readonly ColumnClassificationStatus[];
  readonly exceptions: readonly ComplianceException[];
  /** Our extension: the environments evaluated, in order. */
  readonly envs: readonly string[];
  /** Our extension: models scanned. */
  readonly models_scanned: number;
  /** Our extension: whether lineage was followed. */
  readonly lineage: boolean;
}
