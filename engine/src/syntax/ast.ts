/**
 * The SQL syntax tree every stage after parsing reads: type inference, lineage, P001/P002 and the
 * other checks. One tree shape for every dialect; dialect differences live in the tokenizer and
 * parser flags (engine/src/dialects) and in the function tables (engine/src/types/functions).
 *
 * Every node carries a `span` so that a finding can point at the exact line and column.
 * Nodes are plain objects (structured-clone safe, so they can cross worker_threads) and are
 * never mutated after the parser returns them.
 */

/** Where a node sits in its file. `start`/`end` are UTF-16 offsets into the SQL text (end exclusive); `line`/`col` are 1-based and point at `start`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

export type DialectId = "duckdb" | "databricks" | "snowflake" | "bigquery";

/** An identifier as written. `quoted` identifiers keep their case; unquoted ones compare case-insensitively. */
export interface Ident {
  readonly name: string;
  readonly quoted: boolean;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Expr =
  | LiteralExpr
  | ColumnExpr
  | StarExpr
  | ParamExpr
  | FunctionExpr
  | BinaryExpr
  | UnaryExpr
  | CastExpr
  | CaseExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | IsExpr
  | LikeExpr
  | ExistsExpr
  | SubqueryExpr
  | IntervalExpr
  | ArrayExpr
  | StructExpr
  | MapExpr
  | SubscriptExpr
  | FieldAccessExpr
  | LambdaExpr
  | ExtractExpr
  | TypedLiteralExpr
  | CollateExpr;

export interface LiteralExpr {
  readonly kind: "literal";
  /** `number` keeps its source text in `value` ("1", "1.50", "1e3"). */
  readonly type: "number" | "string" | "boolean" | "null";
  readonly value: string;
  readonly span: Span;
}

/** `DATE '2024-01-01'`, `TIMESTAMP '...'`, `INTERVAL` is separate. */
export interface TypedLiteralExpr {
  readonly kind: "typed_literal";
  readonly dataType: TypeName;
  readonly value: string;
  readonly span: Span;
}

/** A column reference: `col`, `t.col`, `schema.t.col`. `parts` holds every dotted part in order. */
export interface ColumnExpr {
  readonly kind: "column";
  readonly parts: readonly Ident[];
  readonly span: Span;
}

/** `*` or `t.*`, with DuckDB/Snowflake `EXCLUDE (...)`, BigQuery/Databricks `EXCEPT (...)`, `REPLACE (expr AS col, ...)`, Snowflake `RENAME (a AS b)`. */
export interface StarExpr {
  readonly kind: "star";
  readonly qualifier?: readonly Ident[];
  readonly exclude?: readonly Ident[];
  readonly replace?: readonly { readonly expr: Expr; readonly alias: Ident }[];
  readonly rename?: readonly { readonly from: Ident; readonly to: Ident }[];
  /** Snowflake `* ILIKE 'pat'`, DuckDB `* [NOT] LIKE / ILIKE / SIMILAR TO 'pat'`: only the columns whose names match. */
  readonly pattern?: { readonly op: "LIKE" | "ILIKE" | "SIMILAR TO"; readonly not: boolean; readonly value: string; readonly opSpan: Span };
  /** Not written: the `*` a DuckDB PIVOT / UNPIVOT statement selects (no "prefer a column list" for it). */
  readonly implicit?: boolean;
  readonly span: Span;
}

/** `@start_date`, `@end_date` (Rocky run parameters), `?`, `$1`, `:name`. */
export interface ParamExpr {
  readonly kind: "param";
  readonly name: string;
  readonly span: Span;
}

export interface WindowFrame {
  readonly units: "rows" | "range" | "groups";
  /** The frame as normalized text, e.g. "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW". */
  readonly text: string;
}

export interface WindowSpec {
  /** `OVER w` or `OVER (w ORDER BY ...)`. */
  readonly baseName?: Ident;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame;
  readonly span: Span;
}

export interface FunctionExpr {
  readonly kind: "function";
  /** Possibly qualified (`my_schema.my_udf`); the last part is the function name. */
  readonly name: readonly Ident[];
  readonly args: readonly Expr[];
  /** Named arguments (`fn(a => 1)`), in order of appearance, kept apart from positional `args`. */
  readonly namedArgs?: readonly { readonly name: Ident; readonly value: Expr }[];
  readonly distinct?: boolean;
  /** `COUNT(*)`. */
  readonly star?: boolean;
  readonly filter?: Expr;
  readonly within?: readonly OrderItem[];
  /** ORDER BY inside the call: `STRING_AGG(x, ',' ORDER BY y)`, `ARRAY_AGG(x ORDER BY y)`. */
  readonly orderBy?: readonly OrderItem[];
  readonly ignoreNulls?: boolean;
  readonly over?: WindowSpec;
  /** The span of the function name alone: the place a P001 finding points at. */
  readonly nameSpan: Span;
  /** DuckDB's method syntax `x.f(a)` after an expression the parser knows is one (`(x).f()`, a chain): `args[0]` is x. */
  readonly method?: true;
  readonly span: Span;
}

/**
 * Arithmetic, comparison, logical and string operators. `op` is upper-case canonical text:
 * `+ - * / % || = <> < > <= >= AND OR XOR IS DISTINCT FROM, IS NOT DISTINCT FROM, & | ^ << >> //`
 * plus dialect operators (`->`, `->>`, `:` for Snowflake variant path is FieldAccess instead).
 * `!=` is normalized to `<>`, `==` to `=`.
 */
export interface BinaryExpr {
  readonly kind: "binary";
  readonly op: string;
  readonly left: Expr;
  readonly right: Expr;
  /** The span of the operator token. */
  readonly opSpan: Span;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: "unary";
  /** `PRIOR` and `CONNECT_BY_ROOT`: Snowflake's hierarchical-query operators (Select.connectBy). */
  readonly op: "NOT" | "-" | "+" | "~" | "PRIOR" | "CONNECT_BY_ROOT";
  readonly operand: Expr;
  readonly span: Span;
}

/** `CAST(x AS T)`, `TRY_CAST`, BigQuery `SAFE_CAST`, and `x::T`. */
export interface CastExpr {
  readonly kind: "cast";
  readonly style: "cast" | "try_cast" | "safe_cast" | "colon_colon";
  readonly expr: Expr;
  readonly to: TypeName;
  readonly span: Span;
}

export interface CaseExpr {
  readonly kind: "case";
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
  readonly span: Span;
}

export interface BetweenExpr {
  readonly kind: "between";
  readonly not: boolean;
  /** `BETWEEN SYMMETRIC`: the bounds in either order. */
  readonly symmetric?: boolean;
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly span: Span;
}

export interface InListExpr {
  readonly kind: "in_list";
  readonly not: boolean;
  readonly expr: Expr;
  readonly list: readonly Expr[];
  readonly span: Span;
}

export interface InSubqueryExpr {
  readonly kind: "in_subquery";
  readonly not: boolean;
  readonly expr: Expr;
  readonly query: Query;
  readonly span: Span;
}

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsExpr {
  readonly kind: "is";
  readonly not: boolean;
  readonly expr: Expr;
  readonly what: "null" | "true" | "false" | "unknown";
  readonly span: Span;
}

/** `LIKE`, `ILIKE`, `RLIKE`/`REGEXP`, `SIMILAR TO`, with optional `ESCAPE` and Snowflake/Databricks `LIKE ANY|ALL (...)`. */
export interface LikeExpr {
  readonly kind: "like";
  readonly op: "LIKE" | "ILIKE" | "RLIKE" | "SIMILAR TO" | "GLOB";
  readonly not: boolean;
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
  readonly quantifier?: "ANY" | "ALL";
  /** The span of the operator keyword: the place a P001 ILIKE finding points at. */
  readonly opSpan: Span;
  readonly span: Span;
}

export interface ExistsExpr {
  readonly kind: "exists";
  readonly not: boolean;
  readonly query: Query;
  readonly span: Span;
}

/** A scalar subquery `(SELECT ...)`, or `ARRAY(SELECT ...)` with `array: true`. */
export interface SubqueryExpr {
  readonly kind: "subquery";
  readonly query: Query;
  readonly array?: boolean;
  readonly span: Span;
}

/** `INTERVAL '1' DAY`, `INTERVAL 1 DAY`, `INTERVAL '1 day'`. */
export interface IntervalExpr {
  readonly kind: "interval";
  readonly value: Expr;
  readonly unit?: string;
  readonly span: Span;
}

/** `[1, 2]`, `ARRAY[1, 2]`. */
export interface ArrayExpr {
  readonly kind: "array";
  readonly elements: readonly Expr[];
  readonly span: Span;
}

/** DuckDB `{'a': 1}`, BigQuery `STRUCT(1 AS a)`, Databricks `named_struct` stays a function. */
export interface StructExpr {
  readonly kind: "struct";
  readonly fields: readonly { readonly name: Ident; readonly value: Expr }[];
  readonly span: Span;
}

/** DuckDB `MAP {'k': v}`. */
export interface MapExpr {
  readonly kind: "map";
  readonly entries: readonly { readonly key: Expr; readonly value: Expr }[];
  readonly span: Span;
}

/** `x[1]`, `x['key']`, DuckDB slices `x[1:2]` (with `to`; an omitted bound, `x[:2]`, is a null literal whose `value` is ""). */
export interface SubscriptExpr {
  readonly kind: "subscript";
  readonly expr: Expr;
  readonly index: Expr;
  readonly to?: Expr;
  /** DuckDB's slice step: `x[a:b:step]`. */
  readonly step?: Expr;
  readonly span: Span;
}

/** `(expr).field`, Snowflake `v:path.to.field` (style "colon"), Databricks `v:path`. */
export interface FieldAccessExpr {
  readonly kind: "field";
  readonly expr: Expr;
  readonly field: Ident;
  readonly style: "dot" | "colon";
  readonly span: Span;
}

/** `x -> x + 1`, `(a, b) -> a + b`. */
export interface LambdaExpr {
  readonly kind: "lambda";
  readonly params: readonly Ident[];
  readonly body: Expr;
  readonly span: Span;
}

/** `EXTRACT(YEAR FROM ts)`, `DATE_PART` stays a function. */
export interface ExtractExpr {
  readonly kind: "extract";
  readonly field: string;
  readonly expr: Expr;
  readonly span: Span;
}

export interface CollateExpr {
  readonly kind: "collate";
  readonly expr: Expr;
  readonly collation: string;
  readonly span: Span;
}

/**
 * A type as written in the SQL (`VARCHAR(20)`, `DECIMAL(10, 2)`, `ARRAY<INT>`, `INT[]`,
 * `STRUCT<a INT, b STRING>`, `MAP(VARCHAR, INT)`, `NUMBER(38,0)`, `TIMESTAMP_NTZ`).
 * Mapping to the type lattice is engine/src/types' job, per dialect.
 */
export interface TypeName {
  /** Upper-case base name, multi-word names joined by one space: "DOUBLE PRECISION", "TIMESTAMP WITH TIME ZONE". */
  readonly name: string;
  /** Numeric parameters: `DECIMAL(10,2)` → [10, 2]. */
  readonly params: readonly number[];
  /** Element/key/value types for ARRAY, MAP, and `T[]` (name "ARRAY"). */
  readonly args?: readonly TypeName[];
  /** STRUCT fields. */
  readonly fields?: readonly { readonly name: string; readonly type: TypeName }[];
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export interface OrderItem {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nullsFirst?: boolean;
  readonly span: Span;
}

export interface Cte {
  readonly name: Ident;
  readonly columns?: readonly Ident[];
  readonly query: Query;
  readonly materialized?: boolean;
  readonly span: Span;
}

export interface Query {
  readonly kind: "query";
  readonly with?: { readonly recursive: boolean; readonly ctes: readonly Cte[] };
  readonly body: SetExpr;
  readonly orderBy?: readonly OrderItem[];
  /** DuckDB/Databricks `ORDER BY ALL [DESC] [NULLS FIRST|LAST]` (then `orderBy` is absent). */
  readonly orderByAll?: { readonly desc: boolean; readonly nullsFirst?: boolean; readonly span: Span };
  readonly limit?: Expr;
  /** DuckDB `LIMIT 10%` / `LIMIT 10 PERCENT`: `limit` is a percentage of the rows. */
  readonly limitPercent?: true;
  readonly offset?: Expr;
  readonly span: Span;
}

export type SetExpr = Select | SetOperation | ValuesBody | Query;

export interface SetOperation {
  readonly kind: "set_op";
  readonly op: "UNION" | "INTERSECT" | "EXCEPT" | "MINUS";
  readonly all: boolean;
  /** DuckDB/Databricks `UNION [ALL] BY NAME`. */
  readonly byName: boolean;
  readonly left: SetExpr;
  readonly right: SetExpr;
  readonly span: Span;
}

export interface ValuesBody {
  readonly kind: "values";
  readonly rows: readonly (readonly Expr[])[];
  readonly span: Span;
}

export type SelectItem =
  /** `aliases`: Databricks `explode(m) AS (k, v)`, one name per column a generator function yields (then no `alias`). */
  | { readonly kind: "expr"; readonly expr: Expr; readonly alias?: Ident; readonly aliases?: readonly Ident[]; readonly span: Span }
  | { readonly kind: "star"; readonly star: StarExpr; readonly span: Span };

export interface GroupBy {
  /** DuckDB/Databricks/Snowflake `GROUP BY ALL`. */
  readonly all: boolean;
  /** Plain items, including ordinals (`GROUP BY 1, 2`) as number literals. ROLLUP/CUBE/GROUPING SETS are functions named ROLLUP/CUBE/GROUPING SETS. */
  readonly items: readonly Expr[];
  readonly span: Span;
}

export interface Select {
  readonly kind: "select";
  /** BigQuery `SELECT AS STRUCT` / `SELECT AS VALUE`. */
  readonly as?: "STRUCT" | "VALUE";
  readonly distinct?: { readonly on?: readonly Expr[]; readonly span: Span };
  readonly top?: Expr;
  readonly projection: readonly SelectItem[];
  /** Comma-separated FROM items; explicit joins are nested inside as JoinRef. Empty for `SELECT 1`. */
  readonly from: readonly TableRef[];
  readonly where?: Expr;
  readonly groupBy?: GroupBy;
  readonly having?: Expr;
  /** Named windows: `WINDOW w AS (...)`. */
  readonly windows?: readonly { readonly name: Ident; readonly spec: WindowSpec }[];
  readonly qualify?: Expr;
  /** The span of the QUALIFY keyword: the place a P001 QUALIFY finding points at. */
  readonly qualifySpan?: Span;
  /** Snowflake `START WITH cond CONNECT BY cond` (either order); its span is the words CONNECT BY. */
  readonly connectBy?: ConnectBy;
  /**
   * DuckDB's `USING SAMPLE ..` written after WHERE / GROUP BY / HAVING / QUALIFY, as normalized text:
   * it samples what FROM produces (after its joins, before WHERE), as a table's own sampling does.
   */
  readonly sample?: string;
  readonly span: Span;
}

/** A hierarchical query's rows: the roots START WITH picks, then each row's children by the CONNECT BY condition (with PRIOR). */
export interface ConnectBy {
  readonly startWith?: Expr;
  readonly condition: Expr;
  /** `CONNECT BY NOCYCLE`: a cycle in the data ends the walk instead of failing the query. */
  readonly nocycle?: true;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// FROM items
// ---------------------------------------------------------------------------------------------

export type TableRef = NamedTableRef | DerivedTableRef | JoinRef | FunctionTableRef | ValuesTableRef | PivotTableRef | LateralViewRef | MatchRecognizeRef;

export interface TableAlias {
  readonly name: Ident;
  readonly columns?: readonly Ident[];
}

/** `model_name`, `schema.table`, `catalog.schema.table`, with an optional alias. */
export interface NamedTableRef {
  readonly kind: "table";
  readonly name: readonly Ident[];
  /** DuckDB `FROM 'data/orders.parquet'`: the one name part is a file path DuckDB reads, not a table. */
  readonly file?: true;
  /** Snowflake `FROM @stage/path`: the one name part is the stage and path (with its `@`); `modifiers` holds its `(FILE_FORMAT => ..)`. */
  readonly stage?: true;
  readonly alias?: TableAlias;
  /** Snowflake/Databricks time travel or sampling clauses as raw text, kept so nothing is lost. */
  readonly modifiers?: string;
  readonly span: Span;
}

export interface DerivedTableRef {
  readonly kind: "derived";
  readonly query: Query;
  readonly lateral: boolean;
  readonly alias?: TableAlias;
  /** `TABLESAMPLE ..` after it, as normalized text (DuckDB, Databricks): which of its rows the query reads. */
  readonly sample?: string;
  readonly span: Span;
}

export interface JoinRef {
  readonly kind: "join";
  readonly joinType: "inner" | "left" | "right" | "full" | "cross" | "semi" | "anti" | "positional" | "asof";
  readonly natural: boolean;
  readonly left: TableRef;
  readonly right: TableRef;
  readonly on?: Expr;
  readonly using?: readonly Ident[];
  /** Snowflake `ASOF JOIN ... MATCH_CONDITION (l.ts >= r.ts)`. */
  readonly matchCondition?: Expr;
  /** DuckDB's `ASOF LEFT | RIGHT | FULL [OUTER] JOIN`: the sides whose unmatched rows are kept (its plain ASOF JOIN is inner). */
  readonly asofOuter?: "left" | "right" | "full";
  readonly span: Span;
}

/** `FLATTEN(input => x)`, `UNNEST(arr)`, `generate_series(...)`, `read_parquet(...)`, `TABLE(fn(...))`, `LATERAL FLATTEN(...)`. */
export interface FunctionTableRef {
  readonly kind: "function_table";
  readonly fn: FunctionExpr;
  readonly lateral: boolean;
  readonly alias?: TableAlias;
  /** BigQuery/Databricks `WITH OFFSET [AS o]` / `WITH ORDINALITY`. */
  readonly withOffset?: Ident | true;
  /** Written as Snowflake `TABLE(fn(...))`; `fn` is the inner call. */
  readonly table?: boolean;
  /** `TABLESAMPLE ..` after it, as normalized text: which of its rows the query reads. */
  readonly sample?: string;
  /** Databricks' `STREAM read_files(...)`: read as a stream (new rows only). */
  readonly stream?: true;
  readonly span: Span;
}

export interface ValuesTableRef {
  readonly kind: "values_table";
  readonly values: ValuesBody;
  readonly alias?: TableAlias;
  readonly span: Span;
}

/** PIVOT / UNPIVOT kept structurally enough to name the output columns where they are literal. */
export interface PivotTableRef {
  readonly kind: "pivot";
  readonly op: "PIVOT" | "UNPIVOT";
  readonly source: TableRef;
  /** PIVOT: aggregate calls; UNPIVOT: the value column name. */
  readonly aggregates: readonly Expr[];
  /** PIVOT: the alias of each aggregate (Databricks/Snowflake `SUM(x) AS total`), parallel to `aggregates`; absent when none has one. */
  readonly aggregateAliases?: readonly (Ident | undefined)[];
  /** PIVOT: the FOR column; UNPIVOT: the name column. */
  readonly forColumn: Ident;
  /** PIVOT: the IN values; UNPIVOT: the IN columns. */
  readonly inList: readonly { readonly expr: Expr; readonly alias?: Ident }[];
  readonly valueColumn?: Ident;
  /** UNPIVOT INCLUDE NULLS (the default, EXCLUDE NULLS, is left out). */
  readonly includeNulls?: boolean;
  /**
   * PIVOT: the values are only known when it runs (Snowflake `IN (ANY)` or `IN (subquery)`, a DuckDB
   * `PIVOT t ON c` without IN): `inList` is empty and the pivoted columns are not known.
   */
  readonly dynamic?: boolean;
  /** PIVOT `IN (subquery)`: the query whose values name the columns (it reads tables too). */
  readonly inQuery?: Query;
  /** DuckDB: further pivot columns (`FOR a IN (..) b IN (..)`, `ON a, b`): one output column per combination. */
  readonly moreFor?: readonly { readonly column: Ident; readonly inList: readonly { readonly expr: Expr; readonly alias?: Ident }[] }[];
  /** DuckDB `GROUP BY` inside PIVOT: only these columns are kept beside the pivoted ones. */
  readonly groupBy?: readonly Expr[];
  /** Snowflake `DEFAULT ON NULL (value)`. */
  readonly defaultOnNull?: Expr;
  readonly alias?: TableAlias;
  readonly span: Span;
}

/**
 * Snowflake `MATCH_RECOGNIZE (...)` after a FROM item: rows matched against a pattern of row
 * symbols. Its output is the partition columns and the measures (ONE ROW PER MATCH), or every
 * input column and the measures (ALL ROWS PER MATCH).
 */
export interface MatchRecognizeRef {
  readonly kind: "match_recognize";
  readonly source: TableRef;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  /** Each measure, with `RUNNING` / `FINAL` when written (they change what the measure reads). */
  readonly measures: readonly { readonly expr: Expr; readonly alias: Ident; readonly semantics?: "RUNNING" | "FINAL" }[];
  readonly allRows: boolean;
  /** ALL ROWS PER MATCH's option, normalized: `SHOW EMPTY MATCHES`, `OMIT EMPTY MATCHES`, `WITH UNMATCHED ROWS`. */
  readonly rowsOption?: string;
  /** `AFTER MATCH SKIP ...`: where the next match starts, and the symbol for `TO [FIRST | LAST] a`. */
  readonly afterMatchSkip?: { readonly to: "PAST LAST ROW" | "TO NEXT ROW" | "TO FIRST" | "TO LAST" | "TO"; readonly symbol?: Ident };
  /** `SUBSET u = (a, b), ...`. */
  readonly subsets?: readonly { readonly name: Ident; readonly members: readonly Ident[] }[];
  /** The PATTERN's text, tokens joined by single spaces (`^ a b + $`). */
  readonly pattern: string;
  /** The row symbols (the pattern's, DEFINE's and SUBSET's), each once: what `sym.col` may be qualified by. */
  readonly symbols: readonly Ident[];
  readonly define: readonly { readonly symbol: Ident; readonly expr: Expr }[];
  readonly alias?: TableAlias;
  readonly span: Span;
}

/** Databricks/Hive `LATERAL VIEW [OUTER] explode(x) t AS col`. Applies to the preceding FROM item. */
export interface LateralViewRef {
  readonly kind: "lateral_view";
  readonly source: TableRef;
  readonly fn: FunctionExpr;
  readonly outer: boolean;
  readonly alias?: TableAlias;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Parse results
// ---------------------------------------------------------------------------------------------

export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export interface ParseError {
  /** "expected <what>, found <what>" — names the parser's expectation. */
  readonly message: string;
  readonly span: Span;
  /** What the parser expected, for tooling (e.g. ["FROM", ")", "an expression"]). */
  readonly expected?: readonly string[];
}

export interface ParseResult {
  /** Present when the SQL parsed. A model is one query; a trailing `;` is allowed. */
  readonly query?: Query;
  readonly error?: ParseError;
  /** Every comment in the file, in order (for `-- rocky-allow:` pragmas and docs). */
  readonly comments: readonly Comment[];
}
