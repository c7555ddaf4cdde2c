import { UNRESOLVED_COLUMNS_HELP } from "../../../engine/src/analyze/analyze-model.js";
import { findColumn } from "../../../engine/src/checks/contract-columns.js";
import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
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
 * And across models, given head's compiled project: a new `W002` or `I002` of a downstream model
 * whose Unknown (its `SELECT *`'s upstream, or every Unknown column), traced through head's
 * lineage, is left in upstream models each of which has a new error that leaves types Unknown and
 * no pre-existing one (`UpstreamCauses`): it goes to the first such model's first new `R004`/`R008`
 * (else its first new such error: an `R001` that leaves it unparsed, ...).
 * The consequence leaves the list (so it is not counted, annotated or commented on its own) and
 * is kept in its cause's `consequences`, which the renderers name after the cause's message.
 * `rocky compile` lists both, as Rocky does. A `W002` over an external source with no schema, or
 * an `I002` with a column that reads one, has no cause here and stays a finding of its own; so
 * does one with a column left by a pre-existing error, or by the downstream model itself.
 */
export function foldConsequences(diagnostics: readonly ReviewDiagnostic[], head?: CompiledProject): ReviewDiagnostic[] {
  // The new errors of each model, in the list's order (the compile's: by position in the model).
  const errors = new Map<string, ReviewDiagnostic[]>();
  for (const d of diagnostics) {
    if (!d.new || d.severity !== "Error" || d.model === undefined) continue;
    const list = errors.get(d.model);
    if (list) list.push(d);
    else errors.set(d.model, [d]);
  }
  if (errors.size === 0) return [...diagnostics];
  // Same model first: an I002 whose columns all fail to resolve there is its model's own.
  const causeOf = new Map<ReviewDiagnostic, ReviewDiagnostic>();
  for (const d of diagnostics) {
    if (!d.new || d.model === undefined) continue;
    const own = errors.get(d.model);
    if (own === undefined) continue;
    const cause = d.code === "W002" ? unknownUpstreamCause(d, own) : d.code === "I002" && unresolvedOnly(d) ? unresolvedCause(own) : undefined;
    if (cause !== undefined) causeOf.set(d, cause);
  }
  if (head !== undefined) {
    const lineage = new UpstreamCauses(head, diagnostics, errors);
    for (const d of diagnostics) {
      if (!d.new || d.model === undefined || causeOf.has(d) || (d.code !== "W002" && d.code !== "I002")) continue;
      const cause = lineage.causeOf(d);
      if (cause !== undefined) causeOf.set(d, cause);
    }
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

/**
 * The errors that leave a model's columns (or some of them) Unknown: its SQL does not parse (R001),
 * cannot be rendered (E028) or read (R007), the model is in a cycle (R003) or defined twice (R005),
 * a name or column resolves to nothing (R004, R008), or the analysis failed (R009). Others leave
 * the types known (an ambiguous column R013 and a rejected overload R011 are still typed; a
 * contract, cost or portability error types nothing), so none is the cause of a downstream Unknown.
 */
const UNTYPING: ReadonlySet<string> = new Set(["R001", "R003", "R004", "R005", "R007", "R008", "R009", "E028"]);

/**
 * Where a model's Unknown comes from, through head's lineage: the models in which it is left (an
 * unknown column or model there, a model that does not parse), or `EXTERNAL` when any of it has
 * another cause (an external source with no known schema, an expression of unknown type).
 */
type Origins = ReadonlySet<string> | typeof EXTERNAL;
const EXTERNAL = "external";

/**
 * Finds, for a new W002/I002 of a model, the new error upstream that it only follows from. A model
 * is a cause when the Unknown is left in it, it has a new error and no pre-existing one (which
 * could be the Unknown's real cause: the PR did not introduce it).
 */
class UpstreamCauses {
  private readonly columnOrigins = new Map<string, Origins>();
  private readonly modelOrigins = new Map<string, Origins>();
  private readonly oldErrors = new Set<string>();
  private readonly starsOf = new Map<string, string[]>();

  constructor(
    private readonly head: CompiledProject,
    diagnostics: readonly ReviewDiagnostic[],
    private readonly errors: ReadonlyMap<string, readonly ReviewDiagnostic[]>,
  ) {
    for (const d of diagnostics) {
      if (d.model === undefined) continue;
      if (d.severity === "Error" && !d.new && UNTYPING.has(d.code)) this.oldErrors.add(d.model);
      const upstream = d.code === "W002" ? W002_UPSTREAM.exec(d.message)?.[1]?.toLowerCase() : undefined;
      if (upstream !== undefined) this.starsOf.set(d.model, [...(this.starsOf.get(d.model) ?? []), upstream]);
    }
  }

  causeOf(d: ReviewDiagnostic): ReviewDiagnostic | undefined {
    const model = d.model === undefined ? undefined : this.model(d.model);
    if (model === undefined) return undefined;
    let origins: Origins;
    if (d.code === "W002") {
      const upstream = W002_UPSTREAM.exec(d.message)?.[1]?.toLowerCase();
      origins = upstream === undefined ? EXTERNAL : this.upstreamOrigins(upstream);
    } else {
      const unknown = model.columns.filter((c) => c.type.kind === "Unknown");
      origins = unknown.length === 0 ? EXTERNAL : union(unknown.map((c) => this.columnOrigin(model, c.name)));
    }
    if (origins === EXTERNAL || origins.size === 0 || origins.has(model.name)) return undefined;
    let first: ReviewDiagnostic[] | undefined;
    for (const o of origins) {
      const own = this.errors.get(o)?.filter((e) => UNTYPING.has(e.code));
      if (own === undefined || own.length === 0 || this.oldErrors.has(o)) return undefined;
      first ??= own;
    }
    return first === undefined ? undefined : unresolvedCause(first);
  }

  private model(name: string): CompiledModel | undefined {
    return this.head.models.get(name) ?? this.head.models.get(name.toLowerCase());
  }

  /** The origins of an Unknown column of a model (memoized; a column met again while tracing it counts as another cause). */
  private columnOrigin(model: CompiledModel, column: string): Origins {
    const key = `${model.name}\u0000${column.toLowerCase()}`;
    const known = this.columnOrigins.get(key);
    if (known !== undefined) return known;
    this.columnOrigins.set(key, EXTERNAL);
    const origins = this.traceColumn(model, column);
    this.columnOrigins.set(key, origins);
    return origins;
  }

  private traceColumn(model: CompiledModel, column: string): Origins {
    const c = findColumn(model.columns, column);
    // Not in the model's output: the model is open (a star over an Unknown) or does not parse.
    if (c === undefined) return this.upstreamOrigins(model.name);
    if (c.type.kind !== "Unknown") return new Set();
    // Read from nothing: the compile dropped what does not resolve (an unknown column or model).
    if (c.sources.length === 0) return new Set([model.name]);
    const parts: Origins[] = [];
    for (const s of c.sources) {
      if (s.model === model.name) continue;
      const upstream = this.model(s.model);
      if (upstream !== undefined) {
        const col = upstream.parsed ? findColumn(upstream.columns, s.column) : undefined;
        if (col !== undefined && col.type.kind !== "Unknown") continue;
        // A column the upstream does not have is this model's unknown column (its R008).
        parts.push(col === undefined && upstream.parsed && !this.starsOf.has(upstream.name) ? new Set([model.name]) : this.columnOrigin(upstream, s.column));
      } else if (!s.model.includes(".")) {
        parts.push(new Set([model.name])); // a name that is no model: this model's R004
      } else if (this.head.project.sourceSchemas.get(s.model) === undefined || findColumn(this.head.project.sourceSchemas.get(s.model) ?? [], s.column) === undefined) {
        return EXTERNAL;
      }
    }
    // Every source typed, yet Unknown: an expression whose type is not known.
    return parts.length === 0 ? EXTERNAL : union(parts);
  }

  /** Why a model's output is not (fully) known: it does not parse, or its stars read what is not known. */
  private upstreamOrigins(name: string): Origins {
    const model = this.model(name);
    if (model === undefined) return name.includes(".") ? EXTERNAL : new Set(); // an unknown name: the reader's own R004
    const key = model.name;
    const known = this.modelOrigins.get(key);
    if (known !== undefined) return known;
    this.modelOrigins.set(key, EXTERNAL);
    let origins: Origins;
    if (!model.parsed) origins = new Set([model.name]);
    else {
      const stars = this.starsOf.get(model.name) ?? [];
      const parts = stars.map((u) => (!u.includes(".") && this.model(u) === undefined ? new Set([model.name]) : this.upstreamOrigins(u)));
      origins = parts.length === 0 ? new Set([model.name]) : union(parts);
    }
    this.modelOrigins.set(key, origins);
    return origins;
  }
}

function union(parts: readonly Origins[]): Origins {
  const out = new Set<string>();
  for (const p of parts) {
    if (p === EXTERNAL) return EXTERNAL;
    for (const o of p) out.add(o);
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

/**
 * How a cause's message names what it also causes: `so its SELECT * cannot be typed (W002)` in
 * its own model, `so 2 downstream models cannot be fully typed (I002, W002)` downstream.
 */
export function consequencesClause(consequences: readonly ReviewDiagnostic[], model?: string): string {
  const own = consequences.filter((c) => c.model === model);
  const parts = own.map((c) => {
    if (c.code === "W002") return "its SELECT * cannot be typed (W002)";
    if (c.code === "I002") {
      const n = Number(/^(\d+) column/.exec(c.message)?.[1] ?? 0);
      return `${n === 1 ? "1 column has" : n > 1 ? `${n} columns have` : "columns have"} an unknown type (I002)`;
    }
    return `${c.code}: ${c.message}`;
  });
  const downstream = consequences.filter((c) => c.model !== model);
  if (downstream.length > 0) {
    const n = new Set(downstream.map((c) => c.model)).size;
    const codes = [...new Set(downstream.map((c) => c.code))].sort().join(", ");
    parts.push(`${n} downstream model${n === 1 ? "" : "s"} cannot be fully typed (${codes})`);
  }
  // "A, B and C": three clauses joined by "and" twice read as one run-on.
  const list = [...new Set(parts)];
  return `so ${list.length > 2 ? `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}` : list.join(" and ")}`;
}
