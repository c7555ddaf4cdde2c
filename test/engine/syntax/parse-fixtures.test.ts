import assert from "node:assert/strict";
import { test } from "node:test";
import { dialectIds } from "../../../engine/src/dialects/get-dialect.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { printQuery } from "../../../engine/src/syntax/print-sql.js";
import { readCases, stripTree } from "./fixture-cases.js";

for (const dialect of dialectIds) {
  test(`${dialect}: every valid fixture parses`, () => {
    const cases = readCases(`${dialect}.sql`);
    assert.ok(cases.length >= 10, `expected many ${dialect} cases, found ${cases.length}`);
    for (const c of cases) {
      const r = parseSql(c.sql, dialect);
      assert.equal(r.error, undefined, `${dialect}.sql:${c.fileLine} "${c.name}": ${r.error?.message} at ${r.error?.span.line}:${r.error?.span.col}`);
      assert.ok(r.query);
    }
  });

  test(`${dialect}: every invalid fixture fails with its message at its line:col`, () => {
    const cases = readCases(`${dialect}__invalid.sql`);
    assert.ok(cases.length >= 5);
    for (const c of cases) {
      assert.ok(c.error, `${c.name} lacks an "-- error:" line`);
      const r = parseSql(c.sql, dialect);
      assert.ok(r.error, `${dialect}__invalid.sql "${c.name}" parsed but should fail`);
      const got = `${r.error.span.line}:${r.error.span.col} ${r.error.message}`;
      assert.equal(got, `${c.error.line}:${c.error.col} ${c.error.message}`, `${dialect}__invalid.sql "${c.name}"`);
    }
  });

  test(`${dialect}: print → parse → print is stable and re-parses to the same tree`, () => {
    for (const c of readCases(`${dialect}.sql`)) {
      const first = parseSql(c.sql, dialect);
      assert.ok(first.query, c.name);
      const printed = printQuery(first.query, { dialect });
      const again = parseSql(printed, dialect);
      assert.equal(again.error, undefined, `"${c.name}" printed as ${printed}\n  → ${again.error?.message} at col ${again.error?.span.col}`);
      assert.ok(again.query);
      assert.equal(printQuery(again.query, { dialect }), printed, c.name);
      assert.deepEqual(stripTree(again.query), stripTree(first.query), `"${c.name}" tree changed through ${printed}`);
      // The dialect-neutral print is deterministic too.
      assert.equal(printQuery(first.query), printQuery(again.query), c.name);
    }
  });
}
