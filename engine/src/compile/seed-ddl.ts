import { splitStatements } from "../adapters/split-statements.js";
import type { SourceColumn } from "../project/types.js";

/** One column a seed's CREATE TABLE defines, with where: offsets in the seed of its name and of the end of its definition. */
export interface SeedColumnDeclaration {
  readonly column: SourceColumn;
  readonly at: number;
  readonly end: number;
}

/** One CREATE TABLE of a seed: its key (`schema.table`, lower-case unless quoted) and its columns. */
export interface SeedTableDeclaration {
  readonly name: string;
  readonly columns: readonly SeedColumnDeclaration[];
}

const CREATE_TABLE = /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+)){0,2})\s*\(([\s\S]*)\)\s*$/di;

/**
 * The `CREATE TABLE name (col TYPE [NOT NULL], ...)` statements of a seed file, read statically,
 * each column with its offsets in the seed (the review points at the line a PR changed there).
 */
export function readSeedTables(sql: string): SeedTableDeclaration[] {
  const out: SeedTableDeclaration[] = [];
  for (const stmt of splitStatements(sql)) {
    // Comments inside the statement are blanked, not removed: offsets stay the seed's.
    const m = CREATE_TABLE.exec(blankComments(stmt.sql));
    if (!m?.indices?.[2]) continue;
    const name = m[1]
      .split(".")
      .map((p) => unquote(p.trim()))
      .join(".");
    const bodyAt = stmt.start + m.indices[2][0];
    const columns: SeedColumnDeclaration[] = [];
    const primaryKeys = new Set<string>();
    for (const part of splitTopLevel(m[2], ",")) {
      const text = part.text.trim();
      const pk = /^primary\s+key\s*\(([^)]*)\)/i.exec(text);
      if (pk) {
        for (const c of pk[1].split(",")) primaryKeys.add(unquote(c.trim()));
        continue;
      }
      if (/^(constraint|unique|check|foreign\s+key)\b/i.test(text)) continue;
      const col = /^("[^"]+"|[\w$]+)\s+([\s\S]+)$/.exec(text);
      if (!col) continue;
      const rest = col[2];
      const constraintAt = rest.search(/\s+(not\s+null|null|primary\s+key|default|unique|check|references|collate|generated)\b/i);
      const type = (constraintAt < 0 ? rest : rest.slice(0, constraintAt)).trim().replace(/\s+/g, " ");
      const notNull = /\bnot\s+null\b/i.test(rest) || /\bprimary\s+key\b/i.test(rest);
      const at = bodyAt + part.start + part.text.search(/\S/);
      columns.push({ column: { name: unquote(col[1]), type: type.toUpperCase(), nullable: !notNull }, at, end: at + text.length });
    }
    out.push({ name, columns: columns.map((c) => (primaryKeys.has(c.column.name) ? { ...c, column: { ...c.column, nullable: false } } : c)) });
  }
  return out;
}

/**
 * Source schemas read statically from a seed's CREATE TABLE statements, without running it.
 * `--with-seed` runs the seed in an in-memory DuckDB (exact, and it also understands
 * `CREATE TABLE ... AS SELECT`); this reader is the fallback where no native DuckDB is available
 * (the Action bundle on a GitHub runner), and it agrees with DuckDB on every column-definition
 * table (a test checks both on the example seed).
 *
 * Keys are lower-case `schema.table` (or `table` when unqualified, plus `main.table`).
 */
export function readSeedDdl(sql: string): Map<string, SourceColumn[]> {
  const out = new Map<string, SourceColumn[]>();
  for (const table of readSeedTables(sql)) {
    const columns = table.columns.map((c) => c.column);
    out.set(table.name, columns);
    if (!table.name.includes(".")) out.set(`main.${table.name}`, columns);
  }
  return out;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.toLowerCase();
}

/** The SQL with its `--` and `/* *\/` comments (outside quotes) turned into spaces, newlines kept: same length, same offsets. */
function blankComments(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end + 1);
      i = end;
    } else if ((ch === "-" && sql[i + 1] === "-") || (ch === "/" && sql[i + 1] === "*")) {
      const close = ch === "-" ? sql.indexOf("\n", i) : sql.indexOf("*/", i + 2);
      const stop = close < 0 ? sql.length : ch === "-" ? close : close + 2;
      out += sql.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop - 1;
    } else out += ch;
  }
  return out;
}

function closingQuote(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] !== q) continue;
    if (s[i + 1] === q) {
      i++;
      continue;
    }
    return i;
  }
  return s.length - 1;
}

/** Split on a separator at parenthesis depth 0 and outside quotes: each part with its offset in `text`. */
function splitTopLevel(text: string, sep: string): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = closingQuote(text, i);
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === sep && depth === 0) {
      parts.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), start });
  return parts.filter((p) => p.text.trim().length > 0);
}
