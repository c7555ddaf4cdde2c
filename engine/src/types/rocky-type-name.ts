import type { SqlType } from "./sql-type.js";
import { T } from "./type-constants.js";

/**
 * Contract type names: the RockyType variant names, case-sensitive (rocky-compat.md §6.1):
 * `Boolean Int32 Int64 Float32 Float64 Decimal Decimal(p) Decimal(p,s) String Binary Date
 * Timestamp TimestampNtz Array Array<…> Map Map<K, V> Struct Struct<a: T, …> Variant`.
 * Bare `Array` / `Map` have Unknown parts and bare `Struct` no fields: they act as wildcards in
 * `contractTypeMatches`. `Time` and `Interval` (our extensions) are accepted too.
 */
const SCALARS: Record<string, SqlType> = {
  Boolean: T.Boolean,
  Int32: T.Int32,
  Int64: T.Int64,
  Float32: T.Float32,
  Float64: T.Float64,
  String: T.String,
  Binary: T.Binary,
  Date: T.Date,
  Time: T.Time,
  Timestamp: T.Timestamp,
  TimestampNtz: T.TimestampNtz,
  Interval: T.Interval,
  Variant: T.Variant,
};

interface Cursor {
  readonly text: string;
  pos: number;
}

function skipSpace(c: Cursor): void {
  while (c.pos < c.text.length && c.text[c.pos] === " ") c.pos++;
}

function readWord(c: Cursor): string {
  skipSpace(c);
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.text.slice(c.pos));
  if (!m) return "";
  c.pos += m[0].length;
  return m[0];
}

function eat(c: Cursor, ch: string): boolean {
  skipSpace(c);
  if (c.text[c.pos] !== ch) return false;
  c.pos++;
  return true;
}

function parse(c: Cursor): SqlType | undefined {
  const word = readWord(c);
  const scalar = SCALARS[word];
  if (scalar) return scalar;
  if (word === "Decimal") {
    if (!eat(c, "(")) return { kind: "Decimal" };
    skipSpace(c);
    const m = /^(\d+)\s*(?:,\s*(\d+))?\s*\)/.exec(c.text.slice(c.pos));
    if (!m) return undefined;
    c.pos += m[0].length;
    return { kind: "Decimal", precision: Number(m[1]), scale: m[2] === undefined ? 0 : Number(m[2]) };
  }
  if (word === "Array") {
    if (!eat(c, "<")) return { kind: "Array", element: T.Unknown };
    const element = parse(c);
    if (!element || !eat(c, ">")) return undefined;
    return { kind: "Array", element };
  }
  if (word === "Map") {
    if (!eat(c, "<")) return { kind: "Map", key: T.Unknown, value: T.Unknown };
    const key = parse(c);
    if (!key || !eat(c, ",")) return undefined;
    const value = parse(c);
    if (!value || !eat(c, ">")) return undefined;
    return { kind: "Map", key, value };
  }
  if (word === "Struct") {
    if (!eat(c, "<")) return { kind: "Struct", fields: [] };
    const fields: { name: string; type: SqlType }[] = [];
    do {
      const name = readWord(c);
      if (!name || !eat(c, ":")) return undefined;
      const type = parse(c);
      if (!type) return undefined;
      fields.push({ name, type });
    } while (eat(c, ","));
    if (!eat(c, ">")) return undefined;
    return { kind: "Struct", fields };
  }
  return undefined;
}

/** A contract's type name → SqlType, or undefined when it is not a RockyType name. */
export function parseRockyTypeName(text: string): SqlType | undefined {
  const c: Cursor = { text: text.trim(), pos: 0 };
  const t = parse(c);
  skipSpace(c);
  return t && c.pos === c.text.length ? t : undefined;
}

/** Every accepted bare contract type name (for did-you-mean on a bad contract type). */
export const ROCKY_TYPE_NAMES: readonly string[] = [...Object.keys(SCALARS), "Decimal", "Array", "Map", "Struct"];
