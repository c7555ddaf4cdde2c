/**
 * Golden type-and-lineage fixtures per dialect: test/fixtures/sql/types/<dialect>.sql.
 *
 * Format: `-- schema: name: col TYPE [NOT NULL], ...` lines declare upstream schemas (in the
 * dialect's own type syntax; 1-part names are models, 2-3 part names external sources).
 * `-- case: title` starts a case; the SQL follows; then one `-- expect: col: Type [NOT NULL] <- src.col (transform), ...`
 * line per output column, in order, and optionally `-- diags: CODE CODE` (the exact multiset of
 * diagnostic codes; none when absent) and `-- row: filters=a.x,b.y joins=... groups=...`.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { DialectId } from "../../../engine/src/syntax/ast.js";
import { analyzeSql, describeColumns, type SchemaSpec } from "./support/analyze-sql.js";

interface Case {
  readonly title: string;
  readonly sql: string;
  readonly expect: string[];
  readonly diags: string[];
  readonly row?: string;
}

const dir = join(import.meta.dirname, "../../fixtures/sql/types");

function parseFixture(text: string): { schema: SchemaSpec; cases: Case[] } {
  const schema: SchemaSpec = {};
  const cases: Case[] = [];
  let cur: { title: string; sql: string[]; expect: string[]; diags: string[]; row?: string } | undefined;
  const flush = (): void => {
    if (cur) cases.push({ title: cur.title, sql: cur.sql.join("\n").trim(), expect: cur.expect, diags: cur.diags, row: cur.row });
  };
  for (const line of text.split("\n")) {
    const schemaLine = /^-- schema: ([^:]+): (.*)$/.exec(line);
    if (schemaLine) {
      schema[schemaLine[1].trim()] = schemaLine[2];
      continue;
    }
    const caseLine = /^-- case: (.*)$/.exec(line);
    if (caseLine) {
      flush();
      cur = { title: caseLine[1].trim(), sql: [], expect: [], diags: [] };
      continue;
    }
    if (!cur) continue;
    const exp = /^-- expect: (.*)$/.exec(line);
    if (exp) {
      cur.expect.push(exp[1].trim());
      continue;
    }
    const diags = /^-- diags: (.*)$/.exec(line);
    if (diags) {
      cur.diags.push(...diags[1].trim().split(/\s+/));
      continue;
    }
    const row = /^-- row: (.*)$/.exec(line);
    if (row) {
      cur.row = row[1].trim();
      continue;
    }
    if (line.startsWith("--")) continue;
    cur.sql.push(line);
  }
  flush();
  return { schema, cases };
}

const files = readdirSync(dir).filter((f) => f.endsWith(".sql"));

test("a golden fixture file exists for every dialect", () => {
  assert.deepEqual(files.map((f) => f.replace(/\.sql$/, "")).sort(), ["bigquery", "databricks", "duckdb", "snowflake"]);
});

for (const file of files) {
  const dialect = file.replace(/\.sql$/, "") as DialectId;
  const { schema, cases } = parseFixture(readFileSync(join(dir, file), "utf8"));
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
