/**
 * Measures `reviewPullRequest` end to end on Rocky's generated benchmark project in a real git
 * repository (issue 3 "How fast"): a PR that changes one staging column's type and another's
 * expression. Prints a JSON line per scenario. Not a test (no timing assertions).
 *
 *   node --import tsx test/review/e2e/measure-review.ts [models=10000]
 */
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { reviewPullRequest } from "../../../review/src/review-pull-request.js";
// @ts-expect-error -- plain .mjs generator owned by bench/ (no types)
import { generateProject } from "../../../bench/generate-project.mjs";
import { createGitFixture } from "../../support/git-fixture.js";

const count = Number(process.argv[2] ?? 10_000);
const files: Map<string, string> = generateProject(count);
const base = Object.fromEntries(files);
// A staging model that an intermediate model joins as `a` (its amount feeds aggregates and the marts' tiers and ranks).
const stgName = /FROM (stg_\d+) AS a/.exec(base["models/int_00000.sql"])?.[1] ?? "stg_00000";
const stg = base[`models/${stgName}.sql`];
const head = {
  [`models/${stgName}.sql`]: stg.replace("    amount,\n", "    CAST(amount AS DOUBLE) AS amount,\n").replace("LOWER(status) AS status", "UPPER(status) AS status"),
};
const t0 = performance.now();
const repo = createGitFixture({ base, head, headIsPatch: true });
repo.git("gc", "-q"); // a clone is packed; 20k loose objects would measure the fixture, not the review
const setupMs = performance.now() - t0;
try {
  const cache = createMemoryCompileCache();
  const run = async (label: string, useCache: boolean) => {
    const t = performance.now();
    const { report, rendered } = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", ...(useCache ? { cache } : {}) });
    const ms = performance.now() - t;
    console.log(
      JSON.stringify({
        scenario: label,
        models: count,
        wall_ms: Math.round(ms),
        rss_mb: Math.round(process.memoryUsage().rss / 1e6),
        column_changes: report.columnChanges.map((c) => `${c.model}.${c.column}:${c.change.kind}`),
        blast_radius_columns: report.blastRadius.totalConsumers,
        blast_radius_models: report.blastRadius.totalModels,
        comment_chars: rendered.comment.length,
        timings: report.timings,
      }),
    );
  };
  console.log(JSON.stringify({ scenario: "setup", git_fixture_ms: Math.round(setupMs) }));
  await run("cold (no cache)", false);
  // main's own CI compiled base into the cache: only the PR's model (and what reads it) is re-analysed
  await compileProject(files, { env: {}, vars: {}, cache });
  await run("base side cached", true);
  await run("both sides cached (re-run)", true);
} finally {
  repo.cleanup();
}
