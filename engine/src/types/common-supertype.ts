import type { SqlType } from "./sql-type.js";
import { T, isInteger, typesEqualDeep } from "./type-algebra-helpers.js";

/** Digits an integer type needs as a decimal (Rocky: Int32 → 10, Int64 → 19). */
export function integerDigits(t: SqlType): number {
  return t.kind === "Int64" ? 19 : 10;
}

/**
 * Rocky's type algebra (rocky-compat.md §6.3, `common_supertype` in rocky-compiler/src/types.rs):
 * equal types unify; Unknown with anything is the other; Int32+Int64 → Int64; Float32+Float64 →
 * Float64; integer+float → Float64; integer+Decimal(p,s) → Decimal(max(p,10|19), s);
 * Decimal+Decimal → Decimal(max p, max s); Timestamp+TimestampNtz → Timestamp; anything else
 * (String with a number, Boolean with Date, ...) → undefined.
 *
 * Additive extensions, where Rocky answers "none" but every warehouse coerces: Date with a
 * timestamp → that timestamp; Decimal with a float → Float64; Variant with anything → Variant;
 * Array/Map element-wise.
 */
export function commonSupertype(a: SqlType, b: SqlType): SqlType | undefined {
  if (typesEqualDeep(a, b)) return a;
  if (a.kind === "Unknown") return b;
  if (b.kind === "Unknown") return a;
  if (isInteger(a) && isInteger(b)) return T.Int64;
  if (a.kind === "Float32" && b.kind === "Float64") return T.Float64;
  if (a.kind === "Float64" && b.kind === "Float32") return T.Float64;
  if ((isInteger(a) && (b.kind === "Float32" || b.kind === "Float64")) || (isInteger(b) && (a.kind === "Float32" || a.kind === "Float64"))) return T.Float64;
  if (isInteger(a) && b.kind === "Decimal") return intWithDecimal(a, b);
  if (isInteger(b) && a.kind === "Decimal") return intWithDecimal(b, a);
  if (a.kind === "Decimal" && b.kind === "Decimal") {
    if (a.precision === undefined || b.precision === undefined) return { kind: "Decimal" };
    return { kind: "Decimal", precision: Math.max(a.precision, b.precision), scale: Math.max(a.scale ?? 0, b.scale ?? 0) };
  }
  if ((a.kind === "Timestamp" && b.kind === "TimestampNtz") || (a.kind === "TimestampNtz" && b.kind === "Timestamp")) return T.Timestamp;
  // ---- extensions
  if (a.kind === "Date" && (b.kind === "Timestamp" || b.kind === "TimestampNtz")) return b;
  if (b.kind === "Date" && (a.kind === "Timestamp" || a.kind === "TimestampNtz")) return a;
  if ((a.kind === "Decimal" && (b.kind === "Float32" || b.kind === "Float64")) || (b.kind === "Decimal" && (a.kind === "Float32" || a.kind === "Float64"))) return T.Float64;
  if (a.kind === "Variant" || b.kind === "Variant") return T.Variant;
  if (a.kind === "Array" && b.kind === "Array") {
    const element = commonSupertype(a.element, b.element);
    return element ? { kind: "Array", element } : undefined;
  }
  if (a.kind === "Map" && b.kind === "Map") {
    const key = commonSupertype(a.key, b.key);
    const value = commonSupertype(a.value, b.value);
    return key && value ? { kind: "Map", key, value } : undefined;
  }
  return undefined;
}

function intWithDecimal(i: SqlType, d: Extract<SqlType, { kind: "Decimal" }>): SqlType {
  if (d.precision === undefined) return d;
  return { kind: "Decimal", precision: Math.max(d.precision, integerDigits(i)), scale: d.scale ?? 0 };
}
