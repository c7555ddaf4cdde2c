import assert from "node:assert/strict";
import { test } from "node:test";
import { findColumn } from "../../../engine/src/checks/contract-columns.js";
import { seededRandom } from "../../support/seeded-random.js";

/** The definition: the first exact match in list order, else the first case-insensitive one. */
const byScan = <T extends { readonly name: string }>(columns: readonly T[], name: string) =>
  columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());

test("findColumn answers what a scan answers on short and long lists (duplicates and case variants included)", () => {
  const rand = seededRandom(0xc01);
  const pool = ["id", "ID", "Id", "amount", "AMOUNT", "name", "Name", "ts", "é", "É", "İd", "i̇d"];
  for (let round = 0; round < 300; round++) {
    const n = Math.floor(rand() * 60);
    const columns = Array.from({ length: n }, (_, i) => ({ name: rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : `c_${Math.floor(rand() * 40)}`, i }));
    for (let q = 0; q < 20; q++) {
      const name = rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : `C_${Math.floor(rand() * 40)}`;
      assert.equal(findColumn(columns, name), byScan(columns, name), `${name} in ${JSON.stringify(columns)}`);
    }
  }
});

test("findColumn on a long list that grew after a lookup sees the new columns", () => {
  const columns = Array.from({ length: 40 }, (_, i) => ({ name: `c_${i}` }));
  assert.equal(findColumn(columns, "c_40"), undefined);
  columns.push({ name: "c_40" });
  assert.equal(findColumn(columns, "C_40"), columns[40]);
});
