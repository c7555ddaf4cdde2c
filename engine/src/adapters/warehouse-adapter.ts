import type { SourceColumn } from "../project/types.js";
import type { DialectId } from "../syntax/ast.js";

/** Warehouses this project executes on. */
export type AdapterType = "duckdb" | "snowflake" | "databricks";

/** A table or view: `catalog` is the Snowflake database / Databricks catalog / attached DuckDB database. */
export interface TableRef {
  readonly catalog?: string;
  readonly schema: string;
  readonly table: string;
}

export interface SchemaRef {
  readonly catalog?: string;
  readonly schema: string;
}

/** What an adapter can do; `run/` picks SQL by these, not by adapter type. */
export interface AdapterCapabilities {
  readonly describe: boolean;
  readonly tableStats: boolean;
  /** `MERGE INTO` (Snowflake, Databricks). DuckDB uses INSERT OR REPLACE / delete+insert. */
  readonly merge: boolean;
  readonly createSchema: boolean;
  /** Zero-copy / shallow clones for branch copies. */
  readonly clone: boolean;
  readonly materializedView: boolean;
  /** Snowflake dynamic tables. */
  readonly dynamicTable: boolean;
  /** `CREATE OR REPLACE TABLE ... AS`. */
  readonly createOrReplace: boolean;
  /** Multi-statement transactions (BEGIN / COMMIT / ROLLBACK). Databricks has none. */
  readonly transactions: boolean;
  /** `INSERT INTO t REPLACE WHERE <predicate> <query>`: one atomic delete-and-insert of the rows matching a fixed predicate (Delta on Databricks). */
  readonly replaceWhere?: boolean;
}

export interface TableStats {
  readonly rows?: number;
  readonly bytes?: number;
}

/** What one statement did, as far as the warehouse tells. */
export interface ExecuteResult {
  readonly rowsAffected?: number;
  readonly bytesScanned?: number;
  /** The warehouse's statement id (Snowflake query id, Databricks operation id). */
  readonly queryId?: string;
}

export type Row = Record<string, unknown>;

/**
 * One warehouse connection behind one interface. Every failure is an `AdapterError` naming the
 * adapter, the statement (its first line) and the warehouse's code; transient ones are retried
 * inside the adapter a bounded number of times before they surface.
 */
export interface WarehouseAdapter {
  /** The adapter's name in rocky.toml (`default` for an unnamed `[adapter]`). */
  readonly id: string;
  readonly type: AdapterType;
  readonly dialect: DialectId;
  readonly capabilities: AdapterCapabilities;
  /** The compute the connection runs on, when the adapter names one (Snowflake's `warehouse`): a dynamic table needs it spelled out. */
  readonly computeWarehouse?: string;
  /** Run a statement (DDL, DML); rows are discarded. */
  execute(sql: string, params?: readonly unknown[]): Promise<ExecuteResult>;
  /** Run a query and return its rows as objects keyed by column name (as the warehouse names them). */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Columns of a table or view, or undefined when it does not exist. */
  describeTable(ref: TableRef): Promise<SourceColumn[] | undefined>;
  /** Row and byte counts, or undefined when the table does not exist or the warehouse does not say. */
  tableStats(ref: TableRef): Promise<TableStats | undefined>;
  /** Idempotent: an existing schema is fine. */
  createSchema(ref: SchemaRef): Promise<void>;
  /** Idempotent: a missing schema is fine. `cascade` drops its tables and views with it. */
  dropSchema(ref: SchemaRef, options: { readonly cascade: boolean }): Promise<void>;
  /** Schema names in `catalog` (default: the connection's) starting with `prefix` (case-insensitive). */
  listSchemas(prefix?: string, catalog?: string): Promise<string[]>;
  /** The physical name of a table as this warehouse spells it in SQL (quoted where needed). */
  qualify(ref: TableRef): string;
  quoteIdent(name: string): string;
  close(): Promise<void>;
}
