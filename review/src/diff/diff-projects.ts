import type { CompiledModel, CompiledProject, LineageSource, OutputColumn, RowLevel } from "../../../engine/src/compile/types.js";
import { copyCompiledModel } from "../../../engine/src/compile/snapshot.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { contractColumn, ruleLocation } from "../../../engine/src/checks/contract-columns.js";
import type { Contract, ModelSource, StrategyConfig, TomlLocation } from "../../../engine/src/project/types.js";
import type { DialectId, Span } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { collectTableRefs } from "../../../engine/src/syntax/walk.js";
import { isNarrowing } from "../../../engine/src/types/is-narrowing.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { containsUnknown } from "../../../engine/src/types/type-constants.js";
import type {
  BlastRadius,
  BlastRadiusEntry,
  BreakingChange,
  BreakingChangeKind,
  ChangedFile,
  ColumnChange,
  ColumnChangeKind,
  ColumnPointer,
  Consumer,
  ContractFinding,
  ModelChange,
  ModelLevelChange,
  ProjectDiff,
  ReportSpan,
  RowLevelChange,
  RowLevelClause,
} from "../report/types.js";
import { inHeadRanges } from "../report/types.js";
import { modelSources } from "../report/project-access.js";
import { breakingSeverity, type SeverityFacts } from "./breaking-severity.js";
import { blastEntry, ConsumerIndex, pathTo } from "./blast-radius.js";
import { clauseKeywordPositions, type KeywordAt } from "./clause-positions.js";
import { CLAUSE_SEPARATOR, MovedModels, splitTopLevel } from "./inline-moved.js";
import { evaluateContract } from "./evaluate-contract.js";
import { colKey, pointerText, reportSpan, ROW_LEVEL_CLAUSES, sameTarget, sortBy, targetOf } from "./keys.js";
import { type ModelPair, pairModelsInOrder } from "./pair-models.js";
import { sameTokens } from "./same-tokens.js";
import { type DiffFiles, SharedConfigKeys, sidecarKeySpan } from "./shared-config.js";
import { SourceDeclarations } from "./source-declarations.js";

/** RowLevel fingerprint key → the report's clause name, in order. */
const CLAUSES = Object.entries(ROW_LEVEL_CLAUSES) as [keyof RowLevel["fingerprints"], RowLevelClause][];

/** Per strategy key → Rocky's `key_kind` for materialization_key_changed. */
const STRATEGY_KEYS: readonly (readonly [string, string])[] = [
  ["unique_key", "unique_key"],
  ["update_columns", "update_columns"],
  ["timestamp_column", "timestamp_column"],
  ["partition_by", "partition_by"],
  ["time_column", "time_column"],
  ["granularity", "granularity"],
  ["target_lag", "target_lag"],
  ["storage_prefix", "storage_prefix"],
  ["partition_columns", "partition_columns"],
];

/** Sidecar keys whose change is reported as `config_changed` (the rest have their own kinds or do not matter to a reviewer). */
const CONFIG_KEYS = ["tags", "budget", "schedule", "freshness", "exposures", "intent", "adapter", "format_options"] as const;

const KIND_OF: Record<ColumnChangeKind["kind"], BreakingChangeKind> = {
  added: "column_added",
  removed: "column_dropped",
  renamed: "column_renamed",
  type_changed: "column_type_changed",
  nullability_changed: "column_nullability_changed",
  logic_changed: "column_logic_changed",
};

const json = (v: unknown): string => JSON.stringify(v ?? null);

interface Ctx {
  readonly base: CompiledProject;
  readonly head: CompiledProject;
  readonly changed: readonly ChangedFile[];
  readonly changedPaths: ReadonlySet<string>;
  /** Stems of the changed `.toml` files (`models/x.toml`, `contracts/x.contract.toml` → `x`): only a model named so can own one. */
  readonly tomlStems: ReadonlySet<string>;
  readonly sharedChanged: boolean;
  /** Where the changed `_defaults.toml` and config groups set a key (a change inherited from there points at it). */
  readonly shared: SharedConfigKeys;
  /** Where the changed seed and schema files declare each source column. */
  readonly sources: SourceDeclarations;
  /** Sources (raw SQL, config errors) of the touched models by name, found on first use: only touched models need them. */
  readonly headSources: () => ReadonlyMap<string, ModelSource>;
  readonly baseSources: () => ReadonlyMap<string, ModelSource>;
  /** Names of the touched pairs' models, head and base side: which sources to find. */
  readonly touchedHead: Set<string>;
  readonly touchedBase: Set<string>;
  /** Head `model.column` keys that changed (for `upstream` logic changes), filled in topological order. */
  readonly changedCols: Set<string>;
  /** Head names of models with a column change so far (their downstream must be compared). */
  readonly changedModels: Set<string>;
  /** Head models that read one of `changedModels` (head.downstream of each): the untouched models that must be compared. */
  readonly readersOfChanged: Set<string>;
  /** The same readers in the order they were found (the snapshot pass visits them as they come). */
  readonly readerLog: string[];
  readonly columnChanges: ColumnChange[];
  readonly rowLevelChanges: RowLevelChange[];
  readonly modelChanges: ModelChange[];
  readonly breaking: BreakingChange[];
  readonly touched: Set<string>;
  /** Models whose SQL the PR edited in comments, layout or keyword case only (same-tokens.ts). */
  readonly layoutOnly: Set<string>;
  /** Base model name → head model name, for models paired under a new name. */
  readonly renamedModels: Map<string, string>;
  /** Base models with no head pair: the PR removes them. */
  readonly removed: CompiledModel[];
  /** The models only one side has, read through as CTEs of their readers, and renamed models under their head names (inline-moved.ts); set once the models are paired. */
  moved: { readonly base: MovedModels; readonly head: MovedModels } | undefined;
  /** Head models with an error (found on first use): a column one of them can no longer type is no change of its own. */
  headErrors: Set<string> | undefined;
}

/**
 * Compare two compiled projects at column level (issue 3 §2-§4): pair models by target, classify
 * model-, column- and row-level changes, trace every change's blast radius (head; base for removed
 * and renamed columns), classify breaking changes with Rocky's severities, and evaluate contracts
 * on head for the changed models and every contracted model the changes reach.
 *
 * Only models the PR touched (their SQL, sidecar or contract file, or any shared config file) can
 * have direct changes; every other pair is compared only for propagated type/nullability changes.
 */
export function diffProjects(base: CompiledProject, head: CompiledProject, changed: readonly ChangedFile[], files?: DiffFiles): ProjectDiff {
  const ctx: Ctx = {
    base,
    head,
    changed,
    changedPaths: changedProjectPaths(changed),
    tomlStems: tomlStemsOf(changedProjectPaths(changed)),
    sharedChanged: changed.some((f) => f.role === "defaults" || f.role === "project_config" || f.role === "schema" || f.role === "seed"),
    shared: new SharedConfigKeys(changed, files),
    sources: new SourceDeclarations(changed, files),
    headSources: lazySources(head, () => ctx.touchedHead),
    baseSources: lazySources(base, () => ctx.touchedBase),
    touchedHead: new Set(),
    touchedBase: new Set(),
    changedCols: new Set(),
    changedModels: new Set(),
    readersOfChanged: new Set(),
    readerLog: [],
    columnChanges: [],
    rowLevelChanges: [],
    modelChanges: [],
    breaking: [],
    touched: new Set(),
    layoutOnly: new Set(),
    renamedModels: new Map(),
    removed: [],
    moved: undefined,
    headErrors: undefined,
  };
  // Same content and no shared config file changed: the same config, so the same target (no config is read for the untouched models).
  const knownSameTarget = (b: CompiledModel, h: CompiledModel) => b === h || (!ctx.sharedChanged && b.contentHash === h.contentHash);
  const headOrder = new Map<string, number>();
  for (const name of head.models.keys()) headOrder.set(name, headOrder.size);
  if (!diffFromSnapshots(ctx, headOrder, knownSameTarget)) {
    const { pairs, sameNamesInHeadOrder } = pairModelsInOrder(base, head, knownSameTarget);
    if (!sameNamesInHeadOrder) for (const p of pairs) if (p.base && p.head && p.base.name !== p.head.name) ctx.renamedModels.set(p.base.name, p.head.name);
    const added = pairs.flatMap((p) => (p.head && !p.base ? [p.head.name] : []));
    const removed = pairs.flatMap((p) => (p.base && !p.head ? [p.base.name] : []));
    if (added.length > 0 || removed.length > 0 || ctx.renamedModels.size > 0) ctx.moved = { base: new MovedModels(base, removed, ctx.renamedModels), head: new MovedModels(head, added) };
    const ordered = sameNamesInHeadOrder ? pairs : inHeadOrder(pairs, headOrder);
    // Which pairs the PR touched, first: their sources are then found in one pass over the project's.
    const touched = ordered.map((p) => p.base !== undefined && p.head !== undefined && isTouched(ctx, p));
    ordered.forEach((p, i) => {
      if (!touched[i] || !p.base || !p.head) return;
      ctx.touchedHead.add(p.head.name);
      ctx.touchedBase.add(p.base.name);
    });
    ordered.forEach((p, i) => diffPair(ctx, p, touched[i]));
  }

  const headIndex = new ConsumerIndex(head);
  let baseIndexCache: ConsumerIndex | undefined;
  const baseIndex = () => {
    baseIndexCache ??= new ConsumerIndex(base);
    return baseIndexCache;
  };
  const modelChangeByName = new Map(ctx.modelChanges.map((m) => [m.model, m]));
  // A changed model's own dashboards read the change whether or not another model does: head's
  // declaration, base's for a model the PR removed.
  const ownExposures = (name: string, baseName: string): { exposures?: readonly string[] } => {
    const declared = (head.models.get(name) ?? base.models.get(baseName))?.config.exposures ?? [];
    return declared.length > 0 ? { exposures: declared.map((e) => e.name) } : {};
  };
  const entries: BlastRadiusEntry[] = [];
  const consumerCount = new Map<string, number>();
  // A removed column's readers are traced on base, less the models the PR removes with it: those are
  // gone, not broken (a PR deleting the whole project leaves no consumer on head).
  const gone = ctx.removed.length > 0 ? new Set(ctx.removed.map((m) => m.name)) : undefined;
  // The models that name a removed or renamed column fail on head (R008), by their base names: each is reached whole.
  let failingCache: Set<string> | undefined;
  const failing = () => {
    failingCache ??= failingOnHead(ctx);
    return failingCache;
  };
  for (const ch of ctx.columnChanges) {
    if (!ch.direct) continue;
    const onBase = ch.change.kind === "removed" || ch.change.kind === "renamed";
    const model = onBase ? (modelChangeByName.get(ch.model)?.baseModel ?? ch.model) : ch.model;
    const column = ch.change.kind === "renamed" ? ch.change.from : ch.column;
    // A model filtering, joining or grouping on the column has other rows (or fails) unless the change keeps every value: a widened type, a nullability.
    const k = ch.change.kind;
    const rows = k === "removed" || k === "renamed" || k === "logic_changed" || (k === "type_changed" && ch.change.narrowing) || ((k === "type_changed" || k === "nullability_changed") && ch.change.expression === true);
    // A cast that keeps every value (a widened type, a nullability): only the columns whose own type or nullability changes with it are reached.
    const kept = (k === "type_changed" && !ch.change.narrowing && ch.change.expression !== true) || (k === "nullability_changed" && ch.change.expression !== true);
    const only = kept ? (m: string, c: string) => ctx.changedCols.has(colKey(m, c)) : undefined;
    const consumers = onBase ? baseIndex().traceColumn(model, column, { gone, rows, fails: failing() }) : headIndex.traceColumn(model, column, { rows, ...(only ? { only } : {}) });
    consumerCount.set(ch.id, consumers.length);
    const entry = { ...blastEntry(ch.id, { model, column }, onBase ? "base" : "head", false, consumers), ...(ch.change.kind === "added" ? {} : ownExposures(ch.model, model)) };
    entries.push(ch.change.kind === "renamed" ? { ...entry, rename: { model: ch.model, column: ch.column, readingNewName: readingNewName(ctx, consumers, headIndex.traceColumn(ch.model, ch.column, { rows })) } } : entry);
  }
  for (const rl of ctx.rowLevelChanges) {
    const consumers = headIndex.traceRows(rl.model);
    consumerCount.set(rl.id, consumers.length);
    entries.push({ ...blastEntry(rl.id, { model: rl.model }, "head", true, consumers), ...ownExposures(rl.model, rl.model) });
  }
  // A model whose table moved: the models reading it follow its name, but its dashboards read the
  // old table, which is no longer built (`_defaults.toml` moves many models: one entry per model read).
  for (const m of ctx.modelChanges) {
    const moved = m.changes.find((c) => c.kind === "target_renamed");
    if (moved?.kind !== "target_renamed" || m.exposures.length === 0) continue;
    entries.push({ ...blastEntry(`target:${m.model}`, { model: m.model }, "head", false, []), exposures: m.exposures, moved: { from: moved.from, to: moved.to } });
  }
  const columnChanges = ctx.columnChanges.map((c) => ({ ...c, consumers: consumerCount.get(c.id) ?? 0 }));
  namePropagatedRoots(ctx, entries);
  const rowLevelChanges = ctx.rowLevelChanges.map((c) => ({ ...c, consumers: consumerCount.get(c.id) ?? 0 }));
  const blastRadius = summarizeBlast(entries);

  const contracts = contractFindings(ctx, entries, columnChanges, headIndex);

  // Models: every changed model plus every model the changes reach (as `unchanged` when nothing of its own changed).
  const listed = new Map(ctx.modelChanges.filter((m) => m.status !== "unchanged").map((m) => [m.model, m]));
  const downstream = new Set<string>();
  for (const e of entries) for (const m of e.models) if (!listed.has(m)) downstream.add(m);
  for (const name of downstream) {
    const existing = modelChangeByName.get(name);
    const hm = head.models.get(name) ?? base.models.get(name);
    if (existing) listed.set(name, existing);
    else if (hm) listed.set(name, unchangedModel(hm));
  }
  const perModel = (list: readonly { model: string }[]) => {
    const n = new Map<string, number>();
    for (const c of list) n.set(c.model, (n.get(c.model) ?? 0) + 1);
    return n;
  };
  const colCounts = perModel(columnChanges);
  const rowCounts = perModel(rowLevelChanges);
  const models = sortBy([...listed.values()], (m) => [statusRank(m.status), headOrder.get(m.model) ?? Number.MAX_SAFE_INTEGER, m.model]).map((m) => ({
    ...m,
    columnChanges: colCounts.get(m.model) ?? 0,
    rowLevelChanges: rowCounts.get(m.model) ?? 0,
  }));

  return {
    models,
    columnChanges: sortBy(columnChanges, (c) => [headOrder.get(c.model) ?? Number.MAX_SAFE_INTEGER, c.model, c.column, c.change.kind]),
    rowLevelChanges,
    blastRadius,
    breakingChanges: sortBy(ctx.breaking, (b) => [severityRank(b.severity), b.model, b.column ?? "", b.kind]),
    contracts,
    touchedModels: [...ctx.touched].sort(),
    // Edited with no change of their own: a sidecar edit or another change would have made them `modified`.
    layoutOnlyModels: [...ctx.layoutOnly].filter((name) => modelChangeByName.get(name)?.status === "unchanged").sort(),
    downstreamModels: [...downstream].sort(),
    readsOfRemoved: readsOfRemoved(ctx),
  };
}

/**
 * Head models that still read a model the PR removes, by its name or its target, where the head
 * compile can only see an external table of unknown schema (I002). R004 on each reference: the
 * table would no longer be built, and a copy left in the warehouse would go stale unnoticed.
 */
function readsOfRemoved(ctx: Ctx): Diagnostic[] {
  if (ctx.removed.length === 0 && ctx.renamedModels.size === 0) return [];
  const byRef = new Map<string, CompiledModel>();
  const refsOf = (m: CompiledModel) => {
    const { catalog, schema, table } = m.config.target;
    return [m.name, `${schema}.${table}`, `${catalog}.${schema}.${table}`].map((r) => r.toLowerCase());
  };
  for (const b of ctx.removed) for (const ref of refsOf(b)) byRef.set(ref, b);
  // A model renamed (its file moved, a new `name`) leaves readers of its old name reading nothing the project builds.
  const renamedTo = new Map<CompiledModel, CompiledModel>();
  for (const [from, to] of ctx.renamedModels) {
    const b = ctx.base.models.get(from);
    const h = ctx.head.models.get(to);
    if (b === undefined || h === undefined) continue;
    renamedTo.set(b, h);
    const now = new Set(refsOf(h));
    for (const ref of refsOf(b)) if (!now.has(ref)) byRef.set(ref, b);
  }
  if (byRef.size === 0) return [];
  const readers = new Map<string, string[]>();
  for (const m of ctx.head.models.values()) {
    const refs = m.externalSources.filter((ref) => byRef.has(ref));
    if (refs.length > 0) readers.set(m.name, refs);
  }
  // A removed name one letter from a model that stays is the compile's R004 "did you mean" (stg_orders
  // deleted, stg_parts kept): not an external source, and the guess would send the reader to another model.
  for (const d of ctx.head.diagnostics) {
    const name = d.code === "R004" && d.model !== undefined ? /^unknown model `([^`]+)` \(did you mean /.exec(d.message)?.[1]?.toLowerCase() : undefined;
    if (name === undefined || d.model === undefined || !byRef.has(name)) continue;
    const refs = readers.get(d.model) ?? [];
    if (!refs.includes(name)) readers.set(d.model, [...refs, name]);
  }
  if (readers.size === 0) return [];
  const sources = modelSources(ctx.head, new Set(readers.keys()));
  const out: Diagnostic[] = [];
  for (const [reader, refs] of readers) {
    const m = ctx.head.models.get(reader);
    const source = sources.get(reader);
    if (!m) continue;
    const spans = source ? tableRefSpans(source.sql, m.dialect, new Set(refs)) : new Map<string, Span>();
    for (const ref of refs) {
      const removed = byRef.get(ref) as CompiledModel;
      const at = spans.get(ref);
      const span = at ? { file: m.file, line: at.line, col: at.col, endLine: at.line, endCol: at.col + (at.end - at.start) } : { file: m.file, line: 1, col: 1 };
      const renamed = renamedTo.get(removed);
      if (renamed === undefined) {
        out.push(
          createDiagnostic("R004", `\`${ref}\` is a model this PR removes, and ${reader} still reads it`, {
            model: reader,
            span,
            suggestion: `keep ${removed.name}, or change ${reader} to read what replaces it: ${targetOf(removed)} would no longer be built, and a copy left in the warehouse would go stale`,
          }),
        );
        continue;
      }
      // Read the new model the way the old one was read: by name, or by its new target.
      const parts = ref.split(".").length;
      const { catalog, schema, table } = renamed.config.target;
      const next = parts === 1 ? renamed.name : parts === 2 ? `${schema}.${table}` : `${catalog}.${schema}.${table}`;
      out.push(
        createDiagnostic("R004", `\`${ref}\` was renamed to \`${next}\` by this PR, and ${reader} still reads the old name`, {
          model: reader,
          span,
          suggestion: `read \`${next}\`: ${targetOf(removed)} would no longer be built, and a copy left in the warehouse would go stale`,
          // A rewrite only where the file has exactly the old name there (not quoted, not shifted by an @var).
          ...(at && writtenAt(source?.rawSql, at.line, at.col, ref) ? { replacement: { span, text: next } } : {}),
        }),
      );
    }
  }
  return out;
}

/** Whether a file's text has `text` (case-insensitively) at a 1-based line and column. */
function writtenAt(file: string | undefined, line: number, col: number, text: string): boolean {
  if (file === undefined) return false;
  let start = 0;
  for (let l = 1; l < line; l++) {
    start = file.indexOf("\n", start) + 1;
    if (start === 0) return false;
  }
  return file.slice(start + col - 1, start + col - 1 + text.length).toLowerCase() === text;
}

/** The first reference to each of `names` (lower-case, as written: `x` or `schema.x`) among a query's tables (CTE names excluded). */
function tableRefSpans(sql: string, dialect: DialectId, names: ReadonlySet<string>): Map<string, Span> {
  const out = new Map<string, Span>();
  const parsed = parseSql(sql, dialect);
  if (parsed.query === undefined) return out;
  for (const t of collectTableRefs(parsed.query)) {
    const name = t.name.map((p) => p.name).join(".").toLowerCase();
    if (names.has(name) && !out.has(name)) out.set(name, { ...t.name[0].span, end: (t.name.at(-1) ?? t.name[0]).span.end });
  }
  return out;
}

/**
 * The pair loop of diffProjects for two projects read from compile snapshots whose models line up
 * (the same names at the same places, as a head recompiled from its base's snapshot has), visiting
 * only the pairs that can say anything: those whose snapshot model differs or whose files the PR
 * names (a superset of the touched ones), then, in head order, the readers of what changed. Every
 * other pair is an untouched model with untouched inputs, for which diffPair does nothing, and is
 * never materialised. False when it does not apply (the caller pairs every model).
 */
function diffFromSnapshots(ctx: Ctx, headOrder: ReadonlyMap<string, number>, knownSameTarget: (b: CompiledModel, h: CompiledModel) => boolean): boolean {
  const bs = ctx.base.snapshot;
  const hs = ctx.head.snapshot;
  if (ctx.sharedChanged || bs === undefined || hs === undefined) return false;
  const n = hs.models.length;
  if (bs.models.length !== n || ctx.head.models.size !== n || ctx.base.models.size !== n || headOrder.size !== n) return false;
  const named = (m: { readonly name: string; readonly file: string }) =>
    ctx.changedPaths.has(m.file) || (ctx.tomlStems.size > 0 && (ctx.tomlStems.has(stemOf(m.file)) || ctx.tomlStems.has(m.name) || ctx.tomlStems.has(m.name.toLowerCase())));
  const candidates: string[] = [];
  for (let i = 0; i < n; i++) {
    const hm = hs.models[i];
    const bm = bs.models[i];
    if (hm.name !== bm.name) return false;
    // The same snapshot model: the same content hash, name and file on both sides (filesChanged reads only those first).
    if (hm !== bm || named(hm)) candidates.push(hm.name);
  }
  const pairOf = (name: string): ModelPair | undefined => {
    const b = ctx.base.models.get(name);
    const h = ctx.head.models.get(name);
    return b !== undefined && h !== undefined ? { base: b, head: h, by: "target" } : undefined;
  };
  const pairs = new Map<string, ModelPair>();
  for (const name of candidates) {
    const p = pairOf(name);
    // Anything pairModels would not pair as itself on the same target: the general road.
    if (p === undefined || !headOrder.has(name) || !(knownSameTarget(p.base!, p.head!) || sameTarget(p.base!, p.head!))) return false;
    pairs.set(name, p);
  }
  const touched = new Set<string>();
  for (const [name, p] of pairs) {
    if (!isTouched(ctx, p)) continue;
    touched.add(name);
    ctx.touchedHead.add(name);
    ctx.touchedBase.add(name);
  }
  // Visit in head order; readers found on the way join if they come later (an earlier one was passed untouched, as in the full loop).
  const rank = (name: string) => headOrder.get(name) ?? Number.MAX_SAFE_INTEGER;
  const pending = [...pairs.keys()].sort((a, b) => rank(a) - rank(b));
  const queued = new Set(pending);
  let read = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    const at = rank(name);
    const p = pairs.get(name) ?? pairOf(name);
    if (p !== undefined) diffPair(ctx, p, touched.has(name));
    let added = false;
    for (; read < ctx.readerLog.length; read++) {
      const reader = ctx.readerLog[read];
      if (queued.has(reader) || rank(reader) <= at || !headOrder.has(reader)) continue;
      queued.add(reader);
      pending.push(reader);
      added = true;
    }
    if (added) pending.sort((a, b) => rank(a) - rank(b));
  }
  return true;
}

/**
 * Pairs in head (topological) order, base-only pairs last by name: changes propagate downstream in one pass.
 * pairModels lists the same-name pairs in head order already; only the others can be out of place.
 */
function inHeadOrder(pairs: readonly ModelPair[], headOrder: ReadonlyMap<string, number>): readonly ModelPair[] {
  const ranks = pairs.map((p) => (p.head ? (headOrder.get(p.head.name) ?? 0) : Number.MAX_SAFE_INTEGER));
  const compare = (a: number, b: number) => ranks[a] - ranks[b] || (pairs[a].base?.name ?? "").localeCompare(pairs[b].base?.name ?? "");
  let sorted = true;
  for (let i = 1; i < ranks.length && sorted; i++) sorted = ranks[i - 1] < ranks[i] || compare(i - 1, i) <= 0;
  if (sorted) return pairs;
  return pairs
    .map((_, i) => i)
    .sort(compare)
    .map((i) => pairs[i]);
}

/** The sources of the touched models by name, found on first use (not a map of all 10,000; on a snapshot, only theirs are decoded). */
function lazySources(project: CompiledProject, wanted: () => ReadonlySet<string>): () => ReadonlyMap<string, ModelSource> {
  let map: Map<string, ModelSource> | undefined;
  return () => {
    map ??= modelSources(project, wanted());
    return map;
  };
}

function statusRank(s: ModelChange["status"]): number {
  return { removed: 0, modified: 1, added: 2, unchanged: 3 }[s];
}

function severityRank(s: BreakingChange["severity"]): number {
  return { breaking: 0, warning: 1, info: 2 }[s];
}

function changedProjectPaths(changed: readonly ChangedFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of changed) {
    if (f.projectPath === null) continue;
    out.add(f.projectPath);
    if (f.oldPath === undefined) continue;
    const prefix = f.path.slice(0, f.path.length - f.projectPath.length);
    if (f.oldPath.startsWith(prefix)) out.add(f.oldPath.slice(prefix.length));
  }
  return out;
}

function stemOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.endsWith(".contract.toml") ? base.length - ".contract.toml".length : base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

function tomlStemsOf(paths: ReadonlySet<string>): Set<string> {
  const stems = new Set<string>();
  for (const p of paths) {
    if (!p.endsWith(".toml")) continue;
    stems.add(stemOf(p));
    stems.add(stemOf(p).toLowerCase());
  }
  return stems;
}

/**
 * Whether the PR changed one of the model's files (SQL, sidecar, contract). The loader pairs a
 * sidecar and an auto contract with the SQL file of the same stem, and an explicit contract with
 * the model of that name: only such a model reads its sidecar and contract here (on a lazily
 * loaded project they are not free).
 */
function filesChanged(ctx: Ctx, m: CompiledModel): boolean {
  const paths = ctx.changedPaths;
  if (paths.has(m.file)) return true;
  const stems = ctx.tomlStems;
  if (stems.size === 0 || !(stems.has(stemOf(m.file)) || stems.has(m.name) || stems.has(m.name.toLowerCase()))) return false;
  return (m.sidecarFile !== undefined && paths.has(m.sidecarFile)) || (m.contract !== undefined && paths.has(m.contract.file));
}

function isTouched(ctx: Ctx, pair: ModelPair): boolean {
  const { base: b, head: h } = pair;
  if (!b || !h) return true;
  if (b.contentHash !== h.contentHash) return true;
  if (ctx.changedPaths.size > 0 && (filesChanged(ctx, b) || filesChanged(ctx, h))) return true;
  if (!ctx.sharedChanged) return false;
  // Shared inputs changed (_defaults.toml, groups, rocky.toml, source schemas, seed): touched only if its effective inputs differ.
  if (b.dialect !== h.dialect || configKey(b) !== configKey(h)) return true;
  const sourcesChanged = ctx.changed.some((f) => f.role === "schema" || f.role === "seed");
  return sourcesChanged && h.externalSources.length > 0;
}

function configKey(m: CompiledModel): string {
  const { locations: _locations, ...rest } = m.config;
  return json(rest);
}

function unchangedModel(m: CompiledModel): ModelChange {
  return {
    model: m.name,
    status: "unchanged",
    target: targetOf(m),
    file: m.file,
    touched: false,
    changes: [],
    columnChanges: 0,
    rowLevelChanges: 0,
    contracted: m.contract !== undefined,
    exposures: (m.config.exposures ?? []).map((e) => e.name),
  };
}

/**
 * A propagated breaking change (a narrowing that flowed into a model the PR did not change there)
 * says which changed column it comes from: the origin of the blast-radius entry that reaches it
 * nearest. The reader sees why an untouched mart is listed.
 */
function namePropagatedRoots(ctx: Ctx, entries: readonly BlastRadiusEntry[]): void {
  const propagated = new Set<string>();
  for (const c of ctx.columnChanges) if (!c.direct) propagated.add(c.id);
  if (propagated.size === 0) return;
  const roots = new Map<string, { readonly from: string; readonly depth: number }>();
  for (const e of entries) {
    if (e.rowLevel || e.origin.column === undefined || e.tracedOn !== "head") continue;
    const from = `${e.origin.model}.${e.origin.column}`;
    for (const c of e.consumers) {
      const key = colKey(c.model, c.column);
      const prev = roots.get(key);
      if (prev === undefined || c.depth < prev.depth) roots.set(key, { from, depth: c.depth });
    }
  }
  for (let i = 0; i < ctx.breaking.length; i++) {
    const b = ctx.breaking[i];
    if (b.changeId === undefined || b.column === undefined || !propagated.has(b.changeId)) continue;
    const root = roots.get(colKey(b.model, b.column));
    if (root !== undefined) ctx.breaking[i] = { ...b, detail: `${b.detail}, from ${root.from}`, from: root.from };
  }
}

/**
 * The readers of a renamed column (its depth-1 consumers on base) whose head model reads the new
 * name directly. Base names, as in the entry's consumers.
 */
function readingNewName(ctx: Ctx, onBase: readonly Consumer[], onHead: readonly Consumer[]): string[] {
  const readsNew = new Set(onHead.filter((c) => c.depth === 1).map((c) => c.model));
  const out = new Set<string>();
  for (const c of onBase) if (c.depth === 1 && readsNew.has(ctx.renamedModels.get(c.model) ?? c.model)) out.add(c.model);
  return [...out].sort();
}

function addBreaking(ctx: Ctx, kind: BreakingChangeKind, facts: SeverityFacts, b: Omit<BreakingChange, "kind" | "severity">): void {
  ctx.breaking.push({ kind, severity: breakingSeverity(kind, facts), ...b });
}

function pushColumnChange(ctx: Ctx, m: CompiledModel, col: OutputColumn, change: ColumnChangeKind, direct: boolean, side: "head" | "base", facts: SeverityFacts, detail: string, oldNew?: { old: string; new: string }): void {
  const id = `col:${m.name}.${col.name}:${change.kind}`;
  const kind = KIND_OF[change.kind];
  const severity = breakingSeverity(kind, facts);
  const source = side === "head" ? changedSourceOf(ctx, m, col) : undefined;
  const span = source?.span ?? (side === "head" ? changedItemSpan(ctx, m, col) : undefined) ?? reportSpan(m.file, col.span ?? col.via?.[0], side);

  ctx.columnChanges.push({
    id,
    model: m.name,
    target: targetOf(m),
    column: col.name,
    change,
    severity,
    type: formatType(col.type),
    nullable: col.nullable,
    direct,
    ...(span ? { span } : {}),
    consumers: 0,
  });
  // A renamed column carries the same values: reading it is no upstream change (its readers are still compared).
  if (side === "head" && change.kind !== "renamed") ctx.changedCols.add(colKey(m.name, col.name));
  if (!ctx.changedModels.has(m.name)) {
    ctx.changedModels.add(m.name);
    for (const reader of ctx.head.downstream.get(m.name) ?? []) {
      if (ctx.readersOfChanged.has(reader)) continue;
      ctx.readersOfChanged.add(reader);
      ctx.readerLog.push(reader);
    }
  }
  // Propagated changes (the model was not touched) are breaking findings only when they narrow a type.
  if (!direct && !(change.kind === "type_changed" && change.narrowing)) return;
  const said = source === undefined ? detail : `${detail}, from ${source.name}`;
  addBreaking(ctx, kind, facts, { model: m.name, target: targetOf(m), column: col.name, detail: said, ...(oldNew ?? {}), changeId: id, ...(span ? { span } : {}), ...(source ? { from: source.name } : {}) });
}

/**
 * A column of a model the PR left alone whose change enters at a source the PR re-declared (a seed
 * column made BIGINT, a schema file's type): that declaration, on the line the PR changed.
 */
function changedSourceOf(ctx: Ctx, m: CompiledModel, col: OutputColumn): { span: ReportSpan; name: string } | undefined {
  if (m.externalSources.length === 0 || ctx.changedPaths.has(m.file) || (m.sidecarFile !== undefined && ctx.changedPaths.has(m.sidecarFile))) return undefined;
  for (const src of col.sources) {
    if (!m.externalSources.includes(src.model.toLowerCase())) continue;
    const span = ctx.sources.changedAt(src.model, src.column);
    if (span !== undefined) return { span, name: `${src.model}.${src.column}` };
  }
  return undefined;
}

/**
 * Where the PR changed a column of a model whose file it changed: the first line the PR wrote of
 * the column's own select item (a CASE over ten lines changed on its sixth), else of the items it
 * is made from (a CTE's `SUM(amount) AS paid`, read by the final `COALESCE(p.paid, 0) AS paid`).
 * Undefined when none of them is on a changed line (the column's own item is then its place).
 */
function changedItemSpan(ctx: Ctx, m: CompiledModel, col: OutputColumn): ReportSpan | undefined {
  if (col.span === undefined && col.via === undefined) return undefined;
  const file = ctx.changed.find((f) => f.projectPath === m.file);
  if (file === undefined) return undefined;
  const sql = ctx.headSources().get(m.name)?.sql;
  if (sql === undefined) return undefined;
  const items = col.span === undefined ? (col.via ?? []) : [col.span, ...(col.via ?? [])];
  for (const item of items) {
    // Line by line through the item: its first line from the item's own column, later ones whole.
    for (let line = item.line, at = item.start; at <= item.end; line++) {
      if (inHeadRanges(file, line)) {
        if (line === item.line) return { file: m.file, line, col: item.col, side: "head" };
        // A later line: at its first written character.
        let k = at;
        while (sql.charCodeAt(k) === 32 || sql.charCodeAt(k) === 9) k++;
        return { file: m.file, line, col: k - at + 1, side: "head" };
      }
      const next = sql.indexOf("\n", at);
      if (next < 0 || next >= item.end) break;
      at = next + 1;
    }
  }
  return undefined;
}

function diffPair(ctx: Ctx, pair: ModelPair, touched: boolean): void {
  const { base: b, head: h } = pair;
  if (h && !b) return addedModel(ctx, h);
  if (b && !h) return removedModel(ctx, b);
  if (!b || !h) return;
  if (touched) ctx.touched.add(h.name);
  // An untouched model can only change through its inputs: skip it unless one of them changed (known from the
  // changed models' readers, head.downstream, the inverse of dependsOn: an untouched model's edges are not read).
  if (!touched && !ctx.sharedChanged && !ctx.readersOfChanged.has(h.name)) return;
  const before = { cols: ctx.columnChanges.length, rows: ctx.rowLevelChanges.length };
  const failed = touched ? configFailedOn(ctx, b, h) : NO_CONFIG_FAILURE;
  const configFailed = failed.base || failed.head;
  const changes = touched ? modelLevelChanges(ctx, b, h, failed) : [];
  let renames: ReadonlyMap<string, string> = NO_RENAMES;
  if (b.parsed && h.parsed) {
    const views: SideViews = { base: sideView(ctx.moved?.base, b), head: sideView(ctx.moved?.head, h) };
    renames = diffColumns(ctx, b, h, touched, views);
    if (touched) diffRows(ctx, b, h, views);
  }
  if (touched && !configFailed) maskChanges(ctx, b, h, renames);
  const hasOwn = changes.some((c) => c.kind !== "sql_body_changed" && c.kind !== "config_changed") || ctx.columnChanges.length > before.cols || ctx.rowLevelChanges.length > before.rows;
  const status = hasOwn || changes.length > 0 ? "modified" : "unchanged";
  ctx.modelChanges.push({
    model: h.name,
    status,
    // A head config that did not load has a default target, not a new one: keep the base's.
    target: failed.head ? targetOf(b) : targetOf(h),
    ...(!configFailed && targetOf(b) !== targetOf(h) ? { baseTarget: targetOf(b) } : {}),
    ...(b.name !== h.name ? { baseModel: b.name } : {}),
    file: h.file,
    touched,
    changes,
    columnChanges: 0,
    rowLevelChanges: 0,
    contracted: h.contract !== undefined,
    exposures: (h.config.exposures ?? []).map((e) => e.name),
  });
}

function addedModel(ctx: Ctx, h: CompiledModel): void {
  ctx.touched.add(h.name);
  addBreaking(ctx, "model_added", {}, { model: h.name, target: targetOf(h), detail: `new model writing ${targetOf(h)}`, span: { file: h.file, line: 1, col: 1, side: "head" } });
  for (const c of h.columns) {
    pushColumnChange(ctx, h, c, { kind: "added" }, true, "head", { nullable: c.nullable, newModel: true }, `${c.name}: ${formatType(c.type)}${c.nullable ? "" : " NOT NULL"} (new model)`);
  }
  ctx.modelChanges.push({ ...unchangedModel(h), status: "added", touched: true });
}

function removedModel(ctx: Ctx, b: CompiledModel): void {
  ctx.removed.push(b);
  addBreaking(ctx, "model_removed", {}, { model: b.name, target: targetOf(b), detail: `model removed; ${targetOf(b)} is no longer built`, span: { file: b.file, line: 1, col: 1, side: "base" } });
  for (const c of b.columns) {
    pushColumnChange(ctx, b, c, { kind: "removed" }, true, "base", {}, `${c.name} (model removed)`);
  }
  ctx.modelChanges.push({ ...unchangedModel(b), status: "removed", touched: true, contracted: false });
}

function strategyKeys(s: StrategyConfig): Record<string, unknown> {
  return s as unknown as Record<string, unknown>;
}

/**
 * Whether either side's config failed to load (`ModelSource.configError`: its sidecar, front-matter
 * or _defaults.toml did not parse or check, so the loader fell back to defaults). Its R002/R007 is
 * the finding; comparing the fallback config would report changes nobody made.
 */
function configFailedOn(ctx: Ctx, b: CompiledModel, h: CompiledModel): ConfigFailure {
  return { base: ctx.baseSources().get(b.name)?.configError === true, head: ctx.headSources().get(h.name)?.configError === true };
}

interface ConfigFailure {
  readonly base: boolean;
  readonly head: boolean;
}

const NO_CONFIG_FAILURE: ConfigFailure = { base: false, head: false };

/**
 * Model-level changes of a touched pair. When either side's config failed, the config-derived ones (target,
 * strategy and its keys, sources, format, masks, other config keys) are not compared: only what
 * the SQL and the contract say.
 */
function modelLevelChanges(ctx: Ctx, b: CompiledModel, h: CompiledModel, failed: ConfigFailure): ModelLevelChange[] {
  const out: ModelLevelChange[] = [];
  const target = failed.head ? targetOf(b) : targetOf(h);
  const configFailed = failed.base || failed.head;
  if (b.name !== h.name) {
    out.push({ kind: "model_renamed", from: b.name, to: h.name });
  }
  if (!configFailed) configChanges(ctx, b, h, out);
  if (json(contractShape(b)) !== json(contractShape(h))) {
    out.push({ kind: "contract_changed", file: h.contract?.file ?? b.contract?.file ?? "" });
    contractRelaxed(ctx, b, h, target);
  }
  return sqlAndShapeChanges(ctx, b, h, target, out);
}

/**
 * A contract the PR removes or loosens: the guarantees its readers had and no longer have. The
 * contract checks only see what the head contract still promises, so dropping `fct_orders.contract.toml`
 * (or a `required` entry, a column's type) passes them. A contract that failed to load on head is
 * not removed: its R002 is the finding.
 */
function contractRelaxed(ctx: Ctx, b: CompiledModel, h: CompiledModel, target: string): void {
  const before = b.contract;
  if (before === undefined) return;
  const after = h.contract;
  const broken = (file: string) => ctx.head.diagnostics.some((d) => d.severity === "Error" && d.span?.file === file);
  if (broken(after?.file ?? before.file)) return;
  if (after === undefined) {
    const typed = before.columns.filter((c) => c.type !== undefined).length;
    const parts = [before.required.length > 0 ? `${before.required.length} required` : "", before.protected.length > 0 ? `${before.protected.length} protected` : "", typed > 0 ? `${typed} typed` : ""].filter((x) => x !== "");
    const what = parts.length === 0 ? "its columns are" : `its ${parts.join(", ")} ${parts.length === 1 && parts[0].startsWith("1 ") ? "column is" : "columns are"}`;
    addBreaking(ctx, "contract_relaxed", { contractRemoved: true }, { model: h.name, target, detail: `contract removed: ${what} no longer checked`, old: before.file, new: "", span: { file: before.file, line: 1, col: 1, side: "base" } });
    return;
  }
  const has = (list: readonly string[], name: string) => list.some((x) => x.toLowerCase() === name.toLowerCase());
  const lost: string[] = [];
  /** Where the first lost guarantee was written on base. */
  let was: TomlLocation | undefined;
  const noLonger = (verb: string, entries: readonly (readonly [string, TomlLocation | undefined])[]) => {
    if (entries.length === 0) return;
    lost.push(`no longer ${verb} ${entries.map(([name]) => name).join(", ")}`);
    was ??= entries.find(([, at]) => at !== undefined)?.[1];
  };
  const listed = (names: readonly string[], at: readonly TomlLocation[] | undefined, kept: readonly string[]) => names.flatMap((n, i) => (has(kept, n) ? [] : [[n, at?.[i]] as const]));
  noLonger("requires", listed(before.required, before.requiredLocations, after.required));
  noLonger("protects", listed(before.protected, before.protectedLocations, after.protected));
  noLonger("checks the type of", before.columns.filter((c) => c.type !== undefined && contractColumn(after, c.name)?.type === undefined).map((c) => [c.name, c.typeLocation ?? c.location] as const));
  noLonger("forbids NULL in", before.columns.filter((c) => c.nullable === false && contractColumn(after, c.name)?.nullable !== false).map((c) => [c.name, c.nullableLocation ?? c.location] as const));
  if (lost.length === 0) return;
  // The first line the PR changed in the contract, where the review's reader looks for the edit; a
  // PR that only deleted lines changed none there: the line it deleted, on base.
  const edited = changedOnHead(ctx, after.file)?.headRanges[0]?.start;
  const span: ReportSpan = edited === undefined && was !== undefined && was.file === before.file ? { file: before.file, line: was.line, col: was.col, side: "base" } : { file: after.file, line: edited ?? 1, col: 1, side: "head" };
  addBreaking(ctx, "contract_relaxed", {}, { model: h.name, target, detail: `contract relaxed: ${lost.join("; ")}`, old: "", new: "", span });
}

/**
 * Where the value behind a config change is written: the first of `keys` (most precise first:
 * `strategy.type`, then the `[strategy]` table) that the model's sidecar sets, on head or on base
 * when the PR removed the key; failing that, a shared file the PR changed that sets it (a config
 * group the model names, then `_defaults.toml`), so that a change made once for many models points
 * at that one line. A location in a file the PR changed wins over one in a file it left alone.
 */
function configSpan(ctx: Ctx, b: CompiledModel, h: CompiledModel, ...keys: string[]): { span?: ReportSpan } {
  let first: ReportSpan | undefined;
  for (const find of [
    (key: string) => sidecarKeySpan(h, key, "head"),
    (key: string) => sidecarKeySpan(b, key, "base"),
    (key: string) => ctx.shared.keySpan(h, key, "head"),
    (key: string) => ctx.shared.keySpan(b, key, "base"),
  ]) {
    for (const key of keys) {
      const span = find(key);
      if (span === undefined) continue;
      if (ctx.changedPaths.has(span.file)) return { span };
      first ??= span;
    }
  }
  return first ? { span: first } : {};
}

/**
 * Where a target change was made: the keys of the parts that differ (`target.schema`, ...); a
 * table named by no key is the file's name, so a renamed file is the change (its line 1); else
 * the `[target]` table.
 */
function targetSpan(ctx: Ctx, b: CompiledModel, h: CompiledModel): { span?: ReportSpan } {
  const keys: string[] = [];
  const bt = b.config.target;
  const ht = h.config.target;
  if (bt.catalog !== ht.catalog) keys.push("target.catalog");
  if (bt.schema !== ht.schema) keys.push("target.schema");
  const table = bt.table !== ht.table;
  if (table) keys.push("target.table", "name");
  const found = configSpan(ctx, b, h, ...keys);
  if (found.span !== undefined) return found;
  if (table && b.file !== h.file) return { span: { file: h.file, line: 1, col: 1, side: "head" } };
  return configSpan(ctx, b, h, "target");
}

/** Changes derived from the models' config (sidecar, groups, _defaults.toml): only when both configs loaded. */
function configChanges(ctx: Ctx, b: CompiledModel, h: CompiledModel, out: ModelLevelChange[]): void {
  const target = targetOf(h);
  if (targetOf(b) !== target) {
    out.push({ kind: "target_renamed", from: targetOf(b), to: target });
    addBreaking(ctx, "target_renamed", {}, { model: h.name, target, detail: `${targetOf(b)} → ${target}`, old: targetOf(b), new: target, ...targetSpan(ctx, b, h) });
  }
  if (b.config.strategy.type !== h.config.strategy.type) {
    out.push({ kind: "strategy_changed", from: b.config.strategy.type, to: h.config.strategy.type });
    addBreaking(ctx, "materialization_strategy_changed", {}, { model: h.name, target, detail: `${b.config.strategy.type} → ${h.config.strategy.type}`, old: b.config.strategy.type, new: h.config.strategy.type, ...configSpan(ctx, b, h, "strategy.type", "strategy") });
  } else {
    const bk = strategyKeys(b.config.strategy);
    const hk = strategyKeys(h.config.strategy);
    for (const [key, keyKind] of STRATEGY_KEYS) {
      if (json(bk[key]) === json(hk[key])) continue;
      const from = bk[key] === undefined ? "(none)" : json(bk[key]);
      const to = hk[key] === undefined ? "(none)" : json(hk[key]);
      out.push({ kind: "key_changed", keyKind, from, to });
      addBreaking(ctx, "materialization_key_changed", { keyKind }, { model: h.name, target, detail: `${keyKind}: ${from} → ${to}`, old: from, new: to, keyKind, ...configSpan(ctx, b, h, `strategy.${key}`, "strategy") });
    }
  }
  if (json(b.config.sources) !== json(h.config.sources)) {
    addBreaking(ctx, "source_changed", {}, { model: h.name, target, detail: "sources changed", old: json(b.config.sources), new: json(h.config.sources), ...configSpan(ctx, b, h, "sources") });
  }
  if ((b.config.format ?? "") !== (h.config.format ?? "")) {
    addBreaking(ctx, "lakehouse_format_changed", {}, { model: h.name, target, detail: `format ${b.config.format ?? "(default)"} → ${h.config.format ?? "(default)"}`, old: b.config.format ?? "", new: h.config.format ?? "", ...configSpan(ctx, b, h, "format") });
  }
  // Rocky's partition_by_changed: the table's partitioning (`[format_options] partition_by`) cannot
  // change in place; the next run rewrites the whole table (an incremental model loses its history
  // unless it is fully refreshed). cluster_by is altered in place, so it stays a config change.
  const bp = partitionByOf(b);
  const hp = partitionByOf(h);
  if (json(bp) !== json(hp)) {
    const from = bp === undefined ? "(none)" : json(bp);
    const to = hp === undefined ? "(none)" : json(hp);
    addBreaking(ctx, "partition_by_changed", {}, { model: h.name, target, detail: `partition_by: ${from} → ${to}`, old: from, new: to, ...configSpan(ctx, b, h, "format_options.partition_by", "format_options") });
  }
  const configKeys: string[] = CONFIG_KEYS.filter((k) => json(b.config[k]) !== json(h.config[k]));
  if (json(b.config.classification) !== json(h.config.classification)) configKeys.push("classification");
  if (configKeys.length > 0) out.push({ kind: "config_changed", keys: [...configKeys].sort() });
}

/** `[format_options] partition_by` as written (a column or a list of them), or undefined. */
function partitionByOf(m: CompiledModel): unknown {
  return m.config.format_options?.partition_by;
}

/**
 * Which columns a reordering moved, as head spells them: the fewest whose removal leaves the rest in
 * base's order (the complement of a longest common subsequence), so swapping two names those two and
 * moving one column to the end names that one; at most three, then a count.
 */
function movedColumns(base: readonly string[], head: readonly string[], h: CompiledModel): string {
  const n = base.length;
  const m = head.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = base[i] === head[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (base[i] === head[j]) {
      kept.add(head[j]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  const spelled = new Map(h.columns.map((c) => [c.name.toLowerCase(), c.name]));
  const moved = head.filter((c) => !kept.has(c)).map((c) => spelled.get(c) ?? c);
  const named = moved.slice(0, 3).join(", ");
  return `${moved.length > 3 ? `${named} and ${moved.length - 3} more` : named} moved`;
}

function sqlAndShapeChanges(ctx: Ctx, b: CompiledModel, h: CompiledModel, target: string, out: ModelLevelChange[]): ModelLevelChange[] {
  const bSql = ctx.baseSources().get(b.name)?.rawSql;
  const hSql = ctx.headSources().get(h.name)?.rawSql;
  // Rocky reports any edit; an edit of comments, layout or keyword case alone cannot change what the
  // model computes, so it is no change of the model (counted apart: ProjectDiff.layoutOnlyModels).
  if (bSql !== undefined && hSql !== undefined && bSql !== hSql) {
    if (b.dialect === h.dialect && sameTokens(bSql, hSql, h.dialect)) ctx.layoutOnly.add(h.name);
    else {
      out.push({ kind: "sql_body_changed" });
      addBreaking(ctx, "sql_body_changed", {}, { model: h.name, target, detail: b.parsed || !h.parsed ? "SQL changed" : `SQL changed; it compiles now (${baseFailure(ctx, b)})` });
    }
  }
  const order = (m: CompiledModel, keep: Set<string>) => m.columns.map((c) => c.name.toLowerCase()).filter((n) => keep.has(n));
  const common = new Set(b.columns.map((c) => c.name.toLowerCase()).filter((n) => h.columns.some((c) => c.name.toLowerCase() === n)));
  if (b.parsed && h.parsed && json(order(b, common)) !== json(order(h, common))) {
    out.push({ kind: "columns_reordered" });
    addBreaking(ctx, "column_reordered", {}, { model: h.name, target, detail: `output columns reordered (${movedColumns(order(b, common), order(h, common), h)})` });
  }
  return out;
}

/**
 * Why a model the PR fixed could not be typed on the base branch: its first error there (a syntax
 * error, a reference to no model), or, with none of its own, the cycle or broken model upstream
 * that kept it untyped. Its columns were never compared: the PR's edit is a fix, not a refactor.
 */
function baseFailure(ctx: Ctx, b: CompiledModel): string {
  const own = ctx.base.diagnostics.find((d) => d.model === b.name && d.severity === "Error");
  if (own === undefined) return "it could not be typed on the base branch";
  const at = own.span === undefined ? "" : ` at line ${own.span.line}`;
  return `on the base branch, ${own.code}${at}: ${own.message}`;
}

function contractShape(m: CompiledModel): unknown {
  const c = m.contract;
  if (!c) return null;
  return { columns: c.columns.map((x) => ({ n: x.name, t: x.type, nu: x.nullable })), r: c.required, p: c.protected, nn: c.noNewNullable };
}

const NO_RENAMES: ReadonlyMap<string, string> = new Map();

/**
 * Classification changes, column by column. A column the PR renamed is compared under its old
 * name on base (`renames`: head name → base name, lower case): renaming `email` and its
 * `[classification]` key together changes no mask. The span is the key's line in the sidecar,
 * on base when the key is gone.
 */
function maskChanges(ctx: Ctx, b: CompiledModel, h: CompiledModel, renames: ReadonlyMap<string, string>): void {
  const lower = (r: Readonly<Record<string, string>>) => new Map(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
  const bc = lower(b.config.classification);
  const hc = lower(h.config.classification);
  const baseNameOf = (col: string) => renames.get(col) ?? col;
  const headNameOf = new Map([...renames].map(([to, from]) => [from, to]));
  const names = new Set([...hc.keys(), ...[...bc.keys()].map((col) => headNameOf.get(col) ?? col)]);
  for (const name of names) {
    const before = bc.get(baseNameOf(name));
    const after = hc.get(name);
    if (before === after) continue;
    // A removed key is shown where the head still names the old column (a key the rename left behind), else on base.
    const leftBehind = after === undefined && baseNameOf(name) !== name ? sidecarKeySpan(h, `classification.${baseNameOf(name)}`, "head") : undefined;
    const span = after !== undefined ? sidecarKeySpan(h, `classification.${name}`, "head") : (leftBehind ?? sidecarKeySpan(b, `classification.${baseNameOf(name)}`, "base"));
    addBreaking(ctx, "column_mask_changed", { maskRemoved: after === undefined }, {
      model: h.name,
      target: targetOf(h),
      column: name,
      detail: `${name}: classification ${before ?? "(none)"} → ${after ?? "(none)"}${leftBehind ? `; [classification] still names '${baseNameOf(name)}'` : ""}`,
      old: before ?? "",
      new: after ?? "",
      ...(span ? { span } : {}),
    });
  }
}


/** The column's lineage sources as a comparable key; base model names are mapped to their head names (renamed models). */
function sourcesKey(sources: readonly LineageSource[], rename?: ReadonlyMap<string, string>): string {
  return sources
    .map((s) => `${colKey(rename?.get(s.model) ?? s.model, s.column)}:${s.transform.kind}`)
    .sort()
    .join(",");
}

/** How a side's model is compared: as compiled, or read through the models only that side has. */
interface SideView {
  fingerprint(c: OutputColumn): string;
  sources(c: OutputColumn): readonly LineageSource[];
  rows(): RowLevel["fingerprints"];
}

interface SideViews {
  readonly base: SideView;
  readonly head: SideView;
}

function sideView(moved: MovedModels | undefined, m: CompiledModel): SideView {
  if (moved === undefined || !moved.reads(m)) return { fingerprint: (c) => c.fingerprint, sources: (c) => c.sources, rows: () => m.rowLevel.fingerprints };
  return { fingerprint: (c) => moved.fingerprint(c.fingerprint), sources: (c) => moved.sources(c.sources), rows: () => moved.rows(m) };
}

/** Models with an R008 (a column that resolves to nothing) on head, by their base names: they fail to build. */
function failingOnHead(ctx: Ctx): Set<string> {
  const toBase = new Map([...ctx.renamedModels].map(([b, h]) => [h, b]));
  const out = new Set<string>();
  for (const d of ctx.head.diagnostics) if (d.severity === "Error" && d.code === "R008" && d.model !== undefined) out.add(toBase.get(d.model) ?? d.model);
  return out;
}

function hasHeadError(ctx: Ctx, model: string): boolean {
  if (ctx.headErrors === undefined) {
    ctx.headErrors = new Set();
    for (const d of ctx.head.diagnostics) if (d.severity === "Error" && d.model !== undefined) ctx.headErrors.add(d.model);
  }
  return ctx.headErrors.has(model);
}

/** Column changes of a pair; returns the renamed columns, head name → base name (lower case). */
function diffColumns(ctx: Ctx, b: CompiledModel, h: CompiledModel, touched: boolean, views: SideViews): ReadonlyMap<string, string> {
  const { base: vb, head: vh } = views;
  const baseCols = new Map(b.columns.map((c) => [c.name.toLowerCase(), c]));
  const headCols = new Map(h.columns.map((c) => [c.name.toLowerCase(), c]));
  const removed = b.columns.filter((c) => !headCols.has(c.name.toLowerCase()));
  const added = h.columns.filter((c) => !baseCols.has(c.name.toLowerCase()));

  // Renames: a removed and an added column with the same sources and the same alias-free expression.
  const renamedFrom = new Map<OutputColumn, OutputColumn>();
  if (touched) {
    const pool = [...removed];
    for (const a of added) {
      const i = pool.findIndex((r) => r.fingerprint !== "" && vb.fingerprint(r) === vh.fingerprint(a) && sourcesKey(vb.sources(r), ctx.renamedModels) === sourcesKey(vh.sources(a)));
      if (i === -1) continue;
      renamedFrom.set(a, pool[i]);
      pool.splice(i, 1);
    }
  }
  const renamedBase = new Set(renamedFrom.values());
  const renames = renamedFrom.size === 0 ? NO_RENAMES : new Map([...renamedFrom].map(([a, r]) => [a.name.toLowerCase(), r.name.toLowerCase()]));

  for (const r of removed) {
    if (renamedBase.has(r)) continue;
    pushColumnChange(ctx, withName(b, h), r, { kind: "removed" }, touched, "base", {}, `${r.name}: ${formatType(r.type)} dropped`);
  }
  for (const a of added) {
    const from = renamedFrom.get(a);
    if (from) {
      pushColumnChange(ctx, h, a, { kind: "renamed", from: from.name }, true, "head", {}, `${from.name} → ${a.name}`, { old: from.name, new: a.name });
      // Readers updated for the new name read the same column.
      ctx.moved ??= { base: new MovedModels(ctx.base, [], ctx.renamedModels), head: new MovedModels(ctx.head, []) };
      ctx.moved.base.renameColumn(h.name, b.name, from.name, a.name);
      continue;
    }
    pushColumnChange(ctx, h, a, { kind: "added" }, touched, "head", { nullable: a.nullable }, `${a.name}: ${formatType(a.type)}${a.nullable ? "" : " NOT NULL"} added`);
  }
  for (const hc of h.columns) {
    const bc = baseCols.get(hc.name.toLowerCase());
    if (!bc) continue;
    const oldT = formatType(bc.type);
    const newT = formatType(hc.type);
    const known = bc.type.kind !== "Unknown" && hc.type.kind !== "Unknown";
    // A type with an Unknown part (`Array<Unknown>` where an upstream column no longer resolves) is
    // not known either: `Array<String> → Array<Unknown>` is no narrowing, it is the error upstream.
    const typesKnown = known && !containsUnknown(bc.type) && !containsUnknown(hc.type);
    // Same expression over a changed input: the type/nullability change flowed in from upstream, even in a touched model.
    const bFp = vb.fingerprint(bc);
    const hFp = vh.fingerprint(hc);
    const hSources = vh.sources(hc);
    const inherited = bFp === hFp && hSources.some((s) => ctx.changedCols.has(colKey(s.model, s.column)));
    const own = touched && !inherited;
    // The PR rewrote the expression, not only cast it (`COALESCE(x, 0)`, `x OR y`): its values change
    // with its type or nullability, and a model filtering, joining or grouping on it has other rows.
    const recomputed = own && bFp !== hFp && uncast(bFp) !== uncast(hFp);
    const expression = recomputed ? ({ expression: true } as const) : {};
    const andExpression = recomputed ? "; expression changed" : "";
    let changed = false;
    if (typesKnown && oldT !== newT) {
      const narrowing = isNarrowing(bc.type, hc.type);
      pushColumnChange(ctx, h, hc, { kind: "type_changed", old: oldT, new: newT, narrowing, ...expression }, own, "head", { narrowing, ownExpression: recomputed }, `${hc.name}: ${oldT} → ${newT}${narrowing ? " (narrowing)" : ""}${andExpression}`, { old: oldT, new: newT });
      changed = true;
    }
    if (known && bc.nullable !== hc.nullable) {
      const toNotNull = bc.nullable && !hc.nullable;
      pushColumnChange(ctx, h, hc, { kind: "nullability_changed", old: bc.nullable, new: hc.nullable, ...expression }, own, "head", { toNotNull, ownExpression: recomputed }, `${hc.name}: ${bc.nullable ? "nullable" : "NOT NULL"} → ${hc.nullable ? "nullable" : "NOT NULL"}${andExpression}`, {
        old: bc.nullable ? "nullable" : "not null",
        new: hc.nullable ? "nullable" : "not null",
      });
      changed = true;
    }
    if (changed || !touched) continue;
    // Typed on base, Unknown on head because the model has an error now (an unknown model, a column
    // that resolves to nothing): the error is the finding. Its columns' "changes" are what the error
    // hides, and would fill the review with one logic change (and its blast radius) per column.
    if (hc.type.kind === "Unknown" && bc.type.kind !== "Unknown" && hasHeadError(ctx, h.name)) continue;
    // Same text over different inputs (FROM stg_a → FROM stg_b) is a logic change too.
    const reads = sourcesKey(vb.sources(bc), ctx.renamedModels) !== sourcesKey(hSources);
    if (bFp !== hFp || reads) {
      const what = bFp !== hFp ? "expression changed" : `now reads ${hc.sources.map((x) => `${x.model}.${x.column}`).join(", ") || "no column"}`;
      const type = oldT === newT ? `type ${newT} unchanged` : `type ${oldT} before, not known now`;
      pushColumnChange(ctx, h, hc, { kind: "logic_changed", reason: "expression" }, true, "head", { ownExpression: true }, `${hc.name}: ${what} (${type})`);
      continue;
    }
    const upstream: ColumnPointer[] = hSources.filter((s) => ctx.changedCols.has(colKey(s.model, s.column))).map((s) => ({ model: s.model, column: s.column }));
    if (upstream.length > 0) {
      pushColumnChange(ctx, h, hc, { kind: "logic_changed", reason: "upstream", upstream }, true, "head", { ownExpression: false }, `${hc.name}: reads changed ${upstream.map(pointerText).join(", ")}`);
    }
  }
  return renames;
}

/** A fingerprint without the casts around it: `CAST(CAST(x AS Int32) AS Int64)` → `x`. */
function uncast(fp: string): string {
  let out = fp;
  for (let m = CAST_FP.exec(out); m !== null; m = CAST_FP.exec(out)) out = m[1];
  return out;
}

const CAST_FP = /^(?:TRY_)?CAST\((.*) AS [A-Za-z0-9_ ]+(?:\([^()]*\))?\)$/;

/** A base model under its head name (a removed column of a renamed model is reported on the head model). */
function withName(b: CompiledModel, h: CompiledModel): CompiledModel {
  // copyCompiledModel, not a spread: a model from a cached compile keeps its fields behind getters.
  return b.name === h.name ? b : copyCompiledModel(b, { name: h.name, config: { ...b.config, target: h.config.target } });
}

function diffRows(ctx: Ctx, b: CompiledModel, h: CompiledModel, views: SideViews): void {
  const sql = ctx.headSources().get(h.name)?.rawSql ?? "";
  const headFile = ctx.changed.find((f) => f.projectPath === h.file);
  const beforeRows = views.base.rows();
  const afterRows = views.head.rows();
  // Inner joins over the same relations and conditions, in another order or with conditions moved between their ONs: the same rows.
  const joinsBefore = beforeRows.joins !== afterRows.joins ? innerJoinsKey(beforeRows) : undefined;
  const reordered = joinsBefore !== undefined && joinsBefore === innerJoinsKey(afterRows);
  // A new FROM relation changes the JOINs' conditions that name it: one finding, unless a join's type changed too.
  const withJoins = !reordered && beforeRows.from !== afterRows.from && beforeRows.joins !== afterRows.joins && joinTypeChange(beforeRows.joins, afterRows.joins) === undefined;
  let keywords: ReturnType<typeof clauseKeywordPositions> | undefined;
  for (const [key, clause] of CLAUSES) {
    const before = beforeRows[key];
    const after = afterRows[key];
    if (before === after || (withJoins && key === "joins") || (reordered && (key === "from" || key === "joins"))) continue;
    keywords ??= clauseKeywordPositions(sql, h.dialect);
    // "FROM and JOIN changed" is one finding for both clauses: a JOIN the PR wrote places it as well as a FROM.
    const at = clause === "from" && withJoins ? inTextOrder([...(keywords.get("from") ?? []), ...(keywords.get("join") ?? [])]) : (keywords.get(clause) ?? []);
    const span = clauseSpan(at, h.file, headFile);
    ctx.rowLevelChanges.push({
      id: `row:${h.name}:${clause}`,
      model: h.name,
      target: targetOf(h),
      clause,
      ...(before !== undefined ? { old: before } : {}),
      ...(after !== undefined ? { new: after } : {}),
      ...(span ? { span } : {}),
      consumers: 0,
    });
    addBreaking(ctx, "row_level_changed", {}, {
      model: h.name,
      target: targetOf(h),
      detail: clause === "join" ? (joinTypeChange(before, after) ?? ROW_DETAIL(clause, before, after)) : clause === "from" && withJoins ? FROM_AND_JOINS : ROW_DETAIL(clause, before, after),
      ...(before !== undefined ? { old: before } : {}),
      ...(after !== undefined ? { new: after } : {}),
      changeId: `row:${h.name}:${clause}`,
      ...(span ? { span } : {}),
    });
  }
}

const FROM_AND_JOINS = "FROM and JOIN changed: every downstream column sees different rows";

const ROW_DETAIL = (clause: string, before: string | undefined, after: string | undefined) =>
  `${clause.replace("_", " ").toUpperCase()} ${before === undefined ? "added" : after === undefined ? "removed" : "changed"}: every downstream column sees different rows`;

/**
 * When the only difference between two JOIN fingerprints (analyze-model.ts: `TYPE (joined) ON
 * cond`, one per join, sorted, ` ; `-separated) is one join's type, say what that does to the rows.
 */
function joinTypeChange(before: string | undefined, after: string | undefined): string | undefined {
  const parts = (fp: string | undefined) =>
    (fp ?? "")
      .split(" ; ")
      .map((j) => /^([A-Z]+) (.+)$/.exec(j))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ type: m[1], rest: m[2] }))
      .sort((x, y) => x.rest.localeCompare(y.rest));
  const b = parts(before);
  const a = parts(after);
  if (b.length === 0 || b.length !== a.length || b.some((j, i) => j.rest !== a[i].rest)) return undefined;
  const changed = b.map((j, i) => ({ from: j.type, to: a[i].type, rest: j.rest })).filter((j) => j.from !== j.to);
  if (changed.length !== 1) return undefined;
  const { from, to, rest } = changed[0];
  const joined = rest.replace(/ ON .*$/, "").replace(/^\((.*)\)$/, "$1");
  const effect =
    from === "LEFT" && to === "INNER"
      ? `: rows with no match in ${joined} are now dropped`
      : from === "INNER" && to === "LEFT"
        ? `: rows with no match in ${joined} are now kept, with NULLs for its columns`
        : `, joining ${joined}: every downstream column sees different rows`;
  return `JOIN changed from ${from} to ${to}${effect}`;
}

/**
 * Inner and cross joins are a product of their relations filtered by all their conditions, in any
 * order: `a JOIN b ON k` is `b JOIN a ON k`. The relations read FROM or joined, the number of joins
 * and the conditions, as one comparable key; undefined when an outer (or other) join is among them.
 */
function innerJoinsKey(rows: RowLevel["fingerprints"]): string | undefined {
  const relations = new Set<string>();
  for (const part of (rows.from ?? "").split(CLAUSE_SEPARATOR)) for (const r of splitTopLevel(part, ", ")) if (r !== "") relations.add(r);
  const conditions: string[] = [];
  const joins = (rows.joins ?? "").split(CLAUSE_SEPARATOR).filter((j) => j !== "");
  for (const j of joins) {
    const m = /^(INNER|CROSS) (\([^()]*\)|[^ ()]+)(?: ON (.+))?$/.exec(j);
    if (m === null) return undefined;
    relations.add(m[2]);
    if (m[3] !== undefined) conditions.push(...conjuncts(m[3]));
  }
  return `${joins.length}\n${[...relations].sort().join("\n")}\n${conditions.sort().join("\n")}`;
}

/**
 * An ON condition's conjuncts, as its fingerprint spells them (`((a) AND (b))` → `(a)`, `(b)`), so
 * that conditions the PR moved from one inner join's ON to another's still compare equal. Only
 * parts that are each parenthesised are split; anything else stays one condition.
 */
function conjuncts(cond: string): string[] {
  if (!cond.startsWith("(") || !cond.endsWith(")")) return [cond];
  const parts = splitTopLevel(cond.slice(1, -1), " AND ");
  if (parts.length < 2 || parts.some((p) => !p.startsWith("(") || !p.endsWith(")") || splitTopLevel(p, " ").length > 1)) return [cond];
  return parts.flatMap(conjuncts);
}

/** Where a clause is written in the head SQL: its keyword on a changed line, first, else its last one (the outermost query's clause usually comes last). */
function inTextOrder(at: readonly KeywordAt[]): KeywordAt[] {
  return [...at].sort((a, b) => a.line - b.line || a.col - b.col);
}

function clauseSpan(at: readonly KeywordAt[], file: string, changed: ChangedFile | undefined): ReportSpan | undefined {
  const pick = (changed !== undefined ? at.find((p) => inHeadRanges(changed, p.line)) : undefined) ?? at.at(-1);
  return pick === undefined ? undefined : { file, line: pick.line, col: pick.col, side: "head" };
}

function summarizeBlast(entries: readonly BlastRadiusEntry[]): BlastRadius {
  const cols = new Map<string, BlastRadiusEntry["consumers"][number]>();
  for (const e of entries) for (const c of e.consumers) cols.set(colKey(c.model, c.column), c);
  const all = [...cols.values()];
  const exposures = new Set<string>();
  for (const c of all) for (const x of c.exposures) exposures.add(x);
  for (const e of entries) for (const x of e.exposures ?? []) exposures.add(x);
  return {
    entries,
    totalConsumers: cols.size,
    totalModels: new Set(all.map((c) => c.model)).size,
    contractedConsumers: all.filter((c) => c.contracted).length,
    classifiedConsumers: all.filter((c) => c.classified !== null).length,
    exposedConsumers: all.filter((c) => c.exposures.length > 0).length,
    exposures: [...exposures].sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

function contractFindings(ctx: Ctx, entries: readonly BlastRadiusEntry[], changes: readonly ColumnChange[], headIndex: ConsumerIndex): ContractFinding[] {
  const { head, base } = ctx;
  const changeById = new Map(changes.map((c) => [c.id, c]));
  const baseNameOf = new Map(ctx.modelChanges.map((m) => [m.model, m.baseModel ?? m.model]));
  // Which contracted models to evaluate: changed ones and every contracted consumer in the blast radius.
  const scope = new Set<string>();
  for (const m of ctx.modelChanges) if (m.status !== "unchanged" || m.touched) scope.add(m.model);
  for (const e of entries) for (const c of e.consumers) if (c.contracted) scope.add(c.model);

  const findings = new Map<string, ContractFinding>();
  const key = (code: string, model: string, column: string) => `${code}|${model}|${column.toLowerCase()}`;

  for (const name of [...scope].sort()) {
    const hm = head.models.get(name);
    if (!hm) continue;
    const bm = base.models.get(baseNameOf.get(name) ?? name);
    const baseProtected = bm?.contract ? bm.contract.protected.filter((p) => bm.columns.some((c) => c.name.toLowerCase() === p.toLowerCase())) : [];
    if (!hm.contract && baseProtected.length === 0) continue;
    const contract = hm.contract ?? { model: name, file: bm?.contract?.file ?? hm.file, source: "auto" as const, columns: [], required: [], protected: [] };
    const existing = new Set<string>();
    if (bm?.contract) for (const v of evaluateContract(bm, bm.contract)) existing.add(key(v.code, name, v.column));
    const touched = ctx.touched.has(name);
    for (const v of evaluateContract(hm, contract, baseProtected)) {
      const fromBase = v.code === "E013" && !contract.protected.some((p) => p.toLowerCase() === v.column.toLowerCase());
      const origin = fromBase ? "base" : touched ? "head" : "upstream";
      const route = findRoute(entries, name, v.column);
      const f = finding(ctx, hm, contract.file, v, origin, route, changeById, !existing.has(key(v.code, name, v.column)));
      findings.set(key(v.code, name, v.column), f);
    }
  }

  // Columns removed or renamed upstream: their contracted consumers (traced on base) lose their source.
  // The column a consumer reads explains it before one that only filters, joins or groups its rows
  // (row-level reach): a deleted model's join key reaches every column, but amount's source is amount.
  const lost: { e: BlastRadiusEntry; ch: ColumnChange; c: Consumer }[] = [];
  for (const e of entries) {
    const ch = changeById.get(e.changeId);
    if (!ch || (ch.change.kind !== "removed" && ch.change.kind !== "renamed")) continue;
    for (const c of e.consumers) if (c.contracted) lost.push({ e, ch, c });
  }
  const byValueFirst = [...lost.filter((x) => !readsRowsOnly(x.e, x.c)), ...lost.filter((x) => readsRowsOnly(x.e, x.c))];
  for (const { e, ch, c } of byValueFirst) {
    const hm = headIndex.model(c.model);
    if (!hm?.contract || ctx.touched.has(hm.name)) continue;
    // Still typed on head: it reads the data another way now (the model folded into a CTE, the column
    // taken from elsewhere), and its own contract checks above say whether that way keeps the contract.
    const onHead = hm.columns.find((x) => x.name.toLowerCase() === c.column.toLowerCase());
    if (onHead !== undefined && onHead.type.kind !== "Unknown") continue;
    // A column that lost its source is typed Unknown/nullable on head: its E011/E012 are symptoms of this one cause.
    const same = (f: ContractFinding) => f.model === hm.name && f.column.toLowerCase() === c.column.toLowerCase();
    if ([...findings.values()].some((f) => same(f) && (f.code === "E010" || f.code === "E013"))) continue;
    for (const [k, f] of findings) if (same(f)) findings.delete(k);
    const isProtected = hm.contract.protected.some((p) => p.toLowerCase() === c.column.toLowerCase());
    const code = isProtected ? "E013" : "E010";
    const what = ch.change.kind === "renamed" ? `was renamed to '${ch.column}'` : "was removed";
    const v = {
      code,
      column: c.column,
      expected: isProtected ? "protected" : "required",
      actual: "loses its source",
      message: `contract column '${c.column}' of '${hm.name}' loses its source: ${e.origin.model}.${e.origin.column} ${what} upstream`,
    } as const;
    findings.set(key(code, hm.name, c.column), finding(ctx, hm, hm.contract.file, v, "upstream", { entry: e, change: ch }, changeById, true));
  }
  return sortBy([...findings.values()], (f) => [f.severity === "Error" ? 0 : 1, f.model, f.column, f.code]);
}

/** Whether a consumer reaches its entry's column through a row-level hop anywhere on its path (a filter, join or group key), not by value alone. */
function readsRowsOnly(e: BlastRadiusEntry, c: Consumer): boolean {
  const byName = new Map(e.consumers.map((x) => [colKey(x.model, x.column), x]));
  const seen = new Set<Consumer>();
  for (let at: Consumer | undefined = c; at !== undefined && !seen.has(at); at = byName.get(at.via.toLowerCase())) {
    if (at.transform === "row_level") return true;
    seen.add(at);
  }
  return false;
}

/** Where a contract writes the rule behind a finding: the `[rules]` entry, or the column's `type` / `nullable` / `name` key. */
function ruleSpan(contract: Contract, code: ContractFinding["code"], column: string): ReportSpan | undefined {
  const col = contractColumn(contract, column);
  const loc =
    code === "E010"
      ? ruleLocation(contract, column, "required")
      : code === "E013"
        ? ruleLocation(contract, column, "protected")
        : code === "E011"
          ? col?.typeLocation
          : code === "E012"
            ? col?.nullableLocation
            : code === "E014"
              ? contract.noNewNullableLocation
              : col?.location;
  return loc ? { file: loc.file, line: loc.line, col: loc.col, side: "head" } : undefined;
}

/** The PR's change to a project file that is still on head (not deleted). */
function changedOnHead(ctx: Ctx, file: string): ChangedFile | undefined {
  return ctx.changed.find((c) => c.projectPath === file && c.status !== "deleted");
}

/** The first head line the PR's diff changed in a project file. */
function firstChangedLine(ctx: Ctx, file: string): ReportSpan | undefined {
  const line = changedOnHead(ctx, file)?.headRanges[0]?.start;
  return line === undefined ? undefined : { file, line, col: 1, side: "head" };
}

/** Whether the PR's diff changed a head line of a project file. */
function inDiff(ctx: Ctx, file: string, line: number): boolean {
  const f = changedOnHead(ctx, file);
  return f !== undefined && inHeadRanges(f, line);
}

interface Route {
  readonly entry: BlastRadiusEntry;
  readonly change: ColumnChange | undefined;
}

function findRoute(entries: readonly BlastRadiusEntry[], model: string, column: string): Route | undefined {
  const k = colKey(model, column);
  let best: { e: BlastRadiusEntry; depth: number } | undefined;
  for (const e of entries) {
    if (e.rowLevel) continue;
    const c = e.consumers.find((x) => colKey(x.model, x.column) === k);
    // The root-most change explains the break: stg.amount → int.amount → fct.amount, not just int.amount → fct.amount.
    if (c && (!best || c.depth > best.depth)) best = { e, depth: c.depth };
  }
  return best ? { entry: best.e, change: undefined } : undefined;
}

function finding(
  ctx: Ctx,
  hm: CompiledModel,
  contractFile: string,
  v: { readonly code: ContractFinding["code"]; readonly column: string; readonly expected: string; readonly actual: string; readonly message: string },
  origin: ContractFinding["origin"],
  route: Route | undefined,
  changeById: ReadonlyMap<string, ColumnChange>,
  isNew: boolean,
): ContractFinding {
  const contractCol = hm.contract?.columns.find((c) => c.name.toLowerCase() === v.column.toLowerCase());
  const path = route && origin !== "head" ? pathTo(route.entry, hm.name, v.column) : undefined;
  const rootChange = route ? (route.change ?? changeById.get(route.entry.changeId)) : undefined;
  const contractText = contractCol?.type ?? (v.expected === "not null" ? "nullable = false" : v.expected);
  const pathText = path ? `${path.map(pointerText).join(" → ")} (contract: ${contractText})` : undefined;
  const headCol = hm.columns.find((c) => c.name.toLowerCase() === v.column.toLowerCase());
  const rootSpan = rootChange?.span;
  const ownSpan = reportSpan(hm.file, headCol?.span, "head");
  const contractSpan: ReportSpan = contractCol?.location
    ? { file: contractCol.location.file, line: contractCol.location.line, col: contractCol.location.col, side: "head" }
    : { file: contractFile, line: 1, col: 1, side: "head" };
  // Where the contract states the rule that fails: when the PR wrote that line (a new required
  // column, a tighter type), the finding is about that line, not the model's SQL.
  const rule = hm.contract && v.actual !== "loses its source" ? ruleSpan(hm.contract, v.code, v.column) : undefined;
  const byPr = rule !== undefined && inDiff(ctx, rule.file, rule.line) ? rule : undefined;
  // A required column the PR dropped from this model's SELECT (from a `*`, say, with no line of its own):
  // the first line the PR changed in the model, inside the diff, rather than a contract line outside it.
  const dropped = v.code === "E010" && origin === "head" && headCol === undefined ? firstChangedLine(ctx, hm.file) : undefined;
  const span = (path ? rootSpan : undefined) ?? byPr ?? ownSpan ?? dropped ?? rule ?? contractSpan;
  const message = pathText ? `${v.message} (${pathText})` : v.message;
  const changeIds = rootChange ? [rootChange.id] : ctx.columnChanges.filter((c) => c.model === hm.name && c.column.toLowerCase() === v.column.toLowerCase()).map((c) => c.id);
  const severity = v.code === "W010" ? "Warning" : "Error";
  const diagnostic = createDiagnostic(v.code, message, { model: hm.name, span: { file: span.file, line: span.line, col: span.col }, severity });
  return {
    code: v.code,
    severity,
    message,
    model: hm.name,
    column: v.column,
    contractFile,
    expected: contractCol?.type && v.code === "E011" ? contractCol.type : v.expected,
    actual: v.actual,
    origin,
    ...(path ? { path } : {}),
    ...(pathText ? { pathText } : {}),
    changeIds,
    new: isNew,
    span,
    diagnostic,
  };
}
