/**
 * Render timings (not a test): node --import tsx test/review/render/measure-render.ts
 * Prints mean milliseconds per renderReview call and the output sizes, per scenario.
 */
import { renderReview } from "../../../review/src/render/index.js";
import { contractBreak, hugeBlastRadius, manyFindings } from "./support/scenarios.js";

const scenarios = [
  ["contract break (typical PR)", contractBreak()],
  ["blast radius 200 changes", hugeBlastRadius(200)],
  ["blast radius 5,000 models", hugeBlastRadius(5000)],
  ["5,000 P001 + 5,000 contract findings", manyFindings(5000)],
] as const;

for (const [name, report] of scenarios) {
  renderReview(report);
  const runs = 3;
  const t = performance.now();
  let r = renderReview(report);
  for (let i = 1; i < runs; i++) r = renderReview(report);
  const ms = (performance.now() - t) / runs;
  const maxCheckBytes = Math.max(...r.checks.flatMap((c) => [Buffer.byteLength(c.summary), Buffer.byteLength(c.text)]));
  console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms   comment ${r.comment.length} chars   max check part ${maxCheckBytes} bytes   annotations ${r.checks.reduce((n, c) => n + c.annotations.length, 0)}`);
}
