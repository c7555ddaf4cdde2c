import type { DialectId } from "../syntax/ast.js";

/**
 * Where each warehouse puts NULLs in an ORDER BY key that says neither NULLS FIRST nor NULLS LAST:
 *
 * - Snowflake: NULLs are higher than any value (DEFAULT_NULL_ORDERING = LAST, the default): last
 *   ascending, first descending. docs.snowflake.com/en/sql-reference/constructs/order-by (usage notes).
 * - Databricks / Spark: "NULLs sort first if sort order is ASC and NULLS sort last if sort order is
 *   DESC". docs.databricks.com/sql/language-manual/sql-ref-syntax-qry-select-orderby.html,
 *   spark.apache.org/docs/latest/sql-ref-syntax-qry-select-orderby.html.
 * - BigQuery: NULLs are lower than any value: first ascending, last descending (GoogleSQL's ORDER BY
 *   clause, cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#order_by_clause; its
 *   text was not in the stored copies searched, the behaviour is as run on BigQuery in
 *   hene.dev/blog/2023/12/09/bigquery-order-by-data-type).
 * - DuckDB: NULLS LAST whatever the direction (default_null_order = 'nulls_last' since 0.8,
 *   duckdb.org/docs/stable/sql/query_syntax/orderby, github.com/duckdb/duckdb/pull/7174); asserted
 *   against DuckDB itself in test/engine/checks/window-null-order.test.ts.
 *
 * Snowflake's parameter and DuckDB's setting can change this per session; these are the defaults.
 */
export function nullsFirstByDefault(dialect: DialectId, desc: boolean): boolean {
  if (dialect === "snowflake") return desc;
  if (dialect === "duckdb") return false;
  return !desc;
}

/**
 * Window functions whose value depends on which row comes first in the window's ORDER BY: a
 * ranking (`ROW_NUMBER() ... = 1` keeps one row per partition) or a row picked by position.
 * Running aggregates over an ordered window (`SUM(x) OVER (ORDER BY k)`) change too, since their
 * frames hold other rows, but pick none: not flagged (yet).
 */
export const ROW_PICKING_WINDOWS: ReadonlySet<string> = new Set(["ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "LAG", "LEAD"]);
