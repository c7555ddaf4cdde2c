import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { ModelConfig } from "../../project/types.js";
import { configSpan } from "../config-span.js";

export interface DependsOnInput {
  readonly model: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly config: Pick<ModelConfig, "depends_on" | "locations">;
  /** Models the SQL reads (bare `FROM other_model`), as the graph resolved them. */
  readonly sqlDependencies: readonly string[];
}

/** D011: an explicit, non-empty `depends_on` misses models the SQL reads (Rocky merges both anyway). */
export function checkDependsOnIncomplete(input: DependsOnInput): Diagnostic[] {
  const declared = input.config.depends_on ?? [];
  if (declared.length === 0 || input.sqlDependencies.length === 0) return [];
  // Lists are a few names long: no sets for the common case where every SQL dependency is declared.
  let missing: string[] | undefined;
  for (const d of input.sqlDependencies) {
    if (d === input.model) continue;
    const lower = d.toLowerCase();
    if (declared.some((x) => x === d || x.toLowerCase() === lower)) continue;
    missing ??= [];
    if (!missing.includes(d)) missing.push(d);
  }
  if (missing === undefined) return [];
  missing.sort();
  const list = missing.map((m) => `'${m}'`).join(", ");
  return [
    createDiagnostic("D011", `depends_on misses ${missing.length === 1 ? "a model" : "models"} the SQL reads: ${list}`, {
      model: input.model,
      span: configSpan(input.config, ["depends_on"], [input.sidecarFile, input.file]),
      suggestion: `add ${missing.map((m) => `"${m}"`).join(", ")} to depends_on, or drop depends_on entirely`,
    }),
  ];
}
