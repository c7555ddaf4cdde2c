import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadProject } from "../../../engine/src/project/load-project.js";
import { MAX_PROJECT_FILE_BYTES, decodeProjectFile, firstInvalidUtf8, readErrorOf, readProjectDir } from "../../../engine/src/project/read-project-dir.js";
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

test("binary, non-UTF-8 and oversized files are read with why (R007 says which), and a BOM is dropped", () => {
  const root = join(scratch, "bin");
  mkdirSync(join(root, "models"), { recursive: true });
  writeFileSync(join(root, "models", "nul.sql"), Buffer.from([0x53, 0x00, 0x45]));
  writeFileSync(join(root, "models", "latin1.sql"), Buffer.from([0x53, 0xe9, 0x4c]));
  writeFileSync(join(root, "models", "bom.sql"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("SELECT 1 AS x")]));
  // After the BOM (dropped) and an accented line: the column counts characters, not bytes.
  writeFileSync(join(root, "models", "late.sql"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("SELECT 1 AS x\n-- café "), Buffer.from([0xe9, 0x0a])]));
  const files = readProjectDir(root);
  assert.deepEqual(files.get("models/nul.sql"), { unreadable: "binary", line: 1, col: 2 });
  assert.deepEqual(files.get("models/latin1.sql"), { unreadable: "not-utf8", line: 1, col: 2 });
  assert.deepEqual(files.get("models/late.sql"), { unreadable: "not-utf8", line: 2, col: 9 });
  assert.equal(files.get("models/bom.sql"), "SELECT 1 AS x");
  assert.deepEqual(decodeProjectFile(new Uint8Array(MAX_PROJECT_FILE_BYTES + 1).fill(0x20)), { unreadable: "too-large", bytes: MAX_PROJECT_FILE_BYTES + 1, limit: MAX_PROJECT_FILE_BYTES });
  const { diagnostics } = loadProject(files, { env: {}, vars: {} });
  assert.deepEqual(
    withCode(diagnostics, "R007").map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.col} ${d.message}`),
    [
      "models/late.sql:2:9 models/late.sql is not UTF-8 text (its first invalid byte is at line 2, column 9)",
      "models/latin1.sql:1:2 models/latin1.sql is not UTF-8 text (its first invalid byte is at line 1, column 2)",
      "models/nul.sql:1:2 models/nul.sql is binary, not text: it holds a NUL byte (the first at line 1, column 2)",
    ],
  );
});

test("a file over the limit on disk is read no further, and R007 gives its size", () => {
  const root = join(scratch, "huge");
  mkdirSync(join(root, "models"), { recursive: true });
  writeFileSync(join(root, "models", "huge.sql"), Buffer.alloc(MAX_PROJECT_FILE_BYTES + 4096, 0x20));
  assert.deepEqual(readProjectDir(root).get("models/huge.sql"), { unreadable: "too-large", bytes: MAX_PROJECT_FILE_BYTES + 4096, limit: MAX_PROJECT_FILE_BYTES });
});

test("UTF-8 is judged as RFC 3629 does: the first ill-formed sequence is found, overlong forms, surrogates and truncations included", () => {
  const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
  assert.equal(at(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80), 10, "é, € and 😀 are well formed");
  assert.equal(at(0x61, 0xc0, 0xaf), 1, "overlong /");
  assert.equal(at(0x61, 0x62, 0xe0, 0x80, 0xaf), 2, "overlong three-byte form");
  assert.equal(at(0xed, 0xa0, 0x80), 0, "a UTF-16 surrogate");
  assert.equal(at(0xf4, 0x90, 0x80, 0x80), 0, "past U+10FFFF");
  assert.equal(at(0x61, 0xe2, 0x82), 1, "cut short at the end");
  assert.equal(at(0x61, 0xe2, 0x28, 0xa1), 1, "a continuation byte missing");
  assert.equal(at(0x61, 0x80), 1, "a stray continuation byte");
});

test("a file that could not be read carries the OS's error code and message", () => {
  const root = join(scratch, "errors");
  mkdirSync(join(root, "models", "dir.sql"), { recursive: true });
  mkdirSync(join(root, "schemas"), { recursive: true });
  symlinkSync(join(root, "nowhere.json"), join(root, "schemas", "dangling.json"));
  const files = readProjectDir(root);
  assert.deepEqual(files.get("models/dir.sql"), { unreadable: "read-error", code: "EISDIR", message: "illegal operation on a directory" });
  assert.deepEqual(files.get("schemas/dangling.json"), { unreadable: "read-error", code: "ENOENT", message: "no such file or directory" });
  // What Node says of a file its user may not read (tests run as root, which chmod 000 does not stop).
  const denied = Object.assign(new Error("EACCES: permission denied, open '/p/models/a.sql'"), { code: "EACCES" });
  assert.deepEqual(readErrorOf(denied), { unreadable: "read-error", code: "EACCES", message: "permission denied" });
  if (process.getuid?.() !== 0) {
    writeFileSync(join(root, "models", "secret.sql"), "SELECT 1 AS x");
    chmodSync(join(root, "models", "secret.sql"), 0o000);
    assert.deepEqual(readProjectDir(root).get("models/secret.sql"), { unreadable: "read-error", code: "EACCES", message: "permission denied" });
  }
  const { diagnostics } = loadProject(files, { env: {}, vars: {} });
  assert.deepEqual(
    withCode(diagnostics, "R007").map((d) => `${d.span?.file}:${d.span?.line} ${d.message}`),
    ["models/dir.sql:1 models/dir.sql could not be read (EISDIR: illegal operation on a directory)", "schemas/dangling.json:1 schemas/dangling.json could not be read (ENOENT: no such file or directory)"],
  );
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
