import assert from "node:assert/strict";
import { test } from "node:test";
import { buildModelGraph, type GraphNode } from "../../../engine/src/graph/build-model-graph.js";
import { createNameMatcher } from "../../../engine/src/graph/name-matcher.js";
import { didYouMean } from "../../../engine/src/util/did-you-mean.js";
import { seededRandom } from "../../support/seeded-random.js";

const ALPHABET = ["a", "b", "c", "d", "e", "_", "0", "1", "s", "t", "g", "A", "B", "İ", "ß", "é", "É"];

function word(rand: () => number, max: number): string {
  const n = Math.floor(rand() * (max + 1));
  let out = "";
  for (let i = 0; i < n; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

/** A near miss of `w`: a deletion, insertion, substitution, adjacent swap or case change. */
function mutate(w: string, rand: () => number): string {
  if (w.length === 0) return word(rand, 3);
  const i = Math.floor(rand() * w.length);
  const c = ALPHABET[Math.floor(rand() * ALPHABET.length)];
  switch (Math.floor(rand() * 6)) {
    case 0:
      return w.slice(0, i) + w.slice(i + 1);
    case 1:
      return w.slice(0, i) + c + w.slice(i);
    case 2:
      return w.slice(0, i) + c + w.slice(i + 1);
    case 3:
      return i + 1 < w.length ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w;
    case 4:
      return w.toUpperCase();
    default:
      return mutate(mutate(w, rand), rand);
  }
}

test("the name matcher answers exactly what didYouMean answers (random names, near misses, case, Unicode, ties)", () => {
  const rand = seededRandom(0x6e6d);
  let guessed = 0;
  for (let round = 0; round < 200; round++) {
    const names = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => word(rand, 12));
    const match = createNameMatcher(names);
    for (let q = 0; q < 40; q++) {
      const input = rand() < 0.7 ? mutate(names[Math.floor(rand() * names.length)], rand) : word(rand, 14);
      const expected = didYouMean(input, names);
      assert.equal(match(input), expected, `${JSON.stringify(input)} in ${JSON.stringify(names)}`);
      assert.equal(match(input), expected, "memoised answer");
      if (expected !== undefined) guessed++;
    }
  }
  // The inputs must often be close enough for a guess, or the comparison proves little.
  assert.ok(guessed > 2000, `guessed ${guessed}`);
});

test("the graph's did-you-mean for unknown names is unchanged, and 3,000 models reading bare external tables stay fast", () => {
  const nodes: GraphNode[] = [
    { name: "stg_orders", file: "models/stg_orders.sql", dependsOn: [], bareRefs: [], qualifiedRefs: [] },
    { name: "fct", file: "models/fct.sql", dependsOn: ["stg_ordrs", "nothing_like_it"], bareRefs: [{ name: "stg_odrers", line: 3, col: 6 }], qualifiedRefs: [] },
    { name: "stg_ordrs_x", file: "models/stg_ordrs_x.sql", dependsOn: [], bareRefs: [], qualifiedRefs: [] },
  ];
  const g = buildModelGraph(nodes);
  assert.deepEqual(
    g.diagnostics.map((d) => d.message),
    ["unknown model `stg_odrers` (did you mean `stg_orders`?)", "depends_on names unknown model `stg_ordrs` (did you mean `stg_orders`?)", "depends_on names unknown model `nothing_like_it`"],
  );
  // Quadratic before: every miss compared against every model name (about 9 s here).
  const many: GraphNode[] = Array.from({ length: 3000 }, (_, i) => {
    const name = `stg_${String(i).padStart(5, "0")}`;
    return { name, file: `models/${name}.sql`, dependsOn: [], bareRefs: [{ name: `raw_orders_${i}`, line: 2, col: 6 }], qualifiedRefs: [] };
  });
  const big = buildModelGraph(many);
  assert.equal(big.diagnostics.length, 0);
  assert.deepEqual(big.external.get("stg_00007"), ["raw_orders_7"]);
});
