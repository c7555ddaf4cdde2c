import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDiagnostic } from "../../../engine/src/diagnostics/registry.js";
import { richCell, richText } from "../../../review/src/render/escape.js";
import { cellCode, codeSpan, mermaidLabel, neutralizeMentions, renderReview, text } from "../../../review/src/render/index.js";
import { blastEntry, breaking, columnChange, consumer, contractFinding, emptyReport, withChanges } from "./support/report-fixtures.js";

const HOSTILE = "ev|l`na``me<script>alert(1)</script>@org/team\nnext &amp; [x](http://e.vil) **b** _i_";

/** The Markdown with fenced blocks and code spans removed: what GitHub would interpret as Markdown/HTML. */
function outsideCode(md: string): string {
  const noBlocks = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");
  return noBlocks.replace(/(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
}

/** Cells of a GFM table row, splitting on unescaped pipes only. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe("escaping primitives", () => {
  it("code spans use a longer fence than any backtick run and pad edge backticks", () => {
    assert.equal(codeSpan("a`b"), "``a`b``");
    assert.equal(codeSpan("``x``"), "``` ``x`` ```");
    assert.equal(codeSpan("line1\nline2"), "`line1 line2`");
  });

  it("table-cell code spans escape pipes", () => {
    assert.equal(cellCode("a|b"), "`a\\|b`");
  });

  it("text escapes HTML, inline Markdown and mentions", () => {
    const out = text("<b>@team</b> *x* [l](u) a|b");

    assert.equal(out, "&lt;b&gt;@\u200Dteam&lt;/b&gt; \\*x\\* \\[l\\](u) a\\|b");
  });

  it("mentions get a zero-width joiner, e-mail-like and bare @ too", () => {
    assert.equal(neutralizeMentions("hi @org/team and @bob"), "hi @\u200Dorg/team and @\u200Dbob");
  });

  it("a message's backtick-quoted names become code spans, the rest plain text with its spaces", () => {
    assert.equal(richText("unknown model `stg_order` (did you mean `stg_orders`?)"), "unknown model `stg_order` (did you mean `stg_orders`?)");
    assert.equal(richText("column `a_b` in *x*"), "column `a_b` in \\*x\\*");
    assert.equal(richCell("rename `a|b` to c|d"), "rename `a\\|b` to c\\|d");
    assert.equal(richText("`<b>` and <b> @team"), "`<b>` and &lt;b&gt; @\u200Dteam");
  });

  it("an unpaired backtick in a message stays literal text", () => {
    assert.equal(richText("a `b` c ` d"), "a `b` c \\` d");
    assert.equal(richText("odd ` only"), "odd \\` only");
  });

  it("Mermaid labels are quoted with entity codes", () => {
    assert.equal(mermaidLabel('a"b<c>#`d&'), '"a#quot;b#lt;c#gt;#35;#96;d#amp;"');
  });
});

describe("hostile names render safely", () => {
  const ch = columnChange(HOSTILE, HOSTILE, { kind: "type_changed", old: "Int64", new: "Int32|`x`", narrowing: true }, { span: { file: `models/${HOSTILE}.sql`, line: 3, col: 1, side: "head" } });
  const entry = blastEntry(ch, [consumer(HOSTILE, `c@${HOSTILE}`, 1, `${HOSTILE}.${HOSTILE}`, { exposures: [HOSTILE], contracted: true })]);
  const report = {
    ...withChanges(emptyReport(), [ch], [entry]),
    breakingChanges: [breaking(HOSTILE, HOSTILE, "column_type_changed", "breaking", `${HOSTILE} changed`)],
    contracts: [contractFinding(HOSTILE, HOSTILE, { message: `broken ${HOSTILE}` })],
    diagnostics: [{ ...createDiagnostic("R004", `unknown model \`${HOSTILE}\` (did you mean \`${HOSTILE}\`?)`, { model: HOSTILE, span: { file: "models/a.sql", line: 2, col: 6 }, suggestion: `reference \`${HOSTILE}\`` }), new: true, inDiff: true }],
  };

  const r = renderReview(report);

  it("no raw HTML, no live mention, no broken tables, no broken Mermaid", () => {
    assert.match(r.comment, /<script>/, "the name is shown (inside code)");
    assert.match(r.comment, /`R004`.*unknown model `/, "the diagnostic quoting the name is rendered");
    assert.doesNotMatch(outsideCode(r.comment), /<script|<\/script/);
    assert.doesNotMatch(outsideCode(r.comment), /@org\/team/, "every @org/team outside code is neutralized");
    assert.doesNotMatch(outsideCode(r.comment), /(?<!\\)\]\(http:\/\/e\.vil\)/, "no live link from a name");
    const lines = r.comment.split("\n");
    let header = 0;
    for (const [i, line] of lines.entries()) {
      if (!line.startsWith("|")) continue;
      const prev = lines[i - 1] ?? "";
      if (!prev.startsWith("|")) header = cells(line).length;
      else assert.equal(cells(line).length, header, `row has the header's cell count: ${line}`);
    }
    const mermaid = r.comment.split("```mermaid\n")[1]?.split("```")[0] ?? "";
    for (const line of mermaid.split("\n").filter((l) => l.includes("["))) {
      assert.match(line, /^ {2}[nm]\d+\["[^"]*"\](:::\w+)?$/, `label line is one quoted label: ${line}`);
    }
  });

  it("check runs and annotations are safe too", () => {
    for (const c of r.checks) {
      assert.doesNotMatch(outsideCode(c.summary), /<script/);
      assert.doesNotMatch(outsideCode(c.text), /<script/);
      for (const a of c.annotations) {
        assert.ok(a.title.length <= 255);
        assert.doesNotMatch(a.title, /\n/);
        assert.doesNotMatch(a.message, /@org\/team/);
      }
    }
    assert.doesNotMatch(r.headline, /@org\/team|\n/);
  });
});
