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
 * select item of the column it suggests as `time_column` when known, else the sidecar. Rocky
 * suggests the first temporal column; this suggests the likeliest load time (`timeColumnScore`).
 */
export function checkMissingFreshness(input: FreshnessInput): Diagnostic[] {
  if (input.config.freshness !== undefined || input.projectExpectedLagSeconds !== undefined) return [];
  const temporal = input.columns.filter((c) => TEMPORAL.has(c.type.kind));
  if (temporal.length === 0) return [];
  let first = temporal[0];
  let best = timeColumnScore(first);
  for (const c of temporal) {
    const score = timeColumnScore(c);
    if (score <= best) continue;
    first = c;
    best = score;
  }
  const span =
    first.span !== undefined
      ? spanWithEnd(input.file, first.span, input.sql)
      : { file: input.sidecarFile ?? input.file, line: 1, col: 1 };
  return [
    createDiagnostic("W005", `model '${input.model}' has temporal column(s) (${temporal.map((c) => c.name).join(", ")}) but no \`freshness\` block declared`, {
      model: input.model,
      span,
      suggestion: `add [freshness] expected_lag_seconds = 3600, time_column = "${first.name}" to ${input.sidecarFile ?? `the model's sidecar`}`,
    }),
  ];
}

/**
 * How likely a temporal column is to say when the rows arrived, which is what freshness measures: a
 * load or sync time, then an update time, then a creation time, a timestamp over a date, a name
 * like `*_at` over a derived one (`next_day`, `event_month`). Ties keep the column order.
 */
function timeColumnScore(c: CheckedColumn): number {
  const name = c.name.toLowerCase();
  let score = c.type.kind === "Date" ? 0 : 2;
  if (/loaded|ingested|synced|extracted|inserted|arrived/.test(name)) score += 6;
  else if (/updated|modified|changed/.test(name)) score += 5;
  else if (/created/.test(name)) score += 4;
  if (/(_at|_ts|_time|timestamp|_on)$/.test(name)) score += 1;
  return score;
}
