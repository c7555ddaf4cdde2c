import type { DiagnosticSpan } from "../diagnostics/diagnostic.js";
import type { Contract, ContractColumn, TomlLocation } from "../project/types.js";
import type { Span } from "../syntax/ast.js";
import type { SqlType } from "../types/sql-type.js";
import { spanWithEnd } from "./source-locator.js";

/** An output column as the contract checks need it (OutputColumn satisfies it). */
export interface CheckedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  /**
   * Nullable only by assumption (OutputColumn.nullableAssumed): it reads a column of no known type,
   * which may well be NOT NULL. A finding that says "is nullable" (E012, E022) does not rest on it.
   */
  readonly nullableAssumed?: true;
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

/** Up to this many columns a lookup scans them; past it, one index per column list is built and kept. */
const INDEX_FROM = 16;

interface ColumnIndex {
  /** The list's length when indexed (a list that grew is indexed again). */
  readonly length: number;
  /** First column of each exact name, and of each lower-cased name. */
  readonly exact: Map<string, { readonly name: string }>;
  readonly lower: Map<string, { readonly name: string }>;
}

const columnIndexes = new WeakMap<readonly { readonly name: string }[], ColumnIndex>();

function columnIndex(columns: readonly { readonly name: string }[]): ColumnIndex {
  const known = columnIndexes.get(columns);
  if (known !== undefined && known.length === columns.length) return known;
  const exact = new Map<string, { readonly name: string }>();
  const lower = new Map<string, { readonly name: string }>();
  for (const c of columns) {
    if (!exact.has(c.name)) exact.set(c.name, c);
    const l = c.name.toLowerCase();
    if (!lower.has(l)) lower.set(l, c);
  }
  const index = { length: columns.length, exact, lower };
  columnIndexes.set(columns, index);
  return index;
}

/**
 * Output column by name: exact first, then case-insensitive (unquoted identifiers fold case); the
 * first such column in list order. Wide models with wide contracts ask this once per contract
 * column and rule: long lists are looked up through an index instead of a scan each time.
 */
export function findColumn<T extends { readonly name: string }>(columns: readonly T[], name: string): T | undefined {
  if (columns.length <= INDEX_FROM) return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const index = columnIndex(columns);
  return (index.exact.get(name) ?? index.lower.get(name.toLowerCase())) as T | undefined;
}

/**
 * Nullable, and knowably so: its type is known and it is not nullable only by assumption. What a
 * finding that says "is nullable" (E012, E014) rests on.
 */
export function provenNullable(column: CheckedColumn): boolean {
  return column.nullable && column.nullableAssumed !== true && column.type.kind !== "Unknown";
}

export function contractColumn(contract: Contract, name: string): ContractColumn | undefined {
  return findColumn(contract.columns, name);
}

/**
 * Where the contract states a rule about a column: its `[rules]` entry when `rule` names one (a
 * required or protected column), else its `[[columns]]` entry, else line 1 of the contract file.
 */
export function contractSpan(contract: Contract, name: string, rule?: "required" | "protected"): DiagnosticSpan {
  const loc = (rule === undefined ? undefined : ruleLocation(contract, name, rule)) ?? contractColumn(contract, name)?.location;
  return loc ? { file: loc.file, line: loc.line, col: loc.col } : { file: contract.file, line: 1, col: 1 };
}

/** The select item of the column in the model file when known, else the contract line. */
export function columnSpan(input: ContractCheckInput, column: CheckedColumn | undefined, name: string): DiagnosticSpan {
  if (column?.span !== undefined) return spanWithEnd(input.file, column.span, input.sql);
  return contractSpan(input.contract, name);
}

/** Where a `[rules] required` / `protected` entry names the column (the first such entry). */
export function ruleLocation(contract: Contract, name: string, rule: "required" | "protected"): TomlLocation | undefined {
  const names = rule === "required" ? contract.required : contract.protected;
  const locations = rule === "required" ? contract.requiredLocations : contract.protectedLocations;
  if (locations === undefined) return undefined;
  let i = names.indexOf(name);
  if (i < 0) i = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return i < 0 ? undefined : locations[i];
}
