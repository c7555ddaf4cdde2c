import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderReview } from "../../../review/src/render/index.js";
import { collectFindings, shownBreakingChanges } from "../../../review/src/render/findings.js";
import type { BreakingChange, ReviewReport } from "../../../review/src/report/types.js";
import { blastEntry, breaking, columnChange, consumer, emptyReport, withChanges } from "./support/report-fixtures.js";

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

  it("shown alone, it says the edit computes the same (a refactor), unless the model has an error (its columns were not all compared)", () => {
    assert.deepEqual(
      shown([sql("b")]).map((r) => r.detail),
      ["SQL changed; its columns and rows compute as before (a refactor)"],
    );
    const failing = shownBreakingChanges({ breakingChanges: [sql("b")], diagnostics: [{ severity: "Error", code: "R004", message: "unknown model `x`", model: "b", new: true, inDiff: true }] } as unknown as ReviewReport);
    assert.deepEqual(
      failing.map((r) => r.detail),
      ["SQL changed"],
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

describe("a column change's finding says how far it reaches", () => {
  it("on the changed line (its annotation): the columns and models that read it, and how many of those are contracted; nothing when nothing reads it", () => {
    const change = columnChange("stg_events", "user_id", { kind: "logic_changed", reason: "expression" }, { severity: "warning" });
    const entry = blastEntry(change, [
      consumer("int_a", "user_id", 1, "stg_events.user_id"),
      consumer("int_b", "n", 1, "stg_events.user_id", { transform: "row_level" }),
      consumer("mart", "user_id", 2, "int_a.user_id", { contracted: true }),
      consumer("mart", "n", 2, "int_b.n", { contracted: true }),
    ]);
    const report = withChanges(emptyReport({ breakingChanges: [{ ...breaking("stg_events", "user_id", "column_logic_changed", "warning", "user_id: expression changed (type Int32 unchanged)"), changeId: change.id }] }), [change], [entry]);
    const finding = collectFindings(report).find((f) => f.code === "column_logic_changed");
    assert.equal(finding?.message, "user_id: expression changed (type Int32 unchanged); read by 4 columns in 3 downstream models, 1 of them contracted");
    const quiet = withChanges(emptyReport({ breakingChanges: [{ ...breaking("stg_events", "user_id", "column_logic_changed", "warning", "user_id: expression changed (type Int32 unchanged)"), changeId: change.id }] }), [change], [blastEntry(change, [])]);
    assert.equal(collectFindings(quiet).find((f) => f.code === "column_logic_changed")?.message, "user_id: expression changed (type Int32 unchanged)");
  });
});
