import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { createMemoryCompileCache } from "../../../engine/src/compile/compile-cache.js";
import { ReviewInputError, reviewPullRequest, type ReviewResult } from "../../../review/src/index.js";
import { DEFAULT_FAIL_ON } from "../../../review/src/report/rendered.js";
import { collectFindings } from "../../../review/src/render/findings.js";
import { renderReview, renderText } from "../../../review/src/render/index.js";
import type { ReviewReport } from "../../../review/src/report/types.js";
import { createGitFixture, type FileMap, fixturesOfFile, shallowClone } from "../../support/git-fixture.js";
import { editLine, SHOP_BASE } from "./shop-fixture.js";

const { track } = fixturesOfFile();

const FIXED_CLOCK = { now: () => Date.parse("2026-02-01T00:00:00Z"), elapsed: () => 0 };

async function review(head: FileMap, extra: { base?: FileMap; mainAfter?: FileMap[] } = {}): Promise<ReviewResult> {
  const repo = createGitFixture({ base: extra.base ?? SHOP_BASE, head, headIsPatch: true, ...(extra.mainAfter ? { mainAfter: extra.mainAfter } : {}) });
  track(repo);
  return reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK });
}

/** The rows of the masking section's "Classified by this PR" table. */
function classifiedRows(markdown: string): string[] {
  const at = markdown.indexOf("| Classified by this PR |");
  if (at < 0) return [];
  return markdown.slice(at).split("\n").slice(2).filter((l, i, all) => l.startsWith("|") && all.slice(0, i).every((x) => x.startsWith("|")));
}

function changesOf(r: ReviewReport, model: string) {
  return r.columnChanges.filter((c) => c.model === model);
}

describe("reviewPullRequest on fixture repositories", () => {
  it("baseline: the fixture compiles cleanly, with known types", async () => {
    const { report } = await review({ "README.md": "docs\n" });
    assert.equal(report.touchesNoModels, true);
    assert.equal(report.columnChanges.length, 0);
    assert.equal(report.models.length, 0);
    assert.equal(report.summary.models.total, 4);
    assert.deepEqual(report.diagnostics.filter((d) => d.severity === "Error"), []);
    assert.equal(report.version, 1);
  });

  it("the report is plain JSON data (no Maps, Sets, classes or functions)", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"));
    const walk = (v: unknown, path: string): void => {
      if (v === null || ["string", "number", "boolean", "undefined"].includes(typeof v)) return;
      assert.ok(Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype, `${path} is not plain data`);
      for (const [k, x] of Object.entries(v as object)) walk(x, `${path}.${k}`);
    };
    walk(report, "report");
    assert.deepEqual(JSON.parse(JSON.stringify(report)).columnChanges, JSON.parse(JSON.stringify(report.columnChanges)));
  });

  it("column added", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 6, "    ordered_at,\n    CAST(ordered_at AS DATE) AS order_date"));
    const c = changesOf(report, "stg_orders");
    assert.deepEqual(c.map((x) => [x.column, x.change.kind, x.type]), [["order_date", "added", "Date"]]);
    assert.equal(c[0].span?.line, 7);
    assert.equal(report.touchesNoModels, false);
  });

  it("column removed lists its base-side consumers", async () => {
    const { report } = await review({ ...editLine("models/stg_orders.sql", 5, "    status"), ...editLine("models/stg_orders.sql", 6, "") });
    const removed = report.columnChanges.find((x) => x.change.kind === "removed");
    assert.equal(removed?.column, "ordered_at");
    const statusDrop = await review({ "models/stg_orders.sql": SHOP_BASE["models/stg_orders.sql"].replace("    status,\n", "") });
    const drop = statusDrop.report.columnChanges.find((x) => x.model === "stg_orders" && x.change.kind === "removed");
    assert.equal(drop?.column, "status");
    const entry = statusDrop.report.blastRadius.entries.find((e) => e.changeId === drop?.id);
    assert.equal(entry?.tracedOn, "base");
    // int_orders names status, so it fails on head (R008): each of its columns is reached, and the mart reading it.
    assert.deepEqual(entry?.consumers.map((c) => `${c.model}.${c.column}@${c.depth}`), ["int_orders.amount@1", "int_orders.customer_id@1", "int_orders.order_id@1", "int_orders.status@1", "fct_revenue.amount@2", "fct_revenue.order_id@2"]);
    assert.deepEqual(statusDrop.report.diagnostics.filter((x) => x.code === "R008").map((x) => x.model), ["int_orders"]);
  });

  it("a column renamed two models upstream of a contracted mart is an error with its full path", async () => {
    const { report, rendered } = await review(editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"));
    const renamed = report.columnChanges.find((x) => x.change.kind === "renamed");
    assert.equal(renamed?.model, "stg_orders");
    assert.equal(renamed?.column, "amount_usd");
    assert.deepEqual(renamed?.change, { kind: "renamed", from: "amount" });
    const broken = report.contracts.find((c) => c.model === "fct_revenue" && c.column === "amount");
    assert.equal(broken?.severity, "Error");
    assert.equal(broken?.origin, "upstream");
    assert.equal(broken?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    assert.equal(broken?.span?.file, "models/stg_orders.sql");
    assert.equal(broken?.span?.line, 4);
    assert.ok(report.summary.findings.error >= 1);
    assert.equal(rendered.verdict, "fail");
  });

  it("a deleted model whose filter key reaches every row: a contracted column that loses its source names the column it read, on that column's deleted line", async () => {
    // int_orders filters on customer_id: stg_orders.customer_id reaches every column of int_orders and fct_revenue (row-level), amount only amount.
    const filtered = { ...SHOP_BASE, "models/int_orders.sql": "SELECT\n    order_id,\n    customer_id,\n    amount,\n    status\nFROM stg_orders\nWHERE customer_id > 0\n" };
    const { report, rendered } = await review({ "models/stg_orders.sql": null }, { base: filtered });
    const lost = report.contracts.find((c) => c.model === "fct_revenue" && c.column === "amount");
    assert.match(lost?.message ?? "", /^contract column 'amount' of 'fct_revenue' loses its source: stg_orders\.amount was removed upstream/);
    assert.equal(lost?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    // Its comment goes on amount's deleted line (4), not customer_id's (3).
    assert.deepEqual([lost?.span?.file, lost?.span?.line], ["models/stg_orders.sql", 4]);
    assert.deepEqual(rendered.inlineComments.filter((c) => c.body.startsWith("**E01")).map((c) => [c.line, c.side, c.body.slice(0, 34)]), [[2, "LEFT", "**E013** in `fct_revenue.order_id`"], [4, "LEFT", "**E010** in `fct_revenue.amount`: "]]);
  });

  it("a deleted model whose name is one letter from a model that stays: its reader's R004 says the PR removes it, not 'did you mean' the other model", async () => {
    const withNeighbour = { ...SHOP_BASE, "models/stg_orderz.sql": "SELECT 1 AS x\n" };
    const { report } = await review({ "models/stg_orders.sql": null }, { base: withNeighbour });
    const r004 = report.diagnostics.filter((d) => d.code === "R004").map((d) => [d.model, d.message.split(";")[0], d.suggestion]);
    assert.deepEqual(r004, [["int_orders", "`stg_orders` is a model this PR removes, and int_orders still reads it", "keep stg_orders, or change int_orders to read what replaces it: wh.analytics.stg_orders would no longer be built, and a copy left in the warehouse would go stale"]]);
  });

  it("a column renamed with its reader updated: the rename is reported, the reader and the contract downstream are unchanged", async () => {
    const { report, rendered } = await review({
      ...editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"),
      ...editLine("models/int_orders.sql", 4, "    amount_usd AS amount,"),
    });
    assert.deepEqual(report.columnChanges.map((c) => [c.model, c.column, c.change.kind]), [["stg_orders", "amount_usd", "renamed"]]);
    assert.deepEqual(report.contracts.filter((c) => c.severity === "Error"), []);
    assert.equal(rendered.verdict, "advisory", "a rename of a table's column is still a breaking change for whoever else reads it");
    // The blast radius names the column as the PR does, and says its reader was moved to the new name.
    const entry = report.blastRadius.entries.find((e) => e.rename !== undefined);
    assert.deepEqual(entry?.rename, { model: "stg_orders", column: "amount_usd", readingNewName: ["int_orders"] });
    assert.match(rendered.comment, /\| `stg_orders\.amount_usd` \| renamed from `amount` · traced on base \| [^|]* · its reader reads the new name \|/);
  });

  it("a column renamed without its reader: the blast radius says the reader still names the old column", async () => {
    const { report, rendered } = await review(editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"));
    const entry = report.blastRadius.entries.find((e) => e.rename !== undefined);
    assert.deepEqual(entry?.rename, { model: "stg_orders", column: "amount_usd", readingNewName: [] });
    assert.match(rendered.comment, /its reader still reads `amount`/);
    // The reader's R008 says what the PR did to the column, not a guess by spelling.
    const r008 = report.diagnostics.filter((d) => d.code === "R008" && d.new);
    assert.deepEqual(
      r008.map((d) => [d.model, d.message, d.suggestion]),
      [["int_orders", "column 'amount' not found in columns of stg_orders: this PR renamed stg_orders.amount to amount_usd", "read `amount_usd`, the column's new name in stg_orders"]],
    );
    const dropped = await review({ "models/stg_orders.sql": SHOP_BASE["models/stg_orders.sql"].replace("    status,\n", "") });
    assert.deepEqual(
      dropped.report.diagnostics.filter((d) => d.code === "R008" && d.new).map((d) => d.message),
      ["column 'status' not found in columns of stg_orders: this PR drops it from stg_orders"],
    );
  });

  it("[rules] no_new_nullable: a nullable column the PR adds to a contracted model is E014 under rocky/contracts, on the column's line, and new", async () => {
    const contract = SHOP_BASE["models/fct_revenue.contract.toml"].replace("[rules]\n", "[rules]\nno_new_nullable = true\n");
    const base = { ...SHOP_BASE, "models/fct_revenue.contract.toml": contract };
    const { report, rendered } = await review({ "models/fct_revenue.sql": ["SELECT", "    order_id,", "    amount,", "    NULLIF(order_id, 0) AS maybe_id", "FROM int_orders", ""].join("\n") }, { base });
    assert.deepEqual(
      report.contracts.filter((c) => c.code === "E014").map((c) => [c.model, c.column, c.new, c.span?.file, c.span?.line]),
      [["fct_revenue", "maybe_id", true, "models/fct_revenue.sql", 4]],
    );
    assert.deepEqual(report.diagnostics.filter((d) => d.code === "E014"), [], "said once, as a contract finding");
    const contracts = rendered.checks.find((c) => c.name === "rocky/contracts");
    assert.equal(contracts?.conclusion, "failure");
    assert.ok(contracts?.annotations.some((a) => a.path.endsWith("models/fct_revenue.sql") && a.start_line === 4 && /E014/.test(`${a.title} ${a.message}`)));
    // Named in [rules] required but not declared in [[columns]]: still undeclared, as the compile says (the review once let it go).
    const requiredOnly = contract.replace('required = ["amount"]', 'required = ["amount", "maybe_id"]');
    const kept = await review({ "models/fct_revenue.sql": ["SELECT", "    order_id,", "    amount,", "    NULLIF(order_id, 0) AS maybe_id", "FROM int_orders", ""].join("\n") }, { base: { ...SHOP_BASE, "models/fct_revenue.contract.toml": requiredOnly } });
    assert.deepEqual(kept.report.contracts.filter((c) => c.code === "E014").map((c) => [c.column, c.new]), [["maybe_id", true]]);
    assert.deepEqual(kept.report.diagnostics.filter((d) => d.code === "E014"), []);
    // A contract with no [[columns]] has no baseline: that E014 is the contract file's, and stays the compile's.
    const bare = await review({ "models/fct_revenue.contract.toml": "[rules]\nno_new_nullable = true\n" });
    assert.deepEqual(bare.report.diagnostics.filter((d) => d.code === "E014").map((d) => [d.span?.file, d.new]), [["models/fct_revenue.contract.toml", true]]);
    assert.deepEqual(bare.report.contracts.filter((c) => c.code === "E014"), []);
  });

  it("a reader the PR left alone that now fails on a column type the PR changed upstream: its R011 names the change", async () => {
    const base = { ...SHOP_BASE, "models/int_days.sql": "SELECT order_id, EXTRACT(DAY FROM ordered_at) AS order_day FROM stg_orders\n" };
    const { report } = await review(editLine("models/stg_orders.sql", 6, "    epoch_ms(ordered_at) AS ordered_at"), { base });
    const r011 = report.diagnostics.filter((d) => d.code === "R011" && d.new);
    assert.deepEqual(
      r011.map((d) => [d.model, d.span?.line]),
      [["int_days", 1]],
    );
    assert.equal(r011[0].message, "DuckDB has no EXTRACT for a Int64 argument ('ordered_at'): it takes a date, timestamp or interval there; this PR makes stg_orders.ordered_at Int64 (it was TimestampNtz)");
    // A type change the reader does not use leaves the compile's words alone.
    const other = await review({ ...editLine("models/stg_orders.sql", 6, "    epoch_ms(ordered_at) AS ordered_at"), "models/int_days.sql": "SELECT order_id, EXTRACT(DAY FROM order_id) AS order_day FROM stg_orders\n" }, { base });
    assert.deepEqual(other.report.diagnostics.filter((d) => d.code === "R011" && d.new).map((d) => d.message), ["DuckDB has no EXTRACT for a Int64 argument ('order_id'): it takes a date, timestamp or interval there"]);
  });

  it("a source column taken out of its schema file while a model still reads it: the reader's R008 says the PR removed it there, with the base line", async () => {
    const schema = JSON.parse(SHOP_BASE["schemas/raw.json"]) as { tables: Record<string, { name: string }[]> };
    schema.tables["raw.orders"] = schema.tables["raw.orders"].filter((c) => c.name !== "status");
    const { report } = await review({ "schemas/raw.json": JSON.stringify(schema, null, 2) });
    const baseLine = SHOP_BASE["schemas/raw.json"].split("\n").findIndex((l) => l.includes('"name": "status"')) + 1;
    assert.deepEqual(
      report.diagnostics
        .filter((d) => d.code === "R008" && d.new)
        .map((d) => [d.model, d.span?.line, d.message, d.suggestion])
        .sort((a, b) => Number(a[1]) - Number(b[1])),
      [
        ["stg_orders", 5, `column 'status' not found in columns of raw.orders: this PR removes raw.orders.status from schemas/raw.json (line ${baseLine} on the base branch)`, "keep status in raw.orders in schemas/raw.json, or stop reading it in stg_orders"],
        ["stg_orders", 8, `column 'status' not found in columns of raw.orders: this PR removes raw.orders.status from schemas/raw.json (line ${baseLine} on the base branch)`, "keep status in raw.orders in schemas/raw.json, or stop reading it in stg_orders"],
      ],
    );
    // A column the PR did not remove keeps the compile's words: a typo'd read stays a typo.
    const typo = await review(editLine("models/stg_orders.sql", 5, "    statuz,"));
    assert.match(typo.report.diagnostics.find((d) => d.code === "R008" && d.new)?.message ?? "", /^column 'statuz' not found in columns of raw\.orders( \(did you mean `status`\?\))?$/);
  });

  it("a classified column renamed with its [classification] key is no mask change; a key left behind is, on its line", async () => {
    const sql = editLine("models/stg_customers.sql", 3, "    email AS email_address");
    const moved = await review({ ...sql, "models/stg_customers.toml": "[classification]\nemail_address = \"pii\"\n" });
    assert.deepEqual(moved.report.columnChanges.map((c) => [c.model, c.column, c.change.kind]), [["stg_customers", "email_address", "renamed"]]);
    assert.deepEqual(moved.report.breakingChanges.filter((b) => b.kind === "column_mask_changed"), []);
    const left = await review(sql);
    const masks = left.report.breakingChanges.filter((b) => b.kind === "column_mask_changed");
    assert.deepEqual(
      masks.map((b) => [b.column, b.severity, b.detail, b.span?.file, b.span?.line, b.span?.side]),
      [["email_address", "breaking", "email_address: classification pii → (none); [classification] still names 'email'", "models/stg_customers.toml", 2, "head"]],
    );
  });

  it("a classified mart column renamed with its source: the unmasked exception says to move the key the rename left behind", async () => {
    const mart = { "models/mart_customers.sql": "SELECT\n    customer_id,\n    email\nFROM stg_customers\n", "models/mart_customers.toml": "[classification]\nemail = \"pii\"\n" };
    const base = { ...SHOP_BASE, ...mart };
    const renamed = {
      "models/stg_customers.sql": "SELECT\n    id AS customer_id,\n    email AS email_address\nFROM raw.customers\n",
      "models/stg_customers.toml": "[classification]\nemail_address = \"pii\"\n",
      "models/mart_customers.sql": "SELECT\n    customer_id,\n    email_address\nFROM stg_customers\n",
    };
    const { report } = await review(renamed, { base });
    const w004 = collectFindings(report).find((f) => f.code === "unmasked_column");
    assert.equal(w004?.model, "mart_customers");
    assert.equal(w004?.column, "email_address");
    assert.equal(w004?.help, "this PR renamed 'email' to 'email_address': rename its [classification] key in mart_customers too");
    // With the key moved too, nothing is unmasked and no mask changed.
    const moved = await review({ ...renamed, "models/mart_customers.toml": "[classification]\nemail_address = \"pii\"\n" }, { base });
    assert.deepEqual(collectFindings(moved.report).filter((f) => f.code === "unmasked_column" || f.code === "W004" || f.code === "column_mask_changed"), []);
  });

  it("type widened (info) and narrowed (breaking), with the contract E011 downstream", async () => {
    const wide = await review(editLine("models/stg_orders.sql", 4, "    CAST(amount AS DECIMAL(38,2)) AS amount,"));
    const w = changesOf(wide.report, "stg_orders")[0];
    assert.deepEqual(w.change, { kind: "type_changed", old: "Decimal(18,2)", new: "Decimal(38,2)", narrowing: false });
    assert.equal(w.severity, "info");
    const e011 = wide.report.contracts.find((c) => c.code === "E011");
    assert.equal(e011?.model, "fct_revenue");
    assert.equal(e011?.pathText, "stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2))");
    const narrow = await review(editLine("models/stg_orders.sql", 4, "    CAST(amount AS DECIMAL(10,2)) AS amount,"));
    const n = changesOf(narrow.report, "stg_orders")[0];
    assert.deepEqual(n.change, { kind: "type_changed", old: "Decimal(18,2)", new: "Decimal(10,2)", narrowing: true });
    assert.equal(n.severity, "breaking");
  });

  it("nullability changed (and E012 on the contracted mart)", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 4, "    NULLIF(amount, 0) AS amount,"));
    const c = changesOf(report, "stg_orders").find((x) => x.change.kind === "nullability_changed");
    // NULLIF rewrites the expression: its zeros become NULLs, a change of values as well as of nullability.
    assert.deepEqual(c?.change, { kind: "nullability_changed", old: false, new: true, expression: true });
    assert.equal(c?.severity, "warning");
    assert.ok(report.contracts.some((x) => x.code === "E012" && x.model === "fct_revenue" && x.origin === "upstream"));
  });

  it("an expression change with unchanged type is logic changed, reaching its consumers", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 5, "    UPPER(status) AS status,"));
    const c = changesOf(report, "stg_orders");
    assert.deepEqual(c.map((x) => [x.column, x.change]), [["status", { kind: "logic_changed", reason: "expression" }]]);
    assert.equal(c[0].type, "String");
    assert.equal(c[0].consumers, 1);
    assert.equal(report.blastRadius.entries[0].consumers[0].model, "int_orders");
  });

  it("upstream logic change in a touched downstream model", async () => {
    const { report } = await review({ ...editLine("models/stg_orders.sql", 5, "    UPPER(status) AS status,"), ...editLine("models/int_orders.sql", 1, "SELECT -- reviewed") });
    const c = changesOf(report, "int_orders");
    assert.deepEqual(c.map((x) => [x.column, x.change]), [["status", { kind: "logic_changed", reason: "upstream", upstream: [{ model: "stg_orders", column: "status" }] }]]);
  });

  it("a WHERE change is row-level with full downstream reach", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 8, "WHERE status NOT IN ('test', 'void')"));
    assert.equal(report.columnChanges.length, 0);
    assert.equal(report.rowLevelChanges.length, 1);
    const rl = report.rowLevelChanges[0];
    assert.equal(rl.clause, "where");
    assert.equal(rl.span?.line, 8);
    const entry = report.blastRadius.entries[0];
    assert.deepEqual(entry.models, ["fct_revenue", "int_orders"]);
    assert.equal(entry.consumers.length, 6);
    assert.ok(entry.consumers.some((c) => c.model === "fct_revenue" && c.contracted && c.exposures.includes("Finance dashboard")));
  });

  it("a refactor that keeps the rows (aliases, a CTE, swapped operands, reordered conditions) has no row-level change and no blast radius", async () => {
    const { report } = await review({
      "models/int_orders.sql": [
        "with orders as (",
        "    select o.order_id, o.customer_id, o.amount, o.status from stg_orders o",
        ")",
        "select ord.order_id, ord.customer_id, ord.amount, ord.status",
        "from orders as ord",
        "",
      ].join("\n"),
      "models/stg_orders.sql": ["SELECT", "    id AS order_id,", "    customer_id,", "    amount,", "    status,", "    ordered_at", "FROM raw.orders", "WHERE 'test' != status", ""].join("\n"),
    });
    assert.deepEqual(report.columnChanges, []);
    assert.deepEqual(report.rowLevelChanges, []);
    assert.deepEqual(report.blastRadius.entries, []);
  });

  describe("a CTE moved into a model of its own, or a model folded back into a CTE", () => {
    const withCte = [
      "WITH totals AS (",
      "    SELECT customer_id, SUM(amount) AS total FROM stg_orders GROUP BY customer_id",
      ")",
      "SELECT o.order_id, o.customer_id, o.amount, o.status, t.total",
      "FROM stg_orders AS o",
      "LEFT JOIN totals AS t ON o.customer_id = t.customer_id",
      "",
    ].join("\n");
    const reader = [
      "SELECT o.order_id, o.customer_id, o.amount, o.status, ct.total",
      "FROM stg_orders o",
      "LEFT JOIN int_customer_totals ct ON ct.customer_id = o.customer_id",
      "",
    ].join("\n");
    const moved = (total: string) => `SELECT customer_id, ${total} AS total\nFROM stg_orders\nGROUP BY customer_id\n`;
    const withCteBase = { ...SHOP_BASE, "models/int_orders.sql": withCte };
    const withModelBase = { ...SHOP_BASE, "models/int_orders.sql": reader, "models/int_customer_totals.sql": moved("SUM(amount)") };

    it("moved out: the new model is added; its reader changes no column and no row", async () => {
      const { report } = await review({ "models/int_orders.sql": reader, "models/int_customer_totals.sql": moved("SUM(amount)") }, { base: withCteBase });
      assert.deepEqual(report.rowLevelChanges, []);
      assert.deepEqual(changesOf(report, "int_orders"), []);
      assert.deepEqual(changesOf(report, "int_customer_totals").map((c) => [c.column, c.change.kind]), [["customer_id", "added"], ["total", "added"]]);
      assert.equal(report.models.find((m) => m.model === "int_orders")?.status, "modified", "its SQL changed, and says so");
      assert.ok(!report.breakingChanges.some((b) => b.model === "int_orders" && b.kind !== "sql_body_changed"), JSON.stringify(report.breakingChanges));
    });

    it("moved out with a change: what the moved logic computes differently is still a change of its reader", async () => {
      const { report } = await review({ "models/int_orders.sql": reader, "models/int_customer_totals.sql": moved("SUM(DISTINCT amount)") }, { base: withCteBase });
      assert.deepEqual(changesOf(report, "int_orders").map((c) => [c.column, c.change]), [["total", { kind: "logic_changed", reason: "expression" }]]);
    });

    it("folded back: the model is removed, its reader keeps its columns and rows, and no contract loses a source", async () => {
      const { report } = await review({ "models/int_orders.sql": withCte, "models/int_customer_totals.sql": null }, { base: withModelBase });
      assert.deepEqual(report.rowLevelChanges, []);
      assert.deepEqual(changesOf(report, "int_orders"), []);
      assert.deepEqual(changesOf(report, "int_customer_totals").map((c) => [c.column, c.change.kind]), [["customer_id", "removed"], ["total", "removed"]]);
      assert.deepEqual(report.contracts.filter((c) => c.severity === "Error"), []);
    });
  });

  it("a model renamed with its reader updated: the rename is reported once, the reader changes nothing", async () => {
    const { report } = await review({
      "models/stg_orders.sql": null,
      "models/stg_order_lines.sql": SHOP_BASE["models/stg_orders.sql"],
      "models/int_orders.sql": SHOP_BASE["models/int_orders.sql"].replace("FROM stg_orders", "FROM stg_order_lines"),
    });
    assert.equal(report.models.find((m) => m.model === "stg_order_lines")?.baseModel, "stg_orders");
    assert.deepEqual(report.columnChanges, []);
    assert.deepEqual(report.rowLevelChanges, []);
    assert.deepEqual(report.breakingChanges.map((b) => [b.kind, b.model]).filter(([k]) => k !== "sql_body_changed"), [["target_renamed", "stg_order_lines"]]);
    // Its standing warning (a timestamp column and no [freshness]) moved with it: not the PR's.
    assert.deepEqual(report.diagnostics.filter((d) => d.new).map((d) => [d.code, d.model]), []);
    assert.deepEqual(report.diagnostics.filter((d) => d.code === "W005").map((d) => [d.model, d.new]), [["stg_order_lines", false]]);
  });

  it("a model renamed while a reader still reads its old name: R004 on the reference, with the new name as the fix", async () => {
    const { report, rendered } = await review({ "models/stg_orders.sql": null, "models/stg_order_lines.sql": SHOP_BASE["models/stg_orders.sql"] });
    const r004 = report.diagnostics.filter((d) => d.code === "R004");
    assert.deepEqual(
      r004.map((d) => [d.model, d.message, `${d.span?.file}:${d.span?.line}:${d.span?.col}`, d.replacement?.text, d.new]),
      [["int_orders", "`stg_orders` was renamed to `stg_order_lines` by this PR, and int_orders still reads the old name", "models/int_orders.sql:6:6", "stg_order_lines", true]],
    );
    assert.equal(rendered.checks.find((c) => c.name === "rocky/compile")?.conclusion, "failure");
    // The rename is found at the renamed file (the table is named after it), not at a sidecar key.
    const renamed = report.breakingChanges.find((b) => b.kind === "target_renamed");
    assert.deepEqual([renamed?.span?.file, renamed?.span?.line], ["models/stg_order_lines.sql", 1]);
  });

  it("model added, removed, target renamed, strategy changed", async () => {
    const { report } = await review({
      "models/rpt_status.sql": "SELECT status, COUNT(*) AS n FROM int_orders GROUP BY status\n",
      "models/stg_customers.sql": null,
      "models/stg_customers.toml": null,
      "models/int_orders.toml": '[target]\ntable = "int_orders_v2"\n\n[strategy]\ntype = "incremental"\ntimestamp_column = "order_id"\n',
    });
    const byModel = new Map(report.models.map((m) => [m.model, m]));
    assert.equal(byModel.get("rpt_status")?.status, "added");
    assert.equal(byModel.get("stg_customers")?.status, "removed");
    const int = byModel.get("int_orders");
    assert.deepEqual(int?.changes.find((c) => c.kind === "target_renamed"), { kind: "target_renamed", from: "wh.analytics.int_orders", to: "wh.analytics.int_orders_v2" });
    assert.deepEqual(int?.changes.find((c) => c.kind === "strategy_changed"), { kind: "strategy_changed", from: "full_refresh", to: "incremental" });
    assert.deepEqual(changesOf(report, "rpt_status").map((c) => c.change.kind), ["added", "added"]);
  });

  it("a column dropped from a model a dashboard reads: blast radius and finding name the exposure, though no model reads it", async () => {
    const withCustomer = { ...SHOP_BASE, "models/fct_revenue.sql": ["SELECT", "    order_id,", "    customer_id,", "    amount", "FROM int_orders", ""].join("\n") };
    const { report, rendered } = await review({ "models/fct_revenue.sql": SHOP_BASE["models/fct_revenue.sql"] }, { base: withCustomer });
    const drop = report.columnChanges.find((c) => c.change.kind === "removed");
    assert.equal(`${drop?.model}.${drop?.column}`, "fct_revenue.customer_id");
    assert.equal(drop?.consumers, 0);
    assert.deepEqual(report.blastRadius.exposures, ["Finance dashboard"]);
    const finding = collectFindings(report).find((f) => f.code === "column_dropped");
    assert.equal(finding?.message, "customer_id: Int64 dropped; exposure Finance dashboard reads this model");
    assert.match(rendered.comment, /reaching 1 exposure, no downstream model/);
    assert.match(rendered.comment, /1 change; no downstream column reads it, but exposure `Finance dashboard` reads the changed model directly\./);
    assert.match(rendered.comment, /\| `fct_revenue\.customer_id` \| removed · traced on base \| no downstream model \| 📊 Finance dashboard \(reads `fct_revenue`\) \| \|/, "the Flags cell does not repeat the exposure the row names");
    assert.match(rendered.comment, /n0\["fct_revenue\.customer_id"\]:::changed\n {2}n1\["📊 Finance dashboard"\]:::exposure\n {2}n0 --> n1/);
    assert.match(renderText(report), /fct_revenue\.customer_id -> exposure Finance dashboard reads fct_revenue directly/);

    // The whole model removed: one row for it, not one per column; the removal names the dashboard.
    const gone = await review({ "models/fct_revenue.sql": null, "models/fct_revenue.toml": null, "models/fct_revenue.contract.toml": null });
    assert.match(collectFindings(gone.report).find((f) => f.code === "model_removed")?.message ?? "", /no longer built; exposure Finance dashboard reads this model$/);
    const rows = gone.rendered.comment.split("\n").filter((l) => l.startsWith("| `fct_revenue"));
    assert.deepEqual(rows, ["| `fct_revenue` (model) | model removed with its 2 columns | no downstream model | 📊 Finance dashboard (reads `fct_revenue`) | |"]);
    assert.match(renderText(gone.report), /fct_revenue \(removed\) -> exposure Finance dashboard reads fct_revenue directly/);
    assert.match(renderText(gone.report), /\[model_removed\]: [^\n]*\n {2}--> models\/fct_revenue\.sql \(deleted by this PR\)\n/, "a deleted file is named as the comment names it, without a line 1");

    // A column another model reads has its own row: the model's row counts the other columns, and says nobody reads them.
    const readBase = { ...SHOP_BASE, "models/rpt_revenue.sql": "SELECT\n    amount\nFROM fct_revenue\n" };
    const read = await review({ "models/fct_revenue.sql": null, "models/fct_revenue.toml": null, "models/fct_revenue.contract.toml": null }, { base: readBase });
    const readRows = read.rendered.comment.split("\n").filter((l) => l.startsWith("| `fct_revenue"));
    assert.deepEqual(readRows, [
      "| `fct_revenue.amount` | removed · traced on base | 1 column · 1 model · depth 1 | `rpt_revenue.amount` · 📊 Finance dashboard (reads `fct_revenue`) | |",
      "| `fct_revenue` (model) | model removed with 1 more column | none of them read downstream | 📊 Finance dashboard (reads `fct_revenue`) | |",
    ]);
  });

  it("a PR that closes a dependency cycle: R003 on each member, and the models it leaves untyped drop no columns and break no contract", async () => {
    const { report } = await review({
      "models/loop_a.sql": "SELECT order_id\nFROM fct_revenue\n",
      "models/int_orders.sql": SHOP_BASE["models/int_orders.sql"].replace("FROM stg_orders", "FROM stg_orders JOIN loop_a USING (order_id)"),
    });
    const errors = report.diagnostics.filter((d) => d.severity === "Error");
    assert.deepEqual([...new Set(errors.map((d) => d.code))], ["R003"]);
    assert.deepEqual(errors.map((d) => d.model).sort(), ["fct_revenue", "int_orders", "loop_a"]);
    // fct_revenue (contracted) is in the cycle: not analysed, so neither its columns nor its contract are findings.
    assert.deepEqual(report.columnChanges.filter((c) => c.change.kind === "removed"), []);
    assert.deepEqual(report.contracts, []);
    assert.ok(!report.breakingChanges.some((b) => b.severity === "breaking"), JSON.stringify(report.breakingChanges));
  });

  it("a shared _defaults.toml change touches every model, and is one finding on the key's line", async () => {
    const { report, rendered } = await review({ "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "analytics_v2"\n' });
    assert.equal(report.models.filter((m) => m.changes.some((c) => c.kind === "target_renamed")).length, 4);
    assert.equal(report.touchesNoModels, false);
    // The JSON keeps one change per model, each at the line that made it.
    const renamed = report.breakingChanges.filter((b) => b.kind === "target_renamed");
    assert.deepEqual(
      renamed.map((b) => `${b.model} ${b.span?.file}:${b.span?.line}:${b.span?.side}`),
      ["fct_revenue", "int_orders", "stg_customers", "stg_orders"].map((m) => `${m} models/_defaults.toml:3:head`).sort(),
    );
    // The comment, the checks and the inline comments show it once, naming the models.
    const shown = collectFindings(report).filter((f) => f.code === "target_renamed");
    assert.deepEqual(
      shown.map((f) => [f.message, f.span?.file, f.span?.line]),
      // The dashboard reading fct_revenue's old table is named, as a removed model's would be.
      [["target schema analytics → analytics_v2 for 4 models: fct_revenue, int_orders, stg_customers, stg_orders; exposure Finance dashboard reads fct_revenue", "models/_defaults.toml", 3]],
    );
    const annotations = rendered.checks.flatMap((c) => c.annotations).filter((a) => a.title.includes("target_renamed"));
    assert.deepEqual(annotations.map((a) => `${a.path}:${a.start_line}`), ["models/_defaults.toml:3"]);
    assert.equal(rendered.comment.match(/target_renamed/g)?.length, 2, rendered.comment); // "Needs attention" and the table
    assert.match(rendered.comment, /no column changed · reaching 1 exposure, no downstream model/);
    // The blast radius says what the move reaches: the dashboard on the old table. The models reading a
    // moved model follow it by name (no consumers), and a moved model no exposure reads has no row.
    assert.deepEqual(
      report.blastRadius.entries.map((e) => [e.changeId, e.origin.model, e.consumers.length, e.exposures, e.moved]),
      [["target:fct_revenue", "fct_revenue", 0, ["Finance dashboard"], { from: "wh.analytics.fct_revenue", to: "wh.analytics_v2.fct_revenue" }]],
    );
    assert.deepEqual(report.blastRadius.exposures, ["Finance dashboard"]);
    assert.match(rendered.comment, /### 💥 Blast radius\n\n1 change; no downstream column reads it, but exposure `Finance dashboard` reads the moved model's old table\./);
    const blastRows = (comment: string) => comment.split("\n").filter((l) => l.includes("(table) |"));
    assert.deepEqual(blastRows(rendered.comment), [
      "| `fct_revenue` (table) | table moved: `wh.analytics.fct_revenue` → `wh.analytics_v2.fct_revenue` | old table no longer built | 📊 Finance dashboard (reads the old `wh.analytics.fct_revenue`) | |",
    ]);
    assert.match(rendered.checks.find((c) => c.name === "rocky/contracts")?.text ?? "", /\| `fct_revenue` \(table\) \| table moved: /, "the contracts check lists it with the blast radius");
    assert.match(renderText(report), /\nBlast radius:\n {2}fct_revenue \(table moved\) -> exposure Finance dashboard reads the old table wh\.analytics\.fct_revenue, now wh\.analytics_v2\.fct_revenue\n/);
    // One model's table moved by its sidecar: the same exposure, named the same way.
    const sidecar = await review({ "models/fct_revenue.toml": `[target]\ntable = "revenue_v2"\n\n${SHOP_BASE["models/fct_revenue.toml"]}` });
    assert.deepEqual(
      collectFindings(sidecar.report).filter((f) => f.code === "target_renamed").map((f) => f.message),
      ["wh.analytics.fct_revenue → wh.analytics.revenue_v2; exposure Finance dashboard reads this model"],
    );
    assert.match(sidecar.rendered.comment, /reaching 1 exposure, no downstream model/);
    assert.deepEqual(blastRows(sidecar.rendered.comment), [
      "| `fct_revenue` (table) | table moved: `wh.analytics.fct_revenue` → `wh.analytics.revenue_v2` | old table no longer built | 📊 Finance dashboard (reads the old `wh.analytics.fct_revenue`) | |",
    ]);
    assert.match(sidecar.rendered.comment, /n0\["fct_revenue \(table moved\)"\]:::changed\n {2}n1\["📊 Finance dashboard"\]:::exposure\n {2}n0 --> n1/);
    // A table moved that no exposure reads reaches nothing: no blast-radius section to speak of.
    const unread = await review({ "models/int_orders.toml": '[target]\ntable = "orders_v2"\n' });
    assert.deepEqual(unread.report.blastRadius.entries, []);
    assert.doesNotMatch(unread.rendered.comment, /Blast radius/);
  });

  it("a _defaults.toml target set from an unset ${VAR}: its one error on that line, not a 'missing target' per model nor a move to an empty schema", async () => {
    const { report, rendered } = await review({ "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "${ROCKY_TEST_UNSET_SCHEMA_7}"\n' });
    assert.deepEqual(
      report.diagnostics.filter((d) => d.new).map((d) => [d.code, d.span?.file, d.span?.line]),
      [["R002", "models/_defaults.toml", 3]],
    );
    assert.deepEqual(report.breakingChanges.filter((b) => b.kind === "target_renamed"), []);
    assert.equal(rendered.checks.find((c) => c.name === "rocky/compile")?.conclusion, "failure");
  });

  it("a target inherited from a config group or _defaults.toml points at the key that changed, not at the sidecar's other keys", async () => {
    const group = { "models/groups/finance.toml": '[target]\nschema = "finance"\n', "models/stg_orders.toml": 'group = "finance"\n\n[target]\ntable = "orders"\n' };
    // The group's schema changes: stg_orders points at the group's line, not at its own `table` key.
    const viaGroup = await review({ "models/groups/finance.toml": '[target]\nschema = "finance_v2"\n' }, { base: { ...SHOP_BASE, ...group } });
    const g = viaGroup.report.breakingChanges.filter((b) => b.kind === "target_renamed");
    assert.deepEqual(g.map((b) => [b.model, b.detail, b.span?.file, b.span?.line]), [["stg_orders", "wh.finance.orders → wh.finance_v2.orders", "models/groups/finance.toml", 2]]);
    // The catalog in _defaults.toml changes: the grouped model inherits it from there too.
    const viaDefaults = await review({ "models/_defaults.toml": '[target]\ncatalog = "lake"\nschema = "analytics"\n' }, { base: { ...SHOP_BASE, ...group } });
    const d = viaDefaults.report.breakingChanges.filter((b) => b.kind === "target_renamed" && b.model === "stg_orders");
    assert.deepEqual(d.map((b) => [b.span?.file, b.span?.line]), [["models/_defaults.toml", 2]]);
    // A key the PR removed from _defaults.toml is found on the base side.
    const removed = await review({ "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "analytics"\n' }, { base: { ...SHOP_BASE, "models/_defaults.toml": '[target]\ncatalog = "wh"\nschema = "analytics"\n\n[strategy]\ntype = "view"\n' } });
    const s = removed.report.breakingChanges.filter((b) => b.kind === "materialization_strategy_changed");
    assert.deepEqual(new Set(s.map((b) => `${b.detail} ${b.span?.file}:${b.span?.line}:${b.span?.side}`)), new Set(["view → full_refresh models/_defaults.toml:6:base"]));
    assert.equal(s.length, 4);
  });

  it("compares against the merge-base: later commits on main are not the PR's", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 5, "    UPPER(status) AS status,"), { mainAfter: [editLine("models/int_orders.sql", 3, "    customer_id AS cust_id,")] });
    assert.deepEqual(report.columnChanges.map((c) => `${c.model}.${c.column}`), ["stg_orders.status"]);
    assert.notEqual(report.base.sha, report.mergeBase);
  });

  it("a shallow clone without the base fails with the exact fetch advice", async () => {
    const repo = createGitFixture({ base: SHOP_BASE, head: editLine("models/stg_orders.sql", 5, "    UPPER(status) AS status,"), headIsPatch: true });
    track(repo);
    const clone = shallowClone(repo.dir, "pr", 1);
    track(clone);
    await assert.rejects(reviewPullRequest({ repoDir: clone.dir, base: "origin/main", clock: FIXED_CLOCK }), (e: unknown) => {
      assert.ok(e instanceof ReviewInputError);
      assert.match(e.advice, /git fetch --no-tags --depth=50 origin \+refs\/heads\/main:refs\/remotes\/origin\/main/);
      return true;
    });
  });

  it("a PR that switches [portability] target_dialect: one notice on that rocky.toml line counting the constructs behind the P001 findings it brings", async () => {
    const base = { ...SHOP_BASE, ...editLine("models/stg_orders.sql", 5, "    STRFTIME(ordered_at, '%Y') AS ordered_year, status,"), ...editLine("models/int_orders.sql", 4, "    amount, LIST_VALUE(order_id, customer_id) AS ids,") };
    const toSnowflake = { "rocky.toml": SHOP_BASE["rocky.toml"].replace('target_dialect = "duckdb"', 'target_dialect = "snowflake"') };
    const { report, rendered } = await review(toSnowflake, { base });
    assert.deepEqual(report.targetDialectChange, { from: "duckdb", to: "snowflake", span: { file: "rocky.toml", line: 5, col: 1, side: "head" } });
    const p001 = report.portability.filter((d) => d.code === "P001");
    assert.deepEqual(p001.map((d) => [d.model, d.new, d.inDiff]).sort(), [["int_orders", true, false], ["stg_orders", true, false]]);
    const cause = collectFindings(report).filter((f) => f.code === "target_dialect_changed");
    assert.deepEqual(
      cause.map((f) => [f.check, f.severity, f.message, f.span?.file, f.span?.line]),
      [["rocky/portability", "info", "[portability] target_dialect: duckdb → snowflake: 2 P001 findings in 2 models follow from it (LIST_VALUE ×1, STRFTIME ×1)", "rocky.toml", 5]],
    );
    // The P001 findings sit in files the PR left alone: the one inline comment is on the line it changed.
    assert.deepEqual(rendered.inlineComments.map((c) => [c.path, c.line, c.side]), [["rocky.toml", 5, "RIGHT"]]);
    assert.equal(rendered.checks.find((c) => c.name === "rocky/portability")?.conclusion, "failure");
    assert.match(rendered.comment, /2 new portability findings for `snowflake`\. This PR changes `\[portability\] target_dialect` \(`rocky\.toml:5:1`\), `duckdb` → `snowflake`: every model is checked against the new target, so these follow from that one line \(LIST\\_VALUE ×1, STRFTIME ×1\)\./);
    // Back to a target they run on: a notice that says so; a caller's --target-dialect is no change of the PR's.
    const back = await review({ "rocky.toml": SHOP_BASE["rocky.toml"] }, { base: { ...base, ...toSnowflake } });
    assert.deepEqual(collectFindings(back.report).filter((f) => f.code === "target_dialect_changed").map((f) => f.message), ["[portability] target_dialect: snowflake → duckdb: every model checked against duckdb: nothing found that does not run there"]);
    const repo = createGitFixture({ base, head: toSnowflake, headIsPatch: true });
    track(repo);
    const overridden = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", targetDialect: "dbx", clock: FIXED_CLOCK });
    assert.equal(overridden.report.targetDialectChange, undefined);
  });

  it("inline comments past the cap are counted for the review's body, not dropped unsaid", async () => {
    const { report } = await review({ ...editLine("models/stg_orders.sql", 5, "    NVL(status, 'none') AS status,"), ...editLine("models/int_orders.sql", 5, "    NVL(status, 'x') AS status") });
    const all = renderReview(report, {});
    assert.equal(all.inlineComments.length, 2);
    assert.equal(all.inlineCommentsOverCap, undefined);
    const capped = renderReview(report, { maxInlineComments: 1 });
    assert.deepEqual([capped.inlineComments.length, capped.inlineCommentsOverCap], [1, 1]);
  });

  it("P001 on the exact line of the PR, new and inside the diff; pre-existing ones are not new", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 5, "    NVL(status, 'none') AS status,"));
    const p001 = report.portability.filter((d) => d.code === "P001");
    assert.equal(p001.length, 1);
    assert.equal(p001[0].span?.file, "models/stg_orders.sql");
    assert.equal(p001[0].span?.line, 5);
    assert.equal(p001[0].span?.col, 5);
    assert.equal(p001[0].new, true);
    assert.equal(p001[0].inDiff, true);
    assert.equal(report.summary.portability.error, 1);
    const base = { ...SHOP_BASE, ...editLine("models/stg_orders.sql", 5, "    NVL(status, 'none') AS status,") };
    const again = await review(editLine("models/int_orders.sql", 1, "SELECT -- touch"), { base });
    assert.deepEqual(again.report.portability.map((d) => [d.code, d.new, d.inDiff]), [["P001", false, false]]);
    assert.equal(again.report.summary.portability.error, 0);
  });

  it("a model removed while another still reads it: R004 on the reference, one finding for the removal, no annotation on the deleted file", async () => {
    const { report, rendered } = await review({ "models/stg_orders.sql": null });
    const r004 = report.diagnostics.filter((d) => d.code === "R004");
    assert.deepEqual(
      r004.map((d) => [d.model, d.message, d.span?.file, d.span?.line, d.span?.col, d.span?.endCol, d.new]),
      [["int_orders", "`stg_orders` is a model this PR removes, and int_orders still reads it", "models/int_orders.sql", 6, 6, 16, true]],
    );
    assert.equal(rendered.verdict, "fail");
    // The JSON keeps a column_dropped per column; the comment shows the removal once, on the base file.
    assert.equal(report.breakingChanges.filter((b) => b.kind === "column_dropped").length, 5);
    const removal = collectFindings(report).filter((f) => f.kind === "breaking");
    assert.deepEqual(
      removal.map((f) => [f.code, f.message, f.span?.file, f.span?.base]),
      [["model_removed", "model removed with its 5 columns; wh.analytics.stg_orders is no longer built", "models/stg_orders.sql", true]],
    );
    const annotated = rendered.checks.flatMap((c) => c.annotations).map((a) => a.path);
    assert.ok(annotated.includes("models/int_orders.sql"));
    assert.ok(!annotated.includes("models/stg_orders.sql"), "the deleted file carries no annotation");
    // Removed with its reader: nothing left reads it.
    const both = await review({ "models/stg_orders.sql": null, "models/int_orders.sql": null, "models/fct_revenue.sql": null, "models/fct_revenue.toml": null, "models/fct_revenue.contract.toml": null });
    assert.deepEqual(both.report.diagnostics.filter((d) => d.code === "R004"), []);
    // ...and the blast radius counts no reader in a model the PR removes too: only the dashboard of the removed mart.
    assert.equal(both.report.blastRadius.totalConsumers, 0);
    assert.deepEqual(both.report.blastRadius.exposures, ["Finance dashboard"]);
    assert.match(both.rendered.comment, /reaching 1 exposure, no downstream model/);
  });

  it("a misspelt model name is the one error: no contract finding, no logic change per column it leaves untyped", async () => {
    const { report } = await review(editLine("models/fct_revenue.sql", 4, "FROM int_ordrs"));
    const errors = report.diagnostics.filter((d) => d.severity === "Error" && d.new);
    assert.deepEqual(
      errors.map((d) => [d.code, d.span?.file, d.span?.line]),
      [["R004", "models/fct_revenue.sql", 4]],
    );
    assert.deepEqual(report.contracts.filter((c) => c.new).map((c) => c.code), []);
    // The columns it can no longer type were typed on base: what the error hides, not changes of their own.
    assert.deepEqual(changesOf(report, "fct_revenue").filter((c) => c.change.kind === "logic_changed"), []);
    assert.ok(report.rowLevelChanges.some((r) => r.model === "fct_revenue"), "the FROM did change");
  });

  it("a join's type change says what it does to the rows; any other join change stays generic", async () => {
    const joined = (join: string, on = "o.customer_id = c.customer_id") => ({ "models/order_contacts.sql": `SELECT\n    o.order_id,\n    c.email\nFROM stg_orders AS o\n${join} stg_customers AS c ON ${on}\n` });
    const detail = async (baseJoin: string, headJoin: string, headOn?: string) => {
      const { report } = await review(joined(headJoin, headOn), { base: { ...SHOP_BASE, ...joined(baseJoin) } });
      return report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail;
    };
    assert.equal(await detail("LEFT JOIN", "JOIN"), "JOIN changed from LEFT to INNER: rows with no match in stg_customers are now dropped");
    assert.equal(await detail("INNER JOIN", "LEFT JOIN"), "JOIN changed from INNER to LEFT: rows with no match in stg_customers are now kept, with NULLs for its columns");
    assert.equal(await detail("LEFT JOIN", "FULL JOIN"), "JOIN changed from LEFT to FULL, joining stg_customers: every downstream column sees different rows");
    assert.equal(await detail("LEFT JOIN", "LEFT JOIN", "o.order_id = c.customer_id"), "JOIN changed: every downstream column sees different rows");
  });

  it("a JOIN added inside a CTE places \"FROM and JOIN changed\" on that JOIN, not on the final SELECT's FROM outside the diff", async () => {
    const model = (column: string, join: string) => ({
      "models/order_contacts.sql": `with orders as (\n    select * from stg_orders\n),\n\nitems as (\n    select order_id, sum(amount) as amount\n    from int_orders\n    group by 1\n),\n\nfinal as (\n    select\n        o.order_id,\n${column}        items.amount\n    from orders as o\n${join}    inner join items\n        on o.order_id = items.order_id\n)\n\nselect *\nfrom final\n`,
      "models/rpt_contacts.sql": "SELECT order_id FROM order_contacts\n",
    });
    const { report, rendered } = await review(model("        c.email,\n", "    left join stg_customers as c\n        on c.customer_id = o.customer_id\n"), { base: { ...SHOP_BASE, ...model("", "") } });
    assert.equal(report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail, "FROM and JOIN changed: every downstream column sees different rows");
    assert.deepEqual(report.rowLevelChanges.map((r) => [r.clause, r.span?.line, r.span?.col]), [["from", 17, 10]]);
    // The blast radius names the change as the breaking-change table does.
    assert.match(rendered.comment, /\| `order_contacts` \(rows\) \| row-level: FROM and JOIN changed \|/);
  });

  it("a classification on a column the PR adds is said with the new column, not as a mask change; on an existing column it is one", async () => {
    const sql = ["SELECT", "    id AS customer_id,", "    email,", "    'n/a' AS phone", "FROM raw.customers", ""].join("\n");
    const { report, rendered } = await review({ "models/stg_customers.sql": sql, "models/stg_customers.toml": '[classification]\nemail = "pii"\nphone = "pii"\n' });
    // The JSON keeps Rocky's kinds.
    assert.deepEqual(report.breakingChanges.filter((b) => b.column === "phone").map((b) => b.kind).sort(), ["column_added", "column_mask_changed"]);
    const shown = collectFindings(report).filter((f) => f.column === "phone");
    assert.deepEqual(shown.map((f) => [f.code, f.message]), [["column_added", "phone: String NOT NULL added, classified pii"]]);
    assert.doesNotMatch(rendered.comment, /classification \(none\) → pii/);
    const existing = await review({ "models/stg_customers.toml": '[classification]\nemail = "pii"\ncustomer_id = "pii"\n' });
    assert.deepEqual(collectFindings(existing.report).filter((f) => f.column === "customer_id").map((f) => [f.code, f.message]), [["column_mask_changed", "customer_id: classification (none) → pii"]]);
    // The masking section lists both with how they are masked; email, classified on base, is not the PR's.
    assert.deepEqual(classifiedRows(rendered.comment), ["| `stg_customers.phone` | `pii` | masked (`hash`) in `default` |"]);
    assert.deepEqual(classifiedRows(existing.rendered.comment), ["| `stg_customers.customer_id` | `pii` | masked (`hash`) in `default` |"]);
    const retagged = await review({ "models/stg_customers.toml": '[classification]\nemail = "financial"\n' });
    assert.deepEqual(classifiedRows(retagged.rendered.comment), ["| `stg_customers.email` | `financial` | **unmasked** in `default` |"]);
  });

  it("a new model's classified columns are listed in the masking section, each with how every env masks it", async () => {
    const toml = `${SHOP_BASE["rocky.toml"]}\n[mask.prod]\npii = "redact"\nfinancial = "hash"\n`;
    const { report, rendered } = await review(
      {
        "models/dim_customers.sql": "SELECT\n    customer_id,\n    email,\n    customer_id AS score,\n    customer_id AS tier\nFROM stg_customers\n",
        "models/dim_customers.toml": '[classification]\nemail = "pii"\nscore = "financial"\ntier = "internal"\n',
      },
      { base: { ...SHOP_BASE, "rocky.toml": toml } },
    );
    // The breaking table's row for the new model summarises it; the masking section says what it classifies.
    assert.deepEqual(collectFindings(report).filter((f) => f.kind === "breaking").map((f) => f.message), ["new model writing wh.analytics.dim_customers, 4 columns"]);
    const section = rendered.comment.slice(rendered.comment.indexOf("### 🔒 Masking compliance"), rendered.comment.indexOf("### 💰"));
    assert.deepEqual(classifiedRows(section), [
      "| `dim_customers.email` | `pii` | masked (`hash`) in `default`; masked (`redact`) in `prod` |",
      "| `dim_customers.score` | `financial` | **unmasked** in `default`; masked (`hash`) in `prod` |",
      "| `dim_customers.tier` | `internal` | **unmasked** in every env |",
    ]);
    // The unmasked ones are the masking check's errors too, and its text lists the same rows.
    assert.deepEqual(collectFindings(report).filter((f) => f.code === "unmasked_column").map((f) => `${f.model}.${f.column}`).sort(), ["dim_customers.score", "dim_customers.tier"]);
    const masking = rendered.checks.find((c) => c.name === "rocky/masking");
    assert.equal(masking?.conclusion, "failure");
    assert.deepEqual(classifiedRows(masking?.text ?? ""), classifiedRows(section));
    // An env allow-listing the tag says so, not "unmasked".
    const allowed = await review(
      { "models/dim_customers.sql": "SELECT\n    customer_id AS tier\nFROM stg_customers\n", "models/dim_customers.toml": '[classification]\ntier = "internal"\n' },
      { base: { ...SHOP_BASE, "rocky.toml": `${SHOP_BASE["rocky.toml"]}\n[classifications]\nallow_unmasked = ["internal"]\n` } },
    );
    assert.deepEqual(classifiedRows(allowed.rendered.comment), ["| `dim_customers.tier` | `internal` | allow-listed unmasked in `default` |"]);
  });

  it("another FROM relation is a change of rows, and of a scalar subquery's value, though a count names no column", async () => {
    const counts = (from: string) => ({ "models/order_counts.sql": `SELECT\n    COUNT(*) AS n,\n    (SELECT COUNT(*) FROM ${from}) AS all_n\nFROM ${from}\n`, "models/rpt_counts.sql": "SELECT n * 2 AS n2 FROM order_counts\n" });
    const { report } = await review(counts("stg_customers"), { base: { ...SHOP_BASE, ...counts("stg_orders") } });
    assert.deepEqual(
      report.rowLevelChanges.map((r) => [r.model, r.clause, r.old, r.new, r.span?.line, r.consumers]),
      [["order_counts", "from", "stg_orders", "stg_customers", 3, 1]],
    );
    assert.equal(report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail, "FROM changed: every downstream column sees different rows");
    assert.deepEqual(report.columnChanges.map((c) => `${c.model}.${c.column} ${c.change.kind}`), ["order_counts.all_n logic_changed"]);
    // An alias, or a CTE over the same table, reads the same rows: no change.
    const same = await review({ "models/order_counts.sql": "WITH o AS (SELECT order_id FROM stg_orders)\nSELECT\n    COUNT(*) AS n,\n    (SELECT COUNT(*) FROM stg_orders AS s) AS all_n\nFROM o\n", "models/rpt_counts.sql": counts("")["models/rpt_counts.sql"] }, { base: { ...SHOP_BASE, ...counts("stg_orders") } });
    assert.deepEqual(same.report.rowLevelChanges, []);
    assert.deepEqual(same.report.columnChanges, []);
    // The joins that name a new FROM relation change with it: one finding.
    const joined = (from: string) => ({ "models/order_contacts.sql": `SELECT\n    o.order_id,\n    c.email\nFROM ${from} AS o\nJOIN stg_customers AS c ON o.customer_id = c.customer_id\n` });
    const moved = await review(joined("int_orders"), { base: { ...SHOP_BASE, ...joined("stg_orders") } });
    assert.deepEqual(moved.report.rowLevelChanges.map((r) => r.clause), ["from"]);
    assert.equal(moved.report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail, "FROM and JOIN changed: every downstream column sees different rows");
    // Inner joins in another order are the same rows; an outer join's side is not.
    const ordered = (from: string, join: string, type = "JOIN") => ({ "models/order_contacts.sql": `SELECT\n    o.order_id,\n    c.email\nFROM ${from}\n${type} ${join} ON o.customer_id = c.customer_id\n` });
    const swapped = await review(ordered("stg_customers AS c", "stg_orders AS o"), { base: { ...SHOP_BASE, ...ordered("stg_orders AS o", "stg_customers AS c") } });
    assert.deepEqual(swapped.report.rowLevelChanges, []);
    assert.deepEqual(swapped.report.columnChanges, []);
    const outer = await review(ordered("stg_customers AS c", "stg_orders AS o", "LEFT JOIN"), { base: { ...SHOP_BASE, ...ordered("stg_orders AS o", "stg_customers AS c", "LEFT JOIN") } });
    assert.deepEqual(outer.report.rowLevelChanges.map((r) => r.clause), ["from"]);
    // Three inner joins reordered, with a condition moved from one ON to another: the same rows.
    const three = (joins: string) => ({ "models/order_contacts.sql": `SELECT\n    o.order_id,\n    c.email\nFROM stg_orders AS o\n${joins}\n` });
    const moved3 = await review(three("JOIN int_orders AS i ON i.order_id = o.order_id\nJOIN stg_customers AS c ON o.customer_id = c.customer_id AND i.customer_id = c.customer_id"), {
      base: { ...SHOP_BASE, ...three("JOIN stg_customers AS c ON o.customer_id = c.customer_id\nJOIN int_orders AS i ON i.order_id = o.order_id AND i.customer_id = c.customer_id") },
    });
    assert.deepEqual(moved3.report.rowLevelChanges, []);
    // The same move into a LEFT JOIN's ON changes which rows survive.
    const left3 = await review(three("JOIN int_orders AS i ON i.order_id = o.order_id\nLEFT JOIN stg_customers AS c ON o.customer_id = c.customer_id AND i.customer_id = c.customer_id"), {
      base: { ...SHOP_BASE, ...three("LEFT JOIN stg_customers AS c ON o.customer_id = c.customer_id\nJOIN int_orders AS i ON i.order_id = o.order_id AND i.customer_id = c.customer_id") },
    });
    assert.deepEqual(left3.report.rowLevelChanges.map((r) => r.clause), ["join"]);
  });

  it("a CTE that only a select-list subquery reads changes that column's value, not the model's rows", async () => {
    const counted = (filter: string) => ({ "models/customer_counts.sql": `WITH paid AS (\n    SELECT order_id FROM stg_orders WHERE ${filter}\n)\nSELECT\n    customer_id,\n    (SELECT COUNT(*) FROM paid) AS paid_n\nFROM stg_customers\n` });
    const { report } = await review(counted("status <> 'void'"), { base: { ...SHOP_BASE, ...counted("status = 'paid'") } });
    assert.deepEqual(report.rowLevelChanges, []);
    // On the column's own line (the analyzer keeps no span for the CTE the change came through).
    assert.deepEqual(report.columnChanges.map((c) => `${c.model}.${c.column} ${c.change.kind} ${c.span?.line}`), ["customer_counts.paid_n logic_changed 6"]);
  });

  it("a column changed inside a CTE, a long CASE or a UNION's second branch is reported on the line the PR changed", async () => {
    const at = (r: ReviewReport) => r.columnChanges.map((c) => `${c.model}.${c.column} ${c.change.kind} ${c.span?.line}:${c.span?.col}`);
    // dbt style: CTEs, then `SELECT * FROM final`. The column has no select item of its own; its place is the CTE line.
    const staged = (expr: string) => ({
      "models/order_totals.sql": `WITH orders AS (\n    SELECT order_id, amount FROM stg_orders\n),\nfinal AS (\n    SELECT\n        order_id,\n        ${expr} AS amount_due\n    FROM orders\n)\nSELECT * FROM final\n`,
    });
    const cte = await review(staged("amount * 1.2"), { base: { ...SHOP_BASE, ...staged("amount * 1.1") } });
    assert.deepEqual(at(cte.report), ["order_totals.amount_due logic_changed 7:9"]);
    // The final select names the column itself, through a CTE whose item the PR changed.
    const named = (expr: string) => ({
      "models/paid_orders.sql": `WITH paid AS (\n    SELECT\n        order_id,\n        ${expr} AS paid\n    FROM stg_orders\n    GROUP BY order_id\n)\nSELECT\n    order_id,\n    COALESCE(paid, 0) AS paid\nFROM paid\n`,
    });
    const through = await review(named("SUM(amount * 0.9)"), { base: { ...SHOP_BASE, ...named("SUM(amount)") } });
    assert.deepEqual(at(through.report), ["paid_orders.paid type_changed 4:9"]);
    assert.deepEqual(
      through.report.breakingChanges.filter((b) => b.column === "paid").map((b) => b.span?.line),
      [4],
      "the breaking change (a check-run annotation) is on that line too",
    );
    // A CASE over several lines, changed on its fourth: that line, at its first written character.
    const cased = (big: string) => ({ "models/order_sizes.sql": `SELECT\n    order_id,\n    CASE\n        WHEN amount > 1000 THEN 'huge'\n        WHEN amount > ${big} THEN 'big'\n        ELSE 'small'\n    END AS size\nFROM stg_orders\n` });
    const long = await review(cased("200"), { base: { ...SHOP_BASE, ...cased("100") } });
    assert.deepEqual(at(long.report), ["order_sizes.size logic_changed 5:9"]);
    // The second branch of a UNION ALL.
    const unioned = (second: string) => ({ "models/all_amounts.sql": `SELECT order_id, amount AS value FROM stg_orders\nUNION ALL\nSELECT order_id, ${second} AS value FROM stg_orders\n` });
    const union = await review(unioned("-amount"), { base: { ...SHOP_BASE, ...unioned("amount * -1") } });
    assert.deepEqual(at(union.report), ["all_amounts.value logic_changed 3:18"]);
    // The PR changed the column's own item too: that one comes first.
    const both = { "models/paid_orders.sql": named("SUM(amount * 0.9)")["models/paid_orders.sql"].replace("COALESCE(paid, 0)", "COALESCE(paid, 0.0)") };
    const own = await review(both, { base: { ...SHOP_BASE, ...named("SUM(amount)") } });
    assert.deepEqual(at(own.report), ["paid_orders.paid type_changed 10:5"]);
  });

  it("a row-level change points at its clause's keyword, never at the same word in a function's arguments, a string or a comment", async () => {
    const at = (r: ReviewReport) => r.rowLevelChanges.map((c) => [c.clause, c.span?.line, c.span?.col]);
    // The PR changes the EXTRACT line (its FROM is EXTRACT's) and the FROM line: the finding is on the FROM line.
    const extract = (part: string, from: string) => ({ "models/order_years.sql": `SELECT\n    order_id,\n    EXTRACT(${part} FROM ordered_at) AS y -- from the order date\nFROM ${from}\n` });
    const moved = await review(extract("month", "stg_orders"), { base: { ...SHOP_BASE, ...extract("year", "int_orders") } });
    assert.deepEqual(at(moved.report), [["from", 4, 1]]);
    // SELECT DISTINCT added on line 4, after a changed COUNT(DISTINCT ..) in a CTE; IS DISTINCT FROM is a comparison.
    const distinct = (select: string, n: string) => ({
      "models/order_statuses.sql": `WITH counted AS (\n    SELECT status, COUNT(${n}) AS n FROM stg_orders GROUP BY status\n)\n${select}\n    status,\n    n,\n    status IS DISTINCT FROM 'void' AS flagged\nFROM counted\n`,
    });
    const d = await review(distinct("SELECT DISTINCT", "DISTINCT order_id"), { base: { ...SHOP_BASE, ...distinct("SELECT", "order_id") } });
    assert.deepEqual(at(d.report), [["distinct", 4, 8]]);
    // WHERE in a string and in a comment on changed lines before the clause.
    const noted = (note: string, filter: string) => ({ "models/order_notes.sql": `SELECT order_id, '${note}' AS note -- ${note}\nFROM stg_orders\nWHERE ${filter}\n` });
    const s = await review(noted("where it went", "status <> 'void'"), { base: { ...SHOP_BASE, ...noted("x", "status <> 'test'") } });
    assert.deepEqual(at(s.report), [["where", 3, 1]]);
    // A subquery's own WHERE is a clause too.
    const sub = (filter: string) => ({ "models/big_orders.sql": `SELECT order_id\nFROM stg_orders\nWHERE amount > (\n    SELECT AVG(amount) FROM stg_orders WHERE ${filter}\n)\n` });
    const w = await review(sub("status = 'paid'"), { base: { ...SHOP_BASE, ...sub("status <> 'void'") } });
    assert.deepEqual(at(w.report), [["where", 4, 40]]);
  });

  it("Snowflake's CONNECT BY and MATCH_RECOGNIZE are row-level clauses of their own, on the line the PR changed", async () => {
    const snowflake = { ...SHOP_BASE, "rocky.toml": SHOP_BASE["rocky.toml"].replace('type = "duckdb"', 'type = "snowflake"\naccount = "acme"').replace('target_dialect = "duckdb"', 'target_dialect = "snowflake"') };
    const at = (r: ReviewReport) => r.rowLevelChanges.map((c) => [c.clause, c.span?.line, c.span?.col]);
    const tree = (start: string, links: string) => ({
      "models/order_tree.sql": `SELECT\n    order_id,\n    LEVEL AS depth,\n    SYS_CONNECT_BY_PATH(status, '/') AS path\nFROM stg_orders\nSTART WITH ${start}\nCONNECT BY ${links}\n`,
    });
    const base = { ...snowflake, ...tree("status = 'root'", "PRIOR order_id = customer_id") };
    const compiled = await review({ "README.md": "docs\n" }, { base });
    assert.deepEqual(compiled.report.diagnostics.filter((d) => d.model === "order_tree" && d.severity === "Error"), []);
    const links = await review(tree("status = 'root'", "PRIOR order_id = customer_id AND LEVEL < 5"), { base });
    assert.deepEqual(at(links.report), [["connect_by", 7, 1]]);
    assert.equal(links.report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail, "CONNECT BY changed: every downstream column sees different rows");
    const roots = await review(tree("status = 'seed'", "PRIOR order_id = customer_id"), { base });
    assert.deepEqual(at(roots.report), [["connect_by", 6, 1]]);
    // PRIOR on the other side walks the tree the other way: a change.
    const flipped = await review(tree("status = 'root'", "order_id = PRIOR customer_id"), { base });
    assert.deepEqual(at(flipped.report), [["connect_by", 7, 1]]);

    const matches = (cond: string) => ({
      "models/order_runs.sql": `SELECT *\nFROM stg_orders\n    MATCH_RECOGNIZE (\n        PARTITION BY customer_id\n        ORDER BY ordered_at\n        MEASURES MATCH_NUMBER() AS run\n        ONE ROW PER MATCH\n        PATTERN (up+)\n        DEFINE up AS ${cond}\n    )\n`,
    });
    const runs = await review(matches("amount > PREV(amount) * 2"), { base: { ...snowflake, ...matches("amount > PREV(amount)") } });
    assert.deepEqual(at(runs.report), [["match_recognize", 3, 5]]);
    assert.match(runs.report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail ?? "", /^MATCH RECOGNIZE changed/);
  });

  it("sampling, time travel and TOP decide the rows: a change to one is row-level, on the line the PR changed", async () => {
    const snowflake = { ...SHOP_BASE, "rocky.toml": SHOP_BASE["rocky.toml"].replace('type = "duckdb"', 'type = "snowflake"\naccount = "acme"').replace('target_dialect = "duckdb"', 'target_dialect = "snowflake"') };
    const at = (r: ReviewReport) => r.rowLevelChanges.map((c) => [c.clause, c.span?.line, c.span?.col]);
    const recent = (modifiers: string, top: number) => ({
      "models/recent_orders.sql": `SELECT TOP ${top}\n    order_id,\n    amount\nFROM stg_orders\n    ${modifiers}\nORDER BY ordered_at DESC\n`,
    });
    const base = { ...snowflake, ...recent("AT(OFFSET => -3600)\n    SAMPLE (10)", 100) };
    const compiled = await review({ "README.md": "docs\n" }, { base });
    assert.deepEqual(compiled.report.diagnostics.filter((d) => d.model === "recent_orders" && d.severity === "Error"), []);
    // An hour back becomes a day back: the FROM clause, on the line that says so (not FROM's).
    const travel = await review(recent("AT(OFFSET => -86400)\n    SAMPLE (10)", 100), { base });
    assert.deepEqual(at(travel.report), [["from", 5, 5]]);
    assert.equal(travel.report.breakingChanges.find((b) => b.kind === "row_level_changed")?.detail, "FROM changed: every downstream column sees different rows");
    const sampled = await review(recent("AT(OFFSET => -3600)\n    SAMPLE (50)", 100), { base });
    assert.deepEqual(at(sampled.report), [["from", 6, 5]]);
    const top = await review(recent("AT(OFFSET => -3600)\n    SAMPLE (10)", 500), { base });
    assert.deepEqual(at(top.report), [["limit", 1, 8]]);
    // The same query written again with other spacing and case: nothing changed.
    const respelled = await review({ "models/recent_orders.sql": `select top 100 order_id, amount\nfrom stg_orders at(offset => -3600) sample (10)\norder by ordered_at desc\n` }, { base });
    assert.deepEqual(at(respelled.report), []);
    assert.deepEqual(respelled.report.columnChanges, []);
  });

  it("a contract the PR tightens: each finding on the contract line that PR wrote, as an inline comment there", async () => {
    const contract = ["[[columns]]", 'name = "amount"', 'type = "Decimal(12,2)"', "nullable = false", "", "[rules]", 'required = ["amount", "currency"]', 'protected = ["order_id"]', ""].join("\n");
    const { report, rendered } = await review({ "models/fct_revenue.contract.toml": contract });
    const at = (code: string) => report.contracts.filter((c) => c.code === code).map((c) => `${c.column} ${c.span?.file}:${c.span?.line}:${c.span?.col}`);
    assert.deepEqual(at("E010"), ["currency models/fct_revenue.contract.toml:7:23"]);
    assert.deepEqual(at("E011"), ["amount models/fct_revenue.contract.toml:3:1"]);
    const inline = rendered.inlineComments.filter((c) => c.path === "models/fct_revenue.contract.toml").map((c) => c.line);
    assert.deepEqual(inline.sort(), [3, 7]);
    // A column the PR's SQL narrows against an unchanged contract is still found on the SQL line.
    const narrowed = await review(editLine("models/fct_revenue.sql", 3, "    CAST(amount AS DECIMAL(12, 2)) AS amount"));
    assert.deepEqual(narrowed.report.contracts.filter((c) => c.code === "E011").map((c) => `${c.span?.file}:${c.span?.line}`), ["models/fct_revenue.sql:3"]);
  });

  it("a finding a later push fixes leaves the current findings, the one it keeps stays (what resolves inline comments' threads)", async () => {
    const contract = (type: string) => ["[[columns]]", 'name = "amount"', `type = "${type}"`, "nullable = false", "", "[rules]", 'required = ["amount", "currency"]', 'protected = ["order_id"]', ""].join("\n");
    const first = await review({ "models/fct_revenue.contract.toml": contract("Decimal(12,2)") });
    const fixed = await review({ "models/fct_revenue.contract.toml": contract("Decimal(18,2)") });

    const byLine = new Map(first.rendered.inlineComments.filter((c) => c.path === "models/fct_revenue.contract.toml").map((c) => [c.line, c.fingerprint]));
    assert.deepEqual([...byLine.keys()].sort(), [3, 7]);
    assert.ok(first.rendered.inlineComments.every((c) => first.rendered.findingFingerprints?.includes(c.fingerprint)));
    assert.equal(fixed.rendered.findingFingerprints?.includes(byLine.get(3) ?? ""), false, "E011 on amount was fixed");
    assert.equal(fixed.rendered.findingFingerprints?.includes(byLine.get(7) ?? ""), true, "E010 on currency is still there");
  });

  it("a source column removed from a schema file: its reader's error, and no 'narrowing' of a list that holds the column downstream", async () => {
    const base = { ...SHOP_BASE, ...editLine("models/int_orders.sql", 5, "    status, LIST_VALUE(status, status) AS statuses") };
    const schema = JSON.parse(SHOP_BASE["schemas/raw.json"]) as { tables: Record<string, { name: string }[]> };
    schema.tables["raw.orders"] = schema.tables["raw.orders"].filter((c) => c.name !== "status");
    const { report } = await review({ "schemas/raw.json": JSON.stringify(schema, null, 2) }, { base });
    assert.ok(report.diagnostics.some((d) => d.code === "R008" && d.model === "stg_orders" && d.new));
    // int_orders.statuses is Array<Unknown> on head because stg_orders.status no longer resolves: that is the R008, not a type change.
    assert.deepEqual(report.breakingChanges.filter((b) => b.kind === "column_type_changed").map((b) => `${b.model}.${b.column}: ${b.detail}`), []);
  });

  it("a source type the PR changes in a schema file is reported on that file's changed line, not on the model that reads it", async () => {
    const schema = SHOP_BASE["schemas/raw.json"].replace('"type": "DECIMAL(18,2)"', '"type": "DECIMAL(10,2)"');
    const typeLine = schema.split("\n").findIndex((l) => l.includes('"DECIMAL(10,2)"')) + 1;
    const { report, rendered } = await review({ "schemas/raw.json": schema });
    const amount = changesOf(report, "stg_orders").find((c) => c.column === "amount");
    assert.deepEqual([amount?.change.kind, amount?.span?.file, amount?.span?.line], ["type_changed", "schemas/raw.json", typeLine]);
    const e011 = report.contracts.find((c) => c.code === "E011" && c.model === "fct_revenue");
    assert.deepEqual([e011?.span?.file, e011?.span?.line], ["schemas/raw.json", typeLine], "the contract break points where the PR narrowed the type");
    const breaking = report.breakingChanges.find((b) => b.model === "stg_orders" && b.column === "amount");
    assert.match(breaking?.detail ?? "", /, from raw\.orders\.amount$/);
    assert.ok(rendered.inlineComments?.some((c) => c.path === "schemas/raw.json" && c.line === typeLine), "an inline comment on the changed line");
    // A PR that also edits the model: the change is the model's, at its line.
    const both = await review({ "schemas/raw.json": schema, ...editLine("models/stg_orders.sql", 8, "WHERE status <> 'void'") });
    assert.equal(changesOf(both.report, "stg_orders").find((c) => c.column === "amount")?.span?.file, "models/stg_orders.sql");
  });

  it("a classified model whose sidecar no longer loads: the masking section says its columns went unchecked", async () => {
    const broken = await review({ "models/stg_customers.toml": '[classification]\nemail = "pii\n' });
    assert.ok(broken.report.diagnostics.some((d) => d.code === "R002" && d.span?.file === "models/stg_customers.toml"));
    assert.deepEqual(broken.report.compliance?.unchecked, [
      { model: "stg_customers", file: "models/stg_customers.toml", line: 2, code: "R002", columns: ["email"], whole_model: true, reason: "its [classification] did not load: what the model classifies is unknown" },
    ]);
    assert.match(broken.rendered.comment, /`models\/stg_customers\.toml` did not load, so 1 classified column of `stg_customers` \(`email`\) is not counted or checked here\./);
    // The masking check does not pass on it, and the terminal text says why, as `rocky compliance --fail-on exception` does.
    assert.equal(broken.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "failure");
    assert.match(renderText(broken.report), /error\[masking_unchecked\]: stg_customers \(email\) not checked: its \[classification\] did not load: what the model classifies is unknown \(R002 at models\/stg_customers\.toml:2\)/);
    // A broken sidecar of a model that classified nothing, or a PR that leaves the sidecar alone, says nothing.
    const other = await review({ "models/fct_revenue.toml": '[[exposures]]\nname = "Finance\n' });
    assert.equal(other.report.compliance?.unchecked, undefined);
    assert.equal((await review(editLine("models/stg_orders.sql", 8, "WHERE status <> 'void'"))).report.compliance?.unchecked, undefined);
  });

  it("rocky.toml masking that no longer loads, and a classification of no column: the masking check fails, naming file and line", async () => {
    // A key set twice costs the whole [mask] table: the exceptions that follow name it as the cause.
    const twice = await review({ "rocky.toml": SHOP_BASE["rocky.toml"].replace('pii = "hash"', 'pii = "hash"\npii = "redact"') });
    const compliance = twice.report.compliance;
    assert.deepEqual(compliance?.diagnostics.filter((d) => d.code !== "W004").map((d) => [d.code, d.span?.file, d.span?.line, d.key]), [["R002", "rocky.toml", 9, "mask"]]);
    assert.match(compliance?.exceptions[0]?.reason ?? "", /; rocky\.toml:9 did not load \(R002\), so one may be missing: fix that first$/);
    assert.equal(twice.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "failure");
    assert.match(twice.rendered.comment, /`rocky\.toml:9` did not load \(R002\): masking may not be what the configuration says/);
    assert.match(renderText(twice.report), /error\[masking_unchecked\]: masking not sure: rocky\.toml:9 did not load \(R002: invalid TOML: `pii` is set twice/);
    // A misspelt column classifies nothing: not counted as masked, and said.
    const misspelt = await review({ "models/stg_customers.toml": '[classification]\nemial = "pii"\n' });
    assert.deepEqual(misspelt.report.compliance?.per_column.map((c) => `${c.model}.${c.column}`), []);
    assert.deepEqual(misspelt.report.compliance?.unchecked?.map((u) => [u.model, u.code, u.line, u.columns]), [["stg_customers", "R012", 2, ["emial"]]]);
    assert.equal(misspelt.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "failure");
    assert.match(misspelt.rendered.comment, /`stg_customers\.emial` is classified in `models\/stg_customers\.toml`, but `stg_customers` outputs no such column/);
  });

  it("an email a PR adds to a UNION's second branch: the finding is on that branch's line, where the inline comment can go", async () => {
    const mart = "SELECT\n    order_id AS id,\n    status AS address\nFROM stg_orders\n";
    const base = { ...SHOP_BASE, "models/mart_addresses.sql": mart };
    const { report, rendered } = await review({ "models/mart_addresses.sql": `${mart}UNION ALL\nSELECT\n    customer_id AS id,\n    email AS address\nFROM stg_customers\n` }, { base });
    const copy = report.compliance?.exceptions.find((e) => e.model === "mart_addresses" && e.column === "address");
    assert.equal(copy?.new, true);
    assert.deepEqual(copy?.span && [copy.span.file, copy.span.line], ["models/mart_addresses.sql", 8]);
    assert.deepEqual(rendered.inlineComments.filter((c) => c.body.includes("unmasked_column")).map((c) => [c.path, c.line]), [["models/mart_addresses.sql", 8]]);
    assert.equal(rendered.checks.find((c) => c.name === "rocky/masking")?.annotations[0]?.start_line, 8);
  });

  it("a PR that fixes an exposure already on the base branch says so; one that hides it by unmasking the source does not", async () => {
    const exposed = { ...SHOP_BASE, "models/mart_contacts.sql": "SELECT\n    customer_id,\n    email\nFROM stg_customers\n" };
    const hashed = await review({ "models/mart_contacts.sql": "SELECT\n    customer_id,\n    md5(email) AS email_key\nFROM stg_customers\n" }, { base: exposed });
    assert.deepEqual(hashed.report.compliance?.exceptions, []);
    assert.deepEqual(
      hashed.report.compliance?.fixed?.map((f) => [f.model, f.column, f.envs, f.tag, f.via_lineage]),
      [["mart_contacts", "email", ["default"], "pii", true]],
    );
    assert.equal(hashed.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "success");
    assert.match(hashed.rendered.comment, /✅ This PR fixes 1 unmasked column on the base branch: `mart_contacts\.email` \(`default`\)\./);
    // Classifying the copy masks it: fixed too.
    const classified = await review({ "models/mart_contacts.toml": '[classification]\nemail = "pii"\n' }, { base: exposed });
    assert.deepEqual(classified.report.compliance?.fixed?.map((f) => `${f.model}.${f.column}`), ["mart_contacts.email"]);
    // Gone only because the source is no longer masked (declassified, or `none`): not a fix.
    const declassified = await review({ "models/stg_customers.toml": "" }, { base: exposed });
    assert.equal(declassified.report.compliance?.fixed, undefined);
    assert.doesNotMatch(declassified.rendered.comment, /This PR fixes/);
    const none = await review({ "rocky.toml": SHOP_BASE["rocky.toml"].replace('pii = "hash"', 'pii = "none"') }, { base: exposed });
    assert.equal(none.report.compliance?.fixed, undefined);
    // Renamed, the column or its model, it is the same exposure: still on the base branch, neither new nor fixed.
    const renamedColumn = await review({ "models/mart_contacts.sql": "SELECT\n    customer_id,\n    email AS contact_email\nFROM stg_customers\n" }, { base: exposed });
    const renamedModel = await review({ "models/mart_contacts.sql": null, "models/mart_customer_contacts.sql": exposed["models/mart_contacts.sql"] }, { base: exposed });
    for (const [r, name] of [[renamedColumn, "mart_contacts.contact_email"], [renamedModel, "mart_customer_contacts.email"]] as const) {
      assert.deepEqual(r.report.compliance?.exceptions.map((e) => [`${e.model}.${e.column}`, e.new]), [[name, false]]);
      assert.equal(r.report.compliance?.fixed, undefined);
      assert.equal(r.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "success");
    }
  });

  it("a PR that stops masking a tag: one warning on the rocky.toml line, naming the columns it leaves in clear", async () => {
    const toml = (mask: string, extra = "") => ({ "rocky.toml": ["[adapter]", 'type = "duckdb"', "", "[portability]", 'target_dialect = "duckdb"', "", "[mask]", mask, extra, ""].join("\n") });
    const none = await review(toml('pii = "none"'));
    assert.deepEqual(
      none.report.compliance?.weakened?.map((w) => [w.env, w.tag, w.from, w.to, w.columns.map((c) => `${c.model}.${c.column}`), w.span?.line]),
      [["default", "pii", "hash", "none", ["stg_customers.email"], 8]],
    );
    const finding = collectFindings(none.report).filter((f) => f.code === "mask_weakened");
    assert.deepEqual(
      finding.map((f) => [f.check, f.severity, f.message, f.span?.line]),
      [["rocky/masking", "warning", "[mask] pii: hash → none: 1 `pii` column no longer masked in default (stg_customers.email)", 8]],
    );
    assert.equal(none.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "neutral");
    assert.match(none.rendered.comment, /This PR stops masking `pii` in `default`: its columns are counted in clear by policy \(strategy `none`\), not as masked\./);
    // A column kept in clear on purpose is not counted as masked (Rocky counts `none` as masked).
    assert.match(none.rendered.comment, /1 classified column checked in 1 env \(`default`\), 1 column–env pair: 0 masked, 1 in clear by policy \(`none`\)\./);
    // Removing the strategy and allow-listing the tag is the same thing said another way.
    const allowed = await review(toml('financial = "none"', '[classifications]\nallow_unmasked = ["pii"]'));
    assert.deepEqual(allowed.report.compliance?.weakened?.map((w) => [w.to, w.span?.line]), [["allow_unmasked", 10]]);
    assert.match(allowed.rendered.comment, /This PR stops masking `pii` in `default`: it is allow-listed with no strategy, so its columns are not checked there\./);
    assert.doesNotMatch(allowed.rendered.comment, /strategy `none`/);
    // `partial` shows the first and last 2 characters: a weaker mask than hash or redact, said as such.
    const partial = await review(toml('pii = "partial"'));
    assert.deepEqual(partial.report.compliance?.weakened?.map((w) => [w.env, w.tag, w.from, w.to, w.span?.line]), [["default", "pii", "hash", "partial", 8]]);
    assert.deepEqual(
      collectFindings(partial.report).filter((f) => f.code === "mask_weakened").map((f) => [f.severity, f.message]),
      [["warning", "[mask] pii: hash → partial: 1 `pii` column only partly masked (the first and last 2 characters of each value in clear) in default (stg_customers.email)"]],
    );
    assert.match(partial.rendered.comment, /This PR masks `pii` only partly in `default` \(strategy `partial`\): the first and last 2 characters of each value are in clear\./);
    // Another masking strategy as strong, or an env override that keeps masking, weakens nothing.
    assert.equal((await review(toml('pii = "redact"'))).report.compliance?.weakened, undefined);
    assert.equal((await review(toml('pii = "none"', '\n[mask.prod]\npii = "hash"'))).report.compliance?.weakened?.map((w) => w.env).join(), "default");
  });

  it("a PR that turns a whole mask into a partial one: a warning on the rocky.toml line, the first and last characters in clear", async () => {
    const toml = (mask: string) => ({ "rocky.toml": ["[adapter]", 'type = "duckdb"', "", "[portability]", 'target_dialect = "duckdb"', "", "[mask]", mask, ""].join("\n") });
    const partial = await review(toml('pii = "partial"'));
    assert.deepEqual(
      collectFindings(partial.report)
        .filter((f) => f.code === "mask_weakened")
        .map((f) => [f.check, f.severity, f.message, f.span?.file, f.span?.line]),
      [["rocky/masking", "warning", "[mask] pii: hash → partial: 1 `pii` column only partly masked (the first and last 2 characters of each value in clear) in default (stg_customers.email)", "rocky.toml", 8]],
    );
    assert.equal(partial.rendered.checks.find((c) => c.name === "rocky/masking")?.conclusion, "neutral");
    assert.deepEqual(partial.rendered.inlineComments.map((c) => [c.path, c.line]), [["rocky.toml", 8]]);
    assert.match(partial.rendered.comment, /This PR masks `pii` only partly in `default` \(strategy `partial`\): the first and last 2 characters of each value are in clear\./);
    // From partial, or to another whole mask, nothing more is in clear.
    const partialBase = { ...SHOP_BASE, ...toml('pii = "partial"') };
    assert.equal((await review(toml('pii = "redact"'), { base: partialBase })).report.compliance?.weakened, undefined);
    assert.equal((await review(toml('pii = "redact"'))).report.compliance?.weakened, undefined);
  });

  it("a PR that removes a column's classification while the column stays: a masking warning on the deleted key, the column no longer masked", async () => {
    const { report, rendered } = await review({ "models/stg_customers.toml": "" });
    assert.deepEqual(
      report.compliance?.declassified?.map((d) => [d.model, d.column, d.tag, d.envs, d.from, `${d.span?.file}:${d.span?.line}:${d.span?.side}`]),
      [["stg_customers", "email", "pii", ["default"], "hash", "models/stg_customers.toml:2:base"]],
    );
    const [finding, ...more] = collectFindings(report).filter((f) => f.code === "classification_removed");
    assert.equal(more.length, 0);
    assert.deepEqual([finding.check, finding.severity, finding.message], ["rocky/masking", "warning", "'pii' classification removed from stg_customers.email, which stays: no longer masked in default (was hash)"]);
    const masking = rendered.checks.find((c) => c.name === "rocky/masking");
    assert.equal(masking?.conclusion, "neutral", "a warning: declassifying can be meant");
    // On the deleted line of the sidecar (no annotation can point there).
    assert.deepEqual(rendered.inlineComments.filter((c) => c.side === "LEFT").map((c) => [c.path, c.line]), [["models/stg_customers.toml", 2]]);
    // A column dropped with its classification, or a classification moved to another tag, is not this.
    const dropped = await review({ "models/stg_customers.sql": "SELECT\n    id AS customer_id\nFROM raw.customers\n", "models/stg_customers.toml": "" });
    assert.equal(dropped.report.compliance?.declassified, undefined);
    const retagged = await review({ "models/stg_customers.toml": '[classification]\nemail = "contact"\n' });
    assert.equal(retagged.report.compliance?.declassified, undefined);
  });

  it("a contract the PR removes or loosens is a change of its own; one that no longer parses is its R002 only", async () => {
    const relaxed = (r: ReviewReport) => r.breakingChanges.filter((b) => b.kind === "contract_relaxed").map((b) => [b.severity, b.detail, `${b.span?.file}:${b.span?.line}:${b.span?.side}`]);
    const removed = await review({ "models/fct_revenue.contract.toml": null });
    assert.deepEqual(relaxed(removed.report), [["breaking", "contract removed: its 1 required, 1 protected, 1 typed columns are no longer checked", "models/fct_revenue.contract.toml:1:base"]]);
    const loosened = await review({ "models/fct_revenue.contract.toml": ["[[columns]]", 'name = "amount"', "", "[rules]", "required = []", 'protected = ["order_id"]', ""].join("\n") });
    assert.deepEqual(relaxed(loosened.report), [["warning", "contract relaxed: no longer requires amount; no longer checks the type of amount; no longer forbids NULL in amount", "models/fct_revenue.contract.toml:5:head"]]);
    // Only lines deleted: no head line changed, so the finding points at the deleted line on base.
    const deleted = await review({ "models/fct_revenue.contract.toml": SHOP_BASE["models/fct_revenue.contract.toml"].replace('type = "Decimal(18,2)"\nnullable = false\n', "") });
    assert.deepEqual(relaxed(deleted.report), [["warning", "contract relaxed: no longer checks the type of amount; no longer forbids NULL in amount", "models/fct_revenue.contract.toml:3:base"]]);
    // The terminal says where it is as the check run does: the line the PR deleted.
    assert.match(deleted.rendered.checks.find((c) => c.name === "rocky/contracts")?.text ?? "", /`models\/fct_revenue\.contract\.toml:3` \(line deleted by this PR\)/);
    assert.match(renderText(deleted.report), /\n {2}--> models\/fct_revenue\.contract\.toml:3 \(line deleted by this PR\)\n/);
    assert.doesNotMatch(renderText(deleted.report), /on the base branch/);
    const unprotected = await review({ "models/fct_revenue.contract.toml": SHOP_BASE["models/fct_revenue.contract.toml"].replace('protected = ["order_id"]\n', "") });
    assert.deepEqual(relaxed(unprotected.report), [["warning", "contract relaxed: no longer protects order_id", "models/fct_revenue.contract.toml:8:base"]]);
    const broken = await review({ "models/fct_revenue.contract.toml": '[rules]\nrequired = ["amount"\n' });
    assert.deepEqual(relaxed(broken.report), []);
    assert.ok(broken.report.diagnostics.some((d) => d.code === "R002" && d.span?.file === "models/fct_revenue.contract.toml"));
    // Tightening is not relaxing.
    assert.deepEqual(relaxed((await review({ "models/fct_revenue.contract.toml": SHOP_BASE["models/fct_revenue.contract.toml"].replace('required = ["amount"]', 'required = ["amount", "order_id"]') })).report), []);
  });

  it("a strategy change points at its sidecar key", async () => {
    const { report } = await review({ "models/int_orders.toml": '[strategy]\ntype = "incremental"\ntimestamp_column = "order_id"\n' }, { base: { ...SHOP_BASE, "models/int_orders.toml": '[strategy]\ntype = "full_refresh"\n' } });
    const b = report.breakingChanges.find((x) => x.kind === "materialization_strategy_changed");
    assert.deepEqual([b?.model, b?.span?.file, b?.span?.line, b?.span?.side], ["int_orders", "models/int_orders.toml", 2, "head"]);
  });

  it("a partition key changed in [format_options] is Rocky's partition_by_changed on that key's line; cluster_by alone is not", async () => {
    const sidecar = (partition: string, cluster: string) => `format = "delta_table"\n\n[format_options]\npartition_by = ${partition}\ncluster_by = ${cluster}\n`;
    const base = { ...SHOP_BASE, "models/int_orders.toml": sidecar('["status"]', '["order_id"]') };
    const { report, rendered } = await review({ "models/int_orders.toml": sidecar('["customer_id"]', '["order_id"]') }, { base });
    const b = report.breakingChanges.find((x) => x.kind === "partition_by_changed");
    assert.deepEqual([b?.model, b?.severity, b?.detail, b?.span?.file, b?.span?.line, b?.span?.side], ["int_orders", "breaking", 'partition_by: ["status"] → ["customer_id"]', "models/int_orders.toml", 4, "head"]);
    assert.equal(rendered.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "neutral");
    const clustered = await review({ "models/int_orders.toml": sidecar('["status"]', '["customer_id"]') }, { base });
    assert.deepEqual(clustered.report.breakingChanges.filter((x) => x.kind !== "sql_body_changed"), []);
  });

  it("a PR that adds the whole project: every model added, nothing pre-existing", async () => {
    const { report } = await review(SHOP_BASE, { base: { "README.md": "empty repo\n" } });
    assert.deepEqual(report.models.map((m) => m.status).sort(), ["added", "added", "added", "added"]);
    assert.ok(report.breakingChanges.every((b) => b.kind === "model_added" || b.kind === "column_added"));
    assert.equal(report.summary.diagnostics.preExisting, 0);
    // The JSON keeps a column_added per column; the comment and the checks show one row per new model.
    assert.equal(report.breakingChanges.filter((b) => b.kind === "column_added" && b.model === "stg_orders").length, 5);
    const shown = collectFindings(report).filter((f) => f.kind === "breaking");
    assert.deepEqual(shown.map((f) => f.code), ["model_added", "model_added", "model_added", "model_added"]);
    assert.equal(shown.find((f) => f.model === "stg_orders")?.message, "new model writing wh.analytics.stg_orders, 5 columns");
  });

  it("a PR that deletes the whole project, rocky.toml too: every model removed, no consumer left on head, the one a dashboard reads commented on its deleted file's first line", async () => {
    const repo = track(createGitFixture({ base: { ...SHOP_BASE, "README.md": "docs\n" }, head: { "README.md": "docs\n" } }));
    const cache = createMemoryCompileCache();
    const options = { repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK };
    const plain = await reviewPullRequest(options);
    // The cached road (the App's, the CLI's by default) reads the same: cold, then from the kept base.
    const cold = await reviewPullRequest({ ...options, cache });
    const warm = await reviewPullRequest({ ...options, cache });
    const { report, rendered } = plain;
    for (const other of [cold, warm]) {
      assert.deepEqual({ ...other.report, timings: undefined }, { ...report, timings: undefined });
      assert.equal(other.rendered.comment, rendered.comment);
    }
    assert.deepEqual(report.models.map((m) => [m.model, m.status]).sort(), [["fct_revenue", "removed"], ["int_orders", "removed"], ["stg_customers", "removed"], ["stg_orders", "removed"]]);
    assert.equal(report.summary.models.total, 0);
    assert.deepEqual(report.breakingChanges.filter((b) => b.kind === "model_removed").map((b) => [b.model, b.severity, b.span?.side]), [
      ["fct_revenue", "breaking", "base"],
      ["int_orders", "breaking", "base"],
      ["stg_customers", "breaking", "base"],
      ["stg_orders", "breaking", "base"],
    ]);
    // Every reader is removed with what it read: no column is reached; fct_revenue's dashboard still reads the table.
    assert.equal(report.blastRadius.totalConsumers, 0);
    assert.ok(report.blastRadius.entries.every((e) => e.consumers.length === 0 && e.tracedOn === "base"));
    assert.deepEqual(report.blastRadius.exposures, ["Finance dashboard"]);
    // The head's empty project is what the PR means: no "no models found" (R006), nor any other diagnostic.
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.dialect, "duckdb");
    assert.ok(report.changedFiles.filter((f) => f.role !== "other").every((f) => f.status === "deleted" && f.headRanges.length === 0));
    const conclusions = Object.fromEntries(rendered.checks.map((c) => [c.name, c.conclusion]));
    assert.deepEqual(conclusions, { "rocky/compile": "success", "rocky/contracts": "neutral", "rocky/masking": "success", "rocky/portability": "success", "rocky/cost": "success" });
    // Findings on deleted files go on their deleted lines (side LEFT), never annotated on lines head does not have;
    // only fct_revenue's, which a dashboard still reads: the others are gone with every reader, not broken.
    assert.deepEqual(
      rendered.inlineComments.map((c) => [c.path, c.line, c.side, c.start_line]),
      [["models/fct_revenue.sql", 1, "LEFT", undefined]],
    );
    assert.deepEqual(rendered.checks.flatMap((c) => c.annotations), []);
    for (const m of ["fct_revenue", "int_orders", "stg_customers", "stg_orders"]) assert.match(rendered.comment, new RegExp(`model removed with its \\d+ columns; wh\\.analytics\\.${m.replace("_", "\\\\_")} is no longer built.*\`models/${m}\\.sql\` \\(deleted by this PR\\)`));
    // Removed models are breaking changes, which fail rocky/contracts under `contracts=warning` as they always do.
    const strict = await reviewPullRequest({ ...options, failOn: { ...DEFAULT_FAIL_ON, "rocky/contracts": "warning" } });
    assert.equal(strict.rendered.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "failure");
    assert.equal(strict.rendered.verdict, "fail");
  });

  it("a PR that deletes every model and keeps rocky.toml is the same review: removals, no R006", async () => {
    const { report, rendered } = await review({ "models/stg_orders.sql": null, "models/int_orders.sql": null, "models/fct_revenue.sql": null, "models/fct_revenue.toml": null, "models/fct_revenue.contract.toml": null, "models/stg_customers.sql": null, "models/stg_customers.toml": null });
    assert.deepEqual(report.models.map((m) => m.status), ["removed", "removed", "removed", "removed"]);
    assert.equal(report.blastRadius.totalConsumers, 0);
    assert.deepEqual(report.diagnostics.map((d) => d.code), []);
    assert.equal(rendered.checks.find((c) => c.name === "rocky/compile")?.conclusion, "success");
    assert.equal(rendered.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "neutral");
  });

  it("a model removed with the models that read it: the removed readers are no consumers; a reader left on head is its reader's", async () => {
    // stg_orders and int_orders go; fct_revenue stays and still reads int_orders.
    const { report } = await review({ "models/stg_orders.sql": null, "models/int_orders.sql": null });
    const entry = (model: string, column: string) => report.blastRadius.entries.find((e) => e.origin.model === model && e.origin.column === column);
    assert.deepEqual(entry("stg_orders", "amount")?.consumers, []);
    assert.deepEqual(entry("int_orders", "amount")?.consumers.map((c) => `${c.model}.${c.column}@${c.depth}`), ["fct_revenue.amount@1"]);
    const broken = report.contracts.find((c) => c.model === "fct_revenue" && c.column === "amount");
    assert.equal(broken?.severity, "Error");
    assert.match(broken?.message ?? "", /int_orders\.amount was removed upstream/);
  });

  it("a project in a sub-directory; no project on either side is a user error", async () => {
    const inSub = Object.fromEntries(Object.entries(SHOP_BASE).map(([k, v]) => [`analytics/${k}`, v]));
    const repo = createGitFixture({ base: inSub, head: { "analytics/models/stg_orders.sql": SHOP_BASE["models/stg_orders.sql"].replace("    status,", "    UPPER(status) AS status,") }, headIsPatch: true });
    track(repo);
    const { report } = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", projectDir: "analytics/", clock: FIXED_CLOCK });
    assert.equal(report.projectDir, "analytics");
    assert.deepEqual(report.columnChanges.map((c) => `${c.model}.${c.column}`), ["stg_orders.status"]);
    assert.deepEqual(report.changedFiles.map((f) => [f.path, f.projectPath]), [["analytics/models/stg_orders.sql", "models/stg_orders.sql"]]);
    assert.equal(report.columnChanges[0].span?.file, "models/stg_orders.sql");
    await assert.rejects(
      reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", projectDir: "nope", clock: FIXED_CLOCK }),
      (e: unknown) => e instanceof ReviewInputError && e.code === "missing-project-dir" && /^No Rocky project files \(rocky\.toml, models\/\) at "nope" on pr, nor on main \(merge-base [0-9a-f]{7}\)\.$/.test(e.problem),
    );
  });

  it("rejects an unknown target dialect as a user error", async () => {
    const repo = createGitFixture({ base: SHOP_BASE, head: {}, headIsPatch: true });
    track(repo);
    await assert.rejects(reviewPullRequest({ repoDir: repo.dir, base: "main", targetDialect: "oracle", clock: FIXED_CLOCK }), (e: unknown) => e instanceof ReviewInputError && e.code === "invalid-option" && /dbx/.test(e.advice));
  });

  it("reviews the work tree", async () => {
    const repo = createGitFixture({ base: SHOP_BASE, head: {}, headIsPatch: true });
    track(repo);
    writeFileSync(join(repo.dir, "models/stg_orders.sql"), SHOP_BASE["models/stg_orders.sql"].replace("    status,", "    LOWER(status) AS status,"));
    const { report } = await reviewPullRequest({ repoDir: repo.dir, base: "main", head: "WORKTREE", clock: FIXED_CLOCK });
    assert.deepEqual(report.columnChanges.map((c) => [c.column, c.change.kind]), [["status", "logic_changed"]]);
    assert.deepEqual(report.changedFiles.map((f) => [f.path, f.headRanges]), [["models/stg_orders.sql", [{ start: 5, end: 5 }]]]);
  });

  it("golden: the ReviewReport JSON of the rename fixture, minus timings and charter 6's slots (UPDATE_GOLDEN=1 to accept)", async () => {
    const { report } = await review(editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"));
    const stable = { ...report, timings: null, compliance: null, cost: null };
    const golden = join(dirname(new URL(import.meta.url).pathname), "golden", "rename-report.json");
    const text = `${JSON.stringify(stable, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    assert.equal(text, readFileSync(golden, "utf8"));
  });

  it("golden: the rendered comment of the rename fixture (UPDATE_GOLDEN=1 to accept)", async () => {
    const { rendered } = await review(editLine("models/stg_orders.sql", 4, "    amount AS amount_usd,"));
    const golden = join(dirname(new URL(import.meta.url).pathname), "golden", "rename-comment.md");
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, rendered.comment);
    }
    assert.equal(rendered.comment, readFileSync(golden, "utf8"));
  });
});
