import { isTable } from "./toml-spec.js";

/** Readers for already-checked TOML data: invalid values were pruned, so these only pick types. */
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const asNumber = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined);
export const asBool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
export const asStrings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);
export const asTable = (v: unknown): Record<string, unknown> | undefined => (isTable(v) ? v : undefined);
export const asTables = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isTable) : []);

/** Copy of an object without undefined values (keeps JSON output and deepEqual comparisons clean). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}
