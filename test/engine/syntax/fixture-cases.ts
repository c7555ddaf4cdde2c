/** Reads the parse fixtures: cases separated by `-- ==== <name>` lines; `-- error: L:C message` right after the marker gives an invalid case's expected error. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface FixtureCase {
  readonly name: string;
  readonly sql: string;
  /** `line:col message` for invalid cases. */
  readonly error?: { readonly line: number; readonly col: number; readonly message: string };
  /** 1-based line of the case's first SQL line within the fixture file. */
  readonly fileLine: number;
}

export const fixtureDir = fileURLToPath(new URL("../../fixtures/sql/parse/", import.meta.url));

export function readCases(file: string): FixtureCase[] {
  const lines = readFileSync(fixtureDir + file, "utf8").split("\n");
  const cases: FixtureCase[] = [];
  let k = 0;
  while (k < lines.length) {
    const m = /^-- ==== (.*)$/.exec(lines[k]);
    if (!m) {
      k++;
      continue;
    }
    const name = m[1];
    k++;
    let error: FixtureCase["error"];
    const em = /^-- error: (\d+):(\d+) (.*)$/.exec(lines[k] ?? "");
    if (em) {
      error = { line: Number(em[1]), col: Number(em[2]), message: em[3] };
      k++;
    }
    const fileLine = k + 1;
    const body: string[] = [];
    while (k < lines.length && !lines[k].startsWith("-- ==== ")) body.push(lines[k++]);
    while (body.length > 1 && body[body.length - 1] === "") body.pop();
    cases.push(error ? { name, sql: body.join("\n"), error, fileLine } : { name, sql: body.join("\n"), fileLine });
  }
  return cases;
}

/** A tree without positions, with unquoted identifiers lower-cased: what must survive print → parse. */
export function stripTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripTree);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj).sort()) {
    if (key === "span" || key.endsWith("Span")) continue;
    out[key] = stripTree(obj[key]);
  }
  if (obj.quoted === false && typeof obj.name === "string") out.name = obj.name.toLowerCase();
  return out;
}
