import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ChangedFile, type FileStatus, inHeadRanges, type LineRange } from "../report/types.js";
import { normalizeProjectDir, type ProjectLayout, projectFileRole } from "./project-file-role.js";
import { decodeProjectFile } from "../../../engine/src/project/read-project-dir.js";
import { WORKTREE } from "./resolve-refs.js";
import { runGit } from "./run-git.js";

/** Options that make diff output independent of the user's git config. */
const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "-M"];
const GIT_CONFIG = ["-c", "core.quotePath=false", "-c", "diff.renames=true"];

const STATUS: Record<string, FileStatus> = { A: "added", M: "modified", D: "deleted", R: "renamed", C: "copied", T: "type_changed" };

export interface NameStatusEntry {
  readonly status: FileStatus;
  readonly path: string;
  readonly oldPath?: string;
}

/** Parse `git diff --name-status -z` output. */
export function parseNameStatus(out: string): NameStatusEntry[] {
  const parts = out.split("\0");
  const entries: NameStatusEntry[] = [];
  let i = 0;
  while (i < parts.length) {
    const code = parts[i];
    if (code === "") {
      i++;
      continue;
    }
    const letter = code[0];
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      entries.push({ status, oldPath: parts[i + 1], path: parts[i + 2] });
      i += 3;
      continue;
    }
    entries.push({ status, path: parts[i + 1] });
    i += 2;
  }
  return entries;
}

/** Undo git's C-style path quoting (`"a\tb"`, octal bytes). */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      continue;
    }
    const next = body[i + 1];
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
      continue;
    }
    bytes.push(simple[next] ?? next.charCodeAt(0));
    i += 1;
  }
  return Buffer.from(bytes).toString("utf8");
}

function stripPrefix(p: string, prefix: "a/" | "b/"): string {
  const u = unquoteGitPath(p);
  return u.startsWith(prefix) ? u.slice(2) : u;
}

/** Path from a `diff --git a/X b/X` header when both halves are equal (the only case without ---/+++ or rename lines). */
function pathFromHeader(rest: string): string | null {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S.*)$/.exec(rest);
    return m ? stripPrefix(m[2], "b/") : null;
  }
  if (!rest.startsWith("a/") || (rest.length - 5) % 2 !== 0) return null;
  const n = (rest.length - 5) / 2;
  const a = rest.slice(2, 2 + n);
  const b = rest.slice(2 + n + 3);
  return a === b ? b : null;
}

export interface FileHunks {
  readonly path: string;
  /** Head-side lines the PR added or changed (none for a deleted file). */
  readonly ranges: LineRange[];
  /** Base-side lines the PR deleted or rewrote (for a deleted file, all of it). */
  readonly baseRanges: LineRange[];
  binary: boolean;
}

/**
 * Parse `git diff -U0` output into line ranges per file (keyed by the head path; a deleted file by
 * its base path): `+c,d` of each hunk gives head lines (d = 0 is a pure deletion and adds none),
 * `-a,b` the base lines it removes (b = 0 is a pure addition).
 */
export function parseUnifiedZeroDiff(out: string): Map<string, FileHunks> {
  const files = new Map<string, FileHunks>();
  let current: { path: string | null; ranges: LineRange[]; baseRanges: LineRange[]; binary: boolean; deleted: boolean; inHunk: boolean } | null = null;
  const flush = () => {
    if (current?.path) files.set(current.path, { path: current.path, ranges: current.deleted ? [] : mergeRanges(current.ranges), baseRanges: mergeRanges(current.baseRanges), binary: current.binary });
  };
  for (const raw of out.split("\n")) {
    const line = raw.endsWith("\r") && !raw.startsWith("+") && !raw.startsWith("-") && !raw.startsWith(" ") ? raw.slice(0, -1) : raw;
    if (line.startsWith("diff --git ")) {
      flush();
      current = { path: pathFromHeader(line.slice(11)), ranges: [], baseRanges: [], binary: false, deleted: false, inHunk: false };
      continue;
    }
    if (!current) continue;
    if (line.startsWith("@@ ")) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      current.inHunk = true;
      const baseStart = Number(m[1]);
      const baseCount = m[2] === undefined ? 1 : Number(m[2]);
      if (baseCount > 0) current.baseRanges.push({ start: baseStart, end: baseStart + baseCount - 1 });
      const start = Number(m[3]);
      const count = m[4] === undefined ? 1 : Number(m[4]);
      if (count > 0) current.ranges.push({ start, end: start + count - 1 });
      continue;
    }
    if (current.inHunk) continue; // hunk body
    if (line.startsWith("+++ ")) {
      // git appends a tab to ---/+++ paths that contain a space
      const p = line.slice(4).replace(/\t$/, "");
      if (p === "/dev/null") current.deleted = true;
      else current.path = stripPrefix(p, "b/");
    } else if (line.startsWith("--- ") && current.path === null) {
      // A deleted file whose header did not give its path: the base side names it.
      const p = line.slice(4).replace(/\t$/, "");
      if (p !== "/dev/null") current.path = stripPrefix(p, "a/");
    } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
      current.path = unquoteGitPath(line.slice(line.indexOf(" to ") + 4));
    } else if (line.startsWith("deleted file mode")) {
      current.deleted = true;
    } else if (line.startsWith("Binary files ") || line === "GIT binary patch") {
      current.binary = true;
    }
  }
  flush();
  return files;
}

function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: LineRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push({ ...r });
  }
  return out;
}

function diffTarget(to: string): string[] {
  return to === WORKTREE ? [] : [to];
}

/** Head-side changed line ranges per repository path, from `git diff -U0 from to` (`to` may be WORKTREE). */
export async function changedLines(repoDir: string, from: string, to: string, pathspec: readonly string[] = []): Promise<Map<string, FileHunks>> {
  // runGit resolves when git's output is closed, not when it exits: a listing or diff is never read cut short.
  const out = await runGit(repoDir, [...GIT_CONFIG, "diff", "-U0", ...DIFF_FLAGS, from, ...diffTarget(to), "--", ...pathspec]);
  return parseUnifiedZeroDiff(out);
}

function lineCount(text: string): number {
  if (text === "") return 0;
  const n = text.split("\n").length;
  return text.endsWith("\n") ? n - 1 : n;
}

/**
 * Files changed between `from` (the merge-base) and `to` (head, or WORKTREE), with their status
 * (renames detected), their head-side changed line ranges, and their role in the project.
 */
export async function changedFiles(repoDir: string, from: string, to: string, projectDir = "", layout: ProjectLayout = {}): Promise<ChangedFile[]> {
  // runGit resolves when git's output is closed, not when it exits: a listing or diff is never read cut short.
  const dir = normalizeProjectDir(projectDir);
  const pathspec = dir === "" ? [] : [dir];
  const [nameStatus, hunks] = await Promise.all([
    runGit(repoDir, [...GIT_CONFIG, "diff", "--name-status", "-z", ...DIFF_FLAGS, from, ...diffTarget(to), "--", ...pathspec]),
    changedLines(repoDir, from, to, pathspec),
  ]);
  const entries = parseNameStatus(nameStatus);
  if (to === WORKTREE) {
    const untracked = await runGit(repoDir, ["ls-files", "-z", "--others", "--exclude-standard", "--", ...pathspec]);
    for (const p of untracked.split("\0")) if (p !== "") entries.push({ status: "added", path: p });
  }
  return toChangedFiles(entries, hunks, dir, layout, to === WORKTREE ? repoDir : undefined);
}

/**
 * The arguments of one `git diff` that says both what `changedFiles` says (`--raw` for status and
 * renames, `-U0` for line ranges) and each changed file's blob ids: `range` is `A...B` or `A B`.
 */
export function rawPatchArgs(range: readonly string[], pathspec: readonly string[]): string[] {
  return [...GIT_CONFIG, "diff", "--raw", "-z", "--no-abbrev", "-p", "-U0", ...DIFF_FLAGS, ...range, "--", ...pathspec];
}

/** A file in `git diff --raw` output: its status, modes and blob ids on both sides (`oldPath` for renames). */
export interface RawDiffEntry extends NameStatusEntry {
  readonly oldMode: string;
  readonly newMode: string;
  readonly oldObject: string;
  readonly newObject: string;
}

/** Split `git diff --raw -z -p` output into its raw records and the patch that follows them. */
export function parseRawPatch(out: string): { readonly raw: RawDiffEntry[]; readonly patch: string } {
  const parts = out.split("\0");
  const raw: RawDiffEntry[] = [];
  let i = 0;
  while (i < parts.length && parts[i].startsWith(":")) {
    // ":<old mode> <new mode> <old blob> <new blob> <status letter + score>"
    const [oldMode, newMode, oldObject, newObject, code] = parts[i].slice(1).split(" ");
    const letter = code[0];
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      raw.push({ status, oldPath: parts[i + 1], path: parts[i + 2], oldMode, newMode, oldObject, newObject });
      i += 3;
      continue;
    }
    raw.push({ status, path: parts[i + 1], oldMode, newMode, oldObject, newObject });
    i += 2;
  }
  // The patch holds no NUL (a file with one is binary, shown as "Binary files ... differ").
  return { raw, patch: parts.slice(i).join("\0").replace(/^\0+/, "") };
}

/** `changedFiles` from a `git diff --raw -z -p -U0` of two commits (see rawPatchArgs). */
export function changedFilesFromRawPatch(raw: readonly RawDiffEntry[], patch: string, projectDir: string, layout: ProjectLayout = {}): ChangedFile[] {
  return toChangedFiles(raw, parseUnifiedZeroDiff(patch), normalizeProjectDir(projectDir), layout, undefined);
}

function toChangedFiles(entries: readonly NameStatusEntry[], hunks: ReadonlyMap<string, FileHunks>, dir: string, layout: ProjectLayout, worktreeDir: string | undefined): ChangedFile[] {
  const result: ChangedFile[] = [];
  for (const e of entries) {
    const projectPath = dir === "" ? e.path : e.path.startsWith(`${dir}/`) ? e.path.slice(dir.length + 1) : null;
    const h = hunks.get(e.path);
    let headRanges: LineRange[] = e.status === "deleted" ? [] : (h?.ranges ?? []);
    let binary = h?.binary ?? false;
    if (worktreeDir !== undefined && e.status === "added" && !h) {
      const text = safeRead(join(worktreeDir, e.path));
      binary = text === null;
      const n = text === null ? 0 : lineCount(text);
      headRanges = n > 0 ? [{ start: 1, end: n }] : [];
    }
    const baseRanges = binary || e.status === "added" ? [] : (h?.baseRanges ?? []);
    result.push({
      path: e.path,
      projectPath,
      status: e.status,
      ...(e.oldPath !== undefined ? { oldPath: e.oldPath } : {}),
      headRanges: binary ? [] : headRanges,
      ...(baseRanges.length > 0 ? { baseRanges } : {}),
      binary,
      role: projectPath === null ? "other" : projectFileRole(projectPath, layout),
    });
  }
  result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/** A work-tree file's text, for its line ranges; null when it has none (binary, unreadable: it has no lines to comment on). */
function safeRead(abs: string): string | null {
  try {
    const text = decodeProjectFile(readFileSync(abs));
    return typeof text === "string" ? text : null;
  } catch {
    return null;
  }
}

/** Whether a head line of a repository path is inside the PR's diff (where inline comments may go). */
export function lineInDiff(files: readonly ChangedFile[], repoPath: string, line: number): boolean {
  const f = files.find((x) => x.path === repoPath);
  return f ? inHeadRanges(f, line) : false;
}
