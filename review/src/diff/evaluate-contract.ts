import type { CompiledModel } from "../../../engine/src/compile/types.js";
import type { Contract } from "../../../engine/src/project/types.js";
import { provenNullable } from "../../../engine/src/checks/contract-columns.js";
import { undeclaredNullable } from "../../../engine/src/checks/rules/contract-new-nullable.js";
import { contractTypeMatches } from "../../../engine/src/types/contract-type-matches.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import type { ContractCode } from "../report/types.js";

export interface ContractViolation {
  readonly code: ContractCode;
  readonly column: string;
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
}

/**
 * Rocky's compile-time contract rules (rocky-compat.md §6.1) for one model: E010 required missing,
 * E011 type mismatch (exact on RockyType names, Unknown passes, bare Decimal matches any), E012
 * `nullable = false` but inferred nullable, E013 protected missing, E014 a nullable column the
 * contract does not declare under `[rules] no_new_nullable`, W010 contract column absent and not required. `alsoProtected` adds protected names from elsewhere (the base contract: a column
 * protected on base cannot be removed together with its protection).
 */
export function evaluateContract(model: CompiledModel, contract: Contract, alsoProtected: readonly string[] = []): ContractViolation[] {
  if (!model.parsed) return [];
  const out: ContractViolation[] = [];
  const cols = new Map(model.columns.map((c) => [c.name.toLowerCase(), c]));
  const required = new Set(contract.required.map((r) => r.toLowerCase()));
  const protectedCols = new Set([...contract.protected, ...alsoProtected].map((r) => r.toLowerCase()));
  const named = new Map<string, string>();
  for (const c of contract.columns) named.set(c.name.toLowerCase(), c.name);
  for (const r of [...contract.required, ...contract.protected, ...alsoProtected]) if (!named.has(r.toLowerCase())) named.set(r.toLowerCase(), r);

  for (const [lower, name] of named) {
    const col = cols.get(lower);
    if (col) continue;
    if (required.has(lower)) {
      out.push({ code: "E010", column: name, expected: "required", actual: "missing", message: `required column '${name}' is missing from the output of '${model.name}'` });
    }
    if (protectedCols.has(lower)) {
      out.push({ code: "E013", column: name, expected: "protected", actual: "missing", message: `protected column '${name}' has been removed from '${model.name}'` });
    }
    if (!required.has(lower) && !protectedCols.has(lower)) {
      out.push({ code: "W010", column: name, expected: "in the output", actual: "missing", message: `contract column '${name}' is not in the output of '${model.name}' and is not required` });
    }
  }
  for (const c of contract.columns) {
    const col = cols.get(c.name.toLowerCase());
    if (!col) continue;
    if (c.type !== undefined && !contractTypeMatches(c.type, col.type)) {
      const actual = formatType(col.type);
      out.push({ code: "E011", column: c.name, expected: c.type, actual, message: `column '${c.name}' of '${model.name}' is ${actual}, but its contract says ${c.type}` });
    }
    // As the compile's E012: an Unknown column's nullability is not known either (an unresolved
    // reference is "nullable" only because nothing says otherwise), nor is one nullable only by
    // assumption (a CAST of a column of a source with no schema).
    if (c.nullable === false && provenNullable(col)) {
      out.push({ code: "E012", column: c.name, expected: "not null", actual: "nullable", message: `column '${c.name}' of '${model.name}' may be NULL, but its contract says nullable = false` });
    }
  }
  // E014 as the compile's (checks/rules/contract-new-nullable.ts), per column: a contract without
  // [[columns]] has no baseline, which the compile says (a problem of the contract file, not of a column).
  for (const col of undeclaredNullable(contract, model.columns)) {
    out.push({ code: "E014", column: col.name, expected: "declared (no_new_nullable)", actual: "nullable, not declared", message: `nullable column '${col.name}' of '${model.name}' is not declared in the contract, and [rules] no_new_nullable forbids adding one` });
  }
  return out;
}
