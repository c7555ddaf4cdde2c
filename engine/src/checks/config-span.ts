import type { DiagnosticSpan } from "../diagnostics/diagnostic.js";
import type { ModelConfig, TomlLocation } from "../project/types.js";

const toSpan = (l: TomlLocation): DiagnosticSpan => ({ file: l.file, line: l.line, col: l.col });

/**
 * Where a config finding points: the first of `keys` the loader recorded a location for
 * (`strategy.time_column`, then `strategy`, ...), else line 1 of the first known file (the sidecar,
 * then the model file).
 */
export function configSpan(config: Pick<ModelConfig, "locations">, keys: readonly string[], files: readonly (string | undefined)[]): DiagnosticSpan | undefined {
  for (const k of keys) {
    const l = config.locations[k];
    if (l !== undefined) return toSpan(l);
  }
  const file = files.find((f) => f !== undefined);
  return file === undefined ? undefined : { file, line: 1, col: 1 };
}
