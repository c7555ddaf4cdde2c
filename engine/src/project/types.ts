import type { DialectId, Span } from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * Why a project file has no text, as its reader found it, so R007 can say which: not UTF-8 (the
 * line and column of the first byte that is not), binary (a NUL byte), larger than the readers'
 * limit, or not read at all (the OS's or git's error code and message, e.g. `EACCES`, `permission
 * denied`). Plain data, compared and hashed by value (fileContentKey).
 */
export type UnreadableFile =
  | { readonly unreadable: "not-utf8"; readonly line: number; readonly col: number }
  | { readonly unreadable: "binary"; readonly line: number; readonly col: number }
  | { readonly unreadable: "too-large"; readonly bytes: number; readonly limit: number }
  | { readonly unreadable: "read-error"; readonly code: string; readonly message: string };

/** A project file as read: its text; an UnreadableFile; or `null`, unreadable for a reason its reader did not say. */
export type ProjectFileText = string | null | UnreadableFile;

/**
 * A project as files: project-relative path (forward slashes) → text. The engine never touches
 * the file system itself; engine/src/project/read-project-dir.ts (Node) and review/src/git
 * (git objects) build this map. A file with no text is passed as an UnreadableFile (or `null`)
 * so the loader can report it (R007) instead of crashing.
 */
export type ProjectFiles = ReadonlyMap<string, ProjectFileText>;

/** A file's text, or undefined when it is absent or has none (unreadable): what a reader of texts wants of a ProjectFiles value. */
export function fileText(value: ProjectFileText | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Whether a ProjectFiles value is a file without text (R007), as opposed to a text or no such file. */
export function isUnreadable(value: ProjectFileText | undefined): value is UnreadableFile | null {
  return value !== undefined && typeof value !== "string";
}

/**
 * A ProjectFiles value as a string for hashing: the text, or the reader's account of why there is
 * none, so a cached result never outlives a change in that account (a file made readable, or a
 * binary file replaced by a Latin-1 one).
 */
export function fileContentKey(value: ProjectFileText | undefined): string {
  return typeof value === "string" ? value : value === undefined ? "" : `\u0001${value === null ? "" : JSON.stringify(value)}`;
}

export interface LoadOptions {
  /** Values for `${VAR}` / `${VAR:-default}` in TOML. The engine never reads process.env; shells pass it in. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--var name=value` for `@var(name[, default])` in SQL. */
  readonly vars: Readonly<Record<string, string>>;
  /** `--models DIR` (default "models"). */
  readonly modelsDir?: string;
  /** `--contracts DIR` (explicit contracts dir; "contracts" is also searched when present). */
  readonly contractsDir?: string;
}

export interface TargetRef {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
}

export type StrategyConfig =
  | { readonly type: "full_refresh" }
  | { readonly type: "incremental"; readonly timestamp_column?: string }
  | { readonly type: "merge"; readonly unique_key: readonly string[]; readonly update_columns?: readonly string[] }
  | {
      readonly type: "time_interval";
      readonly time_column: string;
      readonly granularity: "hour" | "day" | "month" | "year";
      readonly lookback?: number;
      readonly batch_size?: number;
      readonly first_partition?: string;
    }
  | { readonly type: "microbatch"; readonly timestamp_column?: string; readonly granularity?: string }
  | { readonly type: "delete_insert"; readonly partition_by?: readonly string[] }
  | { readonly type: "ephemeral" }
  | { readonly type: "view" }
  | { readonly type: "materialized_view" }
  | { readonly type: "dynamic_table"; readonly target_lag?: string }
  | { readonly type: "content_addressed"; readonly storage_prefix?: string; readonly partition_columns?: readonly string[] };

export interface BudgetConfig {
  readonly max_usd?: number;
  readonly max_duration_ms?: number;
  readonly max_bytes_scanned?: number;
  readonly on_breach?: "warn" | "error";
}

export interface FreshnessConfig {
  readonly max_lag_seconds?: number;
  readonly time_column?: string;
  readonly severity?: string;
}

/** Where a TOML key or value sits, for diagnostics that name file and line. */
export interface TomlLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A model sidecar (`<model>.toml`) merged with `_defaults.toml`, normalized. */
export interface ModelConfig {
  readonly name: string;
  readonly depends_on?: readonly string[];
  readonly adapter?: string;
  readonly target: TargetRef;
  readonly strategy: StrategyConfig;
  readonly sources?: readonly TargetRef[];
  readonly format?: string;
  readonly format_options?: Readonly<Record<string, unknown>>;
  readonly intent?: string;
  readonly freshness?: FreshnessConfig;
  /** column → tag (case kept as written; tags match [mask] case-insensitively). */
  readonly classification: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, unknown>>;
  readonly budget?: BudgetConfig;
  /** Exposures this model feeds (dashboards, reverse-ETL): our extension, `[[exposures]] name/type/url`. */
  readonly exposures?: readonly { readonly name: string; readonly type?: string; readonly url?: string }[];
  /** How often the model runs, for cost per month: our extension `schedule = "daily"|"hourly"|"<cron>"`, else the pipeline's. */
  readonly schedule?: string;
  readonly columns?: Readonly<Record<string, { readonly description?: string }>>;
  /** Where each top-level key was written, for diagnostics (key path → location). */
  readonly locations: Readonly<Record<string, TomlLocation>>;
}

export interface ContractColumn {
  readonly name: string;
  /** A RockyType name as written (`Int64`, `Decimal(10,2)`, `String`...). */
  readonly type?: string;
  readonly nullable?: boolean;
  readonly description?: string;
  /** Where its `name`, `type` and `nullable` keys are written. */
  readonly location?: TomlLocation;
  readonly typeLocation?: TomlLocation;
  readonly nullableLocation?: TomlLocation;
}

export interface Contract {
  readonly model: string;
  readonly file: string;
  readonly source: "auto" | "explicit";
  readonly columns: readonly ContractColumn[];
  readonly required: readonly string[];
  readonly protected: readonly string[];
  /** Where each `[rules] required` / `protected` entry is written (the same order as the names). */
  readonly requiredLocations?: readonly TomlLocation[];
  readonly protectedLocations?: readonly TomlLocation[];
  readonly noNewNullable?: boolean;
  /** Where `[rules] no_new_nullable` is written. */
  readonly noNewNullableLocation?: TomlLocation;
}

export interface MaskConfig {
  /** Default tag → strategy (`hash` | `redact` | `partial` | `none`), tags lower-cased. */
  readonly defaults: Readonly<Record<string, MaskStrategy>>;
  /** env → (tag → strategy) overrides from `[mask.<env>]`. */
  readonly envs: Readonly<Record<string, Readonly<Record<string, MaskStrategy>>>>;
}

export type MaskStrategy = "hash" | "redact" | "partial" | "none";

export interface AdapterConfig {
  readonly name: string;
  readonly type: "duckdb" | "databricks" | "snowflake" | "bigquery" | "trino" | "fivetran" | "airbyte" | "iceberg" | "manual";
  /** Remaining keys (host, http_path, token, path, account, warehouse, ...), after ${VAR} substitution. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Where its table is declared (`[adapter]` or `[adapter.NAME]` in rocky.toml): where a missing setting goes. */
  readonly location?: TomlLocation;
  /** Where the file settings are written (`path`, `attach.<name>`): where a refused file goes. */
  readonly settingLocations?: Readonly<Record<string, TomlLocation>>;
  /**
   * Its settings' unset `${VAR}`s (R002 each, at the placeholder): not compile errors, since only
   * connecting needs them; createAdapter refuses to connect while any is unset.
   */
  readonly unsetEnv?: readonly Diagnostic[];
}

export interface PipelineConfig {
  readonly name: string;
  readonly type: "replication" | "transformation" | "quality" | "snapshot" | "load";
  readonly models?: string;
  readonly targetAdapter?: string;
  readonly schedule?: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface CostConfig {
  readonly storage_cost_per_gb_month: number;
  readonly compute_cost_per_dbu: number;
  readonly warehouse_size: string;
  readonly min_history_runs: number;
}

/** `rocky.toml`, validated and normalized. */
export interface RockyConfig {
  readonly adapters: readonly AdapterConfig[];
  readonly pipelines: readonly PipelineConfig[];
  readonly portability: { readonly target_dialect?: DialectId; readonly allow: readonly string[] };
  readonly mask: MaskConfig;
  readonly classifications: { readonly allow_unmasked: readonly string[] };
  readonly budget?: BudgetConfig;
  readonly cost: CostConfig;
  readonly freshness?: { readonly expected_lag_seconds?: number };
  /** The whole parsed document, for keys nobody models yet (state, hooks, ...). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One model as loaded: its SQL (after `@var` substitution), its config, and its files. */
export interface ModelSource {
  readonly name: string;
  /** `models/fct_orders.sql`. */
  readonly file: string;
  readonly sidecarFile?: string;
  /** The SQL as written in the file (for spans and inline comments). */
  readonly rawSql: string;
  /**
   * The SQL to parse: `@var(...)` substituted. Substitution keeps line structure (no newlines
   * added or removed), so line numbers from parsing `sql` are the file's line numbers; columns
   * on lines containing a substituted `@var` may shift and are mapped back with `columnMap`.
   */
  readonly sql: string;
  /** Per substituted line: (sqlCol → rawCol) pairs, sparse; absent when nothing was substituted. */
  readonly columnMap?: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  readonly dialect: DialectId;
  readonly config: ModelConfig;
  readonly contract?: Contract;
  /**
   * True when the model's config files had errors (R002/R007 on its sidecar or front-matter): the
   * config is partly or wholly defaults, so config-derived findings (strategy changes, ...) about it
   * are unreliable. Added by the loader (additive).
   */
  readonly configError?: boolean;
  /** The inline `---toml` front-matter was used instead of a sidecar (legacy format). Additive. */
  readonly frontMatter?: boolean;
}

/** The loaded project: what the compile pipeline consumes. */
export interface Project {
  readonly config: RockyConfig;
  readonly models: readonly ModelSource[];
  /** Contract files whose model does not exist (W011 is emitted by the loader). */
  readonly orphanContracts: readonly Contract[];
  /** Source schemas from a committed schema file (`schemas/*.json` or `rocky.schema.json`), if any: "schema.table" (lower-case) → columns. */
  readonly sourceSchemas: ReadonlyMap<string, readonly SourceColumn[]>;
  /** `data/seed.sql` text, if present (run with --with-seed). */
  readonly seedSql?: string;
}

export interface SourceColumn {
  readonly name: string;
  /** A warehouse type name as the warehouse reports it (`VARCHAR`, `DECIMAL(10,2)`, `NUMBER(38,0)`). */
  readonly type: string;
  readonly nullable: boolean;
}

export type { DialectId, Span };
