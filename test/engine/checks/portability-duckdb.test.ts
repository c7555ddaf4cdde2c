import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { checkPortability, PORTABILITY_CATALOG, type PortabilityConstruct } from "../../../engine/src/checks/index.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSampleForm, sampleAccepted } from "../../../engine/src/checks/sample-forms.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * What the P001 catalog says about DuckDB is checked against DuckDB itself: every construct is
 * written as a model would write it and bound by a real DuckDB. P001 flags it for a DuckDB target
 * exactly when DuckDB refuses it, except where DuckDB accepts the same text with another meaning.
 */
const TABLE = "CREATE TABLE t (id INTEGER, a INTEGER, b INTEGER, s VARCHAR, d DATE, ts TIMESTAMP, arr INTEGER[], j JSON)";

const FUNCTION_SAMPLES: Readonly<Record<string, string>> = {
  NVL: "NVL(a, b)",
  IFNULL: "IFNULL(a, b)",
  DATEADD: "DATEADD('day', 1, d)",
  DATEDIFF: "DATEDIFF('day', d, d)",
  DATE_ADD: "DATE_ADD(d, INTERVAL 1 DAY)",
  DATE_DIFF: "DATE_DIFF('day', d, d)",
  TO_VARCHAR: "TO_VARCHAR(a)",
  TO_CHAR: "TO_CHAR(d, 'YYYY')",
  TO_DATE: "TO_DATE(s)",
  TO_TIMESTAMP: "TO_TIMESTAMP(a)",
  PARSE_DATE: "PARSE_DATE('%Y', s)",
  PARSE_TIMESTAMP: "PARSE_TIMESTAMP('%Y', s)",
  FORMAT_TIMESTAMP: "FORMAT_TIMESTAMP('%Y', ts)",
  LEN: "LEN(s)",
  CHARINDEX: "CHARINDEX('a', s)",
  ARRAY_SIZE: "ARRAY_SIZE(arr)",
  DATE_FORMAT: "DATE_FORMAT(d, 'yyyy')",
  IFF: "IFF(a > 1, a, b)",
  NVL2: "NVL2(a, b, a)",
  DECODE: "DECODE(a, 1, 'one', 'other')",
  ZEROIFNULL: "ZEROIFNULL(a)",
  TRY_TO_NUMBER: "TRY_TO_NUMBER(s)",
  TRY_TO_DATE: "TRY_TO_DATE(s)",
  ARRAY_CONSTRUCT: "ARRAY_CONSTRUCT(1, 2)",
  OBJECT_CONSTRUCT: "OBJECT_CONSTRUCT('k', a)",
  PARSE_JSON: "PARSE_JSON(s)",
  LISTAGG: "LISTAGG(s, ',')",
  STRING_AGG: "STRING_AGG(s, ',')",
  GROUP_CONCAT: "GROUP_CONCAT(s, ',')",
  STRFTIME: "STRFTIME(ts, '%Y')",
  STRPTIME: "STRPTIME(s, '%Y')",
  EPOCH_MS: "EPOCH_MS(a)",
  DATE_FROM_PARTS: "DATE_FROM_PARTS(2024, 1, 2)",
  NOW: "NOW()",
  TODAY: "TODAY()",
  EPOCH: "EPOCH(ts)",
  MAKE_DATE: "MAKE_DATE(2024, 1, 2)",
  MAKE_TIMESTAMP: "MAKE_TIMESTAMP(2024, 1, 2, 3, 4, 5)",
  STRPOS: "STRPOS(s, 'a')",
  STARTS_WITH: "STARTS_WITH(s, 'a')",
  ENDS_WITH: "ENDS_WITH(s, 'a')",
  STARTSWITH: "STARTSWITH(s, 'a')",
  ENDSWITH: "ENDSWITH(s, 'a')",
  REGEXP_MATCHES: "REGEXP_MATCHES(s, 'a')",
  REGEXP_FULL_MATCH: "REGEXP_FULL_MATCH(s, 'a')",
  REGEXP_EXTRACT: "REGEXP_EXTRACT(s, 'a')",
  STRING_SPLIT: "STRING_SPLIT(s, ',')",
  STR_SPLIT: "STR_SPLIT(s, ',')",
  ARRAY_LENGTH: "ARRAY_LENGTH(arr)",
  LIST_VALUE: "LIST_VALUE(a, b)",
  LIST_PACK: "LIST_PACK(a, b)",
  STRUCT_PACK: "STRUCT_PACK(k := a)",
  LIST_CONTAINS: "LIST_CONTAINS(arr, 1)",
  DAYNAME: "DAYNAME(d)",
  MONTHNAME: "MONTHNAME(d)",
  DAYOFWEEK: "DAYOFWEEK(d)",
  ARRAY_CONTAINS: "ARRAY_CONTAINS(arr, 1)",
  // Snowflake's order: the value first.
  "ARRAY_CONTAINS@snowflake": "ARRAY_CONTAINS(1, arr)",
  "LOG/1": "LOG(a)",
  "LOG/2": "LOG(2, a)",
  // BigQuery's order: the value first.
  "LOG/2@bigquery": "LOG(a, 2)",
  LIST_HAS: "LIST_HAS(arr, 1)",
  ARRAY_HAS: "ARRAY_HAS(arr, 1)",
  LIST_TRANSFORM: "LIST_TRANSFORM(arr, x -> x + 1)",
  ARRAY_TRANSFORM: "ARRAY_TRANSFORM(arr, x -> x + 1)",
  LIST_APPLY: "LIST_APPLY(arr, x -> x + 1)",
  APPLY: "APPLY(arr, x -> x + 1)",
  LIST_FILTER: "LIST_FILTER(arr, x -> x > 1)",
  ARRAY_FILTER: "ARRAY_FILTER(arr, x -> x > 1)",
  LIST: "LIST(a)",
  ARG_MAX: "ARG_MAX(a, b)",
  ARGMAX: "ARGMAX(a, b)",
  ARG_MIN: "ARG_MIN(a, b)",
  ARGMIN: "ARGMIN(a, b)",
  COUNT_IF: "COUNT_IF(a > 1)",
  COUNTIF: "COUNTIF(a > 1)",
  BOOL_AND: "BOOL_AND(a > 1)",
  BOOL_OR: "BOOL_OR(a > 1)",
  COLUMNS: "COLUMNS('a')",
  COLLECT_LIST: "COLLECT_LIST(a)",
  COLLECT_SET: "COLLECT_SET(a)",
  IF: "IF(a > 1, a, b)",
  SIZE: "SIZE(arr)",
  DATE_TRUNC: "DATE_TRUNC('month', d)",
  DATE_PART: "DATE_PART('year', d)",
  ARRAY_AGG: "ARRAY_AGG(a)",
  ADD_MONTHS: "ADD_MONTHS(d, 1)",
  MONTHS_BETWEEN: "MONTHS_BETWEEN(d, d)",
  MEDIAN: "MEDIAN(a)",
  MODE: "MODE(a)",
  CONCAT_WS: "CONCAT_WS(',', s, s)",
  CONTAINS: "CONTAINS(s, 'a')",
  NULLIFZERO: "NULLIFZERO(a)",
  BOOLAND_AGG: "BOOLAND_AGG(a > 1)",
  BOOLOR_AGG: "BOOLOR_AGG(a > 1)",
  TIMESTAMPDIFF: "TIMESTAMPDIFF(hour, ts, ts)",
  CONVERT_TIMEZONE: "CONVERT_TIMEZONE('UTC', ts)",
  TRY_TO_TIMESTAMP: "TRY_TO_TIMESTAMP(s)",
  DIV0: "DIV0(a, b)",
  DIV0NULL: "DIV0NULL(a, b)",
  GET_JSON_OBJECT: "GET_JSON_OBJECT(s, '$.a')",
  ARRAY_JOIN: "ARRAY_JOIN(arr, ',')",
  EXPLODE: "EXPLODE(arr)",
  DATE_SUB: "DATE_SUB('day', d, d)",
  PERCENTILE_CONT: "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a)",
  GETDATE: "GETDATE()",
  SYSDATE: "SYSDATE()",
  EQUAL_NULL: "EQUAL_NULL(a, b)",
  TO_NUMBER: "TO_NUMBER(s)",
  SAFE_DIVIDE: "SAFE_DIVIDE(a, b)",
  GET_PATH: "GET_PATH(j, 'a')",
  JSON_EXTRACT_PATH_TEXT: "JSON_EXTRACT_PATH_TEXT(j, 'a')",
  REGEXP_LIKE: "REGEXP_LIKE(s, 'a')",
};

const OPERAND: Readonly<Record<string, readonly [string, string]>> = {
  "@>": ["arr", "[1]"],
  "<@": ["arr", "[1]"],
  "&&": ["arr", "[1]"],
  "->": ["j", "'$.k'"],
  "->>": ["j", "'$.k'"],
  "**": ["a", "b"],
  "//": ["a", "b"],
  "^": ["a", "b"],
  "<=>": ["a", "b"],
  DIV: ["a", "b"],
};

/** A CSV file DuckDB can read (FROM '<path>'), written on first use and removed when the process ends. */
let csvPath: string | undefined;
function sampleCsv(): string {
  if (csvPath === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "rocky-p001-"));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    csvPath = join(dir, "sample.csv");
    writeFileSync(csvPath, "a\n1\n");
  }
  return csvPath;
}

/** The model's SQL for a row, and the dialect it is written in (one that runs it). */
function sample(c: PortabilityConstruct): { sql: string; dialect: DialectId } {
  const dialect = c.writtenIn?.[0] ?? (c.native.includes("duckdb") ? "duckdb" : c.native[0]);
  switch (c.kind) {
    case "function": {
      const name = c.arity === undefined ? c.label : `${c.label}/${c.arity}`;
      return { sql: `SELECT ${FUNCTION_SAMPLES[`${name}@${c.writtenIn?.[0] ?? ""}`] ?? FUNCTION_SAMPLES[name]} AS x FROM t`, dialect };
    }
    case "qualify":
      return { sql: "SELECT a FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) = 1", dialect };
    case "ilike":
      return { sql: "SELECT a FROM t WHERE s ILIKE 'a%'", dialect };
    case "table_function":
      return { sql: "SELECT f.value FROM t, LATERAL FLATTEN(input => t.arr) f", dialect };
    case "lateral_view":
      return { sql: "SELECT c FROM t LATERAL VIEW explode(arr) e AS c", dialect };
    case "colon_cast":
      return { sql: "SELECT a::VARCHAR AS x FROM t", dialect };
    case "variant_path":
      return { sql: "SELECT j:customer AS x FROM t", dialect };
    case "star_filter":
      return { sql: `SELECT * ${c.label === "STAR_ILIKE" ? "ILIKE" : "LIKE"} '%a' FROM t`, dialect };
    case "operator": {
      const [l, r] = OPERAND[c.label] ?? ["s", "'a'"];
      return { sql: `SELECT ${l} ${c.label} ${r} AS x FROM t`, dialect };
    }
    case "star_modifier": {
      const word = c.label.slice("STAR_".length);
      return { sql: `SELECT * ${word} ${word === "REPLACE" ? "(a + 1 AS a)" : word === "RENAME" ? "(a AS z)" : "(a)"} FROM t`, dialect };
    }
    case "struct_literal":
      return { sql: "SELECT {'k': a} AS x FROM t", dialect };
    case "array_literal":
      return { sql: "SELECT [a, b] AS x FROM t", dialect };
    case "map_literal":
      return { sql: "SELECT MAP {'k': a} AS x FROM t", dialect };
    case "slice":
      return { sql: "SELECT s[1:2] AS x, arr[1:2] AS y FROM t", dialect };
    case "distinct_on":
      return { sql: "SELECT DISTINCT ON (a) a, b FROM t", dialect };
    case "from_first":
      return { sql: "FROM t SELECT a", dialect };
    case "match_recognize":
      return { sql: "SELECT m FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES MATCH_NUMBER() AS m PATTERN (x y+) DEFINE y AS y.a > PREV(y.a))", dialect };
    case "file_scan":
      return { sql: `SELECT a AS x FROM '${sampleCsv()}'`, dialect };
    case "stage_scan":
      return { sql: "SELECT $1 AS x FROM @landing/orders/", dialect };
    case "connect_by":
      return { sql: "SELECT a FROM t START WITH a IS NULL CONNECT BY a = PRIOR b", dialect };
    case "pivot_statement":
      return { sql: "PIVOT t ON s IN ('JAN', 'FEB') USING SUM(a)", dialect };
    case "list_comprehension":
      return { sql: "SELECT [x + 1 FOR x IN arr IF x > 1] AS x FROM t", dialect };
    case "positional_column":
      return { sql: "SELECT #1 AS x FROM t", dialect };
    case "typed_literal":
      return { sql: "SELECT VARCHAR 'x' AS x FROM t", dialect };
    case "using_sample":
      return { sql: "SELECT a FROM t USING SAMPLE 50%", dialect };
    case "stream_read":
      return { sql: "SELECT a FROM STREAM(t)", dialect };
    case "table_sample":
      return { sql: "SELECT a FROM t TABLESAMPLE (10 PERCENT)", dialect };
    case "try_cast":
      return { sql: "SELECT TRY_CAST(s AS INTEGER) AS x FROM t", dialect };
    case "safe_cast":
      return { sql: "SELECT SAFE_CAST(s AS INT64) AS x FROM t", dialect };
    case "set_op_minus":
      return { sql: "SELECT a FROM t MINUS SELECT b FROM t", dialect };
    case "set_op_bare":
      return { sql: "SELECT a FROM t UNION SELECT b FROM t", dialect };
    case "top":
      return { sql: "SELECT TOP 1 a FROM t", dialect };
  }
}

/** Rows whose text DuckDB runs with another result than the model's dialect gives: flagged though DuckDB runs them. */
const OTHER_MEANING = new Map<string, string>([
  ["^@databricks", "a ^ b is XOR in Databricks, a power in DuckDB"],
  ["DAYNAME@snowflake", "DAYNAME is 'Mon' in Snowflake and Databricks, 'Monday' in DuckDB"],
  ["MONTHNAME@snowflake", "MONTHNAME is 'Jan' in Snowflake and Databricks, 'January' in DuckDB"],
  ["DAYOFWEEK@databricks", "DAYOFWEEK counts from Sunday = 1 in Databricks, from Sunday = 0 in DuckDB"],
  ["LOG/1@databricks", "LOG(x) is the natural logarithm in Databricks and BigQuery, base 10 in DuckDB"],
  ["LOG/2@bigquery", "LOG(x, base) takes the value first in BigQuery, the base first in DuckDB"],
]);

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
  await conn.run(TABLE);
});
after(() => conn?.closeSync());

async function duckdbRuns(sql: string): Promise<boolean> {
  try {
    await conn.prepare(sql);
    return true;
  } catch {
    return false;
  }
}

function flaggedForDuckdb(sql: string, dialect: DialectId): string[] {
  const parsed = parseSql(sql, dialect);
  assert.equal(parsed.error, undefined, `the sample must parse as ${dialect}: ${parsed.error?.message}\n${sql}`);
  return checkPortability({ model: "m", file: "models/m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target: "duckdb" }).map((d) => d.message);
}

describe("P001 for a DuckDB target agrees with DuckDB", () => {
  for (const c of PORTABILITY_CATALOG) {
    const key = `${c.label}${c.arity === undefined ? "" : `/${c.arity}`}@${c.writtenIn?.[0] ?? ""}`;
    it(`${c.display ?? c.label}${c.writtenIn ? ` written in ${c.writtenIn.join("/")}` : ""}`, async () => {
      const { sql, dialect } = sample(c);
      const runs = await duckdbRuns(sql);
      const flagged = flaggedForDuckdb(sql, dialect);
      if (OTHER_MEANING.has(key)) {
        assert.ok(runs && flagged.length === 1, `${OTHER_MEANING.get(key)}: DuckDB runs it and P001 still flags it`);
        return;
      }
      assert.equal(c.native.includes("duckdb"), runs, `the catalog says DuckDB ${c.native.includes("duckdb") ? "runs" : "refuses"} ${sql}`);
      assert.equal(flagged.length > 0, !runs, `${sql} → ${flagged.join(" | ") || "not flagged"}`);
    });
  }

  // The date functions DuckDB has take the part first, as a string: the other dialects' spellings fail there.
  for (const [sql, dialect] of [
    ["SELECT DATEDIFF(day, d, d) AS x FROM t", "snowflake"],
    ["SELECT DATE_DIFF(d, d, DAY) AS x FROM t", "bigquery"],
    ["SELECT DATE_DIFF(DAY, d, d) AS x FROM t", "databricks"],
    ["SELECT DATE_ADD(DAY, 1, d) AS x FROM t", "databricks"],
  ] as const) {
    it(`${sql} (${dialect}) fails on DuckDB and is flagged as the form it is`, async () => {
      assert.equal(await duckdbRuns(sql), false);
      const flagged = flaggedForDuckdb(sql, dialect);
      assert.equal(flagged.length, 1);
      assert.match(flagged[0], /^DATE_?(DIFF|ADD)(\(end, start, unit\) with the unit last| with an unquoted date part) is not portable to DuckDB/);
    });
  }
  for (const sql of ["SELECT DATEDIFF('day', d, d) AS x FROM t", "SELECT DATE_ADD(d, 1) AS x FROM t", "SELECT DATEDIFF('day', d, CAST(s AS DATE)) AS x FROM t"]) {
    it(`${sql} runs on DuckDB and is not flagged`, async () => {
      assert.equal(await duckdbRuns(sql), true);
      assert.deepEqual(flaggedForDuckdb(sql, "duckdb"), []);
    });
  }

  // The audit's argument forms: what DuckDB refuses is flagged for it, what it runs is not.
  for (const [sql, dialect] of [
    ["SELECT DATEDIFF(d, d) AS x FROM t", "databricks"],
    ["SELECT DATE_DIFF(d, d) AS x FROM t", "databricks"],
    ["SELECT DATE_TRUNC(month, d) AS x FROM t", "snowflake"],
    ["SELECT DATE_TRUNC(d, MONTH) AS x FROM t", "bigquery"],
    ["SELECT DATE_PART(year, d) AS x FROM t", "snowflake"],
    ["SELECT LISTAGG(s, ',') WITHIN GROUP (ORDER BY s) AS x FROM t", "snowflake"],
    ["SELECT ARRAY_AGG(a) WITHIN GROUP (ORDER BY b) AS x FROM t", "snowflake"],
    ["SELECT DATE_SUB(d, 1) AS x FROM t", "databricks"],
    ["SELECT DATE_SUB(d, INTERVAL 1 DAY) AS x FROM t", "bigquery"],
    ["SELECT PERCENTILE_CONT(a, 0.5) OVER () AS x FROM t", "bigquery"],
  ] as const) {
    it(`${sql} (${dialect}) fails on DuckDB and is flagged`, async () => {
      assert.equal(await duckdbRuns(sql), false);
      assert.equal(flaggedForDuckdb(sql, dialect).length, 1);
    });
  }
  for (const [sql, dialect] of [
    ["SELECT DATE_TRUNC('month', d) AS x FROM t", "snowflake"],
    ["SELECT DATE_PART('year', d) AS x FROM t", "snowflake"],
    ["SELECT LISTAGG(s, ',' ORDER BY s) AS x FROM t", "duckdb"],
    ["SELECT ARRAY_AGG(a ORDER BY b) AS x FROM t", "bigquery"],
    ["SELECT a FROM t UNION SELECT b FROM t", "snowflake"],
  ] as const) {
    it(`${sql} (${dialect}) runs on DuckDB and is not flagged`, async () => {
      assert.equal(await duckdbRuns(sql), true);
      assert.deepEqual(flaggedForDuckdb(sql, dialect), []);
    });
  }

  // Every target's sample clauses: DuckDB's grammar as sample-forms.ts has it is DuckDB's.
  for (const [clause, dialect] of [
    ["SAMPLE (10)", "snowflake"],
    ["SAMPLE (10 ROWS)", "snowflake"],
    ["TABLESAMPLE BERNOULLI (10)", "snowflake"],
    ["TABLESAMPLE SYSTEM (10) SEED (3)", "snowflake"],
    ["TABLESAMPLE BLOCK (10)", "snowflake"],
    ["TABLESAMPLE (10 PERCENT)", "databricks"],
    ["TABLESAMPLE (10 ROWS)", "databricks"],
    ["TABLESAMPLE (BUCKET 1 OUT OF 10)", "databricks"],
    ["TABLESAMPLE (10 PERCENT) REPEATABLE (3)", "databricks"],
    ["TABLESAMPLE SYSTEM (10 PERCENT)", "bigquery"],
    ["TABLESAMPLE 10%", "duckdb"],
    ["TABLESAMPLE 10 PERCENT", "duckdb"],
    ["TABLESAMPLE 10 ROWS", "duckdb"],
    ["TABLESAMPLE (10)", "duckdb"],
    ["TABLESAMPLE RESERVOIR (10 ROWS)", "duckdb"],
    ["TABLESAMPLE BERNOULLI (10 PERCENT)", "duckdb"],
    ["TABLESAMPLE 10% (bernoulli, 4)", "duckdb"],
  ] as const) {
    const sql = `SELECT a FROM t ${clause}`;
    it(`${clause} (${dialect}): flagged for DuckDB exactly when DuckDB refuses it`, async () => {
      const runs = await duckdbRuns(sql);
      const body = parseSql(sql, dialect).query?.body;
      const table = body?.kind === "select" ? body.from[0] : undefined;
      const form = parseSampleForm(table?.kind === "table" ? (table.modifiers ?? "") : "");
      assert.ok(form, clause);
      assert.equal(sampleAccepted(form, "duckdb"), runs, `sample-forms.ts says DuckDB ${runs ? "refuses" : "runs"} ${clause}`);
      assert.equal(flaggedForDuckdb(sql, dialect).length > 0, !runs, flaggedForDuckdb(sql, dialect).join(" | ") || "not flagged");
    });
  }
  it("a bare sample number is a row count in DuckDB: Snowflake's TABLESAMPLE (10), a percentage there, runs and is flagged", async () => {
    const rows = (await conn.runAndReadAll("SELECT count(*) FROM range(1000) TABLESAMPLE (10)")).getRows();
    assert.equal(Number(rows[0][0]), 10);
    assert.equal(await duckdbRuns("SELECT a FROM t TABLESAMPLE (10)"), true);
    assert.match(flaggedForDuckdb("SELECT a FROM t TABLESAMPLE (10)", "snowflake").join(), /means something else on DuckDB/);
  });

  it("DAYNAME, MONTHNAME, DAYOFWEEK and ARRAY_CONTAINS compute on DuckDB what the catalog says DuckDB's mean", async () => {
    const rows = (await conn.runAndReadAll("SELECT DAYNAME(DATE '2024-01-01'), MONTHNAME(DATE '2024-01-01'), DAYOFWEEK(DATE '2024-01-07'), DAYOFWEEK(DATE '2024-01-13'), ARRAY_CONTAINS([1, 2], 2)")).getRows();
    assert.deepEqual(
      rows[0].map((v) => (typeof v === "bigint" ? Number(v) : v)),
      ["Monday", "January", 0, 6, true],
      "full names; Sunday 2024-01-07 is 0 and Saturday 2024-01-13 is 6; the list first",
    );
    for (const label of ["DAYNAME", "MONTHNAME", "DAYOFWEEK", "ARRAY_CONTAINS"]) {
      const mine = PORTABILITY_CATALOG.find((c) => c.label === label && c.writtenIn?.includes("duckdb"));
      assert.ok(mine?.native.includes("duckdb"), `${label} has a row for models written in DuckDB`);
    }
  });

  it("LOG computes on DuckDB what the catalog says DuckDB's means: base 10 with one argument, the base first with two", async () => {
    const rows = (await conn.runAndReadAll("SELECT LOG(100), LOG(2, 8), LOG10(1000), LN(EXP(1))")).getRows();
    assert.deepEqual(rows[0].map(Number), [2, 3, 3, 1]);
    assert.ok(PORTABILITY_CATALOG.find((c) => c.label === "LOG" && c.arity === 1 && c.writtenIn?.includes("duckdb"))?.native.includes("duckdb"));
    assert.ok(PORTABILITY_CATALOG.find((c) => c.label === "LOG" && c.arity === 2 && c.writtenIn?.includes("duckdb"))?.native.includes("duckdb"));
  });

  it("LEN and DATE_DIFF compute on DuckDB what they compute where Rocky lists them", async () => {
    const rows = (await conn.runAndReadAll("SELECT LEN('abcd'), DATEDIFF('day', DATE '2024-01-31', DATE '2024-03-01'), DATE_DIFF('month', DATE '2024-01-31', DATE '2024-02-01')")).getRows();
    assert.deepEqual(rows[0].map(Number), [4, 30, 1], "lengths in characters; day and month boundaries crossed, as Snowflake's DATEDIFF counts them");
  });
});
