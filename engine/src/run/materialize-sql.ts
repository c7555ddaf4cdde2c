import type { AdapterCapabilities } from "../adapters/warehouse-adapter.js";
import type { StrategyConfig } from "../project/types.js";
import type { DialectId } from "../syntax/ast.js";

export interface MaterializeInput {
  readonly strategy: StrategyConfig;
  readonly dialect: DialectId;
  readonly capabilities: AdapterCapabilities;
  /** The physical target, qualified and quoted (`adapter.qualify(...)`). */
  readonly target: string;
  /** The model's rendered SELECT (`renderModelSql`). */
  readonly select: string;
  /** Whether the target exists already: incremental strategies create it on their first run. */
  readonly targetExists: boolean;
  /** Output column names, in order (MERGE needs them on Snowflake). */
  readonly columns?: readonly string[];
  /** `time_interval`: the partition being written, as SQL literals (the SELECT already has them substituted). */
  readonly partition?: { readonly start: string; readonly end: string };
  /** Snowflake dynamic tables need a warehouse. */
  readonly warehouse?: string;
  readonly quoteIdent: (name: string) => string;
}

/** The statements to run, in order; `transactional` ones are wrapped in BEGIN/COMMIT by the runner. */
export interface MaterializePlan {
  readonly statements: readonly string[];
  readonly transactional: boolean;
  /** What the plan does, for run output (`create_table`, `merge`, `insert_new_rows`, ...). */
  readonly action: string;
  /** A strategy this dialect lacks was replaced by the nearest one (say so in the run output). */
  readonly fallback?: string;
}

/** `(\n<select>\n)`: the newline ends a trailing line comment in the model's SQL. */
const sub = (select: string) => `(\n${select}\n)`;

/**
 * The SQL that materializes a model per strategy and dialect (rocky-compat.md §2.2):
 * full_refresh `CREATE OR REPLACE TABLE .. AS`; view; incremental (rows newer than the target's
 * max timestamp_column); merge (MERGE INTO where the warehouse has it, else delete + insert in one
 * transaction); delete_insert (replace the partitions the new rows touch); time_interval (replace
 * one partition); materialized_view / dynamic_table where the dialect has them, else a table;
 * ephemeral: nothing (inlined into consumers).
 */
export function materializeSql(input: MaterializeInput): MaterializePlan {
  const { strategy, target, select, quoteIdent: q } = input;
  const ctas: MaterializePlan = { statements: [`CREATE OR REPLACE TABLE ${target} AS\n${select}\n`], transactional: false, action: "create_table" };
  switch (strategy.type) {
    case "ephemeral":
      return { statements: [], transactional: false, action: "inline" };
    case "full_refresh":
      return ctas;
    case "view":
      return { statements: [`CREATE OR REPLACE VIEW ${target} AS\n${select}\n`], transactional: false, action: "create_view" };
    case "materialized_view":
      if (!input.capabilities.materializedView) return { ...ctas, fallback: `${input.dialect} has no materialized views: built as a table` };
      return { statements: [`CREATE OR REPLACE MATERIALIZED VIEW ${target} AS\n${select}\n`], transactional: false, action: "create_materialized_view" };
    case "dynamic_table": {
      if (!input.capabilities.dynamicTable) return { ...ctas, fallback: `${input.dialect} has no dynamic tables: built as a table` };
      const lag = strategy.target_lag ?? "1 hour";
      const wh = input.warehouse ? ` WAREHOUSE = ${q(input.warehouse)}` : "";
      return { statements: [`CREATE OR REPLACE DYNAMIC TABLE ${target} TARGET_LAG = '${lag.replace(/'/g, "''")}'${wh} AS\n${select}\n`], transactional: false, action: "create_dynamic_table" };
    }
    case "content_addressed":
      return { ...ctas, fallback: "content_addressed storage is not supported: built as a table" };
    case "incremental":
    case "microbatch": {
      if (!input.targetExists) return ctas;
      const ts = strategy.timestamp_column;
      if (ts === undefined) return { ...ctas, fallback: "incremental without timestamp_column: full refresh" };
      const col = q(ts);
      return {
        statements: [`INSERT INTO ${target}\nSELECT * FROM ${sub(select)} AS rocky_src\nWHERE rocky_src.${col} > (SELECT MAX(${col}) FROM ${target}) OR (SELECT MAX(${col}) FROM ${target}) IS NULL`],
        transactional: false,
        action: "insert_new_rows",
      };
    }
    case "merge":
      return mergePlan(input, strategy.unique_key, strategy.update_columns, ctas);
    case "delete_insert": {
      // Not REPLACE WHERE on Databricks: its predicate must be fixed, and this one is the new rows' own
      // partition values. Delta's dynamic form, `REPLACE USING (cols)`, needs Databricks Runtime 16.3
      // (same pages as time_interval's), which the adapter cannot tell from here; so on Databricks this
      // stays two statements, and a lost connection between them is repaired by the next run.
      if (!input.targetExists) return ctas;
      const keys = strategy.partition_by ?? [];
      if (keys.length === 0) return { ...ctas, fallback: "delete_insert without partition_by: full refresh" };
      const cols = keys.map(q).join(", ");
      return {
        statements: [
          `DELETE FROM ${target} WHERE (${cols}) IN (SELECT DISTINCT ${cols} FROM ${sub(select)} AS rocky_src)`,
          `INSERT INTO ${target}\nSELECT * FROM ${sub(select)} AS rocky_src`,
        ],
        transactional: true,
        action: "delete_insert",
      };
    }
    case "time_interval": {
      const p = input.partition;
      if (p === undefined) throw new Error("time_interval needs a partition");
      const col = q(strategy.time_column);
      const create = input.targetExists ? [] : [`CREATE TABLE IF NOT EXISTS ${target} AS\nSELECT * FROM ${sub(select)} AS rocky_src WHERE 1 = 0`];
      const partition = `${col} >= ${p.start} AND ${col} < ${p.end}`;
      if (input.capabilities.replaceWhere) {
        // Databricks has no multi-statement transactions: a DELETE then an INSERT are two commits, and a
        // connection lost between them leaves the partition empty. Delta's `INSERT INTO [TABLE] t REPLACE
        // WHERE predicate query` replaces the rows matching a fixed predicate in one atomic commit (SQL on
        // Databricks Runtime 12.2 LTS and above, every compute type). It also checks that every row written
        // matches the predicate and fails otherwise (DELTA_REPLACE_WHERE_MISMATCH), where DELETE + INSERT
        // would keep a row outside the partition, once more on each run: the model must filter on
        // @start_date / @end_date. See https://docs.databricks.com/delta/selective-overwrite.html,
        // https://docs.databricks.com/sql/language-manual/sql-ref-syntax-dml-insert-into.html and
        // https://docs.databricks.com/error-messages/delta-replace-where-mismatch-error-class.html
        return { statements: [...create, `INSERT INTO ${target} REPLACE WHERE ${partition}\nSELECT * FROM ${sub(select)} AS rocky_src`], transactional: false, action: "replace_partition" };
      }
      return {
        statements: [...create, `DELETE FROM ${target} WHERE ${partition}`, `INSERT INTO ${target}\nSELECT * FROM ${sub(select)} AS rocky_src`],
        transactional: true,
        action: "replace_partition",
      };
    }
  }
}

function mergePlan(input: MaterializeInput, uniqueKey: readonly string[], updateColumns: readonly string[] | undefined, ctas: MaterializePlan): MaterializePlan {
  if (!input.targetExists) return ctas;
  const { target, select, quoteIdent: q } = input;
  if (uniqueKey.length === 0) return { ...ctas, fallback: "merge without unique_key: full refresh" };
  const keyCols = uniqueKey.map(q);
  const columns = input.columns;
  const noColumns = columns === undefined || columns.length === 0;
  // Snowflake's MERGE needs the column list; without it (columns unknown), delete + insert.
  if (!input.capabilities.merge || (noColumns && input.dialect !== "databricks")) {
    // DuckDB: CTAS tables carry no key constraint for INSERT OR REPLACE, so delete the matching
    // keys and insert the new rows, atomically (in one transaction where the warehouse has them).
    const keys = keyCols.join(", ");
    return {
      statements: [
        `DELETE FROM ${target} WHERE (${keys}) IN (SELECT ${keys} FROM ${sub(select)} AS rocky_src)`,
        `INSERT INTO ${target}\nSELECT * FROM ${sub(select)} AS rocky_src`,
      ],
      transactional: true,
      action: "merge",
    };
  }
  const on = keyCols.map((k) => `rocky_tgt.${k} = rocky_src.${k}`).join(" AND ");
  if (noColumns) {
    return {
      statements: [`MERGE INTO ${target} AS rocky_tgt\nUSING ${sub(select)} AS rocky_src\nON ${on}\nWHEN MATCHED THEN UPDATE SET *\nWHEN NOT MATCHED THEN INSERT *`],
      transactional: false,
      action: "merge",
    };
  }
  const keySet = new Set(uniqueKey.map((k) => k.toLowerCase()));
  const updates = (updateColumns ?? columns.filter((c) => !keySet.has(c.toLowerCase()))).map((c) => `${q(c)} = rocky_src.${q(c)}`);
  const matched = updates.length > 0 ? `\nWHEN MATCHED THEN UPDATE SET ${updates.join(", ")}` : "";
  const cols = columns.map(q);
  return {
    statements: [
      `MERGE INTO ${target} AS rocky_tgt\nUSING ${sub(select)} AS rocky_src\nON ${on}${matched}\nWHEN NOT MATCHED THEN INSERT (${cols.join(", ")}) VALUES (${cols.map((c) => `rocky_src.${c}`).join(", ")})`,
    ],
    transactional: false,
    action: "merge",
  };
}
