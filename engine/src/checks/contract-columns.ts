import type { DiagnosticSpan } from "../diagnostics/diagnostic.js";
import type { Contract, ContractColumn } from "../project/types.js";
import type { Span } from "../syntax/ast.js";
import type { SqlType } from "../types/sql-type.js";
import { spanWithEnd } from "./source-locator.js";

/** An output column as the contract checks need it (OutputColumn satisfies it). */
export interface CheckedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  /** The select item that produces it, in the model file (AST span). */
  readonly span?: Span;
}

export interface ContractCheckInput {
  readonly model: string;
  /** The model file. */
  readonly file: string;
  readonly contract: Contract;
  readonly columns: readonly CheckedColumn[];
  /**
   * Whether the output column list is complete (the model parsed, and no `*` over an unknown
   * upstream). Presence checks (E010, E013, W010) only run on a complete list. Default true.
   */
  readonly schemaComplete?: boolean;
  /** The parsed SQL, for end positions of select-item spans. */
  readonly sql?: string;
}

/** Output column by name: exact first, then case-insensitive (unquoted identifiers fold case). */
export function findColumn<T extends { readonly name: string }>(columns: readonly T[], name: string): T | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export function contractColumn(contract: Contract, name: string): ContractColumn | undefined {
  return findColumn(contract.columns, name);
}

/** The contract file line of a column, else line 1 of the contract file. */
export function contractSpan(contract: Contract, name: string): DiagnosticSpan {
  const loc = contractColumn(contract, name)?.location;
  return loc ? { file: loc.file, line: loc.line, col: loc.col } : { file: contract.file, line: 1, col: 1 };
}

/** The select item of the column in the model file when known, else the contract line. */
export function columnSpan(input: ContractCheckInput, column: CheckedColumn | undefined, name: string): DiagnosticSpan {
  if (column?.span !== undefined) return spanWithEnd(input.file, column.span, input.sql);
  return contractSpan(input.contract, name);
}
