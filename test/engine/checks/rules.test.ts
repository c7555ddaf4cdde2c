import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkContractColumnAbsent,
  checkContractNullability,
  checkContractProtectedRemoved,
  checkContractRequiredMissing,
  checkContractTypeMismatch,
  checkDependsOnIncomplete,
  checkIcebergFormatOptions,
  checkMergeKeyMissing,
  checkMissingFreshness,
  checkSelectStarConsumers,
  checkTargetCollisions,
  checkTimeInterval,
  checkUnmaskedClassification,
  contractTypeMatches,
  isCanonicalPartitionKey,
  parseAllowPragmas,
  parseTargetDialect,
} from "../../../engine/src/checks/index.js";
import { at, contract, modelConfig, spanIn, T } from "./support/build-inputs.js";

const SQL = "SELECT\n  id,\n  CAST(amount AS INT) AS amount,\n  created_at\nFROM orders";
const cols = [
  { name: "id", type: T.int64, nullable: false, span: spanIn(SQL, "id") },
  { name: "amount", type: T.int32, nullable: true, span: spanIn(SQL, "CAST(amount AS INT) AS amount") },
  { name: "created_at", type: T.ts, nullable: true, span: spanIn(SQL, "created_at") },
];
const base = { model: "m", file: "models/m.sql", sql: SQL };

describe("contract type matching (rocky-compat §6.1)", () => {
  it("is exact on type names: Int32 does not satisfy Int64", () => {
    assert.equal(contractTypeMatches("Int64", T.int32), false);
    assert.equal(contractTypeMatches("Int64", T.int64), true);
    assert.equal(contractTypeMatches("int64", T.int64), false);
  });
  it("lets an Unknown inferred type pass", () => assert.equal(contractTypeMatches("Int64", T.unknown), true));
  it("matches a bare Decimal to any precision; Decimal(p) means scale 0", () => {
    assert.equal(contractTypeMatches("Decimal", T.dec(10, 2)), true);
    assert.equal(contractTypeMatches("Decimal(10,2)", T.dec(10, 2)), true);
    assert.equal(contractTypeMatches("Decimal(10, 2)", T.dec(10, 2)), true);
    assert.equal(contractTypeMatches("Decimal(12,2)", T.dec(10, 2)), false);
    assert.equal(contractTypeMatches("Decimal(10)", T.dec(10, 0)), true);
    assert.equal(contractTypeMatches("Decimal(10)", T.dec(10, 2)), false);
  });
  it("handles complex types, bare and parameterised", () => {
    const arr = { kind: "Array", element: T.int64 } as const;
    assert.equal(contractTypeMatches("Array", arr), true);
    assert.equal(contractTypeMatches("Array<Int64>", arr), true);
    assert.equal(contractTypeMatches("Array<String>", arr), false);
    assert.equal(contractTypeMatches("Map<String, Int64>", { kind: "Map", key: T.string, value: T.int64 }), true);
    assert.equal(contractTypeMatches("Timestamp", { kind: "TimestampNtz" }), false);
  });
});

describe("contracts E010-E013, W010", () => {
  it("E010 names the required column, at its contract line", () => {
    const c = contract({ required: ["id", "customer_id"], columns: [{ name: "customer_id", location: at("models/m.contract.toml", 7, 1) }] });
    const ds = checkContractRequiredMissing({ ...base, contract: c, columns: cols });
    assert.deepEqual(ds.map((d) => [d.code, d.message, d.span?.line]), [["E010", "required column 'customer_id' missing from model output", 7]]);
  });
  it("E011 points at the select item in the model file, with its end", () => {
    const c = contract({ columns: [{ name: "amount", type: "Int64" }, { name: "id", type: "Int64" }] });
    const ds = checkContractTypeMismatch({ ...base, contract: c, columns: cols });
    assert.equal(ds.length, 1);
    assert.equal(ds[0].message, "column 'amount' type mismatch: contract expects Int64, got Int32");
    assert.deepEqual(ds[0].span, { file: "models/m.sql", line: 3, col: 3, endLine: 3, endCol: 32 });
  });
  it("E011 is silent for Unknown inferred types", () => {
    const c = contract({ columns: [{ name: "id", type: "String" }] });
    assert.equal(checkContractTypeMismatch({ ...base, contract: c, columns: [{ name: "id", type: T.unknown, nullable: true }] }).length, 0);
  });
  it("E012 fires only for nullable = false on a nullable column", () => {
    const c = contract({ columns: [{ name: "amount", nullable: false }, { name: "id", nullable: false }, { name: "created_at", nullable: true }] });
    const ds = checkContractNullability({ ...base, contract: c, columns: cols });
    assert.deepEqual(ds.map((d) => [d.code, d.span?.line]), [["E012", 3]]);
  });
  it("E013 and W010 report absent columns; W010 not for required or protected ones", () => {
    const c = contract({
      protected: ["email"],
      required: ["phone"],
      columns: [{ name: "email", location: at("models/m.contract.toml", 3) }, { name: "phone" }, { name: "note", location: at("models/m.contract.toml", 9) }],
    });
    assert.deepEqual(checkContractProtectedRemoved({ ...base, contract: c, columns: cols }).map((d) => [d.code, d.message, d.span?.line]), [["E013", "protected column 'email' has been removed", 3]]);
    assert.deepEqual(checkContractColumnAbsent({ ...base, contract: c, columns: cols }).map((d) => [d.code, d.span?.line]), [["W010", 9]]);
  });
  it("skips presence checks when the output is not provably complete", () => {
    const c = contract({ required: ["x"], protected: ["y"], columns: [{ name: "z" }] });
    const input = { ...base, contract: c, columns: cols, schemaComplete: false };
    assert.equal(checkContractRequiredMissing(input).length + checkContractProtectedRemoved(input).length + checkContractColumnAbsent(input).length, 0);
  });
  it("matches column names case-insensitively", () => {
    const c = contract({ required: ["ID"] });
    assert.equal(checkContractRequiredMissing({ ...base, contract: c, columns: cols }).length, 0);
  });
});

describe("time_interval E020-E026, W003", () => {
  const sidecar = "models/m.toml";
  type Col = { name: string; type: (typeof cols)[number]["type"]; nullable: boolean; span?: (typeof cols)[number]["span"] };
  type Bound = ReturnType<typeof spanIn> | true;
  const ti = (strategy: Record<string, unknown>, columns: Col[] = cols, bounds?: { startDate?: Bound; endDate?: Bound; windowStart?: Bound; windowEnd?: Bound }) =>
    checkTimeInterval({
      ...base,
      sidecarFile: sidecar,
      config: modelConfig("m", {
        strategy: { type: "time_interval", granularity: "day", ...strategy } as never,
        locations: { "strategy.time_column": at(sidecar, 5, 1), "strategy.first_partition": at(sidecar, 7, 1), strategy: at(sidecar, 3, 1) },
      }),
      columns,
      bounds: bounds ?? { startDate: true, endDate: true, windowStart: true, windowEnd: true },
    });
  const codes = (ds: { code: string }[]) => ds.map((d) => d.code);
  it("E020 when time_column is not an output column, with did-you-mean, at the sidecar key", () => {
    const ds = ti({ time_column: "created_a" });
    assert.deepEqual(codes(ds), ["E020"]);
    assert.equal(ds[0].span?.line, 5);
    assert.match(ds[0].suggestion ?? "", /did you mean `created_at`/);
  });
  it("E021 when time_column is not temporal; E022 when nullable; E025 for hour on a DATE", () => {
    assert.deepEqual(codes(ti({ time_column: "id" })), ["E021"]);
    assert.deepEqual(codes(ti({ time_column: "created_at" })), ["E022"]);
    const d = [{ name: "day", type: T.date, nullable: false }];
    assert.deepEqual(codes(ti({ time_column: "day", granularity: "hour" }, d)), ["E025"]);
    assert.deepEqual(codes(ti({ time_column: "day" }, d)), []);
  });
  it("E023 for a time_column that is not a plain identifier", () => assert.deepEqual(codes(ti({ time_column: "created_at; drop" })), ["E023"]));
  it("E026 for a non-canonical first_partition, at its line", () => {
    const ds = ti({ time_column: "day", first_partition: "2024-1-05" }, [{ name: "day", type: T.date, nullable: false }]);
    assert.deepEqual(codes(ds), ["E026"]);
    assert.equal(ds[0].span?.line, 7);
    assert.match(ds[0].suggestion ?? "", /YYYY-MM-DD/);
  });
  it("knows the canonical keys per grain, and real dates only", () => {
    assert.ok(isCanonicalPartitionKey("2024-03-05T07", "hour"));
    assert.ok(!isCanonicalPartitionKey("2024-03-05", "hour"));
    assert.ok(isCanonicalPartitionKey("2024-02-29", "day"));
    assert.ok(!isCanonicalPartitionKey("2023-02-29", "day"));
    assert.ok(isCanonicalPartitionKey("2024-12", "month"));
    assert.ok(!isCanonicalPartitionKey("2024-13", "month"));
    assert.ok(isCanonicalPartitionKey("2024", "year"));
    assert.ok(!isCanonicalPartitionKey("24", "year"));
  });
  it("E024 with neither bound, W003 with one, at the bound it has", () => {
    const d = [{ name: "day", type: T.date, nullable: false }];
    assert.deepEqual(codes(ti({ time_column: "day" }, d, {})), ["E024"]);
    const sql = "SELECT day FROM t WHERE day >= @start_date";
    const ds = checkTimeInterval({ ...base, sql, config: modelConfig("m", { strategy: { type: "time_interval", time_column: "day", granularity: "day" } }), columns: d, bounds: { startDate: spanIn(sql, "@start_date"), windowStart: spanIn(sql, "@start_date") } });
    assert.deepEqual(codes(ds), ["W003"]);
    assert.deepEqual(ds[0].span, { file: "models/m.sql", line: 1, col: 32, endLine: 1, endCol: 43 });
    assert.match(ds[0].message, /unbounded above/);
  });
  it("E024 where the bounds are used but filter no emitted row, at the first of them", () => {
    const d = [{ name: "day", type: T.date, nullable: false }];
    const sql = "SELECT day, @start_date AS s, @end_date AS e FROM t";
    const ds = checkTimeInterval({ ...base, sql, config: modelConfig("m", { strategy: { type: "time_interval", time_column: "day", granularity: "day" } }), columns: d, bounds: { startDate: spanIn(sql, "@start_date"), endDate: spanIn(sql, "@end_date") } });
    assert.deepEqual(codes(ds), ["E024"]);
    assert.deepEqual(ds[0].span, { file: "models/m.sql", line: 1, col: 13, endLine: 1, endCol: 24 });
    assert.match(ds[0].message, /does not filter the rows it emits/);
  });
  it("does nothing for other strategies", () => {
    assert.equal(checkTimeInterval({ ...base, config: modelConfig("m"), columns: cols }).length, 0);
  });
});

describe("governance and config", () => {
  it("W004 per unmasked (column, tag), at the sidecar line; env overrides and allow_unmasked resolve", () => {
    const config = modelConfig("m", {
      classification: { email: "PII", phone: "contact", ssn: "secret", note: "internal" },
      locations: { "classification.email": at("models/m.toml", 4), classification: at("models/m.toml", 3) },
    });
    const ds = checkUnmaskedClassification(
      { model: "m", file: "models/m.sql", sidecarFile: "models/m.toml", config },
      { mask: { defaults: { secret: "hash" }, envs: { prod: { contact: "redact" } } }, allowUnmasked: ["Internal"] },
    );
    assert.deepEqual(ds.map((d) => [d.code, d.message, d.span?.line]), [["W004", "classification tag 'PII' on column 'email' has no matching [mask] strategy", 4]]);
  });
  it("W005 when temporal columns have no freshness in scope, at the first temporal select item", () => {
    const input = { ...base, sidecarFile: "models/m.toml", config: modelConfig("m"), columns: cols };
    const ds = checkMissingFreshness(input);
    assert.equal(ds.length, 1);
    assert.equal(ds[0].message, "model 'm' has temporal column(s) (created_at) but no `freshness` block declared");
    assert.equal(ds[0].span?.line, 4);
    assert.equal(checkMissingFreshness({ ...input, config: modelConfig("m", { freshness: { max_lag_seconds: 60 } }) }).length, 0);
    assert.equal(checkMissingFreshness({ ...input, projectExpectedLagSeconds: 3600 }).length, 0);
    assert.equal(checkMissingFreshness({ ...input, columns: cols.slice(0, 2) }).length, 0);
  });
  it("W006 for a merge key not in a complete output (case-insensitive), silent when incomplete", () => {
    const config = modelConfig("m", { strategy: { type: "merge", unique_key: ["ID", "order_id"] }, locations: { "strategy.unique_key": at("models/m.toml", 6) } });
    const ds = checkMergeKeyMissing({ ...base, config, columns: cols, projectionComplete: true });
    assert.deepEqual(ds.map((d) => [d.code, d.message, d.span?.line]), [["W006", "unique_key 'order_id' is not in the output schema of model 'm'", 6]]);
    assert.equal(checkMergeKeyMissing({ ...base, config, columns: cols, projectionComplete: false }).length, 0);
  });
  it("D011 when an explicit depends_on misses SQL dependencies, at the depends_on line", () => {
    const config = modelConfig("m", { depends_on: ["stg_a"], locations: { depends_on: at("models/m.toml", 2) } });
    const ds = checkDependsOnIncomplete({ model: "m", file: "models/m.sql", sidecarFile: "models/m.toml", config, sqlDependencies: ["stg_a", "stg_b"] });
    assert.deepEqual(ds.map((d) => [d.code, d.span?.line]), [["D011", 2]]);
    assert.match(ds[0].message, /'stg_b'/);
    assert.equal(checkDependsOnIncomplete({ model: "m", file: "models/m.sql", config: modelConfig("m"), sqlDependencies: ["x"] }).length, 0);
  });
  it("E035 for partition_by with cluster_by, and for engine-managed write.format.* properties", () => {
    const config = modelConfig("m", { format: "iceberg_table", format_options: { partition_by: ["d"], cluster_by: ["c"], properties: { "write.format.default": "orc", "x.y": "1" } } });
    const ds = checkIcebergFormatOptions({ model: "m", file: "models/m.sql", sidecarFile: "models/m.toml", config });
    assert.equal(ds.length, 2);
    assert.ok(ds.every((d) => d.code === "E035"));
    assert.equal(checkIcebergFormatOptions({ model: "m", file: "models/m.sql", config: modelConfig("m", { format: "delta_table", format_options: { partition_by: ["d"], cluster_by: ["c"] } }) }).length, 0);
  });
  it("E036 once per model writing the same target, case-insensitively", () => {
    const m = (name: string, table: string) => ({ name, file: `models/${name}.sql`, sidecarFile: `models/${name}.toml`, config: modelConfig(name, { target: { catalog: "wh", schema: "main", table } }) });
    const ds = checkTargetCollisions([m("b", "orders"), m("a", "ORDERS"), m("c", "other")]);
    assert.deepEqual(ds.map((d) => [d.model, d.message]), [
      ["b", "models [a, b] all target 'wh.main.orders'"],
      ["a", "models [a, b] all target 'wh.main.orders'"],
    ]);
  });
});

describe("P002 select-star consumers", () => {
  const sql = "-- staging\nSELECT *\nFROM raw.orders";
  const input = { model: "stg", file: "models/stg.sql", hasStar: true, starSpan: spanIn(sql, "*"), columns: ["id", "a", "b", "c", "d"], sql };
  it("lists at most 3 columns per consumer, at the * item", () => {
    const ds = checkSelectStarConsumers({ ...input, consumers: [{ name: "fct", columns: ["D", "a", "b", "c"] }, { name: "dim", columns: ["id"] }, { name: "other", columns: ["zzz"] }] });
    assert.equal(ds.length, 1);
    assert.equal(ds[0].message, "SELECT * silently propagates upstream schema changes to 2 downstream consumers: `dim` (id), `fct` (a, b, c, +1 more)");
    assert.deepEqual(ds[0].span, { file: "models/stg.sql", line: 2, col: 8, endLine: 2, endCol: 9 });
  });
  it("never flags a leaf, nor a model without *", () => {
    assert.equal(checkSelectStarConsumers({ ...input, consumers: [] }).length, 0);
    assert.equal(checkSelectStarConsumers({ ...input, hasStar: false, consumers: [{ name: "x", columns: ["id"] }] }).length, 0);
  });
});

describe("pragmas and targets", () => {
  it("reads -- rocky-allow: case-insensitively, comma-separated, accumulating", () => {
    const p = parseAllowPragmas({ sql: "-- ROCKY-ALLOW: nvl,, Qualify,\n  -- rocky-allow : ilike\nSELECT '-- rocky-allow: LEN'\n-- rocky-allow NVL2" });
    assert.deepEqual([...p].sort(), ["ILIKE", "NVL", "QUALIFY"]);
  });
  it("takes short and long target names", () => {
    assert.equal(parseTargetDialect("dbx"), "databricks");
    assert.equal(parseTargetDialect("SF"), "snowflake");
    assert.equal(parseTargetDialect("bq"), "bigquery");
    assert.equal(parseTargetDialect("BigQuery"), "bigquery");
    assert.equal(parseTargetDialect("duckdb"), "duckdb");
    assert.equal(parseTargetDialect("trino"), undefined);
  });
});
