/**
 * R011 agrees with DuckDB's binder. Every probe below is bound by a real in-memory DuckDB
 * (DESCRIBE) and analysed by analyzeModel over the same tables:
 *
 * - whenever we report R011, DuckDB refuses to bind the query (no false alarm on the probe space);
 * - every (function, kind) pair the rule table lists as rejected is reported (the table is what
 *   DuckDB does, not a guess), and so is every operator operand and CASE/COALESCE mix the rules name.
 *
 * The probe space: each function of DUCKDB_ARGUMENT_CHECKS with a column of every kind in each
 * checked position, each arithmetic operator and unary minus with every kind on either side, and
 * every pair of kinds and literals in CASE, COALESCE, IFNULL, GREATEST and LEAST.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DUCKDB_ARGUMENT_CHECKS, DUCKDB_UNIFYING_FUNCTIONS, TEMPORAL_ARGUMENT } from "../../../engine/src/types/functions/duckdb-binder.js";
import type { SqlTypeKind } from "../../../engine/src/types/sql-type.js";
import { useSeededDuckDb } from "./support/seeded-duckdb.js";
import { analyzeSql } from "./support/analyze-sql.js";
import { SEEDS } from "./support/duckdb-corpus.js";

/** One column of `orders` (support/duckdb-corpus.ts) per lattice kind. */
const COLUMN_OF: Readonly<Partial<Record<SqlTypeKind, string>>> = {
  Int32: "id",
  Int64: "customer_id",
  Decimal: "amount",
  Float32: "weight",
  Float64: "price",
  String: "status",
  Boolean: "is_paid",
  Date: "order_date",
  TimestampNtz: "created_at",
  Timestamp: "updated_at",
  Array: "tags",
  Struct: "attrs",
  Map: "props",
  Variant: "payload",
};
const KINDS = Object.keys(COLUMN_OF) as SqlTypeKind[];

/** How to call each checked function, `?` marking the probed argument (the others valid). */
const CALLS: Readonly<Record<string, readonly string[]>> = {
  SUM: ["SUM(?)"],
  AVG: ["AVG(?)"],
  MEAN: ["MEAN(?)"],
  STDDEV: ["STDDEV(?)"],
  STDDEV_SAMP: ["STDDEV_SAMP(?)"],
  STDDEV_POP: ["STDDEV_POP(?)"],
  VARIANCE: ["VARIANCE(?)"],
  VAR_SAMP: ["VAR_SAMP(?)"],
  VAR_POP: ["VAR_POP(?)"],
  PRODUCT: ["PRODUCT(?)"],
  CORR: ["CORR(?, price)", "CORR(price, ?)"],
  COVAR_POP: ["COVAR_POP(?, price)", "COVAR_POP(price, ?)"],
  COVAR_SAMP: ["COVAR_SAMP(?, price)", "COVAR_SAMP(price, ?)"],
  ABS: ["ABS(?)"],
  SIGN: ["SIGN(?)"],
  ROUND: ["ROUND(?)", "ROUND(amount, ?)"],
  CEIL: ["CEIL(?)"],
  CEILING: ["CEILING(?)"],
  FLOOR: ["FLOOR(?)"],
  SQRT: ["SQRT(?)"],
  LN: ["LN(?)"],
  LOG10: ["LOG10(?)"],
  LOG2: ["LOG2(?)"],
  EXP: ["EXP(?)"],
  POWER: ["POWER(?, 2)", "POWER(price, ?)"],
  POW: ["POW(?, 2)", "POW(price, ?)"],
  MOD: ["MOD(?, 2)", "MOD(id, ?)"],
  UPPER: ["UPPER(?)"],
  LOWER: ["LOWER(?)"],
  UCASE: ["UCASE(?)"],
  LCASE: ["LCASE(?)"],
  TRIM: ["TRIM(?)"],
  LTRIM: ["LTRIM(?)"],
  RTRIM: ["RTRIM(?)"],
  REVERSE: ["REVERSE(?)"],
  LENGTH: ["LENGTH(?)"],
  SUBSTR: ["SUBSTR(?, 1, 2)", "SUBSTR(status, ?)"],
  SUBSTRING: ["SUBSTRING(?, 1, 2)", "SUBSTRING(status, ?)"],
  LEFT: ["LEFT(?, 2)", "LEFT(status, ?)"],
  RIGHT: ["RIGHT(?, 2)", "RIGHT(status, ?)"],
  REPLACE: ["REPLACE(?, 'a', 'b')"],
  STRPOS: ["STRPOS(?, 'a')"],
  LPAD: ["LPAD(?, 5, 'x')"],
  RPAD: ["RPAD(?, 5, 'x')"],
  DATE_PART: ["DATE_PART(?, created_at)", "DATE_PART('day', ?)"],
  DATE_TRUNC: ["DATE_TRUNC(?, created_at)", "DATE_TRUNC('day', ?)"],
};

/** Branch values for the unification probes: a column of each kind plus literals. */
const BRANCHES = [...KINDS.map((k) => COLUMN_OF[k] as string), "1", "1.5", "'x'", "TRUE", "DATE '2024-01-01'"];

describe("R011 agrees with DuckDB's binder", () => {
  const db = useSeededDuckDb();

  async function binds(sql: string): Promise<boolean> {
    try {
      await db().runAndReadAll(`DESCRIBE ${sql}`);
      return true;
    } catch {
      return false;
    }
  }

  function r011(sql: string): string[] {
    return analyzeSql(sql, SEEDS, "duckdb")
      .diagnostics.filter((d) => d.code === "R011")
      .map((d) => `${d.message} @${d.span?.line}:${d.span?.col}`);
  }

  /** Probes `expr`; returns whether we reported it, after checking we never report what DuckDB binds. */
  async function probe(expr: string, stats: { reported: number; rejected: number; total: number }): Promise<boolean> {
    const sql = `SELECT ${expr} AS x FROM orders`;
    const ours = r011(sql);
    const duck = await binds(sql);
    stats.total++;
    if (!duck) stats.rejected++;
    if (ours.length > 0) {
      stats.reported++;
      assert.equal(duck, false, `we report R011 but DuckDB binds: ${sql}\n${ours.join("\n")}`);
    }
    return ours.length > 0;
  }

  test("every checked function has call templates here", () => {
    assert.deepEqual(Object.keys(CALLS).sort(), Object.keys(DUCKDB_ARGUMENT_CHECKS).sort());
  });

  test("functions: each listed (function, kind) is rejected by DuckDB and reported; nothing DuckDB binds is reported", async () => {
    const stats = { reported: 0, rejected: 0, total: 0 };
    for (const [name, checks] of Object.entries(DUCKDB_ARGUMENT_CHECKS)) {
      for (const [position, template] of CALLS[name].entries()) {
        for (const kind of KINDS) {
          const reported = await probe(template.replace("?", COLUMN_OF[kind] as string), stats);
          const listed = checks.some((c) => (c.at === "all" || c.at === position) && c.rejects.includes(kind));
          if (listed) assert.ok(reported, `${name} rejects ${kind} at argument ${position} but R011 was not reported: ${template}`);
        }
      }
    }
    // The probe space is not vacuous: most probes DuckDB rejects, and we report a large share of them.
    assert.ok(stats.reported >= 300, `only ${stats.reported} of ${stats.total} probes reported`);
  });

  test("arithmetic: a String or Boolean operand is reported, on the operand", async () => {
    const stats = { reported: 0, rejected: 0, total: 0 };
    for (const op of ["+", "-", "*", "/", "//", "%"]) {
      for (const kind of KINDS) {
        const col = COLUMN_OF[kind] as string;
        for (const expr of [`${col} ${op} id`, `id ${op} ${col}`, `${col} ${op} 2`]) {
          const reported = await probe(expr, stats);
          if (kind === "String" || kind === "Boolean") assert.ok(reported, expr);
        }
      }
    }
    for (const kind of KINDS) {
      const reported = await probe(`-${COLUMN_OF[kind]}`, stats);
      if (kind === "String" || kind === "Boolean") assert.ok(reported, `-${COLUMN_OF[kind]}`);
    }
    // Exactly those: 6 operators × 2 kinds × 3 forms, and unary minus of both.
    assert.equal(stats.reported, 38);
    // A string literal converts: DuckDB has its own ambiguity error for '1' + 1, which we leave to it.
    assert.deepEqual(r011("SELECT order_date + 1 AS a, created_at - INTERVAL 1 DAY AS b, status || id AS c FROM orders"), []);
    assert.deepEqual(r011("SELECT id + status AS a FROM orders"), ["DuckDB has no '+' for Int32 and String ('status' is String) @1:13"]);
  });

  test("CASE, COALESCE, IFNULL, GREATEST, LEAST: mixing text with numbers, dates or booleans, or numbers with dates, is reported", async () => {
    const stats = { reported: 0, rejected: 0, total: 0 };
    const forms = [(a: string, b: string) => `CASE WHEN is_paid THEN ${a} ELSE ${b} END`, ...[...DUCKDB_UNIFYING_FUNCTIONS].map((f) => (a: string, b: string) => `${f}(${a}, ${b})`)];
    for (const form of forms) {
      for (const a of BRANCHES) for (const b of BRANCHES) await probe(form(a, b), stats);
    }
    assert.ok(stats.reported >= 150, `only ${stats.reported} of ${stats.total} reported`);
    // The ones users write: a text column with a number or a date, in either order.
    for (const sql of ["COALESCE(status, id)", "COALESCE(amount, status)", "IFNULL(status, 0)", "CASE WHEN is_paid THEN status ELSE order_date END", "GREATEST(order_date, id)"]) {
      assert.equal(await probe(sql, stats), true, sql);
    }
    // What DuckDB unifies: a string literal with anything, a boolean with a number, a date with a timestamp, JSON with text.
    for (const sql of ["COALESCE(id, 'x')", "COALESCE(is_paid, id)", "COALESCE(created_at, order_date)", "COALESCE(payload, status)", "CASE WHEN is_paid THEN NULL ELSE status END"]) {
      assert.equal(await probe(sql, stats), false, sql);
      assert.ok(await binds(`SELECT ${sql} AS x FROM orders`), sql);
    }
  });

  test("EXTRACT: a number, text or boolean is reported (DuckDB binds it as DATE_PART); dates, timestamps and intervals are not", async () => {
    const stats = { reported: 0, rejected: 0, total: 0 };
    for (const kind of KINDS) {
      const reported = await probe(`EXTRACT(DAY FROM ${COLUMN_OF[kind]})`, stats);
      assert.equal(reported, (TEMPORAL_ARGUMENT(0).rejects as readonly string[]).includes(kind), `EXTRACT(DAY FROM <${kind}>)`);
    }
    assert.equal(stats.reported, 7);
    // The shape of a real PR: a day count became DATEDIFF's BIGINT, and a reader still EXTRACTs days from it.
    const sql = "WITH r AS (SELECT DATEDIFF('day', order_date, created_at) AS days FROM orders)\nSELECT AVG(EXTRACT(DAY FROM r.days)) AS avg_days FROM r";
    assert.deepEqual(r011(sql), ["DuckDB has no EXTRACT for a Int64 argument ('r.days'): it takes a date, timestamp or interval there @2:29"]);
    assert.equal(await binds(sql), false);
    assert.deepEqual(r011("SELECT EXTRACT(DAY FROM created_at - order_date) AS a, EXTRACT(EPOCH FROM created_at) AS b FROM orders"), []);
  });

  test("the finding names the argument and sits on it; other dialects convert implicitly and get none", () => {
    const sql = "SELECT\n  customer_id,\n  SUM(status) AS total\nFROM orders\nGROUP BY customer_id";
    assert.deepEqual(r011(sql), ["DuckDB has no SUM for a String argument ('status'): it takes a number there @3:7"]);
    for (const dialect of ["snowflake", "databricks"] as const) {
      assert.deepEqual(analyzeSql(sql.replace("status", "note"), { orders: "customer_id BIGINT, note STRING" }, dialect).diagnostics.filter((d) => d.code === "R011"), [], dialect);
    }
  });
});
