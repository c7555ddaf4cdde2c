import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { projectWarehouse } from "../../review/src/github/project-warehouse.js";
import { editLine, SHOP_BASE, shopTomlOnFile } from "../review/e2e/shop-fixture.js";
import { withDuckDbFile } from "../support/duckdb-file.js";
import { createGitFixture, type GitFixture } from "../support/git-fixture.js";

/** The shop project on a DuckDB file, with its raw tables in place. */
function seedWarehouse(path: string): Promise<void> {
  return withDuckDbFile(path, async (run) => {
    for (const sql of [
      "CREATE SCHEMA IF NOT EXISTS raw",
      "CREATE TABLE raw.orders (id BIGINT NOT NULL, customer_id BIGINT NOT NULL, amount DECIMAL(18,2) NOT NULL, status VARCHAR NOT NULL, ordered_at TIMESTAMP NOT NULL)",
      "INSERT INTO raw.orders VALUES (1, 10, 12.50, 'paid', TIMESTAMP '2026-01-01 10:00:00'), (2, 11, 3.00, 'test', TIMESTAMP '2026-01-02 10:00:00')",
      "CREATE TABLE raw.customers (id BIGINT NOT NULL, email VARCHAR)",
    ])
      await run(sql);
  });
}

const names = (path: string, sql: string): Promise<string[]> => withDuckDbFile(path, async (run) => (await run(sql)).map((r) => String(r[0])));
const schemas = (path: string) => names(path, "SELECT DISTINCT schema_name FROM information_schema.schemata ORDER BY 1");
const tables = (path: string) => names(path, "SELECT table_schema || '.' || table_name FROM information_schema.tables ORDER BY 1");

describe("the warehouse port wired to the engine, on a real DuckDB file", () => {
  let repo: GitFixture;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "rocky-wh-"));
    const toml = shopTomlOnFile();
    repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": toml }, head: editLine("models/int_orders.sql", 5, "    UPPER(status) AS status"), headIsPatch: true });
    await seedWarehouse(join(dataDir, "warehouse.duckdb"));
  });
  after(() => repo.cleanup());

  test("PR branch schema created with the changed models, dropped on close; production run after merge", async () => {
    const logs: string[] = [];
    const port = projectWarehouse({ repoDir: repo.dir, dataDir, stateDir: join(dataDir, "state"), log: (m) => logs.push(m) });

    await port.createBranch(2, repo.headSha, repo.baseSha);
    const withBranch = await schemas(join(dataDir, "warehouse.duckdb"));
    await port.dropBranch(2, repo.baseSha);
    const afterDrop = await schemas(join(dataDir, "warehouse.duckdb"));
    // Production was never built: the changed int_orders reads analytics.stg_orders, which does not
    // exist, so it is built first instead of int_orders failing on it.
    await port.runProduction(repo.headSha);

    assert.ok(withBranch.includes("branch__pr_2"), withBranch.join(","));
    assert.ok(!afterDrop.includes("branch__pr_2"));
    assert.match(logs[0], /branch branch__pr_2: 2 models run/);
    assert.match(logs.at(-1) ?? "", /production [0-9a-f]{7}\.\.[0-9a-f]{7}: 3 models run \(2 changed or downstream, with 1 missing upstream\(s\) \(stg_orders\)\), status success/);
  });
});

describe("the warehouse port on a PR that adds or deletes the whole project", () => {
  const toml = shopTomlOnFile();
  const made: GitFixture[] = [];
  after(() => {
    for (const f of made) f.cleanup();
  });

  test("a PR that adds the project: no branch schema, and the error says the warehouse comes from the base's rocky.toml", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rocky-wh-"));
    const repo = createGitFixture({ base: { "README.md": "new\n" }, head: { ...SHOP_BASE, "rocky.toml": toml, "README.md": "new\n" } });
    made.push(repo);
    const port = projectWarehouse({ repoDir: repo.dir, dataDir });

    await assert.rejects(port.createBranch(2, repo.headSha, repo.baseSha), new RegExp(`^Error: ${repo.baseSha.slice(0, 7)} has no rocky\\.toml: the warehouse is read from the base side's rocky\\.toml, never from the change's own`));
    const sub = projectWarehouse({ repoDir: repo.dir, dataDir, projectDir: "analytics" });
    await assert.rejects(sub.createBranch(2, repo.headSha, repo.baseSha), /has no analytics\/rocky\.toml:/);
  });

  test("a PR that deletes the project: the branch schema is made from the base's rocky.toml, with no model to run", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rocky-wh-"));
    const repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": toml, "README.md": "x\n" }, head: { "README.md": "x\n" } });
    made.push(repo);
    await seedWarehouse(join(dataDir, "warehouse.duckdb"));
    const logs: string[] = [];
    const port = projectWarehouse({ repoDir: repo.dir, dataDir, log: (m) => logs.push(m) });

    await port.createBranch(2, repo.headSha, repo.baseSha);

    assert.deepEqual(logs, ["branch branch__pr_2: 0 models run, status success"]);
  });
});

describe("the warehouse port on a project with no target schema", () => {
  test("the production run after a push and the PR's branch schema refuse before the warehouse is opened, naming the file and line", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rocky-wh-"));
    const toml = shopTomlOnFile();
    // The PR (and then main) empties the schema every model inherits.
    const emptied = { "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = ""\n' };
    const repo = createGitFixture({ base: { ...SHOP_BASE, "rocky.toml": toml }, head: emptied, headIsPatch: true, mainAfter: [emptied] });
    try {
      await seedWarehouse(join(dataDir, "warehouse.duckdb"));
      const before = await schemas(join(dataDir, "warehouse.duckdb"));
      const logs: string[] = [];
      const port = projectWarehouse({ repoDir: repo.dir, dataDir, stateDir: join(dataDir, "state"), log: (m) => logs.push(m) });
      const refused = /^TargetConfigError: models\/_defaults\.toml:3: `target\.schema` = "" is not valid: expected a schema name, not an empty string; nothing was run/;

      await assert.rejects(port.runProduction(repo.mainSha, repo.baseSha), refused);
      await assert.rejects(port.createBranch(2, repo.headSha, repo.baseSha), refused);

      assert.deepEqual(await schemas(join(dataDir, "warehouse.duckdb")), before, "no schema created: no CREATE SCHEMA \"\", no branch schema");
      assert.deepEqual(logs, []);
    } finally {
      repo.cleanup();
    }
  });
});

describe("the warehouse port runs where `rocky run` does, and never a project with compile errors", () => {
  const TWO_ADAPTERS = [
    "[adapter.dev]",
    'type = "duckdb"',
    'path = "dev.duckdb"',
    "",
    "[adapter.prod]",
    'type = "duckdb"',
    'path = "prod.duckdb"',
    "",
    "[pipeline.shop]",
    'type = "transformation"',
    'models = "models/**"',
    "",
    "[pipeline.shop.target]",
    'adapter = "prod"',
    "",
  ].join("\n");
  const repos: GitFixture[] = [];
  after(() => {
    for (const r of repos) r.cleanup();
  });
  const setUp = async (base: Record<string, string>, head: Record<string, string | null>) => {
    const dataDir = mkdtempSync(join(tmpdir(), "rocky-wh-"));
    const repo = createGitFixture({ base: { ...SHOP_BASE, ...base }, head, headIsPatch: true });
    repos.push(repo);
    for (const db of ["dev.duckdb", "prod.duckdb"]) await seedWarehouse(join(dataDir, db));
    return { repo, dataDir, port: projectWarehouse({ repoDir: repo.dir, dataDir }) };
  };

  test("a merge runs on the transformation pipeline's target adapter, not on the first [adapter] of rocky.toml", async () => {
    const { repo, dataDir, port } = await setUp({ "rocky.toml": TWO_ADAPTERS }, editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email"));

    await port.runProduction(repo.headSha, repo.baseSha);

    assert.deepEqual(await tables(join(dataDir, "prod.duckdb")), ["analytics.stg_customers", "raw.customers", "raw.orders"]);
    assert.deepEqual(await tables(join(dataDir, "dev.duckdb")), ["raw.customers", "raw.orders"], "the dev adapter is left alone");
  });

  test("a push whose first commit is not in the clone (a shallow checkout) says what it runs instead", async () => {
    const { repo, dataDir } = await setUp({ "rocky.toml": TWO_ADAPTERS }, editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email"));
    const logs: string[] = [];
    const port = projectWarehouse({ repoDir: repo.dir, dataDir, log: (m) => logs.push(m) });

    await port.runProduction(repo.headSha, "f".repeat(40));

    assert.match(logs[0], /^the push's previous commit fffffff is not in this clone \(check out with fetch-depth: 0\): only the changes of [0-9a-f]{7} against its parent are run/);
  });

  test("a project in a sub-directory: a relative DuckDB path is the project's, as `rocky run` reads it", async () => {
    const inDir = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`analytics/${k}`, v]));
    const toml = shopTomlOnFile();
    const repo = createGitFixture({ base: inDir({ ...SHOP_BASE, "rocky.toml": toml }), head: inDir(editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email")), headIsPatch: true });
    repos.push(repo);
    await seedWarehouse(join(repo.dir, "analytics", "warehouse.duckdb"));

    await projectWarehouse({ repoDir: repo.dir, projectDir: "analytics" }).runProduction(repo.headSha, repo.baseSha);

    assert.ok((await tables(join(repo.dir, "analytics", "warehouse.duckdb"))).includes("analytics.stg_customers"));
    assert.ok(!existsSync(join(repo.dir, "warehouse.duckdb")), "not a second warehouse at the repository's root");
  });

  test("a merged model with a compile error (merge without unique_key) stops the run before the warehouse, naming its file and line", async () => {
    const { repo, dataDir, port } = await setUp({ "rocky.toml": TWO_ADAPTERS }, { "models/int_orders.toml": '[strategy]\ntype = "merge"\n' });

    await assert.rejects(port.runProduction(repo.headSha, repo.baseSha), /compile error\(s\) \(first: R002 `strategy\.unique_key` is required for type = "merge" at models\/int_orders\.toml:1\) in [0-9a-f]{7}: nothing was run/);

    assert.deepEqual(await tables(join(dataDir, "prod.duckdb")), ["raw.customers", "raw.orders"], "nothing ran (it would have been a full refresh)");
  });

  test("a merged model whose sidecar names another adapter is refused before the warehouse, for the production run and the PR's branch schema, naming its line and both adapters", async () => {
    const onDev = { "models/stg_customers.toml": ['adapter = "dev"', "", "[classification]", 'email = "pii"', ""].join("\n"), ...editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email") };
    const { repo, dataDir, port } = await setUp({ "rocky.toml": TWO_ADAPTERS }, onDev);
    const refused = /^ModelAdapterError: models\/stg_customers\.toml:1: model `stg_customers` names adapter "dev" \(duckdb\), but this run is on adapter "prod" \(duckdb\); nothing was run/;

    await assert.rejects(port.runProduction(repo.headSha, repo.baseSha), refused);
    await assert.rejects(port.createBranch(3, repo.headSha, repo.baseSha), refused);

    for (const db of ["prod.duckdb", "dev.duckdb"]) assert.deepEqual(await tables(join(dataDir, db)), ["raw.customers", "raw.orders"], `${db}: nothing written`);
    assert.ok(!(await schemas(join(dataDir, "prod.duckdb"))).some((s) => s === "analytics" || s.startsWith("branch__")), "no schema created, no branch schema");
  });

  test("a model on another adapter that the run neither writes nor reads does not stop it", async () => {
    const base = { "rocky.toml": TWO_ADAPTERS, "models/fct_revenue.toml": `adapter = "dev"\n${SHOP_BASE["models/fct_revenue.toml"]}` };
    const { repo, dataDir, port } = await setUp(base, editLine("models/stg_customers.sql", 3, "    LOWER(email) AS email"));

    await port.runProduction(repo.headSha, repo.baseSha);

    assert.deepEqual(await tables(join(dataDir, "prod.duckdb")), ["analytics.stg_customers", "raw.customers", "raw.orders"]);
  });

  test("a misspelt adapter type in the base's rocky.toml is named at its line, not 'no adapter'", async () => {
    const { repo, port } = await setUp({ "rocky.toml": TWO_ADAPTERS.replace('[adapter.prod]\ntype = "duckdb"', '[adapter.prod]\ntype = "duckbd"') }, { "README.md": "x\n" });

    await assert.rejects(port.dropBranch(7, repo.baseSha), /first: R002 `adapter\.prod\.type` = "duckbd" is not one of .*\(did you mean "duckdb"\?\) at rocky\.toml:6\)/);
  });
});
