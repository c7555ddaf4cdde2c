import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { ComplianceReport as ReportCompliance } from "../report/types.js";
import type { ComplianceReport } from "./compliance-report.js";

/** `--fail-on` values `rocky compliance` accepts: `exception` (exit 1 on any exception) or `never`. */
export type ComplianceFailOn = "exception" | "never";

/**
 * Rocky's `--fail-on exception`: 1 when any exception exists, else 0; without it, always 0. Ours:
 * also 1 when the verdict cannot be trusted, that is when a configuration diagnostic bears on
 * compliance (compliance-config.ts: rocky.toml's masking tables, a sidecar's [classification], an
 * unreadable model file, R012) or anything is unchecked. A required check never passes on config it
 * could not load.
 */
export function failOnException(report: ComplianceReport, failOn: ComplianceFailOn | undefined): 0 | 1 {
  if (failOn !== "exception") return 0;
  if (report.exceptions.length > 0 || report.unchecked.length > 0) return 1;
  return configDiagnostics(report).length > 0 ? 1 : 0;
}

/** The report's configuration diagnostics (its `diagnostics` besides the W004 of its exceptions). */
export function configDiagnostics(report: Pick<ReportCompliance, "diagnostics">): readonly Diagnostic[] {
  return report.diagnostics.filter((d) => d.code !== "W004");
}

/** The configuration diagnostics no unchecked model or column stands for (rocky.toml's masking tables, a misplaced key). */
export function configProblemsBeyondUnchecked(report: Pick<ReportCompliance, "diagnostics" | "unchecked">): readonly Diagnostic[] {
  const told = new Set((report.unchecked ?? []).map((u) => `${u.code}\u0000${u.file}\u0000${u.line}`));
  return configDiagnostics(report).filter((d) => !told.has(`${d.code}\u0000${d.span?.file}\u0000${d.span?.line}`));
}
