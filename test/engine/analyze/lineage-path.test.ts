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
    makePath(undefined, undefined, true, undefined, "lower"),
    makePath("max", undefined, false, undefined, "max"),
    makePath(undefined, "lag", false, undefined, "lag"),
  ];
  for (const outer of paths) {
    for (const inner of paths) {
      assert.deepEqual(composeTransform(pathToTransform(outer), pathToTransform(inner)), pathToTransform(composePath(outer, inner)), `${JSON.stringify(pathToTransform(outer))} over ${JSON.stringify(pathToTransform(inner))}`);
    }
  }
});

test("a path keeps its source's values only while every step keeps them", () => {
  const lower = makePath(undefined, undefined, true, undefined, "lower");
  const max = makePath("max", undefined, false, undefined, "max");
  const cast = makePath(undefined, undefined, false, { style: "cast", to: "String" });
  assert.deepEqual(pathToTransform(lower), { kind: "expression", keeps: "lower" });
  assert.deepEqual(pathToTransform(composePath(max, lower)), { kind: "aggregation", fn: "max", keeps: "lower" });
  assert.deepEqual(pathToTransform(composePath(cast, lower)), { kind: "expression", keeps: "lower" });
  // An operator, or an aggregate that derives a value, over a kept path loses it, and the other way round.
  assert.deepEqual(pathToTransform(composePath(EXPRESSION, lower)), { kind: "expression" });
  assert.equal(composePath(EXPRESSION, lower), EXPRESSION);
  assert.deepEqual(pathToTransform(composePath(makePath("sum", undefined, false), lower)), { kind: "aggregation", fn: "sum" });
  assert.deepEqual(pathToTransform(composePath(lower, makePath("count", undefined, false))), { kind: "aggregation", fn: "count" });
  // `keep` means nothing on a path with no operator: it is a reference or a cast.
  assert.equal(makePath(undefined, undefined, false, undefined, "lower"), DIRECT);
  // Of two edges of one kind to one column, the one that keeps the values is kept.
  const s: PathSource = { model: "m", column: "email", path: EXPRESSION };
  assert.deepEqual(toLineageSources([s, { ...s, path: lower }]), [{ model: "m", column: "email", transform: { kind: "expression", keeps: "lower" } }]);
  assert.deepEqual(toLineageSources([{ ...s, path: lower }, s]), [{ model: "m", column: "email", transform: { kind: "expression", keeps: "lower" } }]);
  // wrapSources' shortcut for an operator over lost paths does not skip a kept one.
  assert.deepEqual(
    wrapSources([{ ...s, path: lower }], EXPRESSION).map((x) => pathToTransform(x.path)),
    [{ kind: "expression" }],
  );
});
