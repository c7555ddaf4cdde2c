import type { DBSQLClient } from "@databricks/sql";
import type { SourceColumn } from "../project/types.js";
import { AdapterError, type AdapterErrorKind, adapterSection } from "./adapter-error.js";
import type { AdapterCapabilities, ExecuteResult, Row, SchemaRef, TableRef, TableStats, WarehouseAdapter } from "./warehouse-adapter.js";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "./with-retry.js";

export interface DatabricksAdapterOptions {
  readonly id?: string;
  /** Workspace host name, without scheme (`dbc-123.cloud.databricks.com`). */
  readonly host: string;
  readonly port?: number;
  /** The warehouse's HTTP path (`/sql/1.0/warehouses/<id>`). */
  readonly httpPath: string;
  /** A personal access token. */
  readonly token: string;
  readonly catalog?: string;
  readonly schema?: string;
  /** Extra CA certificate (PEM) to trust: tests' self-signed loopback server, corporate proxies. */
  readonly customCaCert?: string | Buffer;
  /** Bounded retries of 429/5xx answers and dropped connections, done by the driver itself. */
  readonly retry?: RetryPolicy;
}

const CAPABILITIES: AdapterCapabilities = {
  describe: true,
  tableStats: true,
  merge: true,
  createSchema: true,
  clone: true,
  materializedView: true,
  dynamicTable: false,
  createOrReplace: true,
  transactions: false,
  // Delta's atomic form of a partition's DELETE + INSERT, which without transactions would be two commits.
  replaceWhere: true,
};

type DatabricksSql = typeof import("@databricks/sql");
type IDBSQLSession = Awaited<ReturnType<DBSQLClient["openSession"]>>;

/**
 * Databricks SQL through `@databricks/sql` 2.1 over Thrift/HTTPS (loaded on first use). The driver
 * retries 429/5xx answers and network failures with backoff, bounded by `retry`; a statement
 * that still fails is an `AdapterError` with the Databricks error class as its code.
 */
export async function createDatabricksAdapter(options: DatabricksAdapterOptions): Promise<WarehouseAdapter> {
  const id = options.id ?? "databricks";
  const name = `databricks adapter "${id}"`;
  if (!options.host || !options.httpPath || !options.token) throw new AdapterError({ adapter: name, kind: "config", detail: "`host`, `http_path` and `token` are required" });
  let lib: DatabricksSql;
  try {
    const mod = (await import("@databricks/sql")) as DatabricksSql & { default?: DatabricksSql };
    lib = mod.DBSQLClient ? mod : (mod.default as DatabricksSql);
  } catch (e) {
    throw new AdapterError({ adapter: name, kind: "driver", detail: `cannot load @databricks/sql: ${(e as Error).message}`, cause: e });
  }
  const retry = options.retry ?? DEFAULT_RETRY;
  const client = new lib.DBSQLClient({ logger: { log: () => {} } as never });
  const adapter = new DatabricksAdapter(id, client, options);
  try {
    await client.connect({
      host: options.host,
      port: options.port ?? 443,
      path: options.httpPath,
      token: options.token,
      ...(options.customCaCert ? { customCaCert: options.customCaCert } : {}),
      telemetryEnabled: false,
      retryMaxAttempts: retry.maxRetries + 1,
      retryDelayMin: retry.initialBackoffMs,
      retryDelayMax: retry.maxBackoffMs,
      retriesTimeout: Math.max(retry.maxBackoffMs * (retry.maxRetries + 1), 1000),
    } as Parameters<DBSQLClient["connect"]>[0]);
    await adapter.open();
  } catch (e) {
    await client.close().catch(() => {});
    throw e instanceof AdapterError ? e : adapter.error(e, undefined, "connect");
  }
  return adapter;
}

class DatabricksAdapter implements WarehouseAdapter {
  readonly type = "databricks" as const;
  readonly dialect = "databricks" as const;
  readonly capabilities = CAPABILITIES;
  private session: IDBSQLSession | undefined;

  constructor(
    readonly id: string,
    private readonly client: DBSQLClient,
    private readonly options: DatabricksAdapterOptions,
  ) {}

  async open(): Promise<void> {
    try {
      this.session = await this.client.openSession({
        ...(this.options.catalog ? { initialCatalog: this.options.catalog } : {}),
        ...(this.options.schema ? { initialSchema: this.options.schema } : {}),
      });
    } catch (e) {
      throw this.error(e, undefined, "connect");
    }
  }

  error(err: unknown, statement: string | undefined, phase: "connect" | "execute"): AdapterError {
    const e = err as { message?: string; response?: { status?: { sqlState?: string } }; code?: unknown };
    const message = e.message ?? String(err);
    const cls = /^\[([A-Z_][A-Z0-9_.]*)\]/.exec(message)?.[1];
    const http = /bad HTTP status code: (\d{3})/.exec(message)?.[1] ?? /\b(4\d\d|5\d\d)\b/.exec(message)?.[1];
    const sqlState = e.response?.status?.sqlState;
    const code = cls ?? (http ? `HTTP ${http}` : typeof e.code === "string" ? e.code : undefined);
    const kind = classify(message, http, cls, phase);
    // A 429/5xx answer means the statement was not taken: safe to send again. A dropped
    // connection is ambiguous (it may be running), so it is reported, not re-sent.
    const section = adapterSection(this.id);
    const hint =
      kind === "auth"
        ? `check \`token\` in ${section} of rocky.toml (or DATABRICKS_TOKEN): a personal access token of this workspace that has not expired`
        : kind === "connection"
          ? `check \`host\` and \`http_path\` in ${section} of rocky.toml (or DATABRICKS_HOST, DATABRICKS_HTTP_PATH), and that the workspace can be reached from here`
          : undefined;
    return new AdapterError({ adapter: `databricks adapter "${this.id}"`, kind, detail: message, statement, code, sqlState, retryable: kind === "transient", cause: err, ...(hint ? { hint } : {}) });
  }

  /** The driver does not resend ExecuteStatement on a 503; this does, bounded, with backoff. */
  private async run(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return withRetry(this.options.retry ?? DEFAULT_RETRY, async () => {
      if (this.session === undefined) await this.open();
      const session = this.session as IDBSQLSession;
      try {
        const op = await session.executeStatement(sql, params && params.length > 0 ? { ordinalParameters: params as never } : {});
        try {
          return (await op.fetchAll()) as Row[];
        } finally {
          await op.close().catch(() => {});
        }
      } catch (e) {
        throw this.error(e, sql, "execute");
      }
    });
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecuteResult> {
    const rows = await this.run(sql, params);
    const first = rows[0];
    if (first === undefined) return {};
    // Delta DML answers num_affected_rows; DuckDB-backed fakes answer Count.
    const n = first.num_affected_rows ?? (Object.keys(first).length === 1 ? first.Count : undefined);
    return n === undefined || n === null ? {} : { rowsAffected: Number(n) };
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.run(sql, params);
  }

  private catalog(ref: { readonly catalog?: string }): string | undefined {
    return ref.catalog ?? this.options.catalog;
  }

  private infoSchema(catalog: string | undefined): string {
    return catalog ? `${this.quoteIdent(catalog)}.information_schema` : "information_schema";
  }

  async describeTable(ref: TableRef): Promise<SourceColumn[] | undefined> {
    const catalog = this.catalog(ref);
    const rows = await this.query(
      `SELECT * FROM ${this.infoSchema(catalog)}.columns WHERE lower(table_schema) = lower(?) AND lower(table_name) = lower(?)${catalog ? " AND lower(table_catalog) = lower(?)" : ""} ORDER BY ordinal_position`,
      catalog ? [ref.schema, ref.table, catalog] : [ref.schema, ref.table],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.full_data_type ?? r.data_type).toUpperCase(), nullable: r.is_nullable !== "NO" }));
  }

  async tableStats(ref: TableRef): Promise<TableStats | undefined> {
    let rows: Row[];
    try {
      rows = await this.query(`DESCRIBE DETAIL ${this.qualify(ref)}`);
    } catch (e) {
      if (e instanceof AdapterError && e.code === "TABLE_OR_VIEW_NOT_FOUND") return undefined;
      throw e;
    }
    const r = rows[0];
    if (r === undefined) return undefined;
    const out: { rows?: number; bytes?: number } = {};
    if (r.sizeInBytes !== undefined && r.sizeInBytes !== null) out.bytes = Number(r.sizeInBytes);
    if (r.numRecords !== undefined && r.numRecords !== null) out.rows = Number(r.numRecords);
    return out;
  }

  private schemaName(ref: SchemaRef): string {
    const catalog = this.catalog(ref);
    return catalog ? `${this.quoteIdent(catalog)}.${this.quoteIdent(ref.schema)}` : this.quoteIdent(ref.schema);
  }

  async createSchema(ref: SchemaRef): Promise<void> {
    await this.execute(`CREATE SCHEMA IF NOT EXISTS ${this.schemaName(ref)}`);
  }

  async dropSchema(ref: SchemaRef, options: { readonly cascade: boolean }): Promise<void> {
    await this.execute(`DROP SCHEMA IF EXISTS ${this.schemaName(ref)}${options.cascade ? " CASCADE" : ""}`);
  }

  async listSchemas(prefix = "", catalog?: string): Promise<string[]> {
    const cat = catalog ?? this.options.catalog;
    const rows = await this.query(
      `SELECT schema_name FROM ${this.infoSchema(cat)}.schemata WHERE lower(schema_name) LIKE lower(?)${cat ? " AND lower(catalog_name) = lower(?)" : ""} ORDER BY schema_name`,
      // `_` is a LIKE wildcard: the pattern over-matches and the filter below is exact.
      cat ? [`${prefix}%`, cat] : [`${prefix}%`],
    );
    return rows.map((r) => String(r.schema_name)).filter((s) => s.toLowerCase().startsWith(prefix.toLowerCase()));
  }

  qualify(ref: TableRef): string {
    const catalog = this.catalog(ref);
    return [catalog, ref.schema, ref.table]
      .filter((p): p is string => p !== undefined)
      .map((p) => this.quoteIdent(p))
      .join(".");
  }

  quoteIdent(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `\`${name.replace(/`/g, "``")}\``;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.close().catch(() => {});
    await this.client.close().catch(() => {});
  }
}

const RESERVED = new Set(["SELECT", "FROM", "WHERE", "TABLE", "ORDER", "GROUP", "BY", "USER", "UNION", "ALL", "JOIN", "ON", "AS", "CASE", "END", "LIMIT"]);

function classify(message: string, http: string | undefined, cls: string | undefined, phase: "connect" | "execute"): AdapterErrorKind {
  if (http === "401" || http === "403" || /unauthori[sz]ed|invalid access token|authentication/i.test(message)) return "auth";
  if (cls !== undefined) return "sql";
  if (http !== undefined && (http === "429" || http.startsWith("5"))) return "transient";
  if (/ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|premature close|network|AttemptsExceeded|TimeoutExceeded/i.test(message)) return "connection";
  return phase === "connect" ? "connection" : "sql";
}
