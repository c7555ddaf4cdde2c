import type { SqlType } from "./sql-type.js";
import { formatType } from "./sql-type.js";

export { T, isInteger, isFloat, isNumeric, isTemporal, isComplex } from "./type-constants.js";

export function typesEqualDeep(a: SqlType, b: SqlType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  return formatType(a) === formatType(b);
}
