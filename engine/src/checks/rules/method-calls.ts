import type { MethodCall } from "../../compile/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId } from "../../syntax/ast.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import type { TextOf } from "../portability-rewrites.js";
import { type ColumnMap, SourceLocator } from "../source-locator.js";
import { composeRewrites } from "./dialect-portability.js";

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
  if (allowedLabels(options.allow, { sql: input.sql }).has(METHOD_CALL_LABEL)) return [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  // Each call rebuilt as `f(x, ..)` from its operands; a chain's rewrite is composed once, on its outermost call.
  const rewrites = composeRewrites(
    calls.map((c) => ({
      rebuild: (textOf: TextOf) => {
        const name = loc.text(c.name);
        const parts = [c.receiver, ...c.args].map(textOf);
        return name === undefined || parts.some((p) => p === undefined) ? undefined : { start: c.call.start, end: c.call.end, text: `${name}(${parts.join(", ")})` };
      },
    })),
    loc,
  );
  const there = DIALECT_DISPLAY[options.target];
  return calls.map((c, i) => {
    const written = loc.text(c.call) ?? "";
    const rewrite = rewrites[i]?.text;
    const short = written.length > 40 ? `${written.slice(0, 39)}…` : written;
    return createDiagnostic("P001", `the method call \`${short.replace(/\s+/g, " ")}\` is not portable to ${there} (supported by: DuckDB)`, {
      model: input.model,
      span: loc.span(c.name),
      suggestion: `call the function with the value as its first argument: f(x, ..) instead of x.f(..)`,
      ...(rewrite !== undefined ? { replacement: { span: loc.spanOf(c.call.start, c.call.end), text: rewrite } } : {}),
    });
  });
}

