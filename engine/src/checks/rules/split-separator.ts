import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { Comment, DialectId, Expr, FunctionExpr, Query } from "../../syntax/ast.js";
import { allowedLabels } from "../allow-pragmas.js";
import { DIALECT_DISPLAY } from "../dialect-names.js";
import { type ColumnMap, SourceLocator } from "../source-locator.js";
import { visitNodes } from "../visit-nodes.js";

/**
 * `SPLIT(string, separator)` runs on every warehouse, but Databricks (Spark) reads the separator as
 * a Java regular expression ("split(str, regex [, limit])": docs.databricks.com/sql/language-manual/
 * functions/split.html), where Snowflake's SPLIT, BigQuery's SPLIT and DuckDB's split /
 * string_split take it as a literal (docs.snowflake.com/en/sql-reference/functions/split,
 * cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#split,
 * duckdb.org/docs/stable/sql/functions/text; DuckDB's asserted in DuckDB in
 * test/engine/checks/split-separator.test.ts). So a Snowflake `SPLIT(path, '.')` gives other parts on
 * Databricks (any character separates), and a Databricks `split(x, '[,;]')` other parts elsewhere.
 * Only a literal separator holding a regex metacharacter differs; no one spelling means the same on
 * both, so the finding advises and rewrites nothing.
 */
const META = /[\\^$.|?*+()[\]{}]/;

export interface SplitSeparatorInput {
  readonly model: string;
  readonly file: string;
  readonly dialect: DialectId;
  readonly query: Query | undefined;
  readonly comments?: readonly Comment[];
  /** The SQL the parser saw. */
  readonly sql?: string;
  readonly columnMap?: ColumnMap;
}

export function checkSplitSeparator(input: SplitSeparatorInput, options: { readonly target: DialectId | undefined; readonly allow: readonly string[] }): Diagnostic[] {
  const target = options.target;
  if (target === undefined || target === input.dialect || input.query === undefined) return [];
  // Only between Databricks and the others does the separator change meaning.
  if ((input.dialect === "databricks") === (target === "databricks")) return [];
  if (input.sql !== undefined && !/\bsplit\s*\(/i.test(input.sql)) return [];
  const calls: { fn: FunctionExpr; sep: Expr & { kind: "literal" } }[] = [];
  visitNodes(input.query, (node) => {
    if (node.kind !== "function") return;
    const fn = node as unknown as FunctionExpr;
    if (fn.name.length !== 1 || fn.name[0].name.toUpperCase() !== "SPLIT" || fn.args.length < 2 || fn.over !== undefined) return;
    const sep = fn.args[1];
    if (sep.kind !== "literal" || sep.type !== "string" || !META.test(sep.value)) return;
    calls.push({ fn, sep });
  });
  if (calls.length === 0) return [];
  const allowed = allowedLabels(options.allow, { comments: input.comments, sql: input.comments ? undefined : input.sql });
  if (allowed.has("SPLIT")) return [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  const here = DIALECT_DISPLAY[input.dialect];
  const there = DIALECT_DISPLAY[target];
  return calls.map(({ fn, sep }) => {
    const shown = loc.text(sep.span) ?? `'${sep.value}'`;
    const value = loc.text(fn.args[0].span) ?? "value";
    const name = loc.text(fn.nameSpan ?? fn.name[0].span) ?? "SPLIT";
    const message =
      target === "databricks"
        ? `${fn.name[0].name.toUpperCase()} splits at other places on Databricks: its separator is a regular expression there, where ${shown} ${sep.value === "." ? "matches any character" : "holds regex metacharacters"}; ${here} splits at the text itself`
        : `${fn.name[0].name.toUpperCase()} splits at other places on ${there}: its separator is the text itself there, where Databricks reads ${shown} as a regular expression`;
    return createDiagnostic("P001", message, { model: input.model, span: loc.span(sep.span), suggestion: suggestionOf(sep.value, input.dialect, target, name, value) });
  });
}

/** The separator as a Java regular expression that matches exactly its text, as a Databricks string literal. */
export function escapedForDatabricks(text: string): string {
  let out = "";
  for (const c of text) {
    // The regex escape `\c`, its backslash doubled in the string literal (a backslash itself: four).
    if (c === "\\" || c === "^" || c === "[" || c === "]") out += `\\\\${c === "\\" ? "\\\\" : c}`;
    else if (META.test(c)) out += `[${c}]`;
    else if (c === "'") out += "\\'";
    else out += c;
  }
  return `'${out}'`;
}

/** A Databricks pattern that only spells a fixed text (`\\.`, `[|]`): that text; undefined for a real pattern. */
export function literalOfPattern(pattern: string): string | undefined {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length && !/[0-9A-Za-z]/.test(pattern[i + 1])) {
      out += pattern[++i];
      continue;
    }
    if (c === "[" && pattern[i + 2] === "]" && pattern[i + 1] !== "^" && pattern[i + 1] !== "\\") {
      out += pattern[i + 1];
      i += 2;
      continue;
    }
    if (META.test(c)) return undefined;
    out += c;
  }
  return out;
}

/** A string literal of the target's that holds exactly this text. */
function literalIn(text: string, dialect: DialectId): string {
  if (dialect === "duckdb") return `'${text.replace(/'/g, "''")}'`;
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function suggestionOf(sep: string, model: DialectId, target: DialectId, name: string, value: string): string {
  const here = DIALECT_DISPLAY[model];
  const there = DIALECT_DISPLAY[target];
  if (target === "databricks") return `escape the separator to split at its text on Databricks, as ${here} does: ${name}(${value}, ${escapedForDatabricks(sep)})`;
  const plain = literalOfPattern(sep);
  if (plain !== undefined) return `write the separator's text, which ${there}'s SPLIT takes as it is: ${name}(${value}, ${literalIn(plain, target)})`;
  if (target === "duckdb") return `DuckDB's regexp_split_to_array splits at a regular expression (RE2 syntax, close to Java's for common patterns): regexp_split_to_array(${value}, ${literalIn(sep, target)})`;
  return `${there}'s SPLIT takes no pattern: replace the pattern's matches with one separator the values never hold, then split at it: SPLIT(REGEXP_REPLACE(${value}, ${target === "bigquery" ? `r'${sep}'` : literalIn(sep, target)}, '\\u001f'), '\\u001f')`;
}
