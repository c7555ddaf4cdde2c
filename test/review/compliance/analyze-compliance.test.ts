import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeCompliance, checkMaskEnv, failOnException, renderComplianceText } from "../../../review/src/compliance/index.js";
import { declassifications, maskWeakenings } from "../../../review/src/compliance/mask-weakening.js";
import { buildProject, type ModelSpec } from "./support/project-builder.js";

const chain: ModelSpec[] = [
  { name: "raw_customers", columns: ["customer_id", "email", "phone"], classification: { email: "pii", phone: "pii" }, classificationLines: { email: 4 } },
  {
    name: "stg_customers",
    deps: ["raw_customers"],
    columns: [
      { name: "customer_id", from: [["raw_customers", "customer_id"]] },
      { name: "email", from: [["raw_customers", "email"]], line: 3 },
      { name: "email_hash", from: [["raw_customers", "email", "expression"]] },
    ],
  },
  {
    name: "fct_orders",
    deps: ["stg_customers"],
    columns: [
      { name: "customer_id", from: [["stg_customers", "customer_id"]] },
      { name: "customer_email", from: [["stg_customers", "email", "cast"]], line: 7 },
      { name: "hashed", from: [["stg_customers", "email_hash"]] },
      { name: "n_emails", from: [["stg_customers", "email", "aggregation:count"]] },
    ],
  },
];

describe("analyzeCompliance: Rocky semantics", () => {
  it("counts per column × env, with 'none' counting as masked, envs default then alphabetical", () => {
    const project = buildProject(
      [
        { name: "users", columns: ["email", "ssn"], classification: { email: "pii", ssn: "confidential" } },
        { name: "accounts", columns: ["owner_email"], classification: { owner_email: "PII" } },
      ],
      { mask: { defaults: { pii: "hash" }, envs: { prod: { pii: "none" }, dev: { confidential: "redact" } } } },
    );

    const report = analyzeCompliance(project, { lineage: false });

    assert.deepEqual(report.envs, ["default", "dev", "prod"]);
    assert.equal(report.summary.total_classified, 9);
    // accounts.owner_email (PII → pii, case-insensitive): hash, hash, none → 3 masked; users.email 3; users.ssn only in dev.
    assert.equal(report.summary.total_masked, 7);
    assert.equal(report.summary.total_exceptions, 2);
    assert.deepEqual(
      report.exceptions.map((e) => `${e.model}.${e.column}@${e.env}`),
      ["users.ssn@default", "users.ssn@prod"],
    );
    assert.equal(report.exceptions[0].reason, "no masking strategy resolves for classification tag 'confidential'");
    assert.deepEqual(report.per_column.map((r) => `${r.model}.${r.column}`), ["accounts.owner_email", "users.email", "users.ssn"]);
    const prodRow = report.per_column[0].envs.find((e) => e.env === "prod");
    assert.deepEqual(prodRow, { env: "prod", masking_strategy: "none", enforced: true });
  });

  it("--env X evaluates only X and falls back to [mask] when [mask.X] does not exist", () => {
    const project = buildProject([{ name: "users", columns: ["email"], classification: { email: "pii" } }], {
      mask: { defaults: { pii: "partial" }, envs: { prod: { pii: "redact" } } },
    });

    const staging = analyzeCompliance(project, { env: "staging" });
    const prod = analyzeCompliance(project, { env: "prod" });

    assert.deepEqual(staging.envs, ["staging"]);
    assert.deepEqual(staging.per_column[0].envs, [{ env: "staging", masking_strategy: "partial", enforced: true }]);
    assert.deepEqual(prod.per_column[0].envs, [{ env: "prod", masking_strategy: "redact", enforced: true }]);
  });

  it("a named environment must be one the project defines (on base or head): one rule for --env and the Action's env", () => {
    const users = [{ name: "users", columns: ["email"], classification: { email: "pii" } }];
    const base = buildProject(users, { mask: { defaults: { pii: "partial" }, envs: { prod: { pii: "redact" } } } });
    const head = buildProject(users, { mask: { defaults: { pii: "partial" }, envs: { prod: { pii: "redact" }, staging: { pii: "hash" } } } });
    const bare = buildProject(users, { mask: { defaults: { pii: "partial" }, envs: {} } });

    checkMaskEnv("prod", [base, head]);
    checkMaskEnv("staging", [base, head]);
    assert.throws(() => checkMaskEnv("staging", [base]), { code: "unknown-env", message: /unknown compliance environment "staging": the project defines "prod"/ });
    assert.throws(() => checkMaskEnv("prd", [base, head]), { message: /"prd" \(did you mean "prod"\?\): the project defines "prod", "staging"/ });
    assert.throws(() => checkMaskEnv("prod", [bare]), { message: /defines no \[mask.<env>\] table, only the base \[mask\]/ });
  });

  it("allow_unmasked suppresses the exception but the row still shows unresolved, not enforced", () => {
    const project = buildProject([{ name: "users", columns: ["note"], classification: { note: "internal" } }], { allowUnmasked: ["internal"] });

    const report = analyzeCompliance(project);

    assert.equal(report.summary.total_exceptions, 0);
    assert.deepEqual(report.per_column[0].envs, [{ env: "default", masking_strategy: "unresolved", enforced: false }]);
    assert.equal(failOnException(report, "exception"), 0);
  });

  it("--exceptions-only keeps only rows with an exception; --fail-on exception exits 1", () => {
    const project = buildProject([{ name: "users", columns: ["email", "ssn"], classification: { email: "pii", ssn: "secret" }, classificationLines: { ssn: 6 } }], {
      mask: { defaults: { pii: "hash" } },
    });

    const report = analyzeCompliance(project, { exceptionsOnly: true });

    assert.deepEqual(report.per_column.map((r) => r.column), ["ssn"]);
    assert.deepEqual(report.exceptions[0].span, { file: "models/users.toml", line: 6, col: 1, side: "head" });
    assert.equal(report.diagnostics.length, 1);
    assert.equal(report.diagnostics[0].code, "W004");
    assert.equal(report.diagnostics[0].span?.line, 6);
    assert.equal(failOnException(report, "exception"), 1);
    assert.equal(failOnException(report, undefined), 0);
  });
});

describe("analyzeCompliance: through lineage", () => {
  it("an email that reaches a mart through a CAST unmasked is an exception naming its path", () => {
    const project = buildProject(chain, { mask: { defaults: { pii: "hash" } } });

    const report = analyzeCompliance(project);

    const mart = report.exceptions.find((e) => e.model === "fct_orders" && e.column === "customer_email");
    assert.ok(mart, "fct_orders.customer_email must be an exception");
    assert.equal(mart.via_lineage, true);
    assert.equal(mart.tag, "pii");
    assert.match(mart.reason, /raw_customers\.email → stg_customers\.email → fct_orders\.customer_email \(cast\)/);
    assert.deepEqual(mart.span, { file: "models/fct_orders.sql", line: 7, col: 3, side: "head" });
    assert.ok(report.exceptions.some((e) => e.model === "stg_customers" && e.column === "email" && e.via_lineage));
    assert.equal(report.summary.total_lineage_exceptions, 2);
    assert.equal(report.summary.total_exceptions, 2);
  });

  it("a hash (expression) or an aggregate breaks the chain", () => {
    const project = buildProject(chain, { mask: { defaults: { pii: "hash" } } });

    const report = analyzeCompliance(project);

    const flagged = report.exceptions.map((e) => `${e.model}.${e.column}`);
    assert.ok(!flagged.includes("stg_customers.email_hash"));
    assert.ok(!flagged.includes("fct_orders.hashed"));
    assert.ok(!flagged.includes("fct_orders.n_emails"));
  });

  it("a classified downstream column is governed by its own tag, not reported through lineage", () => {
    const models: ModelSpec[] = chain.map((m) => (m.name === "stg_customers" ? { ...m, classification: { email: "pii" } } : m));
    const project = buildProject(models, { mask: { defaults: { pii: "hash" } } });

    const report = analyzeCompliance(project);

    const lineage = report.exceptions.filter((e) => e.via_lineage);
    assert.deepEqual(lineage.map((e) => `${e.model}.${e.column}`), ["fct_orders.customer_email"]);
    assert.match(lineage[0].reason, /: stg_customers\.email → fct_orders\.customer_email \(cast\)$/);
  });

  it("a copy classified with a tag that is not masked ('internal' allow-listed, or 'none' in an env) still carries the email unmasked", () => {
    const models: ModelSpec[] = chain.map((m) => (m.name === "fct_orders" ? { ...m, classification: { customer_email: "internal", customer_id: "pii" } } : m));
    const allowListed = buildProject(models, { mask: { defaults: { pii: "hash" } }, allowUnmasked: ["internal"] });
    const noneInProd = buildProject(models, { mask: { defaults: { pii: "hash", internal: "redact" }, envs: { prod: { internal: "none" } } } });

    const a = analyzeCompliance(allowListed);
    const b = analyzeCompliance(noneInProd);

    const mart = a.exceptions.filter((e) => e.model === "fct_orders");
    assert.deepEqual(mart.map((e) => `${e.column}@${e.env}`), ["customer_email@default"]);
    assert.equal(mart[0].via_lineage, true);
    assert.equal(mart[0].tag, "pii");
    assert.match(mart[0].reason, /^classified 'internal' \(allow-listed unmasked\), but carries 'pii' values unmasked: raw_customers\.email → stg_customers\.email → fct_orders\.customer_email \(cast\)$/);
    assert.deepEqual(mart[0].span, { file: "models/fct_orders.sql", line: 7, col: 3, side: "head" });
    // Masked under its own tag where that tag masks: only prod, where 'internal' is `none`.
    assert.deepEqual(b.exceptions.filter((e) => e.model === "fct_orders").map((e) => `${e.column}@${e.env}`), ["customer_email@prod"]);
    assert.match(b.exceptions.find((e) => e.model === "fct_orders")?.reason ?? "", /^classified 'internal' \(strategy `none` in prod\), but carries 'pii'/);
  });

  it("a column made of two classified columns is checked against each tag: one left in clear ('none') does not hide the other", () => {
    const project = buildProject(
      [
        { name: "raw_orders", columns: ["amount", "email"], classification: { amount: "financial", email: "pii" } },
        { name: "fct_orders", deps: ["raw_orders"], columns: [{ name: "label", from: [["raw_orders", "amount"], ["raw_orders", "email"]], line: 3 }] },
      ],
      { mask: { defaults: { pii: "hash", financial: "none" }, envs: { prod: { pii: "none", financial: "redact" } } } },
    );

    const report = analyzeCompliance(project);

    assert.deepEqual(
      report.exceptions.map((e) => `${e.model}.${e.column}@${e.env}:${e.tag}`),
      ["fct_orders.label@default:pii", "fct_orders.label@prod:financial"],
    );
  });

  it("allow_unmasked only speaks for a tag with no strategy: a tag that is masked still has its copies checked", () => {
    const both = buildProject(chain, { mask: { defaults: { pii: "hash" }, envs: { dev: {} } }, allowUnmasked: ["pii"] });

    const report = analyzeCompliance(both);

    assert.deepEqual([...new Set(report.exceptions.map((e) => `${e.model}.${e.column}`))], ["fct_orders.customer_email", "stg_customers.email"]);
  });

  it("a tag masked on base though allow-listed (the list speaks only for no strategy): turning it to 'none' or declassifying it is said", () => {
    const base = buildProject(chain, { mask: { defaults: { pii: "hash" } }, allowUnmasked: ["pii"] });
    const none = buildProject(chain, { mask: { defaults: { pii: "none" } }, allowUnmasked: ["pii"] });
    const declassified = buildProject(chain.map((m) => (m.name === "raw_customers" ? { ...m, classification: { phone: "pii" } } : m)), { mask: { defaults: { pii: "hash" } }, allowUnmasked: ["pii"] });

    assert.deepEqual(maskWeakenings(base, none).map((w) => [w.env, w.tag, w.from, w.to]), [["default", "pii", "hash", "none"]]);
    assert.deepEqual(declassifications(base, declassified).map((d) => `${d.model}.${d.column}`), ["raw_customers.email"]);
  });

  it("per env: no lineage exception where the tag resolves to 'none', nor for allow-listed tags, nor with lineage off", () => {
    const withNone = buildProject(chain, { mask: { defaults: { pii: "hash" }, envs: { dev: { pii: "none" } } } });
    const allowed = buildProject(chain, { allowUnmasked: ["pii"] });

    const a = analyzeCompliance(withNone);
    const b = analyzeCompliance(allowed);
    const c = analyzeCompliance(withNone, { lineage: false });

    assert.deepEqual([...new Set(a.exceptions.map((e) => e.env))], ["default"]);
    assert.equal(b.exceptions.length, 0);
    assert.equal(c.exceptions.length, 0);
    assert.equal(c.lineage, false);
  });
});

describe("renderComplianceText", () => {
  it("prints Rocky's layout: rows, tally, exceptions", () => {
    const project = buildProject(chain, { mask: { defaults: { pii: "hash" }, envs: { prod: { pii: "redact" } } } });

    const text = renderComplianceText(analyzeCompliance(project));

    assert.match(text, /^\nRocky Compliance\n----------------\n\n/);
    assert.match(text, /\n {2}raw_customers\.email \(pii\) -> default=hash, prod=redact\n/);
    assert.match(text, /\n {2}classified=4, masked=4, exceptions=4\n/);
    assert.match(text, /\nExceptions:\n {2}- fct_orders\.customer_email \[default\]: not classified/);
  });

  it("says so when nothing is classified", () => {
    const text = renderComplianceText(analyzeCompliance(buildProject([{ name: "a", columns: ["x"] }])));

    assert.match(text, /No classified columns found in the loaded models\./);
    assert.doesNotMatch(text, /Exceptions:/);
  });
});
