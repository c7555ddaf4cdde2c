/**
 * Which head-side lines of a PR file may carry a review comment. GitHub accepts `side: RIGHT`
 * comments only on lines inside a diff hunk (added or context lines) and rejects the whole review
 * (422 "Line could not be resolved") when one comment points elsewhere, so the publisher re-checks
 * every inline comment against the patches `pulls/list-files` serves.
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
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Parses a unified-diff patch (as GitHub serves it, without file headers) into head-side lines. */
export function parsePatchLines(patch: string | undefined | null): FileLines {
  const lines = new Set<number>();
  const hunks: Hunk[] = [];
  if (!patch) return { lines, hunks };
  let next = 0;
  let start = 0;
  let inHunk = false;
  const close = () => {
    if (inHunk && next > start) hunks.push({ start, end: next - 1 });
  };
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      close();
      start = Number(header[1]);
      next = start;
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const mark = raw[0];
    // "-" lines and "\ No newline at end of file" do not exist on the head side.
    if (mark !== "+" && mark !== " ") continue;
    lines.add(next);
    next += 1;
  }
  close();
  return { lines, hunks };
}

/** True when a (possibly multi-line) comment lies inside one hunk of the file. */
export function commentFitsDiff(file: FileLines | undefined, line: number, startLine?: number): boolean {
  if (!file || !file.lines.has(line)) return false;
  if (startLine === undefined || startLine === line) return true;
  if (startLine > line || !file.lines.has(startLine)) return false;
  return file.hunks.some((h) => h.start <= startLine && line <= h.end);
}
