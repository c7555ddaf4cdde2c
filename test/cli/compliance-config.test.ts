import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { type CliRun, parseJson, rocky, SHOP, SHOP_PR, scratchCopy } from "./support/cli-harness.js";

/**
 * `rocky compliance` is the masking check a platform lead makes required: it must never pass on
 * configuration it could not load. Each case breaks one line of the example shop project the way
 * a user audit did, and expects the diagnostic at its file and line, in text and JSON, what it
 * leaves unchecked, and exit 1 under `--fail-on exception`.
 */
const SUITE = { timeout: 120_000 };

interface Report {
  summary: { total_classified: number; total_masked: number; total_exceptions: number; total_unchecked: number };
  per_column: { model: string; column: string; envs: { env: string; masking_strategy: string }[] }[];
  exceptions: { model: string; column: string; env: string; reason: string }[];
  diagnostics: { code: string; severity: string; message: string; key?: string; span?: { file: string; line: number } }[];
  unchecked: { model: string; file: string; line?: number; code?: string; columns: string[]; whole_model?: boolean }[];
  envs: string[];
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The shop project with one file's line replaced (or the file changed by `edit`). */
function shopWith(file: string, edit: (text: string) => string): string {
  const copy = scratchCopy(SHOP);
  cleanups.push(copy.cleanup);
  const path = join(copy.dir, file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  assert.notEqual(after, before, "the edit changes the file");
  writeFileSync(path, after);
  return copy.dir;
}

async function compliance(dir: string, extra: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<{ text: CliRun; json: Report; jsonRun: CliRun }> {
  const text = await rocky(["compliance", "--fail-on", "exception", ...extra], { cwd: dir, env });
  const jsonRun = await rocky(["compliance", "--fail-on", "exception", "-o", "json", ...extra], { cwd: dir, env });
  return { text, json: parseJson(jsonRun) as unknown as Report, jsonRun };
}

const configCodes = (r: Report) => r.diagnostics.filter((d) => d.code !== "W004").map((d) => `${d.code} ${d.span?.file}:${d.span?.line}`);

describe("rocky compliance never passes on config it could not load", SUITE, () => {
  it("the clean example passes, and --exceptions-only does not claim there are no classified columns", async () => {
    const { text, json } = await compliance(SHOP.replace(/\/$/, ""), ["--no-cache"]);
    assert.equal(text.code, 0, text.stdout);
    assert.deepEqual([json.diagnostics, json.unchecked, json.summary.total_unchecked], [[], [], 0]);
    const only = await rocky(["compliance", "--exceptions-only", "--no-cache"], { cwd: SHOP });
    assert.doesNotMatch(only.stdout, /No classified columns found/);
    assert.match(only.stdout, /No classified column has an exception\.\n\n\n {2}classified=12, masked=12, exceptions=0\n/);
  });

  it("--exceptions-only with exceptions through lineage says those are on unclassified columns (it read as a contradiction)", async () => {
    // The example PR's export: an unclassified copy of stg_customers.email.
    const copy = scratchCopy(SHOP);
    cleanups.push(copy.cleanup);
    const dir = copy.dir;
    for (const f of ["customer_contacts.sql", "customer_contacts.toml"]) writeFileSync(join(dir, "models", f), readFileSync(join(SHOP_PR, "models", f)));
    const only = await rocky(["compliance", "--exceptions-only", "--no-cache"], { cwd: dir });
    assert.match(only.stdout, /^ {2}No classified column has an exception; those below are unclassified columns that copy classified values\.$/m);
    assert.match(only.stdout, /^Exceptions:\n {2}- customer_contacts\.contact_email \[default\]: not classified, but carries 'pii' values unmasked/m);
  });

  it("a syntax error in [mask.prod]: the R002 at rocky.toml:31, exit 1 (prod was silently masked by [mask])", async () => {
    const dir = shopWith("rocky.toml", (t) => t.replace(/^pii = "redact"$/m, 'pii = "redact'));
    const { text, json } = await compliance(dir);
    assert.equal(text.code, 1, text.stdout);
    assert.deepEqual(configCodes(json), ["R002 rocky.toml:31"]);
    assert.equal(json.diagnostics[0].key, "mask.prod");
    assert.match(text.stdout, /Configuration problems that bear on masking.*\n {2}error\[R002\]: invalid TOML: unterminated string.*\n {4}--> rocky\.toml:31:7\n/);
    assert.equal((await rocky(["compliance", "--env", "prod", "--fail-on", "exception"], { cwd: dir })).code, 1);
    // Without --fail-on, informational as in Rocky.
    assert.equal((await rocky(["compliance"], { cwd: dir })).code, 0);
  });

  it("an unset ${VAR} in [mask.prod]: named at its line, exit 1", async () => {
    const dir = shopWith("rocky.toml", (t) => t.replace(/^pii = "redact"$/m, 'pii = "${PROD_PII}"'));
    const { text, json } = await compliance(dir);
    assert.equal(text.code, 1);
    assert.deepEqual(configCodes(json), ["R002 rocky.toml:31"]);
    assert.match(json.diagnostics[0].message, /PROD_PII/);
    // Set, it loads and passes.
    assert.equal((await compliance(dir, [], { PROD_PII: "redact" })).text.code, 0);
  });

  it("a broken sidecar: its model is unchecked (not silently dropped), in text and JSON, cold and from the cache", async () => {
    const dir = shopWith("models/stg_customers.toml", (t) => t.replace(/^email = "pii"$/m, 'email = "pii'));
    const cold = await compliance(dir);
    assert.equal(cold.text.code, 1);
    assert.deepEqual(configCodes(cold.json), ["R002 models/stg_customers.toml:5"]);
    assert.deepEqual(cold.json.unchecked.map((u) => [u.model, u.file, u.line, u.code, u.whole_model]), [["stg_customers", "models/stg_customers.toml", 5, "R002", true]]);
    assert.equal(cold.json.summary.total_unchecked, 1);
    assert.match(cold.text.stdout, /\nUnchecked:\n {2}- stg_customers: its \[classification\] did not load: what the model classifies is unknown \(R002 at models\/stg_customers\.toml:5\)\n/);
    const warm = await compliance(dir);
    assert.equal(warm.text.stdout, cold.text.stdout);
    assert.deepEqual(warm.json, cold.json);
  });

  it("an unreadable sidecar: R007 at the file, the model unchecked", async () => {
    // Root reads a chmod 000 file: a NUL byte makes it unreadable as text all the same (binary, at the NUL).
    const copy = scratchCopy(SHOP);
    cleanups.push(copy.cleanup);
    appendFileSync(join(copy.dir, "models/stg_customers.toml"), "\0");
    const { text, json } = await compliance(copy.dir);
    assert.equal(text.code, 1);
    const lines = readFileSync(join(copy.dir, "models/stg_customers.toml"), "utf8").split("\n").length;
    assert.deepEqual(configCodes(json), [`R007 models/stg_customers.toml:${lines}`]);
    assert.deepEqual(json.unchecked.map((u) => [u.model, u.code]), [["stg_customers", "R007"]]);
    assert.equal(json.per_column.some((c) => c.model === "stg_customers"), false);
  });

  it("a misspelt classification key is not counted as masked: R012 at its line, the column unchecked", async () => {
    const dir = shopWith("models/stg_customers.toml", (t) => t.replace(/^email = "pii"$/m, 'emial = "pii"'));
    const { text, json } = await compliance(dir);
    assert.equal(text.code, 1);
    assert.equal(json.per_column.some((c) => c.column === "emial"), false);
    assert.equal(json.summary.total_classified, 10);
    assert.deepEqual(configCodes(json), ["R012 models/stg_customers.toml:5"]);
    assert.deepEqual(json.unchecked.map((u) => [u.model, u.columns, u.code, u.line]), [["stg_customers", ["emial"], "R012", 5]]);
    assert.doesNotMatch(text.stdout, /emial \(pii\) ->/);
  });

  it("a key set twice in [mask]: the exceptions name the R002 as their cause, not a strategy to add", async () => {
    const dir = shopWith("rocky.toml", (t) => t.replace(/^financial = "none"$/m, 'financial = "none"\npii = "hash"'));
    const { text, json } = await compliance(dir);
    assert.equal(text.code, 1);
    assert.deepEqual(configCodes(json), ["R002 rocky.toml:29"]);
    assert.ok(json.exceptions.length > 0);
    for (const e of json.exceptions.filter((x) => x.reason.startsWith("no masking strategy"))) assert.match(e.reason, /; rocky\.toml:29 did not load \(R002\), so one may be missing: fix that first$/);
  });

  it("a [classification] misplaced in _defaults.toml classifies nothing: said, exit 1; a broken [freshness] in a sidecar is not compliance's", async () => {
    const misplaced = shopWith("models/_defaults.toml", (t) => `${t}\n[classification]\nemail = "pii"\n`);
    const m = await compliance(misplaced);
    assert.equal(m.text.code, 1);
    assert.deepEqual(m.json.diagnostics.map((d) => [d.code, d.span?.file, d.key]), [["R002", "models/_defaults.toml", "classification"]]);
    const freshness = shopWith("models/stg_customers.toml", (t) => t.replace(/^time_column = "signed_up_at"$/m, 'time_column = "signed_up_at'));
    const f = await compliance(freshness);
    assert.equal(f.text.code, 0, f.text.stdout);
    assert.deepEqual([f.json.diagnostics, f.json.unchecked], [[], []]);
  });
});
