import type { DialectId } from "../syntax/ast.js";
import { integerDigits } from "../types/common-supertype.js";
import type { SqlType } from "../types/sql-type.js";
import { T, arrayOf, decimal, isFloat, isInteger, isNumeric } from "../types/type-constants.js";

/**
 * Implicit typing the warehouses share with DuckDB: literals, arithmetic and the unification used
 * by CASE / COALESCE / UNION / VALUES. Decimals keep every integer digit (DuckDB, Snowflake and
 * Databricks all do), which is wider than Rocky's `common_supertype` for decimals; the type
 * README lists the difference, and Databricks' (Spark's) own rules for arithmetic past 38 digits.
 */

const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;
const MAX_DECIMAL = 38;

/** The type of a number literal as written (DuckDB: `1` → INTEGER, `3000000000` → BIGINT, `1.50` → DECIMAL(3,2), `1e3` → DOUBLE). */
export function numberLiteralType(text: string, dialect: DialectId): SqlType {
  const t = text.trim();
  if (/[eE]/.test(t)) return T.Float64;
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m) return T.Unknown;
  const intDigits = m[1] ?? "";
  const frac = m[2];
  if (frac === undefined) {
    if (dialect === "snowflake" || dialect === "bigquery") return T.Int64;
    if (intDigits.length <= 9) return T.Int32;
    const v = BigInt(intDigits);
    if (v <= INT32_MAX) return T.Int32;
    if (v <= INT64_MAX) return T.Int64;
    return decimal(MAX_DECIMAL, 0);
  }
  if (dialect === "bigquery") return T.Float64;
  const scale = frac.length;
  // DuckDB counts the digits as written (`.5` is DECIMAL(1,1), `0.5` DECIMAL(2,1)).
  const precision = dialect === "duckdb" ? Math.max(intDigits.length + scale, 1) : Math.max(intDigits.length + scale, scale + 1, 1);
  if (precision > MAX_DECIMAL) return T.Float64;
  return decimal(precision, scale);
}

/**
 * The type an integer literal takes beside a decimal. Snowflake types `0` as NUMBER(1,0) and Spark
 * (Databricks) picks a literal's minimum precision, so `COALESCE(amount, 0)` over NUMBER(18,2)
 * stays NUMBER(18,2) there; DuckDB binds the literal as an INTEGER (10 digits), checked against
 * DuckDB in the type corpus. Anything else is returned as is.
 */
export function literalBesideDecimal(type: SqlType, literal: string | undefined, dialect: DialectId): SqlType {
  if ((dialect !== "snowflake" && dialect !== "databricks") || literal === undefined || !isInteger(type)) return type;
  const digits = /^[+-]?0*(\d+)$/.exec(literal)?.[1];
  return digits === undefined ? type : decimal(Math.min(digits.length, MAX_DECIMAL), 0);
}

/**
 * A number as the decimal it counts as beside a decimal. Spark (Databricks) takes a BIGINT as
 * DECIMAL(20,0) (DecimalType.LongDecimal, also the BIGINT row of
 * https://docs.databricks.com/sql/language-manual/functions/ceil.html), one digit more than an Int64 holds.
 */
function asDecimal(t: SqlType, dialect?: DialectId): { p: number; s: number } | undefined {
  if (t.kind === "Decimal") return t.precision === undefined ? { p: 38, s: t.scale ?? 0 } : { p: t.precision, s: t.scale ?? 0 };
  if (t.kind === "Int64" && dialect === "databricks") return { p: 20, s: 0 };
  if (isInteger(t)) return { p: integerDigits(t), s: 0 };
  return undefined;
}

function capDecimal(p: number, s: number): SqlType {
  if (p <= MAX_DECIMAL) return decimal(p, s);
  return decimal(MAX_DECIMAL, Math.min(s, MAX_DECIMAL));
}

/** Unify two types implicitly (CASE branches, COALESCE arguments, UNION columns). Undefined when nothing unifies them. */
export function unifyPair(a: SqlType, b: SqlType, dialect?: DialectId): SqlType | undefined {
  if (a.kind === "Unknown" || b.kind === "Unknown") return T.Unknown;
  if (a.kind === b.kind && a.kind !== "Decimal" && a.kind !== "Array" && a.kind !== "Map" && a.kind !== "Struct") return a;
  // DuckDB unifies a BOOLEAN with an integer as that integer (TRUE is 1).
  if (dialect === "duckdb" && a.kind === "Boolean" && isInteger(b)) return b;
  if (dialect === "duckdb" && b.kind === "Boolean" && isInteger(a)) return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (isInteger(a) && isInteger(b)) return a.kind === "Int64" || b.kind === "Int64" ? T.Int64 : T.Int32;
    if (isFloat(a) || isFloat(b)) {
      if (a.kind === "Float32" && b.kind === "Float32") return T.Float32;
      // DuckDB's FLOAT keeps its width beside an integer or a decimal, as in arithmetic.
      return dialect === "duckdb" && a.kind !== "Float64" && b.kind !== "Float64" ? T.Float32 : T.Float64;
    }
    const da = asDecimal(a, dialect);
    const db = asDecimal(b, dialect);
    if (!da || !db) return T.Unknown;
    const s = Math.max(da.s, db.s);
    return capDecimal(Math.max(da.p - da.s, db.p - db.s) + s, s);
  }
  if (a.kind === "Date" && (b.kind === "TimestampNtz" || b.kind === "Timestamp")) return b;
  if (b.kind === "Date" && (a.kind === "TimestampNtz" || a.kind === "Timestamp")) return a;
  if ((a.kind === "Timestamp" && b.kind === "TimestampNtz") || (a.kind === "TimestampNtz" && b.kind === "Timestamp")) return T.Timestamp;
  if (a.kind === "Variant" || b.kind === "Variant") return T.Variant;
  if (a.kind === "Array" && b.kind === "Array") {
    const e = unifyPair(a.element, b.element, dialect);
    return e ? arrayOf(e) : undefined;
  }
  if (a.kind === "Map" && b.kind === "Map") {
    const k = unifyPair(a.key, b.key, dialect);
    const v = unifyPair(a.value, b.value, dialect);
    return k && v ? { kind: "Map", key: k, value: v } : undefined;
  }
  if (a.kind === "Struct" && b.kind === "Struct") {
    if (a.fields.length !== b.fields.length) return undefined;
    const fields: { name: string; type: SqlType }[] = [];
    for (let i = 0; i < a.fields.length; i++) {
      const t = unifyPair(a.fields[i].type, b.fields[i].type, dialect);
      if (!t) return undefined;
      fields.push({ name: a.fields[i].name, type: t });
    }
    return { kind: "Struct", fields };
  }
  if (a.kind === "Decimal" && b.kind === "Decimal") return a;
  // A string literal next to another type takes that type (DuckDB binds 'x' to the other side).
  if (a.kind === "String") return b;
  if (b.kind === "String") return a;
  return undefined;
}

/** Unify many types; `undefined` entries (NULL literals) are skipped; an unresolvable pair is Unknown. */
export function unifyTypes(types: readonly (SqlType | undefined)[], dialect?: DialectId): SqlType {
  let acc: SqlType | undefined;
  for (const t of types) {
    if (t === undefined) continue;
    if (acc === undefined) {
      acc = t;
      continue;
    }
    acc = unifyPair(acc, t, dialect) ?? T.Unknown;
  }
  return acc ?? T.Int32;
}

const ARITH = new Set(["+", "-", "*", "/", "//", "%", "DIV"]);

export function isArithmetic(op: string): boolean {
  return ARITH.has(op);
}

/** The result type of arithmetic `a op b` in `dialect`. */
export function arithmeticType(op: string, a: SqlType, b: SqlType, dialect: DialectId): SqlType {
  if (a.kind === "Unknown" || b.kind === "Unknown") return T.Unknown;
  const temporal = temporalArithmetic(op, a, b, dialect);
  if (temporal !== undefined) return temporal;
  if (a.kind === "String" && isNumeric(b)) return arithmeticType(op, b, b, dialect);
  if (b.kind === "String" && isNumeric(a)) return arithmeticType(op, a, a, dialect);
  if (!isNumeric(a) || !isNumeric(b)) return T.Unknown;
  // Databricks `a DIV b` is the integral part of the quotient, a BIGINT for any numeric operands.
  if (op === "DIV") return T.Int64;
  // DuckDB keeps FLOAT with any operand but DOUBLE, decimals and division included.
  if (dialect === "duckdb" && (a.kind === "Float32" || b.kind === "Float32") && a.kind !== "Float64" && b.kind !== "Float64") return T.Float32;
  if (op === "/") return divisionType(a, b, dialect);
  if (op === "//") return isInteger(a) && isInteger(b) ? (unifyPair(a, b) ?? T.Int64) : T.Float64;
  if (isFloat(a) || isFloat(b)) {
    if (a.kind === "Float64" || b.kind === "Float64" || a.kind === "Decimal" || b.kind === "Decimal") return T.Float64;
    return T.Float32;
  }
  if (isInteger(a) && isInteger(b)) return a.kind === "Int64" || b.kind === "Int64" ? T.Int64 : T.Int32;
  const da = asDecimal(a, dialect);
  const db = asDecimal(b, dialect);
  if (!da || !db) return T.Unknown;
  // Spark (Databricks): a digit more for a product; past 38 digits the integer digits are kept and the scale gives way, down to 6.
  if (dialect === "databricks" && op === "*") return sparkDecimal(da.p + db.p + 1, da.s + db.s);
  if (dialect === "databricks" && (op === "+" || op === "-")) return sparkDecimal(Math.max(da.p - da.s, db.p - db.s) + Math.max(da.s, db.s) + 1, Math.max(da.s, db.s));
  // Snowflake: a product's scale is s1 + s2 but at most max(s1, s2, 12), its leading digits l1 + l2
  // (https://docs.snowflake.com/en/sql-reference/operators-arithmetic).
  if (dialect === "snowflake" && op === "*") {
    const s = Math.min(da.s + db.s, Math.max(da.s, db.s, 12));
    return capDecimal(da.p - da.s + (db.p - db.s) + s, s);
  }
  if (op === "*") {
    const s = da.s + db.s;
    let p = da.p + db.p;
    // DuckDB: two DECIMALs that fit in 64 bits multiply in 64 bits, capped at width 18.
    if (dialect === "duckdb" && p > 18 && da.p <= 18 && db.p <= 18 && s < 18) p = 18;
    return capDecimal(p, s);
  }
  if (op === "%") {
    const s = Math.max(da.s, db.s);
    let p = Math.max(da.p - da.s, db.p - db.s) + s;
    if (dialect === "duckdb" && p > 18 && da.p <= 18 && db.p <= 18) p = 18;
    return capDecimal(p, s);
  }
  const s = Math.max(da.s, db.s);
  let p = Math.max(da.p - da.s, db.p - db.s) + s + 1;
  // DuckDB: the same 64-bit shortcut as for multiplication.
  if (dialect === "duckdb" && p > 18 && da.p <= 18 && db.p <= 18) p = 18;
  return capDecimal(p, s);
}

function divisionType(a: SqlType, b: SqlType, dialect: DialectId): SqlType {
  if (dialect === "duckdb" || dialect === "bigquery") return T.Float64;
  if (isFloat(a) || isFloat(b)) return T.Float64;
  const da = asDecimal(a, dialect);
  const db = asDecimal(b, dialect);
  if (!da || !db) return T.Float64;
  if (dialect === "snowflake") {
    const s = Math.max(da.s, Math.min(da.s + 6, 12));
    return capDecimal(da.p - da.s + db.s + s, s);
  }
  if (isInteger(a) && isInteger(b)) return T.Float64;
  // Spark: scale = max(6, s1 + p2 + 1), precision = p1 - s1 + s2 + scale, capped at 38.
  const s = Math.max(6, da.s + db.p + 1);
  return sparkDecimal(da.p - da.s + db.s + s, s);
}

/**
 * Spark's `DecimalType.adjustPrecisionScale` (spark.sql.decimalOperations.allowPrecisionLoss, the
 * default and Databricks'): a result wider than 38 digits keeps its integer digits and gives up
 * scale, but keeps at least min(scale, 6) of it.
 */
function sparkDecimal(p: number, s: number): SqlType {
  if (p <= MAX_DECIMAL) return decimal(p, s);
  const intDigits = p - s;
  return decimal(MAX_DECIMAL, Math.max(MAX_DECIMAL - intDigits, Math.min(s, 6)));
}

function temporalArithmetic(op: string, a: SqlType, b: SqlType, dialect: DialectId): SqlType | undefined {
  const ta = a.kind === "Date" || a.kind === "Timestamp" || a.kind === "TimestampNtz" || a.kind === "Time";
  const tb = b.kind === "Date" || b.kind === "Timestamp" || b.kind === "TimestampNtz" || b.kind === "Time";
  if (!ta && !tb && a.kind !== "Interval" && b.kind !== "Interval") return undefined;
  if (op === "-" && ta && tb) {
    // Databricks: DATE - DATE is an INTERVAL DAY (https://docs.databricks.com/sql/language-manual/functions/minussign.html).
    if (a.kind === "Date" && b.kind === "Date") return dialect === "databricks" ? T.Interval : T.Int64;
    return T.Interval;
  }
  // DuckDB: a DATE plus a TIME is the TIMESTAMP of that day and time.
  if (op === "+" && dialect === "duckdb" && ((a.kind === "Date" && b.kind === "Time") || (a.kind === "Time" && b.kind === "Date"))) return T.TimestampNtz;
  const [t, other] = ta ? [a, b] : [b, a];
  if (!(ta || tb)) return T.Interval;
  if (isInteger(other)) return t;
  if (other.kind === "Interval") {
    if (t.kind === "Date" && dialect === "duckdb") return T.TimestampNtz;
    return t;
  }
  return T.Unknown;
}
