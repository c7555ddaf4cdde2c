/**
 * The type lattice, close to Rocky's RockyType (rocky-compat.md §6.1): Boolean, Int32, Int64,
 * Float32, Float64, Decimal(p,s), String, Binary, Date, Timestamp, TimestampNtz, Array, Map,
 * Struct, Variant, Unknown. Time and Interval are extensions Rocky lacks (DuckDB and Databricks
 * have them); contracts never name them.
 *
 * Nullability is not part of the type: a column is `{ type, nullable }` (ColumnType).
 */
export type SqlType =
  | { readonly kind: "Boolean" }
  | { readonly kind: "Int32" }
  | { readonly kind: "Int64" }
  | { readonly kind: "Float32" }
  | { readonly kind: "Float64" }
  /** precision/scale absent = "Decimal" with unknown precision (matches any in contracts). */
  | { readonly kind: "Decimal"; readonly precision?: number; readonly scale?: number }
  | { readonly kind: "String" }
  | { readonly kind: "Binary" }
  | { readonly kind: "Date" }
  | { readonly kind: "Time" }
  | { readonly kind: "Timestamp" }
  | { readonly kind: "TimestampNtz" }
  | { readonly kind: "Interval" }
  | { readonly kind: "Array"; readonly element: SqlType }
  | { readonly kind: "Map"; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: "Struct"; readonly fields: readonly { readonly name: string; readonly type: SqlType }[] }
  | { readonly kind: "Variant" }
  | { readonly kind: "Unknown" };

export type SqlTypeKind = SqlType["kind"];

export interface ColumnType {
  readonly type: SqlType;
  readonly nullable: boolean;
}

export const UNKNOWN: SqlType = { kind: "Unknown" };

/** Rocky's display names: `Int64`, `Decimal(10,2)`, `Array<Int64>`, `Map<String, Int64>`, `Struct<a: Int64>`. */
export function formatType(t: SqlType): string {
  switch (t.kind) {
    case "Decimal":
      if (t.precision === undefined) return "Decimal";
      return `Decimal(${t.precision},${t.scale ?? 0})`;
    case "Array":
      return `Array<${formatType(t.element)}>`;
    case "Map":
      return `Map<${formatType(t.key)}, ${formatType(t.value)}>`;
    case "Struct":
      return `Struct<${t.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(", ")}>`;
    default:
      return t.kind;
  }
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  return formatType(a) === formatType(b);
}
