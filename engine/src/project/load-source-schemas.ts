import * as jsoncModule from "jsonc-parser";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { knownTypeNames, unknownTypeWord } from "../types/type-from-name.js";
import { didYouMean } from "../util/did-you-mean.js";
import { escapeRegExp } from "../util/escape-regexp.js";
import { lineStartsOf, positionIn } from "../util/line-index.js";
import type { SourceColumn } from "./types.js";

/**
 * jsonc-parser: unbundled, Node loads its UMD build (CommonJS, the functions on `default`); the
 * bundles take its ES build (scripts/bundle-alias.mjs), the functions on the namespace itself. (The
 * key is a variable so that esbuild does not warn, on every build, that the ES build has no default.)
 */
const cjsExports: keyof typeof jsoncModule | "default" = "default";
const jsonc: typeof jsoncModule = ((jsoncModule as unknown as Record<string, typeof jsoncModule | undefined>)[cjsExports] ?? jsoncModule) as typeof jsoncModule;

function lineColAt(text: string, offset: number): { line: number; col: number } {
  return positionIn(lineStartsOf(text), Math.max(0, Math.min(offset, text.length)));
}

/**
 * Where the values of a JSON document sit, by path (`tables`, `raw.orders`, `0`, `type`): the text
 * parsed into a tree (jsonc-parser) only when a finding needs a place, once (a file of thousands of
 * malformed entries is not rescanned per finding). Called on text JSON.parse accepted; a path not
 * in the document is undefined.
 */
function jsonLocator(text: string): (path: readonly (string | number)[]) => { line: number; col: number } | undefined {
  let root: jsoncModule.Node | undefined;
  let starts: number[] | undefined;
  return (path) => {
    if (starts === undefined) {
      try {
        root = jsonc.parseTree(text);
      } catch {
        // Nested too deep for jsonc-parser's recursion: no places, the findings go to the file's start.
        root = undefined;
      }
      starts = lineStartsOf(text);
    }
    const node = root === undefined ? undefined : jsonc.findNodeAtLocation(root, [...path]);
    return node === undefined ? undefined : positionIn(starts, node.offset);
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
    const full = e instanceof Error ? e.message : String(e);
    const msg = full.split("\n")[0].replace(/, \.\.\.".*$/s, "");
    const at = lineColAt(text, jsonErrorOffset(text, full));
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
  /** Type text → the word no dialect knows (undefined: a known type): a schema repeats a handful of type names over thousands of columns. */
  const unknownWords = new Map<string, string | undefined>();
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
      let word = unknownWords.get(c.type);
      if (word === undefined && !unknownWords.has(c.type)) unknownWords.set(c.type, (word = unknownTypeWord(c.type)));
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
 * Offset of the first JSON syntax error (Node's JSON.parse does not always say where), by
 * jsonc-parser held to strict JSON (no comments, no trailing commas); only called after JSON.parse
 * has failed.
 */
export function jsonErrorOffset(text: string, parseMessage = ""): number {
  const errors: jsoncModule.ParseError[] = [];
  try {
    jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses: a document nested thousands deep overflows the stack. JSON.parse's
    // message mostly names the position; else the file's start.
    const at = /position (\d+)/.exec(parseMessage);
    return at === null ? 0 : Number(at[1]);
  }
  return errors[0]?.offset ?? text.length;
}
