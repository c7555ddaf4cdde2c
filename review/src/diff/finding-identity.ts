import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

/**
 * Which head diagnostics are new on this PR. A finding's identity is its code, model, message and
 * the text of the line it points at (trimmed) — not its line number, so a finding that only moved
 * because lines were inserted above it is not new. Counted as a multiset: two identical findings
 * on head and one on base = one new.
 */
export function markNew<T extends Diagnostic>(head: readonly T[], base: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles): { diagnostic: T; new: boolean }[] {
  const baseLines = lineReader(baseFiles);
  const headLines = lineReader(headFiles);
  const counts = new Map<string, number>();
  for (const d of base) {
    const k = identity(d, baseLines);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return head.map((d) => {
    const k = identity(d, headLines);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    return { diagnostic: d, new: n === 0 };
  });
}

function identity(d: Diagnostic, lines: (file: string, line: number) => string): string {
  const text = d.span ? lines(d.span.file, d.span.line).trim() : "";
  return `${d.code}\0${d.model ?? ""}\0${d.message}\0${d.span?.file ?? ""}\0${text}`;
}

function lineReader(files: ProjectFiles): (file: string, line: number) => string {
  const cache = new Map<string, string[]>();
  return (file, line) => {
    let lines = cache.get(file);
    if (!lines) {
      lines = (files.get(file) ?? "").split(/\r?\n/);
      cache.set(file, lines);
    }
    return lines[line - 1] ?? "";
  };
}
