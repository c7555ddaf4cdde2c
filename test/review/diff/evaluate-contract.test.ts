import assert from "node:assert/strict";
import { test } from "node:test";
import type { Contract } from "../../../engine/src/project/types.js";
import { evaluateContract } from "../../../review/src/diff/evaluate-contract.js";
import { col, model } from "./build-compiled.js";

const contract: Contract = { model: "m", file: "models/m.contract.toml", source: "auto", columns: [{ name: "id", nullable: false }], required: [], protected: [] };

test("E012 in the review as in the compile: a nullable column, but not one nullable only by assumption", () => {
  const nullable = model("m", { columns: [col("id", "Int64", { nullable: true })] });
  assert.deepEqual(evaluateContract(nullable, contract).map((v) => v.code), ["E012"]);
  // A CAST of a column of a source with no schema: typed, nullable only because nothing says otherwise.
  const assumed = { ...nullable, columns: nullable.columns.map((c) => ({ ...c, nullableAssumed: true as const })) };
  assert.deepEqual(evaluateContract(assumed, contract), []);
});
