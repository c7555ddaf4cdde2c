import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { buildInlineComments, checkConclusion, collectFindings, type Finding, renderReview, renderText } from "../../../review/src/render/index.js";
import { currentFingerprints } from "../../../review/src/render/inline-comments.js";
import type { BlastRadiusEntry } from "../../../review/src/report/types.js";
import { changedFile, consumer, contractFinding, emptyReport, p001 } from "./support/report-fixtures.js";

/** A blast-radius entry from `model` (`.column`) reaching one downstream column: something still reads it. */
function readBy(model: string, column?: string): BlastRadiusEntry {
  return { changeId: `${model}.${column ?? "*"}`, origin: { model, ...(column ? { column } : {}) }, tracedOn: "base", rowLevel: column === undefined, consumers: [consumer("reader", "y", 1, `${model}.${column ?? "x"}`)], models: ["reader"], maxDepth: 1 };
}
const reached = (...entries: BlastRadiusEntry[]) => ({ entries, totalConsumers: entries.length, totalModels: 1, contractedConsumers: 0, classifiedConsumers: 0, exposedConsumers: 0, exposures: [] });
import { contractBreak, HEAD_STG_ORDERS, onlyWarnings } from "./support/scenarios.js";

const f = (severity: Finding["severity"], isNew = true): Finding => ({ check: "rocky/compile", kind: "compile", severity, code: "X", message: "m", isNew });

describe("checkConclusion (fail-on policy)", () => {
  it("error level: errors fail, warnings are neutral, notices alone succeed", () => {
    assert.equal(checkConclusion([f("error")], "error", false), "failure");
    assert.equal(checkConclusion([f("warning")], "error", false), "neutral");
    assert.equal(checkConclusion([f("info")], "error", false), "success");
    assert.equal(checkConclusion([], "error", false), "success");
  });

  it("warning level fails on warnings; never is advisory; pre-existing findings do not count", () => {
    assert.equal(checkConclusion([f("warning")], "warning", false), "failure");
    assert.equal(checkConclusion([f("error")], "never", false), "neutral");
    assert.equal(checkConclusion([f("error", false)], "error", false), "success");
  });

  it("a PR touching no model is skipped whatever the findings", () => {
    assert.equal(checkConclusion([f("error")], "error", true), "skipped");
  });

  it("renderReview applies a per-check policy", () => {
    const r = renderReview(contractBreak(), { failOn: { "rocky/contracts": "never", "rocky/portability": "warning" } });

    assert.equal(r.checks.find((c) => c.name === "rocky/contracts")?.conclusion, "neutral");
    assert.equal(r.checks.find((c) => c.name === "rocky/portability")?.conclusion, "failure");
    assert.equal(r.verdict, "fail");
  });

  it("one check per concern, in the fixed order, with titles and annotations", () => {
    const r = renderReview(onlyWarnings());

    assert.deepEqual(r.checks.map((c) => c.name), ["rocky/compile", "rocky/contracts", "rocky/masking", "rocky/portability", "rocky/cost"]);
    const compile = r.checks[0];
    assert.match(compile.title, /^1 warning — W005: model 'stg_orders' has temporal columns/);
    assert.deepEqual(compile.annotations.map((a) => [a.path, a.start_line, a.annotation_level]), [["models/stg_orders.toml", 1, "warning"]]);
    assert.match(compile.summary, /1 pre-existing finding \(already on the base branch\) not counted/);
  });

  it("a check with no findings says what it checked and that it passed", () => {
    const r = renderReview(contractBreak());
    const cost = r.checks.find((c) => c.name === "rocky/cost");
    assert.equal(cost?.conclusion, "success");
    assert.doesNotMatch(cost?.text ?? "", /Details for/);
    assert.match(cost?.text ?? "", /^Passed: /);
    const compile = r.checks.find((c) => c.name === "rocky/compile");
    if (compile?.title === "No new findings") assert.match(compile.text, /^Passed: the PR's head compiles, \d+ changed models?/);
  });

  it("a finding on something the PR removed is on its deleted line: named in the comment, commented on the base side (LEFT), never annotated", () => {
    const removed = { kind: "model_removed" as const, severity: "breaking" as const, model: "old_mart", target: "wh.s.old_mart", detail: "model removed", span: { file: "models/old_mart.sql", line: 1, col: 1, side: "base" as const } };
    const key = { kind: "materialization_strategy_changed" as const, severity: "breaking" as const, model: "a", target: "wh.s.a", detail: "key removed", span: { file: "models/a.toml", line: 7, col: 1, side: "base" as const } };
    // On base, in a line the PR did not delete (line 3 of a.toml): no comment can go there.
    const dropped = { kind: "column_dropped" as const, severity: "breaking" as const, model: "a", column: "x", target: "wh.s.a", detail: "x: Int64 dropped", span: { file: "models/a.sql", line: 3, col: 5, side: "base" as const } };
    const report = emptyReport({
      breakingChanges: [removed, key, dropped],
      blastRadius: reached(readBy("old_mart"), readBy("a"), readBy("a", "x")),
      changedFiles: [
        { ...changedFile("models/a.toml", [{ start: 1, end: 6 }]), baseRanges: [{ start: 7, end: 7 }] },
        { ...changedFile("models/a.sql", [{ start: 5, end: 5 }]), baseRanges: [{ start: 5, end: 5 }] },
        { ...changedFile("models/old_mart.sql", []), status: "deleted", baseRanges: [{ start: 1, end: 12 }] },
      ],
    });
    const baseFiles = new Map([["models/a.toml", `${"x = 1\n".repeat(6)}strategy = "merge"\n`]]);

    const r = renderReview(report, { baseFiles });

    assert.match(r.comment, /`models\/old_mart\.sql` \(deleted by this PR\)/);
    assert.match(r.comment, /`models\/a\.toml:7` \(line deleted by this PR\)/);
    assert.match(r.comment, /`models\/a\.sql:3` \(on base `3333333`\)/, "a base line the PR kept names the merge-base");
    // `rocky review --output text` says the same, in plain text.
    const text = renderText(report);
    assert.match(text, /\n {2}--> models\/old_mart\.sql \(deleted by this PR\)\n/);
    assert.match(text, /\n {2}--> models\/a\.toml:7 \(line deleted by this PR\)\n/);
    assert.match(text, /\n {2}--> models\/a\.sql:3 \(on base 3333333\)\n/);
    assert.doesNotMatch(text, /on the base branch|`/);
    assert.doesNotMatch(r.comment + r.checks.map((c) => c.text).join(""), /old_mart\.sql:1/);
    assert.ok(r.checks.every((c) => c.annotations.length === 0), "an annotation cannot point at a base line");
    assert.deepEqual(
      r.inlineComments.map((c) => [c.path, c.line, c.side, c.start_line]),
      [
        ["models/a.toml", 7, "LEFT", undefined],
        ["models/old_mart.sql", 1, "LEFT", undefined],
      ],
    );
    assert.match(r.inlineComments[1].body, /^\*\*model_removed\*\* in `old_mart`: model removed/);
    // Every one is a current finding (its thread stays open), under an identity of its own: the head's line 7 is another line.
    assert.ok(r.inlineComments.every((c) => r.findingFingerprints?.includes(c.fingerprint)));
    assert.equal(r.findingFingerprints?.length, 3);
    const onBase = contractFinding("a", "amount", { code: "E013", span: { file: "models/a.toml", line: 7, col: 1, side: "base" } });
    const onHead = contractFinding("a", "amount", { code: "E013", span: { file: "models/a.toml", line: 7, col: 1, side: "head" } });
    const base = renderReview(emptyReport({ contracts: [onBase] }), { headFiles: baseFiles, baseFiles }).findingFingerprints ?? [];
    const head = renderReview(emptyReport({ contracts: [onHead] }), { headFiles: baseFiles, baseFiles }).findingFingerprints ?? [];
    assert.equal(base.length, 1);
    // On the head side, its identity and the one earlier versions gave it (its line's text): a thread posted under either stays open.
    assert.equal(head.length, 2);
    assert.ok(!head.includes(base[0]));
  });

  it("a removed model whose file the PR renamed (a move): its base lines are the old path's, the comment goes on the new path", () => {
    const removed = { kind: "model_removed" as const, severity: "breaking" as const, model: "dim", target: "wh.s.dim", detail: "model removed", span: { file: "models/dim.sql", line: 1, col: 1, side: "base" as const } };
    const moved = { ...changedFile("models/marts/dim.sql", [{ start: 1, end: 1 }]), status: "renamed" as const, oldPath: "models/dim.sql", baseRanges: [{ start: 1, end: 1 }] };

    const r = renderReview(emptyReport({ breakingChanges: [removed], changedFiles: [moved], blastRadius: reached(readBy("dim")) }));

    assert.match(r.comment, /`models\/dim\.sql` \(on base; now `models\/marts\/dim\.sql`\)/);
    assert.match(renderText(emptyReport({ breakingChanges: [removed], changedFiles: [moved] })), /\n {2}--> models\/dim\.sql \(on base; now models\/marts\/dim\.sql\)\n/);
    assert.deepEqual(r.inlineComments.map((c) => [c.path, c.line, c.side]), [["models/marts/dim.sql", 1, "LEFT"]]);
  });

  it("a model or column removed with every reader of it is gone, not broken: listed, with no comment on its deleted line", () => {
    const removed = { kind: "model_removed" as const, severity: "breaking" as const, model: "old_mart", target: "wh.s.old_mart", detail: "model removed", span: { file: "models/old_mart.sql", line: 1, col: 1, side: "base" as const } };
    const dropped = { kind: "column_dropped" as const, severity: "breaking" as const, model: "a", column: "x", target: "wh.s.a", detail: "x: Int64 dropped", span: { file: "models/a.sql", line: 5, col: 5, side: "base" as const } };
    const files = [
      { ...changedFile("models/a.sql", [{ start: 5, end: 5 }]), baseRanges: [{ start: 5, end: 5 }] },
      { ...changedFile("models/old_mart.sql", []), status: "deleted" as const, baseRanges: [{ start: 1, end: 12 }] },
    ];
    // Another column of `a` is read, and an entry with no consumer reaches nothing.
    const unread = { ...readBy("old_mart"), consumers: [], models: [], maxDepth: 0 };

    const r = renderReview(emptyReport({ breakingChanges: [removed, dropped], changedFiles: files, blastRadius: reached(readBy("a", "other"), unread) }));

    assert.match(r.comment, /`models\/old_mart\.sql` \(deleted by this PR\)/);
    assert.match(r.comment, /`models\/a\.sql:5` \(line deleted by this PR\)/);
    assert.deepEqual(r.inlineComments, []);
    // An exposure reading it is a reader.
    const exposed = renderReview(emptyReport({ breakingChanges: [removed, dropped], changedFiles: files, blastRadius: reached({ ...unread, exposures: ["Finance dashboard"] }) }));
    assert.deepEqual(exposed.inlineComments.map((c) => [c.path, c.side]), [["models/old_mart.sql", "LEFT"]]);
  });

  it("a classification the PR deletes is commented on its deleted line though no downstream column reads the column: the model stays, its column is unmasked", () => {
    const unclassified = { kind: "column_mask_changed" as const, severity: "breaking" as const, model: "stg_customers", column: "email_address", target: "wh.s.stg_customers", detail: "email_address: classification pii → (none)", span: { file: "models/stg_customers.toml", line: 5, col: 1, side: "base" as const } };
    const files = [{ ...changedFile("models/stg_customers.toml", []), baseRanges: [{ start: 5, end: 5 }] }];

    const r = renderReview(emptyReport({ breakingChanges: [unclassified], changedFiles: files }));

    assert.deepEqual(r.inlineComments.map((c) => [c.path, c.line, c.side]), [["models/stg_customers.toml", 5, "LEFT"]]);
    assert.match(r.inlineComments[0].body, /classification pii → \(none\)/);
  });

  it("notices on a deleted line get no comment: only breaking changes and what is commented on head lines", () => {
    const info = { kind: "column_dropped" as const, severity: "info" as const, model: "a", column: "x", target: "wh.s.a", detail: "x dropped", span: { file: "models/a.sql", line: 5, col: 5, side: "base" as const } };
    const report = emptyReport({ breakingChanges: [info], changedFiles: [{ ...changedFile("models/a.sql", [{ start: 5, end: 5 }]), baseRanges: [{ start: 5, end: 5 }] }] });

    assert.deepEqual(renderReview(report).inlineComments, []);
  });

  it("annotation paths are repository paths when the project lives in a subdirectory", () => {
    const r = renderReview({ ...contractBreak(), projectDir: "analytics" });

    const portability = r.checks.find((c) => c.name === "rocky/portability");
    assert.equal(portability?.annotations[0].path, "analytics/models/stg_orders.sql");
    assert.equal(portability?.annotations[0].start_column, 10);
    assert.equal(portability?.annotations[0].end_column, 23);
  });
});

describe("inline comments", () => {
  const headFiles = new Map([["models/stg_orders.sql", HEAD_STG_ORDERS]]);

  it("P001 inside the diff gets a suggestion rewriting the whole line", () => {
    const report = { ...emptyReport(), portability: [p001(7, { span: { file: "models/stg_orders.sql", line: 7, col: 7, endLine: 7, endCol: 23 }, replacement: { span: { file: "models/stg_orders.sql", line: 7, col: 7, endLine: 7, endCol: 23 }, text: "coalesce(status, 'x')" } })] };

    const comments = buildInlineComments(report, collectFindings(report), headFiles);

    assert.equal(comments.length, 1);
    assert.equal(comments[0].path, "models/stg_orders.sql");
    assert.equal(comments[0].line, 7);
    assert.equal(comments[0].side, "RIGHT");
    assert.match(comments[0].body, /```suggestion\nwhere coalesce\(status, 'x'\) <> 'void'\n```/);
  });

  it("a config typo with a did-you-mean replacement gets a suggestion on its TOML line", () => {
    const r002 = {
      ...createDiagnostic("R002", "unknown strategy type 'full_refrsh'", {
        model: "stg_orders",
        span: { file: "models/stg_orders.toml", line: 2, col: 8, endLine: 2, endCol: 21 },
        replacement: { span: { file: "models/stg_orders.toml", line: 2, col: 8, endLine: 2, endCol: 21 }, text: '"full_refresh"' },
      }),
      new: true,
      inDiff: true,
    };
    const report = { ...emptyReport({ changedFiles: [changedFile("models/stg_orders.toml", [{ start: 1, end: 3 }])] }), diagnostics: [r002] };

    const [c] = buildInlineComments(report, collectFindings(report), new Map([["models/stg_orders.toml", '[strategy]\ntype = "full_refrsh"\n']]));

    assert.equal(c.path, "models/stg_orders.toml");
    assert.match(c.body, /```suggestion\ntype = "full_refresh"\n```/);
  });

  it("two findings with replacements on one line share one comment whose suggestion applies both", () => {
    const text = ["select", "  nvl(a, 0) + nvl(b, 0) as x", "from t", ""].join("\n");
    const at = (col: number, endCol: number, replacement: string) => ({ span: { file: "models/stg_orders.sql", line: 2, col, endLine: 2, endCol }, replacement: { span: { file: "models/stg_orders.sql", line: 2, col, endLine: 2, endCol }, text: replacement } });
    const report = { ...emptyReport(), portability: [p001(2, at(3, 12, "COALESCE(a, 0)")), p001(2, at(15, 24, "COALESCE(b, 0)"))] };

    const comments = buildInlineComments(report, collectFindings(report), new Map([["models/stg_orders.sql", text]]));

    assert.equal(comments.length, 1);
    assert.equal(comments[0].line, 2);
    assert.match(comments[0].body, /\(2 on this line\)/);
    assert.match(comments[0].body, /```suggestion\n {2}COALESCE\(a, 0\) \+ COALESCE\(b, 0\) as x\n```/);
  });

  it("replacements that overlap in the text get no suggestion (a half fix would still fail)", () => {
    const text = ["select", "  nvl(nvl(a, 0), 1) as x", ""].join("\n");
    const at = (col: number, endCol: number, replacement: string) => ({ span: { file: "models/stg_orders.sql", line: 2, col, endLine: 2, endCol }, replacement: { span: { file: "models/stg_orders.sql", line: 2, col, endLine: 2, endCol }, text: replacement } });
    const report = { ...emptyReport(), portability: [p001(2, at(3, 21, "COALESCE(nvl(a, 0), 1)")), p001(2, at(7, 16, "COALESCE(a, 0)"))] };

    const comments = buildInlineComments(report, collectFindings(report), new Map([["models/stg_orders.sql", text]]));

    assert.equal(comments.length, 1);
    assert.doesNotMatch(comments[0].body, /```suggestion/);
    assert.match(comments[0].body, /overlap/);
  });

  it("a replacement spanning lines and one on its last line share one multi-line suggestion", () => {
    const text = ["select", "  nvl(", "    a, 0) + nvl(b, 0) as x", ""].join("\n");
    const span = (line: number, col: number, endLine: number, endCol: number) => ({ file: "models/stg_orders.sql", line, col, endLine, endCol });
    const report = {
      ...emptyReport(),
      portability: [p001(2, { span: span(2, 3, 3, 10), replacement: { span: span(2, 3, 3, 10), text: "COALESCE(a, 0)" } }), p001(3, { span: span(3, 13, 3, 22), replacement: { span: span(3, 13, 3, 22), text: "COALESCE(b, 0)" } })],
    };

    const [c, ...rest] = buildInlineComments(report, collectFindings(report), new Map([["models/stg_orders.sql", text]]));

    assert.equal(rest.length, 0);
    assert.equal(c.start_line, 2);
    assert.equal(c.line, 3);
    assert.match(c.body, /```suggestion\n {2}COALESCE\(a, 0\) \+ COALESCE\(b, 0\) as x\n```/);
  });

  it("without the file's text the replacement is given as help, not as a suggestion", () => {
    const report = { ...emptyReport(), portability: [p001(7)] };

    const [c] = buildInlineComments(report, collectFindings(report));

    assert.doesNotMatch(c.body, /```suggestion/);
    assert.match(c.body, /help: use COALESCE/);
  });

  it("never on a line outside the diff, never for pre-existing findings", () => {
    const report = {
      ...emptyReport({ changedFiles: [changedFile("models/stg_orders.sql", [{ start: 1, end: 2 }])] }),
      portability: [p001(7), p001(2, { new: false })],
      contracts: [contractFinding("fct_revenue", "amount")],
    };

    assert.deepEqual(buildInlineComments(report, collectFindings(report), headFiles), []);
  });

  it("contract breaks in the diff are commented; fingerprints are stable across runs and differ per finding", () => {
    const report = { ...contractBreak() };

    const a = buildInlineComments(report, collectFindings(report), headFiles);
    const b = buildInlineComments(report, collectFindings(report), headFiles);

    assert.deepEqual(a.map((c) => c.fingerprint), b.map((c) => c.fingerprint));
    assert.equal(new Set(a.map((c) => c.fingerprint)).size, a.length);
    assert.ok(a.some((c) => c.body.startsWith("**E011** in `fct_revenue.amount`")));
  });
});

describe("an inline comment's identity across pushes", () => {
  // Two NVL calls: a finding's span is the call itself (columns 1-based, end exclusive).
  const at = (line: number, col: number, text: string) => p001(line, { span: { file: "models/stg_orders.sql", line, col, endLine: line, endCol: col + text.length }, replacement: undefined });
  const NVL_A = "nvl(a, 0)";
  const NVL_B = "nvl(b, 0)";
  const comments = (lines: readonly string[], spans: readonly [number, number, string][]) => {
    const report = { ...emptyReport({ changedFiles: [changedFile("models/stg_orders.sql", [{ start: 1, end: lines.length }])] }), portability: spans.map(([l, c, t]) => at(l, c, t)) };
    return buildInlineComments(report, collectFindings(report), new Map([["models/stg_orders.sql", lines.join("\n")]]));
  };

  it("is the construct, not its line: a reformat (the call moved to its own line, an alias added, re-indented) keeps it, so its thread is neither resolved nor posted again", () => {
    const before = comments(["select " + NVL_A + " as x,", "  " + NVL_B + " as y", "from t"], [[1, 8, NVL_A], [2, 3, NVL_B]]);
    const after = comments(["select", "    " + NVL_A + "   as x_total,", "    " + NVL_B + " as y", "from t"], [[2, 5, NVL_A], [3, 5, NVL_B]]);
    assert.equal(before.length, 2);
    assert.deepEqual(after.map((c) => c.fingerprint), before.map((c) => c.fingerprint));
    // Under the former identity (the line's text) the reformat was a new finding: kept as former, so a comment posted under it still counts.
    assert.notDeepEqual(after.map((c) => c.formerFingerprints), before.map((c) => c.formerFingerprints));
    assert.equal(new Set(before.map((c) => c.fingerprint)).size, 2, "two calls, two identities");
  });

  it("equal constructs in one file are told apart by their order, which a reformat keeps", () => {
    const one = comments(["select " + NVL_A + " as x,", "  " + NVL_A + " as x2", "from t"], [[1, 8, NVL_A], [2, 3, NVL_A]]);
    const moved = comments(["select", "      " + NVL_A + " as x_first,", NVL_A + " as x2 -- again", "from t"], [[2, 7, NVL_A], [3, 1, NVL_A]]);
    assert.equal(one.length, 2);
    assert.notEqual(one[0].fingerprint, one[1].fingerprint);
    assert.deepEqual(moved.map((c) => c.fingerprint).sort(), one.map((c) => c.fingerprint).sort());
  });
});

describe("current findings' fingerprints (what a publisher resolves fixed findings' threads against)", () => {
  const headFiles = new Map([["models/stg_orders.sql", HEAD_STG_ORDERS]]);

  it("every finding that could carry a comment counts, outside the diff and pre-existing too, and the inline comments' are among them", () => {
    const report = {
      ...emptyReport({ changedFiles: [changedFile("models/stg_orders.sql", [{ start: 7, end: 7 }])] }),
      portability: [p001(7), p001(2), p001(3, { new: false })],
    };

    const rendered = renderReview(report, { headFiles });

    assert.equal(rendered.inlineComments.length, 1, "only line 7 is in the diff");
    // Three findings, each under its identity and the one earlier versions gave it.
    assert.equal(rendered.findingFingerprints?.length, 6);
    assert.ok(rendered.inlineComments.every((c) => [c.fingerprint, ...(c.formerFingerprints ?? [])].every((fp) => rendered.findingFingerprints?.includes(fp))));
  });

  it("unknown when the head has a new compile error: it can hide findings, and a hidden finding is not a fixed one", () => {
    const unknownModel = { ...createDiagnostic("R004", "unknown model `stg_order`", { model: "fct_revenue", span: { file: "models/fct_revenue.sql", line: 2, col: 6 } }), new: true, inDiff: true };
    const report = { ...emptyReport(), portability: [p001(7)], diagnostics: [unknownModel] };
    const findings = collectFindings(report);
    assert.ok(findings.some((x) => x.check === "rocky/compile" && x.severity === "error"), "R004 is an error");

    assert.equal(currentFingerprints(report, findings, headFiles), undefined);
    assert.equal(renderReview(report, { headFiles }).findingFingerprints, undefined);
    assert.deepEqual(currentFingerprints(report, collectFindings({ ...report, diagnostics: [{ ...unknownModel, new: false }] }), headFiles)?.length, 2, "a pre-existing error hid nothing this PR's comments were about (one finding: its identity and its former one)");
  });
});

describe("finding order", () => {
  it("a narrowing that flowed downstream is counted in its root's finding and listed after it in the table", () => {
    const change = (model: string, from?: string) => ({
      kind: "column_type_changed" as const,
      severity: "breaking" as const,
      model,
      target: `wh.s.${model}`,
      column: "amount",
      detail: `amount: Decimal(18,2) → Int32 (narrowing)${from ? `, from ${from}` : ""}`,
      span: { file: `models/${model}.sql`, line: 3, col: 5, side: "head" as const },
      ...(from ? { from } : {}),
    });
    const report = emptyReport({ breakingChanges: [change("a_mart", "stg_orders.amount"), change("b_mart", "stg_orders.amount"), change("stg_orders")] });
    const findings = collectFindings(report).filter((x) => x.kind === "breaking");
    assert.deepEqual(
      findings.map((x) => [x.model, x.message]),
      [["stg_orders", "amount: Decimal(18,2) → Int32 (narrowing); 2 downstream columns narrow with it"]],
    );
    const comment = renderReview(report).comment;
    assert.match(comment, /1 warning/);
    // The section's count says how its 3 breaking changes relate to the 1 warning of the headline.
    assert.match(comment, /3 breaking changes, counted as 1 warning above: 2 are downstream columns changing with the one this PR made; 0 notices/);
    assert.ok(comment.indexOf("`stg_orders.amount` |") < comment.indexOf("`a_mart.amount` |"), "the table lists the root first");
    assert.ok(comment.includes("`b_mart.amount` |"), "and every column that narrows with it");
    // Without a root finding (its change is not a finding of its own), a propagated narrowing stands alone.
    const orphan = collectFindings(emptyReport({ breakingChanges: [change("a_mart", "stg_orders.amount")] })).filter((x) => x.kind === "breaking");
    assert.deepEqual(
      orphan.map((x) => [x.model, x.propagated]),
      [["a_mart", true]],
    );
  });
});
