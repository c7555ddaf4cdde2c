import type { Diagnostic, DiagnosticSpan } from "../diagnostics/diagnostic.js";
import { createDiagnostic } from "../diagnostics/registry.js";
import { type NameMatcher, createNameMatcher } from "./name-matcher.js";

/** What the graph needs to know about one model. */
export interface GraphNode {
  readonly name: string;
  readonly file: string;
  /** Explicit `depends_on` from the sidecar (as written). */
  readonly dependsOn: readonly string[];
  readonly dependsOnSpan?: DiagnosticSpan;
  /** Where each `depends_on` entry is written, by its index in `dependsOn` (a finding on one entry lands on its own line). */
  readonly dependsOnSpans?: readonly (DiagnosticSpan | undefined)[];
  /**
   * Single-part table names the SQL reads (lower-case), with where they are: a `span`, or just
   * `line`/`col` in the node's `file` (then the span is made only for a finding, so a caller can
   * pass the parse's `{name, line, col}` references as they are).
   */
  readonly bareRefs: readonly { readonly name: string; readonly span?: DiagnosticSpan; readonly line?: number; readonly col?: number }[];
  /** Multi-part names the SQL reads ("schema.table", lower-case). */
  readonly qualifiedRefs: readonly string[];
}

export interface GraphOptions {
  /**
   * Whether a single-part name that is no model is a source whose schema is known (a seed's table,
   * a schema file's, the warehouse's). Given, every other such name is R004; without it (a graph of
   * names only) they are external sources.
   */
  readonly isKnownSource?: (lowerName: string) => boolean;
}

export interface ModelGraph {
  /** name → dependencies (models), merged SQL + depends_on, sorted. */
  readonly deps: ReadonlyMap<string, readonly string[]>;
  /** name → SQL-derived model dependencies only (for D011), sorted. */
  readonly sqlDeps: ReadonlyMap<string, readonly string[]>;
  /** name → external sources read, sorted. */
  readonly external: ReadonlyMap<string, readonly string[]>;
  /** name → direct downstream models, sorted. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** Execution layers; models caught in a cycle (and what depends on them) are in none. */
  readonly layers: readonly (readonly string[])[];
  /** name → layer index. */
  readonly layerOf: ReadonlyMap<string, number>;
  /** Models in or downstream of a cycle: not analysed. */
  readonly blocked: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Build the model DAG: a bare `FROM other_model` is an edge, 2- and 3-part names are external
 * sources, `depends_on` is merged in. Unknown `depends_on` entries and bare references that look
 * like a misspelt model are R004 with a did-you-mean, as is a bare reference to no model and no
 * known source when `options.isKnownSource` is given; cycles are R003 with the cycle path, reported
 * on every model of the cycle. Layers come from Kahn's algorithm; ties are broken by name so the
 * order is deterministic.
 */
export function buildModelGraph(nodes: readonly GraphNode[], options: GraphOptions = {}): ModelGraph {
  const diagnostics: Diagnostic[] = [];
  const names = new Set<string>();
  const byLower = new Map<string, string>();
  for (const n of nodes) {
    names.add(n.name);
    byLower.set(n.name.toLowerCase(), n.name);
  }

  // didYouMean over every model name, built on the first miss and memoised (name-matcher.ts).
  let matcher: NameMatcher | undefined;
  let renamedStems: Map<string, GraphNode> | undefined;
  const guessModel = (input: string): string | undefined => (matcher ??= createNameMatcher(names))(input);

  const deps = new Map<string, string[]>();
  const sqlDeps = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  // Indexed loops: this runs once per compile, largely before it is optimized, where for-of
  // allocates an iterator result per element.
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    // Per model a handful of names: lists with a scan for duplicates (a Set only past a few dozen).
    const fromSql = new NameList();
    const ext = new NameList();
    const qualified = n.qualifiedRefs;
    for (let k = 0; k < qualified.length; k++) ext.add(qualified[k]);
    const bare = n.bareRefs;
    for (let k = 0; k < bare.length; k++) {
      const ref = bare[k];
      const model = byLower.get(ref.name.toLowerCase());
      if (model !== undefined) {
        if (model !== n.name) fromSql.add(model);
        else
          diagnostics.push(
            createDiagnostic("R003", `model \`${n.name}\` reads itself`, {
              model: n.name,
              span: refSpan(n, ref),
              suggestion: "a model cannot read its own output; read the upstream model or source it is built from",
            }),
          );
        continue;
      }
      // A table the project's sources declare (a seed's CREATE TABLE, a schema file) is that table,
      // even when a model's name is one letter away from it.
      const known = options.isKnownSource?.(ref.name);
      // The name of a model file whose sidecar renames the model (`name = "payments"` beside
      // stg_payments.sql): "add models/stg_payments.sql" would send the reader to a file that is there.
      const renamed = known === true ? undefined : (renamedStems ??= stemsOfRenamed(nodes)).get(ref.name);
      if (renamed !== undefined && renamed.name !== n.name) {
        diagnostics.push(
          createDiagnostic("R004", `unknown model \`${ref.name}\`: ${renamed.file} defines the model \`${renamed.name}\` (its \`name\` key renames it)`, {
            model: n.name,
            span: refSpan(n, ref),
            suggestion: `reference \`${renamed.name}\`, or remove the \`name\` key so that the model is \`${ref.name}\` again`,
          }),
        );
        ext.add(ref.name);
        continue;
      }
      const guess = known === true ? undefined : guessModel(ref.name);
      if (guess !== undefined && guess !== n.name) {
        diagnostics.push(
          createDiagnostic("R004", `unknown model \`${ref.name}\` (did you mean \`${guess}\`?)`, {
            model: n.name,
            span: refSpan(n, ref),
            suggestion: `reference \`${guess}\`, or qualify \`${ref.name}\` as schema.table if it is an external table`,
          }),
        );
        continue;
      }
      // A single name that no model, no close model name and no known source answers to: in a
      // project it is a typo or a table nobody declared, and the warehouse rejects it at run time.
      if (known === false) {
        diagnostics.push(
          createDiagnostic("R004", `unknown model \`${ref.name}\`: no model or known source has that name`, {
            model: n.name,
            span: refSpan(n, ref),
            suggestion: `add models/${ref.name}.sql, or, if it is a table outside the project, qualify it as schema.table`,
          }),
        );
      }
      // Still what the model reads from outside: lineage names it, and a review can tell a reader
      // of a model the PR removes from a typo.
      ext.add(ref.name);
    }
    const sqlSorted = fromSql.sorted();
    const merged = new NameList(sqlSorted);
    const declared = n.dependsOn;
    for (let k = 0; k < declared.length; k++) {
      const d = declared[k];
      const model = byLower.get(d.toLowerCase());
      if (model === undefined) {
        const guess = guessModel(d);
        diagnostics.push(
          createDiagnostic("R004", `depends_on names unknown model \`${d}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`, {
            model: n.name,
            span: n.dependsOnSpans?.[k] ?? n.dependsOnSpan ?? { file: n.file, line: 1, col: 1 },
            suggestion: guess ? `use \`${guess}\`` : "remove it from depends_on, or add the model",
          }),
        );
        continue;
      }
      if (model !== n.name) merged.add(model);
    }
    deps.set(n.name, merged.sorted());
    sqlDeps.set(n.name, sqlSorted);
    external.set(n.name, ext.sorted());
  }

  // forEach, not for-of over entries: no [key, value] pair per model.
  const downstream = new Map<string, string[]>();
  for (let i = 0; i < nodes.length; i++) downstream.set(nodes[i].name, []);
  deps.forEach((ds, name) => {
    for (let k = 0; k < ds.length; k++) downstream.get(ds[k])?.push(name);
  });
  downstream.forEach(sortNames);

  // Kahn's algorithm, layer by layer.
  const indegree = new Map<string, number>();
  deps.forEach((ds, name) => indegree.set(name, ds.length));
  const layers: string[][] = [];
  const layerOf = new Map<string, number>();
  let current: string[] = [];
  names.forEach((n) => {
    if (indegree.get(n) === 0) current.push(n);
  });
  sortNames(current);
  while (current.length > 0) {
    const layerIndex = layers.length;
    layers.push(current);
    const next: string[] = [];
    for (let i = 0; i < current.length; i++) {
      const name = current[i];
      layerOf.set(name, layerIndex);
      const ds = downstream.get(name);
      if (ds === undefined) continue;
      for (let k = 0; k < ds.length; k++) {
        const d = ds[k];
        const left = (indegree.get(d) ?? 0) - 1;
        indegree.set(d, left);
        if (left === 0) next.push(d);
      }
    }
    current = sortNames(next);
  }

  const blocked = new Set<string>();
  if (layerOf.size < names.size) {
    for (const n of names) if (!layerOf.has(n)) blocked.add(n);
    const fileOf = new Map(nodes.map((n) => [n.name, n]));
    for (const cycle of findCycles(blocked, deps)) {
      // One message string for the whole cycle, shared by its members' findings (a chain of 15,000 models is one cycle).
      const message = `dependency cycle: ${[...cycle, cycle[0]].map((c) => `\`${c}\``).join(" → ")}`;
      const members = new Set(cycle);
      for (let i = 0; i < cycle.length; i++) {
        const member = cycle[i];
        const node = fileOf.get(member);
        diagnostics.push(
          createDiagnostic("R003", message, {
            model: member,
            span: (node && cycleEdgeSpan(node, cycle[(i + 1) % cycle.length], members, byLower)) ?? { file: node?.file ?? member, line: 1, col: 1 },
            suggestion: "break the cycle: one of these models must stop reading another",
          }),
        );
      }
    }
  }

  return { deps, sqlDeps, external, downstream, layers, layerOf, blocked, diagnostics };
}

/**
 * Distinct names in first-seen order: a scan for duplicates while the list is short (a model reads
 * a few tables), a Set once it is not (a model reading thousands stays linear).
 */
class NameList {
  private readonly items: string[];
  private seen: Set<string> | undefined = undefined;

  /** Starts as a copy of `from` (already distinct). */
  constructor(from?: readonly string[]) {
    this.items = from === undefined || from.length === 0 ? [] : from.slice();
    if (this.items.length > NAME_LIST_SCAN) this.seen = new Set(this.items);
  }

  add(name: string): void {
    if (this.seen !== undefined) {
      if (this.seen.has(name)) return;
      this.seen.add(name);
      this.items.push(name);
      return;
    }
    if (this.items.includes(name)) return;
    this.items.push(name);
    if (this.items.length > NAME_LIST_SCAN) this.seen = new Set(this.items);
  }

  /** The names sorted, in an array of their exact length (graph lists live for the whole compile). */
  sorted(): string[] {
    const items = this.items;
    if (items.length === 0) return [];
    return sortNames(items).slice();
  }
}

/**
 * `names.sort()` in place: the same order (UTF-16 code units), without the sort's work copy for
 * the one- and two-element lists most models have.
 */
function sortNames(names: string[]): string[] {
  if (names.length < 2) return names;
  if (names.length === 2) {
    if (names[1] < names[0]) {
      const t = names[0];
      names[0] = names[1];
      names[1] = t;
    }
    return names;
  }
  return names.sort();
}

const NAME_LIST_SCAN = 24;

/** Where a bare reference is: its span, else its line and column in the node's file. */
function refSpan(n: GraphNode, ref: GraphNode["bareRefs"][number]): DiagnosticSpan | undefined {
  if (ref.span !== undefined || ref.line === undefined) return ref.span;
  // The name as the parse saw it (lower-case): as long as what is written unless it was quoted.
  const col = ref.col ?? 1;
  return { file: n.file, line: ref.line, col, endLine: ref.line, endCol: col + ref.name.length };
}

/** Lower-case file stem → its model, for the models whose name is not their file's stem. */
function stemsOfRenamed(nodes: readonly GraphNode[]): Map<string, GraphNode> {
  const out = new Map<string, GraphNode>();
  for (const n of nodes) {
    const base = n.file.slice(n.file.lastIndexOf("/") + 1);
    const stem = base.replace(/\.sql$/i, "").toLowerCase();
    if (stem !== n.name.toLowerCase()) out.set(stem, n);
  }
  return out;
}

/**
 * Where a model of a cycle reads the next one: the reference in its SQL (or, for an SCC walked out
 * of order, one to another member), else its `depends_on`. Undefined when neither is known.
 */
function cycleEdgeSpan(n: GraphNode, next: string, members: ReadonlySet<string>, byLower: ReadonlyMap<string, string>): DiagnosticSpan | undefined {
  const reads = (test: (model: string) => boolean) =>
    n.bareRefs.find((r) => {
      const model = byLower.get(r.name.toLowerCase());
      return model !== undefined && model !== n.name && test(model);
    });
  const ref = reads((m) => m === next) ?? reads((m) => members.has(m));
  return (ref && refSpan(n, ref)) ?? n.dependsOnSpan;
}

/** Strongly connected components with more than one member (or a self-loop) among `within`, each as a cycle path in dependency order. Iterative Tarjan: no recursion limit. */
function findCycles(within: ReadonlySet<string>, deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const root of [...within].sort()) {
    if (index.has(root)) continue;
    // Each frame keeps its edges (filtered once, not on every return to it: a model reading thousands
    // of blocked models was quadratic).
    const edgesOf = (node: string) => (deps.get(node) ?? []).filter((d) => within.has(d));
    const work: { node: string; i: number; edges: string[] }[] = [{ node: root, i: 0, edges: edgesOf(root) }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = frame.edges;
      if (frame.i < edges.length) {
        const next = edges[frame.i++];
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, i: 0, edges: edgesOf(next) });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && (deps.get(component[0]) ?? []).includes(component[0]);
      if (component.length > 1 || selfLoop) cycles.push(orderCycle(component, deps));
    }
  }
  return cycles;
}

/** Put a component's members in an order that follows dependency edges, starting from the smallest name. */
function orderCycle(component: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set(path);
  let at = start;
  for (;;) {
    const next = (deps.get(at) ?? []).filter((d) => members.has(d) && !seen.has(d)).sort()[0];
    if (next === undefined) break;
    path.push(next);
    seen.add(next);
    at = next;
  }
  return path;
}
