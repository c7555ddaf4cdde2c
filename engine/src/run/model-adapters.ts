import { type RunnableModel, withUpstreams } from "./runnable-model.js";

/**
 * A run that would send a model to another adapter than the one its `adapter = "..."` names. Until
 * runs span adapters, such a run is refused before any warehouse work: sent to the run's adapter,
 * the model fails with a dialect error or, worse, succeeds in the wrong warehouse.
 */
export class ModelAdapterError extends Error {
  override readonly name = "ModelAdapterError";
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** The run's adapter, as rocky.toml declares it (`runAdapterConfig`). */
export interface RunAdapterRef {
  readonly name: string;
  readonly type: string;
}

/**
 * Throws a ModelAdapterError naming the first model of the run (`select`, default all, and every
 * model they read, transitively: reading from the wrong warehouse is as wrong as writing to it)
 * whose `adapter` is not the run's, at the line of its `adapter` key. Why refuse rather than run
 * such a model on its own adapter: its upstreams and downstream live in the run's warehouse, which
 * the other warehouse cannot read, and a branch schema, a watermark and the failure of one model
 * skipping its downstream would each have to span two connections; a refusal loses nothing.
 */
export function checkModelAdapters(models: readonly RunnableModel[], run: RunAdapterRef, select?: readonly string[]): void {
  // Lower-case names, as `dependsOn` may spell a model otherwise.
  const byName = new Map(models.map((m) => [m.name.toLowerCase(), m]));
  const involved = withUpstreams(
    (select ?? models.map((m) => m.name)).map((s) => s.toLowerCase()),
    (name) => byName.get(name)?.dependsOn.map((dep) => dep.toLowerCase()).filter((dep) => byName.has(dep)),
  );
  const foreign = models.filter((m) => involved.has(m.name.toLowerCase()) && m.adapter !== undefined && m.adapter.name !== run.name);
  const first = foreign[0];
  if (first?.adapter === undefined) return;
  const a = first.adapter;
  const where = a.inherited ? " (inherited from models/_defaults.toml or its group)" : "";
  const more = foreign.length > 1 ? ` (and ${foreign.length - 1} more model(s) on another adapter: ${foreign.slice(1, 6).map((m) => m.name).join(", ")}${foreign.length > 6 ? ", ..." : ""})` : "";
  throw new ModelAdapterError(
    `${a.file}:${a.line}: model \`${first.name}\` names adapter "${a.name}"${a.type ? ` (${a.type})` : ""}${where}, but this run is on adapter "${run.name}" (${run.type})${more}; nothing was run: a run sends every model to one adapter, so remove the model's \`adapter\` key or set it to "${run.name}"`,
    a.file,
    a.line,
  );
}
