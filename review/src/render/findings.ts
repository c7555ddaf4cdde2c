import type { Diagnostic, Severity } from "../../../engine/src/diagnostics/diagnostic.js";
import { uncheckedSubject, uncheckedWhere } from "../compliance/compliance-config.js";
import { configProblemsBeyondUnchecked } from "../compliance/fail-on-exception.js";
import type { CheckName } from "../report/rendered.js";
import { consequencesClause } from "../report/fold-consequences.js";
import type { BlastRadiusEntry, BreakingChange, BreakingChangeKind, BreakingSeverity, MaskWeakening, ReportSpan, ReviewDiagnostic, ReviewReport } from "../report/types.js";
import { plural } from "./format.js";

/**
 * Every finding of a report, in one shape, assigned to the check that owns it. The comment's
 * summary, the check runs, the annotations and the inline comments are all views of this list,
 * so their counts agree. Only `isNew` findings count (a finding that already existed on the
 * merge-base is shown as pre-existing, never counted, never annotated).
 */
export type FindingSeverity = "error" | "warning" | "info";

export type FindingKind = "compile" | "breaking" | "contract" | "compliance" | "cost" | "portability";

export interface Finding {
  readonly check: CheckName;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  readonly code: string;
  readonly model?: string;
  readonly column?: string;
  /** One line, plain text (user strings unescaped: renderers escape for their medium). */
  readonly message: string;
  /** Help text, plain. */
  readonly help?: string;
  /** Project-relative span; `base` when it is on the merge-base side (a removed model or key): no annotation there. */
  readonly span?: { readonly file: string; readonly line: number; readonly col?: number; readonly endLine?: number; readonly endCol?: number; readonly base?: true };
  readonly isNew: boolean;
  /** The diagnostic behind it, when there is one (P001 replacements). */
  readonly diagnostic?: Diagnostic;
  /** A breaking change that flowed in from an upstream change: listed after the changes the PR made. */
  readonly propagated?: true;
}

/** Worst first: severity, then errors > breaking changes > contract breaks > compliance > cost > portability > compile warnings. */
const KIND_RANK: Record<FindingKind, number> = { compile: 0, breaking: 1, contract: 2, compliance: 3, cost: 4, portability: 5 };
const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

const CONTRACT_CODES = new Set(["E010", "E011", "E012", "E013", "W010", "W011"]);
const PORTABILITY_CODES = new Set(["P001", "P002"]);

export function severityOf(s: Severity): FindingSeverity {
  return s === "Error" ? "error" : s === "Warning" ? "warning" : "info";
}

/** Rocky's breaking-change severities as finding severities: `breaking` is a Warning (a contract makes it an Error, as a contract finding), `warning`/`info` are Info. */
export const BREAKING_SEVERITY: Readonly<Record<BreakingSeverity, FindingSeverity>> = { breaking: "warning", warning: "info", info: "info" };

function spanOf(span: ReportSpan | Diagnostic["span"] | undefined): Finding["span"] {
  if (!span || !span.file || !(span.line >= 1)) return undefined;
  const out: { file: string; line: number; col: number | undefined; endLine?: number; endCol?: number; base?: true } = { file: span.file, line: span.line, col: span.col };
  if (span.endLine) out.endLine = span.endLine;
  if (span.endCol) out.endCol = span.endCol;
  if ("side" in span && span.side === "base") out.base = true;
  return out;
}

/** A diagnostic as a finding; one object literal (projects have a pre-existing warning per model: this runs 10,000 times). */
function fromDiagnostic(d: Diagnostic & { readonly new?: boolean; readonly consequences?: readonly ReviewDiagnostic[] }, check: CheckName, kind: FindingKind): Finding {
  // What it also causes (fold-consequences.ts) is said with it, not listed apart.
  const message = d.consequences === undefined || d.consequences.length === 0 ? d.message : `${d.message}; ${consequencesClause(d.consequences, d.model)}`;
  const f: { -readonly [K in keyof Finding]: Finding[K] } = { check, kind, severity: severityOf(d.severity), code: d.code, message, isNew: d.new ?? true, diagnostic: d };
  if (d.model) f.model = d.model;
  if (d.suggestion) f.help = d.suggestion;
  const span = spanOf(d.span);
  if (span) f.span = span;
  return f;
}

export function collectFindings(report: ReviewReport): Finding[] {
  return collect(report, undefined);
}

/** What the renderer works from: the findings, with a project's standing compile diagnostics set apart. */
export interface CollectedFindings {
  /** Every finding but the pre-existing compile diagnostics, worst first (as `collectFindings` orders them). */
  readonly findings: Finding[];
  /** The pre-existing compile diagnostics (`rocky/compile`, not new): counted, and listed after the new ones in that check's text. */
  readonly preExistingCompile: DeferredFindings;
}

/**
 * `collectFindings` for the renderer: a project's standing warnings (often one per model: 10,000
 * W005 on the benchmark) are never counted and only the compile check's text lists them, up to
 * what fits; they stay diagnostics until a table row needs one.
 */
export function collectFindingsForRender(report: ReviewReport): CollectedFindings {
  const deferred: ReviewReport["diagnostics"][number][] = [];
  const findings = collect(report, deferred);
  return { findings, preExistingCompile: new DeferredFindings(deferred) };
}

/**
 * Pre-existing compile diagnostics as findings in finding order (`sortFindings` among themselves:
 * not new, kind compile), made when read. The order is computed from the diagnostics' own fields.
 */
export class DeferredFindings {
  private order: number[] | undefined;
  private readonly made = new Map<number, Finding>();

  constructor(private readonly diagnostics: readonly (Diagnostic & { readonly new?: boolean })[]) {}

  get length(): number {
    return this.diagnostics.length;
  }

  /** The i-th in finding order. */
  at(i: number): Finding {
    this.order ??= this.sortOrder();
    const index = this.order[i];
    let f = this.made.get(index);
    if (!f) {
      f = fromDiagnostic(this.diagnostics[index], "rocky/compile", "compile");
      this.made.set(index, f);
    }
    return f;
  }

  /** sortFindings' keys for findings that are all pre-existing compile ones: severity, file, line, model, column (none), code, message. */
  private sortOrder(): number[] {
    const ds = this.diagnostics;
    const severity = ds.map((d) => SEVERITY_RANK[severityOf(d.severity)]);
    const spans = ds.map((d) => spanOf(d.span));
    const file = spans.map((s) => s?.file ?? "");
    const line = spans.map((s) => s?.line ?? 0);
    return ds
      .map((_, i) => i)
      .sort(
        (a, b) =>
          severity[a] - severity[b] ||
          file[a].localeCompare(file[b]) ||
          line[a] - line[b] ||
          (ds[a].model ?? "").localeCompare(ds[b].model ?? "") ||
          ds[a].code.localeCompare(ds[b].code) ||
          ds[a].message.localeCompare(ds[b].message),
      );
  }
}

/** `deferred`: where to put the pre-existing compile diagnostics instead of making findings of them (undefined: make them). */
function collect(report: ReviewReport, deferred: (Diagnostic & { readonly new?: boolean })[] | undefined): Finding[] {
  const out: Finding[] = [];
  const masked = new Set<string>();
  const budgeted = new Set<string>();

  for (const f of report.contracts) {
    out.push({
      check: "rocky/contracts",
      kind: "contract",
      severity: severityOf(f.severity),
      code: f.code,
      model: f.model,
      column: f.column,
      message: f.pathText && !f.message.includes(f.pathText.replace(/ \(contract:.*\)$/, "")) ? `${f.message} (${f.pathText})` : f.message,
      ...(f.diagnostic.suggestion ? { help: f.diagnostic.suggestion } : {}),
      ...(spanOf(f.span) ? { span: spanOf(f.span) } : {}),
      isNew: f.new,
      diagnostic: f.diagnostic,
    });
  }
  // A narrowing that flowed downstream is part of its root's finding when the root is one: the
  // root says how many columns narrow with it, and the breaking-change table lists each.
  const roots = new Set<string>();
  const breaking = shownBreakingChanges(report);
  for (const b of breaking) if (b.from === undefined && b.column !== undefined && BREAKING_SEVERITY[b.severity] !== "info") roots.add(`${b.model}.${b.column}`);
  const withRoot = new Map<string, number>();
  for (const b of breaking) if (b.from !== undefined && roots.has(b.from)) withRoot.set(b.from, (withRoot.get(b.from) ?? 0) + 1);
  const exposuresOf = new Map(report.models.map((m) => [m.model, m.exposures]));
  const entryOf = new Map(report.blastRadius.entries.map((e) => [e.changeId, e]));
  for (const b of breaking) {
    if (b.from !== undefined && roots.has(b.from)) continue;
    const downstream = b.column === undefined || b.from !== undefined ? 0 : (withRoot.get(`${b.model}.${b.column}`) ?? 0);
    // Without a line to point at (a key set in _defaults.toml, a reorder), the message names the model.
    const located = spanOf(b.span) ? b.detail : `${b.detail} (${b.model})`;
    const detail = withExposures(located, b, exposuresOf);
    const narrowing = downstream > 0 ? `${detail}; ${downstream === 1 ? "1 downstream column narrows" : `${downstream} downstream columns narrow`} with it` : detail;
    out.push({
      check: "rocky/contracts",
      kind: "breaking",
      severity: BREAKING_SEVERITY[b.severity],
      code: b.kind,
      model: b.model,
      ...(b.column ? { column: b.column } : {}),
      message: withReach(narrowing, b.from === undefined && b.changeId !== undefined ? entryOf.get(b.changeId) : undefined),
      ...(spanOf(b.span) ? { span: spanOf(b.span) } : {}),
      isNew: true,
      ...(b.from !== undefined ? { propagated: true as const } : {}),
    });
  }
  for (const d of report.portability) out.push(fromDiagnostic(d, "rocky/portability", "portability"));
  if (report.targetDialectChange) out.push(targetDialectFinding(report, report.targetDialectChange));

  if (report.compliance) {
    const groups = new Map<string, (typeof report.compliance.exceptions)[number][]>();
    for (const e of report.compliance.exceptions) {
      const key = `${e.model}\u0000${e.column}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    for (const [key, list] of groups) {
      masked.add(key);
      const e = list[0];
      const envs = list.map((x) => x.env).join(", ");
      // An error of the masking check (`rocky compliance --fail-on exception` fails on it), so not
      // shown under Rocky's warning-level code W004: its icon follows its severity.
      out.push({
        check: "rocky/masking",
        kind: "compliance",
        severity: "error",
        code: "unmasked_column",
        model: e.model,
        column: e.column,
        message: `${e.model}.${e.column} is unmasked in ${envs}: ${e.reason}`,
        help: keyLeftBehind(report, e.model, e.column) ?? (e.via_lineage ? "classify the column (so [mask] applies), or hash it (md5/sha2) where it is derived" : "add the tag to [mask] for these envs, or list it in [classifications] allow_unmasked"),
        ...(spanOf(e.span) ? { span: spanOf(e.span) } : {}),
        isNew: list.some((x) => x.new !== false),
      });
    }
  }
  for (const w of weakeningFindings(report)) out.push(w);
  for (const d of report.compliance?.declassified ?? []) {
    const envs = d.envs.join(", ");
    out.push({
      check: "rocky/masking",
      kind: "compliance",
      severity: "warning",
      code: "classification_removed",
      model: d.model,
      column: d.column,
      message: `'${d.tag}' classification removed from ${d.model}.${d.column}, which stays: no longer masked in ${envs} (was ${d.from})`,
      help: `keep \`${d.column} = "${d.tag}"\` in [classification] if the column still holds ${d.tag} data; otherwise drop or mask it upstream`,
      ...(spanOf(d.span) ? { span: spanOf(d.span) } : {}),
      isNew: true,
    });
  }
  for (const u of uncheckedFindings(report)) out.push(u);
  if (report.cost) {
    for (const b of report.cost.budgetBreaches) {
      budgeted.add(b.model ?? "");
      out.push(fromDiagnostic(b.diagnostic, "rocky/cost", "cost"));
    }
  }

  const portabilityKey = (d: Diagnostic) => `${d.code}\u0000${d.span?.file ?? ""}\u0000${d.span?.line ?? 0}\u0000${d.message}`;
  const portability = new Set(report.portability.map(portabilityKey));
  for (const d of report.diagnostics) {
    if (CONTRACT_CODES.has(d.code)) continue;
    if (PORTABILITY_CODES.has(d.code)) {
      if (!portability.has(portabilityKey(d))) out.push(fromDiagnostic(d, "rocky/portability", "portability"));
      continue;
    }
    if (d.code === "W004") {
      const column = /column '([^']+)'/.exec(d.message)?.[1];
      if (column !== undefined && masked.has(`${d.model}\u0000${column}`)) continue;
      out.push(fromDiagnostic(d, "rocky/masking", "compliance"));
      continue;
    }
    if (d.code === "E027") {
      if (budgeted.has(d.model ?? "")) continue;
      out.push(fromDiagnostic(d, "rocky/cost", "cost"));
      continue;
    }
    if (deferred && d.new === false) deferred.push(d);
    else out.push(fromDiagnostic(d, "rocky/compile", "compile"));
  }
  return sortFindings(out);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(b.isNew) - Number(a.isNew) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      Number(a.propagated === true) - Number(b.propagated === true) ||
      (a.span?.file ?? "").localeCompare(b.span?.file ?? "") ||
      (a.span?.line ?? 0) - (b.span?.line ?? 0) ||
      (a.model ?? "").localeCompare(b.model ?? "") ||
      (a.column ?? "").localeCompare(b.column ?? "") ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

export function countFindings(findings: readonly Finding[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.isNew) counts[f.severity] += 1;
  return counts;
}

/**
 * When the PR renamed a classified column and its mask went with the old name (the
 * `[classification]` key was left behind), the fix is to move the key: say so.
 */
function keyLeftBehind(report: ReviewReport, model: string, column: string): string | undefined {
  const same = (m: string, c: string | undefined) => m === model && c?.toLowerCase() === column.toLowerCase();
  const renamed = report.columnChanges.find((c) => same(c.model, c.column) && c.change.kind === "renamed");
  if (renamed?.change.kind !== "renamed") return undefined;
  const dropped = report.breakingChanges.some((b) => b.kind === "column_mask_changed" && same(b.model, b.column) && b.old !== "" && b.new === "");
  if (!dropped) return undefined;
  return `this PR renamed '${renamed.change.from}' to '${renamed.column}': rename its [classification] key in ${model} too`;
}

/**
 * What the masking check could not check (review/src/compliance/compliance-config.ts): a model or
 * column whose classification did not load or names no column, and rocky.toml masking tables that
 * did not load. An error of rocky/masking, as `rocky compliance --fail-on exception` fails on it: a
 * required masking check must not pass on config it could not read. No span: the diagnostic behind
 * it is the compile check's finding, on that line, and one inline comment there is enough; it is
 * new when that diagnostic is.
 */
function uncheckedFindings(report: ReviewReport): Finding[] {
  const c = report.compliance;
  if (!c) return [];
  const problems = configProblemsBeyondUnchecked(c);
  if (problems.length === 0 && (c.unchecked ?? []).length === 0) return [];
  const at = (code: string | undefined, file: string | undefined, line: number | undefined) => `${code}\u0000${file}\u0000${line}`;
  const fresh = new Map(report.diagnostics.map((d) => [at(d.code, d.span?.file, d.span?.line), d.new] as const));
  const out: Finding[] = [];
  for (const u of c.unchecked ?? []) {
    const where = uncheckedWhere(u);
    const what = uncheckedSubject(u);
    out.push({
      check: "rocky/masking",
      kind: "compliance",
      severity: "error",
      code: "masking_unchecked",
      model: u.model,
      ...(!u.whole_model && u.columns.length === 1 ? { column: u.columns[0] } : {}),
      message: `${what} not checked: ${u.reason ?? "its classification did not load"} (${u.code ?? "R002"} at ${where})`,
      help: u.code === "R012" ? "classify a column the model outputs (see the R012 finding), or remove the key" : `fix ${where} (the ${u.code ?? "R002"} finding) so its classification loads`,
      isNew: fresh.get(at(u.code, u.file, u.line)) ?? true,
    });
  }
  for (const d of problems) {
    const where = `${d.span?.file}:${d.span?.line}`;
    out.push({
      check: "rocky/masking",
      kind: "compliance",
      severity: "error",
      code: "masking_unchecked",
      message: `masking not sure: ${where} did not load (${d.code}: ${d.message})`,
      help: `fix ${where} (the ${d.code} finding): until then the strategies masking resolves may not be the ones the file sets`,
      isNew: fresh.get(at(d.code, d.span?.file, d.span?.line)) ?? true,
    });
  }
  return out;
}

/**
 * A tag the PR stops masking, one finding per rocky.toml line: which columns it leaves in clear,
 * and where. A warning: Rocky counts `none` as compliant, and turning masking off can be meant.
 */
function weakeningFindings(report: ReviewReport): Finding[] {
  const groups = new Map<string, MaskWeakening[]>();
  for (const w of report.compliance?.weakened ?? []) {
    const key = `${w.tag}\u0000${w.from}\u0000${w.to}\u0000${w.span?.side ?? ""}\u0000${w.span?.line ?? 0}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  return [...groups.values()].map((list) => {
    const w = list[0];
    const envs = list.map((x) => x.env).join(", ");
    const names = w.columns.map((c) => `${c.model}.${c.column}`);
    const shown = someNames(names);
    const columns = names.length === 1 ? `1 \`${w.tag}\` column` : `${names.length} \`${w.tag}\` columns`;
    return {
      check: "rocky/masking",
      kind: "compliance",
      severity: "warning",
      code: "mask_weakened",
      message: `${weakeningLabel(w)}: ${columns} ${w.to === "partial" ? "only partly masked (the first and last 2 characters of each value in clear)" : "no longer masked"} in ${envs} (${shown})`,
      help: WEAKENING_HELP[w.to](w.tag),
      ...(spanOf(w.span) ? { span: spanOf(w.span) } : {}),
      isNew: true,
    } satisfies Finding;
  });
}

/**
 * The breaking changes that break a query reading the model's table as it was (a dashboard's): the
 * table or a column it names is gone or renamed, or a column's type narrowed. Their findings name
 * the model's own exposures; what they reach through other models is the blast radius's.
 */
const BREAKS_READERS: ReadonlySet<BreakingChangeKind> = new Set(["model_removed", "column_dropped", "column_renamed", "column_type_changed", "target_renamed"]);

/**
 * A breaking change's message with the model's own exposures, when the change breaks a query
 * reading its table as it was: "exposure X reads this model"; for one row standing for several
 * models (a `_defaults.toml` target change), which of them each is read through.
 */
/** A column change's reach, said on its own line (the annotation a reviewer sees in the diff): `; read by 95 columns in 48 downstream models, 2 of them contracted`. */
function withReach(detail: string, entry: BlastRadiusEntry | undefined): string {
  if (entry === undefined || entry.consumers.length === 0) return detail;
  const contracted = new Set(entry.consumers.filter((c) => c.contracted).map((c) => c.model)).size;
  return `${detail}; read by ${plural(entry.consumers.length, "column")} in ${plural(entry.models.length, "downstream model")}${contracted > 0 ? `, ${contracted} of them contracted` : ""}`;
}

function withExposures(located: string, b: ShownBreakingChange, exposuresOf: ReadonlyMap<string, readonly string[]>): string {
  if (!BREAKS_READERS.has(b.kind) || b.severity !== "breaking") return located;
  const models = b.models ?? [b.model];
  const read = models.filter((m) => (exposuresOf.get(m) ?? []).length > 0);
  const exposed = [...new Set(read.flatMap((m) => exposuresOf.get(m) ?? []))];
  if (exposed.length === 0) return located;
  const what = b.models === undefined ? "this model" : someNames(read);
  return `${located}; ${exposed.length === 1 ? "exposure" : "exposures"} ${someNames(exposed)} ${exposed.length === 1 ? "reads" : "read"} ${what}`;
}

/**
 * A PR's change of `[portability] target_dialect`, on that rocky.toml line: what it does to the
 * whole project, said once where the PR made it (the P001 findings it brings are in files the PR
 * left alone, where no inline comment can go), with the constructs behind them counted. A notice:
 * the P001 findings are what fail the check.
 */
function targetDialectFinding(report: ReviewReport, change: NonNullable<ReviewReport["targetDialectChange"]>): Finding {
  const p001 = report.portability.filter((d) => d.code === "P001" && d.new !== false);
  const models = new Set(p001.map((d) => d.model ?? d.span?.file ?? ""));
  const label = `[portability] target_dialect: ${change.from ?? "(none)"} → ${change.to ?? "(none)"}`;
  let effect: string;
  if (change.to === undefined) effect = "models are no longer checked against a target warehouse";
  else if (p001.length === 0) effect = `every model checked against ${change.to}: nothing found that does not run there`;
  else effect = `${p001.length === 1 ? "1 P001 finding" : `${p001.length} P001 findings`} in ${models.size === 1 ? "1 model" : `${models.size} models`} follow from it (${constructCounts(p001)})`;
  return {
    check: "rocky/portability",
    kind: "portability",
    severity: "info",
    code: "target_dialect_changed",
    message: `${label}: ${effect}`,
    ...(p001.length > 0 ? { help: "rewrite each construct (the P001 findings carry the replacement), or list the ones meant to stay in [portability] allow" } : {}),
    ...(spanOf(change.span) ? { span: spanOf(change.span) } : {}),
    isNew: true,
  };
}

/** The constructs the PR's new P001 findings name, counted (constructCounts). */
export function newP001Constructs(report: ReviewReport): string {
  return constructCounts(report.portability.filter((d) => d.code === "P001" && d.new !== false));
}

/** The constructs P001 findings name (the first word of each message), most frequent first: `STRFTIME ×150, NOW ×3`. */
function constructCounts(p001: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of p001) {
    const construct = /^[^\s:]+/.exec(d.message)?.[0] ?? d.message;
    counts.set(construct, (counts.get(construct) ?? 0) + 1);
  }
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const shown = sorted.slice(0, 6).map(([c, n]) => `${c} ×${n}`);
  return sorted.length > 6 ? `${shown.join(", ")} and ${sorted.length - 6} more kinds` : shown.join(", ");
}

/** Up to five names; past that, four and how many more. */
function someNames(names: readonly string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 4).join(", ")} and ${names.length - 4} more`;
}

/** How a weakening reads: `[mask.prod] pii: redact → none`. */
function weakeningLabel(w: MaskWeakening): string {
  if (w.to === "allow_unmasked") return `'${w.tag}' added to [classifications] allow_unmasked, with no strategy (was ${w.from})`;
  return `${w.env === "default" ? "[mask]" : `[mask.${w.env}]`} ${w.tag}: ${w.from} → ${w.to}`;
}

const WEAKENING_HELP: Readonly<Record<MaskWeakening["to"], (tag: string) => string>> = {
  none: (tag) => `keep a masking strategy (hash, redact, partial) for '${tag}', or reclassify the columns if they are not ${tag} data`,
  allow_unmasked: (tag) => `give '${tag}' a masking strategy in [mask] instead of allow-listing it`,
  partial: (tag) => `keep hash or redact for '${tag}' unless part of each value may be read in clear`,
};

/** A whole-model change and the per-column kind it stands for in the comment. */
const COLUMNS_OF: Partial<Record<BreakingChangeKind, BreakingChangeKind>> = { model_added: "column_added", model_removed: "column_dropped" };

/**
 * The breaking changes as the comment and the checks show them (the JSON keeps every one):
 * - a new or removed model is one row that says how many columns it has, not one row per column;
 * - a change made once in a shared file (a `_defaults.toml` or config-group key) for many models
 *   is one row on that line that names them, not one row per model.
 */
/** A breaking change as shown; a row standing for several models' same change names them in `models`. */
export type ShownBreakingChange = BreakingChange & { readonly models?: readonly string[] };

export function shownBreakingChanges(report: ReviewReport): readonly ShownBreakingChange[] {
  return foldShared(foldModelColumns(foldNewColumnMasks(withoutBareSqlChanges(report))));
}

/**
 * A classification on a column the PR adds is no mask change (nothing was unmasked before): its
 * `column_mask_changed` row ("(none) → pii") is said in the column's `column_added` row instead.
 */
function foldNewColumnMasks(changes: readonly BreakingChange[]): readonly BreakingChange[] {
  const key = (b: BreakingChange) => `${b.model}\u0000${(b.column ?? "").toLowerCase()}`;
  const added = new Set(changes.filter((b) => b.kind === "column_added" && b.column !== undefined).map(key));
  if (added.size === 0) return changes;
  const tags = new Map<string, string>();
  for (const b of changes) if (b.kind === "column_mask_changed" && b.old === "" && b.new && added.has(key(b))) tags.set(key(b), b.new);
  if (tags.size === 0) return changes;
  return changes.flatMap((b) => {
    if (b.kind === "column_mask_changed" && tags.has(key(b)) && b.old === "") return [];
    const tag = b.kind === "column_added" ? tags.get(key(b)) : undefined;
    return tag === undefined ? [b] : [{ ...b, detail: `${b.detail}, classified ${tag}` }];
  });
}

/**
 * "SQL changed" says nothing a model's column or row-level change does not say better: it is
 * shown only for a model with no more specific change (an edit that computes the same, a
 * reordering). An edit of comments, layout or keyword case alone is no change at all (diff-projects.ts).
 * Shown alone, for a model with no error (whose columns were all compared), it says that the edit
 * computes the same: a refactor, which is what a reviewer wants to know of it.
 */
function withoutBareSqlChanges(report: ReviewReport): readonly BreakingChange[] {
  const changes = report.breakingChanges;
  if (!changes.some((b) => b.kind === "sql_body_changed")) return changes;
  const specific = new Set<string>();
  for (const b of changes) if (b.kind !== "sql_body_changed") specific.add(b.model);
  for (const c of report.columnChanges ?? []) specific.add(c.model);
  for (const r of report.rowLevelChanges ?? []) specific.add(r.model);
  const failing = new Set((report.diagnostics ?? []).filter((d) => d.severity === "Error" && d.model !== undefined).map((d) => d.model));
  const out: BreakingChange[] = [];
  for (const b of changes) {
    if (b.kind !== "sql_body_changed") out.push(b);
    else if (specific.has(b.model)) continue;
    // Failing on head, or fixed by the PR (its detail says it did not compile on base): its columns were not all compared.
    else if (failing.has(b.model) || b.detail !== "SQL changed") out.push(b);
    else out.push({ ...b, detail: `${b.detail}; its columns and rows compute as before (a refactor)` });
  }
  return out;
}

function foldModelColumns(changes: readonly BreakingChange[]): readonly BreakingChange[] {
  // `${column kind}\0${model}` → how many of that model's column rows fold into its model row.
  const folded = new Map<string, number>();
  for (const b of changes) {
    const kind = COLUMNS_OF[b.kind];
    if (kind !== undefined) folded.set(`${kind}\u0000${b.model}`, 0);
  }
  if (folded.size === 0) return changes;
  const shown: BreakingChange[] = [];
  for (const b of changes) {
    const key = `${b.kind}\u0000${b.model}`;
    const n = folded.get(key);
    if (n === undefined) shown.push(b);
    else folded.set(key, n + 1);
  }
  const columns = (n: number) => (n === 1 ? "1 column" : `${n} columns`);
  return shown.map((b) => {
    const n = folded.get(`${COLUMNS_OF[b.kind]}\u0000${b.model}`) ?? 0;
    if (n === 0) return b;
    return { ...b, detail: b.kind === "model_added" ? `new model writing ${b.target}, ${columns(n)}` : `model removed with its ${columns(n)}; ${b.target} is no longer built` };
  });
}

/** Model-level changes of several models on the same line of the same file: only a shared config key can be that. */
function foldShared(changes: readonly BreakingChange[]): readonly ShownBreakingChange[] {
  const keyOf = (b: BreakingChange) => (b.span === undefined || b.column !== undefined || b.from !== undefined ? undefined : `${b.kind}\u0000${b.severity}\u0000${b.keyKind ?? ""}\u0000${b.span.side}\u0000${b.span.file}\u0000${b.span.line}`);
  const groups = new Map<string, BreakingChange[]>();
  for (const b of changes) {
    const key = keyOf(b);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  if (![...groups.values()].some((g) => g.length > 1)) return changes;
  const out: ShownBreakingChange[] = [];
  for (const b of changes) {
    const key = keyOf(b);
    const group = key === undefined ? undefined : groups.get(key);
    if (group === undefined || group.length === 1) out.push(b);
    else if (group[0] === b) out.push(foldedRow(group));
  }
  return out;
}

function foldedRow(group: readonly BreakingChange[]): ShownBreakingChange {
  const first = group[0];
  const names = group.map((b) => b.model);
  const shown = someNames(names);
  const models = `${group.length} models`;
  const same = group.every((b) => b.old === first.old && b.new === first.new);
  const common = first.kind === "target_renamed" ? commonTargetChange(group) : undefined;
  const detail = common !== undefined ? `${common} for ${models}: ${shown}` : same ? `${first.detail} for ${models}: ${shown}` : `${models} (${shown}), e.g. ${first.detail}`;
  return { ...first, model: models, models: names, target: common !== undefined || !same ? "" : first.target, detail };
}

/** `schema marts → mart` when every target changed the same part the same way, else undefined. */
function commonTargetChange(group: readonly BreakingChange[]): string | undefined {
  // A target is `catalog.schema.table` (targetOf).
  const names = ["catalog", "schema", "table"];
  let found: string | undefined;
  for (const b of group) {
    const from = (b.old ?? "").split(".");
    const to = (b.new ?? "").split(".");
    if (from.length !== 3 || to.length !== 3) return undefined;
    const changed = names.flatMap((name, i) => (from[i] === to[i] ? [] : [`${name} ${from[i]} → ${to[i]}`]));
    if (changed.length !== 1 || (found !== undefined && found !== changed[0])) return undefined;
    found = changed[0];
  }
  return found === undefined ? undefined : `target ${found}`;
}
