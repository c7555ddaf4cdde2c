import assert from "node:assert/strict";
import { test } from "node:test";
import { composePath, composeTransform, DIRECT, EXPRESSION, makePath, pathToTransform, type PathSource, toLineageSources, wrapSources } from "../../../engine/src/analyze/lineage-path.js";

test("equal paths are one object, and each carries its transform", () => {
  const sum = makePath("sum", undefined, false);
  assert.equal(makePath("sum", undefined, false), sum);
  assert.notEqual(makePath("avg", undefined, false), sum);
  assert.deepEqual(pathToTransform(sum), { kind: "aggregation", fn: "sum" });
  assert.deepEqual(pathToTransform(makePath(undefined, "rank", false)), { kind: "window", fn: "rank" });
  assert.deepEqual(pathToTransform(makePath(undefined, undefined, false, { style: "try_cast", to: "Int64" })), { kind: "try_cast", to: "Int64" });
  assert.deepEqual(pathToTransform(DIRECT), { kind: "direct" });
  assert.deepEqual(pathToTransform(EXPRESSION), { kind: "expression" });
});

test("composition keeps the innermost aggregate and window, the outermost cast, and any expression; memoised by identity", () => {
  const cast = makePath(undefined, undefined, false, { style: "cast", to: "Decimal(10,2)" });
  const sum = makePath("sum", undefined, false);
  const castOverSum = composePath(cast, sum);
  assert.deepEqual(pathToTransform(castOverSum), { kind: "aggregation", fn: "sum" });
  assert.equal(castOverSum.cast?.to, "Decimal(10,2)");
  assert.equal(composePath(cast, sum), castOverSum);
  const inner = makePath("max", undefined, false);
  assert.equal(composePath(sum, inner).agg, "max");
  assert.equal(composePath(EXPRESSION, sum).expr, true);
  assert.equal(composePath(DIRECT, sum), sum);
  assert.equal(composePath(sum, DIRECT), sum);
  assert.equal(composePath(EXPRESSION, EXPRESSION), EXPRESSION);
});

test("wrapSources and toLineageSources: the most direct path per column wins, lists are exact", () => {
  const a: PathSource = { model: "m", column: "A", path: DIRECT };
  const b: PathSource = { model: "m", column: "b", path: DIRECT };
  const wrapped = wrapSources([a, b], makePath("sum", undefined, false));
  assert.deepEqual(
    wrapped.map((s) => pathToTransform(s.path)),
    [
      { kind: "aggregation", fn: "sum" },
      { kind: "aggregation", fn: "sum" },
    ],
  );
  assert.deepEqual(toLineageSources([...wrapped, { model: "m", column: "a", path: DIRECT }]), [
    { model: "m", column: "A", transform: { kind: "direct" } },
    { model: "m", column: "b", transform: { kind: "aggregation", fn: "sum" } },
  ]);
  assert.deepEqual(toLineageSources([]), []);
});

test("composeTransform summarises what composePath makes of the paths behind two transforms", () => {
  const paths = [
    DIRECT,
    EXPRESSION,
    makePath("sum", undefined, false),
    makePath("max", undefined, true),
    makePath(undefined, "rank", false),
    makePath(undefined, undefined, false, { style: "cast", to: "Int64" }),
    makePath(undefined, undefined, false, { style: "try_cast", to: "String" }),
  ];
  for (const outer of paths) {
    for (const inner of paths) {
      assert.deepEqual(composeTransform(pathToTransform(outer), pathToTransform(inner)), pathToTransform(composePath(outer, inner)), `${JSON.stringify(pathToTransform(outer))} over ${JSON.stringify(pathToTransform(inner))}`);
    }
  }
});
