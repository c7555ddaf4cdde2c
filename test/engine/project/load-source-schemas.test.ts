import assert from "node:assert/strict";
import { test } from "node:test";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { loadSourceSchemas } from "../../../engine/src/project/load-source-schemas.js";
import type { SourceColumn } from "../../../engine/src/project/types.js";

test("malformed schema entries are R002 at their own line: the entry, or the field that is wrong in it", () => {
  const text = '{\n  "tables": {\n    "raw.a": [{"name": "id", "type": "INT"}],\n    "raw.b": [\n      {"name": "x"},\n      {"name": 5, "type": "INT"},\n      "y"\n    ],\n    "raw.c": 5\n  }\n}\n';
  const into = new Map<string, SourceColumn[]>();
  const diagnostics: Diagnostic[] = [];
  loadSourceSchemas("schemas/raw.json", text, into, diagnostics);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.key, d.span]),
    [
      ["R002", "tables.raw.b[0]", { file: "schemas/raw.json", line: 5, col: 7 }],
      ["R002", "tables.raw.b[1]", { file: "schemas/raw.json", line: 6, col: 16 }],
      ["R002", "tables.raw.b[2]", { file: "schemas/raw.json", line: 7, col: 7 }],
      ["R002", "tables.raw.c", { file: "schemas/raw.json", line: 9, col: 14 }],
    ],
  );
  // Counted as a reader counts them, and saying what is wrong.
  assert.match(diagnostics[0].message, /^column 1 of `raw\.b` must be .*: its `type` is missing$/);
  assert.match(diagnostics[1].message, /^column 2 of `raw\.b` must be .*: its `name` is a number$/);
  assert.deepEqual(into.get("raw.a"), [{ name: "id", type: "INT", nullable: true }]);
  assert.deepEqual(into.get("raw.b"), []);
});

test("a type no dialect knows is a warning at its line with a did-you-mean (it would be Unknown in every reader); warehouse spellings pass", () => {
  const text = [
    "{",
    '  "tables": {',
    '    "raw.orders": [',
    '      {"name": "id", "type": "BIGNT", "nullable": false},',
    '      {"name": "tags", "type": "ARRAY<STRNG>"},',
    '      {"name": "amount", "type": "NUMBER(38,2)"},',
    '      {"name": "meta", "type": "struct<a:int,b:map<string,decimal(10,2)>>"},',
    '      {"name": "at", "type": "TIMESTAMP WITH TIME ZONE"},',
    '      {"name": "xs", "type": "INTEGER[]"}',
    "    ]",
    "  }",
    "}",
  ].join("\n");
  const into = new Map<string, SourceColumn[]>();
  const diagnostics: Diagnostic[] = [];
  loadSourceSchemas("schemas/raw.json", text, into, diagnostics);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.key, `${d.span?.line}:${d.span?.col}`, d.suggestion]),
    [
      ["R002", "Warning", "tables.raw.orders[0].type", "4:30", 'write "BIGINT"'],
      ["R002", "Warning", "tables.raw.orders[1].type", "5:32", 'write "ARRAY<STRING>"'],
    ],
  );
  assert.match(diagnostics[0].message, /^`BIGNT` \(column `id` of `raw\.orders`\) is not a SQL type rocky-review knows: the column is typed Unknown \(did you mean BIGINT\?\)$/);
  assert.equal(into.get("raw.orders")?.length, 6, "the columns still load");
});

test("a table listed twice under names that differ only in case is R002: the second list replaces the first", () => {
  const diagnostics: Diagnostic[] = [];
  loadSourceSchemas("schemas/raw.json", '{"tables": {\n"raw.orders": [{"name": "id", "type": "INT"}],\n"RAW.ORDERS": [{"name": "x", "type": "INT"}]\n}}', new Map(), diagnostics);
  assert.deepEqual(diagnostics.map((d) => [d.key, d.span?.line]), [["tables.RAW.ORDERS", 3]]);
});
