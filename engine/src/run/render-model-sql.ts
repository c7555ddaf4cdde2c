import type { Compiled, Diagnostic } from "../diagnostics/diagnostic.js";
import { splitStatements } from "../adapters/split-statements.js";
import { placeholderName } from "../checks/window-bound.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import type { DialectId } from "../syntax/ast.js";
import { parseSql } from "../syntax/parse-sql.js";
import { collectTableRefs, walkQuery } from "../syntax/walk.js";

/** What rendering needs of a model: its SQL as parsed (after `@var`), and where it came from. */
export interface RenderableModel {
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly dialect: DialectId;
}

export interface RenderOptions {
  /** Model name (lower-case) → SQL text of an ephemeral model, inlined as a derived table. */
  readonly inline?: ReadonlyMap<string, string>;
  /** `@start_date` / `@end_date` (and other `@name` parameters) → SQL literal text. */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * The SQL to run for a model: every bare reference to a model replaced by its physical target
 * (`targets`: lower-case model name → qualified SQL name, as the adapter spells it), ephemeral
 * models inlined, and `@start_date` / `@end_date` substituted (also written `'@start_date'`). Replacement works on the parser's
 * spans, so strings, comments and CTEs that shadow a model name are left alone. A model that does
 * not parse is an R001 diagnostic and no SQL.
 */
export function renderModelSql(model: RenderableModel, targets: ReadonlyMap<string, string>, options: RenderOptions = {}): Compiled<string | undefined> {
  const parsed = parseSql(model.sql, model.dialect);
  if (parsed.query === undefined) {
    const e = parsed.error;
    const diagnostics: Diagnostic[] = [
      createDiagnostic("R001", e ? e.message : "the model does not parse", { model: model.name, span: { file: model.file, line: e?.span.line ?? 1, col: e?.span.col ?? 1 } }),
    ];
    return { value: undefined, diagnostics };
  }
  const edits: { start: number; end: number; text: string }[] = [];
  for (const ref of collectTableRefs(parsed.query)) {
    if (ref.name.length !== 1) continue;
    const key = ref.name[0].name.toLowerCase();
    const { start, end } = ref.name[0].span;
    const inline = options.inline?.get(key);
    if (inline !== undefined) {
      edits.push({ start, end, text: `(\n${inline}\n)${ref.alias ? "" : ` AS ${ref.name[0].name}`}` });
      continue;
    }
    const target = targets.get(key);
    if (target === undefined) continue;
    // Keep the model name as the alias so `model.column` references still resolve.
    edits.push({ start, end, text: ref.alias ? target : `${target} AS ${ref.name[0].name}` });
  }
  walkQuery(parsed.query, {
    expr: (e) => {
      // The whole literal '@start_date' is the placeholder too (Rocky substitutes both forms).
      const edge = e.kind === "literal" && e.type === "string" ? placeholderName(e.value) : undefined;
      if (e.kind !== "param" && edge === undefined) return;
      const name = e.kind === "param" ? e.name.replace(/^@/, "") : `${edge}_date`;
      const value = options.params?.[name];
      if (value === undefined) return;
      edits.push({ start: e.span.start, end: e.span.end, text: value });
    },
  });
  let sql = model.sql;
  for (const ed of edits.sort((a, b) => b.start - a.start)) sql = sql.slice(0, ed.start) + ed.text + sql.slice(ed.end);
  // Drop a trailing `;` (and comments after it). A trailing line comment may remain: whoever wraps
  // this SQL must end it with a newline (materializeSql does).
  const stmts = splitStatements(sql, { backslashEscapes: model.dialect !== "duckdb" });
  return { value: stmts.length === 1 ? stmts[0].sql : sql.trim(), diagnostics: [] };
}
