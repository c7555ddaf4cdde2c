import { createHash } from "node:crypto";
import type { InlineComment } from "../report/rendered.js";
import { type ChangedFile, inHeadRanges, type ReviewReport, toRepoPath } from "../report/types.js";
import { richText } from "./escape.js";
import type { Finding } from "./findings.js";
import type { ProjectFiles, ProjectFileText } from "../../../engine/src/project/types.js";

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
 */
export function buildInlineComments(report: ReviewReport, findings: readonly Finding[], headFiles?: HeadFiles, max = MAX_INLINE_COMMENTS): InlineComment[] {
  const out: InlineComment[] = [];
  const seen = new Set<string>();
  const files = changedFileIndex(report);
  for (const f of findings) {
    if (out.length >= max) break;
    if (!f.isNew || !f.span || !eligible(f)) continue;
    const file = files.get(toRepoPath(report.projectDir, f.span.file)) ?? files.get(f.span.file);
    if (!file) continue;
    const endLine = f.span.endLine && f.span.endLine > f.span.line ? f.span.endLine : f.span.line;
    if (!inHeadRanges(file, f.span.line) || !inHeadRanges(file, endLine)) continue;
    const lines = splitLines(headFiles?.get(f.span.file));
    const suggestion = f.diagnostic?.replacement ? suggestionFor(f, lines) : undefined;
    const line = suggestion?.endLine ?? f.span.line;
    const startLine = suggestion && suggestion.startLine < suggestion.endLine ? suggestion.startLine : undefined;
    const key = `${file.path}:${line}:${f.code}:${f.model ?? ""}.${f.column ?? ""}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const lineText = lines?.[f.span.line - 1] ?? "";
    out.push({
      path: file.path,
      line,
      ...(startLine !== undefined ? { start_line: startLine } : {}),
      side: "RIGHT",
      body: bodyFor(f, suggestion?.text),
      fingerprint: fingerprint([f.code, f.model ?? "", f.column ?? "", lineText.trim() || f.message]),
    });
  }
  return out;
}

function eligible(f: Finding): boolean {
  if (f.code === "P001") return true;
  // Any other finding with a clean rewrite (a config typo's did-you-mean) is worth a suggestion on its line.
  if (f.diagnostic?.replacement && f.severity !== "info") return true;
  if (f.kind === "contract") return f.severity !== "info";
  return f.kind === "compliance";
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
  const r = f.diagnostic?.replacement;
  if (!r || !lines) return undefined;
  const startLine = r.span.line;
  const endLine = r.span.endLine ?? r.span.line;
  const endCol = r.span.endCol;
  if (endCol === undefined || startLine < 1 || endLine < startLine || endLine > lines.length) return undefined;
  const first = lines[startLine - 1];
  const last = lines[endLine - 1];
  if (r.span.col - 1 > first.length || endCol - 1 > last.length) return undefined;
  const rewritten = first.slice(0, r.span.col - 1) + r.text + last.slice(endCol - 1);
  return { startLine, endLine, text: rewritten };
}

function fence(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

function bodyFor(f: Finding, suggestion: string | undefined): string {
  const subject = f.model ? ` in \`${f.model.replace(/`/g, "")}${f.column ? `.${f.column.replace(/`/g, "")}` : ""}\`` : "";
  const parts = [`**${f.code}**${subject}: ${richText(f.message)}`];
  if (suggestion !== undefined) {
    const marks = fence(suggestion);
    parts.push(`${marks}suggestion\n${suggestion}\n${marks}`);
  } else if (f.help) {
    parts.push(`help: ${richText(f.help)}`);
  }
  parts.push("<sub>Rocky Review</sub>");
  const body = parts.join("\n\n");
  return body.length <= INLINE_MAX ? body : `${body.slice(0, INLINE_MAX - 1)}…`;
}

export function fingerprint(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}
