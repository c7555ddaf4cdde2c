import { uncheckedSubject, uncheckedWhere } from "./compliance-config.js";
import { configDiagnostics } from "./fail-on-exception.js";
import type { ComplianceReport } from "./compliance-report.js";

/**
 * The terminal rendering of `rocky compliance`, line for line as Rocky's `render_text`
 * (`commands/compliance.rs`): a title, one line per classified column with its strategy per
 * env (`!` = not enforced), the tally, then the exceptions. Lineage exceptions (ours) follow in
 * the same list; their reason carries the path. Ours after them: the configuration problems that
 * bear on masking (rustc-style, at file:line) and what they leave unchecked.
 */
export function renderComplianceText(report: ComplianceReport): string {
  const lines: string[] = ["", "Rocky Compliance", "----------------", ""];
  if (report.per_column.length === 0) {
    // `--exceptions-only` keeps only the rows with an exception: none is not "no classified columns".
    // The exceptions listed below are then all through lineage: unclassified columns copying classified values.
    const none = report.exceptions.length > 0 ? "  No classified column has an exception; those below are unclassified columns that copy classified values." : "  No classified column has an exception.";
    lines.push(report.summary.total_classified > 0 ? none : "  No classified columns found in the loaded models.", "");
  }
  for (const row of report.per_column) {
    const envs = row.envs.map((e) => `${e.env}=${e.masking_strategy}${e.enforced ? "" : "!"}`).join(", ");
    lines.push(`  ${row.model}.${row.column} (${row.classification}) -> ${envs}`);
  }
  lines.push("");
  const unchecked = report.unchecked.length > 0 ? `, unchecked=${report.unchecked.length}` : "";
  lines.push(
    `  classified=${report.summary.total_classified}, masked=${report.summary.total_masked}, exceptions=${report.summary.total_exceptions}${unchecked}`,
  );
  if (report.exceptions.length > 0) {
    lines.push("", "Exceptions:");
    for (const e of report.exceptions) lines.push(`  - ${e.model}.${e.column} [${e.env}]: ${e.reason}`);
  }
  if (report.unchecked.length > 0) {
    lines.push("", "Unchecked:");
    for (const u of report.unchecked) {
      lines.push(`  - ${uncheckedSubject(u)}: ${u.reason ?? `${u.file} did not load`} (${u.code ?? "R002"} at ${uncheckedWhere(u)})`);
    }
  }
  const config = configDiagnostics(report);
  if (config.length > 0) {
    lines.push("", "Configuration problems that bear on masking (the verdict above cannot be trusted until they are fixed):");
    for (const d of config) {
      lines.push(`  ${d.severity === "Error" ? "error" : "warning"}[${d.code}]: ${d.message}`);
      if (d.span) lines.push(`    --> ${d.span.file}:${d.span.line}:${d.span.col}`);
      if (d.suggestion) lines.push(`    = help: ${d.suggestion}`);
    }
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}
