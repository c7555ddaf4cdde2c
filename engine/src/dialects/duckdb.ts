import { baseDialect, type Dialect } from "./dialect.js";

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
  // What DuckDB refuses after `FROM t AS` (asked of DuckDB 1.5 word by word; it takes BETWEEN,
  // ESCAPE, EXISTS, MINUS, OVER, REGEXP, RLIKE and VALUES there).
  tableAliasRefused: new Set([
    "ALL", "AND", "ANTI", "ANY", "AS", "ASC", "ASOF", "BY", "CASE", "CAST", "COLLATE", "COLUMN", "CROSS", "DESC", "DISTINCT", "ELSE", "END",
    "EXCEPT", "FALSE", "FETCH", "FOR", "FROM", "FULL", "GLOB", "GROUP", "HAVING", "ILIKE", "IN", "INNER", "INTERSECT", "INTO", "IS", "JOIN",
    "LATERAL", "LEFT", "LIKE", "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "PIVOT", "POSITIONAL", "QUALIFY",
    "RIGHT", "SELECT", "SEMI", "SIMILAR", "SOME", "TABLE", "TABLESAMPLE", "THEN", "TRUE", "UNION", "UNPIVOT", "USING", "WHEN", "WHERE",
    "WINDOW", "WITH",
  ]),
  // A word that names no type before a string is an error in DuckDB (it has no string aliases).
  typedLiteralTypes: new Set([
    "BOOLEAN", "BOOL", "LOGICAL", "TINYINT", "INT1", "SMALLINT", "INT2", "SHORT", "INT", "INTEGER", "INT4", "SIGNED", "UTINYINT", "USMALLINT",
    "UINTEGER", "BIGINT", "INT8", "LONG", "UBIGINT", "HUGEINT", "INT128", "UHUGEINT", "VARINT", "FLOAT", "FLOAT4", "REAL", "DOUBLE", "FLOAT8",
    "VARCHAR", "CHAR", "BPCHAR", "STRING", "TEXT", "NVARCHAR", "BLOB", "BYTEA", "BINARY", "VARBINARY", "BIT", "BITSTRING", "TIMETZ",
    "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_US",
  ]),
};
