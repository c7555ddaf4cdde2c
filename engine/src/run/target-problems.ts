import type { CompiledProject } from "../compile/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type RunnableModel, withUpstreams } from "./runnable-model.js";

/**
 * Why a run of `select` cannot know where its models write: the project's findings on a `[target]`
 * key (a missing or empty `target.schema`, from a sidecar, `_defaults.toml` or a group) that concern
 * the selected models or the upstreams they read, and any of those models left without a schema or
 * table. Empty when the targets are all known. `rocky run` stops on every compile error anyway; the
 * runs the Action and the App make after a push or for a PR check this, so that a project with
 * no target schema is a configuration error naming the file and line, not a warehouse refusing
 * `CREATE SCHEMA ""` half-way through.
 */
export function runTargetProblems(compiled: CompiledProject, select: readonly string[]): Diagnostic[] {
  const involved = withUpstreams(select, (name) => compiled.models.get(name)?.dependsOn.filter((dep) => compiled.models.has(dep)));
  const onTarget = (d: Diagnostic) => d.severity === "Error" && (d.key === "target" || d.key?.startsWith("target.") === true);
  // A finding in _defaults.toml or a group names no model: it is every model's that inherits from it.
  const found = compiled.diagnostics.filter((d) => onTarget(d) && (d.model === undefined || involved.has(d.model)));
  const cited = new Set(found.map((d) => d.model));
  for (const name of involved) {
    const m = compiled.models.get(name);
    if (m === undefined || cited.has(name) || m.config.strategy.type === "ephemeral") continue;
    const { schema, table } = m.config.target;
    const blank = schema.trim() === "" ? "target.schema" : table.trim() === "" ? "target.table" : undefined;
    if (blank !== undefined && !found.some((d) => d.model === undefined)) {
      found.push({ severity: "Error", code: "R002", message: `model \`${name}\` has no ${blank} (set it in the sidecar or in _defaults.toml)`, model: name, key: blank, span: { file: m.file, line: 1, col: 1 } });
    }
  }
  return found;
}

/** One line for an error: the first problem at its file and line, and how many more. */
export function targetProblemsText(problems: readonly Diagnostic[]): string {
  const [first, ...more] = problems;
  const at = first.span ? `${first.span.file}:${first.span.line}: ` : "";
  return `${at}${first.message}${more.length > 0 ? ` (and ${more.length} more target problem(s))` : ""}; nothing was run: fix where the models write first (\`rocky compile\` lists every finding)`;
}

/** A model about to be written with an empty schema or table: never sent to the warehouse. */
export function blankTargets(models: readonly (Pick<RunnableModel, "name" | "strategy"> & { readonly target: { readonly schema: string; readonly table: string } })[]): string[] {
  return models.filter((m) => m.strategy.type !== "ephemeral" && (m.target.schema.trim() === "" || m.target.table.trim() === "")).map((m) => m.name);
}
