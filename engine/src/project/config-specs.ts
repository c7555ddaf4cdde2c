import { DBU_PER_HOUR, sizeKey } from "../cost/warehouse-cost-model.js";
import { type Spec, type TableSpec, type TaggedSpec, any, arr, bool, int, map, num, openTable, str, table } from "./toml-spec.js";

/**
 * The config formats as data (rocky-compat.md §2.2, §2.3, §6.1): one row per key. Blocks this
 * project does not read (state, hooks, policy, ...) are accepted as written; their contents are
 * Rocky's business. Unknown keys in the blocks we model are R002 with a did-you-mean.
 */

export const ADAPTER_TYPES = ["databricks", "snowflake", "duckdb", "bigquery", "trino", "fivetran", "airbyte", "iceberg", "manual"] as const;
export const PIPELINE_TYPES = ["replication", "transformation", "quality", "snapshot", "load"] as const;
export const MASK_STRATEGIES = ["hash", "redact", "partial", "none"] as const;
export const TARGET_DIALECTS = ["databricks", "snowflake", "bigquery", "duckdb"] as const;
export const GRANULARITIES = ["hour", "day", "month", "year"] as const;
export const STRATEGY_TYPES = [
  "full_refresh",
  "incremental",
  "merge",
  "time_interval",
  "microbatch",
  "delete_insert",
  "ephemeral",
  "view",
  "materialized_view",
  "dynamic_table",
  "content_addressed",
] as const;

const strings = arr(str());
const nonNegInt = int(0);
const severity = str({ oneOf: ["error", "warning"] });
const onBreach = str({ oneOf: ["warn", "error"] });

/** `hourly|daily|weekly|monthly`, `@daily`-style macros, or a 5/6-field cron expression. */
export const SCHEDULE_PATTERN = /^(?:@?(?:hourly|daily|weekly|monthly|yearly|annually)|\S+(?:\s+\S+){4,5})$/;
const schedule = str({ pattern: SCHEDULE_PATTERN, patternHelp: '"hourly", "daily", "weekly", "monthly" or a cron expression like "0 6 * * *"' });

export const BUDGET_SPEC = table({ max_usd: num(0), max_duration_ms: nonNegInt, max_bytes_scanned: nonNegInt, on_breach: onBreach });
const targetRef = (required: readonly string[]): TableSpec => table({ catalog: str(), schema: str(), table: str() }, { required });
/**
 * Where a model writes: a schema or table named by an empty (or blank) string is a mistake, never
 * a default (Rocky has none: rocky-compat.md §2.2), that would only surface as the warehouse
 * refusing `CREATE SCHEMA ""`. `schema = ""` or `"${SCHEMA:-}"` with SCHEMA unset is an R002 here.
 */
const relationName = (what: string) => str({ pattern: /\S/, patternHelp: `a ${what} name, not an empty string` });
const modelTarget = table({ catalog: str(), schema: relationName("schema"), table: relationName("table") });
const sharedTarget = table({ catalog: str(), schema: relationName("schema") });

export const STRATEGY_SPEC: TaggedSpec = {
  kind: "tagged",
  tag: "type",
  defaultTag: "full_refresh",
  variants: {
    full_refresh: table({}),
    incremental: table({ timestamp_column: str() }, { required: ["timestamp_column"] }),
    merge: table({ unique_key: strings, update_columns: strings }, { required: ["unique_key"] }),
    time_interval: table(
      { time_column: str(), granularity: str({ oneOf: GRANULARITIES }), lookback: nonNegInt, batch_size: int(1), first_partition: str() },
      { required: ["time_column", "granularity"] },
    ),
    microbatch: table({ timestamp_column: str(), granularity: str({ oneOf: GRANULARITIES }) }, { required: ["timestamp_column"] }),
    delete_insert: table({ partition_by: strings }, { required: ["partition_by"] }),
    ephemeral: table({}),
    view: table({}),
    materialized_view: table({}),
    dynamic_table: table({ target_lag: str() }, { required: ["target_lag"] }),
    content_addressed: table({ storage_prefix: str(), partition_columns: strings }, { required: ["storage_prefix"] }),
  },
};

const FRESHNESS_SPEC = table({ max_lag_seconds: nonNegInt, expected_lag_seconds: nonNegInt, time_column: str(), severity });
const FORMAT_OPTIONS_SPEC = table({ partition_by: strings, cluster_by: strings, properties: openTable, comment: str() });
const TEST_SPEC = table({ type: str(), column: str(), severity, filter: str() }, { rest: any });

/** dbt config keys people write in a sidecar → the Rocky key (for did-you-mean). */
export const DBT_ALIASES: Readonly<Record<string, string>> = {
  materialized: "strategy",
  materialization: "strategy",
  incremental_strategy: "strategy",
  unique_key: "strategy.unique_key",
  database: "target.catalog",
  catalog: "target.catalog",
  schema: "target.schema",
  alias: "target.table",
  meta: "tags",
  description: "intent",
  owner: "tags",
};

/** Keys a model sidecar (and inline front-matter) may carry. */
export const SIDECAR_SPEC: TableSpec = table({
  name: str(),
  depends_on: strings,
  group: str(),
  args: openTable,
  adapter: str(),
  target: modelTarget,
  sources: arr(targetRef(["catalog", "schema", "table"])),
  strategy: STRATEGY_SPEC,
  format: str(),
  format_options: FORMAT_OPTIONS_SPEC,
  intent: str(),
  freshness: FRESHNESS_SPEC,
  classification: map(str()),
  tags: openTable,
  governance: table({ tags: openTable, grants: any }),
  retention: str({ pattern: /^\d+[dy]$/, patternHelp: 'a number of days or years like "90d" or "1y"' }),
  budget: BUDGET_SPEC,
  skip: table({ eligible: bool, deterministic: bool }),
  tests: arr(TEST_SPEC),
  use_test: arr(table({ name: str(), column: str(), severity, filter: str() }, { required: ["name"] })),
  test: arr(any),
  surrogate_key: arr(table({ name: str(), columns: strings }, { required: ["name", "columns"] })),
  columns: map(table({ description: str() })),
  exposures: arr(table({ name: str(), type: str(), url: str() }, { required: ["name"] })),
  schedule,
}, { aliases: DBT_ALIASES });

/** `models/_defaults.toml`: per-model keys (name, depends_on, sources) are refused, as in Rocky. */
export const DEFAULTS_SPEC: TableSpec = table({
  target: sharedTarget,
  strategy: STRATEGY_SPEC,
  intent: str(),
  freshness: FRESHNESS_SPEC,
  adapter: str(),
  format: str(),
  format_options: FORMAT_OPTIONS_SPEC,
  tags: openTable,
  budget: BUDGET_SPEC,
  schedule,
});

/** `models/groups/<g>.toml`. */
export const GROUP_SPEC: TableSpec = table({
  name: str(),
  schema_template: relationName("schema"),
  catalog: str(),
  target: sharedTarget,
  strategy: STRATEGY_SPEC,
  tags: openTable,
  governance: table({ tags: openTable, grants: any }),
  enforce: bool,
  adapter: str(),
  schedule,
  budget: BUDGET_SPEC,
  intent: str(),
});

/** `<model>.contract.toml`. */
export const CONTRACT_SPEC: TableSpec = table({
  columns: arr(table({ name: str(), type: str(), nullable: bool, description: str() }, { required: ["name"] })),
  rules: table({ required: strings, protected: strings, no_new_nullable: bool }),
});

const retrySpec = table({
  max_retries: nonNegInt,
  initial_backoff_ms: nonNegInt,
  max_backoff_ms: nonNegInt,
  backoff_multiplier: num(0),
  jitter: bool,
  circuit_breaker_threshold: nonNegInt,
  circuit_breaker_recovery_timeout_secs: nonNegInt,
  max_retries_per_run: nonNegInt,
});

export const ADAPTER_SPEC: TableSpec = table(
  {
    type: str({ oneOf: ADAPTER_TYPES }),
    kind: str({ oneOf: ["data", "discovery"] }),
    host: str(),
    http_path: str(),
    token: str(),
    client_id: str(),
    client_secret: str(),
    timeout_secs: nonNegInt,
    account: str(),
    warehouse: str(),
    username: str(),
    password: str(),
    oauth_token: str(),
    pat: str(),
    private_key_path: str(),
    role: str(),
    database: str(),
    path: str(),
    project_id: str(),
    location: str(),
    api_key: str(),
    api_secret: str(),
    destination_id: str(),
    retry: retrySpec,
    extra: openTable,
    cache: any,
    circuit_breaker: any,
    ratelimit: any,
    stampede: any,
    schemas: arr(any),
    // Read by this project's adapters (engine/src/adapters/registry.ts) beyond Rocky's keys: the
    // connection's own catalog and schema, where to connect (a proxy, a private link, a test
    // server), a CA for TLS, key-pair login without a file, and a bound on a silent statement.
    user: str(),
    catalog: str(),
    schema: str(),
    port: nonNegInt,
    access_url: str(),
    ca_cert_path: str(),
    private_key: str(),
    private_key_passphrase: str(),
    statement_timeout_ms: nonNegInt,
    // DuckDB: other database files attached under a name (`attach = { raw = "raw.duckdb" }`), read as `raw.schema.table`.
    attach: openTable,
  },
  { required: ["type"] },
);

const executionSpec = table({
  concurrency: { kind: "either", options: [str({ oneOf: ["adaptive"] }), int(1)], expected: '"adaptive" or a positive integer' },
  fail_fast: bool,
  error_rate_abort_pct: num(0),
  table_retries: nonNegInt,
});
const pipelineSchedule: Spec = { kind: "either", options: [schedule, openTable], expected: "a schedule string or a [schedule] table" };
const common = { depends_on: strings, schedule: pipelineSchedule, checks: any, execution: executionSpec };

export const PIPELINE_SPEC: TaggedSpec = {
  kind: "tagged",
  tag: "type",
  defaultTag: "replication",
  variants: {
    transformation: table({
      ...common,
      models: str(),
      target: table({ adapter: str(), governance: openTable }),
    }),
    replication: table({
      ...common,
      strategy: str(),
      timestamp_column: str(),
      metadata_columns: arr(any),
      source: openTable,
      target: openTable,
    }),
    quality: table(common, { rest: any }),
    snapshot: table(common, { rest: any }),
    load: table(common, { rest: any }),
  },
};

const maskEntry: Spec = {
  kind: "either",
  options: [str({ oneOf: MASK_STRATEGIES }), map(str({ oneOf: MASK_STRATEGIES }))],
  expected: 'a strategy ("hash", "redact", "partial", "none") or a [mask.<env>] table',
};

/** `rocky.toml` (the adapter block is checked separately: it may be unnamed). */
export const ROCKY_TOML_SPEC: TableSpec = table({
  adapter: any,
  pipeline: map(PIPELINE_SPEC),
  portability: table({ target_dialect: str({ oneOf: TARGET_DIALECTS }), allow: strings }),
  mask: map(maskEntry),
  classifications: table({ allow_unmasked: strings }),
  budget: BUDGET_SPEC,
  cost: table({ storage_cost_per_gb_month: num(0), compute_cost_per_dbu: num(0), warehouse_size: str({ oneOf: Object.keys(DBU_PER_HOUR), normalize: sizeKey }), min_history_runs: nonNegInt }),
  freshness: table({ expected_lag_seconds: nonNegInt, time_column: str(), severity }),
  state: table({ backend: str({ oneOf: ["local", "s3", "gcs", "valkey", "tiered"] }) }, { rest: any }),
  hook: any,
  ai: table({ max_tokens: nonNegInt }),
  branch: any,
  cache: any,
  fulfill: any,
  gc: any,
  imports: any,
  policy: any,
  resilience: any,
  retry: any,
  reuse: any,
  role: any,
  run: any,
  schedule: any,
});
