import assert from "node:assert/strict";
import { test } from "node:test";
import { rawColumn } from "../../../engine/src/project/substitute-vars.js";
import { BASE, byKey, load, where, withCode } from "./helpers.js";

test("a sidecar's misspelt key, enum and strategy key are R002 at the exact line with did-you-mean", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/a.sql": "SELECT 1 AS x",
    "models/a.toml": 'depends_on = []\nmatrialization = "table"\n\n[strategy]\ntype = "full_refesh"\n',
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": '[strategy]\ntype = "merge"\nunique_keys = ["id"]\n',
  });
  const mat = byKey(diagnostics, "matrialization");
  assert.equal(where(mat), "models/a.toml:2:1");
  assert.match(mat.message, /did you mean `strategy`\?/);
  assert.equal(mat.model, "a");
  const enumErr = byKey(diagnostics, "strategy.type");
  assert.equal(where(enumErr), "models/a.toml:5:8");
  assert.match(enumErr.message, /did you mean "full_refresh"/);
  const key = byKey(diagnostics, "strategy.unique_keys");
  assert.equal(where(key), "models/b.toml:3:1");
  assert.match(key.message, /did you mean `unique_key`/);
  // The misspelling is the one mistake: no second error says the key it meant is missing.
  assert.equal(diagnostics.filter((d) => d.key === "strategy.unique_key").length, 0);
  // Both models still load; broken values fall back to defaults and the model is marked.
  assert.deepEqual(
    value.models.map((m) => [m.name, m.config.strategy.type, m.configError]),
    [
      ["a", "full_refresh", true],
      ["b", "merge", true],
    ],
  );
});

test("a required key that is simply missing is R002 at its table", () => {
  const { diagnostics } = load({
    ...BASE,
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": '[strategy]\ntype = "merge"\nupdate_columns = ["x"]\n',
  });
  const required = byKey(diagnostics, "strategy.unique_key");
  assert.equal(where(required), "models/b.toml:1:1", "a missing key points at its table");
  assert.match(required.message, /required for type = "merge"/);
});

test("wrong types and per-strategy keys: lookback must be >= 0, granularity an enum, keys of another strategy say so", () => {
  const { diagnostics, value } = load({
    ...BASE,
    "models/t.sql": "SELECT ts FROM raw.e WHERE ts >= @start_date AND ts < @end_date",
    "models/t.toml": '[strategy]\ntype = "time_interval"\ntime_column = "ts"\ngranularity = "mnth"\nlookback = -1\nunique_key = ["id"]\n[budget]\nmax_usd = "5"\n',
  });
  assert.match(byKey(diagnostics, "strategy.granularity").message, /did you mean "month"/);
  assert.equal(byKey(diagnostics, "strategy.lookback").span?.line, 5);
  assert.match(byKey(diagnostics, "strategy.unique_key").message, /does not apply to type = "time_interval" \(it belongs to "merge"\)/);
  assert.match(byKey(diagnostics, "budget.max_usd").message, /must be a number, found a string/);
  assert.deepEqual(value.models[0].config.strategy, { type: "time_interval", time_column: "ts", granularity: "day", lookback: 0, batch_size: 1 });
});

test("_defaults.toml supplies target and strategy; the sidecar wins; name and table default to the stem", () => {
  const { value, diagnostics } = load({
    "rocky.toml": '[adapter]\ntype = "duckdb"\n',
    "models/_defaults.toml": 'intent = "x"\n[target]\ncatalog = "wh"\nschema = "staging"\n[strategy]\ntype = "view"\n',
    "models/a.sql": "SELECT 1 AS x",
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": 'name = "bee"\n[target]\nschema = "marts"\ntable = "b_tbl"\n[strategy]\ntype = "full_refresh"\n',
  });
  assert.deepEqual(diagnostics, []);
  const [a, b] = value.models;
  assert.deepEqual([a.name, a.config.target, a.config.strategy, a.config.intent], ["a", { catalog: "wh", schema: "staging", table: "a" }, { type: "view" }, "x"]);
  assert.deepEqual([b.name, b.config.target, b.config.strategy], ["bee", { catalog: "wh", schema: "marts", table: "b_tbl" }, { type: "full_refresh" }]);
  assert.equal(b.sidecarFile, "models/b.toml");
  assert.deepEqual(b.config.locations["target.schema"], { file: "models/b.toml", line: 3, col: 1 });
});

test("_defaults.toml refuses per-model fields; a missing catalog/schema after defaults is R002 on the sidecar", () => {
  const { diagnostics, value } = load({
    "rocky.toml": '[adapter]\ntype = "duckdb"\n',
    "models/_defaults.toml": 'name = "x"\n[target]\nschema = "s"\n',
    "models/a.sql": "SELECT 1 AS x",
    "models/a.toml": "depends_on = []\n",
    "models/b.sql": "SELECT 1 AS x",
  });
  assert.match(byKey(diagnostics, "name").message, /must not declare per-model field `name`/);
  const missing = diagnostics.filter((d) => d.key === "target.catalog");
  assert.deepEqual(missing.map(where), ["models/a.toml:1:1", "models/b.sql:1:1"]);
  assert.equal(value.models.length, 2);
});

test("groups: [args] fill the schema_template; enforce forbids overrides; unknown group has did-you-mean", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/groups/regional.toml": 'schema_template = "sales_{region}"\ncatalog = "wh"\nenforce = true\n[strategy]\ntype = "view"\n',
    "models/eu.sql": "SELECT 1 AS x",
    "models/eu.toml": 'group = "regional"\n[args]\nregion = "eu"\n',
    "models/us.sql": "SELECT 1 AS x",
    "models/us.toml": 'group = "regional"\n[strategy]\ntype = "full_refresh"\n[args]\nregion = "us"\n',
    "models/xx.sql": "SELECT 1 AS x",
    "models/xx.toml": 'group = "regionl"\n',
  });
  const eu = value.models.find((m) => m.name === "eu");
  assert.deepEqual(eu?.config.target, { catalog: "wh", schema: "sales_eu", table: "eu" });
  assert.deepEqual(eu?.config.strategy, { type: "view" });
  const us = value.models.find((m) => m.name === "us");
  assert.deepEqual(us?.config.strategy, { type: "view" }, "enforce: the group's strategy wins");
  assert.match(diagnostics.find((d) => d.span?.file === "models/us.toml")?.message ?? "", /enforce = true: `strategy` cannot be overridden/);
  assert.match(byKey(diagnostics, "group").message, /unknown group `regionl` \(did you mean `regional`\?\)/);
});

test("sidecar extensions: exposures, schedule, classification, columns, budget", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/m.sql": "SELECT 1 AS email",
    "models/m.toml":
      'schedule = "0 6 * * *"\n[[exposures]]\nname = "dash"\ntype = "dashboard"\nurl = "https://bi/x"\n[classification]\nemail = "PII"\n[columns.email]\ndescription = "e"\n[budget]\nmax_usd = 2.5\non_breach = "error"\n',
    "models/n.sql": "SELECT 1 AS x",
    "models/n.toml": 'schedule = "sometimes"\n[[exposures]]\ntype = "dashboard"\n',
  });
  const m = value.models[0].config;
  assert.equal(m.schedule, "0 6 * * *");
  assert.deepEqual(m.exposures, [{ name: "dash", type: "dashboard", url: "https://bi/x" }]);
  assert.deepEqual(m.classification, { email: "PII" });
  assert.deepEqual(m.columns, { email: { description: "e" } });
  assert.deepEqual(m.budget, { max_usd: 2.5, on_breach: "error" });
  assert.match(byKey(diagnostics, "schedule").message, /"hourly", "daily", "weekly", "monthly" or a cron expression/);
  assert.equal(byKey(diagnostics, "exposures[0].name").span?.line, 2);
});

test("contracts beside the model (auto) and in contracts/ (explicit); an orphan is W011 with did-you-mean", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/fct_orders.sql": "SELECT 1 AS order_id",
    "models/fct_orders.contract.toml": '[[columns]]\nname = "order_id"\ntype = "Int64"\nnullable = false\n\n[[columns]]\nname = "amt"\ntype = "Decimal(12, 2)"\n[rules]\nrequired = ["order_id"]\nprotected = ["order_id"]\nno_new_nullable = true\n',
    "models/dim.sql": "SELECT 1 AS id",
    "contracts/dim.contract.toml": '[[columns]]\nname = "id"\ntype = "Array<Map<String, Int64>>"\n',
    "contracts/fct_order.contract.toml": '[[columns]]\nname = "x"\n',
  });
  const fct = value.models.find((m) => m.name === "fct_orders")?.contract;
  assert.equal(fct?.source, "auto");
  assert.deepEqual(fct?.columns.map((c) => [c.name, c.type, c.nullable, c.location?.line]), [
    ["order_id", "Int64", false, 2],
    ["amt", "Decimal(12, 2)", undefined, 7],
  ]);
  assert.deepEqual([fct?.required, fct?.protected, fct?.noNewNullable], [["order_id"], ["order_id"], true]);
  assert.equal(value.models.find((m) => m.name === "dim")?.contract?.source, "explicit");
  const w011 = withCode(diagnostics, "W011");
  assert.equal(w011.length, 1);
  assert.equal(w011[0].severity, "Warning");
  assert.match(w011[0].message, /did you mean `fct_orders`/);
  assert.deepEqual(value.orphanContracts.map((c) => c.file), ["contracts/fct_order.contract.toml"]);
  assert.equal(diagnostics.length, 1);
});

test("contract type names are RockyType names, case-sensitive, with did-you-mean", () => {
  const { diagnostics, value } = load({
    ...BASE,
    "models/m.sql": "SELECT 1 AS a",
    "models/m.contract.toml": '[[columns]]\nname = "a"\ntype = "string"\n[[columns]]\nname = "b"\ntype = "Decimal(10,x)"\n[[columns]]\nname = "c"\ntype = "Map<String>"\n[[columns]]\nname = "d"\ntype = "TimestampNtz"\n',
  });
  assert.deepEqual(
    diagnostics.map((d) => [d.key, d.span?.line]),
    [
      ["columns[0].type", 3],
      ["columns[1].type", 6],
      ["columns[2].type", 9],
    ],
  );
  assert.equal(diagnostics[0].suggestion, "use `String`");
  assert.deepEqual(value.models[0].contract?.columns.map((c) => c.type), [undefined, undefined, undefined, "TimestampNtz"]);
});

test("@var: substituted from --var, default used otherwise, E028 at the exact span when neither; lines kept", () => {
  const sql = "SELECT id,\n  '@var(in_string)' AS s, -- @var(in_comment)\n  @var(region, 'eu') AS r, @var(limit_n)\nFROM t /* @var(x) */ WHERE y = @var(threshold)";
  const withVars = load({ ...BASE, "models/m.sql": sql }, { vars: { in_string: "us", limit_n: "10", threshold: "42" } });
  assert.deepEqual(withVars.diagnostics, []);
  const m = withVars.value.models[0];
  // Inside a string literal too (Rocky's own example is `region = '@var(region)'`); not in comments.
  assert.equal(m.sql, "SELECT id,\n  'us' AS s, -- @var(in_comment)\n  'eu' AS r, 10\nFROM t /* @var(x) */ WHERE y = 42");
  assert.equal(rawColumn(m.columnMap, 2, 6), 19);
  assert.equal(m.sql.split("\n").length, sql.split("\n").length);
  // "10" sits at sql col 14 of line 3; in the file, @var(limit_n) starts at col 28.
  assert.equal(rawColumn(m.columnMap, 3, 14), 28);
  assert.equal(rawColumn(m.columnMap, 4, 5), 5);
  assert.equal(rawColumn(m.columnMap, 3, 3), 3);
  const missing = load({ ...BASE, "models/m.sql": sql }, { vars: { threshold: "1" } });
  const e028 = withCode(missing.diagnostics, "E028");
  assert.equal(e028.length, 2);
  assert.deepEqual(e028[0].span, { file: "models/m.sql", line: 2, col: 4, endLine: 2, endCol: 19 });
  assert.deepEqual(e028[1].span, { file: "models/m.sql", line: 3, col: 28, endLine: 3, endCol: 41 });
  assert.equal(e028[1].model, "m");
  // The missing value becomes NULL (reported once, as E028), so the SQL still parses; columns map back.
  const sub = missing.value.models[0];
  assert.equal(sub.sql.split("\n")[2], "  'eu' AS r, NULL");
  assert.equal(rawColumn(sub.columnMap, 3, 14), 28);
});

test("legacy ---toml front-matter is config; the SQL keeps its line numbers", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/m.sql": '\n---toml\nname = "mm"\n[strategy]\ntype = "view"\n---\nSELECT 1 AS x\n',
    "models/bad.sql": '---toml\n[strategy]\ntype = "viw"\n---\nSELECT 1 AS x\n',
  });
  const m = value.models.find((x) => x.name === "mm");
  assert.equal(m?.config.strategy.type, "view");
  assert.equal(m?.frontMatter, true);
  assert.equal(m?.sql, "\n\n\n\n\n\nSELECT 1 AS x\n");
  assert.deepEqual(diagnostics.map((d) => [where(d), d.key]), [["models/bad.sql:3:8", "strategy.type"]]);
});

test("front-matter in a CRLF file reads as in an LF one: its last line's carriage return is no syntax error", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/m.sql": '---toml\r\n[strategy]\r\ntype = "view"\r\n---\r\nSELECT 1 AS x\r\n',
    "models/bad.sql": '---toml\r\n[strategy]\r\ntype = "viw"\r\n---\r\nSELECT 1 AS x\r\n',
  });
  assert.equal(value.models.find((x) => x.name === "m")?.config.strategy.type, "view");
  assert.deepEqual(diagnostics.map((d) => [where(d), d.key]), [["models/bad.sql:3:8", "strategy.type"]]);
});

test(".rocky DSL files are one R002 each; binary files are R007; duplicates R005; no models R006", () => {
  const { value, diagnostics } = load({
    ...BASE,
    "models/a.sql": "SELECT 1 AS x",
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": 'name = "a"\n',
    "models/c.rocky": "from raw.x",
    "models/bin.sql": null,
    "models/d.sql": "SELECT 1 AS x",
    "models/d.toml": null,
  });
  assert.deepEqual(diagnostics.map((d) => `${d.code} ${where(d)}`).sort(), [
    "R002 models/c.rocky:1:1",
    "R005 models/b.toml:1:1",
    "R007 models/bin.sql:1:1",
    "R007 models/d.toml:1:1",
  ]);
  assert.match(withCode(diagnostics, "R002")[0].message, /Rocky DSL models \(\.rocky\) are not supported; convert to \.sql/);
  assert.deepEqual(value.models.map((m) => [m.name, m.file, m.configError ?? false]), [
    ["a", "models/a.sql", false],
    ["d", "models/d.sql", true],
  ]);
  const empty = load({ ...BASE });
  assert.deepEqual(empty.diagnostics.map((d) => [d.code, d.span?.file]), [["R006", "models/"]]);
});

test("a broken rocky.toml still lets models load with defaults; a broken sidecar costs only its model's config", () => {
  const { value, diagnostics } = load({
    "rocky.toml": "[adapter\ntype = 1",
    "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "s"\n',
    "models/a.sql": "SELECT 1 AS x",
    "models/a.toml": "[strategy\n",
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": '[strategy]\ntype = "view"\n',
  });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.span?.file, d.span?.line]), [
    ["R002", "rocky.toml", 1],
    ["R002", "models/a.toml", 1],
  ]);
  assert.deepEqual(value.models.map((m) => [m.name, m.config.strategy.type, m.config.target.schema, m.configError ?? false]), [
    ["a", "full_refresh", "s", true],
    ["b", "view", "s", false],
  ]);
});

test("dialect: model adapter override, else the pipeline's target adapter, else the only/default adapter, else duckdb", () => {
  const rocky = '[adapter.wh]\ntype = "snowflake"\n[adapter.lake]\ntype = "databricks"\n[adapter.tr]\ntype = "trino"\n[pipeline.t]\ntype = "transformation"\n[pipeline.t.target]\nadapter = "lake"\n';
  const { value, diagnostics } = load({
    ...BASE,
    "rocky.toml": rocky,
    "models/a.sql": "SELECT 1 AS x",
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": 'adapter = "wh"\n',
    "models/c.sql": "SELECT 1 AS x",
    "models/c.toml": 'adapter = "tr"\n',
    "models/d.sql": "SELECT 1 AS x",
    "models/d.toml": 'adapter = "wj"\n',
  });
  assert.deepEqual(value.models.map((m) => [m.name, m.dialect]), [
    ["a", "databricks"],
    ["b", "snowflake"],
    ["c", "duckdb"],
    ["d", "databricks"],
  ]);
  assert.match(byKey(diagnostics, "adapter").message, /adapter `wj` is not declared in rocky.toml \(did you mean `wh`\?\)/);
  assert.equal(byKey(diagnostics, "adapter").replacement?.text, '"wh"');
  assert.equal(load({ ...BASE, "rocky.toml": '[adapter.only]\ntype = "bigquery"\n', "models/a.sql": "SELECT 1" }).value.models[0].dialect, "bigquery");
  assert.equal(load({ ...BASE, "rocky.toml": "", "models/a.sql": "SELECT 1" }).value.models[0].dialect, "duckdb");
});

test("schemas/*.json become sourceSchemas (keys lower-cased); malformed JSON is R002 with its line; seed.sql is kept", () => {
  const good = '{\n  "tables": {\n    "RAW.Orders": [\n      {"name": "id", "type": "BIGINT", "nullable": false},\n      {"name": "note", "type": "VARCHAR"}\n    ],\n    "raw.bad": [{"name": 1}]\n  }\n}';
  const { value, diagnostics } = load({ ...BASE, "models/a.sql": "SELECT 1", "schemas/raw.json": good, "schemas/broken.json": '{\n  "tables": {\n    "x": [,]\n  }\n}', "data/seed.sql": "CREATE TABLE t (a INT);" });
  assert.deepEqual(value.sourceSchemas.get("raw.orders"), [
    { name: "id", type: "BIGINT", nullable: false },
    { name: "note", type: "VARCHAR", nullable: true },
  ]);
  assert.deepEqual(diagnostics.map((d) => [d.code, where(d)]), [
    ["R002", "schemas/broken.json:3:11"],
    // At the bad `name` itself, not the table's key.
    ["R002", "schemas/raw.json:7:26"],
  ]);
  assert.equal(value.seedSql, "CREATE TABLE t (a INT);");
});

test("models are flat: subdirectories (other than groups/) are not read; --models DIR is honoured", () => {
  const { value } = load({ ...BASE, "models/a.sql": "SELECT 1", "models/sub/b.sql": "SELECT 1", "models/groups/g.toml": "" });
  assert.deepEqual(value.models.map((m) => m.name), ["a"]);
  const other = load({ "src/x.sql": "SELECT 1", "src/_defaults.toml": '[target]\ncatalog = "c"\nschema = "s"\n' }, { modelsDir: "./src/" });
  assert.deepEqual(other.value.models.map((m) => [m.name, m.file]), [["x", "src/x.sql"]]);
  assert.deepEqual(other.diagnostics, []);
});

test("project [freshness] is inherited whole only with expected_lag_seconds; the pipeline's schedule is the fallback", () => {
  const rocky = '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\nschedule = "daily"\n[freshness]\nexpected_lag_seconds = 3600\ntime_column = "updated_at"\n';
  const { value, diagnostics } = load({
    ...BASE,
    "rocky.toml": rocky,
    "models/a.sql": "SELECT 1 AS x",
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": 'schedule = "hourly"\n[freshness]\nmax_lag_seconds = 60\n',
  });
  assert.deepEqual(diagnostics, []);
  const [a, b] = value.models;
  assert.deepEqual(a.config.freshness, { max_lag_seconds: 3600, time_column: "updated_at" });
  assert.equal(a.config.schedule, "daily");
  assert.deepEqual(b.config.freshness, { max_lag_seconds: 60 });
  assert.equal(b.config.schedule, "hourly");
  const noLag = load({ ...BASE, "rocky.toml": '[freshness]\ntime_column = "ts"\n[pipeline.t]\ntype = "transformation"\n[pipeline.t.schedule]\ncron = "0 * * * *"\n', "models/a.sql": "SELECT 1" });
  assert.equal(noLag.value.models[0].config.freshness, undefined);
  assert.equal(noLag.value.models[0].config.schedule, "0 * * * *");
});

test("helpful hints: `strategy = \"merge\"` says to write a [strategy] table; an unquoted date says to quote it", () => {
  const { diagnostics } = load({
    ...BASE,
    "models/a.sql": "SELECT 1",
    "models/a.toml": 'strategy = "view"\n',
    "models/b.sql": "SELECT 1",
    "models/b.toml": '[strategy]\ntype = "time_interval"\ntime_column = "d"\ngranularity = "day"\nfirst_partition = 2024-01-01\n',
  });
  assert.equal(byKey(diagnostics, "strategy").suggestion, 'write [strategy] with type = "view"');
  const date = byKey(diagnostics, "strategy.first_partition");
  assert.equal(date.span?.line, 5);
  assert.match(date.suggestion ?? "", /^quote it: "2024-01-01/);
});

test("enum and key typos carry a clean replacement (a GitHub suggestion) with the exact token range", () => {
  const { diagnostics } = load({
    ...BASE,
    "models/a.sql": "SELECT 1",
    "models/a.toml": "[strategy]\ntype = 'full_refesh'\n",
    "models/b.sql": "SELECT 1",
    "models/b.toml": 'depends_on = []\n  strateg.type = "view"\n',
    "models/c.sql": "SELECT 1",
    "models/c.toml": '[strategy]\ntype = "merge"\nunique_keys = ["id"]\n',
  });
  const enumTypo = byKey(diagnostics, "strategy.type");
  assert.deepEqual(enumTypo.replacement, { span: { file: "models/a.toml", line: 2, col: 8, endLine: 2, endCol: 21 }, text: "'full_refresh'" });
  const keyTypo = byKey(diagnostics, "strategy.unique_keys");
  assert.deepEqual(keyTypo.replacement, { span: { file: "models/c.toml", line: 3, col: 1, endLine: 3, endCol: 12 }, text: "unique_key" });
  const dotted = byKey(diagnostics, "strateg");
  assert.deepEqual(dotted.replacement, { span: { file: "models/b.toml", line: 2, col: 3, endLine: 2, endCol: 10 }, text: "strategy" });
  const alias = load({ ...BASE, "models/a.sql": "SELECT 1", "models/a.toml": 'materialized = "view"\n' }).diagnostics[0];
  assert.equal(alias.replacement, undefined, "dbt's materialized → [strategy] is not a one-token rewrite");
});

test("a model with no target anywhere gets one R002 naming both fields, on its SQL file when it has no sidecar", () => {
  const { diagnostics, value } = load({ "rocky.toml": '[adapter]\ntype = "duckdb"\n', "models/a.sql": "SELECT 1", "models/b.sql": "SELECT 1", "models/b.toml": '[target]\ncatalog = "c"\n' });
  assert.deepEqual(
    diagnostics.map((d) => [d.key, where(d), d.message]),
    [
      ["target", "models/a.sql:1:1", "model `a` is missing target.catalog and target.schema (set them in the sidecar or in _defaults.toml)"],
      ["target.schema", "models/b.toml:1:1", "model `b` is missing target.schema (set it in the sidecar or in _defaults.toml)"],
    ],
  );
  assert.deepEqual(value.models.map((m) => m.config.target), [
    { catalog: "", schema: "", table: "a" },
    { catalog: "c", schema: "", table: "b" },
  ]);
});

test("a misspelt key in _defaults.toml's [target] is its one finding, not one missing target per model", () => {
  const files = { "rocky.toml": '[adapter]\ntype = "duckdb"\n', "models/_defaults.toml": '[target]\ncatalgo = "c"\nschema = "s"\n', "models/a.sql": "SELECT 1", "models/b.sql": "SELECT 1" };
  const { diagnostics } = load(files);
  assert.deepEqual(
    diagnostics.map((d) => [d.key, where(d)]),
    [["target.catalgo", "models/_defaults.toml:2:1"]],
  );
  assert.match(diagnostics[0].message, /did you mean `catalog`/);
  // A typo elsewhere in the file leaves the models' missing targets reported.
  const other = load({ ...files, "models/_defaults.toml": '[target]\nschema = "s"\n[strategy]\ntpye = "view"\n' }).diagnostics;
  assert.deepEqual(other.map((d) => d.key), ["strategy.tpye", "target.catalog", "target.catalog"]);
  // An unset variable there likewise: the one finding is that it is not set.
  const unset = load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "${MART}"\n' }).diagnostics;
  assert.deepEqual(unset.map((d) => [d.key, where(d)]), [["target.schema", "models/_defaults.toml:3:11"]]);
  assert.match(unset[0].message, /`MART` is not set/);
});

test("an empty or blank target schema or table is R002 on its value, wherever it is set, and no second finding for the same key", () => {
  const files = { "rocky.toml": '[adapter]\ntype = "duckdb"\n', "models/a.sql": "SELECT 1", "models/b.sql": "SELECT 1" };
  const shared = load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = ""\n' }).diagnostics;
  assert.deepEqual(shared.map((d) => [d.key, where(d), d.message]), [["target.schema", "models/_defaults.toml:3:10", '`target.schema` = "" is not valid: expected a schema name, not an empty string']]);
  // `${SCHEMA:-}` with SCHEMA unset is the same empty schema, said at the line that asks for it.
  const fromEnv = load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "${SCHEMA:-}"\n' }, { env: {} }).diagnostics;
  assert.deepEqual(fromEnv.map((d) => [d.key, where(d)]), [["target.schema", "models/_defaults.toml:3:10"]]);
  assert.equal(load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "${SCHEMA:-}"\n' }, { env: { SCHEMA: "analytics" } }).diagnostics.length, 0);
  // `${SCHEMA}` unset with no default: its one finding, at the placeholder, not one "missing target.schema (set it in the sidecar...)" per model.
  const unset = load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "${SCHEMA}"\n' }, { env: {} }).diagnostics;
  assert.deepEqual(unset.map((d) => [d.key, where(d), d.message]), [["target.schema", "models/_defaults.toml:3:11", "environment variable `SCHEMA` is not set (used by `target.schema`) and has no default"]]);
  // Its models' targets are not known: their config is marked so (a review compares no target then).
  assert.deepEqual(load({ ...files, "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "${SCHEMA}"\n' }, { env: {} }).value.models.map((m) => [m.name, m.configError]), [["a", true], ["b", true]]);
  const inSidecar = load({ "rocky.toml": files["rocky.toml"], "models/a.sql": "SELECT 1", "models/a.toml": '[target]\ncatalog = "c"\nschema = "${SCHEMA}"\n' }, { env: {} }).diagnostics;
  assert.deepEqual(inSidecar.map((d) => [d.key, where(d)]), [["target.schema", "models/a.toml:3:11"]]);
  const one = { "rocky.toml": files["rocky.toml"], "models/a.sql": "SELECT 1" };
  const sidecar = load({ ...one, "models/a.toml": '[target]\ncatalog = "c"\nschema = "  "\ntable = ""\n' });
  assert.deepEqual(sidecar.diagnostics.map((d) => [d.key, d.model, where(d)]), [
    ["target.schema", "a", "models/a.toml:3:10"],
    ["target.table", "a", "models/a.toml:4:9"],
  ]);
  const group = load({ ...one, "models/groups/g.toml": 'schema_template = ""\ncatalog = "c"\n', "models/a.toml": 'group = "g"\n' }).diagnostics;
  // A group's empty template: its finding, and each model it leaves without a schema says so.
  assert.deepEqual(group.map((d) => [d.key, where(d)]), [
    ["schema_template", "models/groups/g.toml:1:19"],
    ["target.schema", "models/a.toml:1:1"],
  ]);
});

test("a sidecar without its .sql (a model renamed, its sidecar not) is a warning with the nearest model", () => {
  const { diagnostics, value } = load({ ...BASE, "models/fct_order.sql": "SELECT 1", "models/fct_orders.toml": '[strategy]\ntype = "view"\n', "models/zzz.toml": "" });
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, where(d), d.message]),
    [
      ["Warning", "models/fct_orders.toml:1:1", "sidecar models/fct_orders.toml has no models/fct_orders.sql: its config applies to no model (did you mean models/fct_order.sql?)"],
      ["Warning", "models/zzz.toml:1:1", "sidecar models/zzz.toml has no models/zzz.sql: its config applies to no model"],
    ],
  );
  assert.equal(value.models[0].config.strategy.type, "full_refresh");
});
