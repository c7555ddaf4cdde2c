import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";

/**
 * The fields of a compiled model a lazily decoded project pays for on first read: its analysis
 * (columns, row-level inputs, reads) and its loaded source (config, dialect, sidecar, contract).
 */
export const ANALYSIS_FIELDS = ["columns", "rowLevel", "reads"] as const;
export const SOURCE_FIELDS = ["config", "dialect", "sidecarFile", "contract"] as const;
export const HEAVY_FIELDS = [...ANALYSIS_FIELDS, ...SOURCE_FIELDS] as const;
/** A model's edges: on a snapshot they come with its cold record (config, keys), decoded for every model of its chunk. */
export const EDGE_FIELDS = ["dependsOn", "externalSources"] as const;

/** Names of the models any of `fields` was read of, sorted. */
export function modelsRead(read: ReadonlyMap<string, ReadonlySet<string>>, fields: readonly string[] = HEAVY_FIELDS): string[] {
  return [...read].filter(([, f]) => fields.some((x) => f.has(x))).map(([name]) => name).sort();
}

/**
 * The project with every read of a model's heavy fields recorded (model name → fields read), so a
 * test can assert that the review touched only the models a change reaches.
 */
export function countingProject(project: CompiledProject): { project: CompiledProject; read: Map<string, Set<string>> } {
  const read = new Map<string, Set<string>>();
  const models = new Map<string, CompiledModel>();
  for (const [name, m] of project.models) {
    const copy = { ...m };
    for (const field of [...HEAVY_FIELDS, ...EDGE_FIELDS]) {
      Object.defineProperty(copy, field, {
        enumerable: true,
        get: () => {
          let fields = read.get(name);
          if (!fields) read.set(name, (fields = new Set()));
          fields.add(field);
          return m[field];
        },
      });
    }
    models.set(name, copy);
  }
  return { project: { ...project, models }, read };
}
