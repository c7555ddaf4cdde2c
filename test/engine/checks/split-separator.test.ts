import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { checkSplitSeparator, escapedForDatabricks, literalOfPattern } from "../../../engine/src/checks/rules/split-separator.js";
import { runTextChecks } from "../../../engine/src/checks/run-checks.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";

/**
 * Databricks' split(str, regex) reads its separator as a Java regular expression; Snowflake's and
 * BigQuery's SPLIT and DuckDB's split take it as text. A literal separator with a regex
 * metacharacter splits at other places, without an error: P001 both ways, with advice (no one
 * spelling means the same on both sides, so no rewrite).
 */
function findings(sql: string, dialect: DialectId, target: DialectId | undefined, allow: readonly string[] = []): Diagnostic[] {
  const r = parseSql(sql, dialect);
  assert.equal(r.error, undefined, sql);
  return checkSplitSeparator({ model: "m", file: "models/m.sql", dialect, query: r.query, comments: r.comments, sql }, { target, allow });
}

describe("P001: SPLIT's separator, text or regular expression", () => {
  it("flags a Snowflake SPLIT at '.' for Databricks, on the separator, with the escaped separator", () => {
    const sql = "SELECT\n    SPLIT(path, '.') AS parts\nFROM raw.files";
    const [d, ...rest] = findings(sql, "snowflake", "databricks");
    assert.equal(rest.length, 0);
    assert.equal(d.code, "P001");
    assert.deepEqual([d.span?.line, d.span?.col, d.span?.endCol], [2, 17, 20]);
    assert.equal(d.message, "SPLIT splits at other places on Databricks: its separator is a regular expression there, where '.' matches any character; Snowflake splits at the text itself");
    assert.equal(d.suggestion, "escape the separator to split at its text on Databricks, as Snowflake does: SPLIT(path, '[.]')");
    assert.equal(d.replacement, undefined);
  });

  it("flags '|' and a backslash from DuckDB and BigQuery too; escapes what a character class cannot hold with a doubled backslash", () => {
    assert.match(findings("SELECT split(x, '|') AS p FROM t", "duckdb", "databricks")[0].suggestion ?? "", /split\(x, '\[\|\]'\)$/);
    assert.match(findings("SELECT SPLIT(x, '||') AS p FROM t", "bigquery", "databricks")[0].message, /where '\|\|' holds regex metacharacters; BigQuery splits/);
    assert.equal(escapedForDatabricks("\\"), "'\\\\\\\\'");
    assert.equal(escapedForDatabricks("a^b"), "'a\\\\^b'");
    assert.equal(escapedForDatabricks("$."), "'[$][.]'");
  });

  it("flags a Databricks pattern elsewhere: the text it spells where it spells one, else the target's way to split at a pattern", () => {
    const [plain] = findings("SELECT split(path, '\\\\.') AS p FROM t", "databricks", "snowflake");
    assert.equal(plain.message, "SPLIT splits at other places on Snowflake: its separator is the text itself there, where Databricks reads '\\\\.' as a regular expression");
    assert.equal(plain.suggestion, "write the separator's text, which Snowflake's SPLIT takes as it is: split(path, '.')");
    assert.match(findings("SELECT split(x, '[|]') AS p FROM t", "databricks", "duckdb")[0].suggestion ?? "", /split\(x, '\|'\)$/);
    assert.match(findings("SELECT split(x, '[,;]\\\\s*') AS p FROM t", "databricks", "duckdb")[0].suggestion ?? "", /regexp_split_to_array\(x, '\[,;\]\\s\*'\)$/);
    assert.match(findings("SELECT split(x, '[,;]') AS p FROM t", "databricks", "snowflake")[0].suggestion ?? "", /SPLIT\(REGEXP_REPLACE\(x, '\[,;\]', '\\u001f'\), '\\u001f'\)$/);
    assert.match(findings("SELECT split(x, '[,;]') AS p FROM t", "databricks", "bigquery")[0].suggestion ?? "", /REGEXP_REPLACE\(x, r'\[,;\]'/);
    assert.equal(literalOfPattern("\\.\\|[.]"), ".|.");
    assert.equal(literalOfPattern("\\s+"), undefined);
    assert.equal(literalOfPattern("[^,]"), undefined);
  });

  it("says nothing for a plain separator, a separator not written as a literal, between two warehouses that take text, or with no target", () => {
    assert.deepEqual(findings("SELECT SPLIT(x, ',') AS p, SPLIT(x, ' - ') AS q FROM t", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT split(x, ', ') AS p FROM t", "databricks", "snowflake"), []);
    assert.deepEqual(findings("SELECT SPLIT(x, sep) AS p FROM t", "snowflake", "databricks"), []);
    assert.deepEqual(findings("SELECT SPLIT(x, '.') AS p FROM t", "snowflake", "duckdb"), []);
    assert.deepEqual(findings("SELECT SPLIT(x, '.') AS p FROM t", "bigquery", "snowflake"), []);
    assert.deepEqual(findings("SELECT split(x, '[.]') AS p FROM t", "databricks", "databricks"), []);
    assert.deepEqual(findings("SELECT SPLIT(x, '.') AS p FROM t", "snowflake", undefined), []);
    // SPLIT_PART takes text everywhere.
    assert.deepEqual(findings("SELECT SPLIT_PART(x, '.', 1) AS p FROM t", "snowflake", "databricks"), []);
  });

  it("is silenced by [portability] allow and by a rocky-allow pragma, and runs with the text checks", () => {
    const sql = "SELECT SPLIT(path, '.') AS p FROM t";
    assert.deepEqual(findings(sql, "snowflake", "databricks", ["split"]), []);
    assert.deepEqual(findings(`-- rocky-allow: SPLIT\n${sql}`, "snowflake", "databricks"), []);
    const r = parseSql(sql, "snowflake");
    const text = runTextChecks({ model: { name: "m", file: "models/m.sql", sql, dialect: "snowflake" }, query: r.query, comments: r.comments, target: "dbx" });
    assert.deepEqual(text.map((d) => d.message.slice(0, 44)), ["SPLIT splits at other places on Databricks: "]);
  });
});

describe("SPLIT's separators, in DuckDB itself", () => {
  let conn: DuckDBConnection;
  before(async () => {
    conn = await (await DuckDBInstance.create(":memory:")).connect();
  });
  after(() => conn?.closeSync());
  const list = async (sql: string) => JSON.stringify((await conn.runAndReadAll(`SELECT ${sql}`)).getRowsJson()[0][0]);

  it("split and string_split take the separator as text", async () => {
    assert.equal(await list("split('a.b.c', '.')"), '["a","b","c"]');
    assert.equal(await list("string_split('a|b', '|')"), '["a","b"]');
    assert.equal(await list("split('a[.]b', '[.]')"), '["a","b"]');
  });

  it("regexp_split_to_array, the suggestion for a Databricks pattern, reads it as one; a one-character class is the character", async () => {
    assert.equal(await list("regexp_split_to_array('a, b;c', '[,;]\\s*')"), '["a","b","c"]');
    assert.equal(await list("regexp_split_to_array('a.b', '[.]')"), '["a","b"]');
    assert.equal(await list("regexp_split_to_array('ab', '.')"), '["","",""]');
  });
});
