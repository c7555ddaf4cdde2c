import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { parseCommand } from "../../app/src/commands.js";
import { REQUIRED_PERMISSIONS } from "../../app/src/permissions.js";
import { DEFAULT_SETTINGS, parseRepoSettings } from "../../app/src/repo-settings.js";
import { RunRegistry, SupersededError } from "../../app/src/run-registry.js";

describe(".github/rocky.yml", () => {
  test("absent or empty: defaults", () => {
    assert.deepEqual(parseRepoSettings(undefined), { ok: true, value: DEFAULT_SETTINGS });
    assert.deepEqual(parseRepoSettings("\n"), { ok: true, value: DEFAULT_SETTINGS });
  });

  test("every setting, fail-on as a map or a string", () => {
    const parsed = parseRepoSettings("fail-on:\n  contracts: warning\n  cost: never\ncomment: hide-and-new\nenv: prod\ntarget-dialect: snowflake\nworking-directory: analytics\nproduction-run: on\nbranch-schema: true\ninline-comments: off\nmax-inline-comments: 5\nresolve-threads: off\n");

    assert.ok(parsed.ok);
    assert.equal(parsed.value.failOn["rocky/contracts"], "warning");
    assert.equal(parsed.value.failOn["rocky/cost"], "never");
    assert.equal(parsed.value.comment, "hide-and-new");
    assert.equal(parsed.value.workingDirectory, "analytics");
    assert.equal(parsed.value.productionRun, true);
    assert.equal(parsed.value.branchSchema, true);
    assert.equal(parsed.value.inlineComments, false);
    assert.equal(parsed.value.maxInlineComments, 5);
    assert.equal(parsed.value.resolveThreads, false);
    assert.equal(DEFAULT_SETTINGS.resolveThreads, true);
    assert.deepEqual(parseRepoSettings("resolve-threads: maybe\n").ok, false);
  });

  test("target-dialect takes the Action's names, short ones too (one parser); project-name as the Action's input", () => {
    for (const [given, dialect] of [["dbx", "databricks"], ["sf", "snowflake"], ["bq", "bigquery"], ["Snowflake", "snowflake"], ["duckdb", "duckdb"]]) {
      const parsed = parseRepoSettings(`target-dialect: ${given}\n`);
      assert.ok(parsed.ok, given);
      assert.equal(parsed.value.targetDialect, dialect, given);
    }
    const named = parseRepoSettings("project-name: finance\n");
    assert.ok(named.ok);
    assert.equal(named.value.projectName, "finance");
    assert.equal(DEFAULT_SETTINGS.projectName, undefined);

    const bad = parseRepoSettings("comment: update\ntarget-dialect: oracle\nproject-name: finance data\n");
    assert.ok(!bad.ok);
    assert.deepEqual(bad.problems, [
      { line: 2, message: 'target-dialect: "oracle" is not one of dbx, databricks, sf, snowflake, bq, bigquery, duckdb' },
      { line: 3, message: 'project-name: "finance data" must be 1 to 40 letters, digits, \'.\', \'_\', \'/\' or \'-\', starting and ending with a letter or digit (it goes into check names such as "rocky/contracts (finance)")' },
    ]);
    // An invalid file that names its project still gives the name, for the failed checks.
    const invalid = parseRepoSettings("project-name: finance\ncomment: sometimes\n");
    assert.ok(!invalid.ok);
    assert.equal(invalid.projectName, "finance");
  });

  test("mistakes carry their line", () => {
    const parsed = parseRepoSettings("comment: update\nwrking-directory: x\nworking-directory: ../up\n");

    assert.ok(!parsed.ok);
    assert.deepEqual(
      parsed.problems.map((p) => p.line),
      [2, 3],
    );
    assert.match(parsed.problems[0].message, /unknown setting "wrking-directory"/);
  });

  test("a per-check fail-on map: each wrong entry on its own line, in its own words", () => {
    const parsed = parseRepoSettings("comment: update\nfail-on:\n  masking: error\n  contracts: errors\n  costs: never\n");

    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.problems, [
      { line: 4, message: 'fail-on: contracts: "errors" is not a level; expected error, warning or never' },
      { line: 5, message: 'fail-on: unknown check "costs"; expected one of compile, contracts, masking, portability, cost' },
    ]);
    const flow = parseRepoSettings("fail-on: {contracts: errors}\n");
    assert.ok(!flow.ok);
    assert.deepEqual(flow.problems.map((p) => p.line), [1]);
    assert.doesNotMatch(flow.problems[0].message, /contracts=errors/);
  });

  test("aliases, lists, mappings and binary values (found by the fuzz campaign): an alias is its anchor's value, the rest are named in words, never \"[object Object]\"", () => {
    const reused = parseRepoSettings("env: &e prod\nproject-name: *e\nfail-on:\n  contracts: &w warning\n  cost: *w\n");
    assert.ok(reused.ok, JSON.stringify(reused));
    assert.equal(reused.value.projectName, "prod");
    assert.equal(reused.value.failOn["rocky/cost"], "warning");

    const bad = parseRepoSettings("comment: *nowhere\nfail-on:\n  contracts: *gone\ntarget-dialect: { name: sf }\nproject-name: [a, b]\nenv: !!binary aGk=\nresolve-threads: *x\n");
    assert.ok(!bad.ok);
    assert.deepEqual(bad.problems, [
      { line: 1, message: "comment: the alias *nowhere names no anchor (&nowhere) before it" },
      { line: 3, message: "fail-on: contracts: the alias *gone names no anchor (&gone) before it" },
      { line: 4, message: "target-dialect: a mapping is not one of dbx, databricks, sf, snowflake, bq, bigquery, duckdb" },
      { line: 5, message: "project-name: expected a name, found a list" },
      { line: 6, message: "env: expected an environment name" },
      { line: 7, message: "resolve-threads: the alias *x names no anchor (&x) before it" },
    ]);
    const list = parseRepoSettings("fail-on: [error]\ncomment: [update]\n");
    assert.ok(!list.ok);
    assert.deepEqual(list.problems, [
      { line: 1, message: "fail-on: expected one level (error, warning, never) or a map of check: level, found a list" },
      { line: 2, message: "comment: a list is not one of update, hide-and-new, off" },
    ]);
  });

  test("broken YAML is a located problem, not an exception", () => {
    const parsed = parseRepoSettings("comment: [update\n");

    assert.ok(!parsed.ok);
    assert.match(parsed.problems[0].message, /invalid YAML/);
    assert.deepEqual(parseRepoSettings("- a\n- b\n").ok, false);
  });
});

describe("/rocky commands", () => {
  test("parsing", () => {
    assert.equal(parseCommand("/rocky review"), "review");
    assert.equal(parseCommand("thanks!\n/rocky run\n"), "run");
    assert.equal(parseCommand("/rocky"), "help");
    assert.equal(parseCommand("/rocky dance"), "help");
    assert.equal(parseCommand("I ran /rocky review yesterday"), undefined);
  });
});

describe("run registry", () => {
  test("a newer head aborts the older run with SupersededError; finish forgets only its own run", () => {
    const runs = new RunRegistry();
    const a = runs.start("o/r#1", "a".repeat(40));
    const b = runs.start("o/r#1", "b".repeat(40));
    runs.finish("o/r#1", a.id);
    const c = runs.start("o/r#1", "c".repeat(40));

    assert.ok(a.signal.aborted && a.signal.reason instanceof SupersededError);
    assert.equal(b.signal.aborted, true, "b was still active when c started");
    assert.equal(c.signal.aborted, false);
  });

  test("production runs of one repository go in turn, in push order, even when one fails; another repository's do not wait", async () => {
    const runs = new RunRegistry();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = runs.inTurn("production o/r", async () => {
      events.push("start 1");
      await gate;
      events.push("end 1");
      throw new Error("the first push's run failed");
    });
    const second = runs.inTurn("production o/r", async () => {
      events.push("start 2");
    });
    const other = runs.inTurn("production o/other", async () => {
      events.push("start other");
    });
    await other;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ["start 1", "start other"], "the second push waits for the first");

    release();
    await assert.rejects(first, /the first push's run failed/);
    await second;
    assert.deepEqual(events, ["start 1", "start other", "end 1", "start 2"]);
  });
});

describe("app.yml", () => {
  test("least permissions and the events the handlers need", () => {
    const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
    const source = readFileSync(new URL("../../app/src/create-app.ts", import.meta.url), "utf8");
    const handled = [...new Set([...source.matchAll(/"(pull_request|check_run|check_suite|issue_comment|push)(?:\.[a-z_]+)?"/g)].map((m) => m[1]))].sort();

    assert.deepEqual([...manifest.default_events].sort(), handled);
    assert.deepEqual(manifest.default_permissions, { checks: "write", pull_requests: "write", issues: "read", contents: "read", metadata: "read" });
    assert.deepEqual(Object.fromEntries(Object.entries(REQUIRED_PERMISSIONS).map(([name, p]) => [name, p.level])), manifest.default_permissions, "the start-up permission warning checks app.yml's permissions");
  });

  test("GitHub accepts the manifest: every default event is supported by a permission it asks for", () => {
    const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
    // The permission that lets a GitHub App subscribe to each event (GitHub's webhook events
    // reference); registration fails with "Default events are not supported by permissions: …".
    const EVENT_PERMISSION: Record<string, string> = { pull_request: "pull_requests", check_run: "checks", check_suite: "checks", issue_comment: "issues", push: "contents" };

    const unsupported = manifest.default_events.filter((event) => !(EVENT_PERMISSION[event] && manifest.default_permissions[EVENT_PERMISSION[event]]));
    assert.deepEqual(unsupported, []);
  });
});
