/**
 * The one diagnostic shape every stage returns, and the JSON envelope Rocky emits
 * (rocky-compat.md §1.1): `{severity, code, message, model, span?{file, line, col}, suggestion?}`.
 * We add optional `endLine`/`endCol` to the span (so a reviewer can underline the construct) and
 * `key` (the TOML key path) for config diagnostics. Extra fields are additive, as Rocky's policy allows.
 */
export type Severity = "Error" | "Warning" | "Info";

export interface DiagnosticSpan {
  /** Project-relative path with forward slashes: `models/fct_orders.sql`, `rocky.toml`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  readonly endLine?: number;
  readonly endCol?: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** The owning model name; for project-level config codes, absent. */
  readonly model?: string;
  readonly span?: DiagnosticSpan;
  readonly suggestion?: string;
  /** A clean textual replacement for exactly the span's range, when one exists (P001 rewrites). Used for GitHub suggestion blocks. */
  readonly replacement?: { readonly span: DiagnosticSpan; readonly text: string };
  /** For config diagnostics: the TOML key path, e.g. `adapter.prod.kind`. */
  readonly key?: string;
}

/** Every engine stage returns its value plus diagnostics; user mistakes are diagnostics, exceptions are bugs. */
export interface Compiled<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}
