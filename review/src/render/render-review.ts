import { DEFAULT_FAIL_ON, type FailOnPolicy, type RenderedCheck, type RenderedReview, type Verdict } from "../report/rendered.js";
import type { ReviewReport } from "../report/types.js";
import { buildChecks } from "./checks.js";
import { plain, truncateEnd } from "./escape.js";
import { collectFindingsForRender, countFindings, type DeferredFindings, type Finding } from "./findings.js";
import { type BudgetStep, fitToBudget, measureChars } from "./fit-to-budget.js";
import { plural, tidyMarkdown } from "./format.js";
import { buildInlineCommentsCapped, currentFingerprints, type HeadFiles } from "./inline-comments.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import { renderTemplate } from "./template-engine.js";
import { DEFAULT_TEMPLATES, type Templates } from "./templates.js";
import { buildCommentView, type DetailLevel, FULL_DETAIL } from "./view-model.js";

/** The comment body limit: GitHub's 65,536 characters minus room for the publisher's marker and stamp. */
export const COMMENT_MAX_CHARS = 65_000;

/** The hidden marker the publisher puts first in the sticky comment (review/src/github/markers.ts). */
export const COMMENT_MARKER = "<!-- rocky-review:v1 -->";

export interface RenderOptions {
  /** Per-check fail-on levels; unspecified checks use DEFAULT_FAIL_ON. */
  readonly failOn?: Partial<FailOnPolicy>;
  /** Comment size limit in characters (default 65,000). */
  readonly maxCommentChars?: number;
  /** Where the full report lives (an artifact or a job URL), named when something is trimmed. */
  readonly reportUrl?: string;
  /** Templates (default: the bundled copy of comment-templates/). */
  readonly templates?: Templates;
  /** Head files' text (project-relative), for P001 suggestion blocks. Without it, P001 inline comments carry the replacement as help text. */
  readonly headFiles?: HeadFiles;
  /** Base files' text (project-relative): the identity of an inline comment on a deleted line is that line's text. */
  readonly baseFiles?: ProjectFiles;
  /** At most this many inline comments (default 50, worst first). */
  readonly maxInlineComments?: number;
}

/**
 * The steps the comment goes through when it does not fit, least important detail first:
 * info → warnings' rows → long consumer lists → the Mermaid graph → cost rows of models whose
 * cost does not change → table rows (50, 20, 8, 3).
 */
export const COMMENT_STEPS: readonly BudgetStep<DetailLevel>[] = (() => {
  const steps: BudgetStep<DetailLevel>[] = [{ level: FULL_DETAIL }];
  let level = FULL_DETAIL;
  const add = (patch: Partial<DetailLevel>, key: string, label: string) => {
    level = { ...level, ...patch };
    steps.push({ level, drops: { key, label } });
  };
  add({ info: false }, "info", "info-level findings");
  add({ warningRows: false }, "warnings", "rows of lower-severity warnings (they are counted above)");
  add({ consumersPerRow: 3 }, "consumers", "consumer lists beyond 3 per changed column");
  add({ mermaid: false }, "mermaid", "the lineage graph");
  add({ unchangedCostRows: false }, "cost", "cost rows of models whose cost does not change");
  add({ maxRows: 50 }, "rows", "table rows beyond 50");
  add({ maxRows: 20, consumersPerRow: 1, topFindings: 5 }, "rows", "table rows beyond 20");
  add({ maxRows: 8, consumersPerRow: 0 }, "rows", "table rows beyond 8");
  add({ maxRows: 3, topFindings: 3 }, "rows", "table rows beyond 3");
  return steps;
})();

/** Render a report into what the publishers post: the comment, one check per concern, inline comments. Pure. */
export function renderReview(report: ReviewReport, options: RenderOptions = {}): RenderedReview {
  const templates = options.templates ?? DEFAULT_TEMPLATES;
  const failOn: FailOnPolicy = { ...DEFAULT_FAIL_ON, ...options.failOn };
  // A project's standing (pre-existing) compile diagnostics are only counted and listed in the compile check: they stay diagnostics until a row shows one.
  const { findings, preExistingCompile } = collectFindingsForRender(report);
  const counts = countFindings(findings);
  const checks = buildChecks({ report, findings, preExistingCompile, failOn, templates, ...(options.reportUrl ? { reportUrl: options.reportUrl } : {}) });
  const verdict = verdictOf(checks, report.touchesNoModels);
  const comment = renderComment(report, findings, preExistingCompile, verdict, counts, templates, options);
  const fingerprints = currentFingerprints(report, findings, options.headFiles, options.baseFiles);
  const inline = report.touchesNoModels ? { comments: [], overCap: 0 } : buildInlineCommentsCapped(report, findings, options.headFiles, options.maxInlineComments, options.baseFiles);
  return {
    reportVersion: report.version,
    verdict,
    counts,
    comment,
    headline: headline(verdict, counts, findings),
    checks,
    inlineComments: inline.comments,
    ...(inline.overCap > 0 ? { inlineCommentsOverCap: inline.overCap } : {}),
    ...(fingerprints ? { findingFingerprints: fingerprints } : {}),
    touchesNoModels: report.touchesNoModels,
    outputs: {
      changedColumns: report.columnChanges.length,
      blastRadius: report.blastRadius.totalConsumers,
      costDeltaUsdPerMonth: report.cost?.totals.deltaPerMonth ?? null,
    },
  };
}

/** fail when any check fails, advisory when any is neutral, else pass. */
export function verdictOf(checks: readonly RenderedCheck[], touchesNoModels: boolean): Verdict {
  if (touchesNoModels) return "pass";
  if (checks.some((c) => c.conclusion === "failure")) return "fail";
  if (checks.some((c) => c.conclusion === "neutral")) return "advisory";
  return "pass";
}

function renderComment(
  report: ReviewReport,
  findings: readonly Finding[],
  preExistingCompile: DeferredFindings,
  verdict: Verdict,
  counts: RenderedReview["counts"],
  templates: Templates,
  options: RenderOptions,
): string {
  const limit = options.maxCommentChars ?? COMMENT_MAX_CHARS;
  return fitToBudget(
    COMMENT_STEPS,
    (level, dropped) => {
      const view = buildCommentView({ report, findings, preExistingCompile: preExistingCompile.length, verdict, counts, dropped, ...(options.reportUrl ? { reportUrl: options.reportUrl } : {}) }, level);
      return tidyMarkdown(renderTemplate(templates.comment, view, templates, "comment"));
    },
    limit,
    measureChars,
  ).text;
}

function headline(verdict: Verdict, counts: RenderedReview["counts"], findings: readonly Finding[]): string {
  const icon = { pass: "✅", advisory: "⚠️", fail: "❌" }[verdict];
  const worst = findings.find((f) => f.isNew && f.severity !== "info");
  const tally = `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}`;
  const about = worst ? ` — ${worst.code}${worst.model ? ` on ${worst.model}${worst.column ? `.${worst.column}` : ""}` : ""}` : "";
  return truncateEnd(plain(`${icon} Rocky review: ${verdict} (${tally})${about}`), 255);
}

/** Exactly the comment body the bot posts, with the marker line first: what `rocky review --output markdown` prints. */
export function renderMarkdownForCli(report: ReviewReport, options: RenderOptions = {}): string {
  return `${COMMENT_MARKER}\n${renderReview(report, options).comment}`;
}
