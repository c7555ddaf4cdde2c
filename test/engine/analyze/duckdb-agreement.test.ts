/**
 * Type inference agrees with DuckDB itself: every query of the corpus is DESCRIBEd by a real
 * in-memory DuckDB and analysed by analyzeModel over the same seed tables; every column's
 * inferred type must equal DuckDB's reported type mapped into the lattice.
 *
 * Deliberate differences (the lattice is coarser than DuckDB; same table in engine/src/types/README.md):
 *
 * | DuckDB type                         | lattice          | why                                             |
 * | ----------------------------------- | ---------------- | ----------------------------------------------- |
 * | TINYINT, SMALLINT, UTINYINT, USMALLINT | Int32         | Rocky has no 8/16-bit integers                  |
 * | UINTEGER                            | Int64            | smallest signed type that holds it              |
 * | UBIGINT                             | Decimal(20,0)    | holds every UBIGINT exactly (hash())            |
 * | HUGEINT, UHUGEINT, VARINT           | Decimal(38,0)    | SUM(int), COUNT_IF: 128-bit integers            |
 * | TIMESTAMP, TIMESTAMP_S/MS/NS        | TimestampNtz     | DuckDB TIMESTAMP has no time zone               |
 * | TIMESTAMP WITH TIME ZONE            | Timestamp        | Rocky's Timestamp is the zoned one              |
 * | TIME WITH TIME ZONE                 | Time             | no zoned time in the lattice                    |
 * | UUID, ENUM(...)                     | String           | text-like                                       |
 * | JSON                                | Variant          | semi-structured                                 |
 * | BIT                                 | Binary           |                                                 |
 * | SMALLINT/TINYINT beside a DECIMAL   | 10 integer digits| they are Int32: `si + 1.5` is Decimal(12,1), DuckDB DECIMAL(7,1) |
 * | UBIGINT arithmetic                  | Decimal(21,0)... | UBIGINT is Decimal(20,0); DuckDB keeps UBIGINT |
 * | HUGEINT in //, % beside a DECIMAL, FLOOR/CEIL, MEDIAN, QUANTILE_CONT, MAD | DECIMAL(38,0)'s rule | HUGEINT is Decimal(38,0) |
 * | APPROX_QUANTILE(TINYINT)            | Int32            | DuckDB: BIGINT for TINYINT only                 |
 * | text || NULL                        | String           | DuckDB: INTEGER (the bare NULL's type)          |
 * | row(a, b)                           | Struct<a, b>     | DuckDB's STRUCT(INTEGER, VARCHAR) has no names  |
 *
 * The comparison maps DuckDB's type text with typeFromWarehouseName (the same function source
 * schemas go through), so these differences are applied to both sides and never fail a test.
 * Nullability is not compared with DESCRIBE, which reports every expression column as nullable;
 * instead the second suite runs queries over rows with NULLs, empty lists and no rows at all, and a
 * column inferred NOT NULL must hold no NULL.
 * Names: every corpus column is aliased. Unaliased, DuckDB names a column by its declared spelling
 * and an expression by its text (`max(url)`); we keep the written name and the function's name
 * (engine/src/types/README.md, "Output names and case").
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { typeFromWarehouseName } from "../../../engine/src/types/type-from-name.js";
import { useSeededDuckDb } from "./support/seeded-duckdb.js";
import { analyzeSql, type SchemaSpec } from "./support/analyze-sql.js";
import { CORPUS, NULL_CHECK_CORPUS, NULL_CHECK_ROWS, SEEDS } from "./support/duckdb-corpus.js";

const schema: SchemaSpec = SEEDS;

describe("type inference agrees with DuckDB DESCRIBE", () => {
  const db = useSeededDuckDb();

  test("the corpus has at least 80 queries", () => {
    assert.ok(CORPUS.length >= 80, `only ${CORPUS.length} queries`);
  });

  for (const [i, sql] of CORPUS.entries()) {
    test(`#${i + 1} ${sql.slice(0, 90)}`, async () => {
      const rows = (await db().runAndReadAll(`DESCRIBE ${sql}`)).getRowObjects();
      const expected = rows.map((r) => `${String(r.column_name)}: ${formatType(typeFromWarehouseName(String(r.column_type), "duckdb"))}`);
      const analysis = analyzeSql(sql, schema, "duckdb");
      const errors = analysis.diagnostics.filter((d) => d.severity === "Error");
      assert.deepEqual(errors, [], "no error diagnostics on valid SQL");
      const actual = analysis.columns.map((c) => `${c.name}: ${formatType(c.type)}`);
      assert.deepEqual(actual, expected);
    });
  }
});

describe("a column inferred NOT NULL is never NULL in DuckDB", () => {
  const db = useSeededDuckDb();
  before(async () => {
    for (const sql of NULL_CHECK_ROWS) await db().run(sql);
  });

  for (const [i, sql] of NULL_CHECK_CORPUS.entries()) {
    test(`#${i + 1} ${sql.slice(0, 90)}`, async () => {
      const analysis = analyzeSql(sql, schema, "duckdb");
      const result = await db().runAndReadAll(sql);
      assert.equal(result.columnCount, analysis.columns.length);
      const rows = result.getRows();
      const nulls = analysis.columns.filter((c, j) => !c.nullable && rows.some((r) => r[j] === null)).map((c) => c.name);
      assert.deepEqual(nulls, [], "columns inferred NOT NULL that DuckDB returned NULL in");
    });
  }
});
