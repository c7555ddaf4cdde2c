import { after, before } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { SEEDS } from "./duckdb-corpus.js";

/**
 * An in-memory DuckDB holding the corpus's seed tables (empty), opened before the enclosing
 * suite's tests and closed after them. Call inside `describe`; the returned getter is valid in tests.
 */
export function useSeededDuckDb(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  before(async () => {
    instance = await DuckDBInstance.create(":memory:");
    conn = await instance.connect();
    for (const [name, cols] of Object.entries(SEEDS)) await conn.run(`CREATE TABLE ${name} (${cols})`);
  });
  after(() => {
    conn?.closeSync();
    instance?.closeSync();
  });
  return () => {
    if (conn === undefined) throw new Error("the seeded DuckDB is open only inside the suite's tests");
    return conn;
  };
}
