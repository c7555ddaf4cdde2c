import { createHash } from "node:crypto";
import type { InlineComment } from "../report/rendered.js";
import { type ChangedFile, inBaseRanges, inHeadRanges, type ReviewReport, toRepoPath } from "../report/types.js";
import { richText } from "./escape.js";
import type { Finding } from "./findings.js";
import type { ProjectFiles, ProjectFileText } from "../../../engine/src/project/types.js";
import { spannedText } from "../diff/finding-identity.js";

/** Head files' text (project-relative path → text), for suggestion blocks that rewrite whole lines. */
export type HeadFiles = ProjectFiles;

const INLINE_MAX = 65_536;

/** At most this many inline comments per review (worst first): more is noise, and each one notifies. */
export const MAX_INLINE_COMMENTS = 50;

/**
 * Inline review comments for the findings a reviewer should see on the line itself: P001 and any
 * other finding with a clean replacement (a GitHub suggestion when the lines' text is known),
 * contract findings, and unmasked columns — only new findings, only on head lines inside the PR's
 * diff (GitHub rejects a whole review for one line outside it). One comment per (file, line,
 * code, subject), at most `max` (findings come worst first); a stable fingerprint lets the
 * publisher skip what an earlier run posted.
 *
 * A finding on something the PR removed (a dropped column, a removed model, a deleted config key)
 * has its line on the merge-base side: it goes on that deleted line (`side: LEFT`) when the PR's
 * diff deletes or rewrites it, and breaking changes (warnings and worse) are among them, since no
 * check-run annotation can point at a base line.
 *
 * Findings with replacements whose lines overlap (two NVL on one line) share one comment, and its
 * suggestion applies every replacement, so committing it fixes each finding the comment lists;
 * when two replacements overlap in the text there is no suggestion (a half fix would still fail).
 */
export function buildInlineComments(report: ReviewReport, findings: readonly Finding[], headFiles?: HeadFiles, max = MAX_INLINE_COMMENTS, baseFiles?: ProjectFiles): InlineComment[] {
  return buildInlineCommentsCapped(report, findings, headFiles, max, baseFiles).comments;
}

/** `buildInlineComments`, and how many more comments the findings had past `max` (left to the check annotations). */
export function buildInlineCommentsCapped(report: ReviewReport, findings: readonly Finding[], headFiles?: HeadFiles, max = MAX_INLINE_COMMENTS, baseFiles?: ProjectFiles): { comments: InlineComment[]; overCap: number } {
  const files = changedFileIndex(report);
  const baseIndex = baseFileIndex(report);
  const reaches = reachesSomething(report);
  const identities = headIdentities(findings, headFiles);
  // A removed classification is the masking check's finding on that deleted line; its contracts twin (column_mask_changed) would be a second comment there.
  const declassified = new Set(findings.filter((f) => f.code === "classification_removed").map((f) => `${f.model}.${f.column}`.toLowerCase()));
  // Each eligible finding, placed: its file, and the head lines a comment on it spans.
  const placed: Placed[] = [];
  for (const f of findings) {
    if (!f.isNew || !f.span) continue;
    if (f.span.base) {
      if (!eligibleOnBase(f, reaches) || (f.code === "column_mask_changed" && declassified.has(`${f.model}.${f.column}`.toLowerCase()))) continue;
      const file = baseIndex.get(toRepoPath(report.projectDir, f.span.file));
      if (file && inBaseRanges(file, f.span.line)) placed.push({ f, file, order: placed.length, base: true });
      continue;
    }
    if (!eligible(f)) continue;
    const file = files.get(toRepoPath(report.projectDir, f.span.file)) ?? files.get(f.span.file);
    if (!file) continue;
    const endLine = f.span.endLine && f.span.endLine > f.span.line ? f.span.endLine : f.span.line;
    if (!inHeadRanges(file, f.span.line) || !inHeadRanges(file, endLine)) continue;
    const r = f.diagnostic?.replacement;
    const rStart = r?.span.line ?? 0;
    const rEnd = r ? (r.span.endLine ?? r.span.line) : 0;
    const replacing = r !== undefined && rStart >= 1 && rEnd >= rStart && inHeadRanges(file, rStart) && inHeadRanges(file, rEnd);
    placed.push({ f, file, order: placed.length, ...(replacing ? { range: { start: rStart, end: rEnd } } : {}) });
  }
  const out: InlineComment[] = [];
  const seen = new Set<string>();
  let overCap = 0;
  for (const group of groupReplacements(placed)) {
    const { f, file, base } = group[0];
    if (base) {
      const line = f.span?.line ?? 1;
      const key = `LEFT:${file.path}:${line}:${f.code}:${f.model ?? ""}.${f.column ?? ""}:${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (out.length >= max) {
        overCap += 1;
        continue;
      }
      out.push({ path: file.path, line, side: "LEFT", body: bodyFor([f], undefined, false, false), fingerprint: baseFingerprint(f, splitLines(baseFiles?.get(f.span?.file ?? ""))) });
      continue;
    }
    if (out.length >= max) {
      // Past the cap only counted: no suggestion is worked out for a comment that is not sent.
      const key = `${file.path}:${f.span?.line ?? 1}:${f.code}:${f.model ?? ""}.${f.column ?? ""}:${f.message}`;
      if (!seen.has(key)) overCap += 1;
      seen.add(key);
      continue;
    }
    const lines = splitLines(headFiles?.get(f.span?.file ?? ""));
    const replacing = group[0].range !== undefined;
    const suggestion = replacing ? suggestionForAll(group.map((p) => p.f), lines) : undefined;
    const line = suggestion?.endLine ?? f.span?.line ?? 1;
    const startLine = suggestion && suggestion.startLine < suggestion.endLine ? suggestion.startLine : undefined;
    const key = `${file.path}:${line}:${f.code}:${f.model ?? ""}.${f.column ?? ""}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      path: file.path,
      line,
      ...(startLine !== undefined ? { start_line: startLine } : {}),
      side: "RIGHT",
      body: bodyFor(group.map((p) => p.f), suggestion?.text, startLine !== undefined, replacing && suggestion === undefined && group.length > 1 && group.every((p) => suggestionForAll([p.f], lines) !== undefined)),
      // Every placed finding is an eligible head-side one: headIdentities has it.
      ...identities.get(f)!,
    });
  }
  return { comments: out, overCap };
}

/**
 * The fingerprints of every current finding that could carry an inline comment: on any line (not
 * only the diff's, head or deleted), new or not, without the cap. A publisher resolves the threads
 * of its earlier comments whose finding is not among them. Undefined when a finding's absence
 * proves nothing: a new compile error on the head can hide the findings of what no longer
 * compiles, and a hidden finding is not a fixed one.
 */
export function currentFingerprints(report: ReviewReport, findings: readonly Finding[], headFiles?: HeadFiles, baseFiles?: ProjectFiles): string[] | undefined {
  if (findings.some((f) => f.check === "rocky/compile" && f.severity === "error" && f.isNew)) return undefined;
  const reaches = reachesSomething(report);
  const identities = headIdentities(findings, headFiles);
  const out = new Set<string>();
  const baseLinesOf = new Map<string, string[] | undefined>();
  for (const f of findings) {
    if (!f.span) continue;
    if (f.span.base) {
      if (!eligibleOnBase(f, reaches)) continue;
      if (!baseLinesOf.has(f.span.file)) baseLinesOf.set(f.span.file, splitLines(baseFiles?.get(f.span.file)));
      out.add(baseFingerprint(f, baseLinesOf.get(f.span.file)));
      continue;
    }
    const id = identities.get(f);
    if (id === undefined) continue;
    out.add(id.fingerprint);
    // A thread posted under the former identity is not resolved for it.
    for (const former of id.formerFingerprints) out.add(former);
  }
  return [...out];
}

interface Identity {
  readonly fingerprint: string;
  /** What an earlier version of the renderer called the same finding (its line's text): a comment posted under it is this one's. */
  readonly formerFingerprints: readonly string[];
}

/**
 * Each eligible head-side finding's identity across pushes: its code, subject and the construct its
 * span covers, comments and whitespace left out (finding-identity's spannedText, which also tells
 * new findings from pre-existing ones), never the line number, which moves. So a reformat (the call
 * moved onto its own line, an alias added beside it, the line re-indented) leaves the finding's
 * thread as it is instead of resolving it as fixed and posting it again. Equal constructs in one
 * file (the same NVL twice) are told apart by their order in the file, which a reformat keeps.
 */
function headIdentities(findings: readonly Finding[], headFiles: HeadFiles | undefined): Map<Finding, Identity> {
  const linesOf = new Map<string, string[] | undefined>();
  const linesIn = (file: string): string[] | undefined => {
    if (!linesOf.has(file)) linesOf.set(file, splitLines(headFiles?.get(file)));
    return linesOf.get(file);
  };
  const lineAt = (file: string, line: number) => linesIn(file)?.[line - 1] ?? "";
  const byKey = new Map<string, { f: Finding; line: number; col: number; former: string }[]>();
  for (const f of findings) {
    if (!f.span || f.span.base || !eligible(f)) continue;
    const text = linesIn(f.span.file) === undefined ? "" : spannedText(f.span, lineAt);
    const key = [f.code, f.model ?? "", f.column ?? "", f.span.file, text || f.message].join("\u0000");
    const lineText = lineAt(f.span.file, f.span.line);
    const former = fingerprint([f.code, f.model ?? "", f.column ?? "", lineText.trim() || f.message]);
    let list = byKey.get(key);
    if (list === undefined) byKey.set(key, (list = []));
    list.push({ f, line: f.span.line, col: f.span.col ?? 0, former });
  }
  const out = new Map<Finding, Identity>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.line - b.line || a.col - b.col);
    let nth = -1;
    let at = "";
    for (const e of list) {
      // Findings at one place (one construct seen by two checks) are one occurrence.
      if (`${e.line}:${e.col}` !== at) nth++;
      at = `${e.line}:${e.col}`;
      out.set(e.f, { fingerprint: fingerprint(["v2", key, String(nth)]), formerFingerprints: [e.former] });
    }
  }
  return out;
}

/**
 * The identity of a finding on a deleted line: as `findingFingerprint`, with the base line's text,
 * and marked as the base side's (the head file's line of that number is another line).
 */
function baseFingerprint(f: Finding, baseLines: readonly string[] | undefined): string {
  const lineText = baseLines?.[(f.span?.line ?? 1) - 1] ?? "";
  return fingerprint([f.code, f.model ?? "", f.column ?? "", "base", lineText.trim() || f.message]);
}

interface Placed {
  readonly f: Finding;
  readonly file: ChangedFile;
  /** Finding order (worst first). */
  readonly order: number;
  /** The head lines its replacement rewrites, when it has one inside the diff. */
  readonly range?: { readonly start: number; readonly end: number };
  /** On a line the PR deletes (the span is the merge-base's). */
  readonly base?: true;
}

/**
 * The comments to write, in finding order: a finding without a replacement alone; findings whose
 * replacements rewrite overlapping lines of one file together (worst first within the group).
 */
function groupReplacements(placed: readonly Placed[]): Placed[][] {
  const byFile = new Map<string, Placed[]>();
  for (const p of placed) if (p.range) byFile.set(p.file.path, [...(byFile.get(p.file.path) ?? []), p]);
  const groupOf = new Map<Placed, Placed[]>();
  for (const list of byFile.values()) {
    const sorted = [...list].sort((a, b) => (a.range?.start ?? 0) - (b.range?.start ?? 0) || a.order - b.order);
    let current: Placed[] = [];
    let end = 0;
    for (const p of sorted) {
      const range = p.range ?? { start: 0, end: 0 };
      if (current.length > 0 && range.start > end) current = [];
      if (current.length === 0) end = range.end;
      current.push(p);
      end = Math.max(end, range.end);
      groupOf.set(p, current);
    }
  }
  const out: Placed[][] = [];
  const emitted = new Set<Placed[]>();
  for (const p of placed) {
    const group = groupOf.get(p);
    if (!group) out.push([p]);
    else if (!emitted.has(group)) {
      emitted.add(group);
      out.push([...group].sort((a, b) => a.order - b.order));
    }
  }
  return out;
}

function eligible(f: Finding): boolean {
  // A target dialect changed is said on its rocky.toml line: its P001 findings are in files the PR left alone.
  if (f.code === "P001" || f.code === "target_dialect_changed") return true;
  // Any other finding with a clean rewrite (a config typo's did-you-mean) is worth a suggestion on its line.
  if (f.diagnostic?.replacement && f.severity !== "info") return true;
  if (f.kind === "contract") return f.severity !== "info";
  return f.kind === "compliance";
}

/**
 * On a deleted line: what is eligible anywhere, and a breaking change (warning or worse). A model
 * or column the PR deletes with every reader of it is gone, not broken: a comment on the line its
 * author deleted would only repeat the diff (a PR deleting 300 models would get 300), so a removal
 * gets one only when a downstream column or an exposure still reads it. A deleted key of a model
 * that stays (its classification, its strategy) changes what the table's users get, read
 * downstream or not: `email = "pii"` deleted unmasks the column.
 */
function eligibleOnBase(f: Finding, reaches: (model: string | undefined, column: string | undefined) => boolean): boolean {
  if (eligible(f)) return true;
  if (f.kind !== "breaking" || f.severity === "info") return false;
  return !REMOVALS.has(f.code) || reaches(f.model, f.column);
}

/** Breaking changes that remove their subject: nothing is broken when nothing reads it. */
const REMOVALS: ReadonlySet<string> = new Set(["model_removed", "column_dropped"]);

/** Whether the blast radius of a change to `model` (its `column`, or any column without one) reaches a consumer or an exposure. */
function reachesSomething(report: ReviewReport): (model: string | undefined, column: string | undefined) => boolean {
  const models = new Set<string>();
  const columns = new Set<string>();
  for (const e of report.blastRadius.entries) {
    if (e.consumers.length === 0 && !e.exposures?.length) continue;
    models.add(e.origin.model);
    if (e.origin.column !== undefined) columns.add(`${e.origin.model}\u0000${e.origin.column}`);
    if (e.rename) columns.add(`${e.rename.model}\u0000${e.rename.column}`);
  }
  return (model, column) => model !== undefined && (column === undefined ? models.has(model) : columns.has(`${model}\u0000${column}`));
}

/** Changed files by their repository path on base (a renamed file by its old path), with the base lines the PR deletes. */
function baseFileIndex(report: ReviewReport): Map<string, ChangedFile> {
  const index = new Map<string, ChangedFile>();
  for (const c of report.changedFiles) {
    // A copy's base side is a file the PR leaves in place.
    if (c.binary || c.status === "added" || c.status === "copied" || !c.baseRanges?.length) continue;
    index.set(c.oldPath ?? c.path, c);
  }
  return index;
}

/** Changed head files by repository path and by project path (deleted and binary files cannot carry comments). */
function changedFileIndex(report: ReviewReport): Map<string, ChangedFile> {
  const index = new Map<string, ChangedFile>();
  for (const c of report.changedFiles) {
    if (c.status === "deleted" || c.binary) continue;
    index.set(c.path, c);
    if (c.projectPath !== null && !index.has(c.projectPath)) index.set(c.projectPath, c);
  }
  return index;
}

function splitLines(textContent: ProjectFileText | undefined): string[] | undefined {
  if (typeof textContent !== "string") return undefined;
  return textContent.split(/\r?\n/);
}

/** Rewrite the lines the replacement spans, with the replacement applied (columns 1-based, end exclusive). */
export function suggestionFor(f: Finding, lines: readonly string[] | undefined): { startLine: number; endLine: number; text: string } | undefined {
  return suggestionForAll([f], lines);
}

/**
 * Rewrite the lines the findings' replacements span, with every replacement applied (columns
 * 1-based, end exclusive); undefined when one is missing, out of the text, or two overlap (or
 * touch the same point): a suggestion that fixes only some of the findings it lists is not offered.
 */
export function suggestionForAll(findings: readonly Finding[], lines: readonly string[] | undefined): { startLine: number; endLine: number; text: string } | undefined {
  if (!lines || findings.length === 0) return undefined;
  const edits: { line: number; col: number; endLine: number; endCol: number; text: string }[] = [];
  for (const f of findings) {
    const r = f.diagnostic?.replacement;
    if (!r) return undefined;
    const line = r.span.line;
    const endLine = r.span.endLine ?? r.span.line;
    const endCol = r.span.endCol;
    if (endCol === undefined || line < 1 || endLine < line || endLine > lines.length) return undefined;
    if (r.span.col < 1 || r.span.col - 1 > lines[line - 1].length || endCol - 1 > lines[endLine - 1].length) return undefined;
    if (line === endLine && endCol < r.span.col) return undefined;
    edits.push({ line, col: r.span.col, endLine, endCol, text: r.text });
  }
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);
  edits.sort((a, b) => a.line - b.line || a.col - b.col);
  for (let i = 1; i < edits.length; i++) {
    const prev = edits[i - 1];
    const next = edits[i];
    // Two replacements of one finding (the same NVL found twice) are one edit.
    if (prev.line === next.line && prev.col === next.col && prev.endLine === next.endLine && prev.endCol === next.endCol && prev.text === next.text) {
      edits.splice(i, 1);
      i -= 1;
      continue;
    }
    // Overlapping, or two starting at one point (two insertions there): no order of them is right.
    if (before(next.line, next.col, prev.endLine, prev.endCol) || (next.line === prev.line && next.col === prev.col)) return undefined;
  }
  const startLine = edits[0].line;
  const endLine = Math.max(...edits.map((e) => e.endLine));
  let text = "";
  let line = startLine;
  let col = 1;
  for (const e of edits) {
    text += slice(lines, line, col, e.line, e.col) + e.text;
    line = e.endLine;
    col = e.endCol;
  }
  text += slice(lines, line, col, endLine, lines[endLine - 1].length + 1);
  return { startLine, endLine, text };
}

/** The text from (line, col) up to (endLine, endCol), exclusive; lines joined with \n. */
function slice(lines: readonly string[], line: number, col: number, endLine: number, endCol: number): string {
  if (line === endLine) return lines[line - 1].slice(col - 1, endCol - 1);
  const parts = [lines[line - 1].slice(col - 1)];
  for (let l = line + 1; l < endLine; l++) parts.push(lines[l - 1]);
  parts.push(lines[endLine - 1].slice(0, endCol - 1));
  return parts.join("\n");
}

function fence(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

function bodyFor(findings: readonly Finding[], suggestion: string | undefined, multiLine: boolean, overlapping: boolean): string {
  // One line per distinct finding; the same finding found more than once (two NVL) says how many.
  const heads = new Map<string, number>();
  for (const f of findings) {
    const { subject, message } = withoutRepeatedSubject(f);
    const head = `**${f.code}**${subject ? ` in \`${subject.replace(/`/g, "")}\`` : ""}: ${richText(message)}`;
    heads.set(head, (heads.get(head) ?? 0) + 1);
  }
  const listed = [...heads].map(([head, n]) => (n > 1 ? `${head} (${n} on ${multiLine ? "these lines" : "this line"})` : head));
  const parts = listed.length === 1 ? listed : [listed.map((h) => `- ${h}`).join("\n")];
  if (suggestion !== undefined) {
    const marks = fence(suggestion);
    parts.push(`${marks}suggestion\n${suggestion}\n${marks}`);
  } else {
    const helps = [...new Set(findings.flatMap((f) => (f.help ? [richText(f.help)] : [])))];
    if (helps.length > 0) parts.push(`help: ${helps.join("; ")}`);
    if (overlapping) parts.push("No suggestion: these fixes overlap in the text, so apply them by hand.");
  }
  parts.push("<sub>Rocky Review</sub>");
  const body = parts.join("\n\n");
  return body.length <= INLINE_MAX ? body : `${body.slice(0, INLINE_MAX - 1)}…`;
}

/**
 * The comment's subject (`model.column`) and message, said once: a message that starts with the
 * subject ("dim.phone is unmasked ...") keeps it and drops the subject; one that starts with the
 * column ("phone: String dropped") drops that prefix.
 */
function withoutRepeatedSubject(f: Finding): { subject: string; message: string } {
  const subject = f.model ? `${f.model}${f.column ? `.${f.column}` : ""}` : "";
  if (!subject) return { subject, message: f.message };
  const lower = f.message.toLowerCase();
  if (lower.startsWith(`${subject.toLowerCase()} `)) return { subject: "", message: f.message };
  if (f.column && lower.startsWith(`${f.column.toLowerCase()}: `)) return { subject, message: f.message.slice(f.column.length + 2) };
  return { subject, message: f.message };
}

export function fingerprint(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}
