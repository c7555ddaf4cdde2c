import { baseDialect, type Dialect, reservedWith } from "./dialect.js";

/** Databricks (Spark SQL): `` `ident` ``, `"..."` strings, backslash escapes, r'..', nested comments, `v:path`, `<=>`, `DIV`, LATERAL VIEW. */
export const databricksDialect: Dialect = {
  ...baseDialect,
  id: "databricks",
  identQuote: 96,
  doubleQuotedStrings: true,
  backslashEscapes: true,
  rawStrings: true,
  nestedComments: true,
  colonPath: true,
  numberSuffixes: true,
  digitIdentifiers: true,
  keywordColumns: true,
  multiUnitIntervals: true,
  nullSafeEq: true,
  divOperator: true,
  lateralView: true,
  streamTables: true,
  regexpOperators: true,
  reserved: reservedWith("SORT", "DISTRIBUTE", "CLUSTER"),
  minus: true,
};
