import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPortability, PORTABILITY_CATALOG, type PortabilityConstruct } from "../../../engine/src/checks/index.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { analyzeSql } from "../analyze/support/analyze-sql.js";

const TARGETS: readonly DialectId[] = ["snowflake", "databricks", "bigquery", "duckdb"];
const DISPLAY: Record<DialectId, string> = { snowflake: "Snowflake", databricks: "Databricks", bigquery: "BigQuery", duckdb: "DuckDB" };

function lint(sql: string, dialect: DialectId, target: string, allow: string[] = [], columnMap?: ReadonlyMap<number, readonly (readonly [number, number])[]>): Diagnostic[] {
  const parsed = parseSql(sql, dialect);
  assert.equal(parsed.error, undefined, `fixture SQL must parse as ${dialect}: ${parsed.error?.message}\n${sql}`);
  return checkPortability({ model: "m", file: "models/m.sql", dialect, query: parsed.query, comments: parsed.comments, sql, columnMap }, { target, allow });
}

/** Apply a diagnostic's replacement to the SQL it was computed on (single-line spans, exclusive end). */
function applyReplacement(sql: string, d: Diagnostic): string {
  const r = d.replacement;
  assert.ok(r !== undefined);
  const lines = sql.split("\n");
  assert.equal(r.span.line, r.span.endLine, "rewrites here are single-line");
  const line = lines[r.span.line - 1];
  lines[r.span.line - 1] = line.slice(0, r.span.col - 1) + r.text + line.slice((r.span.endCol as number) - 1);
  return lines.join("\n");
}

/** One SQL sample per construct, written in a dialect that has it; `needle` is where the finding must point. */
function sample(c: PortabilityConstruct): { sql: string; dialect: DialectId; needle: string } {
  const args: Record<string, string> = {
    LEN: "(a)",
    ARRAY_SIZE: "(a)",
    TO_VARCHAR: "(a)",
    ZEROIFNULL: "(a)",
    IFF: "(a > 1, b, c)",
    NVL2: "(a, b, c)",
    DATE_FROM_PARTS: "(2024, 1, 2)",
    ARRAY_CONSTRUCT: "(1, 2)",
    GROUP_CONCAT: "(a, ',')",
    LISTAGG: "(a, ',')",
    STRING_AGG: "(a, ',')",
    EPOCH_MS: "(a)",
    PARSE_JSON: "(a)",
    TRY_TO_NUMBER: "(a)",
    TRY_TO_DATE: "(a)",
    NOW: "()",
    TODAY: "()",
    EPOCH: "(ts)",
    MAKE_DATE: "(2024, 1, 2)",
    MAKE_TIMESTAMP: "(2024, 1, 2, 3, 4, 5)",
    ARRAY_LENGTH: "(a)",
    LIST: "(a)",
    COUNT_IF: "(a > 1)",
    COUNTIF: "(a > 1)",
    BOOL_AND: "(a > 1)",
    BOOL_OR: "(a > 1)",
    STRUCT_PACK: "(k := a)",
    LIST_TRANSFORM: "(arr, x -> x + 1)",
    ARRAY_TRANSFORM: "(arr, x -> x + 1)",
    LIST_APPLY: "(arr, x -> x + 1)",
    APPLY: "(arr, x -> x + 1)",
    LIST_FILTER: "(arr, x -> x > 1)",
    ARRAY_FILTER: "(arr, x -> x > 1)",
    COLUMNS: "('^a')",
    DAYNAME: "(d)",
    MONTHNAME: "(d)",
    DAYOFWEEK: "(d)",
    COLLECT_LIST: "(a)",
    COLLECT_SET: "(a)",
    IF: "(a > 1, b, c)",
    SIZE: "(arr)",
    MEDIAN: "(a)",
    MODE: "(a)",
    NULLIFZERO: "(a)",
    BOOLAND_AGG: "(a > 1)",
    BOOLOR_AGG: "(a > 1)",
    TIMESTAMPDIFF: "(hour, a, b)",
    TRY_TO_TIMESTAMP: "(a)",
    EXPLODE: "(arr)",
    GETDATE: "()",
    SYSDATE: "()",
    TO_NUMBER: "(a)",
  };
  switch (c.kind) {
    case "function":
      return { sql: `SELECT\n  id,\n  ${c.label}${args[c.label] ?? (c.arity === 1 ? "(a)" : "(a, b)")} AS x\nFROM t`, dialect: c.writtenIn?.[0] ?? (c.native.includes("snowflake") ? "snowflake" : c.native[0]), needle: c.label };
    case "qualify":
      return { sql: "SELECT id\nFROM t\nQUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts) = 1", dialect: "snowflake", needle: "QUALIFY" };
    case "ilike":
      return { sql: "SELECT id\nFROM t\nWHERE name ILIKE 'a%'", dialect: "snowflake", needle: "ILIKE" };
    case "table_function":
      return { sql: "SELECT f.value\nFROM t,\n  LATERAL FLATTEN(input => t.arr) f", dialect: "snowflake", needle: "FLATTEN" };
    case "colon_cast":
      return { sql: "SELECT\n  amount::INT AS amount\nFROM t", dialect: "duckdb", needle: "::" };
    case "variant_path":
      return { sql: "SELECT\n  payload:customer AS c\nFROM t", dialect: "snowflake", needle: ":" };
    case "lateral_view":
      return { sql: "SELECT c\nFROM t\nLATERAL VIEW explode(arr) e AS c", dialect: "databricks", needle: "LATERAL VIEW" };
    case "operator":
      return { sql: `SELECT id\nFROM t\nWHERE a ${c.label} b`, dialect: c.writtenIn?.[0] ?? c.native[0], needle: c.label };
    case "star_filter": {
      const op = c.label === "STAR_ILIKE" ? "ILIKE" : "LIKE";
      return { sql: `SELECT * ${op} '%_id'\nFROM t`, dialect: c.native[0], needle: op };
    }
    case "star_modifier": {
      const word = c.label.slice("STAR_".length);
      const list = word === "REPLACE" ? "(a + 1 AS a)" : word === "RENAME" ? "(a AS b)" : "(a)";
      return { sql: `SELECT\n  * ${word} ${list}\nFROM t`, dialect: c.native[0], needle: word };
    }
    case "struct_literal":
      return { sql: "SELECT\n  {'a': 1, 'b': x} AS s\nFROM t", dialect: "duckdb", needle: "{" };
    case "array_literal":
      return { sql: "SELECT\n  [1, 2] AS l\nFROM t", dialect: "duckdb", needle: "[" };
    case "map_literal":
      return { sql: "SELECT\n  MAP {'k': 1} AS m\nFROM t", dialect: "duckdb", needle: "MAP" };
    case "slice":
      return { sql: "SELECT\n  s[1:2] AS p\nFROM t", dialect: "duckdb", needle: "[" };
    case "distinct_on":
      return { sql: "SELECT DISTINCT ON (a) a, b\nFROM t", dialect: "duckdb", needle: "DISTINCT ON" };
    case "from_first":
      return { sql: "FROM t\nSELECT a", dialect: "duckdb", needle: "FROM" };
    case "match_recognize":
      return { sql: "SELECT m\nFROM t\n  MATCH_RECOGNIZE (ORDER BY ts MEASURES MATCH_NUMBER() AS m PATTERN (a b+) DEFINE b AS b.x > PREV(b.x))", dialect: "snowflake", needle: "MATCH_RECOGNIZE" };
    case "file_scan":
      return { sql: "SELECT id\nFROM 'data/orders.csv'", dialect: "duckdb", needle: "'data/orders.csv'" };
    case "stage_scan":
      return { sql: "SELECT $1 AS id\nFROM @landing/orders/ (FILE_FORMAT => 'csv')", dialect: "snowflake", needle: "@landing/orders/" };
    case "connect_by":
      return { sql: "SELECT id, LEVEL AS depth\nFROM emp\nSTART WITH boss IS NULL\n  CONNECT BY boss = PRIOR id", dialect: "snowflake", needle: "CONNECT BY" };
    case "pivot_statement":
      return { sql: "-- monthly\nPIVOT t ON m IN ('JAN', 'FEB') USING SUM(a)", dialect: "duckdb", needle: "PIVOT" };
    case "list_comprehension":
      return { sql: "SELECT\n  [x + 1 FOR x IN arr IF x > 1] AS l\nFROM t", dialect: "duckdb", needle: "[" };
    case "positional_column":
      return { sql: "SELECT\n  #2 AS second\nFROM t", dialect: "duckdb", needle: "#2" };
    case "typed_literal":
      return { sql: "SELECT\n  VARCHAR 'x' AS s\nFROM t", dialect: "duckdb", needle: "VARCHAR" };
    case "using_sample":
      return { sql: "SELECT a\nFROM t\nWHERE a > 1\nUSING SAMPLE 10%", dialect: "duckdb", needle: "USING SAMPLE" };
    case "stream_read":
      return { sql: "SELECT a\nFROM STREAM(events) AS e", dialect: "databricks", needle: "STREAM" };
    case "table_sample":
      return { sql: "SELECT a\nFROM t TABLESAMPLE (10 ROWS)", dialect: "databricks", needle: "TABLESAMPLE" };
    case "try_cast":
      return { sql: "SELECT\n  TRY_CAST(s AS INT) AS n\nFROM t", dialect: "snowflake", needle: "TRY_CAST" };
    case "safe_cast":
      return { sql: "SELECT\n  SAFE_CAST(s AS INT64) AS n\nFROM t", dialect: "bigquery", needle: "SAFE_CAST" };
    case "set_op_minus":
      return { sql: "SELECT a FROM t\nMINUS\nSELECT a FROM u", dialect: "snowflake", needle: "MINUS" };
    case "set_op_bare":
      return { sql: "SELECT a FROM t\nUNION\nSELECT a FROM u", dialect: "snowflake", needle: "UNION" };
    case "top":
      return { sql: "SELECT TOP 10 a\nFROM t", dialect: "snowflake", needle: "TOP" };
  }
}

function positionOf(sql: string, needle: string): { line: number; col: number } {
  const i = sql.indexOf(needle);
  const before = sql.slice(0, i);
  return { line: before.split("\n").length, col: i - before.lastIndexOf("\n") };
}

describe("P001: every (construct, target) pair of the catalog", () => {
  for (const c of PORTABILITY_CATALOG) {
    for (const target of TARGETS) {
      const flagged = !c.native.includes(target);
      it(`${c.display ?? c.label}${c.writtenIn ? ` written in ${c.writtenIn.join("/")}` : ""} on ${target}: ${flagged ? "flagged at the construct" : "native, not flagged"}`, () => {
        const { sql, dialect, needle } = sample(c);
        const ds = lint(sql, dialect, target).filter((d) => d.message.startsWith(`${c.display ?? c.label} `));
        if (!flagged) {
          assert.deepEqual(ds, []);
          return;
        }
        assert.equal(ds.length, 1, `one finding for ${c.label} on ${target}`);
        const d = ds[0];
        const pos = positionOf(sql, needle);
        assert.equal(d.code, "P001");
        assert.equal(d.severity, "Error");
        assert.equal(d.model, "m");
        assert.equal(d.span?.file, "models/m.sql");
        assert.deepEqual([d.span?.line, d.span?.col], [pos.line, pos.col], "the exact line and column of the construct");
        assert.equal(d.span?.endCol, pos.col + needle.length);
        // Where the target runs it with another result the finding says what it does there; elsewhere, who runs it at all.
        const meaning = c.meaning?.[target];
        const supported = c.meaning === undefined ? c.native : TARGETS.filter((x) => c.native.includes(x) || c.meaning?.[x] !== undefined);
        assert.equal(
          d.message,
          meaning !== undefined ? `${c.display ?? c.label} means something else on ${DISPLAY[target]}: ${meaning}` : `${c.display ?? c.label} is not portable to ${DISPLAY[target]} (supported by: ${supported.map((x) => DISPLAY[x]).join(", ")})`,
        );
        // Where the same text runs with another result, a rewrite is the spelling that means the model's result both where it is written and on the target.
        if (meaning !== undefined && d.replacement !== undefined) {
          assert.deepEqual(
            analyzeSql(applyReplacement(sql, d), {}, dialect).columns.map((x) => x.fingerprint),
            analyzeSql(sql, {}, dialect).columns.map((x) => x.fingerprint),
            `the rewrite means in ${dialect} what the model meant`,
          );
        }
        assert.ok((d.suggestion ?? "").length > 0);
        if (c.suggestions[target] !== undefined) assert.equal(d.suggestion, c.suggestions[target]);
        if (d.replacement === undefined) return;
        const rewritten = applyReplacement(sql, d);
        const reparsed = parseSql(rewritten, target);
        assert.equal(reparsed.error, undefined, `rewrite must parse as ${target}: ${reparsed.error?.message}\n${rewritten}`);
        const again = checkPortability({ model: "m", file: "models/m.sql", dialect: target, query: reparsed.query, comments: reparsed.comments, sql: rewritten }, { target });
        assert.deepEqual(again.filter((x) => x.message.startsWith(`${c.display ?? c.label} `)), [], `the rewrite removes the construct:\n${rewritten}`);
      });
    }
  }
});

describe("P001 replacements", () => {
  const cases: [string, DialectId, string, string][] = [
    ["SELECT NVL(a, b) AS x FROM t", "duckdb", "NVL", "SELECT COALESCE(a, b) AS x FROM t"],
    ["SELECT nvl(a, b) AS x FROM t", "bigquery", "NVL", "SELECT coalesce(a, b) AS x FROM t"],
    ["SELECT IFNULL(a, b) AS x FROM t", "snowflake", "IFNULL", "SELECT COALESCE(a, b) AS x FROM t"],
    ["SELECT LEN(s) AS n FROM t", "databricks", "LEN", "SELECT LENGTH(s) AS n FROM t"],
    ["SELECT a FROM t WHERE a ILIKE 'x%'", "bigquery", "ILIKE", "SELECT a FROM t WHERE LOWER(a) LIKE LOWER('x%')"],
    ["SELECT a FROM t WHERE a NOT ILIKE 'x%'", "bigquery", "ILIKE", "SELECT a FROM t WHERE LOWER(a) NOT LIKE LOWER('x%')"],
    ["SELECT IFF(a > 1, 'y', 'n') AS f FROM t", "duckdb", "IFF", "SELECT CASE WHEN a > 1 THEN 'y' ELSE 'n' END AS f FROM t"],
    ["SELECT CHARINDEX('x', s) AS p FROM t", "bigquery", "CHARINDEX", "SELECT STRPOS(s, 'x') AS p FROM t"],
    ["SELECT CHARINDEX('x', s) AS p FROM t", "duckdb", "CHARINDEX", "SELECT STRPOS(s, 'x') AS p FROM t"],
    ["SELECT CHARINDEX('x', s) AS p FROM t", "databricks", "CHARINDEX", "SELECT INSTR(s, 'x') AS p FROM t"],
    ["SELECT a::VARCHAR AS a FROM t", "bigquery", "::", "SELECT CAST(a AS STRING) AS a FROM t"],
    ["SELECT a ** 2 AS p FROM t", "snowflake", "**", "SELECT POWER(a, 2) AS p FROM t"],
    ["SELECT a FROM t WHERE s ^@ 'x'", "bigquery", "^@", "SELECT a FROM t WHERE STARTS_WITH(s, 'x')"],
    ["SELECT a FROM t WHERE s ~ '[a-z]+' AND b", "snowflake", "~", "SELECT a FROM t WHERE REGEXP_LIKE(s, '[a-z]+') AND b"],
    ["SELECT a FROM t WHERE s !~ 'x'", "snowflake", "!~", "SELECT a FROM t WHERE NOT REGEXP_LIKE(s, 'x')"],
    ["SELECT a FROM t WHERE s ~~ 'x%' OR b", "databricks", "~~", "SELECT a FROM t WHERE s LIKE 'x%' OR b"],
    ["SELECT a FROM t WHERE NOT s !~~* 'x%'", "snowflake", "!~~*", "SELECT a FROM t WHERE NOT s NOT ILIKE 'x%'"],
    ["SELECT a::DECIMAL(10, 2) AS a FROM t", "bigquery", "::", "SELECT CAST(a AS NUMERIC(10, 2)) AS a FROM t"],
    ["SELECT ARRAY_CONSTRUCT(1, 2) AS a FROM t", "databricks", "ARRAY_CONSTRUCT", "SELECT ARRAY(1, 2) AS a FROM t"],
    ["SELECT GROUP_CONCAT(a) AS a FROM t", "snowflake", "GROUP_CONCAT", "SELECT LISTAGG(a, ',') AS a FROM t"],
  ];
  for (const [sql, target, label, expected] of cases) {
    it(`${label} → ${target}: ${expected}`, () => {
      const dialect: DialectId = label === "::" || label === "GROUP_CONCAT" || /^[~!*^]/.test(label) ? "duckdb" : label === "IFNULL" ? "bigquery" : "snowflake";
      const ds = lint(sql, dialect, target);
      assert.equal(ds.length, 1);
      assert.equal(applyReplacement(sql, ds[0]), expected);
      assert.equal(parseSql(expected, target).error, undefined);
    });
  }
  it("flags Databricks' COLLECT_LIST, COLLECT_SET, IF and SIZE in a Snowflake model, at each call, IF with IFF as its rewrite", () => {
    const sql = "SELECT\n  collect_set(status) AS statuses,\n  collect_list(id) AS ids,\n  size(tags) AS n_tags,\n  if(status = 'x', 1, 0) AS is_x\nFROM t\nGROUP BY 3, 4";
    const ds = lint(sql, "snowflake", "snowflake");
    assert.deepEqual(
      ds.map((d) => [d.span?.line, d.span?.col, d.message, d.replacement?.text ?? d.suggestion]),
      [
        [2, 3, "COLLECT_SET is not portable to Snowflake (supported by: Databricks)", "use ARRAY_UNIQUE_AGG(x) instead of COLLECT_SET(x)"],
        [3, 3, "COLLECT_LIST is not portable to Snowflake (supported by: Databricks)", "use ARRAY_AGG(x) instead of COLLECT_LIST(x)"],
        [4, 3, "SIZE is not portable to Snowflake (supported by: Databricks)", "use ARRAY_SIZE(array) instead of SIZE(array)"],
        [5, 3, "IF is not portable to Snowflake (supported by: Databricks, BigQuery, DuckDB)", "iff"],
      ],
    );
  });

  it("offers no rewrite where none is exact (DATEADD, TO_CHAR, LISTAGG without a separator)", () => {
    assert.equal(lint("SELECT DATEADD(day, 1, d) AS d FROM t", "snowflake", "bq")[0].replacement, undefined);
    assert.equal(lint("SELECT TO_CHAR(ts, 'YYYY') AS y FROM t", "snowflake", "duckdb")[0].replacement, undefined);
    assert.equal(lint("SELECT LISTAGG(a) AS l FROM t", "snowflake", "bq")[0].replacement, undefined);
  });
  it("reads DAYNAME, MONTHNAME, DAYOFWEEK and ARRAY_CONTAINS by the dialect they are written in, and says what they compute on the target", () => {
    const sql = "SELECT dayname(d) AS dn, monthname(d) AS mn, dayofweek(d) AS dw, array_contains(l, 1) AS c FROM t";
    const on = (dialect: DialectId, target: string) => lint(sql, dialect, target).map((d) => `${d.span?.col} ${d.message}`);
    assert.deepEqual(on("duckdb", "sf"), [
      "8 DAYNAME means something else on Snowflake: it returns the three-letter day name ('Mon'), where DuckDB's DAYNAME returns the full day name ('Monday')",
      "26 MONTHNAME means something else on Snowflake: it returns the three-letter month name ('Jan'), where DuckDB's MONTHNAME returns the full month name ('January')",
      "66 ARRAY_CONTAINS means something else on Snowflake: it takes the value first, ARRAY_CONTAINS(value, array), where Databricks' and DuckDB's take the array first",
    ]);
    assert.deepEqual(
      on("duckdb", "dbx").map((m) => m.split(":")[0]),
      ["8 DAYNAME means something else on Databricks", "26 MONTHNAME means something else on Databricks", "46 DAYOFWEEK means something else on Databricks"],
      "DuckDB and Databricks agree on ARRAY_CONTAINS, not on DAYOFWEEK",
    );
    assert.deepEqual(on("duckdb", "bq"), [
      "8 DAYNAME is not portable to BigQuery (supported by: Snowflake, Databricks, DuckDB)",
      "26 MONTHNAME is not portable to BigQuery (supported by: Snowflake, Databricks, DuckDB)",
      "66 ARRAY_CONTAINS is not portable to BigQuery (supported by: Snowflake, Databricks, DuckDB)",
    ]);
    assert.deepEqual(on("databricks", "sf").map((m) => m.split(":")[0]), ["46 DAYOFWEEK means something else on Snowflake", "66 ARRAY_CONTAINS means something else on Snowflake"], "three letters on both");
    assert.deepEqual(on("snowflake", "duckdb").map((m) => m.split(":")[0]), ["8 DAYNAME means something else on DuckDB", "26 MONTHNAME means something else on DuckDB", "66 ARRAY_CONTAINS means something else on DuckDB"], "Sunday = 0 on both");
    assert.deepEqual(lint(sql, "duckdb", "duckdb"), []);
    assert.ok(
      lint(sql, "duckdb", "sf").every((d) => d.replacement === undefined),
      "no rewrite: the target's spelling computes something else again in the model's own dialect",
    );
    assert.equal(lint("SELECT monthname(d) AS m FROM t", "duckdb", "sf")[0].suggestion, "use TO_CHAR(d, 'MMMM') for the full month name");
  });

  it("reads LOG by the dialect it is written in and how many arguments it has, and rewrites only to a spelling that means the same on both sides", () => {
    const sql = "SELECT log(amount) AS l, LOG(2, amount) AS b FROM t";
    const on = (dialect: DialectId, target: string) => lint(sql, dialect, target).map((d) => [d.span?.col, d.message.replace(/(means something else on \w+):.*/, "$1"), d.replacement?.text]);
    assert.deepEqual(on("duckdb", "dbx"), [[8, "LOG(x) means something else on Databricks", "log10"]], "base 10 in DuckDB, ln in Databricks; LOG(2, x) agrees");
    assert.deepEqual(on("duckdb", "bq"), [
      [8, "LOG(x) means something else on BigQuery", "log10"],
      [26, "LOG(base, x) means something else on BigQuery", undefined],
    ]);
    assert.deepEqual(on("duckdb", "sf"), [[8, "LOG(x) is not portable to Snowflake (supported by: Databricks, BigQuery, DuckDB)", "log(10, amount)"]]);
    assert.deepEqual(on("databricks", "duckdb"), [[8, "LOG(x) means something else on DuckDB", "ln"]]);
    assert.deepEqual(on("databricks", "sf"), [[8, "LOG(x) is not portable to Snowflake (supported by: Databricks, BigQuery, DuckDB)", "ln"]]);
    assert.deepEqual(on("databricks", "bq").map((f) => f[1]), ["LOG(base, x) means something else on BigQuery"], "ln on both; the base's place differs");
    assert.deepEqual(on("snowflake", "dbx"), [], "Snowflake's LOG(2, x) is Databricks' too");
    assert.deepEqual(
      lint("SELECT LOG(amount, 2) AS b FROM t", "bigquery", "sf").map((d) => [d.message, d.suggestion, d.replacement]),
      [["LOG(x, base) means something else on Snowflake: it takes the base first and the value second, LOG(base, x)", "swap the arguments: LOG(base, x)", undefined]],
    );
    assert.deepEqual(lint(sql, "duckdb", "duckdb"), []);
  });

  it("reads `^` by the dialect it is written in: a power in DuckDB, a bitwise XOR in Databricks and BigQuery", () => {
    const fromDuck = lint("SELECT a ^ 2 AS p FROM t", "duckdb", "dbx");
    assert.deepEqual(
      fromDuck.map((d) => [d.message, d.suggestion, d.replacement?.text]),
      [["the `^` power operator is not portable to Databricks (supported by: DuckDB)", "use POWER(a, b): in Databricks `^` is a bitwise XOR", "POWER(a, 2)"]],
    );
    const fromDbx = lint("SELECT flags ^ mask AS x FROM t", "databricks", "duckdb");
    assert.deepEqual(
      fromDbx.map((d) => [d.message, d.replacement?.text]),
      [["the `^` XOR operator is not portable to DuckDB (supported by: Databricks, BigQuery)", "XOR(flags, mask)"]],
    );
    assert.equal(lint("SELECT flags ^ mask AS x FROM t", "databricks", "sf")[0].replacement?.text, "BITXOR(flags, mask)");
    assert.deepEqual(lint("SELECT flags ^ mask AS x FROM t", "databricks", "bq"), [], "XOR on both sides");
    assert.deepEqual(lint("SELECT a ^ 2 AS p FROM t", "duckdb", "duckdb"), []);
  });
  it("flags DuckDB's `//`, `->`, `->>` and Databricks' `<=>` and DIV, which other warehouses read differently or not at all", () => {
    const sf = lint("SELECT qty // 2 AS half, j ->> '$.a' AS a FROM t", "duckdb", "sf");
    assert.deepEqual(
      sf.map((d) => [d.message.split(" is ")[0], d.span?.col]),
      [
        ["the `//` integer division operator", 12],
        ["the `->>` JSON operator", 28],
      ],
    );
    assert.match(sf[0].suggestion ?? "", /starts a comment/);
    const nullSafe = lint("SELECT a FROM t WHERE a <=> b AND c", "databricks", "duckdb");
    assert.equal(nullSafe[0].replacement?.text, "a IS NOT DISTINCT FROM b");
    assert.equal(lint("SELECT a <=> b = c AS x FROM t", "databricks", "sf")[0].replacement, undefined, "the comparison would bind differently");
    assert.deepEqual(lint("SELECT qty DIV 2 AS half FROM t", "databricks", "duckdb").map((d) => [d.message.split(" is ")[0], d.suggestion]), [
      ["the `DIV` integer division operator", "use a // b instead of a DIV b (both truncate integers toward zero)"],
    ]);
  });
  it("flags a star's name filter where the target lacks it: Snowflake has * ILIKE only", () => {
    assert.deepEqual(lint("SELECT * ILIKE '%id' FROM t", "duckdb", "sf"), []);
    assert.deepEqual(
      lint("SELECT * NOT LIKE '%_id' FROM t", "duckdb", "sf").map((d) => [d.message, d.span?.col, d.span?.endCol]),
      [["the `* LIKE` column filter is not portable to Snowflake (supported by: DuckDB)", 10, 18]],
    );
    assert.deepEqual(lint("SELECT * ILIKE '%id' FROM t", "snowflake", "dbx").map((d) => d.message), ["the `* ILIKE` column filter is not portable to Databricks (supported by: Snowflake, DuckDB)"]);
  });
  it("flags a DuckDB-developed model's own spellings for the warehouse it deploys to, with the exact rewrite where there is one", () => {
    const rewrites = (sql: string, target: string) => lint(sql, "duckdb", target).map((d) => [d.message.split(" is not")[0], d.replacement === undefined ? undefined : applyReplacement(sql, d)]);
    assert.deepEqual(rewrites("SELECT * EXCLUDE (a) FROM t", "dbx"), [["`* EXCLUDE`", "SELECT * EXCEPT (a) FROM t"]]);
    assert.deepEqual(rewrites("SELECT * exclude a FROM t", "bq"), [["`* EXCLUDE`", undefined]], "EXCEPT takes a parenthesised list only");
    assert.deepEqual(rewrites("SELECT {'a': 1, 'my key': x} AS s FROM t", "bq"), [["the `{'k': v}` struct literal", "SELECT STRUCT(1 AS a, x AS `my key`) AS s FROM t"]]);
    assert.deepEqual(rewrites("SELECT {'a': 1} AS s FROM t", "dbx"), [["the `{'k': v}` struct literal", "SELECT NAMED_STRUCT('a', 1) AS s FROM t"]]);
    assert.deepEqual(rewrites("SELECT {'a': 1} AS s, [1, 2] AS l FROM t", "sf"), [], "Snowflake's OBJECT and ARRAY constants");
    assert.deepEqual(rewrites("SELECT strpos(s, 'x') AS p FROM t", "sf"), [["STRPOS", "SELECT position('x', s) AS p FROM t"]]);
    assert.deepEqual(rewrites("SELECT strpos(s, 'x') AS p FROM t", "dbx"), [["STRPOS", "SELECT instr(s, 'x') AS p FROM t"]]);
    assert.deepEqual(rewrites("SELECT now() AS n, today() AS d FROM t", "sf"), [
      ["NOW", "SELECT current_timestamp AS n, today() AS d FROM t"],
      ["TODAY", "SELECT now() AS n, current_date AS d FROM t"],
    ]);
    assert.deepEqual(rewrites("SELECT now() AS n FROM t", "dbx"), [], "Databricks has NOW()");
    assert.deepEqual(rewrites("SELECT arg_max(id, ts) AS last_id FROM t", "bq"), [["ARG_MAX", "SELECT max_by(id, ts) AS last_id FROM t"]]);
    assert.deepEqual(rewrites("SELECT list_value(a, b) AS l FROM t", "sf"), [["LIST_VALUE", "SELECT array_construct(a, b) AS l FROM t"]]);
    assert.deepEqual(rewrites("SELECT [x + 1 FOR x IN arr IF x > 1] AS l FROM t", "dbx"), [["the `[x FOR x IN list]` list comprehension", undefined]], "one finding, at its `[`, not the calls it means");
    assert.deepEqual(rewrites("SELECT COLUMNS(* EXCLUDE (a)) FROM t", "dbx"), [["COLUMNS", undefined]], "the star inside COLUMNS goes with it");
    assert.deepEqual(rewrites("FROM t SELECT a", "sf").map(([m]) => m), ["a query that starts with FROM"]);
    assert.deepEqual(rewrites("WITH x AS (FROM t) SELECT DISTINCT ON (a) a FROM x", "sf").map(([m]) => m), ["a query that starts with FROM", "DISTINCT ON"]);
    assert.deepEqual(rewrites("SELECT s[2:3] AS p, s[2] AS q FROM t", "dbx").map(([m]) => m), ["the `x[a:b]` slice"], "an index is not a slice");
  });

  it("respells a DuckDB operator with a looser keyword only where nothing else binds it", () => {
    assert.equal(lint("SELECT a = s ~~ 'x%' AS f FROM t", "duckdb", "sf")[0].replacement, undefined, "a = s LIKE 'x%' would compare first");
    assert.equal(lint("SELECT a FROM t WHERE s !~ 'x' = b", "duckdb", "sf")[0].replacement, undefined);
    assert.equal(lint("SELECT a FROM t WHERE s ~ 'x'", "duckdb", "dbx")[0].replacement, undefined, "RLIKE matches anywhere: no exact rewrite");
    assert.equal(lint("SELECT a = s ^@ 'x' AS f FROM t", "duckdb", "sf")[0].replacement?.text, "STARTSWITH(s, 'x')", "a call is safe anywhere");
  });

  it("folds a nested rewrite into the enclosing one so replacements never overlap", () => {
    const ds = lint("SELECT TO_VARCHAR(NVL(a, b)) AS x FROM t", "snowflake", "duckdb");
    assert.deepEqual(ds.map((d) => [d.message.split(" ")[0], d.replacement?.text]), [
      ["TO_VARCHAR", "CAST(COALESCE(a, b) AS VARCHAR)"],
      ["NVL", undefined],
    ]);
  });
  it("offers no rewrite on a line where @var was substituted", () => {
    const ds = lint("SELECT NVL(a, 'x') AS a FROM t", "snowflake", "duckdb", [], new Map([[1, [[12, 12]] as const]]));
    assert.equal(ds.length, 1);
    assert.equal(ds[0].replacement, undefined);
  });
});

describe("P001 detection", () => {
  it("finds constructs in CTEs, subqueries, joins, CASE and window specs, in source order", () => {
    const sql = [
      "WITH a AS (SELECT NVL(x, 0) AS x FROM t)",
      "SELECT",
      "  CASE WHEN TO_CHAR(s) > 1 THEN 1 END AS c,",
      "  (SELECT MAX(IFNULL(y, 0)) FROM u) AS m,",
      "  SUM(x) OVER (PARTITION BY NVL(g, 'a')) AS w",
      "FROM a JOIN b ON NVL(a.k, 0) = b.k",
    ].join("\n");
    const ds = lint(sql, "snowflake", "duckdb");
    assert.deepEqual(ds.map((d) => [d.message.split(" ")[0], d.span?.line, d.span?.col]), [
      ["NVL", 1, 19],
      ["TO_CHAR", 3, 13],
      ["NVL", 5, 29],
      ["NVL", 6, 18],
    ]);
  });
  it("never fires on identifiers or string literals", () => {
    assert.deepEqual(lint("SELECT nvl, 'NVL(x) QUALIFY ILIKE' AS msg FROM t", "snowflake", "bigquery"), []);
  });
  it("compares only the last part of a qualified function name", () => {
    assert.equal(lint("SELECT my_schema.nvl(a, b) AS x FROM t", "snowflake", "duckdb").length, 1);
  });
  it("does nothing without a target, and nothing for SQL that does not parse", () => {
    const parsed = parseSql("SELECT NVL(a, b) FROM t", "snowflake");
    assert.deepEqual(checkPortability({ model: "m", file: "f", query: parsed.query }, { target: undefined }), []);
    const broken = parseSql("SELEC NVL(a b", "snowflake");
    assert.deepEqual(checkPortability({ model: "m", file: "f", query: broken.query, sql: "SELEC NVL(a b" }, { target: "duckdb" }), []);
  });
  it("takes short target names", () => {
    assert.equal(lint("SELECT NVL(a, b) AS x FROM t", "snowflake", "bq").length, 1);
    assert.equal(lint("SELECT NVL(a, b) AS x FROM t", "snowflake", "sf").length, 0);
    assert.equal(lint("SELECT IFNULL(a, b) AS x FROM t", "duckdb", "dbx").length, 1);
  });
});

describe("P001 exemptions", () => {
  const sql = "SELECT NVL(a, b) AS x, LEN(s) AS n\nFROM t\nWHERE s ILIKE 'a%'";
  it("honours [portability] allow, case-insensitively", () => {
    assert.deepEqual(lint(sql, "snowflake", "bigquery", ["nvl", "Len"]).map((d) => d.message.split(" ")[0]), ["ILIKE"]);
  });
  it("honours -- rocky-allow: pragmas, ignoring unknown labels", () => {
    const withPragma = `-- rocky-allow: ilike, NOT_A_THING\n-- Rocky-Allow: LEN\n${sql}`;
    assert.deepEqual(lint(withPragma, "snowflake", "bigquery").map((d) => d.message.split(" ")[0]), ["NVL"]);
  });
  it("does not read a pragma inside a string literal", () => {
    assert.equal(lint("SELECT '-- rocky-allow: NVL' AS s, NVL(a, b) AS x FROM t", "snowflake", "duckdb").length, 1);
  });
  it("accepts the display name of multi-word constructs", () => {
    assert.deepEqual(lint("SELECT c FROM t LATERAL VIEW explode(arr) e AS c", "databricks", "snowflake", ["lateral view"]), []);
  });
});

describe("DuckDB's positional columns", () => {
  it("are flagged in the select list and in ORDER BY, where they are read as ordinals", () => {
    const sql = "SELECT b, #1 AS a\nFROM t\nORDER BY #2 DESC, 1";
    const parsed = parseSql(sql, "duckdb");
    const found = checkPortability({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed.query, comments: parsed.comments, sql }, { target: "snowflake" });
    assert.deepEqual(
      found.map((d) => `${d.span?.line}:${d.span?.col}-${d.span?.endCol}`),
      ["1:11-13", "3:10-12"],
    );
    assert.deepEqual(checkPortability({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed.query, comments: parsed.comments, sql }, { target: "duckdb" }), []);
  });
});

describe("DuckDB's typed literals (`VARCHAR 'x'`, `INT '1'`)", () => {
  const p001 = (sql: string, target: DialectId) => {
    const parsed = parseSql(sql, "duckdb");
    assert.equal(parsed.error, undefined);
    return checkPortability({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed.query, comments: parsed.comments, sql }, { target }).map((d) => `${d.span?.col}-${d.span?.endCol} ${d.replacement?.text ?? "(advice)"}`);
  };
  const sql = "SELECT INT '1' AS i, varchar 'it''s' AS v, BLOB '\\x01' AS b, float '1.5' AS f, DATE '2024-01-02' AS d, JSON '{}' AS j FROM t";
  it("are flagged at the type name, with the same value as the target writes it: the string itself for a text type, a CAST where the type exists", () => {
    assert.deepEqual(p001(sql, "snowflake"), ["8-11 CAST('1' AS INTEGER)", "22-29 'it''s'", "44-48 (advice)", "62-67 (advice)", "104-108 (advice)"]);
    assert.deepEqual(p001(sql, "databricks"), ["8-11 CAST('1' AS INT)", "22-29 'it''s'", "44-48 (advice)", "62-67 cast('1.5' as float)", "104-108 (advice)"]);
  });
  it("leave alone the literals the target has: dates and times everywhere, JSON on BigQuery, any type on DuckDB", () => {
    assert.deepEqual(p001(sql, "bigquery"), ["8-11 (advice)", "22-29 'it''s'", "44-48 (advice)", "62-67 (advice)"]);
    assert.deepEqual(p001(sql, "duckdb"), []);
    assert.deepEqual(p001("SELECT DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts FROM t", "snowflake"), []);
  });
});

describe("a built-in DuckDB does not have, for a DuckDB target", () => {
  const p001 = (sql: string, dialect: DialectId, target: DialectId) => {
    const parsed = parseSql(sql, dialect);
    assert.equal(parsed.error, undefined);
    return checkPortability({ model: "m", file: "m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target }).map((d) => `${d.span?.col} ${d.message} | ${d.replacement?.text ?? "(advice)"}`);
  };
  const sql = "SELECT TO_NUMBER(a) AS n, TO_TIMESTAMP_NTZ(ts) AS local_ts, CURRENT_TIMESTAMP() AS now_ts, CURRENT_TIMESTAMP AS bare, my_udf(a) AS mine, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a) AS p FROM t";
  it("is flagged in a Snowflake model, at its name; CURRENT_TIMESTAMP() becomes the keyword DuckDB has, TO_NUMBER(x) a DECIMAL cast", () => {
    assert.deepEqual(p001(sql, "snowflake", "duckdb"), [
      "8 TO_NUMBER is not portable to DuckDB (supported by: Snowflake, Databricks) | CAST(a AS DECIMAL(38, 0))",
      "27 TO_TIMESTAMP_NTZ is not portable to DuckDB (supported by: Snowflake) | (advice)",
      "61 CURRENT_TIMESTAMP is not portable to DuckDB (supported by: Snowflake) | CURRENT_TIMESTAMP",
    ]);
  });
  it("is left alone: a user's function, the niladic keyword, DuckDB's own ordered-set aggregate, a DuckDB model, another target, an allow pragma", () => {
    // TO_NUMBER has a catalog row (Snowflake's and Databricks'), flagged for DuckDB in any model, as NVL is; the rest is the missing-function list's.
    assert.deepEqual(p001(sql, "duckdb", "duckdb"), ["8 TO_NUMBER is not portable to DuckDB (supported by: Snowflake, Databricks) | CAST(a AS DECIMAL(38, 0))"]);
    assert.deepEqual(p001(sql, "snowflake", "snowflake"), []);
    assert.deepEqual(p001(`-- rocky-allow: TO_NUMBER, TO_TIMESTAMP_NTZ, CURRENT_TIMESTAMP\n${sql}`, "snowflake", "duckdb"), []);
  });
});

describe("STRFTIME and STRPTIME for Snowflake and Databricks", () => {
  const rewrites = (sql: string, target: DialectId) => {
    const parsed = parseSql(sql, "duckdb");
    return checkPortability({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed.query, comments: parsed.comments, sql }, { target }).map((d) => d.replacement?.text ?? "(advice)");
  };
  const sql = "SELECT strftime(d, '%Y%m%d') AS day_key, strftime('%Y-%m-%d %H:%M:%S.%f', ts) AS stamp, strptime(s, '%d/%m/%Y') AS parsed, strftime(d, '%b %Y') AS month_name FROM t";
  it("are rewritten with the format in the target's syntax, either argument order", () => {
    assert.deepEqual(rewrites(sql, "snowflake"), ["to_varchar(d, 'YYYYMMDD')", "to_varchar(ts, 'YYYY-MM-DD HH24:MI:SS.FF6')", "to_timestamp(s, 'DD/MM/YYYY')", "(advice)"]);
    assert.deepEqual(rewrites(sql, "databricks"), ["date_format(d, 'yyyyMMdd')", "date_format(ts, 'yyyy-MM-dd HH:mm:ss.SSSSSS')", "to_timestamp(s, 'dd/MM/yyyy')", "(advice)"]);
  });
  it("stay advice where the format is not read exactly (month names) or the target takes the format first (BigQuery)", () => {
    assert.deepEqual(rewrites(sql, "bigquery"), ["(advice)", "(advice)", "(advice)", "(advice)"]);
  });
  it("are no change of logic once taken: the rewritten call has the original's fingerprint", () => {
    const before = analyzeSql(sql, {}, "duckdb").columns.map((c) => c.fingerprint);
    for (const target of ["snowflake", "databricks"] as const) {
      const rewritten = "SELECT " + rewrites(sql, target).slice(0, 3).map((r, i) => `${r} AS ${["day_key", "stamp", "parsed"][i]}`).join(", ") + ", strftime(d, '%b %Y') AS month_name FROM t";
      assert.deepEqual(analyzeSql(rewritten, {}, "duckdb").columns.map((c) => c.fingerprint), before, target);
    }
  });
});

describe("rewrites of other warehouses' calls for a DuckDB target", () => {
  const p001 = (sql: string, dialect: DialectId) => {
    const parsed = parseSql(sql, dialect);
    return checkPortability({ model: "m", file: "m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target: "duckdb" });
  };
  it("say the same thing in DuckDB's words, and are no change of logic once taken", () => {
    const sql = "SELECT GETDATE() AS now_ts, REGEXP_LIKE(s, '[a-z]+') AS whole, TO_NUMBER(s) AS n, TRY_TO_NUMBER(s) AS tn FROM t";
    const found = p001(sql, "snowflake");
    assert.deepEqual(
      found.map((d) => d.replacement?.text),
      ["CURRENT_TIMESTAMP", "REGEXP_FULL_MATCH", "CAST(s AS DECIMAL(38, 0))", "TRY_CAST(s AS DECIMAL(38, 0))"],
    );
    // Applied right to left, every one: the columns keep their fingerprints.
    const rewritten = [...found].reverse().reduce((text, d) => applyReplacement(text, d), sql);
    assert.deepEqual(analyzeSql(rewritten, {}, "snowflake").columns.map((c) => c.fingerprint), analyzeSql(sql, {}, "snowflake").columns.map((c) => c.fingerprint));
    // Databricks' regexp_like matches anywhere, as DuckDB's REGEXP_MATCHES does.
    assert.deepEqual(p001("SELECT regexp_like(s, 'a') AS partial FROM t", "databricks").map((d) => d.replacement?.text), ["regexp_matches"], "in the case it was written");
  });
});

describe("TO_DATE for a DuckDB target", () => {
  const found = (sql: string, dialect: DialectId) => {
    const parsed = parseSql(sql, dialect);
    return checkPortability({ model: "m", file: "m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target: "duckdb" });
  };
  it("is a DATE cast, or STRPTIME with the format read, and the same column once taken", () => {
    for (const [dialect, format] of [["snowflake", "YYYY-MM-DD"], ["databricks", "yyyy-MM-dd"]] as const) {
      const sql = `SELECT TO_DATE(created_at) AS d, TO_DATE(s, '${format}') AS e, TO_DATE(s, 'MON DD') AS f FROM t`;
      const ds = found(sql, dialect);
      assert.deepEqual(ds.map((d) => d.replacement?.text ?? "(advice)"), ["CAST(created_at AS DATE)", "CAST(STRPTIME(s, '%Y-%m-%d') AS DATE)", "(advice)"], dialect);
      const rewritten = ds.filter((d) => d.replacement).reverse().reduce((text, d) => applyReplacement(text, d), sql);
      assert.deepEqual(analyzeSql(rewritten, {}, dialect).columns.map((c) => c.fingerprint), analyzeSql(sql, {}, dialect).columns.map((c) => c.fingerprint), dialect);
    }
  });
});
