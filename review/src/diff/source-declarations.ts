import { SourceLocator } from "../../../engine/src/checks/source-locator.js";
import { readSeedTables } from "../../../engine/src/compile/seed-ddl.js";
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
  /** Seed and schema files the PR changed or deleted: where it may have removed a source column. */
  private readonly removable: readonly ChangedFile[];
  private readonly parsed = new Map<string, { declared: ReadonlyMap<string, Declaration>; lines: readonly string[] }>();

  constructor(
    changed: readonly ChangedFile[],
    private readonly texts: DiffFiles | undefined,
  ) {
    this.files = changed.filter((f) => (f.role === "seed" || f.role === "schema") && f.projectPath !== null && f.status !== "deleted" && !f.binary);
    // A renamed file's base path is another: not followed (its columns' R008 keep the compile's words).
    this.removable = changed.filter((f) => (f.role === "seed" || f.role === "schema") && f.projectPath !== null && f.status !== "added" && f.status !== "renamed" && !f.binary);
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

  /**
   * Where a seed or schema file the PR changed (or deleted) declared `table.column` on the
   * merge-base: the base line of its name. The caller knows the column is gone on head (an R008
   * reading it): then this PR removed it there.
   */
  removedAt(table: string, column: string): { file: string; line: number } | undefined {
    const key = `${table.toLowerCase()}.${column.toLowerCase()}`;
    for (const f of this.removable) {
      const file = f.projectPath as string;
      const at = this.declarations(file, f.role, "base").declared.get(key);
      if (at !== undefined) return { file, line: at.line };
    }
    return undefined;
  }

  private declarations(file: string, role: ChangedFile["role"], side: "head" | "base" = "head"): { declared: ReadonlyMap<string, Declaration>; lines: readonly string[] } {
    const cacheKey = side === "head" ? file : `base:${file}`;
    let found = this.parsed.get(cacheKey);
    if (found === undefined) {
      const text = this.texts?.[side].get(file);
      found = typeof text !== "string" ? { declared: new Map(), lines: [] } : { declared: role === "seed" ? seedDeclarations(text) : schemaDeclarations(text), lines: text.split("\n") };
      this.parsed.set(cacheKey, found);
    }
    return found;
  }
}

/** A declaration from the offset of its name to the last character of its definition. */
function declaration(at: SourceLocator, nameAt: number, endAt: number): Declaration {
  return { ...at.position(nameAt), endLine: at.position(Math.max(nameAt, endAt)).line };
}

/** `schema.table.column` → where a seed's CREATE TABLE names the column (the engine's reader of seed DDL). */
export function seedDeclarations(sql: string): Map<string, Declaration> {
  const at = new SourceLocator("", sql);
  const out = new Map<string, Declaration>();
  for (const table of readSeedTables(sql)) {
    const key = table.name.toLowerCase();
    for (const c of table.columns) {
      const d = declaration(at, c.at, c.end - 1);
      const column = c.column.name.toLowerCase();
      out.set(`${key}.${column}`, d);
      if (!key.includes(".")) out.set(`main.${key}.${column}`, d);
    }
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
  const at = new SourceLocator("", json);
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
      out.set(`${table.toLowerCase()}.${name.toLowerCase()}`, declaration(at, offset, close < 0 ? offset : close));
      from = offset + hit[0].length;
    }
  }
  return out;
}
