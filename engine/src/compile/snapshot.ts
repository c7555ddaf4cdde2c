import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ModelGraph } from "../graph/build-model-graph.js";
import type { ModelSource, Project, ProjectFileText, SourceColumn } from "../project/types.js";
import type { DialectId } from "../syntax/ast.js";
import type { AnalysisEntry, CompileCache } from "./compile-cache.js";
import { emptyAnalysis } from "./model-stages.js";
import type { CompiledModel, CompiledProject, CompileTimings } from "./types.js";

/**
 * A compiled project as the compile cache keeps it between runs, so that the next compile of the
 * same project (the CLI's next `rocky compile`, a PR's head side after its base) redoes only what a
 * change reached. Each model keeps its loaded source, its cache keys, its output signature and its
 * findings split by stage; the heavy analysis (columns with lineage, row-level inputs, reads) stays
 * in the compile cache under `analysisKey` and is decoded only when something reads it.
 *
 * Plain data (Maps allowed, no Sets) so lmdb stores it as is. Bump SNAPSHOT_VERSION when its shape
 * or meaning changes.
 */
export const SNAPSHOT_VERSION = 10;

export interface SnapshotModel {
  readonly name: string;
  readonly file: string;
  /** The loaded model (read lazily from the store: a warm compile touches few of them). */
  readonly source: ModelSource;
  /** Its config (= source.config), kept at hand: project-wide passes (compliance) read every model's. */
  readonly config: ModelSource["config"];
  /** = source.dialect, kept at hand for the same reason. */
  readonly dialect: ModelSource["dialect"];
  /** The files the model is made of (SQL, sidecar, contract): a change to only these recompiles it alone. */
  readonly ownFiles: readonly string[];
  readonly contentHash: string;
  readonly syntaxKey: string;
  /** Key of its AnalysisEntry in the compile cache; null when it was not analysed (syntax error, cycle). */
  readonly analysisKey: string | null;
  /** `name:Type!` per output column: what downstream analysis keys are made of. */
  readonly signature: string;
  /** How many output columns it has (the text output lists it for every model). */
  readonly columnCount: number;
  readonly parsed: boolean;
  readonly hasStar: boolean;
  /** Names of the models and sources it references and its depends_on: unchanged → the DAG is unchanged. */
  readonly refNames: string;
  /** The same with positions, for models a graph finding points into. */
  readonly refSpans: string;
  /** Findings of the loader on this model's own files. */
  readonly loadDiagnostics: readonly Diagnostic[];
  /** R001, text checks (P001) and inference findings. */
  readonly modelDiagnostics: readonly Diagnostic[];
  /** Model-level checks (contracts, time_interval, W004-W006, D011, E035, P002). */
  readonly checkDiagnostics: readonly Diagnostic[];
  /** Its `models_detail` item, serialised (model-detail.ts). */
  readonly detail: Uint8Array;
}

export interface CompileSnapshot {
  readonly version: number;
  readonly project: Omit<Project, "models" | "sourceSchemas">;
  /** The project's committed source schemas (Project.sourceSchemas). */
  readonly sourceSchemas: Project["sourceSchemas"];
  /** Source schemas as typing saw them (committed schemas, seed, warehouse cache): "schema.table" → columns. */
  readonly rawSources: ReadonlyMap<string, readonly SourceColumn[]>;
  readonly target?: DialectId;
  readonly salt: string;
  readonly models: readonly SnapshotModel[];
  readonly graph: Omit<ModelGraph, "blocked"> & { readonly blocked: readonly string[] };
  /** Loader findings on files no model owns, seed findings, graph findings. */
  readonly preDiagnostics: readonly Diagnostic[];
  /** Project-wide checks (E036, E027). */
  readonly postDiagnostics: readonly Diagnostic[];
  /** Files no model owns, every one the loader saw (rocky.toml, _defaults.toml, groups, schemas, seed...). */
  readonly globalFiles: readonly string[];
  /** Hash of those files' contents: equal → only model files changed. */
  readonly globalHash: string;
  /** Models with a `[classification]` entry, sorted (compliance reads these, not every model's config). */
  readonly classified: readonly string[];
  /** The `${VAR}`s the project's TOML names, with the values it was compiled with: another value, another project. */
  readonly envRefs: readonly (readonly [string, string | null])[];
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

/** The `${VAR}` names the TOML files among `files` refer to, sorted. */
export function tomlEnvNames(files: Iterable<readonly [string, ProjectFileText]>): string[] {
  const names = new Set<string>();
  for (const [path, text] of files) {
    if (typeof text !== "string" || !path.endsWith(".toml") || !text.includes("${")) continue;
    for (const m of text.matchAll(ENV_REF)) names.add(m[1]);
  }
  return [...names].sort();
}

/** Whether a snapshot was made with the same values of the variables its TOML names. */
export function snapshotMatchesEnv(s: Pick<CompileSnapshot, "envRefs">, env: Readonly<Record<string, string | undefined>>): boolean {
  return (s.envRefs ?? []).every(([name, value]) => (env[name] ?? null) === value);
}

/** Final diagnostics from a snapshot's parts, in one order for full and incremental compiles. */
export function snapshotDiagnostics(s: Pick<CompileSnapshot, "models" | "preDiagnostics" | "postDiagnostics">, order: readonly number[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (ds: readonly Diagnostic[]) => {
    for (const d of ds) out.push(d);
  };
  push(s.preDiagnostics);
  for (const i of order) {
    push(s.models[i].loadDiagnostics);
    push(s.models[i].modelDiagnostics);
  }
  for (const i of order) push(s.models[i].checkDiagnostics);
  push(s.postDiagnostics);
  return out;
}

/** Model indices in output order: execution layers, then models in or behind a cycle, by name. */
export function snapshotOrder(s: Pick<CompileSnapshot, "models" | "graph">): readonly number[] {
  return orderOf(s).order;
}

interface Order {
  /** The models it was computed for (names are what matter: an incremental compile replaces models in place). */
  models: readonly SnapshotModel[];
  readonly order: readonly number[];
  /** Model names in output order, as a list and a set, and each name's index in `models`. */
  readonly names: readonly string[];
  readonly nameSet: ReadonlySet<string>;
  readonly index: ReadonlyMap<string, number>;
}

/**
 * Per graph, the output order and name index, shared by the snapshots an incremental compile
 * derives from one another (the same graph, the same models by name in the same places): `rocky
 * compile --watch` materialises the project after every save, and at 10,000 models rebuilding these
 * cost ~15 ms a time.
 */
const orders = new WeakMap<object, Order>();

function orderOf(s: Pick<CompileSnapshot, "models" | "graph">): Order {
  const hit = orders.get(s.graph);
  if (hit !== undefined && (hit.models === s.models || (hit.models.length === s.models.length && hit.models.every((m, i) => m.name === s.models[i].name)))) {
    hit.models = s.models;
    return hit;
  }
  const index = new Map<string, number>();
  s.models.forEach((m, i) => index.set(m.name, i));
  const ordered = [...s.graph.layers.flat(), ...[...s.graph.blocked].sort()];
  const order = ordered.map((n) => index.get(n)).filter((i): i is number => i !== undefined);
  const names = order.map((i) => s.models[i].name);
  const made: Order = { models: s.models, order, names, nameSet: new Set(names), index };
  orders.set(s.graph, made);
  return made;
}

function readsMap(entry: AnalysisEntry): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(entry.reads.map(([k, v]) => [k, new Set(v)]));
}

/**
 * A CompiledModel read from a snapshot: its loaded source (config, contract) and its analysis
 * (columns, row-level inputs, reads) are fetched on first use, so a project of 10,000 models
 * materialises in milliseconds and a review reads only the models it looks at. Those fields are
 * getters on the prototype (cheap to make by the ten thousand): copy one with `{ ...m }` and they
 * are lost; use copyCompiledModel.
 */
class LazyCompiledModel {
  readonly name: string;
  readonly file: string;
  readonly layer: number;
  // ECMAScript private fields: invisible to JSON.stringify, spreads and Object.keys.
  #entry: AnalysisEntry | undefined;
  #reads: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  readonly #m: SnapshotModel;
  readonly #graph: CompileSnapshot["graph"];
  readonly #lookup: AnalysisLookup;
  constructor(m: SnapshotModel, graph: CompileSnapshot["graph"], lookup: AnalysisLookup) {
    this.#m = m;
    this.#graph = graph;
    this.#lookup = lookup;
    this.name = m.name;
    this.file = m.file;
    this.layer = graph.layerOf.get(m.name) ?? -1;
  }
  get dependsOn(): readonly string[] {
    return this.#graph.deps.get(this.name) ?? [];
  }
  get externalSources(): readonly string[] {
    return this.#graph.external.get(this.name) ?? [];
  }
  get hasStar(): boolean {
    return this.#m.hasStar;
  }
  get contentHash(): string {
    return this.#m.contentHash;
  }
  get parsed(): boolean {
    return this.#m.parsed;
  }
  #analysis(): AnalysisEntry {
    if (this.#entry !== undefined) return this.#entry;
    if (this.#m.analysisKey === null) return (this.#entry = emptyAnalysis());
    const found = this.#lookup(this.#m.analysisKey);
    if (found === undefined) throw new Error(`compile cache entry for model ${this.#m.name} is missing (delete .rocky-state/compile-cache and compile again)`);
    return (this.#entry = found);
  }
  get sidecarFile() {
    return this.#m.source.sidecarFile;
  }
  get dialect() {
    return this.#m.dialect;
  }
  get config() {
    return this.#m.config;
  }
  get contract() {
    return this.#m.source.contract;
  }
  get columns() {
    return this.#analysis().columns;
  }
  get rowLevel() {
    return this.#analysis().rowLevel;
  }
  get reads() {
    return (this.#reads ??= readsMap(this.#analysis()));
  }
}

export function lazyCompiledModel(m: SnapshotModel, graph: CompileSnapshot["graph"], lookup: AnalysisLookup): CompiledModel {
  return new LazyCompiledModel(m, graph, lookup) as unknown as CompiledModel;
}

/** A plain copy of a compiled model (every field read), with some replaced: what `{ ...m, ... }` would be for a plain one. */
export function copyCompiledModel(m: CompiledModel, patch: Partial<CompiledModel> = {}): CompiledModel {
  return {
    name: m.name,
    file: m.file,
    ...(m.sidecarFile !== undefined ? { sidecarFile: m.sidecarFile } : {}),
    dialect: m.dialect,
    config: m.config,
    ...(m.contract !== undefined ? { contract: m.contract } : {}),
    dependsOn: m.dependsOn,
    externalSources: m.externalSources,
    columns: m.columns,
    rowLevel: m.rowLevel,
    hasStar: m.hasStar,
    reads: m.reads,
    contentHash: m.contentHash,
    parsed: m.parsed,
    layer: m.layer,
    ...patch,
  };
}

/** A read-only Map whose values are made on first access (10,000 lazy models cost nothing until read). */
export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private readonly made = new Map<K, V>();
  constructor(
    private readonly order: readonly K[],
    private readonly known: ReadonlySet<K>,
    private readonly make: (key: K) => V,
  ) {}
  get size(): number {
    return this.order.length;
  }
  has(key: K): boolean {
    return this.known.has(key);
  }
  get(key: K): V | undefined {
    if (!this.known.has(key)) return undefined;
    let v = this.made.get(key);
    if (v === undefined) this.made.set(key, (v = this.make(key)));
    return v;
  }
  keys(): MapIterator<K> {
    return this.order[Symbol.iterator]() as MapIterator<K>;
  }
  *values(): MapIterator<V> {
    for (const k of this.order) yield this.get(k) as V;
  }
  *entries(): MapIterator<[K, V]> {
    for (const k of this.order) yield [k, this.get(k) as V];
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const k of this.order) fn(this.get(k) as V, k, this);
  }
}

/** Timings of a compile that did no stage (answered from a snapshot). */
export const NO_TIMINGS: CompileTimings = { project_load_ms: 0, parse_ms: 0, semantic_graph_ms: 0, typecheck_ms: 0, contracts_ms: 0, checks_ms: 0, total_ms: 0, cache_hits: 0, analysed: 0 };

/** The project a snapshot describes, unchanged: every model a cache hit, analyses read from `cache`. */
export function unchangedProject(s: CompileSnapshot, cache: Pick<CompileCache, "getAnalysis">, totalMs = 0): CompiledProject {
  return projectFromSnapshot(s, (k) => cache.getAnalysis(k), { ...NO_TIMINGS, cache_hits: s.models.length, total_ms: totalMs });
}

/** Reads an analysis by key: the compile cache, with this run's fresh entries first. */
export type AnalysisLookup = (key: string) => AnalysisEntry | undefined;

/** The compiled project a snapshot describes, its models and analyses read lazily through `lookup`. */
export function projectFromSnapshot(s: CompileSnapshot, lookup: AnalysisLookup, timings: CompileTimings, reuse?: ReadonlyMap<string, CompiledModel>): CompiledProject {
  const { order, names, nameSet, index } = orderOf(s);
  const models = new LazyMap<string, CompiledModel>(names, nameSet, (name) => reuse?.get(name) ?? lazyCompiledModel(s.models[index.get(name)!], s.graph, lookup));
  let project: Project | undefined;
  let diagnostics: Diagnostic[] | undefined;
  const compiled = { models, layers: s.graph.layers, downstream: s.graph.downstream, timings, snapshot: s };
  return Object.defineProperties(compiled, {
    project: { enumerable: true, get: () => (project ??= { ...s.project, sourceSchemas: s.sourceSchemas, models: s.models.map((m) => m.source) }) },
    diagnostics: { enumerable: true, get: () => (diagnostics ??= snapshotDiagnostics(s, order)) },
  }) as unknown as CompiledProject;
}

/** The snapshot with other models, its lazily read parts left unread. */
export function withModels(s: CompileSnapshot, models: readonly SnapshotModel[], envRefs?: CompileSnapshot["envRefs"], classified?: CompileSnapshot["classified"]): CompileSnapshot {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(s)) as Record<string, unknown>;
  Object.defineProperty(copy, "models", { value: models, enumerable: true });
  if (classified !== undefined) Object.defineProperty(copy, "classified", { value: classified, enumerable: true });
  if (envRefs !== undefined) Object.defineProperty(copy, "envRefs", { value: envRefs, enumerable: true });
  return copy as unknown as CompileSnapshot;
}

/** Every field of a SnapshotModel but the two that may be read lazily (`source`, `detail`). */
export const SNAPSHOT_MODEL_FIELDS = [
  "name",
  "file",
  "config",
  "dialect",
  "ownFiles",
  "contentHash",
  "syntaxKey",
  "analysisKey",
  "signature",
  "columnCount",
  "parsed",
  "hasStar",
  "refNames",
  "refSpans",
  "loadDiagnostics",
  "modelDiagnostics",
  "checkDiagnostics",
] as const satisfies readonly Exclude<keyof SnapshotModel, "source" | "detail">[];

/**
 * A model with some fields replaced. Its `source` and `detail`, unless replaced, are read from the
 * old model only when used (a re-typed model's loaded source is not decoded for nothing).
 */
export function modelWith(old: SnapshotModel, patch: Partial<SnapshotModel>): SnapshotModel {
  const out: Record<string, unknown> = {};
  for (const k of SNAPSHOT_MODEL_FIELDS) out[k] = k in patch ? patch[k] : old[k];
  Object.defineProperty(out, "source", patch.source !== undefined ? { value: patch.source, enumerable: true } : { get: () => old.source, enumerable: true });
  Object.defineProperty(out, "detail", patch.detail !== undefined ? { value: patch.detail, enumerable: true } : { get: () => old.detail, enumerable: true });
  return out as unknown as SnapshotModel;
}

/**
 * A freshly compiled model's `detail`, serialised when first read and then kept. putSnapshot reads
 * it first, copies it into its chunk's buffer and hands the model that copy (keepStoredDetail): the
 * 10k-model compile then holds one copy of its ~17 MB of details, not two.
 */
export function lazyDetail(model: SnapshotModel, make: () => Uint8Array): SnapshotModel {
  return Object.defineProperty(model, "detail", {
    enumerable: true,
    configurable: true,
    get(this: SnapshotModel) {
      const bytes = make();
      keepStoredDetail(this, bytes);
      return bytes;
    },
  });
}

/** Let a fresh model's `detail` be these bytes (the same, as stored): a no-op for any other model. */
export function keepStoredDetail(model: SnapshotModel, bytes: Uint8Array): void {
  if (Object.getOwnPropertyDescriptor(model, "detail")?.configurable === true) Object.defineProperty(model, "detail", { value: bytes, enumerable: true, configurable: true });
}

/** Whether a model's config classifies any column. */
export function classifies(config: ModelSource["config"]): boolean {
  for (const _ in config.classification) return true;
  return false;
}
