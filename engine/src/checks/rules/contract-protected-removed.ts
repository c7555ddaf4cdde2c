import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, contractSpan, findColumn } from "../contract-columns.js";

/** E013: a `[rules] protected` column is absent from the output (at compile time, presence in the current output). */
export function checkContractProtectedRemoved(input: ContractCheckInput): Diagnostic[] {
  if (input.schemaComplete === false) return [];
  return input.contract.protected
    .filter((name) => findColumn(input.columns, name) === undefined)
    .map((name) =>
      createDiagnostic("E013", `protected column '${name}' has been removed`, {
        model: input.model,
        span: contractSpan(input.contract, name, "protected"),
      }),
    );
}
