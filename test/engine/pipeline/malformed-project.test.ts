import assert from "node:assert/strict";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CompiledProject } from "../../../engine/src/compile/types.js";
import type { ProjectFiles } from "../../../engine/src/project/types.js";
import { MAX_PROJECT_FILE_BYTES, readProjectDir } from "../../../engine/src/project/read-project-dir.js";
import { materializeMalformedProject } from "./support/malformed-project.js";
import { assertHealthy, assertNoInternalErrors, compileFiles, describeAll, where } from "./support/pipeline-project.js";

/**
 * test/fixtures/projects/malformed on disk (one mistake of each kind beside healthy models), plus
 * the files git should not carry (./support/malformed-project.ts). Read with the real
 * `readProjectDir` and compiled with `compileProject`: every diagnostic is listed exactly.
 */
const EXPECTED = [
  "E028 models/uses_var.sql:3:16",
  "I002 models/typo.sql:1:1",
  "R001 models/syntax_error.sql:5:17",
  "R002 models/bad_contract.contract.toml:3:8",
  "R002 models/broken_sidecar.toml:2:1",
  "R003 models/cycle_a.sql:2:6",
  "R003 models/cycle_b.sql:2:6",
  "R005 models/dup_two.toml:1:1",
  "R007 models/binary.sql:3:1",
  "R007 models/huge.sql:1:1",
  "R007 models/latin1.sql:1:12",
  "R007 models/not_a_model.sql:1:1",
  "R008 models/typo.sql:2:3",
  "W011 contracts/renamed_model.contract.toml:1:1",
];

describe("the malformed fixture project, read from disk", { timeout: 60_000 }, () => {
  let dir = "";
  let files: ProjectFiles;
  let compiled: CompiledProject;
  before(async () => {
    dir = materializeMalformedProject();
    files = readProjectDir(dir);
    compiled = await compileFiles(files);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each unreadable file with why (binary at its NUL, not UTF-8 at its first invalid byte, too large with its size, a directory named like a model as the OS's error), and drops the BOM", () => {
    assert.deepEqual(files.get("models/binary.sql"), { unreadable: "binary", line: 3, col: 1 });
    assert.deepEqual(files.get("models/latin1.sql"), { unreadable: "not-utf8", line: 1, col: 12 });
    assert.deepEqual(files.get("models/huge.sql"), { unreadable: "too-large", bytes: statSync(join(dir, "models/huge.sql")).size, limit: MAX_PROJECT_FILE_BYTES });
    assert.deepEqual(files.get("models/not_a_model.sql"), { unreadable: "read-error", code: "EISDIR", message: "illegal operation on a directory" });
    assert.equal(files.get("models/bom.sql"), "SELECT id,\n  status\nFROM raw.orders\n");
    const r007 = new Map(compiled.diagnostics.filter((d) => d.code === "R007").map((d) => [d.span?.file, d.message]));
    assert.equal(r007.get("models/latin1.sql"), "models/latin1.sql is not UTF-8 text (its first invalid byte is at line 1, column 12)");
    assert.match(r007.get("models/huge.sql") ?? "", /^models\/huge\.sql is too large to read: 10\.\d MB \(\d+ bytes\), over the limit of 10 MB$/);
    assert.equal(r007.get("models/not_a_model.sql"), "models/not_a_model.sql could not be read (EISDIR: illegal operation on a directory)");
  });

  it("reports each mistake exactly once, at its file, line and column", () => {
    assert.deepEqual(compiled.diagnostics.map((d) => `${d.code} ${where(d)}`).sort(), EXPECTED, describeAll(compiled.diagnostics));
    assertNoInternalErrors(compiled, files);
  });

  it("still types the healthy models, the ones downstream of them, and the ones beside each mistake", () => {
    for (const m of ["healthy", "downstream", "select", "café", "bom", "broken_sidecar", "bad_contract", "dup_one"]) assertHealthy(compiled, m, { allowErrors: ["R002", "R005"] });
    assert.deepEqual(
      compiled.models.get("café")?.columns.map((c) => `${c.name}:${c.type.kind}:${c.sources.map((s) => `${s.model}.${s.column}`).join("+")}`),
      ["número:Int64:select.id", "client_é:Int64:select.customer_id"],
    );
    assert.deepEqual(compiled.models.get("downstream")?.dependsOn, ["healthy"]);
    assert.equal(compiled.models.get("syntax_error")?.parsed, false);
  });

  it(
    "a missing @var is E028 alone: the model still parses and types",
    {},
    () => {
      assert.deepEqual(compiled.diagnostics.filter((d) => d.model === "uses_var").map((d) => `${d.code} ${where(d)}`), ["E028 models/uses_var.sql:3:16"]);
      assert.deepEqual(compiled.models.get("uses_var")?.columns.map((c) => c.name), ["id"]);
    },
  );

  it(
    "a syntax error at end of input points at the last line of the file, not the empty line after its final newline",
    {},
    () => {
      const d = compiled.diagnostics.find((x) => x.code === "R001" && x.model === "syntax_error");
      assert.equal(`${d?.span?.line}:${d?.span?.col}`, "5:17");
    },
  );
});
