import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { escapeRegExp } from "../../../engine/src/util/escape-regexp.js";
import type { ColumnChange, ReviewDiagnostic } from "../report/types.js";

/** Where the PR removed a source table's column from its seed or schema file (SourceDeclarations.removedAt). */
export type RemovedSourceColumn = (table: string, column: string) => { readonly file: string; readonly line: number } | undefined;

/** The compile's R008 text: the column, the relation it was looked for in, and a did-you-mean by spelling. */
const R008 = /^column '([^']+)' not found in columns of (.+?)(?: \(did you mean `[^`]*`\?\))?$/;

/**
 * A model that still reads a column this PR renamed or dropped in a model it reads: the compile's
 * R008 guesses by spelling (`did you mean tax_price_usd?` for `total_price_usd`, renamed to
 * `order_total_usd`); the comparison knows what happened to the column. New R008s are said so,
 * with the new name as the help; so are reads of a source column the PR took out of its seed or
 * schema file; the rest are returned as they are.
 */
export function explainMissingColumns(diagnostics: readonly ReviewDiagnostic[], columnChanges: readonly ColumnChange[], head: CompiledProject, removedFromSource?: RemovedSourceColumn): ReviewDiagnostic[] {
  const gone = new Map<string, ColumnChange[]>();
  for (const c of columnChanges) {
    const old = c.change.kind === "renamed" ? c.change.from : c.change.kind === "removed" ? c.column : undefined;
    if (old === undefined) continue;
    const key = old.toLowerCase();
    gone.set(key, [...(gone.get(key) ?? []), c]);
  }
  if (gone.size === 0 && removedFromSource === undefined) return [...diagnostics];
  return diagnostics.map((d) => {
    if (d.code !== "R008" || !d.new || d.model === undefined) return d;
    const m = R008.exec(d.message);
    if (m === null) return d;
    const [, column, relation] = m;
    const model = head.models.get(d.model);
    const reads = new Set((model?.dependsOn ?? []).map((x) => x.toLowerCase()));
    const change = gone.get(column.toLowerCase())?.find((c) => reads.has(c.model.toLowerCase()));
    if (change === undefined) {
      // A source table's column the PR took out of its seed or schema file (the model itself untouched).
      const sources = model?.externalSources ?? [];
      const named = sources.includes(relation.toLowerCase()) ? [relation.toLowerCase()] : sources;
      for (const source of named) {
        const at = removedFromSource?.(source, column);
        if (at === undefined) continue;
        return {
          ...d,
          message: `column '${column}' not found in columns of ${relation}: this PR removes ${source}.${column} from ${at.file} (line ${at.line} on the base branch)`,
          suggestion: `keep ${column} in ${source} in ${at.file}, or stop reading it in ${d.model}`,
        };
      }
      return d;
    }
    if (change.change.kind === "renamed") {
      return {
        ...d,
        message: `column '${column}' not found in columns of ${relation}: this PR renamed ${change.model}.${column} to ${change.column}`,
        suggestion: `read \`${change.column}\`, the column's new name in ${change.model}`,
      };
    }
    return {
      ...d,
      message: `column '${column}' not found in columns of ${relation}: this PR drops it from ${change.model}`,
      suggestion: `keep ${change.model}.${column}, or stop reading it in ${d.model}`,
    };
  });
}

/**
 * A model the PR left alone that now applies a function or operator to a type DuckDB has no
 * overload for (R011): when the argument names a column whose type this PR changed in a model it
 * reads, the R011 says so (`; this PR makes stg_orders.ordered_at Int64 (it was Date)`), as a read
 * of a dropped column does. Only when the argument names exactly one such column.
 */
export function explainTypeBreaks(diagnostics: readonly ReviewDiagnostic[], columnChanges: readonly ColumnChange[], head: CompiledProject): ReviewDiagnostic[] {
  const retyped = columnChanges.filter((c) => c.change.kind === "type_changed");
  if (retyped.length === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    if (d.code !== "R011" || !d.new || d.model === undefined) return d;
    const reads = new Set((head.models.get(d.model)?.dependsOn ?? []).map((x) => x.toLowerCase()));
    // The arguments the message quotes ('o.ordered_at'): a column name in them, as a whole word.
    const quoted = [...d.message.matchAll(/'([^']*)'/g)].map((m) => m[1].toLowerCase());
    const named = (column: string) => quoted.some((q) => new RegExp(`(^|[^a-z0-9_])${escapeRegExp(column.toLowerCase())}($|[^a-z0-9_])`).test(q));
    const hits = retyped.filter((c) => reads.has(c.model.toLowerCase()) && named(c.column));
    if (hits.length !== 1) return d;
    const [c] = hits;
    if (c.change.kind !== "type_changed") return d;
    return {
      ...d,
      message: `${d.message}; this PR makes ${c.model}.${c.column} ${c.change.new} (it was ${c.change.old})`,
      ...(d.suggestion === undefined ? { suggestion: `keep ${c.model}.${c.column} a ${c.change.old}, or change how ${d.model} uses it` } : {}),
    };
  });
}
