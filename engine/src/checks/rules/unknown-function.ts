import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { createDiagnostic } from "../../diagnostics/registry.js";
import type { DialectId, FunctionExpr, Query } from "../../syntax/ast.js";
import { didYouMean } from "../../util/did-you-mean.js";
import { isIdentPart } from "../../syntax/tokenize.js";
import { DUCKDB_FUNCTIONS } from "../duckdb-functions.js";
import { type ColumnMap, SourceLocator } from "../source-locator.js";
import { visitNodes } from "../visit-nodes.js";

/**
 * E057 (Rocky's code): a DuckDB model calls a function DuckDB does not have (`SUMM(amount)`,
 * `COALESE(x, 0)`). It parses and types as an unknown function, so nothing else says so, and the
 * model fails only when it runs. DuckDB's list is complete and checked against the DuckDB the
 * engine runs models on (duckdb-functions.ts), so this is an error, as in Rocky.
 *
 * Never reported, as Rocky: a schema-qualified call (`main.my_macro(x)`: a macro or a function
 * made outside the project; the escape hatch), a quoted name, a model of another dialect, and a
 * DuckDB model in a project whose `[portability] target_dialect` names another warehouse (its SQL
 * is written for that one; P001 says what DuckDB lacks). Each name once per model, at its first call.
 */

/**
 * Names in call position that DuckDB's parser or the engine's rewrites before looking a function up
 * (`COALESCE`, `IF`, `CAST`), or that our parser makes calls of (`CURRENT_TIMESTAMP` without
 * parentheses, `GROUP BY ROLLUP (...)`), each checked against DuckDB: duckdb_functions() does not
 * list them, yet DuckDB takes them.
 */
export const DUCKDB_CALL_FORMS: ReadonlySet<string> = new Set([
  "coalesce", "if", "ifnull", "grouping", "grouping_id", "array", "exists", "cast", "try_cast", "extract", "overlay",
  "columns", "unpack", "try", "current_time", "current_timestamp", "localtime", "localtimestamp", "rollup", "cube",
  "grouping sets", "any", "some", "all",
]);

/** How to call what the list cannot know (a macro, an extension function loaded outside the project). */
const HATCH = "if it is a macro or an extension function loaded outside the project, call it schema-qualified (main.<name>(...)), which is not checked";

/** Ordered-set aggregates DuckDB takes only with WITHIN GROUP (ORDER BY ...), which it rewrites (to quantile_cont, ...). */
const WITHIN_GROUP_FORMS: ReadonlySet<string> = new Set(["percentile_cont", "percentile_disc"]);

export interface UnknownFunctionInput {
  readonly model: string;
  readonly file: string;
  readonly dialect: DialectId;
  readonly query: Query | undefined;
  /** The SQL the parser saw. */
  readonly sql?: string;
  readonly columnMap?: ColumnMap;
}

export function checkUnknownFunctions(input: UnknownFunctionInput, options: { readonly target: DialectId | undefined }): Diagnostic[] {
  if (input.dialect !== "duckdb" || input.query === undefined) return [];
  if (options.target !== undefined && options.target !== "duckdb") return [];
  // Most models call only functions DuckDB has: a name before a `(` in the text that is neither a
  // function nor a word SQL puts before one (IN, OVER, AS, a type) is needed before the tree is walked.
  if (input.sql !== undefined && !mayCallUnknown(input.sql)) return [];
  const found = new Map<string, FunctionExpr>();
  visitNodes(input.query, (node) => {
    if (node.kind !== "function") return;
    const fn = node as unknown as FunctionExpr;
    if (fn.name.length !== 1 || fn.name[0].quoted) return;
    const lower = fn.name[0].name.toLowerCase();
    if (DUCKDB_FUNCTIONS.has(lower) || DUCKDB_CALL_FORMS.has(lower) || found.has(lower)) return;
    if (fn.within !== undefined && WITHIN_GROUP_FORMS.has(lower)) return;
    found.set(lower, fn);
  });
  if (found.size === 0) return [];
  const loc = new SourceLocator(input.file, input.sql, input.columnMap);
  const out: Diagnostic[] = [];
  for (const [lower, fn] of found) {
    const near = didYouMean(lower, DUCKDB_FUNCTIONS);
    out.push(
      createDiagnostic("E057", `function \`${fn.name[0].name}\` does not exist in DuckDB`, {
        model: input.model,
        span: loc.span(fn.nameSpan),
        suggestion: near === undefined ? `check the spelling; ${HATCH}` : `did you mean \`${near}\`? ${HATCH[0].toUpperCase()}${HATCH.slice(1)}`,
      }),
    );
  }
  return out;
}

/** Words written before a `(` that are not calls: clauses, operators, types. */
const NOT_CALLS: ReadonlySet<string> = new Set([
  "in", "over", "as", "values", "from", "join", "using", "on", "and", "or", "not", "when", "then", "else", "select",
  "by", "filter", "within", "where", "having", "qualify", "with", "union", "intersect", "except", "lateral", "unnest",
  "materialized", "recursive", "exclude", "replace", "rename", "pivot", "unpivot", "for", "into", "is", "like",
  "ilike", "between", "case", "end", "distinct", "all", "any", "some", "decimal", "numeric", "varchar", "char",
  "nvarchar", "string", "text", "struct", "map", "enum", "float", "double", "real", "number", "integer",
  "int", "bigint", "smallint", "tinyint", "timestamp", "time", "date", "interval", "bit", "blob", "bytea", "array",
  "list", "sets", "tablesample", "sample", "repeatable", "reservoir", "bernoulli", "system", "partition", "order",
  "group", "limit", "offset", "returning", "table", "matched", "default", "row", "rows", "range", "groups",
]);

/** Whether `sql` names, before a `(`, a word that is neither one of DuckDB's functions nor a word SQL puts there. */
function mayCallUnknown(sql: string): boolean {
  // From each `(` back over blanks to the word before it: a `(` is far rarer than a character.
  for (let at = sql.indexOf("("); at >= 0; at = sql.indexOf("(", at + 1)) {
    let end = at;
    while (end > 0 && isBlank(sql.charCodeAt(end - 1))) end--;
    let start = end;
    while (start > 0 && isIdentPart(sql.charCodeAt(start - 1), false)) start--;
    if (start === end) continue;
    const lower = sql.slice(start, end).toLowerCase();
    if (!DUCKDB_FUNCTIONS.has(lower) && !DUCKDB_CALL_FORMS.has(lower) && !NOT_CALLS.has(lower)) return true;
  }
  return false;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
