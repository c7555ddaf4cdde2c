/**
 * Why a warehouse call failed:
 * - `auth`: wrong credentials, expired and unrenewable session;
 * - `connection`: the warehouse could not be reached or dropped the connection;
 * - `transient`: a 5xx / throttling answer the warehouse may not give next time;
 * - `sql`: the warehouse rejected the statement (syntax, missing object, constraint);
 * - `config`: the adapter is configured wrongly (missing host, unknown type);
 * - `driver`: the warehouse's npm driver could not be loaded.
 */
export type AdapterErrorKind = "auth" | "connection" | "transient" | "sql" | "config" | "driver";

export interface AdapterErrorInit {
  readonly adapter: string;
  readonly kind: AdapterErrorKind;
  readonly detail: string;
  readonly statement?: string;
  /** The warehouse's own error code (Snowflake `002003`, Databricks `TABLE_OR_VIEW_NOT_FOUND`, HTTP `503`). */
  readonly code?: string;
  readonly sqlState?: string;
  /** How many attempts were made (retries + 1). */
  readonly attempts?: number;
  /** Override: never retry this one (e.g. the statement may still be running). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/** A failed warehouse call, with a message that names the adapter, the statement and the code. */
export class AdapterError extends Error {
  readonly adapter: string;
  readonly kind: AdapterErrorKind;
  readonly statement?: string;
  readonly code?: string;
  readonly sqlState?: string;
  readonly attempts: number;
  /** The warehouse's own message, without the adapter/statement prefix. */
  readonly detail: string;
  private readonly retryable?: boolean;

  constructor(init: AdapterErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AdapterError";
    this.adapter = init.adapter;
    this.kind = init.kind;
    if (init.statement !== undefined) this.statement = init.statement;
    if (init.code !== undefined) this.code = init.code;
    if (init.sqlState !== undefined) this.sqlState = init.sqlState;
    this.attempts = init.attempts ?? 1;
    this.detail = init.detail;
    if (init.retryable !== undefined) this.retryable = init.retryable;
  }

  /** Worth retrying: the same call may succeed a moment later. */
  get transient(): boolean {
    return this.retryable ?? (this.kind === "transient" || this.kind === "connection");
  }
}

const KIND_TEXT: Record<AdapterErrorKind, string> = {
  auth: "authentication failed",
  connection: "connection failed",
  transient: "warehouse temporarily unavailable",
  sql: "SQL error",
  config: "configuration error",
  driver: "driver unavailable",
};

/** The first non-empty line of a statement, shortened: enough to find it, never the whole model. */
export function firstLine(sql: string, max = 120): string {
  const line = sql.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("--")) ?? sql.split("\n")[0] ?? "";
  const t = line.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function formatMessage(init: AdapterErrorInit): string {
  const code = init.code === undefined ? "" : ` ${init.code}${init.sqlState ? ` (SQLSTATE ${init.sqlState})` : ""}`;
  const where = init.statement === undefined ? "" : ` running \`${firstLine(init.statement)}\``;
  const tries = init.attempts !== undefined && init.attempts > 1 ? ` after ${init.attempts} attempts` : "";
  return `${init.adapter}: ${KIND_TEXT[init.kind]}${code}${where}${tries}: ${init.detail.trim()}`;
}
