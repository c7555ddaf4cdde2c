/**
 * Parser micro-benchmark: 10,000 models shaped like Rocky's benchmark project
 * (rocky-compat.md §5: 30% sources, 30% staging, 25% intermediate, 15% marts), parsed on one core.
 * Run: node --import tsx bench/micro/parse-bench.ts [count]
 * Prints models/s and MB/s (wall clock, median of 7 passes after a warm-up) for the whole mix, for the
 * heavy layers (intermediate + marts) and for the charter's typical 30-line model (CTEs, joins, windows,
 * CASE), and models per CPU-second, the steadier figure when the machine is shared.
 */
import { parseSql } from "../../engine/src/syntax/parse-sql.js";

interface BenchModel {
  readonly layer: "source" | "staging" | "intermediate" | "mart";
  readonly sql: string;
}

const pad = (n: number): string => String(n).padStart(5, "0");

function sourceModel(idx: number): string {
  const cols = 7 + (idx % 9);
  const extra: string[] = [];
  for (let c = 8; c <= cols; c++) extra.push(`    col_${c} AS col_${c}`);
  return [
    "SELECT",
    "    id AS id,",
    "    name AS name,",
    "    CAST(category AS VARCHAR) AS category,",
    "    ROUND(CAST(amount AS DECIMAL(10, 2)), 2) AS amount,",
    "    status AS status,",
    "    created_at AS created_at,",
    `    updated_at AS updated_at${extra.length > 0 ? "," : ""}`,
    extra.join(",\n"),
    `FROM raw_data.source_${pad(idx)}`,
    "",
  ].join("\n");
}

function stagingModel(idx: number, upstream: number): string {
  return `-- staging model ${idx}
SELECT
    id,
    UPPER(TRIM(name)) AS name,
    LOWER(category) AS category,
    COALESCE(amount, 0) AS amount,
    status,
    created_at,
    updated_at,
    ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) AS row_num
FROM src_${pad(upstream)}
WHERE status IS NOT NULL
  AND amount >= 0
`;
}

function intermediateModel(idx: number, a: number, b: number, c: number | undefined): string {
  const third = c === undefined ? "" : `\n    LEFT JOIN stg_${pad(c)} AS c ON a.id = c.id`;
  return `-- intermediate model ${idx}
WITH joined AS (
    SELECT
        a.id,
        a.name,
        a.category,
        a.amount,
        b.amount AS other_amount,
        a.status,
        a.updated_at
    FROM stg_${pad(a)} AS a
    INNER JOIN stg_${pad(b)} AS b ON a.id = b.id${third}
)
SELECT
    id,
    category,
    COUNT(*) AS order_count,
    SUM(amount) AS total_amount,
    AVG(amount) AS avg_amount,
    MIN(updated_at) AS first_seen,
    MAX(updated_at) AS last_seen,
    SUM(other_amount) AS other_total
FROM joined
GROUP BY id, category
`;
}

function martModel(idx: number, i: number, s: number): string {
  return `-- mart model ${idx}
SELECT
    i.id,
    i.category,
    i.total_amount,
    i.order_count,
    CASE
        WHEN i.total_amount > 10000 THEN 'platinum'
        WHEN i.total_amount > 1000 THEN 'gold'
        WHEN i.total_amount > 100 THEN 'silver'
        ELSE 'bronze'
    END AS tier,
    SUM(i.total_amount) OVER (
        PARTITION BY i.category
        ORDER BY i.id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running_total,
    RANK() OVER (PARTITION BY i.category ORDER BY i.total_amount DESC) AS amount_rank,
    s.name,
    s.status
FROM int_${pad(i)} AS i
LEFT JOIN stg_${pad(s)} AS s ON i.id = s.id
WHERE i.order_count > 0
`;
}

/** The charter's "typical model": about 30 lines with CTEs, joins, windows and CASE. */
function typicalModel(idx: number): string {
  return `-- typical model ${idx}
WITH orders AS (
    SELECT id, customer_id, amount, status, created_at
    FROM stg_${pad(idx)}
    WHERE status <> 'cancelled'
),
customers AS (
    SELECT id, UPPER(TRIM(name)) AS name, region
    FROM stg_${pad(idx + 1)}
)
SELECT
    o.id,
    c.name,
    c.region,
    o.amount,
    CASE
        WHEN o.amount >= 1000 THEN 'large'
        WHEN o.amount >= 100 THEN 'medium'
        ELSE 'small'
    END AS size_band,
    SUM(o.amount) OVER (PARTITION BY o.customer_id ORDER BY o.created_at
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_amount,
    ROW_NUMBER() OVER (PARTITION BY o.customer_id ORDER BY o.created_at DESC) AS recency,
    COALESCE(o.status, 'unknown') AS status
FROM orders AS o
LEFT JOIN customers AS c ON o.customer_id = c.id
WHERE o.created_at >= @start_date
  AND o.created_at < @end_date
`;
}

/** Deterministic 10k-model mix in Rocky's layer proportions. */
export function generateBenchModels(count: number): BenchModel[] {
  const nSrc = Math.floor(count * 0.3);
  const nStg = Math.floor(count * 0.3);
  const nInt = Math.floor(count * 0.25);
  const nMart = count - nSrc - nStg - nInt;
  const out: BenchModel[] = [];
  for (let k = 0; k < nSrc; k++) out.push({ layer: "source", sql: sourceModel(k) });
  for (let k = 0; k < nStg; k++) out.push({ layer: "staging", sql: stagingModel(k, k % nSrc) });
  for (let k = 0; k < nInt; k++) out.push({ layer: "intermediate", sql: intermediateModel(k, k % nStg, (k * 7 + 3) % nStg, k % 10 === 0 ? (k * 13 + 5) % nStg : undefined) });
  for (let k = 0; k < nMart; k++) out.push({ layer: "mart", sql: martModel(k, k % nInt, (k * 11 + 1) % nStg) });
  return out;
}

/** Wall and CPU milliseconds for one pass. CPU time is the steadier figure on a shared machine. */
function run(models: readonly BenchModel[]): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let errors = 0;
  for (const m of models) if (parseSql(m.sql, "duckdb").error) errors++;
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  if (errors > 0) throw new Error(`${errors} benchmark models failed to parse`);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function measure(label: string, models: readonly BenchModel[], rounds: number): Record<string, number | string> {
  const bytes = models.reduce((n, m) => n + Buffer.byteLength(m.sql), 0);
  run(models); // warm-up (JIT)
  const runs: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < rounds; r++) runs.push(run(models));
  const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
  const cpus = runs.map((r) => r.cpu).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  const cpuMedian = cpus[Math.floor(cpus.length / 2)];
  return {
    set: label,
    models: models.length,
    avgLines: Math.round((models.reduce((n, m) => n + m.sql.split("\n").length, 0) / models.length) * 10) / 10,
    medianMs: Math.round(median * 10) / 10,
    bestMs: Math.round(walls[0] * 10) / 10,
    cpuMedianMs: Math.round(cpuMedian * 10) / 10,
    modelsPerSec: Math.round(models.length / (median / 1000)),
    modelsPerCpuSec: Math.round(models.length / (cpuMedian / 1000)),
    mbPerSec: Math.round((bytes / 1e6 / (median / 1000)) * 10) / 10,
  };
}

/** Model text as it arrives from readFileSync: one flat string (template literals build rope strings, which read slower). */
const asFile = (m: BenchModel): BenchModel => ({ layer: m.layer, sql: Buffer.from(m.sql, "utf8").toString("utf8") });

const count = Number(process.argv[2] ?? 10000);
const models = generateBenchModels(count).map(asFile);
const heavy = models.filter((m) => m.layer === "intermediate" || m.layer === "mart");
const typical: BenchModel[] = Array.from({ length: count }, (_, k) => asFile({ layer: "mart", sql: typicalModel(k) }));
const rows = [measure("all layers", models, 7), measure("intermediate+marts", heavy, 7), measure("typical 30-line", typical, 7)];
for (const r of rows) {
  console.log(
    `${String(r.set).padEnd(20)} ${String(r.models).padStart(6)} models  ${String(r.avgLines).padStart(5)} lines avg  median ${String(r.medianMs).padStart(7)} ms  ` +
      `${String(r.modelsPerSec).padStart(7)} models/s  ${String(r.mbPerSec).padStart(6)} MB/s  (cpu median ${r.cpuMedianMs} ms: ${r.modelsPerCpuSec} models per cpu-second)`,
  );
}
console.log(JSON.stringify({ bench: "parse", node: process.version, results: rows }));
