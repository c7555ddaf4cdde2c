import type { CompiledModel, CompiledProject } from "../compile/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Comment, DialectId, Query, Span } from "../syntax/ast.js";
import type { ModelSource, RockyConfig } from "../project/types.js";
import { checkBudget } from "../cost/check-budget.js";
import { estimateCompiledProject } from "../cost/estimate-compiled-project.js";
import type { ContractCheckInput } from "./contract-columns.js";
import { checkContractColumnAbsent } from "./rules/contract-column-absent.js";
import { checkContractNewNullable } from "./rules/contract-new-nullable.js";
import { checkContractNullability } from "./rules/contract-nullability.js";
import { checkContractProtectedRemoved } from "./rules/contract-protected-removed.js";
import { checkContractRequiredMissing } from "./rules/contract-required-missing.js";
import { checkContractTypeMismatch } from "./rules/contract-type-mismatch.js";
import { checkClassificationUnknownColumn } from "./rules/classification-unknown-column.js";
import { checkDependsOnIncomplete } from "./rules/depends-on-incomplete.js";
import { parseTargetDialect } from "./dialect-names.js";
import { checkPortability } from "./rules/dialect-portability.js";
import { checkIcebergFormatOptions } from "./rules/iceberg-format-options.js";
import { checkMergeKeyMissing } from "./rules/merge-key-missing.js";
import { checkMissingFreshness } from "./rules/missing-freshness.js";
import { checkSelectStarConsumers } from "./rules/select-star-consumers.js";
import { checkSplitSeparator } from "./rules/split-separator.js";
import { checkTargetCollisions } from "./rules/target-collision.js";
import { checkTimeInterval } from "./rules/time-interval.js";
import { checkUnknownFunctions } from "./rules/unknown-function.js";
import { checkUnmaskedClassification } from "./rules/unmasked-classification.js";

/** The checks that depend only on a model's SQL text (cache them with the parse): P001, E057. */
export interface TextCheckInput {
  readonly model: Pick<ModelSource, "name" | "file" | "sql" | "dialect" | "columnMap">;
  readonly query: Query | undefined;
  readonly comments?: readonly Comment[];
  /** The P001 target (CLI flag, else `[portability] target_dialect`); unset = no P001. */
  readonly target?: DialectId | string;
  /** `[portability] allow`. */
  readonly allow?: readonly string[];
}

export function runTextChecks(input: TextCheckInput): Diagnostic[] {
  const m = input.model;
  const out = checkPortability(
    { model: m.name, file: m.file, dialect: m.dialect, query: input.query, comments: input.comments, sql: m.sql, columnMap: m.columnMap },
    { target: input.target, allow: input.allow },
  );
  const target = typeof input.target === "string" ? parseTargetDialect(input.target) : undefined;
  const split = checkSplitSeparator({ model: m.name, file: m.file, dialect: m.dialect, query: input.query, comments: input.comments, sql: m.sql, columnMap: m.columnMap }, { target, allow: input.allow ?? [] });
  // A call P001 already reports (NVL with a DuckDB target: "not portable to DuckDB") is said once.
  const p001At = new Set(out.map((d) => (d.span ? `${d.span.line}:${d.span.col}` : "")));
  const unknown = checkUnknownFunctions({ model: m.name, file: m.file, dialect: m.dialect, query: input.query, sql: m.sql, columnMap: m.columnMap }, { target }).filter((d) => !d.span || !p001At.has(`${d.span.line}:${d.span.col}`));
  return split.length === 0 && unknown.length === 0 ? out : [...out, ...split, ...unknown];
}

/** Per-model syntax facts (syntax-facts.ts), or the compile cache's SyntaxEntry, which carries booleans for the bounds. */
export interface ModelSyntax {
  readonly starSpan?: Span;
  readonly startDate?: Span;
  readonly endDate?: Span;
  readonly usesStartDate?: boolean;
  readonly usesEndDate?: boolean;
  readonly windowStart?: Span;
  readonly windowEnd?: Span;
  /** windowStart / windowEnd were computed; without it (an older cache entry) any use of a bound counts. */
  readonly windowChecked?: true;
  readonly projectionNamed?: boolean;
  readonly parseError?: unknown;
}

/** One model, as the model-level checks see it. */
export interface ModelCheckInput {
  readonly model: Pick<CompiledModel, "name" | "file" | "sidecarFile" | "config" | "contract" | "columns" | "hasStar" | "parsed">;
  /** The SQL the parser saw (ModelSource.sql), for end positions. */
  readonly sql?: string;
  readonly syntax?: ModelSyntax;
  /** False when some output columns could not be known (a `*` over an unknown upstream). Default: `parsed`. */
  readonly schemaComplete?: boolean;
  /** Models the SQL reads (D011). */
  readonly sqlDependencies?: readonly string[];
  /** Downstream models and the columns of this model each names (P002). */
  readonly consumers?: readonly { readonly name: string; readonly columns: Iterable<string> }[];
}

export interface ProjectCheckContext {
  /** rocky.toml, when the project has one (W004 needs it; W005 reads its `[freshness]`). */
  readonly config?: Pick<RockyConfig, "mask" | "classifications" | "freshness">;
}

const NONE: readonly string[] = Object.freeze([]);
const NO_CONSUMERS: readonly { readonly name: string; readonly columns: Iterable<string> }[] = Object.freeze([]);

/** Appends without spreading (spreads of many small arrays are measurably slow at 10k models). */
function append(out: Diagnostic[], ds: readonly Diagnostic[]): void {
  for (const d of ds) out.push(d);
}

const hasKeys = (o: object | undefined): boolean => {
  if (o === undefined) return false;
  for (const _ in o) return true;
  return false;
};

/**
 * Contracts, time_interval, R012, W004, W005, W006, D011, E035 and P002 for one model. Each rule runs only
 * when the model has what it checks (a contract, a strategy, a classification...), so a plain model
 * costs a few property reads.
 */
export function runModelChecks(input: ModelCheckInput, context: ProjectCheckContext = {}): Diagnostic[] {
  const m = input.model;
  const c = m.config;
  const out: Diagnostic[] = [];
  const schemaComplete = input.schemaComplete ?? m.parsed;
  const s = input.syntax;
  const columns = m.parsed ? m.columns : [];
  // One object satisfies every rule's input: no per-rule copies.
  const shared = {
    model: m.name,
    file: m.file,
    sidecarFile: m.sidecarFile,
    config: c,
    columns,
    schemaComplete: m.parsed && schemaComplete,
    sql: input.sql,
    bounds:
      m.parsed && s !== undefined && s.parseError === undefined
        ? {
            startDate: s.startDate ?? (s.usesStartDate === true ? (true as const) : undefined),
            endDate: s.endDate ?? (s.usesEndDate === true ? (true as const) : undefined),
            windowStart: s.windowChecked === true ? s.windowStart : (s.startDate ?? (s.usesStartDate === true ? (true as const) : undefined)),
            windowEnd: s.windowChecked === true ? s.windowEnd : (s.endDate ?? (s.usesEndDate === true ? (true as const) : undefined)),
          }
        : undefined,
    projectionComplete: m.parsed && schemaComplete && !m.hasStar && (s?.projectionNamed ?? true),
    projectExpectedLagSeconds: context.config?.freshness?.expected_lag_seconds,
    sqlDependencies: input.sqlDependencies ?? [],
  };

  if (m.contract !== undefined && m.parsed) {
    const ci: ContractCheckInput = { model: m.name, file: m.file, contract: m.contract, columns, schemaComplete, sql: input.sql };
    append(out, checkContractRequiredMissing(ci));
    append(out, checkContractTypeMismatch(ci));
    append(out, checkContractNullability(ci));
    append(out, checkContractProtectedRemoved(ci));
    append(out, checkContractColumnAbsent(ci));
    if (m.contract.noNewNullable === true) append(out, checkContractNewNullable(ci));
  }
  if (c.strategy.type === "time_interval") append(out, checkTimeInterval(shared));
  if (c.strategy.type === "merge") append(out, checkMergeKeyMissing(shared));
  if (hasKeys(c.classification)) append(out, checkClassificationUnknownColumn(shared));
  if (context.config !== undefined && hasKeys(c.classification)) {
    append(out, checkUnmaskedClassification(shared, { mask: context.config.mask, allowUnmasked: context.config.classifications.allow_unmasked }));
  }
  if (m.parsed) append(out, checkMissingFreshness(shared));
  if (m.parsed && m.hasStar && (input.consumers?.length ?? 0) > 0) {
    append(
      out,
      checkSelectStarConsumers({ model: m.name, file: m.file, hasStar: true, starSpan: s?.starSpan, columns: columns.map((col) => col.name), consumers: input.consumers ?? [], sql: input.sql }),
    );
  }
  if ((c.depends_on?.length ?? 0) > 0) append(out, checkDependsOnIncomplete(shared));
  if (c.format !== undefined) append(out, checkIcebergFormatOptions(shared));
  return out;
}

export interface ProjectCheckOptions {
  /** Per-model syntax facts (the compile cache's SyntaxEntry works). */
  readonly syntax?: ReadonlyMap<string, ModelSyntax>;
  /** The model graph: its SQL-derived dependencies feed D011 (else: merged minus declared). */
  readonly graph?: { readonly sqlDeps?: ReadonlyMap<string, readonly string[]> };
  /** The P001 target; accepted for symmetry with runTextChecks (P001 runs there). */
  readonly target?: DialectId;
  /** Whether rocky.toml exists (W004 needs it). Default: the loaded config has any key. */
  readonly hasRockyToml?: boolean;
}

/**
 * Every model's checks plus the project-wide ones (E036 target collisions, E027 budgets against the
 * static estimate), from a compiled project. P001 is not here: it depends only on the text and runs
 * with the parse (runTextChecks).
 */
export function runProjectChecks(compiled: Pick<CompiledProject, "project" | "models" | "downstream" | "diagnostics">, options: ProjectCheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sources = new Map<string, ModelSource>();
  for (const m of compiled.project.models) sources.set(m.name, m);
  // A `*` over an upstream nothing knows (W002) leaves the output incomplete: no presence checks there.
  const incomplete = new Set<string>();
  for (const d of compiled.diagnostics) if (d.code === "W002" && d.model !== undefined) incomplete.add(d.model);
  const context = projectCheckContext(compiled.project, options.hasRockyToml);
  for (const m of compiled.models.values()) {
    append(out, checkModelInProject(compiled, m, { sql: sources.get(m.name)?.sql, syntax: options.syntax?.get(m.name), incomplete: incomplete.has(m.name), sqlDeps: options.graph?.sqlDeps?.get(m.name) }, context));
  }
  append(out, runProjectWideChecks(compiled));
  return out;
}

/** What every model's checks share: rocky.toml's config when the project has one (W004, W005). */
export function projectCheckContext(project: Pick<CompiledProject["project"], "config">, hasRockyToml?: boolean): ProjectCheckContext {
  return (hasRockyToml ?? Object.keys(project.config.raw).length > 0) ? { config: project.config } : {};
}

/**
 * One model's checks within its project (what runProjectChecks runs per model): P002 needs the
 * columns each downstream model reads of it, D011 its SQL-derived dependencies. The incremental
 * compile re-runs this for the models a change reached.
 */
export function checkModelInProject(
  compiled: Pick<CompiledProject, "models" | "downstream">,
  m: CompiledModel,
  input: { readonly sql?: string; readonly syntax?: ModelSyntax; readonly incomplete: boolean; readonly sqlDeps?: readonly string[] },
  context: ProjectCheckContext,
): Diagnostic[] {
  const downstream = m.hasStar ? (compiled.downstream.get(m.name) ?? NONE) : NONE;
  const consumers =
    downstream.length === 0
      ? NO_CONSUMERS
      : downstream.map((d) => {
          const reads = compiled.models.get(d)?.reads;
          return { name: d, columns: reads?.get(m.name) ?? reads?.get(m.name.toLowerCase()) ?? [] };
        });
  let sqlDependencies: readonly string[] = NONE;
  if ((m.config.depends_on?.length ?? 0) > 0) {
    if (input.sqlDeps !== undefined) sqlDependencies = input.sqlDeps;
    else {
      const declared = new Set((m.config.depends_on ?? []).map((d) => d.toLowerCase()));
      sqlDependencies = m.dependsOn.filter((d) => !declared.has(d.toLowerCase()));
    }
  }
  return runModelChecks({ model: m, sql: input.sql, syntax: input.syntax, schemaComplete: m.parsed && !input.incomplete, sqlDependencies, consumers }, context);
}

/** The project-wide checks: E036 target collisions and E027 budgets against the static estimate. */
export function runProjectWideChecks(compiled: Pick<CompiledProject, "project" | "models">): Diagnostic[] {
  return [...checkTargetCollisions([...compiled.models.values()]), ...budgetDiagnostics(compiled)];
}

/**
 * E027 at compile time, as Rocky: stub leaf statistics propagated through the DAG. The price model
 * is the model's own warehouse (Rocky prices everything as Databricks; a DuckDB project is free).
 */
function budgetDiagnostics(compiled: Pick<CompiledProject, "project" | "models">): Diagnostic[] {
  const models = [...compiled.models.values()];
  if (!models.some((m) => m.config.budget !== undefined)) return [];
  return checkBudget(
    models.map((m) => ({ name: m.name, file: m.file, sidecarFile: m.sidecarFile, budget: m.config.budget, budgetLocation: m.config.locations.budget })),
    estimateCompiledProject(compiled),
    { projectBudget: compiled.project.config.budget },
  );
}
