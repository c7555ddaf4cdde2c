import { UNRESOLVED_COLUMNS_HELP } from "../../../engine/src/analyze/analyze-model.js";
import type { ReviewDiagnostic } from "./types.js";

/**
 * The review's diagnostics with each consequence folded into its cause. A finding is a consequence
 * of another when both are new on this PR, in the same model, the other is an error, and the
 * compile says the error is why:
 * - a `W002` (a `SELECT *` over an upstream whose schema is unknown) whose upstream is the name an
 *   `R004` of the model says is no model (unknown, or one this PR removes or renames);
 * - an `I002` (columns of unknown type) whose help says every one of them "does not resolve: see
 *   the error in this model" (an `R004` or `R008` there): it goes to the model's first new one of
 *   those (its first new error when it has neither).
 * The consequence leaves the list (so it is not counted, annotated or commented on its own) and
 * is kept in its cause's `consequences`, which the renderers name after the cause's message.
 * `rocky compile` lists both, as Rocky does. A `W002` over an external source with no schema, or
 * an `I002` with a column that reads one, has no cause here and stays a finding of its own.
 */
export function foldConsequences(diagnostics: readonly ReviewDiagnostic[]): ReviewDiagnostic[] {
  // The new errors of each model, in the list's order (the compile's: by position in the model).
  const errors = new Map<string, ReviewDiagnostic[]>();
  for (const d of diagnostics) {
    if (!d.new || d.severity !== "Error" || d.model === undefined) continue;
    const list = errors.get(d.model);
    if (list) list.push(d);
    else errors.set(d.model, [d]);
  }
  if (errors.size === 0) return [...diagnostics];
  const causeOf = new Map<ReviewDiagnostic, ReviewDiagnostic>();
  for (const d of diagnostics) {
    if (!d.new || d.model === undefined) continue;
    const own = errors.get(d.model);
    if (own === undefined) continue;
    const cause = d.code === "W002" ? unknownUpstreamCause(d, own) : d.code === "I002" && unresolvedOnly(d) ? unresolvedCause(own) : undefined;
    if (cause !== undefined) causeOf.set(d, cause);
  }
  if (causeOf.size === 0) return [...diagnostics];
  const folded = new Map<ReviewDiagnostic, ReviewDiagnostic[]>();
  for (const [d, cause] of causeOf) folded.set(cause, [...(folded.get(cause) ?? []), d]);
  const out: ReviewDiagnostic[] = [];
  for (const d of diagnostics) {
    if (causeOf.has(d)) continue;
    const consequences = folded.get(d);
    out.push(consequences === undefined ? d : { ...d, consequences: [...(d.consequences ?? []), ...consequences] });
  }
  return out;
}

/** W002's upstream: `... because the schema of 'stg_payments' is unknown`. */
const W002_UPSTREAM = /schema of '(.+)' is unknown$/;
/** The name an R004 is about: the first `name` of its message (the compile's and the review's alike). */
const R004_NAME = /`([^`]+)`/;

function unknownUpstreamCause(d: ReviewDiagnostic, errors: readonly ReviewDiagnostic[]): ReviewDiagnostic | undefined {
  const upstream = W002_UPSTREAM.exec(d.message)?.[1]?.toLowerCase();
  if (upstream === undefined) return undefined;
  return errors.find((e) => e.code === "R004" && R004_NAME.exec(e.message)?.[1]?.toLowerCase() === upstream);
}

/** Every Unknown column of the I002 is left by an error of its model, and nothing else is said of them. */
function unresolvedOnly(d: ReviewDiagnostic): boolean {
  const help = d.suggestion ?? "";
  return help.endsWith(UNRESOLVED_COLUMNS_HELP) && !help.includes("; ");
}

/** The model's first unknown table or column (an I002's unresolved columns come from one), else its first error. */
function unresolvedCause(errors: readonly ReviewDiagnostic[]): ReviewDiagnostic {
  const unknown = errors.filter((e) => e.code === "R004" || e.code === "R008");
  return firstByPosition(unknown.length > 0 ? unknown : errors);
}

function firstByPosition(errors: readonly ReviewDiagnostic[]): ReviewDiagnostic {
  let first = errors[0];
  for (const e of errors) if ((e.span?.line ?? 0) < (first.span?.line ?? 0) || ((e.span?.line ?? 0) === (first.span?.line ?? 0) && (e.span?.col ?? 0) < (first.span?.col ?? 0))) first = e;
  return first;
}

/** How a cause's message names what it also causes: `so its SELECT * cannot be typed (W002)`. */
export function consequencesClause(consequences: readonly ReviewDiagnostic[]): string {
  const parts = consequences.map((c) => {
    if (c.code === "W002") return "its SELECT * cannot be typed (W002)";
    if (c.code === "I002") {
      const n = Number(/^(\d+) column/.exec(c.message)?.[1] ?? 0);
      return `${n === 1 ? "1 column has" : n > 1 ? `${n} columns have` : "columns have"} an unknown type (I002)`;
    }
    return `${c.code}: ${c.message}`;
  });
  return `so ${[...new Set(parts)].join(" and ")}`;
}
