import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { INPUT_SPECS, multiLineSecrets, parseInputs } from "../../action/src/inputs.js";
import { planEvent } from "../../action/src/plan-event.js";
import { tomlEnv } from "../../action/src/run.js";
import { mergeGroupEvent, pullRequestEvent, pushEvent } from "../support/webhooks.js";

describe("Action inputs", () => {
  test("action.yml documents exactly the inputs run() parses, with the same defaults", () => {
    const manifest = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as { inputs: Record<string, { default?: string }>; runs: { using: string; main: string } };

    assert.deepEqual(Object.keys(manifest.inputs).sort(), INPUT_SPECS.map((s) => s.name).sort());
    for (const spec of INPUT_SPECS) if (spec.name !== "github-token") assert.equal(manifest.inputs[spec.name].default ?? "", spec.default, spec.name);
    assert.equal(manifest.inputs["github-token"].default, "${{ github.token }}");
    assert.deepEqual(manifest.runs, { using: "node24", main: "action/dist/index.js" });
  });

  test("the README's and docs/github.md's workflows give the Action only inputs action.yml declares, and the permissions it needs", () => {
    const manifest = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as { inputs: Record<string, unknown> };
    let steps = 0;
    for (const doc of ["README.md", "docs/github.md"]) {
      const text = readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8");
      for (const [, block] of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        // A fragment (a step's `with:`, a job's `strategy:` and `steps:`) is indented as in its workflow: dedent it.
        const indent = Math.min(...block.split("\n").filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
        const yaml = parse(block.replace(new RegExp(`^ {${indent}}`, "gm"), "")) as Record<string, unknown>;
        const found: Record<string, unknown>[] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v !== null && typeof v === "object") {
            const o = v as Record<string, unknown>;
            if (typeof o.uses === "string" && o.uses.startsWith("rocky-data/rocky-review")) found.push((o.with ?? {}) as Record<string, unknown>);
            else if ("with" in o && !("uses" in o)) found.push(o.with as Record<string, unknown>);
            Object.values(o).forEach(walk);
          }
        };
        walk(yaml);
        for (const inputs of found) {
          steps++;
          for (const key of Object.keys(inputs)) assert.ok(key in manifest.inputs, `${doc}: input \`${key}\` is not in action.yml`);
        }
        const permissions = yaml.permissions as Record<string, string> | undefined;
        if (permissions !== undefined && found.length > 0) assert.equal(permissions.checks, "write", `${doc}: the check runs need checks: write`);
      }
    }
    assert.ok(steps >= 4, `found ${steps} uses of the Action in the docs`);
  });

  test("defaults and a full set parse into one typed object", () => {
    const values: Record<string, string> = { "github-token": "t", "fail-on": "contracts=warning", "target-dialect": "dbx", "warehouse-env": "A=1\n# note\nB=two=2", "branch-schema": "on" };

    const parsed = parseInputs((n) => values[n] ?? "");

    assert.ok(parsed.ok);
    assert.equal(parsed.value.targetDialect, "databricks");
    assert.equal(parsed.value.failOn["rocky/contracts"], "warning");
    assert.deepEqual(parsed.value.warehouseEnv, { A: "1", B: "two=2" });
    assert.equal(parsed.value.branchSchema, true);
    assert.equal(parsed.value.comment, "update");
    assert.equal(parsed.value.workingDirectory, ".");
  });

  test("project-name: trimmed; empty means none (the plain check names); a name unfit for a check name is refused", () => {
    const parse = (name: string) => parseInputs((n) => (n === "github-token" ? "t" : n === "project-name" ? name : ""));

    const name = (text: string) => {
      const parsed = parse(text);
      assert.ok(parsed.ok, text);
      return parsed.value.projectName;
    };
    assert.equal(name(" finance "), "finance");
    assert.equal(name("data/finance-2.v1"), "data/finance-2.v1");
    assert.equal(name(""), undefined);
    for (const bad of ["finance data", "fin\nance", "x".repeat(41), "fin-", "<!-- -->", "a,b"]) assert.equal(parse(bad).ok, false, bad);
  });

  test("input messages say what to give: fail-on levels, a relative working-directory, decimal max-inline-comments", () => {
    const errors = (values: Record<string, string>) => {
      const parsed = parseInputs((n) => ({ "github-token": "t", ...values })[n] ?? "");
      return parsed.ok ? [] : parsed.errors;
    };

    for (const level of ["errors", "Error"]) {
      assert.match(errors({ "fail-on": level })[0], new RegExp(`^fail-on: "${level}" is not a level \\(did you mean "error"\\?\\): give one level for every check \\(error, warning, never\\) or a level per check, e\\.g\\. "contracts=error,cost=never"`));
    }
    for (const dir of ["/etc", "\\\\server\\share", "C:\\repo"]) {
      assert.deepEqual(errors({ "working-directory": dir }), [`working-directory: "${dir}" is an absolute path; give the project's directory relative to the repository root (e.g. "analytics", or "." for the root)`]);
    }
    for (const count of ["0x10", "1e2", "0b1", "5.0", "-1", "+3"]) assert.match(errors({ "max-inline-comments": count })[0] ?? "", /^max-inline-comments: ".*" is not a whole number of comments \(decimal digits/, count);
    const parsed = parseInputs((n) => ({ "github-token": "t", "max-inline-comments": " 5 " })[n] ?? "");
    assert.ok(parsed.ok);
    assert.equal(parsed.value.maxInlineComments, 5);
  });

  test("warehouse-env takes multi-line values in $GITHUB_ENV's KEY<<DELIMITER form (a PEM key), beside KEY=value lines", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    const text = `SNOWFLAKE_ACCOUNT=xy12345\nSNOWFLAKE_PRIVATE_KEY<<EOF\n${pem}\nEOF\n# a comment\nSNOWFLAKE_USER=ci\r\nOTHER<<END_OF_VALUE\r\none=1\r\nEND_OF_VALUE`;

    const parsed = parseInputs((n) => (n === "github-token" ? "t" : n === "warehouse-env" ? text : ""));

    assert.ok(parsed.ok, parsed.ok ? "" : parsed.errors.join());
    assert.deepEqual(parsed.value.warehouseEnv, { SNOWFLAKE_ACCOUNT: "xy12345", SNOWFLAKE_PRIVATE_KEY: pem, SNOWFLAKE_USER: "ci", OTHER: "one=1" });
    // Each line of a multi-line value is masked (the runner masks a multi-line secret only whole); single-line values are left alone.
    assert.deepEqual(multiLineSecrets(parsed.value.warehouseEnv), ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQC7", "-----END PRIVATE KEY-----"]);
  });

  test("warehouse-env: a delimiter never closed is an error naming the input and the line, never the value", () => {
    const text = "A=1\nSNOWFLAKE_PRIVATE_KEY<<EOF\n-----BEGIN PRIVATE KEY-----\nsecretline\nEOF_NOT";

    const parsed = parseInputs((n) => (n === "github-token" ? "t" : n === "warehouse-env" ? text : ""));

    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.errors, ["warehouse-env line 2: SNOWFLAKE_PRIVATE_KEY<<EOF is never closed: end the value with a line holding only EOF"]);
  });

  test("every mistake is reported at once", () => {
    const values: Record<string, string> = { "working-directory": "../x", "max-inline-comments": "-1", "warehouse-env": "nonsense", "branch-schema": "maybe" };

    const parsed = parseInputs((n) => values[n] ?? "");

    assert.ok(!parsed.ok);
    assert.equal(parsed.errors.length, 5);
  });
});

describe("event plans", () => {
  test("pull_request actions, fork detection, closed/merged", () => {
    assert.equal(planEvent("pull_request", pullRequestEvent({ action: "ready_for_review", headSha: "a", baseSha: "b" }), undefined).kind, "review");
    assert.deepEqual(planEvent("pull_request", pullRequestEvent({ action: "opened", headSha: "a", baseSha: "b", forkRepo: "x/y" }), undefined), { kind: "review", pr: 2, headSha: "a", baseSha: "b", author: "analyst", fork: true, readOnlyToken: true, target: false });
    assert.deepEqual(planEvent("pull_request", pullRequestEvent({ action: "closed", headSha: "a", baseSha: "b", merged: true, mergeCommitSha: "m" }), undefined), { kind: "closed", pr: 2, merged: true, mergeSha: "m", baseSha: "b" });
    assert.equal(planEvent("pull_request", { ...pullRequestEvent({ action: "opened", headSha: "a", baseSha: "b" }), action: "labeled" }, undefined).kind, "ignore");
  });

  test("pull_request_target: a fork's token can write (the workflow runs in the base repository); pull_request: a fork's token is read-only", () => {
    const fork = pullRequestEvent({ action: "opened", headSha: "a", baseSha: "b", forkRepo: "x/y" });
    const same = pullRequestEvent({ action: "opened", headSha: "a", baseSha: "b" });

    assert.deepEqual(planEvent("pull_request_target", fork, undefined), { kind: "review", pr: 2, headSha: "a", baseSha: "b", author: "analyst", fork: true, readOnlyToken: false, target: true });
    assert.deepEqual(planEvent("pull_request", fork, undefined), { kind: "review", pr: 2, headSha: "a", baseSha: "b", author: "analyst", fork: true, readOnlyToken: true, target: false });
    for (const event of ["pull_request", "pull_request_target"]) assert.equal((planEvent(event, same, undefined) as { readOnlyToken: boolean }).readOnlyToken, false, event);
  });

  test("push to the default branch only; merge groups; workflow_run needs a review file", () => {
    assert.deepEqual(planEvent("push", pushEvent({ ref: "refs/heads/main", after: "c" }), undefined), { kind: "production", sha: "c", ref: "refs/heads/main" });
    assert.deepEqual(planEvent("push", pushEvent({ ref: "refs/heads/main", before: "d", after: "c" }), undefined), { kind: "production", sha: "c", ref: "refs/heads/main", before: "d" });
    assert.equal(planEvent("push", pushEvent({ ref: "refs/heads/feature", after: "c" }), undefined).kind, "ignore");
    assert.deepEqual(planEvent("merge_group", mergeGroupEvent({ headSha: "h", baseSha: "b" }), undefined), { kind: "merge-group", headSha: "h", baseSha: "b" });
    assert.equal(planEvent("workflow_run", { workflow_run: { head_sha: "h" } }, undefined).kind, "ignore");
    assert.deepEqual(planEvent("workflow_run", { workflow_run: { head_sha: "h" } }, "f.json"), { kind: "replay", headSha: "h" });
  });
});

describe("TOML environment", () => {
  test("the runner's credentials never reach ${VAR} in the PR's rocky.toml", () => {
    const env = tomlEnv({ ACTIONS_RUNTIME_TOKEN: "x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "y", "INPUT_GITHUB-TOKEN": "z", GITHUB_TOKEN: "t", RUNNER_TEMP: "/t", WAREHOUSE: "prod", HOME: "/h" }, { DBX_TOKEN: "s" });

    assert.deepEqual(env, { WAREHOUSE: "prod", HOME: "/h", DBX_TOKEN: "s" });
  });
});
