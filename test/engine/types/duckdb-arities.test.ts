import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB_ARITIES, MAX_PROBED_ARITY } from "../../../engine/src/types/functions/duckdb-arities.js";

/**
 * R011 reports a call to a DuckDB function with a number of arguments it has no overload for
 * (`date_trunc('day')`). The numbers each function takes are data, probed here in the DuckDB the
 * engine runs models on: each function called with 0 to 6 NULLs, where only a wrong number of
 * arguments can fail to bind (a NULL fits any type). Any other error counts as a number it takes,
 * and so does every number an overload in duckdb_functions() declares: the check never refuses a
 * call DuckDB might accept. `UPDATE_GOLDEN=1` writes the data anew.
 */
const FILE = new URL("../../../engine/src/types/functions/duckdb-arities.ts", import.meta.url);
const ARITY_ERROR = /No function matches the given name and argument types|does not support the supplied arguments|Wrong number of arguments/i;

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
  await conn.run("SET autoinstall_known_extensions = false");
  await conn.run("SET autoload_known_extensions = false");
});
after(() => conn?.closeSync());

async function probe(): Promise<Record<string, number>> {
  const rows = (await conn.runAndReadAll("SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro') ORDER BY 1")).getRows();
  const overloads = new Map<string, { count: number; varargs: boolean }[]>();
  const declared = (await conn.runAndReadAll("SELECT lower(function_name), len(parameters), varargs IS NOT NULL AND varargs <> 'NULL' FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro')")).getRows();
  for (const [name, count, varargs] of declared) {
    const list = overloads.get(String(name)) ?? [];
    list.push({ count: Number(count), varargs: varargs === true });
    overloads.set(String(name), list);
  }
  const out: Record<string, number> = {};
  for (const [name] of rows) {
    const n = String(name);
    if (!/^[a-z_][a-z0-9_]*$/.test(n)) continue;
    let mask = 0;
    for (let k = 0; k <= MAX_PROBED_ARITY; k++) {
      try {
        await conn.run(`SELECT ${n}(${Array(k).fill("NULL").join(", ")})`);
        mask |= 1 << k;
      } catch (e) {
        if (!ARITY_ERROR.test(String((e as Error).message))) mask |= 1 << k;
      }
    }
    // A number an overload declares counts too (a NULL that some parameter type refuses would otherwise hide it).
    for (const declared of overloads.get(n) ?? []) {
      if (declared.varargs) for (let k = declared.count; k <= MAX_PROBED_ARITY; k++) mask |= 1 << k;
      else if (declared.count <= MAX_PROBED_ARITY) mask |= 1 << declared.count;
    }
    // Only functions that refuse some number of arguments are listed.
    if (mask !== (1 << (MAX_PROBED_ARITY + 1)) - 1) out[n] = mask;
  }
  return out;
}

describe("the numbers of arguments DuckDB's functions take", () => {
  it("are the ones probed in the DuckDB at hand", async () => {
    const probed = await probe();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(FILE, render(probed));
    assert.deepEqual({ ...DUCKDB_ARITIES }, probed, "UPDATE_GOLDEN=1 node scripts/test.mjs test/engine/types/duckdb-arities.test.ts rewrites the data");
    // substr takes 2 or 3; date_trunc 2; lower 1; a probe that lost its way would not say so.
    assert.equal(probed.substr, 0b1100);
    assert.equal(probed.lower, 0b10);
  });
});

function render(data: Record<string, number>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${v},`);
  return `/**
 * For each DuckDB function that refuses some number of arguments: a bit mask of the numbers from 0
 * to MAX_PROBED_ARITY it takes (bit k: k arguments), probed in the DuckDB the engine runs models on
 * (a NULL fits any type, so only a wrong number fails to bind). Past MAX_PROBED_ARITY a call is
 * taken when the mask takes MAX_PROBED_ARITY. Functions that take every number probed are not
 * listed, nor are window-only functions (no probe binds them). Data, written and checked by
 * test/engine/types/duckdb-arities.test.ts (UPDATE_GOLDEN=1 writes it anew).
 */
export const MAX_PROBED_ARITY = 6;

export const DUCKDB_ARITIES: Readonly<Record<string, number>> = {
${lines.join("\n")}
};
`;
}
