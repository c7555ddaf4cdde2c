import { baseDialect, type Dialect } from "./dialect.js";

/** BigQuery (GoogleSQL): `` `ident` `` (paths in one quote), `"..."` strings, raw/triple-quoted strings, `#` comments, no `::`. */
export const bigqueryDialect: Dialect = {
  ...baseDialect,
  id: "bigquery",
  identQuote: 96,
  doubleQuotedStrings: true,
  backslashEscapes: true,
  rawStrings: true,
  tripleQuotedStrings: true,
  hashComments: true,
  colonCast: false,
  lambdas: false,
  bracketArrays: true,
  splitQuotedPaths: true,
  trailingCommas: true,
};
