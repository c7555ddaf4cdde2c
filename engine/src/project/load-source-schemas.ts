import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { SourceColumn } from "./types.js";

function lineColAt(text: string, offset: number): { line: number; col: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: end - lineStart + 1 };
}

/**
 * Where JSON keys `"name"` first appear in a text (good enough to point a reader at the right line):
 * each key searched once, lines found by bisecting the line starts (indexed on first use). A file of
 * thousands of malformed entries reports one finding per column: no rescan per finding.
 */
function keyLocator(text: string): (key: string) => { line: number; col: number } {
  let starts: number[] | undefined;
  const found = new Map<string, { line: number; col: number }>();
  return (key) => {
    const known = found.get(key);
    if (known !== undefined) return known;
    const at = text.indexOf(JSON.stringify(key));
    let loc = { line: 1, col: 1 };
    if (at >= 0) {
      if (starts === undefined) {
        starts = [0];
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      }
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      loc = { line: lo + 1, col: at - starts[lo] + 1 };
    }
    found.set(key, loc);
    return loc;
  };
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
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/, \.\.\.".*$/s, "");
    const at = lineColAt(text, jsonErrorOffset(text));
    diagnostics.push(createDiagnostic("R002", `invalid JSON: ${msg}`, { span: { file, ...at } }));
    return;
  }
  const tables = isRecord(data) ? data.tables : undefined;
  if (!isRecord(tables)) {
    diagnostics.push(createDiagnostic("R002", `expected {"tables": {"schema.table": [columns...]}}`, { span: { file, line: 1, col: 1 }, key: "tables" }));
    return;
  }
  // Locations are only computed for diagnostics: a 3,000-table schema file must not rescan itself per table.
  const lineOfKey = keyLocator(text);
  for (const [table, columns] of Object.entries(tables)) {
    const at = () => lineOfKey(table);
    if (!Array.isArray(columns)) {
      diagnostics.push(createDiagnostic("R002", `\`${table}\` must be an array of {name, type, nullable}`, { span: { file, ...at() }, key: `tables.${table}` }));
      continue;
    }
    const out: SourceColumn[] = [];
    columns.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== "string" || typeof c.type !== "string" || (c.nullable !== undefined && typeof c.nullable !== "boolean")) {
        diagnostics.push(
          createDiagnostic("R002", `column ${i} of \`${table}\` must be {"name": string, "type": string, "nullable"?: boolean}`, {
            span: { file, ...at() },
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

/**
 * Offset of the first JSON syntax error (Node's JSON.parse does not always say where). A small
 * recursive-descent scan; only called after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!lit) fail();
    i += (lit as RegExpExecArray)[0].length;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") i++;
      else if (c < " ") fail();
      i++;
    }
    fail();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : 0;
  } catch (at) {
    return typeof at === "number" ? at : 0;
  }
}
