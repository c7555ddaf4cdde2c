import assert from "node:assert/strict";
import { test } from "node:test";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { loadSourceSchemas } from "../../../engine/src/project/load-source-schemas.js";
import type { SourceColumn } from "../../../engine/src/project/types.js";

test("malformed schema entries are R002 at their table key's line and column, every finding of a table at the same place", () => {
  const text = '{\n  "tables": {\n    "raw.a": [{"name": "id", "type": "INT"}],\n    "raw.b": [\n      {"name": "x"},\n      {"name": "y"}\n    ],\n    "raw.c": 5\n  }\n}\n';
  const into = new Map<string, SourceColumn[]>();
  const diagnostics: Diagnostic[] = [];
  loadSourceSchemas("schemas/raw.json", text, into, diagnostics);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.key, d.span]),
    [
      ["R002", "tables.raw.b[0]", { file: "schemas/raw.json", line: 4, col: 5 }],
      ["R002", "tables.raw.b[1]", { file: "schemas/raw.json", line: 4, col: 5 }],
      ["R002", "tables.raw.c", { file: "schemas/raw.json", line: 8, col: 5 }],
    ],
  );
  assert.deepEqual(into.get("raw.a"), [{ name: "id", type: "INT", nullable: true }]);
  assert.deepEqual(into.get("raw.b"), []);
});
