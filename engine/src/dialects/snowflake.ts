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
  trailingCommas: true,
  minus: true,
};
