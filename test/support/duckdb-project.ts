/** A column of a committed source schema (`schemas/*.json`). */
export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/**
 * The files of a minimal project that engine tests build on: rocky.toml on in-memory DuckDB,
 * `models/_defaults.toml` targeting wh.main, and a committed schema for raw.orders with `rawOrders`.
 */
export function duckdbProjectFiles(rawOrders: readonly SchemaColumn[]): Record<string, string> {
  return {
    "rocky.toml": '[adapter]\ntype = "duckdb"\npath = ":memory:"\n',
    "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "main"\n',
    "schemas/raw.json": JSON.stringify({ tables: { "raw.orders": rawOrders } }),
  };
}
