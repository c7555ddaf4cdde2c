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
  [
    "models/fct_kept.sql",
    [
      "SELECT",
      "    customer_id,",
      "    COALESCE(TRIM(contact), 'none') AS tidied,",
      "    CASE WHEN contact LIKE '%@%' THEN contact END AS valid_only,",
      "    CASE WHEN contact IS NULL THEN 'no' ELSE 'yes' END AS has_email,",
      "    'mailto:' || contact AS link,",
      "    length(contact) AS email_length,",
      "    substr(contact, 1, 3) AS masked_prefix,",
      "    regexp_replace(contact, '.+@', '***@') AS masked_domain",
      "FROM int_customers",
      "",
    ].join("\n"),
  ],
  [
    "models/fct_picked.sql",
    "SELECT\n    customer_id,\n    max(contact) AS any_contact,\n    count(contact) AS contacts,\n    string_agg(contact, ',') AS all_contacts\nFROM int_customers\nGROUP BY customer_id\n",
  ],
]);

describe("analyzeCompliance on the real compiler's lineage", () => {
  it("follows direct and CAST copies through intermediate models and SELECT *, not md5", async () => {
    const project = await compileProject(files, { env: {}, vars: {} });

    const report = analyzeCompliance(project);

    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage).map((e) => `${e.model}.${e.column}`))].sort();
    // lower(contact) still holds the email; md5 masks it by construction.
    assert.deepEqual(flagged.filter((f) => !f.startsWith("fct_kept.") && !f.startsWith("fct_picked.")), [
      "fct_contacts.customer_email",
      "fct_contacts.email_lower",
      "fct_star.contact",
      "int_customers.contact",
    ]);
    assert.ok(!flagged.includes("fct_contacts.email_key"), "md5 masks by construction");
    const mart = report.exceptions.find((e) => e.model === "fct_contacts" && e.column === "customer_email" && e.env === "prod");
    assert.ok(mart);
    assert.match(mart.reason, /stg_customers\.email → int_customers\.contact → fct_contacts\.customer_email \(cast\)/);
    assert.deepEqual(mart.span && [mart.span.file, mart.span.line], ["models/fct_contacts.sql", 3]);
    // A column of `SELECT *` is written by the `*`: without a place it gets no annotation and no inline comment.
    const star = report.exceptions.find((e) => e.model === "fct_star" && e.column === "contact");
    assert.deepEqual(star?.span && [star.span.file, star.span.line, star.span.col], ["models/fct_star.sql", 1, 8]);
  });

  it("follows functions that keep the values, and stops at ones that derive new values or mask", async () => {
    const project = await compileProject(files, { env: {}, vars: {} });

    const report = analyzeCompliance(project);

    const flagged = (model: string) =>
      [...new Set(report.exceptions.filter((e) => e.via_lineage && e.model === model).map((e) => e.column))].sort();
    // A CASE result keeps its values; a CASE that only tests the column does not. The prefix and
    // the regexp_replace are masks written by hand; the length and the count are new values.
    assert.deepEqual(flagged("fct_kept"), ["link", "tidied", "valid_only"]);
    assert.deepEqual(flagged("fct_picked"), ["all_contacts", "any_contact"]);
    const tidied = report.exceptions.find((e) => e.model === "fct_kept" && e.column === "tidied" && e.env === "prod");
    assert.ok(tidied);
    assert.match(tidied.reason, /int_customers\.contact → fct_kept\.tidied \(trim\)$/);
    assert.deepEqual(tidied.path?.at(-1), { model: "fct_kept", column: "tidied", transform: "expression", keeps: "trim" });
    const picked = report.exceptions.find((e) => e.model === "fct_picked" && e.column === "any_contact");
    assert.match(picked?.reason ?? "", /fct_picked\.any_contact \(max\)$/);
  });

  it("places a copy in a dbt-style model (`SELECT * FROM final`, a UNION) on the select item that writes it", async () => {
    const dbt = new Map(files);
    dbt.set(
      "models/dim_contacts.sql",
      [
        "with customers as (",
        "    select * from int_customers",
        "),",
        "",
        "final as (",
        "    select",
        "        customer_id,",
        "        coalesce(contact, 'UNKNOWN') as contact",
        "    from customers",
        "    union all",
        "    select -1, 'UNKNOWN'",
        ")",
        "",
        "select * from final",
        "",
      ].join("\n"),
    );
    const project = await compileProject(dbt, { env: {}, vars: {} });

    const report = analyzeCompliance(project);

    const copy = report.exceptions.filter((e) => e.model === "dim_contacts" && e.column === "contact");
    assert.equal(copy.length, 2, "one exception per env");
    // Line 8 is the item; without a place the finding gets no annotation and no inline comment.
    for (const e of copy) assert.deepEqual(e.span && [e.span.file, e.span.line, e.span.col], ["models/dim_contacts.sql", 8, 9]);
  });
});

describe("analyzeCompliance through DuckDB's method calls", () => {
  it("email.lower() keeps the email as lower(email) does; email.md5() masks it", async () => {
    const methods = new Map(files);
    methods.set("models/fct_methods.sql", "SELECT\n    customer_id,\n    contact.lower() AS lowered,\n    contact.trim().lower() AS tidied,\n    contact.md5() AS hashed\nFROM int_customers\n");
    const report = analyzeCompliance(await compileProject(methods, { env: {}, vars: {} }));
    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage && e.model === "fct_methods").map((e) => e.column))].sort();
    assert.deepEqual(flagged, ["lowered", "tidied"]);
    const lowered = report.exceptions.find((e) => e.model === "fct_methods" && e.column === "lowered" && e.env === "prod");
    assert.match(lowered?.reason ?? "", /int_customers\.contact → fct_methods\.lowered \(lower\)$/);
    assert.deepEqual(lowered?.span && [lowered.span.file, lowered.span.line], ["models/fct_methods.sql", 3]);
  });
});

describe("analyzeCompliance through nested values", () => {
  it("an email packed into a struct, a list, a map or JSON is still the email; a test of it is not", async () => {
    const nested = new Map(files);
    nested.set(
      "models/fct_nested.sql",
      [
        "SELECT",
        "    customer_id,",
        "    STRUCT_PACK(e := contact, id := customer_id) AS packed,",
        "    {'e': contact} AS literal_struct,",
        "    [contact, 'x'] AS literal_list,",
        "    LIST_VALUE(contact) AS listed,",
        "    MAP {'e': contact} AS literal_map,",
        "    TO_JSON(contact) AS as_json,",
        "    [contact LIKE '%@%'] AS tested,",
        "    {'n': length(contact)} AS measured",
        "FROM int_customers",
        "",
      ].join("\n"),
    );
    const report = analyzeCompliance(await compileProject(nested, { env: {}, vars: {} }));
    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage && e.model === "fct_nested").map((e) => e.column))].sort();
    assert.deepEqual(flagged, ["as_json", "listed", "literal_list", "literal_map", "literal_struct", "packed"]);
    const packed = report.exceptions.find((e) => e.model === "fct_nested" && e.column === "packed" && e.env === "prod");
    assert.match(packed?.reason ?? "", /int_customers\.contact → fct_nested\.packed \(struct_pack\)$/);
    assert.deepEqual(packed?.span && [packed.span.file, packed.span.line], ["models/fct_nested.sql", 3]);
  });
});

describe("analyzeCompliance through encodings and formatting", () => {
  it("an email base64- or hex-encoded, padded, reversed, formatted or joined from a list is still the email; its hash is not", async () => {
    const encoded = new Map(files);
    encoded.set(
      "models/fct_encoded.sql",
      [
        "SELECT",
        "    customer_id,",
        "    to_base64(encode(contact)) AS b64,",
        "    hex(contact) AS hexed,",
        "    lpad(contact, 40, ' ') AS padded,",
        "    reverse(contact) AS reversed,",
        "    format('{} <{}>', customer_id, contact) AS formatted,",
        "    printf('%s', contact) AS printed,",
        "    array_to_string([contact], ',') AS joined,",
        "    hex(md5(contact)) AS hashed",
        "FROM int_customers",
        "",
      ].join("\n"),
    );
    const report = analyzeCompliance(await compileProject(encoded, { env: {}, vars: {} }));
    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage && e.model === "fct_encoded").map((e) => e.column))].sort();
    assert.deepEqual(flagged, ["b64", "formatted", "hexed", "joined", "padded", "printed", "reversed"]);
  });
});

describe("analyzeCompliance through subqueries and unnesting", () => {
  it("a scalar subquery that looks the email up, or a list of emails unnested, is the email; a count of them is not", async () => {
    const looked = new Map(files);
    looked.set(
      "models/fct_lookup.sql",
      [
        "SELECT",
        "    o.customer_id,",
        "    (SELECT c.contact FROM int_customers AS c WHERE c.customer_id = o.customer_id) AS looked_up,",
        "    (SELECT count(c.contact) FROM int_customers AS c WHERE c.customer_id = o.customer_id) AS counted,",
        "    UNNEST([o.contact]) AS unnested",
        "FROM int_customers AS o",
        "",
      ].join("\n"),
    );
    const report = analyzeCompliance(await compileProject(looked, { env: {}, vars: {} }));
    const flagged = [...new Set(report.exceptions.filter((e) => e.via_lineage && e.model === "fct_lookup").map((e) => e.column))].sort();
    assert.deepEqual(flagged, ["looked_up", "unnested"]);
  });
});
