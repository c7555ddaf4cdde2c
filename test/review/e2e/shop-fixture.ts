/** A small Rocky project for review fixtures: raw.orders → stg_orders → int_orders → fct_revenue (contracted), plus stg_customers (classified email). */
export const SHOP_BASE: Readonly<Record<string, string>> = {
  "rocky.toml": ['[adapter]', 'type = "duckdb"', "", "[portability]", 'target_dialect = "duckdb"', "", "[mask]", 'pii = "hash"', ""].join("\n"),
  "models/_defaults.toml": ['[target]', 'catalog = "wh"', 'schema = "analytics"', ""].join("\n"),
  "schemas/raw.json": JSON.stringify(
    {
      tables: {
        "raw.orders": [
          { name: "id", type: "BIGINT", nullable: false },
          { name: "customer_id", type: "BIGINT", nullable: false },
          { name: "amount", type: "DECIMAL(18,2)", nullable: false },
          { name: "status", type: "VARCHAR", nullable: false },
          { name: "ordered_at", type: "TIMESTAMP", nullable: false },
        ],
        "raw.customers": [
          { name: "id", type: "BIGINT", nullable: false },
          { name: "email", type: "VARCHAR", nullable: true },
        ],
      },
    },
    null,
    2,
  ),
  "models/stg_orders.sql": ["SELECT", "    id AS order_id,", "    customer_id,", "    amount,", "    status,", "    ordered_at", "FROM raw.orders", "WHERE status <> 'test'", ""].join("\n"),
  "models/int_orders.sql": ["SELECT", "    order_id,", "    customer_id,", "    amount,", "    status", "FROM stg_orders", ""].join("\n"),
  "models/fct_revenue.sql": ["SELECT", "    order_id,", "    amount", "FROM int_orders", ""].join("\n"),
  "models/fct_revenue.toml": ['[[exposures]]', 'name = "Finance dashboard"', 'type = "dashboard"', ""].join("\n"),
  "models/fct_revenue.contract.toml": ["[[columns]]", 'name = "amount"', 'type = "Decimal(18,2)"', "nullable = false", "", "[rules]", 'required = ["amount"]', 'protected = ["order_id"]', ""].join("\n"),
  "models/stg_customers.sql": ["SELECT", "    id AS customer_id,", "    email", "FROM raw.customers", ""].join("\n"),
  "models/stg_customers.toml": ["[classification]", 'email = "pii"', ""].join("\n"),
};

/** The shop's rocky.toml with its DuckDB warehouse in a file (`path`, relative to the project). */
export function shopTomlOnFile(path = "warehouse.duckdb"): string {
  return SHOP_BASE["rocky.toml"].replace('type = "duckdb"', `type = "duckdb"\npath = "${path}"`);
}

/** Replace one line (1-based) of a base file. */
export function editLine(file: string, line: number, text: string): Record<string, string> {
  const lines = (SHOP_BASE[file] ?? "").split("\n");
  lines[line - 1] = text;
  return { [file]: lines.join("\n") };
}
