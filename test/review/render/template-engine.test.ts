import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildCommentView, collectFindings, compileTemplate, DEFAULT_TEMPLATES, FULL_DETAIL, loadTemplates, renderTemplate, TemplateError } from "../../../review/src/render/index.js";
import { complianceThroughCast, contractBreak, costReport, noChanges, onlyWarnings } from "./support/scenarios.js";

describe("renderTemplate", () => {
  it("substitutes names and dotted paths, inserting values as given", () => {
    assert.equal(renderTemplate("a {{x}} b {{o.k}} {{missing}}.", { x: "<1>", o: { k: 2 } }), "a <1> b 2 .");
  });

  it("if / else / unless on truthiness (empty arrays and strings are false)", () => {
    const t = "{{#if list}}has{{else}}none{{/if}} {{#unless flag}}off{{/unless}}";

    assert.equal(renderTemplate(t, { list: [], flag: false }), "none off");
    assert.equal(renderTemplate(t, { list: [1], flag: true }), "has ");
  });

  it("each resolves names on the item first, then outward; {{.}} and {{@index}}", () => {
    const t = "{{#each rows}}{{@index}}:{{name}}/{{unit}} {{/each}}{{#each tags}}[{{.}}]{{/each}}";

    assert.equal(renderTemplate(t, { unit: "u", rows: [{ name: "a" }, { name: "b", unit: "v" }], tags: ["x", "y"] }), "0:a/u 1:b/v [x][y]");
  });

  it("with scopes an object and partials render in the current scope", () => {
    const out = renderTemplate("{{#with s}}{{> p}}{{/with}}", { s: { v: 7 } }, { p: "v={{v}}" });

    assert.equal(out, "v=7");
  });

  it("a block tag alone on its line takes the line with it", () => {
    const t = "start\n{{#if a}}\n  inside\n{{/if}}\n{{! note }}\nend\n";

    assert.equal(renderTemplate(t, { a: true }), "start\n  inside\nend\n");
    assert.equal(renderTemplate(t, { a: false }), "start\nend\n");
  });

  it("strict mode throws on a name that resolves to nothing", () => {
    assert.throws(() => renderTemplate("{{a.b}}", { a: {} }, {}, "t", true), /\{\{a\.b\}\} resolves to nothing/);
    assert.equal(renderTemplate("{{a.b}}", { a: { b: "" } }, {}, "t", true), "");
  });

  it("malformed templates are TemplateErrors", () => {
    assert.throws(() => compileTemplate("{{#if a}}x", "t1"), TemplateError);
    assert.throws(() => compileTemplate("{{#each a}}x{{/if}}", "t2"), TemplateError);
    assert.throws(() => compileTemplate("{{#loop a}}{{/loop}}", "t3"), TemplateError);
    assert.throws(() => renderTemplate("{{> nope}}", {}), TemplateError);
  });
});

describe("comment templates", () => {
  it("every template parses and every partial it names exists", () => {
    for (const [name, template] of Object.entries(DEFAULT_TEMPLATES)) {
      compileTemplate(template, name);
      for (const m of template.matchAll(/\{\{>\s*([\w-]+)\s*\}\}/g)) assert.ok(DEFAULT_TEMPLATES[m[1]], `${name} uses missing partial ${m[1]}`);
    }
  });

  it("every name the comment templates use resolves in the view model of every scenario (strict mode)", () => {
    for (const report of [noChanges(), onlyWarnings(), contractBreak(), complianceThroughCast(), costReport(true), costReport(false)]) {
      const view = buildCommentView({ report, findings: collectFindings(report), verdict: "fail", counts: { error: 1, warning: 0, info: 0 }, dropped: ["x"] }, FULL_DETAIL);
      const out = renderTemplate(DEFAULT_TEMPLATES.comment, view, DEFAULT_TEMPLATES, "comment", true);
      assert.doesNotMatch(out, /\{\{|\}\}/);
    }
    const check = { intro: "i", blocks: [{ table: "t", more: "m", folded: true, foldLabel: "f" }], notes: ["n"], trimmed: "x" };
    assert.match(renderTemplate(DEFAULT_TEMPLATES.check, check, DEFAULT_TEMPLATES, "check", true), /<details><summary>f<\/summary>\n\nt\n\nm\n\n<\/details>/);
  });

  it("templates.generated.ts matches comment-templates/ (run build-templates.mjs when this fails)", () => {
    const onDisk = loadTemplates(new URL("../../../comment-templates", import.meta.url).pathname);

    assert.deepEqual({ ...onDisk }, { ...DEFAULT_TEMPLATES });
    execFileSync(process.execPath, [new URL("../../../review/src/render/build-templates.mjs", import.meta.url).pathname, "--check"]);
  });

  it("the README lists every template", () => {
    const readme = readFileSync(new URL("../../../comment-templates/README.md", import.meta.url), "utf8");

    for (const name of Object.keys(DEFAULT_TEMPLATES)) assert.ok(readme.includes(`${name}.md`), `README misses ${name}.md`);
  });
});
