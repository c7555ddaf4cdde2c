import { join, sep } from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import type { SourceColumn } from "../project/types.js";
import { AdapterError, adapterSection } from "./adapter-error.js";
import type { AdapterCapabilities, ExecuteResult, Row, SchemaRef, TableRef, TableStats, WarehouseAdapter } from "./warehouse-adapter.js";

export interface DuckDbAdapterOptions {
  readonly id?: string;
  /** A database file, or `:memory:` (the default). */
  readonly path?: string;
  /** Other database files to ATTACH, by catalog name: `{ analytics: "analytics.duckdb" }`. */
  readonly attach?: Readonly<Record<string, string>>;
  /**
   * Lock the database down for SQL its operator did not write (a pull request's models, run by the
   * App or the Action): once `path` is open and `attach` attached, file access is allowed only
   * under `root` (reads, `COPY ... TO`, `ATTACH`; DuckDB refuses a symlink leading out, a `..`
   * and a path relative to another directory than `root`), DuckDB's temp directory is put under
   * it, no extension is installed or loaded beyond those built in, and the configuration is
   * locked so the SQL cannot undo any of it. Absent (the CLI): DuckDB's defaults.
   */
  readonly sandbox?: DuckDbSandbox;
  /** Where rocky.toml writes `path` and each `attach.<name>` (1-based lines): an error opening one names its line. */
  readonly settingLines?: Readonly<Record<string, number>>;
}

export interface DuckDbSandbox {
  /** An absolute directory, with symlinks resolved: the only files the SQL may read or write. */
  readonly root: string;
}

/** DuckDB's temp directory (spilled operators) inside a sandbox root. */
export const SANDBOX_TEMP_DIR = ".rocky-duckdb-tmp";

const CAPABILITIES: AdapterCapabilities = {
  describe: true,
  tableStats: true,
  merge: false,
  createSchema: true,
  clone: false,
  materializedView: false,
  dynamicTable: false,
  createOrReplace: true,
  transactions: true,
};

/** DuckDB in process (`@duckdb/node-api`, loaded on first use): the default, no credentials. */
export async function createDuckDbAdapter(options: DuckDbAdapterOptions = {}): Promise<WarehouseAdapter> {
  const id = options.id ?? "duckdb";
  const label = `duckdb adapter "${id}"`;
  let api: typeof import("@duckdb/node-api");
  try {
    api = await import("@duckdb/node-api");
  } catch (e) {
    throw new AdapterError({ adapter: label, kind: "driver", detail: `cannot load @duckdb/node-api: ${(e as Error).message}`, cause: e });
  }
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  try {
    instance = await api.DuckDBInstance.create(options.path ?? ":memory:");
    conn = await instance.connect();
  } catch (e) {
    throw new AdapterError({ adapter: label, kind: "connection", detail: `cannot open ${options.path ?? ":memory:"}: ${firstLineOf(e)}`, cause: e, hint: openHint(id, "path", options.settingLines) });
  }
  const adapter = new DuckDbAdapter(id, label, instance, conn);
  try {
    for (const [name, file] of Object.entries(options.attach ?? {})) {
      try {
        await adapter.execute(`ATTACH ${quoteLiteral(file)} AS ${adapter.quoteIdent(name)}`);
      } catch (e) {
        if (!(e instanceof AdapterError)) throw e;
        throw new AdapterError({ adapter: label, kind: "connection", detail: `cannot attach ${file} as ${name}: ${e.detail}`, cause: e, hint: openHint(id, `attach.${name}`, options.settingLines) });
      }
    }
    await adapter.refreshCatalogs();
    if (options.sandbox) await lockDown(adapter, options.sandbox);
  } catch (e) {
    await adapter.close();
    throw e;
  }
  return adapter;
}

/**
 * The sandbox's settings, in this order (the lock last: after it, no statement can change them).
 * Extensions DuckDB has built in (parquet, json, ...) still load; any other is refused, since
 * installing needs the extension directory (outside `root`) and loading external code is off.
 */
async function lockDown(adapter: DuckDbAdapter, sandbox: DuckDbSandbox): Promise<void> {
  const root = sandbox.root.endsWith(sep) ? sandbox.root : `${sandbox.root}${sep}`;
  for (const sql of [
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    `SET temp_directory = ${quoteLiteral(join(root, SANDBOX_TEMP_DIR))}`,
    `SET allowed_directories = [${quoteLiteral(root)}]`,
    "SET enable_external_access = false",
    "SET lock_configuration = true",
  ]) {
    await adapter.execute(sql);
  }
}

/** What to do when a database file cannot be opened: the setting that names it, and what it must be. */
function openHint(id: string, key: string, lines?: Readonly<Record<string, number>>): string {
  const line = lines?.[key];
  return `\`${key}\` in ${adapterSection(id)} of rocky.toml${line === undefined ? "" : ` line ${line}`} must name a DuckDB database file (or a new one in an existing directory) that no other process holds open`;
}

function firstLineOf(e: unknown): string {
  return ((e as Error).message ?? String(e)).split("\n")[0];
}

class DuckDbAdapter implements WarehouseAdapter {
  readonly type = "duckdb" as const;
  readonly dialect = "duckdb" as const;
  readonly capabilities = CAPABILITIES;
  private catalogs = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    /** How errors name it: `duckdb adapter "<id>"`, as the other adapters name themselves. */
    private readonly label: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** One connection runs one statement at a time: callers are serialized, not interleaved. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }

  async refreshCatalogs(): Promise<void> {
    const rows = await this.query("SELECT database_name FROM duckdb_databases() WHERE NOT internal");
    this.catalogs = new Set(rows.map((r) => String(r.database_name).toLowerCase()));
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecuteResult> {
    const reader = await this.serial(() => this.run(sql, params));
    const names = reader.columnNames();
    // DML answers with one `Count` row; CREATE TABLE AS too.
    if (names.length === 1 && names[0] === "Count") {
      const v = reader.getRowsJS()[0]?.[0];
      if (v !== undefined && v !== null) return { rowsAffected: Number(v) };
    }
    if (/^\s*(attach|detach)\b/i.test(sql)) await this.refreshCatalogsUnqueued();
    return {};
  }

  private async refreshCatalogsUnqueued(): Promise<void> {
    const r = await this.serial(() => this.run("SELECT database_name FROM duckdb_databases() WHERE NOT internal"));
    this.catalogs = new Set(r.getRowObjectsJS().map((x) => String(x.database_name).toLowerCase()));
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    const reader = await this.serial(() => this.run(sql, params));
    return reader.getRowObjectsJS() as Row[];
  }

  private async run(sql: string, params?: readonly unknown[]) {
    try {
      return await this.conn.runAndReadAll(sql, params && params.length > 0 ? (params as DuckDBValue[]) : undefined);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      const category = /^([A-Za-z ]+?) Error:/.exec(message)?.[1];
      throw new AdapterError({ adapter: this.label, kind: "sql", detail: message.split("\n\nLINE")[0], statement: sql, code: category ? `${category} Error` : undefined, cause: e });
    }
  }

  async describeTable(ref: TableRef): Promise<SourceColumn[] | undefined> {
    const catalog = this.catalogOf(ref);
    const rows = await this.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE lower(table_schema) = lower(?) AND lower(table_name) = lower(?)${catalog ? " AND lower(table_catalog) = lower(?)" : " AND table_catalog = current_database()"}
        ORDER BY ordinal_position`,
      catalog ? [ref.schema, ref.table, catalog] : [ref.schema, ref.table],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type), nullable: r.is_nullable !== "NO" }));
  }

  async tableStats(ref: TableRef): Promise<TableStats | undefined> {
    const catalog = this.catalogOf(ref);
    const rows = await this.query(
      `SELECT estimated_size FROM duckdb_tables() WHERE lower(schema_name) = lower(?) AND lower(table_name) = lower(?) AND ${catalog ? "lower(database_name) = lower(?)" : "database_name = current_database()"}`,
      catalog ? [ref.schema, ref.table, catalog] : [ref.schema, ref.table],
    );
    if (rows.length === 0) return undefined;
    return { rows: Number(rows[0].estimated_size) };
  }

  async createSchema(ref: SchemaRef): Promise<void> {
    await this.execute(`CREATE SCHEMA IF NOT EXISTS ${this.schemaName(ref)}`);
  }

  async dropSchema(ref: SchemaRef, options: { readonly cascade: boolean }): Promise<void> {
    await this.execute(`DROP SCHEMA IF EXISTS ${this.schemaName(ref)}${options.cascade ? " CASCADE" : ""}`);
  }

  async listSchemas(prefix = "", catalog?: string): Promise<string[]> {
    const cat = catalog && this.catalogs.has(catalog.toLowerCase()) ? catalog : undefined;
    const rows = await this.query(
      `SELECT schema_name FROM duckdb_schemas() WHERE NOT internal AND ${cat ? "lower(database_name) = lower(?)" : "database_name = current_database()"} AND starts_with(lower(schema_name), lower(?)) ORDER BY schema_name`,
      cat ? [cat, prefix] : [prefix],
    );
    return rows.map((r) => String(r.schema_name));
  }

  /** `catalog.schema.table` when the catalog is attached, else `schema.table` in the open database. */
  qualify(ref: TableRef): string {
    const catalog = this.catalogOf(ref);
    return [catalog, ref.schema, ref.table]
      .filter((p): p is string => p !== undefined)
      .map((p) => this.quoteIdent(p))
      .join(".");
  }

  private schemaName(ref: SchemaRef): string {
    const catalog = this.catalogOf(ref);
    return catalog ? `${this.quoteIdent(catalog)}.${this.quoteIdent(ref.schema)}` : this.quoteIdent(ref.schema);
  }

  private catalogOf(ref: { readonly catalog?: string }): string | undefined {
    return ref.catalog !== undefined && this.catalogs.has(ref.catalog.toLowerCase()) ? ref.catalog : undefined;
  }

  quoteIdent(name: string): string {
    return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
  }

  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

const RESERVED = new Set(["select", "from", "where", "table", "order", "group", "by", "default", "user", "primary", "union", "all", "join", "on", "as", "case", "end", "limit"]);

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
