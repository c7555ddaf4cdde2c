import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileProject } from "../../../engine/src/compile/compile-project.js";
import { analyzeCompliance } from "../../../review/src/compliance/index.js";

const files = new Map<string, string>([
  ["rocky.toml", ['[adapter]', 'type = "duckdb"', "", "[mask]", 'pii = "hash"', "", "[mask.prod]", 'pii = "redact"', ""].join("\n")],
  ["models/_defaults.toml", ['[target]', 'catalog = "wh"', 'schema = "analytics"', ""].join("\n")],
  ["schemas/raw.json", JSON.stringify({ tables: { "raw.customers": [{ name: "id", type: "BIGINT", nullable: false }, { name: "email", type: "VARCHAR", nullable: true }] } })],
  ["models/stg_customers.sql", "SELECT\n    id AS customer_id,\n    email\nFROM raw.customers\n"],
  ["models/stg_customers.toml", '[classification]\nemail = "pii"\n'],
  ["models/int_customers.sql", "SELECT\n    customer_id,\n    email AS contact\nFROM stg_customers\n"],
  ["models/fct_contacts.sql", "SELECT\n    customer_id,\n    CAST(contact AS VARCHAR(200)) AS customer_email,\n    md5(contact) AS email_key,\n    lower(contact) AS email_lower,\n    count(*) OVER () AS n\nFROM int_customers\n"],
  ["models/fct_star.sql", "SELECT *\nFROM int_customers\n"],
]);

describe("analyzeCompliance on the real compiler's lineage", () => {
  it("follows direct and CAST copies through intermediate models and SELECT *, not md5", async () => {
    const project = await compileProject(files, { env: {}, vars: {} });

    const report = analyzeCompliance(project);

    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage).map((e) => `${e.model}.${e.column}`))].sort();
    // lower(contact) is an `expression` in the lineage, like md5: not followed (a known gap, see analyze-compliance.ts).
    assert.deepEqual(flagged, ["fct_contacts.customer_email", "fct_star.contact", "int_customers.contact"]);
    assert.ok(!flagged.includes("fct_contacts.email_key"), "md5 masks by construction");
    const mart = report.exceptions.find((e) => e.model === "fct_contacts" && e.column === "customer_email" && e.env === "prod");
    assert.ok(mart);
    assert.match(mart.reason, /stg_customers\.email → int_customers\.contact → fct_contacts\.customer_email \(cast\)/);
    assert.deepEqual(mart.span && [mart.span.file, mart.span.line], ["models/fct_contacts.sql", 3]);
  });
});
