import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderReview } from "../../../review/src/render/index.js";
import { shownBreakingChanges } from "../../../review/src/render/findings.js";
import type { BreakingChange, ReviewReport } from "../../../review/src/report/types.js";

const at = (file: string, line: number, side: "head" | "base" = "head") => ({ file, line, col: 1, side });

function target(model: string, from: string, to: string, line = 4, file = "models/_defaults.toml"): BreakingChange {
  return { kind: "target_renamed", severity: "breaking", model, target: to, detail: `${from} → ${to}`, old: from, new: to, span: at(file, line) };
}

const shown = (changes: BreakingChange[]) => shownBreakingChanges({ breakingChanges: changes } as unknown as ReviewReport);

describe("shownBreakingChanges folds what one line did to many models", () => {
  it("one row per shared key, naming the part of the target that changed and the models", () => {
    const rows = shown([target("a", "wh.marts.a", "wh.mart.a"), target("b", "wh.marts.b", "wh.mart.b"), target("c", "wh.marts.c", "wh.mart.c")]);
    assert.deepEqual(
      rows.map((r) => [r.model, r.detail, r.span?.line]),
      [["3 models", "target schema marts → mart for 3 models: a, b, c", 4]],
    );
  });

  it("a long list names four and counts the rest; identical changes keep their detail", () => {
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const rows = shown(names.map((m) => ({ kind: "materialization_strategy_changed", severity: "breaking", model: m, target: `wh.s.${m}`, detail: "view → table", old: "view", new: "table", span: at("models/_defaults.toml", 6) })));
    assert.deepEqual(
      rows.map((r) => r.detail),
      ["view → table for 7 models: a, b, c, d and 3 more"],
    );
  });

  it("different lines, a single model, and column changes are not folded", () => {
    const column: BreakingChange = { kind: "column_type_changed", severity: "breaking", model: "a", column: "x", target: "wh.s.a", detail: "x: Int64 → Int32", span: at("models/a.sql", 2) };
    const sameLineColumn: BreakingChange = { ...column, model: "b", span: at("models/a.sql", 2) };
    const rows = shown([target("a", "wh.marts.a", "wh.mart.a", 4), target("b", "wh.x.b", "wh.y.b", 9, "models/groups/g.toml"), column, sameLineColumn]);
    assert.deepEqual(
      rows.map((r) => r.model),
      ["a", "b", "a", "b"],
    );
  });

  it("targets that changed differently on the same line keep an example", () => {
    const rows = shown([target("a", "wh.marts.a", "wh.mart.a"), target("b", "lake.marts.b", "wh.mart.b")]);
    assert.deepEqual(
      rows.map((r) => r.detail),
      ["2 models (a, b), e.g. wh.marts.a → wh.mart.a"],
    );
  });

  it("base-side and head-side spans of the same line are different lines", () => {
    const rows = shown([target("a", "wh.marts.a", "wh.mart.a"), { ...target("b", "wh.marts.b", "wh.mart.b"), span: at("models/_defaults.toml", 4, "base") }]);
    assert.equal(rows.length, 2);
  });
});

describe("\"SQL changed\" only where nothing says more", () => {
  const sql = (model: string): BreakingChange => ({ kind: "sql_body_changed", severity: "info", model, target: `wh.s.${model}`, detail: "SQL changed" });
  const logic: BreakingChange = { kind: "column_logic_changed", severity: "warning", model: "a", column: "x", target: "wh.s.a", detail: "x: expression changed", span: at("models/a.sql", 3) };

  it("a model with a column or row-level change loses its sql_body_changed row; one with none keeps it", () => {
    assert.deepEqual(
      shown([sql("a"), logic, sql("b")]).map((r) => [r.kind, r.model]),
      [
        ["column_logic_changed", "a"],
        ["sql_body_changed", "b"],
      ],
    );
  });

  it("a check with only notices is titled clean, and never by \"SQL changed\"", async () => {
    const { emptyReport } = await import("./support/report-fixtures.js");
    const onlySql = renderReview({ ...emptyReport(), breakingChanges: [sql("b")] });
    const contracts = onlySql.checks.find((c) => c.name === "rocky/contracts");
    assert.equal(contracts?.conclusion, "success");
    assert.equal(contracts?.title, "No errors or warnings · 1 notice");
    const withLogic = renderReview({ ...emptyReport(), breakingChanges: [sql("a"), logic] });
    assert.equal(withLogic.checks.find((c) => c.name === "rocky/contracts")?.title, "No errors or warnings · 1 notice — column_logic_changed: x: expression changed");
    assert.doesNotMatch(withLogic.comment, /sql_body_changed/);
  });
});
