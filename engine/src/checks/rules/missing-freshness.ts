import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import type { CheckedColumn } from "../contract-columns.js";
import { spanWithEnd } from "../source-locator.js";

export interface FreshnessInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "freshness">;
  readonly columns: readonly CheckedColumn[];
  /** rocky.toml `[freshness] expected_lag_seconds`: when set, every model is covered. */
  readonly projectExpectedLagSeconds?: number;
  readonly sql?: string;
}

const TEMPORAL = new Set(["Date", "Timestamp", "TimestampNtz"]);

/**
 * W005: the model outputs a DATE / TIMESTAMP / TIMESTAMP_NTZ column and no freshness declaration is
 * in scope (no sidecar `[freshness]`, no project `[freshness] expected_lag_seconds`). Points at the
 * first temporal column's select item when known, else the sidecar.
 */
export function checkMissingFreshness(input: FreshnessInput): Diagnostic[] {
  if (input.config.freshness !== undefined || input.projectExpectedLagSeconds !== undefined) return [];
  const temporal = input.columns.filter((c) => TEMPORAL.has(c.type.kind));
  if (temporal.length === 0) return [];
  const first = temporal[0];
  const span =
    first.span !== undefined
      ? spanWithEnd(input.file, first.span, input.sql)
      : { file: input.sidecarFile ?? input.file, line: 1, col: 1 };
  return [
    createDiagnostic("W005", `model '${input.model}' has temporal column(s) (${temporal.map((c) => c.name).join(", ")}) but no freshness block`, {
      model: input.model,
      span,
      suggestion: `add [freshness] expected_lag_seconds = 3600, time_column = "${first.name}" to ${input.sidecarFile ?? `the model's sidecar`}`,
    }),
  ];
}
