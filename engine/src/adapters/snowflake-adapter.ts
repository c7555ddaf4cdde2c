import type { Connection, RowStatement } from "snowflake-sdk";
import type { SourceColumn } from "../project/types.js";
import { AdapterError, type AdapterErrorKind, adapterSection } from "./adapter-error.js";
import type { AdapterCapabilities, ExecuteResult, Row, SchemaRef, TableRef, TableStats, WarehouseAdapter } from "./warehouse-adapter.js";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "./with-retry.js";

export interface SnowflakeAdapterOptions {
  readonly id?: string;
  readonly account: string;
  readonly username: string;
  readonly password?: string;
  /** PEM private key for key-pair (SNOWFLAKE_JWT) authentication. */
  readonly privateKey?: string;
  readonly privateKeyPass?: string;
  readonly database?: string;
  readonly schema?: string;
  readonly warehouse?: string;
  readonly role?: string;
  /** Where to connect instead of `<account>.snowflakecomputing.com` (tests: `http://127.0.0.1:PORT`). */
  readonly accessUrl?: string;
  readonly retry?: RetryPolicy;
  /** Seconds before a login attempt gives up (default 60). */
  readonly loginTimeoutSeconds?: number;
  /**
   * Give up on a statement with no answer after this long. snowflake-sdk retries 5xx answers and
   * dropped connections itself, with backoff up to 16 s, for minutes; this bounds the wait. The
   * statement may still run on the warehouse, so it is reported and never re-sent. Default: none.
   */
  readonly statementTimeoutMs?: number;
}

const CAPABILITIES: AdapterCapabilities = {
  describe: true,
  tableStats: true,
  merge: true,
  createSchema: true,
  clone: true,
  materializedView: true,
  dynamicTable: true,
  createOrReplace: true,
  transactions: true,
};

type SnowflakeSdk = typeof import("snowflake-sdk");

/**
 * Snowflake through `snowflake-sdk` 3.3 (loaded on first use). Password or key-pair login with
 * `connect(cb)`: `connectAsync()` resolves even when the login fails.
 */
export async function createSnowflakeAdapter(options: SnowflakeAdapterOptions): Promise<WarehouseAdapter> {
  const id = options.id ?? "snowflake";
  if (!options.account || !options.username) throw new AdapterError({ adapter: id, kind: "config", detail: "`account` and `user` are required" });
  if (!options.password && !options.privateKey) throw new AdapterError({ adapter: id, kind: "config", detail: "give `password` or `private_key` (key-pair authentication)" });
  let sdk: SnowflakeSdk;
  try {
    const mod = (await import("snowflake-sdk")) as SnowflakeSdk & { default?: SnowflakeSdk };
    sdk = mod.default ?? mod;
  } catch (e) {
    throw new AdapterError({ adapter: id, kind: "driver", detail: `cannot load snowflake-sdk: ${(e as Error).message}`, cause: e });
  }
  sdk.configure({ logLevel: "OFF" } as Parameters<SnowflakeSdk["configure"]>[0]);
  const adapter = new SnowflakeAdapter(id, sdk, options);
  await withRetry(adapter.retry, () => adapter.connect());
  return adapter;
}

class SnowflakeAdapter implements WarehouseAdapter {
  readonly type = "snowflake" as const;
  readonly dialect = "snowflake" as const;
  readonly capabilities = CAPABILITIES;
  readonly retry: RetryPolicy;
  readonly computeWarehouse?: string;
  private conn: Connection | undefined;

  constructor(
    readonly id: string,
    private readonly sdk: SnowflakeSdk,
    private readonly options: SnowflakeAdapterOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    if (options.warehouse) this.computeWarehouse = options.warehouse;
  }

  async connect(): Promise<void> {
    const o = this.options;
    const conn = this.sdk.createConnection({
      account: o.account,
      username: o.username,
      ...(o.privateKey ? { authenticator: "SNOWFLAKE_JWT", privateKey: o.privateKey, ...(o.privateKeyPass ? { privateKeyPass: o.privateKeyPass } : {}) } : { password: o.password }),
      ...(o.database ? { database: o.database } : {}),
      ...(o.schema ? { schema: o.schema } : {}),
      ...(o.warehouse ? { warehouse: o.warehouse } : {}),
      ...(o.role ? { role: o.role } : {}),
      ...(o.accessUrl ? { accessUrl: o.accessUrl } : {}),
      application: "rocky-review",
      sfRetryMaxLoginRetries: this.retry.maxRetries,
      loginTimeout: o.loginTimeoutSeconds ?? 60,
    } as unknown as Parameters<SnowflakeSdk["createConnection"]>[0]);
    await new Promise<void>((resolve, reject) => {
      conn.connect((err) => (err ? reject(this.error(err, undefined, "connect")) : resolve()));
    });
    this.conn = conn;
  }

  private error(err: unknown, statement: string | undefined, phase: "connect" | "execute"): AdapterError {
    return snowflakeError(this.id, err, statement, phase);
  }

  private async run(sql: string, params?: readonly unknown[]): Promise<{ stmt: RowStatement; rows: Row[] }> {
    return withRetry(this.retry, async () => {
      if (this.conn === undefined || !this.conn.isUp()) await this.connect();
      const conn = this.conn as Connection;
      return new Promise((resolve, reject) => {
        const limit = this.options.statementTimeoutMs;
        const timer =
          limit === undefined
            ? undefined
            : setTimeout(() => {
                reject(
                  new AdapterError({
                    adapter: `snowflake adapter "${this.id}"`,
                    kind: "connection",
                    detail: `no answer within ${limit} ms (the connection keeps dropping or the warehouse is unavailable); the statement may still run, so it is not re-sent`,
                    statement: sql,
                    retryable: false,
                  }),
                );
              }, limit);
        conn.execute({
          sqlText: sql,
          ...(params && params.length > 0 ? { binds: params as never } : {}),
          complete: (err, stmt, rows) => {
            clearTimeout(timer);
            if (err) reject(this.error(err, sql, "execute"));
            else resolve({ stmt: stmt as RowStatement, rows: (rows ?? []) as Row[] });
          },
        });
      });
    });
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecuteResult> {
    const { stmt } = await this.run(sql, params);
    const n = stmt.getNumUpdatedRows?.();
    const queryId = stmt.getQueryId?.();
    return { ...(typeof n === "number" ? { rowsAffected: n } : {}), ...(queryId ? { queryId } : {}) };
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return (await this.run(sql, params)).rows;
  }

  private catalog(ref: { readonly catalog?: string }): string | undefined {
    return ref.catalog ?? this.options.database;
  }

  private infoSchema(catalog: string | undefined): string {
    return catalog ? `${this.quoteIdent(catalog)}.information_schema` : "information_schema";
  }

  async describeTable(ref: TableRef): Promise<SourceColumn[] | undefined> {
    const catalog = this.catalog(ref);
    const rows = await this.query(
      `SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale FROM ${this.infoSchema(catalog)}.columns
        WHERE UPPER(table_schema) = UPPER(?) AND UPPER(table_name) = UPPER(?)${catalog ? " AND UPPER(table_catalog) = UPPER(?)" : ""} ORDER BY ordinal_position`,
      catalog ? [ref.schema, ref.table, catalog] : [ref.schema, ref.table],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: String(r.COLUMN_NAME), type: snowflakeType(r), nullable: r.IS_NULLABLE !== "NO" }));
  }

  async tableStats(ref: TableRef): Promise<TableStats | undefined> {
    const catalog = this.catalog(ref);
    const rows = await this.query(
      `SELECT row_count, bytes FROM ${this.infoSchema(catalog)}.tables WHERE UPPER(table_schema) = UPPER(?) AND UPPER(table_name) = UPPER(?)${catalog ? " AND UPPER(table_catalog) = UPPER(?)" : ""}`,
      catalog ? [ref.schema, ref.table, catalog] : [ref.schema, ref.table],
    );
    if (rows.length === 0) return undefined;
    const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
    const out: { rows?: number; bytes?: number } = {};
    const r = num(rows[0].ROW_COUNT);
    const b = num(rows[0].BYTES);
    if (r !== undefined) out.rows = r;
    if (b !== undefined) out.bytes = b;
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
    await this.execute(`DROP SCHEMA IF EXISTS ${this.schemaName(ref)}${options.cascade ? " CASCADE" : " RESTRICT"}`);
  }

  async listSchemas(prefix = "", catalog?: string): Promise<string[]> {
    const cat = catalog ?? this.options.database;
    const rows = await this.query(
      `SELECT schema_name FROM ${this.infoSchema(cat)}.schemata WHERE UPPER(schema_name) LIKE UPPER(?)${cat ? " AND UPPER(catalog_name) = UPPER(?)" : ""} ORDER BY schema_name`,
      // `_` is a LIKE wildcard: the pattern over-matches and the filter below is exact.
      cat ? [`${prefix}%`, cat] : [`${prefix}%`],
    );
    return rows.map((r) => String(r.SCHEMA_NAME)).filter((s) => s.toLowerCase().startsWith(prefix.toLowerCase()));
  }

  qualify(ref: TableRef): string {
    const catalog = this.catalog(ref);
    return [catalog, ref.schema, ref.table]
      .filter((p): p is string => p !== undefined)
      .map((p) => this.quoteIdent(p))
      .join(".");
  }

  /** Plain names stay unquoted (Snowflake folds them to upper case, as every other tool expects); others are quoted. */
  quoteIdent(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `"${name.replace(/"/g, '""')}"`;
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (conn === undefined || !conn.isUp()) return;
    await new Promise<void>((resolve) => conn.destroy(() => resolve()));
  }
}

/**
 * A snowflake-sdk failure as an AdapterError. A connection lost while a statement runs is not sent
 * again: snowflake-sdk has already retried that request (about 85 s, with the same request id, which
 * Snowflake runs once); a new send is a new query, which may run a second time (an incremental
 * INSERT twice) and makes each model wait minutes more on a warehouse that is gone. A lost login is
 * retried (it changes nothing), and so is a 429/5xx answer (the statement was not taken).
 */
export function snowflakeError(id: string, err: unknown, statement: string | undefined, phase: "connect" | "execute"): AdapterError {
  const e = err as { message?: string; code?: unknown; sqlState?: unknown; cause?: { code?: string } };
  const message = e.message ?? String(err);
  const code = e.code === undefined || e.code === null ? undefined : String(e.code);
  const sqlState = typeof e.sqlState === "string" ? e.sqlState : undefined;
  const kind = classify(message, code, sqlState, phase);
  const section = adapterSection(id);
  const hint =
    kind === "auth"
      ? `check \`user\` and \`password\` (or \`private_key_path\`) in ${section} of rocky.toml, or SNOWFLAKE_USER and SNOWFLAKE_PASSWORD`
      : kind === "connection"
        ? `check \`account\` in ${section} of rocky.toml (or SNOWFLAKE_ACCOUNT), and that Snowflake can be reached from here`
        : undefined;
  const ambiguous = kind === "connection" && phase === "execute";
  return new AdapterError({ adapter: `snowflake adapter "${id}"`, kind, detail: message, statement, code, sqlState, cause: err, ...(ambiguous ? { retryable: false } : {}), ...(hint ? { hint } : {}) });
}

const RESERVED = new Set(["SELECT", "FROM", "WHERE", "TABLE", "ORDER", "GROUP", "BY", "DEFAULT", "USER", "PRIMARY", "UNION", "ALL", "JOIN", "ON", "AS", "CASE", "END", "LIMIT", "SCHEMA", "DATABASE", "VIEW"]);

function snowflakeType(r: Row): string {
  const t = String(r.DATA_TYPE).toUpperCase();
  if (/^(NUMBER|DECIMAL|NUMERIC)$/.test(t) && r.NUMERIC_PRECISION !== null && r.NUMERIC_PRECISION !== undefined) return `NUMBER(${Number(r.NUMERIC_PRECISION)},${Number(r.NUMERIC_SCALE ?? 0)})`;
  if (t === "TEXT") return "VARCHAR";
  return t;
}

/** Which kind of failure a snowflake-sdk error is, by its code and message. */
function classify(message: string, code: string | undefined, sqlState: string | undefined, phase: "connect" | "execute"): AdapterErrorKind {
  if (code === "390100" || code === "390144" || code === "390114" || /incorrect username or password|jwt|authenticat/i.test(message)) return "auth";
  if (/\b(429|502|503|504)\b|service unavailable|too many requests|bad gateway/i.test(message)) return "transient";
  if (/ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|network error|could not reach|request to .* failed/i.test(message)) return "connection";
  if (sqlState !== undefined || /^(00|10)\d{4}$/.test(code ?? "")) return "sql";
  return phase === "connect" ? "connection" : "sql";
}
