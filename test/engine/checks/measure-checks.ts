/**
 * How long the checks take on Rocky's generated benchmark project (not a test: figures, not
 * assertions). Run: node --import tsx test/engine/checks/measure-checks.ts [models=10000]
 * Prints the time in runTextChecks (P001, target BigQuery so every `::`/function is examined) and
 * in runProjectChecks (contracts, time_interval, W004-W006, D011, E035, E036, P002, E027), the
 * diagnostics they produced by code, and the whole stage pipeline's wall time for context.
 */
import { compileInStages, type CheckTimings } from "./support/compile-fixture.js";
// @ts-expect-error plain ESM module without types
import { generateProject } from "../../../bench/generate-project.mjs";

const total = Number(process.argv[2] ?? 10_000);
const generated = generateProject(total) as Map<string, string> | Record<string, string>;
const files = new Map<string, string | null>(generated instanceof Map ? generated : Object.entries(generated));
const timings: CheckTimings = { textChecksMs: 0, projectChecksMs: 0, models: 0 };
const t0 = performance.now();
const ds = compileInStages(files, { targetDialect: "bigquery" }, timings);
const wall = performance.now() - t0;
const byCode = new Map<string, number>();
for (const d of ds) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
const out = {
  models: timings.models,
  text_checks_ms: Math.round(timings.textChecksMs),
  project_checks_ms: Math.round(timings.projectChecksMs),
  per_model_us: Math.round(((timings.textChecksMs + timings.projectChecksMs) * 1000) / Math.max(1, timings.models)),
  stages_wall_ms: Math.round(wall),
  diagnostics: Object.fromEntries([...byCode].sort()),
};
console.log(JSON.stringify(out, null, 2));
