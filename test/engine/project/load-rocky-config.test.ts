import assert from "node:assert/strict";
import { test } from "node:test";
import { type Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { loadRockyConfig } from "../../../engine/src/project/load-rocky-config.js";
import { byKey, where } from "./helpers.js";

const BAD = `[adapter.prod]
type = "databriks"
host = "\${DBX_HOST}"
tokn = "x"

[adapter.local]
type = "duckdb"

[pipeline.main]
type = "transformaton"

[pipeline.t]
type = "transformation"
models = "models/**"
[pipeline.t.target]
adapter = "local"

[portability]
target_dialect = "dbx"

[mask]
pii = "hsh"
[mask.prod]
PII = "none"

[budget]
max_usd = -5
on_breach = "eror"

[cost]
warehouse_size = "Large"
min_history_runs = 2.5
`;

function run(text: string, env: Record<string, string> = {}) {
  const diagnostics: Diagnostic[] = [];
  const loaded = loadRockyConfig(text, env, diagnostics);
  return { ...loaded, diagnostics };
}

test("every bad key or value in a multi-table rocky.toml is R002 at its own line, with did-you-mean", () => {
  const { diagnostics, config } = run(BAD);
  assert.ok(diagnostics.every((d) => d.code === "R002" && d.severity === "Error"));
  const typo = byKey(diagnostics, "adapter.prod.type");
  assert.equal(where(typo), "rocky.toml:2:8");
  assert.match(typo.message, /did you mean "databricks"/);
  // An adapter setting from an unset variable is no compile error (only connecting needs it): the
  // adapter keeps it for createAdapter, at the placeholder, inside the string's quotes.
  assert.equal(diagnostics.some((d) => d.key === "adapter.prod.host"), false);
  const env = config.adapters.find((a) => a.name === "prod")?.unsetEnv?.[0];
  assert.ok(env);
  assert.equal(where(env), "rocky.toml:3:9");
  assert.match(env.message, /`DBX_HOST` is not set/);
  const unknown = byKey(diagnostics, "adapter.prod.tokn");
  assert.equal(where(unknown), "rocky.toml:4:1");
  assert.match(unknown.message, /unknown key `tokn`.*did you mean `token`/);
  const pipeline = byKey(diagnostics, "pipeline.main.type");
  assert.equal(pipeline.span?.line, 10);
  assert.match(pipeline.message, /did you mean "transformation"/);
  const dialect = byKey(diagnostics, "portability.target_dialect");
  assert.equal(dialect.span?.line, 19);
  assert.equal(dialect.message, '`portability.target_dialect` = "dbx" is not an allowed value');
  assert.match(dialect.suggestion ?? "", /^use one of .*"databricks", "snowflake", "bigquery", "duckdb"/, "the allowed values once, in the help");
  assert.equal(byKey(diagnostics, "mask.pii").span?.line, 22);
  assert.match(byKey(diagnostics, "mask.pii").message, /did you mean "hash"/);
  assert.match(byKey(diagnostics, "budget.max_usd").message, /at least 0, found -5/);
  assert.equal(byKey(diagnostics, "budget.max_usd").span?.line, 27);
  assert.equal(byKey(diagnostics, "budget.on_breach").span?.line, 28);
  assert.match(byKey(diagnostics, "cost.min_history_runs").message, /must be an integer, found a float/);
  assert.equal(diagnostics.length, 8, JSON.stringify(diagnostics, null, 1));
});

test("bad values fall back to defaults; good blocks are normalized", () => {
  const { config } = run(BAD);
  assert.deepEqual(
    config.adapters.map((a) => [a.name, a.type]),
    [
      ["prod", "duckdb"],
      ["local", "duckdb"],
    ],
  );
  assert.deepEqual(config.mask, { defaults: {}, envs: { prod: { pii: "none" } } });
  assert.equal(config.portability.target_dialect, undefined);
  assert.deepEqual(config.budget, { on_breach: "warn" });
  assert.deepEqual(config.cost, { storage_cost_per_gb_month: 0.023, compute_cost_per_dbu: 0.4, warehouse_size: "Large", min_history_runs: 5 });
  const t = config.pipelines.find((p) => p.name === "t");
  assert.equal(t?.type, "transformation");
  assert.equal(t?.targetAdapter, "local");
  assert.equal(config.pipelines.find((p) => p.name === "main")?.type, "replication");
});

test("unnamed [adapter] becomes adapter.default; Rocky's [cost] defaults apply", () => {
  const { config, diagnostics } = run('[adapter]\ntype = "snowflake"\naccount = "${ACCT:-xy12345}"\nwarehouse = "${WH}"\n', { WH: "COMPUTE_WH" });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(config.adapters, [{ name: "default", type: "snowflake", settings: { account: "xy12345", warehouse: "COMPUTE_WH" }, location: { file: "rocky.toml", line: 1, col: 1 } }]);
  assert.deepEqual(config.cost, { storage_cost_per_gb_month: 0.023, compute_cost_per_dbu: 0.4, warehouse_size: "Medium", min_history_runs: 5 });
  assert.deepEqual(config.portability, { allow: [] });
});

test("${VAR:-default} uses the default when the variable is unset or empty; ${VAR} uses env only", () => {
  const text = '[adapter]\ntype = "duckdb"\npath = "${DB:-local.duckdb}"\n[portability]\ntarget_dialect = "${DIALECT}"\n';
  assert.equal(run(text, { DIALECT: "bigquery" }).config.adapters[0].settings.path, "local.duckdb");
  assert.equal(run(text, { DIALECT: "bigquery", DB: "" }).config.adapters[0].settings.path, "local.duckdb");
  assert.equal(run(text, { DIALECT: "bigquery", DB: "x.db" }).config.adapters[0].settings.path, "x.db");
  assert.equal(run(text, { DIALECT: "bigquery" }).config.portability.target_dialect, "bigquery");
  const missing = run(text);
  const d = byKey(missing.diagnostics, "portability.target_dialect");
  assert.equal(d.span?.line, 5);
  assert.match(d.message, /environment variable `DIALECT` is not set/);
});

test("[mask] tags are lower-cased, [mask.<env>] becomes an env override, [classifications] is read", () => {
  const { config, diagnostics } = run('[mask]\nPII = "hash"\nconfidential = "redact"\n[mask.prod]\npii = "none"\n[mask.dev]\nPii = "partial"\n[classifications]\nallow_unmasked = ["internal"]\n');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(config.mask, { defaults: { pii: "hash", confidential: "redact" }, envs: { prod: { pii: "none" }, dev: { pii: "partial" } } });
  assert.deepEqual(config.classifications, { allow_unmasked: ["internal"] });
});

test("a syntax error is one R002 at the parser's line and column; its section takes the defaults, the others stand", () => {
  const { diagnostics, config, broken } = run('[adapter]\ntype = "duckdb"\n[portability\ntarget_dialect = "snowflake"\n[freshness]\nexpected_lag_seconds = 60\n');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].code, "R002");
  assert.equal(diagnostics[0].span?.line, 3);
  assert.equal(broken, true);
  assert.deepEqual(config.adapters, [{ name: "default", type: "duckdb", settings: {}, location: { file: "rocky.toml", line: 1, col: 1 } }]);
  assert.equal(config.portability.target_dialect, undefined);
  assert.equal(config.freshness?.expected_lag_seconds, 60);
  // A broken first section: the ones after it stand too; an error before any header costs its line alone.
  assert.deepEqual(run('[adapter\ntype = "duckdb"\n[freshness]\nexpected_lag_seconds = 60\n').config.freshness, { expected_lag_seconds: 60 });
  const root = run('x = = 1\n[freshness]\nexpected_lag_seconds = 60\n');
  assert.deepEqual(root.diagnostics.map((d) => [d.code, d.span?.line]), [["R002", 1]]);
  assert.equal(root.config.freshness?.expected_lag_seconds, 60);
  // What still stands is still checked: an unset variable in it is its own R002.
  const unset = run('[adapter\ntype = "duckdb"\n[portability]\ntarget_dialect = "${DIALECT}"\n');
  assert.deepEqual(unset.diagnostics.map((d) => [d.code, d.span?.line]), [["R002", 1], ["R002", 4]]);
  assert.match(unset.diagnostics[1].message, /DIALECT/);
});

test("each syntax error's R002 names the section it cost as its key; a later error is reported too, not cut silently", () => {
  // The second error (in [mask.prod]) used to cost its section with no word: masking then fell back to [mask].
  const { diagnostics, config } = run('[adapter]\ntype = "duckdb"\n[budget\nmax_usd = 1\n[mask]\npii = "hash"\n[mask.prod]\npii = "redact\n[freshness]\nexpected_lag_seconds = 5\n');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.span?.line, d.key]), [["R002", 3, "budget"], ["R002", 8, "mask.prod"]]);
  assert.match(diagnostics[1].message, /^invalid TOML: unterminated string/);
  assert.deepEqual(config.mask, { defaults: { pii: "hash" }, envs: {} });
  assert.equal(config.freshness?.expected_lag_seconds, 5);
  // A key set twice costs its table; before the first header, the line's key (quoted parts unquoted).
  assert.equal(run('[mask]\npii = "hash"\npii = "none"\n').diagnostics[0].key, "mask");
  assert.equal(run('mask."pii" = "hash\n[freshness]\nexpected_lag_seconds = 5\n').diagnostics[0].key, "mask.pii");
  // Nothing salvaged: no key, the whole file is lost.
  const lost = run("[adapter]\ntype = 'duckdb'\n= 1\n[[x\n");
  assert.ok(lost.diagnostics.length >= 1 && lost.diagnostics.every((d) => d.code === "R002"));
});

test("exempt blocks ([hook.*], [adapter.X.extra], [state]) accept any keys; unknown top-level keys do not", () => {
  const { diagnostics } = run('[adapter.x]\ntype = "trino"\n[adapter.x.extra]\nanything = 1\n[hook.on_run_start]\ncommand = "echo"\n[state]\nbackend = "local"\nbucket = "b"\n[portabilty]\nallow = []\n');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].key, "portabilty");
  assert.match(diagnostics[0].message, /did you mean `portability`/);
  assert.equal(diagnostics[0].span?.line, 10);
});

test("bare ${VAR} outside strings is substituted in the text before parsing, as Rocky does; comments are left alone", () => {
  const text = '# uses ${NOT_A_VAR}\n[adapter]\ntype = "databricks"\nhost = "${HOST:-h}"\nhttp_path = "/p"\ntimeout_secs = ${TIMEOUT:-30}\n[budget]\nmax_usd = ${MAX_USD}\n';
  const ok = run(text, { MAX_USD: "12.5" });
  assert.deepEqual(ok.diagnostics, []);
  assert.equal(ok.config.adapters[0].settings.timeout_secs, 30);
  assert.equal(ok.config.budget?.max_usd, 12.5);
  const missing = run(text);
  // One finding, naming the key, and not a second one for the wrong type of what stood in for it.
  assert.deepEqual(
    missing.diagnostics.map((d) => [d.key, d.message]),
    [["budget.max_usd", "environment variable `MAX_USD` is not set (used by `budget.max_usd`) and has no default"]],
  );
  assert.deepEqual(missing.diagnostics[0].span, { file: "rocky.toml", line: 8, col: 11, endLine: 8, endCol: 21 });
  assert.equal(missing.config.budget?.max_usd, undefined, "the key takes its default");
});

test("an unset ${VAR} inside a string is pointed at itself, not at the string's opening quote", () => {
  const { diagnostics } = run('[portability]\ntarget_dialect = "data/${DIALECT}.x"\n');
  assert.deepEqual(
    diagnostics.filter((d) => d.message.includes("DIALECT")).map((d) => d.span),
    [{ file: "rocky.toml", line: 2, col: 24, endLine: 2, endCol: 34 }],
  );
  // The same in an adapter's setting, kept on the adapter.
  const onAdapter = run('[adapter]\ntype = "duckdb"\npath = "data/${DB_NAME}.duckdb"\n');
  assert.deepEqual(onAdapter.diagnostics, []);
  assert.deepEqual(onAdapter.config.adapters[0].unsetEnv?.map((d) => d.span), [{ file: "rocky.toml", line: 3, col: 14, endLine: 3, endCol: 24 }]);
  // A bare one after another on its line: the file's columns, not the substituted text's.
  const two = run('[classifications]\nallow_unmasked = [${A:-"internal"}, ${B}]\n');
  assert.deepEqual(two.diagnostics.map((d) => [d.key, d.span?.line, d.span?.col, d.span?.endCol]), [["classifications.allow_unmasked[1]", 2, 37, 41]]);
  assert.deepEqual(two.config.classifications?.allow_unmasked, ["internal"]);
});
