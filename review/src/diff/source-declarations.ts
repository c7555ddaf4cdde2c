import { escapeRegExp } from "../../../engine/src/util/escape-regexp.js";
import type { ChangedFile, ReportSpan } from "../report/types.js";
import { inHeadRanges } from "../report/types.js";
import type { DiffFiles } from "./shared-config.js";

/** Where a file declares one source column: the line and column of its name, and the last line of its definition. */
interface Declaration {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
}

/**
 * Where the seed and schema files a PR changed declare each source column (`raw.orders.id`), so a
 * change that enters the project there (a seed column made BIGINT) is reported on the line the PR
 * changed, not on the first model that reads it, whose file the PR never touched.
 *
 * Read on demand, once per file: `CREATE TABLE name (col TYPE, ...)` statements of `data/seed.sql`
 * and the `{"tables": {"schema.table": [{"name": ...}]}}` files under `schemas/`.
 */
export class SourceDeclarations {
  private readonly files: readonly ChangedFile[];
  private readonly parsed = new Map<string, { declared: ReadonlyMap<string, Declaration>; lines: readonly string[] }>();

  constructor(
    changed: readonly ChangedFile[],
    private readonly texts: DiffFiles | undefined,
  ) {
    this.files = changed.filter((f) => (f.role === "seed" || f.role === "schema") && f.projectPath !== null && f.status !== "deleted" && !f.binary);
  }

  /**
   * The head span of `table.column`'s declaration, when the PR's diff changed a line of it: the
   * first such line (a schema file's `"type"` line under the column's `"name"`).
   */
  changedAt(table: string, column: string): ReportSpan | undefined {
    const key = `${table.toLowerCase()}.${column.toLowerCase()}`;
    for (const f of this.files) {
      const file = f.projectPath as string;
      const { declared, lines } = this.declarations(file, f.role);
      const at = declared.get(key);
      if (at === undefined) continue;
      for (let line = at.line; line <= at.endLine; line++) {
        if (!inHeadRanges(f, line)) continue;
        const col = line === at.line ? at.col : (lines[line - 1] ?? "").search(/\S|$/) + 1;
        return { file, line, col, side: "head" };
      }
    }
    return undefined;
  }

  private declarations(file: string, role: ChangedFile["role"]): { declared: ReadonlyMap<string, Declaration>; lines: readonly string[] } {
    let found = this.parsed.get(file);
    if (found === undefined) {
      const text = this.texts?.head.get(file);
      found = typeof text !== "string" ? { declared: new Map(), lines: [] } : { declared: role === "seed" ? seedDeclarations(text) : schemaDeclarations(text), lines: text.split("\n") };
      this.parsed.set(file, found);
    }
    return found;
  }
}

/** Line and column (1-based) of an offset. */
function positionIn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** A declaration from the offset of its name to the last character of its definition. */
function declaration(text: string, nameAt: number, endAt: number): Declaration {
  return { ...positionIn(text, nameAt), endLine: positionIn(text, Math.max(nameAt, endAt)).line };
}

const IDENT = String.raw`(?:"[^"]+"|[\w$]+)`;
const CREATE_TABLE = new RegExp(String.raw`\bcreate\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?(${IDENT}(?:\s*\.\s*${IDENT}){0,2})\s*\(`, "gi");

const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s).toLowerCase();

/**
 * `schema.table.column` → where a seed's CREATE TABLE names the column. Comments are blanked first
 * (keeping offsets); a column list is split at its top-level commas.
 */
export function seedDeclarations(sql: string): Map<string, Declaration> {
  const text = blankComments(sql);
  const out = new Map<string, Declaration>();
  for (const m of text.matchAll(CREATE_TABLE)) {
    const table = m[1]
      .split(".")
      .map((p) => unquote(p.trim()))
      .join(".");
    let depth = 1;
    let itemStart = (m.index ?? 0) + m[0].length;
    for (let i = itemStart; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (ch === "'" || ch === '"') {
        const end = text.indexOf(ch, i + 1);
        i = end < 0 ? text.length : end;
      } else if (ch === "(") depth++;
      else if (ch === ")" || (ch === "," && depth === 1)) {
        if (ch === ")") depth--;
        if (depth === 0 || ch === ",") {
          addColumn(out, table, text, itemStart, i);
          itemStart = i + 1;
        }
      }
    }
  }
  return out;
}

function addColumn(out: Map<string, Declaration>, table: string, text: string, start: number, end: number): void {
  const item = text.slice(start, end);
  const name = new RegExp(String.raw`^\s*(${IDENT})\s+\S`).exec(item);
  if (name === null || /^(constraint|primary|unique|check|foreign)$/i.test(name[1])) return;
  const at = declaration(text, start + item.indexOf(name[1]), start + item.trimEnd().length - 1);
  const column = unquote(name[1]);
  out.set(`${table}.${column}`, at);
  if (!table.includes(".")) out.set(`main.${table}.${column}`, at);
}

/** The SQL with `--` and `/* *\/` comments replaced by spaces (newlines kept), outside strings. */
function blankComments(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end < 0 ? sql.length : end;
      out += " ".repeat(stop - i);
      i = stop - 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop - 1;
    } else out += ch;
  }
  return out;
}

/**
 * `schema.table.column` → where a schema file names the column: the `"name": "<column>"` entry
 * after the table's key.
 */
export function schemaDeclarations(json: string): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return out;
  }
  const tables = (data as { tables?: unknown } | null)?.tables;
  if (tables === null || typeof tables !== "object") return out;
  for (const [table, columns] of Object.entries(tables as Record<string, unknown>)) {
    const keyAt = json.indexOf(JSON.stringify(table));
    if (keyAt < 0 || !Array.isArray(columns)) continue;
    let from = keyAt;
    for (const c of columns) {
      const name = (c as { name?: unknown } | null)?.name;
      if (typeof name !== "string") continue;
      const hit = new RegExp(String.raw`"name"\s*:\s*${escapeRegExp(JSON.stringify(name))}`).exec(json.slice(from));
      if (hit === null) continue;
      const offset = from + hit.index;
      // The column's object ends at its closing brace (its fields are flat).
      const close = json.indexOf("}", offset);
      out.set(`${table.toLowerCase()}.${name.toLowerCase()}`, declaration(json, offset, close < 0 ? offset : close));
      from = offset + hit[0].length;
    }
  }
  return out;
}
