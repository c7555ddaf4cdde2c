import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { type ContractCheckInput, columnSpan, findColumn, provenNullable } from "../contract-columns.js";

/**
 * E012: the contract says `nullable = false` and the column is inferred nullable. Skipped when its
 * type is Unknown, or when it is nullable only by assumption (a CAST of a column of no known type):
 * its nullability is then unknown too.
 */
export function checkContractNullability(input: ContractCheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cc of input.contract.columns) {
    if (cc.nullable !== false) continue;
    const col = findColumn(input.columns, cc.name);
    if (col === undefined || !provenNullable(col)) continue;
    out.push(
      createDiagnostic("E012", `column '${cc.name}' must be non-nullable per contract, but is nullable`, {
        model: input.model,
        span: columnSpan(input, col, cc.name),
      }),
    );
  }
  return out;
}
