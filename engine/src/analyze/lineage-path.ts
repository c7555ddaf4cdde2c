import type { LineageSource, Transform } from "../compile/types.js";

/**
 * How a source column reaches an expression, summarised along the path from the column up to the
 * output: the innermost aggregate and window function met, whether any other operator was met,
 * and the outermost cast. Paths compose through CTEs and subqueries (outer ∘ inner), and become
 * a `Transform` at the end.
 */
export interface LineagePath {
  readonly agg?: string;
  readonly win?: string;
  readonly expr: boolean;
  readonly cast?: { readonly style: "cast" | "try_cast"; readonly to: string };
}

export interface PathSource {
  readonly model: string;
  readonly column: string;
  readonly path: LineagePath;
}

export const DIRECT: LineagePath = { expr: false };
export const EXPRESSION: LineagePath = { expr: true };

/** `outer` applied on top of `inner`. */
export function composePath(outer: LineagePath, inner: LineagePath): LineagePath {
  if (outer === DIRECT) return inner;
  if (inner === DIRECT) return outer;
  // An operator over a path that already went through one adds nothing.
  if (outer === EXPRESSION && inner.expr) return inner;
  const agg = inner.agg ?? outer.agg;
  const win = inner.win ?? outer.win;
  const cast = outer.cast ?? inner.cast;
  const expr = inner.expr || outer.expr;
  const out: { -readonly [K in keyof LineagePath]: LineagePath[K] } = { expr };
  if (agg !== undefined) out.agg = agg;
  if (win !== undefined) out.win = win;
  if (cast !== undefined) out.cast = cast;
  return out;
}

export function wrapSources(sources: readonly PathSource[], outer: LineagePath): PathSource[] {
  const n = sources.length;
  if (outer === DIRECT || n === 0) return sources as PathSource[];
  if (outer === EXPRESSION) {
    let i = 0;
    while (i < n && sources[i].path.expr) i++;
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

const DIRECT_T: Transform = { kind: "direct" };
const EXPRESSION_T: Transform = { kind: "expression" };
const transformCache = new WeakMap<LineagePath, Transform>();

export function pathToTransform(p: LineagePath): Transform {
  if (p === DIRECT) return DIRECT_T;
  if (p === EXPRESSION) return EXPRESSION_T;
  const hit = transformCache.get(p);
  if (hit) return hit;
  let t: Transform;
  if (p.agg !== undefined) t = { kind: "aggregation", fn: p.agg };
  else if (p.win !== undefined) t = { kind: "window", fn: p.win };
  else if (p.expr) t = EXPRESSION_T;
  else if (p.cast) t = p.cast.style === "try_cast" ? { kind: "try_cast", to: p.cast.to } : { kind: "cast", to: p.cast.to };
  else t = DIRECT_T;
  transformCache.set(p, t);
  return t;
}

const RANK: Record<Transform["kind"], number> = { direct: 0, cast: 1, try_cast: 2, window: 3, aggregation: 4, expression: 5 };

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
    if (RANK[transform.kind] < RANK[out[i].transform.kind]) out[i] = { model: s.model, column: out[i].column, transform };
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
    else if (RANK[transform.kind] < RANK[prev.transform.kind]) byKey.set(key, { model: s.model, column: prev.column, transform });
  }
  return [...byKey.values()];
}
