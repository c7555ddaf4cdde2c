/**
 * How long the checks take on Rocky's generated benchmark project (not a test: figures, not
 * assertions). Run: node --import tsx test/engine/checks/measure-checks.ts [models=10000]
 *
 * 1. The whole stage pipeline (compile-fixture.ts) with P001 targeting BigQuery: time spent in
 *    runTextChecks and runProjectChecks, and the diagnostics by code.
 * 2. Warm CPU time of runTextChecks over the pre-parsed models, per target, and of a full AST walk
 *    with the text pre-check defeated (every model carries a flagged name in a comment-free line).
 */
import { runTextChecks } from "../../../engine/src/checks/index.js";
import type { DialectId, Query } from "../../../engine/src/syntax/ast.js";
import { parseSql } from "../../../engine/src/syntax/parse-sql.js";
import { type CheckTimings, compileInStages } from "./support/compile-fixture.js";
// @ts-expect-error plain ESM module without types
import { generateProject } from "../../../bench/generate-project.mjs";

const total = Number(process.argv[2] ?? 10_000);
const files = new Map<string, string | null>(generateProject(total) as Map<string, string>);

const timings: CheckTimings = { textChecksMs: 0, projectChecksMs: 0, models: 0 };
const t0 = performance.now();
const ds = compileInStages(files, { targetDialect: "bigquery" }, timings);
const wall = performance.now() - t0;
const byCode = new Map<string, number>();
for (const d of ds) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);

const parsed: { name: string; file: string; sql: string; dialect: DialectId; query: Query; comments: ReturnType<typeof parseSql>["comments"] }[] = [];
for (const [path, text] of files) {
  if (!path.startsWith("models/") || !path.endsWith(".sql") || text === null) continue;
  const r = parseSql(text, "duckdb");
  if (r.query) parsed.push({ name: path, file: path, sql: text, dialect: "duckdb", query: r.query, comments: r.comments });
}
const cpuMs = (f: () => void): number => {
  f(); // warm-up
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return Math.round((u.user + u.system) / 100) / 10;
};
const warm: Record<string, number> = {};
for (const target of ["bigquery", "snowflake", "databricks", "duckdb"]) {
  warm[target] = cpuMs(() => {
    for (const m of parsed) runTextChecks({ model: m, query: m.query, comments: m.comments, target });
  });
}
const defeated = parsed.map((m) => ({ ...m, sql: `${m.sql}\nNVL ::` }));
warm.full_walk_bigquery = cpuMs(() => {
  for (const m of defeated) runTextChecks({ model: m, query: m.query, comments: m.comments, target: "bigquery" });
});

console.log(
  JSON.stringify(
    {
      models: timings.models,
      pipeline: { text_checks_ms: Math.round(timings.textChecksMs), project_checks_ms: Math.round(timings.projectChecksMs), stages_wall_ms: Math.round(wall) },
      text_checks_warm_cpu_ms: warm,
      diagnostics: Object.fromEntries([...byCode].sort()),
    },
    null,
    2,
  ),
);
