import { AdapterError } from "../adapters/adapter-error.js";
import { SEED_FILE, seedStatementDiagnostic } from "../adapters/seed-schemas.js";
import { splitStatements } from "../adapters/split-statements.js";
import type { TableRef, WarehouseAdapter } from "../adapters/warehouse-adapter.js";
import type { Compiled, Diagnostic } from "../diagnostics/diagnostic.js";

/** What loading a seed did. */
export interface SeedLoad {
  /** Statements the warehouse ran (those it rejected are the diagnostics). */
  readonly statements: number;
  /** Tables and views the seed (re-)created, as written in it. */
  readonly created: readonly string[];
}

const NAME = String.raw`((?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|[\w$]+)){0,2})`;
/** `CREATE [OR REPLACE] [TEMP|TRANSIENT|...] TABLE|VIEW [IF NOT EXISTS] name`: group 1 OR REPLACE, 2 modifiers, 3 TABLE/VIEW, 4 IF NOT EXISTS, 5 the name. */
const CREATE_RELATION = new RegExp(String.raw`^create\s+(or\s+replace\s+)?((?:(?:temp|temporary|transient|local|global)\s+)*)(table|view)\s+(if\s+not\s+exists\s+)?${NAME}`, "i");
const CREATE_SCHEMA = /^create\s+schema\s+(?!if\s+not\s+exists\b)/i;

/**
 * Load the project's seed (`data/seed.sql`) into a warehouse (`rocky run --with-seed`), one
 * statement at a time, as a re-load: each table or view it creates is created anew (`CREATE
 * TABLE` and `CREATE TABLE IF NOT EXISTS` run as `CREATE OR REPLACE TABLE`, or after a `DROP
 * TABLE IF EXISTS` where the warehouse has no `OR REPLACE`; `CREATE SCHEMA` as `IF NOT EXISTS`),
 * so loading it twice gives the seed's rows once instead of failing on tables that exist. A
 * statement the warehouse rejects is R010 at its line in the seed (as `--with-seed` reports it
 * when compiling); the following statements still run.
 */
export async function loadSeed(adapter: WarehouseAdapter, seedSql: string, file = SEED_FILE): Promise<Compiled<SeedLoad>> {
  const diagnostics: Diagnostic[] = [];
  const created: string[] = [];
  let statements = 0;
  for (const stmt of splitStatements(seedSql, { backslashEscapes: adapter.dialect !== "duckdb" })) {
    const relation = CREATE_RELATION.exec(stmt.sql);
    try {
      for (const sql of asReload(stmt.sql, relation, adapter.capabilities.createOrReplace)) await adapter.execute(sql);
      statements++;
      if (relation) created.push(relation[5]);
    } catch (e) {
      if (!(e instanceof AdapterError)) throw e;
      diagnostics.push(seedStatementDiagnostic(e, stmt, file, `on the ${e.adapter}`));
    }
  }
  return { value: { statements, created }, diagnostics };
}

/** The statements that run `sql` as part of a re-load. Only the head is rewritten: line numbers within the statement stay the seed's. */
function asReload(sql: string, relation: RegExpExecArray | null, orReplace: boolean): string[] {
  if (relation === null) return [CREATE_SCHEMA.test(sql) ? sql.replace(/^create\s+schema\s+/i, "CREATE SCHEMA IF NOT EXISTS ") : sql];
  const [head, replace, modifiers, kind, , name] = relation;
  if (replace !== undefined) return [sql];
  const rest = sql.slice(head.length);
  if (orReplace) return [`CREATE OR REPLACE ${modifiers}${kind.toUpperCase()} ${name}${rest}`];
  return [`DROP ${kind.toUpperCase()} IF EXISTS ${name}`, `CREATE ${modifiers}${kind.toUpperCase()} ${name}${rest}`];
}

/** Tables and views a seed creates, as references (`schema.table`, or `catalog.schema.table`; unquoted names lower-cased). */
export function seedRelations(seedSql: string): TableRef[] {
  const out: TableRef[] = [];
  for (const stmt of splitStatements(seedSql)) {
    const m = CREATE_RELATION.exec(stmt.sql);
    if (!m) continue;
    const parts = splitName(m[5]);
    if (parts.length === 1) out.push({ schema: "main", table: parts[0] });
    else if (parts.length === 2) out.push({ schema: parts[0], table: parts[1] });
    else out.push({ catalog: parts[0], schema: parts[1], table: parts[2] });
  }
  return out;
}

/**
 * Of the external sources `sources` (`schema.table` or `catalog.schema.table`, lower-case, as
 * CompiledModel.externalSources lists them), those the seed creates and the warehouse does not
 * have: the seed was never loaded there. Warehouse errors while looking count as "cannot tell".
 */
export async function seedTablesMissing(adapter: WarehouseAdapter, seedSql: string, sources: readonly string[]): Promise<string[]> {
  const key = (r: TableRef) => [r.catalog, r.schema, r.table].filter((p) => p !== undefined).join(".").toLowerCase();
  const fromSeed = new Map<string, TableRef>();
  for (const r of seedRelations(seedSql)) {
    fromSeed.set(key(r), r);
    if (r.catalog === undefined) fromSeed.set(`${r.schema}.${r.table}`.toLowerCase(), r);
  }
  const missing: string[] = [];
  for (const source of new Set(sources.map((s) => s.toLowerCase()))) {
    const ref = fromSeed.get(source) ?? (source.includes(".") ? undefined : fromSeed.get(`main.${source}`));
    if (ref === undefined) continue;
    const columns = await adapter.describeTable(ref).catch((e: unknown) => {
      if (e instanceof AdapterError) return null;
      throw e;
    });
    if (columns === undefined) missing.push(source);
  }
  return missing;
}

function splitName(name: string): string[] {
  return (name.match(/"(?:[^"]|"")+"|`[^`]+`|[\w$]+/g) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.startsWith("`") ? p.slice(1, -1) : p.toLowerCase()));
}
