import type { LineageSource, Transform } from "../compile/types.js";

/**
 * How a source column reaches an expression, summarised along the path from the column up to the
 * output: the innermost aggregate and window function met, whether any other operator was met,
 * the outermost cast, and whether the source's values are kept. Paths compose through CTEs and
 * subqueries (outer ∘ inner), and become a `Transform` at the end.
 */
export interface LineagePath {
  readonly agg?: string;
  readonly win?: string;
  readonly expr: boolean;
  readonly cast?: { readonly style: "cast" | "try_cast"; readonly to: string };
  /**
   * Set while every operator, aggregate or window met keeps the source's values in the output
   * (`lower`, `coalesce`, `max`, `lag`, a CASE branch): the innermost such function, lower-case.
   * A path with an operator, aggregate or window and no `keep` derives new values (`lost`).
   */
  readonly keep?: string;
}

/** The path derives new values from its source: an operator, aggregate or window that does not keep them. */
export function isLost(p: LineagePath): boolean {
  return p.keep === undefined && (p.expr || p.agg !== undefined || p.win !== undefined);
}

export interface PathSource {
  readonly model: string;
  readonly column: string;
  readonly path: LineagePath;
}

// Defined before DIRECT and EXPRESSION are made (module order).
const DIRECT_T: Transform = { kind: "direct" };
const EXPRESSION_T: Transform = { kind: "expression" };

/**
 * Every path is made by `makePath` and interned: equal paths are one object, which carries its
 * Transform and remembers what it composes to. Composing and converting paths is then a lookup
 * by identity, with no per-call objects and no weak tables.
 */
class PathNode implements LineagePath {
  readonly transform: Transform;
  /** inner path → this ∘ inner (created on first use). */
  composed: Map<PathNode, PathNode> | undefined = undefined;
  constructor(
    readonly agg: string | undefined,
    readonly win: string | undefined,
    readonly expr: boolean,
    readonly cast: { readonly style: "cast" | "try_cast"; readonly to: string } | undefined,
    readonly keep: string | undefined,
  ) {
    this.transform = toTransform(this);
  }
}

const paths = new Map<string, PathNode>();
const PATHS_LIMIT = 10_000;

/** The one path object with these parts. `keep` only means something on a path with an operator, aggregate or window. */
export function makePath(
  agg: string | undefined,
  win: string | undefined,
  expr: boolean,
  cast?: { readonly style: "cast" | "try_cast"; readonly to: string },
  keep?: string,
): LineagePath {
  const kept = keep !== undefined && (expr || agg !== undefined || win !== undefined) ? keep : undefined;
  const key = `${agg ?? ""}\u0000${win ?? ""}\u0000${expr ? 1 : 0}\u0000${cast ? `${cast.style}\u0000${cast.to}` : ""}\u0000${kept ?? ""}`;
  let p = paths.get(key);
  if (p === undefined) {
    p = new PathNode(agg, win, expr, cast ? { style: cast.style, to: cast.to } : undefined, kept);
    // Bounded (function names x cast targets are few; this only guards a pathological input).
    if (paths.size < PATHS_LIMIT) paths.set(key, p);
  }
  return p;
}

export const DIRECT: LineagePath = makePath(undefined, undefined, false);
export const EXPRESSION: LineagePath = makePath(undefined, undefined, true);

/** `outer` applied on top of `inner`. */
export function composePath(outer: LineagePath, inner: LineagePath): LineagePath {
  if (outer === DIRECT) return inner;
  if (inner === DIRECT) return outer;
  // An operator over a path that already went through one and lost the values adds nothing.
  if (outer === EXPRESSION && inner.expr && inner.keep === undefined) return inner;
  if (outer instanceof PathNode && inner instanceof PathNode) {
    const hit = outer.composed?.get(inner);
    if (hit !== undefined) return hit;
    const p = composeParts(outer, inner) as PathNode;
    (outer.composed ??= new Map()).set(inner, p);
    return p;
  }
  return composeParts(outer, inner);
}

function composeParts(outer: LineagePath, inner: LineagePath): LineagePath {
  const keep = isLost(outer) || isLost(inner) ? undefined : (inner.keep ?? outer.keep);
  return makePath(inner.agg ?? outer.agg, inner.win ?? outer.win, inner.expr || outer.expr, outer.cast ?? inner.cast, keep);
}

export function wrapSources(sources: readonly PathSource[], outer: LineagePath): PathSource[] {
  const n = sources.length;
  if (outer === DIRECT || n === 0) return sources as PathSource[];
  if (outer === EXPRESSION) {
    let i = 0;
    while (i < n && sources[i].path.expr && sources[i].path.keep === undefined) i++;
    if (i === n) return sources as PathSource[];
  }
  const out: PathSource[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = sources[i];
    const path = composePath(outer, s.path);
    out[i] = path === s.path ? s : { model: s.model, column: s.column, path };
  }
  return out;
}

function toTransform(p: LineagePath): Transform {
  if (p.agg !== undefined) return p.keep === undefined ? { kind: "aggregation", fn: p.agg } : { kind: "aggregation", fn: p.agg, keeps: p.keep };
  if (p.win !== undefined) return p.keep === undefined ? { kind: "window", fn: p.win } : { kind: "window", fn: p.win, keeps: p.keep };
  if (p.expr) return p.keep === undefined ? EXPRESSION_T : { kind: "expression", keeps: p.keep };
  if (p.cast) return p.cast.style === "try_cast" ? { kind: "try_cast", to: p.cast.to } : { kind: "cast", to: p.cast.to };
  return DIRECT_T;
}

export function pathToTransform(p: LineagePath): Transform {
  return p instanceof PathNode ? p.transform : toTransform(p);
}

/**
 * `outer` applied on top of `inner` for two edges already summarised as Transforms (the review
 * follows a column through a model it reads as a CTE): what composePath and toTransform would make
 * of the paths behind them, as far as a Transform keeps them.
 */
export function composeTransform(outer: Transform, inner: Transform): Transform {
  const kind = composeKind(outer, inner);
  if (kind.kind !== "aggregation" && kind.kind !== "window" && kind.kind !== "expression") return kind;
  const keep = keepsValues(outer) && keepsValues(inner) ? (keptBy(inner) ?? keptBy(outer)) : undefined;
  if (keep === kind.keeps) return kind;
  if (kind.kind === "expression") return keep === undefined ? EXPRESSION_T : { kind: "expression", keeps: keep };
  return keep === undefined ? { kind: kind.kind, fn: kind.fn } : { kind: kind.kind, fn: kind.fn, keeps: keep };
}

/** composeTransform's kind, as toTransform ranks a path's parts (its `keeps` still to be settled). */
function composeKind(outer: Transform, inner: Transform): Transform {
  if (inner.kind === "aggregation") return inner;
  if (outer.kind === "aggregation") return outer;
  if (inner.kind === "window") return inner;
  if (outer.kind === "window") return outer;
  if (inner.kind === "expression" || outer.kind === "expression") return EXPRESSION_T;
  return outer.kind === "direct" ? inner : outer;
}

/** The edge carries the source's values into the column: a reference, a cast, or value-keeping functions only. */
export function keepsValues(t: Transform): boolean {
  return t.kind === "direct" || t.kind === "cast" || t.kind === "try_cast" || t.keeps !== undefined;
}

/** The value-keeping function an edge went through (`lower`, `max`), when it is one. */
export function keptBy(t: Transform): string | undefined {
  return t.kind === "aggregation" || t.kind === "window" || t.kind === "expression" ? t.keeps : undefined;
}

/** How direct an edge is (lower is more direct): of several edges to one source column, the lineage keeps the most direct. */
const RANK: Readonly<Record<Transform["kind"], number>> = { direct: 0, cast: 1, try_cast: 2, window: 3, aggregation: 4, expression: 5 };

/** `a` is a more direct edge than `b`: by RANK, and of two of one kind, one that keeps the values over one that does not. */
export function moreDirect(a: Transform, b: Transform): boolean {
  const d = RANK[a.kind] - RANK[b.kind];
  return d < 0 || (d === 0 && keptBy(a) !== undefined && keptBy(b) === undefined);
}

/**
 * Sources as lineage edges, one per upstream column (first-seen order). When a column reaches the
 * output along several paths, the most direct one is kept: the strongest data flow is what
 * blast radius and masking-through-lineage must see.
 */
export function toLineageSources(sources: readonly PathSource[]): LineageSource[] {
  if (sources.length > 24) return toLineageSourcesIndexed(sources);
  const out: LineageSource[] = [];
  for (const s of sources) {
    const transform = pathToTransform(s.path);
    let i = 0;
    for (; i < out.length; i++) {
      const o = out[i];
      if (o.model === s.model && (o.column === s.column || o.column.toLowerCase() === s.column.toLowerCase())) break;
    }
    if (i === out.length) {
      out.push({ model: s.model, column: s.column, transform });
      continue;
    }
    if (moreDirect(transform, out[i].transform)) out[i] = { model: s.model, column: out[i].column, transform };
  }
  // Output columns live for the whole compile: no spare slots (a pushed-to array keeps 16+).
  return out.length === 0 ? NO_LINEAGE : out.slice();
}

/** Shared empty lineage (never written to). */
const NO_LINEAGE: LineageSource[] = [];

function toLineageSourcesIndexed(sources: readonly PathSource[]): LineageSource[] {
  const byKey = new Map<string, LineageSource>();
  for (const s of sources) {
    const key = `${s.model}\u0000${s.column.toLowerCase()}`;
    const transform = pathToTransform(s.path);
    const prev = byKey.get(key);
    if (prev === undefined) byKey.set(key, { model: s.model, column: s.column, transform });
    else if (moreDirect(transform, prev.transform)) byKey.set(key, { model: s.model, column: prev.column, transform });
  }
  return [...byKey.values()];
}
