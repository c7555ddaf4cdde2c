import { analyzeModel } from "../analyze/analyze-model.js";
import { runTextChecks } from "../checks/run-checks.js";
import { collectSyntaxFacts } from "../checks/syntax-facts.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { DiagnosticSpan } from "../diagnostics/diagnostic.js";
import type { GraphNode } from "../graph/build-model-graph.js";
import type { ModelSource, SourceColumn } from "../project/types.js";
import type { DialectId, Query, Span } from "../syntax/ast.js";
import { parseSql } from "../syntax/parse-sql.js";
import { collectTableRefs } from "../syntax/walk.js";
import { typeFromWarehouseName } from "../types/type-from-name.js";
import type { SqlType } from "../types/sql-type.js";
import { T } from "../types/type-constants.js";
import type { AnalysisEntry, SyntaxEntry } from "./compile-cache.js";
import { type AnalyzeModelInput, type ModelAnalysis, OPEN_SCHEMA_MARKER, type SchemaProvider } from "./types.js";

/**
 * The two per-model stages of the compile pipeline, shared by the main thread and the compile
 * worker so both produce identical entries: parse (+ references, text checks, syntax facts) and
 * analyse (types + lineage against upstream schemas).
 */

/** What a stage needs of a model (a ModelSource fits; plain data so it crosses threads). */
export type StageModel = Pick<ModelSource, "name" | "file" | "sql" | "dialect" | "columnMap">;

export type Columns = readonly { readonly name: string; readonly type: SqlType; readonly nullable: boolean; readonly nullableAssumed?: true }[];

export function parseModel(m: StageModel, target: DialectId | undefined, allow: readonly string[]): { entry: SyntaxEntry; query?: Query } {
  const result = parseSql(m.sql, m.dialect);
  if (result.query === undefined || result.error !== undefined) {
    const span: Span = result.error?.span ?? { start: 0, end: 0, line: 1, col: 1 };
    return { entry: { parseError: { message: result.error?.message ?? "no query found", span }, bare: [], qualified: [], textDiagnostics: [], projectionNamed: false } };
  }
  const query = result.query;
  const { bare, qualified } = tableRefsOf(query);
  const facts = collectSyntaxFacts(query, m.sql);
  const textDiagnostics = runTextChecks({ model: m, query, comments: result.comments, target, allow });
  return {
    query,
    entry: {
      bare,
      qualified,
      textDiagnostics,
      ...(facts.starSpan ? { starSpan: facts.starSpan } : {}),
      ...(facts.startDate ? { startDate: facts.startDate } : {}),
      ...(facts.endDate ? { endDate: facts.endDate } : {}),
      ...(facts.windowStart ? { windowStart: facts.windowStart } : {}),
      ...(facts.windowEnd ? { windowEnd: facts.windowEnd } : {}),
      ...(facts.windowChecked ? { windowChecked: true as const } : {}),
      projectionNamed: facts.projectionNamed,
    },
  };
}

/** The tables a query reads: single-part names (a model, or a bare source) where they are, and multi-part names (sources), sorted. */
export function tableRefsOf(query: Query): Pick<SyntaxEntry, "bare" | "qualified"> {
  const bare: { name: string; line: number; col: number }[] = [];
  const qualified = new Set<string>();
  for (const r of collectTableRefs(query)) {
    if (r.name.length === 1) bare.push({ name: r.name[0].quoted ? r.name[0].name : r.name[0].name.toLowerCase(), line: r.span.line, col: r.span.col });
    else qualified.add(r.name.map((p) => (p.quoted ? p.name : p.name.toLowerCase())).join("."));
  }
  return { bare, qualified: [...qualified].sort() };
}

/**
 * Where each entry of the array `key` is written (`depends_on[0]`, ...), when the loader kept as
 * many entries as the file has (an entry it dropped as malformed would shift the rest); else none.
 */
function entrySpans(locations: ModelSource["config"]["locations"], key: string, count: number): (DiagnosticSpan | undefined)[] | undefined {
  if (locations[`${key}[${count}]`] !== undefined) return undefined;
  const out: (DiagnosticSpan | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const at = locations[`${key}[${i}]`];
    if (at === undefined) return undefined;
    out.push({ file: at.file, line: at.line, col: at.col });
  }
  return out;
}

/** A model as the DAG sees it (build-model-graph.ts): its depends_on, where that is written, and the tables its SQL reads. */
export function graphNodeOf(m: Pick<ModelSource, "name" | "file" | "config">, refs: Pick<SyntaxEntry, "bare" | "qualified">): GraphNode {
  const dependsOnLoc = m.config.locations.depends_on;
  const dependsOn = m.config.depends_on ?? [];
  return {
    name: m.name,
    file: m.file,
    dependsOn,
    dependsOnSpan: dependsOnLoc ? { file: dependsOnLoc.file, line: dependsOnLoc.line, col: dependsOnLoc.col } : undefined,
    ...(dependsOn.length > 0 ? { dependsOnSpans: entrySpans(m.config.locations, "depends_on", dependsOn.length) } : {}),
    // Positions only: the graph makes a span (in this model's file) for the few references it reports.
    bareRefs: refs.bare,
    qualifiedRefs: refs.qualified,
  };
}

export function emptyAnalysis(): AnalysisEntry {
  return { columns: [], rowLevel: { filters: [], joins: [], groups: [], fingerprints: {} }, hasStar: false, reads: [], diagnostics: [] };
}

/** Analyse one model; an exception inside inference is a bug, reported as R009 on the model so the rest of the project still compiles. */
export function analyzeEntry(input: AnalyzeModelInput): AnalysisEntry {
  let a: ModelAnalysis;
  try {
    a = analyzeModel(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...emptyAnalysis(), diagnostics: [createDiagnostic("R009", `internal error while typing this model: ${message}`, { model: input.model, span: { file: input.file, line: 1, col: 1 } })] };
  }
  const entry: AnalysisEntry = {
    columns: a.columns,
    rowLevel: a.rowLevel,
    hasStar: a.hasStar,
    reads: [...a.reads].map(([k, v]) => [k, [...v].sort()] as const),
    diagnostics: a.diagnostics,
    ...(a.nullableConcats !== undefined ? { nullableConcats: a.nullableConcats } : {}),
    ...(a.methodCalls !== undefined ? { methodCalls: a.methodCalls } : {}),
    ...(a.dateDiffs !== undefined ? { dateDiffs: a.dateDiffs } : {}),
    ...(a.windowNullOrders !== undefined ? { windowNullOrders: a.windowNullOrders } : {}),
  };
  return a.open ? { ...entry, open: true } : entry;
}

const OPEN_COLUMN = { name: OPEN_SCHEMA_MARKER, type: T.Unknown, nullable: true } as const;

/**
 * The columns a model's readers see: its own array (the analyzer caches what it derives from an
 * upstream schema by that array), ended by the open-schema marker when its output is open.
 */
export function readerColumns(entry: Pick<AnalysisEntry, "columns" | "open">): Columns {
  return entry.open ? [...entry.columns, OPEN_COLUMN] : entry.columns.slice();
}

/** A source's columns by lower-case name: exactly, else by its last two parts (`cat.raw.orders` → `raw.orders`). */
export function findSource(rawSources: ReadonlyMap<string, readonly SourceColumn[]>, lower: string): readonly SourceColumn[] | undefined {
  return rawSources.get(lower) ?? rawSources.get(lower.split(".").slice(-2).join("."));
}

/**
 * Upstream schemas for one dialect: models from `modelColumns` (by name), external sources from
 * `rawSources` typed with the dialect's warehouse type names (memoised per dialect).
 */
export function createSchemaProvider(
  dialect: DialectId,
  modelByLower: ReadonlyMap<string, string>,
  modelColumns: ReadonlyMap<string, Columns>,
  rawSources: ReadonlyMap<string, readonly SourceColumn[]>,
  typedSources: Map<string, Columns | null>,
): SchemaProvider {
  return {
    isModel: (name) => modelByLower.has(name.toLowerCase()),
    modelName: (name) => modelByLower.get(name.toLowerCase()),
    columnsOf(name) {
      const lower = name.toLowerCase();
      const model = modelByLower.get(lower);
      if (model !== undefined) return modelColumns.get(model);
      const key = `${dialect}\0${lower}`;
      if (typedSources.has(key)) return typedSources.get(key) ?? undefined;
      const raw = findSource(rawSources, lower);
      const cols: Columns | null = raw === undefined ? null : raw.map((c) => ({ name: c.name, type: typeFromWarehouseName(c.type, dialect), nullable: c.nullable }));
      typedSources.set(key, cols);
      return cols ?? undefined;
    },
  };
}
