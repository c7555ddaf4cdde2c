import type { ComplianceReport } from "./compliance-report.js";

/**
 * The terminal rendering of `rocky compliance`, line for line as Rocky's `render_text`
 * (`commands/compliance.rs`): a title, one line per classified column with its strategy per
 * env (`!` = not enforced), the tally, then the exceptions. Lineage exceptions (ours) follow in
 * the same list; their reason carries the path.
 */
export function renderComplianceText(report: ComplianceReport): string {
  const lines: string[] = ["", "Rocky Compliance", "----------------", ""];
  if (report.per_column.length === 0) lines.push("  No classified columns found in the loaded models.", "");
  for (const row of report.per_column) {
    const envs = row.envs.map((e) => `${e.env}=${e.masking_strategy}${e.enforced ? "" : "!"}`).join(", ");
    lines.push(`  ${row.model}.${row.column} (${row.classification}) -> ${envs}`);
  }
  lines.push("");
  lines.push(
    `  classified=${report.summary.total_classified}, masked=${report.summary.total_masked}, exceptions=${report.summary.total_exceptions}`,
  );
  if (report.exceptions.length > 0) {
    lines.push("", "Exceptions:");
    for (const e of report.exceptions) lines.push(`  - ${e.model}.${e.column} [${e.env}]: ${e.reason}`);
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}
