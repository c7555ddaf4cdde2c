import assert from "node:assert/strict";
import { it } from "node:test";
import type { Diagnostic } from "../../../../engine/src/diagnostics/diagnostic.js";
import type { Contract, ModelConfig, TomlLocation } from "../../../../engine/src/project/types.js";
import type { DialectId, Span } from "../../../../engine/src/syntax/ast.js";
import type { SqlType } from "../../../../engine/src/types/sql-type.js";
import { analyzeSql, type SchemaSpec } from "../../analyze/support/analyze-sql.js";

/** A ModelConfig with defaults, for rule tests that build their inputs by hand. */
export function modelConfig(name: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return {
    name,
    target: { catalog: "wh", schema: "main", table: name },
    strategy: { type: "full_refresh" },
    classification: {},
    tags: {},
    locations: {},
    ...extra,
  };
}

export const at = (file: string, line: number, col = 1): TomlLocation => ({ file, line, col });

/** A span for `text` at its first occurrence in `sql` (the parser's coordinates). */
export function spanIn(sql: string, text: string, nth = 0): Span {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = sql.indexOf(text, start + 1);
  if (start < 0) throw new Error(`'${text}' not in sql`);
  const before = sql.slice(0, start);
  const line = before.split("\n").length;
  const col = start - before.lastIndexOf("\n");
  return { start, end: start + text.length, line, col };
}

export const T = {
  int64: { kind: "Int64" } as SqlType,
  int32: { kind: "Int32" } as SqlType,
  string: { kind: "String" } as SqlType,
  date: { kind: "Date" } as SqlType,
  ts: { kind: "Timestamp" } as SqlType,
  unknown: { kind: "Unknown" } as SqlType,
  dec: (precision?: number, scale?: number): SqlType => (precision === undefined ? { kind: "Decimal" } : { kind: "Decimal", precision, scale }),
};

export function contract(extra: Partial<Contract> = {}): Contract {
  return { model: "m", file: "models/m.contract.toml", source: "auto", columns: [], required: [], protected: [], ...extra };
}

/** The SQL with a one-line finding's replacement applied (asserts there is one). */
export function applyReplacement(sql: string, d: Diagnostic): string {
  const r = d.replacement;
  assert.ok(r !== undefined, "a rewrite is offered");
  assert.equal(r.span.line, r.span.endLine);
  const lines = sql.split("\n");
  const line = lines[r.span.line - 1];
  lines[r.span.line - 1] = line.slice(0, r.span.col - 1) + r.text + line.slice((r.span.endCol as number) - 1);
  return lines.join("\n");
}

/**
 * One test per case: applying every P001 rewrite `findings` offers (last first) changes the SQL,
 * leaves every output column's fingerprint as it was (no logic change), and leaves nothing to flag.
 */
export function rewritesKeepLogic(cases: readonly { sql: string; dialect: DialectId; target: DialectId }[], schema: SchemaSpec, findings: (sql: string, dialect: DialectId, target: DialectId) => Diagnostic[]): void {
  for (const c of cases) {
    it(`${c.dialect} → ${c.target}: same fingerprints, and nothing left to flag`, () => {
      let sql = c.sql;
      const before = analyzeSql(sql, schema, c.dialect).columns.map((col) => col.fingerprint);
      for (const d of findings(sql, c.dialect, c.target).reverse()) sql = applyReplacement(sql, d);
      assert.notEqual(sql, c.sql);
      assert.deepEqual(analyzeSql(sql, schema, c.dialect).columns.map((col) => col.fingerprint), before, sql);
      assert.deepEqual(findings(sql, c.dialect, c.target), [], sql);
    });
  }
}
