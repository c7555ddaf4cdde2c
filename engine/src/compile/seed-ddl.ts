import { lineCol, splitStatements } from "../adapters/split-statements.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { Project, SourceColumn } from "../project/types.js";
import { didYouMean } from "../util/did-you-mean.js";

/** The seed file of a project (Rocky's layout). */
export const SEED_FILE = "data/seed.sql";

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

/** What the static reader could not read: an offset in the seed, what is wrong, and what to do. */
interface SeedProblem {
  readonly at: number;
  readonly message: string;
  readonly suggestion: string;
}

/** `CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name`, and what follows it. */
const CREATE_TABLE_HEAD = /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+)){0,2})\s*([\s\S]*)$/i;

/**
 * The type names DuckDB 1.5 knows (`duckdb_types()`, with the aliases its parser takes), lower-case,
 * by their first word. A column type whose first word is none of these (nor a type the seed
 * creates) is one DuckDB rejects: "Type with name ... does not exist".
 */
const DUCKDB_TYPE_WORDS = new Set(
  (
    "array bigint bignum binary bit bitstring blob bool boolean bpchar bytea char character date datetime dec decimal double enum float float4 float8 " +
    "geometry guid hugeint int int1 int128 int16 int2 int32 int4 int64 int8 integer integral interval json list logical long map national nchar numeric " +
    "nvarchar oid real row setof short signed smallint string struct text time time_ns timestamp timestamp_ms timestamp_ns timestamp_s timestamp_us " +
    "timestamptz timetz tinyint ubigint uhugeint uint128 uint16 uint32 uint64 uint8 uinteger union usmallint utinyint uuid varbinary varchar variant varint"
  ).split(" "),
);

/**
 * The `CREATE TABLE name (col TYPE [NOT NULL], ...)` statements of a seed file, read statically,
 * each column with its offsets in the seed (the review points at the line a PR changed there).
 */
export function readSeedTables(sql: string): SeedTableDeclaration[] {
  return scanSeed(sql).tables;
}

function scanSeed(sql: string): { tables: SeedTableDeclaration[]; problems: SeedProblem[] } {
  const out: SeedTableDeclaration[] = [];
  const problems: SeedProblem[] = [];
  const statements = splitStatements(sql);
  // Types the seed makes (CREATE TYPE) or may bring with an extension: not for this list to judge.
  const ownTypes = new Set<string>();
  let extensions = false;
  for (const stmt of statements) {
    const text = blankComments(stmt.sql);
    const t = /^\s*create\s+(?:or\s+replace\s+)?type\s+(?:if\s+not\s+exists\s+)?(?:[\w$]+\s*\.\s*)?("[^"]+"|[\w$]+)/i.exec(text);
    if (t) ownTypes.add(unquote(t[1]).toLowerCase());
    if (/^\s*(?:force\s+)?(?:install|load)\b/i.test(text)) extensions = true;
  }
  for (const stmt of statements) {
    // Comments inside the statement are blanked, not removed: offsets stay the seed's.
    const text = blankComments(stmt.sql);
    const head = CREATE_TABLE_HEAD.exec(text);
    if (!head) continue;
    const tableName = head[1]
      .split(".")
      .map((p) => unquote(p.trim()))
      .join(".");
    const m = CREATE_TABLE.exec(text);
    if (!m?.indices?.[2]) {
      // `CREATE TABLE t AS SELECT ...` has no column list to read (--with-seed runs it); anything else is broken.
      if (!/^as\b/i.test(head[2])) {
        problems.push({
          at: stmt.start,
          message: `cannot read \`CREATE TABLE ${head[1]}\`: expected a column list in parentheses, or AS and a query`,
          suggestion: "write `CREATE TABLE name (column TYPE, ...)` with its parentheses closed at the end of the statement",
        });
      }
      continue;
    }
    const bodyAt = stmt.start + m.indices[2][0];
    if (depthAtEnd(m[2]) !== 0) {
      problems.push({ at: bodyAt, message: `the column list of ${tableName} has unbalanced parentheses`, suggestion: "close every parenthesis a type or a constraint opens" });
      continue;
    }
    const columns: SeedColumnDeclaration[] = [];
    const primaryKeys = new Set<string>();
    const parts = splitTopLevel(m[2], ",");
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      const text = part.text.trim();
      if (text === "") {
        // DuckDB takes a trailing comma, not an empty definition before another (`a INT,, b INT`, `(, a INT)`).
        if (p < parts.length - 1) problems.push({ at: bodyAt + part.start + part.text.length, message: `the column list of ${tableName} has an empty column definition (two commas in a row)`, suggestion: "remove the extra comma" });
        continue;
      }
      const pk = /^primary\s+key\s*\(([^)]*)\)/i.exec(text);
      if (pk) {
        for (const c of pk[1].split(",")) primaryKeys.add(unquote(c.trim()));
        continue;
      }
      if (/^(constraint|unique|check|foreign\s+key)\b/i.test(text)) continue;
      const at = bodyAt + part.start + part.text.search(/\S/);
      const col = /^("[^"]+"|[\w$]+)\s+([\s\S]+)$/.exec(text);
      if (!col) {
        problems.push({ at, message: `column \`${text.split(/\s/)[0]}\` of ${tableName} has no type`, suggestion: "write the column as `name TYPE`" });
        continue;
      }
      const rest = col[2];
      const constraintAt = rest.search(/\s+(not\s+null|null|primary\s+key|default|unique|check|references|collate|generated)\b/i);
      const type = (constraintAt < 0 ? rest : rest.slice(0, constraintAt)).trim().replace(/\s+/g, " ");
      const word = /^[A-Za-z_][\w$]*/.exec(rest)?.[0].toLowerCase();
      // Quoted, schema-qualified or extension types, and generated columns (`x AS (expr)`, `x GENERATED ...`), are DuckDB's to judge.
      const judged = !extensions && word !== undefined && !/^[\w$]+\s*\./.test(rest) && word !== "as" && word !== "generated";
      if (judged && !DUCKDB_TYPE_WORDS.has(word) && !ownTypes.has(word)) {
        const near = didYouMean(word, [...DUCKDB_TYPE_WORDS, ...ownTypes]);
        problems.push({
          at: at + (text.length - rest.length),
          message: `\`${type.split(" ")[0]}\` (column \`${unquote(col[1])}\` of ${tableName}) is not a DuckDB type`,
          suggestion: near ? `did you mean ${near.toUpperCase()}?` : "use a DuckDB type (INTEGER, BIGINT, DECIMAL(p,s), VARCHAR, DATE, TIMESTAMP, ...)",
        });
      }
      const notNull = /\bnot\s+null\b/i.test(rest) || /\bprimary\s+key\b/i.test(rest);
      columns.push({ column: { name: unquote(col[1]), type: type.toUpperCase(), nullable: !notNull }, at, end: at + text.length });
    }
    out.push({ name: tableName, columns: columns.map((c) => (primaryKeys.has(c.column.name) ? { ...c, column: { ...c.column, nullable: false } } : c)) });
  }
  return { tables: out, problems };
}

/**
 * R010 for what the static reader cannot read in the seed's CREATE TABLE statements (a type DuckDB
 * does not have, a column without a type, a column list that is not closed), at its line: the
 * findings `--with-seed` gets from DuckDB itself, without running it. Valid DuckDB DDL it does not
 * model (CREATE TABLE ... AS, other statements) is left alone.
 */
export function checkSeedDdl(sql: string, file: string): Diagnostic[] {
  return scanSeed(sql).problems.map((p) => createDiagnostic("R010", `${file}: ${p.message}`, { span: { file, ...lineCol(sql, p.at) }, suggestion: p.suggestion }));
}

/** Parenthesis depth at the end of `text`, outside quotes: 0 when balanced. */
function depthAtEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') i = closingQuote(text, i);
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
  }
  return depth;
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

/**
 * The sources a project knows without running anything: its schema files (`schemas/*.json`), then
 * `extra` (the warehouse's schema cache) over them, then, unless `seedDdl` is false (the seed is run
 * instead), the seed's CREATE TABLE statements read statically for the tables neither names. What
 * `rocky compile` types sources from and checks a one-part name in FROM against (R004), and what
 * `rocky validate` checks that name against, so both know the same sources.
 */
export function staticSourceSchemas(project: Pick<Project, "sourceSchemas" | "seedSql">, extra?: ReadonlyMap<string, readonly SourceColumn[]>, seedDdl = true): Map<string, readonly SourceColumn[]> {
  const out = new Map<string, readonly SourceColumn[]>(project.sourceSchemas);
  for (const [k, v] of extra ?? []) out.set(k.toLowerCase(), v);
  if (seedDdl && project.seedSql !== undefined) for (const [k, v] of readSeedDdl(project.seedSql)) if (!out.has(k)) out.set(k, v);
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
  return parts;
}
