import type { Diagnostic, DiagnosticSpan, Severity } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { BudgetConfig, TomlLocation } from "../project/types.js";
import type { CostEstimate } from "./static-cost.js";

export interface BudgetCheckModel {
  readonly name: string;
  /** The model file, for the span when the sidecar has no `[budget]` location. */
  readonly file?: string;
  readonly sidecarFile?: string;
  /** The sidecar `[budget]` block, if any. A model without one is not checked (Rocky). */
  readonly budget?: BudgetConfig;
  /** Where `[budget]` was written (ModelConfig.locations.budget). */
  readonly budgetLocation?: TomlLocation;
}

export interface BudgetCheckOptions {
  /** rocky.toml `[budget]`: fills the fields a model's `[budget]` leaves unset. */
  readonly projectBudget?: BudgetConfig;
  /** Where rocky.toml `[budget]` was written, for the project-level finding. */
  readonly projectBudgetLocation?: TomlLocation;
}

/** A model's budget: its own fields, else the project's; a per-model `on_breach` wins. */
export function effectiveBudget(model: BudgetConfig | undefined, project: BudgetConfig | undefined): BudgetConfig | undefined {
  if (model === undefined) return undefined;
  return { ...(project ?? {}), ...stripUndefined(model) };
}

function stripUndefined(b: BudgetConfig): BudgetConfig {
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as BudgetConfig;
}

/** `on_breach = "warn"` makes E027 a Warning; `"error"` or unset keeps Rocky's compile-time Error. */
function severityOf(b: BudgetConfig): Severity {
  return b.on_breach === "warn" ? "Warning" : "Error";
}

const usd = (n: number): string => `$${n.toFixed(4)}`;

function spanOf(m: BudgetCheckModel): DiagnosticSpan | undefined {
  if (m.budgetLocation) return { file: m.budgetLocation.file, line: m.budgetLocation.line, col: m.budgetLocation.col };
  const file = m.sidecarFile ?? m.file;
  return file === undefined ? undefined : { file, line: 1, col: 1 };
}

/**
 * E027 per model (Rocky `cost_check.rs`): the projected cost above `max_usd`, or projected bytes
 * above `max_bytes_scanned` — one diagnostic per breached ceiling; equality does not breach.
 * `max_duration_ms` needs observed runs and is not checked statically.
 */
export function checkBudget(
  models: readonly BudgetCheckModel[],
  estimates: ReadonlyMap<string, CostEstimate>,
  options: BudgetCheckOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of models) {
    const budget = effectiveBudget(m.budget, options.projectBudget);
    const estimate = estimates.get(m.name);
    if (budget === undefined || estimate === undefined) continue;
    const args = { model: m.name, span: spanOf(m), severity: severityOf(budget) };
    if (budget.max_usd !== undefined && estimate.estimated_cost_usd > budget.max_usd) {
      out.push(
        createDiagnostic("E027", `budget exceeded — projected ${usd(estimate.estimated_cost_usd)} > ceiling ${usd(budget.max_usd)}`, {
          ...args,
          suggestion: `raise [budget] max_usd above ${usd(budget.max_usd)} in the model sidecar, or reduce the query's scan volume`,
        }),
      );
    }
    if (budget.max_bytes_scanned !== undefined && estimate.estimated_bytes > budget.max_bytes_scanned) {
      out.push(
        createDiagnostic("E027", `budget exceeded — projected ${estimate.estimated_bytes} bytes > ceiling ${budget.max_bytes_scanned} bytes scanned`, {
          ...args,
          suggestion: `raise [budget] max_bytes_scanned above ${budget.max_bytes_scanned} in the model sidecar, or reduce the query's scan volume`,
        }),
      );
    }
  }
  return out;
}

/**
 * E027 for the project: the summed projection of a run against rocky.toml `[budget]` (`max_usd`,
 * `max_bytes_scanned`). Rocky's project `on_breach` defaults to `warn`.
 */
export function checkProjectBudget(total: CostEstimate, budget: BudgetConfig | undefined, location?: TomlLocation): Diagnostic[] {
  if (budget === undefined) return [];
  const severity: Severity = budget.on_breach === "error" ? "Error" : "Warning";
  const span = location ? { file: location.file, line: location.line, col: location.col } : { file: "rocky.toml", line: 1, col: 1 };
  const out: Diagnostic[] = [];
  if (budget.max_usd !== undefined && total.estimated_cost_usd > budget.max_usd) {
    out.push(
      createDiagnostic("E027", `project budget exceeded — projected ${usd(total.estimated_cost_usd)} per run > ceiling ${usd(budget.max_usd)}`, {
        span,
        severity,
        suggestion: `raise rocky.toml [budget] max_usd above ${usd(budget.max_usd)}, or reduce the scan volume of the most expensive models`,
      }),
    );
  }
  if (budget.max_bytes_scanned !== undefined && total.estimated_bytes > budget.max_bytes_scanned) {
    out.push(
      createDiagnostic("E027", `project budget exceeded — projected ${total.estimated_bytes} bytes per run > ceiling ${budget.max_bytes_scanned} bytes scanned`, {
        span,
        severity,
        suggestion: `raise rocky.toml [budget] max_bytes_scanned above ${budget.max_bytes_scanned}, or reduce the scan volume of the most expensive models`,
      }),
    );
  }
  return out;
}
