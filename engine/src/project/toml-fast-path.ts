import type { ShallowKey, TomlKeyLocation, TomlLocator, TomlPath, TomlPosition } from "./toml-locator.js";

/**
 * A one-pass reader for the small, plain TOML that sidecars, `_defaults.toml` and contracts
 * almost always are: it returns the data smol-toml would return AND the key positions
 * locateTomlKeys would record, in one scan, or `undefined` as soon as the text leaves its subset
 * (the caller then uses smol-toml and the scanning locator, which also report the errors).
 *
 * The subset, each part checked so that smol-toml accepts it and returns the same values:
 * - lines: blank, `# comment`, `[name]`, `[[name]]` (one bare key), `key = value` (one bare key);
 *   a comment may follow a header or a value;
 * - values: single-line `"basic"` strings without escapes, `'literal'` strings, unsigned decimal
 *   integers without underscores or leading zeros (at most 15 digits), `true`, `false`, and
 *   arrays of those (over several lines too, trailing comma allowed, no comments inside);
 * - no `\r`, no control characters, no BOM, no key defined twice, no table redefined.
 * Anything else (dotted or quoted keys, escapes, floats, signs, dates, inline tables, nested
 * arrays, multi-line strings, ...) returns undefined.
 *
 * Tables are null-prototype objects, as smol-toml makes them.
 */
export interface FastToml {
  readonly data: Record<string, unknown>;
  readonly locator: TomlLocator;
}

const NL = 10;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const QUOTE = 34;
const APOS = 39;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const DEL = 0x7f;
/** Paths in the subset are at most `[[t]]` → index → key → array element. */
const MAX_PARTS = 4;
/** Up to this many recorded keys a lookup scans them; past it, an index is built once. */
const INDEX_FROM_RECORDS = 64;

/** [A-Za-z0-9_-] */
function isBareCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Tab, or printable (TOML forbids other control characters in strings and comments). */
function isTextCode(c: number): boolean {
  return c === TAB || (c >= SPACE && c !== DEL);
}

/**
 * Recorded positions in text order, packed: per record four path parts (paths here have at most
 * four) and five numbers (depth, key line, key col, value line, value col).
 */
class FlatPositions implements TomlLocator {
  readonly parts: (string | undefined)[] = [];
  readonly nums: number[] = [];

  add(depth: number, p0: string, p1: string | undefined, p2: string | undefined, p3: string | undefined, kl: number, kc: number, vl: number, vc: number): void {
    this.parts.push(p0, p1, p2, p3);
    this.nums.push(depth, kl, kc, vl, vc);
  }

  /** Path key (parts joined by NUL, as locateTomlKeys keys them) → record, for documents too long to scan per lookup. */
  private index: Map<string, number> | undefined;

  private slot(path: TomlPath, n: number): number {
    if (n === 0 || n > MAX_PARTS) return -1;
    const a = String(path[0]);
    const b = n > 1 ? String(path[1]) : undefined;
    const c = n > 2 ? String(path[2]) : undefined;
    const d = n > 3 ? String(path[3]) : undefined;
    const { parts, nums } = this;
    const count = nums.length / 5;
    // A contract of thousands of columns asks one location per column: no scan per lookup there.
    if (count > INDEX_FROM_RECORDS) {
      const index = this.indexed();
      const key = n === 1 ? a : n === 2 ? `${a}\0${b}` : n === 3 ? `${a}\0${b}\0${c}` : `${a}\0${b}\0${c}\0${d}`;
      return index.get(key) ?? -1;
    }
    for (let i = 0; i < count; i++) {
      const p = i * 4;
      if (nums[i * 5] === n && parts[p] === a && parts[p + 1] === b && parts[p + 2] === c && parts[p + 3] === d) return i;
    }
    return -1;
  }

  private indexed(): Map<string, number> {
    if (this.index !== undefined) return this.index;
    const index = new Map<string, number>();
    const { parts, nums } = this;
    const count = nums.length / 5;
    for (let i = 0; i < count; i++) {
      let key = parts[i * 4] as string;
      for (let k = 1; k < nums[i * 5]; k++) key = `${key}\0${parts[i * 4 + k]}`;
      if (!index.has(key)) index.set(key, i);
    }
    this.index = index;
    return index;
  }

  private location(slot: number): TomlKeyLocation {
    const k = slot * 5;
    const nums = this.nums;
    return { key: { line: nums[k + 1], col: nums[k + 2] }, value: { line: nums[k + 3], col: nums[k + 4] } };
  }

  find(path: TomlPath): TomlKeyLocation | undefined {
    const slot = this.slot(path, path.length);
    return slot < 0 ? undefined : this.location(slot);
  }

  private nearest(path: TomlPath): TomlKeyLocation | undefined {
    for (let n = path.length; n > 0; n--) {
      const slot = this.slot(path, n);
      if (slot >= 0) return this.location(slot);
    }
    return undefined;
  }

  keyAt(path: TomlPath): TomlPosition {
    return this.nearest(path)?.key ?? { line: 1, col: 1 };
  }

  valueAt(path: TomlPath): TomlPosition {
    return this.find(path)?.value ?? this.nearest(path)?.key ?? { line: 1, col: 1 };
  }

  shallowKeys(): ShallowKey[] {
    const out: ShallowKey[] = [];
    this.forEachShallowKey((top, sub, line, col) => out.push(sub === undefined ? { top, line, col } : { top, sub, line, col }));
    return out;
  }

  forEachShallowKey(visit: (top: string, sub: string | undefined, line: number, col: number) => void): void {
    const { parts, nums } = this;
    const count = nums.length / 5;
    for (let i = 0; i < count; i++) {
      const k = i * 5;
      if (nums[k] <= 2) visit(parts[i * 4] as string, parts[i * 4 + 1], nums[k + 1], nums[k + 2]);
    }
  }
}

/** Thrown (and caught in parseSimpleToml) when the text leaves the subset. */
const OUTSIDE = new Error("outside the fast-path subset");

/** The data and key positions of a TOML text in the subset above, else undefined. */
export function parseSimpleToml(text: string): FastToml | undefined {
  try {
    return new FastReader(text).document();
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

class FastReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly positions = new FlatPositions();
  /** Top-level names opened by `[[name]]` (the only ones a later header may name again). */
  private readonly arrayTables: string[] = [];

  constructor(private readonly text: string) {}

  private code(): number {
    const i = this.pos;
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  private skipSpaces(): void {
    for (let c = this.code(); c === SPACE || c === TAB; c = this.code()) this.pos++;
  }

  /** A comment runs to the end of its line; its characters must be text. */
  private skipComment(): void {
    const n = this.text.length;
    let i = this.pos + 1;
    for (; i < n; i++) {
      const c = this.text.charCodeAt(i);
      if (c === NL) break;
      if (!isTextCode(c)) throw OUTSIDE;
    }
    this.pos = i;
  }

  /** After a header or a value: spaces, an optional comment, then a newline (consumed) or the end. */
  private endOfLine(): void {
    this.skipSpaces();
    let c = this.code();
    if (c === HASH) {
      this.skipComment();
      c = this.code();
    }
    if (c === -1) return;
    if (c !== NL) throw OUTSIDE;
    this.newline();
  }

  private newline(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  document(): FastToml {
    const text = this.text;
    if (text.charCodeAt(0) === 0xfeff) throw OUTSIDE;
    const root: Record<string, unknown> = Object.create(null);
    /** The table keys go into, and its path parts (none for the root). */
    let table = root;
    let t0: string | undefined;
    let t1: string | undefined;
    while (this.pos < text.length) {
      this.skipSpaces();
      const c = this.code();
      if (c === -1) break;
      if (c === NL) {
        this.newline();
        continue;
      }
      if (c === HASH) {
        this.skipComment();
        continue;
      }
      if (c === LBRACKET) {
        const header = this.header(root);
        table = header.table;
        t0 = header.p0;
        t1 = header.p1;
        this.endOfLine();
        continue;
      }
      this.keyValue(table, t0, t1);
      this.endOfLine();
    }
    return { data: root, locator: this.positions };
  }

  private bareKey(): string {
    const start = this.pos;
    while (isBareCode(this.code())) this.pos++;
    if (this.pos === start) throw OUTSIDE;
    const key = this.text.slice(start, this.pos);
    // smol-toml defines these specially; leave them to it.
    if (key === "__proto__" || key === "constructor") throw OUTSIDE;
    return key;
  }

  /** `[name]` or `[[name]]`: the table it opens, recorded as locateTomlKeys records headers. */
  private header(root: Record<string, unknown>): { table: Record<string, unknown>; p0: string; p1: string | undefined } {
    const line = this.line;
    const col = this.pos - this.lineStart + 1;
    this.pos++;
    const isArray = this.code() === LBRACKET;
    if (isArray) this.pos++;
    this.skipSpaces();
    const name = this.bareKey();
    this.skipSpaces();
    if (this.code() !== RBRACKET) throw OUTSIDE;
    this.pos++;
    if (isArray) {
      if (this.code() !== RBRACKET) throw OUTSIDE;
      this.pos++;
    }
    const table: Record<string, unknown> = Object.create(null);
    const existing = root[name];
    if (!isArray) {
      if (existing !== undefined) throw OUTSIDE;
      root[name] = table;
      this.positions.add(1, name, undefined, undefined, undefined, line, col, line, col);
      return { table, p0: name, p1: undefined };
    }
    let list = existing as Record<string, unknown>[] | undefined;
    if (list === undefined) {
      this.arrayTables.push(name);
      list = [];
      root[name] = list;
      this.positions.add(1, name, undefined, undefined, undefined, line, col, line, col);
    } else if (!this.arrayTables.includes(name)) {
      throw OUTSIDE;
    }
    const index = String(list.length);
    list.push(table);
    this.positions.add(2, name, index, undefined, undefined, line, col, line, col);
    return { table, p0: name, p1: index };
  }

  private keyValue(table: Record<string, unknown>, t0: string | undefined, t1: string | undefined): void {
    const keyLine = this.line;
    const keyCol = this.pos - this.lineStart + 1;
    const key = this.bareKey();
    if (table[key] !== undefined) throw OUTSIDE;
    this.skipSpaces();
    if (this.code() !== EQUALS) throw OUTSIDE;
    this.pos++;
    this.skipSpaces();
    const depth = t0 === undefined ? 1 : t1 === undefined ? 2 : 3;
    const p0 = t0 ?? key;
    const p1 = t0 === undefined ? undefined : (t1 ?? key);
    const p2 = depth === 3 ? key : undefined;
    this.positions.add(depth, p0, p1, p2, undefined, keyLine, keyCol, this.line, this.pos - this.lineStart + 1);
    if (this.code() !== LBRACKET) {
      table[key] = this.scalar(false);
      return;
    }
    table[key] = this.array(depth + 1, p0, p1, p2, key);
  }

  /** `[a, b, ...]` of scalars; each element is recorded at its first character. */
  private array(depth: number, p0: string, p1: string | undefined, p2: string | undefined, key: string): unknown[] {
    if (depth > MAX_PARTS) throw OUTSIDE;
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.skipArrayBlank();
      if (this.code() === RBRACKET) {
        this.pos++;
        return out;
      }
      const index = String(out.length);
      const line = this.line;
      const col = this.pos - this.lineStart + 1;
      if (depth === 2) this.positions.add(2, p0, index, undefined, undefined, line, col, line, col);
      else if (depth === 3) this.positions.add(3, p0, p1 ?? key, index, undefined, line, col, line, col);
      else this.positions.add(4, p0, p1, p2 ?? key, index, line, col, line, col);
      out.push(this.scalar(true));
      this.skipArrayBlank();
      const c = this.code();
      if (c === COMMA) this.pos++;
      else if (c !== RBRACKET) throw OUTSIDE;
    }
  }

  /** Spaces and newlines between array elements (comments there are left to smol-toml). */
  private skipArrayBlank(): void {
    for (;;) {
      const c = this.code();
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === NL) this.newline();
      else return;
    }
  }

  private scalar(inArray: boolean): unknown {
    const c = this.code();
    if (c === QUOTE || c === APOS) return this.string(c);
    const start = this.pos;
    let value: unknown;
    if (c === 116 /* t */ && this.text.startsWith("true", start)) {
      this.pos += 4;
      value = true;
    } else if (c === 102 /* f */ && this.text.startsWith("false", start)) {
      this.pos += 5;
      value = false;
    } else {
      // smol-toml reads `dddd-dd-...` as a date and `dd:...` as a time before trying a number.
      if (this.text.charCodeAt(start + 4) === 45 && this.text.charCodeAt(start + 7) === 45) throw OUTSIDE;
      if (this.text.charCodeAt(start + 2) === 58) throw OUTSIDE;
      let d = c;
      while (d >= 48 && d <= 57) {
        this.pos++;
        d = this.code();
      }
      const digits = this.pos - start;
      if (digits === 0 || digits > 15 || (c === 48 && digits > 1)) throw OUTSIDE;
      value = Number(this.text.slice(start, this.pos));
    }
    // The value must end here: whitespace, a comment, the line, or (in an array) `,` / `]`.
    const e = this.code();
    if (e === -1 || e === SPACE || e === TAB || e === NL || e === HASH) return value;
    if (inArray && (e === COMMA || e === RBRACKET)) return value;
    throw OUTSIDE;
  }

  /** A single-line string with no escapes (basic) or any text (literal). */
  private string(q: number): string {
    const text = this.text;
    const start = this.pos + 1;
    if (text.charCodeAt(start) === q && text.charCodeAt(start + 1) === q) throw OUTSIDE;
    const n = text.length;
    for (let i = start; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === q) {
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if ((c === BACKSLASH && q === QUOTE) || !isTextCode(c)) throw OUTSIDE;
    }
    throw OUTSIDE;
  }
}
