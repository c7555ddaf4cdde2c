import assert from "node:assert/strict";
import { test } from "node:test";
import { loadProject } from "../../../engine/src/project/load-project.js";
import { validateProject } from "../../../engine/src/project/validate-project.js";
import { seededRandom as prng } from "../../support/seeded-random.js";


const ALPHABET = ['"', "'", "[", "]", "{", "}", "=", ".", ",", "\n", "#", "$", "{", "}", ":", "-", "\\", "a", "1", " ", "\u0000", "é", "@", "(", ")"];

/** Delete, duplicate or replace a few characters at random. */
function corrupt(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.33) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 4));
    else if (op < 0.66) out = out.slice(0, at) + out.slice(at, at + 1 + Math.floor(rand() * 8)).repeat(2) + out.slice(at + 1 + Math.floor(rand() * 8));
    else out = out.slice(0, at) + ALPHABET[Math.floor(rand() * ALPHABET.length)] + out.slice(at + 1);
  }
  return out;
}

const VALID: Record<string, string> = {
  "rocky.toml":
    '[adapter.wh]\ntype = "databricks"\nhost = "${HOST:-h}"\nhttp_path = "/p"\ntoken = "t"\n[pipeline.t]\ntype = "transformation"\nmodels = "models/**"\n[pipeline.t.target]\nadapter = "wh"\n[portability]\ntarget_dialect = "snowflake"\nallow = ["QUALIFY"]\n[mask]\npii = "hash"\n[mask.prod]\npii = "none"\n[budget]\nmax_usd = 10\non_breach = "error"\n[cost]\nwarehouse_size = "Small"\n',
  "models/_defaults.toml": '[target]\ncatalog = "c"\nschema = "s"\n[strategy]\ntype = "view"\n',
  "models/groups/g.toml": 'schema_template = "r_{region}"\ncatalog = "c"\n',
  "models/a.sql": "SELECT id, @var(x, 'd') AS v FROM raw.t WHERE ts >= @start_date AND ts < @end_date",
  "models/a.toml":
    'depends_on = []\nschedule = "daily"\n[strategy]\ntype = "time_interval"\ntime_column = "ts"\ngranularity = "day"\nlookback = 2\n[classification]\nemail = "pii"\n[[exposures]]\nname = "d"\n[budget]\nmax_usd = 1.5\n',
  "models/b.sql": "---toml\nname = \"b\"\n[strategy]\ntype = \"merge\"\nunique_key = [\"id\"]\n---\nSELECT * FROM a",
  "models/c.sql": "SELECT 1 AS id",
  "models/c.toml": 'group = "g"\n[args]\nregion = "eu"\n',
  "models/c.contract.toml": '[[columns]]\nname = "id"\ntype = "Decimal(10, 2)"\nnullable = false\n[rules]\nrequired = ["id"]\n',
  "schemas/raw.json": '{"tables": {"raw.t": [{"name": "id", "type": "BIGINT", "nullable": false}]}}',
};

const CORRUPTIBLE = Object.keys(VALID);

test("loadProject and validateProject never throw on randomly corrupted config, SQL, contracts and schemas", () => {
  const clean = loadProject(new Map(Object.entries(VALID)), { env: {}, vars: {} });
  assert.deepEqual(clean.diagnostics, [], "the seed project is valid");
  const rand = prng(20261121);
  let withDiagnostics = 0;
  for (let i = 0; i < 300; i++) {
    const files = new Map<string, string | null>(Object.entries(VALID));
    const victims = 1 + Math.floor(rand() * 3);
    for (let v = 0; v < victims; v++) {
      const key = CORRUPTIBLE[Math.floor(rand() * CORRUPTIBLE.length)];
      files.set(key, corrupt(files.get(key) ?? "", rand));
    }
    const options = { env: {}, vars: {} };
    let loaded: ReturnType<typeof loadProject> | undefined;
    assert.doesNotThrow(() => {
      loaded = loadProject(files, options);
      validateProject(files, options);
    }, `iteration ${i}`);
    const diagnostics = loaded?.diagnostics ?? [];
    assert.equal(diagnostics.filter((d) => d.code === "R009").length, 0, `iteration ${i}: internal error ${JSON.stringify(diagnostics)}`);
    for (const d of diagnostics) {
      if (!d.span) continue;
      assert.ok(d.span.line >= 1 && d.span.col >= 1, `iteration ${i}: bad span ${JSON.stringify(d)}`);
      assert.ok(files.has(d.span.file) || d.span.file === "models/", `iteration ${i}: span names an unknown file ${d.span.file}`);
    }
    if (diagnostics.length > 0) withDiagnostics++;
  }
  assert.ok(withDiagnostics > 150, `corruption should usually be noticed (${withDiagnostics}/300)`);
});

test("pathological inputs: deep nesting, huge files, unterminated strings and front-matter never throw", () => {
  const deep = "[".repeat(50_000);
  const cases: Record<string, string>[] = [
    { "rocky.toml": `a = ${deep}`, "models/a.sql": "SELECT 1" },
    { "rocky.toml": `a = ${"{ b = ".repeat(20_000)}1`, "models/a.sql": "SELECT 1" },
    { "rocky.toml": `[adapter]\ntype = "duckdb"\n${"# filler line\n".repeat(200_000)}[portability]\nallow = [${'"QUALIFY",'.repeat(50_000)}]\n`, "models/a.sql": "SELECT 1" },
    { "models/a.sql": `---toml\n${"x".repeat(100_000)}`, "models/b.toml": 'name = """never closed' },
    { "models/a.sql": `SELECT ${"@var(".repeat(10_000)} '${"'".repeat(9_999)}`, "models/a.toml": "" },
    { "models/a.sql": "SELECT 1", "schemas/x.json": `{"tables": ${"[".repeat(100_000)}` },
    { "models/a.sql": "SELECT 1", "models/a.contract.toml": `[[columns]]\nname = "a"\ntype = "${"Array<".repeat(5_000)}Int64${">".repeat(5_000)}"\n` },
  ];
  for (const [i, entries] of cases.entries()) {
    const files = new Map<string, string | null>(Object.entries(entries));
    let diagnostics: readonly { code: string }[] = [];
    assert.doesNotThrow(() => {
      diagnostics = loadProject(files, { env: {}, vars: {} }).diagnostics;
      validateProject(files, { env: {}, vars: {} });
    }, `case ${i}`);
    assert.equal(diagnostics.filter((d) => d.code === "R009").length, 0, `case ${i}: ${JSON.stringify(diagnostics).slice(0, 500)}`);
  }
});
