import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { changedModels } from "../../../engine/src/run/index.js";

/** A three-model project: `a` <- `b`, and `c` on its own; `defaults` is models/_defaults.toml. */
const project = (defaults: string, extra: Record<string, string> = {}) =>
  compileProject(
    new Map<string, string>([
      ["rocky.toml", '[adapter]\ntype = "duckdb"\n'],
      ["models/_defaults.toml", defaults],
      ["models/a.sql", "SELECT 1 AS id"],
      ["models/b.sql", "SELECT id FROM a"],
      ["models/c.sql", "SELECT 2 AS id"],
      ...Object.entries(extra),
    ]),
    { env: {}, vars: {} },
  );

const DEFAULTS = '[target]\ncatalog = "w"\nschema = "marts"\n';

describe("changedModels: what a production or PR branch run selects", () => {
  it("nothing when nothing changed", async () => {
    assert.deepEqual(changedModels(await project(DEFAULTS), await project(DEFAULTS)), []);
  });

  it("a target schema moved in _defaults.toml reaches every model it configures (no model file changed)", async () => {
    const head = await project('[target]\ncatalog = "w"\nschema = "marts_v2"\n');
    assert.deepEqual(changedModels(head, await project(DEFAULTS)).sort(), ["a", "b", "c"]);
  });

  it("a strategy set in _defaults.toml is a change of the models it reaches", async () => {
    const head = await project(`${DEFAULTS}\n[strategy]\ntype = "view"\n`);
    assert.deepEqual(changedModels(head, await project(DEFAULTS)).sort(), ["a", "b", "c"]);
  });

  it("a model's own SQL change selects it and its downstream only", async () => {
    const head = await project(DEFAULTS, { "models/a.sql": "SELECT 3 AS id" });
    assert.deepEqual(changedModels(head, await project(DEFAULTS)).sort(), ["a", "b"]);
  });
});
