import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { ColumnChange, ReviewDiagnostic } from "../report/types.js";

/** The compile's R008 text: the column, the relation it was looked for in, and a did-you-mean by spelling. */
const R008 = /^column '([^']+)' not found in columns of (.+?)(?: \(did you mean `[^`]*`\?\))?$/;

/**
 * A model that still reads a column this PR renamed or dropped in a model it reads: the compile's
 * R008 guesses by spelling (`did you mean tax_price_usd?` for `total_price_usd`, renamed to
 * `order_total_usd`); the comparison knows what happened to the column. New R008s are said so,
 * with the new name as the help; the rest are returned as they are.
 */
export function explainMissingColumns(diagnostics: readonly ReviewDiagnostic[], columnChanges: readonly ColumnChange[], head: CompiledProject): ReviewDiagnostic[] {
  const gone = new Map<string, ColumnChange[]>();
  for (const c of columnChanges) {
    const old = c.change.kind === "renamed" ? c.change.from : c.change.kind === "removed" ? c.column : undefined;
    if (old === undefined) continue;
    const key = old.toLowerCase();
    gone.set(key, [...(gone.get(key) ?? []), c]);
  }
  if (gone.size === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    if (d.code !== "R008" || !d.new || d.model === undefined) return d;
    const m = R008.exec(d.message);
    if (m === null) return d;
    const [, column, relation] = m;
    const reads = new Set((head.models.get(d.model)?.dependsOn ?? []).map((x) => x.toLowerCase()));
    const change = gone.get(column.toLowerCase())?.find((c) => reads.has(c.model.toLowerCase()));
    if (change === undefined) return d;
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
