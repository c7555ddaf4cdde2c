import type { Diagnostic, DiagnosticSpan } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { Contract } from "../../project/types.js";
import { type CheckedColumn, type ContractCheckInput, columnSpan, contractColumn, provenNullable } from "../contract-columns.js";

/**
 * E014 (Rocky's, since its #1467): under `[rules] no_new_nullable`, the contract's `[[columns]]` are
 * the baseline, and a nullable output column they do not declare is an error; with no `[[columns]]`
 * there is no baseline, which is an error too. A column whose type is Unknown, or that is nullable
 * only by assumption, is not reported (its nullability is not known), as for E012.
 */
export function checkContractNewNullable(input: ContractCheckInput): Diagnostic[] {
  const c = input.contract;
  if (c.noNewNullable !== true) return [];
  const at: DiagnosticSpan = c.noNewNullableLocation
    ? { file: c.noNewNullableLocation.file, line: c.noNewNullableLocation.line, col: c.noNewNullableLocation.col }
    : { file: c.file, line: 1, col: 1 };
  if (c.columns.length === 0) {
    return [
      createDiagnostic("E014", "[rules] no_new_nullable is set but the contract declares no [[columns]], so there is no baseline for what counts as new", {
        model: input.model,
        span: at,
        suggestion: "declare the expected columns in [[columns]], or remove no_new_nullable",
      }),
    ];
  }
  const out: Diagnostic[] = [];
  for (const col of undeclaredNullable(c, input.columns)) {
    out.push(
      createDiagnostic("E014", `nullable column '${col.name}' is not declared in the contract, and [rules] no_new_nullable forbids adding one`, {
        model: input.model,
        span: col.span !== undefined ? columnSpan(input, col, col.name) : at,
        suggestion: `declare '${col.name}' in [[columns]], make it NOT NULL in the SELECT, or remove no_new_nullable`,
      }),
    );
  }
  return out;
}

/**
 * Under `[rules] no_new_nullable`, the output columns that break it: nullable (provably: see
 * provenNullable) and not declared in the contract's `[[columns]]`. None when the rule is off or
 * there are no `[[columns]]` (that case is the contract's own E014, above). The review's contract
 * evaluation reads the same list, so the two never disagree.
 */
export function undeclaredNullable<T extends CheckedColumn>(contract: Contract, columns: readonly T[]): T[] {
  if (contract.noNewNullable !== true || contract.columns.length === 0) return [];
  return columns.filter((col) => provenNullable(col) && contractColumn(contract, col.name) === undefined);
}
