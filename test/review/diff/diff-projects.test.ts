import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompiledModel, CompiledProject } from "../../../engine/src/compile/types.js";
import { diffProjects } from "../../../review/src/diff/diff-projects.js";
import type { ChangedFile } from "../../../review/src/report/types.js";
import { col, type ModelOptions, model, project } from "./build-compiled.js";

function changedSql(...names: string[]): ChangedFile[] {
  return names.map((n) => ({ path: `models/${n}.sql`, projectPath: `models/${n}.sql`, status: "modified", headRanges: [{ start: 1, end: 3 }], binary: false, role: "model_sql" }));
}

const contract = { columns: [{ name: "amount", type: "Decimal(18,2)", nullable: false }], required: ["amount"] };

interface Chain {
  stg?: Partial<ModelOptions>;
  int?: Partial<ModelOptions>;
  fct?: Partial<ModelOptions>;
  amountType?: string;
}

/** raw.orders → stg_orders → int_orders → fct_revenue (contract on amount). */
function chain(o: Chain = {}): CompiledModel[] {
  const t = o.amountType ?? "Decimal(18,2)";
  return [
    model("stg_orders", {
      columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false, line: 2 }), col("amount", t, { src: ["raw.orders.amount"], nullable: false, line: 3 }), col("status", "String", { src: ["raw.orders.status"], line: 4 })],
      ...o.stg,
    }),
    model("int_orders", {
      columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", t, { src: ["stg_orders.amount"], nullable: false }), col("status", "String", { src: ["stg_orders.status"] })],
      ...o.int,
    }),
    model("fct_revenue", {
      columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", t, { src: ["int_orders.amount"], nullable: false, line: 5 })],
      contract,
      exposures: ["revenue_dashboard"],
      ...o.fct,
    }),
  ];
}

describe("diffProjects", () => {
  it("a reordering names the columns it moved, the fewest that explain it", () => {
    // A real PR (DataRecce/jaffle-shop-expand 51a9ad4) swapped order_count and total_spend.
    const cols = (names: string[]) => names.map((n) => col(n, "Int64", { src: [`raw.t.${n}`] }));
    const base = model("rfm", { columns: cols(["customer_id", "days", "order_count", "total_spend", "score"]) });
    const detail = (names: string[]) => diffProjects(project([base]), project([model("rfm", { columns: cols(names), sql: "head" })]), changedSql("rfm")).breakingChanges.find((b) => b.kind === "column_reordered")?.detail;
    assert.equal(detail(["customer_id", "days", "total_spend", "order_count", "score"]), "output columns reordered (order_count moved)");
    assert.equal(detail(["score", "customer_id", "days", "order_count", "total_spend"]), "output columns reordered (score moved)");
    assert.equal(detail(["score", "total_spend", "order_count", "days", "customer_id"]), "output columns reordered (total_spend, order_count, days and 1 more moved)");
    assert.equal(detail(["customer_id", "days", "order_count", "total_spend", "score"]), undefined);
  });

  it("a PR touching no model has no changes", () => {
    const d = diffProjects(project(chain()), project(chain()), []);
    assert.equal(d.columnChanges.length, 0);
    assert.equal(d.models.length, 0);
    assert.equal(d.blastRadius.totalConsumers, 0);
    assert.equal(d.contracts.length, 0);
  });

  it("a column renamed two models upstream of a contracted mart is an error with its full path", () => {
    const head = chain({
      stg: {
        columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount_usd", "Decimal(18,2)", { src: ["raw.orders.amount"], fp: "amount", nullable: false, line: 3 }), col("status", "String", { src: ["raw.orders.status"] })],
      },
      int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Unknown", { src: ["stg_orders.amount"] }), col("status", "String", { src: ["stg_orders.status"] })] },
      fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Unknown", { src: ["int_orders.amount"] })] },
    });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders"));
    const renamed = d.columnChanges.filter((c) => c.change.kind === "renamed");
    assert.equal(renamed.length, 1);
    assert.deepEqual(renamed[0].change, { kind: "renamed", from: "amount" });
    assert.equal(renamed[0].column, "amount_usd");
    assert.equal(renamed[0].severity, "breaking");
    assert.equal(d.columnChanges.filter((c) => c.change.kind === "added" || c.change.kind === "removed").length, 0, "a rename is not an add plus a drop");
    const entry = d.blastRadius.entries.find((e) => e.changeId === renamed[0].id);
    assert.equal(entry?.tracedOn, "base");
    assert.deepEqual(entry?.consumers.map((c) => [c.model, c.column, c.depth, c.contracted]), [
      ["int_orders", "amount", 1, false],
      ["fct_revenue", "amount", 2, true],
    ]);
    assert.deepEqual(entry?.consumers[1].exposures, ["revenue_dashboard"]);
    const broken = d.contracts.filter((c) => c.model === "fct_revenue" && c.severity === "Error");
    assert.equal(broken.length, 1);
    assert.equal(broken[0].code, "E010");
    assert.equal(broken[0].origin, "upstream");
    assert.equal(broken[0].pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    assert.equal(broken[0].span?.file, "models/stg_orders.sql");
    assert.equal(broken[0].span?.line, 3);
    assert.equal(broken[0].new, true);
    assert.equal(broken[0].diagnostic.severity, "Error");
  });

  it("a removed column whose contracted consumer is still typed on head (it reads the data another way) does not lose its source", () => {
    const head = chain({
      stg: { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("status", "String", { src: ["raw.orders.status"] })] },
      int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], nullable: false }), col("status", "String", { src: ["stg_orders.status"] })] },
    });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders", "int_orders"));
    assert.ok(d.columnChanges.some((c) => c.model === "stg_orders" && c.column === "amount" && c.change.kind === "removed"));
    assert.deepEqual(d.contracts.filter((c) => c.severity === "Error"), []);
    // Untyped on head, the same removal is an error on the contract (the case above, by a rename).
  });

  it("a narrowing type change upstream breaks the mart's contract type (E011) with the path; the intermediate change is propagated", () => {
    const d = diffProjects(project(chain()), project(chain({ amountType: "Int32" })), changedSql("stg_orders"));
    const stg = d.columnChanges.find((c) => c.model === "stg_orders" && c.column === "amount");
    assert.deepEqual(stg?.change, { kind: "type_changed", old: "Decimal(18,2)", new: "Int32", narrowing: true });
    assert.equal(stg?.severity, "breaking", "Decimal(18,2) → Int32 drops the cents: narrowing (not in Rocky's list; see is-narrowing.ts)");
    const int = d.columnChanges.find((c) => c.model === "int_orders" && c.column === "amount");
    assert.equal(int?.direct, false);
    // The narrowing that flowed into int_orders names the change it comes from; the root does not.
    const propagated = d.breakingChanges.find((b) => b.kind === "column_type_changed" && b.model === "int_orders");
    assert.equal(propagated?.from, "stg_orders.amount");
    assert.equal(propagated?.detail, "amount: Decimal(18,2) → Int32 (narrowing), from stg_orders.amount");
    assert.equal(d.breakingChanges.find((b) => b.kind === "column_type_changed" && b.model === "stg_orders")?.from, undefined);
    const e011 = d.contracts.find((c) => c.code === "E011");
    assert.equal(e011?.model, "fct_revenue");
    assert.equal(e011?.expected, "Decimal(18,2)");
    assert.equal(e011?.actual, "Int32");
    assert.equal(e011?.origin, "upstream");
    assert.equal(e011?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    assert.equal(e011?.severity, "Error");
  });

  it("when the intermediate model is touched too, the contract path starts at the root-most change", () => {
    const d = diffProjects(project(chain()), project(chain({ amountType: "Int32" })), changedSql("stg_orders", "int_orders"));
    assert.equal(d.columnChanges.find((c) => c.model === "int_orders" && c.column === "amount")?.direct, false, "same expression over a changed input: inherited");
    const e011 = d.contracts.find((c) => c.code === "E011");
    assert.equal(e011?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
  });

  it("Int64 → Int32 is a narrowing (breaking) change; Int32 → Int64 is widening (info)", () => {
    const narrow = diffProjects(project(chain({ amountType: "Int64" })), project(chain({ amountType: "Int32" })), changedSql("stg_orders"));
    const n = narrow.columnChanges.find((c) => c.model === "stg_orders" && c.column === "amount");
    assert.equal(n?.change.kind === "type_changed" && n.change.narrowing, true);
    assert.equal(n?.severity, "breaking");
    assert.ok(narrow.breakingChanges.some((b) => b.kind === "column_type_changed" && b.model === "int_orders" && b.severity === "breaking"), "a propagated narrowing is breaking too");
    const widen = diffProjects(project(chain({ amountType: "Int32" })), project(chain({ amountType: "Int64" })), changedSql("stg_orders"));
    assert.equal(widen.columnChanges.find((c) => c.model === "stg_orders")?.severity, "info");
  });

  it("an expression change with unchanged type is logic_changed; consumers are traced on head", () => {
    const head = chain({
      stg: { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], fp: "round(amount, 2)", nullable: false, line: 3 }), col("status", "String", { src: ["raw.orders.status"] })] },
    });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders"));
    assert.equal(d.columnChanges.length, 1);
    assert.deepEqual(d.columnChanges[0].change, { kind: "logic_changed", reason: "expression" });
    assert.equal(d.columnChanges[0].severity, "warning");
    assert.equal(d.columnChanges[0].consumers, 2);
    assert.equal(d.blastRadius.entries[0].tracedOn, "head");
    assert.deepEqual(d.downstreamModels, ["fct_revenue", "int_orders"]);
    assert.equal(d.contracts.length, 0, "the contract still holds");
    assert.deepEqual(d.models.map((m) => [m.model, m.status]), [["stg_orders", "modified"], ["int_orders", "unchanged"], ["fct_revenue", "unchanged"]]);
  });

  it("the same expression over a different input (FROM a → FROM b) is logic_changed", () => {
    const head = chain({
      stg: { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders_v2.amount"], nullable: false }), col("status", "String", { src: ["raw.orders.status"] })] },
    });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders"));
    assert.deepEqual(d.columnChanges.map((c) => [c.model, c.column, c.change]), [["stg_orders", "amount", { kind: "logic_changed", reason: "expression" }]]);
    assert.match(d.breakingChanges.find((b) => b.kind === "column_logic_changed")?.detail ?? "", /now reads raw\.orders_v2\.amount/);
  });

  it("a touched downstream model whose column reads a changed column gets logic_changed (upstream)", () => {
    const stgCols = [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], fp: "amount * 100", nullable: false }), col("status", "String", { src: ["raw.orders.status"] })];
    const head = chain({ stg: { columns: stgCols }, int: { columns: [...chain()[1].columns, col("note", "String", { fp: "'x'" })] } });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders", "int_orders"));
    const up = d.columnChanges.find((c) => c.model === "int_orders" && c.column === "amount");
    assert.deepEqual(up?.change, { kind: "logic_changed", reason: "upstream", upstream: [{ model: "stg_orders", column: "amount" }] });
    assert.equal(up?.severity, "info");
  });

  it("a WHERE change is a row-level change reaching every column of every downstream model", () => {
    const d = diffProjects(project(chain({ stg: { rowLevel: { where: "status <> 'x'" } } })), project(chain({ stg: { rowLevel: { where: "status <> 'y'" } } })), changedSql("stg_orders"));
    assert.equal(d.rowLevelChanges.length, 1);
    assert.equal(d.rowLevelChanges[0].clause, "where");
    assert.equal(d.rowLevelChanges[0].consumers, 5);
    const e = d.blastRadius.entries[0];
    assert.equal(e.rowLevel, true);
    assert.deepEqual(e.models, ["fct_revenue", "int_orders"]);
    assert.deepEqual(e.consumers.filter((c) => c.model === "fct_revenue").map((c) => [c.column, c.depth, c.transform]), [["amount", 2, "row_level"], ["id", 2, "row_level"]]);
    assert.ok(d.breakingChanges.some((b) => b.kind === "row_level_changed" && b.severity === "warning"));
  });

  it("a removed column lists its consumers traced on base", () => {
    const head = chain({
      stg: { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], nullable: false })] },
      int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: false }), col("status", "Unknown", { src: ["stg_orders.status"] })] },
    });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders"));
    const removed = d.columnChanges.find((c) => c.change.kind === "removed");
    assert.equal(removed?.column, "status");
    assert.equal(removed?.span?.side, "base");
    assert.equal(removed?.span?.line, 4);
    const e = d.blastRadius.entries.find((x) => x.changeId === removed?.id);
    assert.equal(e?.tracedOn, "base");
    assert.deepEqual(e?.consumers.map((c) => `${c.model}.${c.column}`), ["int_orders.status"]);
    assert.ok(d.breakingChanges.some((b) => b.kind === "column_dropped" && b.severity === "breaking"));
  });

  it("a removed column a downstream model only filters on reaches that model whole (it fails), and its readers", () => {
    const base = chain({ fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], rowReads: { filters: ["int_orders.status"] } } });
    const head = chain({
      int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: false })] },
      fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], rowReads: { filters: ["int_orders.status"] } },
    });
    const d = diffProjects(project(base), project(head), changedSql("int_orders"));
    const removed = d.columnChanges.find((c) => c.change.kind === "removed");
    assert.equal(removed?.column, "status");
    const e = d.blastRadius.entries.find((x) => x.changeId === removed?.id);
    assert.deepEqual(e?.consumers.map((c) => `${c.model}.${c.column} ${c.depth} ${c.transform} via ${c.via}`), ["fct_revenue.amount 1 row_level via int_orders.status", "fct_revenue.id 1 row_level via int_orders.status"]);
    assert.equal(d.blastRadius.totalConsumers, 2);
  });

  it("a model reached whole through its filter passes its new rows on: a COUNT(*) of it, which names no column, is reached", () => {
    const filtersOnStatus = (statusExpr: string) => [
      ...chain({
        int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: false }), col("status", "String", { src: ["stg_orders.status"], fp: statusExpr })] },
        fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], rowReads: { filters: ["int_orders.status"] } },
      }),
      model("rpt_order_count", { columns: [col("n", "Int64", { fp: "COUNT(*)", nullable: false })], dependsOn: ["fct_revenue"] }),
      model("rpt_last", { columns: [col("label", "String", { fp: "'orders'" })], dependsOn: ["rpt_order_count"] }),
    ];
    const d = diffProjects(project(filtersOnStatus("stg_orders.status")), project(filtersOnStatus("lower(stg_orders.status)")), changedSql("int_orders"));
    const changed = d.columnChanges.find((c) => c.model === "int_orders" && c.column === "status");
    const e = d.blastRadius.entries.find((x) => x.changeId === changed?.id);
    assert.deepEqual(e?.consumers.map((c) => `${c.model}.${c.column} ${c.depth} ${c.transform} via ${c.via}`), [
      "fct_revenue.amount 1 row_level via int_orders.status",
      "fct_revenue.id 1 row_level via int_orders.status",
      "rpt_order_count.n 2 row_level via fct_revenue.id",
      "rpt_last.label 3 row_level via rpt_order_count.n",
    ]);
    assert.deepEqual(e?.models, ["fct_revenue", "rpt_last", "rpt_order_count"]);
  });

  it("a removed column a model names in one select item fails that model (R008 on head): every column of it is reached, and every model downstream", () => {
    const withFlag = (stgStatus: boolean) => [
      model("stg_orders", { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false, line: 2 }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], line: 3 }), ...(stgStatus ? [col("status", "String", { src: ["raw.orders.status"], line: 4 })] : [])] }),
      model("int_orders", { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"] }), col("is_open", stgStatus ? "Boolean" : "Unknown", { src: stgStatus ? ["stg_orders.status:expression"] : [], fp: "(stg_orders.status = 'open')" })] }),
      model("fct_amounts", { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"] })] }),
      model("rpt_count", { columns: [col("n", "Int64", { fp: "COUNT(*)", nullable: false })], dependsOn: ["fct_amounts"] }),
    ];
    const head = project(withFlag(false));
    const r008 = { code: "R008", severity: "Error", message: "column 'status' not found in columns of stg_orders", model: "int_orders" } as unknown as CompiledProject["diagnostics"][number];
    const d = diffProjects(project(withFlag(true)), { ...head, diagnostics: [r008] }, changedSql("stg_orders"));
    const removed = d.columnChanges.find((c) => c.change.kind === "removed" && c.model === "stg_orders");
    const e = d.blastRadius.entries.find((x) => x.changeId === removed?.id);
    assert.deepEqual(e?.models, ["fct_amounts", "int_orders", "rpt_count"]);
    assert.deepEqual(
      e?.consumers.map((c) => `${c.model}.${c.column} ${c.depth} ${c.transform}`),
      ["int_orders.amount 1 row_level", "int_orders.id 1 row_level", "int_orders.is_open 1 expression", "fct_amounts.amount 2 direct", "fct_amounts.id 2 direct", "rpt_count.n 3 row_level"],
    );
    // Without the failure (a reader that does not name the column): only the column that reads it.
    const quiet = diffProjects(project(withFlag(true)), head, changedSql("stg_orders"));
    assert.deepEqual(quiet.blastRadius.entries[0]?.consumers.map((c) => `${c.model}.${c.column}`), ["int_orders.is_open"]);
  });

  it("a changed expression a downstream model groups or joins on reaches its rows; a type widened there does not", () => {
    const groupsOnStatus = (statusExpr: string, statusType = "String") =>
      chain({
        int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: false }), col("status", statusType, { src: ["stg_orders.status"], fp: statusExpr })] },
        fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], rowReads: { groups: ["int_orders.status"], joins: ["int_orders.status"] } },
      });
    const logic = diffProjects(project(groupsOnStatus("status")), project(groupsOnStatus("lower(status)")), changedSql("int_orders"));
    const changed = logic.columnChanges.find((c) => c.model === "int_orders" && c.column === "status");
    assert.equal(changed?.change.kind, "logic_changed");
    assert.deepEqual(logic.blastRadius.entries.find((x) => x.changeId === changed?.id)?.consumers.map((c) => `${c.model}.${c.column}`), ["fct_revenue.amount", "fct_revenue.id"]);

    const widened = diffProjects(project(groupsOnStatus("status", "Int32")), project(groupsOnStatus("status", "Int64")), changedSql("int_orders"));
    const typed = widened.columnChanges.find((c) => c.model === "int_orders" && c.column === "status");
    assert.deepEqual(typed?.change, { kind: "type_changed", old: "Int32", new: "Int64", narrowing: false });
    assert.deepEqual(widened.blastRadius.entries.find((x) => x.changeId === typed?.id)?.consumers ?? [], []);
  });

  it("an expression rewritten with its nullability or type (COALESCE(x, 0), x OR y) reaches the models filtering on it; a bare CAST does not", () => {
    const filtersOnStatus = (statusExpr: string, o: { type?: string; nullable?: boolean } = {}) =>
      chain({
        int: { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: false }), col("status", o.type ?? "String", { src: ["stg_orders.status"], fp: statusExpr, nullable: o.nullable ?? true })] },
        fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], rowReads: { filters: ["int_orders.status"] } },
      });
    const coalesced = diffProjects(project(filtersOnStatus("stg_orders.status")), project(filtersOnStatus("COALESCE(stg_orders.status, 'none')", { nullable: false })), changedSql("int_orders"));
    const c = coalesced.columnChanges.find((x) => x.model === "int_orders" && x.column === "status");
    assert.deepEqual(c?.change, { kind: "nullability_changed", old: true, new: false, expression: true });
    assert.equal(c?.severity, "warning");
    assert.deepEqual(coalesced.blastRadius.entries.find((x) => x.changeId === c?.id)?.consumers.map((x) => `${x.model}.${x.column} ${x.transform}`), ["fct_revenue.amount row_level", "fct_revenue.id row_level"]);
    assert.match(coalesced.breakingChanges.find((b) => b.column === "status")?.detail ?? "", /nullable → NOT NULL; expression changed/);

    const loosened = diffProjects(project(filtersOnStatus("stg_orders.status", { nullable: false })), project(filtersOnStatus("(stg_orders.status OR stg_orders.id)")), changedSql("int_orders"));
    const l = loosened.columnChanges.find((x) => x.model === "int_orders" && x.column === "status");
    assert.equal(l?.severity, "warning");
    assert.equal(loosened.blastRadius.entries.find((x) => x.changeId === l?.id)?.consumers.length, 2);

    // A cast only: every value kept, so the filtering model keeps its rows.
    const cast = diffProjects(project(filtersOnStatus("stg_orders.status", { type: "Int32" })), project(filtersOnStatus("CAST(stg_orders.status AS Int64)", { type: "Int64" })), changedSql("int_orders"));
    const t = cast.columnChanges.find((x) => x.model === "int_orders" && x.column === "status");
    assert.deepEqual(t?.change, { kind: "type_changed", old: "Int32", new: "Int64", narrowing: false });
    assert.equal(t?.severity, "info");
    assert.deepEqual(cast.blastRadius.entries.find((x) => x.changeId === t?.id)?.consumers ?? [], []);
  });

  it("a widened type reaches only the columns whose type widens with it, not those it feeds whose type stays (a CASE label, a COUNT)", () => {
    const widened = (t: string, fp: string) => [
      model("stg_orders", { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false, line: 2 }), col("amount", t, { src: ["raw.orders.amount:cast"], fp, line: 3 })] }),
      model("int_orders", { columns: [col("id", "Int64", { src: ["stg_orders.id"], nullable: false }), col("amount", t, { src: ["stg_orders.amount"] }), col("band", "String", { src: ["stg_orders.amount:expression"], fp: "CASE WHEN (stg_orders.amount > 100) THEN 'big' ELSE 'small' END" })] }),
      model("fct_orders", { columns: [col("amount", t, { src: ["int_orders.amount"] }), col("band", "String", { src: ["int_orders.band"] }), col("n", "Int64", { src: ["int_orders.amount:count"], fp: "COUNT(int_orders.amount)", nullable: false })] }),
    ];
    const d = diffProjects(project(widened("Int32", "raw.orders.amount")), project(widened("Int64", "CAST(raw.orders.amount AS Int64)")), changedSql("stg_orders"));
    const root = d.columnChanges.find((c) => c.model === "stg_orders" && c.direct);
    assert.deepEqual(root?.change, { kind: "type_changed", old: "Int32", new: "Int64", narrowing: false });
    assert.deepEqual(d.blastRadius.entries.find((e) => e.changeId === root?.id)?.consumers.map((c) => `${c.model}.${c.column}`), ["int_orders.amount", "fct_orders.amount"]);
    // Narrowed, values can be lost: every reader is reached.
    const narrowed = diffProjects(project(widened("Int64", "raw.orders.amount")), project(widened("Int32", "CAST(raw.orders.amount AS Int32)")), changedSql("stg_orders"));
    const n = narrowed.columnChanges.find((c) => c.model === "stg_orders" && c.direct);
    assert.deepEqual(narrowed.blastRadius.entries.find((e) => e.changeId === n?.id)?.consumers.map((c) => `${c.model}.${c.column}`), ["int_orders.amount", "int_orders.band", "fct_orders.amount", "fct_orders.band", "fct_orders.n"]);
  });

  it("nullability: nullable → NOT NULL is a warning, the reverse is info and breaks E012 downstream", () => {
    const nn = (n: boolean) => chain({ stg: { columns: [col("id", "Int64", { src: ["raw.orders.id"], nullable: false }), col("amount", "Decimal(18,2)", { src: ["raw.orders.amount"], nullable: n }), col("status", "String", { src: ["raw.orders.status"] })] }, int: { columns: [col("id", "Int64", { src: ["stg_orders.id"] }), col("amount", "Decimal(18,2)", { src: ["stg_orders.amount"], nullable: n }), col("status", "String", { src: ["stg_orders.status"] })] }, fct: { columns: [col("id", "Int64", { src: ["int_orders.id"] }), col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: n })] } });
    const relax = diffProjects(project(nn(false)), project(nn(true)), changedSql("stg_orders"));
    const c = relax.columnChanges.find((x) => x.model === "stg_orders");
    assert.deepEqual(c?.change, { kind: "nullability_changed", old: false, new: true });
    assert.equal(c?.severity, "info");
    const e012 = relax.contracts.find((x) => x.code === "E012");
    assert.equal(e012?.model, "fct_revenue");
    assert.equal(e012?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    const tighten = diffProjects(project(nn(true)), project(nn(false)), changedSql("stg_orders"));
    assert.equal(tighten.columnChanges.find((x) => x.model === "stg_orders")?.severity, "warning");
  });

  it("model added, removed, target renamed and strategy changed", () => {
    const base = [...chain(), model("old_report", { columns: [col("x", "Int64", { src: ["fct_revenue.amount"] })] })];
    const head = chain({ fct: { target: "wh.marts.fct_revenue_v2", strategy: { type: "incremental", timestamp_column: "id" } } });
    head.push(model("new_report", { columns: [col("y", "Int64", { src: ["fct_revenue.id"], nullable: false })] }));
    const d = diffProjects(project(base), project(head), [...changedSql("fct_revenue", "new_report"), { path: "models/old_report.sql", projectPath: "models/old_report.sql", status: "deleted", headRanges: [], binary: false, role: "model_sql" }]);
    const byModel = new Map(d.models.map((m) => [m.model, m]));
    assert.equal(byModel.get("new_report")?.status, "added");
    assert.equal(byModel.get("old_report")?.status, "removed");
    const fct = byModel.get("fct_revenue");
    assert.equal(fct?.status, "modified");
    assert.equal(fct?.baseTarget, "wh.analytics.fct_revenue");
    assert.deepEqual(fct?.changes.find((c) => c.kind === "target_renamed"), { kind: "target_renamed", from: "wh.analytics.fct_revenue", to: "wh.marts.fct_revenue_v2" });
    assert.deepEqual(fct?.changes.find((c) => c.kind === "strategy_changed"), { kind: "strategy_changed", from: "full_refresh", to: "incremental" });
    const kinds = d.breakingChanges.map((b) => `${b.kind}:${b.severity}`);
    for (const k of ["model_removed:breaking", "model_added:info", "target_renamed:breaking", "materialization_strategy_changed:breaking", "column_dropped:breaking", "column_added:info"]) assert.ok(kinds.includes(k), k);
    // new_report.y is NOT NULL, but a new model has no existing table or writer for it to break.
    assert.equal(d.breakingChanges.find((b) => b.model === "new_report" && b.kind === "column_added")?.severity, "info");
    assert.deepEqual(d.blastRadius.entries.find((e) => e.origin.model === "old_report")?.consumers ?? [], []);
  });

  it("a change to an exposed model reaches its own exposures, though no model reads it; an added column does not", () => {
    const fctCols = chain()[2].columns;
    // fct_revenue (exposure revenue_dashboard) loses `id`, gains `note`; nothing downstream reads it.
    const head = chain({ fct: { columns: [fctCols[1], col("note", "String", { src: ["int_orders.status"], line: 6 })] } });
    const d = diffProjects(project(chain()), project(head), changedSql("fct_revenue"));
    const dropped = d.blastRadius.entries.find((e) => e.origin.column === "id");
    assert.deepEqual(dropped?.consumers, []);
    assert.deepEqual(dropped?.exposures, ["revenue_dashboard"]);
    assert.equal(d.blastRadius.entries.find((e) => e.origin.column === "note")?.exposures, undefined, "a dashboard cannot read a column that did not exist");
    assert.deepEqual(d.blastRadius.exposures, ["revenue_dashboard"]);
    assert.equal(d.blastRadius.totalConsumers, 0);
    // A row-level change of the exposed model reaches it too; a model without exposures carries none.
    const rows = diffProjects(project(chain()), project(chain({ fct: { rowLevel: { where: "amount > 0" } }, stg: { rowLevel: { where: "id > 0" } } })), changedSql("fct_revenue", "stg_orders"));
    assert.deepEqual(rows.blastRadius.entries.find((e) => e.rowLevel && e.origin.model === "fct_revenue")?.exposures, ["revenue_dashboard"]);
    assert.equal(rows.blastRadius.entries.find((e) => e.rowLevel && e.origin.model === "stg_orders")?.exposures, undefined);
    // A removed model's columns carry the exposures declared on base.
    const removed = diffProjects(project(chain()), project(chain().slice(0, 2)), [{ path: "models/fct_revenue.sql", projectPath: "models/fct_revenue.sql", status: "deleted", headRanges: [], binary: false, role: "model_sql" }]);
    const entries = removed.blastRadius.entries.filter((e) => e.origin.model === "fct_revenue");
    assert.equal(entries.length, 2);
    for (const e of entries) assert.deepEqual(e.exposures, ["revenue_dashboard"]);
  });

  it("a NOT NULL column added to an existing model is a warning, a nullable one info", () => {
    const stgCols = chain()[0].columns;
    const head = chain({ stg: { columns: [...stgCols, col("code", "String", { src: ["raw.orders.code"], nullable: false, line: 5 }), col("note", "String", { src: ["raw.orders.note"], line: 6 })] } });
    const d = diffProjects(project(chain()), project(head), changedSql("stg_orders"));
    const sev = (c: string) => d.breakingChanges.find((b) => b.kind === "column_added" && b.column === c)?.severity;
    assert.equal(sev("code"), "warning");
    assert.equal(sev("note"), "info");
  });

  it("a model whose config failed to load (configError) has no config-derived changes; its SQL changes still count", () => {
    const stgCols = chain()[0].columns;
    const base = chain({ stg: { classification: { amount: "financial" }, strategy: { type: "incremental", timestamp_column: "id" } } });
    // The head sidecar did not parse: default target, strategy and no classification, plus a real new column.
    const head = chain({ stg: { target: "wh.marts.stg_orders", columns: [...stgCols, col("note", "String", { src: ["raw.orders.note"], line: 5 })] } });
    const withConfigError = (p: ReturnType<typeof project>): ReturnType<typeof project> => ({
      ...p,
      project: { ...p.project, models: p.project.models.map((m) => (m.name === "stg_orders" ? { ...m, configError: true } : m)) },
    });
    const configKinds = /target_renamed|column_mask_changed|materialization_strategy_changed|materialization_key_changed/;
    // Control: with both configs loaded, the same pair reports all of them.
    const loaded = diffProjects(project(base), project(head), changedSql("stg_orders"));
    assert.match(loaded.breakingChanges.map((b) => b.kind).join(" "), configKinds);
    // Broken on head (the target shown stays the base's), or broken on base and fixed by the PR (the head's).
    for (const [b, h, target] of [
      [project(base), withConfigError(project(head)), "wh.analytics.stg_orders"],
      [withConfigError(project(base)), project(head), "wh.marts.stg_orders"],
    ] as const) {
      const d = diffProjects(b, h, changedSql("stg_orders"));
      assert.doesNotMatch(d.breakingChanges.map((x) => x.kind).join(" "), configKinds);
      const stg = d.models.find((m) => m.model === "stg_orders");
      assert.equal(stg?.target, target);
      assert.equal(stg?.baseTarget, undefined);
      assert.deepEqual(stg?.changes.filter((c) => c.kind !== "sql_body_changed").map((c) => c.kind), []);
      assert.deepEqual(d.columnChanges.filter((c) => c.model === "stg_orders").map((c) => `${c.column}:${c.change.kind}`), ["note:added"]);
    }
  });

  it("an edit of comments, layout or keyword case only is no change of the model; any other token changed is 'SQL changed'", () => {
    const sql = "SELECT id, amount, status\nFROM raw.orders";
    const withSql = (text: string) => chain({ stg: { hash: text } });
    const diffOf = (text: string) => diffProjects(project(withSql(sql)), project(withSql(text)), changedSql("stg_orders"));
    const detailOf = (text: string) => diffOf(text).breakingChanges.filter((b) => b.kind === "sql_body_changed").map((b) => `${b.model}: ${b.detail}`);
    for (const same of ["-- One row per order.\nSELECT\n    id,\n    amount, /* cents */\n    status\nFROM raw.orders\n", "select id, amount, status from raw.orders"]) {
      const d = diffOf(same);
      assert.deepEqual(detailOf(same), [], same);
      assert.deepEqual(d.models.filter((m) => m.model === "stg_orders"), [], "not listed as a changed model");
      assert.deepEqual(d.layoutOnlyModels, ["stg_orders"]);
      assert.ok(d.touchedModels.includes("stg_orders"), "still a model the PR touched");
    }
    const changed = (text: string) => {
      const d = diffOf(text);
      assert.deepEqual(d.layoutOnlyModels, [], text);
      assert.equal(d.models.find((m) => m.model === "stg_orders")?.status, "modified", text);
      return detailOf(text);
    };
    // (The fixture's compiled models do not follow its SQL: only the text differs here.)
    assert.deepEqual(changed("SELECT id, amount, status\nFROM raw.orders\nWHERE status <> 'test'"), ["stg_orders: SQL changed"]);
    assert.deepEqual(changed("SELECT id, amount, status\nFROM raw.Orders"), ["stg_orders: SQL changed"], "a changed identifier's case is a change");
    assert.deepEqual(changed("SELECT id, amount, status\nFROM raw.orders WHERE s = 'a  b'"), ["stg_orders: SQL changed"]);
    assert.deepEqual(changed("SELECT id, amount, status\nFROM raw.orders AS o"), ["stg_orders: SQL changed"], "an alias added is a token added");
  });

  it("the same SQL under a new name is a model rename, not a drop and an add", () => {
    const base = [...chain(), model("rpt", { columns: [col("x", "Int64", { src: ["fct_revenue.amount"], fp: "sum(amount)" })], target: "wh.analytics.rpt" })];
    const head = [...chain(), model("report", { columns: [col("x", "Int64", { src: ["fct_revenue.amount"], fp: "sum(amount)" })], target: "wh.analytics.report" })];
    const d = diffProjects(project(base), project(head), changedSql("report"));
    const m = d.models.find((x) => x.model === "report");
    assert.equal(m?.baseModel, "rpt");
    assert.ok(m?.changes.some((c) => c.kind === "model_renamed"));
    assert.ok(m?.changes.some((c) => c.kind === "target_renamed"));
    assert.equal(d.columnChanges.length, 0);
  });

  it("E013 fires when a protected column that existed on base is removed together with its protection", () => {
    const base = chain({ fct: { contract: { columns: [], protected: ["id"] } } });
    const head = chain({ fct: { columns: [col("amount", "Decimal(18,2)", { src: ["int_orders.amount"], nullable: false })], contract: { columns: [] } } });
    const d = diffProjects(project(base), project(head), changedSql("fct_revenue"));
    const e013 = d.contracts.find((c) => c.code === "E013");
    assert.equal(e013?.origin, "base");
    assert.equal(e013?.column, "id");
    assert.equal(e013?.new, true);
  });

  it("a required column the PR drops from the contracted model (no line of its own, as from a *): E010 on the first line it changed there, inside the diff", () => {
    const head = chain({ fct: { columns: [col("id", "Int64", { src: ["int_orders.id"], nullable: false })] } });
    const d = diffProjects(project(chain()), project(head), [{ ...changedSql("fct_revenue")[0], headRanges: [{ start: 2, end: 2 }] }]);
    const e010 = d.contracts.find((c) => c.code === "E010" && c.model === "fct_revenue");
    assert.equal(e010?.origin, "head");
    assert.deepEqual(e010?.span, { file: "models/fct_revenue.sql", line: 2, col: 1, side: "head" });
  });

  it("pre-existing contract failures are not new", () => {
    const bad = { contract: { columns: [{ name: "amount", type: "Int64" }] } };
    const head = chain({ fct: { ...bad, rowLevel: { where: "amount > 0" } } });
    const d = diffProjects(project(chain({ fct: bad })), project(head), changedSql("fct_revenue"));
    const e011 = d.contracts.find((c) => c.code === "E011");
    assert.equal(e011?.new, false);
    assert.equal(e011?.origin, "head");
  });
});
