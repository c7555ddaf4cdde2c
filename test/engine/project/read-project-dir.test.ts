import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadProject } from "../../../engine/src/project/load-project.js";
import { MAX_PROJECT_FILE_BYTES, decodeProjectFile, readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { validateProject } from "../../../engine/src/project/validate-project.js";
import { withCode } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/projects/loader/basic", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "rocky-loader-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("reads Rocky's layout: flat models, groups, contracts, seed, schemas, and the SQL files under models/ that are no model; not other files", () => {
  const files = readProjectDir(FIXTURE);
  assert.deepEqual([...files.keys()].sort(), [
    "contracts/dim_gone.contract.toml",
    "contracts/stg_customers.contract.toml",
    "data/seed.sql",
    "models/_defaults.toml",
    "models/eu_orders.sql",
    "models/eu_orders.toml",
    "models/fct_orders.contract.toml",
    "models/fct_orders.sql",
    "models/fct_orders.toml",
    "models/groups/regional.toml",
    "models/legacy_daily.sql",
    "models/nested/ignored.sql",
    "models/stg_customers.sql",
    "models/stg_customers.toml",
    "models/stg_orders.sql",
    "models/stg_orders.toml",
    "rocky.toml",
    "schemas/raw.json",
  ]);
});

test("the fixture project loads with every feature, the orphan contract's W011 and the nested SQL file's warning", () => {
  const { value, diagnostics } = loadProject(readProjectDir(FIXTURE), { env: {}, vars: {} });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.span?.file]), [
    ["R002", "Warning", "models/nested/ignored.sql"],
    ["W011", "Warning", "contracts/dim_gone.contract.toml"],
  ]);
  assert.deepEqual(
    value.models.map((m) => [m.name, m.config.target.schema, m.config.strategy.type, m.dialect, m.contract?.source]),
    [
      ["eu_orders", "region_eu", "view", "duckdb", undefined],
      ["fct_orders", "marts", "merge", "duckdb", "auto"],
      ["legacy_daily", "legacy", "full_refresh", "duckdb", undefined],
      ["stg_customers", "analytics", "full_refresh", "duckdb", "explicit"],
      ["stg_orders", "analytics", "incremental", "duckdb", undefined],
    ],
  );
  assert.equal(value.config.portability.target_dialect, "snowflake");
  assert.deepEqual(value.config.mask.defaults, { pii: "hash", confidential: "redact" });
  assert.equal(value.config.adapters[0].settings.path, "warehouse.duckdb");
  assert.match(value.models.find((m) => m.name === "stg_orders")?.sql ?? "", /ordered_at >= '2024-01-01'/);
  assert.deepEqual([...value.sourceSchemas.keys()], ["raw.orders", "raw.customers"]);
  assert.match(value.seedSql ?? "", /CREATE TABLE raw.orders/);
  assert.deepEqual(value.orphanContracts.map((c) => c.model), ["dim_gone"]);
  const validate = validateProject(readProjectDir(FIXTURE), { env: {}, vars: {} });
  assert.equal(validate.valid, true, JSON.stringify(validate.messages, null, 1));
  assert.deepEqual(validate.models, { found: true, count: 5, dag_valid: true });
  assert.deepEqual(validate.messages.filter((m) => m.code === "L008").map((m) => m.file), ["models/fct_orders.contract.toml"]);
});

test("binary, non-UTF-8 and oversized files map to null (R007), and a BOM is dropped", () => {
  const root = join(scratch, "bin");
  mkdirSync(join(root, "models"), { recursive: true });
  writeFileSync(join(root, "models", "nul.sql"), Buffer.from([0x53, 0x00, 0x45]));
  writeFileSync(join(root, "models", "latin1.sql"), Buffer.from([0x53, 0xe9, 0x4c]));
  writeFileSync(join(root, "models", "bom.sql"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("SELECT 1 AS x")]));
  const files = readProjectDir(root);
  assert.equal(files.get("models/nul.sql"), null);
  assert.equal(files.get("models/latin1.sql"), null);
  assert.equal(files.get("models/bom.sql"), "SELECT 1 AS x");
  assert.equal(decodeProjectFile(new Uint8Array(MAX_PROJECT_FILE_BYTES + 1).fill(0x20)), null);
  const { diagnostics } = loadProject(files, { env: {}, vars: {} });
  assert.deepEqual(withCode(diagnostics, "R007").map((d) => d.span?.file), ["models/latin1.sql", "models/nul.sql"]);
});

test("--models and --contracts dirs are read as given; a missing root yields an empty map", () => {
  const root = join(scratch, "dirs");
  mkdirSync(join(root, "sql"), { recursive: true });
  mkdirSync(join(root, "specs"), { recursive: true });
  writeFileSync(join(root, "sql", "a.sql"), "SELECT 1 AS x");
  writeFileSync(join(root, "specs", "a.contract.toml"), '[[columns]]\nname = "x"\n');
  const files = readProjectDir(root, { modelsDir: "sql", contractsDir: "specs" });
  assert.deepEqual([...files.keys()].sort(), ["specs/a.contract.toml", "sql/a.sql"]);
  const { value } = loadProject(files, { env: {}, vars: {}, modelsDir: "sql", contractsDir: "specs" });
  assert.equal(value.models[0].contract?.source, "explicit");
  assert.equal(readProjectDir(join(scratch, "nope")).size, 0);
});

test("SQL files the flat layout does not load are read and named: nested (a few levels, no hidden dirs) and `.SQL`", () => {
  const dir = join(scratch, "stray");
  mkdirSync(join(dir, "models/staging/deep/er"), { recursive: true });
  mkdirSync(join(dir, "models/.cache"), { recursive: true });
  mkdirSync(join(dir, "models/node_modules/pkg"), { recursive: true });
  writeFileSync(join(dir, "rocky.toml"), '[adapter]\ntype = "duckdb"\n');
  writeFileSync(join(dir, "models/stg_orders.sql"), "SELECT 1 AS id");
  writeFileSync(join(dir, "models/Stg_Upper.SQL"), "SELECT 1 AS id");
  writeFileSync(join(dir, "models/staging/stg_payments.sql"), "SELECT 1 AS id");
  writeFileSync(join(dir, "models/staging/stg_payments.toml"), 'name = "x"');
  writeFileSync(join(dir, "models/staging/deep/er/x.sql"), "SELECT 1 AS id");
  writeFileSync(join(dir, "models/.cache/c.sql"), "SELECT 1 AS id");
  writeFileSync(join(dir, "models/node_modules/pkg/p.sql"), "SELECT 1 AS id");
  const files = readProjectDir(dir);
  assert.deepEqual([...files.keys()].sort(), ["models/Stg_Upper.SQL", "models/staging/deep/er/x.sql", "models/staging/stg_payments.sql", "models/stg_orders.sql", "rocky.toml"]);
  const { value, diagnostics } = loadProject(files, { env: {}, vars: {} });
  assert.deepEqual(value.models.map((m) => m.name), ["stg_orders"]);
  const strays = diagnostics.filter((d) => d.severity === "Warning");
  assert.deepEqual(
    strays.map((d) => [d.code, d.severity, d.span?.file, d.suggestion]),
    [
      ["R002", "Warning", "models/Stg_Upper.SQL", "rename it to models/Stg_Upper.sql"],
      ["R002", "Warning", "models/staging/deep/er/x.sql", "move it to models/x.sql (with its .toml sidecar)"],
      ["R002", "Warning", "models/staging/stg_payments.sql", "move it to models/stg_payments.sql (with its .toml sidecar)"],
    ],
  );
  assert.match(strays[2].message, /is not a model: models are read from models\/ only, not its sub-directories/);
});
