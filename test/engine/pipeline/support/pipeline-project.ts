import assert from "node:assert/strict";
import { compileProject } from "../../../../engine/src/compile/compile-project.js";
import type { CompiledProject } from "../../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../../engine/src/diagnostics/diagnostic.js";
import type { ProjectFiles } from "../../../../engine/src/project/types.js";
import { duckdbProjectFiles } from "../../../support/duckdb-project.js";
export { seededRandom } from "../../../support/seeded-random.js";
import { seededRandom } from "../../../support/seeded-random.js";

/**
 * A small healthy project that every pipeline test starts from: DuckDB, a committed source schema
 * for raw.orders, and one model (`healthy`) whose columns must stay typed whatever else is broken.
 */
export const BASE_FILES: Readonly<Record<string, string>> = {
  ...duckdbProjectFiles([
    { name: "id", type: "BIGINT", nullable: false },
    { name: "customer_id", type: "BIGINT", nullable: true },
    { name: "amount", type: "DECIMAL(10,2)", nullable: true },
    { name: "status", type: "VARCHAR", nullable: true },
    { name: "ordered_at", type: "TIMESTAMP", nullable: false },
  ]),
  "models/healthy.sql": "SELECT id,\n  amount * 2 AS doubled,\n  UPPER(status) AS status\nFROM raw.orders",
};

/** A rocky.toml with a placeholder adapter of each warehouse but DuckDB (the base project's): the models then parse in that dialect. */
export const ADAPTER_TOML: Readonly<Record<"snowflake" | "databricks" | "bigquery", string>> = {
  snowflake: '[adapter]\ntype = "snowflake"\naccount = "acme"\nwarehouse = "wh"\nusername = "u"\npassword = "p"\n',
  databricks: '[adapter]\ntype = "databricks"\nhost = "example.cloud.databricks.com"\nhttp_path = "/sql/1.0/warehouses/abc"\ntoken = "t"\n',
  bigquery: '[adapter]\ntype = "bigquery"\nproject_id = "acme"\n',
};

/** Base files with `overrides` applied (a null value removes a file, as `readProjectDir` never yields it). */
export function projectFiles(overrides: Readonly<Record<string, string | null>>, options: { readonly keepNull?: boolean } = {}): Map<string, string | null> {
  const files = new Map<string, string | null>(Object.entries(BASE_FILES));
  for (const [path, text] of Object.entries(overrides)) {
    if (text === null && !options.keepNull) files.delete(path);
    else files.set(path, text);
  }
  return files;
}

/** Compile through the product pipeline; an exception here is a bug, and fails the test that called it. */
export async function compileFiles(files: ProjectFiles, vars: Record<string, string> = {}): Promise<CompiledProject> {
  return compileProject(files, { env: {}, vars });
}

export const where = (d: Diagnostic): string => `${d.span?.file}:${d.span?.line}:${d.span?.col}`;
export const describeAll = (ds: readonly Diagnostic[]): string => ds.map((d) => `${d.code} ${where(d)} ${d.message}`).join("\n");

/** The healthy model compiled with its columns typed: the rest of the project survived. */
export function assertHealthy(compiled: CompiledProject, model = "healthy", options: { readonly allowErrors?: readonly string[] } = {}): void {
  const m = compiled.models.get(model);
  assert.ok(m, `${model} is still in the compiled project`);
  assert.equal(m.parsed, true);
  const types = m.columns.map((c) => `${c.name}:${c.type.kind}${c.nullable ? "?" : ""}`);
  if (model === "healthy") assert.deepEqual(types, ["id:Int64", "doubled:Decimal?", "status:String?"]);
  else assert.ok(types.length > 0 && !types.some((t) => t.includes(":Unknown")), `${model}: ${types.join(", ")}`);
  assert.deepEqual(
    compiled.diagnostics.filter((d) => d.model === model && d.severity === "Error" && !(options.allowErrors ?? []).includes(d.code)),
    [],
    `${model} has no errors of its own`,
  );
}

/** No diagnostic says "internal error", and every diagnostic with a span names a real line and column. */
export function assertNoInternalErrors(compiled: CompiledProject, files: ProjectFiles): void {
  assert.deepEqual(compiled.diagnostics.filter((d) => d.code === "R009").map((d) => `${where(d)} ${d.message}`), []);
  for (const d of compiled.diagnostics) {
    if (d.span === undefined) continue;
    assert.ok(d.span.line >= 1 && d.span.col >= 1, `${d.code} ${where(d)}`);
    const text = files.get(d.span.file);
    if (typeof text !== "string") continue;
    const lines = text.split("\n");
    assert.ok(d.span.line <= lines.length, `${d.code} ${where(d)}: the file has ${lines.length} lines`);
    assert.ok(d.span.col <= lines[d.span.line - 1].length + 1, `${d.code} ${where(d)}: line ${d.span.line} has ${lines[d.span.line - 1].length} characters`);
  }
}

/** The diagnostics of one code, as `file:line:col`, sorted. */
export function findings(compiled: CompiledProject, code: string): string[] {
  return compiled.diagnostics
    .filter((d) => d.code === code)
    .map(where)
    .sort();
}

