import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseTargetDialect } from "../../../engine/src/checks/index.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { DIAGNOSTICS } from "../../../engine/src/diagnostics/registry.js";
import { compileFixture } from "./support/compile-fixture.js";
import { type FixtureFile, projectFiles } from "./support/fixture-project.js";

/**
 * The per-code fixture harness: test/fixtures/diagnostics/<CODE>-<slug>.json, each with named
 * `fail` cases (project files + the expected findings of that code: file, line, col — exactly
 * those, no more) and `pass` cases (the code must not fire). Files are added to a small default
 * project (rocky.toml on DuckDB, `_defaults.toml`, a source schema for raw.orders); a case
 * overrides any of them by path, removes one with null, or makes one unreadable with
 * `{"unreadable": true}` (passed to the loader as `null`) or with the reader's account of why
 * (`{"unreadable": "not-utf8", "line": 2, "col": 7}`: see support/fixture-project.ts).
 */
interface FixtureCase {
  readonly name: string;
  readonly files: Readonly<Record<string, FixtureFile>>;
  readonly target?: string;
  readonly expect?: readonly { readonly file: string; readonly line: number; readonly col: number; readonly message?: string; readonly severity?: string; readonly suggestion?: string; readonly replacement?: string }[];
}
interface Fixture {
  readonly code: string;
  readonly rule: string;
  readonly description: string;
  readonly fail: readonly FixtureCase[];
  readonly pass: readonly FixtureCase[];
}

export const FIXTURE_DIR = new URL("../../fixtures/diagnostics/", import.meta.url).pathname;



/**
 * Codes the per-code fixture format cannot express yet; each is covered elsewhere, as noted.
 * The coverage test accepts a code only while it is listed here.
 */
export const PENDING_FIXTURE_CODES: Readonly<Record<string, string>> = {
  // No user input reaches it honestly: the parser stops at MAX_TREE_DEPTH (900) before the analyzer's
  // 1000-level limit, and exceptions in inference are bugs. malformed.test.ts asserts it never fires.
  R009: "internal error (no user input should trigger it)",
};

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), "utf8")) as Fixture);
}


async function findingsOf(code: string, c: FixtureCase): Promise<Diagnostic[]> {
  const target = c.target === undefined ? undefined : parseTargetDialect(c.target);
  if (c.target !== undefined) assert.ok(target, `unknown target ${c.target}`);
  const { diagnostics } = await compileFixture(projectFiles(c), { targetDialect: target });
  return diagnostics.filter((d) => d.code === code);
}

const where = (d: Diagnostic) => `${d.span?.file}:${d.span?.line}:${d.span?.col}`;

for (const fx of loadFixtures()) {
  describe(`${fx.code} ${fx.rule}`, () => {
    for (const c of fx.fail) {
      it(`fires: ${c.name}`, async () => {
        const found = await findingsOf(fx.code, c);
        const expected = (c.expect ?? []).map((e) => `${e.file}:${e.line}:${e.col}`).sort();
        assert.ok(expected.length > 0, "a fail case lists where it fires");
        assert.deepEqual(found.map(where).sort(), expected, found.map((d) => `${where(d)} ${d.message}`).join("\n"));
        for (const d of found) {
          assert.equal(d.severity === "Error" || d.severity === "Warning" || d.severity === "Info", true);
          assert.ok(d.message.length > 0);
        }
        for (const e of c.expect ?? []) {
          const d = found.find((x) => where(x) === `${e.file}:${e.line}:${e.col}`) as Diagnostic;
          if (e.message !== undefined) assert.equal(d.message, e.message);
          if (e.severity !== undefined) assert.equal(d.severity, e.severity);
          if (e.suggestion !== undefined) assert.equal(d.suggestion, e.suggestion);
          if (e.replacement !== undefined) assert.equal(d.replacement?.text, e.replacement);
        }
      });
    }
    for (const c of fx.pass) {
      it(`does not fire: ${c.name}`, async () => {
        const found = await findingsOf(fx.code, c);
        assert.deepEqual(found.map((d) => `${where(d)} ${d.message}`), []);
      });
    }
  });
}

describe("diagnostic registry coverage", () => {
  const fixtures = loadFixtures();
  it("every registry code has a fail and a pass fixture, or is listed as pending for its owner", () => {
    const uncovered: string[] = [];
    for (const code of DIAGNOSTICS.keys()) {
      const fx = fixtures.filter((f) => f.code === code);
      const covered = fx.some((f) => f.fail.length > 0) && fx.some((f) => f.pass.length > 0);
      if (!covered && PENDING_FIXTURE_CODES[code] === undefined) uncovered.push(code);
    }
    assert.deepEqual(uncovered, [], "add test/fixtures/diagnostics/<CODE>-<slug>.json or list the code in PENDING_FIXTURE_CODES");
  });
  it("lists no code as pending once it has fixtures, and only registered codes", () => {
    for (const code of Object.keys(PENDING_FIXTURE_CODES)) {
      assert.ok(DIAGNOSTICS.has(code), `${code} is not a registered code`);
      assert.equal(fixtures.filter((f) => f.code === code).length, 0, `${code} has fixtures now: remove it from PENDING_FIXTURE_CODES`);
    }
  });
  it("names every fixture file after its code and the registry's slug", () => {
    for (const f of readdirSync(FIXTURE_DIR).filter((x) => x.endsWith(".json"))) {
      const fx = JSON.parse(readFileSync(join(FIXTURE_DIR, f), "utf8")) as Fixture;
      assert.equal(f, `${fx.code}-${fx.rule}.json`);
      assert.equal(DIAGNOSTICS.get(fx.code)?.name, fx.rule, `${f}: rule must be the registry name of ${fx.code}`);
    }
  });
});
