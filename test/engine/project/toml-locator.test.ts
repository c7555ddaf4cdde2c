import assert from "node:assert/strict";
import { test } from "node:test";
import { locateTomlKeys } from "../../../engine/src/project/toml-locator.js";

const TEXT = `# header comment
title = "x" # trailing

[adapter.prod]
type = "databricks"
"http_path" = "/sql/1"
retry.max_retries = 3

[[pipeline.a.steps]]
name = "one"
[[pipeline.a.steps]]
name = "two"
  inner = { kind = "k", nested = { deep = 1 } }

[strategy]
unique_key = [
  "a", # comment
  "b",
]
desc = """
multi
line = not a key
"""
after = true
'lit.key' = 1
`;

test("locates keys in tables, arrays of tables, dotted, quoted and inline keys", () => {
  const loc = locateTomlKeys(TEXT);
  const key = (...p: (string | number)[]) => loc.find(p)?.key;
  assert.deepEqual(key("title"), { line: 2, col: 1 });
  assert.deepEqual(key("adapter", "prod"), { line: 4, col: 1 });
  assert.deepEqual(key("adapter", "prod", "type"), { line: 5, col: 1 });
  assert.deepEqual(key("adapter", "prod", "http_path"), { line: 6, col: 1 });
  assert.deepEqual(key("adapter", "prod", "retry", "max_retries"), { line: 7, col: 7 });
  assert.deepEqual(key("pipeline", "a", "steps", 0, "name"), { line: 10, col: 1 });
  assert.deepEqual(key("pipeline", "a", "steps", 1, "name"), { line: 12, col: 1 });
  assert.deepEqual(key("pipeline", "a", "steps", 1, "inner", "kind"), { line: 13, col: 13 });
  assert.deepEqual(key("pipeline", "a", "steps", 1, "inner", "nested", "deep"), { line: 13, col: 36 });
  assert.deepEqual(key("strategy", "unique_key", 1), { line: 18, col: 3 });
  assert.deepEqual(key("strategy", "after"), { line: 24, col: 1 });
  assert.deepEqual(key("strategy", "lit.key"), { line: 25, col: 1 });
  assert.equal(loc.find(["strategy", "line"]), undefined, "text inside a multi-line string is not a key");
});

test("values point at the value; unknown paths fall back to the nearest ancestor", () => {
  const loc = locateTomlKeys(TEXT);
  assert.deepEqual(loc.valueAt(["adapter", "prod", "type"]), { line: 5, col: 8 });
  assert.deepEqual(loc.keyAt(["adapter", "prod", "missing"]), { line: 4, col: 1 });
  assert.deepEqual(loc.keyAt(["nowhere"]), { line: 1, col: 1 });
});

test("never throws on garbage", () => {
  for (const t of ["[", "[[a", "a = {", 'x = """', "= 1", "a.b.", "\u0000\u0001", "[a]\n[[a]]\n"]) {
    const loc = locateTomlKeys(t);
    assert.ok(loc.keyAt(["a", "b"]).line >= 1);
  }
});

test("a dotted key of 20,000 parts (from the fuzz campaign) keeps its first 256 and every key after it located", () => {
  const parts = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
  const loc = locateTomlKeys(`schedule = "daily"\n${parts.join(".")} = 1\n[strategy]\ntype = 3\n[${parts.join(".")}]\nx = 1\n`);
  assert.deepEqual(loc.find(["k0"])?.key, { line: 2, col: 1 });
  assert.deepEqual(loc.find(parts.slice(0, 256))?.key, { line: 2, col: parts.slice(0, 255).join(".").length + 2 });
  assert.equal(loc.find(parts.slice(0, 257)), undefined, "parts past the 256th are read, not recorded");
  assert.deepEqual(loc.valueAt(["strategy", "type"]), { line: 4, col: 8 });
});
