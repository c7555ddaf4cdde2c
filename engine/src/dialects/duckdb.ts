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
};
