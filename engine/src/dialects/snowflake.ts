import { baseDialect, type Dialect, reservedWith } from "./dialect.js";

/** Snowflake: `"ident"`, backslash escapes, `$$..$$`, `//` comments, `v:path`, TOP, object constants, time travel. */
export const snowflakeDialect: Dialect = {
  ...baseDialect,
  id: "snowflake",
  backslashEscapes: true,
  dollarStrings: true,
  slashSlashComments: true,
  colonPath: true,
  dollarInIdent: true,
  braceLiterals: true,
  bracketArrays: true,
  top: true,
  atBeforeChanges: true,
  matchRecognize: true,
  connectBy: true,
  stages: true,
  sampleKeyword: true,
  regexpOperators: true,
  reserved: reservedWith("SAMPLE", "CONNECT", "START", "MATCH_RECOGNIZE", "MATCH_CONDITION"),
  // Snowflake's reserved keywords (ANSI's and its own) and those it refuses as a table name or
  // alias in FROM, as its reserved-keywords page lists them; only words our parser knows.
  tableAliasRefused: new Set([
    "ALL", "AND", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "COLUMN", "CONNECT", "CROSS", "DESC", "DISTINCT", "ELSE", "EXISTS",
    "FALSE", "FOR", "FROM", "FULL", "GROUP", "HAVING", "ILIKE", "IN", "INNER", "INTERSECT", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE",
    "MINUS", "NATURAL", "NOT", "NULL", "ON", "OR", "ORDER", "QUALIFY", "REGEXP", "RIGHT", "RLIKE", "SAMPLE", "SELECT", "SOME", "START",
    "TABLE", "TABLESAMPLE", "THEN", "TRUE", "UNION", "USING", "VALUES", "WHEN", "WHERE", "WITH",
  ]),
  trailingCommas: true,
  minus: true,
};
