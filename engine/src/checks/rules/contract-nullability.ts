import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, columnSpan, findColumn } from "../contract-columns.js";

/** E012: the contract says `nullable = false` and the column is inferred nullable (skipped when its type is Unknown). */
export function checkContractNullability(input: ContractCheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cc of input.contract.columns) {
    if (cc.nullable !== false) continue;
    const col = findColumn(input.columns, cc.name);
    if (col === undefined || !col.nullable || col.type.kind === "Unknown") continue;
    out.push(
      createDiagnostic("E012", `column '${cc.name}' must be non-nullable per contract, but is nullable`, {
        model: input.model,
        span: columnSpan(input, col, cc.name),
      }),
    );
  }
  return out;
}
