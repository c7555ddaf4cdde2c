/**
 * Whole projects typed by the compiler agree with DuckDB: the example shop project (with its seed)
 * and a generated slice of Rocky's benchmark project (sources, staging, intermediate, marts) are
 * compiled, every model is created as a view in a real in-memory DuckDB in execution order, and
 * each model's DESCRIBE must equal the compiled columns (names and types, mapped into the lattice).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
// @ts-expect-error: the benchmark generator is plain JavaScript without type declarations
import { generateProject, writeProject } from "../../../bench/generate-project.mjs";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import { readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { formatType } from "../../../engine/src/types/sql-type.js";
import { typeFromWarehouseName } from "../../../engine/src/types/type-from-name.js";

const instances: DuckDBInstance[] = [];
after(() => {
  for (const i of instances) i.closeSync();
});

async function duck(): Promise<DuckDBConnection> {
  const inst = await DuckDBInstance.create(":memory:");
  instances.push(inst);
  return inst.connect();
}

async function disagreements(root: string, compiled: CompiledProject, c: DuckDBConnection): Promise<string[]> {
  const out: string[] = [];
  for (const [name, m] of compiled.models) {
    await c.run(`CREATE VIEW ${name} AS ${readFileSync(join(root, m.file), "utf8")}`);
    const rows = (await c.runAndReadAll(`DESCRIBE ${name}`)).getRowObjects();
    const expected = rows.map((r) => `${String(r.column_name)}: ${formatType(typeFromWarehouseName(String(r.column_type), "duckdb"))}`);
    const actual = m.columns.map((col) => `${col.name}: ${formatType(col.type)}`);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) out.push(`${name}\n  duckdb: ${expected.join(", ")}\n  ours:   ${actual.join(", ")}`);
  }
  return out;
}

test("the example shop project types exactly as DuckDB does", async () => {
  const root = join(import.meta.dirname, "../../../examples/shop");
  const compiled = await compileProject(readProjectDir(root), { env: {}, vars: {} });
  assert.ok(compiled.models.size >= 5);
  const c = await duck();
  await c.run(readFileSync(join(root, "data/seed.sql"), "utf8"));
  assert.deepEqual(await disagreements(root, compiled, c), []);
});

test("a 150-model slice of Rocky's benchmark project types exactly as DuckDB does", async () => {
  const root = mkdtempSync(join(tmpdir(), "rocky-bench-agreement-"));
  try {
    writeProject(root, generateProject(150));
    const compiled = await compileProject(readProjectDir(root), { env: {}, vars: {} });
    assert.equal(compiled.models.size, 150);
    const c = await duck();
    await c.run("CREATE SCHEMA raw_data");
    // The generator splits source schemas over several files (each under the loader's 10 MB limit).
    const raw: Record<string, { name: string; type: string; nullable: boolean }[]> = {};
    for (const f of readdirSync(join(root, "schemas")).filter((n) => n.endsWith(".json"))) Object.assign(raw, JSON.parse(readFileSync(join(root, "schemas", f), "utf8")).tables);
    assert.ok(Object.keys(raw).length > 0, "the generated project describes its source tables");
    for (const [table, cols] of Object.entries(raw)) {
      await c.run(`CREATE TABLE ${table} (${cols.map((x) => `${x.name} ${x.type}${x.nullable ? "" : " NOT NULL"}`).join(", ")})`);
    }
    assert.deepEqual(await disagreements(root, compiled, c), []);
    const unknown = [...compiled.models.values()].flatMap((m) => m.columns.filter((col) => col.type.kind === "Unknown").map((col) => `${m.name}.${col.name}`));
    assert.deepEqual(unknown, [], "no Unknown column when every source schema is known");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
