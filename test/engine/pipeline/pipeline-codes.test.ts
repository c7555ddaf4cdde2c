import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertHealthy, assertNoInternalErrors, compileFiles, describeAll, findings, projectFiles } from "./support/pipeline-project.js";

/**
 * The codes the per-code fixture format cannot carry (PENDING_FIXTURE_CODES in
 * test/engine/checks/diagnostic-fixtures.test.ts), with a case that fires and one that must not,
 * through `compileProject`: R001 (the stages harness drops parse errors), R004 (the graph's, which
 * needs the project's known sources) and R007 (a fixture file cannot be binary; the loader receives
 * `null` for one).
 */
interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string | null>>;
  /** `file:line:col` of each finding of the code, exactly. */
  readonly expect?: readonly string[];
  readonly message?: RegExp;
}

const DATABRICKS = '[adapter]\ntype = "databricks"\nhost = "example.cloud.databricks.com"\nhttp_path = "/sql/1.0/warehouses/abc"\ntoken = "t"\n';

const TABLE: Readonly<Record<string, { fail: readonly Case[]; pass: readonly Case[] }>> = {
  R001: {
    fail: [
      { name: "unclosed parenthesis", files: { "models/a.sql": "SELECT id\nFROM raw.orders\nWHERE (amount > 1" }, expect: ["models/a.sql:3:18"], message: /^syntax error: expected .*found end of input$/ },
      { name: "trailing select-list comma in Databricks (DuckDB allows it)", files: { "rocky.toml": DATABRICKS, "models/a.sql": "SELECT id,\n  status,\nFROM raw.orders" }, expect: ["models/a.sql:3:1"], message: /found keyword FROM/ },
      { name: "two statements in one model", files: { "models/a.sql": "SELECT id\nFROM raw.orders;\nSELECT 2" }, expect: ["models/a.sql:3:1"], message: /a model is one query/ },
      { name: "unterminated string literal, at its opening quote", files: { "models/a.sql": "SELECT 'paid\nFROM raw.orders" }, expect: ["models/a.sql:1:8"], message: /closing '/ },
    ],
    pass: [
      { name: "a valid query", files: { "models/a.sql": "SELECT id\nFROM raw.orders\nWHERE (amount > 1)" } },
      { name: "trailing select-list comma in DuckDB", files: { "models/a.sql": "SELECT id,\n  status,\nFROM raw.orders" } },
      { name: "a trailing semicolon", files: { "models/a.sql": "SELECT id\nFROM raw.orders;\n" } },
    ],
  },
  R004: {
    fail: [
      { name: "a single-part name no model and no known source answers to", files: { "models/a.sql": "SELECT p.id\nFROM payments_staged AS p" }, expect: ["models/a.sql:2:6"], message: /^unknown model `payments_staged`: no model or known source has that name$/ },
      { name: "a misspelt model name, with did-you-mean", files: { "models/stg_orders.sql": "SELECT id\nFROM raw.orders", "models/a.sql": "SELECT id\nFROM stg_ordres" }, expect: ["models/a.sql:2:6"], message: /did you mean `stg_orders`/ },
    ],
    pass: [
      { name: "a single-part name the seed creates", files: { "data/seed.sql": "CREATE TABLE customers (id INTEGER, email VARCHAR);", "models/a.sql": "SELECT id\nFROM customers" } },
      { name: "a qualified name nothing describes (an external table)", files: { "models/a.sql": "SELECT id\nFROM raw.orders" } },
      { name: "a model's name, in another case", files: { "models/stg_orders.sql": "SELECT id\nFROM raw.orders", "models/a.sql": "SELECT id\nFROM STG_ORDERS" } },
    ],
  },
  R007: {
    fail: [
      { name: "a model the reader could not decode", files: { "models/a.sql": null }, expect: ["models/a.sql:1:1"], message: /is not readable text/ },
      { name: "a sidecar and a contract the reader could not decode", files: { "models/a.sql": "SELECT id\nFROM raw.orders", "models/a.toml": null, "models/a.contract.toml": null }, expect: ["models/a.contract.toml:1:1", "models/a.toml:1:1"] },
      { name: "rocky.toml the reader could not decode", files: { "rocky.toml": null }, expect: ["rocky.toml:1:1"] },
    ],
    pass: [{ name: "UTF-8 text with accents and emoji", files: { "models/a.sql": "-- café ☕ 😀\nSELECT id AS \"naïve\"\nFROM raw.orders" } }],
  },
};

for (const [code, { fail, pass }] of Object.entries(TABLE)) {
  describe(`${code} through compileProject`, () => {
    for (const c of fail) {
      it(`fires: ${c.name}`, async () => {
        const files = projectFiles(c.files, { keepNull: true });
        const compiled = await compileFiles(files);
        assert.deepEqual(findings(compiled, code), [...(c.expect ?? [])].sort(), describeAll(compiled.diagnostics));
        for (const d of compiled.diagnostics.filter((x) => x.code === code)) {
          assert.equal(d.severity, "Error");
          if (c.message) assert.match(d.message, c.message);
        }
        assertNoInternalErrors(compiled, files);
        assertHealthy(compiled);
      });
    }
    for (const c of pass) {
      it(`does not fire: ${c.name}`, async () => {
        const compiled = await compileFiles(projectFiles(c.files, { keepNull: true }));
        assert.deepEqual(findings(compiled, code), [], describeAll(compiled.diagnostics));
        assertHealthy(compiled, "a");
      });
    }
  });
}
