import type { CompiledProject } from "../compile/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { AdapterConfig, RockyConfig } from "../project/types.js";

/**
 * The adapter a project's models run on: the transformation pipeline's `target.adapter`, else the
 * adapter named `default`, else the first one; DuckDB in memory when rocky.toml declares none.
 * One rule for `rocky run`, `rocky branch` and the Action's and the App's branch schemas and
 * production runs, so that a merge runs where `rocky run` does.
 */
export function runAdapterConfig(config: RockyConfig): AdapterConfig {
  const adapters = config.adapters;
  const pipelineTarget = config.pipelines.find((p) => p.type === "transformation")?.targetAdapter;
  return (
    adapters.find((a) => a.name === pipelineTarget) ??
    adapters.find((a) => a.name === "default") ??
    adapters[0] ?? { name: "default", type: "duckdb", settings: { path: ":memory:" } }
  );
}

/** Why a project cannot run: its compile errors (the first, with its file and line), or undefined when it has none. */
export interface CompileErrorSummary {
  readonly count: number;
  readonly first: Diagnostic;
  /** `the project has 2 compile error(s) (first: R002 ... at rocky.toml:2)`. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/**
 * The project's compile errors, summarised; `only` keeps those on one file (e.g. `rocky.toml` of
 * the commit an adapter is read from). A project with errors is not run: `rocky run` refuses it,
 * and so do branch schemas and production runs.
 */
export function compileErrors(compiled: CompiledProject, only?: (d: Diagnostic) => boolean): CompileErrorSummary | undefined {
  const errors = compiled.diagnostics.filter((d) => d.severity === "Error" && (only === undefined || only(d)));
  const first = errors[0];
  if (first === undefined) return undefined;
  const where = first.span ? ` at ${first.span.file}:${first.span.line}` : "";
  return {
    count: errors.length,
    first,
    message: `the project has ${errors.length} compile error(s) (first: ${first.code} ${first.message}${where})`,
    ...(first.span ? { file: first.span.file, line: first.span.line } : {}),
  };
}
