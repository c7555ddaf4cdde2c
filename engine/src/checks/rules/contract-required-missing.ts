import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, contractSpan, findColumn } from "../contract-columns.js";

/** E010: a `[rules] required` column is absent from the inferred output. */
export function checkContractRequiredMissing(input: ContractCheckInput): Diagnostic[] {
  if (input.schemaComplete === false) return [];
  return input.contract.required
    .filter((name) => findColumn(input.columns, name) === undefined)
    .map((name) =>
      createDiagnostic("E010", `required column '${name}' missing from model output`, {
        model: input.model,
        span: contractSpan(input.contract, name, "required"),
      }),
    );
}
