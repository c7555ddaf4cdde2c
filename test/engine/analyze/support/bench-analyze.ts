// Micro-benchmark (not a test): analyzeModel on Rocky's three benchmark model shapes, 10,000 times.
// Run: npx esbuild test/engine/analyze/support/bench-analyze.ts --bundle --platform=node --format=esm --outfile=/tmp/bench-analyze.mjs && node /tmp/bench-analyze.mjs
import { analyzeModel } from "../../../../engine/src/analyze/analyze-model.js";
import { parseSql } from "../../../../engine/src/syntax/parse-sql.js";
import { schemaProvider } from "./analyze-sql.js";
const schemas = schemaProvider({
  src_a: "id INTEGER NOT NULL, name VARCHAR, category VARCHAR, amount DECIMAL(10,2), status VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP, col_8 VARCHAR, col_9 VARCHAR",
  stg_a: "id INTEGER NOT NULL, name VARCHAR, category VARCHAR, amount DECIMAL(10,2), status VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP, rn BIGINT",
  stg_b: "id INTEGER NOT NULL, name VARCHAR, category VARCHAR, amount DECIMAL(10,2), status VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP, rn BIGINT",
  int_a: "id INTEGER NOT NULL, category VARCHAR, n BIGINT, total DECIMAL(38,2), avg_amount DOUBLE, min_at TIMESTAMP, max_at TIMESTAMP, status VARCHAR",
}, "duckdb");
const sqls = [
  `SELECT id, UPPER(TRIM(name)) AS name, LOWER(category) AS category, COALESCE(amount, 0) AS amount, status, created_at, updated_at, ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) AS rn FROM src_a WHERE status IS NOT NULL AND amount > 0`,
  `WITH joined AS (SELECT a.id, a.category, a.amount, a.created_at, b.status FROM stg_a a JOIN stg_b b ON a.id = b.id) SELECT id, category, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS avg_amount, MIN(created_at) AS min_at, MAX(created_at) AS max_at, MAX(status) AS status FROM joined GROUP BY id, category`,
  `SELECT i.id, i.category, CASE WHEN i.total > 1000 THEN 'gold' WHEN i.total > 100 THEN 'silver' ELSE 'bronze' END AS tier, SUM(i.total) OVER (PARTITION BY i.category ORDER BY i.max_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, RANK() OVER (PARTITION BY i.category ORDER BY i.total DESC) AS rk, s.name FROM int_a i LEFT JOIN stg_a s ON s.id = i.id`,
];
const parsed = sqls.map((s) => {
  const q = parseSql(s, "duckdb").query;
  if (!q) throw new Error(`does not parse: ${s}`);
  return q;
});
const N = 10000;
for (let w = 0; w < 300; w++) analyzeModel({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed[w % 3], schemas });
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < N; i++) analyzeModel({ model: "m", file: "m.sql", dialect: "duckdb", query: parsed[i % 3], schemas });
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const pc0 = process.cpuUsage();
const p0 = performance.now();
for (let i = 0; i < N; i++) parseSql(sqls[i % 3], "duckdb");
const p1 = performance.now();
const pc1 = process.cpuUsage(pc0);
console.log(`cpu: analyze ${(c1.user/1000).toFixed(0)} ms (${(c1.user/N).toFixed(1)} µs/model), parse ${(pc1.user/1000).toFixed(0)} ms`);
console.log(`analyzeModel: ${N} models in ${(t1 - t0).toFixed(0)} ms (${((t1 - t0) / N * 1000).toFixed(1)} µs/model); parse for comparison ${(p1 - p0).toFixed(0)} ms`);
