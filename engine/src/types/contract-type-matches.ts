import { parseRockyTypeName } from "./rocky-type-name.js";
import type { SqlType } from "./sql-type.js";

/**
 * Rocky's E011 comparison (rocky-compat.md §1.2, §6.1): exact, case-sensitive on the variant
 * names; an Unknown inferred type always passes; bare `Decimal` matches any decimal, `Decimal(p)`
 * means scale 0, `Decimal(p,s)` must match exactly; bare `Array` / `Map` / `Struct` match any
 * array / map / struct. A name that is not a RockyType never matches.
 */
export function contractTypeMatches(contract: string, inferred: SqlType): boolean {
  if (inferred.kind === "Unknown") return true;
  const expected = parseRockyTypeName(contract);
  if (!expected) return false;
  return matches(expected, inferred);
}

function matches(expected: SqlType, inferred: SqlType): boolean {
  if (inferred.kind === "Unknown" || expected.kind === "Unknown") return true;
  if (expected.kind !== inferred.kind) return false;
  switch (expected.kind) {
    case "Decimal": {
      if (expected.precision === undefined) return true;
      const d = inferred as Extract<SqlType, { kind: "Decimal" }>;
      if (d.precision === undefined) return true;
      return d.precision === expected.precision && (d.scale ?? 0) === (expected.scale ?? 0);
    }
    case "Array":
      return matches(expected.element, (inferred as Extract<SqlType, { kind: "Array" }>).element);
    case "Map": {
      const m = inferred as Extract<SqlType, { kind: "Map" }>;
      return matches(expected.key, m.key) && matches(expected.value, m.value);
    }
    case "Struct": {
      if (expected.fields.length === 0) return true;
      const s = inferred as Extract<SqlType, { kind: "Struct" }>;
      if (s.fields.length !== expected.fields.length) return false;
      return expected.fields.every((f, i) => f.name === s.fields[i].name && matches(f.type, s.fields[i].type));
    }
    default:
      return true;
  }
}
