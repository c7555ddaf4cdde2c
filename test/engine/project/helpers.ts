import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { loadProject } from "../../../engine/src/project/load-project.js";
import type { LoadOptions, ProjectFiles } from "../../../engine/src/project/types.js";

/** A ProjectFiles map from an object literal (`null` = a binary file). */
export function projectFiles(entries: Record<string, string | null>): ProjectFiles {
  return new Map(Object.entries(entries));
}

export function load(entries: Record<string, string | null>, options: Partial<LoadOptions> = {}) {
  return loadProject(projectFiles(entries), { env: {}, vars: {}, ...options });
}

export function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** The one diagnostic of a key (fails loudly with the list when absent). */
export function byKey(diagnostics: readonly Diagnostic[], key: string): Diagnostic {
  const hits = diagnostics.filter((d) => d.key === key);
  if (hits.length !== 1) throw new Error(`expected one diagnostic for key ${key}, got ${hits.length}: ${JSON.stringify(diagnostics, null, 1)}`);
  return hits[0];
}

/** Where a diagnostic points, as "file:line:col". */
export function where(d: Diagnostic): string {
  return `${d.span?.file}:${d.span?.line}:${d.span?.col}`;
}

/** A minimal valid project: one DuckDB adapter, defaults for the target. */
export const BASE: Record<string, string> = {
  "rocky.toml": '[adapter]\ntype = "duckdb"\n',
  "models/_defaults.toml": '[target]\ncatalog = "main"\nschema = "analytics"\n',
};
