import { createHash } from "node:crypto";
import type { ModelSource } from "../project/types.js";
import { type CompileSnapshot, SNAPSHOT_MODEL_FIELDS, type SnapshotModel } from "./snapshot.js";

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

export const CHUNK = 500;

type StoredModel = Omit<SnapshotModel, "source" | "detail"> & {
  readonly body: string;
  /** The model's edges (the graph's per-model maps, kept with the model so an unchanged chunk is not re-encoded). */
  readonly deps?: readonly string[];
  readonly sqlDeps?: readonly string[];
  readonly external?: readonly string[];
  readonly downstream?: readonly string[];
};

interface StoredChunk {
  readonly models: readonly StoredModel[];
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
/** A loaded model object → its source record and its chunk, known without reading either. */
const loadedFrom = new WeakMap<object, { readonly body: string; readonly chunk: string }>();
/** A loaded snapshot's schemas record, reused when put back unchanged. */
const auxOf = new WeakMap<object, string>();
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * Every record of a snapshot (its chunks, sources, schemas) is named under its key's prefix, so
 * dropping a snapshot drops them all and two snapshots never share a record one could drop.
 */
function recordPrefix(key: string): string {
  return sha1(key).slice(0, 16);
}

function uniqueKey(kind: string, prefix: string): string {
  return `${kind}:${prefix}:${sha1(`${process.hrtime.bigint()}\0${Math.random()}`)}`;
}

/** Drop a snapshot and every record under its key. */
export function dropSnapshot(store: KeyValue, key: string): void {
  const prefix = recordPrefix(key);
  for (const kind of ["chunk", "body", "aux"]) for (const k of [...store.keys(`${kind}:${prefix}:`)]) store.remove(k);
  store.remove(`snapshot:${key}`);
  store.remove(`chunks:${key}`);
}

export function putSnapshot(store: KeyValue, key: string, s: CompileSnapshot): void {
  const prefix = recordPrefix(key);
  const mine = (record: string | undefined) => record !== undefined && record.startsWith(`${record.slice(0, record.indexOf(":"))}:${prefix}:`);
  const chunks: string[] = [];
  for (let start = 0; start < s.models.length; start += CHUNK) {
    const slice = s.models.slice(start, start + CHUNK);
    // A chunk whose models are all the loaded objects of one stored chunk, in order, is unchanged.
    const from = loadedFrom.get(slice[0])?.chunk;
    if (from !== undefined && mine(from) && slice.every((m, i) => loadedFrom.get(m)?.chunk === from && loadedIndex.get(m) === i) && chunkSize.get(from) === slice.length) {
      chunks.push(from);
      continue;
    }
    const models: StoredModel[] = [];
    const parts: Uint8Array[] = [];
    const ends: number[] = [];
    let end = 0;
    for (const m of slice) {
      let body = loadedFrom.get(m)?.body;
      if (!mine(body)) {
        const source = m.source;
        body = bodyOf.get(source);
        if (!mine(body)) {
          // By content: a full compile that rewrites an unchanged model rewrites the same record.
          body = `body:${prefix}:${sha1(`${m.name}\0${m.contentHash}\0${m.syntaxKey}\0${s.globalHash}`)}`;
          store.put(body, source);
          bodyOf.set(source, body);
        }
      }
      if (body === undefined) throw new Error("unreachable: a model without a source record");
      const rest: Record<string, unknown> = {};
      for (const k of SNAPSHOT_MODEL_FIELDS) rest[k] = m[k];
      // The config's key locations (where a finding about a key points) live in the source record.
      rest.config = liteConfig.get(m) ?? withoutLocations(m.config);
      const g = s.graph;
      const edges = { deps: g.deps.get(m.name), sqlDeps: g.sqlDeps.get(m.name), external: g.external.get(m.name), downstream: g.downstream.get(m.name) };
      models.push({ ...(rest as Omit<StoredModel, "body">), body, ...edges });
      const detail = m.detail;
      parts.push(detail);
      end += detail.byteLength;
      ends.push(end);
    }
    const chunkKey = uniqueKey("chunk", prefix);
    store.put(chunkKey, { models, details: Buffer.concat(parts), ends } satisfies StoredChunk);
    chunks.push(chunkKey);
  }
  let aux = auxOf.get(s.rawSources);
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
    usesBudget: s.usesBudget,
    envRefs: s.envRefs,
    chunks,
    aux,
  };
  store.put(`snapshot:${key}`, index);
  // Drop the chunks of the snapshot this one replaces that it no longer uses.
  const old = store.get(`chunks:${key}`) as { chunks: readonly string[]; aux: string } | undefined;
  const kept = new Set(chunks);
  for (const c of old?.chunks ?? []) if (!kept.has(c)) store.remove(c);
  if (old !== undefined && old.aux !== aux) store.remove(old.aux);
  store.put(`chunks:${key}`, { chunks, aux });
}

const loadedIndex = new WeakMap<object, number>();
/** A loaded model's config as its chunk holds it (without key locations): written back without reading the source. */
const liteConfig = new WeakMap<object, Omit<SnapshotModel["config"], "locations">>();

function withoutLocations(config: SnapshotModel["config"]): Omit<SnapshotModel["config"], "locations"> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(config)) if (k !== "locations") out[k] = (config as unknown as Record<string, unknown>)[k];
  return out as Omit<SnapshotModel["config"], "locations">;
}
const chunkSize = new Map<string, number>();

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
  const models: SnapshotModel[] = [];
  const deps = new Map<string, readonly string[]>();
  const sqlDeps = new Map<string, readonly string[]>();
  const external = new Map<string, readonly string[]>();
  const downstream = new Map<string, readonly string[]>();
  for (const chunkKey of index.chunks) {
    const chunk = store.get(chunkKey) as StoredChunk | undefined;
    if (chunk === undefined) return undefined;
    chunkSize.set(chunkKey, chunk.models.length);
    const { details, ends } = chunk;
    chunk.models.forEach((stored, i) => {
      const { body, deps: d, sqlDeps: sd, external: e, downstream: ds } = stored;
      if (d !== undefined) deps.set(stored.name, d);
      if (sd !== undefined) sqlDeps.set(stored.name, sd);
      if (e !== undefined) external.set(stored.name, e);
      if (ds !== undefined) downstream.set(stored.name, ds);
      const m = new LoadedModel(stored, store, chunk, i);
      loadedFrom.set(m, { body, chunk: chunkKey });
      loadedIndex.set(m, i);
      models.push(m as unknown as SnapshotModel);
    });
  }
  const { aux: _aux, chunks: _chunks, graph, ...rest } = index;
  const layerOf = new Map<string, number>();
  graph.layers.forEach((layer, i) => {
    for (const name of layer) layerOf.set(name, i);
  });
  const snapshot = { ...rest, graph: { ...graph, deps, sqlDeps, external, downstream, layerOf }, models } as Record<string, unknown>;
  Object.defineProperty(snapshot, "rawSources", { enumerable: true, get: () => auxRecord().rawSources });
  Object.defineProperty(snapshot, "sourceSchemas", { enumerable: true, get: () => auxRecord().sourceSchemas });
  return snapshot as unknown as CompileSnapshot;
}

/** A model read from a chunk: its source record and its detail bytes are read when first used. */
class LoadedModel {
  readonly name: string;
  readonly file: string;
  readonly #configLite: Omit<SnapshotModel["config"], "locations">;
  #config: SnapshotModel["config"] | undefined;
  readonly ownFiles: readonly string[];
  readonly contentHash: string;
  readonly syntaxKey: string;
  readonly analysisKey: string | null;
  readonly signature: string;
  readonly parsed: boolean;
  readonly hasStar: boolean;
  readonly refNames: string;
  readonly refSpans: string;
  readonly loadDiagnostics: SnapshotModel["loadDiagnostics"];
  readonly modelDiagnostics: SnapshotModel["modelDiagnostics"];
  readonly checkDiagnostics: SnapshotModel["checkDiagnostics"];
  #loaded: ModelSource | undefined;
  readonly #store: KeyValue;
  readonly #chunk: StoredChunk;
  readonly #at: number;
  constructor(stored: StoredModel, store: KeyValue, chunk: StoredChunk, at: number) {
    this.#store = store;
    this.#chunk = chunk;
    this.#at = at;
    this.name = stored.name;
    this.file = stored.file;
    this.#configLite = stored.config;
    liteConfig.set(this, stored.config);
    this.ownFiles = stored.ownFiles;
    this.contentHash = stored.contentHash;
    this.syntaxKey = stored.syntaxKey;
    this.analysisKey = stored.analysisKey;
    this.signature = stored.signature;
    this.parsed = stored.parsed;
    this.hasStar = stored.hasStar;
    this.refNames = stored.refNames;
    this.refSpans = stored.refSpans;
    this.loadDiagnostics = stored.loadDiagnostics;
    this.modelDiagnostics = stored.modelDiagnostics;
    this.checkDiagnostics = stored.checkDiagnostics;
  }
  get source(): ModelSource {
    if (this.#loaded !== undefined) return this.#loaded;
    const body = loadedFrom.get(this)!.body;
    const found = this.#store.get(body) as ModelSource | undefined;
    if (found === undefined) throw new Error(`compile cache record for model ${this.name} missing (delete .rocky-state/compile-cache and compile again)`);
    bodyOf.set(found, body);
    return (this.#loaded = found);
  }
  /** The config as stored with the chunk; its `locations` (read from the source record) only when asked for. */
  get config(): SnapshotModel["config"] {
    if (this.#config !== undefined) return this.#config;
    if (this.#loaded !== undefined) return (this.#config = this.#loaded.config);
    const config = { ...this.#configLite } as Record<string, unknown>;
    Object.defineProperty(config, "locations", { enumerable: true, configurable: true, get: () => this.source.config.locations });
    return (this.#config = config as unknown as SnapshotModel["config"]);
  }
  get detail(): Uint8Array {
    const ends = this.#chunk.ends;
    return this.#chunk.details.subarray(this.#at === 0 ? 0 : ends[this.#at - 1], ends[this.#at]);
  }
}
