import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
// @ts-expect-error -- plain JS (no types) so `npm run bench` needs no build step
import { generateProject } from "../../bench/generate-project.mjs";
import { compileJson } from "../../cli/src/commands/compile.js";
import { json } from "../../cli/src/io.js";
import { main } from "../../cli/src/main.js";
import { compileProject } from "../../engine/src/compile/compile-project.js";
import { sortDiagnostics } from "../../engine/src/diagnostics/registry.js";
import { readProjectDir } from "../../engine/src/project/read-project-dir.js";
import { SHOP } from "./support/cli-harness.js";

/**
 * `rocky compile --output json` writes its output in pieces (each under V8's 128 KB large-object
 * size, waiting for stdout to take each one) instead of one string: the bytes must be exactly
 * those of one JSON.stringify of the whole output, with or without a snapshot, for any number of
 * diagnostics and models, `--model`, and text that is not ASCII.
 */

interface Written {
  readonly code: number;
  readonly text: string;
  readonly pieces: readonly number[];
  readonly drains: number;
}

async function compileWritten(dir: string, args: readonly string[]): Promise<Written> {
  const chunks: Buffer[] = [];
  let drains = 0;
  let stderr = "";
  const code = await main(["compile", "-C", dir, "--output", "json", ...args], {
    stdout: (t) => void chunks.push(Buffer.from(t, "utf8")),
    // Bytes are taken two turns later (after the drain below), as a busy pipe takes them: a writer
    // that reused its buffer, or went on, before they were taken would garble the output.
    stdoutBytes: (b) =>
      new Promise((resolve) =>
        setImmediate(() =>
          setImmediate(() => {
            chunks.push(Buffer.from(b));
            resolve();
          }),
        ),
      ),
    // A stdout that takes each piece on the next turn of the event loop, like a pipe whose reader is busy.
    drain: () => {
      drains++;
      return new Promise((resolve) => setImmediate(resolve));
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    isTty: false,
  });
  assert.equal(stderr, "");
  return { code, text: Buffer.concat(chunks).toString("utf8"), pieces: chunks.map((c) => c.byteLength), drains };
}

/** What one JSON.stringify of the whole output gives for the same files. */
async function expected(dir: string, only?: string): Promise<string> {
  const compiled = await compileProject(readProjectDir(dir, {}), { env: {}, vars: {} });
  const diagnostics = sortDiagnostics(only ? compiled.diagnostics.filter((d) => d.model === only) : compiled.diagnostics);
  return json(compileJson(compiled, diagnostics, only));
}

const body = (text: string) => text.replace(/"compile_timings": \{[^}]*\}/, '"compile_timings": {}');

function writeProject(files: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rocky-pieces-"));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const ROCKY_TOML = '[adapter]\ntype = "duckdb"\npath = ":memory:"\n';

describe("compile JSON written in pieces", { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  let generated: string;
  let clean: string;
  let empty: string;
  let unicode: string;
  before(() => {
    generated = writeProject(generateProject(300, 5) as Map<string, string>);
    clean = writeProject(
      new Map([
        ["rocky.toml", ROCKY_TOML],
        ["models/a.sql", "SELECT 1 AS id"],
        ["models/b.sql", "SELECT id FROM a"],
      ]),
    );
    empty = writeProject(new Map([["rocky.toml", ROCKY_TOML]]));
    unicode = writeProject(
      new Map([
        ["rocky.toml", ROCKY_TOML],
        ["models/café.sql", "-- prix en €, naïve\nSELECT 1 AS \"número\", 'ü' AS \"straße\""],
        ...Array.from({ length: 120 }, (_, i) => [`models/m${i}.sql`, `SELECT "número" AS "n°${i}", CURRENT_TIMESTAMP AS "zeit_${i}" FROM café`] as [string, string]),
      ]),
    );
    dirs.push(generated, clean, empty, unicode);
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("the same bytes as one JSON.stringify: a 300-model project, a clean one, one without models, one with non-ASCII names", async () => {
    for (const dir of [generated, clean, empty, unicode, SHOP]) {
      const run = await compileWritten(dir, ["--no-cache"]);
      assert.equal(body(run.text), body(await expected(dir)), dir);
    }
  });

  it("--model: one model's entry and findings", async () => {
    const run = await compileWritten(generated, ["--no-cache", "--model", "fct_00002"]);
    const want = await expected(generated, "fct_00002");
    assert.equal(body(run.text), body(want));
    assert.equal((JSON.parse(run.text) as { models_detail: unknown[] }).models_detail.length, 1);
  });

  it("no piece reaches 128 KB, and stdout is waited for between pieces", async () => {
    const run = await compileWritten(generated, ["--no-cache"]);
    assert.ok(run.pieces.length > 10, `${run.pieces.length} pieces`);
    assert.ok(Math.max(...run.pieces) < 128 * 1024, `largest piece ${Math.max(...run.pieces)} bytes`);
    assert.ok(run.drains >= run.pieces.length / 3, `${run.drains} waits for ${run.pieces.length} pieces`);
  });

  it("with a snapshot (a compile with the cache), the same bytes in pieces as well", async () => {
    const first = await compileWritten(generated, []);
    const second = await compileWritten(generated, []);
    const want = body(await expected(generated));
    assert.equal(body(first.text), want);
    assert.equal(body(second.text), want);
    for (const run of [first, second]) {
      assert.ok(run.pieces.length > 10, `${run.pieces.length} pieces`);
      assert.ok(Math.max(...run.pieces) < 128 * 1024, `largest piece ${Math.max(...run.pieces)} bytes`);
    }
    rmSync(join(generated, ".rocky-state"), { recursive: true, force: true });
  });
});
