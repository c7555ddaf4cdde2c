import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
// @ts-expect-error -- plain JS (no types) so `npm run bench` needs no build step
import { generateProject } from "../../../bench/generate-project.mjs";
import { parseTargetDialect } from "../../../engine/src/checks/dialect-names.js";
import { type CompileCache, createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import { duckdbProjectFiles } from "../../support/duckdb-project.js";
import { type FixtureFile, projectFiles } from "../checks/support/fixture-project.js";

/**
 * A cold compile types each model while the project is parsed, as soon as the models it reads are
 * typed, so that its syntax tree is released at once (compile-project.ts, typeAhead), with or without
 * a cache. A compile whose cache recalls the syntax but not the analysis types layer by layer after
 * the DAG. All must give the same result, finding for finding and column for column (lineage,
 * fingerprints, spans), in the same order; and what a cold compile stored must be what a compile
 * typing from the cache then finds.
 */

function picture(c: CompiledProject) {
  return JSON.parse(
    JSON.stringify(
      {
        models: [...c.models.values()].map((m) => ({ ...m, reads: [...m.reads].map(([k, v]) => [k, [...v]]) })),
        diagnostics: c.diagnostics,
        layers: c.layers,
        analysed: c.timings.analysed,
      },
      (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v),
    ),
  );
}

/** The memory cache, answering syntax but never analysis: every model is typed in its layer, from its re-parsed SQL. */
function syntaxOnly(cache: CompileCache): CompileCache {
  return { ...cache, getAnalysis: () => undefined, putAnalysis: () => {} };
}

async function bothWays(files: ProjectFiles, extra: { targetDialect?: ReturnType<typeof parseTargetDialect> } = {}) {
  const options = { env: {}, vars: {}, ...(extra.targetDialect ? { targetDialect: extra.targetDialect } : {}) };
  const ahead = await compileProject(files, options);
  const cache = createMemoryCompileCache();
  const aheadCached = await compileProject(files, { ...options, cache });
  assert.equal(aheadCached.timings.cache_hits, 0);
  const layered = await compileProject(files, { ...options, cache: syntaxOnly(cache) });
  const recalled = await compileProject(files, { ...options, cache });
  // Every model typed from the cache: nothing analysed again (models that do not parse are never stored).
  assert.equal(recalled.timings.analysed, 0);
  assert.deepEqual({ ...picture(recalled), analysed: 0 }, { ...picture(layered), analysed: 0 }, "a compile from what the cold compile stored");
  assert.deepEqual(picture(aheadCached), picture(ahead), "a cold compile with a cache");
  return { ahead, layered };
}

const fixtures = new URL("../../fixtures/diagnostics/", import.meta.url);

test("typed ahead == typed layer by layer on every diagnostic fixture (fire and not fire)", async () => {
  let compared = 0;
  for (const f of readdirSync(fixtures).filter((n) => n.endsWith(".json")).sort()) {
    const spec = JSON.parse(readFileSync(new URL(f, fixtures), "utf8")) as { code: string; fail?: { name: string; files: Record<string, FixtureFile>; target?: string }[]; pass?: { name: string; files: Record<string, FixtureFile>; target?: string }[] };
    for (const c of [...(spec.fail ?? []), ...(spec.pass ?? [])]) {
      if (c.files === undefined || typeof c.files !== "object") continue;
      const { ahead, layered } = await bothWays(projectFiles(c), { targetDialect: c.target === undefined ? undefined : parseTargetDialect(c.target) });
      assert.deepEqual(picture(ahead), picture(layered), `${spec.code} "${c.name}"`);
      compared++;
    }
  }
  assert.ok(compared > 60, `compared ${compared} fixture cases`);
});

const BASE = duckdbProjectFiles([
  { name: "id", type: "BIGINT", nullable: false },
  { name: "amount", type: "DECIMAL(10,2)", nullable: true },
]);

function project(models: Record<string, string>, sidecars: Record<string, string> = {}): Map<string, string | null> {
  const files = new Map<string, string | null>(Object.entries(BASE));
  for (const [name, sql] of Object.entries(models)) files.set(`models/${name}.sql`, sql);
  for (const [name, toml] of Object.entries(sidecars)) files.set(`models/${name}.toml`, toml);
  return files;
}

test("cycles, a model reading itself, an upstream that does not parse, depends_on only, case and quoting: same result both ways", async () => {
  const cases: { name: string; files: Map<string, string | null> }[] = [
    {
      name: "a cycle with a model downstream of it and one beside it",
      files: project({
        a: "SELECT id, amount FROM b",
        b: "SELECT id, amount FROM a",
        c: "SELECT id FROM a",
        d: "SELECT id, amount FROM raw.orders",
        e: "SELECT d.id, d.amount * 2 AS twice FROM d",
      }),
    },
    { name: "a model reading itself", files: project({ a: "SELECT id FROM a", b: "SELECT id FROM a", c: "SELECT id, amount FROM raw.orders" }) },
    {
      name: "an upstream that does not parse",
      files: project({ broken: "SELEC id FROM raw.orders", reader: "SELECT * FROM broken", after: "SELECT id FROM reader", fine: "SELECT id, amount FROM raw.orders" }),
    },
    {
      name: "a dependency named only in depends_on, and one that is not a model",
      files: project(
        { late: "SELECT id, amount FROM raw.orders", early: "SELECT id FROM raw.orders", joined: "SELECT e.id, l.amount FROM early e JOIN late l ON l.id = e.id" },
        { early: 'depends_on = ["late"]\n', joined: 'depends_on = ["nowhere"]\n' },
      ),
    },
    {
      name: "references in another case and quoted",
      files: project({ Upper: "SELECT id, amount FROM raw.orders", lower_reader: "SELECT id FROM upper", quoted_reader: 'SELECT amount FROM "Upper"', star: "SELECT * FROM UPPER" }),
    },
    {
      // A quoted name in another case is no DAG edge, but typing still finds the model: typed ahead
      // after Zed (reached through A0), A_reader must not keep columns the layer pass (A_reader
      // before Zed in layer 0) could not see.
      name: "a quoted reference the DAG does not count",
      files: project({ A0: "SELECT id FROM Zed", A_reader: 'SELECT * FROM "ZED"', Zed: "SELECT id, amount FROM raw.orders" }),
    },
    {
      name: "a CTE shadowing a model name, and an unknown model",
      files: project({ base: "SELECT id, amount FROM raw.orders", shadow: "WITH base AS (SELECT 1 AS one) SELECT one FROM base", typo: "SELECT id FROM bsae", user: "SELECT id FROM shadow JOIN base USING (id)" }),
    },
  ];
  for (const c of cases) {
    const { ahead, layered } = await bothWays(c.files);
    assert.deepEqual(picture(ahead), picture(layered), c.name);
  }
  // The cases are not vacuous: the cycle is reported, the model downstream of it is not typed, the one beside it is.
  const { ahead } = await bothWays(cases[0].files);
  assert.ok(ahead.diagnostics.some((d) => d.code === "R003" && d.model === "a"));
  assert.equal(ahead.models.get("c")?.columns.length, 0);
  assert.deepEqual(
    ahead.models.get("e")?.columns.map((col) => col.name),
    ["id", "twice"],
  );
});

test("a chain of 3,000 models is typed ahead without overflowing the stack, upstream types reaching the end", async () => {
  const models: Record<string, string> = { m0: "SELECT id, CAST(amount AS DOUBLE) AS amount FROM raw.orders" };
  // Listed last-first, so every model is parsed before the one it reads: the depth-first walk goes 3,000 deep.
  for (let i = 1; i < 3000; i++) models[`m${i}`] = `SELECT id, amount + ${i} AS amount FROM m${i - 1}`;
  const files = project(Object.fromEntries(Object.entries(models).reverse()));
  const { ahead, layered } = await bothWays(files);
  assert.deepEqual(picture(ahead), picture(layered));
  const last = ahead.models.get("m2999")!;
  assert.equal(last.layer, 2999);
  assert.deepEqual(
    last.columns.map((col) => [col.name, col.type.kind]),
    [
      ["id", "Int64"],
      ["amount", "Float64"],
    ],
  );
});

test("the generated benchmark project: same result both ways", async () => {
  const files = generateProject(400, 11) as Map<string, string>;
  const { ahead, layered } = await bothWays(files);
  assert.equal(ahead.models.size, 400);
  assert.deepEqual(picture(ahead), picture(layered));
});
