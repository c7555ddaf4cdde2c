import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Contract, ModelConfig, Project } from "../project/types.js";
import type { DialectId, Query, Span } from "../syntax/ast.js";
import type { ColumnType, SqlType } from "../types/sql-type.js";
import type { CompileSnapshot } from "./snapshot.js";

/**
 * What the compiler produces and review/ consumes. Plain data, JSON-serializable (Maps aside),
 * so a compiled model can be cached per content hash and sent between threads.
 */

/** A reference to a column of a model, or of an external source (`model` = "schema.table" or "catalog.schema.table", lower-case). */
export interface ColumnRef {
  readonly model: string;
  readonly column: string;
}

/**
 * How an output column is derived from one source column (Rocky's transforms, rocky-compat.md §6.3,
 * plus `window`): `direct` (a plain reference, possibly renamed), `cast` / `try_cast` (only a cast
 * around a reference), `aggregation` (inside an aggregate; `fn` names it, lower-case), `window`
 * (inside a window function), `expression` (anything else).
 *
 * Ours, not in Rocky's output: `keeps` names the function (lower-case) when every step from the
 * source keeps its values in the output (`lower(email)`, `max(email)`, `coalesce(email, '')`,
 * `CASE WHEN ok THEN email END`): masking through lineage follows such a column, as it follows a
 * direct one or a cast.
 */
export type Transform =
  | { readonly kind: "direct" }
  | { readonly kind: "cast"; readonly to: string }
  | { readonly kind: "try_cast"; readonly to: string }
  | { readonly kind: "aggregation"; readonly fn: string; readonly keeps?: string }
  | { readonly kind: "window"; readonly fn: string; readonly keeps?: string }
  | { readonly kind: "expression"; readonly keeps?: string };

export interface LineageSource extends ColumnRef {
  readonly transform: Transform;
}

export interface OutputColumn extends ColumnType {
  readonly name: string;
  /** Sources this column reads, through CTEs and subqueries, resolved to upstream models or external sources. */
  readonly sources: readonly LineageSource[];
  /**
   * The column's expression, normalized (canonical SQL text with CTE/subquery columns inlined as
   * far as they are single-source; aliases and whitespace removed). Equal fingerprints across base
   * and head = the same logic. Used for "logic changed".
   */
  readonly fingerprint: string;
  /** Where the select item that produces this column is, in the model file (absent for columns from `*`). */
  readonly span?: Span;
  /**
   * The model's other select items the value is made from, outermost first: those of the CTEs and
   * derived tables it reads through, and of a set operation's other branches, and last the `*`
   * that writes a column from a star (its only place for `SELECT * FROM stg`; absent when none).
   */
  readonly via?: readonly Span[];
  /**
   * The column is nullable only by assumption: a column it reads has no known type (a source with no
   * schema, or an upstream column itself so marked), so it may be NOT NULL for all anyone knows.
   * Findings that rest on a value being NULL (P001's NULL order) leave it alone, here and downstream.
   */
  readonly nullableAssumed?: true;
}

/** Row-level inputs: columns that decide which rows exist, and the clauses' fingerprints. */
export interface RowLevel {
  readonly filters: readonly ColumnRef[];
  readonly joins: readonly ColumnRef[];
  readonly groups: readonly ColumnRef[];
  /**
   * Normalized text of FROM (what each FROM entry's first relation is) / JOIN (type, joined relation,
   * ON/USING) / WHERE / GROUP BY / HAVING / DISTINCT / QUALIFY / LIMIT of the outermost query and the
   * CTEs and derived tables it reads; changes here are whole-model changes.
   */
  readonly fingerprints: {
    readonly from?: string;
    readonly where?: string;
    readonly joins?: string;
    readonly groupBy?: string;
    readonly having?: string;
    readonly distinct?: string;
    readonly qualify?: string;
    readonly limit?: string;
    /** Snowflake `START WITH .. CONNECT BY ..`: which rows a hierarchical query walks to. */
    readonly connectBy?: string;
    /** Snowflake `MATCH_RECOGNIZE (..)`: its partitions, pattern and conditions decide the rows. */
    readonly matchRecognize?: string;
  };
}

export interface ModelAnalysis {
  readonly columns: readonly OutputColumn[];
  readonly rowLevel: RowLevel;
  /** The model reads `*` somewhere in its output projection (P002, W002, I001). */
  readonly hasStar: boolean;
  /**
   * The output has columns nothing can list besides `columns`: a `*` (or a DuckDB `COLUMNS(...)`) over
   * an input of unknown schema. Readers then take a name not in `columns` as Unknown, not as an error.
   */
  readonly open?: true;
  /** Upstream (model or source) → the columns this model reads from it, by name (for P002 and column_consumers). */
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
  readonly diagnostics: readonly Diagnostic[];
  /** CONCAT / CONCAT_WS calls with an argument inference knows may be NULL (P001: warehouses treat NULL arguments differently). */
  readonly nullableConcats?: readonly NullableConcat[];
  /** DATEDIFF-like calls with a unit (P001: warehouses count boundaries or whole units; the argument types decide where it matters). */
  readonly dateDiffs?: readonly DateDiffCall[];
  /** DuckDB method calls (`email.lower()`): DuckDB's syntax alone (P001 with the target). */
  readonly methodCalls?: readonly MethodCall[];
  /** Window ORDER BY keys that may be NULL and say no NULLS FIRST/LAST, in row-picking windows (P001: warehouses put NULLs at other ends). */
  readonly windowNullOrders?: readonly WindowNullOrder[];
}

/**
 * A row-picking window's ORDER BY (`ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC)`)
 * with keys that inference knows may be NULL and that say neither NULLS FIRST nor NULLS LAST: where
 * the NULLs go is the warehouse's default, so another warehouse may pick another row. Offsets are in
 * the SQL the parser saw; the keys of a named window (`WINDOW w AS (...)`) are where the WINDOW
 * clause writes them, once however many calls use it.
 */
export interface WindowNullOrder {
  /** The first window function over it, upper case (ROW_NUMBER, LAG, ...); `LIMIT` for a query's ORDER BY with LIMIT, TOP or OFFSET. */
  readonly fn: string;
  /**
   * What the order decides, when not which row `fn` picks: `running`, an aggregate over the ordered
   * window (a running SUM) computes other values; `ordered`, an aggregate ordered inside the call
   * or WITHIN GROUP (ARRAY_AGG, LISTAGG) puts its values in another order.
   */
  readonly kind?: "running" | "ordered";
  /** The window's ORDER BY keys that may be NULL and say no NULLS FIRST/LAST, in order. */
  readonly keys: readonly {
    /** The whole ORDER BY item: the key and its ASC/DESC. */
    readonly item: { readonly start: number; readonly end: number };
    readonly key: { readonly start: number; readonly end: number };
    readonly desc: boolean;
  }[];
}

/**
 * A DuckDB method call `x.f(a, ..)`, which is `f(x, a, ..)`: the function's name, the whole call,
 * the receiver x and the other arguments, as offsets in the SQL the parser saw.
 */
export interface MethodCall {
  readonly name: Span;
  readonly call: Span;
  readonly receiver: { readonly start: number; readonly end: number };
  readonly args: readonly { readonly start: number; readonly end: number }[];
}

/**
 * A `CONCAT(...)` or `CONCAT_WS(sep, ...)` call with at least one value argument that may be NULL
 * (a typed nullable column or expression, or a NULL literal): DuckDB skips NULL arguments, Snowflake,
 * Databricks' CONCAT and BigQuery return NULL. Offsets are in the SQL the parser saw.
 */
export interface NullableConcat {
  /** CONCAT or CONCAT_WS, upper case. */
  readonly fn: string;
  readonly name: Span;
  readonly call: Span;
  /**
   * Every argument, in order (for CONCAT_WS the separator first): its source range, whether it may be
   * NULL, whether it is typed as a string, and whether it is an operand `||` can take as written (a
   * column, literal, call or parenthesised expression).
   */
  readonly args: readonly { readonly start: number; readonly end: number; readonly nullable: boolean; readonly string: boolean; readonly plain: boolean }[];
}

/**
 * A date difference with a unit, as the model's dialect writes it (Snowflake's `DATEDIFF(month, a, b)`,
 * BigQuery's `DATE_DIFF(b, a, MONTH)`): the function, its unit (canonical, lower case: year, quarter,
 * month, week, isoweek, day, hour, minute, second, millisecond, microsecond, nanosecond), and what
 * inference knows of the start and end values. Offsets are in the SQL the parser saw.
 */
export interface DateDiffCall {
  /** The function, upper case (DATEDIFF, DATE_DIFF, TIMESTAMPDIFF, TIMEDIFF). */
  readonly fn: string;
  readonly name: Span;
  readonly call: { readonly start: number; readonly end: number };
  readonly unit: string;
  readonly start: { readonly start: number; readonly end: number };
  readonly end: { readonly start: number; readonly end: number };
  /** "date" when both values are DATEs, "timestamp" when either carries a time of day, else "unknown". */
  readonly values: "date" | "timestamp" | "unknown";
  /** Both values are truncated to the unit (`DATE_TRUNC('month', a)`): every warehouse counts the same then. */
  readonly truncated?: true;
}

/** Names a model's SQL references: a bare name may be a model; 2- and 3-part names are external sources. */
export interface ModelRefs {
  /** Single-part table names (lower-case) not defined as CTEs in the query. */
  readonly bare: readonly { readonly name: string; readonly span: Span }[];
  /** Multi-part names, joined with "." and lower-cased. */
  readonly qualified: readonly { readonly name: string; readonly span: Span }[];
}

export interface CompiledModel {
  readonly name: string;
  readonly file: string;
  readonly sidecarFile?: string;
  readonly dialect: DialectId;
  readonly config: ModelConfig;
  readonly contract?: Contract;
  /** Model dependencies, merged from SQL and depends_on, sorted. */
  readonly dependsOn: readonly string[];
  /** External sources read ("schema.table", lower-case), sorted. */
  readonly externalSources: readonly string[];
  readonly columns: readonly OutputColumn[];
  readonly rowLevel: RowLevel;
  readonly hasStar: boolean;
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
  /** sha-256 (hex, first 16) of the model's SQL + sidecar + contract text: what "touched" means. */
  readonly contentHash: string;
  /**
   * Parsed and analysed. False when the SQL did not parse, or when the model is in or behind a dependency
   * cycle (`layer` -1, never analysed): its columns are then empty, no schema check runs on it, and
   * downstream types from it are Unknown.
   */
  readonly parsed: boolean;
  /** Execution layer (0 = no model dependencies). */
  readonly layer: number;
}

export interface CompileTimings {
  readonly project_load_ms: number;
  readonly parse_ms: number;
  readonly semantic_graph_ms: number;
  readonly typecheck_ms: number;
  readonly contracts_ms: number;
  readonly checks_ms: number;
  readonly total_ms: number;
  /** How many models were served from the cache, and how many analysed. */
  readonly cache_hits: number;
  readonly analysed: number;
}

export interface CompiledProject {
  readonly project: Project;
  /** By name, in execution (topological) order. */
  readonly models: ReadonlyMap<string, CompiledModel>;
  /** Execution layers: model names per layer. */
  readonly layers: readonly (readonly string[])[];
  /** name → direct downstream model names. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  readonly diagnostics: readonly Diagnostic[];
  readonly timings: CompileTimings;
  /** What the next compile of this project starts from (set when the compile was asked to keep one: `CompileOptions.snapshot`). */
  readonly snapshot?: CompileSnapshot;
}

/** The name of the marker column that ends a partial column list (SchemaProvider.columnsOf): no identifier can spell it. */
export const OPEN_SCHEMA_MARKER = "\u0000open";

/** Everything a model's analysis needs from outside: upstream schemas, resolved by name. */
export interface SchemaProvider {
  /**
   * A model's or external source's output columns, or undefined when nothing knows it. `name` is
   * lower-case; 1 part = model, 2-3 parts = source. A last column named OPEN_SCHEMA_MARKER says the
   * list is partial (the model's output is open): it is a marker, not a column.
   */
  columnsOf(name: string): readonly { readonly name: string; readonly type: SqlType; readonly nullable: boolean; readonly nullableAssumed?: true }[] | undefined;
  /** Whether `name` (lower-case, single part) is a model of the project. */
  isModel(name: string): boolean;
  /**
   * The model `name` (single part, any case) is, as the project spells it (`Stg_Payments` for
   * `FROM stg_payments`): lineage names a model as the graph does. Undefined: no model.
   */
  modelName?(name: string): string | undefined;
}

export interface AnalyzeModelInput {
  readonly model: string;
  readonly file: string;
  readonly dialect: DialectId;
  readonly query: Query;
  readonly schemas: SchemaProvider;
}

export type { Query };
