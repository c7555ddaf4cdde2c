import { SEED_FILE } from "../compile/seed-ddl.js";
import type { Compiled, Diagnostic } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { SourceColumn } from "../project/types.js";
import { AdapterError, firstLine } from "./adapter-error.js";
import { createDuckDbAdapter } from "./duckdb-adapter.js";
import { type ScriptStatement, splitStatements } from "./split-statements.js";

export { SEED_FILE };

/**
 * R010 for a seed statement the warehouse rejected: at the statement's line in the seed (DuckDB's
 * `LINE n` within the statement is added to it), naming the statement and the warehouse's answer.
 */
export function seedStatementDiagnostic(e: AdapterError, stmt: ScriptStatement, file: string, where: string): Diagnostic {
  const inner = /\bLINE (\d+):/.exec(String((e.cause as Error | undefined)?.message ?? ""));
  const line = stmt.line + (inner ? Number(inner[1]) - 1 : 0);
  return createDiagnostic("R010", `${file}: statement failed ${where}: \`${firstLine(stmt.sql)}\`: ${e.detail.trim().replace(/\s*\n\s*/g, " ")}`, {
    span: { file, line, col: inner ? 1 : stmt.col },
    suggestion: "fix the statement: until then, the tables it should create are missing (and unknown to the compiler)",
  });
}

/**
 * Rocky's `--with-seed`: run `data/seed.sql` in an in-memory DuckDB and DESCRIBE every table and
 * view it created. Keys are lower-case `schema.table`; tables of DuckDB's `main` schema are also
 * keyed by their bare name (as the static DDL reader does). A failing statement is a diagnostic
 * naming `data/seed.sql` and the line (DuckDB's `LINE n` within the statement is added to the
 * statement's first line); the following statements still run.
 */
export async function seedSchemas(seedSql: string, file = SEED_FILE): Promise<Compiled<Map<string, SourceColumn[]>>> {
  const diagnostics: Diagnostic[] = [];
  const value = new Map<string, SourceColumn[]>();
  const db = await createDuckDbAdapter({ id: "seed" });
  try {
    for (const stmt of splitStatements(seedSql)) {
      try {
        await db.execute(stmt.sql);
      } catch (e) {
        if (!(e instanceof AdapterError)) throw e;
        diagnostics.push(seedStatementDiagnostic(e, stmt, file, "in DuckDB"));
      }
    }
    const rows = await db.query(
      `SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_catalog = current_database() ORDER BY table_schema, table_name, ordinal_position`,
    );
    for (const r of rows) {
      const key = `${String(r.table_schema)}.${String(r.table_name)}`.toLowerCase();
      const cols = value.get(key) ?? [];
      cols.push({ name: String(r.column_name), type: String(r.data_type), nullable: r.is_nullable !== "NO" });
      value.set(key, cols);
    }
    for (const [key, cols] of [...value]) if (key.startsWith("main.")) value.set(key.slice(5), cols);
  } finally {
    await db.close();
  }
  return { value, diagnostics };
}
