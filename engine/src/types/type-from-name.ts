import type { DialectId, Span, TypeName } from "../syntax/ast.js";
import type { SqlType } from "./sql-type.js";
import { T, arrayOf, decimal, mapOf } from "./type-constants.js";

/**
 * SQL type syntax → the lattice, per dialect. The table is data: a base mapping shared by every
 * dialect, and per-dialect overrides where a name means something else there
 * (Snowflake `FLOAT` is a double and every integer name is NUMBER(38,0); BigQuery `INT` is INT64;
 * `TIMESTAMP` is without time zone in DuckDB and Snowflake, with one in Databricks and BigQuery).
 * Decisions are listed in engine/src/types/README.md.
 */
type Rule = SqlType | ((t: TypeName, dialect: DialectId) => SqlType);

const HUGE = decimal(38, 0);

const BASE: Record<string, Rule> = {
  BOOLEAN: T.Boolean,
  BOOL: T.Boolean,
  LOGICAL: T.Boolean,
  TINYINT: T.Int32,
  INT1: T.Int32,
  BYTEINT: T.Int32,
  SMALLINT: T.Int32,
  INT2: T.Int32,
  SHORT: T.Int32,
  INT: T.Int32,
  INTEGER: T.Int32,
  INT4: T.Int32,
  SIGNED: T.Int32,
  MEDIUMINT: T.Int32,
  UTINYINT: T.Int32,
  USMALLINT: T.Int32,
  UINTEGER: T.Int64,
  BIGINT: T.Int64,
  INT8: T.Int64,
  LONG: T.Int64,
  INT64: T.Int64,
  UBIGINT: decimal(20, 0),
  HUGEINT: HUGE,
  INT128: HUGE,
  UHUGEINT: HUGE,
  VARINT: HUGE,
  FLOAT: T.Float32,
  FLOAT4: T.Float32,
  REAL: T.Float32,
  FLOAT32: T.Float32,
  DOUBLE: T.Float64,
  "DOUBLE PRECISION": T.Float64,
  FLOAT8: T.Float64,
  FLOAT64: T.Float64,
  DECIMAL: (t) => decimalOf(t, 18, 3),
  NUMERIC: (t) => decimalOf(t, 18, 3),
  DEC: (t) => decimalOf(t, 18, 3),
  NUMBER: (t) => decimalOf(t, 38, 0),
  BIGNUMERIC: (t) => decimalOf(t, 76, 38),
  BIGDECIMAL: (t) => decimalOf(t, 76, 38),
  VARCHAR: T.String,
  CHAR: T.String,
  CHARACTER: T.String,
  "CHARACTER VARYING": T.String,
  "CHAR VARYING": T.String,
  NVARCHAR: T.String,
  NVARCHAR2: T.String,
  NCHAR: T.String,
  VARCHAR2: T.String,
  BPCHAR: T.String,
  STRING: T.String,
  TEXT: T.String,
  CLOB: T.String,
  UUID: T.String,
  ENUM: T.String,
  BINARY: T.Binary,
  VARBINARY: T.Binary,
  BLOB: T.Binary,
  BYTEA: T.Binary,
  BYTES: T.Binary,
  BIT: T.Binary,
  BITSTRING: T.Binary,
  DATE: T.Date,
  TIME: T.Time,
  "TIME WITHOUT TIME ZONE": T.Time,
  "TIME WITH TIME ZONE": T.Time,
  TIMETZ: T.Time,
  TIMESTAMP: T.TimestampNtz,
  DATETIME: T.TimestampNtz,
  "TIMESTAMP WITHOUT TIME ZONE": T.TimestampNtz,
  TIMESTAMP_NTZ: T.TimestampNtz,
  TIMESTAMPNTZ: T.TimestampNtz,
  TIMESTAMP_S: T.TimestampNtz,
  TIMESTAMP_MS: T.TimestampNtz,
  TIMESTAMP_US: T.TimestampNtz,
  TIMESTAMP_NS: T.TimestampNtz,
  TIMESTAMPTZ: T.Timestamp,
  "TIMESTAMP WITH TIME ZONE": T.Timestamp,
  "TIMESTAMP WITH LOCAL TIME ZONE": T.Timestamp,
  TIMESTAMP_TZ: T.Timestamp,
  TIMESTAMP_LTZ: T.Timestamp,
  TIMESTAMPLTZ: T.Timestamp,
  INTERVAL: T.Interval,
  ARRAY: (t, d) => arrayOf(t.args?.[0] ? typeFromName(t.args[0], d) : T.Variant),
  LIST: (t, d) => arrayOf(t.args?.[0] ? typeFromName(t.args[0], d) : T.Unknown),
  MAP: (t, d) => (t.args && t.args.length >= 2 ? mapOf(typeFromName(t.args[0], d), typeFromName(t.args[1], d)) : mapOf(T.String, T.Variant)),
  STRUCT: structOf,
  ROW: structOf,
  RECORD: structOf,
  OBJECT: (t, d) => (t.fields && t.fields.length > 0 ? structOf(t, d) : T.Variant),
  VARIANT: T.Variant,
  JSON: T.Variant,
  SUPER: T.Variant,
  UNION: T.Variant,
  GEOGRAPHY: T.Variant,
  GEOMETRY: T.Variant,
};

const SNOWFLAKE_INTEGER: Rule = T.Int64;

const OVERRIDES: Record<DialectId, Record<string, Rule>> = {
  duckdb: {
    // DuckDB's other spellings of its integers (`INT32`, `UINT64`), and BIGNUM, which VARINT became in DuckDB 1.4.
    INT16: T.Int32,
    INT32: T.Int32,
    UINT8: T.Int32,
    UINT16: T.Int32,
    UINT32: T.Int64,
    UINT64: decimal(20, 0),
    UINT128: HUGE,
    BIGNUM: HUGE,
  },
  snowflake: {
    // Every integer name is NUMBER(38,0), and NUMBER(38,0) is how DESCRIBE spells an integer: Int64.
    TINYINT: SNOWFLAKE_INTEGER,
    BYTEINT: SNOWFLAKE_INTEGER,
    SMALLINT: SNOWFLAKE_INTEGER,
    INT: SNOWFLAKE_INTEGER,
    INTEGER: SNOWFLAKE_INTEGER,
    BIGINT: SNOWFLAKE_INTEGER,
    NUMBER: snowflakeNumber,
    DECIMAL: snowflakeNumber,
    NUMERIC: snowflakeNumber,
    FLOAT: T.Float64,
    FLOAT4: T.Float64,
    REAL: T.Float64,
    TIMESTAMP: T.TimestampNtz,
    DATETIME: T.TimestampNtz,
  },
  databricks: {
    // Databricks TIMESTAMP is "with local time zone"; TIMESTAMP_NTZ is the zone-less one.
    TIMESTAMP: T.Timestamp,
    DECIMAL: (t) => decimalOf(t, 10, 0),
    NUMERIC: (t) => decimalOf(t, 10, 0),
    DEC: (t) => decimalOf(t, 10, 0),
  },
  bigquery: {
    // BigQuery has one integer type, INT64, and all the integer names are aliases of it.
    INT: T.Int64,
    INTEGER: T.Int64,
    SMALLINT: T.Int64,
    TINYINT: T.Int64,
    BYTEINT: T.Int64,
    FLOAT: T.Float64,
    NUMERIC: (t) => decimalOf(t, 38, 9),
    DECIMAL: (t) => decimalOf(t, 38, 9),
    TIMESTAMP: T.Timestamp,
    DATETIME: T.TimestampNtz,
  },
};

function decimalOf(t: TypeName, defaultPrecision: number, defaultScale: number): SqlType {
  const precision = t.params[0] ?? defaultPrecision;
  const scale = t.params[1] ?? (t.params.length > 0 ? 0 : defaultScale);
  return decimal(precision, scale);
}

/** Snowflake NUMBER: NUMBER(38,0) (what every integer name and DESCRIBE use) is Int64; anything else is a decimal. */
function snowflakeNumber(t: TypeName): SqlType {
  const d = decimalOf(t, 38, 0);
  if (d.kind === "Decimal" && d.scale === 0 && d.precision === 38) return T.Int64;
  return d;
}

function structOf(t: TypeName, d: DialectId): SqlType {
  return { kind: "Struct", fields: (t.fields ?? []).map((f) => ({ name: f.name, type: typeFromName(f.type, d) })) };
}

/** A type as written in the SQL of `dialect` → the lattice. Unrecognised names are Unknown (nothing can know them). */
export function typeFromName(t: TypeName, dialect: DialectId): SqlType {
  const name = t.name.toUpperCase();
  const rule = OVERRIDES[dialect][name] ?? BASE[name];
  if (rule === undefined) return T.Unknown;
  return typeof rule === "function" ? rule(t, dialect) : rule;
}

// ---------------------------------------------------------------------------------------------
// Type text (DESCRIBE output, information_schema, schema files) → TypeName → lattice
// ---------------------------------------------------------------------------------------------

const NO_SPAN: Span = { start: 0, end: 0, line: 1, col: 1 };
const MULTIWORD_TAIL = new Set(["PRECISION", "WITH", "WITHOUT", "TIME", "ZONE", "VARYING", "LOCAL"]);

interface Cursor {
  readonly tokens: readonly string[];
  pos: number;
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"]|"")*"|`[^`]*`|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_$]*|-?\d+|[()<>[\],:])/gy;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    out.push(m[1]);
    if (re.lastIndex >= text.length) break;
    m = re.exec(text);
  }
  return out;
}

function peek(c: Cursor): string | undefined {
  return c.tokens[c.pos];
}

function unquote(tok: string): string {
  if (tok.startsWith('"')) return tok.slice(1, -1).replace(/""/g, '"');
  if (tok.startsWith("`")) return tok.slice(1, -1);
  return tok;
}

function parseTypeText(c: Cursor): TypeName | undefined {
  const first = peek(c);
  if (first === undefined || !/^[A-Za-z_]/.test(first)) return undefined;
  c.pos++;
  let name = first.toUpperCase();
  while (peek(c) !== undefined && MULTIWORD_TAIL.has((peek(c) as string).toUpperCase())) {
    name += ` ${(peek(c) as string).toUpperCase()}`;
    c.pos++;
  }
  let t: TypeName = { name, params: [], span: NO_SPAN };
  const open = peek(c);
  if (open === "(" || open === "<") {
    const close = open === "(" ? ")" : ">";
    c.pos++;
    if (name === "STRUCT" || name === "ROW" || name === "RECORD" || name === "OBJECT") {
      const fields: { name: string; type: TypeName }[] = [];
      while (peek(c) !== undefined && peek(c) !== close) {
        const fieldName = unquote(c.tokens[c.pos++]);
        if (peek(c) === ":") c.pos++;
        const ft = parseTypeText(c);
        if (!ft) return undefined;
        fields.push({ name: fieldName, type: ft });
        if (peek(c) === ",") c.pos++;
      }
      c.pos++;
      t = { ...t, fields };
    } else if (name === "ARRAY" || name === "LIST" || name === "MAP") {
      const args: TypeName[] = [];
      while (peek(c) !== undefined && peek(c) !== close) {
        const at = parseTypeText(c);
        if (!at) return undefined;
        args.push(at);
        if (peek(c) === ",") c.pos++;
      }
      c.pos++;
      t = { ...t, args };
    } else {
      const params: number[] = [];
      while (peek(c) !== undefined && peek(c) !== close) {
        const tok = c.tokens[c.pos++];
        if (/^-?\d+$/.test(tok)) params.push(Number(tok));
      }
      c.pos++;
      t = { ...t, params };
    }
  }
  // DuckDB `INTEGER[]`, `INTEGER[3]`, nested `INTEGER[][]`
  while (peek(c) === "[") {
    c.pos++;
    while (peek(c) !== undefined && peek(c) !== "]") c.pos++;
    c.pos++;
    t = { name: "ARRAY", params: [], args: [t], span: NO_SPAN };
  }
  // Snowflake `ARRAY(VARCHAR) NOT NULL` and trailing words are ignored.
  return t;
}

/** Parse a type as a warehouse prints it (`DECIMAL(10,2)`, `INTEGER[]`, `STRUCT(a INTEGER)`, `NUMBER(38,0)`, `ARRAY<STRING>`, `TIMESTAMP WITH TIME ZONE`) into a TypeName, or undefined. */
export function parseTypeName(text: string): TypeName | undefined {
  const tokens = tokenize(text.trim());
  if (tokens.length === 0) return undefined;
  return parseTypeText({ tokens, pos: 0 });
}

/** Every type name some dialect's table knows. */
const KNOWN_TYPE_NAMES: ReadonlySet<string> = new Set([...Object.keys(BASE), ...Object.values(OVERRIDES).flatMap((o) => Object.keys(o))]);

/**
 * Whether a type as a warehouse prints it is one the tables above know, element and field types
 * included; else the word that is not (`BIGNT`), or the whole text when it does not parse. A type
 * written in a schema file that no table knows is typed Unknown, which its writer should hear of.
 */
export function unknownTypeWord(text: string): string | undefined {
  const t = parseTypeName(text);
  if (t === undefined) return text.trim();
  const walk = (n: TypeName): string | undefined => {
    if (!KNOWN_TYPE_NAMES.has(n.name)) return n.name;
    for (const a of n.args ?? []) {
      const bad = walk(a);
      if (bad !== undefined) return bad;
    }
    for (const f of n.fields ?? []) {
      const bad = walk(f.type);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };
  return walk(t);
}

/** The type names the tables know, for a did-you-mean. */
export function knownTypeNames(): readonly string[] {
  return [...KNOWN_TYPE_NAMES];
}

/**
 * Per dialect, type text already read → its type. A schema repeats a handful of type names over
 * thousands of columns; types are immutable, so columns of the same text share one object.
 * Bounded: past the limit, new texts are parsed every time.
 */
const warehouseTypes = new Map<DialectId, Map<string, SqlType>>();
const WAREHOUSE_TYPES_LIMIT = 4096;

/** A type as a warehouse prints it (DESCRIBE output, information_schema, schema files) → the lattice. Unparseable text is Unknown. */
export function typeFromWarehouseName(text: string, dialect: DialectId): SqlType {
  let memo = warehouseTypes.get(dialect);
  if (memo === undefined) warehouseTypes.set(dialect, (memo = new Map()));
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const t = parseTypeName(text);
  const type = t ? typeFromName(t, dialect) : T.Unknown;
  if (memo.size < WAREHOUSE_TYPES_LIMIT) memo.set(text, type);
  return type;
}
