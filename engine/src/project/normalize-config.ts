import type { BudgetConfig, FreshnessConfig, StrategyConfig } from "./types.js";
import { asNumber, asString, asStrings, asTable, compact } from "./toml-values.js";

/** `[strategy]` (checked) → StrategyConfig; a missing required key becomes "" / [] (already reported). */
export function normalizeStrategy(raw: unknown): StrategyConfig | undefined {
  const t = asTable(raw);
  if (!t) return undefined;
  const s = (k: string) => asString(t[k]);
  const list = (k: string) => asStrings(t[k]);
  switch (s("type") ?? "full_refresh") {
    case "full_refresh":
      return { type: "full_refresh" };
    case "incremental":
      return compact({ type: "incremental" as const, timestamp_column: s("timestamp_column") ?? "" });
    case "merge":
      return compact({ type: "merge" as const, unique_key: list("unique_key") ?? [], update_columns: list("update_columns") });
    case "time_interval":
      return compact({
        type: "time_interval" as const,
        time_column: s("time_column") ?? "",
        granularity: (s("granularity") ?? "day") as "hour" | "day" | "month" | "year",
        lookback: asNumber(t.lookback) ?? 0,
        batch_size: asNumber(t.batch_size) ?? 1,
        first_partition: s("first_partition"),
      });
    case "microbatch":
      return compact({ type: "microbatch" as const, timestamp_column: s("timestamp_column") ?? "", granularity: s("granularity") ?? "hour" });
    case "delete_insert":
      return { type: "delete_insert", partition_by: list("partition_by") ?? [] };
    case "ephemeral":
      return { type: "ephemeral" };
    case "view":
      return { type: "view" };
    case "materialized_view":
      return { type: "materialized_view" };
    case "dynamic_table":
      return { type: "dynamic_table", target_lag: s("target_lag") ?? "" };
    case "content_addressed":
      return compact({ type: "content_addressed" as const, storage_prefix: s("storage_prefix") ?? "", partition_columns: list("partition_columns") ?? [] });
    default:
      return undefined;
  }
}

export function normalizeBudget(raw: unknown): BudgetConfig | undefined {
  const t = asTable(raw);
  if (!t) return undefined;
  return compact({
    max_usd: asNumber(t.max_usd),
    max_duration_ms: asNumber(t.max_duration_ms),
    max_bytes_scanned: asNumber(t.max_bytes_scanned),
    on_breach: asString(t.on_breach) as BudgetConfig["on_breach"],
  });
}

export function normalizeFreshness(raw: unknown): FreshnessConfig | undefined {
  const t = asTable(raw);
  if (!t) return undefined;
  return compact({
    max_lag_seconds: asNumber(t.max_lag_seconds) ?? asNumber(t.expected_lag_seconds),
    time_column: asString(t.time_column),
    severity: asString(t.severity),
  });
}
