/**
 * A loopback Snowflake for tests: Snowflake's HTTP protocol (the JSON result format the real
 * `snowflake-sdk` speaks) over an in-memory DuckDB. Login (password or key-pair JWT), query-request
 * with binds, typed rowtype/rowset, DML row counts, errors with Snowflake codes, 333334 async
 * polling, 390112 session renewal, chunked large results, logout; and fault injection: an HTTP
 * status N times, a dropped connection N times, an expired session, async answers.
 * Not Snowflake's SQL: statements run in DuckDB (see testing-offline.md §2).
 */
import { createHash, createPublicKey, randomBytes, randomUUID, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { type DuckDBConnection, DuckDBInstance, type DuckDBType, DuckDBTypeId, type DuckDBValue } from "@duckdb/node-api";

export interface FakeSnowflakeFaults {
  /** Answer this HTTP status instead of serving the path, `count` times. */
  status?: Record<string, { count: number; status: number }>;
  /** Destroy the socket of requests to this path, `count` times. */
  drop?: Record<string, { count: number }>;
  /** Answer query-requests with 390112 (session expired) `count` times. */
  expire?: { count: number };
  /** Answer query-requests with 333334 (still running; poll) `count` times. */
  async?: { count: number };
}

export interface FakeSnowflakeOptions {
  /** login name → password. */
  readonly users?: Readonly<Record<string, string>>;
  /** login name → public key (PEM) for SNOWFLAKE_JWT key-pair logins. */
  readonly keyUsers?: Readonly<Record<string, string>>;
  readonly faults?: FakeSnowflakeFaults;
  /** Canned answers for statements DuckDB cannot run (SHOW, Snowflake metadata): return rows or undefined. */
  readonly canned?: (sql: string) => { columns: { name: string; type: "text" | "fixed" | "real" }[]; rows: unknown[][] } | undefined;
  /** Rows per result chunk beyond the first (default 1000). */
  readonly chunkRows?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly auth?: string;
  readonly body?: Record<string, unknown> | null;
}

export interface FakeSnowflake {
  readonly url: string;
  readonly log: LoggedRequest[];
  /** Mutable: set faults after connecting. */
  readonly faults: FakeSnowflakeFaults;
  /** Run SQL directly in the backing DuckDB (setup and assertions). */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** The SQL texts of every query-request, in order. */
  statements(): string[];
  close(): Promise<void>;
}

interface RowType {
  name: string;
  type: string;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  database: string;
  schema: string;
  table: string;
  collation: null;
}

interface Session {
  master: string;
  conn: DuckDBConnection;
  db: string | null;
  schema: string;
  warehouse: string | null;
  role: string | null;
}

const PARAMS = [
  { name: "TIMEZONE", value: "UTC" },
  { name: "CLIENT_SESSION_KEEP_ALIVE", value: false },
  { name: "DATE_OUTPUT_FORMAT", value: "YYYY-MM-DD" },
  { name: "TIMESTAMP_NTZ_OUTPUT_FORMAT", value: "YYYY-MM-DD HH24:MI:SS.FF3" },
];

function rowType(name: string, t: DuckDBType | undefined): RowType {
  const base: RowType = { name: name.toUpperCase(), type: "text", nullable: true, precision: null, scale: null, length: 16777216, byteLength: 16777216, database: "", schema: "", table: "", collation: null };
  switch (t?.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return { ...base, type: "fixed", precision: 38, scale: 0, length: null, byteLength: null };
    case DuckDBTypeId.DECIMAL: {
      const d = t as unknown as { width: number; scale: number };
      return { ...base, type: "fixed", precision: d.width, scale: d.scale, length: null, byteLength: null };
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { ...base, type: "real", length: null, byteLength: null };
    case DuckDBTypeId.BOOLEAN:
      return { ...base, type: "boolean", length: null, byteLength: null };
    case DuckDBTypeId.DATE:
      return { ...base, type: "date", length: null, byteLength: null };
    case DuckDBTypeId.TIMESTAMP:
      return { ...base, type: "timestamp_ntz", scale: 9, length: null, byteLength: null };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { ...base, type: "timestamp_ltz", scale: 9, length: null, byteLength: null };
    default:
      return base;
  }
}

const fracSeconds = (micros: bigint) => {
  const s = micros / 1000000n;
  const r = micros % 1000000n;
  return `${s}.${(r < 0n ? -r : r).toString().padStart(6, "0")}000`;
};

/** A DuckDB value in Snowflake's JSON rowset encoding (everything is a string or null). */
function encode(v: DuckDBValue, rt: RowType): string | null {
  if (v === null || v === undefined) return null;
  const o = v as unknown as { days?: number; micros?: bigint };
  switch (rt.type) {
    case "boolean":
      return v ? "1" : "0";
    case "date":
      return String(o.days);
    case "timestamp_ntz":
    case "timestamp_ltz":
      return fracSeconds(o.micros as bigint);
    default:
      return String(v);
  }
}

/** Snowflake statement type ids, by first keyword. */
function statementTypeId(sql: string): number {
  const k = sql.trim().split(/\s+/)[0]?.toUpperCase() ?? "";
  const table: Record<string, number> = { SELECT: 0x1000, WITH: 0x1000, SHOW: 0x4000, DESCRIBE: 0x4000, INSERT: 0x3100, UPDATE: 0x3200, DELETE: 0x3300, MERGE: 0x3400 };
  return table[k] ?? 0x6000;
}

/** DuckDB's error → Snowflake's code and SQLSTATE. */
function snowflakeError(message: string): { code: string; sqlState: string } {
  if (/^Catalog Error/.test(message) && /does not exist|not found/i.test(message)) return { code: "002003", sqlState: "42S02" };
  if (/^Parser Error/.test(message)) return { code: "001003", sqlState: "42000" };
  if (/^Binder Error/.test(message)) return { code: "000904", sqlState: "42000" };
  if (/^Constraint Error/.test(message)) return { code: "100072", sqlState: "22000" };
  if (/^Conversion Error/.test(message)) return { code: "100038", sqlState: "22018" };
  return { code: "002003", sqlState: "42000" };
}

/** `:1` → `$1` outside quoted strings, `"DB".information_schema` → `information_schema`. */
function toDuckDb(sql: string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : part.replace(/(?<![:\w]):(\d+)\b/g, "$$$1").replace(/(?:"[^"]+"|\w+)\.information_schema\./gi, "information_schema.")))
    .join("");
}

export async function startFakeSnowflake(options: FakeSnowflakeOptions = {}): Promise<FakeSnowflake> {
  const users = options.users ?? { tester: "pw" };
  const faults: FakeSnowflakeFaults = options.faults ?? {};
  const chunkRows = options.chunkRows ?? 1000;
  const instance = await DuckDBInstance.create(":memory:");
  const admin = await instance.connect();
  const attached = new Set<string>();
  const sessions = new Map<string, Session>();
  const results = new Map<string, unknown>();
  const chunks = new Map<string, (string | null)[][]>();
  const log: LoggedRequest[] = [];
  let server: Server;

  const ensureDatabase = async (db: string | null, schema: string) => {
    if (db !== null && !attached.has(db.toUpperCase())) {
      await admin.run(`ATTACH ':memory:' AS "${db}"`);
      attached.add(db.toUpperCase());
    }
    const qualified = db === null ? `"${schema}"` : `"${db}"."${schema}"`;
    await admin.run(`CREATE SCHEMA IF NOT EXISTS ${qualified}`);
    return qualified;
  };

  const verifyJwt = (login: string, token: string): boolean => {
    const pem = options.keyUsers?.[login];
    if (pem === undefined) return false;
    const [h, p, s] = token.split(".");
    if (!h || !p || !s) return false;
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { iss?: string; sub?: string };
    const fingerprint = `SHA256:${createHash("sha256").update(createPublicKey(pem).export({ type: "spki", format: "der" })).digest("base64")}`;
    if (!claims.iss?.endsWith(fingerprint)) return false;
    return verify("RSA-SHA256", Buffer.from(`${h}.${p}`), pem, Buffer.from(s, "base64url"));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    let raw = Buffer.concat(parts);
    if (req.headers["content-encoding"] === "gzip" && raw.length > 0) raw = gunzipSync(raw);
    const body = raw.length > 0 ? (JSON.parse(raw.toString()) as Record<string, unknown>) : null;
    const url = new URL(req.url ?? "/", "http://x");
    log.push({ method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization, body });

    const send = (obj: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(obj));
    };
    const fail = (code: string, message: string, sqlState: string | null, status = 200, extra: Record<string, unknown> = {}) =>
      send({ data: { errorCode: code, sqlState, internalError: false, ...extra }, code, message, success: false, headers: null }, status);

    const drop = faults.drop?.[url.pathname];
    if (drop && drop.count > 0) {
      drop.count--;
      req.socket.destroy();
      return;
    }
    const injected = faults.status?.[url.pathname];
    if (injected && injected.count > 0) {
      injected.count--;
      res.writeHead(injected.status, { "content-type": "text/plain" });
      res.end("injected fault");
      return;
    }

    if (url.pathname === "/session/v1/login-request") {
      const d = (body?.data ?? {}) as Record<string, string>;
      const login = d.LOGIN_NAME;
      const ok = d.AUTHENTICATOR === "SNOWFLAKE_JWT" ? verifyJwt(login, d.TOKEN ?? "") : users[login] !== undefined && users[login] === d.PASSWORD;
      if (!ok) return fail("390100", "Incorrect username or password was specified.", "08004");
      const db = url.searchParams.get("databaseName");
      const schema = url.searchParams.get("schemaName") ?? "PUBLIC";
      const qualified = await ensureDatabase(db, schema);
      const conn = await instance.connect();
      await conn.run(`USE ${qualified}`);
      const token = `ver:1-hint:1-${randomBytes(16).toString("hex")}`;
      const master = `master-${randomBytes(16).toString("hex")}`;
      sessions.set(token, { master, conn, db, schema, warehouse: url.searchParams.get("warehouse"), role: url.searchParams.get("roleName") });
      return send({
        data: {
          token,
          masterToken: master,
          validityInSeconds: 3600,
          masterValidityInSeconds: 14400,
          sessionId: Date.now(),
          parameters: PARAMS,
          sessionInfo: { databaseName: db, schemaName: schema, warehouseName: url.searchParams.get("warehouse"), roleName: url.searchParams.get("roleName") },
          displayUserName: login,
          serverVersion: "fake-0.1",
          firstLogin: false,
        },
        code: null,
        message: "fake",
        success: true,
      });
    }

    const chunk = /^\/chunks\/([^/]+)$/.exec(url.pathname);
    if (chunk) {
      const rows = chunks.get(chunk[1]) ?? [];
      res.writeHead(200, { "content-type": "binary/octet-stream", "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.from(rows.map((r) => JSON.stringify(r)).join(","))));
      return;
    }

    const auth = /^Snowflake Token="(.*)"$/.exec(req.headers.authorization ?? "")?.[1];
    if (url.pathname === "/session/token-request") {
      const old = sessions.get(String(body?.oldSessionToken));
      if (!old || old.master !== auth) return fail("390114", "Authentication token has expired.  The user must authenticate again.", null);
      const token = `ver:1-hint:1-${randomBytes(16).toString("hex")}`;
      sessions.delete(String(body?.oldSessionToken));
      sessions.set(token, old);
      return send({ data: { sessionToken: token, validityInSecondsST: 3600, masterToken: old.master, validityInSecondsMT: 14400 }, success: true, code: null, message: null });
    }

    const s = auth === undefined ? undefined : sessions.get(auth);
    if (!s) return fail("390104", "User must login again to access the service.", null, 401);
    if (url.pathname === "/session" && url.searchParams.get("delete") === "true") {
      for (const [k, v] of sessions) if (v === s) sessions.delete(k);
      s.conn.closeSync();
      return send({ data: null, code: null, message: null, success: true });
    }
    if (url.pathname === "/session/heartbeat" || url.pathname === "/telemetry/send") return send({ data: null, success: true });
    const pending = /^\/queries\/([^/]+)\/result$/.exec(url.pathname);
    if (pending) return send(results.get(pending[1]) ?? { success: false, code: "000709", message: "query not found", data: null });
    if (url.pathname !== "/queries/v1/query-request") return fail("000404", `fake: no route ${url.pathname}`, null, 404);

    if (faults.expire && faults.expire.count > 0) {
      faults.expire.count--;
      return fail("390112", "Your session has expired. Please login again.", null);
    }
    const queryId = randomUUID();
    const sqlText = String(body?.sqlText ?? "");
    const bindings = (body?.bindings ?? undefined) as Record<string, { type: string; value: string }> | undefined;
    const binds = bindings
      ? Object.keys(bindings)
          .sort((a, b) => Number(a) - Number(b))
          .map((k) => {
            const b = bindings[k];
            if (b.type === "FIXED" || b.type === "REAL") return Number(b.value);
            if (b.type === "BOOLEAN") return b.value === "true";
            return b.value;
          })
      : undefined;

    let rowtype: RowType[];
    let rowset: (string | null)[][];
    const canned = options.canned?.(sqlText);
    if (canned) {
      rowtype = canned.columns.map((c) => ({ ...rowType(c.name, undefined), type: c.type, ...(c.type === "fixed" ? { precision: 38, scale: 0 } : {}) }));
      rowset = canned.rows.map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
    } else {
      let reader: Awaited<ReturnType<DuckDBConnection["runAndReadAll"]>>;
      try {
        reader = await s.conn.runAndReadAll(toDuckDb(sqlText), binds as DuckDBValue[] | undefined);
      } catch (e) {
        const message = (e as Error).message;
        const { code, sqlState } = snowflakeError(message);
        return fail(code, `SQL compilation error:\n${message}`, sqlState, 200, { queryId });
      }
      const st = statementTypeId(sqlText);
      const types = reader.columnTypes();
      rowtype = reader.columnNames().map((n, i) => rowType(n, types[i]));
      const rows = reader.getRows();
      if (st >= 0x3000 && st < 0x4000) {
        const n = rows.length > 0 ? Number(rows[0][0]) : 0;
        const label = st === 0x3100 ? "number of rows inserted" : st === 0x3200 ? "number of rows updated" : st === 0x3300 ? "number of rows deleted" : "number of rows merged";
        rowtype = [{ ...rowType(label, undefined), type: "fixed", precision: 19, scale: 0, nullable: false, name: label }];
        rowset = [[String(n)]];
      } else if (st >= 0x6000) {
        rowtype = [rowType("status", undefined)];
        rowset = [["Statement executed successfully."]];
      } else {
        rowset = rows.map((r) => r.map((v, j) => encode(v, rowtype[j])));
      }
    }
    const st = statementTypeId(sqlText);
    let inline = rowset;
    let chunkList: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] | undefined;
    if (rowset.length > chunkRows) {
      inline = rowset.slice(0, chunkRows);
      chunkList = [];
      for (let i = chunkRows; i < rowset.length; i += chunkRows) {
        const id = randomUUID();
        chunks.set(id, rowset.slice(i, i + chunkRows));
        chunkList.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chunks/${id}`, rowCount: Math.min(chunkRows, rowset.length - i), uncompressedSize: 0, compressedSize: 0 });
      }
    }
    const data = {
      parameters: PARAMS,
      rowtype,
      rowset: inline,
      chunks: chunkList,
      qrmk: chunkList ? "ZmFrZS1xcm1r" : undefined,
      total: rowset.length,
      returned: rowset.length,
      queryId,
      finalDatabaseName: s.db,
      finalSchemaName: s.schema,
      finalWarehouseName: s.warehouse,
      finalRoleName: s.role,
      numberOfBinds: binds?.length ?? 0,
      arrayBindSupported: false,
      statementTypeId: st,
      version: 1,
      sendResultTime: Date.now(),
      queryResultFormat: "json",
      queryContext: { entries: [] },
    };
    const resp = { data, code: null, message: null, success: true };
    if (faults.async && faults.async.count > 0) {
      faults.async.count--;
      results.set(queryId, resp);
      return send({
        data: { queryId, getResultUrl: `/queries/${queryId}/result`, queryAbortsAfterSecs: 300, progressDesc: null },
        code: "333334",
        message: "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
        success: true,
      });
    }
    return send(resp);
  };

  server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (res.headersSent) return;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: false, code: "000603", message: `fake internal: ${e.message}`, data: null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    faults,
    sql: async (text) => (await admin.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[],
    statements: () => log.filter((l) => l.path === "/queries/v1/query-request").map((l) => String(l.body?.sqlText)),
    close: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      for (const s of sessions.values()) s.conn.closeSync();
      admin.closeSync();
      instance.closeSync();
    },
  };
}
