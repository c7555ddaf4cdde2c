import { markdownTable } from "markdown-table";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { textTable } from "../render/text-table.js";
import { formatUsd } from "./format-usd.js";
import type { CostReportDetail } from "./cost-types.js";

/**
 * `rocky preview cost` output (rocky-compat.md §3.3, `PreviewCostOutput`), from a projected cost
 * report: "branch" is the PR head, "base" the merge-base. Rocky pairs two recorded runs; we pair
 * the projected before/after of every changed and downstream model, and add `basis`/`confidence`
 * per model (additive fields). `skipped_via_copy` is true for models that exist only on base (a
 * removed model costs nothing on the branch); the text and Markdown tables say `removed` in the
 * `copied` column, since nothing is copied: the model is gone.
 */
export interface PreviewCostModel {
  readonly model_name: string;
  readonly branch_cost_usd?: number;
  readonly base_cost_usd?: number;
  readonly delta_usd?: number;
  readonly branch_duration_ms: number;
  readonly base_duration_ms: number;
  readonly branch_bytes_scanned?: number;
  readonly base_bytes_scanned?: number;
  readonly skipped_via_copy: boolean;
  readonly basis: string;
  readonly confidence: string;
  /** Runs per month on the branch's schedule (`daily`, `hourly`, a cron), and base's when the PR changes it (additive). */
  readonly schedule: string;
  readonly base_schedule?: string;
  /** Branch cost × its runs per month minus base cost × base's (additive): what a schedule change does, which no run shows. */
  readonly delta_usd_per_month?: number;
  /** What the PR changes here that the projection cannot price (ModelCost.unpriced); absent when none. */
  readonly unpriced?: readonly string[];
}

export interface PreviewCostOutput {
  readonly version: string;
  readonly command: "preview-cost";
  readonly branch_name: string;
  readonly branch_run_id: string;
  readonly base_run_id?: string;
  readonly per_model: readonly PreviewCostModel[];
  readonly summary: {
    readonly delta_usd?: number;
    readonly total_branch_cost_usd?: number;
    readonly total_base_cost_usd?: number;
    readonly savings_from_copy_usd?: number;
    /** Per month, on each model's schedule (base's for the base side): additive to Rocky's per-run shape. */
    readonly delta_usd_per_month?: number;
    readonly total_branch_cost_usd_per_month?: number;
    readonly total_base_cost_usd_per_month?: number;
    readonly total_branch_duration_ms: number;
    readonly total_branch_bytes_scanned?: number;
    readonly models_skipped_via_copy: number;
    /** Models left out of `per_model` and of every total: they do not compile on the branch (`not_priced`). */
    readonly models_not_priced: number;
  };
  /** The models that do not compile on the branch, so have no cost to project; absent when none. */
  readonly not_priced?: readonly string[];
  /** Their errors (as `lineage-diff` and `ci-diff` give them); absent when none. */
  readonly diagnostics?: readonly Diagnostic[];
  readonly projected_budget_breaches: readonly { readonly limit_type: string; readonly limit: number; readonly actual: number }[];
  readonly projected_per_model_budget_breaches: readonly {
    readonly model_name: string;
    readonly limit_type: string;
    readonly limit: number;
    readonly actual: number;
    readonly on_breach: string;
  }[];
  readonly markdown: string;
}

export interface PreviewCostOptions {
  readonly branchName: string;
  readonly baseRef: string;
  /** Our projection has no run; the id names the projection. */
  readonly branchRunId?: string;
  readonly version?: string;
  /**
   * The errors of the head models that do not compile (review-pull-request.ts, uncomparedModels), the
   * same models the report was computed with as `notPriced`: listed under "Not priced".
   */
  readonly uncompared?: readonly Diagnostic[];
}

export function toPreviewCostOutput(report: CostReportDetail, options: PreviewCostOptions): PreviewCostOutput {
  const perModel: PreviewCostModel[] = report.models.map((m) => {
    const optional = <K extends string>(key: K, v: number | null | undefined) => (v === null || v === undefined ? {} : ({ [key]: v } as Record<K, number>));
    return {
      model_name: m.model,
      ...optional("branch_cost_usd", m.afterPerRun),
      ...optional("base_cost_usd", m.beforePerRun),
      ...optional("delta_usd", m.deltaPerRun),
      branch_duration_ms: Math.round(m.after?.durationMs ?? 0),
      base_duration_ms: Math.round(m.before?.durationMs ?? 0),
      ...optional("branch_bytes_scanned", m.after?.bytes === undefined ? undefined : Math.round(m.after.bytes)),
      ...optional("base_bytes_scanned", m.before?.bytes === undefined ? undefined : Math.round(m.before.bytes)),
      skipped_via_copy: m.role === "removed",
      basis: m.basis,
      confidence: m.confidence,
      schedule: m.schedule,
      ...(m.baseSchedule !== undefined ? { base_schedule: m.baseSchedule } : {}),
      ...optional("delta_usd_per_month", m.deltaPerMonth),
      ...(m.unpriced && m.unpriced.length > 0 ? { unpriced: m.unpriced } : {}),
    };
  });
  const sum = (pick: (m: PreviewCostModel) => number | undefined) => {
    const values = perModel.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  const copied = perModel.filter((m) => m.skipped_via_copy);
  const savings = copied.reduce((s, m) => s + (m.base_cost_usd ?? 0), 0);
  const summary: PreviewCostOutput["summary"] = {
    ...defined("delta_usd", sum((m) => m.delta_usd)),
    ...defined("total_branch_cost_usd", sum((m) => m.branch_cost_usd)),
    ...defined("total_base_cost_usd", sum((m) => m.base_cost_usd)),
    ...(copied.length > 0 ? { savings_from_copy_usd: savings } : {}),
    ...defined("delta_usd_per_month", report.totals.deltaPerMonth ?? undefined),
    ...defined("total_branch_cost_usd_per_month", report.totals.afterPerMonth ?? undefined),
    ...defined("total_base_cost_usd_per_month", report.totals.beforePerMonth ?? undefined),
    total_branch_duration_ms: perModel.reduce((s, m) => s + m.branch_duration_ms, 0),
    ...defined("total_branch_bytes_scanned", sum((m) => m.branch_bytes_scanned)),
    models_skipped_via_copy: copied.length,
    models_not_priced: report.notPriced?.length ?? 0,
  };
  const errors = (options.uncompared ?? []).filter((d) => d.model !== undefined && report.notPriced?.includes(d.model));
  const project = report.budgetBreaches.filter((b) => b.scope === "project").map((b) => ({ limit_type: b.limit_type, limit: b.limit, actual: b.actual }));
  const perModelBreaches = report.budgetBreaches
    .filter((b) => b.scope === "model")
    .map((b) => ({ model_name: b.model ?? "", limit_type: b.limit_type, limit: b.limit, actual: b.actual, on_breach: b.on_breach }));
  const base = {
    version: options.version ?? "0.1.0",
    command: "preview-cost" as const,
    branch_name: options.branchName,
    branch_run_id: options.branchRunId ?? `projection:${options.branchName}`,
    per_model: perModel,
    summary,
    projected_budget_breaches: project,
    projected_per_model_budget_breaches: perModelBreaches,
    ...(report.notPriced !== undefined && report.notPriced.length > 0 ? { not_priced: report.notPriced } : {}),
    ...(errors.length > 0 ? { diagnostics: errors } : {}),
  };
  return { ...base, markdown: renderPreviewCostMarkdown(base, options.baseRef, report) };
}

function defined<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}

const money = (n: number | undefined): string => (n === undefined ? "—" : formatUsd(n));
const signed = (n: number | undefined): string => (n === undefined ? "—" : n > 0 ? `+${formatUsd(n)}` : formatUsd(n));
const ms = (n: number): string => (n === 0 ? "—" : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);
const code = (s: string): string => `\`${s.replace(/`/g, "ˋ").replace(/\|/g, "\\|")}\``;

/** Rocky's preview-cost Markdown: a header line, a summary line, the per-model table, and the budget projection when breached. */
export function renderPreviewCostMarkdown(output: Omit<PreviewCostOutput, "markdown">, baseRef: string, report: CostReportDetail): string {
  const s = output.summary;
  const left = leftOut(output, code);
  const lines = [
    `**Preview cost** — branch ${code(output.branch_name)} vs ${code(baseRef)}`,
    "",
    `Δ **${signed(s.delta_usd)}** per run · branch ${money(s.total_branch_cost_usd)} · base ${money(s.total_base_cost_usd)} · copy savings ${money(s.savings_from_copy_usd ?? 0)}${left === undefined ? "" : ` · leaves out ${left}`}`,
    "",
  ];
  const monthly = monthlyLine(output);
  if (monthly !== undefined) lines.splice(3, 0, "", `Δ **${monthly.delta}** per month · ${monthly.rest.join(" · ")}`);
  if (output.per_model.length === 0) {
    lines.push(left === undefined ? "_No models to price._" : "_No other model to price._");
  } else {
    lines.push(
      markdownTable([
        ["model", "branch $", "base $", "Δ $", "branch dur", "base dur", "copied", "basis"],
        ...output.per_model.map((m) => [
          code(m.model_name),
          money(m.branch_cost_usd),
          money(m.base_cost_usd),
          signed(m.delta_usd),
          ms(m.branch_duration_ms),
          ms(m.base_duration_ms),
          m.skipped_via_copy ? "removed" : "",
          `${m.basis} (${m.confidence})`,
        ]),
      ]),
    );
  }
  const unpriced = unpricedLines(output, code);
  if (unpriced.length > 0) lines.push("", ...unpriced.map((l) => `⚠️ ${l}`));
  const breaches = report.budgetBreaches;
  if (breaches.length > 0) {
    const blocking = breaches.some((b) => b.on_breach === "error");
    lines.push("", `#### Budget projection (${blocking ? "blocking" : "advisory"})`, "");
    if (output.projected_budget_breaches.length > 0) {
      lines.push(markdownTable([["limit", "ceiling", "projected"], ...output.projected_budget_breaches.map((b) => [b.limit_type, String(b.limit), String(round(b.actual))])]), "");
    }
    if (output.projected_per_model_budget_breaches.length > 0) {
      lines.push(
        markdownTable([
          ["model", "limit", "ceiling", "projected", "on_breach"],
          ...output.projected_per_model_budget_breaches.map((b) => [code(b.model_name), b.limit_type, String(b.limit), String(round(b.actual)), b.on_breach]),
        ]),
      );
    }
  }
  if (output.not_priced !== undefined) {
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    const one = output.not_priced.length === 1;
    lines.push("", "#### Not priced", "", `${one ? "This model does not compile" : "These models do not compile"} on ${code(output.branch_name)}, so ${one ? "it has" : "they have"} no cost to project and the totals above leave ${one ? "it" : "them"} out:`, "");
    const errors = output.diagnostics ?? [];
    for (const model of output.not_priced) {
      const own = errors.filter((d) => d.model === model);
      if (own.length === 0) lines.push(`- ${code(model)}`);
      for (const d of own) lines.push(`- ${code(model)}: ${d.code} ${cellText(d.message)}${d.span ? ` (${code(`${d.span.file}:${d.span.line}:${d.span.col}`)})` : ""}`);
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** "1 model that does not compile on HEAD (a)", or undefined when no model was left out. */
function leftOut(output: Omit<PreviewCostOutput, "markdown">, name: (s: string) => string): string | undefined {
  const names = output.not_priced;
  if (names === undefined || names.length === 0) return undefined;
  return `${names.length === 1 ? "1 model that does not compile" : `${names.length} models that do not compile`} on ${name(output.branch_name)} (${names.map(name).join(", ")})`;
}

/**
 * `Δ +$2,063 per month; branch $2,151, base $88.40; 8 models change schedule (daily → hourly)`: the
 * per-run line cannot show a schedule change, which multiplies the monthly spend while no run costs more.
 */
function monthlyLine(output: Omit<PreviewCostOutput, "markdown">): { delta: string; rest: string[] } | undefined {
  const s = output.summary;
  if (s.delta_usd_per_month === undefined) return undefined;
  const moved = output.per_model.filter((m) => m.base_schedule !== undefined);
  const changes = [...new Set(moved.map((m) => `${m.base_schedule} → ${m.schedule}`))];
  const rest = [`branch ${money(s.total_branch_cost_usd_per_month)}, base ${money(s.total_base_cost_usd_per_month)}`];
  if (moved.length > 0) rest.push(`${moved.length === 1 ? "1 model changes" : `${moved.length} models change`} schedule (${changes.join(", ")})`);
  return { delta: signed(s.delta_usd_per_month), rest };
}

/** One line per model whose change the projection cannot price: its Δ is not evidence of no change. */
function unpricedLines(output: Omit<PreviewCostOutput, "markdown">, name: (s: string) => string): string[] {
  return output.per_model
    .filter((m) => m.unpriced !== undefined)
    .map((m) => `${name(m.model_name)}: not priced: ${(m.unpriced ?? []).join(", ")}. The estimate does not see this change, so its Δ leaves it out: compare the run cost after it runs.`);
}

function cellText(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * `rocky preview cost --output text`: the Markdown's content for a terminal, tables aligned in plain
 * text. (The errors of the models not priced are the shell's to render, with their source lines.)
 */
export function renderPreviewCostText(output: Omit<PreviewCostOutput, "markdown">, baseRef: string, report: CostReportDetail): string {
  const s = output.summary;
  const left = leftOut(output, (n) => n);
  const lines = [
    `Preview cost: branch ${output.branch_name} vs ${baseRef}`,
    "",
    `Δ ${signed(s.delta_usd)} per run; branch ${money(s.total_branch_cost_usd)}, base ${money(s.total_base_cost_usd)}, copy savings ${money(s.savings_from_copy_usd ?? 0)}${left === undefined ? "" : `; leaves out ${left}`}`,
    "",
  ];
  const monthly = monthlyLine(output);
  if (monthly !== undefined) lines.splice(3, 0, `Δ ${monthly.delta} per month; ${monthly.rest.join("; ")}`);
  if (output.per_model.length === 0) lines.push(left === undefined ? "No models to price." : "No other model to price.");
  else {
    // "copied" only when a model was: an empty column pushed the table past 80 columns.
    const copied = output.per_model.some((m) => m.skipped_via_copy);
    const rows = output.per_model.map((m) => [m.model_name, money(m.branch_cost_usd), money(m.base_cost_usd), signed(m.delta_usd), ms(m.branch_duration_ms), ms(m.base_duration_ms), ...(copied ? [m.skipped_via_copy ? "removed" : ""] : []), `${m.basis} (${m.confidence})`]);
    lines.push(...textTable([["model", "branch $", "base $", "Δ $", "branch dur", "base dur", ...(copied ? ["copied"] : []), "basis"], ...rows]).map((l) => `  ${l}`));
  }
  const unpriced = unpricedLines(output, (n) => n);
  if (unpriced.length > 0) lines.push("", ...unpriced);
  const breaches = report.budgetBreaches;
  if (breaches.length > 0) {
    lines.push("", `Budget projection (${breaches.some((b) => b.on_breach === "error") ? "blocking" : "advisory"}):`);
    if (output.projected_budget_breaches.length > 0) {
      lines.push(...textTable([["limit", "ceiling", "projected"], ...output.projected_budget_breaches.map((b) => [b.limit_type, String(b.limit), String(round(b.actual))])]).map((l) => `  ${l}`));
    }
    if (output.projected_per_model_budget_breaches.length > 0) {
      const rows = output.projected_per_model_budget_breaches.map((b) => [b.model_name, b.limit_type, String(b.limit), String(round(b.actual)), b.on_breach]);
      lines.push(...textTable([["model", "limit", "ceiling", "projected", "on_breach"], ...rows]).map((l) => `  ${l}`));
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(4));
}
