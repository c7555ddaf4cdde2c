import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { commonSupertype } from "../../../engine/src/types/common-supertype.js";
import { contractTypeMatches } from "../../../engine/src/types/contract-type-matches.js";
import { isNarrowing } from "../../../engine/src/types/is-narrowing.js";
import { parseRockyTypeName } from "../../../engine/src/types/rocky-type-name.js";
import { formatType, type SqlType } from "../../../engine/src/types/sql-type.js";
import { T, arrayOf, decimal } from "../../../engine/src/types/type-constants.js";
import { typeFromWarehouseName } from "../../../engine/src/types/type-from-name.js";

const f = (t: SqlType | undefined): string => (t ? formatType(t) : "none");
const r = (text: string): SqlType => {
  const t = parseRockyTypeName(text);
  assert.ok(t, `parse ${text}`);
  return t;
};

describe("typeFromWarehouseName per dialect", () => {
  const cases: [DialectId, string, string][] = [
    ["duckdb", "INTEGER", "Int32"],
    ["duckdb", "SMALLINT", "Int32"],
    ["duckdb", "TINYINT", "Int32"],
    ["duckdb", "BIGINT", "Int64"],
    ["duckdb", "HUGEINT", "Decimal(38,0)"],
    ["duckdb", "UBIGINT", "Decimal(20,0)"],
    ["duckdb", "FLOAT", "Float32"],
    ["duckdb", "REAL", "Float32"],
    ["duckdb", "DOUBLE", "Float64"],
    ["duckdb", "DECIMAL(10,2)", "Decimal(10,2)"],
    ["duckdb", "DECIMAL", "Decimal(18,3)"],
    ["duckdb", "DECIMAL(12)", "Decimal(12,0)"],
    ["duckdb", "VARCHAR(20)", "String"],
    ["duckdb", "TEXT", "String"],
    ["duckdb", "TIMESTAMP", "TimestampNtz"],
    ["duckdb", "TIMESTAMP WITH TIME ZONE", "Timestamp"],
    ["duckdb", "TIMESTAMPTZ", "Timestamp"],
    ["duckdb", "DATE", "Date"],
    ["duckdb", "INTEGER[]", "Array<Int32>"],
    ["duckdb", "VARCHAR[][]", "Array<Array<String>>"],
    ["duckdb", "STRUCT(a INTEGER, \"b c\" VARCHAR)", "Struct<a: Int32, b c: String>"],
    ["duckdb", "MAP(VARCHAR, DECIMAL(5,1))", "Map<String, Decimal(5,1)>"],
    ["duckdb", "JSON", "Variant"],
    ["duckdb", "UUID", "String"],
    ["duckdb", "BLOB", "Binary"],
    ["snowflake", "NUMBER(38,0)", "Int64"],
    ["snowflake", "NUMBER(10,2)", "Decimal(10,2)"],
    ["snowflake", "NUMBER", "Int64"],
    ["snowflake", "INTEGER", "Int64"],
    ["snowflake", "FLOAT", "Float64"],
    ["snowflake", "TIMESTAMP", "TimestampNtz"],
    ["snowflake", "TIMESTAMP_NTZ(9)", "TimestampNtz"],
    ["snowflake", "TIMESTAMP_LTZ(9)", "Timestamp"],
    ["snowflake", "TIMESTAMP_TZ", "Timestamp"],
    ["snowflake", "VARIANT", "Variant"],
    ["snowflake", "OBJECT", "Variant"],
    ["snowflake", "ARRAY", "Array<Variant>"],
    ["snowflake", "VARCHAR(16777216)", "String"],
    ["databricks", "INT", "Int32"],
    ["databricks", "LONG", "Int64"],
    ["databricks", "STRING", "String"],
    ["databricks", "TIMESTAMP", "Timestamp"],
    ["databricks", "TIMESTAMP_NTZ", "TimestampNtz"],
    ["databricks", "DECIMAL", "Decimal(10,0)"],
    ["databricks", "ARRAY<STRUCT<a: INT, b: STRING>>", "Array<Struct<a: Int32, b: String>>"],
    ["databricks", "MAP<STRING, BIGINT>", "Map<String, Int64>"],
    ["bigquery", "INT64", "Int64"],
    ["bigquery", "INTEGER", "Int64"],
    ["bigquery", "FLOAT64", "Float64"],
    ["bigquery", "NUMERIC", "Decimal(38,9)"],
    ["bigquery", "BIGNUMERIC", "Decimal(76,38)"],
    ["bigquery", "TIMESTAMP", "Timestamp"],
    ["bigquery", "DATETIME", "TimestampNtz"],
    ["bigquery", "BYTES", "Binary"],
    ["duckdb", "NOT A TYPE (", "Unknown"],
    ["duckdb", "", "Unknown"],
  ];
  for (const [dialect, text, expected] of cases) {
    test(`${dialect} ${text || "(empty)"} → ${expected}`, () => assert.equal(f(typeFromWarehouseName(text, dialect)), expected));
  }
});

describe("commonSupertype (Rocky's algebra)", () => {
  const cases: [SqlType, SqlType, string][] = [
    [T.Int32, T.Int32, "Int32"],
    [T.Int32, T.Int64, "Int64"],
    [T.Float32, T.Float64, "Float64"],
    [T.Int64, T.Float64, "Float64"],
    [T.Int32, T.Float32, "Float64"],
    [T.Int64, decimal(10, 2), "Decimal(19,2)"],
    [T.Int32, decimal(12, 2), "Decimal(12,2)"],
    [decimal(10, 2), decimal(12, 4), "Decimal(12,4)"],
    [T.Timestamp, T.TimestampNtz, "Timestamp"],
    [T.String, T.Int64, "none"],
    [T.Boolean, T.Date, "none"],
    [T.Unknown, T.Int64, "Int64"],
    [T.String, T.Unknown, "String"],
    [arrayOf(T.Int32), arrayOf(T.Int64), "Array<Int64>"],
    [T.Date, T.TimestampNtz, "TimestampNtz"],
  ];
  for (const [a, b, expected] of cases) {
    test(`${f(a)} + ${f(b)} → ${expected}`, () => {
      assert.equal(f(commonSupertype(a, b)), expected);
      assert.equal(f(commonSupertype(b, a)), expected, "symmetric");
    });
  }
});

describe("isNarrowing (rocky-compat §1.4, plus the lossy changes Rocky does not list)", () => {
  const narrowing: [string, string][] = [
    ["Int64", "Int32"],
    ["Int64", "Float32"],
    ["Float64", "Float32"],
    ["Float64", "Int32"],
    ["Float64", "Int64"],
    ["Decimal(10,2)", "Decimal(8,2)"],
    ["Decimal(10,2)", "Decimal(10,1)"],
    ["String", "Int64"],
    ["String", "Boolean"],
    ["String", "Date"],
    ["String", "Decimal(10,2)"],
    ["Timestamp", "Date"],
    ["TimestampNtz", "Date"],
    ["Array<Int64>", "String"],
    ["Map<String, Int64>", "String"],
    ["Struct<a: Int64>", "String"],
    ["Variant", "String"],
    // ours: values lost as plainly as in Rocky's own cases
    ["Decimal(18,2)", "Int32"],
    ["Decimal(18,2)", "Int64"],
    ["Decimal(12,0)", "Int32"],
    ["Decimal(10,2)", "Float32"],
    ["Decimal(38,2)", "Float64"],
    ["Int64", "Decimal(10,2)"],
    ["Int32", "Decimal(9,0)"],
    ["Int32", "Float32"],
    ["Float32", "Int64"],
    ["Timestamp", "Time"],
  ];
  const widening: [string, string][] = [
    ["Int32", "Int64"],
    ["Int32", "Float64"],
    ["Float32", "Float64"],
    ["Decimal(8,2)", "Decimal(10,2)"],
    ["Int64", "String"],
    ["Date", "Timestamp"],
    ["Int64", "Float64"],
    ["Array<Int64>", "Variant"],
    ["String", "String"],
    ["Int64", "Decimal(19,0)"],
    ["Int32", "Decimal(12,2)"],
    ["Decimal(9,0)", "Int32"],
    ["Decimal(18,0)", "Int64"],
    ["Decimal(15,2)", "Float64"],
  ];
  for (const [a, b] of narrowing) test(`${a} → ${b} narrows`, () => assert.equal(isNarrowing(r(a), r(b)), true));
  for (const [a, b] of widening) test(`${a} → ${b} does not narrow`, () => assert.equal(isNarrowing(r(a), r(b)), false));
});

describe("contract type names", () => {
  test("parse every RockyType name", () => {
    for (const name of ["Boolean", "Int32", "Int64", "Float32", "Float64", "String", "Binary", "Date", "Timestamp", "TimestampNtz", "Variant"]) {
      assert.equal(f(r(name)), name);
    }
    assert.equal(f(r("Decimal(10,2)")), "Decimal(10,2)");
    assert.equal(f(r("Decimal(10)")), "Decimal(10,0)");
    assert.equal(f(r("Array<Map<String, Int64>>")), "Array<Map<String, Int64>>");
    assert.equal(f(r("Struct<a: Int64, b: String>")), "Struct<a: Int64, b: String>");
  });
  test("reject names that are not RockyType variants (case-sensitive)", () => {
    for (const bad of ["int64", "INT64", "BIGINT", "Decimal(10,", "Array<", "Int64 extra", ""]) assert.equal(parseRockyTypeName(bad), undefined, bad);
  });
  test("contractTypeMatches is exact, with Rocky's decimal and Unknown rules", () => {
    assert.equal(contractTypeMatches("Int64", T.Int64), true);
    assert.equal(contractTypeMatches("Int64", T.Int32), false, "Int32 does not satisfy an Int64 contract");
    assert.equal(contractTypeMatches("Decimal", decimal(10, 2)), true, "bare Decimal matches any decimal");
    assert.equal(contractTypeMatches("Decimal(10,2)", decimal(10, 2)), true);
    assert.equal(contractTypeMatches("Decimal(10,2)", decimal(12, 2)), false);
    assert.equal(contractTypeMatches("Decimal(10)", decimal(10, 0)), true, "Decimal(p) means scale 0");
    assert.equal(contractTypeMatches("Decimal(10)", decimal(10, 2)), false);
    assert.equal(contractTypeMatches("String", T.Unknown), true, "Unknown always passes");
    assert.equal(contractTypeMatches("Array", arrayOf(T.Int64)), true, "bare Array matches any array");
    assert.equal(contractTypeMatches("Array<Int64>", arrayOf(T.Int32)), false);
    assert.equal(contractTypeMatches("Timestamp", T.TimestampNtz), false);
    assert.equal(contractTypeMatches("int64", T.Int64), false, "case-sensitive");
  });
});
