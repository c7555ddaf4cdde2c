import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { knownTypeNames, unknownTypeWord } from "../types/type-from-name.js";
import { didYouMean } from "../util/did-you-mean.js";
import { escapeRegExp } from "../util/escape-regexp.js";
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
 * Where the values of a JSON document sit, by path (`tables`, `raw.orders`, `0`, `type`), to the
 * depth of a schema file's column fields: one scan of the text, made only when a finding needs a
 * place (a file of thousands of malformed entries is not rescanned per finding). Called on text
 * JSON.parse accepted; a path it did not see is undefined.
 */
function jsonLocator(text: string): (path: readonly (string | number)[]) => { line: number; col: number } | undefined {
  let offsets: Map<string, number> | undefined;
  let starts: number[] | undefined;
  const scan = (): Map<string, number> => {
    const out = new Map<string, number>();
    let i = 0;
    const ws = () => {
      while (i < text.length && " \t\r\n\ufeff".includes(text[i])) i++;
    };
    const string = (): string => {
      const from = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      try {
        return JSON.parse(text.slice(from, i)) as string;
      } catch {
        return "";
      }
    };
    const value = (path: string, depth: number): void => {
      ws();
      if (depth <= 4 && !out.has(path)) out.set(path, i);
      const c = text[i];
      if (c === "{") {
        i++;
        ws();
        while (i < text.length && text[i] !== "}") {
          const key = string();
          ws();
          i++; // :
          value(depth === 0 ? key : `${path}\u0000${key}`, depth + 1);
          ws();
          if (text[i] === ",") i++;
          ws();
        }
        i++;
        return;
      }
      if (c === "[") {
        i++;
        ws();
        for (let n = 0; i < text.length && text[i] !== "]"; n++) {
          value(`${path}\u0000${n}`, depth + 1);
          ws();
          if (text[i] === ",") i++;
          ws();
        }
        i++;
        return;
      }
      if (c === '"') {
        string();
        return;
      }
      while (i < text.length && !",]} \t\r\n".includes(text[i])) i++;
    };
    value("", 0);
    return out;
  };
  return (path) => {
    offsets ??= scan();
    const at = offsets.get(path.map(String).join("\u0000"));
    if (at === undefined) return undefined;
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
    return { line: lo + 1, col: at - starts[lo] + 1 };
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
  const locate = jsonLocator(text);
  /** The value at `path` under "tables", else the nearest enclosing one that was seen. */
  const at = (...path: (string | number)[]) => {
    for (let n = path.length; n > 0; n--) {
      const found = locate(["tables", ...path.slice(0, n)]);
      if (found !== undefined) return found;
    }
    return { line: 1, col: 1 };
  };
  const seen = new Map<string, string>();
  for (const [table, columns] of Object.entries(tables)) {
    if (!Array.isArray(columns)) {
      diagnostics.push(createDiagnostic("R002", `\`${table}\` must be an array of {name, type, nullable}`, { span: { file, ...at(table) }, key: `tables.${table}` }));
      continue;
    }
    const twice = seen.get(table.toLowerCase());
    if (twice !== undefined) {
      diagnostics.push(
        createDiagnostic("R002", `\`${table}\` is listed twice in ${file} (also as \`${twice}\`): the second list replaces the first`, {
          span: { file, ...at(table) },
          key: `tables.${table}`,
          suggestion: "merge the two lists into one",
        }),
      );
    }
    seen.set(table.toLowerCase(), table);
    const out: SourceColumn[] = [];
    columns.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== "string" || typeof c.type !== "string" || (c.nullable !== undefined && typeof c.nullable !== "boolean")) {
        const bad = !isRecord(c) ? undefined : typeof c.name !== "string" ? "name" : typeof c.type !== "string" ? "type" : "nullable";
        diagnostics.push(
          createDiagnostic("R002", `column ${i + 1} of \`${table}\` must be {"name": string, "type": string, "nullable"?: boolean}${bad === undefined ? "" : `: its \`${bad}\` is ${bad in c ? `a ${jsonKind(c[bad])}` : "missing"}`}`, {
            span: { file, ...(bad !== undefined && bad in c ? at(table, i, bad) : at(table, i)) },
            key: `tables.${table}[${i}]`,
          }),
        );
        return;
      }
      // A type no dialect's table knows would be Unknown in every model that reads the column, with nothing saying why.
      const word = unknownTypeWord(c.type);
      if (word !== undefined) {
        const near = word === "" ? undefined : didYouMean(word, knownTypeNames());
        const fixed = near === undefined ? undefined : c.type.replace(new RegExp(`\\b${escapeRegExp(word)}\\b`, "i"), near);
        diagnostics.push(
          createDiagnostic("R002", `\`${c.type}\` (column \`${c.name}\` of \`${table}\`) is not a SQL type rocky-review knows: the column is typed Unknown${near ? ` (did you mean ${near}?)` : ""}`, {
            span: { file, ...at(table, i, "type") },
            key: `tables.${table}[${i}].type`,
            severity: "Warning",
            suggestion: fixed ? `write "${fixed}"` : "write the type as the warehouse prints it (BIGINT, DECIMAL(10,2), VARCHAR, TIMESTAMP, ...)",
          }),
        );
      }
      out.push({ name: c.name, type: c.type, nullable: c.nullable !== false });
    });
    into.set(table.toLowerCase(), out);
  }
}

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
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
