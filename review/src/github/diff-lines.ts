/**
 * Which lines of a PR file may carry a review comment. GitHub accepts `side: RIGHT` comments only
 * on head lines inside a diff hunk (added or context lines), `side: LEFT` ones only on base lines
 * the patch deletes, and rejects the whole review (422 "Line could not be resolved") when one
 * comment points elsewhere, so the publisher re-checks every inline comment against the patches
 * `pulls/list-files` serves.
 */

export interface Hunk {
  /** First and last head-side line of the hunk (inclusive). */
  readonly start: number;
  readonly end: number;
}

export interface FileLines {
  /** Head-side lines that appear in the patch (added `+` or context ` `). */
  readonly lines: ReadonlySet<number>;
  readonly hunks: readonly Hunk[];
  /** Base-side lines the patch deletes (`-`): the only lines a LEFT comment may name ("LEFT for deletions that appear in red", GitHub's REST reference). */
  readonly deleted: ReadonlySet<number>;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Parses a unified-diff patch (as GitHub serves it, without file headers) into its lines on each side. */
export function parsePatchLines(patch: string | undefined | null): FileLines {
  const lines = new Set<number>();
  const deleted = new Set<number>();
  const hunks: Hunk[] = [];
  if (!patch) return { lines, hunks, deleted };
  let next = 0;
  let nextBase = 0;
  let start = 0;
  let inHunk = false;
  const close = () => {
    if (inHunk && next > start) hunks.push({ start, end: next - 1 });
  };
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      close();
      nextBase = Number(header[1]);
      start = Number(header[2]);
      next = start;
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const mark = raw[0];
    if (mark === "-") {
      deleted.add(nextBase);
      nextBase += 1;
      continue;
    }
    // "\ No newline at end of file" is on neither side.
    if (mark !== "+" && mark !== " ") continue;
    lines.add(next);
    next += 1;
    if (mark === " ") nextBase += 1;
  }
  close();
  return { lines, hunks, deleted };
}

/**
 * True when a (possibly multi-line) head-side comment lies inside one hunk of the file; with
 * `side: "LEFT"`, when the base line is one the patch deletes (single-line comments only).
 */
export function commentFitsDiff(file: FileLines | undefined, line: number, startLine?: number, side: "RIGHT" | "LEFT" = "RIGHT"): boolean {
  if (side === "LEFT") return file !== undefined && file.deleted.has(line) && (startLine === undefined || startLine === line);
  if (!file || !file.lines.has(line)) return false;
  if (startLine === undefined || startLine === line) return true;
  if (startLine > line || !file.lines.has(startLine)) return false;
  return file.hunks.some((h) => h.start <= startLine && line <= h.end);
}
