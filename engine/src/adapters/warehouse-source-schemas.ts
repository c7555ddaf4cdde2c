import type { SourceColumn } from "../project/types.js";
import type { StateStore } from "../state/state-types.js";
import { AdapterError } from "./adapter-error.js";
import type { WarehouseAdapter } from "./warehouse-adapter.js";

export interface SourceSchemaResult {
  /** `schema.table` / `catalog.schema.table` (lower-case, as asked) → columns: for `CompileOptions.sourceSchemas`. */
  readonly schemas: Map<string, SourceColumn[]>;
  /** Served from the state store's schema cache without asking the warehouse. */
  readonly cached: number;
  readonly fetched: number;
  /** Sources the warehouse does not have. */
  readonly missing: string[];
  /** Sources that could not be described (the error, one line). */
  readonly failed: { readonly source: string; readonly error: string }[];
}

/**
 * Source schemas from the warehouse, through the state store's schema cache (Rocky's
 * `[cache.schemas]`, default TTL 1 day): cached entries are used while fresh, the rest are
 * DESCRIBEd and cached. A failure for one source is reported and does not stop the others.
 */
export async function warehouseSourceSchemas(adapter: WarehouseAdapter, sources: Iterable<string>, options: { readonly state?: StateStore; readonly ttlSeconds?: number } = {}): Promise<SourceSchemaResult> {
  const schemas = new Map<string, SourceColumn[]>();
  const missing: string[] = [];
  const failed: { source: string; error: string }[] = [];
  let cached = 0;
  let fetched = 0;
  for (const raw of new Set([...sources].map((s) => s.toLowerCase()))) {
    const hit = options.state?.getSchemaCache(raw);
    if (hit) {
      schemas.set(raw, [...hit.columns]);
      cached++;
      continue;
    }
    const parts = raw.split(".");
    if (parts.length < 2 || parts.length > 3) continue;
    const ref = parts.length === 3 ? { catalog: parts[0], schema: parts[1], table: parts[2] } : { schema: parts[0], table: parts[1] };
    try {
      const cols = await adapter.describeTable(ref);
      fetched++;
      if (cols === undefined) {
        missing.push(raw);
        continue;
      }
      schemas.set(raw, cols);
      await options.state?.putSchemaCache(raw, cols, options.ttlSeconds);
    } catch (e) {
      if (!(e instanceof AdapterError)) throw e;
      failed.push({ source: raw, error: e.message });
    }
  }
  return { schemas, cached, fetched, missing, failed };
}
