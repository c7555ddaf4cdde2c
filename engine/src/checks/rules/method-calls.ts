import type { MethodCall } from "../../compile/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId } from "../../syntax/ast.js";
import { parseAllowPragmas } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import { normalizeLabel } from "../portability-catalog.js";
import { type ColumnMap, SourceLocator } from "../source-locator.js";

/** The label `[portability] allow` and `-- rocky-allow:` take for this finding. */
export const METHOD_CALL_LABEL = "METHOD_CALL";

export interface MethodCallsInput {
  readonly model: string;
  readonly file: string;
  /** The SQL the parser saw. */
  readonly sql: string;
  readonly columnMap?: ColumnMap;
}

/**
 * P001 for DuckDB's method syntax (`email.lower()`, `(v).len()`, `v.split(',').len()`), which no
 * warehouse parses: each call on its function's name, with the rewrite `f(x, ..)`, which DuckDB
 * runs too and the analyzer reads as the same call (ModelAnalysis.methodCalls are only recorded
 * where the receiver is a column or an expression, never a schema's function). A chain's calls
 * are each reported; the outermost carries the whole chain's rewrite, so no two replacements overlap.
 */
export function checkMethodCalls(calls: readonly MethodCall[] | undefined, input: MethodCallsInput, options: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): Diagnostic[] {
  if (calls === undefined || calls.length === 0 || options.target === undefined || options.target === "duckdb") return [];
  const allowed = new Set([...options.allow, ...parseAllowPragmas({ sql: input.sql })].map(normalizeLabel));
  if (allowed.has(METHOD_CALL_LABEL)) return [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  const rewrites = new Map<MethodCall, string | undefined>();
  // Inner calls first: an enclosing call's rewrite is built from its operands with theirs applied.
  for (const c of [...calls].sort((a, b) => a.call.end - a.call.start - (b.call.end - b.call.start))) {
    const inner = [...rewrites].filter(([o]) => o !== c && within(o.call, c.call) && !calls.some((m) => m !== o && m !== c && within(o.call, m.call) && within(m.call, c.call)));
    const textOf = (span: { readonly start: number; readonly end: number }): string | undefined => {
      let text = loc.text(span);
      for (const [o, r] of [...inner].sort((a, b) => b[0].call.start - a[0].call.start)) {
        if (text === undefined || r === undefined) return undefined;
        if (o.call.start < span.start || o.call.end > span.end) continue;
        text = text.slice(0, o.call.start - span.start) + r + text.slice(o.call.end - span.start);
      }
      return text;
    };
    const name = loc.text(c.name);
    const parts = [c.receiver, ...c.args].map(textOf);
    rewrites.set(c, name === undefined || parts.some((p) => p === undefined) ? undefined : `${name}(${parts.join(", ")})`);
  }
  const there = DIALECT_DISPLAY[options.target];
  return calls.map((c) => {
    const written = loc.text(c.call) ?? "";
    const outermost = !calls.some((o) => o !== c && within(c.call, o.call));
    const rewrite = outermost && loc.verbatim(c.call) ? rewrites.get(c) : undefined;
    const short = written.length > 40 ? `${written.slice(0, 39)}…` : written;
    return createDiagnostic("P001", `the method call \`${short.replace(/\s+/g, " ")}\` is not portable to ${there} (supported by: DuckDB)`, {
      model: input.model,
      span: loc.span(c.name),
      suggestion: `call the function with the value as its first argument: f(x, ..) instead of x.f(..)`,
      ...(rewrite !== undefined ? { replacement: { span: loc.spanOf(c.call.start, c.call.end), text: rewrite } } : {}),
    });
  });
}

const within = (a: { readonly start: number; readonly end: number }, b: { readonly start: number; readonly end: number }): boolean => a.start >= b.start && a.end <= b.end && (a.start !== b.start || a.end !== b.end);
