import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { fileContentKey, fileText, type ProjectFiles } from "../../../engine/src/project/types.js";
import { escapeRegExp } from "../../../engine/src/util/escape-regexp.js";

/** A model the PR renamed (the diff pairs it by its SQL): its base name and files, and its head ones. */
export interface RenamedModel {
  readonly baseModel: string;
  readonly baseFile: string;
  readonly model: string;
  readonly file: string;
}

/**
 * Which head diagnostics are new on this PR. A finding's identity is its code, model, message and
 * the text it points at (its one-line span's construct, else its line; whitespace runs as one
 * space, any case, comments left out), or for a model-state code (MODEL_STATE_CODES) its code, model and file alone
 * — not its line number, so a finding that only moved
 * because lines were inserted above it is not new. Counted as a multiset: two identical findings
 * on head and one on base = one new. A P002 in a file the PR left alone is never new (readerMade).
 *
 * The two lists mostly agree: a compile lists findings model by model, in the same order on both
 * sides. When they line up (same length, the same model at every position), a model all of whose
 * findings are pairwise the same (code, message, file and line, over the same file text) has none
 * new, and only the other models are counted. Otherwise the common prefix of pairwise-same
 * findings is not new (matching it first is what the multiset count does) and the rest is
 * counted model by model (identities never match across models), skipping models whose findings
 * are pairwise the same. On a 10,000-model project with a warning per model, only the models the
 * PR changed build identities from line texts.
 *
 * A model the PR renamed (`renamed`) keeps its findings: a base finding of `stg_orders` counts as
 * one of `stg_order_lines` in its renamed files, its message naming the new name, so a PR that
 * renames 150 models does not bring their standing warnings back as 150 new ones.
 */
export function markNew<T extends Diagnostic>(head: readonly T[], baseFound: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles, renamed: readonly RenamedModel[] = []): { diagnostic: T; new: boolean; madeByReader?: true }[] {
  const { base, readBase } = renamedBase(baseFound, renamed);
  const isNew: boolean[] = new Array(head.length).fill(false);
  // Not on base, and not new either: a P002 only a reader the PR adds or changes made (readerMade).
  const byReader: boolean[] = new Array(head.length).fill(false);
  const groups = alignedGroups(head, base, headFiles, baseFiles) ?? unalignedGroups(head, base, headFiles, baseFiles);
  let baseLines: ((file: string, line: number) => string) | undefined;
  let headLines: ((file: string, line: number) => string) | undefined;
  for (const { head: indexes, base: baseGroup } of groups) {
    baseLines ??= readBase(lineReader(baseFiles));
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
      byReader[i] = n === 0 && readerMade(head[i], headFiles, baseFiles);
      isNew[i] = n === 0 && !byReader[i];
    }
  }
  return head.map((d, i) => (byReader[i] ? { diagnostic: d, new: false, madeByReader: true as const } : { diagnostic: d, new: isNew[i] }));
}

/**
 * Base findings as the head names them: those of a renamed model under its head name and files.
 * Their text is still read from the base files (readBase maps a head path back).
 */
function renamedBase(base: readonly Diagnostic[], renamed: readonly RenamedModel[]): { base: readonly Diagnostic[]; readBase: (lines: (file: string, line: number) => string) => (file: string, line: number) => string } {
  if (renamed.length === 0) return { base, readBase: (lines) => lines };
  const byBase = new Map(renamed.map((r) => [r.baseModel, r]));
  const stem = (file: string) => file.replace(/\.sql$/i, "");
  const backToBase = new Map<string, string>();
  const out = base.map((d) => {
    const r = d.model === undefined ? undefined : byBase.get(d.model);
    if (r === undefined) return d;
    const message = d.message.replace(new RegExp(`(?<![\\w$])${escapeRegExp(r.baseModel)}(?![\\w$])`, "g"), r.model);
    if (!d.span) return { ...d, model: r.model, message };
    // The model's files share its SQL file's stem (`.sql`, `.toml`, `.contract.toml`): they move with it.
    const from = `${stem(r.baseFile)}.`;
    const file = d.span.file.startsWith(from) ? `${stem(r.file)}.${d.span.file.slice(from.length)}` : d.span.file;
    if (file !== d.span.file) backToBase.set(file, d.span.file);
    return { ...d, model: r.model, message, span: { ...d.span, file } };
  });
  return { base: out, readBase: (lines) => (file, line) => lines(backToBase.get(file) ?? file, line) };
}

/**
 * A finding the PR made only by adding or changing a reader, in a file it left alone: P002 on a
 * star the base already had (it names consumers, and a star with none had no P002). The reader's
 * own findings are the PR's (its I001 or P002 when it selects `*` itself, its blast radius), so
 * the untouched file's P002 is its model's standing state, not new.
 */
function readerMade(d: Diagnostic, headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean {
  return d.code === "P002" && d.span !== undefined && sameFileText(d.span.file, headFiles, baseFiles);
}

/** Whether a file has the same text on both sides. */
function sameFileText(file: string, headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean {
  // A head side read from a cached base knows which files the PR left alone without reading them.
  const unchanged = (headFiles as KnownUnchanged).unchanged?.(file);
  // By content: two reads of one unreadable file give two (equal) accounts of why, not one object.
  return unchanged ?? fileContentKey(headFiles.get(file)) === fileContentKey(baseFiles.get(file));
}

/** The findings of one model that need counting: indexes into head and base. */
interface Group {
  readonly head: readonly number[];
  readonly base: readonly number[];
}

/** When the lists line up model by model: the groups of the models with a difference; undefined when they do not line up. */
function alignedGroups(head: readonly Diagnostic[], base: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles): Group[] | undefined {
  if (head.length !== base.length) return undefined;
  const dirty = new Set<string>();
  for (let i = 0; i < head.length; i++) {
    if (head[i].model !== base[i].model) return undefined;
    if (!sameDiagnostic(head[i], base[i], headFiles, baseFiles)) dirty.add(head[i].model ?? "");
  }
  if (dirty.size === 0) return [];
  const groups = new Map<string, number[]>();
  for (let i = 0; i < head.length; i++) {
    const model = head[i].model ?? "";
    if (!dirty.has(model)) continue;
    const group = groups.get(model);
    if (group) group.push(i);
    else groups.set(model, [i]);
  }
  // Same positions on both sides.
  return [...groups.values()].map((indexes) => ({ head: indexes, base: indexes }));
}

/** Otherwise: the common prefix is matched, the rest grouped by model, models whose findings are pairwise the same left out. */
function unalignedGroups(head: readonly Diagnostic[], base: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles): Group[] {
  const shorter = Math.min(head.length, base.length);
  let prefix = 0;
  while (prefix < shorter && sameDiagnostic(head[prefix], base[prefix], headFiles, baseFiles)) prefix++;
  const baseByModel = groupByModel(base, prefix);
  const out: Group[] = [];
  for (const [model, indexes] of groupByModel(head, prefix)) {
    const baseGroup = baseByModel.get(model) ?? [];
    if (!sameDiagnostics(head, indexes, base, baseGroup, headFiles, baseFiles)) out.push({ head: indexes, base: baseGroup });
  }
  return out;
}

/** Indexes from `from` on, by model ("" for project-level findings), in order. */
function groupByModel(list: readonly Diagnostic[], from: number): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = from; i < list.length; i++) {
    const model = list[i].model ?? "";
    const group = groups.get(model);
    if (group) group.push(i);
    else groups.set(model, [i]);
  }
  return groups;
}

/** Head files that can tell, without reading, that a file has the same text as on base. */
export interface KnownUnchanged extends ProjectFiles {
  unchanged?(file: string): boolean;
}

/** The same finding at the same place over the same text: then their identities are equal. */
function sameDiagnostic(h: Diagnostic, b: Diagnostic, headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean {
  if (h.code !== b.code || h.model !== b.model || h.message !== b.message || h.span?.file !== b.span?.file || h.span?.line !== b.span?.line) return false;
  if (!h.span) return true;
  return sameFileText(h.span.file, headFiles, baseFiles);
}

/** Pairwise the same findings (of one model). */
function sameDiagnostics(head: readonly Diagnostic[], hi: readonly number[], base: readonly Diagnostic[], bi: readonly number[], headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean {
  if (hi.length !== bi.length) return false;
  for (let i = 0; i < hi.length; i++) if (!sameDiagnostic(head[hi[i]], base[bi[i]], headFiles, baseFiles)) return false;
  return true;
}

/**
 * Codes that describe a model's state rather than a construct the PR wrote: their message lists
 * what the model has now (P002 the consumers of a star, W005 its temporal columns, I002 how many
 * columns are Unknown) and their span is an anchor (the star, line 1, a column). A PR that adds a
 * reader, a date column or a comment line at the top leaves the finding as it was: it is the
 * model's, one per model and file (counted, so a second star with consumers is new).
 */
export const MODEL_STATE_CODES: ReadonlySet<string> = new Set(["P002", "W005", "I002"]);

/**
 * The text a finding is about: the construct its span covers (the NVL call, not the line around
 * it), over the lines it spans (at most MAX_SPAN_LINES), else its line; whitespace is left out and
 * case is ignored, so a layout-only edit (a space added, an indent changed, keywords upper-cased,
 * a call split over lines or joined onto one) leaves a pre-existing finding pre-existing; so does
 * a comment on those lines (withoutComments).
 */
/**
 * Findings on a `*` whose message names what it selects from (`SELECT * over fully typed input
 * (final)`): the star is their construct, and the line around it says nothing more. A reformat that
 * joins `select\n    *` onto one line (sqlfluff's) must not make them new.
 */
export const STAR_CODES: ReadonlySet<string> = new Set(["I001", "W002"]);

function identity(d: Diagnostic, lines: (file: string, line: number) => string): string {
  if (MODEL_STATE_CODES.has(d.code)) return `${d.code}\0${d.model ?? ""}\0${d.span?.file ?? ""}`;
  if (STAR_CODES.has(d.code)) return `${d.code}\0${d.model ?? ""}\0${d.message}\0${d.span?.file ?? ""}`;
  return `${d.code}\0${d.model ?? ""}\0${d.message}\0${d.span?.file ?? ""}\0${d.span ? spannedText(d.span, lines) : ""}`;
}

/** A span over more lines than this is compared by its first line (a whole query's span says little more). */
const MAX_SPAN_LINES = 40;

/**
 * The construct a span covers, comments and whitespace left out, lower-cased; its first line when
 * the span's ends do not fit the text. Also an inline comment's identity (render/inline-comments.ts).
 */
export function spannedText(span: { readonly file: string; readonly line: number; readonly col?: number; readonly endLine?: number; readonly endCol?: number }, lines: (file: string, line: number) => string): string {
  const first = lines(span.file, span.line).replace(/\r$/, "");
  const { col, endCol } = span;
  const endLine = span.endLine ?? span.line;
  const norm = (t: string) => t.replace(/\s+/g, "").toLowerCase();
  if (col === undefined || endCol === undefined || col < 1) return norm(withoutComments(first));
  if (endLine === span.line) return norm(withoutComments(endCol > col && endCol - 1 <= first.length ? first.slice(col - 1, endCol - 1) : first));
  if (endLine < span.line || endLine - span.line >= MAX_SPAN_LINES || col - 1 > first.length) return norm(withoutComments(first));
  const last = lines(span.file, endLine).replace(/\r$/, "");
  if (endCol - 1 > last.length) return norm(withoutComments(first));
  let text = withoutComments(first.slice(col - 1));
  for (let l = span.line + 1; l < endLine; l++) text += ` ${withoutComments(lines(span.file, l).replace(/\r$/, ""))}`;
  return norm(`${text} ${withoutComments(last.slice(0, endCol - 1))}`);
}

/**
 * A line's text without its SQL comments (`-- ...` to the end, `/* ... *\/` within it), outside
 * quotes: a comment added to, edited on or dropped from a finding's line (a reformat) is no new
 * finding. A block comment left open runs to the end of the line.
 */
export function withoutComments(line: string): string {
  if (!line.includes("--") && !line.includes("/*")) return line;
  let out = "";
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      out += c;
      if (c === quote) quote = "";
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      quote = c;
      out += c;
      continue;
    }
    if (c === "-" && line[i + 1] === "-") break;
    if (c === "/" && line[i + 1] === "*") {
      const close = line.indexOf("*/", i + 2);
      if (close === -1) break;
      out += " ";
      i = close + 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The text of a line of a file (1-based; "" past the end), scanning only as far as that line: a diagnostic's file is split no further than it points. */
function lineReader(files: ProjectFiles): (file: string, line: number) => string {
  // Per file: its text and the offsets where its lines start, found so far.
  const cache = new Map<string, { readonly text: string; readonly starts: number[] }>();
  return (file, line) => {
    let entry = cache.get(file);
    if (!entry) {
      entry = { text: fileText(files.get(file)) ?? "", starts: [0] };
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
