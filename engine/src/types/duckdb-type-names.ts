/**
 * Every type name the DuckDB the engine runs models on has (`duckdb_types()`, aliases included),
 * lower-case, for R020 (analyze-model.ts). Data, written and checked against a real DuckDB by
 * test/engine/types/duckdb-type-names.test.ts (UPDATE_GOLDEN=1 writes it anew).
 */
export const DUCKDB_TYPE_NAMES: ReadonlySet<string> = new Set([
  "array", "bigint", "bignum", "binary", "bit", "bitstring", "blob", "bool", "boolean", "bpchar", "bytea", "char",
  "date", "datetime", "dec", "decimal", "double", "enum", "float", "float4", "float8", "geometry", "guid", "hugeint",
  "int", "int1", "int128", "int16", "int2", "int32", "int4", "int64", "int8", "integer", "integral", "interval",
  "json", "list", "logical", "long", "map", "null", "numeric", "nvarchar", "oid", "real", "row", "short", "signed",
  "smallint", "string", "struct", "text", "time", "time with time zone", "time_ns", "timestamp",
  "timestamp with time zone", "timestamp_ms", "timestamp_ns", "timestamp_s", "timestamp_us", "timestamptz", "timetz",
  "tinyint", "type", "ubigint", "uhugeint", "uint128", "uint16", "uint32", "uint64", "uint8", "uinteger", "union",
  "usmallint", "utinyint", "uuid", "varbinary", "varchar", "variant", "varint",
]);
