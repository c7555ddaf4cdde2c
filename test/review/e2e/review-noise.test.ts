import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sameTokens } from "../../../review/src/diff/same-tokens.js";
import { reviewPullRequest, type ReviewResult } from "../../../review/src/index.js";
import { collectFindings } from "../../../review/src/render/findings.js";
import { createGitFixture, type FileMap, fixturesOfFile } from "../../support/git-fixture.js";
import { SHOP_BASE } from "./shop-fixture.js";

const { track } = fixturesOfFile();

const FIXED_CLOCK = { now: () => Date.parse("2026-02-01T00:00:00Z"), elapsed: () => 0 };

async function review(head: FileMap, base: FileMap = SHOP_BASE): Promise<ReviewResult> {
  const repo = createGitFixture({ base, head, headIsPatch: true });
  track(repo);
  return reviewPullRequest({ repoDir: repo.dir, base: "main", head: "pr", clock: FIXED_CLOCK });
}

/** Each new compile finding of a rendered review as `code model`, and the titles of rocky/compile's annotations. */
function shown(r: ReviewResult): { findings: string[]; annotations: string[] } {
  return {
    findings: collectFindings(r.report)
      .filter((f) => f.isNew && f.kind === "compile")
      .map((f) => `${f.code} ${f.model}`)
      .sort(),
    annotations: (r.rendered.checks.find((c) => c.name === "rocky/compile")?.annotations ?? [])
      .map((a) => a.title ?? "")
      .sort(),
  };
}

describe("consequential diagnostics are folded into their cause", () => {
  it("a W002 over a name an R004 says is no model, and an I002 of columns that do not resolve, go with that error", async () => {
    // orders_copy reads stg_orders through `*`; order_customers reads one column of it beside a typed one.
    const base = {
      ...SHOP_BASE,
      "models/orders_copy.sql": "SELECT *\nFROM stg_orders\n",
      "models/order_customers.sql": "SELECT\n    o.order_id,\n    c.customer_id AS cust\nFROM stg_orders AS o\nJOIN stg_customers AS c ON o.customer_id = c.customer_id\n",
    };
    // The PR removes stg_orders (and its own readers), and adds a model with a misspelt name under a star.
    const gone = { "models/stg_orders.sql": null, "models/int_orders.sql": null, "models/fct_revenue.sql": null, "models/fct_revenue.toml": null, "models/fct_revenue.contract.toml": null };
    const r = await review({ ...gone, "models/typo_copy.sql": "SELECT *\nFROM stg_ordrs\n" }, base);
    const fresh = r.report.diagnostics.filter((d) => d.new);
    assert.deepEqual(
      fresh.map((d) => [d.code, d.model, (d.consequences ?? []).map((c) => `${c.code} ${c.model} ${c.span?.line}`)]).sort(),
      [
        ["R004", "order_customers", ["I002 order_customers 1"]],
        ["R004", "orders_copy", ["W002 orders_copy 1"]],
        ["R004", "typo_copy", ["W002 typo_copy 1"]],
      ],
    );
    // Counted once: the summary, the comment, the check runs and the annotations agree.
    assert.deepEqual(r.report.summary.diagnostics, { ...r.report.summary.diagnostics, error: 3, warning: 0, info: 0 });
    assert.deepEqual(shown(r), {
      findings: ["R004 order_customers", "R004 orders_copy", "R004 typo_copy"],
      annotations: ["R004 order_customers", "R004 orders_copy", "R004 typo_copy"],
    });
    assert.doesNotMatch(r.rendered.comment, /\| `W002` \||\| `I002` \|/);
    const compile = r.rendered.checks.find((c) => c.name === "rocky/compile");
    assert.match(compile?.title ?? "", /^3 errors — /);
    // The error says what it causes.
    const message = (model: string) => compile?.annotations.find((a) => a.title === `R004 ${model}`)?.message ?? "";
    assert.match(message("orders_copy"), /still reads it; so its SELECT \* cannot be typed \(W002\)/);
    assert.match(message("typo_copy"), /^unknown model `stg_ordrs`: no model or known source has that name; so its SELECT \* cannot be typed \(W002\)/);
    assert.match(message("order_customers"), /still reads it; so 1 column has an unknown type \(I002\)/);
  });

  it("a W002 over an external source with no schema, and an I002 with such a column, stay findings of their own beside an unrelated error", async () => {
    const r = await review({
      // raw.events has no schema: its star is W002 whatever else is wrong in the model.
      "models/events_x.sql": "SELECT e.*\nFROM raw.events AS e\nJOIN stg_ordrs AS o ON e.order_id = o.order_id\n",
      // kind is Unknown for want of raw.events' schema, status because stg_ordrs is no model.
      "models/mixed.sql": "SELECT\n    c.customer_id,\n    e.kind,\n    s.status\nFROM stg_customers AS c\nJOIN raw.events AS e ON e.customer_id = c.customer_id\nJOIN stg_ordrs AS s ON s.customer_id = c.customer_id\n",
    });
    const fresh = r.report.diagnostics.filter((d) => d.new);
    assert.deepEqual(fresh.map((d) => `${d.code} ${d.model}`).sort(), ["I002 mixed", "R004 events_x", "R004 mixed", "W002 events_x"]);
    assert.ok(fresh.every((d) => d.consequences === undefined));
    assert.deepEqual(shown(r).annotations, ["I002 mixed", "R004 events_x", "R004 mixed", "W002 events_x"]);
    assert.match(r.rendered.comment, /schema of 'raw\.events' is unknown/);
  });
});

describe("a W002 or I002 downstream of a new error is folded into it", () => {
  // A typo in a staging model's select item; its output keeps the name, so its readers have no error of their own.
  const typo = { "models/stg_orders.sql": "SELECT\n    id AS order_id,\n    customer_id,\n    amout AS amount,\n    status,\n    ordered_at\nFROM raw.orders\nWHERE status <> 'test'\n" };
  const compileCheck = (r: ReviewResult) => r.rendered.checks.find((c) => c.name === "rocky/compile");
  const consequencesOf = (r: ReviewResult) =>
    r.report.diagnostics
      .filter((d) => d.new)
      .map((d) => [d.code, d.model, (d.consequences ?? []).map((c) => `${c.code} ${c.model}`)])
      .sort();

  it("a typo in a staging model: the I002 of every model that reads the broken column, two levels down, goes with the typo's R008", async () => {
    const r = await review(typo);
    // stg_orders' own I002 and those of int_orders (one level down) and fct_revenue (two) are the R008's.
    assert.deepEqual(consequencesOf(r), [["R008", "stg_orders", ["I002 stg_orders", "I002 int_orders", "I002 fct_revenue"]]]);
    const cause = r.report.diagnostics.find((d) => d.code === "R008");
    assert.equal(cause?.consequences?.[2]?.suggestion, "amount reads int_orders.amount, which is Unknown: fix it there");
    // Counted once: the summary, the counts line, the check run and its annotations.
    assert.deepEqual(r.report.summary.diagnostics, { ...r.report.summary.diagnostics, error: 1, warning: 0, info: 0 });
    // The one notice is the model's `sql_body_changed`, not an I002.
    assert.match(r.rendered.comment, /\n\*\*1 error\*\* · 0 warnings · 1 notice\n/);
    assert.match(r.rendered.comment, /\| ℹ️ notice \| `sql_body_changed` \| `stg_orders` \|/);
    assert.doesNotMatch(r.rendered.comment, /`I002`/);
    assert.deepEqual(shown(r), { findings: ["R008 stg_orders"], annotations: ["R008 stg_orders"] });
    const compile = compileCheck(r);
    assert.match(compile?.title ?? "", /^1 error — /);
    assert.doesNotMatch(`${compile?.summary}\n${compile?.text}`, /`I002`/);
    // The error says what it leaves untyped, here and downstream, wherever it is shown.
    const said = "so 1 column has an unknown type (I002) and 2 downstream models cannot be fully typed (I002)";
    assert.ok(compile?.annotations[0]?.message.includes(said), compile?.annotations[0]?.message);
    assert.ok(r.rendered.comment.includes(said));
    assert.ok(`${compile?.summary}\n${compile?.text}`.includes(said));
    // The scope line does not call the untyped readers "no downstream reader".
    assert.match(r.rendered.comment, /· 2 downstream models left untyped by a new error ·/);
    assert.doesNotMatch(r.rendered.comment, /no downstream reader/);
  });

  it("a typo whose readers already had an I002 on base: the scope line does not call them 'no downstream reader'", async () => {
    // int_orders and fct_revenue each have a column of unknown type on base (from raw.events, of no known schema): their I002 is not new, so nothing folds.
    const untypedReaders = {
      ...SHOP_BASE,
      "models/int_orders.sql": "SELECT\n    o.order_id,\n    o.customer_id,\n    o.amount,\n    o.status,\n    e.kind\nFROM stg_orders AS o\nJOIN raw.events AS e ON e.order_id = o.order_id\n",
      "models/fct_revenue.sql": "SELECT\n    order_id,\n    amount,\n    kind\nFROM int_orders\n",
    };
    const r = await review({ ...untypedReaders, ...typo }, untypedReaders);
    assert.deepEqual(consequencesOf(r), [["R008", "stg_orders", ["I002 stg_orders"]]]);
    assert.ok(r.report.diagnostics.some((d) => d.code === "I002" && d.model === "fct_revenue" && !d.new), "fct_revenue's I002 is on base");
    // The diff hides the columns the error left untyped, so the blast radius never traced their readers.
    assert.doesNotMatch(r.rendered.comment, /no downstream reader/);
    assert.match(r.rendered.comment, /\n1 changed model, no column changed · downstream not traced past a new error ·/);
  });

  it("a model whose SQL no longer parses: the W002 of each SELECT * over it, and over that, goes with its R001", async () => {
    const r = await review({
      "models/stg_orders.sql": "SELECT\n    id AS order_id,,\n    customer_id\nFROM raw.orders\n",
      "models/int_orders.sql": "SELECT *\nFROM stg_orders\n",
      "models/fct_revenue.sql": "SELECT *\nFROM int_orders\n",
    });
    assert.deepEqual(
      consequencesOf(r).filter(([code]) => code !== "E010"),
      [["R001", "stg_orders", ["W002 int_orders", "W002 fct_revenue"]]],
    );
    assert.ok(shown(r).annotations.every((a) => !a.startsWith("W002")), shown(r).annotations.join());
    assert.match(compileCheck(r)?.annotations.find((a) => a.title === "R001 stg_orders")?.message ?? "", /; so 2 downstream models cannot be fully typed \(W002\)(?: help:|$)/);
  });

  it("an I002 with a column that reads an external source with no schema, or left by its model's own new error, is not folded upstream", async () => {
    const r = await review({
      ...typo,
      // amount comes from the typo; kind from raw.events, whose schema nobody knows.
      "models/fct_revenue.sql": "SELECT\n    i.order_id,\n    i.amount,\n    e.kind\nFROM int_orders AS i\nJOIN raw.events AS e ON e.order_id = i.order_id\n",
      // A reader with a typo of its own besides the upstream one: its error is never folded, and its
      // I002 (one column from the upstream typo, one from its own) has two causes, so it stays.
      "models/order_status.sql": "SELECT\n    order_id,\n    amount,\n    statuss\nFROM stg_orders\n",
    });
    assert.deepEqual(consequencesOf(r), [
      ["I002", "fct_revenue", []],
      ["I002", "order_status", []],
      ["R008", "order_status", []],
      ["R008", "stg_orders", ["I002 stg_orders", "I002 int_orders"]],
    ]);
    // The unfolded ones are still counted and annotated.
    assert.deepEqual(r.report.summary.diagnostics, { ...r.report.summary.diagnostics, error: 2, warning: 0, info: 2 });
    assert.deepEqual(shown(r).annotations, ["I002 fct_revenue", "I002 order_status", "R008 order_status", "R008 stg_orders"]);
    assert.match(compileCheck(r)?.annotations.find((a) => a.title === "R008 stg_orders")?.message ?? "", /; so 1 column has an unknown type \(I002\) and 1 downstream model cannot be fully typed \(I002\) help:/);
    assert.match(r.rendered.comment, /\| ℹ️ \| `I002` \| `models\/fct_revenue\.sql:1:1` \|/);
  });

  it("an I002 that follows from an error already on the base branch is the PR's own finding", async () => {
    // The typo is on main; the PR adds a reader of the broken column.
    const r = await review({ "models/orders_report.sql": "SELECT\n    order_id,\n    amount\nFROM stg_orders\n" }, { ...SHOP_BASE, ...typo });
    const fresh = r.report.diagnostics.filter((d) => d.new);
    assert.deepEqual(fresh.map((d) => `${d.code} ${d.model}`), ["I002 orders_report"]);
    assert.equal(r.report.diagnostics.find((d) => d.code === "R008")?.new, false);
    assert.ok(r.report.diagnostics.every((d) => d.consequences === undefined));
    assert.deepEqual(shown(r).annotations, ["I002 orders_report"]);
    // The I002 and the new model's `model_added`.
    assert.match(r.rendered.comment, /\n0 errors · 0 warnings · 2 notices\n/);
    assert.match(r.rendered.comment, /\| ℹ️ \| `I002` \| `models\/orders_report\.sql:1:1` \|/);

    // The PR also adds a second typo to that model: the new reader's Unknown is the old typo's, not the new one's.
    const both = await review(
      { "models/stg_orders.sql": (typo["models/stg_orders.sql"] ?? "").replace("    status,", "    statu AS status,"), "models/orders_report.sql": "SELECT\n    order_id,\n    amount\nFROM stg_orders\n" },
      { ...SHOP_BASE, ...typo },
    );
    assert.deepEqual(consequencesOf(both), [
      ["I002", "orders_report", []],
      ["R008", "stg_orders", []],
    ]);
    assert.match(both.report.diagnostics.find((d) => d.code === "R008" && d.new)?.message ?? "", /^column 'statu' not found/);
  });
});

describe("an edit of comments, layout or keyword case only is no change of the model", () => {
  // stg_orders and int_orders as a formatter leaves them: keywords upper-cased or lower-cased, a comment, another layout.
  const reformatted = {
    "models/stg_orders.sql": "-- One row per order.\nselect\n    id as order_id,\n    customer_id,\n    amount,  -- cents\n    status,\n    ordered_at\nfrom raw.orders\nwhere status <> 'test'\n",
    "models/int_orders.sql": "SELECT order_id, customer_id, amount, status\n  FROM stg_orders\n",
  };

  it("is not reported, counted in the scope line, or priced: the comment says the models were only reformatted", async () => {
    const r = await review(reformatted);
    assert.equal(r.report.touchesNoModels, false);
    assert.deepEqual(r.report.summary.models, { ...r.report.summary.models, added: 0, removed: 0, modified: 0, layoutOnly: 2 });
    assert.deepEqual(r.report.models, []);
    assert.deepEqual(r.report.breakingChanges, []);
    assert.deepEqual(r.report.diagnostics.filter((d) => d.new), []);
    assert.deepEqual((r.report.cost?.models ?? []).map((m) => m.model), []);
    assert.match(r.rendered.comment, /\n0 errors · 0 warnings · 0 notices\n\nNo model changed: 2 models only reformatted \(comments, layout or keyword case\)\.\n/);
    assert.doesNotMatch(r.rendered.comment, /sql_body_changed|SQL changed/);
    assert.deepEqual(
      r.rendered.checks.map((c) => `${c.name}: ${c.conclusion} — ${c.title} (${c.annotations.length})`),
      ["rocky/compile", "rocky/contracts", "rocky/masking", "rocky/portability", "rocky/cost"].map((name) => `${name}: success — No new findings (0)`),
    );
    assert.deepEqual(r.rendered.inlineComments, []);
  });

  it("beside a real change, is named apart from the changed models", async () => {
    const r = await review({ ...reformatted, "models/int_orders.sql": "SELECT order_id, customer_id, amount, UPPER(status) AS status\n  FROM stg_orders\n" });
    assert.deepEqual(r.report.models.map((m) => `${m.model} ${m.status}`), ["int_orders modified"]);
    assert.equal(r.report.summary.models.layoutOnly, 1);
    assert.match(r.rendered.comment, /\n1 changed column in 1 model · 1 model only reformatted \(comments, layout or keyword case\) · /);
  });

  it("a function name's case is layout; an identifier's, a literal's or a token's is not", () => {
    assert.equal(sameTokens("SELECT sum(a) AS s FROM t", "select SUM (a) as s\nfrom t -- total", "snowflake"), true);
    assert.equal(sameTokens("SELECT a FROM t", "SELECT A FROM t", "duckdb"), false);
    // A typed literal's type and a type after :: are keywords too, whatever their case.
    assert.equal(sameTokens("SELECT date '2024-01-01' AS d, x::varchar AS v FROM t WHERE ts > now() - interval '1 day'", "SELECT DATE '2024-01-01' AS d, x::VARCHAR AS v FROM t WHERE ts > NOW() - INTERVAL '1 day'", "duckdb"), true);
    assert.equal(sameTokens("SELECT x::varchar AS v FROM t", "SELECT x::varchar AS V FROM t", "duckdb"), false, "an alias after AS keeps its case");
    assert.equal(sameTokens("SELECT 'a' AS x FROM t", "SELECT 'A' AS x FROM t", "duckdb"), false);
    assert.equal(sameTokens("SELECT (a) AS x FROM t", "SELECT a AS x FROM t", "databricks"), false);
    assert.equal(sameTokens("SELECT a FROM t", "SELECT a FROM t WHERE 'unterminated", "duckdb"), false);
  });
});

describe("a finding a new reader makes in a file the PR did not change is not new there", () => {
  // orders_wide selects * and nothing reads it: no P002 on base.
  const base = { ...SHOP_BASE, "models/orders_wide.sql": "SELECT *\nFROM stg_orders\n" };
  const reader = (from: string) => `SELECT *\nFROM ${from}\n`;
  const p002 = (r: ReviewResult) => r.report.portability.filter((d) => d.code === "P002").map((d) => `${d.model} ${d.new}`);

  it("a new model reading an untouched star: the star's P002 is its model's standing state; the reader's I001 is the PR's", async () => {
    const r = await review({ "models/orders_report.sql": reader("orders_wide") }, base);
    assert.deepEqual(p002(r), ["orders_wide false"]);
    assert.deepEqual(r.report.diagnostics.filter((d) => d.new && d.code === "I001").map((d) => `${d.model} ${d.span?.file}:${d.span?.line}`), ["orders_report models/orders_report.sql:1"]);
    const portability = r.rendered.checks.find((c) => c.name === "rocky/portability");
    assert.equal(portability?.title, "No new findings");
    assert.deepEqual(portability?.annotations, []);
    assert.doesNotMatch(r.rendered.comment, /`P002`/);
    assert.equal(r.report.summary.portability.warning, 0);
    // Not counted as the base's either: base had no P002 there.
    assert.equal(r.report.portability.find((d) => d.code === "P002")?.madeByReader, true);
    assert.doesNotMatch(r.rendered.comment, /pre-existing finding/);
    assert.match(r.rendered.comment, /1 P002 in files this PR left alone, made by a reader it adds or changes, not counted \(the reader's own finding is\)\./);
  });

  it("a star in a file the PR changed, or a new model's star that a new reader reads, is new", async () => {
    // The PR edits orders_wide (a filter; the star stays) and adds its reader.
    const touched = await review({ "models/orders_wide.sql": "SELECT *\nFROM stg_orders\nWHERE amount > 0\n", "models/orders_report.sql": reader("orders_wide") }, base);
    assert.deepEqual(p002(touched), ["orders_wide true"]);
    // A new model with a star and a new reader of it.
    const both = await review({ "models/orders_all.sql": reader("stg_orders"), "models/orders_report.sql": reader("orders_all") }, base);
    assert.deepEqual(p002(both), ["orders_all true"]);
    assert.match(both.rendered.checks.find((c) => c.name === "rocky/portability")?.title ?? "", /^1 warning — P002/);
  });
});

describe("a PR that breaks a model's SQL: what the broken model hides is not read as a change", () => {
  // On Snowflake, where a stub-priced model costs something; customer_orders copies the classified email unmasked on main.
  const base = {
    ...SHOP_BASE,
    "rocky.toml": ['[adapter]', 'type = "snowflake"', 'account = "acme-xy12345"', 'warehouse = "TRANSFORMING"', "", "[portability]", 'target_dialect = "snowflake"', "", "[mask]", 'pii = "hash"', ""].join("\n"),
    "models/customer_orders.sql": "SELECT\n    c.customer_id,\n    c.email,\n    o.amount\nFROM stg_customers AS c\nJOIN stg_orders AS o ON o.customer_id = c.customer_id\n",
    "models/customer_totals.sql": "SELECT\n    email,\n    SUM(amount) AS total\nFROM customer_orders\nGROUP BY email\n",
  };
  // A real PR's shape (ncl-icb-analytics/dbt-ncl-analytics 66eaa75: `and core.sk_patient_idis not null`).
  const broken = { "models/customer_orders.sql": "SELECT\n    c.customer_id,\n    c.email,\n    o.amount\nFROM stg_customers AS c\nJOIN stg_orders AS o ON o.customer_id = c.customer_id\nWHERE c.emailis not null\n" };

  it("its unmasked copies on main are not reported fixed, and it is not priced as a stub scan", async () => {
    const r = await review(broken, base);
    assert.deepEqual(r.report.diagnostics.filter((d) => d.new && d.severity === "Error").map((d) => `${d.code} ${d.model}`), ["R001 customer_orders"]);
    // main's copies (customer_orders.email and customer_totals.email) are out of sight, not masked.
    assert.equal(r.report.compliance?.fixed, undefined);
    assert.doesNotMatch(r.rendered.comment, /This PR fixes/);
    // No "decreased by 95%": the broken model has no figure, and the section says why.
    assert.deepEqual(r.report.cost?.notPriced, ["customer_orders"]);
    assert.ok(!(r.report.cost?.models ?? []).some((m) => m.model === "customer_orders"));
    assert.doesNotMatch(r.rendered.comment, /Monthly estimate decreased/);
    assert.match(r.rendered.comment, /`customer_orders` does not compile on this branch\./);
  });

  it("the PR that repairs it: no stub figure before (a real PR, dpguthrie/databricks-dbt-project, restored a missing comma)", async () => {
    const r = await review({ "models/customer_orders.sql": base["models/customer_orders.sql"] }, { ...base, ...broken });
    const row = r.report.cost?.models.find((m) => m.model === "customer_orders");
    assert.equal(row?.beforePerRun, null);
    assert.ok((row?.afterPerRun ?? 0) > 0);
    assert.match(row?.note ?? "", /did not compile on the base branch/);
    assert.doesNotMatch(r.rendered.comment, /Monthly estimate decreased/);
    // Its columns were never compared: the edit is a fix, said with main's error, never "a refactor".
    const sql = r.report.breakingChanges.find((b) => b.kind === "sql_body_changed" && b.model === "customer_orders");
    assert.equal(sql?.detail, "SQL changed; it compiles now (on the base branch, R001 at line 7: syntax error: expected end of input, found keyword NOT (is a space missing in \"emailis\" (email is not null)?))");
    assert.doesNotMatch(r.rendered.comment, /a refactor/);
    assert.match(r.rendered.comment, /it compiles now \(on the base branch, R001 at line 7/);
  });

  it("the same copies are reported fixed when the PR does mask them", async () => {
    const r = await review({ "models/customer_orders.toml": '[classification]\nemail = "pii"\n' }, base);
    assert.deepEqual((r.report.compliance?.fixed ?? []).map((f) => `${f.model}.${f.column}`), ["customer_orders.email"]);
    assert.equal(r.report.cost?.notPriced, undefined);
  });
});
