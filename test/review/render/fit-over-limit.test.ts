import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type BudgetStep, fitToBudget, measureBytes, renderReview } from "../../../review/src/render/index.js";
import type { ReviewDiagnostic } from "../../../review/src/report/types.js";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { seededRandom } from "../../support/seeded-random.js";
import { contractBreak } from "./support/scenarios.js";

/**
 * fitToBudget's overLimit shortcut (a step whose table rows alone are over the limit is not
 * rendered) must give exactly what rendering every step gives: the same text, the same labels.
 */
interface Level {
  readonly rows: number;
  readonly extra: number;
}

function table(rows: readonly string[], level: Level, dropped: readonly string[]): string {
  const shown = rows.slice(0, level.rows);
  const more = rows.length > shown.length ? `\n…and ${rows.length - shown.length} more` : "";
  return `intro\n${shown.map((r) => `| ${r} |`).join("\n")}${more}\n${"x".repeat(level.extra)}${dropped.length > 0 ? `\nleft out ${dropped.join("; ")}` : ""}`;
}

describe("fitToBudget with an overLimit shortcut", () => {
  it("gives the same text, labels and step as rendering every step (random tables, limits and steps)", () => {
    const random = seededRandom(1414);
    let shortcuts = 0;
    for (let trial = 0; trial < 400; trial++) {
      const rows = Array.from({ length: Math.floor(random() * 300) }, (_, i) => `row ${i} ${"é".repeat(Math.floor(random() * 40))}`);
      const counts = [2000, 500, 200, 100, 50, 10].map((n) => Math.max(1, Math.floor(n * random() * 0.5)) || n).sort((a, b) => b - a);
      const steps: BudgetStep<Level>[] = counts.map((n, i) => ({
        level: { rows: n, extra: random() < 0.7 ? 0 : Math.floor(random() * 50) },
        ...(i > 0 ? { drops: { key: i % 2 === 0 ? "rows" : "other", label: `rows beyond ${n}` } } : {}),
      }));
      const limit = 50 + Math.floor(random() * 6000);
      const render = (level: Level, dropped: readonly string[]) => table(rows, level, dropped);
      // It may decline to answer, but answers alike for steps that would render alike (its contract).
      const declines = new Map<string, boolean>();
      const overLimit = (level: Level) => {
        const shown = rows.slice(0, level.rows);
        const key = `${shown.length}\u0000${level.extra}`;
        if (!declines.has(key)) declines.set(key, random() < 0.3);
        if (declines.get(key)) return undefined;
        const cells = shown.reduce((n, r) => n + r.length, 0);
        if (cells <= limit) return undefined;
        shortcuts++;
        return key;
      };
      const plain = fitToBudget(steps, render, limit, measureBytes);
      const fast = fitToBudget(steps, render, limit, measureBytes, overLimit);
      assert.deepEqual(fast, plain, `trial ${trial}`);
    }
    assert.ok(shortcuts > 50, `the shortcut was taken (${shortcuts} times)`);
  });

  it("never asks about the leanest step: it is rendered and cut", () => {
    const steps: BudgetStep<Level>[] = [{ level: { rows: 10, extra: 0 } }, { level: { rows: 5, extra: 0 }, drops: { key: "rows", label: "rows beyond 5" } }];
    const asked: number[] = [];
    const rows = Array.from({ length: 10 }, (_, i) => `row ${i} ${"y".repeat(100)}`);
    const r = fitToBudget(steps, (level, dropped) => table(rows, level, dropped), 200, measureBytes, (level) => {
      asked.push(level.rows);
      return String(level.rows);
    });
    assert.deepEqual(asked, [10]);
    assert.equal(r.cut, true);
    assert.ok(measureBytes(r.text) <= 200);
  });
});

describe("check runs of a project with 10,000 pre-existing warnings", () => {
  it("the compile check's text lists a prefix that fits, counts the rest, and says what was trimmed", () => {
    const base = contractBreak();
    const diagnostics: ReviewDiagnostic[] = Array.from({ length: 10_000 }, (_, i) => ({
      ...createDiagnostic("W005", `model 'src_${i}' has temporal column(s) (created_at) but no freshness block`, {
        model: `src_${i}`,
        span: { file: `models/src_${String(i).padStart(5, "0")}.sql`, line: 8, col: 5 },
        suggestion: "add [freshness] expected_lag_seconds = 3600",
      }),
      new: false,
      inDiff: false,
    }));
    const r = renderReview({ ...base, diagnostics: [...base.diagnostics, ...diagnostics] });
    const compile = r.checks.find((c) => c.name === "rocky/compile");
    assert.ok(compile);
    assert.equal(compile.conclusion, "success", "pre-existing warnings never fail or warn a check");
    assert.equal(compile.annotations.length, 0);
    const rows = compile.text.split("\n").filter((l) => l.startsWith("| ⚠️ (pre-existing)"));
    assert.ok(measureBytes(compile.text) <= 65_535);
    assert.ok([10, 50, 100, 200, 500].includes(rows.length), `${rows.length} rows: a step's row count`);
    assert.match(compile.text, new RegExp(`…and ${(10_000 - rows.length).toLocaleString("en-US")} more findings`));
    // rocky review's JSON counts the standing warnings; rocky compile's lists them: the text says so.
    assert.match(compile.text, /more findings \(in `rocky review --output json`; the base branch's standing warnings in `rocky compile --output json`\)\./);
    assert.match(compile.text, /Trimmed to fit 65,535 bytes: left out rows beyond/);
    assert.match(compile.summary, /10,000 pre-existing findings \(already on the base branch\) not counted\./);
  });
});
