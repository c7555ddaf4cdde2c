import type { ModelSource } from "../project/types.js";
import { sha1Hex } from "../util/sha1.js";
import { type CompileSnapshot, keepStoredDetail, SNAPSHOT_MODEL_FIELDS, type SnapshotModel } from "./snapshot.js";

/**
 * How a snapshot is laid out in a key-value store so that reading one back, and writing back one
 * that changed in a few models, costs little:
 *
 * - an index: the graph, the project-wide findings, and the keys of the chunks;
 * - chunks of CHUNK models: each model's keys, signature and findings, plus their serialised
 *   `models_detail` items as one blob. Writing back a snapshot re-encodes only the chunks whose
 *   models changed; the others keep their records;
 * - one record per model for its loaded source (config, contract, SQL), shared by every snapshot
 *   in which the model is unchanged, decoded only when something reads it;
 * - one record for the source schemas, decoded only when a model is re-typed.
 */

export interface KeyValue {
  get(key: string): unknown;
  put(key: string, value: unknown): void;
  remove(key: string): void;
  /** Every key starting with `prefix`. */
  keys(prefix: string): Iterable<string>;
}

export const CHUNK = 100;

/** What every warm compile reads of a model: its names and its findings (the output needs them all). */
interface StoredHot {
  readonly name: string;
  readonly file: string;
  readonly dialect: SnapshotModel["dialect"];
  /** Read by the review's diff for every pair (what "touched" means). */
  readonly contentHash: string;
  readonly columnCount: number;
  readonly ownFiles: readonly string[];
  readonly loadDiagnostics: SnapshotModel["loadDiagnostics"];
  readonly modelDiagnostics: SnapshotModel["modelDiagnostics"];
  readonly checkDiagnostics: SnapshotModel["checkDiagnostics"];
}

/** The rest, read per chunk only when a model of it is re-typed, re-checked or looked at. */
interface StoredCold {
  readonly config: Omit<SnapshotModel["config"], "locations">;
  readonly syntaxKey: string;
  readonly analysisKey: string | null;
  readonly signature: string;
  readonly parsed: boolean;
  readonly hasStar: boolean;
  readonly refNames: string;
  readonly refSpans: string;
  readonly body: string;
  /** The model's edges (the graph's per-model maps, kept with the model so an unchanged chunk is not re-encoded). */
  readonly deps?: readonly string[];
  readonly sqlDeps?: readonly string[];
  readonly external?: readonly string[];
  readonly downstream?: readonly string[];
}

interface StoredChunk {
  readonly hot: readonly StoredHot[];
  /** Key of the chunk's StoredCold[] record. */
  readonly cold: string;
  readonly details: Uint8Array;
  readonly ends: readonly number[];
}

interface StoredIndex extends Omit<CompileSnapshot, "models" | "rawSources" | "sourceSchemas" | "graph"> {
  readonly graph: Pick<CompileSnapshot["graph"], "layers" | "blocked" | "diagnostics">;
  readonly chunks: readonly string[];
  readonly aux: string;
}

/** Where a loaded model's source came from: putting it back does not rewrite it. */
const bodyOf = new WeakMap<ModelSource, string>();

/** A model's source record as stored: its SQL once when `@var` substituted nothing (most models; at 10k, 4.5 MB of a first compile's writes). */
type StoredSource = Omit<ModelSource, "rawSql"> & { readonly rawSql?: string };

function storedSource(source: ModelSource): StoredSource {
  if (source.rawSql !== source.sql) return source;
  const { rawSql: _same, ...rest } = source;
  return rest;
}
/** Where a snapshot read from the store keeps the key of its schemas record (copied along by withModels). */
const AUX_RECORD = Symbol("rocky.snapshot.aux");
/** A loaded snapshot's schemas record, reused when put back unchanged. */
const auxOf = new WeakMap<object, string>();

/**
 * Every record of a snapshot (its chunks, sources, schemas) is named under its key's prefix, so
 * dropping a snapshot drops them all and two snapshots never share a record one could drop.
 */
function recordPrefix(key: string): string {
  return sha1Hex(key).slice(0, 16);
}

function uniqueKey(kind: string, prefix: string): string {
  return `${kind}:${prefix}:${sha1Hex(`${process.hrtime.bigint()}\0${Math.random()}`)}`;
}

/**
 * Drop a snapshot: its index and its list of generations go now, so nobody finds it any more. Its
 * records (chunks, sources, schemas) stay for whoever is still reading them (a review in another
 * process, or in this one, that read the index before) until the store's sweep finds them
 * unreachable and deletes them, a grace period later (lmdb-compile-cache.ts).
 */
export function dropSnapshot(store: KeyValue, key: string): void {
  store.remove(`snapshot:${key}`);
  store.remove(`chunks:${key}`);
}

/** The kinds of record a snapshot is stored as, besides its index (`snapshot:`) and its generations (`chunks:`). */
export const SNAPSHOT_RECORD_KINDS = ["chunk", "cold", "body", "aux"] as const;

/** The bulk of a snapshot record's bytes: a chunk's serialised details (about 170 KB for 100 models); 0 for the rest. */
export function snapshotRecordBytes(value: unknown): number {
  const details = (value as Partial<StoredChunk> | undefined)?.details;
  return details instanceof Uint8Array ? details.byteLength : 0;
}

/** Every snapshot key in the store. */
export function snapshotKeys(store: Pick<KeyValue, "keys">): string[] {
  return [...store.keys("snapshot:")].map((k) => k.slice("snapshot:".length));
}

/** What a stored snapshot refers to, in both generations putSnapshot keeps (the current and the one it replaced). */
export interface SnapshotReferences {
  /** Its chunk, cold, source and schemas records (in the snapshot store). */
  readonly records: Set<string>;
  readonly syntax: Set<string>;
  readonly analysis: Set<string>;
}

/**
 * Add to `into` every record snapshot `key` refers to. Both generations count: a compile that read
 * the replaced one may still be reading it (the rule putSnapshot follows). A cold record read once
 * is remembered in `seen` (a chunk kept across generations is read once).
 */
export function snapshotReferences(store: Pick<KeyValue, "get">, key: string, into: SnapshotReferences, seen = new Set<string>()): void {
  type Generation = { chunks: readonly { chunk: string; cold: string }[]; aux: string };
  const gens = store.get(`chunks:${key}`) as { current?: Generation; previous?: Generation } | undefined;
  const index = store.get(`snapshot:${key}`) as StoredIndex | undefined;
  const pairs: { chunk: string; cold?: string }[] = [];
  for (const g of [gens?.current, gens?.previous]) {
    if (g === undefined) continue;
    into.records.add(g.aux);
    pairs.push(...g.chunks);
  }
  if (index !== undefined && Array.isArray(index.chunks)) {
    into.records.add(index.aux);
    for (const chunk of index.chunks) pairs.push({ chunk });
  }
  for (const { chunk, cold: coldKey } of pairs) {
    into.records.add(chunk);
    const cold = coldKey ?? (store.get(chunk) as StoredChunk | undefined)?.cold;
    if (cold === undefined || seen.has(cold)) continue;
    seen.add(cold);
    into.records.add(cold);
    const models = store.get(cold) as readonly StoredCold[] | undefined;
    for (const m of models ?? []) {
      into.records.add(m.body);
      into.syntax.add(m.syntaxKey);
      if (m.analysisKey !== null) into.analysis.add(m.analysisKey);
    }
  }
}

export function putSnapshot(store: KeyValue, key: string, s: CompileSnapshot): void {
  const prefix = recordPrefix(key);
  const mine = (record: string | undefined) => record !== undefined && record.startsWith(`${record.slice(0, record.indexOf(":"))}:${prefix}:`);
  const chunks: string[] = [];
  const records: { chunk: string; cold: string }[] = [];
  for (let start = 0; start < s.models.length; start += CHUNK) {
    const slice = s.models.slice(start, start + CHUNK);
    // A chunk whose models are all the loaded objects of one stored chunk, in order, is unchanged.
    const from = slice[0] instanceof LoadedModel ? slice[0].chunkKey : undefined;
    if (from !== undefined && mine(from) && slice.every((m, i) => m instanceof LoadedModel && m.chunkKey === from && m.at === i && m.chunkLength === slice.length)) {
      chunks.push(from);
      records.push({ chunk: from, cold: (slice[0] as LoadedModel).coldKey });
      continue;
    }
    const hot: StoredHot[] = [];
    const cold: StoredCold[] = [];
    const parts: Uint8Array[] = [];
    const ends: number[] = [];
    let end = 0;
    for (const m of slice) {
      // A source record is shared by every snapshot the model is unchanged in, whoever wrote it:
      // only the sweep deletes one, once no snapshot reaches it (putSnapshot drops chunks, never sources).
      let body = m instanceof LoadedModel ? m.bodyKey : undefined;
      if (body === undefined) {
        const source = m.source;
        body = bodyOf.get(source);
        if (body === undefined) {
          // By content: a full compile that rewrites an unchanged model rewrites the same record.
          body = `body:${prefix}:${sha1Hex(`${m.name}\0${m.contentHash}\0${m.syntaxKey}\0${s.globalHash}`)}`;
          store.put(body, storedSource(source));
          bodyOf.set(source, body);
        }
      }
      if (body === undefined) throw new Error("unreachable: a model without a source record");
      hot.push({ name: m.name, file: m.file, dialect: m.dialect, contentHash: m.contentHash, columnCount: m.columnCount, ownFiles: m.ownFiles, loadDiagnostics: m.loadDiagnostics, modelDiagnostics: m.modelDiagnostics, checkDiagnostics: m.checkDiagnostics });
      const g = s.graph;
      cold.push({
        // The config's key locations (where a finding about a key points) live in the source record.
        config: m instanceof LoadedModel ? m.liteConfig : withoutLocations(m.config),
        syntaxKey: m.syntaxKey,
        analysisKey: m.analysisKey,
        signature: m.signature,
        parsed: m.parsed,
        hasStar: m.hasStar,
        refNames: m.refNames,
        refSpans: m.refSpans,
        body,
        deps: g.deps.get(m.name),
        sqlDeps: g.sqlDeps.get(m.name),
        external: g.external.get(m.name),
        downstream: g.downstream.get(m.name),
      });
      const detail = m.detail;
      parts.push(detail);
      end += detail.byteLength;
      ends.push(end);
    }
    const chunkKey = uniqueKey("chunk", prefix);
    const coldKey = uniqueKey("cold", prefix);
    store.put(coldKey, cold);
    const details = Buffer.concat(parts);
    // A fresh model's detail is now read from here: the copy it was serialised as can go.
    slice.forEach((m, i) => keepStoredDetail(m, details.subarray(i === 0 ? 0 : ends[i - 1], ends[i])));
    store.put(chunkKey, { hot, cold: coldKey, details, ends } satisfies StoredChunk);
    chunks.push(chunkKey);
    records.push({ chunk: chunkKey, cold: coldKey });
  }
  // A snapshot read from the store (or made from one) names its schemas record: no need to read it.
  let aux = (s as unknown as Record<symbol, string | undefined>)[AUX_RECORD] ?? auxOf.get(s.rawSources);
  if (aux === undefined || !mine(aux)) {
    aux = uniqueKey("aux", prefix);
    store.put(aux, { rawSources: s.rawSources, sourceSchemas: s.sourceSchemas });
    auxOf.set(s.rawSources, aux);
  }
  const index: StoredIndex = {
    version: s.version,
    project: s.project,
    ...(s.target !== undefined ? { target: s.target } : {}),
    salt: s.salt,
    graph: { layers: s.graph.layers, blocked: s.graph.blocked, diagnostics: s.graph.diagnostics },
    preDiagnostics: s.preDiagnostics,
    postDiagnostics: s.postDiagnostics,
    globalFiles: s.globalFiles,
    globalHash: s.globalHash,
    envRefs: s.envRefs,
    classified: s.classified,
    chunks,
    aux,
  };
  store.put(`snapshot:${key}`, index);
  // Drop the records of the snapshot before the one this replaces (a generation late: a compile that
  // read the one being replaced, running alongside this one, still finds every record it reads).
  type Generation = { chunks: readonly { chunk: string; cold: string }[]; aux: string };
  const old = store.get(`chunks:${key}`) as { current?: Generation; previous?: Generation } | undefined;
  const live = new Set<string>([aux, ...records.flatMap((r) => [r.chunk, r.cold])]);
  if (old?.current !== undefined) for (const r of old.current.chunks) live.add(r.chunk).add(r.cold);
  if (old?.current !== undefined) live.add(old.current.aux);
  if (old?.previous !== undefined) {
    for (const r of old.previous.chunks) {
      if (!live.has(r.chunk)) store.remove(r.chunk);
      if (!live.has(r.cold)) store.remove(r.cold);
    }
    if (!live.has(old.previous.aux)) store.remove(old.previous.aux);
  }
  store.put(`chunks:${key}`, { current: { chunks: records, aux }, ...(old?.current !== undefined ? { previous: old.current } : {}) });
}

function withoutLocations(config: SnapshotModel["config"]): Omit<SnapshotModel["config"], "locations"> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(config)) if (k !== "locations") out[k] = (config as unknown as Record<string, unknown>)[k];
  return out as Omit<SnapshotModel["config"], "locations">;
}

/** A chunk as read: its hot part decoded, its cold part decoded on first use. */
class LoadedChunk {
  #cold: readonly StoredCold[] | undefined;
  constructor(
    readonly key: string,
    readonly stored: StoredChunk,
    readonly store: KeyValue,
  ) {}
  cold(at: number): StoredCold {
    if (this.#cold === undefined) {
      const found = this.store.get(this.stored.cold) as StoredCold[] | undefined;
      if (found === undefined) throw new Error("compile cache record missing (delete .rocky-state/compile-cache and compile again)");
      this.#cold = found;
    }
    return this.#cold[at];
  }
}

export function getSnapshot(store: KeyValue, key: string, version: number): CompileSnapshot | undefined {
  const index = store.get(`snapshot:${key}`) as StoredIndex | undefined;
  if (index === undefined || index.version !== version || !Array.isArray(index.chunks)) return undefined;
  type Aux = { rawSources: CompileSnapshot["rawSources"]; sourceSchemas: CompileSnapshot["sourceSchemas"] };
  let aux: Aux | undefined;
  const auxRecord = (): Aux => {
    if (aux !== undefined) return aux;
    const found = store.get(index.aux) as Aux | undefined;
    if (found === undefined) throw new Error("compile cache record missing (delete .rocky-state/compile-cache and compile again)");
    auxOf.set(found.rawSources, index.aux);
    return (aux = found);
  };
  const models: LoadedModel[] = [];
  const byName = new Map<string, LoadedModel>();
  for (const chunkKey of index.chunks) {
    const stored = store.get(chunkKey) as StoredChunk | undefined;
    if (stored === undefined) return undefined;
    const chunk = new LoadedChunk(chunkKey, stored, store);
    stored.hot.forEach((hot, i) => {
      const m = new LoadedModel(hot, chunk, i);
      models.push(m);
      byName.set(m.name, m);
    });
  }
  const edge = (pick: (c: StoredCold) => readonly string[] | undefined) =>
    new LazyMap<string, readonly string[]>(
      models.map((m) => m.name),
      (name) => {
        const m = byName.get(name);
        return m === undefined ? undefined : pick(m.cold);
      },
    );
  const { aux: _aux, chunks: _chunks, graph, ...rest } = index;
  const layerOf = new Map<string, number>();
  graph.layers.forEach((layer, i) => {
    for (const name of layer) layerOf.set(name, i);
  });
  const fullGraph = { ...graph, deps: edge((c) => c.deps), sqlDeps: edge((c) => c.sqlDeps), external: edge((c) => c.external), downstream: edge((c) => c.downstream), layerOf };
  const snapshot = { ...rest, graph: fullGraph, models } as Record<string, unknown>;
  Object.defineProperty(snapshot, AUX_RECORD, { value: index.aux });
  Object.defineProperty(snapshot, "rawSources", { enumerable: true, get: () => auxRecord().rawSources });
  Object.defineProperty(snapshot, "sourceSchemas", { enumerable: true, get: () => auxRecord().sourceSchemas });
  return snapshot as unknown as CompileSnapshot;
}

/**
 * A read-only map over the models' edges, each read from its model's chunk when asked for
 * (iterating reads every chunk). Entries whose model has none are absent, as in the graph.
 */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly order: readonly K[],
    private readonly read: (key: K) => V | undefined,
  ) {}
  get size(): number {
    let n = 0;
    for (const _ of this.entries()) n++;
    return n;
  }
  has(key: K): boolean {
    return this.read(key) !== undefined;
  }
  get(key: K): V | undefined {
    return this.read(key);
  }
  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
  *entries(): MapIterator<[K, V]> {
    for (const k of this.order) {
      const v = this.read(k);
      if (v !== undefined) yield [k, v];
    }
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** A model read from a chunk: names and findings at hand, the rest (and its source record, its detail bytes) read when first used. */
class LoadedModel {
  readonly name: string;
  readonly file: string;
  readonly dialect: SnapshotModel["dialect"];
  readonly contentHash: string;
  readonly columnCount: number;
  readonly ownFiles: readonly string[];
  readonly loadDiagnostics: SnapshotModel["loadDiagnostics"];
  readonly modelDiagnostics: SnapshotModel["modelDiagnostics"];
  readonly checkDiagnostics: SnapshotModel["checkDiagnostics"];
  readonly #chunk: LoadedChunk;
  readonly at: number;
  #loaded: ModelSource | undefined;
  #config: SnapshotModel["config"] | undefined;
  constructor(hot: StoredHot, chunk: LoadedChunk, at: number) {
    this.name = hot.name;
    this.file = hot.file;
    this.dialect = hot.dialect;
    this.contentHash = hot.contentHash;
    this.columnCount = hot.columnCount;
    this.ownFiles = hot.ownFiles;
    this.loadDiagnostics = hot.loadDiagnostics;
    this.modelDiagnostics = hot.modelDiagnostics;
    this.checkDiagnostics = hot.checkDiagnostics;
    this.#chunk = chunk;
    this.at = at;
  }
  get cold(): StoredCold {
    return this.#chunk.cold(this.at);
  }
  get chunkKey(): string {
    return this.#chunk.key;
  }
  get coldKey(): string {
    return this.#chunk.stored.cold;
  }
  get chunkLength(): number {
    return this.#chunk.stored.hot.length;
  }
  get bodyKey(): string {
    return this.cold.body;
  }
  get liteConfig(): StoredCold["config"] {
    return this.cold.config;
  }
  get syntaxKey(): string {
    return this.cold.syntaxKey;
  }
  get analysisKey(): string | null {
    return this.cold.analysisKey;
  }
  get signature(): string {
    return this.cold.signature;
  }
  get parsed(): boolean {
    return this.cold.parsed;
  }
  get hasStar(): boolean {
    return this.cold.hasStar;
  }
  get refNames(): string {
    return this.cold.refNames;
  }
  get refSpans(): string {
    return this.cold.refSpans;
  }
  get source(): ModelSource {
    if (this.#loaded !== undefined) return this.#loaded;
    const body = this.bodyKey;
    const stored = this.#chunk.store.get(body) as StoredSource | undefined;
    if (stored === undefined) throw new Error(`compile cache record for model ${this.name} missing (delete .rocky-state/compile-cache and compile again)`);
    const found: ModelSource = stored.rawSql === undefined ? { ...stored, rawSql: stored.sql } : (stored as ModelSource);
    bodyOf.set(found, body);
    return (this.#loaded = found);
  }
  /** The config as stored with the chunk; its `locations` (read from the source record) only when asked for. */
  get config(): SnapshotModel["config"] {
    if (this.#config !== undefined) return this.#config;
    if (this.#loaded !== undefined) return (this.#config = this.#loaded.config);
    const config = { ...this.liteConfig } as Record<string, unknown>;
    Object.defineProperty(config, "locations", { enumerable: true, configurable: true, get: () => this.source.config.locations });
    return (this.#config = config as unknown as SnapshotModel["config"]);
  }
  get detail(): Uint8Array {
    const { details, ends } = this.#chunk.stored;
    return details.subarray(this.at === 0 ? 0 : ends[this.at - 1], ends[this.at]);
  }
}
