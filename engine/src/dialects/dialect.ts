/**
 * The lexical and syntactic flags that make the one SQL parser dialect-aware.
 * One base table (`baseDialect`); each dialect spreads it and overrides what differs.
 * Function names are deliberately not here: portability of functions is the P001 lint's job.
 */
import type { DialectId } from "../syntax/ast.js";

export interface Dialect {
  readonly id: DialectId;
  /** The identifier quote: `"x"` (duckdb, snowflake) or `` `x` `` (databricks, bigquery). */
  readonly identQuote: 34 | 96;
  /** `"..."` is a string literal (databricks, bigquery). */
  readonly doubleQuotedStrings: boolean;
  /** `\'`, `\n`, `\\` escapes inside string literals. `''` works everywhere. */
  readonly backslashEscapes: boolean;
  /** Snowflake/DuckDB `$$...$$`. */
  readonly dollarStrings: boolean;
  /** `r'...'` / `R"..."` raw strings (bigquery, databricks) and `b'...'` bytes (bigquery). */
  readonly rawStrings: boolean;
  /** BigQuery `'''...'''` and `"""..."""`. */
  readonly tripleQuotedStrings: boolean;
  /** DuckDB `E'...'` strings with backslash escapes. */
  readonly escapeStrings: boolean;
  /** BigQuery `# comment`. */
  readonly hashComments: boolean;
  /** Snowflake `// comment`. */
  readonly slashSlashComments: boolean;
  /** Nested block comments (duckdb, databricks). */
  readonly nestedComments: boolean;
  /** `x::INT` (everything but bigquery). */
  readonly colonCast: boolean;
  /** Variant path `v:a.b` (snowflake), `v:a` (databricks). */
  readonly colonPath: boolean;
  /** DuckDB JSON `->` / `->>` operators. */
  readonly jsonArrows: boolean;
  /** `x -> x + 1` lambdas in function arguments. */
  readonly lambdas: boolean;
  /** DuckDB `//` integer division. */
  readonly intDiv: boolean;
  /** Databricks `a DIV b`: integral division, truncated toward zero. */
  readonly divOperator: boolean;
  /** DuckDB `^` is exponentiation (elsewhere bitwise XOR). */
  readonly caretIsPower: boolean;
  /**
   * DuckDB's Postgres-style operators: `~` `!~` (regex full match), `~~` `!~~` `~~*` `!~~*` (LIKE,
   * ILIKE), `~~~` (GLOB), `^@` (starts with), `@>` `<@` `&&` (list containment, overlap), `**` (power).
   */
  readonly postgresOperators: boolean;
  /** Snowflake allows `$` inside unquoted identifiers. */
  readonly dollarInIdent: boolean;
  /** DuckDB struct `{'a': 1}`, Snowflake object constant `{'a': 1}`. */
  readonly braceLiterals: boolean;
  /** DuckDB `MAP {'k': v}`. */
  readonly mapLiteral: boolean;
  /** `[1, 2]` array literals (duckdb, snowflake, bigquery). */
  readonly bracketArrays: boolean;
  /** Databricks numeric suffixes `1L`, `1.5D`, `1BD`, `1Y`, `1S`, `1F`. */
  readonly numberSuffixes: boolean;
  /**
   * Spark's lexer takes the longest match, so a run of letters, digits and `_` that starts with a
   * digit and is longer than any number it starts with is an identifier: `1688_min_price`, `7d`.
   */
  readonly digitIdentifiers: boolean;
  /** Spark outside ANSI mode: `order`, `values` and a few other keywords also name columns (Parser.keywordAsColumn). */
  readonly keywordColumns: boolean;
  /** Spark's `INTERVAL 1 DAY 12 HOURS`: more value-unit pairs after the first, read as their sum. */
  readonly multiUnitIntervals: boolean;
  /** Databricks `<=>` null-safe equality. */
  readonly nullSafeEq: boolean;
  /** Snowflake `SELECT TOP n`. */
  readonly top: boolean;
  /** DuckDB `x[1:2]` slices. */
  readonly slices: boolean;
  /** BigQuery `` `project.dataset.table` `` names a path in one quoted identifier. */
  readonly splitQuotedPaths: boolean;
  /** Databricks `LATERAL VIEW explode(x)`. */
  readonly lateralView: boolean;
  /** Snowflake `AT(...)`, `BEFORE(...)`, `CHANGES(...)` time travel after a table name. */
  readonly atBeforeChanges: boolean;
  /** Snowflake `SAMPLE (...)` as a synonym of TABLESAMPLE. */
  readonly sampleKeyword: boolean;
  /** `x RLIKE p` / `x REGEXP p` (Snowflake, Databricks); DuckDB and BigQuery have no such operator. */
  readonly regexpOperators: boolean;
  /**
   * Type names that make `<name> 'text'` a typed literal beyond the ones every dialect has (DATE,
   * TIMESTAMP, ...): DuckDB reads any type name there, Postgres-style (`VARCHAR 'x'`, `BLOB '\x01'`).
   */
  readonly typedLiteralTypes: ReadonlySet<string>;
  /** A trailing comma before FROM in the select list (duckdb, bigquery, snowflake). */
  readonly trailingCommas: boolean;
  /**
   * DuckDB's grammar also takes a trailing comma at the end of FROM and GROUP BY lists, and of the
   * lists in parentheses it spells `opt_comma`: IN, VALUES rows, DISTINCT ON, USING, star
   * EXCLUDE / REPLACE, column aliases, and the arguments of `trailingCommaCalls`.
   */
  readonly trailingCommaLists: boolean;
  /** Upper-case names of the calls whose arguments may end in a comma (DuckDB: COALESCE, ROLLUP, CUBE; not ordinary functions). */
  readonly trailingCommaCalls: ReadonlySet<string>;
  /** `MINUS` as a synonym of EXCEPT (snowflake, databricks). */
  readonly minus: boolean;
  /** DuckDB `FROM t SELECT a` and a bare `FROM t`. */
  readonly fromFirst: boolean;
  /** Snowflake `MATCH_RECOGNIZE (...)` after a FROM item (and a lone `$`, its pattern's end anchor). */
  readonly matchRecognize: boolean;
  /** Snowflake hierarchical queries: `START WITH .. CONNECT BY ..`, `PRIOR x`, `CONNECT_BY_ROOT x`, `LEVEL`. */
  readonly connectBy: boolean;
  /** Snowflake stages: `FROM @stage/path (FILE_FORMAT => ..)`, and `$1` / `t.$1`, a column by its position. */
  readonly stages: boolean;
  /** Databricks streaming reads: `FROM STREAM t`, `FROM STREAM(t)`, `FROM STREAM read_files(..)`. */
  readonly streamTables?: boolean;
  /** Words that cannot be a bare column name or an alias without AS (upper-case). */
  readonly reserved: ReadonlySet<string>;
  /**
   * Words refused as a table's alias even after AS (upper-case), where the warehouse says so: `FROM
   * t AS from` is its syntax error, not an alias. Unset: any word after AS is an alias.
   */
  readonly tableAliasRefused?: ReadonlySet<string>;
  /**
   * Words refused as a select-list alias without AS (upper-case), where the warehouse takes only a
   * plain name there: DuckDB's `SELECT amount value FROM t` is its syntax error. Unset: any word
   * that is not reserved.
   */
  readonly bareSelectAliasRefused?: ReadonlySet<string>;
}

const baseReserved = [
  "ALL", "AND", "ANTI", "ANY", "AS", "ASC", "ASOF", "BETWEEN", "BY", "CASE", "COLLATE", "CROSS", "DESC", "DISTINCT", "ELSE", "END",
  "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FOR", "FROM", "FULL", "GLOB", "GROUP", "HAVING", "ILIKE", "IN", "INNER",
  "INTERSECT", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "MINUS", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR",
  "ORDER", "OUTER", "OVER", "PIVOT", "POSITIONAL", "QUALIFY", "REGEXP", "RIGHT", "RLIKE", "SELECT", "SEMI", "SIMILAR", "SOME",
  "TABLESAMPLE", "THEN", "TRUE", "UNION", "UNPIVOT", "USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH",
] as const;

export const baseDialect: Dialect = {
  id: "duckdb",
  identQuote: 34,
  doubleQuotedStrings: false,
  backslashEscapes: false,
  dollarStrings: false,
  rawStrings: false,
  tripleQuotedStrings: false,
  escapeStrings: false,
  hashComments: false,
  slashSlashComments: false,
  nestedComments: false,
  colonCast: true,
  colonPath: false,
  jsonArrows: false,
  lambdas: true,
  intDiv: false,
  divOperator: false,
  caretIsPower: false,
  postgresOperators: false,
  dollarInIdent: false,
  braceLiterals: false,
  mapLiteral: false,
  bracketArrays: false,
  numberSuffixes: false,
  digitIdentifiers: false,
  keywordColumns: false,
  multiUnitIntervals: false,
  nullSafeEq: false,
  top: false,
  slices: false,
  splitQuotedPaths: false,
  lateralView: false,
  atBeforeChanges: false,
  sampleKeyword: false,
  regexpOperators: false,
  typedLiteralTypes: new Set(),
  trailingCommas: false,
  trailingCommaLists: false,
  trailingCommaCalls: new Set(),
  minus: false,
  fromFirst: false,
  matchRecognize: false,
  connectBy: false,
  stages: false,
  reserved: new Set<string>(baseReserved),
};

export function reservedWith(...extra: string[]): ReadonlySet<string> {
  return new Set<string>([...baseReserved, ...extra]);
}
