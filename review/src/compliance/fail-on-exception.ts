import type { ComplianceReport } from "./compliance-report.js";

/** `--fail-on` values `rocky compliance` accepts: `exception` (exit 1 on any exception) or `never`. */
export type ComplianceFailOn = "exception" | "never";

/** Rocky's `--fail-on exception`: 1 when any exception exists, else 0. Without it, always 0. */
export function failOnException(report: ComplianceReport, failOn: ComplianceFailOn | undefined): 0 | 1 {
  if (failOn !== "exception") return 0;
  return report.exceptions.length > 0 ? 1 : 0;
}
