/**
 * Golden type-and-lineage fixtures per dialect: test/fixtures/sql/types/<dialect>.sql, in the
 * format support/golden-fixture.ts reads.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { analyzeSql, describeColumns } from "./support/analyze-sql.js";
import { goldenFixtureDir, readGoldenFixture } from "./support/golden-fixture.js";

const files = readdirSync(goldenFixtureDir).filter((f) => f.endsWith(".sql"));

test("a golden fixture file exists for every dialect", () => {
  assert.deepEqual(files.map((f) => f.replace(/\.sql$/, "")).sort(), ["bigquery", "databricks", "duckdb", "snowflake"]);
});

for (const file of files) {
  const dialect = file.replace(/\.sql$/, "") as DialectId;
  const { schema, cases } = readGoldenFixture(file);
  describe(`golden types and lineage: ${dialect}`, () => {
    for (const c of cases) {
      test(c.title, () => {
        const a = analyzeSql(c.sql.replace(/;\s*$/, ""), schema, dialect);
        assert.deepEqual(describeColumns(a), c.expect);
        assert.deepEqual(a.diagnostics.map((d) => d.code).sort(), [...c.diags].sort(), JSON.stringify(a.diagnostics.map((d) => `${d.code} ${d.message}`)));
        if (c.row) {
          const fmt = (refs: readonly { model: string; column: string }[]): string => refs.map((r) => `${r.model}.${r.column}`).join(",");
          assert.equal(`filters=${fmt(a.rowLevel.filters)} joins=${fmt(a.rowLevel.joins)} groups=${fmt(a.rowLevel.groups)}`, c.row);
        }
      });
    }
  });
}
