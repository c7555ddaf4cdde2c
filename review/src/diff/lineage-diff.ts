import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { BreakingChange, ColumnChange, Consumer, ModelStatus, ProjectDiff } from "../report/types.js";
import { textTable } from "../render/text-table.js";

/**
 * Rocky's `rocky lineage-diff` and `rocky ci-diff` JSON shapes and Markdown (rocky-compat.md §3.1,
 * §3.2), built from our diff. Differences, all additive: removed columns list their consumers
 * traced on base (Rocky says "not traceable on HEAD"), with `traced_on: "base"`; a renamed column
 * is Rocky's `removed` + `added` pair with `renamed_from` on the added one; nullability and logic
 * changes, which Rocky does not see, are under `other_changes`.
 */

export type RockyChangeType = "added" | "removed" | "type_changed";

export interface LineageDiffColumnChange {
  readonly column_name: string;
  readonly change_type: RockyChangeType;
  readonly old_type?: string;
  readonly new_type?: string;
  readonly downstream_consumers: readonly { readonly model: string; readonly column: string }[];
  /** Ours. */
  readonly traced_on?: "head" | "base";
  readonly renamed_from?: string;
}

export interface OtherChange {
  readonly column_name: string;
  readonly change_type: "nullability_changed" | "logic_changed";
  readonly detail: string;
  readonly downstream_consumers: readonly { readonly model: string; readonly column: string }[];
}

export interface DiffSummary {
  readonly total_models: number;
  readonly unchanged: number;
  readonly modified: number;
  readonly added: number;
  readonly removed: number;
}

export interface LineageDiffResult {
  readonly model_name: string;
  readonly status: ModelStatus;
  readonly column_changes: readonly LineageDiffColumnChange[];
  readonly other_changes?: readonly OtherChange[];
  readonly row_level_changes?: readonly string[];
}

export interface LineageDiffOutput {
  readonly version: string;
  readonly command: "lineage-diff";
  readonly base_ref: string;
  readonly head_ref: string;
  readonly summary: DiffSummary;
  readonly results: readonly LineageDiffResult[];
  readonly markdown: string;
  /** Ours: the errors of head models that could not be typed, whose columns are not compared (present when there are any). */
  readonly diagnostics?: readonly Diagnostic[];
}

export interface CiDiffModel {
  readonly model_name: string;
  readonly status: ModelStatus;
  readonly resolved_target?: string;
  readonly row_count_before?: number;
  readonly row_count_after?: number;
  readonly column_changes: readonly { readonly column_name: string; readonly change_type: RockyChangeType; readonly old_type?: string; readonly new_type?: string }[];
}

export interface CiDiffOutput {
  readonly version: string;
  readonly command: "ci-diff";
  readonly base_ref: string;
  readonly head_ref: string;
  readonly summary: DiffSummary;
  readonly models: readonly CiDiffModel[];
  readonly markdown: string;
  readonly breaking_findings?: readonly BreakingChange[];
  /** Ours: as LineageDiffOutput.diagnostics. */
  readonly diagnostics?: readonly Diagnostic[];
}

export interface DiffOutputOptions {
  readonly version: string;
  readonly baseRef: string;
  readonly headRef?: string;
  /** Total models on head (for the summary). */
  readonly totalModels: number;
  /** ci-diff `--semantic`: include breaking findings. */
  readonly semantic?: boolean;
  /**
   * The errors of head models that could not be typed (review-pull-request.ts, uncomparedModels): the
   * diff has no column change for them, which is not "no change". Listed under "Not compared".
   */
  readonly uncompared?: readonly Diagnostic[];
}

function changedModels(diff: ProjectDiff) {
  return diff.models.filter((m) => m.status !== "unchanged");
}

function summaryOf(diff: ProjectDiff, total: number): DiffSummary {
  const ms = changedModels(diff);
  const count = (s: ModelStatus) => ms.filter((m) => m.status === s).length;
  const modified = count("modified");
  const added = count("added");
  return { total_models: total, unchanged: Math.max(0, total - modified - added), modified, added, removed: count("removed") };
}

/**
 * A change's consumers: its blast-radius entry's. A change that flowed in from upstream (a column a
 * `SELECT *` dropped with its source, a type widened with it) has no entry of its own: its consumers
 * are those its root's entry reaches through it.
 */
function consumersOf(diff: ProjectDiff, change: ColumnChange) {
  const e = diff.blastRadius.entries.find((x) => x.changeId === change.id);
  if (e !== undefined || change.direct) return { consumers: (e?.consumers ?? []).map((c) => ({ model: c.model, column: c.column })), tracedOn: e?.tracedOn };
  const key = `${change.model}.${change.column}`.toLowerCase();
  for (const root of diff.blastRadius.entries) {
    if (!root.consumers.some((c) => `${c.model}.${c.column}`.toLowerCase() === key)) continue;
    const readers = new Map<string, Consumer[]>();
    for (const c of root.consumers) readers.set(c.via.toLowerCase(), [...(readers.get(c.via.toLowerCase()) ?? []), c]);
    const out: Consumer[] = [];
    const seen = new Set([key]);
    for (let frontier = [key]; frontier.length > 0; ) {
      const next: string[] = [];
      for (const at of frontier) {
        for (const c of readers.get(at) ?? []) {
          const k = `${c.model}.${c.column}`.toLowerCase();
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(c);
          next.push(k);
        }
      }
      frontier = next;
    }
    return { consumers: out.map((c) => ({ model: c.model, column: c.column })), tracedOn: root.tracedOn };
  }
  return { consumers: [], tracedOn: undefined };
}

function rockyChanges(diff: ProjectDiff, changes: readonly ColumnChange[]): LineageDiffColumnChange[] {
  const out: LineageDiffColumnChange[] = [];
  for (const c of changes) {
    const { consumers, tracedOn } = consumersOf(diff, c);
    const traced = tracedOn ? { traced_on: tracedOn } : {};
    switch (c.change.kind) {
      case "added":
        out.push({ column_name: c.column, change_type: "added", new_type: c.type, downstream_consumers: consumers, ...traced });
        break;
      case "removed":
        out.push({ column_name: c.column, change_type: "removed", old_type: c.type, downstream_consumers: consumers, ...traced });
        break;
      case "renamed":
        out.push({ column_name: c.change.from, change_type: "removed", old_type: c.type, downstream_consumers: consumers, ...traced });
        out.push({ column_name: c.column, change_type: "added", new_type: c.type, downstream_consumers: [], renamed_from: c.change.from, traced_on: "head" });
        break;
      case "type_changed":
        out.push({ column_name: c.column, change_type: "type_changed", old_type: c.change.old, new_type: c.change.new, downstream_consumers: consumers, ...traced });
        break;
      default:
        break;
    }
  }
  return out;
}

function otherChanges(diff: ProjectDiff, changes: readonly ColumnChange[]): OtherChange[] {
  const out: OtherChange[] = [];
  for (const c of changes) {
    if (c.change.kind !== "nullability_changed" && c.change.kind !== "logic_changed") continue;
    const detail =
      c.change.kind === "nullability_changed"
        ? `${c.change.old ? "nullable" : "not null"} → ${c.change.new ? "nullable" : "not null"}${c.change.expression ? ", expression changed" : ""}`
        : c.change.reason === "expression"
          ? "expression changed"
          : `reads changed ${(c.change.upstream ?? []).map((u) => `${u.model}.${u.column}`).join(", ")}`;
    out.push({ column_name: c.column, change_type: c.change.kind, detail, downstream_consumers: consumersOf(diff, c).consumers });
  }
  return out;
}

/** Escape a Markdown table cell the way Rocky does (pipes and backticks), plus newlines. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/`/g, "\\`").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/** HTML-escaped; @ is neutralized too (inside <code> GitHub does not link mentions, but be safe). */
function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/@/g, "&#64;");
}

function countLine(s: DiffSummary): string {
  const changed = s.modified + s.added + s.removed;
  return `**${changed} model(s) changed (${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged)**`;
}

export function lineageDiff(diff: ProjectDiff, options: DiffOutputOptions): LineageDiffOutput {
  const summary = summaryOf(diff, options.totalModels);
  const uncompared = new Set((options.uncompared ?? []).map((d) => d.model));
  const results: LineageDiffResult[] = changedModels(diff).map((m) => {
    // Every column change of the model, those that flowed in from upstream too (a `SELECT *` losing a column): Rocky compares each model's columns.
    const changes = diff.columnChanges.filter((c) => c.model === m.model);
    const other = otherChanges(diff, changes);
    const rows = diff.rowLevelChanges.filter((r) => r.model === m.model).map((r) => r.clause);
    return {
      model_name: m.model,
      status: m.status,
      column_changes: rockyChanges(diff, changes),
      ...(other.length > 0 ? { other_changes: other } : {}),
      ...(rows.length > 0 ? { row_level_changes: rows } : {}),
    };
  });
  const lines = ["### Rocky Lineage Diff", ""];
  if (results.length === 0) lines.push("No data changes detected.");
  else {
    lines.push(countLine(summary), "");
    for (const r of results) {
      const n = r.column_changes.length + (r.other_changes?.length ?? 0);
      const status = uncompared.has(r.model_name) ? `${r.status} (columns not compared: it does not compile)` : `${r.status} (${n} column changes)`;
      lines.push("<details>", `<summary><b><code>${html(r.model_name)}</code></b> — ${status}</summary>`, "");
      if (r.row_level_changes) lines.push(`Row-level change (${r.row_level_changes.join(", ")}): every downstream column is affected.`, "");
      if (n > 0) {
        lines.push("| Column | Change | Old Type | New Type | Downstream consumers |", "|---|---|---|---|---|");
        for (const c of r.column_changes) {
          const consumers = c.downstream_consumers.length === 0 ? "_none_" : c.downstream_consumers.map((x) => code(`${x.model}.${x.column}`)).join(", ");
          const note = c.change_type === "removed" && c.traced_on === "base" && c.downstream_consumers.length > 0 ? " _(traced on base)_" : "";
          const change = c.renamed_from ? `added (renamed from ${code(c.renamed_from)})` : c.change_type;
          lines.push(`| ${code(c.column_name)} | ${change} | ${cell(c.old_type ?? "")} | ${cell(c.new_type ?? "")} | ${consumers}${note} |`);
        }
        for (const c of r.other_changes ?? []) {
          const consumers = c.downstream_consumers.length === 0 ? "_none_" : c.downstream_consumers.map((x) => code(`${x.model}.${x.column}`)).join(", ");
          lines.push(`| ${code(c.column_name)} | ${c.change_type} (${cell(c.detail)}) |  |  | ${consumers} |`);
        }
      }
      lines.push("", "</details>", "");
    }
  }
  notComparedMarkdown(lines, options.uncompared);
  return { version: options.version, command: "lineage-diff", base_ref: options.baseRef, head_ref: options.headRef ?? "HEAD", summary, results, markdown: `${lines.join("\n").trimEnd()}\n`, ...diagnosticsOf(options) };
}

/** Append the "Not compared" section: each error of a head model that could not be typed, with where it is. */
function notComparedMarkdown(lines: string[], errors: readonly Diagnostic[] | undefined): void {
  if (errors === undefined || errors.length === 0) return;
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const models = new Set(errors.map((d) => d.model));
  lines.push("", "#### Not compared", "", `${models.size === 1 ? "This model does not compile on HEAD, so its columns" : "These models do not compile on HEAD, so their columns"} could not be compared:`, "");
  for (const d of errors) lines.push(`- ${code(d.model ?? "")}: ${d.code} ${cell(d.message)}${d.span ? ` (${code(`${d.span.file}:${d.span.line}:${d.span.col}`)})` : ""}`);
}

function diagnosticsOf(options: DiffOutputOptions): { diagnostics?: readonly Diagnostic[] } {
  return options.uncompared !== undefined && options.uncompared.length > 0 ? { diagnostics: options.uncompared } : {};
}

export function ciDiff(diff: ProjectDiff, options: DiffOutputOptions): CiDiffOutput {
  const summary = summaryOf(diff, options.totalModels);
  const models: CiDiffModel[] = changedModels(diff).map((m) => ({
    model_name: m.model,
    status: m.status,
    resolved_target: m.target,
    column_changes: rockyChanges(
      diff,
      diff.columnChanges.filter((c) => c.model === m.model),
    ).map(({ column_name, change_type, old_type, new_type }) => ({ column_name, change_type, ...(old_type !== undefined ? { old_type } : {}), ...(new_type !== undefined ? { new_type } : {}) })),
  }));
  const lines = ["### Rocky CI Diff", ""];
  if (models.length === 0) lines.push("No data changes detected.");
  else {
    lines.push(countLine(summary), "", "| Model | Target | Status | Rows (before) | Rows (after) | Delta |", "|---|---|---|---|---|---|");
    for (const m of models) lines.push(`| ${code(m.model_name)} | ${code(m.resolved_target ?? "")} | ${m.status} | - | - | - |`);
    lines.push("");
    for (const m of models) {
      if (m.column_changes.length === 0) continue;
      lines.push("<details>", `<summary><b><code>${html(m.model_name)}</code></b> — ${m.column_changes.length} column changes</summary>`, "", "| Column | Change | Old Type | New Type |", "|---|---|---|---|");
      for (const c of m.column_changes) lines.push(`| ${code(c.column_name)} | ${c.change_type} | ${cell(c.old_type ?? "")} | ${cell(c.new_type ?? "")} |`);
      lines.push("", "</details>", "");
    }
  }
  notComparedMarkdown(lines, options.uncompared);
  const findings = options.semantic && diff.breakingChanges.length > 0 ? { breaking_findings: diff.breakingChanges } : {};
  return { version: options.version, command: "ci-diff", base_ref: options.baseRef, head_ref: options.headRef ?? "HEAD", summary, models, markdown: `${lines.join("\n").trimEnd()}\n`, ...findings, ...diagnosticsOf(options) };
}

/**
 * `rocky ci-diff --output text`: the same content for a terminal, without Markdown: the count line,
 * one aligned row per changed model, then each model's column changes. (The errors of models not
 * compared are the shell's to render, with their source lines.)
 */
export function ciDiffText(out: CiDiffOutput): string {
  const s = out.summary;
  const lines = [`CI diff: ${out.head_ref} against ${out.base_ref}`, ""];
  if (out.models.length === 0) return `${[...lines, "No data changes detected."].join("\n")}\n`;
  lines.push(`${s.modified + s.added + s.removed} model(s) changed (${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged)`, "");
  lines.push(...textTable([["model", "target", "status"], ...out.models.map((m) => [m.model_name, m.resolved_target ?? "", m.status])]).map((l) => `  ${l}`));
  for (const m of out.models) {
    if (m.column_changes.length === 0) continue;
    lines.push("", `${m.model_name}: ${m.column_changes.length} column change${m.column_changes.length === 1 ? "" : "s"}`);
    lines.push(...textTable([["column", "change", "old type", "new type"], ...m.column_changes.map((c) => [c.column_name, c.change_type, c.old_type ?? "", c.new_type ?? ""])]).map((l) => `  ${l}`));
  }
  // `--semantic`: the breaking-change findings, as the JSON's `breaking_findings` holds them.
  const findings = out.breaking_findings ?? [];
  if (findings.length > 0) {
    const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
    lines.push("", `Semantic findings: ${count("breaking")} breaking, ${count("warning")} warning, ${count("info")} info`);
    for (const f of findings) {
      const at = f.span === undefined ? "" : ` (${f.span.file}:${f.span.line}:${f.span.col})`;
      lines.push(`  ${f.severity} ${f.kind}: ${f.model}${f.column === undefined ? "" : `.${f.column}`}${at}`, `    ${f.detail}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
