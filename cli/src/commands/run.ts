import { join } from "node:path";
import { AdapterError, firstLine } from "../../../engine/src/adapters/adapter-error.js";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { AdapterConfig } from "../../../engine/src/project/types.js";
import type { RunOutput } from "../../../engine/src/run/run-project.js";
import type { RunnableModel } from "../../../engine/src/run/runnable-model.js";
import { BRANCH_NAME_PATTERN, branchSchemaName, sanitizeBranchName } from "../../../engine/src/run/branch-names.js";
import { compileErrors, runAdapterConfig } from "../../../engine/src/run/run-adapter.js";
import { didYouMeanSuffix } from "../../../engine/src/util/did-you-mean.js";
import type { StateStore } from "../../../engine/src/state/state-types.js";
import { VERSION } from "../../../engine/src/version.js";
import { stateDir } from "../state-dir.js";
import { bool, type CliIo, json, outputFormat, type ParsedCommand, ProjectError, projectDir, str, UsageError, WarehouseError } from "../io.js";
import { compileDir } from "./compile-dir.js";

/** The project's state store (run history, branches), beside the project. */
export function statePath(root: string): string {
  return join(stateDir(root), "state");
}

/** `check`: what to refuse before the warehouse is opened, knowing the project and the adapter the run would use. */
async function withWarehouse<T>(
  cmd: ParsedCommand,
  io: CliIo,
  fn: (ctx: { compiled: CompiledProject; adapter: WarehouseAdapter; state: StateStore; root: string }) => Promise<T>,
  check?: (compiled: CompiledProject, adapter: AdapterConfig) => Promise<void>,
): Promise<T> {
  const { compiled, root } = await compileDir(cmd, io);
  const errors = compileErrors(compiled);
  if (errors !== undefined) {
    throw new ProjectError(errors.message, { hint: "run `rocky compile` and fix them first", ...(errors.file !== undefined ? { file: errors.file, line: errors.line } : {}) });
  }
  const { createAdapter } = await import("../../../engine/src/adapters/registry.js");
  const adapterConfig = runAdapterConfig(compiled.project.config);
  await check?.(compiled, adapterConfig);
  const adapter = await createAdapter(adapterConfig, { env: io.env, baseDir: root }).catch((e: unknown) => warehouseFailure(e, configWhere(e, adapterConfig)));
  // A run or a branch schema in memory is gone when the command ends: say so rather than let "Created branch" suggest otherwise.
  if (adapterConfig.type === "duckdb" && [undefined, "", ":memory:"].includes(adapterConfig.settings.path as string | undefined)) {
    io.stderr(`rocky ${cmd.name}: note: the warehouse is DuckDB in memory (no \`path\` in [adapter] of rocky.toml), so what this command writes is gone when it ends; set \`path\` to keep it\n`);
  }
  try {
    const state = await openState(root);
    try {
      return await fn({ compiled, adapter, state, root }).catch(warehouseFailure);
    } finally {
      await state.close();
    }
  } finally {
    await adapter.close();
  }
}

/** The project's state store, or a usage error (exit 2) that says what is wrong with it and what to do. */
async function openState(root: string): Promise<StateStore> {
  const { openStateStore, StateStoreError } = await import("../../../engine/src/state/state-store.js");
  return openStateStore(statePath(root)).catch((e: unknown) => {
    const code = e instanceof StateStoreError ? e.code : undefined;
    const hint =
      code === "corrupt"
        ? "move that directory away (or delete it) to start a fresh state store: the run history and branch records in it are lost, the warehouse is not touched"
        : code === "newer_version"
          ? "upgrade rocky-review to the version that wrote it"
          : "the project directory must be writable (run history and branches are kept there)";
    throw new UsageError(`cannot open the state store in ${stateDir(root)}: ${e instanceof Error ? e.message : String(e)}`, { hint });
  });
}

/**
 * A branch name as Rocky takes it (`[A-Za-z0-9_.-]`, at most 64 characters), or a usage error: a
 * name rewritten silently (`../` became `branch`, `feature/x` `feature_x`) writes where nobody asked.
 */
function branchName(name: string, what: string): string {
  if (BRANCH_NAME_PATTERN.test(name)) return name;
  const valid = sanitizeBranchName(name);
  throw new UsageError(`${what} ${JSON.stringify(name)} is not a valid branch name: letters, digits, \`_\`, \`.\` and \`-\`, at most 64 characters`, {
    hint: valid === "branch" && !/branch/i.test(name) ? "choose a name made of those characters" : `e.g. ${valid}`,
  });
}

/** `a.b`, `a-b` and `a_b` (and `Feat`, `feat`) share the schema `branch__a_b`: one must not create into, nor delete, the other's. */
function branchSchemaFree(state: StateStore, name: string): void {
  const schema = branchSchemaName(name);
  const other = state.listBranches().find((b) => b.schema.toLowerCase() === schema && b.name !== name);
  if (other === undefined) return;
  throw new UsageError(`branch ${name} would use the schema ${schema}, which branch ${other.name} already uses`, { hint: `name the branch ${other.name}, or choose a name that maps to another schema` });
}

/** A warehouse failure outside a model's own SQL (opening it, logging in, a schema the command needs): a user error naming the adapter and the statement, exit 2. */
function warehouseFailure(e: unknown, where?: { readonly file: string; readonly line: number }): never {
  if (!(e instanceof AdapterError)) throw e;
  throw new WarehouseError(`${where ? `${where.file}:${where.line}: ` : ""}${e.message}`, {
    hint: e.hint,
    adapter: e.adapter,
    ...(e.statement !== undefined ? { statement: firstLine(e.statement) } : {}),
    ...(e.code !== undefined ? { sql_code: e.code } : {}),
    ...(where ?? {}),
  });
}

/** A setting missing from the adapter (`password` neither in rocky.toml nor in SNOWFLAKE_PASSWORD): the line of its `[adapter]` table, where it goes. */
function configWhere(e: unknown, adapter: AdapterConfig): { file: string; line: number } | undefined {
  if (!(e instanceof AdapterError) || e.kind !== "config" || adapter.location === undefined) return undefined;
  return { file: adapter.location.file, line: adapter.location.line };
}

/** `rocky run`: materialize the models (all, or `--select` with `--downstream`), optionally into `branch__NAME`; exit 1 when a model failed. */
export async function runCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const branchOption = str(cmd, "branch");
  const branch = branchOption === undefined ? undefined : branchName(branchOption, "--branch");
  let select: string[] | undefined;
  // Before the warehouse is opened: the selection, and a model on another adapter than the run's (at its line).
  const check = async (compiled: CompiledProject, adapterConfig: AdapterConfig) => {
    select = await selection(cmd, compiled);
    const { runnableModels } = await import("../../../engine/src/run/runnable-model.js");
    const { checkModelAdapters, ModelAdapterError } = await import("../../../engine/src/run/model-adapters.js");
    try {
      checkModelAdapters(runnableModels(compiled), adapterConfig, select);
    } catch (e) {
      if (e instanceof ModelAdapterError) throw new ProjectError(e.message, { hint: "run the models of each adapter apart: a run uses one adapter (the transformation pipeline's `target.adapter`)", file: e.file, line: e.line });
      throw e;
    }
  };
  return withWarehouse(cmd, io, async ({ compiled, adapter, state }) => {
    const { runnableModels } = await import("../../../engine/src/run/runnable-model.js");
    const { runProject } = await import("../../../engine/src/run/run-project.js");
    const { createBranch, branchCatalogs } = await import("../../../engine/src/run/branches.js");
    const models = runnableModels(compiled);
    const seedSql = compiled.project.seedSql;
    const withSeed = bool(cmd, "with-seed");
    if (withSeed && seedSql !== undefined) await seed(adapter, seedSql);
    if (branch !== undefined) {
      branchSchemaFree(state, branch);
      await createBranch(adapter, state, { name: branch, created_by: io.env.USER }, { catalogs: branchCatalogs(models) });
    }
    const cost = compiled.project.config.cost;
    // Ctrl-C (or SIGTERM): the model in flight finishes, no other starts, the run is recorded and the
    // warehouse session closed (a Snowflake transaction is never left open, holding its locks). Again: exit at once.
    const stop = new AbortController();
    void io.interrupted?.().then(() => {
      stop.abort();
      io.stderr("rocky run: interrupted: finishing the model in flight, then recording the run (interrupt again to stop at once)\n");
    });
    let out = await runProject({ models, adapter, state, trigger: "manual", signal: stop.signal, ...(select ? { select } : {}), ...(branch ? { branch } : {}), cost: { warehouse_size: cost.warehouse_size, compute_cost_per_dbu: cost.compute_cost_per_dbu } });
    if (!withSeed && seedSql !== undefined && out.models_failed > 0) out = await withSeedHints(out, models, adapter, seedSql);
    if (format === "json") io.stdout(json({ version: VERSION, ...out }));
    else {
      const lines = out.per_model.map(
        (m) =>
          `${m.status === "success" ? "✓" : m.status === "skipped" ? "-" : "✗"} ${m.model_name}${m.target ? ` → ${m.target}` : ""} (${m.duration_ms} ms)${m.error ? `: ${m.error.message}` : ""}${m.status === "skipped" ? ` (skipped: ${m.skipped_reason ?? `${m.skipped_because} failed`})` : ""}${m.error?.hint ? `\n    hint: ${m.error.hint}` : ""}`,
      );
      lines.push("", `Run ${out.interrupted ? "interrupted" : out.status}: ${out.models_succeeded} succeeded, ${out.models_failed} failed, ${out.models_skipped} skipped in ${out.duration_ms} ms${out.branch_schema ? ` into ${out.branch_schema}` : ""}`);
      io.stdout(`${lines.join("\n")}\n`);
    }
    if (out.interrupted) return 130;
    return out.status === "success" ? 0 : 1;
  }, check);
}

/** `--select` (with `--downstream`), or undefined for every model; a usage error for an empty or unknown name. */
async function selection(cmd: ParsedCommand, compiled: CompiledProject): Promise<string[] | undefined> {
  const { runnableModels, withDownstream } = await import("../../../engine/src/run/runnable-model.js");
  const selectText = str(cmd, "select");
  if (selectText === undefined) return undefined;
  let select = selectText.split(",").map((s) => s.trim()).filter(Boolean);
  // An empty list (`--select "$MODELS"` with the variable unset) would be a green run of nothing.
  if (select.length === 0) throw new UsageError(`--select ${JSON.stringify(selectText)} names no model`, { hint: "give model names separated by commas (`--select stg_orders,fct_orders`), or leave --select out to run every model" });
  const unknown = select.filter((s) => !compiled.models.has(s));
  if (unknown.length > 0) {
    const names = [...compiled.models.keys()];
    throw new UsageError(`--select names unknown model(s): ${unknown.map((u) => `${u}${didYouMeanSuffix(u, names)}`).join(", ")}`, { hint: "model names are the .sql file names under models/ (`rocky compile` lists them)" });
  }
  if (bool(cmd, "downstream")) select = withDownstream(runnableModels(compiled), select);
  return select;
}

/** `--with-seed`: load data/seed.sql into the warehouse as a re-load; a statement it rejects stops the run before any model (exit 1), naming the seed's line. */
async function seed(adapter: WarehouseAdapter, seedSql: string): Promise<void> {
  const { loadSeed } = await import("../../../engine/src/run/load-seed.js");
  const { diagnostics } = await loadSeed(adapter, seedSql);
  if (diagnostics.length === 0) return;
  const [first, ...more] = diagnostics;
  // The message starts with the file; the line goes with it.
  const message = first.span ? `${first.span.file}:${first.span.line}: ${first.message.slice(first.message.startsWith(`${first.span.file}: `) ? first.span.file.length + 2 : 0)}` : first.message;
  const others = more.length === 0 ? "" : ` (and ${more.length} more failed statement(s), at line(s) ${more.map((d) => d.span?.line).join(", ")})`;
  throw new ProjectError(`${message}${others}`, {
    hint: "fix the seed's statement; no model was run",
    ...(first.span ? { file: first.span.file, line: first.span.line } : {}),
  });
}

/** A failed model that reads a table the seed creates, which the warehouse does not have, gets a hint: the seed was never loaded (`--with-seed`). */
async function withSeedHints(out: RunOutput, models: readonly RunnableModel[], adapter: WarehouseAdapter, seedSql: string): Promise<RunOutput> {
  const { seedTablesMissing } = await import("../../../engine/src/run/load-seed.js");
  const byName = new Map(models.map((m) => [m.name, m]));
  const sourcesOf = (name: string) => [...new Set((byName.get(name)?.sources ?? []).map((s) => s.toLowerCase()))];
  // The seed read and each source looked up once, for all the failed models together.
  const failed = out.per_model.filter((r) => r.status === "failure" && r.error !== undefined);
  const missing = new Set(await seedTablesMissing(adapter, seedSql, failed.flatMap((r) => sourcesOf(r.model_name))));
  if (missing.size === 0) return out;
  const per_model = out.per_model.map((r) => {
    const mine = r.status === "failure" && r.error !== undefined ? sourcesOf(r.model_name).filter((s) => missing.has(s)) : [];
    return mine.length === 0 || r.error === undefined ? r : { ...r, error: { ...r.error, hint: `${mine.join(", ")} ${mine.length === 1 ? "is" : "are"} created by data/seed.sql, which was not loaded into this warehouse: run \`rocky run --with-seed\`` } };
  });
  return { ...out, per_model };
}

/** `rocky branch create|delete|list [NAME]`: branch schemas `branch__NAME`; delete drops the schema and its tables. */
export async function branchCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const [action, name] = cmd.positionals;
  if (action === undefined) throw new UsageError("say what to do: create, delete or list");
  if (action !== "create" && action !== "delete" && action !== "list") throw new UsageError(`unknown branch command \`${action}\`${didYouMeanSuffix(action, ["create", "delete", "list"]) || " (create, delete or list)"}`);
  if (action === "list" && name !== undefined) throw new UsageError(`unexpected argument \`${name}\`: \`rocky branch list\` takes no NAME`);
  if (action === "list") {
    const state = await openState(projectDir(cmd, io));
    try {
      const branches = state.listBranches();
      if (format === "json") io.stdout(json({ version: VERSION, command: "branch list", branches }));
      else io.stdout(branches.length === 0 ? "No branches.\n" : `${branches.map((b) => `${b.name}\t${b.schema}\t${b.created_at}${b.pr !== undefined ? `\tPR #${b.pr}` : ""}`).join("\n")}\n`);
      return 0;
    } finally {
      await state.close();
    }
  }
  if (name === undefined) throw new UsageError(`rocky branch ${action} needs a NAME`);
  branchName(name, "branch");
  return withWarehouse(cmd, io, async ({ compiled, adapter, state }) => {
    const { createBranch, dropBranch, branchCatalogs } = await import("../../../engine/src/run/branches.js");
    const { runnableModels } = await import("../../../engine/src/run/runnable-model.js");
    const scope = { catalogs: branchCatalogs(runnableModels(compiled)) };
    // Only the branch's own record may claim its schema (deleting `a.b` must not drop `a_b`'s tables).
    if (action === "create" || state.getBranch(name) === undefined) branchSchemaFree(state, name);
    if (action === "create") {
      const branch = await createBranch(adapter, state, { name, created_by: io.env.USER }, scope);
      io.stdout(format === "json" ? json({ version: VERSION, command: "branch create", branch: { ...branch, schema_prefix: branch.schema } }) : `Created branch ${branch.name} (schema ${branch.schema}).\n`);
      return 0;
    }
    const result = await dropBranch(adapter, state, name, scope);
    const text = result.dropped ? `Dropped schema ${result.schema} and its tables` : `Nothing to drop: schema ${result.schema} does not exist`;
    io.stdout(format === "json" ? json({ version: VERSION, command: "branch delete", ...result }) : `${text}${result.removed ? "; removed the branch record" : " (no branch record)"}.\n`);
    return 0;
  });
}
