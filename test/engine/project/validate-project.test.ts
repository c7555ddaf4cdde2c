import assert from "node:assert/strict";
import { test } from "node:test";
import { type ValidateMessage, validateProject } from "../../../engine/src/project/validate-project.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import type { ProjectFileText } from "../../../engine/src/project/types.js";
import { projectFiles } from "./helpers.js";

const validate = (entries: Record<string, string | null>, env: Record<string, string> = {}) => validateProject(projectFiles(entries), { env, vars: {} });
const codes = (messages: readonly ValidateMessage[], severity?: string) => messages.filter((m) => severity === undefined || m.severity === severity).map((m) => m.code);

const ROCKY = `[adapter.dbx]
type = "databricks"
host = "h"

[adapter.local]
type = "duckdbb"

[pipeline.main]
type = "transformation"
models = "models/**"
depends_on = ["ingest", "ingst"]
[pipeline.main.target]
adapter = "dbxx"

[pipeline.ingest]
type = "replication"
depends_on = ["main"]
[pipeline.ingest.source]
adapter = "fivetran"
[pipeline.ingest.source.schema_pattern]
prefix = "src__"
separator = "__"
components = ["client", "..."]

[pipeline.outside]
type = "transformation"
models = "../elsewhere/**"

[state]
backend = "local"
`;

test("adapters, pipelines and the DAG: V011-V013, V017, V021-V023, V029, V030 cycle, V031, V047", () => {
  const out = validate({
    "rocky.toml": ROCKY,
    "models/a.sql": "SELECT 1 AS x",
    "models/a.toml": 'depends_on = ["b", "zzz_gone"]\n[target]\ncatalog = "c"\nschema = "s"\n',
    "models/b.sql": "SELECT 1 AS x",
    "models/b.toml": 'depends_on = ["a"]\n[target]\ncatalog = "c"\nschema = "s"\n',
  });
  assert.equal(out.valid, false);
  const errors = out.messages.filter((m) => m.severity === "error");
  const byCode = (code: string) => errors.filter((m) => m.code === code);
  const v017 = byCode("V017");
  assert.equal(v017.length, 1);
  assert.match(v017[0].message, /did you mean "duckdb"/);
  assert.deepEqual([v017[0].file, v017[0].field, v017[0].line], ["rocky.toml", "adapter.local.type", 6]);
  assert.deepEqual(codes(out.messages, "warn").filter((c) => c.startsWith("V01")), ["V012", "V013"]);
  const v023 = byCode("V023");
  assert.match(v023[0].message, /target adapter `dbxx` is not declared \(did you mean `dbx`\?\)/);
  assert.deepEqual([v023[0].field, v023[0].line], ["pipeline.main.target.adapter", 13]);
  assert.equal(byCode("V022")[0].field, "pipeline.ingest.source.adapter");
  assert.match(byCode("V029")[0].message, /unknown pipeline `ingst`/);
  assert.match(byCode("V030")[0].message, /pipeline dependency cycle: ingest -> main -> ingest/);
  assert.equal(byCode("V047")[0].field, "pipeline.outside.models");
  const v031 = byCode("V031");
  assert.deepEqual(v031.map((m) => m.message), ["model a: depends_on names unknown model `zzz_gone`; remove it from depends_on, or add the model", "model a: dependency cycle: `a` → `b` → `a`; break the cycle: one of these models must stop reading another"]);
  assert.deepEqual([v031[0].file, v031[0].line], ["models/a.toml", 1]);
  assert.ok(out.messages.some((m) => m.code === "V021" && m.severity === "ok"));
  assert.deepEqual(out.adapters, [
    { name: "dbx", adapter_type: "databricks", ok: true },
    { name: "local", adapter_type: "duckdb", ok: false },
  ]);
  assert.deepEqual(out.pipelines.map((p) => [p.name, p.pipeline_type, p.ok]), [
    ["main", "transformation", false],
    ["ingest", "replication", false],
    ["outside", "transformation", false],
  ]);
  assert.deepEqual(out.models, { found: true, count: 2, dag_valid: false });
  // Lints: L003 (repeated target), L004 (state backend local).
  assert.deepEqual(codes(out.messages, "lint").sort(), ["L003", "L004"]);
});

test("a clean project is valid; lints L001, L002, L007, L008; config errors become V046 with file, field and line", () => {
  const out = validate({
    "rocky.toml": '[adapter.wh]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\n[pipeline.t.target]\nadapter = "wh"\n',
    "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "s"\n',
    "models/orders.sql": "SELECT 1 AS x",
    "models/orders.toml": 'name = "orders"\nadapter = "wh"\n[target]\ntable = "orders"\n',
    "models/orders.contract.toml": '[[columns]]\nname = "x"\n',
  });
  assert.equal(out.valid, true, JSON.stringify(out.messages, null, 1));
  assert.deepEqual(codes(out.messages, "lint").sort(), ["L001", "L002", "L007", "L008"]);
  const l002 = out.messages.find((m) => m.code === "L002");
  assert.deepEqual([l002?.file, l002?.field, l002?.line], ["models/orders.toml", "target.table", 4]);

  const bad = validate({ "rocky.toml": '[adapter]\ntype = "duckdb"\n', "models/a.sql": "SELECT 1", "models/a.toml": '[strategy]\ntype = "mrge"\n' });
  const v046 = bad.messages.filter((m) => m.code === "V046");
  assert.ok(v046.length >= 1);
  assert.deepEqual([v046[0].file, v046[0].field, v046[0].line], ["models/a.toml", "strategy.type", 2]);
  assert.equal(bad.valid, false);

  // The allowed values once: in the message with a did-you-mean, in the help (joined on) without one.
  const far = validate({ "rocky.toml": '[adapter]\ntype = "duckdb"\n', "models/a.sql": "SELECT 1", "models/a.toml": '[strategy]\ntype = "zzzzzz"\n' });
  const text = far.messages.find((m) => m.code === "V046")?.message ?? "";
  assert.match(text, /^`strategy\.type` = "zzzzzz" is not an allowed value; use one of "full_refresh", /);
  assert.equal(text.split('"full_refresh"').length, 2, text);
  const near = bad.messages.find((m) => m.code === "V046")?.message ?? "";
  assert.equal(near.split('"full_refresh"').length, 2, near);
});

test("V001: missing or unparseable rocky.toml; V010/V020 warn when nothing is defined; V025 missing models dir", () => {
  const missing = validate({ "models/a.sql": "SELECT 1" });
  assert.deepEqual(missing.messages.filter((m) => m.code === "V001").map((m) => m.severity), ["error"]);
  const broken = validate({ "rocky.toml": "[adapter\n", "models/a.sql": "SELECT 1" });
  const v001 = broken.messages.find((m) => m.code === "V001");
  assert.equal(v001?.severity, "error");
  assert.equal(v001?.line, 1);
  assert.equal(broken.messages.filter((m) => m.code === "V046" && m.file === "rocky.toml").length, 0, "the parse error is reported once, as V001");
  const bare = validate({ "rocky.toml": '[adapter]\ntype = "duckdb"\ntimeout_secs = ${T:-5}\n', "models/a.sql": "SELECT 1" });
  assert.equal(bare.messages.find((m) => m.code === "V001")?.severity, "ok", "bare ${VAR} placeholders parse, as in Rocky");
  const empty = validate({ "rocky.toml": "", "models/a.sql": "SELECT 1" });
  assert.deepEqual(empty.messages.filter((m) => m.severity === "warn").map((m) => m.code), ["V010", "V020"]);
  const noDir = validate({ "rocky.toml": '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\nmodels = "sql/**"\n', "models/a.sql": "SELECT 1" });
  assert.equal(noDir.messages.find((m) => m.code === "V025")?.field, "pipeline.t.models");
  // An unreadable rocky.toml: V001 says why, as R007 does.
  const files = new Map<string, ProjectFileText>([["rocky.toml", { unreadable: "not-utf8", line: 3, col: 9 }], ["models/a.sql", "SELECT 1"]]);
  const unreadable = validateProject(files, { env: {}, vars: {} }).messages.find((m) => m.code === "V001");
  assert.deepEqual([unreadable?.severity, unreadable?.line, unreadable?.message], ["error", 3, "rocky.toml is not UTF-8 text (its first invalid byte is at line 3, column 9)"]);
});

test("L001/L002 judge what was written: a ${VAR} template that resolves to the file name is not redundant", () => {
  const out = validate(
    {
      "rocky.toml": '[adapter]\ntype = "duckdb"\n',
      "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "s"\n',
      "models/orders.sql": "SELECT 1 AS x",
      "models/orders.toml": 'name = "${MODEL_NAME:-orders}"\n[target]\ntable = "${T:-orders}"\n',
      "models/legacy.sql": '---toml\nname = "legacy"\n---\nSELECT 1 AS x\n',
    },
    {},
  );
  assert.deepEqual(out.messages.filter((m) => m.severity === "lint").map((m) => `${m.code} ${m.file}:${m.line}`), ["L001 models/legacy.sql:2"]);
});

test("validate: a 15,000-model depends_on chain does not overflow the stack; a cycle at its end is found; unknown names get did-you-mean", () => {
  const n = 15_000;
  const files = new Map<string, string | null>([["rocky.toml", '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\nmodels = "models/**"\n']]);
  for (let i = 0; i < n; i++) {
    const dep = i === 0 ? `"m_${n - 1}"` : `"m_${i - 1}"`;
    files.set(`models/m_${i}.sql`, "SELECT 1 AS x");
    files.set(`models/m_${i}.toml`, `depends_on = [${dep}${i === 7 ? ', "m_0x"' : ""}]\n[target]\ncatalog = "c"\nschema = "s"\n`);
  }
  const result = validateProject(files, { env: {}, vars: {} });
  const v031 = result.messages.filter((m) => m.code === "V031").map((m) => m.message);
  assert.equal(v031.length, 2, "the cycle once, not once per model in it");
  assert.equal(v031[0], "model m_7: depends_on names unknown model `m_0x` (did you mean `m_0`?)");
  assert.match(v031[1], /^model m_0: dependency cycle: `m_0` → `m_14999` → `m_14998` → .* → `m_1` → `m_0`;/);
});

test("V031 checks the DAG the compile builds: a cycle through FROM, a model reading itself, a misspelt model; an unparsable model is a warning, not a valid DAG", () => {
  const rocky = '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\nmodels = "models/**"\n';
  const cycle = validate({ "rocky.toml": rocky, "models/a.sql": "SELECT x FROM b", "models/b.sql": "SELECT x\nFROM c", "models/c.sql": "SELECT x FROM a" });
  assert.equal(cycle.valid, false);
  assert.deepEqual(
    cycle.messages.filter((m) => m.code === "V031").map((m) => [m.severity, m.message.replace(/;.*/, ""), `${m.file}:${m.line}`]),
    [["error", "model a: dependency cycle: `a` → `b` → `c` → `a`", "models/a.sql:1"]],
  );
  assert.equal(cycle.models.dag_valid, false);

  const self = validate({ "rocky.toml": rocky, "models/orders.sql": "SELECT 1 AS x\nFROM orders" });
  assert.deepEqual(self.messages.filter((m) => m.code === "V031").map((m) => `${m.severity} ${m.file}:${m.line} ${m.message.replace(/;.*/, "")}`), ["error models/orders.sql:2 model orders: model `orders` reads itself"]);

  const misspelt = validate({ "rocky.toml": rocky, "models/stg_orders.sql": "SELECT 1 AS x", "models/fct.sql": "SELECT x FROM stg_ordres" });
  assert.deepEqual(misspelt.messages.filter((m) => m.code === "V031").map((m) => `${m.severity} ${m.file}:${m.line} ${m.message.replace(/;.*/, "")}`), ["error models/fct.sql:1 model fct: unknown model `stg_ordres` (did you mean `stg_orders`?)"]);

  const broken = validate({ "rocky.toml": rocky, "models/a.sql": "SELECT 1 AS x", "models/b.sql": "SELECT (\n  x FROM a" });
  const v031 = broken.messages.filter((m) => m.code === "V031");
  assert.deepEqual(v031.map((m) => [m.severity, m.file, m.line]), [["warn", "models/b.sql", 2]]);
  assert.match(v031[0].message, /^model b: its SQL does not parse \(.+\), so the models it reads are not checked; `rocky compile` reports it as R001$/);
  assert.equal(broken.models.dag_valid, false, "a DAG with a model whose references are unknown is not claimed valid");

  const clean = validate({ "rocky.toml": rocky, "models/a.sql": "SELECT 1 AS x", "models/b.sql": "SELECT x FROM a" });
  assert.deepEqual(clean.messages.filter((m) => m.code === "V031").map((m) => m.severity), ["ok"]);
  assert.equal(clean.models.dag_valid, true);
});

test("V031 reports a one-part FROM name no model or known source has, as the compile's R004, knowing the sources the compile knows (seed, schema files)", async () => {
  const rocky = '[adapter]\ntype = "duckdb"\n[pipeline.t]\ntype = "transformation"\nmodels = "models/**"\n';
  const model = "SELECT x\nFROM payments_staged";
  const v031 = (r: ReturnType<typeof validate>) => r.messages.filter((m) => m.code === "V031").map((m) => `${m.severity} ${m.file ?? ""}:${m.line ?? ""} ${m.message}`);

  const unknown = { "rocky.toml": rocky, "models/stg.sql": model };
  const undeclared = validate(unknown);
  assert.equal(undeclared.valid, false);
  assert.equal(undeclared.models.dag_valid, false);
  assert.deepEqual(v031(undeclared), [
    "error models/stg.sql:2 model stg: unknown model `payments_staged`: no model or known source has that name; add models/payments_staged.sql, or, if it is a table outside the project, qualify it as schema.table",
  ]);
  const compiled = await compileProject(projectFiles(unknown), { env: {}, vars: {} });
  assert.deepEqual(
    compiled.diagnostics.filter((d) => d.code === "R004").map((d) => `${d.span?.file}:${d.span?.line} ${d.message}`),
    ["models/stg.sql:2 unknown model `payments_staged`: no model or known source has that name"],
    "the compile's R004, at the same place",
  );

  // A table the seed creates, or a schema file names, is a known source: neither validate nor compile reports it.
  const knownBy: Record<string, Record<string, string>> = {
    seed: { "data/seed.sql": "CREATE TABLE payments_staged (x INTEGER);\n" },
    "schema file": { "schemas/raw.json": '{"tables": {"payments_staged": [{"name": "x", "type": "INTEGER"}]}}' },
  };
  for (const [how, extra] of Object.entries(knownBy)) {
    const known = { ...unknown, ...extra };
    assert.deepEqual(v031(validate(known)).map((m) => m.split(" ")[0]), ["ok"], how);
    const c = await compileProject(projectFiles(known), { env: {}, vars: {} });
    assert.deepEqual(c.diagnostics.filter((d) => d.code === "R004"), [], how);
  }
  // A qualified name is a table outside the project: never reported.
  assert.deepEqual(v031(validate({ "rocky.toml": rocky, "models/stg.sql": "SELECT x FROM raw.payments_staged" })).map((m) => m.split(" ")[0]), ["ok"]);
});

test("an adapter setting from an unset ${VAR} is a warning at its line, not an error: only connecting needs it (V013 for a Databricks token, V010 otherwise)", () => {
  const out = validate({
    "rocky.toml": '[adapter.dbx]\ntype = "databricks"\nhost = "h"\nhttp_path = "/p"\ntoken = "${DBX_TOKEN}"\n\n[adapter.sf]\ntype = "snowflake"\naccount = "a"\npassword = "${SF_PASSWORD}"\n',
    "models/a.sql": "SELECT 1 AS x",
    "models/a.toml": '[target]\ncatalog = "c"\nschema = "s"\n',
  });
  assert.equal(out.valid, true);
  const warned = out.messages.filter((m) => m.severity === "warn" && m.code.startsWith("V01"));
  assert.deepEqual(
    warned.map((m) => [m.code, m.field, m.line]),
    [
      ["V013", "adapter.dbx.token", 5],
      ["V010", "adapter.sf.password", 10],
    ],
  );
  assert.match(warned[0].message, /`DBX_TOKEN` is not set.*connecting to the warehouse does/);
  // Set: nothing to say, and both adapters are ok.
  const set = validate({ "rocky.toml": '[adapter.dbx]\ntype = "databricks"\nhost = "h"\nhttp_path = "/p"\ntoken = "${DBX_TOKEN}"\n', "models/a.sql": "SELECT 1 AS x" }, { DBX_TOKEN: "t" });
  assert.deepEqual(set.messages.filter((m) => m.code.startsWith("V01")).map((m) => m.severity), ["ok"]);
});
