import assert from "node:assert/strict";
import { test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { BASE_SCALAR } from "../../../engine/src/types/functions/base.js";
import { functionsForDialect } from "../../../engine/src/types/functions/functions-for-dialect.js";

const DIALECTS: DialectId[] = ["duckdb", "databricks", "snowflake", "bigquery"];

test("every dialect table extends the base table (spread, then override)", () => {
  for (const d of DIALECTS) {
    const t = functionsForDialect(d);
    for (const name of Object.keys(BASE_SCALAR)) assert.ok(t.scalar[name], `${d} lacks ${name}`);
  }
});

test("the tables cover the function families the charter names", () => {
  const required = [
    "UPPER", "TRIM", "COALESCE", "NVL", "IFNULL", "NULLIF", "IFF", "IF", "GREATEST", "LEAST", "DECODE",
    "DATE_TRUNC", "DATEADD", "DATE_ADD", "DATEDIFF", "DATE_DIFF", "DATE_PART", "CURRENT_DATE", "TO_DATE", "TO_TIMESTAMP", "TO_CHAR",
    "TO_VARCHAR", "STRFTIME", "STRPTIME", "MAKE_DATE", "YEAR", "MONTH", "DAY",
    "COUNT", "COUNT_IF", "SUM", "AVG", "MIN", "MAX", "ANY_VALUE", "STRING_AGG", "LISTAGG", "GROUP_CONCAT", "ARRAY_AGG", "LIST",
    "BOOL_AND", "BOOL_OR", "MEDIAN", "STDDEV", "VARIANCE", "APPROX_COUNT_DISTINCT",
    "ROW_NUMBER", "RANK", "DENSE_RANK", "NTILE", "LAG", "LEAD", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "PERCENT_RANK", "CUME_DIST",
    "MD5", "SHA1", "SHA2", "SHA256", "HASH", "PARSE_JSON", "TO_VARIANT", "GET_PATH", "JSON_EXTRACT", "TO_JSON",
    "ARRAY_SIZE", "ARRAY_LENGTH", "LEN", "CARDINALITY", "ARRAY_CONTAINS", "SPLIT", "ARRAY_CONSTRUCT",
  ];
  for (const d of DIALECTS) for (const name of required) assert.ok(functionsForDialect(d).scalar[name], `${d} lacks ${name}`);
  for (const d of DIALECTS) for (const name of ["UNNEST", "EXPLODE", "FLATTEN"]) assert.ok(functionsForDialect(d).table[name], `${d} lacks table fn ${name}`);
});

test("aggregates and windows are marked, so lineage can name them", () => {
  const t = functionsForDialect("duckdb").scalar;
  for (const name of ["SUM", "COUNT", "AVG", "MIN", "MAX", "STRING_AGG", "ARRAY_AGG"]) assert.equal(t[name].kind, "aggregate", name);
  for (const name of ["ROW_NUMBER", "RANK", "LAG", "LEAD"]) assert.equal(t[name].kind, "window", name);
  assert.equal(t.UPPER.kind, undefined);
});

test("FLATTEN yields Snowflake's SEQ, KEY, PATH, INDEX, VALUE, THIS", () => {
  const cols = functionsForDialect("snowflake").table.FLATTEN.columns({ dialect: "snowflake", args: [], literal: () => undefined, literalList: () => undefined, argName: () => undefined, named: [], unify: () => ({ kind: "Unknown" }) });
  assert.deepEqual(cols.map((c) => c.name), ["SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS"]);
});
