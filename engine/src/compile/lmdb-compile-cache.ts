import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import { SNAPSHOT_VERSION } from "./snapshot.js";
import { dropSnapshot, getSnapshot, putSnapshot, SNAPSHOT_RECORD_KINDS, type SnapshotReferences, snapshotKeys, snapshotRecordBytes, snapshotReferences } from "./snapshot-store.js";

/** Bump when the shape of cached entries or the meaning of a key changes: old entries are then ignored. */
export const COMPILE_CACHE_VERSION = 1;

/**
 * How the store stays bounded (see sweep() below). Every bound has a default; tests pass a clock.
 */
export interface LmdbCompileCacheOptions {
  /** Milliseconds since the epoch (tests pin it). */
  readonly now?: () => number;
  /**
   * Sweep at the flush after this many entries were written since the last sweep, by any process:
   * a quarter of what the last sweep found reachable (`sweepRatio`), at least `sweepEvery` (default 2,000).
   * The store then holds what the kept snapshots reach plus about that much more; the sweep's cost
   * (about 15 µs an entry) is spread over as many entries written, each of which cost a compile.
   */
  readonly sweepEvery?: number;
  readonly sweepRatio?: number;
  /** Nor sooner than this after the last sweep (default half the grace period): a burst of writes sweeps once. */
  readonly minIntervalMs?: number;
  /**
   * A record found unreachable is deleted by a later sweep, at least this long after (default 10 minutes):
   * a compile in another process that read it before it became unreachable has long finished.
   */
  readonly graceMs?: number;
  /** A snapshot nobody read or wrote for this long is dropped (default 14 days); so is a shell record. */
  readonly ttlMs?: number;
  /** At most this many snapshots, the least recently used dropped first (default 24; one used within the grace period always stays). */
  readonly maxSnapshots?: number;
  /** At most this many shell records and this many bytes of them, the least recently used dropped first (defaults 1,000 and 64 MB). */
  readonly maxRecords?: number;
  readonly maxRecordBytes?: number;
}

/** What one sweep did. */
export interface SweepStats {
  readonly generation: number;
  readonly snapshotsKept: number;
  readonly snapshotsDropped: readonly string[];
  /** Entries reachable from the kept snapshots (syntax + analysis + snapshot records) plus the kept shell records. */
  readonly reachable: number;
  /** Entries found unreachable for the first time (deleted by a later sweep). */
  readonly condemned: number;
  readonly deleted: number;
  readonly ms: number;
}

/** The compile cache on lmdb, with its sweep at hand (tests and the benchmark call it; flush() calls it when due). */
export interface LmdbCompileCache extends CompileCache {
  /** Run the sweep now, in one write transaction (after writing what is pending). */
  sweep(): SweepStats;
  /** Entries per database, and the bytes of the pages lmdb ever used (the file's high-water mark: pages freed by a sweep are reused, the file does not shrink). */
  stats(): { readonly entries: Readonly<Record<string, number>>; readonly pageBytes: number };
}

const DEFAULTS = {
  sweepEvery: 2_000,
  sweepRatio: 0.25,
  graceMs: 10 * 60_000,
  ttlMs: 14 * 24 * 3600_000,
  maxSnapshots: 24,
  maxRecords: 1000,
  maxRecordBytes: 64 * 1024 * 1024,
};

/** A use of a snapshot or record is stamped at most this often (a warm compile that reads it writes nothing most of the time). */
const STAMP_EVERY_MS = 60_000;

/**
 * The compile cache on lmdb (embedded, transactional, memory-mapped reads): synchronous gets, so
 * a warm compile reads 10k entries without a promise per model; writes wait in memory and are
 * committed on flush(). Opened lazily by the shells: the compiler core never imports lmdb.
 *
 * Bounded by a sweep (mark and sweep with a grace period), run inside a flush once enough entries
 * were written since the last one (`sweepEvery`/`sweepRatio`, counted across processes):
 *   1. snapshots not used for `ttlMs`, and the least recently used beyond `maxSnapshots`, are
 *      unlinked (index and generation list); one used within `graceMs` always stays;
 *   2. marked: every syntax, analysis and snapshot record either generation (current, replaced) of a
 *      kept snapshot refers to, and the shell records kept (the most recently used within
 *      `maxRecords`/`maxRecordBytes`/`ttlMs`, and every record named `...:<kept snapshot key>`);
 *   3. every other entry is condemned (stamped with this sweep), and deleted by a later sweep once
 *      it has stayed unreachable for `graceMs`. Databases of an older cache version go the same way.
 * So nothing a running compile may still read is deleted under it: what it reads is reachable from
 * the snapshot it started from (kept until that snapshot is two generations old, as putSnapshot's
 * own rule), or was found unreachable minutes before it is deleted.
 */
export async function openLmdbCompileCache(dir: string, options: LmdbCompileCacheOptions = {}): Promise<LmdbCompileCache> {
  // lmdb crashes the process (not an exception) on a damaged data.mdb: check the header pages first.
  const { checkLmdbDir } = await import("../state/state-store.js");
  checkLmdbDir(dir);
  const { open } = await import("lmdb");
  const env = open({ path: dir, compression: false, noSync: true, maxDbs: 16 });
  const o = { ...DEFAULTS, minIntervalMs: (options.graceMs ?? DEFAULTS.graceMs) / 2, ...definedOnly(options) };
  const now = options.now ?? Date.now;
  // Writes wait in memory until flush() and then go in one synchronous transaction: reads during a
  // compile never race the asynchronous commits lmdb-js would otherwise run alongside them, and
  // what this run wrote is read back from memory.
  //
  // Except for bulk: a write transaction holds every page it dirties in memory until it commits, so
  // flush() first writes the entries nothing points at yet (parse and analysis results, a snapshot's
  // records, but not its index) in transactions of a few MB each, in key order, and then the rest
  // with the sweep's bookkeeping in one. A first compile of 10k models writes about 47 MB: in one
  // transaction each, its two flushes added 54 MB to peak RSS, in batches 30 MB. Written ahead,
  // entries still count as the flush's writes (and are live for a sweep it runs), and nothing
  // reaches them until the index that does goes in, last: a flush that fails or a process that dies
  // in between leaves entries nothing reaches, for a sweep to delete.
  const dbs: Deferred[] = [];
  const deferred = (name: string, ahead?: Omit<WriteAhead, "env">) => {
    const d = new Deferred(env.openDB<unknown, string>({ name }) as unknown as Db, name, ahead && { env, ...ahead });
    dbs.push(d);
    return d;
  };
  const always = { may: () => true };
  const syntax = deferred(`syntax-v${COMPILE_CACHE_VERSION}`, always);
  const analysis = deferred(`analysis-v${COMPILE_CACHE_VERSION}`, always);
  const snapshots = deferred(`snapshot-v${SNAPSHOT_VERSION}`, { may: isSnapshotRecord, weigh: snapshotRecordBytes });
  const records = deferred(`record-v${COMPILE_CACHE_VERSION}`);
  /** Use stamps, condemned marks and the sweep's state (not counted as writes). */
  const meta = deferred(`gc-v${GC_VERSION}`);
  const counted = [syntax, analysis, snapshots, records];

  const stamp = (key: string) => {
    const t = now();
    const last = meta.get(key);
    if (typeof last !== "number" || t - last >= STAMP_EVERY_MS) meta.put(key, t);
  };
  let closed = false;
  const sweepNow = (fresh?: ReadonlySet<string>): SweepStats => sweep({ env, syntax, analysis, snapshots, records, meta, o, now: now(), fresh: fresh ?? new Set() });
  const flush = async () => {
    if (dbs.some((d) => d.dirty)) {
      const written = counted.reduce((n, d) => n + d.pendingCount, 0);
      for (const d of dbs) d.writeAhead();
      env.transactionSync(() => {
        // Read in the write transaction, before this flush's writes: the state no other process can change meanwhile.
        const state = readState(meta);
        const t = now();
        const writes = state.writes + written;
        const due = written > 0 && state.sweptAt > 0 && writes >= Math.max(o.sweepEvery, state.reachable * o.sweepRatio) && t - state.sweptAt >= o.minIntervalMs;
        // What this flush writes is live for its sweep: a compile's entries go in before the snapshot that keeps them.
        const fresh = due ? new Set(counted.flatMap((d) => d.pendingKeys())) : undefined;
        for (const d of dbs) d.write();
        if (written === 0) return;
        // A new store: its first compile (several flushes) has nothing to reclaim; the clock starts now.
        if (state.sweptAt === 0) meta.write1(STATE_KEY, { ...state, reachable: state.reachable + written, sweptAt: t });
        else if (due) sweepNow(fresh);
        else meta.write1(STATE_KEY, { ...state, writes });
      });
      // Only now: a transaction that failed (a value that cannot be encoded, a full disk) lost nothing still waiting.
      for (const d of dbs) d.settle();
    }
    await env.flushed;
  };
  return {
    getSnapshot: (k) => {
      const s = getSnapshot(snapshots, k, SNAPSHOT_VERSION);
      if (s !== undefined) stamp(`used:${k}`);
      return s;
    },
    putSnapshot: (k, v) => {
      putSnapshot(snapshots, k, v);
      stamp(`used:${k}`);
    },
    dropSnapshot: (k) => {
      dropSnapshot(snapshots, k);
      meta.remove(`used:${k}`);
    },
    getRecord: (k) => {
      const v = records.get(k);
      if (v !== undefined) stamp(`rec:${k}`);
      return v;
    },
    putRecord: (k, v) => {
      records.put(k, v);
      stamp(`rec:${k}`);
    },
    getSyntax: (k) => syntax.get(k) as SyntaxEntry | undefined,
    putSyntax: (k, v) => syntax.put(k, v),
    getAnalysis: (k) => analysis.get(k) as AnalysisEntry | undefined,
    putAnalysis: (k, v) => analysis.put(k, v),
    flush,
    sweep: () => {
      let stats: SweepStats | undefined;
      env.transactionSync(() => {
        for (const d of dbs) d.write();
        stats = sweepNow();
      });
      for (const d of dbs) d.settle();
      return stats!;
    },
    stats: () => {
      const entries: Record<string, number> = {};
      for (const d of dbs) entries[d.name] = d.count();
      const s = env.getStats() as { pageSize: number; lastPageNumber: number; free?: { entryCount?: number } };
      return { entries, pageBytes: s.pageSize * s.lastPageNumber };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await flush();
      await env.close();
    },
  };
}

const GC_VERSION = 1;
const STATE_KEY = "state";

interface SweepState {
  readonly generation: number;
  /** Entries written (by any process) since the last sweep. */
  readonly writes: number;
  /** Entries the last sweep found reachable (what the next one is due after a quarter of). */
  readonly reachable: number;
  readonly sweptAt: number;
}

function readState(meta: Deferred): SweepState {
  const s = meta.get(STATE_KEY) as Partial<SweepState> | undefined;
  return { generation: s?.generation ?? 0, writes: s?.writes ?? 0, reachable: s?.reachable ?? 0, sweptAt: s?.sweptAt ?? 0 };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface SweepInput {
  readonly env: { getKeys(): Iterable<unknown>; openDB(o: { name: string }): unknown };
  readonly syntax: Deferred;
  readonly analysis: Deferred;
  readonly snapshots: Deferred;
  readonly records: Deferred;
  readonly meta: Deferred;
  readonly o: typeof DEFAULTS & { readonly minIntervalMs: number };
  readonly now: number;
  /** Keys written by the flush that runs the sweep (live: what keeps them may come in the next flush). */
  readonly fresh: ReadonlySet<string>;
}

/** Inside a write transaction, with everything that waited written. See openLmdbCompileCache for the rules. */
function sweep({ env, syntax, analysis, snapshots, records, meta, o, now, fresh }: SweepInput): SweepStats {
  const t0 = performance.now();
  const generation = readState(meta).generation + 1;
  const recent = (t: number) => t >= now - o.graceMs;
  const usedAt = (key: string): number => {
    const t = meta.get(key);
    if (typeof t === "number") return t;
    // Made before stamps existed (or its stamp lost): it ages from now.
    meta.write1(key, now);
    return now;
  };

  // ---- 1. which snapshots stay
  const byUse = snapshotKeys(snapshots)
    .map((key) => ({ key, used: usedAt(`used:${key}`) }))
    .sort((a, b) => b.used - a.used);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const s of byUse) {
    if (recent(s.used) || (kept.length < o.maxSnapshots && s.used >= now - o.ttlMs)) kept.push(s.key);
    else dropped.push(s.key);
  }
  for (const key of dropped) {
    snapshots.remove1(`snapshot:${key}`);
    snapshots.remove1(`chunks:${key}`);
    meta.remove1(`used:${key}`);
  }

  // ---- 2. mark
  const refs: SnapshotReferences = { records: new Set(), syntax: new Set(), analysis: new Set() };
  const seen = new Set<string>();
  for (const key of kept) snapshotReferences(snapshots, key, refs, seen);
  const keptRecords = new Set<string>();
  const suffixes = new Set(kept.map((k) => `:${k}`));
  const byRecordUse: { key: string; used: number }[] = [];
  for (const key of records.keys("")) {
    const colon = key.indexOf(":");
    if (colon >= 0 && suffixes.has(key.slice(colon))) keptRecords.add(key);
    else byRecordUse.push({ key, used: usedAt(`rec:${key}`) });
  }
  byRecordUse.sort((a, b) => b.used - a.used);
  let bytes = 0;
  let count = 0;
  for (const r of byRecordUse) {
    bytes += records.size(r.key);
    count++;
    if (recent(r.used) || (count <= o.maxRecords && bytes <= o.maxRecordBytes && r.used >= now - o.ttlMs)) keptRecords.add(r.key);
  }

  // ---- 3. condemn what is unreachable; delete what was condemned a grace period ago
  let condemned = 0;
  let deleted = 0;
  const spaces: [tag: string, db: Deferred, live: (k: string) => boolean, mine: (k: string) => boolean][] = [
    ["s", syntax, (k) => refs.syntax.has(k), () => true],
    ["a", analysis, (k) => refs.analysis.has(k), () => true],
    ["n", snapshots, (k) => refs.records.has(k), isSnapshotRecord],
    ["r", records, (k) => keptRecords.has(k), () => true],
  ];
  for (const [tag, db, live, mine] of spaces) {
    for (const key of db.keys("")) {
      if (!mine(key)) continue;
      const markKey = `c:${tag}:${key}`;
      const mark = meta.get(markKey) as readonly [number, number] | undefined;
      if (live(key) || fresh.has(key)) {
        if (mark !== undefined) meta.remove1(markKey);
        continue;
      }
      if (mark === undefined) {
        meta.write1(markKey, [generation, now]);
        condemned++;
      } else if (mark[0] < generation && mark[1] <= now - o.graceMs) {
        db.remove1(key);
        meta.remove1(markKey);
        if (tag === "r") meta.remove1(`rec:${key}`);
        deleted++;
      }
    }
  }
  // Marks and stamps whose entry is gone (deleted by putSnapshot's own rule, or by another sweep).
  const dbOf: Record<string, Deferred> = { s: syntax, a: analysis, n: snapshots, r: records };
  for (const markKey of meta.keys("c:")) {
    const tag = markKey.slice(2, 3);
    const key = markKey.slice(4);
    if (dbOf[tag] !== undefined && !dbOf[tag].has(key)) meta.remove1(markKey);
  }
  for (const stampKey of meta.keys("rec:")) if (!records.has(stampKey.slice(4))) meta.remove1(stampKey);
  for (const stampKey of meta.keys("used:")) if (!snapshots.has(`snapshot:${stampKey.slice(5)}`)) meta.remove1(stampKey);

  // ---- databases of another cache version: condemned, then dropped a grace period later
  const current = new Set([syntax.name, analysis.name, snapshots.name, records.name, meta.name]);
  for (const raw of env.getKeys()) {
    const name = String(raw);
    if (current.has(name) || !/^(syntax|analysis|snapshot|record|gc)-v\d+$/.test(name)) continue;
    const markKey = `olddb:${name}`;
    const mark = meta.get(markKey) as readonly [number, number] | undefined;
    if (mark === undefined) meta.write1(markKey, [generation, now]);
    else if (mark[0] < generation && mark[1] <= now - o.graceMs) {
      (env.openDB({ name }) as { dropSync(): void }).dropSync();
      meta.remove1(markKey);
      deleted++;
    }
  }

  const reachable = refs.syntax.size + refs.analysis.size + refs.records.size + keptRecords.size;
  meta.write1(STATE_KEY, { generation, writes: 0, reachable, sweptAt: now } satisfies SweepState);
  return { generation, snapshotsKept: kept.length, snapshotsDropped: dropped, reachable, condemned, deleted, ms: Math.round((performance.now() - t0) * 100) / 100 };
}

/** The part of an lmdb database this cache uses. */
interface Db {
  get(key: string): unknown;
  getBinary(key: string): Uint8Array | undefined;
  doesExist(key: string): boolean;
  putSync(key: string, value: unknown): void;
  removeSync(key: string): void;
  getKeys(range?: { start?: string; end?: string }): Iterable<string>;
  getCount(): number;
}

const REMOVED = Symbol("removed");

/** Entries written ahead per transaction (see openLmdbCompileCache), and their weight: a few MB of dirty pages at most. */
const AHEAD_BATCH = 256;
const AHEAD_BYTES = 2 * 1024 * 1024;

/** A snapshot's records, as opposed to its index (`snapshot:`) and generations (`chunks:`) that reach them. */
function isSnapshotRecord(key: string): boolean {
  return SNAPSHOT_RECORD_KINDS.some((kind) => key.startsWith(`${kind}:`));
}

/** Which keys of a database may be written ahead of flush(), and the store to write them in. */
interface WriteAhead {
  readonly env: { transactionSync(f: () => void): unknown };
  readonly may: (key: string) => boolean;
  /** The bulk of an entry's bytes, where most entries are small and a few are not. */
  readonly weigh?: (value: unknown) => number;
}

/**
 * One database with its writes held until write(), and served from memory until then; the keys
 * `ahead.may` allows may go first, in transactions of their own (writeAhead).
 */
class Deferred {
  readonly #db: Db;
  readonly #pending = new Map<string, unknown>();
  readonly #ahead: WriteAhead | undefined;
  /** Keys written ahead since the last write(): still the coming flush's writes. */
  readonly #early = new Set<string>();
  constructor(
    db: Db,
    readonly name: string,
    ahead?: WriteAhead,
  ) {
    this.#db = db;
    this.#ahead = ahead;
  }
  get dirty(): boolean {
    return this.#pending.size > 0 || this.#early.size > 0;
  }
  /** Keys put (not removed) since the last write(), waiting or written ahead. */
  pendingKeys(): string[] {
    const out = new Set(this.#early);
    for (const [k, v] of this.#pending) {
      if (v !== REMOVED) out.add(k);
      else out.delete(k);
    }
    return [...out];
  }
  /** Entries put (not removed) since the last write(), waiting or written ahead. */
  get pendingCount(): number {
    return this.pendingKeys().length;
  }
  get(key: string): unknown {
    if (this.#pending.has(key)) {
      const v = this.#pending.get(key);
      return v === REMOVED ? undefined : v;
    }
    return this.#db.get(key);
  }
  has(key: string): boolean {
    if (this.#pending.has(key)) return this.#pending.get(key) !== REMOVED;
    return this.#db.doesExist(key);
  }
  put(key: string, value: unknown): void {
    this.#pending.set(key, value);
  }
  /**
   * Write the waiting entries that may go ahead, in key order, AHEAD_BATCH (or AHEAD_BYTES of their
   * weight) to a transaction. Outside any transaction.
   */
  writeAhead(): void {
    const ahead = this.#ahead;
    if (ahead === undefined) return;
    let batch: [string, unknown][] = [];
    const commit = () => {
      const entries = batch;
      batch = [];
      ahead.env.transactionSync(() => {
        for (const [k, v] of entries) this.#db.putSync(k, v);
      });
      for (const [k] of entries) {
        this.#pending.delete(k);
        this.#early.add(k);
      }
    };
    // In key order within each kind of entry (`chunk:`, `body:`, ...; the key up to its first colon),
    // the kinds in the order they were first put: a transaction then dirties the few pages its range
    // of keys is on, not a page per entry all over the tree (which it copies, and the next one copies
    // again: at 50k models, 1.5 GB of peak RSS). The kinds keep their order because msgpackr keeps
    // what it learnt of each object shape it packs: the snapshot's schemas record, packed before its
    // 50k source records instead of after them, made packing those take 2.5 times as long.
    const byKind = new Map<string, string[]>();
    for (const [k, v] of this.#pending) {
      if (v === REMOVED || !ahead.may(k)) continue;
      const kind = k.slice(0, k.indexOf(":") + 1);
      let list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, (list = []));
      list.push(k);
    }
    const keys = [...byKind.values()].flatMap((list) => list.sort());
    let bytes = 0;
    for (const k of keys) {
      const v = this.#pending.get(k);
      batch.push([k, v]);
      bytes += ahead.weigh?.(v) ?? 0;
      if (batch.length === AHEAD_BATCH || bytes >= AHEAD_BYTES) {
        commit();
        bytes = 0;
      }
    }
    if (batch.length > 0) commit();
  }
  remove(key: string): void {
    this.#pending.set(key, REMOVED);
  }
  /** Every key starting with `prefix` (collected: safe to remove while going through them). */
  keys(prefix: string): string[] {
    const out = new Set<string>();
    const range = prefix === "" ? undefined : { start: prefix, end: `${prefix}\uffff` };
    for (const k of this.#db.getKeys(range)) out.add(String(k));
    for (const [k, v] of this.#pending) {
      if (!k.startsWith(prefix)) continue;
      if (v === REMOVED) out.delete(k);
      else out.add(k);
    }
    return [...out];
  }
  /** Stored bytes of one entry (0 when absent or pending). */
  size(key: string): number {
    return this.#db.getBinary(key)?.byteLength ?? 0;
  }
  count(): number {
    return this.#db.getCount();
  }
  /** Inside a write transaction: what waits is written (and served from memory until settle()). */
  write(): void {
    for (const [k, v] of this.#pending) {
      if (v === REMOVED) this.#db.removeSync(k);
      else this.#db.putSync(k, v);
    }
  }
  /** After the transaction that write() wrote in has committed. */
  settle(): void {
    this.#pending.clear();
    this.#early.clear();
  }
  /** Inside a write transaction, now (the sweep). */
  write1(key: string, value: unknown): void {
    this.#pending.delete(key);
    this.#db.putSync(key, value);
  }
  remove1(key: string): void {
    this.#pending.delete(key);
    this.#db.removeSync(key);
  }
}
