import { existsSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { AdapterConfig } from "../project/types.js";
import { AdapterError, adapterSection } from "./adapter-error.js";
import type { WarehouseAdapter } from "./warehouse-adapter.js";
import { retryPolicyFrom } from "./with-retry.js";

export interface CreateAdapterContext {
  /**
   * Secrets and fallbacks the shell passes in (the engine never reads process.env):
   * `SNOWFLAKE_ACCOUNT`, `SNOWFLAKE_USER`, `SNOWFLAKE_PASSWORD`, `SNOWFLAKE_PRIVATE_KEY`(`_PATH`),
   * `DATABRICKS_HOST`, `DATABRICKS_HTTP_PATH`, `DATABRICKS_TOKEN`. Settings in rocky.toml win.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative `path` / `private_key_path` settings are resolved against this (the project root). */
  readonly baseDir?: string;
  /**
   * Lock an embedded DuckDB down for SQL the operator did not write (the App and the Action run a
   * pull request's models): its files (`path`, `attach`) must be inside `root`, and the SQL may
   * touch no file outside it (duckdb-adapter.ts `sandbox`). Absent (the CLI): DuckDB's defaults.
   */
  readonly sandbox?: AdapterSandbox;
}

export interface AdapterSandbox {
  /** An existing directory: the only place DuckDB's files may be, and the SQL may read and write. */
  readonly root: string;
  /** How an error names it: "the repository checkout". */
  readonly name: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * A warehouse adapter for an `[adapter.NAME]` of rocky.toml. Each driver is imported only when an
 * adapter of its type is created, so compiling never loads a warehouse driver. Unsupported types
 * and missing settings are `AdapterError`s of kind `config` naming the adapter and the key.
 */
export async function createAdapter(config: AdapterConfig, context: CreateAdapterContext = {}): Promise<WarehouseAdapter> {
  const s = config.settings;
  const env = context.env ?? {};
  const name = `${config.type} adapter "${config.name}"`;
  const missing = (key: string, envName?: string): never => {
    throw new AdapterError({ adapter: name, kind: "config", detail: `\`${key}\` is required in [adapter${config.name === "default" ? "" : `.${config.name}`}]${envName ? ` (or ${envName})` : ""}` });
  };
  const path = (p: string) => (isAbsolute(p) || p === ":memory:" ? p : resolve(context.baseDir ?? ".", p));
  // Deferred by the loader (compiling needs no secrets): connecting does.
  const unset = config.unsetEnv ?? [];
  if (unset.length > 0) {
    const each = unset.map((d) => `${d.message}${d.span ? ` at ${d.span.file}:${d.span.line}` : ""}`);
    throw new AdapterError({ adapter: name, kind: "config", detail: each.join("; "), hint: unset.map((d) => d.suggestion).filter((h) => h !== undefined).join("; ") || undefined });
  }
  const retry = retryPolicyFrom(s);
  switch (config.type) {
    case "duckdb": {
      const { createDuckDbAdapter } = await import("./duckdb-adapter.js");
      const attach = typeof s.attach === "object" && s.attach !== null ? Object.fromEntries(Object.entries(s.attach as Record<string, unknown>).map(([k, v]) => [k, path(String(v))])) : undefined;
      const dbPath = path(str(s.path) ?? ":memory:");
      const settingLines = Object.fromEntries(Object.entries(config.settingLocations ?? {}).map(([k, at]) => [k, at.line]));
      if (context.sandbox === undefined) return createDuckDbAdapter({ id: config.name, path: dbPath, ...(attach ? { attach } : {}), settingLines });
      const root = realpathSync(context.sandbox.root);
      const refuse = (key: string, written: string, file: string) => refuseOutside(config, name, { key, written, file }, root, context.sandbox?.name ?? root);
      if (dbPath !== ":memory:") refuse("path", str(s.path) ?? dbPath, dbPath);
      for (const [k, file] of Object.entries(attach ?? {})) refuse(`attach.${k}`, String((s.attach as Record<string, unknown>)[k]), file);
      return createDuckDbAdapter({ id: config.name, path: dbPath, ...(attach ? { attach } : {}), sandbox: { root }, settingLines });
    }
    case "snowflake": {
      const account = str(s.account) ?? env.SNOWFLAKE_ACCOUNT ?? missing("account", "SNOWFLAKE_ACCOUNT");
      const username = str(s.user) ?? str(s.username) ?? env.SNOWFLAKE_USER ?? missing("user", "SNOWFLAKE_USER");
      const keyPath = str(s.private_key_path) ?? env.SNOWFLAKE_PRIVATE_KEY_PATH;
      let privateKey = str(s.private_key) ?? env.SNOWFLAKE_PRIVATE_KEY;
      if (privateKey === undefined && keyPath !== undefined) {
        try {
          privateKey = await readFile(path(keyPath), "utf8");
        } catch (e) {
          throw new AdapterError({ adapter: name, kind: "config", detail: `cannot read private_key_path ${keyPath}: ${(e as Error).message}`, cause: e });
        }
      }
      const password = str(s.password) ?? env.SNOWFLAKE_PASSWORD;
      if (password === undefined && privateKey === undefined) missing("password", "SNOWFLAKE_PASSWORD, or private_key_path for key-pair authentication");
      const { createSnowflakeAdapter } = await import("./snowflake-adapter.js");
      return createSnowflakeAdapter({
        id: config.name,
        account,
        username,
        ...(password !== undefined ? { password } : {}),
        ...(privateKey !== undefined ? { privateKey } : {}),
        ...(str(s.private_key_passphrase) ? { privateKeyPass: str(s.private_key_passphrase) } : {}),
        ...(str(s.database) ? { database: str(s.database) } : {}),
        ...(str(s.schema) ? { schema: str(s.schema) } : {}),
        ...(str(s.warehouse) ? { warehouse: str(s.warehouse) } : {}),
        ...(str(s.role) ? { role: str(s.role) } : {}),
        ...(str(s.access_url) ? { accessUrl: str(s.access_url) } : {}),
        ...(num(s.statement_timeout_ms) !== undefined ? { statementTimeoutMs: num(s.statement_timeout_ms) } : {}),
        retry,
      });
    }
    case "databricks": {
      const host = str(s.host) ?? env.DATABRICKS_HOST ?? missing("host", "DATABRICKS_HOST");
      const httpPath = str(s.http_path) ?? env.DATABRICKS_HTTP_PATH ?? missing("http_path", "DATABRICKS_HTTP_PATH");
      const token = str(s.token) ?? env.DATABRICKS_TOKEN ?? missing("token", "DATABRICKS_TOKEN");
      let customCaCert: string | undefined;
      const caPath = str(s.ca_cert_path);
      if (caPath !== undefined) customCaCert = await readFile(path(caPath), "utf8").catch((e: Error) => missing(`ca_cert_path (${e.message})`));
      const { createDatabricksAdapter } = await import("./databricks-adapter.js");
      return createDatabricksAdapter({
        id: config.name,
        host: host.replace(/^https?:\/\//, "").replace(/\/+$/, ""),
        httpPath,
        token,
        ...(num(s.port) !== undefined ? { port: num(s.port) } : {}),
        ...(str(s.catalog) ? { catalog: str(s.catalog) } : {}),
        ...(str(s.schema) ? { schema: str(s.schema) } : {}),
        ...(customCaCert !== undefined ? { customCaCert } : {}),
        retry,
      });
    }
    default:
      throw new AdapterError({ adapter: name, kind: "config", detail: `adapter type "${config.type}" cannot execute models here (supported: duckdb, snowflake, databricks); it still compiles` });
  }
}

/**
 * A DuckDB file of a sandboxed adapter outside its root (absolute elsewhere, `..`, or through a
 * symlink leading out) is a config error naming the key, rocky.toml's line and the root.
 */
function refuseOutside(config: AdapterConfig, name: string, setting: { readonly key: string; readonly written: string; readonly file: string }, root: string, rootName: string): void {
  const { key, written, file } = setting;
  const inside = (p: string) => {
    const rel = relative(root, p);
    return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
  };
  // The file, or the nearest directory above it that exists, with symlinks resolved.
  let probe = file;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const real = probe === file ? realpathSync(file) : resolve(realpathSync(probe), relative(probe, file));
  if (inside(real)) return;
  const where = config.settingLocations?.[key] ?? config.location;
  const place = where ? `${where.file} line ${where.line}` : "rocky.toml";
  throw new AdapterError({
    adapter: name,
    kind: "config",
    detail: `\`${key}\` in ${adapterSection(config.name)} of ${place} names ${written === file ? file : `"${written}" (${file})`}, outside ${rootName}: here DuckDB runs a pull request's SQL, so its database files must be inside ${rootName}`,
    hint: `give \`${key}\` as a path relative to the project that stays inside it (no absolute path, no \`..\`, no symlink leading out), in ${place}`,
  });
}
