import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import type { DiagnosticSpan, Severity } from "../../../engine/src/diagnostics/diagnostic.js";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import type { BudgetConfig } from "../../../engine/src/project/types.js";
import { projectConfig } from "../report/project-access.js";
import type { BudgetBreach } from "../report/types.js";
import type { CostSide, ModelCostDetail } from "./cost-types.js";
import { formatUsd } from "./format-usd.js";
import type { ModelStaticCost } from "./static-estimate.js";

type LimitType = BudgetBreach["limit_type"];

interface Dimension {
  readonly limit: LimitType;
  readonly pick: (side: CostSide | null) => number | undefined;
  readonly format: (n: number) => string;
}

/** What each `[budget]` ceiling is compared with. Duration and bytes only when measured (observed runs or table statistics). */
const DIMENSIONS: readonly Dimension[] = [
  { limit: "max_usd", pick: (s) => s?.usd ?? undefined, format: (n) => formatUsd(n) },
  { limit: "max_duration_ms", pick: (s) => (s?.basis === "observed" ? s.durationMs : undefined), format: (n) => `${Math.round(n)} ms` },
  { limit: "max_bytes_scanned", pick: (s) => (s?.basis === "static" ? undefined : s?.bytes), format: (n) => `${Math.round(n)} bytes` },
];

export interface BudgetInput {
  readonly rows: readonly ModelCostDetail[];
  readonly head: CompiledProject;
  readonly base?: CompiledProject;
  readonly headStatic: ReadonlyMap<string, ModelStaticCost>;
  readonly baseStatic: ReadonlyMap<string, ModelStaticCost>;
  /** Observed cost per run of the models the PR leaves alone (no row): the project total uses it before their static estimate. */
  readonly observedElsewhere?: ReadonlyMap<string, number>;
  /** Head models that do not compile: left out of the project's total on both sides (CostData.notPriced). */
  readonly notPriced?: ReadonlySet<string>;
}

/**
 * E027 per model (its sidecar `[budget]`) and for the project (rocky.toml `[budget]` against the
 * sum of a whole run), on the projected "after" figures. A breach is reported when this PR makes
 * it: the ceiling is exceeded after and was not before, or the PR raises a figure that already
 * exceeded it; a model already over the same budget that this PR leaves as it was is not noise here.
 * Severity: Error when `on_breach = "error"`, otherwise Warning: Rocky's default is `warn`, and a
 * projection is a plan-time check, where Rocky honours it (its compile-time E027 is always an
 * Error). A model without `on_breach` follows the project's `[budget] on_breach`.
 * A ceiling added by this PR counts as crossed by it.
 */
export function evaluateBudgets(input: BudgetInput): BudgetBreach[] {
  const out: BudgetBreach[] = [];
  for (const row of input.rows) {
    const model = input.head.models.get(row.model);
    if (!model || row.role === "removed" || !model.config.budget) continue;
    const baseModel = row.role === "added" ? undefined : input.base?.models.get(row.model);
    out.push(...modelBreaches(model, model.config.budget, row, baseModel?.config.budget, projectConfig(input.head).budget?.on_breach));
  }
  out.push(...projectBreaches(input));
  return out;
}

function modelBreaches(
  model: CompiledModel,
  budget: BudgetConfig,
  row: ModelCostDetail,
  baseBudget: BudgetConfig | undefined,
  projectOnBreach: BudgetConfig["on_breach"],
): BudgetBreach[] {
  // Rocky's default is warn (rocky-compat.md §2.3); a projection is plan-time, where Rocky honours it.
  const onBreach = budget.on_breach ?? projectOnBreach ?? "warn";
  const severity: Severity = onBreach === "warn" ? "Warning" : "Error";
  const out: BudgetBreach[] = [];
  for (const d of DIMENSIONS) {
    const limit = budget[d.limit];
    const actual = d.pick(row.after);
    if (limit === undefined || actual === undefined) continue;
    if (!breaches(actual, limit, d.pick(row.before), baseBudget?.[d.limit])) continue;
    const basis = row.after?.basis ?? "static";
    const span = budgetSpan(model, d.limit);
    const diagnostic = createDiagnostic("E027", `budget exceeded — projected ${d.format(actual)} per run > ceiling ${d.format(limit)} (${d.limit}, ${basis})`, {
      model: model.name,
      severity,
      ...(span ? { span } : {}),
      suggestion: `raise [budget] ${d.limit} in ${model.sidecarFile ?? "the model sidecar"}, or cut the model's scan volume`,
    });
    out.push({ scope: "model", model: model.name, limit_type: d.limit, limit, actual, on_breach: onBreach, diagnostic });
  }
  return out;
}

function projectBreaches(input: BudgetInput): BudgetBreach[] {
  const budget = projectConfig(input.head).budget;
  if (budget?.max_usd === undefined) return [];
  const headRows = new Map(input.rows.filter((r) => r.role !== "removed").map((r) => [r.model, r]));
  const baseRows = new Map(input.rows.filter((r) => r.role !== "added").map((r) => [r.model, r]));
  const total = (project: CompiledProject | undefined, side: "head" | "base", estimates: ReadonlyMap<string, ModelStaticCost>): number | undefined => {
    if (!project) return undefined;
    let sum = 0;
    for (const name of project.models.keys()) {
      if (input.notPriced?.has(name)) continue;
      const row = (side === "head" ? headRows : baseRows).get(name);
      const figure = row ? (side === "head" ? row.afterPerRun : row.beforePerRun) : undefined;
      sum += figure ?? input.observedElsewhere?.get(name) ?? estimates.get(name)?.usd ?? 0;
    }
    return sum;
  };
  const after = total(input.head, "head", input.headStatic) ?? 0;
  const before = total(input.base, "base", input.baseStatic);
  if (!breaches(after, budget.max_usd, before, (input.base ? projectConfig(input.base).budget?.max_usd : undefined))) return [];
  const onBreach = budget.on_breach ?? "warn";
  const diagnostic = createDiagnostic(
    "E027",
    `project budget exceeded — projected ${formatUsd(after)} per run > ceiling ${formatUsd(budget.max_usd)} (max_usd)`,
    {
      severity: onBreach === "error" ? "Error" : "Warning",
      suggestion: "raise rocky.toml [budget] max_usd, or cut the scan volume of the most expensive models",
    },
  );
  return [{ scope: "project", limit_type: "max_usd", limit: budget.max_usd, actual: after, on_breach: onBreach, diagnostic }];
}

/**
 * Over the ceiling after, unless it is pre-existing: base had a ceiling, was already over it,
 * and this PR does not raise the figure.
 */
function breaches(actual: number, limit: number, before: number | undefined, baseLimit: number | undefined): boolean {
  if (!(actual > limit)) return false;
  if (before === undefined || baseLimit === undefined) return true;
  return before <= baseLimit || actual > before;
}

function budgetSpan(model: CompiledModel, limit: LimitType): DiagnosticSpan | undefined {
  const loc = model.config.locations[`budget.${limit}`] ?? model.config.locations.budget;
  return loc ? { file: loc.file, line: loc.line, col: loc.col } : undefined;
}
