import assert from "node:assert/strict";
import { test } from "node:test";
import type { Diagnostic } from "../../engine/src/diagnostics/diagnostic.js";
import { renderDiagnosticText, renderDiagnosticsText } from "../../engine/src/diagnostics/render-text.js";

test("several findings in one file each show their own line (the file is split once); one finding renders the same alone", () => {
  const sources = new Map<string, string | null>([
    ["models/a.sql", "SELECT\r\n  x,\r\n  y\r\nFROM t"],
    ["models/b.sql", null],
  ]);
  const ds: Diagnostic[] = [
    { severity: "Error", code: "R008", message: "unknown column x", span: { file: "models/a.sql", line: 2, col: 3, endLine: 2, endCol: 4 } },
    { severity: "Warning", code: "W005", message: "y", span: { file: "models/a.sql", line: 3, col: 3 }, suggestion: "add it" },
    { severity: "Error", code: "R007", message: "binary", span: { file: "models/b.sql", line: 1, col: 1 } },
  ];
  const all = renderDiagnosticsText(ds, { sources });
  assert.equal(all, ds.map((d) => renderDiagnosticText(d, { sources })).join("\n\n"));
  assert.match(all, /2 \|   x,\n  \|   \^/);
  assert.match(all, /3 \|   y\n  \|   \^\n  = help: add it/);
  assert.doesNotMatch(all.split("error[R007]")[1], /\|/);
});

test("a long source line is cut around the span (about 120 characters, `...` where cut), the caret under it", () => {
  const before = "a, ".repeat(2_000);
  const line = `SELECT ${before}missing_col, ${"b, ".repeat(2_000)}c FROM t`;
  const col = line.indexOf("missing_col") + 1;
  const d: Diagnostic = { severity: "Error", code: "R008", message: "unknown column missing_col", span: { file: "m.sql", line: 1, col, endLine: 1, endCol: col + "missing_col".length } };
  const out = renderDiagnosticText(d, { sources: new Map([["m.sql", line]]) });
  const [, source, caret] = out.split("\n").slice(1, 5).filter((l) => l.includes("|"));
  assert.ok(out.length < 400, `${out.length} characters`);
  const text = source.slice(source.indexOf("| ") + 2);
  assert.ok(text.startsWith("...") && text.endsWith("..."), text);
  assert.equal(text.length, 120 + 6);
  const marks = caret.slice(caret.indexOf("| ") + 2);
  assert.equal(text.slice(marks.indexOf("^"), marks.lastIndexOf("^") + 1), "missing_col", "the caret sits under the span");
  // The start and the end of a line are cut on one side only; a short line is whole.
  for (const [at, starts, ends] of [[1, false, true], [line.length - 3, true, false]] as const) {
    const edge = renderDiagnosticText({ ...d, span: { file: "m.sql", line: 1, col: at } }, { sources: new Map([["m.sql", line]]) }).split("\n")[3];
    assert.equal(edge.includes("| ..."), starts, edge.slice(0, 20));
    assert.equal(edge.endsWith("..."), ends);
  }
  assert.match(renderDiagnosticText({ ...d, span: { file: "m.sql", line: 1, col: 8 } }, { sources: new Map([["m.sql", "SELECT x FROM t"]]) }), /1 \| SELECT x FROM t\n {2}\| {8}\^/);
});
