/** Hand-built ReviewReport fixtures for the renderer's tests (one per scenario). */
import { createDiagnostic } from "../../../../engine/src/diagnostics/registry.js";
import type {
  BlastRadiusEntry,
  BreakingChange,
  ChangedFile,
  ColumnChange,
  ColumnChangeKind,
  Consumer,
  ContractFinding,
  ReviewDiagnostic,
  ReviewReport,
} from "../../../../review/src/report/types.js";

export function emptyReport(patch: Partial<ReviewReport> = {}): ReviewReport {
  const report: ReviewReport = {
    version: 1,
    kind: "rocky-review",
    generatedAt: "2026-11-21T06:00:00.000Z",
    base: { ref: "main", sha: "1111111aaaaaaa1111111aaaaaaa1111111aaaaa" },
    head: { ref: "feature/orders", sha: "2222222bbbbbbb2222222bbbbbbb2222222bbbbb" },
    mergeBase: "3333333ccccccc3333333ccccccc3333333ccccc",
    projectDir: "",
    dialect: "duckdb",
    targetDialect: "snowflake",
    touchesNoModels: false,
    summary: {
      models: { total: 4, added: 0, removed: 0, modified: 1, unchanged: 3 },
      columnChanges: { total: 0, added: 0, removed: 0, renamed: 0, type_changed: 0, nullability_changed: 0, logic_changed: 0 },
      rowLevelChanges: 0,
      breaking: { breaking: 0, warning: 0, info: 0 },
      blastRadius: { columns: 0, models: 0 },
      contracts: { error: 0, warning: 0, new: 0 },
      portability: { error: 0, warning: 0 },
      diagnostics: { error: 0, warning: 0, info: 0, preExisting: 0 },
      complianceExceptions: 0,
      budgetBreaches: { error: 0, warning: 0 },
      filesChanged: 1,
      findings: { error: 0, warning: 0, info: 0 },
    },
    models: [],
    columnChanges: [],
    rowLevelChanges: [],
    blastRadius: { entries: [], totalConsumers: 0, totalModels: 0, contractedConsumers: 0, classifiedConsumers: 0, exposedConsumers: 0, exposures: [] },
    breakingChanges: [],
    contracts: [],
    portability: [],
    compliance: null,
    cost: null,
    diagnostics: [],
    changedFiles: [changedFile("models/stg_orders.sql", [{ start: 1, end: 40 }])],
    timings: { git_ms: 0, read_ms: 0, compile_base_ms: 0, compile_head_ms: 0, diff_ms: 0, compliance_ms: 0, cost_ms: 0, render_ms: 0, total_ms: 0, cache_hits: { base: 0, head: 0 } },
  };
  return { ...report, ...patch };
}

export function changedFile(path: string, ranges: readonly { start: number; end: number }[]): ChangedFile {
  return { path, projectPath: path, status: "modified", headRanges: ranges, binary: false, role: "model_sql" };
}

export function columnChange(model: string, column: string, change: ColumnChangeKind, extra: Partial<ColumnChange> = {}): ColumnChange {
  return {
    id: `col:${model}.${column}:${change.kind}`,
    model,
    target: `warehouse.analytics.${model}`,
    column,
    change,
    severity: change.kind === "type_changed" && change.narrowing ? "breaking" : change.kind === "removed" || change.kind === "renamed" ? "breaking" : "info",
    type: change.kind === "type_changed" ? change.new : "String",
    nullable: true,
    direct: true,
    span: { file: `models/${model}.sql`, line: 3, col: 5, side: "head" },
    consumers: 0,
    ...extra,
  };
}

export function consumer(model: string, column: string, depth: number, via: string, extra: Partial<Consumer> = {}): Consumer {
  return { model, column, depth, transform: "direct", via, contracted: false, classified: null, exposures: [], ...extra };
}

export function blastEntry(change: ColumnChange, consumers: readonly Consumer[]): BlastRadiusEntry {
  return {
    changeId: change.id,
    origin: { model: change.model, column: change.column },
    tracedOn: change.change.kind === "removed" ? "base" : "head",
    rowLevel: false,
    consumers,
    models: [...new Set(consumers.map((c) => c.model))].sort(),
    maxDepth: Math.max(0, ...consumers.map((c) => c.depth)),
  };
}

/** A report whose blast radius is exactly `changes` → `entries`, with totals computed. */
export function withChanges(report: ReviewReport, changes: readonly ColumnChange[], entries: readonly BlastRadiusEntry[]): ReviewReport {
  const all = entries.flatMap((e) => e.consumers);
  const distinct = new Set(all.map((c) => `${c.model}.${c.column}`));
  return {
    ...report,
    columnChanges: changes,
    blastRadius: {
      entries,
      totalConsumers: distinct.size,
      totalModels: new Set(all.map((c) => c.model)).size,
      contractedConsumers: all.filter((c) => c.contracted).length,
      classifiedConsumers: all.filter((c) => c.classified !== null).length,
      exposedConsumers: all.filter((c) => c.exposures.length > 0).length,
      exposures: [...new Set(all.flatMap((c) => c.exposures))].sort(),
    },
  };
}

export function breaking(model: string, column: string, kind: BreakingChange["kind"], severity: BreakingChange["severity"], detail: string): BreakingChange {
  return { kind, severity, model, target: `warehouse.analytics.${model}`, column, detail, span: { file: `models/${model}.sql`, line: 3, col: 5, side: "head" } };
}

export function contractFinding(model: string, column: string, patch: Partial<ContractFinding> = {}): ContractFinding {
  const diagnostic = createDiagnostic("E011", `column '${column}' has type Int32 but the contract says Decimal(18,2)`, {
    model,
    span: { file: `models/${model}.sql`, line: 4, col: 3 },
  });
  return {
    code: "E011",
    severity: "Error",
    message: diagnostic.message,
    model,
    column,
    contractFile: `models/${model}.contract.toml`,
    expected: "Decimal(18,2)",
    actual: "Int32",
    origin: "upstream",
    path: [
      { model: "stg_orders", column: "amount" },
      { model: "int_orders", column: "amount" },
      { model, column },
    ],
    pathText: `stg_orders.amount → int_orders.amount → ${model}.${column} (contract: Decimal(18,2))`,
    changeIds: ["col:stg_orders.amount:type_changed"],
    new: true,
    span: { file: "models/stg_orders.sql", line: 3, col: 5, side: "head" },
    diagnostic,
    ...patch,
  };
}

export function p001(line: number, patch: Partial<ReviewDiagnostic> = {}): ReviewDiagnostic {
  const d = createDiagnostic("P001", "NVL is not portable to Snowflake (supported by: Databricks)", {
    model: "stg_orders",
    span: { file: "models/stg_orders.sql", line, col: 10, endLine: line, endCol: 24 },
    suggestion: "use COALESCE",
    replacement: { span: { file: "models/stg_orders.sql", line, col: 10, endLine: line, endCol: 24 }, text: "COALESCE(a, b)" },
  });
  return { ...d, new: true, inDiff: true, ...patch };
}
