import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffProjects } from "../../../review/src/diff/diff-projects.js";
import { markNew } from "../../../review/src/diff/finding-identity.js";
import { ciDiff, lineageDiff } from "../../../review/src/diff/lineage-diff.js";
import type { ChangedFile } from "../../../review/src/report/types.js";
import { col, model, project } from "./build-compiled.js";

const changed: ChangedFile[] = [{ path: "models/stg.sql", projectPath: "models/stg.sql", status: "modified", headRanges: [{ start: 1, end: 1 }], binary: false, role: "model_sql" }];
const base = project([
  model("stg", { columns: [col("id", "Int64", { src: ["raw.t.id"] }), col("amount", "Int64", { src: ["raw.t.amount"] }), col("note|x", "String", { src: ["raw.t.note"] })] }),
  model("mart", { columns: [col("total", "Int64", { src: ["stg.amount:sum"], fp: "sum(amount)" }), col("note", "String", { src: ["stg.note|x"] })] }),
]);
const head = project([
  model("stg", { columns: [col("id", "Int64", { src: ["raw.t.id"] }), col("amount", "Int32", { src: ["raw.t.amount"] })] }),
  model("mart", { columns: [col("total", "Int64", { src: ["stg.amount:sum"], fp: "sum(amount)" }), col("note", "Unknown", { src: ["stg.note|x"] })] }),
]);

describe("lineageDiff / ciDiff", () => {
  const diff = diffProjects(base, head, changed);
  it("has Rocky's lineage_diff shape, with removed columns' consumers traced on base", () => {
    const out = lineageDiff(diff, { version: "0.1.0", baseRef: "main", totalModels: 2 });
    assert.equal(out.command, "lineage-diff");
    assert.deepEqual(out.summary, { total_models: 2, unchanged: 1, modified: 1, added: 0, removed: 0 });
    assert.equal(out.results.length, 1);
    const byCol = new Map(out.results[0].column_changes.map((c) => [c.column_name, c]));
    assert.deepEqual(byCol.get("amount"), { column_name: "amount", change_type: "type_changed", old_type: "Int64", new_type: "Int32", downstream_consumers: [{ model: "mart", column: "total" }], traced_on: "head" });
    assert.deepEqual(byCol.get("note|x")?.downstream_consumers, [{ model: "mart", column: "note" }]);
    assert.equal(byCol.get("note|x")?.traced_on, "base");
    assert.match(out.markdown, /^### Rocky Lineage Diff\n\n\*\*1 model\(s\) changed \(1 modified, 0 added, 0 removed, 1 unchanged\)\*\*/);
    assert.match(out.markdown, /\| `note\\\|x` \| removed \| String \|  \| `mart\.note` _\(traced on base\)_ \|/);
  });
  it("has Rocky's ci_diff shape; breaking findings only with --semantic", () => {
    const out = ciDiff(diff, { version: "0.1.0", baseRef: "main", totalModels: 2 });
    assert.equal(out.models[0].resolved_target, "wh.analytics.stg");
    assert.equal(out.breaking_findings, undefined);
    assert.match(out.markdown, /^### Rocky CI Diff/);
    assert.ok(ciDiff(diff, { version: "0.1.0", baseRef: "main", totalModels: 2, semantic: true }).breaking_findings?.some((b) => b.kind === "column_dropped"));
  });
  it("says so when nothing changed", () => {
    const none = lineageDiff(diffProjects(base, base, []), { version: "0.1.0", baseRef: "main", totalModels: 2 });
    assert.equal(none.markdown, "### Rocky Lineage Diff\n\nNo data changes detected.\n");
  });
});

describe("lineageDiff / ciDiff of a change that flows through SELECT *", () => {
  it("lists the column a SELECT * model loses with its source, with the readers it had there, as Rocky compares each model's columns", () => {
    const side = (withStatus: boolean) =>
      project([
        model("stg", { columns: [col("id", "Int64", { src: ["raw.t.id"] }), ...(withStatus ? [col("status", "String", { src: ["raw.t.status"] })] : [])] }),
        model("mid", { columns: [col("id", "Int64", { src: ["stg.id"] }), ...(withStatus ? [col("status", "String", { src: ["stg.status"] })] : [])], hash: "SELECT * FROM stg", sql: "SELECT * FROM stg" }),
        model("mart", { columns: [col("id", "Int64", { src: ["mid.id"] }), col("status", withStatus ? "String" : "Unknown", { src: withStatus ? ["mid.status"] : [] })], hash: "SELECT id, status FROM mid", sql: "SELECT id, status FROM mid" }),
      ]);
    const diff = diffProjects(side(true), side(false), changed);
    const out = lineageDiff(diff, { version: "0", baseRef: "main", totalModels: 3 });
    const mid = out.results.find((r) => r.model_name === "mid");
    assert.deepEqual(mid?.column_changes, [{ column_name: "status", change_type: "removed", old_type: "String", downstream_consumers: [{ model: "mart", column: "status" }], traced_on: "base" }]);
    assert.doesNotMatch(out.markdown, /\(0 column changes\)/);
    const ci = ciDiff(diff, { version: "0", baseRef: "main", totalModels: 3 });
    assert.deepEqual(ci.models.find((m) => m.model_name === "mid")?.column_changes, [{ column_name: "status", change_type: "removed", old_type: "String" }]);
  });
});

describe("markNew", () => {
  it("keys findings on the line's text, not its number, and counts duplicates", () => {
    const d = (line: number) => ({ severity: "Error" as const, code: "P001", message: "NVL is not portable", model: "m", span: { file: "models/m.sql", line, col: 3 } });
    const baseFiles = new Map([["models/m.sql", "select\n  nvl(a, 0)\nfrom t\n"]]);
    const headFiles = new Map([["models/m.sql", "-- moved\nselect\n  nvl(a, 0)\n  , nvl(b, 0)\nfrom t\n"]]);
    const out = markNew([d(3), d(4)], [d(2)], headFiles, baseFiles);
    assert.deepEqual(out.map((x) => x.new), [false, true]);
  });
});

describe("lineage-diff Markdown with hostile names", () => {
  it("escapes HTML, pipes, backticks and mentions", () => {
    const hostile = "x<script>@org|`y";
    const b = project([model(hostile, { columns: [col("a", "Int64", { src: ["raw.t.a"] })] })]);
    const h = project([model(hostile, { columns: [col("a", "Int64", { src: ["raw.t.a"] }), col("b|`@team", "Int64", { src: ["raw.t.b"] })] })]);
    const md = lineageDiff(diffProjects(b, h, [{ path: `models/${hostile}.sql`, projectPath: `models/${hostile}.sql`, status: "modified", headRanges: [], binary: false, role: "model_sql" }]), { version: "0", baseRef: "main", totalModels: 1 }).markdown;
    assert.ok(!md.includes("<script>"));
    assert.ok(md.includes("<b><code>x&lt;script&gt;&#64;org|`y</code></b>"));
    assert.ok(md.includes("| `b\\|'@team` | added |"), md);
  });
});
