import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";

/**
 * Which head diagnostics are new on this PR. A finding's identity is its code, model, message and
 * the text of the line it points at (trimmed) — not its line number, so a finding that only moved
 * because lines were inserted above it is not new. Counted as a multiset: two identical findings
 * on head and one on base = one new.
 *
 * Identities never match across models, so diagnostics are compared model by model: a model whose
 * diagnostics are the same on both sides (same code, message, file and line, over the same file
 * text) has none new, without building their identities — on a 10,000-model project with a
 * warning per model, only the models the PR changed pay for the line texts.
 */
export function markNew<T extends Diagnostic>(head: readonly T[], base: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles): { diagnostic: T; new: boolean }[] {
  const isNew: boolean[] = new Array(head.length).fill(false);
  const baseByModel = groupByModel(base);
  let baseLines: ((file: string, line: number) => string) | undefined;
  let headLines: ((file: string, line: number) => string) | undefined;
  for (const [model, indexes] of groupByModel(head)) {
    const baseGroup = baseByModel.get(model) ?? [];
    if (sameDiagnostics(head, indexes, base, baseGroup, headFiles, baseFiles)) continue;
    baseLines ??= lineReader(baseFiles);
    headLines ??= lineReader(headFiles);
    const counts = new Map<string, number>();
    for (const i of baseGroup) {
      const k = identity(base[i], baseLines);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const i of indexes) {
      const k = identity(head[i], headLines);
      const n = counts.get(k) ?? 0;
      if (n > 0) counts.set(k, n - 1);
      isNew[i] = n === 0;
    }
  }
  return head.map((d, i) => ({ diagnostic: d, new: isNew[i] }));
}

/** Diagnostic indexes by model ("" for project-level ones), in order. */
function groupByModel(list: readonly Diagnostic[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  list.forEach((d, i) => {
    const model = d.model ?? "";
    const group = groups.get(model);
    if (group) group.push(i);
    else groups.set(model, [i]);
  });
  return groups;
}

/** Pairwise the same findings at the same places over the same text: then their identities are pairwise equal. */
function sameDiagnostics(head: readonly Diagnostic[], hi: readonly number[], base: readonly Diagnostic[], bi: readonly number[], headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean {
  if (hi.length !== bi.length) return false;
  for (let i = 0; i < hi.length; i++) {
    const h = head[hi[i]];
    const b = base[bi[i]];
    if (h.code !== b.code || h.message !== b.message || h.span?.file !== b.span?.file || h.span?.line !== b.span?.line) return false;
    if (h.span && headFiles.get(h.span.file) !== baseFiles.get(h.span.file)) return false;
  }
  return true;
}

function identity(d: Diagnostic, lines: (file: string, line: number) => string): string {
  const text = d.span ? lines(d.span.file, d.span.line).trim() : "";
  return `${d.code}\0${d.model ?? ""}\0${d.message}\0${d.span?.file ?? ""}\0${text}`;
}

/** The text of a line of a file (1-based; "" past the end), scanning only as far as that line: a diagnostic's file is split no further than it points. */
function lineReader(files: ProjectFiles): (file: string, line: number) => string {
  // Per file: its text and the offsets where its lines start, found so far.
  const cache = new Map<string, { readonly text: string; readonly starts: number[] }>();
  return (file, line) => {
    let entry = cache.get(file);
    if (!entry) {
      entry = { text: files.get(file) ?? "", starts: [0] };
      cache.set(file, entry);
    }
    const { text, starts } = entry;
    while (starts.length < line) {
      const last = starts[starts.length - 1];
      if (last > text.length) break;
      const nl = text.indexOf("\n", last);
      starts.push(nl === -1 ? text.length + 1 : nl + 1);
    }
    if (line < 1 || starts.length < line || starts[line - 1] > text.length) return "";
    const start = starts[line - 1];
    const nl = text.indexOf("\n", start);
    // The "\r" of a CRLF ending is dropped by the caller's trim, as split(/\r?\n/) dropped it.
    return text.slice(start, nl === -1 ? text.length : nl);
  };
}
