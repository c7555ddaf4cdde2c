import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { Span } from "../../syntax/ast.js";
import { spanWithEnd } from "../source-locator.js";

export interface StarConsumersInput {
  readonly model: string;
  readonly file: string;
  /** The model selects `*` in its output projection. */
  readonly hasStar: boolean;
  /** The `*` select item of the output projection. */
  readonly starSpan?: Span;
  /** The model's output column names. */
  readonly columns: readonly string[];
  /** Each downstream model and the columns of this model it names. */
  readonly consumers: readonly { readonly name: string; readonly columns: Iterable<string> }[];
  readonly sql?: string;
}

const MAX_LISTED = 3;

/**
 * P002: a `SELECT *` model whose output columns are named by at least one downstream model.
 * A leaf (no consumer naming a column) is never flagged.
 */
export function checkSelectStarConsumers(input: StarConsumersInput): Diagnostic[] {
  if (!input.hasStar) return [];
  const outputByLower = new Map(input.columns.map((c, i) => [c.toLowerCase(), { name: c, i }]));
  const named = input.consumers
    .map((c) => {
      const cols = [...new Set([...c.columns].map((n) => outputByLower.get(n.toLowerCase())).filter((x) => x !== undefined))];
      return { name: c.name, cols: cols.sort((a, b) => a.i - b.i).map((x) => x.name) };
    })
    .filter((c) => c.cols.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (named.length === 0) return [];
  const parts = named.map((c) => {
    const shown = c.cols.slice(0, MAX_LISTED).join(", ");
    const more = c.cols.length > MAX_LISTED ? `, +${c.cols.length - MAX_LISTED} more` : "";
    return `\`${c.name}\` (${shown}${more})`;
  });
  const span = input.starSpan !== undefined ? spanWithEnd(input.file, input.starSpan, input.sql) : { file: input.file, line: 1, col: 1 };
  return [
    createDiagnostic("P002", `SELECT * silently propagates upstream schema changes to ${named.length} downstream ${named.length === 1 ? "consumer" : "consumers"}: ${parts.join(", ")}`, {
      model: input.model,
      span,
    }),
  ];
}
