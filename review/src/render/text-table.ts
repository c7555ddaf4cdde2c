/**
 * Rows as aligned columns for a terminal (the text outputs' counterpart of markdown-table): each
 * cell padded to its column's widest, two spaces between columns, the first row a header underlined
 * with dashes. Trailing spaces are trimmed.
 */
export function textTable(rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell + " ".repeat(widths[i] - [...cell].length)).join("  ").trimEnd();
  return [line(rows[0]), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)];
}
