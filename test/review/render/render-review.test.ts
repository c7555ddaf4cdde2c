import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMarkdownForCli, renderReview, renderText } from "../../../review/src/render/index.js";
import { assertGolden } from "./support/golden.js";
import { blastEntry, columnChange, emptyReport, withChanges } from "./support/report-fixtures.js";
import { complianceReclassified, complianceThroughCast, contractBreak, costReport, HEAD_STG_ORDERS, hugeBlastRadius, noChanges, onlyWarnings } from "./support/scenarios.js";

const headFiles = new Map([["models/stg_orders.sql", HEAD_STG_ORDERS]]);

describe("renderReview: golden comments per scenario", () => {
  it("no model changes: a short comment, every check skipped, verdict pass", () => {
    const r = renderReview(noChanges());

    assertGolden("no-changes.md", r.comment);
    assert.equal(r.verdict, "pass");
    assert.ok(r.checks.every((c) => c.conclusion === "skipped" && c.annotations.length === 0));
    assert.equal(r.touchesNoModels, true);
    assert.deepEqual(r.inlineComments, []);
  });

  it("only warnings: advisory, checks neutral, pre-existing diagnostics not counted", () => {
    const r = renderReview(onlyWarnings());

    assertGolden("only-warnings.md", r.comment);
    assert.equal(r.verdict, "advisory");
    assert.deepEqual(r.counts, { error: 0, warning: 2, info: 1 });
    assert.equal(r.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "neutral");
    assert.equal(r.checks.find((c) => c.name === "rocky/compile")?.conclusion, "neutral");
    assert.match(r.comment, /1 pre-existing diagnostic on the base branch not counted/);
  });

  it("contract break: fail, the path in the contracts table, P001 with its replacement", () => {
    const r = renderReview(contractBreak(), { headFiles });

    assertGolden("contract-break.md", r.comment);
    assert.equal(r.verdict, "fail");
    assert.match(r.comment, /`stg_orders\.amount → int_orders\.amount → fct_revenue\.amount \(contract: Decimal\(18,2\)\)`/);
    assert.match(r.comment, /```mermaid\ngraph LR/);
    assert.equal(r.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "failure");
    assert.equal(r.checks.find((c) => c.name === "rocky/masking")?.conclusion, "success");
    assert.match(r.headline, /^❌ Rocky review: fail \(2 errors, 1 warning\) — E011 on fct_revenue\.amount$/);
  });

  it("a copy classified with an allow-listed tag: the row says it is classified and in clear, masking check fails", () => {
    const r = renderReview(complianceReclassified());

    assert.match(r.comment, /\| `fct_orders\.customer_email` \| `default` \| `pii` \| classified `internal`, in clear, but through lineage: `raw_customers\.email → fct_orders\.customer_email \(cast\)` \|/);
    assert.match(r.comment, /Through lineage: \*\*1 column\*\* copies classified values unmasked/);
    assert.equal(r.checks.find((c) => c.name === "rocky/masking")?.conclusion, "failure");
    assert.equal(r.inlineComments[0]?.line, 4);
    assert.match(r.inlineComments[0]?.body ?? "", /classified 'internal' \(allow-listed unmasked\), but carries 'pii' values unmasked/);
  });

  it("compliance through a CAST: the exception with its path, masking check fails", () => {
    const r = renderReview(complianceThroughCast());

    assertGolden("compliance-cast.md", r.comment);
    assert.match(r.comment, /through lineage: `raw_customers\.email → fct_orders\.customer_email \(cast\)`/);
    const masking = r.checks.find((c) => c.name === "rocky/masking");
    assert.equal(masking?.conclusion, "failure");
    assert.equal(masking?.annotations[0]?.path, "models/fct_orders.sql");
    assert.equal(masking?.annotations[0]?.start_line, 4);
    assert.equal(r.inlineComments.length, 1);
    assert.equal(r.inlineComments[0].line, 4);
    // The message names the column: the comment does not say it twice.
    assert.match(r.inlineComments[0].body, /^\*\*unmasked_column\*\*: fct\\_orders\.customer\\_email is unmasked/);
    // Icons follow severity: an error is never shown under a warning-level code (W…), a warning never under an E… code.
    for (const text of [r.comment, ...r.checks.flatMap((c) => [c.summary, c.text])]) {
      assert.doesNotMatch(text, /❌[^`\n]*`W\d{3}`/);
      assert.doesNotMatch(text, /⚠️[^`\n]*`E\d{3}`/);
    }
    assert.match(r.comment, /❌ `unmasked_column` fct\\_orders\.customer\\_email is unmasked/);
  });

  it("an unmasked copy already on the base branch is counted in a note, not listed or bolded as this PR's", () => {
    const fresh = complianceThroughCast();
    const compliance = fresh.compliance;
    assert.ok(compliance);
    const standing = { ...fresh, compliance: { ...compliance, exceptions: compliance.exceptions.map((e) => ({ ...e, new: false })) } };

    const r = renderReview(standing);

    assert.match(r.comment, /Through lineage: 1 unclassified column copies classified values unmasked, none of them new\./);
    assert.doesNotMatch(r.comment, /\| `fct_orders\.customer_email` \|/);
    assert.match(r.comment, /- 1 unmasked column already on the base branch not listed \(`rocky compliance` lists it\)\./);
    assert.equal(r.checks.find((c) => c.name === "rocky/masking")?.conclusion, "success");
    // This PR's own copy is still listed, bold.
    assert.match(renderReview(fresh).comment, /Through lineage: \*\*1 unclassified column\*\* copies classified values unmasked\./);
  });

  it("the scope line says how many of the changed models the changed columns are in", () => {
    const added = (column: string) => columnChange("int_orders", column, { kind: "added" });
    const base = withChanges(emptyReport(), [added("a"), added("b"), added("c")], []);
    const two = { ...base, summary: { ...base.summary, models: { ...base.summary.models, modified: 2 } } };

    assert.match(renderReview(two).comment, /\n3 changed columns in 1 of 2 changed models · no downstream reader\./);
    assert.match(renderReview(base).comment, /\n3 changed columns in 1 model · no downstream reader\./);
  });

  it("a cost that does not move is one line, not a table of $0 rows; only new models cost $0 before, not '—'", () => {
    const report = costReport(false);
    const cost = report.cost;
    assert.ok(cost);
    const flat = cost.models.map((m) => ({ ...m, role: "changed" as const, beforePerRun: 0.5, afterPerRun: 0.5, deltaPerRun: 0, deltaPerMonth: 0 }));
    const unchanged = { ...report, cost: { ...cost, budgetBreaches: [], models: flat, totals: { beforePerMonth: 30, afterPerMonth: 30, deltaPerMonth: 0 } } };

    const r = renderReview(unchanged);

    assert.match(r.comment, /Monthly estimate unchanged at \$30\.00\/month\.\n/);
    assert.doesNotMatch(r.comment, /\| Model \| Basis \|/);
    assert.match(r.comment, new RegExp(`- ${flat.length} changed or downstream models priced on \`databricks\`; none costs more or less per run or per month\.`));

    const added = cost.models.map((m) => ({ ...m, role: "added" as const, beforePerRun: null, afterPerRun: 0.01, deltaPerRun: 0.01, deltaPerMonth: 0.3 }));
    const fresh = renderReview({ ...report, cost: { ...cost, models: added, totals: { beforePerMonth: null, afterPerMonth: 0.3 * added.length, deltaPerMonth: 0.3 * added.length } } });
    assert.match(fresh.comment, /📈 — \$0\/month → \$[\d.]+\/month/);
  });

  it("a cost row whose schedule the PR changes names both schedules", () => {
    const report = costReport(false);
    const cost = report.cost;
    assert.ok(cost);
    const rescheduled = { ...report, cost: { ...cost, models: cost.models.map((m, i) => (i === 0 ? { ...m, baseSchedule: "daily", baseRunsPerMonth: 30 } : m)) } };

    const r = renderReview(rescheduled);

    assert.match(r.comment, new RegExp(`\\| \`${cost.models[0].model}\` [^\n]*\\(daily → ${cost.models[0].schedule}\\) \\|`));
    assert.match(renderText(rescheduled), /\(daily → [a-z]+; static, low\)/);
  });

  it("a head checked out by SHA is named once, short, in the footer", () => {
    const sha = "acd668c9aa361deb496c3156f015451d2c4b030e";
    const r = renderReview({ ...contractBreak(), head: { ref: sha, sha } });

    assert.doesNotMatch(r.comment, new RegExp(sha));
    assert.match(r.comment, /<sub>Rocky Review · report v1 · `acd668c` vs /);
  });

  it("cost with observed history vs the static estimate", () => {
    const observed = renderReview(costReport(true));
    const estimated = renderReview(costReport(false));

    assertGolden("cost-observed.md", observed.comment);
    assertGolden("cost-static.md", estimated.comment);
    assert.match(observed.comment, /\| `stg_orders` \(changed\) \| observed \| \$4\.80 \|/);
    assert.match(estimated.comment, /\| `stg_orders` \(changed\) \| static \|/);
    assert.match(observed.comment, /Monthly estimate increased by \*\*\$\d/);
    assert.equal(observed.checks.find((c) => c.name === "rocky/cost")?.conclusion, "neutral", "on_breach = warn is advisory");
    assert.ok((observed.outputs.costDeltaUsdPerMonth ?? 0) > 0);
  });

  it("a project whose every cost is $0 (DuckDB) gets one line, not a table of zeros", () => {
    const report = costReport(false);
    const zero = { ...report, cost: report.cost && { ...report.cost, warehouse: "duckdb", models: report.cost.models.map((m) => ({ ...m, beforePerRun: m.beforePerRun === null ? null : 0, afterPerRun: 0, deltaPerRun: 0, deltaPerMonth: 0 })), budgetBreaches: [] } };

    const r = renderReview(zero);

    assert.match(r.comment, /### 💰 Projected cost\n\nNo projected cost: 3 changed or downstream models on `duckdb` cost \$0 per run\.\n/);
    assert.doesNotMatch(r.comment, /Before\/run/);
  });

  it("a PR that changes models but no column says so, and a change nothing reads says that, not '0 columns in 0 models'", () => {
    const configOnly = renderReview(emptyReport({ summary: { ...emptyReport().summary, models: { total: 4, added: 0, removed: 0, modified: 3, unchanged: 1 } } }));
    assert.match(configOnly.comment, /\n3 changed models, no column changed · no downstream reader\./);
    assert.doesNotMatch(configOnly.comment, /0 changed columns|reaching 0 columns/);
  });

  it("a change only an exposure reads (a moved table, a dropped column of a dashboard's model) names the exposure, not '0 columns in 0 downstream models'", () => {
    const base = emptyReport();
    const r = renderReview(emptyReport({ summary: { ...base.summary, models: { total: 4, added: 0, removed: 0, modified: 1, unchanged: 3 } }, blastRadius: { ...base.blastRadius, exposures: ["Finance dashboard"] } }));
    assert.match(r.comment, /\n1 changed model, no column changed · reaching 1 exposure, no downstream model\./);
    assert.doesNotMatch(r.comment, /reaching 0 columns|0 downstream models/);
  });

    it("5,000 models trimmed to a small limit: says what was dropped and where the rest is", () => {
    const r = renderReview(hugeBlastRadius(5000), { maxCommentChars: 8000, reportUrl: "https://ci.example/run/1#report" });

    assertGolden("truncated-5000.md", r.comment);
    assert.ok(r.comment.length <= 8000);
    assert.match(r.comment, /Trimmed to fit GitHub's comment limit: left out .*the lineage graph/);
    assert.match(r.comment, /https:\/\/ci\.example\/run\/1#report/);
  });
});

describe("blast radius section", () => {
  it("changes nothing reads are counted, not listed, and not in the graph", () => {
    const report = contractBreak();
    const silent = columnChange("customer_contacts", "email", { kind: "added" });
    const r = renderReview({ ...report, columnChanges: [...report.columnChanges, silent], blastRadius: { ...report.blastRadius, entries: [...report.blastRadius.entries, blastEntry(silent, [])] } });

    assert.match(r.comment, /\n- 1 other change with no downstream consumers\.\n/);
    assert.doesNotMatch(r.comment, /customer_contacts\.email/);
  });
});

describe("renderReview: golden check runs", () => {
  it("the contracts check of a contract break: summary and text", () => {
    const r = renderReview(contractBreak(), { headFiles });
    const check = r.checks.find((c) => c.name === "rocky/contracts");

    assert.ok(check);
    assertGolden("check-contracts-summary.md", check.summary);
    assertGolden("check-contracts-text.md", check.text);
    assert.equal(check.title, "1 error, 1 warning — E011: column 'amount' has type Int32 but the contract says Decimal(18,2) (stg_orders.amount → int_orders.amount → fct_revenue.amount (contract: Decimal(18,2)))");
  });

  it("a skipped check says why and has no text", () => {
    const check = renderReview(noChanges()).checks[0];

    assertGolden("check-skipped-summary.md", check.summary);
    assert.equal(check.text, "");
    assert.equal(check.title, "Skipped: this PR touches no model");
  });
});

describe("renderMarkdownForCli and renderText", () => {
  it("the CLI markdown is the bot's comment with the marker line first", () => {
    const report = contractBreak();

    const md = renderMarkdownForCli(report, { headFiles });

    assert.equal(md, `<!-- rocky-review:v1 -->\n${renderReview(report, { headFiles }).comment}`);
  });

  it("text for terminals is rustc-style and has no Markdown tables", () => {
    const out = renderText(contractBreak());

    assert.match(out, /^Rocky review: FAIL \(2 errors, 1 warning, 0 notices\)\n/);
    assert.match(out, /\nerror\[E011\]: column 'amount' has type Int32/);
    assert.match(out, /\n {2}--> models\/stg_orders\.sql:3:5\n/);
    assert.match(out, /\n {2}stg_orders\.amount -> 2 columns in 2 models: int_orders\.amount, fct_revenue\.amount\n/);
    assert.doesNotMatch(out, /\| - \|/);
  });

  it("text names a change only an exposure reads as that, not '0 columns in 0 models'", () => {
    const base = emptyReport();
    const out = renderText(emptyReport({ blastRadius: { ...base.blastRadius, exposures: ["Finance dashboard"] } }));
    assert.match(out, /\n0 changed columns; blast radius 1 exposure, no downstream model\n/);
    assert.doesNotMatch(out, /0 columns in 0 models/);
  });

  it("text counts changes nothing reads instead of listing them, and prices an all-$0 project in one line", () => {
    const report = contractBreak();
    const lonely = [columnChange("mart", "a", { kind: "added" }, { severity: "info" }), columnChange("mart", "b", { kind: "added" }, { severity: "info" })];
    const priced = costReport(false);
    const cost = priced.cost;
    assert.ok(cost !== null && cost.models.length > 0);
    const zero = { ...cost, warehouse: "duckdb", budgetBreaches: [], models: cost.models.map((m) => ({ ...m, beforePerRun: 0, afterPerRun: 0, deltaPerRun: 0, deltaPerMonth: 0 })) };
    const out = renderText({ ...report, blastRadius: { ...report.blastRadius, entries: [...report.blastRadius.entries, ...lonely.map((c) => blastEntry(c, []))] }, cost: zero });

    assert.match(out, /\n {2}stg_orders\.amount -> 2 columns in 2 models: int_orders\.amount, fct_revenue\.amount\n {2}2 other changes with no downstream consumers\n/);
    assert.doesNotMatch(out, /-> 0 columns/);
    assert.match(out, new RegExp(`\\nProjected cost \\(duckdb\\): \\$0 per run for ${cost.models.length} changed or downstream models?\\n`));
    assert.doesNotMatch(out, /\$0 -> \$0/);
    assert.match(renderText(priced), /\nProjected cost \(databricks\): .*\/month\n {2}stg_orders: /, "a priced project keeps its per-model lines");
  });
});
