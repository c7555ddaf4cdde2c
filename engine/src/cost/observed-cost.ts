import { BIGQUERY_USD_PER_TB, DBU_PER_HOUR, DEFAULT_COST_PER_DBU, DEFAULT_WAREHOUSE_SIZE, dbuPerHour, type Warehouse } from "./warehouse-cost-model.js";

export interface ObservedCostInput {
  readonly warehouse: Warehouse;
  readonly duration_ms: number;
  /** Only BigQuery reports it today. */
  readonly bytes_scanned?: number;
  /** `[cost] warehouse_size` (default "Medium"). An unknown size is priced as Medium. */
  readonly warehouse_size?: string;
  /** `[cost] compute_cost_per_dbu` (default 0.40). */
  readonly cost_per_dbu?: number;
}

/**
 * Rocky's observed cost of one run (`rocky-core/src/cost.rs::compute_observed_cost_usd`):
 * - Databricks and Snowflake: hours × DBU-or-credits per hour for the warehouse size × price per unit;
 * - BigQuery: bytes scanned / 1e12 × $6.25, undefined when no bytes were reported;
 * - DuckDB: 0.
 */
export function observedCostUsd(input: ObservedCostInput): number | undefined {
  if (input.warehouse === "duckdb") return 0;
  if (input.warehouse === "bigquery") {
    if (input.bytes_scanned === undefined || !Number.isFinite(input.bytes_scanned)) return undefined;
    return (Math.max(0, input.bytes_scanned) / 1e12) * BIGQUERY_USD_PER_TB;
  }
  const rate = dbuPerHour(input.warehouse_size ?? DEFAULT_WAREHOUSE_SIZE) ?? DBU_PER_HOUR[DEFAULT_WAREHOUSE_SIZE];
  const hours = Math.max(0, input.duration_ms) / 3_600_000;
  return hours * rate * (input.cost_per_dbu ?? DEFAULT_COST_PER_DBU);
}
