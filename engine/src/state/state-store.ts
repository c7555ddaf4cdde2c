import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Database, RootDatabase } from "lmdb";
import type { SourceColumn } from "../project/types.js";
import { branchKey, DB_NAMES, type DbName, LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, type MigrationContext } from "./migrations.js";
import { StateStoreError } from "./state-store-error.js";
import type {
  BranchRecord,
  RecentRun,
  RunHistoryQuery,
  RunRecord,
  RunSummary,
  SchemaCacheEntry,
  StateReader,
  StateStore,
  Watermark,
} from "./state-types.js";

export interface StateStoreOptions {
  /** The clock (tests pin it). */
  readonly now?: () => Date;
  /** How long a webhook delivery id is remembered (default 7 days). */
  readonly deliveryTtlMs?: number;
  /** Default TTL of schema-cache entries (default 86,400 s, Rocky's `[cache.schemas] ttl_seconds`). */
  readonly schemaTtlSeconds?: number;
  /** The migrations to apply (tests open a store at an older version); default: all of them. */
  readonly migrations?: readonly Migration[];
}

const DEFAULT_DELIVERY_TTL_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_SCHEMA_TTL_SECONDS = 86_400;
const LMDB_MAGIC = 0xbeefc0de;
const MAX_STRING = "\uffff";

/**
 * Open (creating and migrating when needed) the state store at `path`, a directory holding an
 * lmdb environment. Throws `StateStoreError` for a corrupt, newer-version or unopenable store.
 */
export async function openStateStore(path: string, options: StateStoreOptions = {}): Promise<StateStore> {
  const env = await openEnv(path, false);
  const store = new LmdbStateStore(path, env, options);
  try {
    store.migrate(options.migrations ?? MIGRATIONS);
  } catch (e) {
    await env.close().catch(() => {});
    throw e;
  }
  return store;
}

/** Open an existing state store for reading only (the review and `rocky history`). */
export async function openStateReader(path: string, options: StateStoreOptions = {}): Promise<StateReader & { close(): Promise<void> }> {
  if (!existsSync(join(path, "data.mdb"))) throw new StateStoreError("missing", path, "no state store here (nothing has run yet)");
  const env = await openEnv(path, true);
  const store = new LmdbStateStore(path, env, options);
  try {
    store.checkVersion(options.migrations ?? MIGRATIONS);
  } catch (e) {
    await env.close().catch(() => {});
    throw e;
  }
  return store;
}

async function openEnv(path: string, readOnly: boolean): Promise<RootDatabase> {
  checkLmdbDir(path);
  const { open } = await import("lmdb");
  try {
    return open({ path, compression: false, maxDbs: 32, readOnly });
  } catch (e) {
    throw new StateStoreError("unavailable", path, `cannot open: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * lmdb trusts its files: opening a damaged data.mdb can crash the process (a segfault, seen here).
 * Check what can be checked cheaply before handing the path to lmdb: a directory, and meta pages
 * with lmdb's magic. Throws StateStoreError("corrupt"). Exported for other lmdb users (the compile cache).
 */
export function checkLmdbDir(path: string): void {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) throw new StateStoreError("corrupt", path, "is a file, not a state store directory; move it away or point the state path elsewhere");
  const data = join(path, "data.mdb");
  if (!existsSync(data)) return;
  const size = statSync(data).size;
  if (size === 0) return;
  const fd = openSync(data, "r");
  try {
    const head = Buffer.alloc(Math.min(size, 2 * 65536));
    readSync(fd, head, 0, head.length, 0);
    if (!hasMagic(head, 0)) throw new StateStoreError("corrupt", path, "data.mdb is not an lmdb file (bad meta page); delete the directory to start a fresh store");
    const secondMeta = [4096, 8192, 16384, 32768, 65536].some((ps) => ps < head.length && hasMagic(head, ps));
    if (size >= 8192 && !secondMeta) throw new StateStoreError("corrupt", path, "data.mdb has a damaged second meta page; delete the directory to start a fresh store");
  } finally {
    closeSync(fd);
  }
}

function hasMagic(buf: Buffer, at: number): boolean {
  for (let i = at; i + 4 <= Math.min(buf.length, at + 64); i += 4) if (buf.readUInt32LE(i) === LMDB_MAGIC) return true;
  return false;
}

class LmdbStateStore implements StateStore {
  readonly path: string;
  private readonly env: RootDatabase;
  private readonly dbs: Record<DbName, Database>;
  private readonly now: () => Date;
  private readonly deliveryTtlMs: number;
  private readonly schemaTtlSeconds: number;
  private version = 0;

  constructor(path: string, env: RootDatabase, options: StateStoreOptions) {
    this.path = path;
    this.env = env;
    this.now = options.now ?? (() => new Date());
    this.deliveryTtlMs = options.deliveryTtlMs ?? DEFAULT_DELIVERY_TTL_MS;
    this.schemaTtlSeconds = options.schemaTtlSeconds ?? DEFAULT_SCHEMA_TTL_SECONDS;
    this.dbs = Object.fromEntries(DB_NAMES.map((n) => [n, env.openDB({ name: n })])) as Record<DbName, Database>;
  }

  get schemaVersion(): number {
    return this.version;
  }

  private readVersion(): number {
    let raw: unknown;
    try {
      raw = this.dbs.meta.get("schema_version");
    } catch (e) {
      throw new StateStoreError("corrupt", this.path, `cannot read the schema version: ${(e as Error).message}`, { cause: e });
    }
    if (raw === undefined) return 0;
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0) throw new StateStoreError("corrupt", this.path, `schema version is ${JSON.stringify(raw)}, not a version number`);
    return raw;
  }

  checkVersion(migrations: readonly Migration[]): void {
    const latest = migrations.length > 0 ? migrations[migrations.length - 1].version : 0;
    const current = this.readVersion();
    if (current > latest) throw this.newerError(current, latest);
    if (current < latest) throw new StateStoreError("needs_migration", this.path, `schema version ${current} is older than ${latest}; open it read-write once (any \`rocky run\`) to migrate`);
    this.version = current;
  }

  private newerError(current: number, latest: number): StateStoreError {
    return new StateStoreError("newer_version", this.path, `schema version ${current} was written by a newer rocky-review (this one knows up to ${latest}); upgrade rocky-review, or use another state path`);
  }

  migrate(migrations: readonly Migration[]): void {
    const latest = migrations.length > 0 ? migrations[migrations.length - 1].version : 0;
    const current = this.readVersion();
    if (current > latest) throw this.newerError(current, latest);
    for (const m of migrations) {
      if (m.version <= this.readVersion()) continue;
      this.env.transactionSync(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        if (this.readVersion() >= m.version) return;
        m.up(this.migrationContext());
        this.dbs.meta.putSync("schema_version", m.version);
        this.dbs.meta.putSync(`migrated_v${m.version}`, this.now().toISOString());
      });
    }
    this.version = this.readVersion();
  }

  private migrationContext(): MigrationContext {
    return {
      get: (db, key) => this.dbs[db].get(key as never),
      put: (db, key, value) => void this.dbs[db].putSync(key as never, value),
      remove: (db, key) => void this.dbs[db].removeSync(key as never),
      entries: (db) => [...this.dbs[db].getRange({})].map((e) => ({ key: e.key, value: e.value })),
    };
  }

  // ----- runs

  runHistory(model: string, query: RunHistoryQuery = {}): RunRecord[] {
    const limit = query.limit ?? 20;
    if (query.branch === "*") {
      const all = [...this.dbs.runs.getRange({ start: [model, MAX_STRING], end: [model], reverse: true })].map((e) => e.value as RunRecord);
      return all.sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at)).slice(0, limit);
    }
    const b = branchKey(query.branch);
    return [...this.dbs.runs.getRange({ start: [model, b, Number.POSITIVE_INFINITY], end: [model, b], reverse: true, limit })].map((e) => e.value as RunRecord);
  }

  async recentRuns(model: string, limit: number): Promise<RecentRun[]> {
    return this.runHistory(model, { limit }).map(toRecentRun);
  }

  getRun(runId: string): RunSummary | undefined {
    return this.dbs.run_summaries.get(runId) as RunSummary | undefined;
  }

  latestRun(query: { readonly branch?: string } = {}): RunSummary | undefined {
    const b = branchKey(query.branch);
    for (const e of this.dbs.runs_by_time.getRange({ start: [b, Number.POSITIVE_INFINITY], end: [b], reverse: true, limit: 1 })) return this.getRun(e.value as string);
    return undefined;
  }

  async recordRun(summary: RunSummary, records: readonly RunRecord[]): Promise<void> {
    this.env.transactionSync(() => {
      for (const r of records) this.dbs.runs.putSync([r.model, branchKey(r.branch), Date.parse(r.started_at), r.run_id], r);
      this.dbs.run_summaries.putSync(summary.run_id, summary);
      this.dbs.runs_by_time.putSync([branchKey(summary.branch), Date.parse(summary.started_at), summary.run_id], summary.run_id);
    });
  }

  // ----- watermarks

  getWatermark(key: string): Watermark | undefined {
    return this.dbs.watermarks.get(key) as Watermark | undefined;
  }

  async setWatermark(key: string, value: string): Promise<void> {
    await this.dbs.watermarks.put(key, { key, value, updated_at: this.now().toISOString() } satisfies Watermark);
  }

  // ----- branches

  getBranch(name: string): BranchRecord | undefined {
    return this.dbs.branches.get(name) as BranchRecord | undefined;
  }

  listBranches(): BranchRecord[] {
    return [...this.dbs.branches.getRange({})].map((e) => e.value as BranchRecord);
  }

  async putBranch(record: BranchRecord): Promise<void> {
    await this.dbs.branches.put(record.name, record);
  }

  async removeBranch(name: string): Promise<boolean> {
    return this.env.transactionSync(() => {
      if (this.dbs.branches.get(name) === undefined) return false;
      this.dbs.branches.removeSync(name);
      return true;
    });
  }

  // ----- webhook deliveries

  hasDelivery(id: string): boolean {
    const at = this.dbs.deliveries.get(id) as number | undefined;
    return at !== undefined && this.now().getTime() - at < this.deliveryTtlMs;
  }

  async recordDelivery(id: string): Promise<boolean> {
    const now = this.now().getTime();
    // A synchronous write transaction holds lmdb's write lock: check-and-set is atomic across
    // every thread and process that shares the store.
    return this.env.transactionSync(() => {
      const at = this.dbs.deliveries.get(id) as number | undefined;
      if (at !== undefined && now - at < this.deliveryTtlMs) return false;
      this.dbs.deliveries.putSync(id, now);
      return true;
    });
  }

  async forgetDelivery(id: string): Promise<void> {
    await this.dbs.deliveries.remove(id);
  }

  async sweepDeliveries(): Promise<number> {
    const cutoff = this.now().getTime() - this.deliveryTtlMs;
    return this.env.transactionSync(() => {
      let n = 0;
      for (const { key, value } of this.dbs.deliveries.getRange({})) {
        if ((value as number) >= cutoff) continue;
        this.dbs.deliveries.removeSync(key);
        n++;
      }
      return n;
    });
  }

  // ----- schema cache

  getSchemaCache(source: string): SchemaCacheEntry | undefined {
    const e = this.dbs.schema_cache.get(source.toLowerCase()) as SchemaCacheEntry | undefined;
    if (e === undefined) return undefined;
    const age = this.now().getTime() - Date.parse(e.fetched_at);
    return age <= e.ttl_seconds * 1000 ? e : undefined;
  }

  async putSchemaCache(source: string, columns: readonly SourceColumn[], ttlSeconds = this.schemaTtlSeconds): Promise<void> {
    const key = source.toLowerCase();
    const entry: SchemaCacheEntry = { source: key, columns: columns.map((c) => ({ ...c })), fetched_at: this.now().toISOString(), ttl_seconds: ttlSeconds };
    await this.dbs.schema_cache.put(key, entry);
  }

  async clearSchemaCache(): Promise<number> {
    return this.env.transactionSync(() => {
      let n = 0;
      for (const key of this.dbs.schema_cache.getKeys({})) {
        this.dbs.schema_cache.removeSync(key);
        n++;
      }
      return n;
    });
  }

  // ----- generic cache

  cacheGet<T = unknown>(ns: string, key: string): T | undefined {
    return this.dbs.cache.get([ns, key]) as T | undefined;
  }

  async cachePut(ns: string, key: string, value: unknown): Promise<void> {
    await this.dbs.cache.put([ns, key], value);
  }

  async cacheDelete(ns: string, key: string): Promise<boolean> {
    return this.dbs.cache.remove([ns, key]);
  }

  async cacheClear(ns: string): Promise<number> {
    return this.env.transactionSync(() => {
      let n = 0;
      for (const key of this.dbs.cache.getKeys({ start: [ns], end: [ns, MAX_STRING] })) {
        this.dbs.cache.removeSync(key);
        n++;
      }
      return n;
    });
  }

  async flushed(): Promise<void> {
    await this.env.flushed;
  }

  async close(): Promise<void> {
    await this.env.flushed;
    await this.env.close();
  }
}

function toRecentRun(r: RunRecord): RecentRun {
  const out: { -readonly [K in keyof RecentRun]: RecentRun[K] } = {
    model: r.model,
    runId: r.run_id,
    startedAt: r.started_at,
    status: r.status,
    durationMs: r.duration_ms,
  };
  if (r.bytes_scanned !== undefined) out.bytesScanned = r.bytes_scanned;
  if (r.bytes_written !== undefined) out.bytesWritten = r.bytes_written;
  if (r.rows_affected !== undefined) out.rowsAffected = r.rows_affected;
  if (r.cost_usd !== undefined) out.costUsd = r.cost_usd;
  if (r.adapter_type !== undefined) out.adapterType = r.adapter_type;
  return out;
}

export { LATEST_SCHEMA_VERSION, MIGRATIONS, StateStoreError };
export type { Migration };
