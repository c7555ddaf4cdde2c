import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB_MISSING_FUNCTIONS } from "../../../engine/src/checks/duckdb-missing-functions.js";
import { duckdbMissingFunctions } from "./support/duckdb-missing.js";
import { renderNameSet } from "./support/render-name-set.js";

/**
 * P001 for a DuckDB target flags a Snowflake, Databricks or BigQuery built-in DuckDB does not have
 * (TO_NUMBER, CONVERT_TIMEZONE, ...). The list is data, checked here against the DuckDB at hand:
 * a DuckDB upgrade that adds a function, or a function table that gains a name, shows up as a
 * difference. `UPDATE_GOLDEN=1` writes the list anew.
 */
const FILE = new URL("../../../engine/src/checks/duckdb-missing-functions.ts", import.meta.url);

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});
after(() => conn?.closeSync());

describe("the functions DuckDB lacks", () => {
  it("are exactly the ones a real DuckDB says do not exist", async () => {
    const missing = await duckdbMissingFunctions(conn);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(FILE, render(missing));
    assert.deepEqual([...DUCKDB_MISSING_FUNCTIONS].sort(), missing, "UPDATE_GOLDEN=1 node scripts/test.mjs test/engine/checks/duckdb-missing-functions.test.ts rewrites the list");
    assert.ok(missing.length > 100, `only ${missing.length}: the probe is broken`);
  });
});

function render(names: readonly string[]): string {
  return renderNameSet(
    `The built-in functions of Snowflake, Databricks and BigQuery (as our function tables know them)
that DuckDB does not have, for P001 with a DuckDB target (dialect-portability.ts). Catalog rows
with their own advice are not listed. Data, written and checked against a real DuckDB by
test/engine/checks/duckdb-missing-functions.test.ts (UPDATE_GOLDEN=1 writes it anew).`,
    "DUCKDB_MISSING_FUNCTIONS",
    names,
  );
}
