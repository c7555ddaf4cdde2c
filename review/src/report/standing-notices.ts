import type { ReviewDiagnostic, ReviewReport } from "./types.js";

const REASON =
  "pre-existing warnings and notices are the base branch's, not this PR's: counted here and in summary.diagnostics.preExisting; `rocky compile --output json` lists them all";

/**
 * The report without the project's standing warnings and notices: every new diagnostic and every
 * pre-existing error stay (a broken base is worth seeing), the rest is counted in
 * `omittedDiagnostics`. On the 10,000-model benchmark the standing W005 of every model were 3.8 of
 * the report's 3.8 MB, printed on every review; the rendered comment and checks are made from the
 * full report before it is cut, so nothing the bot posts changes.
 */
export function withoutStandingNotices(report: ReviewReport): ReviewReport {
  let warning = 0;
  let info = 0;
  const kept: ReviewDiagnostic[] = [];
  for (const d of report.diagnostics) {
    if (d.new || d.severity === "Error") kept.push(d);
    else if (d.severity === "Warning") warning++;
    else info++;
  }
  if (warning + info === 0) return report;
  const { changedFiles, timings, ...head } = report;
  return { ...head, diagnostics: kept, omittedDiagnostics: { preExisting: { warning, info }, reason: REASON }, changedFiles, timings };
}
