import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";

/** The heavy fields of a compiled model: what a lazily decoded project pays for on first read. */
export const HEAVY_FIELDS = ["columns", "rowLevel", "reads", "hasStar"] as const;

/**
 * The project with every read of a model's heavy fields recorded (model name → fields read), so a
 * test can assert that the review touched only the models a change reaches.
 */
export function countingProject(project: CompiledProject): { project: CompiledProject; read: Map<string, Set<string>> } {
  const read = new Map<string, Set<string>>();
  const models = new Map<string, CompiledModel>();
  for (const [name, m] of project.models) {
    const copy = { ...m };
    for (const field of HEAVY_FIELDS) {
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
