import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import { didYouMeanSuffix } from "../../util/did-you-mean.js";
import { configSpan } from "../config-span.js";
import { findColumn } from "../contract-columns.js";

export interface ClassifiedColumnsInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "classification" | "locations">;
  readonly columns: readonly { readonly name: string }[];
  /** Every output column is known (parsed, analysed, no `*` over an unknown upstream). Otherwise silent. */
  readonly schemaComplete: boolean;
}

/**
 * R012: a `[classification]` key that names no output column of its model (case-insensitive), at
 * the key. A misspelt key classifies nothing: the real column goes unmasked and unfollowed by the
 * compliance checks, and nothing else would say so.
 */
export function checkClassificationUnknownColumn(input: ClassifiedColumnsInput): Diagnostic[] {
  if (!input.schemaComplete) return [];
  const names = input.columns.map((c) => c.name);
  const out: Diagnostic[] = [];
  for (const column of Object.keys(input.config.classification)) {
    if (findColumn(input.columns, column) !== undefined) continue;
    out.push(
      createDiagnostic("R012", `[classification] names column '${column}', which ${input.model} does not output${didYouMeanSuffix(column, names)}`, {
        model: input.model,
        span: configSpan(input.config, [`classification.${column}`, "classification"], [input.sidecarFile, input.file]),
        suggestion: `classify a column the model outputs (${names.slice(0, 12).join(", ")}${names.length > 12 ? ", ..." : ""}), or remove the key`,
        key: `classification.${column}`,
      }),
    );
  }
  return out;
}
