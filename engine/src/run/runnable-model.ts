import type { CompiledProject } from "../compile/types.js";
import type { StrategyConfig, TargetRef } from "../project/types.js";
import type { DialectId } from "../syntax/ast.js";

/** What running a model needs: its SQL, where it writes, how, and what it reads. */
export interface RunnableModel {
  readonly name: string;
  readonly file: string;
  /** The SQL after `@var` substitution (ModelSource.sql). */
  readonly sql: string;
  readonly dialect: DialectId;
  readonly target: TargetRef;
  readonly strategy: StrategyConfig;
  /** Model dependencies (names). */
  readonly dependsOn: readonly string[];
  /** External sources read (`schema.table`, lower-case), as compiled. */
  readonly sources?: readonly string[];
  /** Output column names, in order (MERGE uses them). */
  readonly columns?: readonly string[];
  /** The model's own `adapter = "..."` and where it is written (inherited: from `_defaults.toml` or a group, located at the model's file). */
  readonly adapter?: { readonly name: string; readonly type?: string; readonly file: string; readonly line: number; readonly inherited: boolean };
}

/** The compiled project's models in execution (topological) order, ready to run. */
export function runnableModels(compiled: CompiledProject): RunnableModel[] {
  const sources = new Map(compiled.project.models.map((m) => [m.name, m]));
  const adapterTypes = new Map(compiled.project.config.adapters.map((a) => [a.name, a.type]));
  const out: RunnableModel[] = [];
  for (const m of compiled.models.values()) {
    const src = sources.get(m.name);
    if (src === undefined) continue;
    const at = src.config.locations.adapter;
    const adapter = src.config.adapter === undefined ? undefined : { name: src.config.adapter, type: adapterTypes.get(src.config.adapter), file: at?.file ?? src.sidecarFile ?? src.file, line: at?.line ?? 1, inherited: at === undefined };
    out.push({
      name: m.name,
      file: m.file,
      sql: src.sql,
      dialect: m.dialect,
      target: m.config.target,
      strategy: m.config.strategy,
      dependsOn: m.dependsOn,
      sources: m.externalSources,
      columns: m.columns.map((c) => c.name),
      ...(adapter ? { adapter } : {}),
    });
  }
  return out;
}

/**
 * The models a change must run: the changed ones and everything downstream of them, in the
 * order of `models` (execution order). Unknown names are ignored.
 */
export function withDownstream(models: readonly RunnableModel[], changed: Iterable<string>): string[] {
  const selected = new Set<string>();
  for (const c of changed) selected.add(c);
  for (const m of models) if (m.dependsOn.some((d) => selected.has(d))) selected.add(m.name);
  return models.filter((m) => selected.has(m.name)).map((m) => m.name);
}

/**
 * `select` and every model they read, transitively. `readsOf` gives the models a model reads (only
 * those that are models of the run); undefined for a name that is not a model.
 */
export function withUpstreams(select: Iterable<string>, readsOf: (name: string) => Iterable<string> | undefined): Set<string> {
  const out = new Set<string>();
  const stack = [...select];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    for (const dep of readsOf(name) ?? []) stack.push(dep);
  }
  return out;
}
