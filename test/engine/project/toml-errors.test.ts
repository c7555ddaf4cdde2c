import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../../engine/src/diagnostics/diagnostic.js";
import { parseTomlDoc } from "../../../engine/src/project/toml-file.js";

/** The R002 a sidecar's text gets, and the text its replacement (if any) would make. */
function syntaxError(text: string): { d: Diagnostic; fixed?: string } {
  const diagnostics: Diagnostic[] = [];
  // The rest of the file may still be read (salvaged), but never as if it had parsed.
  const doc = parseTomlDoc("models/m.toml", text, {}, diagnostics);
  assert.ok(doc === undefined || doc.salvaged === true, "the text does not parse");
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.equal(d.code, "R002");
  const r = d.replacement;
  if (r === undefined) return { d };
  const lines = text.split("\n");
  const l = lines[r.span.line - 1];
  lines[r.span.line - 1] = l.slice(0, r.span.col - 1) + r.text + l.slice((r.span.endCol ?? r.span.col) - 1);
  const fixed = lines.join("\n");
  // A replacement is offered only when it is certain: the fixed text parses.
  const after: Diagnostic[] = [];
  assert.notEqual(parseTomlDoc("models/m.toml", fixed, {}, after), undefined, `the fix parses: ${fixed}`);
  return { d, fixed };
}

describe("TOML syntax errors say what was meant, at the construct", () => {
  it("an unterminated string points at its opening quote and closes it", () => {
    const { d, fixed } = syntaxError('[target]\nschema = "staging\n\n[classification]\nemail = "pii"\n');
    assert.equal(d.message, "invalid TOML: unterminated string: the `\"` at column 10 is not closed on its line");
    assert.deepEqual([d.span?.line, d.span?.col], [2, 10]);
    assert.equal(fixed, '[target]\nschema = "staging"\n\n[classification]\nemail = "pii"\n');
  });

  it("an unterminated string before a comment is explained without a rewrite", () => {
    const { d, fixed } = syntaxError("a = 'x # note\n");
    assert.match(d.message, /unterminated string: the `'` at column 5/);
    assert.equal(fixed, undefined);
  });

  it("an unquoted word, a capitalised boolean and curly quotes are rewritten", () => {
    const word = syntaxError('[target]\nschema = staging\n');
    assert.equal(word.d.message, "invalid TOML: `staging` is not a TOML value: a string is written in quotes");
    assert.equal(word.fixed, '[target]\nschema = "staging"\n');
    const bool = syntaxError("enforce = True\n");
    assert.equal(bool.d.message, "invalid TOML: TOML booleans are lower-case: `true`, not `True`");
    assert.equal(bool.fixed, "enforce = true\n");
    const misspelt = syntaxError("[[columns]]\nname = \"id\"\nnullable = flase\n");
    assert.equal(misspelt.d.message, "invalid TOML: `flase` is not a TOML value: did you mean the boolean `false`?");
    assert.equal(misspelt.d.suggestion, 'write `false` (or "flase" in quotes, for a string)');
    assert.equal(misspelt.fixed, '[[columns]]\nname = "id"\nnullable = false\n', "the boolean, not the string \"flase\"");
    const curly = syntaxError("name = “orders”\n");
    assert.match(curly.d.message, /curly quotes/);
    assert.equal(curly.fixed, 'name = "orders"\n');
  });

  it("a key or a table set twice names the line that set it first", () => {
    const key = syntaxError('[classification]\nemail = "pii"\nphone = "pii"\nemail = "internal"\n');
    assert.equal(key.d.message, "invalid TOML: `email` is set twice (first on line 2)");
    assert.deepEqual([key.d.span?.line, key.d.span?.col], [4, 1]);
    const table = syntaxError('[strategy]\ntype = "merge"\n\n[strategy]\nunique_key = ["id"]\n');
    assert.equal(table.d.message, "invalid TOML: table `[strategy]` is defined twice (first on line 1)");
  });

  it("`key: value` and an unclosed header are rewritten; a missing `=` is named", () => {
    const colon = syntaxError("schema: 1\n");
    assert.equal(colon.d.message, "invalid TOML: TOML writes `key = value`, not `key: value`");
    assert.equal(colon.fixed, "schema = 1\n");
    const header = syntaxError('[target\nschema = "x"\n');
    assert.equal(header.d.message, "invalid TOML: table header is not closed: expected `]`");
    assert.equal(header.fixed, '[target]\nschema = "x"\n');
    assert.equal(syntaxError('schema "x"\n').d.message, "invalid TOML: expected `=` between the key and its value");
  });

  it("an unclosed array says so; what it cannot explain keeps the parser's words", () => {
    assert.match(syntaxError('unique_key = ["a", "b"\nz = 1\n').d.message, /array `\[\.\.\.\]` or inline table `\{\.\.\.\}` is not closed/);
    assert.match(syntaxError("a = 1 2\n").d.message, /^invalid TOML: /);
  });
});
