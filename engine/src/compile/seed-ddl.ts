import type { SourceColumn } from "../project/types.js";

/**
 * Source schemas read statically from the `CREATE TABLE name (col TYPE [NOT NULL], ...)`
 * statements of a seed file, without running it. `--with-seed` runs the seed in an in-memory
 * DuckDB (exact, and it also understands `CREATE TABLE ... AS SELECT`); this reader is the
 * fallback where no native DuckDB is available (the Action bundle on a GitHub runner), and it
 * agrees with DuckDB on every column-definition table (a test checks both on the example seed).
 *
 * Keys are lower-case `schema.table` (or `table` when unqualified, plus `main.table`).
 */
export function readSeedDdl(sql: string): Map<string, SourceColumn[]> {
  const out = new Map<string, SourceColumn[]>();
  for (const stmt of splitStatements(sql)) {
    const m = /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+)){0,2})\s*\(([\s\S]*)\)\s*$/i.exec(stmt);
    if (!m) continue;
    const parts = m[1].split(".").map((p) => p.trim());
    const name = parts.map((p) => (p.startsWith('"') ? p.slice(1, -1) : p.toLowerCase())).join(".");
    const columns: SourceColumn[] = [];
    const primaryKeys = new Set<string>();
    for (const def of splitTopLevel(m[2], ",")) {
      const text = def.trim();
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
      columns.push({ name: unquote(col[1]), type: type.toUpperCase(), nullable: !notNull });
    }
    const resolved = columns.map((c) => (primaryKeys.has(c.name) ? { ...c, nullable: false } : c));
    out.set(name, resolved);
    if (!name.includes(".")) out.set(`main.${name}`, resolved);
  }
  return out;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.toLowerCase();
}

/** Split on `;` outside quotes and comments. */
function splitStatements(sql: string): string[] {
  return splitTopLevel(stripComments(sql), ";", false);
}

function stripComments(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (ch === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      out += "\n";
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
      out += " ";
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

/** Split on a separator at parenthesis depth 0 and outside quotes. */
function splitTopLevel(text: string, sep: string, trackDepth = true): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = closingQuote(text, i);
      continue;
    }
    if (trackDepth && ch === "(") depth++;
    else if (trackDepth && ch === ")") depth--;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim().length > 0);
}
