import type { Diagnostic } from "./diagnostic.js";
import type { ProjectFiles } from "../project/types.js";

export interface RenderTextOptions {
  /** Source text by project-relative file, to print the offending line with a caret. */
  readonly sources?: ProjectFiles;
  /** Wrap with ANSI colours. */
  readonly color?: boolean;
}

const labels = { Error: "error", Warning: "warning", Info: "info" } as const;
const colors = { Error: "\x1b[1;31m", Warning: "\x1b[1;33m", Info: "\x1b[1;36m" } as const;
const BOLD = "\x1b[1m";
const BLUE = "\x1b[1;34m";
const RESET = "\x1b[0m";

/**
 * rustc-style rendering, as Rocky prints through miette:
 *
 *     error[E013]: protected column 'amount' has been removed
 *       --> models/fct_orders.sql:4:5
 *        |
 *      4 |     SUM(x) AS total,
 *        |     ^^^^^^
 *        = help: restore the column, or remove it from [rules] protected
 */
export function renderDiagnosticText(d: Diagnostic, options: RenderTextOptions = {}): string {
  return renderOne(d, options, (file) => {
    const source = options.sources?.get(file);
    return typeof source === "string" ? source.split(/\r?\n/) : undefined;
  });
}

function renderOne(d: Diagnostic, options: RenderTextOptions, linesOf: (file: string) => readonly string[] | undefined): string {
  const c = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const lines = [`${c(colors[d.severity], `${labels[d.severity]}[${d.code}]`)}${c(BOLD, `: ${d.message}`)}`];
  const span = d.span;
  if (span !== undefined) {
    const gutter = " ".repeat(String(span.line).length);
    lines.push(`${gutter}${c(BLUE, "-->")} ${span.file}:${span.line}:${span.col}`);
    const text = linesOf(span.file)?.[span.line - 1];
    if (text !== undefined) {
      const width = span.endLine === span.line && span.endCol !== undefined && span.endCol > span.col ? span.endCol - span.col : 1;
      const shown = snippet(text.replace(/\t/g, " "), span.col, width);
      lines.push(`${gutter} ${c(BLUE, "|")}`);
      lines.push(`${c(BLUE, `${span.line} |`)} ${shown.text}`);
      lines.push(`${gutter} ${c(BLUE, "|")} ${" ".repeat(shown.caretAt)}${c(colors[d.severity], "^".repeat(shown.width))}`);
    }
    if (d.suggestion !== undefined) lines.push(`${gutter} ${c(BLUE, "=")} ${c(BOLD, "help")}: ${d.suggestion}`);
  } else if (d.suggestion !== undefined) {
    lines.push(`  = help: ${d.suggestion}`);
  }
  return lines.join("\n");
}

/** How much of a source line a snippet shows, and how much of it comes before the span. */
const SNIPPET_CHARS = 120;
const SNIPPET_BEFORE = 40;

/**
 * The part of a long source line a snippet shows (a model written on one line can be 50 KB): at most
 * SNIPPET_CHARS characters around the span, `...` where it was cut, as rustc and ruff do; the caret's
 * offset and width within it (the width cut at the window's end).
 */
export function snippet(line: string, col: number, width: number): { text: string; caretAt: number; width: number } {
  const at = Math.max(0, Math.min(col - 1, line.length));
  if (line.length <= SNIPPET_CHARS) return { text: line, caretAt: at, width: Math.max(1, width) };
  const to = Math.min(line.length, Math.max(at, SNIPPET_BEFORE) + SNIPPET_CHARS - SNIPPET_BEFORE);
  const from = Math.max(0, to - SNIPPET_CHARS);
  const head = from > 0 ? "..." : "";
  const tail = to < line.length ? "..." : "";
  return { text: `${head}${line.slice(from, to)}${tail}`, caretAt: head.length + at - from, width: Math.max(1, Math.min(width, to - at)) };
}

/** Every diagnostic, each file split into lines once (a file with thousands of findings is not re-split per finding). */
export function renderDiagnosticsText(ds: readonly Diagnostic[], options: RenderTextOptions = {}): string {
  const split = new Map<string, readonly string[] | undefined>();
  const linesOf = (file: string) => {
    if (split.has(file)) return split.get(file);
    const source = options.sources?.get(file);
    const lines = typeof source === "string" ? source.split(/\r?\n/) : undefined;
    split.set(file, lines);
    return lines;
  };
  return ds.map((d) => renderOne(d, options, linesOf)).join("\n\n");
}

export function countBySeverity(ds: readonly Diagnostic[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of ds) {
    if (d.severity === "Error") errors++;
    else if (d.severity === "Warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** `1 error`, `3 errors`: a count with its noun (`many` when the plural is not `one` + s). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
