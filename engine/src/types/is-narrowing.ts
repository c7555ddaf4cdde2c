import type { SqlType } from "./sql-type.js";
import { isComplex, isNumeric, isTemporal, typesEqualDeep } from "./type-algebra-helpers.js";

/**
 * Rocky's `is_type_narrowing` (rocky-compat.md §1.4): Int64 → Int32|Float32; Float64 →
 * Float32|Int32|Int64; a Decimal whose precision or scale shrinks; String → any number, Boolean or
 * temporal type; Timestamp|TimestampNtz → Date; a complex type (Array, Map, Struct, Variant) →
 * anything other than Variant. Equal types are not a change, so not narrowing.
 *
 * Rocky counts anything it does not enumerate as widening. We also count the changes that lose
 * values as plainly as those (deliberate differences, in the spirit of Rocky's own list):
 * - a Decimal with a scale → an integer (the fractions go), or with more integer digits than the
 *   integer holds (Int32 holds 9, Int64 18);
 * - an integer → a Decimal with fewer integer digits than it needs (10 for Int32, 19 for Int64);
 * - a Decimal → a float that cannot hold its digits exactly (Float32 always, Float64 past 15);
 * - Float32 → an integer, as Rocky counts Float64 → an integer; Int32 → Float32 (24-bit mantissa),
 *   as Rocky counts Int64 → Float32;
 * - Timestamp|TimestampNtz → Time (the date goes), as Rocky counts → Date.
 * Without them, `Decimal(18,2) → Int32` on a money column was an info change while the
 * `Decimal(38,2) → Decimal(38,0)` it caused downstream was breaking.
 */
export function isNarrowing(from: SqlType, to: SqlType): boolean {
  if (typesEqualDeep(from, to)) return false;
  switch (from.kind) {
    case "Int32":
      return to.kind === "Float32" || decimalTooSmall(to, 10);
    case "Int64":
      return to.kind === "Int32" || to.kind === "Float32" || decimalTooSmall(to, 19);
    case "Float32":
      return to.kind === "Int32" || to.kind === "Int64";
    case "Float64":
      return to.kind === "Float32" || to.kind === "Int32" || to.kind === "Int64";
    case "Decimal": {
      if (from.precision === undefined) return false;
      const scale = from.scale ?? 0;
      if (to.kind === "Decimal") {
        if (to.precision === undefined) return false;
        return to.precision < from.precision || (to.scale ?? 0) < scale;
      }
      if (to.kind === "Int32" || to.kind === "Int64") return scale > 0 || from.precision - scale > (to.kind === "Int32" ? 9 : 18);
      if (to.kind === "Float32") return true;
      if (to.kind === "Float64") return from.precision > 15;
      return false;
    }
    case "String":
      return isNumeric(to) || to.kind === "Boolean" || isTemporal(to);
    case "Timestamp":
    case "TimestampNtz":
      return to.kind === "Date" || to.kind === "Time";
    default:
      return isComplex(from) && to.kind !== "Variant";
  }
}

/** `to` is a Decimal with fewer than `digits` integer digits. */
function decimalTooSmall(to: SqlType, digits: number): boolean {
  return to.kind === "Decimal" && to.precision !== undefined && to.precision - (to.scale ?? 0) < digits;
}
