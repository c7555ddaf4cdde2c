import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderReview } from "../../../review/src/render/index.js";
import { blastEntry, columnChange, consumer, emptyReport, withChanges } from "./support/report-fixtures.js";

describe("the blast radius's Consumers cell", () => {
  it("names each column when they fit, and counts each model's columns when they do not, so a wide reach lists its models", () => {
    const change = columnChange("stg_events", "user_id", { kind: "removed" }, { severity: "breaking" });
    const few = [consumer("int_a", "user_id", 1, "stg_events.user_id"), consumer("mart_a", "user_id", 2, "int_a.user_id")];
    const small = renderReview(withChanges(emptyReport(), [change], [blastEntry(change, few)])).comment;
    assert.match(small, /\| `int_a\.user_id`, `mart_a\.user_id` \|/);

    const wide = [
      ...["amount", "event_id", "user_id"].map((c) => consumer("int_a", c, 1, "stg_events.user_id", { transform: c === "user_id" ? "direct" : "row_level" })),
      ...Array.from({ length: 12 }, (_, i) => consumer(`mart_${String(i).padStart(2, "0")}`, "user_id", 2, "int_a.user_id")),
      consumer("rpt", "n", 3, "mart_00.user_id", { transform: "row_level" }),
      consumer("rpt", "user_id", 3, "mart_00.user_id"),
    ];
    const big = renderReview(withChanges(emptyReport(), [change], [blastEntry(change, wide)])).comment;
    assert.match(big, /\| `int_a` \(3 columns\), `mart_00\.user_id`, `mart_01\.user_id`, `mart_02\.user_id`, `mart_03\.user_id`, `mart_04\.user_id`, `mart_05\.user_id`, `mart_06\.user_id` \+6 more models \|/);
  });
});
