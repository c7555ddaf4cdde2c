import type { RunnableModel } from "../../../../engine/src/run/index.js";
import type { StrategyConfig } from "../../../../engine/src/project/types.js";
import type { DialectId } from "../../../../engine/src/syntax/ast.js";

/** Raw source tables every DAG test reads (plain SQL that DuckDB and the DuckDB-backed fakes run). */
export const RAW_SEED = [
  "CREATE SCHEMA IF NOT EXISTS raw",
  "CREATE OR REPLACE TABLE raw.customers (id INTEGER NOT NULL, name VARCHAR, country VARCHAR)",
  "INSERT INTO raw.customers VALUES (1, 'Ada', 'GB'), (2, 'Linus', 'FI'), (3, 'Grace', 'US')",
  "CREATE OR REPLACE TABLE raw.orders (id INTEGER NOT NULL, customer_id INTEGER NOT NULL, amount DECIMAL(10,2), ordered_at TIMESTAMP)",
  "INSERT INTO raw.orders VALUES (1, 1, 10.50, TIMESTAMP '2026-01-01 10:00:00'), (2, 1, 5.00, TIMESTAMP '2026-01-02 11:00:00'), (3, 2, 7.25, TIMESTAMP '2026-01-02 12:00:00')",
];

export function model(name: string, sql: string, strategy: StrategyConfig, dependsOn: string[], opts: { dialect?: DialectId; schema?: string; catalog?: string; columns?: string[] } = {}): RunnableModel {
  return {
    name,
    file: `models/${name}.sql`,
    sql,
    dialect: opts.dialect ?? "duckdb",
    target: { catalog: opts.catalog ?? "analytics", schema: opts.schema ?? "marts", table: name },
    strategy,
    dependsOn,
    ...(opts.columns ? { columns: opts.columns } : {}),
  };
}

/**
 * Four models in three layers: two staging models (a view and a table), a merged fact joining
 * them, and an aggregate on the fact; `catalog` is the Snowflake database / Databricks catalog.
 */
export function fourModelDag(dialect: DialectId = "duckdb", catalog = "analytics"): RunnableModel[] {
  const o = { dialect, catalog };
  return [
    model("stg_customers", "SELECT id AS customer_id, UPPER(name) AS name, country FROM raw.customers", { type: "full_refresh" }, [], { ...o, schema: "staging" }),
    model("stg_orders", "SELECT id AS order_id, customer_id, amount, ordered_at FROM raw.orders -- trailing comment", { type: "view" }, [], { ...o, schema: "staging" }),
    model(
      "fct_orders",
      "SELECT o.order_id, o.customer_id, c.name AS customer_name, o.amount, o.ordered_at\nFROM stg_orders o\nJOIN stg_customers AS c ON c.customer_id = o.customer_id;",
      { type: "merge", unique_key: ["order_id"] },
      ["stg_customers", "stg_orders"],
      { ...o, columns: ["order_id", "customer_id", "customer_name", "amount", "ordered_at"] },
    ),
    model("customer_revenue", "SELECT customer_id, customer_name, SUM(amount) AS revenue, COUNT(*) AS orders FROM fct_orders GROUP BY customer_id, customer_name", { type: "full_refresh" }, ["fct_orders"], o),
  ];
}
