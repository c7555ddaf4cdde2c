import { checkModelInProject, projectCheckContext } from "../checks/run-checks.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadProject } from "../project/load-project.js";
import type { ModelSource, ProjectFiles, ProjectFileText } from "../project/types.js";
import type { Query } from "../syntax/ast.js";
import { parseSql } from "../syntax/parse-sql.js";
import type { AnalysisEntry, CompileCache, SyntaxEntry } from "./compile-cache.js";
import {
  analysisKeyOf,
  columnsSignature,
  type CompileOptions,
  modelContentHash,
  modelStageDiagnostics,
  ownFilesOf,
  refNamesOf,
  refSpansOf,
  remapAll,
  sourceSignatures,
  syntaxKeyOf,
} from "./compile-project.js";
import { modelDetailJson } from "./model-detail.js";
import { analyzeEntry, type Columns, createSchemaProvider, emptyAnalysis, parseModel, readerColumns } from "./model-stages.js";
import { classifies, type CompileSnapshot, modelWith, NO_TIMINGS, projectFromSnapshot, type SnapshotModel, tomlEnvNames, withModels } from "./snapshot.js";
import type { CompiledProject } from "./types.js";

/**
 * The incremental compile: a snapshot of the last compile plus the files that changed since, to the
 * same CompiledProject a full compile of the new files gives (the tests hold it to that), redoing only
 * what the change reached: the changed models are re-loaded and re-parsed, their analysis re-run, and
 * their readers re-typed only while output schemas keep changing; model checks re-run for those
 * models and for the `SELECT *` models they read (P002). Anything wider (a file no model owns, a
 * model added, removed or renamed, a reference added or dropped, a target moved, a budget) returns
 * `undefined` with the reason, and the caller compiles in full.
 */

export type IncrementalResult = { readonly compiled: CompiledProject; readonly reason?: undefined } | { readonly compiled?: undefined; readonly reason: string };

const now = () => performance.now();
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Which models own the given files (absent: no model's). One pass that looks each owned file up in
 * the few paths asked about, rather than a map of every file of the project (20,000 entries at 10k
 * models, built for the two a PR changed).
 */
export function ownersOf(s: Pick<CompileSnapshot, "models">, paths: readonly string[]): Map<string, number> {
  const owner = new Map<string, number>();
  if (paths.length === 0) return owner;
  const wanted = new Set(paths);
  s.models.forEach((m, i) => {
    for (const f of m.ownFiles) if (wanted.has(f)) owner.set(f, i);
  });
  return owner;
}

/** The files no model owns that the loader needs to load one model (rocky.toml, _defaults.toml, groups...): not schemas or the seed. */
export function configFilesOf(s: Pick<CompileSnapshot, "globalFiles">): string[] {
  return s.globalFiles.filter((f) => !(f === "rocky.schema.json" || f === "data/seed.sql" || (f.startsWith("schemas/") && f.endsWith(".json")) || f.endsWith(".rocky")));
}

/**
 * What a caller must read to recompile after `changed` paths changed: the changed models' own files
 * and the project's config files; undefined when a changed path is not a model's (compile in full).
 */
export function filesToRead(s: CompileSnapshot, changed: Iterable<string>): string[] | undefined {
  const needed = neededFiles(s, [...changed]);
  return Array.isArray(needed) ? needed : undefined;
}

/** filesToRead, or the first changed path no model owns. */
function neededFiles(s: CompileSnapshot, paths: readonly string[]): string[] | { readonly notOwned: string } {
  const owner = ownersOf(s, paths);
  const out = new Set<string>(configFilesOf(s));
  for (const path of paths) {
    const i = owner.get(path);
    if (i === undefined) return { notOwned: path };
    for (const f of s.models[i].ownFiles) out.add(f);
  }
  return [...out];
}

/**
 * recompileChanged with the files read on demand: what the changed paths need (filesToRead), each
 * through `read` (a text, or why there is none: see ProjectFileText; undefined: no longer a file). The shells that read from disk
 * (the warm compile, `rocky compile --watch`) share this; the review reads from git itself.
 */
export function recompileFiles(s: CompileSnapshot, changed: readonly string[], read: (path: string) => ProjectFileText | undefined, options: CompileOptions & { readonly cache: CompileCache }): IncrementalResult {
  const needed = neededFiles(s, changed);
  if (!Array.isArray(needed)) return { reason: `${needed.notOwned} is not a model's file` };
  const texts = new Map<string, ProjectFileText>();
  for (const f of needed) {
    const text = read(f);
    if (text === undefined) return { reason: `${f} is no longer a file` };
    texts.set(f, text);
  }
  return recompileChanged(s, changed, texts, options);
}

interface Changed {
  readonly index: number;
  readonly source: ModelSource;
  readonly syntaxKey: string;
  readonly syntax: SyntaxEntry;
  readonly query?: Query;
  readonly contentHash: string;
  readonly loadDiagnostics: readonly Diagnostic[];
}

/**
 * Recompile from `s` after the model files in `changed` changed. `files` holds the text of every path
 * filesToRead() named (the changed files with their new text). The cache must be the one the snapshot
 * was made with (it holds the analyses the snapshot points at).
 */
export function recompileChanged(s: CompileSnapshot, changed: Iterable<string>, files: ProjectFiles, options: CompileOptions & { readonly cache: CompileCache }): IncrementalResult {
  const t0 = now();
  const cache = options.cache;
  const paths = [...changed];
  const owner = ownersOf(s, paths);
  const byName = new Map<string, number>();
  s.models.forEach((m, i) => byName.set(m.name, i));
  const allow = s.project.config.portability.allow;
  const graphFiles = new Set<string>();
  for (const d of s.graph.diagnostics) if (d.span !== undefined) graphFiles.add(d.span.file);
  const postFiles = new Set<string>();
  for (const d of s.postDiagnostics) if (d.span !== undefined) postFiles.add(d.span.file);

  // ---- load and parse the changed models
  const touched = new Map<number, Changed>();
  for (const path of paths) {
    const i = owner.get(path);
    if (i === undefined) return { reason: `${path} is not a model's file` };
    if (touched.has(i)) continue;
    const old = s.models[i];
    const subset = new Map<string, ProjectFileText>();
    for (const f of configFilesOf(s)) subset.set(f, files.get(f) ?? null);
    for (const f of old.ownFiles) {
      const text = files.get(f);
      // A model file without text is R007 in a full compile, which says why.
      if (typeof text !== "string") return { reason: `${f} is unreadable or gone` };
      subset.set(f, text);
    }
    const loaded = loadProject(subset, options);
    const source = loaded.value.models.find((m) => m.file === old.file);
    if (source === undefined || source.name !== old.name) return { reason: `${old.file} no longer defines model ${old.name}` };
    if (ownFilesOf(source).join("\0") !== old.ownFiles.join("\0")) return { reason: `model ${source.name} changed its files` };
    // E027 prices the DAG (unchanged here) against each model's budget: a budget edit recompiles in full.
    if (JSON.stringify([source.config.budget, source.config.locations.budget]) !== JSON.stringify([old.source.config.budget, old.source.config.locations.budget])) return { reason: `model ${source.name} changed its budget` };
    if (old.ownFiles.some((f) => postFiles.has(f))) return { reason: `a project-wide finding points into model ${source.name}` };
    const own = new Set(old.ownFiles);
    const syntaxKey = syntaxKeyOf(s.salt, source, s.target, allow);
    let syntax = cache.getSyntax(syntaxKey);
    let query: Query | undefined;
    if (syntax === undefined) {
      const parsed = parseModel(source, s.target, allow);
      syntax = parsed.entry;
      query = parsed.query;
      cache.putSyntax(syntaxKey, syntax);
    }
    if (refNamesOf(source, syntax) !== old.refNames) return { reason: `model ${source.name} changed what it references, its depends_on or its target` };
    if (old.ownFiles.some((f) => graphFiles.has(f)) && refSpansOf(source, syntax) !== old.refSpans) return { reason: `a graph finding points into model ${source.name}` };
    touched.set(i, {
      index: i,
      source,
      syntaxKey,
      syntax,
      ...(query !== undefined ? { query } : {}),
      contentHash: modelContentHash(source, subset),
      // In the file's columns already (compile-project.ts says why), unlike the parse's.
      loadDiagnostics: loaded.diagnostics.filter((d) => (d.span !== undefined ? own.has(d.span.file) : d.model === source.name)),
    });
  }
  const tParse = now();

  // ---- re-type the changed models, and their readers while output schemas keep changing
  const fresh = new Map<string, AnalysisEntry>();
  const lookup = (key: string): AnalysisEntry | undefined => fresh.get(key) ?? cache.getAnalysis(key);
  const next: SnapshotModel[] = [...s.models];
  // One reader array per analysis: the analyzer caches what it derives from an upstream schema by the array.
  const readers = new Map<string, Columns>();
  const readerColumnsOf = (key: string | null, entry: AnalysisEntry): Columns => {
    if (key === null) return readerColumns(entry);
    let cols = readers.get(key);
    if (cols === undefined) readers.set(key, (cols = readerColumns(entry)));
    return cols;
  };
  const columnsOf = (name: string): Columns | undefined => {
    const i = byName.get(name);
    if (i === undefined) return undefined;
    const key = next[i].analysisKey;
    const entry = key === null ? undefined : lookup(key);
    return entry === undefined ? [] : readerColumnsOf(key, entry);
  };
  const modelColumns = { get: columnsOf, has: (name: string) => byName.has(name) } as unknown as ReadonlyMap<string, Columns>;
  const modelByLower = new Map<string, string>();
  for (const m of s.models) modelByLower.set(m.name.toLowerCase(), m.name);
  const typedSources = new Map<string, Columns | null>();
  // The source schemas are read (decoded) only if a re-typed model reads an external source.
  const rawSources = lazyMap(() => s.rawSources);
  const sourceSignature = sourceSignatures(rawSources);
  const signatureOf = (name: string): string | undefined => {
    const i = byName.get(name);
    return i === undefined ? undefined : next[i].signature;
  };

  const buckets: Set<string>[] = s.graph.layers.map(() => new Set());
  const need = (name: string) => {
    const layer = s.graph.layerOf.get(name);
    if (layer !== undefined && layer >= 0) buckets[layer].add(name);
  };
  for (const c of touched.values()) {
    need(c.source.name);
    // A model outside every layer (in or behind a cycle) is not analysed: only its syntax changes.
    if ((s.graph.layerOf.get(c.source.name) ?? -1) < 0) {
      const old = next[c.index];
      next[c.index] = modelWith(old, { source: c.source, config: c.source.config, dialect: c.source.dialect, syntaxKey: c.syntaxKey, contentHash: c.contentHash, loadDiagnostics: c.loadDiagnostics, refSpans: refSpansOf(c.source, c.syntax), modelDiagnostics: remapAll(modelStageDiagnostics(c.source, c.syntax, emptyAnalysis(), { target: s.target, allow }), new Map([[c.source.name, c.source]])) });
    }
  }
  const retyped = new Set<string>();
  let analysed = 0;
  for (const bucket of buckets) {
    for (const name of bucket) {
      const i = byName.get(name)!;
      const old = next[i];
      const c = touched.get(i);
      const source = c?.source ?? old.source;
      const syntaxKey = c?.syntaxKey ?? old.syntaxKey;
      const syntax = c?.syntax ?? cache.getSyntax(old.syntaxKey);
      if (syntax === undefined) throw new Error(`compile cache entry for model ${name} is missing (delete .rocky-state/compile-cache and compile again)`);
      let key: string | null = null;
      let entry: AnalysisEntry = emptyAnalysis();
      if (syntax.parseError === undefined) {
        key = analysisKeyOf(syntaxKey, s.graph.deps.get(name) ?? [], s.graph.external.get(name) ?? [], signatureOf, sourceSignature);
        const known = lookup(key);
        if (known !== undefined) {
          entry = known;
          // Held for the rest of this compile: a later read does not go back to the store, where a sweep may have marked it.
          fresh.set(key, known);
        } else {
          const query = c?.query ?? parseSql(source.sql, source.dialect).query;
          entry = query === undefined ? emptyAnalysis() : analyzeEntry({ model: name, file: source.file, dialect: source.dialect, query, schemas: createSchemaProvider(source.dialect, modelByLower, modelColumns, rawSources, typedSources) });
          analysed++;
          fresh.set(key, entry);
          cache.putAnalysis(key, entry);
        }
      }
      const signature = columnsSignature(readerColumnsOf(key, entry));
      if (signature !== old.signature) for (const d of s.graph.downstream.get(name) ?? []) need(d);
      retyped.add(name);
      next[i] = modelWith(old, {
        ...(c !== undefined ? { source, config: source.config, dialect: source.dialect } : {}),
        syntaxKey,
        analysisKey: key,
        signature,
        columnCount: entry.columns.length,
        parsed: syntax.parseError === undefined,
        hasStar: entry.hasStar,
        ...(c !== undefined ? { contentHash: c.contentHash, loadDiagnostics: c.loadDiagnostics, refSpans: refSpansOf(source, syntax) } : {}),
        modelDiagnostics: remapAll(modelStageDiagnostics(source, syntax, entry, { target: s.target, allow }), new Map([[name, source]])),
      });
    }
  }
  const tTypes = now();

  // ---- model checks for what changed, and for the `SELECT *` models those read (P002 counts their readers' columns)
  const recheck = new Set<string>(retyped);
  for (const c of touched.values()) recheck.add(c.source.name);
  for (const name of [...recheck]) {
    for (const d of s.graph.deps.get(name) ?? []) {
      const i = byName.get(d);
      if (i !== undefined && next[i].hasStar) recheck.add(d);
    }
  }
  // Models as the checks see them (made on first read; the final project reuses them).
  const models = projectFromSnapshot(withModels(s, [...next]), lookup, NO_TIMINGS).models;
  const view = { models, downstream: s.graph.downstream };
  const context = projectCheckContext(s.project);
  for (const name of recheck) {
    const i = byName.get(name)!;
    const m = next[i];
    const cm = models.get(name)!;
    const syntax = touched.get(i)?.syntax ?? cache.getSyntax(m.syntaxKey);
    const incomplete = m.modelDiagnostics.some((d) => d.code === "W002" && d.model === name);
    const found = checkModelInProject(view, cm, { sql: m.source.sql, syntax, incomplete, sqlDeps: s.graph.sqlDeps.get(name) }, context);
    next[i] = modelWith(m, { checkDiagnostics: remapAll(found, new Map([[name, m.source]])), ...(m.detail.byteLength > 0 || touched.has(i) ? { detail: modelDetailJson(cm) } : {}) });
  }
  const tChecks = now();

  const envNames = new Set(s.envRefs.map(([n]) => n));
  const envRefs = [...s.envRefs];
  for (const name of tomlEnvNames(files)) if (!envNames.has(name)) envRefs.push([name, options.env[name] ?? null]);
  // Which models classify a column changes only with a touched model's config.
  let classified: string[] | undefined;
  for (const c of touched.values()) {
    const was = s.classified.includes(c.source.name);
    if (classifies(c.source.config) === was) continue;
    classified ??= [...s.classified];
    if (was) classified.splice(classified.indexOf(c.source.name), 1);
    else classified.push(c.source.name);
  }
  classified?.sort();
  const snapshot = withModels(s, next, envRefs.length === s.envRefs.length ? undefined : envRefs, classified);
  const compiled = projectFromSnapshot(snapshot, lookup, {
    project_load_ms: 0,
    parse_ms: round(tParse - t0),
    semantic_graph_ms: 0,
    typecheck_ms: round(tTypes - tParse),
    contracts_ms: 0,
    checks_ms: round(tChecks - tTypes),
    total_ms: round(now() - t0),
    cache_hits: s.models.length - analysed,
    analysed,
  }, models);
  return { compiled };
}

/** A map read from `load()` on first use. */
function lazyMap<K, V>(load: () => ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  let map: ReadonlyMap<K, V> | undefined;
  const m = () => (map ??= load());
  return {
    get: (k: K) => m().get(k),
    has: (k: K) => m().has(k),
    get size() {
      return m().size;
    },
    keys: () => m().keys(),
    values: () => m().values(),
    entries: () => m().entries(),
    forEach: (fn: (v: V, k: K, map: ReadonlyMap<K, V>) => void) => m().forEach(fn),
    [Symbol.iterator]: () => m()[Symbol.iterator](),
  };
}
