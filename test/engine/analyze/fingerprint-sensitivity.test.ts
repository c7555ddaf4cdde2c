import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { analyzeSql, type SchemaSpec } from "./support/analyze-sql.js";

/**
 * The review sees a change only through fingerprints: a column's, or a row-level clause's. Each
 * case here is an edit that changes what a model returns, and names where the change must show: a
 * column whose fingerprint changes, or a row-level clause. Every one of them once compared equal
 * (a PR making it was reviewed as "no change").
 */

const SCHEMAS: Record<"duckdb" | "snowflake" | "databricks", SchemaSpec> = {
  duckdb: { t: "a INT, b VARCHAR, c INT, ts TIMESTAMP, arr INT[]", u: "a INT, d VARCHAR, k INT" },
  snowflake: { t: "a NUMBER, b VARCHAR, c NUMBER, ts TIMESTAMP_NTZ, v VARIANT", u: "a NUMBER, d VARCHAR, k NUMBER" },
  databricks: { t: "a INT, b STRING, c INT, ts TIMESTAMP, arr ARRAY<INT>", u: "a INT, d STRING, k INT" },
};

type Where = `column ${string}` | `clause ${string}`;
const CASES: readonly (readonly [DialectId & keyof typeof SCHEMAS, string, string, Where])[] = [
  ["duckdb", "SELECT ts + INTERVAL '1 day' AS d FROM t", "SELECT ts + INTERVAL '1 hour' AS d FROM t", "column d"],
  ["duckdb", "SELECT ts + INTERVAL '1 day' AS d FROM t", "SELECT ts + INTERVAL 2 DAY AS d FROM t", "column d"],
  ["snowflake", "SELECT DATEADD(day, 1, ts) AS d FROM t", "SELECT DATEADD(week, 1, ts) AS d FROM t", "column d"],
  ["duckdb", "SELECT CASE a WHEN 1 THEN 'x' END AS k FROM t", "SELECT CASE c WHEN 1 THEN 'x' END AS k FROM t", "column k"],
  // Only + and * chains are sorted: a difference's or a quotient's terms keep their places.
  ["duckdb", "SELECT a - c + 1 AS d FROM t", "SELECT c - a + 1 AS d FROM t", "column d"],
  ["duckdb", "SELECT a + c * 2 AS d FROM t", "SELECT (a + c) * 2 AS d FROM t", "column d"],
  ["duckdb", "SELECT a / c * 2 AS d FROM t", "SELECT a / (c * 2) AS d FROM t", "column d"],
  // Sampling and time travel decide which rows a table gives.
  ["duckdb", "SELECT a FROM t USING SAMPLE 10 PERCENT", "SELECT a FROM t USING SAMPLE 20 PERCENT", "clause from"],
  ["duckdb", "SELECT a FROM t TABLESAMPLE 10%", "SELECT a FROM t", "clause from"],
  ["snowflake", "SELECT a FROM t SAMPLE (10)", "SELECT a FROM t SAMPLE (20)", "clause from"],
  ["snowflake", "SELECT a FROM t AT(OFFSET => -60)", "SELECT a FROM t AT(OFFSET => -120)", "clause from"],
  // DuckDB's USING SAMPLE after WHERE / GROUP BY samples the FROM's rows.
  ["duckdb", "SELECT a FROM t WHERE c > 1 USING SAMPLE 10 PERCENT", "SELECT a FROM t WHERE c > 1 USING SAMPLE 20 PERCENT", "clause from"],
  ["duckdb", "SELECT a, count(*) AS n FROM t GROUP BY a", "SELECT a, count(*) AS n FROM t GROUP BY a USING SAMPLE 5", "clause from"],
  ["duckdb", "SELECT s.a FROM (SELECT a FROM t) s TABLESAMPLE 10%", "SELECT s.a FROM (SELECT a FROM t) s TABLESAMPLE 20%", "clause from"],
  ["duckdb", "SELECT x.range FROM range(10) x", "SELECT x.range FROM range(10) x TABLESAMPLE 5 ROWS", "clause from"],
  // DuckDB's ASOF JOIN drops the rows nothing matches; ASOF LEFT JOIN keeps them.
  ["duckdb", "SELECT t.a, u.d FROM t ASOF JOIN u ON t.a >= u.a", "SELECT t.a, u.d FROM t ASOF LEFT JOIN u ON t.a >= u.a", "clause joins"],
  // A number's digits, however they are grouped.
  ["duckdb", "SELECT a * 1_000 AS x FROM t", "SELECT a * 1_0000 AS x FROM t", "column x"],
  ["snowflake", "SELECT a FROM t AT(OFFSET => -60)", "SELECT a FROM t BEFORE(OFFSET => -60)", "clause from"],
  ["databricks", "SELECT a FROM t TABLESAMPLE (10 PERCENT)", "SELECT a FROM t TABLESAMPLE (20 PERCENT)", "clause from"],
  ["databricks", "SELECT a FROM t TIMESTAMP AS OF '2024-01-01'", "SELECT a FROM t TIMESTAMP AS OF '2024-02-01'", "clause from"],
  ["databricks", "SELECT a FROM t VERSION AS OF 1", "SELECT a FROM t VERSION AS OF 2", "clause from"],
  // A streaming read gives only the rows new since the last run.
  ["databricks", "SELECT a FROM t", "SELECT a FROM STREAM t", "clause from"],
  ["databricks", "SELECT a FROM t", "SELECT a FROM STREAM(t)", "clause from"],
  ["databricks", "SELECT * FROM read_files('/landing', format => 'json')", "SELECT * FROM STREAM read_files('/landing', format => 'json')", "clause from"],
  // A generator in FROM yields a row per element; OUTER also keeps the rows with none.
  ["databricks", "SELECT a FROM t", "SELECT a FROM t LATERAL VIEW explode(arr) e AS x", "clause from"],
  ["databricks", "SELECT a, x FROM t LATERAL VIEW explode(arr) e AS x", "SELECT a, x FROM t LATERAL VIEW OUTER explode(arr) e AS x", "clause from"],
  // The rows a LIMIT keeps.
  ["snowflake", "SELECT TOP 10 a FROM t ORDER BY a", "SELECT TOP 20 a FROM t ORDER BY a", "clause limit"],
  ["duckdb", "SELECT a FROM t ORDER BY ALL LIMIT 5", "SELECT a FROM t ORDER BY ALL DESC LIMIT 5", "clause limit"],
  ["duckdb", "SELECT a FROM t ORDER BY a NULLS FIRST LIMIT 3", "SELECT a FROM t ORDER BY a NULLS LAST LIMIT 3", "clause limit"],
  // Values.
  ["duckdb", "SELECT a FROM t WHERE b LIKE 'x!_%' ESCAPE '!'", "SELECT a FROM t WHERE b LIKE 'x!_%'", "clause where"],
  ["duckdb", "SELECT a, percentile_cont(0.9) WITHIN GROUP (ORDER BY c) AS m FROM t GROUP BY a", "SELECT a, percentile_cont(0.9) WITHIN GROUP (ORDER BY c DESC) AS m FROM t GROUP BY a", "column m"],
  ["snowflake", "SELECT a, LISTAGG(b, ',') WITHIN GROUP (ORDER BY ts) AS l FROM t GROUP BY a", "SELECT a, LISTAGG(b, ',') WITHIN GROUP (ORDER BY ts DESC) AS l FROM t GROUP BY a", "column l"],
  ["snowflake", "SELECT * FROM t PIVOT (SUM(c) FOR b IN ('x', 'y') DEFAULT ON NULL (0))", "SELECT * FROM t PIVOT (SUM(c) FOR b IN ('x', 'y') DEFAULT ON NULL (1))", "column 'x'"],
  ["snowflake", "SELECT * FROM t UNPIVOT (val FOR col IN (a, c))", "SELECT * FROM t UNPIVOT INCLUDE NULLS (val FOR col IN (a, c))", "clause from"],
  // Snowflake's row-pattern and hierarchical queries.
  ...(["ORDER BY ts DESC", "ORDER BY ts NULLS FIRST"] as const).map(
    (order) =>
      [
        "snowflake",
        "SELECT a FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ONE ROW PER MATCH PATTERN (x y+) DEFINE y AS c > 1)",
        `SELECT a FROM t MATCH_RECOGNIZE (PARTITION BY a ${order} MEASURES MATCH_NUMBER() AS mn ONE ROW PER MATCH PATTERN (x y+) DEFINE y AS c > 1)`,
        "clause matchRecognize",
      ] as const,
  ),
  [
    "snowflake",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (x y+) DEFINE y AS c > 1)",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (x y+) DEFINE y AS c > 1)",
    "clause matchRecognize",
  ],
  [
    "snowflake",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ALL ROWS PER MATCH PATTERN (x y+) DEFINE y AS c > 1)",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (x y+) DEFINE y AS c > 1)",
    "clause matchRecognize",
  ],
  [
    "snowflake",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES RUNNING COUNT(*) AS n ALL ROWS PER MATCH PATTERN (x y+) DEFINE y AS c > 1)",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES FINAL COUNT(*) AS n ALL ROWS PER MATCH PATTERN (x y+) DEFINE y AS c > 1)",
    "column n",
  ],
  ["snowflake", "SELECT a, LEVEL AS l FROM t START WITH a IS NULL CONNECT BY PRIOR a = c", "SELECT a, LEVEL AS l FROM t START WITH a IS NULL CONNECT BY NOCYCLE PRIOR a = c", "clause connectBy"],
];

/** Edits that keep the meaning: they must compare equal, or the review reports noise. */
const SAME: readonly (readonly [DialectId & keyof typeof SCHEMAS, string, string])[] = [
  ["duckdb", "SELECT a, c::VARCHAR AS n FROM t", "SELECT a, c::TEXT AS n FROM t"],
  ["duckdb", "SELECT t.a, u.d FROM t JOIN u USING (a)", "SELECT t.a, u.d FROM t NATURAL JOIN u"],
  ["snowflake", "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a ORDER BY ts MEASURES MATCH_NUMBER() AS mn ALL ROWS PER MATCH AFTER MATCH SKIP TO LAST y PATTERN (x y+) DEFINE y AS c > 1)", "select * from t match_recognize (partition by a order by ts measures match_number() as mn all rows per match after match skip to last Y pattern (x Y+) define Y as c > 1)"],
  ["snowflake", "SELECT TOP 10 a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a LIMIT 10"],
  ["duckdb", "SELECT a * 1_000_000 AS x, 0.000_5 AS y FROM t", "SELECT a * 1000000 AS x, 0.0005 AS y FROM t"],
  ["duckdb", "SELECT t.a FROM t ASOF LEFT OUTER JOIN u ON t.a >= u.a", "SELECT t.a FROM t ASOF LEFT JOIN u ON t.a >= u.a"],
  // A date part as a word or a string, in any case, by any of its names.
  ...["day", "'DAY'", "'days'", "dd"].map((part) => ["snowflake", "SELECT DATEADD('day', 1, ts) AS d FROM t", `SELECT DATEADD(${part}, 1, ts) AS d FROM t`] as const),
  ["snowflake", "SELECT DATEDIFF(month, ts, ts) AS d FROM t", "SELECT DATEDIFF('MM', ts, ts) AS d FROM t"],
  // One interval, three spellings.
  ...["INTERVAL 1 DAY", "INTERVAL '1' DAY", "INTERVAL '1 days'"].map((i) => ["duckdb", "SELECT ts + INTERVAL '1 day' AS d FROM t", `SELECT ts + ${i} AS d FROM t`] as const),
  ["duckdb", "SELECT CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END AS k FROM t", "SELECT CASE WHEN a = 1 THEN 'x' WHEN 2 = a THEN 'y' END AS k FROM t"],
  // A sum or product of three terms, reordered or regrouped (a real PR: `r + f + m` → `m + f + r`).
  ["duckdb", "SELECT a + c + k AS s, a * c * 2 AS p FROM t JOIN u USING (a)", "SELECT k + c + a AS s, 2 * (c * a) AS p FROM t JOIN u USING (a)"],
  ["snowflake", "SELECT a + (c + k) - 1 AS s FROM t JOIN u USING (a)", "SELECT (k + a) + c - 1 AS s FROM t JOIN u USING (a)"],
];

function prints(dialect: keyof typeof SCHEMAS, sql: string) {
  const a = analyzeSql(sql, SCHEMAS[dialect], dialect);
  return { columns: new Map(a.columns.map((c) => [c.name, c.fingerprint])), clauses: a.rowLevel.fingerprints as Record<string, string | undefined> };
}

describe("an edit that changes what a model returns changes a fingerprint, where the review looks", () => {
  for (const [dialect, before, after, where] of CASES) {
    test(`${dialect}: ${before}  →  ${after}`, () => {
      const x = prints(dialect, before);
      const y = prints(dialect, after);
      const [kind, name] = where.split(" ") as ["column" | "clause", string];
      if (kind === "column") {
        assert.ok(x.columns.has(name) && y.columns.has(name), `both sides output ${name}`);
        assert.notEqual(y.columns.get(name), x.columns.get(name));
      } else {
        assert.notEqual(y.clauses[name], x.clauses[name], `the ${name} clause must differ`);
      }
    });
  }
});

describe("an edit that keeps the meaning keeps every fingerprint", () => {
  for (const [dialect, before, after] of SAME) {
    test(`${dialect}: ${before}  ≡  ${after}`, () => {
      const x = prints(dialect, before);
      const y = prints(dialect, after);
      assert.deepEqual([...y.columns], [...x.columns]);
      assert.deepEqual(y.clauses, x.clauses);
    });
  }
});

describe("ASOF joins: which side may come back NULL", () => {
  const nullable = (dialect: keyof typeof SCHEMAS, sql: string) => Object.fromEntries(analyzeSql(sql, { t: "a INT NOT NULL, ts TIMESTAMP NOT NULL", u: "a INT NOT NULL, d VARCHAR NOT NULL" }, dialect).columns.map((c) => [c.name, c.nullable]));
  test("DuckDB: ASOF JOIN is inner; LEFT, RIGHT and FULL keep their side's unmatched rows", () => {
    assert.deepEqual(nullable("duckdb", "SELECT t.a AS l, u.d AS r FROM t ASOF JOIN u ON t.a >= u.a"), { l: false, r: false });
    assert.deepEqual(nullable("duckdb", "SELECT t.a AS l, u.d AS r FROM t ASOF LEFT JOIN u ON t.a >= u.a"), { l: false, r: true });
    assert.deepEqual(nullable("duckdb", "SELECT t.a AS l, u.d AS r FROM t ASOF RIGHT OUTER JOIN u ON t.a >= u.a"), { l: true, r: false });
    assert.deepEqual(nullable("duckdb", "SELECT t.a AS l, u.d AS r FROM t ASOF FULL JOIN u ON t.a >= u.a"), { l: true, r: true });
  });
  test("Snowflake: ASOF JOIN null-pads the right side where nothing matches", () => {
    assert.deepEqual(nullable("snowflake", "SELECT t.a AS l, u.d AS r FROM t ASOF JOIN u MATCH_CONDITION (t.ts >= u.a) ON t.a = u.a"), { l: false, r: true });
  });
});
