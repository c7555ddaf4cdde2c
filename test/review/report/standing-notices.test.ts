import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withoutStandingNotices } from "../../../review/src/report/standing-notices.js";
import type { ReviewDiagnostic, ReviewReport } from "../../../review/src/report/types.js";

const diag = (code: string, severity: ReviewDiagnostic["severity"], isNew: boolean): ReviewDiagnostic => ({ code, severity, message: `${code} here`, model: "m", new: isNew, inDiff: false });

function report(diagnostics: ReviewDiagnostic[]): ReviewReport {
  // Only the fields the cut reads or moves matter here; the rest is carried through untouched.
  return { version: 1, kind: "rocky-review", summary: { diagnostics: { preExisting: 3 } }, diagnostics, changedFiles: [], timings: { total_ms: 1 } } as unknown as ReviewReport;
}

describe("withoutStandingNotices", () => {
  it("keeps new diagnostics and pre-existing errors, counts the pre-existing warnings and notices", () => {
    const all = [diag("W005", "Warning", false), diag("R001", "Error", false), diag("W005", "Warning", true), diag("I001", "Info", false), diag("W006", "Warning", false)];
    const cut = withoutStandingNotices(report(all));
    assert.deepEqual(
      cut.diagnostics.map((d) => `${d.code}:${d.new}`),
      ["R001:false", "W005:true"],
    );
    assert.deepEqual(cut.omittedDiagnostics?.preExisting, { warning: 2, info: 1 });
    assert.match(cut.omittedDiagnostics?.reason ?? "", /rocky compile --output json/);
    assert.deepEqual(Object.keys(cut), ["version", "kind", "summary", "diagnostics", "omittedDiagnostics", "changedFiles", "timings"], "the count sits next to the list it shortens");
    assert.deepEqual(cut.summary, report(all).summary, "the summary's counts are the full report's");
  });

  it("leaves a report with nothing to cut as it is", () => {
    const r = report([diag("R001", "Error", false), diag("W005", "Warning", true)]);
    assert.equal(withoutStandingNotices(r), r);
    assert.equal("omittedDiagnostics" in withoutStandingNotices(r), false);
  });
});
