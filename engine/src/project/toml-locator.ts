/**
 * Where each key of a TOML document was written. smol-toml gives values, not positions, so
 * config diagnostics find the line and column of a key path by scanning the text once: table
 * headers (`[a.b]`, `[[a.b]]` with per-array indices), dotted and quoted keys, inline tables and
 * arrays (elements are indexed `0, 1, ...`), multi-line strings and comments. The scanner never
 * throws: on text it does not understand it stops recording and the caller falls back to the
 * nearest known parent (or line 1). It runs on every sidecar of a project, so positions are kept
 * in flat number arrays and objects are made only when asked for.
 */
export type TomlPath = readonly (string | number)[];

export interface TomlPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

export interface TomlKeyLocation {
  /** Where the key (or the table header) starts. */
  readonly key: TomlPosition;
  /** Where its value starts (the header for a table). */
  readonly value: TomlPosition;
}

/** A key at depth 1 or 2: `top`, or `top` + `sub` (`sub` is a digit string for an array element). */
export interface ShallowKey {
  readonly top: string;
  readonly sub?: string;
  readonly line: number;
  readonly col: number;
}

export interface TomlLocator {
  /** The exact path's location, if the scanner saw it. */
  find(path: TomlPath): TomlKeyLocation | undefined;
  /** The key of the path, or of its nearest recorded ancestor, or line 1 col 1. */
  keyAt(path: TomlPath): TomlPosition;
  /** The value of the path, or the nearest recorded ancestor's key, or line 1 col 1. */
  valueAt(path: TomlPath): TomlPosition;
  /** Every recorded key of depth 1 and 2, in text order. */
  shallowKeys(): ShallowKey[];
  /** The same without allocating: `sub` is undefined for a top-level key. */
  forEachShallowKey(visit: (top: string, sub: string | undefined, line: number, col: number) => void): void;
}

const SEP = "\u0000";
function pathKey(path: TomlPath): string {
  let key = "";
  for (let i = 0; i < path.length; i++) key = i === 0 ? String(path[i]) : `${key}${SEP}${path[i]}`;
  return key;
}
const START: TomlPosition = { line: 1, col: 1 };

/** Recorded positions: key → slot; slot → key line/col and value line/col. */
class Positions {
  readonly slots = new Map<string, number>();
  readonly keyLine: number[] = [];
  readonly keyCol: number[] = [];
  readonly valueLine: number[] = [];
  readonly valueCol: number[] = [];

  add(key: string, kl: number, kc: number, vl: number, vc: number): void {
    if (this.slots.has(key)) return;
    this.slots.set(key, this.keyLine.length);
    this.keyLine.push(kl);
    this.keyCol.push(kc);
    this.valueLine.push(vl);
    this.valueCol.push(vc);
  }

  location(slot: number): TomlKeyLocation {
    return { key: { line: this.keyLine[slot], col: this.keyCol[slot] }, value: { line: this.valueLine[slot], col: this.valueCol[slot] } };
  }
}

/** Scan a TOML text and return a locator for its key paths. */
export function locateTomlKeys(text: string): TomlLocator {
  const positions = new Positions();
  try {
    new Scanner(text, positions).document();
  } catch {
    // Defensive only: the scanner bounds-checks everything; a surprise must not crash loading.
  }
  return new Locator(positions);
}

class Locator implements TomlLocator {
  constructor(private readonly positions: Positions) {}

  find(path: TomlPath): TomlKeyLocation | undefined {
    const slot = this.positions.slots.get(pathKey(path));
    return slot === undefined ? undefined : this.positions.location(slot);
  }

  private nearest(path: TomlPath): TomlKeyLocation | undefined {
    for (let n = path.length; n > 0; n--) {
      const slot = this.positions.slots.get(pathKey(path.slice(0, n)));
      if (slot !== undefined) return this.positions.location(slot);
    }
    return undefined;
  }

  keyAt(path: TomlPath): TomlPosition {
    return this.nearest(path)?.key ?? START;
  }

  valueAt(path: TomlPath): TomlPosition {
    return this.find(path)?.value ?? this.nearest(path)?.key ?? START;
  }

  shallowKeys(): ShallowKey[] {
    const out: ShallowKey[] = [];
    this.forEachShallowKey((top, sub, line, col) => out.push(sub === undefined ? { top, line, col } : { top, sub, line, col }));
    return out;
  }

  forEachShallowKey(visit: (top: string, sub: string | undefined, line: number, col: number) => void): void {
    const p = this.positions;
    for (const [key, slot] of p.slots) {
      const first = key.indexOf(SEP);
      if (first < 0) visit(key, undefined, p.keyLine[slot], p.keyCol[slot]);
      else if (key.indexOf(SEP, first + 1) < 0) visit(key.slice(0, first), key.slice(first + 1), p.keyLine[slot], p.keyCol[slot]);
    }
  }
}

/** [A-Za-z0-9_-] */
function isBareCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

const join = (base: string, part: string | number): string => (base === "" ? String(part) : `${base}${SEP}${part}`);

const MAX_DEPTH = 256;
const NL = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;

/**
 * A one-pass scanner. Paths are kept as their map keys (parts joined by NUL) so recording a key
 * is a string concatenation, not an array copy: it runs on every sidecar of a 10k-model project.
 */
class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Resolved path key → number of `[[...]]` entries seen so far. */
  private readonly arrayCounts = new Map<string, number>();
  /** Nesting of inline arrays/tables: past MAX_DEPTH the scan stops (smol-toml rejects such files anyway). */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly out: Positions,
  ) {}

  private col(): number {
    return this.pos - this.lineStart + 1;
  }

  private code(offset = 0): number {
    const i = this.pos + offset;
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  private advance(): void {
    if (this.text.charCodeAt(this.pos) === NL) {
      this.line++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  private record(key: string, line: number, col: number, valueLine = line, valueCol = col): void {
    this.out.add(key, line, col, valueLine, valueCol);
  }

  private skipSpaces(): void {
    for (let c = this.code(); c === SPACE || c === TAB; c = this.code()) this.pos++;
  }

  /** Spaces, newlines and comments (inside arrays). */
  private skipBlank(): void {
    for (;;) {
      const c = this.code();
      if (c === SPACE || c === TAB || c === CR) this.pos++;
      else if (c === NL) this.advance();
      else if (c === HASH) this.skipToEol();
      else return;
    }
  }

  private skipToEol(): void {
    const nl = this.text.indexOf("\n", this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  document(): void {
    let current = "";
    let guard = 0;
    while (!this.eof()) {
      const before = this.pos;
      this.skipBlank();
      if (this.eof()) return;
      if (this.code() === 91 /* [ */) {
        const header = this.header();
        if (header === undefined) return;
        current = header;
      } else {
        if (!this.keyValue(current)) return;
        this.skipSpaces();
        if (this.code() === HASH) this.skipToEol();
      }
      if (this.pos === before && ++guard > 2) return;
    }
  }

  /** `[a.b]` or `[[a.b]]`; returns the resolved path key (array indices included). */
  private header(): string | undefined {
    const line = this.line;
    const col = this.col();
    const isArray = this.code(1) === 91;
    this.pos += isArray ? 2 : 1;
    this.skipSpaces();
    const keys = this.dottedKey();
    if (keys === undefined) return undefined;
    this.skipSpaces();
    if (this.code() !== 93 /* ] */) return undefined;
    this.pos++;
    if (isArray) {
      if (this.code() !== 93) return undefined;
      this.pos++;
    }
    this.skipSpaces();
    if (this.code() === HASH) this.skipToEol();
    let resolved = "";
    for (let i = 0; i < keys.length; i++) {
      resolved = join(resolved, keys[i].name);
      const isLast = i === keys.length - 1;
      if (isLast && isArray) {
        const n = this.arrayCounts.get(resolved) ?? 0;
        this.arrayCounts.set(resolved, n + 1);
        this.record(resolved, line, col);
        resolved = join(resolved, n);
        break;
      }
      const n = this.arrayCounts.get(resolved);
      if (n !== undefined && n > 0) resolved = join(resolved, n - 1);
      // Implicit parents (for `[a.b.c]`, a and a.b) are recorded at the header if nothing better is known.
      this.record(resolved, line, col);
    }
    this.record(resolved, line, col);
    return resolved;
  }

  /** `a."b".c`: each part with its position. */
  private dottedKey(): { name: string; line: number; col: number }[] | undefined {
    const parts: { name: string; line: number; col: number }[] = [];
    for (;;) {
      this.skipSpaces();
      const line = this.line;
      const col = this.col();
      const name = this.simpleKey();
      if (name === undefined) return undefined;
      // Each part records its whole prefix: past MAX_DEPTH parts are read but not kept (a key of
      // thousands of parts took quadratic time and memory; no setting is that deep).
      if (parts.length < MAX_DEPTH) parts.push({ name, line, col });
      this.skipSpaces();
      if (this.code() !== 46 /* . */) return parts;
      this.pos++;
    }
  }

  private simpleKey(): string | undefined {
    const c = this.code();
    if (c === 34 || c === 39) return this.quoted(c);
    const start = this.pos;
    while (isBareCode(this.code())) this.pos++;
    if (this.pos === start) return undefined;
    return this.text.slice(start, this.pos);
  }

  /** A single-line basic or literal string; returns its (roughly unescaped) content. */
  private quoted(q: number): string | undefined {
    this.pos++;
    const start = this.pos;
    let escaped = false;
    for (;;) {
      const c = this.code();
      if (c === -1 || c === NL) return undefined;
      if (c === q) {
        const raw = this.text.slice(start, this.pos);
        this.pos++;
        return escaped ? raw.replace(/\\(.)/g, "$1") : raw;
      }
      if (c === 92 /* \\ */ && q === 34) {
        escaped = true;
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private keyValue(base: string): boolean {
    const keys = this.dottedKey();
    if (keys === undefined) return false;
    this.skipSpaces();
    if (this.code() !== 61 /* = */) return false;
    this.pos++;
    this.skipSpaces();
    let key = base;
    for (let i = 0; i < keys.length - 1; i++) {
      key = join(key, keys[i].name);
      this.record(key, keys[i].line, keys[i].col);
    }
    const last = keys[keys.length - 1];
    key = join(key, last.name);
    this.record(key, last.line, last.col, this.line, this.col());
    return this.value(key);
  }

  private value(key: string): boolean {
    const c = this.code();
    if (c === 34 || c === 39) return this.stringValue(c);
    if (c === 91 || c === 123) {
      if (++this.depth > MAX_DEPTH) return false;
      const ok = c === 91 ? this.arrayValue(key) : this.inlineTable(key);
      this.depth--;
      return ok;
    }
    // Scalar: number, bool, date; ends at a delimiter.
    const start = this.pos;
    for (let d = this.code(); d !== -1 && d !== 44 && d !== 93 && d !== 125 && d !== NL && d !== HASH; d = this.code()) this.pos++;
    return this.pos > start;
  }

  private stringValue(q: number): boolean {
    if (this.code(1) !== q || this.code(2) !== q) return this.quoted(q) !== undefined;
    this.pos += 3;
    while (!this.eof()) {
      const c = this.code();
      if (c === 92 && q === 34) {
        this.advance();
        this.advance();
        continue;
      }
      if (c === q && this.code(1) === q && this.code(2) === q) {
        this.pos += 3;
        // up to two extra quotes may close the string content
        while (this.code() === q) this.pos++;
        return true;
      }
      this.advance();
    }
    return false;
  }

  private arrayValue(key: string): boolean {
    this.pos++;
    let index = 0;
    for (;;) {
      this.skipBlank();
      if (this.eof()) return false;
      if (this.code() === 93) {
        this.pos++;
        return true;
      }
      const element = join(key, index);
      this.record(element, this.line, this.col());
      if (!this.value(element)) return false;
      index++;
      this.skipBlank();
      if (this.code() === 44 /* , */) this.pos++;
      else if (this.code() !== 93) return false;
    }
  }

  private inlineTable(key: string): boolean {
    this.pos++;
    for (;;) {
      this.skipBlank();
      if (this.eof()) return false;
      if (this.code() === 125) {
        this.pos++;
        return true;
      }
      if (!this.keyValue(key)) return false;
      this.skipBlank();
      if (this.code() === 44) this.pos++;
      else if (this.code() !== 125) return false;
    }
  }
}
