import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, contractSpan, findColumn } from "../contract-columns.js";

/**
 * W010: a contract `[[columns]]` entry is not in the output and not required. A protected one is
 * already an E013 and is not repeated here.
 */
export function checkContractColumnAbsent(input: ContractCheckInput): Diagnostic[] {
  if (input.schemaComplete === false) return [];
  // Case-insensitive membership, one set per list (not a scan of both lists per contract column).
  let listed: Set<string> | undefined;
  const isListed = (name: string) => {
    listed ??= new Set([...input.contract.required, ...input.contract.protected].map((n) => n.toLowerCase()));
    return listed.has(name.toLowerCase());
  };
  return input.contract.columns
    .filter((cc) => findColumn(input.columns, cc.name) === undefined && !isListed(cc.name))
    .map((cc) =>
      createDiagnostic("W010", `contract column '${cc.name}' not found in model output`, {
        model: input.model,
        span: contractSpan(input.contract, cc.name),
      }),
    );
}
