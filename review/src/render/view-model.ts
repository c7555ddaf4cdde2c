import { markdownTable } from "markdown-table";
import { formatPath } from "../compliance/analyze-compliance.js";
import { configProblemsBeyondUnchecked } from "../compliance/fail-on-exception.js";
import type { Verdict } from "../report/rendered.js";
import type { BlastRadiusEntry, BreakingChange, BudgetBreach, ColumnChange, ComplianceColumn, Consumer, ContractFinding, ModelCost, ReviewDiagnostic, ReviewReport, RowLevelChange, UncheckedClassification } from "../report/types.js";
import { costsNothing, inBaseRanges, toRepoPath } from "../report/types.js";
import { cell, cellCode, codeSpan, htmlText, mermaidLabel, richCell, richText, text, truncateEnd, truncateMiddle } from "./escape.js";
import { BREAKING_SEVERITY, type Finding, newP001Constructs, shownBreakingChanges } from "./findings.js";
import { formatCount, formatDeltaUsd, formatUsd, formatUsdOrDash, plural } from "./format.js";

/**
 * The view model of the sticky comment: every string already escaped for where it goes, every
 * list sorted and cut to the detail level. Templates only place these values.
 */

/** How much detail to render; `fitToBudget` walks these from richest to leanest. */
export interface DetailLevel {
  /** Info-level rows (info breaking changes, info diagnostics). */
  readonly info: boolean;
  /** Warning-level rows in the tables (when false, warnings are counted, not listed). */
  readonly warningRows: boolean;
  /** Consumer names listed per blast-radius row. */
  readonly consumersPerRow: number;
  /** The Mermaid lineage graph. */
  readonly mermaid: boolean;
  /** Cost rows whose cost does not change. */
  readonly unchangedCostRows: boolean;
  /** Rows per table. */
  readonly maxRows: number;
  /** Findings in the summary's "needs attention" list. */
  readonly topFindings: number;
}

export const FULL_DETAIL: DetailLevel = {
  info: true,
  warningRows: true,
  consumersPerRow: 8,
  mermaid: true,
  unchangedCostRows: true,
  maxRows: 1000,
  topFindings: 8,
};

export interface TableBlock {
  readonly table: string;
  /** `…and 12 more rows (see …)`, or "". */
  readonly more: string;
  readonly folded: boolean;
  readonly foldLabel: string;
}

export interface Section {
  readonly present: boolean;
  readonly summary: string;
  readonly blocks: readonly TableBlock[];
  readonly notes: readonly string[];
}

export interface CommentView {
  readonly noModels: boolean;
  readonly verdict: { readonly icon: string; readonly label: string };
  readonly countsLine: string;
  readonly scopeLine: string;
  readonly top: readonly {
    readonly icon: string;
    readonly code: string;
    readonly text: string;
    readonly where: string;
  }[];
  readonly topMore: string;
  readonly blast: Section & {
    readonly mermaid: string;
    readonly mermaidNodes: number;
  };
  readonly breaking: Section;
  readonly portability: Section & { readonly target: string };
  readonly compliance: Section;
  readonly cost: Section & { readonly headline: string };
  readonly compile: Section;
  readonly footer: {
    readonly line: string;
    readonly trimmed: string;
    readonly fullReport: string;
  };
}

export interface ViewInput {
  readonly report: ReviewReport;
  readonly findings: readonly Finding[];
  readonly verdict: Verdict;
  readonly counts: {
    readonly error: number;
    readonly warning: number;
    readonly info: number;
  };
  readonly reportUrl?: string;
  /** Pre-existing compile diagnostics kept out of `findings` (collectFindingsForRender): counted with the pre-existing ones. */
  readonly preExistingCompile?: number;
  /** Filled by fitToBudget: what this rendering left out. */
  readonly dropped?: readonly string[];
}

const VERDICT: Record<Verdict, { icon: string; label: string }> = {
  pass: { icon: "✅", label: "pass" },
  advisory: { icon: "⚠️", label: "advisory" },
  fail: { icon: "❌", label: "fail" },
};

const SEVERITY_ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

const FOLD_ROWS = 6;

function table(rows: readonly (readonly string[])[]): string {
  return markdownTable(rows as string[][], { alignDelimiters: false });
}

/** A table block: header + the first `max` items as rows (only those are formatted), folded in `<details>` when long. */
function block<T>(header: readonly string[], items: readonly T[], toRow: (item: T) => readonly string[], max: number, noun: string, where: string): TableBlock {
  const shown = items.slice(0, Math.max(0, max)).map(toRow);
  const rest = items.length - shown.length;
  return {
    table: shown.length > 0 ? table([header, ...shown]) : "",
    more: rest > 0 ? `…and ${plural(rest, `more ${noun}`, `more ${noun}s`)} (${where}).` : "",
    folded: shown.length > FOLD_ROWS,
    foldLabel: htmlText(`${plural(items.length, noun)}${rest > 0 ? `, ${formatCount(shown.length)} shown` : ""}`),
  };
}

function where(report: ReviewReport, span: Finding["span"] | undefined): string {
  return whereCell(report, span);
}

/**
 * Where a finding is, for a table cell: `file:line:col` on the PR's head. A span on the merge-base
 * side (a removed model, column or key) says what became of it: a whole deleted file is named
 * without a line 1, a line the PR deletes says so (its inline comment sits on it in the diff), a
 * renamed file names its new path, and any other base line names the merge-base commit.
 */
export function whereCell(report: Pick<ReviewReport, "projectDir" | "changedFiles" | "mergeBase">, span: Finding["span"] | undefined): string {
  return span ? spanPlace(report, span, cellCode) : "";
}

/**
 * `whereCell`'s words with `code` for the paths and the SHA: the comment's table cells use code
 * spans, the terminal (`rocky review --output text`) plain text, so both say the same thing.
 */
export function spanPlace(report: Pick<ReviewReport, "projectDir" | "changedFiles" | "mergeBase">, span: NonNullable<Finding["span"]>, code: (s: string) => string): string {
  const path = toRepoPath(report.projectDir, span.file);
  if (!span.base) return code(`${path}:${span.line}${span.col ? `:${span.col}` : ""}`);
  const wholeFile = span.line === 1 && (span.col ?? 1) === 1;
  const at = code(wholeFile ? path : `${path}:${span.line}`);
  const file = report.changedFiles.find((c) => (c.oldPath ?? c.path) === path && c.status !== "added" && c.status !== "copied");
  if (file?.status === "deleted") return `${at} (deleted by this PR)`;
  if (file?.status === "renamed") return `${at} (on base; now ${code(file.path)})`;
  if (file && !wholeFile && inBaseRanges(file, span.line)) return `${at} (line deleted by this PR)`;
  return `${at} (on base ${code(report.mergeBase.slice(0, 7))})`;
}

function fullReportHint(input: ViewInput): string {
  return input.reportUrl ? `the full report: ${input.reportUrl}` : "the check runs' details and `rocky review --output json`";
}

export function buildCommentView(input: ViewInput, level: DetailLevel): CommentView {
  const { report } = input;
  const hint = fullReportHint(input);
  return {
    noModels: report.touchesNoModels,
    verdict: VERDICT[input.verdict],
    countsLine: countsLine(input.counts),
    scopeLine: scopeLine(report),
    ...topFindings(input, level),
    blast: blastSection(report, level, hint),
    breaking: breakingSection(report, level, hint),
    portability: portabilitySection(input, level, hint),
    compliance: complianceSection(report, level, hint),
    cost: costSection(report, level, hint),
    compile: compileSection(input, level, hint),
    footer: footer(input),
  };
}

function countsLine(c: ViewInput["counts"]): string {
  const parts = [c.error > 0 ? `**${plural(c.error, "error")}**` : "0 errors", plural(c.warning, "warning"), plural(c.info, "notice")];
  return parts.join(" · ");
}

/**
 * What the new errors left untyped, from the notices folded into them (review/src/report/fold-consequences.ts):
 * the downstream models (they read what the error broke), and whether an error left columns of its
 * own model untyped (an I002 of its model), which the diff lists as no change (diff-projects.ts), so
 * the blast radius never traced their readers. Either way "no downstream reader" would be a guess.
 */
function untypedByNewErrors(report: ReviewReport): { readonly downstream: number; readonly own: boolean } {
  const models = new Set<string>();
  let own = false;
  for (const d of report.diagnostics) {
    if (!d.new) continue;
    for (const c of d.consequences ?? []) {
      if (c.model !== undefined && c.model !== d.model) models.add(c.model);
      else if (d.severity === "Error" && c.code === "I002" && c.model === d.model) own = true;
    }
  }
  return { downstream: models.size, own };
}

function scopeLine(report: ReviewReport): string {
  const changedModels = report.summary.models.added + report.summary.models.removed + report.summary.models.modified;
  const columns = report.columnChanges.length;
  // The models the columns are in: a model whose SQL or config changed with no column of it is one of the changed models, not one the columns are in.
  const withColumns = new Set(report.columnChanges.map((c) => c.model)).size;
  const where = withColumns > 0 && withColumns < changedModels ? `${formatCount(withColumns)} of ${plural(changedModels, "changed model")}` : plural(changedModels, "model");
  // Models edited in comments, layout or keyword case only are named, not counted as changed.
  const layoutOnly = report.summary.models.layoutOnly ?? 0;
  const reformatted = `${plural(layoutOnly, "model")} only reformatted (comments, layout or keyword case)`;
  const exposures = report.blastRadius.exposures.length;
  const consumers = report.blastRadius.totalConsumers;
  if (changedModels === 0 && columns === 0 && report.rowLevelChanges.length === 0 && consumers === 0 && exposures === 0) {
    const parts = [layoutOnly > 0 ? `No model changed: ${reformatted}` : "No model changed"];
    const delta = report.cost?.totals.deltaPerMonth;
    if (delta !== null && delta !== undefined) parts.push(`projected cost ${formatDeltaUsd(delta)}/month`);
    return `${parts.join(" · ")}.`;
  }
  const parts = [columns === 0 && changedModels > 0 ? `${plural(changedModels, "changed model")}, no column changed` : `${plural(columns, "changed column")} in ${where}`];
  if (layoutOnly > 0) parts.push(reformatted);
  if (report.rowLevelChanges.length > 0) parts.push(plural(report.rowLevelChanges.length, "row-level change"));
  if (consumers === 0 && exposures === 0) {
    // A new error folds the notices of the downstream models it leaves untyped: they read the change, so "no downstream reader" would be false.
    const untyped = untypedByNewErrors(report);
    parts.push(untyped.downstream > 0 ? `${plural(untyped.downstream, "downstream model")} left untyped by a new error` : untyped.own ? "downstream not traced past a new error" : "no downstream reader");
  }
  // Only exposures (a dashboard on a removed model or a moved table): "0 columns in 0 downstream models" says nothing.
  else if (consumers === 0) parts.push(`reaching ${plural(exposures, "exposure")}, no downstream model`);
  else parts.push(`reaching ${plural(consumers, "column")} in ${plural(report.blastRadius.totalModels, "downstream model")}${exposures > 0 ? ` and ${plural(exposures, "exposure")}` : ""}`);
  const delta = report.cost?.totals.deltaPerMonth;
  if (delta !== null && delta !== undefined) parts.push(`projected cost ${formatDeltaUsd(delta)}/month${unpricedSuffix(report)}`);
  return `${parts.join(" · ")}.`;
}

/** ` (1 change not priced)` when the estimate leaves out a model's change, so the figure before it is not read as the whole story. */
function unpricedSuffix(report: ReviewReport): string {
  const n = report.cost?.models.filter((m) => (m.unpriced?.length ?? 0) > 0).length ?? 0;
  return n === 0 ? "" : ` (${plural(n, "change")} not priced)`;
}

function topFindings(input: ViewInput, level: DetailLevel): Pick<CommentView, "top" | "topMore"> {
  const candidates = input.findings.filter((f) => f.isNew && f.severity !== "info");
  const top = candidates.slice(0, level.topFindings).map((f) => ({
    icon: SEVERITY_ICON[f.severity],
    code: codeSpan(f.code),
    text: richText(truncateEnd(f.message, 200)),
    where: where(input.report, f.span),
  }));
  const rest = candidates.length - top.length;
  return {
    top,
    topMore: rest > 0 ? `…and ${plural(rest, "more finding")} below and in the check runs.` : "",
  };
}

/** `rowDetails`: a row-level change's id → what its breaking change says of it ("FROM and JOIN changed"), so both tables name it alike. */
function describeChange(change: ColumnChange | RowLevelChange | undefined, rowDetails?: ReadonlyMap<string, string>): string {
  if (!change) return "";
  if ("clause" in change)
    return `row-level: ${rowDetails?.get(change.id) ?? `${change.clause.replace("_", " ").toUpperCase()} ${change.old === undefined ? "added" : change.new === undefined ? "removed" : "changed"}`}`;
  const c = change.change;
  switch (c.kind) {
    case "added":
      return "added";
    case "removed":
      return "removed";
    case "renamed":
      return `renamed from ${cellCode(c.from)}`;
    case "type_changed":
      return `type ${cellCode(c.old)} → ${cellCode(c.new)}${c.narrowing ? " (narrowing)" : ""}${c.expression ? ", expression changed" : ""}`;
    case "nullability_changed":
      return `${c.old ? "nullable" : "not null"} → ${c.new ? "nullable" : "not null"}${c.expression ? ", expression changed" : ""}`;
    case "logic_changed":
      return c.reason === "expression" ? "logic changed (expression)" : "logic changed (upstream)";
  }
}

/** The consumers' contracts, classifications and exposures; `listed`: exposures the row already names (the changed model's own, in its Consumers cell). */
function flags(consumers: readonly Consumer[], listed: readonly string[] = []): string {
  const contracted = consumers.filter((c) => c.contracted).length;
  const classified = consumers.filter((c) => c.classified !== null).length;
  const named = new Set(listed);
  const exposures = [...new Set(consumers.flatMap((c) => c.exposures))].filter((x) => !named.has(x)).sort();
  const parts: string[] = [];
  if (contracted > 0) parts.push(`📜 ${formatCount(contracted)} contracted`);
  if (classified > 0) parts.push(`🔒 ${formatCount(classified)} classified`);
  if (exposures.length > 0) parts.push(`📊 ${exposures.slice(0, 3).map(cell).join(", ")}${exposures.length > 3 ? ` +${exposures.length - 3}` : ""}`);
  return parts.join(" · ");
}

function consumerList(consumers: readonly Consumer[], max: number): string {
  if (consumers.length === 0) return "_none_";
  if (max === 0) return plural(consumers.length, "consumer");
  if (consumers.length <= max) return consumers.map((c) => cellCode(truncateMiddle(`${c.model}.${c.column}`, 64))).join(", ");
  // More than fit: by model (its columns counted), in the order the models are first reached, so
  // the list says how far the change goes rather than naming the first columns of a few models.
  const byModel = new Map<string, Consumer[]>();
  for (const c of consumers) byModel.set(c.model, [...(byModel.get(c.model) ?? []), c]);
  const models = [...byModel.values()];
  const shown = models.slice(0, max).map((cs) => (cs.length === 1 ? cellCode(truncateMiddle(`${cs[0].model}.${cs[0].column}`, 64)) : `${cellCode(truncateMiddle(cs[0].model, 64))} (${formatCount(cs.length)} columns)`));
  const rest = models.length - shown.length;
  return `${shown.join(", ")}${rest > 0 ? ` +${plural(rest, "more model")}` : ""}`;
}

export function blastSection(report: ReviewReport, level: DetailLevel, hint: string): CommentView["blast"] {
  const br = report.blastRadius;
  const changes = new Map<string, ColumnChange | RowLevelChange>([
    ...report.columnChanges.map((c) => [c.id, c] as const),
    ...report.rowLevelChanges.map((c) => [c.id, c] as const),
  ]);
  // Changes nothing reads are not blast radius: counted in a note, not listed. A change its own
  // model's exposures read (a dashboard on a mart) is, though no model reads it.
  const silent = br.entries.filter((e) => !reaches(e)).length;
  const entries = foldRemovedModels(br.entries.filter(reaches), report).sort(
    (a, b) => b.consumers.length - a.consumers.length || a.origin.model.localeCompare(b.origin.model) || (a.origin.column ?? "").localeCompare(b.origin.column ?? ""),
  );
  const present = entries.length > 0 || report.columnChanges.length > 0;
  // The breaking-change table's words for a row-level change, up to what it does ("FROM and JOIN changed: every ...").
  const rowDetails = new Map(report.breakingChanges.flatMap((b) => (b.kind === "row_level_changed" && b.changeId !== undefined ? [[b.changeId, b.detail.split(":")[0]] as const] : [])));
  const row = (e: ShownEntry): string[] => [
    e.origin.column ? cellCode(truncateMiddle(originLabel(e), 64)) : `${cellCode(truncateMiddle(e.origin.model, 64))} (${e.moved ? "table" : e.removedColumns === undefined ? "rows" : "model"})`,
    e.moved
      ? `table moved: ${cellCode(truncateMiddle(e.moved.from, 80))} → ${cellCode(truncateMiddle(e.moved.to, 80))}`
      : e.removedColumns !== undefined
        ? removedModelChange(e.removedColumns, e.readColumns ?? 0)
        : describeChange(changes.get(e.changeId), rowDetails) + (e.tracedOn === "base" ? " · traced on base" : ""),
    // A moved table's models follow it by name; what it breaks is a reader of the old table.
    e.moved
      ? "old table no longer built"
      : `${e.consumers.length === 0 ? ((e.readColumns ?? 0) > 0 ? "none of them read downstream" : "no downstream model") : `${plural(e.consumers.length, "column")} · ${plural(e.models.length, "model")}`}${e.maxDepth > 0 ? ` · depth ${e.maxDepth}` : ""}${renameReaders(e)}`,
    [e.consumers.length > 0 ? consumerList(e.consumers, level.consumersPerRow) : "", ownExposuresCell(e)].filter((x) => x !== "").join(" · "),
    flags(e.consumers, e.exposures),
  ];
  const exposures = br.exposures.length > 0 ? `, ${exposureNames(br.exposures, 5)}` : "";
  const changed = report.columnChanges.length + report.rowLevelChanges.length + br.entries.filter((e) => e.moved).length;
  const summary = !present
    ? ""
    : br.totalConsumers === 0
      ? `${plural(changed, "change")}; no downstream column reads ${changed === 1 ? "it" : "them"}${br.exposures.length > 0 ? `, but ${exposureNames(br.exposures, 5)} ${br.exposures.length === 1 ? "reads" : "read"} ${readModels(entries)}` : ""}.`
      : `${plural(entries.length, "change")} ${entries.length === 1 ? "reaches" : "reach"} **${plural(br.totalConsumers, "column")}** in **${plural(br.totalModels, "model")}** (${formatCount(br.contractedConsumers)} contracted, ${formatCount(br.classifiedConsumers)} classified${exposures}).`;
  const graph = level.mermaid ? mermaidGraph(entries, 40) : { code: "", nodes: 0 };
  return {
    present,
    summary,
    blocks: entries.length > 0 ? [block(["Changed", "Change", "Reach", "Consumers", "Flags"], entries, row, level.maxRows, "changed column", hint)] : [],
    notes: silent > 0 && entries.length > 0 ? [`${plural(silent, "other change")} with no downstream consumers.`] : [],
    mermaid: graph.code,
    mermaidNodes: graph.nodes,
  };
}

/** What the exposures of entries no model reads read: the changed models, or the old tables of those moved. */
function readModels(entries: readonly ShownEntry[]): string {
  const one = new Set(entries.map((e) => e.origin.model)).size === 1;
  if (entries.every((e) => e.moved)) return one ? "the moved model's old table" : "the moved models' old tables";
  return `the changed ${one ? "model" : "models"} directly`;
}

/** A blast-radius entry as the comment lists it: `removedColumns` for a removed model's columns folded into one row. */
export interface ShownEntry extends BlastRadiusEntry {
  readonly removedColumns?: number;
  /** On a removed model's row: how many of its columns have rows of their own, because a model reads them. */
  readonly readColumns?: number;
}

/** A removed model's row: `model removed with its 8 columns`, or, when read columns have rows of their own, the other ones. */
function removedModelChange(folded: number, read: number): string {
  return read > 0 ? `model removed with ${plural(folded, "more column")}` : `model removed with its ${plural(folded, "column")}`;
}

/**
 * A removed model's columns that nothing but its own exposures read, as one row for the model (the
 * breaking-change table folds them so too): each would say the same thing.
 */
export function foldRemovedModels(entries: readonly BlastRadiusEntry[], report: ReviewReport): ShownEntry[] {
  const removed = new Set(report.models.filter((m) => m.status === "removed").map((m) => m.model));
  const folds = (e: BlastRadiusEntry) => e.consumers.length === 0 && !e.rowLevel && removed.has(e.origin.model);
  const counts = new Map<string, number>();
  const read = new Map<string, number>();
  for (const e of entries) {
    if (folds(e)) counts.set(e.origin.model, (counts.get(e.origin.model) ?? 0) + 1);
    else if (!e.rowLevel && removed.has(e.origin.model)) read.set(e.origin.model, (read.get(e.origin.model) ?? 0) + 1);
  }
  if (counts.size === 0) return [...entries];
  const out: ShownEntry[] = [];
  for (const e of entries) {
    if (!folds(e)) out.push(e);
    else if (counts.has(e.origin.model)) {
      const readColumns = read.get(e.origin.model);
      out.push({ ...e, changeId: `model:${e.origin.model}:removed`, origin: { model: e.origin.model }, removedColumns: counts.get(e.origin.model), ...(readColumns ? { readColumns } : {}) });
      counts.delete(e.origin.model);
    }
  }
  return out;
}

/** Whether a blast-radius entry reaches anything: a downstream column, or an exposure of its own model. */
export function reaches(e: BlastRadiusEntry): boolean {
  return e.consumers.length > 0 || (e.exposures?.length ?? 0) > 0;
}

/** `exposure `A`` or `exposures `A`, `B` +3`: at most `max` names. */
function exposureNames(names: readonly string[], max: number): string {
  const shown = names.slice(0, max).map((x) => codeSpan(truncateMiddle(x, 64)));
  return `${names.length === 1 ? "exposure" : "exposures"} ${shown.join(", ")}${names.length > max ? ` +${names.length - max}` : ""}`;
}

/** The exposures that read an entry's own model, for its Consumers cell: `📊 `A` (reads `fct_x`)`. */
function ownExposuresCell(e: BlastRadiusEntry): string {
  const own = e.exposures ?? [];
  if (own.length === 0) return "";
  const read = e.moved ? `the old ${cellCode(truncateMiddle(e.moved.from, 80))}` : cellCode(truncateMiddle(e.rename?.model ?? e.origin.model, 64));
  return `📊 ${own.slice(0, 3).map(cell).join(", ")}${own.length > 3 ? ` +${own.length - 3}` : ""} (${own.length === 1 ? "reads" : "read"} ${read})`;
}

/** The changed column an entry starts from, as the PR names it: a renamed column under its new name. */
export function originLabel(e: ShownEntry): string {
  if (e.rename) return `${e.rename.model}.${e.rename.column}`;
  if (e.removedColumns !== undefined) return `${e.origin.model} (removed)`;
  if (e.moved) return `${e.origin.model} (table moved)`;
  return e.origin.column ? `${e.origin.model}.${e.origin.column}` : `${e.origin.model} (rows)`;
}

/** For a renamed column: how many of the models that read the old name on base read the new one on head. */
export function renameReaders(e: BlastRadiusEntry): string {
  if (!e.rename) return "";
  const readers = new Set(e.consumers.filter((c) => c.depth === 1).map((c) => c.model)).size;
  if (readers === 0) return "";
  const following = e.rename.readingNewName.length;
  if (following === readers) return readers === 1 ? " · its reader reads the new name" : ` · all ${readers} readers read the new name`;
  if (following === 0) return readers === 1 ? ` · its reader still reads ${cellCode(e.origin.column ?? "")}` : ` · none of ${readers} readers reads the new name`;
  return ` · ${following} of ${readers} readers read the new name`;
}

/** A left-to-right graph of changed columns and their consumers, at most `maxNodes` nodes plus "+N more" nodes. */
export function mermaidGraph(entries: readonly BlastRadiusEntry[], maxNodes: number): { code: string; nodes: number } {
  if (entries.length === 0) return { code: "", nodes: 0 };
  const ids = new Map<string, string>();
  const lines = ["graph LR", "  classDef changed fill:#fde68a,stroke:#b45309", "  classDef more fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray: 3 3"];
  const edges = new Set<string>();
  let moreCount = 0;
  const node = (key: string, label: string, cls?: string): string | undefined => {
    const known = ids.get(key);
    if (known) return known;
    if (ids.size >= maxNodes) return undefined;
    const id = `n${ids.size}`;
    ids.set(key, id);
    lines.push(`  ${id}[${mermaidLabel(label)}]${cls ? `:::${cls}` : ""}`);
    return id;
  };
  /** One arrow per pair of nodes, however many paths draw it; dotted when only the rows are reached, not the values. */
  const edgeLine = new Map<string, number>();
  const link = (from: string, to: string, rows = false): void => {
    const at = edgeLine.get(`${from}>${to}`);
    if (at !== undefined) {
      if (!rows) lines[at] = `  ${from} --> ${to}`;
      return;
    }
    edgeLine.set(`${from}>${to}`, lines.length);
    lines.push(`  ${from} ${rows ? "-.->" : "-->"} ${to}`);
  };
  // More columns than the graph holds: one node per model (its columns counted), so that it shows
  // how far the change goes, not the first forty columns of its first models.
  const columnsOf = new Map<string, Set<string>>();
  for (const e of entries) for (const c of e.consumers) columnsOf.set(c.model, (columnsOf.get(c.model) ?? new Set()).add(c.column));
  let columnCount = 0;
  for (const cols of columnsOf.values()) columnCount += cols.size;
  const byModel = entries.length + columnCount > maxNodes;
  const modelOf = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf(".")));
  const nodeOf = (model: string, column: string): { key: string; label: string } => {
    if (!byModel) return { key: `${model}.${column}`, label: `${model}.${column}` };
    const n = columnsOf.get(model)?.size ?? 1;
    return { key: `\u0001${model}`, label: n === 1 ? `${model}.${column}` : `${model} (${formatCount(n)} columns)` };
  };
  // Every changed column first, then their consumers depth by depth, taking turns: a second change
  // is drawn with its first readers even when the first change alone could fill the graph.
  const origins = entries.map((e) => node(e.origin.column ? `${e.origin.model}.${e.origin.column}` : e.origin.model, originLabel(e), "changed"));
  const hiddenKeys = entries.map(() => new Set<string>());
  const next = entries.map(() => 0);
  let skipped = 0;
  entries.forEach((e, i) => {
    if (origins[i] === undefined) skipped += 1 + e.consumers.length;
  });
  let maxDepth = 0;
  for (const e of entries) for (const c of e.consumers) maxDepth = Math.max(maxDepth, c.depth);
  for (let depth = 1; depth <= maxDepth; depth++) {
    for (let drawn = true; drawn; ) {
      drawn = false;
      entries.forEach((e, i) => {
        const origin = origins[i];
        if (origin === undefined || next[i] >= e.consumers.length || e.consumers[next[i]].depth > depth) return;
        const c = e.consumers[next[i]++];
        drawn = true;
        const { key, label } = nodeOf(c.model, c.column);
        const id = node(key, label);
        if (!id) {
          hiddenKeys[i].add(key);
          return;
        }
        const viaKey = byModel ? `\u0001${modelOf(c.via)}` : c.via;
        const from = c.depth <= 1 && (c.transform !== "row_level" || (byModel && viaKey === key)) ? origin : (ids.get(viaKey) ?? origin);
        if (from !== id) link(from, id, c.transform === "row_level");
      });
    }
  }
  entries.forEach((e, i) => {
    const origin = origins[i];
    if (origin === undefined) return;
    let hidden = [...hiddenKeys[i]].filter((k) => !ids.has(k)).length;
    for (const x of e.exposures ?? []) {
      const id = node(`\u0000exposure\u0000${x}`, `📊 ${x}`, "exposure");
      if (id) link(origin, id);
      else hidden += 1;
    }
    if (hidden > 0) {
      const id = `m${moreCount++}`;
      lines.push(`  ${id}[${mermaidLabel(`+${formatCount(hidden)} more${byModel ? (hidden === 1 ? " model" : " models") : ""}`)}]:::more`, `  ${origin} -.-> ${id}`);
    }
  });
  if (skipped > 0) lines.push(`  m${moreCount}[${mermaidLabel(`+${formatCount(skipped)} more`)}]:::more`);
  if (entries.some((e) => (e.exposures?.length ?? 0) > 0)) lines.splice(3, 0, "  classDef exposure fill:#dbeafe,stroke:#1d4ed8");
  return { code: lines.join("\n"), nodes: ids.size };
}

export function breakingSection(report: ReviewReport, level: DetailLevel, hint: string): Section {
  const changes = shownBreakingChanges(report);
  const visible = changes.filter((b) => b.severity === "breaking" || (b.severity === "warning" && level.warningRows) || (b.severity === "info" && level.info));
  const rank = { breaking: 0, warning: 1, info: 2 } as const;
  // The changes the PR made before those that flowed from them into other models.
  const sorted = [...visible].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || Number(a.from !== undefined) - Number(b.from !== undefined) || a.model.localeCompare(b.model) || (a.column ?? "").localeCompare(b.column ?? ""),
  );
  // The summary's icons: a breaking change counts as a warning there, Rocky's `warning` and `info`
  // changes as notices (BREAKING_SEVERITY); Rocky's own severity stays in the JSON.
  // One vocabulary with the counts above: a breaking change, or a notice (Rocky's `warning` and `info`).
  const label = { breaking: "breaking", warning: "notice", info: "notice" } as const;
  const changeRow = (b: BreakingChange): string[] => [
    `${SEVERITY_ICON[BREAKING_SEVERITY[b.severity]]} ${label[b.severity]}`,
    codeSpan(b.kind),
    cellCode(truncateMiddle(b.column ? `${b.model}.${b.column}` : b.model, 64)),
    cell(truncateEnd(b.detail, 160)),
  ];
  const contracts = [...report.contracts].sort((a, b) => Number(b.new) - Number(a.new) || a.severity.localeCompare(b.severity) || a.model.localeCompare(b.model));
  const contractItems = contracts.filter((c) => c.severity !== "Warning" || level.warningRows);
  const contractRow = (c: ContractFinding): string[] => [
    `${c.severity === "Error" ? "❌" : "⚠️"} ${codeSpan(c.code)}${c.new ? "" : " (pre-existing)"}`,
    cellCode(truncateMiddle(`${c.model}.${c.column}`, 64)),
    cellCode(c.expected),
    cellCode(c.actual),
    c.pathText ? cellCode(truncateMiddle(c.pathText, 160)) : c.origin === "head" ? "this model" : cell(c.origin),
  ];
  const counts = { breaking: 0, warning: 0, info: 0 };
  for (const b of changes) counts[b.severity] += 1;
  const present = changes.length > 0 || report.contracts.length > 0;
  const blocks: TableBlock[] = [];
  if (contractItems.length > 0) blocks.push(block(["Contract", "Column", "Expects", "Has", "Path"], contractItems, contractRow, level.maxRows, "contract finding", hint));
  if (sorted.length > 0) blocks.push(block(["Severity", "Kind", "Where", "Detail"], sorted, changeRow, level.maxRows, "change", hint));
  const hiddenInfo = changes.length - visible.length;
  return {
    present,
    summary: present
      ? `${breakingCount(changes, counts.breaking)}; ${plural(counts.warning + counts.info, "notice")}; ${plural(report.contracts.filter((c) => c.new).length, "new contract finding")}.`
      : "",
    blocks,
    notes: hiddenInfo > 0 ? [`${plural(hiddenInfo, "lower-severity change")} not listed here (in ${hint}).`] : [],
  };
}

/**
 * How the breaking changes relate to the warnings counted above: each is a warning, except a
 * change that flowed downstream from a column this PR changed, which is counted in that column's
 * finding (collectFindings) and listed in the table.
 */
function breakingCount(changes: readonly BreakingChange[], breaking: number): string {
  if (breaking === 0) return "No breaking change";
  const roots = new Set(changes.filter((b) => b.severity === "breaking" && b.from === undefined && b.column !== undefined).map((b) => `${b.model}.${b.column}`));
  const downstream = changes.filter((b) => b.severity === "breaking" && b.from !== undefined && roots.has(b.from)).length;
  const counted = breaking - downstream;
  if (downstream === 0) return `${plural(breaking, "breaking change")} (${breaking === 1 ? "a warning" : "warnings"} above)`;
  return `${plural(breaking, "breaking change")}, counted as ${plural(counted, "warning")} above: ${downstream === 1 ? "1 is a downstream column" : `${formatCount(downstream)} are downstream columns`} changing with ${counted === 1 ? "the one" : `the ${formatCount(counted)}`} this PR made`;
}

function portabilitySection(input: ViewInput, level: DetailLevel, hint: string): CommentView["portability"] {
  const { report } = input;
  // The target change is the cause, said in the summary; the findings are the constructs.
  const cause = input.findings.find((f) => f.code === "target_dialect_changed");
  const findings = input.findings.filter((f) => f.check === "rocky/portability" && f.isNew && f !== cause);
  const visible = findings.filter((f) => f.severity === "error" || (f.severity === "warning" && level.warningRows) || level.info);
  const row = (f: Finding): string[] => [
    where(report, f.span),
    codeSpan(f.code),
    richCell(truncateEnd(f.message, 200)),
    f.diagnostic?.replacement ? cellCode(truncateEnd(f.diagnostic.replacement.text, 120)) : f.help ? richCell(truncateEnd(f.help, 120)) : "",
  ];
  const standing = input.findings.filter((f) => f.check === "rocky/portability" && !f.isNew);
  const byReader = standing.filter((f) => (f.diagnostic as ReviewDiagnostic | undefined)?.madeByReader).length;
  const preExisting = standing.length - byReader;
  const notes = [
    ...(preExisting > 0 ? [`${plural(preExisting, "pre-existing finding")} on the base branch not counted.`] : []),
    ...(byReader > 0 ? [`${plural(byReader, "P002")} in files this PR left alone, made by a reader it adds or changes, not counted (the reader's own finding is).`] : []),
  ];
  return {
    present: findings.length > 0 || standing.length > 0 || cause !== undefined,
    target: report.targetDialect ? codeSpan(report.targetDialect) : "",
    summary: `${
      findings.length > 0
        ? `${plural(findings.length, "new portability finding")}${report.targetDialect ? ` for ${codeSpan(report.targetDialect)}` : ""}.`
        : "No new portability findings."
    }${cause ? ` ${targetChangeSentence(report, cause, findings.length)}` : ""}`,
    blocks: visible.length > 0 ? [block(["Where", "Rule", "Finding", "Use instead"], visible, row, level.maxRows, "finding", hint)] : [],
    notes,
  };
}

/** What the PR's `[portability] target_dialect` change does, at its line: the findings above follow from it, counted by construct. */
function targetChangeSentence(report: ReviewReport, cause: Finding, count: number): string {
  const change = report.targetDialectChange;
  const at = cause.span ? ` (${where(report, cause.span)})` : "";
  const label = `${codeSpan(change?.from ?? "(none)")} → ${codeSpan(change?.to ?? "(none)")}`;
  if (change?.to === undefined) return `This PR removes \`[portability] target_dialect\`${at}, was ${codeSpan(change?.from ?? "")}: models are no longer checked against a target warehouse.`;
  if (count === 0) return `This PR changes \`[portability] target_dialect\`${at}, ${label}: every model was checked against it.`;
  return `This PR changes \`[portability] target_dialect\`${at}, ${label}: every model is checked against the new target, so these follow from that one line (${richText(newP001Constructs(report))}).`;
}

export function complianceSection(report: ReviewReport, level: DetailLevel, hint: string): Section {
  const c = report.compliance;
  if (!c) return { present: false, summary: "", blocks: [], notes: [] };
  const groups = new Map<string, (typeof c.exceptions)[number][]>();
  for (const e of c.exceptions) groups.set(`${e.model}\u0000${e.column}`, [...(groups.get(`${e.model}\u0000${e.column}`) ?? []), e]);
  // Listed: what this PR leaves unmasked (as the masking check counts it, findings.ts); what base already did is counted in a note.
  const items = [...groups.values()].filter((list) => list.some((x) => x.new !== false));
  const standing = groups.size - items.length;
  const row = (list: (typeof c.exceptions)[number][]): string[] => {
    const e = list[0];
    const path = e.path && e.path.length > 1 ? formatPath(e.path) : "";
    return [
      cellCode(truncateMiddle(`${e.model}.${e.column}`, 64)),
      list.map((x) => cellCode(x.env)).join(", "),
      e.tag ? cellCode(e.tag) : "",
      e.via_lineage ? `${e.classified_as ? `classified ${cellCode(e.classified_as)}, in clear, but ` : ""}through lineage: ${cellCode(truncateMiddle(path, 200))}` : cell(truncateEnd(e.reason, 160)),
    ];
  };
  const lineage = [...groups.values()].filter((l) => l[0].via_lineage).length;
  const newLineage = items.filter((l) => l[0].via_lineage).length;
  // Rocky counts `none` as masked: say what this PR turned off, or the count reads as all clear.
  const weakened = c.weakened ?? [];
  const offEnvs = new Map<string, { tag: string; to: (typeof weakened)[number]["to"]; envs: string[] }>();
  for (const w of weakened) {
    const key = `${w.tag}\u0000${w.to}`;
    const at = offEnvs.get(key) ?? { tag: w.tag, to: w.to, envs: [] };
    at.envs.push(w.env);
    offEnvs.set(key, at);
  }
  const how = { none: "its columns are counted in clear by policy (strategy `none`), not as masked", allow_unmasked: "it is allow-listed with no strategy, so its columns are not checked there", partial: "" };
  const weakNotes = [...offEnvs.values()].map((o) =>
    o.to === "partial"
      ? `⚠️ This PR masks ${codeSpan(o.tag)} only partly in ${o.envs.map((e) => codeSpan(e)).join(", ")} (strategy \`partial\`): the first and last 2 characters of each value are in clear.`
      : `⚠️ This PR stops masking ${codeSpan(o.tag)} in ${o.envs.map((e) => codeSpan(e)).join(", ")}: ${how[o.to]}.`,
  );
  // A sidecar that did not load classifies nothing: the count above is short by its columns.
  const uncheckedNotes = (c.unchecked ?? []).map(uncheckedNote);
  // rocky.toml's masking tables (or a misplaced [classification]) that did not load: the strategies above may not be what the files say.
  // The columns this PR classifies, each with how every env masks it: a new model's say so nowhere else.
  const classified = classifiedByThisPr(report, c);
  const unmaskedPairs = new Set(c.exceptions.filter((e) => !e.via_lineage).map((e) => `${e.model}\u0000${e.column.toLowerCase()}\u0000${e.env}`));
  const classifiedRow = (p: ComplianceColumn): string[] => [cellCode(truncateMiddle(`${p.model}.${p.column}`, 64)), cellCode(p.classification), maskingCell(p, unmaskedPairs, c.envs.length)];
  const configNotes = configProblemsBeyondUnchecked(c).map((d) => `⚠️ ${codeSpan(`${d.span?.file}:${d.span?.line}`)} did not load (${d.code}): masking may not be what the configuration says, so the count above is not sure until it is fixed.`);
  // What the PR fixes of the base's: else a fix reads as if nothing had been there.
  const fixed = c.fixed ?? [];
  const fixedNames = fixed.map((f) => `${codeSpan(`${f.model}.${f.column}`)} (${f.envs.map((e) => codeSpan(e)).join(", ")})`);
  const fixedNote = fixed.length > 0 ? [`✅ This PR fixes ${plural(fixed.length, "unmasked column")} on the base branch: ${fixedNames.length <= 5 ? fixedNames.join(", ") : `${fixedNames.slice(0, 4).join(", ")} and ${fixedNames.length - 4} more`}.`] : [];
  return {
    present: c.per_column.length > 0 || c.exceptions.length > 0 || weakened.length > 0 || uncheckedNotes.length > 0 || configNotes.length > 0 || fixed.length > 0,
    summary: complianceSummary(c, { columns: groups.size - lineage, new: items.length - newLineage }, { columns: lineage, new: newLineage }),
    blocks: [
      ...(items.length > 0 ? [block(["Column", "Env", "Tag", "Why"], items, row, level.maxRows, "unmasked column", hint)] : []),
      ...(classified.length > 0 ? [block(["Classified by this PR", "Tag", "Masking"], classified, classifiedRow, level.maxRows, "newly classified column", hint)] : []),
    ],
    notes: [
      ...weakNotes,
      ...fixedNote,
      ...configNotes,
      ...uncheckedNotes,
      ...(standing > 0 ? [`${plural(standing, "unmasked column")} already on the base branch not listed (\`rocky compliance\` lists ${standing === 1 ? "it" : "them"}).`] : []),
    ],
  };
}

/**
 * The declared classifications this PR brings in: every classified column of a model it adds, and
 * each column a `column_mask_changed` gives a tag (a column it adds or newly classifies, or a tag it
 * changes). Copies found through lineage are not: they are exceptions when unmasked.
 */
function classifiedByThisPr(report: ReviewReport, c: NonNullable<ReviewReport["compliance"]>): ComplianceColumn[] {
  const added = new Set(report.models.filter((m) => m.status === "added").map((m) => m.model));
  const tagged = new Set(report.breakingChanges.filter((b) => b.kind === "column_mask_changed" && b.new && b.column !== undefined).map((b) => `${b.model}\u0000${b.column?.toLowerCase()}`));
  if (added.size === 0 && tagged.size === 0) return [];
  return c.per_column.filter((p) => !p.via_lineage && (added.has(p.model) || tagged.has(`${p.model}\u0000${p.column.toLowerCase()}`)));
}

/**
 * How a classified column is masked in each env, envs with the same answer together, the unmasked
 * first: "masked (`hash`) in every env", "**unmasked** in `prod`; masked (`hash`) in `default`".
 * Unmasked is what the masking check reports (an exception); an env whose strategy is unresolved
 * without one has the tag allow-listed.
 */
function maskingCell(p: ComplianceColumn, unmasked: ReadonlySet<string>, envCount: number): string {
  const groups = new Map<string, string[]>();
  for (const e of p.envs) {
    const label = unmasked.has(`${p.model}\u0000${p.column.toLowerCase()}\u0000${e.env}`)
      ? "**unmasked**"
      : e.masking_strategy === "none"
        ? "in clear by policy (`none`)"
        : e.enforced
          ? `masked (${cellCode(e.masking_strategy)})`
          : "allow-listed unmasked";
    groups.set(label, [...(groups.get(label) ?? []), e.env]);
  }
  const rank = (label: string) => (label.startsWith("**") ? 0 : label.startsWith("allow") ? 1 : label.startsWith("in clear") ? 2 : 3);
  const ordered = [...groups].sort((a, b) => rank(a[0]) - rank(b[0]));
  if (ordered.length === 1 && envCount > 1 && ordered[0][1].length === envCount) return `${ordered[0][0]} in every env`;
  return ordered.map(([label, envs]) => `${label} in ${envs.map((e) => cellCode(e)).join(", ")}`).join("; ");
}

/**
 * What the masking check counted, in two parts that cannot read as a contradiction: the classified
 * columns checked in each environment (masked, in clear by policy — strategy `none` or allow-listed
 * — or unmasked), then the copies of classified values found through lineage in columns nobody
 * classified. Rocky counts `none` as masked; an analyst reading "masked" would not.
 */
function complianceSummary(c: NonNullable<ReviewReport["compliance"]>, unmasked: { columns: number; new: number }, copies: { columns: number; new: number }): string {
  const declared = c.per_column.filter((p) => !p.via_lineage);
  let pairs = 0;
  let masked = 0;
  let none = 0;
  let unresolved = 0;
  for (const p of declared) {
    for (const e of p.envs) {
      pairs += 1;
      if (e.masking_strategy === "none") none += 1;
      else if (e.enforced) masked += 1;
      else unresolved += 1;
    }
  }
  const unmaskedPairs = c.exceptions.filter((e) => !e.via_lineage).length;
  const allowed = Math.max(0, unresolved - unmaskedPairs);
  const envs = `${plural(c.envs.length, "env")} (${c.envs.map((e) => codeSpan(e)).join(", ")})`;
  const parts = [`${formatCount(masked)} masked`];
  if (none > 0) parts.push(`${formatCount(none)} in clear by policy (\`none\`)`);
  if (allowed > 0) parts.push(`${formatCount(allowed)} allow-listed unmasked`);
  if (unmaskedPairs > 0) parts.push(`${bold(`${formatCount(unmaskedPairs)} unmasked`, unmasked.new > 0)} (${plural(unmasked.columns, "column")}${newOf(unmasked)})`);
  const checked =
    pairs === 0
      ? `No classified column in ${envs}.`
      : `${plural(declared.length, "classified column")} checked in ${envs}, ${plural(pairs, "column–env pair")}: ${parts.join(", ")}.`;
  // A copy classified with a tag that leaves it in clear is one of them: not "unclassified" then.
  const noun = c.exceptions.some((e) => e.via_lineage && e.classified_as !== undefined) ? "column" : "unclassified column";
  const through = copies.columns > 0 ? ` Through lineage: ${bold(plural(copies.columns, noun), copies.new > 0)} ${copies.columns === 1 ? "copies" : "copy"} classified values unmasked${newOf(copies)}.` : "";
  return `${checked}${through}`;
}

/** Bold only what asks for attention: a count this PR adds to. */
function bold(text: string, when: boolean): string {
  return when ? `**${text}**` : text;
}

/** How many of the counted columns this PR makes unmasked, when not all of them: `, 1 new`, `, none new`. */
function newOf(n: { columns: number; new: number }): string {
  if (n.new === n.columns) return "";
  return n.new === 0 ? ", none of them new" : `, ${formatCount(n.new)} new`;
}

function uncheckedNote(u: UncheckedClassification): string {
  const at = codeSpan(u.file);
  if (u.code === "R012") return `⚠️ ${codeSpan(`${u.model}.${u.columns[0] ?? ""}`)} is classified in ${at}, but ${codeSpan(u.model)} outputs no such column: it is not counted, and the column meant is not classified.`;
  if (u.columns.length === 0) return `⚠️ ${at} did not load, so what ${codeSpan(u.model)} classifies is not counted or checked here.`;
  return `⚠️ ${at} did not load, so ${plural(u.columns.length, "classified column")} of ${codeSpan(u.model)} (${u.columns.map((x) => codeSpan(x)).join(", ")}) ${u.columns.length === 1 ? "is" : "are"} not counted or checked here.`;
}

export function costSection(report: ReviewReport, level: DetailLevel, hint: string): CommentView["cost"] {
  const cost = report.cost;
  const broken = cost?.notPriced ?? [];
  // A changed model that does not compile: no figure for it, and the section says why rather than pricing a stub.
  const names = `${broken.slice(0, 3).map((m) => codeSpan(m)).join(", ")}${broken.length > 3 ? ` and ${plural(broken.length - 3, "more model")}` : ""}`;
  const doNot = broken.length === 1 ? "does not" : "do not";
  if (cost && cost.models.length === 0 && broken.length > 0) return { present: true, headline: `Projected monthly cost not estimated: ${names} ${doNot} compile on this branch.`, summary: "", blocks: [], notes: [] };
  if (!cost || cost.models.length === 0) return { present: false, summary: "", headline: "", blocks: [], notes: [] };
  const section = costSectionOf(cost, level, hint);
  return broken.length === 0 ? section : { ...section, notes: [`${names} not priced: ${broken.length === 1 ? "it does" : "they do"} not compile on this branch.`, ...section.notes] };
}

function costSectionOf(cost: NonNullable<ReviewReport["cost"]>, level: DetailLevel, hint: string): CommentView["cost"] {
  const delta = cost.totals.deltaPerMonth;
  // Only added models: nothing ran before ($0, not unknown); only removed ones: nothing runs after.
  const before = cost.totals.beforePerMonth ?? (cost.models.every((m) => m.role === "added") ? 0 : null);
  const after = cost.totals.afterPerMonth ?? (cost.models.every((m) => m.role === "removed") ? 0 : null);
  const pct = before && after !== null && before > 0 ? ` (${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(0)}%)` : "";
  // Every figure from the stub statistics: the size of the change is a guess, and the headline says so beside its number.
  const allStatic = cost.models.every((m) => m.basis === "static");
  const range = `${before !== null || after !== null ? ` — ${formatUsdOrDash(before)}/month → ${formatUsdOrDash(after)}/month${pct}` : ""}${allStatic ? " · static estimate, low confidence" : ""}`;
  let headline =
    delta === null
      ? "Projected monthly cost: unknown."
      : delta > 0
        ? `Monthly estimate increased by **${formatDeltaUsd(delta).slice(1)}** 📈${range}`
        : delta < 0
          ? `Monthly estimate decreased by **${formatDeltaUsd(-delta).slice(1)}** 📉${range}`
          : `Monthly estimate unchanged${after !== null ? ` at ${formatUsd(after)}/month` : ""}.`;
  const unpriced = cost.models.filter((m) => (m.unpriced?.length ?? 0) > 0);
  // A change the estimate cannot see (a filter dropped, incremental → full_refresh): "unchanged" would be the very reassurance the check exists to prevent.
  if (unpriced.length > 0) headline = `${delta === 0 ? "⚠️ **Cost change not estimated.** The estimate shows no change, but it" : `${headline} ⚠️ The estimate`} cannot price ${unpricedList(unpriced)}: compare the run cost after it runs.`;
  if (costsNothing(cost) && unpriced.length === 0) {
    return {
      present: true,
      headline: `No projected cost: ${plural(cost.models.length, "changed or downstream model")} on ${codeSpan(cost.warehouse)} cost $0 per run.`,
      summary: "",
      blocks: [],
      notes: [],
    };
  }
  // Nothing costs more or less: a table of $0 deltas (one row per model a _defaults.toml reaches) says no more than this line.
  if (delta === 0 && cost.budgetBreaches.length === 0 && unpriced.length === 0 && cost.models.every((m) => m.deltaPerMonth === 0)) {
    return {
      present: true,
      headline,
      summary: "",
      blocks: [],
      notes: [`${plural(cost.models.length, "changed or downstream model")} priced on ${codeSpan(cost.warehouse)}; none costs more or less per run or per month.`],
    };
  }
  const rows = [...cost.models]
    .filter((m) => level.unchangedCostRows || (m.deltaPerMonth !== null && m.deltaPerMonth !== 0) || (m.unpriced?.length ?? 0) > 0)
    .sort((a, b) => Math.abs(b.deltaPerMonth ?? 0) - Math.abs(a.deltaPerMonth ?? 0) || a.model.localeCompare(b.model));
  const row = (m: ModelCost): string[] => [
    cellCode(truncateMiddle(m.model, 64)) + (m.role === "downstream" ? "" : ` (${m.role})`),
    m.basis.replace("_", " "),
    formatUsdOrDash(m.beforePerRun),
    formatUsdOrDash(m.afterPerRun),
    formatDeltaUsd(m.deltaPerRun),
    `${formatDeltaUsd(m.deltaPerMonth)} (${cell(scheduleLabel(m))})`,
    m.confidence,
  ];
  const hidden = cost.models.length - rows.length;
  const blocks: TableBlock[] = [];
  if (rows.length > 0) {
    const b = block(["Model", "Basis", "Before/run", "After/run", "Δ/run", "Δ/month", "Confidence"], rows, row, level.maxRows, "model", hint);
    blocks.push({
      ...b,
      table: `${b.table}\n| **Total** | | | | | **${formatDeltaUsd(delta)}** | |`,
    });
  }
  const breachRow = (b: BudgetBreach): string[] => [
    b.diagnostic.severity === "Error" ? "❌ E027" : "⚠️ E027",
    b.scope === "project" ? "project" : cellCode(b.model ?? ""),
    codeSpan(b.limit_type),
    b.limit_type === "max_usd" ? formatUsdOrDash(b.limit) : formatCount(b.limit),
    b.limit_type === "max_usd" ? formatUsdOrDash(b.actual) : formatCount(Math.round(b.actual)),
    b.on_breach,
  ];
  if (cost.budgetBreaches.length > 0)
    blocks.push(block(["Budget", "Scope", "Limit", "Ceiling", "Projected/run", "on_breach"], cost.budgetBreaches, breachRow, level.maxRows, "budget breach", hint));
  const notes = cost.models.filter((m) => m.note).map((m) => `${codeSpan(m.model)}: ${text(m.note ?? "")}`);
  if (hidden > 0) notes.push(`${plural(hidden, "model")} whose cost does not change not listed.`);
  return {
    present: true,
    headline,
    summary: `Warehouse ${codeSpan(cost.warehouse)}; basis per row: observed run history, warehouse table statistics, or Rocky's static estimate.${cost.models.some((m) => m.basis === "static") ? ` ${STUB_NOTE}` : ""}`,
    blocks,
    notes: notes.slice(0, 10),
  };
}

/** What a `static` row rests on (engine/src/cost STUB_LEAF_STATS), and so how far to trust its size. */
const STUB_NOTE =
  "`static` rows have neither: they assume 10,000 rows of 256 B for each table read from outside the project (Rocky's stub statistics), so they show which way a change goes, not its size; observed run history or warehouse table statistics give real figures.";

/** "1 model's change (`stg_events`: strategy incremental → full\_refresh)", at most three named. */
export function unpricedList(models: readonly Pick<ModelCost, "model" | "unpriced">[]): string {
  const named = models.slice(0, 3).map((m) => `${codeSpan(m.model)}: ${text((m.unpriced ?? []).join(", "))}`);
  const more = models.length > 3 ? `; and ${plural(models.length - 3, "more model")}` : "";
  return `${models.length === 1 ? "1 model's change" : `${formatCount(models.length)} models' changes`} (${named.join("; ")}${more})`;
}

/** `hourly`, or `daily → hourly` when the PR changes the schedule. */
export function scheduleLabel(m: Pick<ModelCost, "schedule" | "baseSchedule">): string {
  return m.baseSchedule !== undefined ? `${m.baseSchedule} → ${m.schedule}` : m.schedule;
}

function compileSection(input: ViewInput, level: DetailLevel, hint: string): Section {
  const all = input.findings.filter((f) => f.check === "rocky/compile");
  const fresh = all.filter((f) => f.isNew && (f.severity === "error" || (f.severity === "warning" && level.warningRows) || (f.severity === "info" && level.info)));
  const row = (f: Finding): string[] => [SEVERITY_ICON[f.severity], codeSpan(f.code), where(input.report, f.span), richCell(truncateEnd(f.message, 200))];
  const preExisting = all.filter((f) => !f.isNew).length + (input.preExistingCompile ?? 0);
  const hidden = all.filter((f) => f.isNew).length - fresh.length;
  const notes: string[] = [];
  if (hidden > 0) notes.push(`${plural(hidden, "lower-severity diagnostic")} not listed here (in ${hint}).`);
  if (preExisting > 0) notes.push(`${plural(preExisting, "pre-existing diagnostic")} on the base branch not counted.`);
  return {
    present: fresh.length > 0 || notes.length > 0,
    summary: "",
    blocks: fresh.length > 0 ? [block(["", "Code", "Where", "Message"], fresh, row, level.maxRows, "diagnostic", hint)] : [],
    notes,
  };
}

function footer(input: ViewInput): CommentView["footer"] {
  const { report } = input;
  const short = (sha: string) => sha.slice(0, 7);
  // A ref that is a SHA (an Action's checkout) is named once, short.
  const ref = (r: { ref: string; sha: string }) => (/^[0-9a-f]{40}$/i.test(r.ref) ? codeSpan(short(r.ref)) : `${codeSpan(r.ref)} (${short(r.sha)})`);
  const line = `Rocky Review · report v${report.version} · ${ref(report.head)} vs ${/^[0-9a-f]{40}$/i.test(report.base.ref) ? codeSpan(short(report.base.ref)) : codeSpan(report.base.ref)} at merge-base ${short(report.mergeBase)}`;
  const dropped = input.dropped ?? [];
  return {
    line,
    trimmed: dropped.length > 0 ? `Trimmed to fit GitHub's comment limit: left out ${dropped.join("; ")}. The full findings are in ${fullReportHint(input)}.` : "",
    fullReport: input.reportUrl ? `[Full report](${input.reportUrl})` : "",
  };
}
