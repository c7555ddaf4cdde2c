import { baseDialect, type Dialect } from "./dialect.js";
import { DUCKDB_KEYWORDS_NOT_ALIASES, DUCKDB_RESERVED, DUCKDB_TABLE_ALIAS_REFUSED } from "./duckdb-keywords.js";

/** DuckDB: `"ident"`, `''` only (E'..' for escapes), nested comments, `//`, `^` power, Postgres-style operators, JSON arrows, structs, maps, slices. */
export const duckdbDialect: Dialect = {
  ...baseDialect,
  id: "duckdb",
  dollarStrings: true,
  escapeStrings: true,
  nestedComments: true,
  jsonArrows: true,
  intDiv: true,
  caretIsPower: true,
  postgresOperators: true,
  braceLiterals: true,
  mapLiteral: true,
  bracketArrays: true,
  slices: true,
  trailingCommas: true,
  trailingCommaLists: true,
  // `COALESCE(a, b,)` parses; `CONCAT(a, b,)` is a syntax error (the grammar's opt_comma is per rule).
  trailingCommaCalls: new Set(["COALESCE", "ROLLUP", "CUBE"]),
  fromFirst: true,
  // DuckDB's own reserved words: it takes `values`, `over`, `escape`, `exists` and `between` as
  // column names and refuses `table`, `to`, `primary`, `leading` and the type-function words.
  reserved: DUCKDB_RESERVED,
  bareSelectAliasRefused: DUCKDB_KEYWORDS_NOT_ALIASES,
  // What DuckDB refuses after `FROM t AS` (asked of DuckDB 1.5 word by word).
  tableAliasRefused: DUCKDB_TABLE_ALIAS_REFUSED,
  // A word that names no type before a string is an error in DuckDB (it has no string aliases).
  typedLiteralTypes: new Set([
    "BOOLEAN", "BOOL", "LOGICAL", "TINYINT", "INT1", "SMALLINT", "INT2", "SHORT", "INT", "INTEGER", "INT4", "SIGNED", "UTINYINT", "USMALLINT",
    "UINTEGER", "BIGINT", "INT8", "LONG", "UBIGINT", "HUGEINT", "INT128", "UHUGEINT", "VARINT", "FLOAT", "FLOAT4", "REAL", "DOUBLE", "FLOAT8",
    "VARCHAR", "CHAR", "BPCHAR", "STRING", "TEXT", "NVARCHAR", "BLOB", "BYTEA", "BINARY", "VARBINARY", "BIT", "BITSTRING", "TIMETZ",
    "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_US",
  ]),
};
