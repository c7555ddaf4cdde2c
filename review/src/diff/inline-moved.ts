/**
 * Seeing through a moved CTE. A PR that moves a CTE into a model of its own changes no value and no
 * row, but the reading model's fingerprints and lineage now name the new model where they named the
 * CTE's expressions and the tables it read, and its GROUP BY left with the CTE. Compared as they
 * are, every column the CTE fed would be "logic changed" and the GROUP BY "removed", with the whole
 * downstream as blast radius. The reverse move (a model folded back into a CTE of its only reader)
 * is the same on the base side.
 *
 * `MovedModels` reads one side's models as if the models only that side has (added on head, removed
 * on base) were CTEs of the models that read them: a column's fingerprint with each reference to
 * such a model's column replaced by that column's own fingerprint, its lineage followed through to
 * what that column reads, and the model's row-level clauses joined by theirs. Comparing those is
 * comparing what the SQL computes, wherever the PR put it. A PR that adds a model and starts
 * reading it for new logic still differs from the base, so nothing real is hidden. On the base
 * side it also writes a renamed model's new name, so a reader updated for the rename is unchanged.
 */
import { ARITHMETIC_CHAINS, LOGICAL, MIRRORED, relationsIdentity, SYMMETRIC } from "../../../engine/src/analyze/fingerprint-order.js";
import { composeTransform, moreDirect } from "../../../engine/src/analyze/lineage-path.js";
import type { CompiledModel, CompiledProject, LineageSource, RowLevel, Transform } from "../../../engine/src/compile/types.js";
import { ROW_LEVEL_CLAUSES } from "./keys.js";

type ClauseKey = keyof RowLevel["fingerprints"];
const CLAUSE_KEYS = Object.keys(ROW_LEVEL_CLAUSES) as ClauseKey[];
/** One clause node per entry of a row-level fingerprint (the analyzer joins them so, sorted). */
export const CLAUSE_SEPARATOR = " ; ";

interface Moved {
  readonly model: CompiledModel;
  /** Lower-case name as fingerprints spell it. */
  readonly name: string;
  /** Column names, lower case, longest first (a name that is a prefix of another is tried last). */
  readonly columns: readonly string[];
}

export class MovedModels {
  private readonly moved = new Map<string, Moved>();
  private readonly columnFps = new Map<string, string>();
  private readonly identities = new Map<string, string>();
  private readonly visiting = new Set<string>();

  /** Renamed models, lower case: base name → head name. */
  private readonly renames = new Map<string, string>();
  /** Renamed columns (base side), lower case: `head model name` → base column → head column. */
  private readonly columnRenames = new Map<string, Map<string, string>>();
  /** Base model names (lower case) whose columns were renamed. */
  private readonly renamedIn = new Set<string>();

  /**
   * `names`: the models only this side has (head: added; base: removed). `renamed` (base side):
   * models paired under a new name, base name → head name; their readers' fingerprints use the new name.
   */
  constructor(
    project: CompiledProject,
    names: Iterable<string>,
    renamed: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const [from, to] of renamed) this.renames.set(from.toLowerCase(), to.toLowerCase());
    for (const name of names) {
      const model = project.models.get(name);
      if (model === undefined || !model.parsed) continue;
      const columns = model.columns.map((c) => c.name.toLowerCase()).sort((a, b) => b.length - a.length);
      this.moved.set(name.toLowerCase(), { model, name: name.toLowerCase(), columns });
    }
  }

  /**
   * Base side: a column the PR renamed (`model` by its head name). Its readers, updated for the new
   * name, then compare equal; a reader left on the old name fails to resolve on head and still differs.
   * Call before comparing the readers (the diff visits models upstream first).
   */
  renameColumn(model: string, baseModel: string, from: string, to: string): void {
    const key = model.toLowerCase();
    let map = this.columnRenames.get(key);
    if (map === undefined) this.columnRenames.set(key, (map = new Map()));
    map.set(from.toLowerCase(), to.toLowerCase());
    this.renamedIn.add(baseModel.toLowerCase());
    this.columnFps.clear();
    this.identities.clear();
  }

  /** The model reads one of the moved or renamed models, or a renamed column: its fingerprints and lineage need reading through. */
  reads(m: CompiledModel): boolean {
    if (this.moved.size === 0 && this.renames.size === 0 && this.renamedIn.size === 0) return false;
    for (const d of m.dependsOn) {
      const name = d.toLowerCase();
      if (this.moved.has(name) || this.renames.has(name) || this.renamedIn.has(name)) return true;
    }
    return false;
  }

  /** A column's fingerprint with every moved model's column written out (in canonical order again). */
  fingerprint(fp: string): string {
    return canonical(this.substitute(fp));
  }

  /** A column's lineage with every edge into a moved model followed to what that model's column reads. */
  sources(sources: readonly LineageSource[]): readonly LineageSource[] {
    if (!sources.some((s) => this.moved.has(s.model.toLowerCase()) || this.renamedIn.has(s.model.toLowerCase()))) return sources;
    const out = new Map<string, LineageSource>();
    const add = (s: LineageSource) => {
      const key = `${s.model}\u0000${s.column.toLowerCase()}`;
      const prev = out.get(key);
      if (prev === undefined || moreDirect(s.transform, prev.transform)) out.set(key, s);
    };
    const visit = (s: LineageSource, outer: Transform | undefined, depth: number) => {
      const m = this.moved.get(s.model.toLowerCase());
      const transform = outer === undefined ? s.transform : composeTransform(outer, s.transform);
      const col = m?.model.columns.find((c) => c.name.toLowerCase() === s.column.toLowerCase());
      if (m === undefined || col === undefined || depth > this.moved.size) {
        add({ model: s.model, column: this.columnName(s.model, s.column), transform });
        return;
      }
      for (const inner of col.sources) visit(inner, transform, depth + 1);
    };
    for (const s of sources) visit(s, undefined, 0);
    return [...out.values()];
  }

  /** The model's row-level fingerprints joined by those of the moved models it reads (transitively). */
  rows(m: CompiledModel): RowLevel["fingerprints"] {
    const lists = new Map<ClauseKey, string[]>();
    const seen = new Set<string>();
    const collect = (model: CompiledModel) => {
      for (const key of CLAUSE_KEYS) {
        const fp = model.rowLevel.fingerprints[key];
        if (fp === undefined) continue;
        let list = lists.get(key);
        if (list === undefined) lists.set(key, (list = []));
        for (const part of fp.split(CLAUSE_SEPARATOR)) {
          const text = canonical(this.substitute(part));
          // A GROUP BY clause is a set of keys (analyze-model.ts sorts them).
          list.push(key === "groupBy" ? [...new Set(splitTopLevel(text, ", "))].sort().join(", ") : text);
        }
      }
      for (const d of model.dependsOn) {
        const moved = this.moved.get(d.toLowerCase());
        if (moved === undefined || seen.has(moved.name)) continue;
        seen.add(moved.name);
        collect(moved.model);
      }
    };
    collect(m);
    const out: { -readonly [K in ClauseKey]?: string } = {};
    // The relations read FROM are a set (as the analyzer writes them).
    for (const [key, list] of lists) out[key] = (key === "from" ? [...new Set(list)] : list).sort().join(CLAUSE_SEPARATOR);
    return out;
  }

  /** A base column's name under the PR's column renames. */
  private columnName(model: string, column: string): string {
    const lower = model.toLowerCase();
    return this.columnRenames.get(this.renames.get(lower) ?? lower)?.get(column.toLowerCase()) ?? column;
  }

  /**
   * `text` with renamed models and columns under their head names, each `moved.column` replaced by
   * that column's fingerprint, and each bare `moved` (a join) by what it reads.
   */
  private substitute(text: string): string {
    let out = text;
    for (const [from, to] of this.renames) out = replaceName(out, from, to);
    for (const [model, columns] of this.columnRenames) for (const [from, to] of columns) out = replaceName(out, `${model}.${from}`, `${model}.${to}`);
    for (const m of this.moved.values()) {
      if (!out.includes(m.name)) continue;
      let result = "";
      let from = 0;
      for (let at = out.indexOf(m.name); at !== -1; at = out.indexOf(m.name, at + 1)) {
        if (at < from || !startsName(out, at)) continue;
        const after = at + m.name.length;
        if (out.charCodeAt(after) === 46 /* . */) {
          const column = m.columns.find((c) => out.startsWith(c, after + 1) && !isNameChar(out.charCodeAt(after + 1 + c.length)));
          if (column === undefined) continue;
          result += out.slice(from, at) + this.columnFp(m, column);
          from = after + 1 + column.length;
        } else if (!isNameChar(out.charCodeAt(after))) {
          result += out.slice(from, at) + this.identity(m);
          from = after;
        }
      }
      out = result + out.slice(from);
    }
    return out;
  }

  private columnFp(m: Moved, column: string): string {
    const key = `${m.name}.${column}`;
    const known = this.columnFps.get(key);
    if (known !== undefined) return known;
    const col = m.model.columns.find((c) => c.name.toLowerCase() === column);
    // A model that reads itself through other moved models (a cycle) is left as written.
    if (col === undefined || this.visiting.has(key)) return key;
    this.visiting.add(key);
    const fp = this.substitute(col.fingerprint);
    this.visiting.delete(key);
    this.columnFps.set(key, fp);
    return fp;
  }

  /** What the analyzer calls a CTE in a join's fingerprint: the models its columns read. */
  private identity(m: Moved): string {
    const known = this.identities.get(m.name);
    if (known !== undefined) return known;
    const models = new Set<string>();
    for (const c of this.sources(m.model.columns.flatMap((c) => c.sources))) models.add(c.model);
    const id = models.size > 0 ? relationsIdentity(models) : m.name;
    this.identities.set(m.name, id);
    return id;
  }
}

/** Chains whose terms the analyzer sorts. */
const CHAINS = [...LOGICAL, ...ARITHMETIC_CHAINS].map((op) => ` ${op} `);
/** Comparisons whose operands the analyzer orders: symmetric ones swap, the others mirror. */
const SWAPPED: ReadonlyMap<string, string> = new Map([...[...SYMMETRIC].map((op) => [` ${op} `, ` ${op} `] as const), ...Object.entries(MIRRORED).map(([op, m]) => [` ${op} `, ` ${m} `] as const)]);

/**
 * A fingerprint put back in the analyzer's canonical order after a substitution changed the text
 * the order was decided on: in every parenthesised group, a logical chain's terms sorted, a
 * comparison's operands ordered. The analyzer's own fingerprints come out unchanged.
 */
export function canonical(fp: string): string {
  return fp.includes("(") ? canonicalRange(fp, 0, fp.length) : fp;
}

function canonicalRange(s: string, from: number, to: number): string {
  let out = "";
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 39 /* ' */) {
      const j = quoteEnd(s, i, to);
      out += s.slice(i, j);
      i = j;
    } else if (c === 40 /* ( */) {
      const j = groupEnd(s, i, to);
      if (j === to) return out + s.slice(i, to);
      out += `(${canonicalGroup(canonicalRange(s, i + 1, j))})`;
      i = j + 1;
    } else {
      out += s[i];
      i++;
    }
  }
  return out;
}

function canonicalGroup(content: string): string {
  // An argument or IN list: its items are groups of their own.
  if (splitTopLevel(content, ", ").length > 1) return content;
  // `x BETWEEN a AND b` and a window frame's `BETWEEN ... AND ...` are not chains.
  if (splitTopLevel(content, " BETWEEN ").length === 1) {
    for (const sep of CHAINS) {
      const terms = splitTopLevel(content, sep);
      if (terms.length > 1) return terms.sort().join(sep);
    }
  }
  for (const [op, mirrored] of SWAPPED) {
    const sides = splitTopLevel(content, op);
    if (sides.length !== 2) continue;
    return sides[1] < sides[0] ? `${sides[1]}${mirrored}${sides[0]}` : content;
  }
  return content;
}

/** `text` split at each `sep` outside quotes and brackets. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) i = quoteEnd(text, i, text.length) - 1;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The index just past the string literal that opens at `i` (`''` is a quote inside it). */
function quoteEnd(s: string, i: number, to: number): number {
  for (let j = i + 1; j < to; j++) {
    if (s.charCodeAt(j) !== 39) continue;
    if (s.charCodeAt(j + 1) === 39) j++;
    else return j + 1;
  }
  return to;
}

/** The index of the `)` that closes the `(` at `i` (or `to` when none does). */
function groupEnd(s: string, i: number, to: number): number {
  let depth = 0;
  for (let j = i; j < to; j++) {
    const c = s.charCodeAt(j);
    if (c === 39) j = quoteEnd(s, j, to) - 1;
    else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return j;
  }
  return to;
}

/** `text` with the model name `from` (standing alone, or before `.column`) written `to`. */
function replaceName(text: string, from: string, to: string): string {
  if (!text.includes(from)) return text;
  let out = "";
  let last = 0;
  for (let at = text.indexOf(from); at !== -1; at = text.indexOf(from, at + from.length)) {
    if (!startsName(text, at) || isNameChar(text.charCodeAt(at + from.length))) continue;
    out += text.slice(last, at) + to;
    last = at + from.length;
  }
  return out + text.slice(last);
}

/** A name starts at `at`: it is not the tail of a longer or dotted name (`stg_orders`, `raw.orders`). */
function startsName(text: string, at: number): boolean {
  if (at === 0) return true;
  const c = text.charCodeAt(at - 1);
  return !isNameChar(c) && c !== 46;
}

/** Characters of an unquoted name in a fingerprint. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
