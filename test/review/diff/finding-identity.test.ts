import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { fileText, type ProjectFiles } from "../../../engine/src/project/types.js";
import { MODEL_STATE_CODES, markNew, STAR_CODES, withoutComments } from "../../../review/src/diff/finding-identity.js";
import { seededRandom } from "../../support/seeded-random.js";

/** The definition, written the plain way: every diagnostic's identity on both sides, one multiset. */
function referenceMarkNew(head: readonly Diagnostic[], base: readonly Diagnostic[], headFiles: ProjectFiles, baseFiles: ProjectFiles): boolean[] {
  const line = (files: ProjectFiles, d: Diagnostic) => {
    if (!d.span) return "";
    const l = (fileText(files.get(d.span.file)) ?? "").split(/\r?\n/)[d.span.line - 1] ?? "";
    const { col, endCol, endLine } = d.span;
    const oneLine = (endLine === undefined || endLine === d.span.line) && endCol !== undefined && col >= 1 && endCol > col && endCol - 1 <= l.length;
    return withoutComments(oneLine ? l.slice(col - 1, endCol - 1) : l).replace(/\s+/g, "").toLowerCase();
  };
  const id = (files: ProjectFiles, d: Diagnostic) =>
    MODEL_STATE_CODES.has(d.code)
      ? [d.code, d.model ?? "", d.span?.file ?? ""].join("\u0000")
      : [d.code, d.model ?? "", d.message, d.span?.file ?? "", STAR_CODES.has(d.code) ? "" : line(files, d)].join("\u0000");
  const counts = new Map<string, number>();
  for (const d of base) counts.set(id(baseFiles, d), (counts.get(id(baseFiles, d)) ?? 0) + 1);
  // A P002 in a file with the same text on both sides is never new (a reader made it).
  const untouched = (d: Diagnostic) => d.code === "P002" && d.span !== undefined && JSON.stringify(headFiles.get(d.span.file) ?? null) === JSON.stringify(baseFiles.get(d.span.file) ?? null);
  return head.map((d) => {
    const n = counts.get(id(headFiles, d)) ?? 0;
    if (n > 0) counts.set(id(headFiles, d), n - 1);
    return n === 0 && !untouched(d);
  });
}

describe("markNew against its definition", () => {
  it("agrees on random projects (moved lines, CRLF, duplicates, shared and changed files, project-level findings)", () => {
    const random = seededRandom(2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const pieces = ["nvl(a)", " ", "\n", "\r\n", "x", "\n\n", "  nvl(a)  \n", "NVL(A)"];
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => pick(pieces)).join("");
    let someNew = 0;
    let someOld = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const baseFiles = new Map<string, string | null>();
      const headFiles = new Map<string, string | null>();
      for (const f of ["a.sql", "b.sql", "c.sql"]) {
        const t = text();
        baseFiles.set(f, t);
        headFiles.set(f, random() < 0.5 ? t : random() < 0.1 ? null : text());
      }
      const diag = (): Diagnostic => ({
        severity: "Warning",
        code: pick(["P001", "W005", "P002"]),
        message: pick(["m1", "m2"]),
        ...(random() < 0.8 ? { model: pick(["a", "b", "c"]) } : {}),
        ...(random() < 0.9 ? { span: { file: pick(["a.sql", "b.sql", "c.sql", "gone.sql"]), line: Math.floor(random() * 10), col: 1 } } : {}),
      });
      const base = Array.from({ length: Math.floor(random() * 10) }, diag);
      // Head: often the base's findings again (copied, so not the same objects), some moved, some added.
      const head = random() < 0.5 ? base.map((d) => (random() < 0.2 && d.span ? { ...d, span: { ...d.span, line: d.span.line + 1 } } : { ...d })) : Array.from({ length: Math.floor(random() * 10) }, diag);
      if (random() < 0.3) head.push(diag());
      const expected = referenceMarkNew(head, base, headFiles, baseFiles);
      const actual = markNew(head, base, headFiles, baseFiles).map((x) => x.new);
      assert.deepEqual(actual, expected, `trial ${trial}`);
      someNew += expected.filter(Boolean).length;
      someOld += expected.filter((x) => !x).length;
    }
    assert.ok(someNew > 500 && someOld > 500, `both outcomes exercised (${someNew} new, ${someOld} not)`);
  });

  it("a layout-only edit of a finding's line leaves it pre-existing; a changed construct is new", () => {
    const p001 = (col: number, endCol: number): Diagnostic => ({ severity: "Error", code: "P001", message: "NVL is not portable", model: "m", span: { file: "m.sql", line: 2, col, endLine: 2, endCol } });
    const base = new Map([["m.sql", "select\n    NVL(p.paid_amount, 0) AS paid_amount,\nfrom p\n"]]);
    const spaced = new Map([["m.sql", "select\n    NVL(p.paid_amount, 0)  AS  paid_amount,\nfrom p\n"]]);
    const renamed = new Map([["m.sql", "select\n  NVL(p.paid_amount, 0) AS paid,\nfrom p\n"]]);
    const changed = new Map([["m.sql", "select\n    NVL(p.paid_amount, 1) AS paid_amount,\nfrom p\n"]]);
    const b = [p001(5, 26)];

    assert.deepEqual(markNew([p001(5, 26)], b, spaced, base).map((x) => x.new), [false]);
    assert.deepEqual(markNew([p001(3, 24)], b, renamed, base).map((x) => x.new), [false]);
    assert.deepEqual(markNew([p001(5, 26)], b, changed, base).map((x) => x.new), [true]);
  });

  it("a finding's construct split over lines, or joined onto one, by a reformat stays pre-existing; a changed one is new", () => {
    const p001 = (line: number, col: number, endLine: number, endCol: number): Diagnostic => ({ severity: "Error", code: "P001", message: "NVL is not portable", model: "m", span: { file: "m.sql", line, col, endLine, endCol } });
    const oneLine = new Map([["m.sql", "select\n    NVL(p.paid_amount, 0) AS paid_amount\nfrom p\n"]]);
    // sqlfluff-style: the call over four lines, a comment on one of them, CRLF endings.
    const split = new Map([["m.sql", "select\r\n    nvl(\r\n        p.paid_amount, -- may be null\r\n        0\r\n    ) as paid_amount\r\nfrom p\r\n"]]);
    const splitChanged = new Map([["m.sql", "select\n    nvl(\n        p.paid_amount,\n        1\n    ) as paid_amount\nfrom p\n"]]);
    const onBase = [p001(2, 5, 2, 26)];
    const onSplit = [p001(2, 5, 5, 6)];
    assert.deepEqual(markNew(onSplit, onBase, split, oneLine).map((x) => x.new), [false]);
    assert.deepEqual(markNew(onBase, onSplit, oneLine, split).map((x) => x.new), [false]);
    assert.deepEqual(markNew(onSplit, onBase, splitChanged, oneLine).map((x) => x.new), [true]);
  });

  it("a model's standing warning stays pre-existing when the PR only adds what its message lists or edits the line it is anchored on", () => {
    const at = (code: string, message: string, line: number, col: number, file = "m.sql"): Diagnostic => ({ severity: "Warning", code, message, model: "m", span: { file, line, col } });
    const base = new Map([["m.sql", "\nwith final as (\n  select a, d from t\n)\nselect * from final\n"], ["u.sql", "select * from m\n"]]);
    const head = new Map([["m.sql", "-- one row per order\nwith final as (\n  select a, d, e_at from t\n)\nselect * from final\n"], ["u.sql", "select * from m\n"]]);
    const b = [at("W005", "model 'm' has temporal column(s) (d) but no freshness block", 1, 1), at("P002", "SELECT * silently propagates upstream schema changes to 1 downstream consumer(s): `u` (a, d)", 5, 8), at("I002", "1 column(s) have unknown types", 3, 1)];
    const h = [at("W005", "model 'm' has temporal column(s) (d, e_at) but no freshness block", 1, 1), at("P002", "SELECT * silently propagates upstream schema changes to 1 downstream consumer(s): `u` (a, d, e_at)", 5, 8), at("I002", "2 column(s) have unknown types", 3, 1)];

    assert.deepEqual(markNew(h, b, head, base).map((x) => x.new), [false, false, false]);
    // A second star with consumers in the model is one more P002: new; a P002 of another model (in a file the PR changed) too.
    const more = [...h, at("P002", "SELECT * silently propagates upstream schema changes to 1 downstream consumer(s): `u` (a)", 3, 3), { ...at("P002", "x", 1, 8, "u.sql"), model: "u" }];
    const uChanged = new Map([...head, ["u.sql", "select * from m -- all of it\n"]]);
    assert.deepEqual(markNew(more, b, uChanged, base).map((x) => x.new), [false, false, false, true, true]);
  });

  it("a model the PR renamed keeps its findings: its standing warning and a construct it still has are not new; another construct is", () => {
    const at = (code: string, model: string, message: string, file: string, line: number, col: number, endCol?: number): Diagnostic => ({ severity: "Warning", code, message, model, span: { file, line, col, ...(endCol ? { endLine: line, endCol } : {}) } });
    const sql = "select\n    NVL(a, 0) AS a,\n    d\nfrom t\n";
    const base = new Map([["models/stg_x.sql", sql], ["models/stg_x.toml", "[strategy]\ntype = \"view\"\n"]]);
    const head = new Map([["models/staging_x.sql", sql], ["models/staging_x.toml", "[strategy]\ntype = \"view\"\n"]]);
    const b = [at("W005", "stg_x", "model 'stg_x' has temporal column(s) (d) but no freshness block", "models/stg_x.sql", 3, 5), at("P001", "stg_x", "NVL is not portable", "models/stg_x.sql", 2, 5, 14), at("W001", "stg_x", "model 'stg_x' is a view", "models/stg_x.toml", 2, 1)];
    const h = [at("W005", "staging_x", "model 'staging_x' has temporal column(s) (d) but no freshness block", "models/staging_x.sql", 3, 5), at("P001", "staging_x", "NVL is not portable", "models/staging_x.sql", 2, 5, 14), at("W001", "staging_x", "model 'staging_x' is a view", "models/staging_x.toml", 2, 1)];
    const renamed = [{ baseModel: "stg_x", baseFile: "models/stg_x.sql", model: "staging_x", file: "models/staging_x.sql" }];

    assert.deepEqual(markNew(h, b, head, base).map((x) => x.new), [true, true, true], "without the pairing, every finding looks new");
    assert.deepEqual(markNew(h, b, head, base, renamed).map((x) => x.new), [false, false, false]);
    const edited = new Map([...head, ["models/staging_x.sql", "select\n    NVL(b, 0) AS a,\n    d\nfrom t\n"]]);
    assert.deepEqual(markNew(h, b, edited, base, renamed).map((x) => x.new), [false, true, false]);
  });

  it("a P002 in a file the PR left alone is not new, though base had none (its star had no reader); in a file the PR changed it is", () => {
    const p002: Diagnostic = { severity: "Warning", code: "P002", message: "SELECT * silently propagates upstream schema changes to 1 downstream consumer(s): `r` (a)", model: "w", span: { file: "w.sql", line: 1, col: 8 } };
    const base = new Map([["w.sql", "select * from t\n"]]);
    // The PR adds r, which reads w: w.sql is the same text.
    const head = new Map([["w.sql", "select * from t\n"], ["r.sql", "select a from w\n"]]);
    assert.deepEqual(markNew([p002], [], head, base).map((x) => x.new), [false]);
    // Told without reading (a head read from a cached base) as well.
    const known = Object.assign(new Map([["r.sql", "select a from w\n"]]), { unchanged: (file: string) => file === "w.sql" });
    assert.deepEqual(markNew([p002], [], known, base).map((x) => x.new), [false]);
    // w.sql changed too: the PR wrote that star's model, and its P002 is new.
    assert.deepEqual(markNew([p002], [], new Map([["w.sql", "select * from t where a > 0\n"]]), base).map((x) => x.new), [true]);
    // Any other code in an untouched file is compared as before.
    assert.deepEqual(markNew([{ ...p002, code: "W005", message: "temporal" }], [], head, base).map((x) => x.new), [true]);
  });

  it("keywords upper-cased on a finding's line leave it pre-existing", () => {
    const i001: Diagnostic = { severity: "Info", code: "I001", message: "SELECT * over fully typed input (stg_orders); prefer an explicit column list", model: "m", span: { file: "m.sql", line: 2, col: 12 } };
    const out = markNew([{ ...i001, span: { file: "m.sql", line: 3, col: 12 } }], [i001], new Map([["m.sql", "with o as (\n    -- orders\n    SELECT * FROM stg_orders\n)\n"]]), new Map([["m.sql", "with o as (\n    select * from stg_orders\n)\n"]]));
    assert.deepEqual(out.map((x) => x.new), [false]);
  });

  it("a star joined onto its SELECT's line (sqlfluff's layout) leaves its I001 pre-existing; another relation is a new one", () => {
    // A real PR (dpguthrie/databricks-dbt-project be5fb5d): `select \n    *\nfrom\n    final` became `select *\nfrom final`.
    const i001: Diagnostic = { severity: "Info", code: "I001", message: "SELECT * over fully typed input (final); prefer an explicit column list", model: "m", span: { file: "m.sql", line: 3, col: 5 } };
    const base = new Map([["m.sql", "with final as (select 1 as a)\nselect \n    *\nfrom\n    final\n"]]);
    const head = new Map([["m.sql", "with final as (select 1 as a)\n\nselect *\nfrom final\n"]]);
    assert.deepEqual(markNew([{ ...i001, span: { file: "m.sql", line: 3, col: 8 } }], [i001], head, base).map((x) => x.new), [false]);
    const other = { ...i001, message: "SELECT * over fully typed input (stg_orders); prefer an explicit column list" };
    assert.deepEqual(markNew([other], [i001], head, base).map((x) => x.new), [true]);
  });

  it("a comment dropped from, added to or edited on a finding's line leaves it pre-existing (a reformat); a comment marker inside a string is text", () => {
    const i001: Diagnostic = { severity: "Info", code: "I001", message: "SELECT * over fully typed input (stg_inventory); prefer an explicit column list", model: "m", span: { file: "m.sql", line: 2, col: 12 } };
    const base = new Map([["m.sql", "with p as (\n    select * from stg_inventory -- inventory holds the products\n)\n"]]);
    const head = new Map([["m.sql", "with p as (\n    -- the products live in inventory\n    SELECT * FROM stg_inventory\n)\n"]]);
    assert.deepEqual(markNew([{ ...i001, span: { file: "m.sql", line: 3, col: 12 } }], [i001], head, base).map((x) => x.new), [false]);
    const block = new Map([["m.sql", "with p as (\n    select * /* all */ from stg_inventory\n)\n"]]);
    assert.deepEqual(markNew([i001], [i001], block, base).map((x) => x.new), [false]);
    // What the line computes still counts: another table is a new finding (its message names it).
    const other = new Map([["m.sql", "with p as (\n    select * from stg_products -- inventory holds the products\n)\n"]]);
    assert.deepEqual(markNew([{ ...i001, message: i001.message.replace("stg_inventory", "stg_products") }], [i001], other, base).map((x) => x.new), [true]);
    // And so does another construct on a line of a code compared by its text.
    const w = { ...i001, code: "P001", message: "NVL is not portable" };
    assert.deepEqual(markNew([w], [w], new Map([["m.sql", "with p as (\n    select nvl(b, 0) from stg_inventory\n)\n"]]), new Map([["m.sql", "with p as (\n    select nvl(a, 0) from stg_inventory\n)\n"]])).map((x) => x.new), [true]);
    assert.equal(withoutComments("select '--' as a, \"x--y\" -- note"), "select '--' as a, \"x--y\" ");
    assert.equal(withoutComments("a /* b */ c /* open"), "a   c ");
  });

  it("an R007 on a file that has no text on either side, for the same reason, is not new", () => {
    const d: Diagnostic = { severity: "Error", code: "R007", message: "m.sql is binary", model: "m", span: { file: "m.sql", line: 1, col: 2 } };
    // Two reads of one file give two equal accounts of why, not one object.
    const binary = () => ({ unreadable: "binary" as const, line: 1, col: 2 });
    assert.deepEqual(markNew([d], [d], new Map([["m.sql", binary()]]), new Map([["m.sql", binary()]])).map((x) => x.new), [false]);
  });

  it("a finding on a file whose text changed is compared by its line's text, even when nothing else about it changed", () => {
    const d: Diagnostic = { severity: "Warning", code: "P001", message: "NVL", model: "m", span: { file: "m.sql", line: 2, col: 1 } };
    const out = markNew([d], [d], new Map([["m.sql", "select\n  ifnull(a)\n"]]), new Map([["m.sql", "select\n  nvl(a)\n"]]));
    assert.deepEqual(
      out.map((x) => x.new),
      [true],
    );
  });
});
