import type { CompiledModel, RowLevel, Transform } from "../../../engine/src/compile/types.js";
import type { Span } from "../../../engine/src/syntax/ast.js";
import type { ColumnPointer, ReportSpan, RowLevelClause } from "../report/types.js";

/**
 * Every row-level fingerprint key (RowLevel["fingerprints"]) → the report's clause name, in the
 * order findings list them. A complete record: a clause the analyzer adds cannot be missed here.
 */
export const ROW_LEVEL_CLAUSES: Readonly<Record<keyof RowLevel["fingerprints"], RowLevelClause>> = {
  from: "from",
  where: "where",
  joins: "join",
  groupBy: "group_by",
  having: "having",
  distinct: "distinct",
  qualify: "qualify",
  limit: "limit",
  connectBy: "connect_by",
  matchRecognize: "match_recognize",
};

/** `catalog.schema.table`, lower-case: how models are paired across base and head (Rocky pairs by target). */
const targets = new WeakMap<CompiledModel, string>();

export function targetOf(model: CompiledModel): string {
  let t = targets.get(model);
  if (t === undefined) {
    const { catalog, schema, table } = model.config.target;
    t = `${catalog}.${schema}.${table}`.toLowerCase();
    targets.set(model, t);
  }
  return t;
}

/** Whether two models write the same target: field by field first (no string built for the 10,000 pairs that do), then as `targetOf` compares. */
export function sameTarget(a: CompiledModel, b: CompiledModel): boolean {
  const x = a.config.target;
  const y = b.config.target;
  if (x.catalog === y.catalog && x.schema === y.schema && x.table === y.table) return true;
  return targetOf(a) === targetOf(b);
}

/** `model.column`, lower-case: the key of a column everywhere in the diff. */
export function colKey(model: string, column: string): string {
  return `${model.toLowerCase()}.${column.toLowerCase()}`;
}

export function pointerText(p: ColumnPointer): string {
  return `${p.model}.${p.column}`;
}

/** `direct`, `cast`, `try_cast`, `aggregation:sum`, `window:rank`, `expression`. */
export function transformLabel(t: Transform): string {
  if (t.kind === "aggregation" || t.kind === "window") return `${t.kind}:${t.fn}`;
  return t.kind;
}

export function reportSpan(file: string, span: Span | undefined, side: "head" | "base"): ReportSpan | undefined {
  if (!span) return undefined;
  return { file, line: span.line, col: span.col, side };
}

export function sortBy<T>(items: T[], key: (t: T) => string | number | readonly (string | number)[]): T[] {
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const la = Array.isArray(ka) ? ka : [ka];
    const lb = Array.isArray(kb) ? kb : [kb];
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
      const x = la[i] ?? "";
      const y = lb[i] ?? "";
      if (x === y) continue;
      if (typeof x === "number" && typeof y === "number") return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  });
}
