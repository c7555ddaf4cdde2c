import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB_FUNCTIONS } from "../../../engine/src/checks/duckdb-functions.js";
import { renderNameSet } from "./support/render-name-set.js";

/**
 * E057 reports a call to a function DuckDB does not have. Its list is data, checked here against
 * the DuckDB the engine runs models on (`duckdb_functions()`, with the extensions it loads by
 * itself): a DuckDB upgrade that adds or drops a function shows up as a difference.
 * `UPDATE_GOLDEN=1` writes the list anew.
 */
const FILE = new URL("../../../engine/src/checks/duckdb-functions.ts", import.meta.url);

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});
after(() => conn?.closeSync());

describe("the functions DuckDB has", () => {
  it("are exactly the ones duckdb_functions() lists", async () => {
    const rows = (await conn.runAndReadAll("SELECT DISTINCT lower(function_name) FROM duckdb_functions() ORDER BY 1")).getRows();
    // Operators (`+`, `->>`) are listed too: only names are called.
    const names = rows.map((r) => String(r[0])).filter((n) => /^[a-z_][a-z0-9_]*$/.test(n)).sort();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(FILE, render(names));
    assert.deepEqual([...DUCKDB_FUNCTIONS].sort(), names, "UPDATE_GOLDEN=1 node scripts/test.mjs test/engine/checks/duckdb-functions.test.ts rewrites the list");
    assert.ok(names.length > 500, `only ${names.length}: the probe is broken`);
  });

  it("leave to the exempt call forms only names DuckDB does not list, each of which DuckDB takes in a call", async () => {
    const { DUCKDB_CALL_FORMS } = await import("../../../engine/src/checks/rules/unknown-function.js");
    assert.deepEqual([...DUCKDB_CALL_FORMS].filter((n) => DUCKDB_FUNCTIONS.has(n)), [], "a listed name needs no exemption");
    // Forms DuckDB binds as calls (the rest are syntax: CAST(x AS t), EXTRACT(f FROM x), GROUP BY ROLLUP (...), ...).
    for (const sql of ["SELECT coalesce(NULL, 1)", "SELECT if(true, 1, 2)", "SELECT ifnull(NULL, 1)", "SELECT try(1)", "SELECT current_timestamp", "SELECT localtimestamp"]) {
      await conn.run(sql);
    }
  });
});

function render(names: readonly string[]): string {
  return renderNameSet(
    `Every function the DuckDB the engine runs models on has (\`duckdb_functions()\`: scalar,
aggregate, table and macro, with the extensions it loads by itself), lower-case, for E057
(rules/unknown-function.ts). Data, written and checked against a real DuckDB by
test/engine/checks/duckdb-functions.test.ts (UPDATE_GOLDEN=1 writes it anew).`,
    "DUCKDB_FUNCTIONS",
    names,
  );
}
