import { markdownTable } from "markdown-table";
import { CHECK_NAMES, type CheckAnnotation, type CheckConclusion, type CheckName, type FailOnLevel, type FailOnPolicy, type RenderedCheck } from "../report/rendered.js";
import { costsNothing, type ReviewReport, toRepoPath } from "../report/types.js";
import { cell, cellCode, codeSpan, plain, richCell, truncateEnd } from "./escape.js";
import type { DeferredFindings, Finding, FindingSeverity } from "./findings.js";
import { type BudgetStep, fitToBudget, measureBytes } from "./fit-to-budget.js";
import { formatCount, formatDeltaUsd, plural, tidyMarkdown } from "./format.js";
import { renderTemplate } from "./template-engine.js";
import type { Templates } from "./templates.js";
import { blastSection, breakingSection, complianceSection, costSection, type DetailLevel, FULL_DETAIL, type TableBlock, unpricedList, whereCell } from "./view-model.js";

/** GitHub's limits for check runs (bytes for summary/text; characters for the title). */
export const CHECK_TEXT_MAX_BYTES = 65_535;
export const ANNOTATION_TITLE_MAX = 255;
export const ANNOTATION_MESSAGE_MAX_BYTES = 64 * 1024 - 1;

const CHECK_LABEL: Record<CheckName, string> = {
  "rocky/compile": "Compile",
  "rocky/contracts": "Contracts and breaking changes",
  "rocky/masking": "Masking compliance",
  "rocky/portability": "Dialect portability",
  "rocky/cost": "Projected cost",
};

/**
 * A check's conclusion from the fail-on level: findings at or above the level → failure; any
 * Warning or Error below it → neutral (advisory); otherwise success (notices never make a check
 * neutral — they would be noise on every PR). A PR that touches no model → skipped.
 */
export function checkConclusion(findings: readonly Finding[], level: FailOnLevel, touchesNoModels: boolean): CheckConclusion {
  if (touchesNoModels) return "skipped";
  const fresh = findings.filter((f) => f.isNew);
  const has = (s: FindingSeverity) => fresh.some((f) => f.severity === s);
  if (level === "error" && has("error")) return "failure";
  if (level === "warning" && (has("error") || has("warning"))) return "failure";
  if (has("error") || has("warning")) return "neutral";
  return "success";
}

const LEVEL: Record<FindingSeverity, CheckAnnotation["annotation_level"]> = { error: "failure", warning: "warning", info: "notice" };

/** One annotation per new finding with a file and line on head (repo-relative path). */
export function annotationsFor(report: ReviewReport, findings: readonly Finding[]): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  for (const f of findings) {
    // A span on the merge-base side names a line the head commit may not have.
    if (!f.isNew || !f.span || f.span.base) continue;
    const endLine = f.span.endLine && f.span.endLine >= f.span.line ? f.span.endLine : f.span.line;
    const sameLine = endLine === f.span.line;
    const subject = f.model ? ` ${f.model}${f.column ? `.${f.column}` : ""}` : "";
    const message = plain(f.help ? `${f.message}\nhelp: ${f.help}` : f.message);
    out.push({
      path: toRepoPath(report.projectDir, f.span.file),
      start_line: f.span.line,
      end_line: endLine,
      ...(sameLine && f.span.col ? { start_column: f.span.col } : {}),
      ...(sameLine && f.span.col && f.span.endCol && f.span.endCol > f.span.col ? { end_column: f.span.endCol - 1 } : {}),
      annotation_level: LEVEL[f.severity],
      title: truncateEnd(plain(`${f.code}${subject}`), ANNOTATION_TITLE_MAX),
      message: truncateBytes(message, ANNOTATION_MESSAGE_MAX_BYTES),
    });
  }
  return out;
}

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, "utf8") <= max) return s;
  // A running count: measuring `out + ch` each time was quadratic (a 64 KB message took seconds).
  let used = 0;
  let out = "";
  for (const ch of s) {
    used += Buffer.byteLength(ch, "utf8");
    if (used > max - 3) break;
    out += ch;
  }
  return `${out}…`;
}

function titleFor(findings: readonly Finding[], conclusion: CheckConclusion): string {
  if (conclusion === "skipped") return "Skipped: this PR touches no model";
  const fresh = findings.filter((f) => f.isNew);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of fresh) counts[f.severity] += 1;
  if (fresh.length === 0) return "No new findings";
  // Notices alone leave a check clean: its title says so first, and names a notice only when it says more than "SQL changed".
  if (counts.error === 0 && counts.warning === 0) {
    const telling = fresh.find((f) => f.code !== "sql_body_changed");
    return truncateEnd(plain(`No errors or warnings · ${plural(counts.info, "notice")}${telling ? ` — ${telling.code}: ${telling.message}` : ""}`), ANNOTATION_TITLE_MAX);
  }
  const parts = [counts.error ? plural(counts.error, "error") : "", counts.warning ? plural(counts.warning, "warning") : "", counts.info ? plural(counts.info, "notice") : ""].filter(Boolean);
  const worst = fresh[0];
  return truncateEnd(plain(`${parts.join(", ")} — ${worst.code}: ${worst.message}`), ANNOTATION_TITLE_MAX);
}

const ICON: Record<FindingSeverity, string> = { error: "❌", warning: "⚠️", info: "ℹ️" };

function findingRow(report: ReviewReport, f: Finding, withHelp: boolean): string[] {
  const where = f.span ? whereCell(report, f.span) : f.model ? cellCode(f.model) : "";
  const row = [`${ICON[f.severity]}${f.isNew ? "" : " (pre-existing)"}`, codeSpan(f.code), where, richCell(truncateEnd(f.message, 400))];
  if (withHelp) row.push(f.help ? richCell(truncateEnd(f.help, 300)) : "");
  return row;
}

/**
 * The rows of a findings table, formatted on demand and kept: a budget step shows only a prefix
 * (at most 2,000 of a project's 10,000 pre-existing warnings), and leaner steps show shorter ones.
 */
/** Findings by position: a list, or a list followed by deferred ones. */
interface FindingSeq {
  readonly length: number;
  at(i: number): Finding;
}

function listThenDeferred(list: readonly Finding[], deferred: DeferredFindings | undefined): FindingSeq {
  if (!deferred || deferred.length === 0) return { length: list.length, at: (i) => list[i] };
  return { length: list.length + deferred.length, at: (i) => (i < list.length ? list[i] : deferred.at(i - list.length)) };
}

class FindingRows {
  private readonly rows: string[][] = [];
  /** Characters of the cells of rows[0..i], cumulative. */
  private readonly chars: number[] = [];

  constructor(
    private readonly report: ReviewReport,
    readonly findings: FindingSeq,
    private readonly withHelp: boolean,
  ) {}

  get length(): number {
    return this.findings.length;
  }

  prefix(n: number): string[][] {
    this.format(Math.min(n, this.findings.length));
    return this.rows.slice(0, n);
  }

  /** Whether the first `n` rows' cells alone are longer than `limit`: a lower bound of the table's UTF-8 size, formatting only until it is crossed. */
  cellsOver(n: number, limit: number): boolean {
    const count = Math.min(n, this.findings.length);
    while (this.rows.length < count && (this.chars.at(-1) ?? 0) <= limit) this.format(this.rows.length + 1);
    return (this.chars[Math.min(count, this.rows.length) - 1] ?? 0) > limit;
  }

  private format(n: number): void {
    for (let i = this.rows.length; i < n; i++) {
      const row = findingRow(this.report, this.findings.at(i), this.withHelp);
      this.rows.push(row);
      let size = this.chars.at(-1) ?? 0;
      for (const c of row) size += c.length;
      this.chars.push(size);
    }
  }
}

interface CheckLevel {
  readonly rows: number;
  readonly detail: DetailLevel;
}

const CHECK_STEPS: readonly BudgetStep<CheckLevel>[] = [
  { level: { rows: 2000, detail: { ...FULL_DETAIL, maxRows: 2000, consumersPerRow: 25 } } },
  { level: { rows: 500, detail: { ...FULL_DETAIL, maxRows: 500, consumersPerRow: 8 } }, drops: { key: "rows", label: "rows beyond 500 per table" } },
  { level: { rows: 200, detail: { ...FULL_DETAIL, maxRows: 200, consumersPerRow: 3 } }, drops: { key: "rows", label: "rows beyond 200 per table, consumer lists beyond 3" } },
  { level: { rows: 100, detail: { ...FULL_DETAIL, maxRows: 100, consumersPerRow: 3 } }, drops: { key: "rows", label: "rows beyond 100 per table, consumer lists beyond 3" } },
  { level: { rows: 50, detail: { ...FULL_DETAIL, maxRows: 50, consumersPerRow: 1 } }, drops: { key: "rows", label: "rows beyond 50 per table" } },
  { level: { rows: 10, detail: { ...FULL_DETAIL, maxRows: 10, consumersPerRow: 0 } }, drops: { key: "rows", label: "rows beyond 10 per table" } },
];

/** Where the rows a table leaves out are: the review's JSON, which counts the base branch's standing warnings and notices but lists them only in `rocky compile`'s. */
const MORE_IN = "in `rocky review --output json`";
const MORE_IN_WITH_STANDING = "in `rocky review --output json`; the base branch's standing warnings in `rocky compile --output json`";

function tableBlock(header: readonly string[], rows: FindingRows, max: number, noun: string, moreIn = MORE_IN): TableBlock {
  const shown = rows.prefix(max);
  const rest = rows.length - shown.length;
  return {
    table: shown.length > 0 ? markdownTable([header, ...shown] as string[][], { alignDelimiters: false }) : "",
    more: rest > 0 ? `…and ${plural(rest, `more ${noun}`, `more ${noun}s`)} (${moreIn}).` : "",
    folded: false,
    foldLabel: "",
  };
}

export interface CheckInput {
  readonly report: ReviewReport;
  readonly findings: readonly Finding[];
  /** The pre-existing compile diagnostics `findings` leaves out (collectFindingsForRender): listed last in the compile check's text. */
  readonly preExistingCompile?: DeferredFindings;
  readonly failOn: FailOnPolicy;
  readonly templates: Templates;
  readonly reportUrl?: string;
}

/** One RenderedCheck per concern, in CHECK_NAMES order. */
export function buildChecks(input: CheckInput): RenderedCheck[] {
  return CHECK_NAMES.map((name) => buildCheck(name, input));
}

function buildCheck(name: CheckName, input: CheckInput): RenderedCheck {
  const { report, templates } = input;
  const findings = input.findings.filter((f) => f.check === name);
  const conclusion = checkConclusion(findings, input.failOn[name], report.touchesNoModels);
  const fresh = findings.filter((f) => f.isNew);
  const render = (view: object) => tidyMarkdown(renderTemplate(templates.check, view, templates, "check"));
  const cache = new Map<DetailLevel, readonly TableBlock[]>();
  const where = input.reportUrl ? `the full report (${input.reportUrl})` : "`rocky review --output json`";

  const policy = input.failOn[name];
  const intro =
    conclusion === "skipped"
      ? "This pull request touches no model, contract or project configuration."
      : `**${CHECK_LABEL[name]}**: ${fresh.length === 0 ? "no new findings" : plural(fresh.length, "new finding")} (fail-on: ${codeSpan(policy)}).`;

  // Rows are formatted once per check, and only as many as a step shows; a step whose rows alone are over the limit is not rendered.
  const freshRows = new FindingRows(report, listThenDeferred(fresh, undefined), false);
  // Everything the check lists: its findings, then (compile) the pre-existing diagnostics set apart, which sort after them.
  const all = listThenDeferred(findings, name === "rocky/compile" ? input.preExistingCompile : undefined);
  const allRows = new FindingRows(report, all, true);
  const summaryRows = (level: CheckLevel) => Math.min(level.rows, 100);
  const summary = fitToBudget(
    CHECK_STEPS,
    (level, dropped) =>
      render({
        intro,
        blocks: fresh.length > 0 ? [tableBlock(["", "Code", "Where", "Message"], freshRows, summaryRows(level), "finding")] : [],
        notes: all.length > fresh.length ? [`${plural(all.length - fresh.length, "pre-existing finding")} (already on the base branch) not counted.`] : [],
        trimmed: dropped.length > 0 ? `Trimmed to fit 65,535 bytes: left out ${dropped.join("; ")}. Everything is in ${where}.` : "",
      }),
    CHECK_TEXT_MAX_BYTES,
    measureBytes,
    (level) => (freshRows.cellsOver(summaryRows(level), CHECK_TEXT_MAX_BYTES) ? String(Math.min(summaryRows(level), fresh.length)) : undefined),
  );

  const text =
    conclusion === "skipped"
      ? ""
      : fitToBudget(
          CHECK_STEPS,
          (level, dropped) =>
            render({
              intro: all.length === 0 ? checkedClean(name, report) : `Details for ${codeSpan(name)}.`,
              blocks: [
                // Pre-existing findings sort last: the rows left out include them when there are any.
                ...(all.length > 0 ? [tableBlock(["", "Code", "Where", "Message", "Help"], allRows, level.rows, "finding", name === "rocky/compile" && all.length > fresh.length ? MORE_IN_WITH_STANDING : MORE_IN)] : []),
                ...concernBlocks(name, input, level.detail, cache),
              ],
              notes: [],
              trimmed: dropped.length > 0 ? `Trimmed to fit 65,535 bytes: left out ${dropped.join("; ")}. Everything is in ${where}.` : "",
            }),
          CHECK_TEXT_MAX_BYTES,
          measureBytes,
          (level) =>
            allRows.cellsOver(level.rows, CHECK_TEXT_MAX_BYTES)
              ? `${Math.min(level.rows, all.length)}\u0000${JSON.stringify(concernBlocks(name, input, level.detail, cache))}`
              : undefined,
        ).text;

  return {
    name,
    conclusion,
    title: name === "rocky/cost" && fresh.length === 0 && conclusion !== "skipped" ? costTitle(report) : titleFor(fresh.length > 0 ? fresh : findings, conclusion),
    summary: summary.text,
    text,
    annotations: report.touchesNoModels ? [] : annotationsFor(report, findings),
  };
}

/**
 * The checks of a review that did not run (the shells: a clone that failed, invalid settings, no
 * project): rocky/compile fails carrying the cause, and the other four fail as not checked, pointing
 * at it. Failed, not neutral: branch protection counts neutral as passing, and nothing was checked.
 */
export function notRunChecks(compile: Pick<RenderedCheck, "title" | "summary" | "annotations">, others: { readonly title: string; readonly summary: string }): RenderedCheck[] {
  return CHECK_NAMES.map((name) => (name === "rocky/compile" ? { name, conclusion: "failure" as const, text: "", ...compile } : { name, conclusion: "failure" as const, text: "", annotations: [], ...others }));
}

/**
 * The cost check's title with no budget breached, as the PR's checks list shows it: the monthly Δ
 * (Infracost's "Monthly estimate increased by $X"), or that a change could not be priced, rather
 * than "No new findings", which says nothing of the spend.
 */
function costTitle(report: ReviewReport): string {
  const cost = report.cost;
  const unpriced = cost?.models.filter((m) => (m.unpriced?.length ?? 0) > 0) ?? [];
  const delta = cost?.totals.deltaPerMonth;
  // Nothing to say of the spend (no row, every figure $0 as on DuckDB, or unknown): the usual title.
  if (!cost || cost.models.length === 0 || (unpriced.length === 0 && (delta === null || delta === undefined || costsNothing(cost)))) return "No new findings";
  const parts = ["No budget breached"];
  if (delta !== null && delta !== undefined) parts.push(`projected ${formatDeltaUsd(delta)}/month`);
  if (unpriced.length > 0) parts.push(`${plural(unpriced.length, "model's change", "models' changes")} not priced (${unpriced.map((m) => m.model).join(", ")})`);
  return truncateEnd(parts.join(" · "), ANNOTATION_TITLE_MAX);
}

/** What a check with no findings looked at, and that it passed: more than "Details for …". */
export function checkedClean(name: CheckName, report: ReviewReport): string {
  const m = report.summary.models;
  const changed = m.added + m.removed + m.modified;
  const models = `${plural(changed, "changed model")}${m.total > changed ? ` of ${formatCount(m.total)}` : ""}`;
  switch (name) {
    case "rocky/compile":
      return `Passed: the PR's head compiles, ${models}, with no new error or warning.`;
    case "rocky/contracts":
      return `Passed: ${models} compared with the base branch, columns and row filters; no contract broken, no breaking change.`;
    case "rocky/masking": {
      const c = report.compliance;
      if (!c) return "Passed: no masking configuration or classified column to check.";
      return `Passed: ${plural(c.per_column.length, "classified column")} checked in ${plural(c.envs.length, "env")} (${c.envs.map((e) => codeSpan(e)).join(", ")}), and their copies followed through lineage; nothing new unmasked.`;
    }
    case "rocky/portability":
      return `Passed: the changed models' SQL checked against ${report.targetDialect ? codeSpan(report.targetDialect) : "the target dialect"}; nothing new to rewrite.`;
    case "rocky/cost": {
      const priced = report.cost?.models.length ?? 0;
      const unpriced = report.cost?.models.filter((m) => (m.unpriced?.length ?? 0) > 0) ?? [];
      // Passed (no budget breached), but not "priced" without a word when the estimate cannot see the change.
      const caveat = unpriced.length > 0 ? ` ⚠️ The estimate cannot price ${unpricedList(unpriced)}: compare the run cost after it runs.` : "";
      return priced > 0 ? `Passed: ${plural(priced, "changed or downstream model")} priced on ${codeSpan(report.cost?.warehouse ?? "")}; no budget breached.${caveat}` : "Passed: no changed model to price; no budget breached.";
    }
  }
}

/** The concern's own tables in the check text: changes and blast radius for contracts, the cost table for cost, exceptions with paths for masking. */
function concernBlocks(name: CheckName, input: CheckInput, detail: DetailLevel, cache: Map<DetailLevel, readonly TableBlock[]>): readonly TableBlock[] {
  const hit = cache.get(detail);
  if (hit) return hit;
  const hint = "`rocky review --output json`";
  const unfold = (b: TableBlock): TableBlock => ({ ...b, folded: false });
  const level = { ...detail, mermaid: false };
  let blocks: readonly TableBlock[] = [];
  if (name === "rocky/contracts") blocks = [...breakingSection(input.report, level, hint).blocks, ...blastSection(input.report, level, hint).blocks];
  if (name === "rocky/masking") blocks = complianceSection(input.report, level, hint).blocks;
  if (name === "rocky/cost") blocks = costSection(input.report, level, hint).blocks;
  blocks = blocks.map(unfold);
  cache.set(detail, blocks);
  return blocks;
}
