import type { WarehouseAdapter } from "../adapters/warehouse-adapter.js";
import type { BranchRecord, StateStore } from "../state/state-types.js";
import { branchSchemaName, prBranchName, prNumberOfSchema, sanitizeBranchName } from "./branch-names.js";
import type { RunnableModel } from "./runnable-model.js";

export interface BranchInput {
  /** A branch name; sanitized to `[A-Za-z0-9_.-]{1,64}`. Give `pr` alone for `pr_<number>`. */
  readonly name?: string;
  readonly pr?: number;
  readonly head_sha?: string;
  readonly created_by?: string;
  readonly description?: string;
}

export interface BranchScope {
  /**
   * Catalogs (Snowflake databases, Databricks catalogs, attached DuckDB databases) to create the
   * branch schema in: those the models write to (`branchCatalogs(models)`). Default: the
   * connection's own catalog.
   */
  readonly catalogs?: readonly (string | undefined)[];
  readonly now?: () => Date;
}

/** The distinct catalogs a project's models write to. */
export function branchCatalogs(models: readonly RunnableModel[]): (string | undefined)[] {
  const seen = new Map<string, string | undefined>();
  for (const m of models) if (m.strategy.type !== "ephemeral") seen.set((m.target.catalog ?? "").toLowerCase(), m.target.catalog);
  return seen.size === 0 ? [undefined] : [...seen.values()];
}

function catalogsOf(scope: BranchScope, record?: BranchRecord): (string | undefined)[] {
  if (scope.catalogs && scope.catalogs.length > 0) return [...scope.catalogs];
  if (record?.catalogs && record.catalogs.length > 0) return record.catalogs.map((c) => (c === "" ? undefined : c));
  return [undefined];
}

function nameOf(input: BranchInput): string {
  if (input.name !== undefined) return sanitizeBranchName(input.name);
  if (input.pr !== undefined) return prBranchName(input.pr);
  throw new RangeError("a branch needs a name or a pull request number");
}

/**
 * Create a branch: its schema `branch__<name>` in every catalog of the scope, and its record in
 * the state store. Idempotent: creating it again updates the head SHA and keeps `created_at`.
 */
export async function createBranch(adapter: WarehouseAdapter, state: StateStore | undefined, input: BranchInput, scope: BranchScope = {}): Promise<BranchRecord> {
  const name = nameOf(input);
  const schema = branchSchemaName(name);
  const catalogs = catalogsOf(scope);
  for (const catalog of catalogs) await adapter.createSchema({ catalog, schema });
  const existing = state?.getBranch(name);
  const known = new Set([...(existing?.catalogs ?? []), ...catalogs.map((c) => c ?? "")]);
  const record: BranchRecord = {
    name,
    schema,
    catalogs: [...known],
    created_at: existing?.created_at ?? (scope.now ?? (() => new Date()))().toISOString(),
    ...(input.pr !== undefined ? { pr: input.pr } : existing?.pr !== undefined ? { pr: existing.pr } : {}),
    ...(input.head_sha !== undefined ? { head_sha: input.head_sha } : existing?.head_sha !== undefined ? { head_sha: existing.head_sha } : {}),
    ...(input.created_by !== undefined ? { created_by: input.created_by } : existing?.created_by !== undefined ? { created_by: existing.created_by } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  if (state) await state.putBranch(record);
  return record;
}

export interface DropBranchResult {
  readonly name: string;
  readonly schema: string;
  /** The state record existed and was removed (Rocky's `branch_delete.removed`). */
  readonly removed: boolean;
  /** The schema existed in at least one catalog and was dropped with its tables; false: there was nothing to drop. */
  readonly dropped: boolean;
}

/**
 * Drop a branch: its schema **with its tables and views** in every catalog of the scope, or else
 * every catalog its record says it was created in (Rocky leaves the tables behind), then its
 * record. Idempotent: dropping a missing branch is fine.
 */
export async function dropBranch(adapter: WarehouseAdapter, state: StateStore | undefined, nameOrPr: string | number, scope: BranchScope = {}): Promise<DropBranchResult> {
  const name = typeof nameOrPr === "number" ? prBranchName(nameOrPr) : sanitizeBranchName(nameOrPr);
  const record = state?.getBranch(name);
  const schema = record?.schema ?? branchSchemaName(name);
  // Without an explicit scope, drop wherever the branch was created (its record says).
  let dropped = false;
  for (const catalog of catalogsOf(scope, record)) {
    const exists = (await adapter.listSchemas(schema, catalog)).some((s) => s.toLowerCase() === schema.toLowerCase());
    if (!exists) continue;
    await adapter.dropSchema({ catalog, schema }, { cascade: true });
    dropped = true;
  }
  const removed = state ? await state.removeBranch(name) : false;
  return { name, schema, removed, dropped };
}

/**
 * Drop every `branch__pr_<n>` schema (found in the warehouse or in the state store) whose pull
 * request is not in `openPrs`: what a closed-PR webhook missed. Returns the schemas dropped.
 */
export async function sweepBranches(adapter: WarehouseAdapter, state: StateStore | undefined, openPrs: Iterable<number>, scope: BranchScope = {}): Promise<string[]> {
  const open = new Set(openPrs);
  const orphans = new Set<number>();
  const recorded = (state?.listBranches() ?? []).flatMap((b) => (b.catalogs ?? []).map((c) => (c === "" ? undefined : c)));
  const catalogs = new Map(catalogsOf(scope).concat(scope.catalogs ? [] : recorded).map((c) => [(c ?? "").toLowerCase(), c]));
  for (const catalog of catalogs.values()) {
    for (const schema of await adapter.listSchemas("branch__pr_", catalog)) {
      const pr = prNumberOfSchema(schema);
      if (pr !== undefined && !open.has(pr)) orphans.add(pr);
    }
  }
  for (const b of state?.listBranches() ?? []) {
    const pr = b.pr ?? prNumberOfSchema(b.schema);
    if (pr !== undefined && !open.has(pr)) orphans.add(pr);
  }
  const dropped: string[] = [];
  for (const pr of [...orphans].sort((a, b) => a - b)) dropped.push((await dropBranch(adapter, state, pr, scope)).schema);
  return dropped;
}
