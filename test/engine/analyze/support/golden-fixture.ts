/**
 * Reads the golden type-and-lineage fixtures (test/fixtures/sql/types/<dialect>.sql).
 *
 * Format: `-- schema: name: col TYPE [NOT NULL], ...` lines declare upstream schemas (in the
 * dialect's own type syntax; 1-part names are models, 2-3 part names external sources).
 * `-- case: title` starts a case; the SQL follows; then one `-- expect: col: Type [NOT NULL] <- src.col (transform), ...`
 * line per output column, in order, and optionally `-- diags: CODE CODE` (the exact multiset of
 * diagnostic codes; none when absent) and `-- row: filters=a.x,b.y joins=... groups=...`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SchemaSpec } from "./analyze-sql.js";

export interface Case {
  readonly title: string;
  readonly sql: string;
  readonly expect: string[];
  readonly diags: string[];
  readonly row?: string;
}

export const goldenFixtureDir = join(import.meta.dirname, "../../../fixtures/sql/types");

/** One fixture file of `goldenFixtureDir`: its schemas and its cases, the SQL without the expectation comments. */
export function readGoldenFixture(file: string): { schema: SchemaSpec; cases: Case[] } {
  const text = readFileSync(join(goldenFixtureDir, file), "utf8");
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
