import type { NullableConcat } from "../../compile/types.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId } from "../../syntax/ast.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import { type ModelSqlInput, SourceLocator } from "../source-locator.js";

/**
 * Where CONCAT / CONCAT_WS skip a NULL argument (read it as ''); everywhere else that runs them, one
 * NULL argument makes the result NULL. Checked against DuckDB itself; the others from their
 * references. BigQuery has no CONCAT_WS.
 */
const SKIPS_NULLS: Readonly<Record<string, readonly DialectId[]>> = { CONCAT: ["duckdb"], CONCAT_WS: ["duckdb", "databricks"] };
const RUNS: Readonly<Record<string, readonly DialectId[]>> = { CONCAT: ["duckdb", "snowflake", "databricks", "bigquery"], CONCAT_WS: ["duckdb", "snowflake", "databricks"] };

export type ConcatNullsInput = ModelSqlInput;

/**
 * P001 for a CONCAT or CONCAT_WS whose result on the target differs from the model's own warehouse
 * because an argument may be NULL (inference says so: ModelAnalysis.nullableConcats). A DuckDB
 * `CONCAT(first_name, ' ', last_name)` skips a NULL `last_name`; on Snowflake the whole name is NULL.
 * The rewrite keeps the model's result on both, and reads as the same logic to the review: DuckDB's
 * skipping spelt with `COALESCE(x, '')`, the others' NULL spelt with `||`.
 */
export function checkConcatNulls(concats: readonly NullableConcat[] | undefined, input: ConcatNullsInput, options: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): Diagnostic[] {
  const target = options.target;
  if (concats === undefined || concats.length === 0 || target === undefined || target === input.dialect) return [];
  let allowed: Set<string> | undefined;
  const out: Diagnostic[] = [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  for (const c of concats) {
    const runs = RUNS[c.fn];
    if (runs === undefined || !runs.includes(input.dialect) || !runs.includes(target)) continue;
    const skipsHere = SKIPS_NULLS[c.fn].includes(input.dialect);
    if (skipsHere === SKIPS_NULLS[c.fn].includes(target)) continue;
    allowed ??= allowedLabels(options.allow, { sql: input.sql });
    if (allowed.has(c.fn)) continue;
    const first = c.fn === "CONCAT_WS" ? 1 : 0;
    const nullable = c.args.slice(first).filter((a) => a.nullable);
    const names = nullable.slice(0, 3).map((a) => `\`${shorten(loc.text(a) ?? "?")}\``);
    const more = nullable.length - names.length;
    const here = DIALECT_DISPLAY[input.dialect];
    const there = DIALECT_DISPLAY[target];
    const what = skipsHere ? `one NULL argument makes it NULL there, where ${here} skips NULL arguments` : `it skips NULL arguments there, where ${here} returns NULL when any argument is NULL`;
    const message = `${c.fn} means something else on ${there}: ${what} (${names.join(", ")}${more > 0 ? ` and ${more} more` : ""} may be NULL)`;
    const rewrite = rewriteOf(c, skipsHere, target, loc);
    out.push(
      createDiagnostic("P001", message, {
        model: input.model,
        span: loc.span(c.name),
        suggestion: suggestionOf(c.fn, skipsHere, here, there),
        ...(rewrite !== undefined ? { replacement: { span: loc.spanOf(c.call.start, c.call.end), text: rewrite } } : {}),
      }),
    );
  }
  return out;
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

function suggestionOf(fn: string, skipsHere: boolean, here: string, there: string): string {
  if (fn === "CONCAT") {
    return skipsHere ? `wrap the arguments that may be NULL in COALESCE(x, '') to keep ${here}'s result on ${there}` : `write it with || to keep ${here}'s NULL on ${there}: a || b is NULL when either is, on both`;
  }
  return skipsHere
    ? `on ${there}, ARRAY_TO_STRING(ARRAY_CONSTRUCT_COMPACT(a, b), sep) skips NULLs as ${here}'s CONCAT_WS does`
    : `to keep ${here}'s NULL on ${there}: CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE CONCAT_WS(sep, a, b) END`;
}

/**
 * The call rewritten to mean the model's result on both warehouses, from the user's own text; none
 * for CONCAT_WS (no one spelling runs on both), nor where `@var` was substituted.
 */
function rewriteOf(c: NullableConcat, skipsHere: boolean, target: DialectId, loc: SourceLocator): string | undefined {
  if (c.fn !== "CONCAT" || !loc.verbatim(c.call)) return undefined;
  const call = loc.text(c.call);
  const name = loc.text(c.name);
  if (call === undefined || name === undefined) return undefined;
  const lower = name === name.toLowerCase() && name !== name.toUpperCase();
  const kw = (s: string) => (lower ? s.toLowerCase() : s);
  const texts = c.args.map((a) => loc.text(a));
  if (texts.some((t) => t === undefined)) return undefined;
  if (!skipsHere) {
    if (c.args.length < 2) return undefined;
    return c.args.map((a, i) => (a.plain ? texts[i] : `(${texts[i]})`)).join(" || ");
  }
  // DuckDB reads a non-string argument as its text: so does the rewrite, with the target's name for the type.
  const stringType = target === "snowflake" ? "VARCHAR" : "STRING";
  let text = call;
  for (let i = c.args.length - 1; i >= 0; i--) {
    const a = c.args[i];
    if (!a.nullable) continue;
    const value = a.string ? texts[i] : `${kw("CAST")}(${texts[i]} ${kw("AS")} ${kw(stringType)})`;
    text = `${text.slice(0, a.start - c.call.start)}${kw("COALESCE")}(${value}, '')${text.slice(a.end - c.call.start)}`;
  }
  return text;
}
