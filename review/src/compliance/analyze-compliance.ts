import { keepsValues, keptBy } from "../../../engine/src/analyze/lineage-path.js";
import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { projectConfig } from "../report/project-access.js";
import { complianceConfig, pairKey } from "./compliance-config.js";
import type { ReportSpan } from "../report/types.js";
import type { MaskConfig, MaskStrategy, ModelConfig } from "../../../engine/src/project/types.js";
import {
  type ColumnClassificationStatus,
  type ComplianceException,
  type ComplianceReport,
  DEFAULT_ENV_LABEL,
  type EnvMaskingStatus,
  type LineageStep,
  STRATEGY_UNRESOLVED,
} from "./compliance-report.js";

export interface ComplianceOptions {
  /** `--env X`: evaluate only X (falling back to `[mask]` when `[mask.X]` does not exist). */
  readonly env?: string;
  /** Follow lineage (our extension). Default true; false = exactly Rocky's `rocky compliance`. */
  readonly lineage?: boolean;
  /** `--exceptions-only`: keep only per_column rows that produced an exception. */
  readonly exceptionsOnly?: boolean;
  /** The `version` field of the JSON output. */
  readonly version?: string;
}

/**
 * `rocky compliance` semantics (rocky-compat.md §3.6, Rocky's `commands/compliance.rs`), plus lineage.
 *
 * Rocky: for every classified (model, column) and every environment (the defaults labelled
 * "default", then each `[mask.<env>]` alphabetically; or only `--env X`), a resolved strategy,
 * including `none`, counts as masked; an unresolved one is an exception unless the tag is in
 * `[classifications] allow_unmasked`. Models are scanned in name order, columns in name order.
 *
 * Lineage (ours): Rocky masks the table that declares the classification, but a downstream model
 * that selects the column writes the raw values into a new table with no mask. It does so through
 * a reference, a CAST / TRY_CAST, or functions that keep the values (`lower`, `trim`, `coalesce`,
 * `concat`, a CASE result, `max`, `array_agg`, `lag`, a struct, list, map or JSON that packs them: engine/src/analyze/value-keeping.ts), at any
 * depth. Such a column, when it is not classified itself, is an exception in every environment
 * where the tag is meant to be masked (a strategy other than `none`, or unresolved and not
 * allow-listed: `allow_unmasked` speaks only where no strategy resolves), with the path in `reason`; so is one classified with another tag that leaves it in
 * clear there (allow-listed, or `none`: a mart's `email = "internal"`), with `classified_as`. Any other transform breaks the chain: hashing (md5,
 * sha2, hash, ...) and `substr` / `regexp_replace` (the usual hand-written masks) derive new
 * values, and so do arithmetic, `length` and counting.
 *
 * Configuration it could not load (ours, compliance-config.ts): its diagnostics come first in
 * `diagnostics`, the models and columns it leaves unchecked are in `unchecked`, a key that names no
 * column (R012) is not counted, and an exception a lost `[mask]` table may explain says so.
 */
export function analyzeCompliance(project: CompiledProject, options: ComplianceOptions = {}): ComplianceReport {
  const config = projectConfig(project);
  const envs = envsToEvaluate(config.mask, options.env);
  const allow = new Set(config.classifications.allow_unmasked.map((t) => t.toLowerCase()));
  // Only models that classify a column have rows; the rest of a 10,000-model project is counted, not sorted.
  const models = classifiedModels(project);
  // What the config could not say for sure: reported, and R012's keys (no such column) left out of the count.
  const sure = complianceConfig(project);
  const counted = (model: string, column: string) => !sure.phantom.has(pairKey(model, column));

  const perColumn: ColumnClassificationStatus[] = [];
  const exceptions: ComplianceException[] = [];
  let totalClassified = 0;
  let totalMasked = 0;

  for (const model of models) {
    for (const [column, tag] of sortedEntries(model.config.classification)) {
      if (!counted(model.name, column)) continue;
      const envRows: EnvMaskingStatus[] = [];
      for (const env of envs) {
        totalClassified += 1;
        const strategy = resolveStrategy(config.mask, env.resolver, tag);
        if (strategy !== undefined) {
          totalMasked += 1;
          envRows.push({ env: env.label, masking_strategy: strategy, enforced: true });
          continue;
        }
        envRows.push({ env: env.label, masking_strategy: STRATEGY_UNRESOLVED, enforced: false });
        if (allow.has(tag.toLowerCase())) continue;
        const lost = lostMasking(sure.diagnostics, env.resolver, tag);
        exceptions.push({
          model: model.name,
          column,
          env: env.label,
          reason: `no masking strategy resolves for classification tag '${tag}'${lost ? `; ${lost.span?.file}:${lost.span?.line} did not load (${lost.code}), so one may be missing: fix that first` : ""}`,
          tag,
          ...spanField(classificationLocation(model, column)),
        });
      }
      perColumn.push({ model: model.name, column, classification: tag, envs: envRows });
    }
  }

  const lineage = options.lineage ?? true;
  const lineageExceptions = lineage ? findLineageExceptions(project, models, envs, allow, counted) : [];
  const allExceptions = [...exceptions, ...lineageExceptions];
  const exceptionRows = new Set(allExceptions.map((e) => `${e.model}\u0000${e.column}`));
  const shownColumns = options.exceptionsOnly ? perColumn.filter((r) => exceptionRows.has(`${r.model}\u0000${r.column}`)) : perColumn;

  return {
    version: options.version ?? "0.1.0",
    command: "compliance",
    summary: {
      total_classified: totalClassified,
      total_masked: totalMasked,
      total_exceptions: allExceptions.length,
      total_lineage_exceptions: lineageExceptions.length,
      total_unchecked: sure.unchecked.length,
    },
    per_column: shownColumns,
    exceptions: allExceptions,
    envs: envs.map((e) => e.label),
    diagnostics: [...sure.diagnostics, ...unmaskedDiagnostics(exceptions)],
    unchecked: sure.unchecked,
    models_scanned: project.models.size,
    lineage,
  };
}

/**
 * The rocky.toml diagnostic (if any) that may have cost the strategy of `tag` in `env`: a whole
 * `[mask]` or `[classifications]` (allow_unmasked) lost, the file lost, `[mask.<env>]` lost, or the
 * tag's own key that did not load. An exception it explains says so, instead of advising to add
 * a strategy the file may already have.
 */
function lostMasking(diagnostics: readonly Diagnostic[], env: string | undefined, tag: string): Diagnostic | undefined {
  const t = tag.toLowerCase();
  for (const d of diagnostics) {
    if (d.span?.file !== "rocky.toml") continue;
    const path = d.key?.toLowerCase().split(".") ?? [];
    if (path.length <= 1) return d;
    if (path[0] !== "mask") continue;
    if (path[1] === t || (env !== undefined && path[1] === env.toLowerCase() && (path.length === 2 || path[2] === t))) return d;
  }
  return undefined;
}

/** Models with at least one `[classification]` entry, by name (byte order, as Rocky scans them). */
function classifiedModels(project: CompiledProject): CompiledModel[] {
  const out: CompiledModel[] = [];
  // A project from a snapshot knows which models classify a column without reading every model's config.
  const names = project.snapshot?.classified;
  if (names !== undefined) {
    for (const name of names) {
      const model = project.models.get(name);
      if (model !== undefined) out.push(model);
    }
  } else {
    for (const model of project.models.values()) if (hasEntries(model.config.classification)) out.push(model);
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}

function hasEntries(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return true;
  return false;
}

interface EnvToEvaluate {
  /** undefined = the defaults only. */
  readonly resolver: string | undefined;
  readonly label: string;
}

/** Rocky's `envs_to_evaluate`: `--env X` → just X; otherwise "default" then every `[mask.<env>]` alphabetically. */
export function envsToEvaluate(mask: MaskConfig, env: string | undefined): EnvToEvaluate[] {
  if (env !== undefined) return [{ resolver: env, label: env }];
  const named = Object.keys(mask.envs).sort(compareText);
  return [{ resolver: undefined, label: DEFAULT_ENV_LABEL }, ...named.map((name) => ({ resolver: name, label: name }))];
}

/** `[mask.<env>]` over `[mask]`; tags match case-insensitively (the loader lower-cases `[mask]` keys). */
export function resolveStrategy(mask: MaskConfig, env: string | undefined, tag: string): MaskStrategy | undefined {
  const key = tag.toLowerCase();
  const override = env === undefined ? undefined : mask.envs[env]?.[key];
  return override ?? mask.defaults[key];
}

interface Root {
  readonly model: string;
  readonly column: string;
  readonly tag: string;
}

/** A column a classified root's values reach: the path, and the column's own tag when it has one. */
interface Reached {
  readonly path: readonly LineageStep[];
  readonly root: Root;
  readonly own?: string;
}

interface Edge {
  readonly model: string;
  readonly column: string;
  readonly transform: NonNullable<LineageStep["transform"]>;
  readonly keeps?: string;
}

function findLineageExceptions(
  project: CompiledProject,
  models: readonly CompiledModel[],
  envs: readonly EnvToEvaluate[],
  allow: ReadonlySet<string>,
  counted: (model: string, column: string) => boolean,
): ComplianceException[] {
  const classified = new Map<string, string>();
  const roots: Root[] = [];
  for (const model of models) {
    for (const [column, tag] of sortedEntries(model.config.classification)) {
      if (!counted(model.name, column)) continue;
      classified.set(columnKey(model.name, column), tag);
      roots.push({ model: model.name, column, tag });
    }
  }
  if (roots.length === 0) return [];

  const edges = new ForwardEdges(project);
  // Per column, the first path from each tag it carries: a tag left in clear in one env (`none`) must not hide another.
  const visited = new Map<string, Reached[]>();
  const reach = (key: string, entry: Reached) => {
    const list = visited.get(key);
    if (list === undefined) visited.set(key, [entry]);
    else if (!list.some((r) => r.root.tag.toLowerCase() === entry.root.tag.toLowerCase())) list.push(entry);
  };

  const mask = projectConfig(project).mask;
  // allow_unmasked speaks only where the tag has no strategy (Rocky's rule): a tag allow-listed in every env with none is not walked.
  const allowedEverywhere = (tag: string) => allow.has(tag.toLowerCase()) && envs.every((env) => resolveStrategy(mask, env.resolver, tag) === undefined);
  for (const root of roots) {
    if (allowedEverywhere(root.tag)) continue;
    const queue: (readonly LineageStep[])[] = [[{ model: root.model, column: root.column }]];
    const seen = new Set([columnKey(root.model, root.column)]);
    for (let i = 0; i < queue.length; i++) {
      const path = queue[i];
      const last = path[path.length - 1];
      for (const next of edges.readersOf(last.model, last.column)) {
        const key = columnKey(next.model, next.column);
        if (seen.has(key)) continue;
        // A classified column is governed by its own tag (and is a root of its own walk), unless
        // that tag leaves it in clear where this one masks (checked per env below).
        const own = classified.get(key);
        if (own !== undefined) {
          if (own.toLowerCase() !== root.tag.toLowerCase()) reach(key, { path: [...path, next], root, own });
          continue;
        }
        seen.add(key);
        const nextPath = [...path, next];
        reach(key, { path: nextPath, root });
        queue.push(nextPath);
      }
    }
  }

  const out: ComplianceException[] = [];
  const keys = [...visited.keys()].sort(compareText);
  for (const key of keys) {
    const reached = visited.get(key) as Reached[];
    const target = reached[0].path[reached[0].path.length - 1];
    const model = project.models.get(target.model);
    const location = model ? columnLocation(model, target.column) : undefined;
    for (const env of envs) {
      // The first tag it carries unmasked here: `none` is an explicit decision that a tag may be
      // read unmasked in this env; a column classified and masked (or unresolved: W004 says so)
      // under its own tag is governed by it.
      let found: { readonly r: Reached; readonly clear: string | undefined } | undefined;
      for (const r of reached) {
        const strategy = resolveStrategy(mask, env.resolver, r.root.tag);
        if (strategy === "none" || (strategy === undefined && allow.has(r.root.tag.toLowerCase()))) continue;
        const clear = r.own === undefined ? undefined : inClearAs(mask, env, r.own, allow);
        if (r.own !== undefined && clear === undefined) continue;
        found = { r, clear };
        break;
      }
      if (found === undefined) continue;
      const { path, root, own } = found.r;
      const clear = found.clear;
      out.push({
        model: target.model,
        column: target.column,
        env: env.label,
        reason: `${own === undefined ? "not classified" : `classified '${own}' (${clear})`}, but carries '${root.tag}' values unmasked: ${formatPath(path)}`,
        via_lineage: true,
        tag: root.tag,
        ...(own !== undefined ? { classified_as: own } : {}),
        path,
        ...spanField(location),
      });
    }
  }
  return out;
}

/**
 * How a column's own tag leaves it in clear in `env`: `none`, or allow-listed with no strategy
 * (a mart's `email = "internal"` beside `allow_unmasked = ["internal"]`); undefined when it masks
 * it, or resolves to nothing (an exception of its own).
 */
function inClearAs(mask: MaskConfig, env: EnvToEvaluate, tag: string, allow: ReadonlySet<string>): string | undefined {
  const strategy = resolveStrategy(mask, env.resolver, tag);
  if (strategy === "none") return `strategy \`none\` in ${env.label}`;
  if (strategy === undefined && allow.has(tag.toLowerCase())) return "allow-listed unmasked";
  return undefined;
}

/** `raw_customers.email → stg_customers.email → fct_orders.customer_email (cast)`. */
export function formatPath(path: readonly LineageStep[]): string {
  return path
    .map((step) => `${step.model}.${step.column}${step.keeps ? ` (${step.keeps})` : step.transform && step.transform !== "direct" ? ` (${step.transform})` : ""}`)
    .join(" → ");
}

/**
 * (upstream model, column) → the model columns that copy it through a value-preserving transform,
 * in model-name order. A model that reads another depends on it, so only the upstream model's
 * direct downstream models (and itself) are read, each once: a walk from the classified columns
 * reads the columns of the models it reaches, not of the whole project.
 */
class ForwardEdges {
  private readonly perModel = new Map<string, Map<string, Edge[]>>();

  constructor(private readonly project: CompiledProject) {}

  readersOf(model: string, column: string): Edge[] {
    const key = columnKey(model, column);
    const readers = [...(this.project.downstream.get(model) ?? []), model].sort(compareText);
    const out: Edge[] = [];
    for (const reader of new Set(readers)) for (const edge of this.edgesOf(reader).get(key) ?? []) out.push(edge);
    return out;
  }

  /** One model's value-preserving reads of models: source column key → its columns that copy it. */
  private edgesOf(name: string): Map<string, Edge[]> {
    let edges = this.perModel.get(name);
    if (edges) return edges;
    edges = new Map();
    this.perModel.set(name, edges);
    const model = this.project.models.get(name);
    for (const column of model?.columns ?? []) {
      for (const source of column.sources) {
        const t = source.transform;
        if (!keepsValues(t)) continue;
        if (!this.project.models.has(source.model)) continue;
        const key = columnKey(source.model, source.column);
        const list = edges.get(key) ?? [];
        const keeps = keptBy(t);
        list.push(keeps === undefined ? { model: name, column: column.name, transform: t.kind } : { model: name, column: column.name, transform: t.kind, keeps });
        edges.set(key, list);
      }
    }
    return edges;
  }
}

/**
 * The select item that writes the column: its own, else (a dbt-style `SELECT * FROM final`, a
 * UNION) the item of the CTE or branch it comes from, outermost first, as the diff places changes.
 */
function columnLocation(model: CompiledModel, column: string): ReportSpan | undefined {
  const lower = column.toLowerCase();
  const col = model.columns.find((c) => c.name.toLowerCase() === lower);
  const span = col?.span ?? col?.via?.[0];
  if (!span) return undefined;
  return { file: model.file, line: span.line, col: span.col, side: "head" };
}

function classificationLocation(model: CompiledModel, column: string): ReportSpan | undefined {
  return tomlLocation(model.config, [`classification.${column}`, "classification"]);
}

function tomlLocation(config: ModelConfig, keys: readonly string[]): ReportSpan | undefined {
  for (const key of keys) {
    const loc = config.locations[key];
    if (loc) return { file: loc.file, line: loc.line, col: loc.col, side: "head" };
  }
  return undefined;
}

function spanField(span: ReportSpan | undefined): { span?: ReportSpan } {
  return span ? { span } : {};
}

/** W004 once per unresolved (model, column), as the engine's rule reports it, for consumers that want diagnostics. */
function unmaskedDiagnostics(exceptions: readonly ComplianceException[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of exceptions) {
    if (e.via_lineage) continue;
    const key = `${e.model}\u0000${e.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const envs = exceptions.filter((x) => !x.via_lineage && x.model === e.model && x.column === e.column).map((x) => x.env);
    const span = e.span ? { file: e.span.file, line: e.span.line, col: e.span.col } : undefined;
    out.push(
      createDiagnostic("W004", `column '${e.column}' is classified '${e.tag}' but no masking strategy resolves in ${envs.join(", ")}`, {
        model: e.model,
        ...(span ? { span } : {}),
      }),
    );
  }
  return out;
}

function columnKey(model: string, column: string): string {
  return `${model}\u0000${column.toLowerCase()}`;
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort((a, b) => compareText(a[0], b[0]));
}

/** Byte-wise order, like Rust's BTreeMap over String. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
