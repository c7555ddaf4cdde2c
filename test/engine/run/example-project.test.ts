import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import { seedSchemas } from "../../../engine/src/adapters/seed-schemas.js";
import { splitStatements } from "../../../engine/src/adapters/split-statements.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { dropBranch, runProduction, runPullRequestBranch, TargetConfigError } from "../../../engine/src/run/index.js";
import { openStateStore } from "../../../engine/src/state/index.js";

const root = new URL("../../../examples/shop/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "rocky-example-run-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the example project on DuckDB, compiled by the real compiler", () => {
  it("production run, then a PR branch with only the changed model and its downstream; drop cleans up", async () => {
    const files = readProjectDir(root);
    const options = { env: {}, vars: {}, withSeed: true, seedRunner: seedSchemas };
    const base = await compileProject(files, options);
    const db = await createDuckDbAdapter({ path: join(dir, "shop.duckdb") });
    const state = await openStateStore(join(dir, "state"));
    try {
      for (const s of splitStatements(readFileSync(join(root, "data/seed.sql"), "utf8"))) await db.execute(s.sql);
      const prod = await runProduction({ adapter: db, state, head: base });
      assert.equal(prod.run.status, "success", JSON.stringify(prod.run.per_model, null, 1));
      assert.equal(prod.changed.length, base.models.size, "no base: every model");
      assert.ok(state.runHistory("fct_orders").length === 1);

      const headFiles = new Map(files);
      const file = "models/fct_revenue_daily.sql";
      headFiles.set(file, `${String(files.get(file)).trimEnd()}\n-- a comment changes the content hash\n`);
      const head = await compileProject(headFiles, options);
      const pr = await runPullRequestBranch({ adapter: db, state, pr: 17, headSha: "cafe", head, base });
      assert.deepEqual(pr.changed, ["fct_revenue_daily"]);
      assert.equal(pr.run.status, "success", JSON.stringify(pr.run.per_model, null, 1));
      assert.equal(pr.branch.schema, "branch__pr_17");
      assert.deepEqual(await db.listSchemas("branch__"), ["branch__pr_17"]);
      const tables = await db.query("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'branch__pr_17'");
      assert.deepEqual(tables.map((t) => t.table_name), ["fct_revenue_daily"]);
      assert.equal((await dropBranch(db, state, 17)).removed, true);
      assert.deepEqual(await db.listSchemas("branch__"), []);
    } finally {
      await state.close();
      await db.close();
    }
  });

  it("an empty target schema: production and PR branch runs refuse before the warehouse is touched, naming _defaults.toml and its line", async () => {
    const files = new Map(readProjectDir(root));
    files.set("models/_defaults.toml", '[target]\ncatalog = "analytics"\nschema = ""\n');
    const head = await compileProject(files, { env: {}, vars: {} });
    const db = await createDuckDbAdapter({ path: join(dir, "empty-schema.duckdb") });
    try {
      const before = await db.listSchemas();
      const refused = (e: unknown) => e instanceof TargetConfigError && /^models\/_defaults\.toml:3: `target\.schema` = "" is not valid: expected a schema name, not an empty string; nothing was run/.test(e.message);
      await assert.rejects(runProduction({ adapter: db, head }), refused);
      await assert.rejects(runPullRequestBranch({ adapter: db, pr: 18, head }), refused);
      assert.deepEqual(await db.listSchemas(), before, "no schema created, not even the branch schema");
    } finally {
      await db.close();
    }
  });
});
