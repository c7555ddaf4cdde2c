import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMENT_MAX_CHARS, cutToLimit, fitToBudget, measureBytes, renderReview } from "../../../review/src/render/index.js";
import { changedFile, emptyReport, p001 } from "./support/report-fixtures.js";
import { hugeBlastRadius, manyFindings } from "./support/scenarios.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function assertWithinLimits(r: ReturnType<typeof renderReview>): void {
  assert.ok(r.comment.length <= COMMENT_MAX_CHARS, `comment has ${r.comment.length} characters`);
  for (const c of r.checks) {
    assert.ok(bytes(c.summary) <= 65_535, `${c.name} summary has ${bytes(c.summary)} bytes`);
    assert.ok(bytes(c.text) <= 65_535, `${c.name} text has ${bytes(c.text)} bytes`);
    assert.ok(c.title.length <= 255, `${c.name} title has ${c.title.length} characters`);
    for (const a of c.annotations) {
      assert.ok(a.title.length <= 255);
      assert.ok(bytes(a.message) < 64 * 1024);
    }
  }
  for (const i of r.inlineComments) assert.ok(i.body.length <= 65_536);
}

describe("GitHub's limits at any project size", () => {
  it("a 5,000-model blast radius with multibyte names fits and says what was dropped", () => {
    const r = renderReview(hugeBlastRadius(5000));

    assertWithinLimits(r);
    assert.match(r.comment, /Trimmed to fit GitHub's comment limit: left out /);
    assert.match(r.comment, /the check runs' details and `rocky review --output json`/);
    const contracts = r.checks.find((c) => c.name === "rocky/contracts");
    assert.ok(contracts);
    assert.ok(bytes(contracts.text) > 30_000, "the check text carries the detail the comment dropped");
    assert.match(contracts.text, /Trimmed to fit 65,535 bytes: left out rows beyond/);
    assert.equal(r.outputs.blastRadius, 5000);
    assert.equal(r.outputs.changedColumns, 5000);
  });

  it("5,000 P001 and 5,000 contract findings: every finding annotated, everything within limits", () => {
    const r = renderReview(manyFindings(5000));

    assertWithinLimits(r);
    assert.equal(r.counts.error, 10_000);
    const portability = r.checks.find((c) => c.name === "rocky/portability");
    assert.equal(portability?.annotations.length, 5000);
    assert.equal(portability?.conclusion, "failure");
    assert.equal(r.checks.find((c) => c.name === "rocky/contracts")?.annotations.length, 5000);
    assert.match(r.comment, /…and [\d,]+ more findings below and in the check runs\./);
    assert.equal(r.inlineComments.length, 50, "inline comments are capped, worst first");
    assert.ok(r.inlineComments.every((c) => /^\*\*(E011|P001)\*\*/.test(c.body)));
  });

  it("an annotation message over 64 KB (a model with a 70,000-character name, from the fuzz campaign) is cut at a whole character and marked", () => {
    const long = `${"a".repeat(40_000)}${"😀".repeat(15_000)}`;
    const report = emptyReport({ portability: [p001(1, { message: `NVL is not portable to Snowflake: ${long}` })], changedFiles: [changedFile("models/stg_orders.sql", [{ start: 1, end: 1 }])] });

    const r = renderReview(report);

    assertWithinLimits(r);
    const message = r.checks.find((c) => c.name === "rocky/portability")?.annotations[0]?.message ?? "";
    assert.ok(bytes(message) > 64 * 1024 - 8, `the cut keeps all but the last few bytes (${bytes(message)})`);
    assert.ok(message.startsWith(`NVL is not portable to Snowflake: ${"a".repeat(40_000)}😀`));
    assert.ok(message.endsWith("😀…"), "cut between two whole emoji, never inside a surrogate pair");
  });

  it("a tighter comment limit is honoured too", () => {
    const r = renderReview(hugeBlastRadius(2000), { maxCommentChars: 3000 });

    assert.ok(r.comment.length <= 3000);
    assert.match(r.comment, /Trimmed|Cut to fit/);
  });
});

describe("fitToBudget", () => {
  const steps = [
    { level: 1000 },
    { level: 100, drops: { key: "rows", label: "rows beyond 100" } },
    { level: 100, drops: { key: "graph", label: "the graph" } },
    { level: 10, drops: { key: "rows", label: "rows beyond 10" } },
  ];
  const render = (n: number, dropped: readonly string[]) => `${"x\n".repeat(n)}${dropped.length ? `dropped: ${dropped.join("; ")}\n` : ""}`;

  it("returns the richest step that fits and lists only the drops that changed something", () => {
    const r = fitToBudget(steps, render, 150);

    assert.equal(r.step, 3);
    assert.deepEqual(r.dropped, ["rows beyond 10"]);
    assert.equal(r.cut, false);
    assert.ok(r.text.endsWith("dropped: rows beyond 10\n"));
  });

  it("returns the full rendering untouched when it fits", () => {
    const r = fitToBudget(steps, render, 10_000);

    assert.equal(r.step, 0);
    assert.deepEqual(r.dropped, []);
    assert.equal(r.text, "x\n".repeat(1000));
  });

  it("cuts at a line, closes an open fence and details, and never exceeds the limit in bytes", () => {
    const text = `<details>\n\n\`\`\`mermaid\n${"ü → ü\n".repeat(5000)}\`\`\`\n</details>\n`;

    const r = fitToBudget([{ level: 0 }], () => text, 2000, measureBytes);

    assert.equal(r.cut, true);
    assert.ok(bytes(r.text) <= 2000);
    assert.match(r.text, /```\n<\/details>\n\n> ⚠️ Cut to fit/);
  });

  it("cutToLimit handles a single enormous line by code points", () => {
    const out = cutToLimit("😀".repeat(10_000), 101, measureBytes, "!");

    assert.ok(bytes(out) <= 101);
    assert.ok(out.endsWith("!"));
    assert.doesNotMatch(out, /\uFFFD/);
  });
});
