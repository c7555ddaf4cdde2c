import { DuckDBInstance } from "@duckdb/node-api";

/** Open a DuckDB database file, run `work` with a query runner (rows as arrays), and close it. */
export async function withDuckDbFile<T>(path: string, work: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await work(async (sql) => (await connection.runAndReadAll(sql)).getRows() as unknown[][]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The shop example's raw tables in a warehouse file, with one paid order: what its models read. */
export async function seedShopRaw(path: string): Promise<void> {
  await withDuckDbFile(path, async (run) => {
    await run("CREATE SCHEMA raw");
    await run("CREATE TABLE raw.orders (id BIGINT NOT NULL, customer_id BIGINT NOT NULL, amount DECIMAL(18,2) NOT NULL, status VARCHAR NOT NULL, ordered_at TIMESTAMP NOT NULL)");
    await run("INSERT INTO raw.orders VALUES (1, 10, 12.50, 'paid', TIMESTAMP '2026-01-01 10:00:00')");
    await run("CREATE TABLE raw.customers (id BIGINT NOT NULL, email VARCHAR)");
  });
}
