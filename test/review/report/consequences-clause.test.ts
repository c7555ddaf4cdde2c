import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { consequencesClause } from "../../../review/src/report/fold-consequences.js";
import type { ReviewDiagnostic } from "../../../review/src/report/types.js";

const diag = (code: string, model: string, message: string): ReviewDiagnostic => ({ severity: code === "W002" ? "Warning" : "Info", code, model, message, new: true, inDiff: false });

describe("consequencesClause", () => {
  it("names two consequences with 'and', three as a list, not 'A and B and C'", () => {
    const w002 = diag("W002", "order_items", "SELECT * prevents full type checking");
    const i002 = diag("I002", "order_items", "4 column(s) have unknown types; provide source schemas");
    const below = diag("I002", "fct_order_items", "1 column(s) have unknown types; provide source schemas");

    assert.equal(consequencesClause([w002, i002], "order_items"), "so its SELECT * cannot be typed (W002) and 4 columns have an unknown type (I002)");
    assert.equal(
      consequencesClause([w002, i002, below], "order_items"),
      "so its SELECT * cannot be typed (W002), 4 columns have an unknown type (I002) and 1 downstream model cannot be fully typed (I002)",
    );
  });
});
