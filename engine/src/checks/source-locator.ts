import { lineStartsOf, positionIn } from "../util/line-index.js";
import type { DiagnosticSpan } from "../diagnostics/diagnostic.js";
import type { DialectId, Span } from "../syntax/ast.js";

/** Per substituted line: (sqlCol → rawCol) pairs (ModelSource.columnMap). */
export type ColumnMap = ReadonlyMap<number, readonly (readonly [number, number])[]>;

/** A model's SQL as the checks of its analysis read it (P001 for what inference found: CONCAT, date differences, NULL order, method calls). */
export interface ModelSqlInput {
  readonly model: string;
  readonly file: string;
  readonly dialect: DialectId;
  /** The SQL the parser saw. */
  readonly sql: string;
  readonly columnMap?: ColumnMap;
}

/**
 * Turns AST spans (offsets into the SQL the parser saw) into diagnostic spans with an end, and
 * slices the construct's source text for replacements.
 *
 * Spans stay in the coordinates of the parsed SQL: the compile pipeline maps columns back through
 * `@var` substitution. A replacement is only offered when no line it covers was substituted (the
 * parsed text differs from the file there), so a suggestion never writes a substituted value into
 * the user's file.
 *
 * `endLine`/`endCol` are exclusive: the position just after the construct's last character.
 */
export class SourceLocator {
  /** Offsets where each line starts, built on first use (most checks never need it). */
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly sql: string | undefined,
    private readonly columnMap?: ColumnMap,
  ) {}

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    return positionIn(this.starts(), offset);
  }


  private starts(): number[] {
    this.lineStarts ??= lineStartsOf(this.sql ?? "");
    return this.lineStarts;
  }


  span(s: Span): DiagnosticSpan {
    return spanWithEnd(this.file, s, this.sql);
  }

  /** A span from raw offsets. */
  spanOf(start: number, end: number): DiagnosticSpan {
    const a = this.position(start);
    return this.span({ start, end, line: a.line, col: a.col });
  }

  /** The source text of a span, when the SQL is known. */
  text(s: { readonly start: number; readonly end: number }): string | undefined {
    if (this.sql === undefined || s.end > this.sql.length || s.start < 0 || s.end < s.start) return undefined;
    return this.sql.slice(s.start, s.end);
  }

  /** Whether the file's text equals the parsed text over this span (no `@var` substituted on its lines). */
  verbatim(s: { readonly start: number; readonly end: number }): boolean {
    if (this.sql === undefined) return false;
    if (this.columnMap === undefined || this.columnMap.size === 0) return true;
    const from = this.position(s.start).line;
    const to = this.position(s.end).line;
    for (let line = from; line <= to; line++) if (this.columnMap.has(line)) return false;
    return true;
  }

  /** First offset of `needle` (case-insensitive regexp source) within [start, end), or -1. */
  find(pattern: RegExp, start: number, end: number): { index: number; length: number } | undefined {
    if (this.sql === undefined) return undefined;
    const slice = this.sql.slice(start, end);
    const m = pattern.exec(slice);
    return m === null ? undefined : { index: start + m.index, length: m[0].length };
  }
}

/** A diagnostic span with its (exclusive) end, computed from the construct's own text only. */
export function spanWithEnd(file: string, s: Span, sql: string | undefined): DiagnosticSpan {
  if (sql === undefined || s.end < s.start || s.end > sql.length) return { file, line: s.line, col: s.col };
  let endLine = s.line;
  let lastBreak = -1;
  for (let i = sql.indexOf("\n", s.start); i >= 0 && i < s.end; i = sql.indexOf("\n", i + 1)) {
    endLine++;
    lastBreak = i;
  }
  const endCol = lastBreak < 0 ? s.col + (s.end - s.start) : s.end - lastBreak;
  return { file, line: s.line, col: s.col, endLine, endCol };
}
