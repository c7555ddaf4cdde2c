/**
 * Rocky's `WarehouseCostModel` (rocky-compat.md §3.3, `rocky-core/src/cost.rs`): linear per-row and
 * per-byte prices per warehouse, used by the static estimate (compile `cost_hint`, E027) — and the
 * observed-cost tables (DBU or credits per hour by warehouse size, BigQuery's price per TB).
 * Data, not code: adding a warehouse is one row.
 */
export type Warehouse = "databricks" | "snowflake" | "bigquery" | "duckdb";

export interface WarehouseCostModel {
  /** USD per row scanned from storage. */
  readonly perRowScanCost: number;
  /** USD per row processed (filters, joins, aggregates). */
  readonly perRowComputeCost: number;
  /** USD per byte of I/O. */
  readonly perByteIoCost: number;
}

export const WAREHOUSE_COST_MODELS: Readonly<Record<Warehouse, WarehouseCostModel>> = {
  databricks: { perRowScanCost: 1.0e-9, perRowComputeCost: 5.0e-9, perByteIoCost: 5.0e-12 },
  snowflake: { perRowScanCost: 1.2e-9, perRowComputeCost: 6.0e-9, perByteIoCost: 6.0e-12 },
  bigquery: { perRowScanCost: 0.8e-9, perRowComputeCost: 4.0e-9, perByteIoCost: 6.25e-12 },
  duckdb: { perRowScanCost: 0, perRowComputeCost: 0, perByteIoCost: 0 },
};

/** DBUs (Databricks) or credits (Snowflake, run through the same table) per hour, by `[cost] warehouse_size`. */
export const DBU_PER_HOUR: Readonly<Record<string, number>> = {
  "2X-Small": 4,
  "X-Small": 6,
  Small: 12,
  Medium: 24,
  Large: 40,
  "X-Large": 80,
  "2X-Large": 144,
  "3X-Large": 272,
  "4X-Large": 528,
};

/** `[cost] warehouse_size` default. */
export const DEFAULT_WAREHOUSE_SIZE = "Medium";
/** `[cost] compute_cost_per_dbu` default (USD). */
export const DEFAULT_COST_PER_DBU = 0.4;
/** BigQuery on-demand price per TB (1e12 bytes) scanned. */
export const BIGQUERY_USD_PER_TB = 6.25;

const WAREHOUSES: readonly Warehouse[] = ["databricks", "snowflake", "bigquery", "duckdb"];

/** A warehouse from an adapter type or dialect id (`databricks`, `snowflake`, `bigquery`, `duckdb`); undefined for anything else (trino, fivetran, ...). */
export function warehouseOf(kind: string | undefined): Warehouse | undefined {
  if (kind === undefined) return undefined;
  const k = kind.trim().toLowerCase();
  return WAREHOUSES.find((w) => w === k);
}

/** A warehouse size as `dbuPerHour` compares it: case, dashes and underscores ignored. */
export const sizeKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const SIZE_BY_KEY = new Map(Object.entries(DBU_PER_HOUR).map(([k, v]) => [sizeKey(k), v]));

/** DBU (or credit) rate per hour for a warehouse size, tolerant of spelling (`X-Small`, `xsmall`, `X_SMALL`); undefined when unknown. */
export function dbuPerHour(size: string): number | undefined {
  return SIZE_BY_KEY.get(sizeKey(size));
}
