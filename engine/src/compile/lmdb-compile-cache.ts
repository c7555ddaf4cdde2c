import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import { SNAPSHOT_VERSION } from "./snapshot.js";
import { dropSnapshot, getSnapshot, putSnapshot } from "./snapshot-store.js";

/** Bump when the shape of cached entries or the meaning of a key changes: old entries are then ignored. */
export const COMPILE_CACHE_VERSION = 1;

/**
 * The compile cache on lmdb (embedded, transactional, memory-mapped reads): synchronous gets, so
 * a warm compile reads 10k entries without a promise per model; writes are batched by lmdb and
 * committed on flush(). Opened lazily by the shells: the compiler core never imports lmdb.
 */
export async function openLmdbCompileCache(dir: string): Promise<CompileCache> {
  // lmdb crashes the process (not an exception) on a damaged data.mdb: check the header pages first.
  const { checkLmdbDir } = await import("../state/state-store.js");
  checkLmdbDir(dir);
  const { open } = await import("lmdb");
  const env = open({ path: dir, compression: false, noSync: true });
  // Writes wait in memory until flush() and then go in one synchronous transaction: reads during a
  // compile never race the asynchronous commits lmdb-js would otherwise run alongside them, and
  // what this run wrote is read back from memory.
  const dbs: Deferred[] = [];
  const deferred = <V>(name: string) => {
    const d = new Deferred(env.openDB<V, string>({ name }) as unknown as Db);
    dbs.push(d);
    return d;
  };
  const syntax = deferred<SyntaxEntry>(`syntax-v${COMPILE_CACHE_VERSION}`);
  const analysis = deferred<AnalysisEntry>(`analysis-v${COMPILE_CACHE_VERSION}`);
  const snapshots = deferred<unknown>(`snapshot-v${SNAPSHOT_VERSION}`);
  const records = deferred<unknown>(`record-v${COMPILE_CACHE_VERSION}`);
  const flush = async () => {
    if (dbs.some((d) => d.dirty)) env.transactionSync(() => {
      for (const d of dbs) d.write();
    });
    await env.flushed;
  };
  return {
    getSnapshot: (k) => getSnapshot(snapshots, k, SNAPSHOT_VERSION),
    putSnapshot: (k, v) => putSnapshot(snapshots, k, v),
    dropSnapshot: (k) => dropSnapshot(snapshots, k),
    getRecord: (k) => records.get(k),
    putRecord: (k, v) => records.put(k, v),
    getSyntax: (k) => syntax.get(k) as SyntaxEntry | undefined,
    putSyntax: (k, v) => syntax.put(k, v),
    getAnalysis: (k) => analysis.get(k) as AnalysisEntry | undefined,
    putAnalysis: (k, v) => analysis.put(k, v),
    flush,
    close: async () => {
      await flush();
      await env.close();
    },
  };
}

/** The part of an lmdb database this cache uses. */
interface Db {
  get(key: string): unknown;
  putSync(key: string, value: unknown): void;
  removeSync(key: string): void;
  getKeys(range: { start: string; end: string }): Iterable<string>;
}

const REMOVED = Symbol("removed");

/** One database with its writes held until write(), and served from memory until then. */
class Deferred {
  readonly #db: Db;
  readonly #pending = new Map<string, unknown>();
  constructor(db: Db) {
    this.#db = db;
  }
  get dirty(): boolean {
    return this.#pending.size > 0;
  }
  get(key: string): unknown {
    if (this.#pending.has(key)) {
      const v = this.#pending.get(key);
      return v === REMOVED ? undefined : v;
    }
    return this.#db.get(key);
  }
  put(key: string, value: unknown): void {
    this.#pending.set(key, value);
  }
  remove(key: string): void {
    this.#pending.set(key, REMOVED);
  }
  keys(prefix: string): Iterable<string> {
    const out = new Set<string>();
    for (const k of this.#db.getKeys({ start: prefix, end: `${prefix}\uffff` })) out.add(String(k));
    for (const [k, v] of this.#pending) {
      if (!k.startsWith(prefix)) continue;
      if (v === REMOVED) out.delete(k);
      else out.add(k);
    }
    return out;
  }
  /** Inside a write transaction. */
  write(): void {
    for (const [k, v] of this.#pending) {
      if (v === REMOVED) this.#db.removeSync(k);
      else this.#db.putSync(k, v);
    }
    this.#pending.clear();
  }
}
