import { formatType, type SqlType } from "../types/sql-type.js";

/**
 * Whether an inferred type satisfies a contract `type` (rocky-compat.md §6.1): exact and
 * case-sensitive on Rocky's type names; an Unknown inferred type (anywhere inside) always passes;
 * a bare `Decimal` matches any precision and scale, `Decimal(p)` means scale 0; a bare `Array`,
 * `Map` or `Struct` matches any of that kind. Whitespace inside the contract string is ignored.
 */
export function contractTypeMatches(contractType: string, inferred: SqlType): boolean {
  const parsed = parseContractType(contractType.replace(/\s+/g, ""));
  if (parsed === undefined) return formatType(inferred).replace(/\s+/g, "") === contractType.replace(/\s+/g, "");
  return matches(parsed, inferred);
}

interface ContractType {
  readonly name: string;
  readonly params: readonly number[];
  /** Inner text between `<` and `>` (split on top-level commas), when written. */
  readonly args?: readonly ContractType[];
  readonly raw: string;
}

function matches(c: ContractType, t: SqlType): boolean {
  if (t.kind === "Unknown") return true;
  switch (c.name) {
    case "Decimal": {
      if (t.kind !== "Decimal") return false;
      if (c.params.length === 0 || t.precision === undefined) return true;
      return t.precision === c.params[0] && (t.scale ?? 0) === (c.params[1] ?? 0);
    }
    case "Array":
      if (t.kind !== "Array") return false;
      return c.args === undefined || (c.args.length === 1 && matches(c.args[0], t.element));
    case "Map":
      if (t.kind !== "Map") return false;
      return c.args === undefined || (c.args.length === 2 && matches(c.args[0], t.key) && matches(c.args[1], t.value));
    case "Struct":
      if (t.kind !== "Struct") return false;
      return c.args === undefined || containsUnknown(t) || formatType(t).replace(/\s+/g, "") === c.raw;
    default:
      return c.params.length === 0 && c.args === undefined && t.kind === c.name;
  }
}

function containsUnknown(t: SqlType): boolean {
  if (t.kind === "Unknown") return true;
  if (t.kind === "Array") return containsUnknown(t.element);
  if (t.kind === "Map") return containsUnknown(t.key) || containsUnknown(t.value);
  if (t.kind === "Struct") return t.fields.some((f) => containsUnknown(f.type));
  return false;
}

/** `Name`, `Name(1,2)`, `Name<A,B<C>>`; undefined when not of that shape. Struct field lists are kept raw. */
function parseContractType(s: string): ContractType | undefined {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\((\d+(?:,\d+)*)\))?(?:<(.*)>)?$/.exec(s);
  if (m === null) return undefined;
  const [, name, params, inner] = m;
  const out: ContractType = { name, params: params === undefined ? [] : params.split(",").map(Number), raw: s };
  if (inner === undefined) return out;
  if (name === "Struct") return { ...out, args: [] };
  const parts = splitTopLevel(inner);
  const args = parts.map(parseContractType);
  if (args.some((a) => a === undefined)) return undefined;
  return { ...out, args: args as ContractType[] };
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "<" || ch === "(") depth++;
    else if (ch === ">" || ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
