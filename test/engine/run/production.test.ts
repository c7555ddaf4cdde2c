import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createDuckDbAdapter } from "../../../engine/src/adapters/duckdb-adapter.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { runProduction } from "../../../engine/src/run/index.js";
import { openStateStore, type StateStore } from "../../../engine/src/state/index.js";

/** stg reads raw.events; mart reads stg; late reads raw.late, which does not exist at first. */
const FILES: Record<string, string> = {
  "rocky.toml": '[adapter]\ntype = "duckdb"\n',
  "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "prod"\n',
  "models/stg.sql": "SELECT id, kind FROM raw.events",
  "models/mart.sql": "SELECT kind, COUNT(*) AS n FROM stg GROUP BY kind",
  "models/late.sql": "SELECT id FROM raw.late",
};
const compile = (edits: Record<string, string> = {}) => compileProject(new Map(Object.entries({ ...FILES, ...edits })), { env: {}, vars: {} });

describe("production runs build what production needs, not only what the push changed", () => {
  const dir = mkdtempSync(join(tmpdir(), "rocky-prod-"));
  let db: WarehouseAdapter;
  let state: StateStore;
  before(async () => {
    db = await createDuckDbAdapter({ path: join(dir, "wh.duckdb") });
    await db.execute("CREATE SCHEMA raw");
    await db.execute("CREATE TABLE raw.events AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a')) t(id, kind)");
    state = await openStateStore(join(dir, "state"));
  });
  after(async () => {
    await db.close();
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the first production run builds the unchanged upstream a changed model reads, instead of failing on it", async () => {
    const base = await compile();
    const head = await compile({ "models/mart.sql": "SELECT kind, COUNT(*) AS n, MAX(id) AS last_id FROM stg GROUP BY kind" });

    const { changed, missing, run } = await runProduction({ adapter: db, state, head, base });

    assert.deepEqual(changed, ["mart"]);
    assert.deepEqual(missing, ["stg"]);
    assert.deepEqual(run.per_model.map((m) => [m.model_name, m.status]), [
      ["stg", "success"],
      ["mart", "success"],
    ]);
  });

  it("a model whose last production run failed runs again on the next merge, though the merge does not touch it", async () => {
    const base = await compile();
    const first = await runProduction({ adapter: db, state, head: await compile({ "models/late.sql": "SELECT id, 1 AS v FROM raw.late" }), base });
    assert.equal(first.run.per_model.find((m) => m.model_name === "late")?.status, "failure", "raw.late does not exist yet");
    await db.execute("CREATE TABLE raw.late AS SELECT 7 AS id");

    // The next merge changes only stg (and so mart); late is as the last merge left it.
    const head = await compile({ "models/late.sql": "SELECT id, 1 AS v FROM raw.late", "models/stg.sql": "SELECT id, UPPER(kind) AS kind FROM raw.events" });
    const { changed, retried, run } = await runProduction({ adapter: db, state, head, base: await compile({ "models/late.sql": "SELECT id, 1 AS v FROM raw.late" }) });

    assert.deepEqual(changed, ["stg", "mart"]);
    assert.deepEqual(retried, ["late"]);
    assert.equal(run.status, "success", JSON.stringify(run.per_model));
    assert.deepEqual(await db.query("SELECT id, v FROM wh.prod.late"), [{ id: 7, v: 1 }]);
    const again = await runProduction({ adapter: db, state, head, base: head });
    assert.deepEqual([again.retried, again.run.per_model.length], [[], 0], "a success is not run again");
  });
});
