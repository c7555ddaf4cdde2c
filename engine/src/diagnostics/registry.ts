import type { Diagnostic, DiagnosticSpan, Severity } from "./diagnostic.js";

/**
 * THE table of diagnostic codes, with Rocky's meanings as its code actually emits them
 * (rocky-compat.md §1.2, not the out-of-date registry comments). Codes are never reused.
 * `R0xx` are this project's own codes for things Rocky treats as hard errors without a code
 * (cycles, unknown or duplicate models, parse and load failures): we report them as diagnostics
 * so the rest of the project still compiles.
 */
export interface DiagnosticInfo {
  readonly code: string;
  /** kebab-case slug: the rule's name. */
  readonly name: string;
  readonly severity: Severity;
  /** One line: what the code means. */
  readonly summary: string;
  /** Why it matters to a reviewer. */
  readonly why: string;
  /** Default help when the emitter has no specific suggestion. */
  readonly help?: string;
  /** Where Rocky emits it. `ours` = a code this project adds. */
  readonly origin: "rocky" | "ours";
}

const entries: readonly DiagnosticInfo[] = [
  // ----- types and joins
  { code: "E001", name: "join-key-incompatible", severity: "Error", origin: "rocky", summary: "Join key columns have no common type.", why: "The join compares values that cannot be compared; the warehouse errors or matches nothing.", help: "add an explicit CAST to a common type" },
  { code: "W001", name: "join-key-coercion", severity: "Warning", origin: "rocky", summary: "Join key types differ but are coercible.", why: "Implicit coercion can change matching (e.g. string vs number) and prevents index/partition pruning.", help: "add an explicit CAST" },
  { code: "W002", name: "select-star-unknown-upstream", severity: "Warning", origin: "rocky", summary: "SELECT * over an upstream whose schema is unknown.", why: "The output schema cannot be checked, so contracts and blast radius are blind here.", help: "provide source schemas (--with-seed, a schema file or the warehouse schema cache)" },
  { code: "I001", name: "select-star-typed", severity: "Info", origin: "rocky", summary: "SELECT * over fully typed upstreams.", why: "Upstream schema changes flow through silently.", help: "prefer an explicit column list" },
  { code: "I002", name: "partial-inference", severity: "Info", origin: "rocky", summary: "Some output columns have unknown types.", why: "Type checks and contracts skip Unknown columns.", help: "provide source schemas" },
  // ----- contracts
  { code: "E010", name: "contract-required-missing", severity: "Error", origin: "rocky", summary: "A contract's required column is missing from the model output.", why: "Consumers that rely on the contract break.", help: "add it to the SELECT, or drop it from [rules] required" },
  { code: "E011", name: "contract-type-mismatch", severity: "Error", origin: "rocky", summary: "A column's type does not match its contract.", why: "Consumers read a different type than promised.", help: "CAST in the SELECT, or update the contract type" },
  { code: "E012", name: "contract-nullability", severity: "Error", origin: "rocky", summary: "A non-nullable contract column is inferred nullable.", why: "Consumers that assume NOT NULL will see NULLs.", help: "filter out NULLs or COALESCE, or relax `nullable`" },
  { code: "E013", name: "contract-protected-removed", severity: "Error", origin: "rocky", summary: "A protected contract column has been removed.", why: "A protected column is a promise not to remove it.", help: "restore the column, or remove it from [rules] protected" },
  { code: "E014", name: "contract-new-nullable", severity: "Error", origin: "rocky", summary: "Under [rules] no_new_nullable, a nullable output column the contract does not declare (or no [[columns]] to compare with).", why: "The contract promises no new nullable column: readers built on the declared columns meet NULLs they were never told about.", help: "declare the column in [[columns]], make it NOT NULL in the SELECT, or remove no_new_nullable" },
  { code: "W010", name: "contract-column-absent", severity: "Warning", origin: "rocky", summary: "A contract column is not in the output and not required.", why: "The contract describes a column the model does not produce.", help: "remove it from the contract, or add [rules] required" },
  { code: "W011", name: "contract-unknown-model", severity: "Warning", origin: "rocky", summary: "A contract file exists for a model not in the project.", why: "The contract guards nothing; the model was probably renamed.", help: "rename or delete the contract file" },
  // ----- time_interval
  { code: "E020", name: "time-column-missing", severity: "Error", origin: "rocky", summary: "time_interval time_column is not in the output schema.", why: "Partitions cannot be computed." },
  { code: "E021", name: "time-column-not-temporal", severity: "Error", origin: "rocky", summary: "time_interval time_column is not DATE/TIMESTAMP.", why: "Partition bounds compare against a temporal column.", help: "use DATE/TIMESTAMP or another column" },
  { code: "E022", name: "time-column-nullable", severity: "Error", origin: "rocky", summary: "time_interval time_column is nullable.", why: "Rows with NULL time fall in no partition and are lost.", help: "COALESCE, or filter NULLs upstream" },
  { code: "E023", name: "time-column-invalid-identifier", severity: "Error", origin: "rocky", summary: "time_interval time_column is not a plain identifier.", why: "It is spliced into generated SQL.", help: "use a plain identifier ([A-Za-z0-9_]+)" },
  { code: "E024", name: "time-interval-no-bounds", severity: "Error", origin: "rocky", summary: "time_interval SQL filters its rows on neither @start_date nor @end_date (absent, or only where they filter no emitted row).", why: "Every partition run would rewrite all the data.", help: "add `WHERE ts >= @start_date AND ts < @end_date`" },
  { code: "E025", name: "hour-grain-on-date", severity: "Error", origin: "rocky", summary: "granularity = \"hour\" with a DATE column.", why: "A DATE cannot be split into hours.", help: "use day granularity, or a TIMESTAMP column" },
  { code: "E026", name: "first-partition-format", severity: "Error", origin: "rocky", summary: "first_partition is not a canonical key for the grain.", why: "The partition planner cannot start from it." },
  { code: "W003", name: "time-interval-one-bound", severity: "Warning", origin: "rocky", summary: "time_interval SQL filters its rows on only one of @start_date / @end_date.", why: "The window is unbounded on one side.", help: "add the missing bound" },
  // ----- budget, vars, targets
  { code: "E027", name: "budget-exceeded", severity: "Error", origin: "rocky", summary: "Projected cost exceeds [budget].", why: "The change would cost more per run than the project allows.", help: "raise [budget] max_usd / max_bytes_scanned, or cut scan volume" },
  { code: "E028", name: "missing-run-variable", severity: "Error", origin: "rocky", summary: "@var(name) has no --var value and no default.", why: "The SQL cannot be rendered.", help: "pass --var name=value, or write @var(name, default)" },
  { code: "E035", name: "iceberg-format-options", severity: "Error", origin: "rocky", summary: "Invalid iceberg_table format_options.", why: "The table cannot be created as configured." },
  { code: "E036", name: "target-collision", severity: "Error", origin: "rocky", summary: "Two or more models write the same physical target.", why: "The last one to run wins; the others' data is silently overwritten.", help: "give each model its own [target] table, or delete the duplicate" },
  { code: "E057", name: "unknown-function", severity: "Error", origin: "rocky", summary: "A DuckDB model calls a function DuckDB does not have (a misspelt name: SUMM, COALESE), unqualified and unquoted.", why: "It parses and types as an unknown function, so the model compiles and fails only when it runs.", help: "fix the spelling; call a macro or an extension function loaded outside the project schema-qualified (main.<name>(...)), which is not checked" },
  // ----- governance and lints
  { code: "W004", name: "unmasked-classification", severity: "Warning", origin: "rocky", summary: "A classified column resolves to no masking strategy.", why: "Sensitive data reaches the warehouse unmasked.", help: "add the tag to [mask], or list it in [classifications] allow_unmasked" },
  { code: "W005", name: "missing-freshness", severity: "Warning", origin: "rocky", summary: "A model with temporal columns has no freshness declaration.", why: "Staleness of this model cannot be monitored." },
  { code: "W006", name: "merge-key-missing", severity: "Warning", origin: "rocky", summary: "merge unique_key is not in the output.", why: "The MERGE cannot match rows." },
  { code: "D011", name: "depends-on-incomplete", severity: "Warning", origin: "rocky", summary: "depends_on misses dependencies found in the SQL.", why: "The declared dependencies disagree with the SQL; Rocky merges both.", help: "add the missing dependency to depends_on, or drop depends_on entirely" },
  { code: "P001", name: "dialect-portability", severity: "Error", origin: "rocky", summary: "A construct is not portable to the target dialect.", why: "It fails only when it runs on the target warehouse, usually in production." },
  { code: "P002", name: "select-star-consumers", severity: "Warning", origin: "rocky", summary: "SELECT * whose columns are named by downstream models.", why: "Upstream schema changes propagate silently to those consumers.", help: "replace SELECT * with an explicit column list" },
  // ----- our codes for what Rocky aborts on
  { code: "R001", name: "parse-error", severity: "Error", origin: "ours", summary: "The model's SQL does not parse in its dialect.", why: "Nothing downstream of it can be typed." },
  { code: "R002", name: "config-error", severity: "Error", origin: "ours", summary: "A TOML file is invalid: syntax, unknown key or bad value.", why: "The project cannot be configured as written." },
  { code: "R003", name: "dependency-cycle", severity: "Error", origin: "ours", summary: "Models depend on each other in a cycle.", why: "No execution order exists." },
  { code: "R004", name: "unknown-model", severity: "Error", origin: "ours", summary: "depends_on, or a single-part table name in the SQL, names no model (and no source whose schema is known).", why: "The dependency cannot be resolved: a typo, or a table nobody declared, fails only when the warehouse runs it." },
  { code: "R005", name: "duplicate-model", severity: "Error", origin: "ours", summary: "Two model files define the same model name.", why: "References to the name are ambiguous." },
  { code: "R006", name: "no-models", severity: "Error", origin: "ours", summary: "No models were found.", why: "There is nothing to compile." },
  { code: "R007", name: "unreadable-file", severity: "Error", origin: "ours", summary: "A project file has no text: not UTF-8 (at its first invalid byte), binary, too large, or it could not be read (the OS's error).", why: "It cannot be parsed." },
  { code: "R008", name: "unknown-column", severity: "Error", origin: "ours", summary: "A column reference resolves to no column of the model's inputs.", why: "The warehouse would reject the query.", help: "check the spelling, or the upstream model's output" },
  { code: "R013", name: "ambiguous-column", severity: "Error", origin: "ours", summary: "An unqualified column name that two inputs of the same FROM both have.", why: "Every warehouse rejects the query when the model runs (DuckDB: 'Ambiguous reference to column name').", help: "qualify the column with the table or alias it comes from" },
  { code: "R014", name: "ungrouped-column", severity: "Error", origin: "ours", summary: "A column an aggregating SELECT (a GROUP BY, or an aggregate in its select list) reads outside any aggregate without grouping by it.", why: "Every warehouse rejects the query when the model runs (DuckDB: 'must appear in the GROUP BY clause or must be part of an aggregate function'; Snowflake: 'is neither an aggregate nor in the group by clause'; Databricks: MISSING_AGGREGATION).", help: "add the column to GROUP BY, or wrap it in an aggregate (ANY_VALUE, MIN, MAX)" },
  { code: "R015", name: "column-count-mismatch", severity: "Error", origin: "ours", summary: "The branches of a UNION, INTERSECT or EXCEPT (not BY NAME) have different numbers of columns, or the rows of a VALUES list have different numbers of values.", why: "Every warehouse rejects the query when the model runs (DuckDB: 'Set operations can only apply to expressions with the same number of result columns').", help: "give every branch as many columns (NULL AS name for a missing one), or match them BY NAME where the warehouse can" },
  { code: "R016", name: "position-out-of-range", severity: "Error", origin: "ours", summary: "GROUP BY or ORDER BY names a select-list position the list does not have (GROUP BY 3 with two columns, or 0).", why: "Every warehouse rejects the query when the model runs (DuckDB: 'GROUP BY term out of range').", help: "name the column, or a position the select list has" },
  { code: "R017", name: "misplaced-aggregate", severity: "Error", origin: "ours", summary: "An aggregate or a window function in WHERE, a join's ON or GROUP BY; an aggregate of an aggregate (outside a window); a window-only function (ROW_NUMBER, LAG) without OVER; or QUALIFY with no window function in the select list or in QUALIFY.", why: "Every warehouse rejects the query when the model runs (DuckDB: 'WHERE clause cannot contain aggregates', 'aggregate function calls cannot be nested').", help: "filter groups with HAVING and window results with QUALIFY; aggregate in a CTE first; give a window function its OVER (...)" },
  { code: "R018", name: "subquery-width", severity: "Error", origin: "ours", summary: "A scalar subquery, or an IN subquery compared with one value, selects more than one column (or an IN subquery compared with a row of n values selects another number).", why: "Every warehouse rejects the query when the model runs (DuckDB: 'Subquery returns 2 columns - expected 1').", help: "select one column in the subquery (as many as the row it is compared with)" },
  { code: "R019", name: "ambiguous-name", severity: "Error", origin: "ours", summary: "A qualifier that names two inputs of one FROM (the same alias twice, or a self-join without aliases) is used in a reference; or two CTEs of one WITH share a name.", why: "Every warehouse rejects the query when the model runs (DuckDB: 'Ambiguous reference to table', 'Duplicate CTE name').", help: "give each input and each CTE its own name" },
  { code: "R020", name: "unknown-type", severity: "Error", origin: "ours", summary: "A cast to a type DuckDB does not have (a misspelt name: INTERGER, VARCAHR), checked against the DuckDB the engine runs models on; or, on any warehouse, a DECIMAL whose precision is outside 1..38 or whose scale exceeds it.", why: "The warehouse rejects the query when the model runs (DuckDB: 'Type with name INTERGER does not exist', 'DECIMAL type width must be between 1 and 38').", help: "fix the type's spelling, or its precision and scale" },
  { code: "R011", name: "argument-type", severity: "Error", origin: "ours", summary: "A DuckDB model applies a function or operator to argument types DuckDB has no overload for (SUM of text, text + 1, a CASE mixing text and numbers), or calls a function with a number of arguments it has no overload for (date_trunc('day')).", why: "DuckDB converts no column implicitly: its binder rejects the query when the model runs.", help: "cast the argument explicitly to the type the function takes" },
  { code: "R012", name: "classification-unknown-column", severity: "Warning", origin: "ours", summary: "A [classification] key names a column the model does not output.", why: "A misspelt key classifies nothing: the real column is neither masked nor followed by the compliance checks.", help: "classify a column the model outputs, or remove the key" },
  { code: "R010", name: "seed-error", severity: "Error", origin: "ours", summary: "A statement of the seed file (data/seed.sql) failed when run (--with-seed), or a CREATE TABLE in it cannot be read (a type DuckDB lacks, a column without a type, an unclosed column list).", why: "Source tables it should create stay unknown, so models reading them are untyped, and loading the seed fails.", help: "fix the statement; --with-seed runs it in an in-memory DuckDB" },
  { code: "R009", name: "internal-error", severity: "Error", origin: "ours", summary: "An internal error (a bug in rocky-review).", why: "Please report it with the model that triggered it." },
];

export const DIAGNOSTICS: ReadonlyMap<string, DiagnosticInfo> = new Map(entries.map((e) => [e.code, e]));

export function diagnosticInfo(code: string): DiagnosticInfo | undefined {
  return DIAGNOSTICS.get(code);
}

export interface DiagnosticArgs {
  readonly model?: string;
  readonly span?: DiagnosticSpan;
  readonly suggestion?: string;
  readonly replacement?: Diagnostic["replacement"];
  readonly key?: string;
  /** Override the registry severity (E027 with on_breach = "warn" is a Warning). */
  readonly severity?: Severity;
}

/** Build a diagnostic for a registered code; the severity comes from the registry unless overridden. */
export function createDiagnostic(code: string, message: string, args: DiagnosticArgs = {}): Diagnostic {
  const info = DIAGNOSTICS.get(code);
  if (!info) throw new Error(`unregistered diagnostic code ${code}`);
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    severity: args.severity ?? info.severity,
    code,
    message,
  };
  if (args.model !== undefined) d.model = args.model;
  if (args.span !== undefined) d.span = args.span;
  const suggestion = args.suggestion ?? info.help;
  if (suggestion !== undefined) d.suggestion = suggestion;
  if (args.replacement !== undefined) d.replacement = args.replacement;
  if (args.key !== undefined) d.key = args.key;
  return d;
}

const severityRank: Record<Severity, number> = { Error: 0, Warning: 1, Info: 2 };

/** Stable order: file, line, col, severity, code, message. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.span?.file ?? "").localeCompare(b.span?.file ?? "") ||
      (a.span?.line ?? 0) - (b.span?.line ?? 0) ||
      (a.span?.col ?? 0) - (b.span?.col ?? 0) ||
      severityRank[a.severity] - severityRank[b.severity] ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}
