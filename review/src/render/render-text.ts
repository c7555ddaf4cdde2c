import type { ReviewReport } from "../report/types.js";
import { costsNothing } from "../report/types.js";
import { oneLine } from "./escape.js";
import { collectFindings, countFindings } from "./findings.js";
import { formatDeltaUsd, formatUsdOrDash, plural } from "./format.js";
import { renderReview } from "./render-review.js";
import type { RenderOptions } from "./render-review.js";
import { foldRemovedModels, originLabel, reaches, renameReaders, scheduleLabel, spanPlace } from "./view-model.js";

/**
 * The review for a terminal: the verdict, findings rustc-style (`error[E011]: …`, `--> file:line:col`,
 * `= help:`), the blast radius per changed column, and the cost table. Plain text, no Markdown.
 */
export function renderText(report: ReviewReport, options: RenderOptions = {}): string {
  const rendered = renderReview(report, options);
  const findings = collectFindings(report).filter((f) => f.isNew);
  const counts = countFindings(findings);
  const out: string[] = [];
  out.push(`Rocky review: ${rendered.verdict.toUpperCase()} (${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.info, "notice")})`);
  if (report.touchesNoModels) {
    out.push("This change touches no model, contract or project configuration.");
    return `${out.join("\n")}\n`;
  }
  const { totalConsumers, totalModels, exposures } = report.blastRadius;
  // Only exposures read what changed (a moved table, a dashboard's dropped column): no "0 columns in 0 models".
  const reach = totalConsumers === 0 && exposures.length > 0 ? `${plural(exposures.length, "exposure")}, no downstream model` : `${plural(totalConsumers, "column")} in ${plural(totalModels, "model")}${exposures.length > 0 ? ` and ${plural(exposures.length, "exposure")}` : ""}`;
  out.push(`${plural(report.columnChanges.length, "changed column")}; blast radius ${reach}`);
  out.push("");
  for (const f of findings) {
    const label = f.severity === "info" ? "info" : f.severity;
    out.push(`${label}[${f.code}]: ${oneLine(f.message)}`);
    // Where the comment's table says it is, in plain text: a span on base says what became of its line or file.
    if (f.span) out.push(`  --> ${spanPlace(report, f.span, (s) => s)}`);
    if (f.help) out.push(`  = help: ${oneLine(f.help)}`);
  }
  if (findings.length > 0) out.push("");
  if (report.blastRadius.entries.length > 0) {
    out.push("Blast radius:");
    const reaching = foldRemovedModels(report.blastRadius.entries.filter(reaches), report);
    const alone = report.blastRadius.entries.filter((e) => !reaches(e)).length;
    for (const e of reaching) {
      const origin = e.rename ? `${originLabel(e)} (renamed from ${e.origin.column})` : originLabel(e);
      const names = e.consumers.slice(0, 5).map((c) => `${c.model}.${c.column}`);
      const more = e.consumers.length > 5 ? ` +${e.consumers.length - 5} more` : "";
      const own = e.exposures ?? [];
      const read = e.moved ? `the old table ${e.moved.from}, now ${e.moved.to}` : `${e.rename?.model ?? e.origin.model} directly`;
      const exposed = own.length === 0 ? "" : `${e.consumers.length > 0 ? "; " : ""}${own.length === 1 ? "exposure" : "exposures"} ${own.join(", ")} ${own.length === 1 ? "reads" : "read"} ${read}`;
      const downstream = e.consumers.length > 0 ? `${plural(e.consumers.length, "column")} in ${plural(e.models.length, "model")}: ${names.join(", ")}${more}${renameReaders(e).replace(" · ", "; ")}` : "";
      out.push(`  ${origin} -> ${downstream}${exposed}`);
    }
    // As the comment does: changes nothing reads are counted, not listed.
    if (alone > 0) out.push(`  ${plural(alone, reaching.length > 0 ? "other change" : "change")} with no downstream consumers`);
    out.push("");
  }
  const cost = report.cost;
  if (cost && cost.models.length > 0 && costsNothing(cost)) {
    out.push(`Projected cost (${cost.warehouse}): $0 per run for ${plural(cost.models.length, "changed or downstream model")}`);
    out.push("");
  } else if (cost && cost.models.length > 0) {
    out.push(`Projected cost (${cost.warehouse}): ${formatDeltaUsd(cost.totals.deltaPerMonth)}/month`);
    for (const m of cost.models) {
      out.push(`  ${m.model}: ${formatUsdOrDash(m.beforePerRun)} -> ${formatUsdOrDash(m.afterPerRun)} per run, ${formatDeltaUsd(m.deltaPerMonth)}/month (${scheduleLabel(m)}; ${m.basis}, ${m.confidence})`);
      // As the comment's headline: a $0 the estimate could not help showing is not "no change".
      if (m.unpriced && m.unpriced.length > 0) out.push(`    not priced: ${m.unpriced.join(", ")}; the estimate does not see this change: compare the run cost after it runs`);
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
