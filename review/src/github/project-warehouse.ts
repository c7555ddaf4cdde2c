import { join } from "node:path";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { readTree } from "../git/read-tree.js";
import { gitClient } from "./git-client.js";
import type { WarehousePort } from "./shell-ports.js";

/**
 * The warehouse port wired to the engine (engine/src/run, engine/src/adapters): branch schemas for
 * PRs, dropped on close, and production runs after a merge, each running only the changed models
 * and their downstream. Projects are read from git objects (no work tree) and compiled; the
 * adapter is built from the BASE side's `rocky.toml` (a PR cannot point the bot's credentials at
 * another host). Drivers, lmdb and the compiler are imported on first use.
 */

export interface ProjectWarehouseOptions {
  readonly repoDir: string;
  /** The Rocky project inside the repository ("" = root). */
  readonly projectDir?: string;
  /** Values for `${VAR}` in the project's TOML. */
  readonly tomlEnv?: Readonly<Record<string, string | undefined>>;
  /** Warehouse secrets and fallbacks (SNOWFLAKE_*, DATABRICKS_*), from the shell's own environment. */
  readonly secrets?: Readonly<Record<string, string | undefined>>;
  /** An lmdb state store directory for run records and branch records; absent = not recorded. */
  readonly stateDir?: string;
  /** Directory relative DuckDB paths resolve against (default: the project's directory in repoDir, as `rocky run` resolves them). */
  readonly dataDir?: string;
  /**
   * Lock an embedded DuckDB down to this directory for the PR's SQL (engine/src/adapters/registry.ts
   * `sandbox`): its files must be inside it and the SQL can read or write no other file, install or
   * load no extension, nor change these settings. The shells pass the checkout (the Action) or the
   * repository's own data directory (the App); absent, DuckDB keeps its defaults.
   */
  readonly sandbox?: import("../../../engine/src/adapters/registry.js").AdapterSandbox;
  readonly log?: (message: string) => void;
}

/** Every compile error but R006 (no models): a project without models runs nothing. */
const exceptNoModels = (d: Diagnostic): boolean => d.code !== "R006";

export function projectWarehouse(options: ProjectWarehouseOptions): WarehousePort {
  const compileFiles = async (files: import("../../../engine/src/project/types.js").ProjectFiles): Promise<CompiledProject> => {
    const { compileProject } = await import("../../../engine/src/compile/compile-project.js");
    return compileProject(files, { env: options.tomlEnv ?? {}, vars: {} });
  };
  const compileAt = async (sha: string): Promise<CompiledProject> => compileFiles(await readTree(options.repoDir, sha, options.projectDir ?? ""));

  /** A project with compile errors is not run (as `rocky run` refuses it): the first one, with its file and line. */
  const runnable = async (compiled: CompiledProject, sha: string, only?: (d: Diagnostic) => boolean): Promise<CompiledProject> => {
    const { compileErrors } = await import("../../../engine/src/run/run-adapter.js");
    const errors = compileErrors(compiled, only);
    if (errors !== undefined) throw new Error(`${errors.message} in ${sha.slice(0, 7)}${options.projectDir ? ` (${options.projectDir})` : ""}: nothing was run; \`rocky compile\` lists them`);
    return compiled;
  };

  const withWarehouse = async <T>(configSha: string, work: (ctx: { adapter: import("../../../engine/src/adapters/warehouse-adapter.js").WarehouseAdapter; state?: import("../../../engine/src/state/state-types.js").StateStore }) => Promise<T>): Promise<T> => {
    const files = await readTree(options.repoDir, configSha, options.projectDir ?? "");
    if (!files.has("rocky.toml")) {
      const where = options.projectDir ? `${options.projectDir.replace(/\/+$/, "")}/rocky.toml` : "rocky.toml";
      // A change that adds the project: its own rocky.toml never names the bot's warehouse.
      throw new Error(`${configSha.slice(0, 7)} has no ${where}: the warehouse is read from the base side's rocky.toml, never from the change's own, so a project the change adds has nothing to run on until it is on the base branch`);
    }
    // The adapter `rocky run` would use (the pipeline's target, else `default`, else the first), from
    // a rocky.toml that loads without errors: a misspelt type or an unset ${VAR} is named at its line.
    const config = (await runnable(await compileFiles(files), configSha, (d) => d.span?.file === "rocky.toml")).project.config;
    const { runAdapterConfig } = await import("../../../engine/src/run/run-adapter.js");
    const { createAdapter } = await import("../../../engine/src/adapters/registry.js");
    const adapter = await createAdapter(runAdapterConfig(config), { env: options.secrets ?? {}, baseDir: options.dataDir ?? join(options.repoDir, options.projectDir ?? ""), ...(options.sandbox ? { sandbox: options.sandbox } : {}) });
    const state = options.stateDir ? await (await import("../../../engine/src/state/state-store.js")).openStateStore(options.stateDir) : undefined;
    try {
      return await work({ adapter, state });
    } finally {
      await adapter.close();
      await state?.close();
    }
  };

  const git = gitClient(options.repoDir);
  const mergeBase = async (a: string, b: string) => (await git.raw(["merge-base", a, b])).trim();
  const commitExists = async (sha: string) =>
    git
      .raw(["cat-file", "-e", `${sha}^{commit}`])
      .then(() => true)
      .catch(() => false);
  const parentOf = async (sha: string): Promise<string | undefined> => {
    try {
      return (await git.raw(["rev-parse", `${sha}^1`])).trim();
    } catch {
      return undefined;
    }
  };

  return {
    async createBranch(pr, headSha, baseSha) {
      const base = baseSha ? await mergeBase(baseSha, headSha) : undefined;
      const { runPullRequestBranch, changedModels, checkTargets } = await import("../../../engine/src/run/pull-request.js");
      const [head, baseProject] = await Promise.all([compileAt(headSha), base ? compileAt(base) : Promise.resolve(undefined)]);
      // A model with no target schema is the project's mistake, said before the warehouse is opened.
      checkTargets(head, changedModels(head, baseProject));
      // A head with no models at all (a PR deleting the project) has nothing to run, which is no error.
      await runnable(head, headSha, exceptNoModels);
      await withWarehouse(base ?? headSha, async ({ adapter, state }) => {
        const result = await runPullRequestBranch({ adapter, state, pr, headSha, head, base: baseProject });
        // A failed model is named with the warehouse's answer, as a production run names it.
        options.log?.(`branch ${result.branch.schema}: ${result.changed.length} models run, status ${result.run.status}${result.run.status === "success" ? "" : `: ${failedModels(result.run.per_model)}`}`);
      });
    },
    async dropBranch(pr, configSha) {
      const sha = configSha ?? (await git.raw(["rev-parse", "HEAD"]).catch(() => "")).trim();
      if (!sha) throw new Error("no commit to read rocky.toml from: pass the PR's base SHA");
      await withWarehouse(sha, async ({ adapter, state }) => {
        const { dropBranch } = await import("../../../engine/src/run/branches.js");
        const dropped = await dropBranch(adapter, state, pr);
        options.log?.(dropped.dropped ? `dropped ${dropped.schema}` : `${dropped.schema} does not exist: nothing to drop`);
      });
    },
    async runProduction(mergeSha, beforeSha) {
      // A push names the commit it started from: every commit it brought is run, not only the last.
      const given = beforeSha !== undefined && !/^0+$/.test(beforeSha) ? beforeSha : undefined;
      const before = given !== undefined && (await commitExists(given)) ? given : await parentOf(mergeSha);
      // A shallow checkout (actions/checkout's default fetch-depth: 1) lacks the push's first commit: say what is run instead.
      if (given !== undefined && before !== given) {
        options.log?.(
          `the push's previous commit ${given.slice(0, 7)} is not in this clone (check out with fetch-depth: 0): ${before ? `only the changes of ${mergeSha.slice(0, 7)} against its parent are run, not those of the push's earlier commits` : "every model is run"}`,
        );
      }
      const { runProduction, changedModels, checkTargets } = await import("../../../engine/src/run/pull-request.js");
      const [head, base] = await Promise.all([compileAt(mergeSha), before ? compileAt(before) : Promise.resolve(undefined)]);
      checkTargets(head, changedModels(head, base));
      await runnable(head, mergeSha, exceptNoModels);
      await withWarehouse(before ?? mergeSha, async ({ adapter, state }) => {
        const result = await runProduction({ adapter, state, head, base, trigger: "merge" });
        const also = [
          ...(result.retried.length > 0 ? [`${result.retried.length} whose last production run did not succeed (${result.retried.join(", ")})`] : []),
          ...(result.missing.length > 0 ? [`${result.missing.length} missing upstream(s) (${result.missing.join(", ")})`] : []),
        ];
        options.log?.(`production ${before ? `${before.slice(0, 7)}..` : ""}${mergeSha.slice(0, 7)}: ${result.run.per_model.length} models run (${result.changed.length} changed or downstream${also.length > 0 ? `, with ${also.join(" and ")}` : ""}), status ${result.run.status}`);
        if (result.run.status !== "success") throw new Error(`production run ${result.run.status}: ${failedModels(result.run.per_model)}`);
      });
    },
  };
}

/** "a failed (message); b skipped (a failed)" for a run's failed and skipped models. */
function failedModels(perModel: readonly { model_name: string; status: string; error?: { message: string }; skipped_because?: string; skipped_reason?: string }[]): string {
  const failed = perModel.filter((m) => m.status === "failure").map((m) => `${m.model_name} failed${m.error ? ` (${m.error.message.split("\n")[0].slice(0, 300)})` : ""}`);
  const skipped = perModel.filter((m) => m.status === "skipped" && m.skipped_reason === undefined).map((m) => m.model_name);
  const notStarted = perModel.filter((m) => m.status === "skipped" && m.skipped_reason !== undefined);
  return [
    ...failed,
    ...(skipped.length > 0 ? [`skipped because an upstream failed: ${skipped.join(", ")}`] : []),
    ...(notStarted.length > 0 ? [`not started because the warehouse could no longer be used after ${notStarted[0].skipped_because} failed: ${notStarted.map((m) => m.model_name).join(", ")}`] : []),
  ].join("; ");
}
