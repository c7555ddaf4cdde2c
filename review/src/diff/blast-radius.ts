import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import type { BlastRadiusEntry, Consumer } from "../report/types.js";
import { colKey, sortBy, transformLabel } from "./keys.js";

interface Edge {
  readonly model: string;
  readonly column: string;
  readonly transform: string;
}

export interface TraceOptions {
  /** Models the PR removes (a base trace): neither consumers nor passed through. */
  readonly gone?: ReadonlySet<string>;
  /** Reach the models that filter, join or group on a reached column whole, and everything downstream of them. */
  readonly rows?: boolean;
  /** Models that fail on head (they name a removed column): reached whole as soon as one of their columns is. */
  readonly fails?: ReadonlySet<string>;
  /** The consumer columns the change can reach at all (a widened type: those whose own type changes with it). */
  readonly only?: (model: string, column: string) => boolean;
}

/**
 * Who reads what, for one compiled project: source column key (`model.column`, lower-case) → the
 * output columns that read it. Built once per side and reused for every trace.
 */
export class ConsumerIndex {
  /** Per model: source column key → the model's output columns that read it; built lazily, only for models a trace reaches. */
  private readonly perModel = new Map<string, Map<string, Edge[]>>();
  /** Models by lower-case name, built on the first name that is not a model's exact name. */
  private lowerModels: Map<string, CompiledModel> | undefined;

  constructor(readonly project: CompiledProject) {}

  private readsOfModel(name: string): Map<string, Edge[]> {
    let idx = this.perModel.get(name);
    if (idx) return idx;
    idx = new Map();
    for (const c of this.model(name)?.columns ?? []) {
      for (const s of c.sources) {
        const key = colKey(s.model, s.column);
        const edge = { model: name, column: c.name, transform: transformLabel(s.transform) };
        const list = idx.get(key);
        if (list) list.push(edge);
        else idx.set(key, [edge]);
      }
    }
    this.perModel.set(name, idx);
    return idx;
  }

  private childrenOf(model: string): readonly string[] {
    return this.project.downstream.get(model) ?? this.project.downstream.get(this.model(model)?.name ?? "") ?? [];
  }

  model(name: string): CompiledModel | undefined {
    const exact = this.project.models.get(name);
    if (exact) return exact;
    if (!this.lowerModels) {
      this.lowerModels = new Map();
      for (const m of this.project.models.values()) this.lowerModels.set(m.name.toLowerCase(), m);
    }
    return this.lowerModels.get(name.toLowerCase());
  }

  /** The output columns of direct downstream models that read `model.column`. */
  readersOf(model: string, column: string): readonly Edge[] {
    const key = colKey(model, column);
    const out: Edge[] = [];
    for (const child of this.childrenOf(model)) out.push(...(this.readsOfModel(child).get(key) ?? []));
    return out;
  }

  /** The direct downstream models whose WHERE, JOIN, GROUP BY, HAVING or QUALIFY read `model.column`. */
  rowReadersOf(model: string, column: string): CompiledModel[] {
    const key = colKey(model, column);
    const out: CompiledModel[] = [];
    for (const child of this.childrenOf(model)) {
      const m = this.model(child);
      if (m === undefined) continue;
      const { filters, joins, groups } = m.rowLevel;
      const reads = (refs: readonly { model: string; column: string }[]) => refs.some((r) => colKey(r.model, r.column) === key);
      if (reads(filters) || reads(joins) || reads(groups)) out.push(m);
    }
    return out;
  }

  flags(modelName: string, column: string): Pick<Consumer, "contracted" | "classified" | "exposures"> {
    const m = this.model(modelName);
    if (!m) return { contracted: false, classified: null, exposures: [] };
    return {
      contracted: contractNames(m, column),
      classified: classificationOf(m, column),
      exposures: (m.config.exposures ?? []).map((e) => e.name),
    };
  }

  /**
   * Column-level trace: every downstream column that reads `model.column`, transitively (BFS: minimal
   * depth). The models in `gone` (a base trace's models the PR removes) are neither consumers nor
   * passed through: what reads them on head is their own removal's consumers. With `rows`, a model
   * that filters, joins or groups on a reached column is reached whole (each of its columns), and
   * so is every model downstream of it: their rows are made from its rows (a `COUNT(*)` of it names
   * no column, and changes with them). A model in `fails` (it fails on head: it names the removed
   * column) is reached whole as soon as one of its columns is, and so are the models downstream of it.
   */
  traceColumn(model: string, column: string, options: TraceOptions = {}): Consumer[] {
    const { gone, rows = false, fails, only } = options;
    const out: Consumer[] = [];
    const seen = new Set<string>([colKey(model, column)]);
    /** Models reached whole: each is expanded to its readers once, in the round after. */
    const whole = new Set<string>();
    let frontier: { model: string; column: string }[] = [{ model, column }];
    let wholeFrontier: { model: CompiledModel; via: string }[] = [];
    let depth = 0;
    while (frontier.length > 0 || wholeFrontier.length > 0) {
      depth++;
      const next: { model: string; column: string }[] = [];
      const nextWhole: { model: CompiledModel; via: string }[] = [];
      const reach = (m: string, c: string, transform: string, via: string) => {
        const key = colKey(m, c);
        if (seen.has(key) || gone?.has(m) || (only !== undefined && !only(m, c))) return;
        seen.add(key);
        out.push({ model: m, column: c, depth, transform, via, ...this.flags(m, c) });
        next.push({ model: m, column: c });
        if (fails?.has(m) && !whole.has(m)) {
          const failing = this.model(m);
          if (failing !== undefined) reachWhole(failing, `${m}.${c}`);
        }
      };
      const reachWhole = (child: CompiledModel, via: string) => {
        if (gone?.has(child.name) || whole.has(child.name)) return;
        whole.add(child.name);
        for (const c of child.columns) reach(child.name, c.name, "row_level", via);
        if (child.columns.length > 0) nextWhole.push({ model: child, via: `${child.name}.${child.columns[0].name}` });
      };
      for (const f of frontier) {
        const via = `${f.model}.${f.column}`;
        for (const e of this.readersOf(f.model, f.column)) reach(e.model, e.column, e.transform, via);
        // A model that filters, joins or groups on the column: which rows it has changes (or, for a
        // removed column, the model fails), so every column it outputs is reached.
        if (rows) for (const child of this.rowReadersOf(f.model, f.column)) reachWhole(child, via);
      }
      // A model reached whole: each model reading it sees other rows (or none, when it fails).
      for (const w of wholeFrontier) {
        for (const name of this.childrenOf(w.model.name)) {
          const child = this.model(name);
          if (child !== undefined) reachWhole(child, w.via);
        }
      }
      frontier = next;
      wholeFrontier = nextWhole;
    }
    return sortBy(out, (c) => [c.depth, c.model, c.column]);
  }

  /** Row-level reach: every column of every model downstream of `model`. */
  traceRows(model: string): Consumer[] {
    const out: Consumer[] = [];
    const seen = new Set<string>([model]);
    let frontier = [model];
    let depth = 0;
    while (frontier.length > 0) {
      depth++;
      const next: string[] = [];
      for (const parent of frontier) {
        for (const child of this.project.downstream.get(parent) ?? []) {
          if (seen.has(child)) continue;
          seen.add(child);
          next.push(child);
          const m = this.model(child);
          for (const c of m?.columns ?? []) {
            out.push({ model: child, column: c.name, depth, transform: "row_level", via: parent, ...this.flags(child, c.name) });
          }
        }
      }
      frontier = next;
    }
    return sortBy(out, (c) => [c.depth, c.model, c.column]);
  }
}

function contractNames(m: CompiledModel, column: string): boolean {
  const c = m.contract;
  if (!c) return false;
  const lower = column.toLowerCase();
  return c.columns.some((x) => x.name.toLowerCase() === lower) || c.required.some((x) => x.toLowerCase() === lower) || c.protected.some((x) => x.toLowerCase() === lower);
}

export function classificationOf(m: CompiledModel, column: string): string | null {
  const lower = column.toLowerCase();
  for (const [col, tag] of Object.entries(m.config.classification)) if (col.toLowerCase() === lower) return tag;
  return null;
}

export function blastEntry(changeId: string, origin: { model: string; column?: string }, tracedOn: "head" | "base", rowLevel: boolean, consumers: Consumer[]): BlastRadiusEntry {
  const models = [...new Set(consumers.map((c) => c.model))].sort();
  const maxDepth = consumers.reduce((d, c) => Math.max(d, c.depth), 0);
  return { changeId, origin, tracedOn, rowLevel, consumers, models, maxDepth };
}

/** The chain of columns from an entry's origin to one of its consumers, following `via`. */
export function pathTo(entry: BlastRadiusEntry, model: string, column: string): { model: string; column: string }[] | undefined {
  if (entry.rowLevel || entry.origin.column === undefined) return undefined;
  const byKey = new Map(entry.consumers.map((c) => [colKey(c.model, c.column), c]));
  const path: { model: string; column: string }[] = [];
  let cur = byKey.get(colKey(model, column));
  const originKey = colKey(entry.origin.model, entry.origin.column);
  let guard = 0;
  while (cur && guard++ < 10_000) {
    path.unshift({ model: cur.model, column: cur.column });
    const viaKey = cur.via.toLowerCase();
    if (viaKey === originKey) {
      path.unshift({ model: entry.origin.model, column: entry.origin.column });
      return path;
    }
    cur = byKey.get(viaKey);
  }
  return undefined;
}
