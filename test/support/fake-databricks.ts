/**
 * A loopback Databricks SQL warehouse for tests: the TCLIService Thrift protocol (HiveServer2) over
 * HTTPS, which the real `@databricks/sql` client speaks, over an in-memory DuckDB. The Processor
 * ships inside `@databricks/sql` (thrift/TCLIService.js); the server is thrift's createWebServer.
 * Bearer-token check, OpenSession with an initial catalog/schema, ExecuteStatement with ordinal
 * parameters, column-based results, Databricks error classes, Delta's `INSERT INTO t REPLACE WHERE`
 * (as DELETE + INSERT in one DuckDB transaction, with Delta's check), and fault injection (an HTTP status
 * N times, a dropped connection N times). Guids are valid UUIDs (the client stringifies them).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBResultReader, type DuckDBType, DuckDBTypeId, type DuckDBValue } from "@duckdb/node-api";
import type { TestCert } from "./tls.js";

const require = createRequire(import.meta.url);
const sqlDir = dirname(require.resolve("@databricks/sql/package.json"));
// The same thrift runtime and Int64 class the generated code and the client use.
const thrift = require(require.resolve("thrift", { paths: [sqlDir] }));
const Int64 = require(require.resolve("node-int64", { paths: [sqlDir] }));
const TCLIService = require("@databricks/sql/thrift/TCLIService");
const T = require("@databricks/sql/thrift/TCLIService_types");

export interface FakeDatabricksFaults {
  /** Answer this HTTP status instead of the Thrift call, `count` times. */
  status?: { count: number; status: number };
  /** Destroy the socket, `count` times. */
  drop?: { count: number };
}

export interface FakeDatabricksOptions {
  readonly cert: TestCert;
  readonly token?: string;
  readonly path?: string;
  readonly faults?: FakeDatabricksFaults;
  /** Canned answers for statements DuckDB cannot run (DESCRIBE DETAIL ...). */
  readonly canned?: (sql: string) => { columns: string[]; rows: (string | number | null)[][] } | undefined;
}

export interface FakeDatabricks {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly token: string;
  readonly faults: FakeDatabricksFaults;
  /** Thrift calls and HTTP requests, in order. */
  readonly calls: { name: string; statement?: string; auth?: string }[];
  sql(text: string): Promise<Record<string, unknown>[]>;
  statements(): string[];
  close(): Promise<void>;
}

type Callback = (err: unknown, result?: unknown) => void;
interface Handle {
  guid: Buffer;
  secret: Buffer;
}
interface Op {
  reader?: DuckDBResultReader;
  canned?: { columns: string[]; rows: (string | number | null)[][] };
  fetched: boolean;
}

const OK = { statusCode: T.TStatusCode.SUCCESS_STATUS };
const newHandle = (): Handle => ({ guid: Buffer.from(randomUUID().replace(/-/g, ""), "hex"), secret: randomBytes(16) });
const keyOf = (h: Handle) => h.guid.toString("hex");

function columnType(t: DuckDBType | undefined): [number, string] {
  switch (t?.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return [T.TTypeId.BOOLEAN_TYPE, "boolVal"];
    case DuckDBTypeId.TINYINT:
      return [T.TTypeId.TINYINT_TYPE, "byteVal"];
    case DuckDBTypeId.SMALLINT:
      return [T.TTypeId.SMALLINT_TYPE, "i16Val"];
    case DuckDBTypeId.INTEGER:
      return [T.TTypeId.INT_TYPE, "i32Val"];
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
      return [T.TTypeId.BIGINT_TYPE, "i64Val"];
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return [T.TTypeId.DOUBLE_TYPE, "doubleVal"];
    case DuckDBTypeId.DECIMAL:
      return [T.TTypeId.DECIMAL_TYPE, "stringVal"];
    case DuckDBTypeId.DATE:
      return [T.TTypeId.DATE_TYPE, "stringVal"];
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return [T.TTypeId.TIMESTAMP_TYPE, "stringVal"];
    default:
      return [T.TTypeId.STRING_TYPE, "stringVal"];
  }
}

/** DuckDB's error → a Databricks error class and SQLSTATE. */
function errorClass(message: string): { cls: string; sqlState: string } {
  if (message.startsWith(REPLACE_WHERE_MISMATCH)) return { cls: "DELTA_REPLACE_WHERE_MISMATCH", sqlState: "44000" };
  if (/^Catalog Error/.test(message) && /does not exist|not found/i.test(message)) return { cls: "TABLE_OR_VIEW_NOT_FOUND", sqlState: "42P01" };
  if (/^Parser Error/.test(message)) return { cls: "PARSE_SYNTAX_ERROR", sqlState: "42601" };
  if (/^Binder Error/.test(message)) return { cls: "UNRESOLVED_COLUMN", sqlState: "42703" };
  return { cls: "INTERNAL_ERROR", sqlState: "XX000" };
}

const REPLACE_WHERE_MISMATCH = "Written data does not conform to partial table overwrite condition or constraint";

interface ReplaceWhere {
  readonly target: string;
  readonly predicate: string;
  readonly query: string;
}

/**
 * Delta's `INSERT INTO [TABLE] t REPLACE WHERE <predicate> <query>` (DuckDB has no such statement):
 * the predicate ends at the query's first keyword (SELECT, WITH, VALUES or TABLE) outside
 * parentheses and strings (a parenthesised query is not recognised).
 */
function replaceWhere(sql: string): ReplaceWhere | undefined {
  const head = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?((?:"[^"]*"|[\w$]+)(?:\.(?:"[^"]*"|[\w$]+))*)\s+REPLACE\s+WHERE\s+/i.exec(sql);
  if (!head) return undefined;
  const rest = sql.slice(head[0].length);
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === "'" || c === '"') {
      const close = rest.indexOf(c, i + 1);
      i = close < 0 ? rest.length : close;
      continue;
    }
    if (depth === 0 && i > 0 && /\s/.test(rest[i - 1]) && /^(SELECT|WITH|VALUES|TABLE)\b/i.test(rest.slice(i))) {
      return { target: head[1], predicate: rest.slice(0, i).trim(), query: rest.slice(i).trim() };
    }
    if (c === "(") depth++;
    if (c === ")") depth--;
  }
  return undefined;
}

/**
 * REPLACE WHERE as Delta does it, in one DuckDB transaction: the rows are computed first (shaped
 * as the target, by position), every one must match the predicate (else DELTA_REPLACE_WHERE_MISMATCH
 * and nothing changes), then the matching rows are deleted and the new ones inserted. Answers the
 * INSERT's count.
 */
async function runReplaceWhere(conn: DuckDBConnection, r: ReplaceWhere): Promise<DuckDBResultReader> {
  await conn.run("BEGIN TRANSACTION");
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE rocky_fake_replace AS SELECT * FROM ${r.target} LIMIT 0`);
    await conn.run(`INSERT INTO rocky_fake_replace ${r.query}`);
    const bad = await conn.runAndReadAll(`SELECT COUNT(*) FROM rocky_fake_replace WHERE (${r.predicate}) IS NOT TRUE`);
    if (Number(bad.getRows()[0]?.[0] ?? 0) > 0) throw new Error(`${REPLACE_WHERE_MISMATCH} '${r.predicate}'.`);
    await conn.run(`DELETE FROM ${r.target} WHERE ${r.predicate}`);
    const reader = await conn.runAndReadAll(`INSERT INTO ${r.target} SELECT * FROM rocky_fake_replace`);
    await conn.run("DROP TABLE rocky_fake_replace");
    await conn.run("COMMIT");
    return reader;
  } catch (e) {
    await conn.run("ROLLBACK").catch(() => {});
    throw e;
  }
}

/** `?` → `$n` outside strings; `` `x` `` → `"x"`; `cat.information_schema` → `information_schema`. */
function toDuckDb(sql: string): string {
  let i = 0;
  return sql
    .split(/('(?:[^'\\]|\\.|'')*')/)
    .map((part, j) =>
      j % 2
        ? part
        : part
            .replace(/\?/g, () => `$${++i}`)
            .replace(/`([^`]*)`/g, (_, n: string) => `"${n.replace(/"/g, '""')}"`)
            .replace(/(?:"[^"]+"|\w+)\.information_schema\./gi, "information_schema."),
    )
    .join("");
}

export async function startFakeDatabricks(options: FakeDatabricksOptions): Promise<FakeDatabricks> {
  const token = options.token ?? "dapi-test";
  const path = options.path ?? "/sql/1.0/warehouses/abc123";
  const faults: FakeDatabricksFaults = options.faults ?? {};
  const instance = await DuckDBInstance.create(":memory:");
  const admin = await instance.connect();
  const attached = new Set<string>();
  const sessions = new Map<string, DuckDBConnection>();
  const ops = new Map<string, Op>();
  const calls: FakeDatabricks["calls"] = [];

  const ensureNamespace = async (catalog: string, schema: string | undefined) => {
    if (!attached.has(catalog.toLowerCase())) {
      await admin.run(`ATTACH ':memory:' AS "${catalog}"`);
      attached.add(catalog.toLowerCase());
    }
    const s = schema ?? "default";
    await admin.run(`CREATE SCHEMA IF NOT EXISTS "${catalog}"."${s}"`);
    return `"${catalog}"."${s}"`;
  };

  const handler = {
    OpenSession(req: { initialNamespace?: { catalogName?: string; schemaName?: string } }, cb: Callback) {
      calls.push({ name: "OpenSession" });
      (async () => {
        const ns = await ensureNamespace(req.initialNamespace?.catalogName ?? "hive_metastore", req.initialNamespace?.schemaName);
        const conn = await instance.connect();
        await conn.run(`USE ${ns}`);
        const h = newHandle();
        sessions.set(keyOf(h), conn);
        cb(null, { status: OK, serverProtocolVersion: T.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8, sessionHandle: { sessionId: h }, configuration: {} });
      })().catch(cb);
    },
    CloseSession(req: { sessionHandle: { sessionId: Handle } }, cb: Callback) {
      calls.push({ name: "CloseSession" });
      const k = keyOf(req.sessionHandle.sessionId);
      sessions.get(k)?.closeSync();
      sessions.delete(k);
      cb(null, { status: OK });
    },
    GetInfo(_req: unknown, cb: Callback) {
      calls.push({ name: "GetInfo" });
      cb(null, { status: OK, infoValue: { stringValue: "fake-dbsql" } });
    },
    ExecuteStatement(req: { sessionHandle: { sessionId: Handle }; statement: string; parameters?: { value?: { stringValue?: string } }[] }, cb: Callback) {
      calls.push({ name: "ExecuteStatement", statement: req.statement });
      (async () => {
        const conn = sessions.get(keyOf(req.sessionHandle.sessionId));
        if (!conn) return cb(null, { status: { statusCode: T.TStatusCode.INVALID_HANDLE_STATUS, errorMessage: "Invalid SessionHandle" } });
        const h = newHandle();
        const canned = options.canned?.(req.statement);
        if (canned) {
          ops.set(keyOf(h), { canned, fetched: false });
        } else {
          const params = (req.parameters ?? []).map((p) => p.value?.stringValue ?? null);
          try {
            const sql = toDuckDb(req.statement);
            const replace = replaceWhere(sql);
            const reader = replace ? await runReplaceWhere(conn, replace) : await conn.runAndReadAll(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);
            ops.set(keyOf(h), { reader, fetched: false });
          } catch (e) {
            const message = (e as Error).message;
            const { cls, sqlState } = errorClass(message);
            return cb(null, { status: { statusCode: T.TStatusCode.ERROR_STATUS, errorMessage: `[${cls}] ${message}`, sqlState, errorCode: 0 } });
          }
        }
        cb(null, { status: OK, operationHandle: { operationId: h, operationType: T.TOperationType.EXECUTE_STATEMENT, hasResultSet: true } });
      })().catch(cb);
    },
    GetOperationStatus(_req: unknown, cb: Callback) {
      calls.push({ name: "GetOperationStatus" });
      cb(null, { status: OK, operationState: T.TOperationState.FINISHED_STATE, hasResultSet: true });
    },
    GetResultSetMetadata(req: { operationHandle: { operationId: Handle } }, cb: Callback) {
      calls.push({ name: "GetResultSetMetadata" });
      const op = ops.get(keyOf(req.operationHandle.operationId));
      const names = op?.canned?.columns ?? op?.reader?.columnNames() ?? [];
      const types = op?.reader?.columnTypes() ?? [];
      cb(null, {
        status: OK,
        resultFormat: T.TSparkRowSetType.COLUMN_BASED_SET,
        schema: { columns: names.map((n, i) => ({ columnName: n, position: i + 1, typeDesc: { types: [{ primitiveEntry: { type: columnType(types[i])[0] } }] } })) },
      });
    },
    FetchResults(req: { operationHandle: { operationId: Handle } }, cb: Callback) {
      calls.push({ name: "FetchResults" });
      const op = ops.get(keyOf(req.operationHandle.operationId));
      if (!op || op.fetched) return cb(null, { status: OK, hasMoreRows: false, results: { startRowOffset: 0, rows: [], columns: [] } });
      op.fetched = true;
      const rows: DuckDBValue[][] = op.canned ? (op.canned.rows as DuckDBValue[][]) : (op.reader?.getRows() ?? []);
      const width = op.canned ? op.canned.columns.length : (op.reader?.columnCount ?? 0);
      const types = op.reader?.columnTypes() ?? [];
      const columns = Array.from({ length: width }, (_, c) => {
        const [, field] = columnType(types[c]);
        const nulls = Buffer.alloc(Math.ceil(rows.length / 8) || 1);
        const values = rows.map((r, i) => {
          const v = r[c];
          if (v === null) nulls[i >> 3] |= 1 << (i % 8);
          if (field === "i64Val") return new Int64(BigInt.asUintN(64, v === null ? 0n : BigInt(v as bigint)).toString(16).padStart(16, "0"));
          if (field === "stringVal") return v === null ? "" : String(v);
          if (field === "boolVal") return Boolean(v);
          return v === null ? 0 : Number(v);
        });
        return { [field]: { values, nulls } };
      });
      cb(null, { status: OK, hasMoreRows: false, results: { startRowOffset: 0, rows: [], columns } });
    },
    CloseOperation(req: { operationHandle: { operationId: Handle } }, cb: Callback) {
      calls.push({ name: "CloseOperation" });
      ops.delete(keyOf(req.operationHandle.operationId));
      cb(null, { status: OK });
    },
    CancelOperation(_req: unknown, cb: Callback) {
      calls.push({ name: "CancelOperation" });
      cb(null, { status: OK });
    },
  };

  const server: Server = thrift.createWebServer({
    tls: { key: options.cert.key, cert: options.cert.cert },
    services: { [path]: { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol, processor: TCLIService, handler } },
  });
  const [thriftListener] = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    calls.push({ name: `HTTP ${req.method} ${req.url}`, auth: req.headers.authorization });
    if (req.url?.startsWith("/api/") || req.url?.startsWith("/telemetry")) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (faults.drop && faults.drop.count > 0) {
      faults.drop.count--;
      req.socket.destroy();
      return;
    }
    if (faults.status && faults.status.count > 0) {
      faults.status.count--;
      res.writeHead(faults.status.status, { "content-type": "text/plain" });
      res.end("injected fault");
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { "content-type": "text/plain" });
      res.end("Unauthorized");
      return;
    }
    thriftListener(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    path,
    token,
    faults,
    calls,
    sql: async (text) => (await admin.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[],
    statements: () => calls.filter((c) => c.name === "ExecuteStatement").map((c) => c.statement ?? ""),
    close: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      for (const c of sessions.values()) c.closeSync();
      admin.closeSync();
      instance.closeSync();
    },
  };
}
