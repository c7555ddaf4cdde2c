import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import { formatType } from "../../types/sql-type.js";
import { type ContractCheckInput, columnSpan, findColumn } from "../contract-columns.js";
import { contractTypeMatches } from "../../types/contract-type-matches.js";

/** E011: a contract column's `type` does not match the inferred type (exact; Unknown passes; bare Decimal matches any). */
export function checkContractTypeMismatch(input: ContractCheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cc of input.contract.columns) {
    if (cc.type === undefined) continue;
    const col = findColumn(input.columns, cc.name);
    if (col === undefined || contractTypeMatches(cc.type, col.type)) continue;
    out.push(
      createDiagnostic("E011", `column '${cc.name}' type mismatch: contract expects ${cc.type}, got ${formatType(col.type)}`, {
        model: input.model,
        span: columnSpan(input, col, cc.name),
        suggestion: `CAST '${cc.name}' to ${cc.type} in the SELECT, or update the contract type to ${formatType(col.type)}`,
      }),
    );
  }
  return out;
}
