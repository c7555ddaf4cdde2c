import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPortability } from "../../../engine/src/checks/index.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * The P001 audit between Snowflake, Databricks, BigQuery and DuckDB (2026-11): the forms one
 * target takes and another rejects. Each fixed item fires where the target rejects it, on the
 * construct's exact span with the target's suggestion, and never where the target takes it.
 */
function lint(sql: string, dialect: DialectId, target: DialectId, allow: string[] = []): Diagnostic[] {
  const parsed = parseSql(sql, dialect);
  assert.equal(parsed.error, undefined, `fixture SQL must parse as ${dialect}: ${parsed.error?.message}\n${sql}`);
  return checkPortability({ model: "m", file: "models/m.sql", dialect, query: parsed.query, comments: parsed.comments, sql }, { target, allow });
}

/** Line and column of the first `needle` in `sql` (1-based). */
function at(sql: string, needle: string): [number, number] {
  const i = sql.indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${sql}`);
  const before = sql.slice(0, i);
  return [before.split("\n").length, i - before.lastIndexOf("\n")];
}

interface Fire {
  readonly sql: string;
  readonly dialect: DialectId;
  /** Targets where it is flagged (every other target leaves it alone). */
  readonly on: readonly DialectId[];
  /** The text the finding covers, exactly. */
  readonly needle: string;
  /** The message's start: what the construct is called. */
  readonly name: string;
  /** Per flagged target: a piece of the suggestion, and the replacement when there is one. */
  readonly says: Partial<Record<DialectId, { readonly suggestion: string; readonly replacement?: string }>>;
}

const ALL: readonly DialectId[] = ["snowflake", "databricks", "bigquery", "duckdb"];

const CASES: readonly Fire[] = [
  {
    sql: "SELECT\n  DATEDIFF(shipped, ordered) AS days\nFROM t",
    dialect: "databricks",
    on: ["snowflake", "bigquery", "duckdb"],
    needle: "DATEDIFF",
    name: "DATEDIFF",
    says: {
      snowflake: { suggestion: "DATEDIFF(day, start, end) for Databricks' DATEDIFF(end, start)" },
      duckdb: { suggestion: "DATEDIFF('day', start, end)" },
      bigquery: { suggestion: "DATE_DIFF(end, start, unit)" },
    },
  },
  {
    sql: "SELECT\n  DATE_DIFF(shipped, ordered) AS days\nFROM t",
    dialect: "databricks",
    on: ["snowflake", "bigquery", "duckdb"],
    needle: "DATE_DIFF",
    name: "DATE_DIFF",
    says: { bigquery: { suggestion: "DATE_DIFF(end, start, DAY) for Databricks' DATE_DIFF(end, start)", replacement: "DATE_DIFF(shipped, ordered, DAY)" }, duckdb: { suggestion: "DATE_DIFF('day', start, end)" } },
  },
  {
    sql: "SELECT\n  DATE_DIFF(shipped, ordered, DAY) AS days\nFROM t",
    dialect: "bigquery",
    on: ["snowflake", "databricks", "duckdb"],
    needle: "DATE_DIFF",
    name: "DATE_DIFF",
    says: {
      databricks: { suggestion: "DATE_DIFF(DAY, start, end) for BigQuery's DATE_DIFF(end, start, DAY)", replacement: "DATE_DIFF(DAY, ordered, shipped)" },
      duckdb: { suggestion: "DATE_DIFF('day', start, end)", replacement: "DATE_DIFF('day', ordered, shipped)" },
    },
  },
  {
    sql: "SELECT\n  DATE_DIFF('day', ordered, shipped) AS days\nFROM t",
    dialect: "duckdb",
    on: ["snowflake", "bigquery"],
    needle: "DATE_DIFF",
    name: "DATE_DIFF",
    says: { bigquery: { suggestion: "DATE_DIFF(end, start, DAY) for DATE_DIFF(day, start, end)" } },
  },
  {
    sql: "SELECT\n  DATE_TRUNC(ordered, MONTH) AS m\nFROM t",
    dialect: "bigquery",
    on: ["snowflake", "databricks", "duckdb"],
    needle: "DATE_TRUNC",
    name: "DATE_TRUNC(date, unit) with the unit last",
    says: {
      snowflake: { suggestion: "DATE_TRUNC('month', date)", replacement: "DATE_TRUNC('month', ordered)" },
      databricks: { suggestion: "DATE_TRUNC('MONTH', date)", replacement: "DATE_TRUNC('MONTH', ordered)" },
      duckdb: { suggestion: "DATE_TRUNC('month', date)", replacement: "DATE_TRUNC('month', ordered)" },
    },
  },
  {
    sql: "SELECT\n  DATE_TRUNC('month', ordered) AS m\nFROM t",
    dialect: "snowflake",
    on: ["bigquery"],
    needle: "DATE_TRUNC",
    name: "DATE_TRUNC(unit, date) with the unit first",
    says: { bigquery: { suggestion: "DATE_TRUNC(date, MONTH)" } },
  },
  {
    sql: "SELECT\n  DATE_TRUNC(month, ordered) AS m\nFROM t",
    dialect: "snowflake",
    on: ["databricks", "bigquery", "duckdb"],
    needle: "DATE_TRUNC",
    name: "DATE_TRUNC",
    says: {
      databricks: { suggestion: "DATE_TRUNC('MONTH', date)", replacement: "'MONTH'" },
      duckdb: { suggestion: "DATE_TRUNC('month', date)", replacement: "'month'" },
      bigquery: { suggestion: "DATE_TRUNC(date, MONTH)" },
    },
  },
  {
    sql: "SELECT\n  DATE_PART('year', ordered) AS y\nFROM t",
    dialect: "snowflake",
    on: ["bigquery"],
    needle: "DATE_PART",
    name: "DATE_PART",
    says: { bigquery: { suggestion: "EXTRACT(part FROM date)", replacement: "EXTRACT(YEAR FROM ordered)" } },
  },
  {
    sql: "SELECT\n  DATE_PART(year, ordered) AS y\nFROM t",
    dialect: "snowflake",
    on: ["bigquery", "duckdb"],
    needle: "DATE_PART",
    name: "DATE_PART",
    says: { duckdb: { suggestion: "DATE_PART('year', date)", replacement: "'year'" } },
  },
  {
    sql: "SELECT\n  LISTAGG(name, ', ') WITHIN GROUP (ORDER BY name) AS names\nFROM t",
    dialect: "snowflake",
    on: ["bigquery", "duckdb"],
    needle: "LISTAGG",
    name: "LISTAGG",
    says: { duckdb: { suggestion: "LISTAGG(x, separator ORDER BY y)", replacement: "LISTAGG(name, ', ' ORDER BY name)" } },
  },
  {
    sql: "SELECT\n  ARRAY_AGG(id) WITHIN GROUP (ORDER BY ts DESC) AS ids\nFROM t",
    dialect: "snowflake",
    on: ["bigquery", "duckdb"],
    needle: "ARRAY_AGG",
    name: "ARRAY_AGG(...) WITHIN GROUP (ORDER BY ...)",
    says: { bigquery: { suggestion: "ARRAY_AGG(x ORDER BY y)", replacement: "ARRAY_AGG(id ORDER BY ts DESC)" }, duckdb: { suggestion: "ARRAY_AGG(x ORDER BY y)", replacement: "ARRAY_AGG(id ORDER BY ts DESC)" } },
  },
  {
    sql: "SELECT\n  ARRAY_AGG(id ORDER BY ts) AS ids\nFROM t",
    dialect: "duckdb",
    on: ["snowflake"],
    needle: "ARRAY_AGG",
    name: "ARRAY_AGG(x ORDER BY ...) with the order inside the call",
    says: { snowflake: { suggestion: "WITHIN GROUP (ORDER BY y)", replacement: "ARRAY_AGG(id) WITHIN GROUP (ORDER BY ts)" } },
  },
  {
    sql: "SELECT\n  TRY_CAST(s AS INT) AS n\nFROM t",
    dialect: "snowflake",
    on: ["bigquery"],
    needle: "TRY_CAST",
    name: "TRY_CAST",
    says: { bigquery: { suggestion: "SAFE_CAST(x AS type)" } },
  },
  {
    sql: "SELECT\n  SAFE_CAST(s AS INT64) AS n\nFROM t",
    dialect: "bigquery",
    on: ["snowflake", "databricks", "duckdb"],
    needle: "SAFE_CAST",
    name: "SAFE_CAST",
    says: { snowflake: { suggestion: "TRY_CAST(x AS type)" }, databricks: { suggestion: "TRY_CAST(x AS type)" }, duckdb: { suggestion: "TRY_CAST(x AS type)" } },
  },
  {
    sql: "SELECT id FROM a\nMINUS\nSELECT id FROM b",
    dialect: "snowflake",
    on: ["bigquery", "duckdb"],
    needle: "MINUS",
    name: "the MINUS set operator",
    says: { bigquery: { suggestion: "EXCEPT DISTINCT", replacement: "EXCEPT DISTINCT" }, duckdb: { suggestion: "EXCEPT", replacement: "EXCEPT" } },
  },
  {
    sql: "SELECT id FROM a\nunion\nSELECT id FROM b",
    dialect: "databricks",
    on: ["bigquery"],
    needle: "union",
    name: "a set operator without ALL or DISTINCT",
    says: { bigquery: { suggestion: "add DISTINCT", replacement: "union distinct" } },
  },
  {
    sql: "SELECT TOP 10 id\nFROM t\nORDER BY id",
    dialect: "snowflake",
    on: ["databricks", "bigquery", "duckdb"],
    needle: "TOP",
    name: "SELECT TOP n",
    says: { databricks: { suggestion: "LIMIT n" } },
  },
  {
    sql: "SELECT\n  DATE_ADD(ordered, 7) AS due\nFROM t",
    dialect: "databricks",
    on: ["snowflake", "bigquery"],
    needle: "DATE_ADD",
    name: "DATE_ADD",
    says: { bigquery: { suggestion: "DATE_ADD(date, INTERVAL n DAY)" } },
  },
  {
    sql: "SELECT\n  DATE_SUB(ordered, 7) AS due\nFROM t",
    dialect: "databricks",
    on: ["bigquery", "duckdb"],
    needle: "DATE_SUB",
    name: "DATE_SUB(date, n) with a number of days",
    says: { bigquery: { suggestion: "DATE_SUB(date, INTERVAL n DAY)" }, duckdb: { suggestion: "date - INTERVAL (n) DAY" } },
  },
  {
    sql: "SELECT\n  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY amount) AS p50\nFROM t",
    dialect: "snowflake",
    on: ["bigquery"],
    needle: "PERCENTILE_CONT",
    name: "PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x)",
    says: { bigquery: { suggestion: "PERCENTILE_CONT(x, f) OVER (PARTITION BY ...)" } },
  },
  {
    sql: "SELECT\n  PERCENTILE_CONT(amount, 0.5) OVER () AS p50\nFROM t",
    dialect: "bigquery",
    on: ["snowflake", "duckdb"],
    needle: "PERCENTILE_CONT",
    name: "PERCENTILE_CONT(x, f) OVER (...), BigQuery's analytic form",
    says: { snowflake: { suggestion: "PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x)" } },
  },
  // Sampling: each target's own grammar.
  {
    sql: "SELECT id\nFROM t SAMPLE (10)",
    dialect: "snowflake",
    on: ["databricks", "bigquery", "duckdb"],
    needle: "SAMPLE",
    name: "the sample clause `SAMPLE (10)`",
    says: { databricks: { suggestion: "TABLESAMPLE (10 PERCENT)" }, bigquery: { suggestion: "TABLESAMPLE SYSTEM (10 PERCENT)" }, duckdb: { suggestion: "TABLESAMPLE (10 PERCENT)" } },
  },
  {
    sql: "SELECT id\nFROM t AS x TABLESAMPLE (10 PERCENT) REPEATABLE (7)",
    dialect: "databricks",
    on: ["snowflake", "bigquery"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE (10 PERCENT) REPEATABLE (7)`",
    says: { snowflake: { suggestion: "SAMPLE (10)" }, bigquery: { suggestion: "TABLESAMPLE SYSTEM (10 PERCENT)" } },
  },
  {
    sql: "SELECT id\nFROM t TABLESAMPLE (5 ROWS)",
    dialect: "databricks",
    on: ["bigquery"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE (5 ROWS)`",
    says: { bigquery: { suggestion: "ORDER BY RAND() LIMIT n" } },
  },
  {
    sql: "SELECT id\nFROM t TABLESAMPLE (BUCKET 1 OUT OF 4)",
    dialect: "databricks",
    on: ["snowflake", "bigquery", "duckdb"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE (BUCKET 1 OUT OF 4)`",
    says: { duckdb: { suggestion: "sample a percentage instead" } },
  },
  {
    // A table named `sample`: the finding is on the clause's keyword, not the name.
    sql: "SELECT id\nFROM sample TABLESAMPLE (10 PERCENT)",
    dialect: "databricks",
    on: ["snowflake", "bigquery"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE (10 PERCENT)`",
    says: {},
  },
  {
    sql: "SELECT id\nFROM t TABLESAMPLE SYSTEM (10 PERCENT)",
    dialect: "bigquery",
    on: ["snowflake", "databricks"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE SYSTEM (10 PERCENT)`",
    says: { snowflake: { suggestion: "SAMPLE (10)" }, databricks: { suggestion: "TABLESAMPLE (10 PERCENT)" } },
  },
  {
    sql: "SELECT id\nFROM t TABLESAMPLE 10%",
    dialect: "duckdb",
    on: ["snowflake", "databricks", "bigquery"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE 10%`",
    says: { snowflake: { suggestion: "SAMPLE (10)" }, databricks: { suggestion: "TABLESAMPLE (10 PERCENT)" } },
  },
  {
    sql: "SELECT e.id\nFROM (SELECT id FROM t) TABLESAMPLE (3 ROWS) AS e",
    dialect: "duckdb",
    on: ["bigquery"],
    needle: "TABLESAMPLE",
    name: "the sample clause `TABLESAMPLE (3 ROWS)`",
    says: { bigquery: { suggestion: "percentage only" } },
  },
];

describe("P001 audit: forms one target takes and another rejects", () => {
  for (const c of CASES) {
    for (const target of ALL) {
      const fires = c.on.includes(target);
      it(`${c.sql.replace(/\s+/g, " ")} (${c.dialect}) on ${target}: ${fires ? "flagged" : "left alone"}`, () => {
        const ds = lint(c.sql, c.dialect, target).filter((d) => d.span?.line === at(c.sql, c.needle)[0] && d.span?.col === at(c.sql, c.needle)[1]);
        if (!fires) {
          assert.deepEqual(
            ds.map((d) => d.message),
            [],
          );
          return;
        }
        assert.equal(ds.length, 1, ds.map((d) => d.message).join(" | "));
        const d = ds[0];
        const [line, col] = at(c.sql, c.needle);
        assert.deepEqual([d.span?.line, d.span?.col, d.span?.endCol], [line, col, col + c.needle.length], "the exact span of the construct");
        assert.ok(d.message.startsWith(`${c.name}`), d.message);
        const says = c.says[target];
        if (says === undefined) return;
        assert.ok(d.suggestion?.includes(says.suggestion), `${d.suggestion} has ${says.suggestion}`);
        assert.equal(d.replacement?.text, says.replacement);
      });
    }
  }

  it("says what a bare sample number counts where Snowflake and DuckDB read it differently", () => {
    const sf = lint("SELECT id\nFROM t TABLESAMPLE (10)", "snowflake", "duckdb");
    assert.deepEqual(
      sf.map((d) => [d.span?.line, d.span?.col, d.message]),
      [[2, 8, "the sample clause `TABLESAMPLE (10)` means something else on DuckDB: a bare number there counts rows: it samples 10 rows, where the model's dialect samples 10 percent of the rows"]],
    );
    assert.equal(sf[0].suggestion, "write TABLESAMPLE (10 PERCENT)");
    const duck = lint("SELECT id\nFROM t TABLESAMPLE (10)", "duckdb", "snowflake");
    assert.deepEqual(duck.map((d) => d.suggestion), ["write SAMPLE (10 ROWS)"]);
    assert.match(duck[0].message, /means something else on Snowflake: a bare number there counts a percentage: it samples 10 percent of the rows, where the model's dialect samples 10 rows$/);
    // Where written and on the target alike, nothing to say.
    assert.deepEqual(lint("SELECT id\nFROM t TABLESAMPLE (10)", "snowflake", "snowflake"), []);
    assert.deepEqual(lint("SELECT id\nFROM t TABLESAMPLE (10)", "duckdb", "duckdb"), []);
  });

  it("leaves the forms every target takes alone", () => {
    const portable: [string, DialectId][] = [
      ["SELECT DATEDIFF('day', a, b) AS x FROM t", "snowflake"],
      ["SELECT LISTAGG(s, ',') AS x FROM t", "snowflake"],
      ["SELECT ARRAY_AGG(s) AS x FROM t", "snowflake"],
      ["SELECT a FROM t UNION ALL SELECT a FROM u", "snowflake"],
      ["SELECT a FROM t UNION DISTINCT SELECT a FROM u", "bigquery"],
      ["SELECT a FROM t EXCEPT DISTINCT SELECT a FROM u", "bigquery"],
      ["SELECT a FROM t LIMIT 10", "snowflake"],
      ["SELECT a FROM sample AS s", "databricks"],
    ];
    for (const [sql, dialect] of portable) {
      for (const target of ALL) {
        const ds = lint(sql, dialect, target).filter((d) => /DATEDIFF|LISTAGG|ARRAY_AGG|set operator|MINUS|TOP|sample/.test(d.message) && !(target === "bigquery" && /^(DATEDIFF|LISTAGG) is not portable/.test(d.message)));
        assert.deepEqual(
          ds.map((d) => d.message),
          [],
          `${sql} (${dialect}) on ${target}`,
        );
      }
    }
  });

  it("takes TABLESAMPLE as the label of every sample clause in [portability] allow and -- rocky-allow:", () => {
    assert.deepEqual(lint("SELECT id FROM t SAMPLE (10)", "snowflake", "databricks", ["tablesample"]), []);
    assert.deepEqual(lint("-- rocky-allow: TABLESAMPLE\nSELECT id FROM t TABLESAMPLE 10%", "duckdb", "snowflake"), []);
    assert.equal(lint("SELECT id FROM t SAMPLE (10)", "snowflake", "databricks").length, 1);
  });
});
