import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import { didYouMeanSuffix } from "../../util/did-you-mean.js";
import { configSpan } from "../config-span.js";
import { findColumn } from "../contract-columns.js";

export interface MergeKeyInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "strategy" | "locations">;
  readonly columns: readonly { readonly name: string }[];
  /** The output is provably complete: parsed, no `*`, every projection named. Otherwise W006 stays silent. */
  readonly projectionComplete: boolean;
}

/** W006: a `merge` `unique_key` names a column not in the output (case-insensitive). */
export function checkMergeKeyMissing(input: MergeKeyInput): Diagnostic[] {
  const s = input.config.strategy;
  if (s.type !== "merge" || !input.projectionComplete) return [];
  const names = input.columns.map((c) => c.name);
  return s.unique_key
    .filter((k) => findColumn(input.columns, k) === undefined)
    .map((k) =>
      createDiagnostic("W006", `unique_key '${k}' is not in the output schema of model '${input.model}'`, {
        model: input.model,
        span: configSpan(input.config, ["strategy.unique_key", "strategy"], [input.sidecarFile, input.file]),
        suggestion: `available columns: ${names.join(", ")}${didYouMeanSuffix(k, names)}`,
      }),
    );
}
