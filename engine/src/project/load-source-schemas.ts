import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { SourceColumn } from "./types.js";

function lineColAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

/** Where a JSON key `"name"` first appears (good enough to point a reader at the right line). */
function lineOfKey(text: string, key: string): { line: number; col: number } {
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? { line: 1, col: 1 } : lineColAt(text, at);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A committed source-schema file: `{"tables": {"raw.orders": [{"name", "type", "nullable"}]}}`.
 * Table keys are lower-cased; `nullable` defaults to true. Malformed JSON or a malformed entry is
 * R002 with the file and line; the rest of the file still loads.
 */
export function loadSourceSchemas(file: string, text: string, into: Map<string, SourceColumn[]>, diagnostics: Diagnostic[]): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const at = lc ? { line: Number(lc[1]), col: Number(lc[2]) } : pos ? lineColAt(text, Number(pos[1])) : { line: 1, col: 1 };
    diagnostics.push(createDiagnostic("R002", `invalid JSON in ${file}: ${msg}`, { span: { file, ...at } }));
    return;
  }
  const tables = isRecord(data) ? data.tables : undefined;
  if (!isRecord(tables)) {
    diagnostics.push(createDiagnostic("R002", `${file}: expected {"tables": {"schema.table": [columns...]}}`, { span: { file, line: 1, col: 1 }, key: "tables" }));
    return;
  }
  for (const [table, columns] of Object.entries(tables)) {
    const at = lineOfKey(text, table);
    if (!Array.isArray(columns)) {
      diagnostics.push(createDiagnostic("R002", `${file}: \`${table}\` must be an array of {name, type, nullable}`, { span: { file, ...at }, key: `tables.${table}` }));
      continue;
    }
    const out: SourceColumn[] = [];
    columns.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== "string" || typeof c.type !== "string" || (c.nullable !== undefined && typeof c.nullable !== "boolean")) {
        diagnostics.push(
          createDiagnostic("R002", `${file}: column ${i} of \`${table}\` must be {"name": string, "type": string, "nullable"?: boolean}`, {
            span: { file, ...at },
            key: `tables.${table}[${i}]`,
          }),
        );
        return;
      }
      out.push({ name: c.name, type: c.type, nullable: c.nullable !== false });
    });
    into.set(table.toLowerCase(), out);
  }
}
