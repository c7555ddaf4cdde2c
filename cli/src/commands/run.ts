import { join } from "node:path";
import type { WarehouseAdapter } from "../../../engine/src/adapters/warehouse-adapter.js";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { AdapterConfig } from "../../../engine/src/project/types.js";
import type { StateStore } from "../../../engine/src/state/state-types.js";
import { VERSION } from "../../../engine/src/version.js";
import { stateDir } from "../state-dir.js";
import { bool, type CliIo, json, outputFormat, type ParsedCommand, projectDir, str, UsageError } from "../io.js";
import { compileDir } from "./compile-dir.js";

/** The project's state store (run history, branches), beside the project. */
export function statePath(root: string): string {
  return join(stateDir(root), "state");
}

/** The adapter the models run on: the transformation pipeline's target adapter, else `default`, else the only one; DuckDB in memory when none is configured. */
function pickAdapter(compiled: CompiledProject): AdapterConfig {
  const adapters = compiled.project.config.adapters;
  const pipelineTarget = compiled.project.config.pipelines.find((p) => p.type === "transformation")?.targetAdapter;
  return (
    adapters.find((a) => a.name === pipelineTarget) ??
    adapters.find((a) => a.name === "default") ??
    adapters[0] ?? { name: "default", type: "duckdb", settings: { path: ":memory:" } }
  );
}

async function withWarehouse<T>(cmd: ParsedCommand, io: CliIo, fn: (ctx: { compiled: CompiledProject; adapter: WarehouseAdapter; state: StateStore; root: string }) => Promise<T>): Promise<T> {
  const { compiled, root } = await compileDir(cmd, io);
  const errors = compiled.diagnostics.filter((d) => d.severity === "Error");
  if (errors.length > 0) {
    throw new UsageError(`the project has ${errors.length} compile error(s); run \`rocky compile\` and fix them first (first: ${errors[0].code} ${errors[0].message}${errors[0].span ? ` at ${errors[0].span.file}:${errors[0].span.line}` : ""})`);
  }
  const { createAdapter } = await import("../../../engine/src/adapters/registry.js");
  const { openStateStore } = await import("../../../engine/src/state/state-store.js");
  const adapter = await createAdapter(pickAdapter(compiled), { env: io.env, baseDir: root });
  const state = await openStateStore(statePath(root));
  try {
    return await fn({ compiled, adapter, state, root });
  } finally {
    await state.close();
    await adapter.close();
  }
}

/** `rocky run`: materialize the models (all, or `--select` with `--downstream`), optionally into `branch__NAME`; exit 1 when a model failed. */
export async function runCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  return withWarehouse(cmd, io, async ({ compiled, adapter, state }) => {
    const { runnableModels, withDownstream } = await import("../../../engine/src/run/runnable-model.js");
    const { runProject } = await import("../../../engine/src/run/run-project.js");
    const { createBranch, branchCatalogs } = await import("../../../engine/src/run/branches.js");
    const models = runnableModels(compiled);
    const selectText = str(cmd, "select");
    let select: string[] | undefined;
    if (selectText !== undefined) {
      select = selectText.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = select.filter((s) => !compiled.models.has(s));
      if (unknown.length > 0) throw new UsageError(`--select names unknown model(s): ${unknown.join(", ")}`);
      if (bool(cmd, "downstream")) select = withDownstream(models, select);
    }
    if (bool(cmd, "with-seed") && compiled.project.seedSql !== undefined) await adapter.execute(compiled.project.seedSql);
    const branch = str(cmd, "branch");
    if (branch !== undefined) await createBranch(adapter, state, { name: branch, created_by: io.env.USER }, { catalogs: branchCatalogs(models) });
    const cost = compiled.project.config.cost;
    const out = await runProject({ models, adapter, state, trigger: "manual", ...(select ? { select } : {}), ...(branch ? { branch } : {}), cost: { warehouse_size: cost.warehouse_size, compute_cost_per_dbu: cost.compute_cost_per_dbu } });
    if (format === "json") io.stdout(json({ version: VERSION, ...out }));
    else {
      const lines = out.per_model.map((m) => `${m.status === "success" ? "✓" : m.status === "skipped" ? "-" : "✗"} ${m.model_name}${m.target ? ` → ${m.target}` : ""} (${m.duration_ms} ms)${m.error ? `: ${m.error.message}` : ""}${m.skipped_because ? ` (skipped: ${m.skipped_because} failed)` : ""}`);
      lines.push("", `Run ${out.status}: ${out.models_succeeded} succeeded, ${out.models_failed} failed, ${out.models_skipped} skipped in ${out.duration_ms} ms${out.branch_schema ? ` into ${out.branch_schema}` : ""}`);
      io.stdout(`${lines.join("\n")}\n`);
    }
    return out.status === "success" ? 0 : 1;
  });
}

/** `rocky branch create|delete|list [NAME]`: branch schemas `branch__NAME`; delete drops the schema and its tables. */
export async function branchCommand(cmd: ParsedCommand, io: CliIo): Promise<number> {
  const format = outputFormat(cmd, ["text", "json"], "text");
  const [action, name] = cmd.positionals;
  if (action === "list") {
    const { openStateStore } = await import("../../../engine/src/state/state-store.js");
    const state = await openStateStore(statePath(projectDir(cmd, io)));
    try {
      const branches = state.listBranches();
      if (format === "json") io.stdout(json({ version: VERSION, command: "branch list", branches }));
      else io.stdout(branches.length === 0 ? "No branches.\n" : `${branches.map((b) => `${b.name}\t${b.schema}\t${b.created_at}${b.pr !== undefined ? `\tPR #${b.pr}` : ""}`).join("\n")}\n`);
      return 0;
    } finally {
      await state.close();
    }
  }
  if (action !== "create" && action !== "delete") throw new UsageError("usage: rocky branch create|delete|list [NAME]");
  if (name === undefined) throw new UsageError(`rocky branch ${action} needs a NAME`);
  return withWarehouse(cmd, io, async ({ compiled, adapter, state }) => {
    const { createBranch, dropBranch, branchCatalogs } = await import("../../../engine/src/run/branches.js");
    const { runnableModels } = await import("../../../engine/src/run/runnable-model.js");
    const scope = { catalogs: branchCatalogs(runnableModels(compiled)) };
    if (action === "create") {
      const branch = await createBranch(adapter, state, { name, created_by: io.env.USER }, scope);
      io.stdout(format === "json" ? json({ version: VERSION, command: "branch", branch: { ...branch, schema_prefix: branch.schema } }) : `Created branch ${branch.name} (schema ${branch.schema}).\n`);
      return 0;
    }
    const result = await dropBranch(adapter, state, name, scope);
    const text = result.dropped ? `Dropped schema ${result.schema} and its tables` : `Nothing to drop: schema ${result.schema} does not exist`;
    io.stdout(format === "json" ? json({ version: VERSION, command: "branch delete", ...result }) : `${text}${result.removed ? "; removed the branch record" : " (no branch record)"}.\n`);
    return 0;
  });
}
