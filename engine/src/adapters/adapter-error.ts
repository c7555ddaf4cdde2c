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
  /** What the user can do about it, when the adapter knows better than its kind's default (`hint`). */
  readonly hint?: string;
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
  /** What the user can do about it: the adapter's own advice, else its kind's. */
  readonly hint: string;
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
    this.hint = init.hint ?? KIND_HINT[init.kind];
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

const KIND_HINT: Record<AdapterErrorKind, string> = {
  auth: "check the adapter's credentials in rocky.toml, or the environment variables it reads them from",
  connection: "check the adapter's connection settings in rocky.toml, and that the warehouse can be reached from here",
  transient: "the warehouse may answer a moment later: run the command again",
  sql: "the warehouse rejected the statement: check it, and that the adapter's role may run it",
  config: "fix the adapter's settings in rocky.toml",
  driver: "reinstall rocky-review's dependencies (npm install)",
};

/** Where an adapter is configured in rocky.toml: `[adapter]` for the unnamed one, else `[adapter.NAME]`. */
export function adapterSection(id: string): string {
  return id === "default" ? "[adapter]" : `[adapter.${id}]`;
}

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
