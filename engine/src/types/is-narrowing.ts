import type { SqlType } from "./sql-type.js";
import { isComplex, isNumeric, isTemporal, typesEqualDeep } from "./type-algebra-helpers.js";

/**
 * Rocky's `is_type_narrowing` (rocky-compat.md §1.4), exactly: Int64 → Int32|Float32;
 * Float64 → Float32|Int32|Int64; a Decimal whose precision or scale shrinks; String → any
 * number, Boolean or temporal type; Timestamp|TimestampNtz → Date; a complex type (Array, Map,
 * Struct, Variant) → anything other than Variant. Anything not enumerated is widening. Equal types
 * are not a change, so not narrowing.
 */
export function isNarrowing(from: SqlType, to: SqlType): boolean {
  if (typesEqualDeep(from, to)) return false;
  switch (from.kind) {
    case "Int64":
      return to.kind === "Int32" || to.kind === "Float32";
    case "Float64":
      return to.kind === "Float32" || to.kind === "Int32" || to.kind === "Int64";
    case "Decimal":
      if (to.kind !== "Decimal") return false;
      if (from.precision === undefined || to.precision === undefined) return false;
      return to.precision < from.precision || (to.scale ?? 0) < (from.scale ?? 0);
    case "String":
      return isNumeric(to) || to.kind === "Boolean" || isTemporal(to);
    case "Timestamp":
    case "TimestampNtz":
      return to.kind === "Date";
    default:
      return isComplex(from) && to.kind !== "Variant";
  }
}
