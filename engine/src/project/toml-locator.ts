/**
 * Where each key of a TOML document was written. smol-toml gives values, not positions, so
 * config diagnostics find the line and column of a key path by scanning the text once: table
 * headers (`[a.b]`, `[[a.b]]` with per-array indices), dotted and quoted keys, inline tables and
 * arrays (elements are indexed `0, 1, ...`), multi-line strings and comments. The scanner never
 * throws: on text it does not understand it stops recording and the caller falls back to the
 * nearest known parent (or line 1).
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

export interface TomlLocator {
  /** The exact path's location, if the scanner saw it. */
  find(path: TomlPath): TomlKeyLocation | undefined;
  /** The key of the path, or of its nearest recorded ancestor, or line 1 col 1. */
  keyAt(path: TomlPath): TomlPosition;
  /** The value of the path, or the nearest recorded ancestor's key, or line 1 col 1. */
  valueAt(path: TomlPath): TomlPosition;
}

const SEP = "\u0000";
const pathKey = (path: TomlPath): string => path.map(String).join(SEP);
const START: TomlPosition = { line: 1, col: 1 };

/** Scan a TOML text and return a locator for its key paths. */
export function locateTomlKeys(text: string): TomlLocator {
  const table = new Map<string, TomlKeyLocation>();
  try {
    new Scanner(text, table).document();
  } catch {
    // Defensive only: the scanner bounds-checks everything; a surprise must not crash loading.
  }
  const find = (path: TomlPath): TomlKeyLocation | undefined => table.get(pathKey(path));
  const nearest = (path: TomlPath): TomlKeyLocation | undefined => {
    for (let n = path.length; n > 0; n--) {
      const hit = table.get(pathKey(path.slice(0, n)));
      if (hit) return hit;
    }
    return undefined;
  };
  return {
    find,
    keyAt: (path) => nearest(path)?.key ?? START,
    valueAt: (path) => {
      const exact = find(path);
      if (exact) return exact.value;
      return nearest(path)?.key ?? START;
    },
  };
}

const isBare = (c: string): boolean => /[A-Za-z0-9_-]/.test(c);

class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Resolved path string → number of `[[...]]` entries seen so far. */
  private readonly arrayCounts = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly out: Map<string, TomlKeyLocation>,
  ) {}

  private here(): TomlPosition {
    return { line: this.line, col: this.pos - this.lineStart + 1 };
  }

  private peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  private advance(): void {
    if (this.text.charAt(this.pos) === "\n") {
      this.line++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  private record(path: TomlPath, key: TomlPosition, value: TomlPosition): void {
    const k = pathKey(path);
    if (!this.out.has(k)) this.out.set(k, { key, value });
  }

  /** Record implicit parents (for `[a.b.c]`, a and a.b) if nothing better is known. */
  private recordParents(path: TomlPath, at: TomlPosition): void {
    for (let n = 1; n < path.length; n++) this.record(path.slice(0, n), at, at);
  }

  private skipSpaces(): void {
    while (!this.eof() && (this.peek() === " " || this.peek() === "\t")) this.advance();
  }

  /** Spaces, newlines and comments (inside arrays). */
  private skipBlank(): void {
    while (!this.eof()) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r" || c === "\n") this.advance();
      else if (c === "#") this.skipToEol();
      else return;
    }
  }

  private skipToEol(): void {
    while (!this.eof() && this.peek() !== "\n") this.advance();
  }

  document(): void {
    let current: (string | number)[] = [];
    let guard = 0;
    while (!this.eof()) {
      const before = this.pos;
      this.skipBlank();
      if (this.eof()) return;
      const c = this.peek();
      if (c === "[") {
        const header = this.header();
        if (header === undefined) return;
        current = header;
      } else {
        const ok = this.keyValue(current);
        if (!ok) return;
        this.skipSpaces();
        if (this.peek() === "#") this.skipToEol();
      }
      if (this.pos === before && ++guard > 2) return;
    }
  }

  /** `[a.b]` or `[[a.b]]`; returns the resolved path (array indices included). */
  private header(): (string | number)[] | undefined {
    const at = this.here();
    const isArray = this.peek(1) === "[";
    this.advance();
    if (isArray) this.advance();
    this.skipSpaces();
    const keys = this.dottedKey();
    if (keys === undefined) return undefined;
    this.skipSpaces();
    if (this.peek() !== "]") return undefined;
    this.advance();
    if (isArray) {
      if (this.peek() !== "]") return undefined;
      this.advance();
    }
    this.skipSpaces();
    if (this.peek() === "#") this.skipToEol();
    const resolved: (string | number)[] = [];
    keys.forEach((k, i) => {
      resolved.push(k.name);
      const isLast = i === keys.length - 1;
      const resolvedKey = pathKey(resolved);
      if (isLast && isArray) {
        const n = this.arrayCounts.get(resolvedKey) ?? 0;
        this.arrayCounts.set(resolvedKey, n + 1);
        this.record(resolved, at, at);
        resolved.push(n);
        return;
      }
      const n = this.arrayCounts.get(resolvedKey);
      if (n !== undefined && n > 0) resolved.push(n - 1);
    });
    this.recordParents(resolved, at);
    this.record(resolved, at, at);
    return resolved;
  }

  /** `a."b".c`: each part with its position. */
  private dottedKey(): { name: string; at: TomlPosition }[] | undefined {
    const parts: { name: string; at: TomlPosition }[] = [];
    for (;;) {
      this.skipSpaces();
      const at = this.here();
      const name = this.simpleKey();
      if (name === undefined) return undefined;
      parts.push({ name, at });
      this.skipSpaces();
      if (this.peek() !== ".") return parts;
      this.advance();
    }
  }

  private simpleKey(): string | undefined {
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted(c);
    const start = this.pos;
    while (!this.eof() && isBare(this.peek())) this.advance();
    if (this.pos === start) return undefined;
    return this.text.slice(start, this.pos);
  }

  /** A single-line basic or literal string; returns its (roughly unescaped) content. */
  private quoted(q: string): string | undefined {
    this.advance();
    let out = "";
    while (!this.eof()) {
      const c = this.peek();
      if (c === "\n") return undefined;
      if (c === q) {
        this.advance();
        return out;
      }
      if (c === "\\" && q === '"') {
        this.advance();
        out += this.peek();
        this.advance();
        continue;
      }
      out += c;
      this.advance();
    }
    return undefined;
  }

  private keyValue(base: readonly (string | number)[]): boolean {
    const keys = this.dottedKey();
    if (keys === undefined) return false;
    this.skipSpaces();
    if (this.peek() !== "=") return false;
    this.advance();
    this.skipSpaces();
    const path = [...base, ...keys.map((k) => k.name)];
    const keyAt = keys[0].at;
    for (let n = 1; n < keys.length; n++) this.record([...base, ...keys.slice(0, n).map((k) => k.name)], keys[n - 1].at, keys[n - 1].at);
    this.record(path, keys[keys.length - 1].at ?? keyAt, this.here());
    return this.value(path);
  }

  private value(path: readonly (string | number)[]): boolean {
    const c = this.peek();
    if (c === '"' || c === "'") return this.stringValue(c);
    if (c === "[") return this.arrayValue(path);
    if (c === "{") return this.inlineTable(path);
    // Scalar: number, bool, date; ends at a delimiter.
    const start = this.pos;
    while (!this.eof()) {
      const d = this.peek();
      if (d === "," || d === "]" || d === "}" || d === "\n" || d === "#") break;
      this.advance();
    }
    return this.pos > start;
  }

  private stringValue(q: string): boolean {
    if (this.peek(1) === q && this.peek(2) === q) {
      this.advance();
      this.advance();
      this.advance();
      while (!this.eof()) {
        if (this.peek() === "\\" && q === '"') {
          this.advance();
          this.advance();
          continue;
        }
        if (this.peek() === q && this.peek(1) === q && this.peek(2) === q) {
          this.advance();
          this.advance();
          this.advance();
          // up to two extra quotes may close the string content
          while (this.peek() === q) this.advance();
          return true;
        }
        this.advance();
      }
      return false;
    }
    return this.quoted(q) !== undefined;
  }

  private arrayValue(path: readonly (string | number)[]): boolean {
    this.advance();
    let index = 0;
    for (;;) {
      this.skipBlank();
      if (this.eof()) return false;
      if (this.peek() === "]") {
        this.advance();
        return true;
      }
      const at = this.here();
      const elementPath = [...path, index];
      this.record(elementPath, at, at);
      if (!this.value(elementPath)) return false;
      index++;
      this.skipBlank();
      if (this.peek() === ",") this.advance();
      else if (this.peek() !== "]") return false;
    }
  }

  private inlineTable(path: readonly (string | number)[]): boolean {
    this.advance();
    for (;;) {
      this.skipBlank();
      if (this.eof()) return false;
      if (this.peek() === "}") {
        this.advance();
        return true;
      }
      if (!this.keyValue(path)) return false;
      this.skipBlank();
      if (this.peek() === ",") this.advance();
      else if (this.peek() !== "}") return false;
    }
  }
}
