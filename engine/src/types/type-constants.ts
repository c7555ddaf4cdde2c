import type { SqlType } from "./sql-type.js";

/** Shared instances of the scalar types, so tables and the analyzer never allocate them. */
export const T = {
  Boolean: { kind: "Boolean" },
  Int32: { kind: "Int32" },
  Int64: { kind: "Int64" },
  Float32: { kind: "Float32" },
  Float64: { kind: "Float64" },
  String: { kind: "String" },
  Binary: { kind: "Binary" },
  Date: { kind: "Date" },
  Time: { kind: "Time" },
  Timestamp: { kind: "Timestamp" },
  TimestampNtz: { kind: "TimestampNtz" },
  Interval: { kind: "Interval" },
  Variant: { kind: "Variant" },
  Unknown: { kind: "Unknown" },
} as const satisfies Record<string, SqlType>;

export function decimal(precision: number, scale: number): SqlType {
  return { kind: "Decimal", precision, scale };
}

export function arrayOf(element: SqlType): SqlType {
  return { kind: "Array", element };
}

export function mapOf(key: SqlType, value: SqlType): SqlType {
  return { kind: "Map", key, value };
}

export function isInteger(t: SqlType): boolean {
  return t.kind === "Int32" || t.kind === "Int64";
}

export function isFloat(t: SqlType): boolean {
  return t.kind === "Float32" || t.kind === "Float64";
}

export function isNumeric(t: SqlType): boolean {
  return isInteger(t) || isFloat(t) || t.kind === "Decimal";
}

export function isTemporal(t: SqlType): boolean {
  return t.kind === "Date" || t.kind === "Timestamp" || t.kind === "TimestampNtz";
}

export function isComplex(t: SqlType): boolean {
  return t.kind === "Array" || t.kind === "Map" || t.kind === "Struct" || t.kind === "Variant";
}

/** True when the type (or any part of it) is Unknown. */
export function containsUnknown(t: SqlType): boolean {
  switch (t.kind) {
    case "Unknown":
      return true;
    case "Array":
      return containsUnknown(t.element);
    case "Map":
      return containsUnknown(t.key) || containsUnknown(t.value);
    case "Struct":
      return t.fields.some((f) => containsUnknown(f.type));
    default:
      return false;
  }
}
