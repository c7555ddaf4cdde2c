import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonical, splitTopLevel } from "../../../review/src/diff/inline-moved.js";
import { analyzeSql } from "../../engine/analyze/support/analyze-sql.js";
import { CORPUS, SEEDS } from "../../engine/analyze/support/duckdb-corpus.js";

describe("canonical fingerprints (a moved CTE is compared after substitution)", () => {
  it("leaves every fingerprint the analyzer makes as it is: it only reorders what a substitution disturbed", () => {
    const rowLevel = [
      "SELECT o.id FROM orders o JOIN customers c ON o.customer_id = c.id AND c.tier > 2 WHERE o.amount BETWEEN 1 AND 5 AND (o.status = 'a' OR o.note <> 'x = y')",
      "SELECT customer_id, SUM(amount) OVER (PARTITION BY status ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM orders QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY id) = 1",
    ];
    let checked = 0;
    for (const sql of [...CORPUS, ...rowLevel]) {
      const a = analyzeSql(sql, SEEDS, "duckdb");
      for (const c of a.columns) {
        assert.equal(canonical(c.fingerprint), c.fingerprint, sql);
        checked++;
      }
      for (const fp of Object.values(a.rowLevel.fingerprints)) {
        for (const part of (fp ?? "").split(" ; ")) assert.equal(canonical(part), part, sql);
        checked++;
      }
    }
    assert.ok(checked > 300, `checked ${checked}`);
  });

  it("reorders comparisons and chains whose operands changed", () => {
    assert.equal(canonical("(z.id = a.id)"), "(a.id = z.id)");
    assert.equal(canonical("(z.id > a.id)"), "(a.id < z.id)");
    assert.equal(canonical("((z.x = 2) AND (a.x = 3) AND (b.x = 1))"), "((1 = b.x) AND (2 = z.x) AND (3 = a.x))");
    assert.equal(canonical("((z.x = 1) AND (a.x = 1))"), "((1 = a.x) AND (1 = z.x))");
    // Not chains: BETWEEN, argument lists, quoted text.
    assert.equal(canonical("(x BETWEEN z AND a)"), "(x BETWEEN z AND a)");
    assert.equal(canonical("COALESCE(z, a)"), "COALESCE(z, a)");
    assert.equal(canonical("(s = 'z = a')"), "('z = a' = s)");
    assert.equal(canonical("('it''s (' = s)"), "('it''s (' = s)");
    // Unbalanced text (a quoted name with a bracket) is left as it is.
    assert.equal(canonical("(a = (b"), "(a = (b");
  });

  it("splits at the top level only", () => {
    assert.deepEqual(splitTopLevel("a, f(b, c), 'd, e', [1, 2]", ", "), ["a", "f(b, c)", "'d, e'", "[1, 2]"]);
  });
});
