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
  const syntax = env.openDB<SyntaxEntry, string>({ name: `syntax-v${COMPILE_CACHE_VERSION}` });
  const analysis = env.openDB<AnalysisEntry, string>({ name: `analysis-v${COMPILE_CACHE_VERSION}` });
  const snapshots = env.openDB<unknown, string>({ name: `snapshot-v${SNAPSHOT_VERSION}` });
  const records = env.openDB<unknown, string>({ name: `record-v${COMPILE_CACHE_VERSION}` });
  const snapshotStore = {
    get: (k: string) => snapshots.get(k),
    put: (k: string, v: unknown) => void snapshots.put(k, v),
    remove: (k: string) => void snapshots.remove(k),
    keys: (prefix: string) => snapshots.getKeys({ start: prefix, end: `${prefix}\uffff` }) as Iterable<string>,
  };
  return {
    getSnapshot: (k) => getSnapshot(snapshotStore, k, SNAPSHOT_VERSION),
    putSnapshot: (k, v) => putSnapshot(snapshotStore, k, v),
    dropSnapshot: (k) => dropSnapshot(snapshotStore, k),
    getRecord: (k) => records.get(k),
    putRecord: (k, v) => void records.put(k, v),
    getSyntax: (k) => syntax.get(k),
    putSyntax: (k, v) => void syntax.put(k, v),
    getAnalysis: (k) => analysis.get(k),
    putAnalysis: (k, v) => void analysis.put(k, v),
    flush: async () => {
      await env.flushed;
    },
    close: async () => {
      await env.flushed;
      await env.close();
    },
  };
}
