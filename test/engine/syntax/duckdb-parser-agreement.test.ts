import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from "@duckdb/node-api";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { readCases } from "./fixture-cases.js";

/**
 * Our DuckDB dialect accepts what DuckDB's own parser accepts: every valid DuckDB parse fixture is
 * parsed by a real DuckDB (json_serialize_sql, which parses without binding, so no table has to
 * exist), and every invalid one is rejected by it too, except where a model's rules are stricter
 * than DuckDB's parser, listed below with the reason. A fixture DuckDB rejects would teach the
 * parser SQL that fails only when the model runs; one we reject that DuckDB takes is a false R001.
 */
const STRICTER_THAN_DUCKDB: Readonly<Record<string, string>> = {
  "second statement": "a model is one query",
  "empty input": "a model is one query",
  "only a comment": "a model is one query",
  "backtick identifier": "DuckDB parses `a` as a postfix operator that no function binds: it fails at bind time",
  "stray character": "DuckDB takes any non-ASCII character into an identifier (`a §` is `a AS §`); no model means that",
  "a star's name pattern must be a constant": "DuckDB's parser takes any expression there; its binder then rejects it",
};

let conn: DuckDBConnection;
let serialize: DuckDBPreparedStatement;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
  serialize = await conn.prepare("SELECT json_serialize_sql($1::VARCHAR)");
});
after(() => conn?.closeSync());

async function duckdbParses(sql: string): Promise<{ ok: boolean; message: string }> {
  serialize.bindVarchar(1, sql);
  const out = JSON.parse(String((await serialize.runAndReadAll()).getRows()[0][0])) as { error: boolean; error_message?: string };
  return { ok: out.error === false, message: out.error_message ?? "" };
}

describe("the DuckDB dialect agrees with DuckDB's own parser", () => {
  test("every valid DuckDB fixture parses in DuckDB and in ours", async () => {
    const cases = readCases("duckdb.sql");
    assert.ok(cases.length > 50, `${cases.length} cases`);
    for (const c of cases) {
      assert.equal(parseSql(c.sql, "duckdb").error, undefined, `ours: ${c.name}`);
      const duck = await duckdbParses(c.sql);
      assert.ok(duck.ok, `DuckDB rejects the valid fixture "${c.name}": ${duck.message}`);
    }
  });

  test("every invalid DuckDB fixture is rejected by DuckDB too, or is listed as a model rule", async () => {
    const listed = new Set<string>();
    for (const c of readCases("duckdb__invalid.sql")) {
      assert.notEqual(parseSql(c.sql, "duckdb").error, undefined, `ours: ${c.name}`);
      const duck = await duckdbParses(c.sql);
      if (duck.ok) {
        assert.ok(STRICTER_THAN_DUCKDB[c.name] !== undefined, `DuckDB parses the invalid fixture "${c.name}": it is valid DuckDB SQL`);
        listed.add(c.name);
      }
    }
    // Every exception is still needed: one DuckDB rejects now comes off the list.
    assert.deepEqual([...listed].sort(), Object.keys(STRICTER_THAN_DUCKDB).sort());
  });
});
