/** The rendering scenarios shared by the golden, limit and safety tests. */
import { createDiagnostic } from "../../../../engine/src/diagnostics/registry.js";
import { analyzeCompliance } from "../../../../review/src/compliance/index.js";
import { projectCostFromData } from "../../../../review/src/cost/index.js";
import type { ModelRunRecord } from "../../../../review/src/ports.js";
import type { ReviewDiagnostic, ReviewReport } from "../../../../review/src/report/types.js";
import { buildDiff, buildProject, type ModelSpec } from "../../compliance/support/project-builder.js";
import { blastEntry, breaking, changedFile, columnChange, consumer, contractFinding, emptyReport, p001, withChanges } from "./report-fixtures.js";

export function noChanges(): ReviewReport {
  return emptyReport({ touchesNoModels: true, changedFiles: [{ ...changedFile("README.md", [{ start: 1, end: 3 }]), projectPath: null, role: "other" }] });
}

export function onlyWarnings(): ReviewReport {
  const added = columnChange("stg_orders", "discount", { kind: "added" }, { severity: "info" });
  const dropped = columnChange("stg_orders", "legacy_code", { kind: "removed" });
  const entry = blastEntry(dropped, [consumer("int_orders", "legacy_code", 1, "stg_orders.legacy_code")]);
  const w005: ReviewDiagnostic = {
    ...createDiagnostic("W005", "model 'stg_orders' has temporal columns but no freshness declaration", { model: "stg_orders", span: { file: "models/stg_orders.toml", line: 1, col: 1 } }),
    new: true,
    inDiff: false,
  };
  const old: ReviewDiagnostic = { ...createDiagnostic("I002", "some output columns have unknown types", { model: "raw_orders" }), new: false, inDiff: false };
  return {
    ...withChanges(emptyReport(), [added, dropped], [entry]),
    breakingChanges: [
      breaking("stg_orders", "legacy_code", "column_dropped", "breaking", "legacy_code dropped (String)"),
      breaking("stg_orders", "discount", "column_added", "info", "discount added (nullable Decimal(10,2))"),
    ],
    diagnostics: [w005, old],
  };
}

export function contractBreak(): ReviewReport {
  const ch = columnChange("stg_orders", "amount", { kind: "type_changed", old: "Decimal(18,2)", new: "Int32", narrowing: true });
  const entry = blastEntry(ch, [
    consumer("int_orders", "amount", 1, "stg_orders.amount", { transform: "direct" }),
    consumer("fct_revenue", "amount", 2, "int_orders.amount", { transform: "aggregation:sum", contracted: true, exposures: ["Revenue dashboard"] }),
  ]);
  return {
    ...withChanges(emptyReport(), [ch], [entry]),
    breakingChanges: [breaking("stg_orders", "amount", "column_type_changed", "breaking", "amount: Decimal(18,2) → Int32 (narrowing)")],
    contracts: [contractFinding("fct_revenue", "amount")],
    portability: [p001(7)],
  };
}

export const HEAD_STG_ORDERS = [
  "select",
  "  id,",
  "  cast(amount as int) as amount,",
  "  customer_id,",
  "  status",
  "from raw_orders",
  "where nvl(status, 'x') <> 'void'",
  "",
].join("\n");

const complianceModels: ModelSpec[] = [
  { name: "raw_customers", columns: ["customer_id", "email"], classification: { email: "pii" }, classificationLines: { email: 5 } },
  {
    name: "stg_customers",
    deps: ["raw_customers"],
    columns: [
      { name: "customer_id", from: [["raw_customers", "customer_id"]] },
      { name: "email_hash", from: [["raw_customers", "email", "expression"]], line: 3 },
    ],
  },
  {
    name: "fct_orders",
    deps: ["stg_customers", "raw_customers"],
    columns: [
      { name: "customer_id", from: [["stg_customers", "customer_id"]] },
      { name: "customer_email", from: [["raw_customers", "email", "cast"]], line: 4 },
    ],
  },
];

export function complianceThroughCast(): ReviewReport {
  const project = buildProject(complianceModels, { mask: { defaults: { pii: "hash" }, envs: { prod: { pii: "redact" } } } });
  const compliance = analyzeCompliance(project);
  const ch = columnChange("fct_orders", "customer_email", { kind: "added" }, { span: { file: "models/fct_orders.sql", line: 4, col: 3, side: "head" } });
  return {
    ...withChanges(emptyReport(), [ch], []),
    compliance,
    changedFiles: [changedFile("models/fct_orders.sql", [{ start: 4, end: 4 }])],
  };
}

/** The same copy, classified `internal` in the mart, `internal` allow-listed: in clear for all its tag. */
export function complianceReclassified(): ReviewReport {
  const models = complianceModels.map((m) => (m.name === "fct_orders" ? { ...m, classification: { customer_email: "internal" } } : m));
  const project = buildProject(models, { mask: { defaults: { pii: "hash" } }, allowUnmasked: ["internal"] });
  const ch = columnChange("fct_orders", "customer_email", { kind: "added" }, { span: { file: "models/fct_orders.sql", line: 4, col: 3, side: "head" } });
  return {
    ...withChanges(emptyReport(), [ch], []),
    compliance: analyzeCompliance(project),
    changedFiles: [changedFile("models/fct_orders.sql", [{ start: 4, end: 4 }])],
  };
}

const costModels: ModelSpec[] = [
  { name: "raw_orders", sources: ["shop.orders"], columns: ["id"] },
  { name: "stg_orders", deps: ["raw_orders"], columns: [{ name: "id", from: [["raw_orders", "id"]] }] },
  { name: "fct_daily", deps: ["stg_orders"], groupBy: "day", schedule: "hourly", columns: ["n"] },
];

function runs(model: string, ms: number, n: number): ModelRunRecord[] {
  return Array.from({ length: n }, (_, i) => ({ model, runId: `r${i}`, startedAt: "2026-11-01T00:00:00Z", status: "success" as const, durationMs: ms }));
}

export function costReport(observed: boolean): ReviewReport {
  const config = { adapters: [{ name: "default", type: "databricks" as const, settings: {} }] };
  const base = buildProject(costModels, config);
  const headModels = costModels.map((m) => (m.name === "stg_orders" ? { ...m, deps: ["raw_orders", "raw_refunds"], joins: "LEFT JOIN raw_refunds", budget: { max_usd: 5, on_breach: "warn" as const } } : m));
  const head = buildProject([...headModels, { name: "raw_refunds", sources: ["shop.refunds"], columns: ["id"] }], config);
  const history = new Map<string, ModelRunRecord[]>(observed ? [["stg_orders", runs("stg_orders", 1_800_000, 5)], ["fct_daily", runs("fct_daily", 60_000, 2)]] : []);
  const cost = projectCostFromData({ diff: buildDiff({ changed: ["stg_orders"], added: ["raw_refunds"], downstream: ["fct_daily"] }), head, base, history, stats: new Map() });
  const ch = columnChange("stg_orders", "id", { kind: "logic_changed", reason: "expression" }, { severity: "warning" });
  return { ...withChanges(emptyReport(), [ch], [blastEntry(ch, [consumer("fct_daily", "n", 1, "stg_orders.id", { transform: "aggregation:count" })])]), cost };
}

/** `n` changed columns in `n` models, the first reaching every one of `n` downstream models; names with multibyte characters. */
export function hugeBlastRadius(n: number, name = (i: number) => `mödel_ünïcode_😀_${String(i).padStart(5, "0")}`): ReviewReport {
  const changes = Array.from({ length: n }, (_, i) => columnChange(name(i), "amount", { kind: "type_changed", old: "Int64", new: "Int32", narrowing: true }));
  const consumers = Array.from({ length: n }, (_, i) => consumer(`down_${name(i)}`, "amount", 1 + (i % 4), `${name(0)}.amount`, { contracted: i % 7 === 0, classified: i % 11 === 0 ? "pii" : null }));
  const entries = changes.map((c, i) => blastEntry(c, i === 0 ? consumers : consumers.slice(i, i + 3)));
  return {
    ...withChanges(emptyReport(), changes, entries),
    breakingChanges: changes.map((c) => breaking(c.model, c.column, "column_type_changed", "breaking", `${c.column}: Int64 → Int32 (narrowing)`)),
  };
}

/** `n` P001 findings and `n` contract findings, in files inside the diff. */
export function manyFindings(n: number): ReviewReport {
  const portability = Array.from({ length: n }, (_, i) => ({
    ...p001(1 + (i % 40)),
    model: `model_${i}`,
    span: { file: `models/model_${i}.sql`, line: 1 + (i % 40), col: 10, endLine: 1 + (i % 40), endCol: 24 },
  }));
  const contracts = Array.from({ length: n }, (_, i) => contractFinding(`mart_${i}`, `column_with_a_long_name_${"x".repeat(300)}_${i}`, { span: { file: `models/mart_${i}.sql`, line: 2, col: 1, side: "head" } }));
  const changedFiles = [
    ...Array.from({ length: n }, (_, i) => changedFile(`models/model_${i}.sql`, [{ start: 1, end: 40 }])),
    ...Array.from({ length: n }, (_, i) => changedFile(`models/mart_${i}.sql`, [{ start: 1, end: 5 }])),
  ];
  return { ...emptyReport(), portability, contracts, changedFiles };
}
