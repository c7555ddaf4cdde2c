import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { DEFAULT_FAIL_ON } from "../../../review/src/report/rendered.js";
import type { ReviewDiagnostic } from "../../../review/src/report/types.js";
import { buildChecks, collectFindings, DEFAULT_TEMPLATES, renderReview } from "../../../review/src/render/index.js";
import { seededRandom } from "../../support/seeded-random.js";
import { contractBreak } from "./support/scenarios.js";

/**
 * renderReview keeps pre-existing compile diagnostics as diagnostics (collectFindingsForRender)
 * and makes findings of them only for the rows the compile check shows. Its checks must be exactly
 * what the plain path gives: every diagnostic a finding, all sorted together (collectFindings).
 */
describe("pre-existing compile diagnostics set apart", () => {
  it("give the same checks as making a finding of every diagnostic (random mixes of codes, severities, files, lines, models)", () => {
    const random = seededRandom(1414);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    for (let trial = 0; trial < 60; trial++) {
      const n = Math.floor(random() * (trial % 10 === 0 ? 3000 : 200));
      const diagnostics: ReviewDiagnostic[] = Array.from({ length: n }, () => {
        const model = pick(["a", "b", "Zed", "_x", "m10", "m9", ""]);
        const d = createDiagnostic(pick(["W005", "W006", "I002", "R004", "D011", "P001", "W004", "E027"]), pick(["model 'a' lacks freshness", "Unknown type", "column 'v' is classified", "b"]), {
          ...(model ? { model } : {}),
          ...(random() < 0.9 ? { span: { file: pick(["models/a.sql", "models/B.sql", "models/_c.sql", "rocky.toml", ""]), line: Math.floor(random() * 5), col: 1 } } : {}),
          severity: pick(["Error", "Warning", "Info"] as const),
        });
        return { ...d, new: random() < 0.2, inDiff: false };
      });
      const report = { ...contractBreak(), diagnostics };
      const rendered = renderReview(report);
      const plain = buildChecks({ report, findings: collectFindings(report), failOn: DEFAULT_FAIL_ON, templates: DEFAULT_TEMPLATES });
      assert.deepEqual(rendered.checks, plain, `trial ${trial} (${n} diagnostics)`);
      const preExisting = collectFindings(report).filter((f) => f.check === "rocky/compile" && !f.isNew).length;
      if (preExisting > 0) assert.ok(rendered.comment.includes(`${preExisting.toLocaleString("en-US")} pre-existing diagnostic`), `trial ${trial}: the comment counts them`);
    }
  });
});
