import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, contractSpan, findColumn } from "../contract-columns.js";

const has = (names: readonly string[], name: string) => names.some((n) => n.toLowerCase() === name.toLowerCase());

/**
 * W010: a contract `[[columns]]` entry is not in the output and not required. A protected one is
 * already an E013 and is not repeated here.
 */
export function checkContractColumnAbsent(input: ContractCheckInput): Diagnostic[] {
  if (input.schemaComplete === false) return [];
  return input.contract.columns
    .filter((cc) => findColumn(input.columns, cc.name) === undefined && !has(input.contract.required, cc.name) && !has(input.contract.protected, cc.name))
    .map((cc) =>
      createDiagnostic("W010", `contract column '${cc.name}' not found in model output`, {
        model: input.model,
        span: contractSpan(input.contract, cc.name),
      }),
    );
}
