#!/usr/bin/env node
/**
 * Generates Rocky's benchmark project (rocky-compat.md §5) as a Rocky project on DuckDB:
 * 30% sources (`src_NNNNN`, reading `raw_data.source_<idx>`), 30% staging, 25% intermediate,
 * 15% marts; 7-15 columns; staging with UPPER/TRIM/COALESCE/LOWER and a ROW_NUMBER window;
 * intermediate with a 2-3 way join in a CTE and GROUP BY aggregates; marts with a CASE tier,
 * a running SUM and RANK. Deterministic (seeded PRNG, seed 42).
 *
 * Unlike Rocky's generator every model is .sql (we do not support the .rocky DSL), and the raw
 * source tables are described in a committed schema file (schemas/raw_data.json) so that types
 * are known end to end, as they would be in a real project with a schema cache.
 *
 * Usage: node bench/generate-project.mjs <out-dir> <model-count>
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(5, "0");

function strategyFor(idx) {
  const m = idx % 20;
  if (m <= 15) return '[strategy]\ntype = "full_refresh"\n';
  if (m <= 18) return '[strategy]\ntype = "incremental"\ntimestamp_column = "updated_at"\n';
  return '[strategy]\ntype = "merge"\nunique_key = ["id"]\n';
}

function sidecar(name, deps, layer, strategy) {
  const dependsOn = deps.length ? `depends_on = [${deps.map((d) => `"${d}"`).join(", ")}]\n` : "";
  return `name = "${name}"\n${dependsOn}\n${strategy}\n[target]\ncatalog = "warehouse"\nschema = "${layer}"\ntable = "${name}"\n`;
}

function sourceColumns(idx) {
  const n = 7 + (idx % 9);
  const cols = [
    { name: "id", type: "BIGINT", nullable: false },
    { name: "name", type: "VARCHAR", nullable: true },
    { name: "category", type: "VARCHAR", nullable: true },
    { name: "amount", type: "DOUBLE", nullable: true },
    { name: "status", type: "VARCHAR", nullable: true },
    { name: "created_at", type: "TIMESTAMP", nullable: true },
    { name: "updated_at", type: "TIMESTAMP", nullable: true },
  ];
  for (let i = 7; i < n; i++) cols.push({ name: `col_${i}`, type: i % 2 ? "INTEGER" : "VARCHAR", nullable: true });
  return cols;
}

function sourceSql(idx) {
  const cols = sourceColumns(idx);
  const extra = cols.slice(7).map((c) => `    ${c.name},`).join("\n");
  return `-- source ${idx}: raw landing table, lightly typed
SELECT
    id,
    name,
    CAST(category AS VARCHAR) AS category,
    ROUND(CAST(amount AS DECIMAL(10, 2)), 2) AS amount,
    status,
${extra ? `${extra}\n` : ""}    created_at,
    updated_at
FROM raw_data.source_${idx}
`;
}

function stagingSql(src) {
  return `-- staging: clean and deduplicate ${src}
SELECT
    id,
    UPPER(TRIM(name)) AS name,
    COALESCE(category, 'unknown') AS category,
    amount,
    LOWER(status) AS status,
    created_at,
    updated_at,
    ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) AS row_num
FROM ${src}
WHERE amount IS NOT NULL
  AND status <> 'deleted'
`;
}

function intermediateSql(a, b, c) {
  const third = c ? `\n    LEFT JOIN ${c} AS c ON a.id = c.id` : "";
  return `-- intermediate: join ${a} with ${b}${c ? ` and ${c}` : ""}
WITH joined AS (
    SELECT
        a.id,
        a.category,
        a.amount AS amount_a,
        b.amount AS amount_b,
        a.updated_at
    FROM ${a} AS a
    INNER JOIN ${b} AS b ON a.id = b.id${third}
)
SELECT
    id,
    category,
    COUNT(*) AS record_count,
    SUM(amount_a) AS total_amount,
    AVG(amount_b) AS avg_amount,
    MIN(updated_at) AS first_seen,
    MAX(updated_at) AS last_seen,
    SUM(amount_a + amount_b) AS combined_amount
FROM joined
GROUP BY id, category
`;
}

function martSql(i, s) {
  return `-- mart: tiers and rankings over ${i}
SELECT
    i.id,
    i.category,
    i.total_amount,
    CASE
        WHEN i.total_amount > 10000 THEN 'platinum'
        WHEN i.total_amount > 1000 THEN 'gold'
        ELSE 'standard'
    END AS tier,
    SUM(i.total_amount) OVER (PARTITION BY i.category ORDER BY i.last_seen ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total,
    RANK() OVER (PARTITION BY i.category ORDER BY i.total_amount DESC) AS amount_rank,
    s.name AS latest_name,
    i.last_seen
FROM ${i} AS i
LEFT JOIN ${s} AS s ON i.id = s.id
`;
}

/** Returns a Map of project-relative path → content. */
export function generateProject(total, seed = 42) {
  const rand = mulberry32(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const nSrc = Math.max(1, Math.round(total * 0.3));
  const nStg = Math.max(1, Math.round(total * 0.3));
  const nInt = Math.max(1, Math.round(total * 0.25));
  const nFct = Math.max(1, total - nSrc - nStg - nInt);
  const files = new Map();
  files.set(
    "rocky.toml",
    `# Rocky benchmark project (${total} models), generated by bench/generate-project.mjs
[adapter]
type = "duckdb"
path = "bench.duckdb"

[pipeline.bench]
type = "transformation"
models = "models/**"

[pipeline.bench.target]
adapter = "default"
`,
  );
  const tables = {};
  const src = [];
  for (let k = 0; k < nSrc; k++) {
    const name = `src_${pad(k)}`;
    src.push(name);
    tables[`raw_data.source_${k}`] = sourceColumns(k);
    files.set(`models/${name}.sql`, sourceSql(k));
    files.set(`models/${name}.toml`, sidecar(name, [], "sources", '[strategy]\ntype = "full_refresh"\n'));
  }
  const stg = [];
  for (let k = 0; k < nStg; k++) {
    const name = `stg_${pad(k)}`;
    stg.push(name);
    const up = src[k % src.length];
    files.set(`models/${name}.sql`, stagingSql(up));
    files.set(`models/${name}.toml`, sidecar(name, [up], "staging", strategyFor(k)));
  }
  const ints = [];
  for (let k = 0; k < nInt; k++) {
    const name = `int_${pad(k)}`;
    ints.push(name);
    const a = pick(stg);
    let b = pick(stg);
    if (b === a && stg.length > 1) b = stg[(stg.indexOf(a) + 1) % stg.length];
    let c;
    if (k % 10 === 0 && stg.length > 2) {
      c = pick(stg);
      if (c === a || c === b) c = undefined;
    }
    const deps = [a, b, ...(c ? [c] : [])];
    files.set(`models/${name}.sql`, intermediateSql(a, b, c));
    files.set(`models/${name}.toml`, sidecar(name, deps, "intermediate", strategyFor(k)));
  }
  for (let k = 0; k < nFct; k++) {
    const name = `fct_${pad(k)}`;
    const i = pick(ints);
    const s = pick(stg);
    files.set(`models/${name}.sql`, martSql(i, s));
    files.set(`models/${name}.toml`, sidecar(name, [i, s], "marts", '[strategy]\ntype = "full_refresh"\n'));
  }
  // One schema file per 2,000 source tables: the loader refuses files over 10 MB, as any text file.
  const entries = Object.entries(tables);
  for (let i = 0; i < entries.length; i += 2000) {
    files.set(`schemas/raw_data_${String(i / 2000).padStart(3, "0")}.json`, `${JSON.stringify({ tables: Object.fromEntries(entries.slice(i, i + 2000)) })}\n`);
  }
  return files;
}

export function writeProject(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "models"), { recursive: true });
  mkdirSync(join(dir, "schemas"), { recursive: true });
  for (const [path, text] of files) writeFileSync(join(dir, path), text);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, count] = process.argv.slice(2);
  if (!out || !count) {
    console.error("usage: node bench/generate-project.mjs <out-dir> <model-count>");
    process.exit(2);
  }
  const files = generateProject(Number(count));
  writeProject(out, files);
  console.log(`wrote ${files.size} files for ${count} models to ${out}`);
}
