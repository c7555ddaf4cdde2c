import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB_TYPE_NAMES } from "../../../engine/src/types/duckdb-type-names.js";
import { renderNameSet } from "../checks/support/render-name-set.js";

/**
 * R020 reports a cast to a type DuckDB does not have (`CAST(x AS INTERGER)`). Its list is data,
 * checked here against the DuckDB the engine runs models on (`duckdb_types()`, aliases included).
 * `UPDATE_GOLDEN=1` writes it anew.
 */
const FILE = new URL("../../../engine/src/types/duckdb-type-names.ts", import.meta.url);

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});
after(() => conn?.closeSync());

describe("the type names DuckDB has", () => {
  it("are exactly the ones duckdb_types() lists", async () => {
    const rows = (await conn.runAndReadAll("SELECT DISTINCT lower(type_name) FROM duckdb_types() ORDER BY 1")).getRows();
    const names = rows.map((r) => String(r[0])).sort();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(FILE, render(names));
    assert.deepEqual([...DUCKDB_TYPE_NAMES].sort(), names, "UPDATE_GOLDEN=1 node scripts/test.mjs test/engine/types/duckdb-type-names.test.ts rewrites the list");
    assert.ok(names.includes("integer") && names.includes("varchar"), "the probe is broken");
  });

  it("hold every name our parser writes for a multi-word type that DuckDB takes", async () => {
    for (const t of ["DOUBLE PRECISION", "CHARACTER VARYING", "TIMESTAMP WITH TIME ZONE", "TIME WITH TIME ZONE", "TIMESTAMP WITHOUT TIME ZONE"]) {
      await conn.run(`SELECT CAST(NULL AS ${t})`);
    }
  });
});

function render(names: readonly string[]): string {
  return renderNameSet(
    `Every type name the DuckDB the engine runs models on has (\`duckdb_types()\`, aliases included),
lower-case, for R020 (analyze-model.ts). Data, written and checked against a real DuckDB by
test/engine/types/duckdb-type-names.test.ts (UPDATE_GOLDEN=1 writes it anew).`,
    "DUCKDB_TYPE_NAMES",
    names,
  );
}
