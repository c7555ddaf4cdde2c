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
