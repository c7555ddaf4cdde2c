import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { withFingerprint } from "../../review/src/github/markers.js";
import type { SavedReview } from "../../review/src/github/saved-review.js";
import type { RenderedReview } from "../../review/src/report/rendered.js";
import { parse as parseYaml } from "yaml";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview, ORDERS_PATCH } from "../support/fake-github/canned-review.js";
import { mergeGroupEvent, pullRequestEvent } from "../support/webhooks.js";
import { runAction } from "./action-harness.js";

const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);
const TOKEN = "ghs_action_token";
const ACTIONS_BOT = { login: "github-actions[bot]", type: "Bot" } as const;

let gh: FakeGitHub;

/**
 * The `permissions:` of the first workflow in a Markdown file that has one (README.md,
 * docs/github.md), in the API's spelling, plus the metadata: read every GITHUB_TOKEN has.
 */
function documentedPermissions(file: string, workflow = 0): Record<string, "read" | "write"> {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]) as { permissions?: Record<string, "read" | "write"> } | null).filter((w) => w?.permissions);
  const permissions = blocks[workflow]?.permissions ?? {};
  return { metadata: "read", ...Object.fromEntries(Object.entries(permissions).map(([k, v]) => [k.replace(/-/g, "_"), v])) };
}

function savedReview(rendered: RenderedReview = cannedReview(), headSha = HEAD): string {
  const path = join(tmpdir(), `canned-${Math.random().toString(36).slice(2)}.json`);
  const saved: SavedReview = { kind: "rocky-review", version: 1, generatedAt: new Date().toISOString(), pullRequest: { number: 2, headSha, baseSha: BASE, author: "analyst" }, rendered, report: { version: 1 } };
  writeFileSync(path, JSON.stringify(saved));
  return path;
}

function prRun(inputs: Record<string, string>, payload = pullRequestEvent({ action: "synchronize", headSha: HEAD, baseSha: BASE }), event = "pull_request") {
  return runAction({ apiUrl: gh.url, event, payload, inputs: { "github-token": TOKEN, ...inputs } });
}

describe("the bundled Action, run as the runner runs it", () => {
  before(async () => {
    gh = await startFakeGitHub({
      staticTokens: {
        [TOKEN]: { user: ACTIONS_BOT },
        ghs_read_only: { user: ACTIONS_BOT, readOnly: true },
        // The GITHUB_TOKEN of the workflows the README and docs/github.md tell users to copy.
        ghs_readme: { user: ACTIONS_BOT, permissions: documentedPermissions("README.md") },
        ghs_docs_post: { user: ACTIONS_BOT, permissions: documentedPermissions("docs/github.md", 1) },
        ghs_pull_requests_read: { user: ACTIONS_BOT, permissions: { metadata: "read", contents: "read", checks: "write", pull_requests: "read" } },
        // A workflow with `permissions: contents: read`: everything but resolving a review thread.
        ghs_contents_read: { user: ACTIONS_BOT, permissions: { contents: "read", checks: "write", pull_requests: "write", issues: "write" } },
      },
    });
  });
  after(() => gh.close());
  beforeEach(() => {
    gh.reset();
    gh.addPull({ number: 2, headSha: HEAD, baseSha: BASE, author: "analyst", files: [{ filename: "models/orders.sql", patch: ORDERS_PATCH }] });
  });

  test("pull_request: posts checks, the sticky comment and one review; outputs, summary, exit by fail-on; ≤ 7 writes", async () => {
    const run = await prRun({ "review-file": savedReview() });

    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /::error::Rocky review: rocky\/portability failed/);
    assert.deepEqual(gh.invalid(), []);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.reviews.length, 1);
    assert.ok(gh.writes().length <= 7, `writes: ${gh.writes().map((w) => w.operationId)}`);
    assert.equal(run.outputs.verdict, "fail");
    assert.equal(run.outputs.errors, "1");
    assert.equal(run.outputs.warnings, "2");
    assert.equal(run.outputs["changed-columns"], "2");
    assert.equal(run.outputs["blast-radius"], "7");
    assert.equal(run.outputs["cost-delta-monthly"], "12.5");
    assert.equal(run.outputs.posted, "true");
    assert.equal(JSON.parse(readFileSync(run.outputs["report-path"], "utf8")).kind, "rocky-review");
    assert.match(run.summary, /## Rocky review: fail/);
    assert.match(run.summary, /Posted: comment created/);
    assert.doesNotMatch(run.stdout, /::warning file=/, "no duplicate workflow annotations when check runs were posted");
    assert.ok(gh.requests.every((r) => r.auth === `token ${TOKEN}`));
  });

  test("a draft PR is reviewed and posted like any other (its required checks never wait)", async () => {
    const run = await prRun({ "review-file": savedReview() }, pullRequestEvent({ action: "opened", headSha: HEAD, baseSha: BASE, draft: true }));

    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
  });

  test("the README's workflow permissions are enough, and the least: checks: write and pull-requests: write, no issues: write", async () => {
    assert.deepEqual(documentedPermissions("README.md"), { metadata: "read", contents: "read", checks: "write", pull_requests: "write" });

    const first = await prRun({ "github-token": "ghs_readme", "review-file": savedReview(cannedReview({ verdict: "advisory" })) });
    const worse = await prRun({ "github-token": "ghs_readme", "review-file": savedReview(cannedReview({ verdict: "fail", comment: "worse" })), comment: "hide-and-new" });

    assert.equal(first.outputs.posted, "true", first.stdout);
    assert.equal(worse.outputs.posted, "true", worse.stdout);
    assert.deepEqual(gh.invalid(), []);
    assert.ok(gh.requests.every((r) => r.status !== 403), "nothing refused");
    assert.equal(gh.reviews.length, 1);
    // The sticky comment (created, then hidden and posted anew) and the "got worse" notice.
    assert.equal(gh.comments.length, 3);
    assert.equal(gh.comments[0].minimized, true);
  });

  test("the docs' workflow_run poster's permissions are enough to replay a saved review", async () => {
    assert.equal(documentedPermissions("docs/github.md", 1).issues, undefined);
    const run = await runAction({ apiUrl: gh.url, event: "workflow_run", payload: { action: "completed", workflow_run: { head_sha: HEAD } }, inputs: { "github-token": "ghs_docs_post", "review-file": savedReview() } });

    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.equal(gh.comments.length, 1);
  });

  test("with pull-requests: read only, the comment and the review are refused, and the error names pull-requests: write (not issues: write)", async () => {
    const run = await prRun({ "github-token": "ghs_pull_requests_read", "review-file": savedReview() });

    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 0);
    assert.equal(run.outputs.posted, "false");
    assert.match(run.stdout, /sticky comment: POST \/repos\/Codertocat\/Hello-World\/issues\/2\/comments → 403 Resource not accessible by integration\. The token may not do this: add `permissions: pull-requests: write`/);
    assert.doesNotMatch(run.stdout, /issues: write/);
  });

  test("an unchanged re-run writes nothing", async () => {
    const file = savedReview();
    await prRun({ "review-file": file });
    gh.clearRequests();

    const run = await prRun({ "review-file": file });

    assert.deepEqual(gh.writes(), []);
    assert.match(run.summary, /comment unchanged/);
  });

  test("fail-on never: advisory, exit 0", async () => {
    const rendered = cannedReview({ verdict: "advisory", conclusions: { "rocky/portability": "neutral" } });

    const run = await prRun({ "review-file": savedReview(rendered), "fail-on": "never" });

    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.verdict, "advisory");
  });

  test("fork PR: nothing posted, review in the summary and annotations, exit by policy, no crash", async () => {
    const payload = pullRequestEvent({ action: "opened", headSha: HEAD, baseSha: BASE, forkRepo: "forker/Hello-World" });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, inputs: { "github-token": "ghs_read_only", "review-file": savedReview() } });

    assert.equal(run.code, 1);
    assert.deepEqual(gh.writes(), []);
    assert.match(run.summary, /## Rocky review: fail/);
    assert.match(run.summary, /fork pull request/);
    assert.match(run.stdout, /::warning title=P001 finding 0,file=models\/orders.sql,line=3,endLine=3,col=3,endColumn=9::finding number 0/);
    assert.equal(run.outputs.posted, "false");
    assert.doesNotMatch(run.stdout + run.stderr, /TypeError|at .*\.js:\d+/);
  });

  test("fork PR with 15 findings: 10 workflow annotations (GitHub shows 10 per level per step), the rest counted in the summary", async () => {
    const payload = pullRequestEvent({ action: "opened", headSha: HEAD, baseSha: BASE, forkRepo: "forker/Hello-World" });

    const run = await runAction({ apiUrl: gh.url, event: "pull_request", payload, inputs: { "github-token": "ghs_read_only", "review-file": savedReview(cannedReview({ annotations: 15 })) } });

    assert.equal(run.stdout.match(/^::warning title=P001/gm)?.length, 10);
    assert.match(run.summary, /5 more findings are not shown as annotations \(GitHub shows 10 per level per step\)/);
  });

  test("a read-only token on a same-repo PR (403 on write) is reported, annotations instead", async () => {
    const run = await prRun({ "github-token": "ghs_read_only", "review-file": savedReview() });

    assert.equal(run.code, 1);
    assert.match(run.summary, /Not posted to the pull request: the token cannot write check runs: Resource not accessible by integration/);
    assert.match(run.stdout, /::warning title=P001/);
  });

  test("502 then success, and a secondary rate limit then success", async () => {
    gh.fault({ operationId: "checks/create", status: 502, times: 2 });
    gh.fault({ operationId: "issues/create-comment", status: 403, message: "You have exceeded a secondary rate limit", headers: { "retry-after": "1" } });

    const run = await prRun({ "review-file": savedReview() });

    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
  });

  test("a check run, the comment and the review GitHub applied before answering 502 are not posted twice", async () => {
    for (const operationId of ["checks/create", "issues/create-comment", "pulls/create-review"]) gh.fault({ operationId, status: 502, apply: true });

    const run = await prRun({ "review-file": savedReview() });

    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.reviews.length, 1);
    assert.equal(run.outputs["comment-url"], `https://github.com/Codertocat/Hello-World/pull/2#issuecomment-${gh.comments[0].id}`);
  });

  test("a 422 on one check run: the other checks, the comment and the review are still posted; outputs, summary, one error naming the request; the step fails", async () => {
    gh.fault({ operationId: "checks/create", status: 422, message: "Validation Failed", after: 3 });
    const passing = cannedReview({ verdict: "pass", conclusions: { "rocky/portability": "success" } });

    const run = await prRun({ "review-file": savedReview(passing) });

    assert.equal(run.code, 1, run.stdout);
    assert.deepEqual([...gh.checkRuns.values()].map((r) => r.name).sort(), ["rocky/compile", "rocky/contracts", "rocky/cost", "rocky/masking"]);
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.reviews.length, 1);
    assert.equal(run.outputs.verdict, "pass");
    assert.equal(run.outputs.posted, "false");
    assert.match(run.outputs["comment-url"], /#issuecomment-/);
    assert.match(run.stdout, /::error title=Rocky review%3A posting failed::.*check rocky\/portability: POST \/repos\/Codertocat\/Hello-World\/check-runs → 422 Validation Failed/);
    assert.equal(run.stdout.match(/^::error/gm)?.length, 1, run.stdout);
    assert.match(run.summary, /Posted in part: comment created/);
    assert.match(run.summary, /check rocky\/portability/);
    // The refused check's annotations are shown as workflow annotations; the posted checks' are not repeated.
    assert.equal(run.stdout.match(/^::warning title=P001/gm)?.length, 1);
  });

  test("no checks: write: the comment and the review are still posted; the error says to add checks: write; a passing review still fails the step", async () => {
    gh.fault({ operationId: "checks/create", status: 403, message: "Resource not accessible by integration", times: 99 });
    const passing = cannedReview({ verdict: "pass", conclusions: { "rocky/portability": "success" } });

    const run = await prRun({ "review-file": savedReview(passing) });

    assert.equal(run.code, 1, run.stdout);
    assert.equal(gh.checkRuns.size, 0);
    assert.equal(gh.requests.filter((r) => r.operationId === "checks/create").length, 1, "a refused token is not retried for every check");
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.reviews.length, 1);
    assert.match(run.stdout, /permissions: checks: write/);
    assert.match(run.summary, /permissions: checks: write/);
    assert.equal(run.outputs.posted, "false");
    assert.match(run.outputs["comment-url"], /#issuecomment-/);
    assert.match(run.stdout, /::warning title=P001/, "annotations stand in for the checks that were not posted");
  });

  test("a personal access token (checks need an App token): the error names github-token and the GITHUB_TOKEN; the comment is posted", async () => {
    gh.fault({ operationId: "checks/create", status: 403, message: "You must authenticate via a GitHub App.", times: 99 });

    const run = await prRun({ "review-file": savedReview() });

    assert.equal(run.code, 1);
    assert.equal(gh.comments.length, 1);
    assert.match(run.stdout, /`github-token` is a token that cannot create check runs.*GITHUB_TOKEN.*GitHub App installation token/);
  });

  test("403 on the inline review: checks and comment posted, posted=false with the comment's URL, no duplicate annotations", async () => {
    gh.fault({ operationId: "pulls/create-review", status: 403, message: "Resource not accessible by integration", times: 99 });

    const run = await prRun({ "review-file": savedReview() });

    assert.equal(run.code, 1);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 1);
    assert.equal(run.outputs.posted, "false");
    assert.match(run.outputs["comment-url"], /#issuecomment-/);
    assert.match(run.stdout, /inline review: POST \/repos\/Codertocat\/Hello-World\/pulls\/2\/reviews → 403 .*pull-requests: write/);
    assert.doesNotMatch(run.stdout, /::warning title=P001/, "the check runs carry the annotations");
  });

  test("a persistent 500 on the comment: reported as failed (not skipped), comment-url empty; a 500 listing check runs still writes them", async () => {
    gh.fault({ operationId: "issues/create-comment", status: 500, times: 99 });
    gh.fault({ operationId: "checks/list-for-ref", status: 500, times: 99 });
    const passing = cannedReview({ verdict: "pass", conclusions: { "rocky/portability": "success" } });

    const run = await prRun({ "review-file": savedReview(passing) }, undefined);

    assert.equal(run.code, 1, run.stdout);
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 0);
    assert.equal(run.outputs.posted, "false");
    assert.equal(run.outputs["comment-url"], "");
    assert.match(run.summary, /sticky comment: POST \/repos\/Codertocat\/Hello-World\/issues\/2\/comments → 500/);
    assert.doesNotMatch(run.summary, /comment skipped/);
  });

  test("a 5,000-finding PR stays within every limit through the bundle", async () => {
    const rendered = cannedReview({ annotations: 5000, comment: `## Rocky review: fail\n\n${"| m | c |\n".repeat(9000)}` });

    const run = await prRun({ "review-file": savedReview(rendered) });

    assert.deepEqual(gh.invalid(), []);
    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.ok([...gh.comments[0].body].length <= 65_536);
    const portability = [...gh.checkRuns.values()].find((r) => r.name === "rocky/portability")!;
    assert.equal(portability.annotations.length, 500);
    assert.ok(gh.requests.every((r) => ((r.body as { output?: { annotations?: unknown[] } })?.output?.annotations?.length ?? 0) <= 50));
  });

  test("merge_group: checks on the merge group head, no comment", async () => {
    const groupHead = "e".repeat(40);

    const run = await runAction({ apiUrl: gh.url, event: "merge_group", payload: mergeGroupEvent({ headSha: groupHead, baseSha: BASE }), inputs: { "github-token": TOKEN, "review-file": savedReview(cannedReview({ verdict: "pass", conclusions: { "rocky/portability": "success" } }), groupHead) } });

    assert.equal(run.code, 0, run.stdout);
    assert.ok([...gh.checkRuns.values()].every((r) => r.head_sha === groupHead));
    assert.equal(gh.checkRuns.size, 5);
    assert.equal(gh.comments.length, 0);
  });

  test("a saved review for another head is refused", async () => {
    const run = await prRun({ "review-file": savedReview(cannedReview(), "f".repeat(40)) });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /refusing to post it/);
    assert.deepEqual(gh.writes(), []);
  });

  test("workflow_run replays a fork PR's saved review with the trusted head SHA", async () => {
    const payload = { action: "completed", workflow_run: { head_sha: HEAD, event: "pull_request", pull_requests: [] }, repository: { full_name: "Codertocat/Hello-World" } };

    const run = await runAction({ apiUrl: gh.url, event: "workflow_run", payload, inputs: { "github-token": TOKEN, "review-file": savedReview() } });

    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.equal(gh.comments.length, 1);
    assert.equal(gh.checkRuns.size, 5);
  });

  test("two projects in one repository (project-name): ten checks, two comments, two reviews; a re-run of one touches only its own", async () => {
    const finance = savedReview(cannedReview({ verdict: "pass", conclusions: { "rocky/portability": "success" } }));
    const marketing = savedReview(cannedReview({ verdict: "fail" }));

    const first = await prRun({ "review-file": finance, "project-name": "finance", "working-directory": "finance" });
    const financeChecks = JSON.stringify([...gh.checkRuns.values()]);
    const financeComment = JSON.stringify(gh.comments);
    const second = await prRun({ "review-file": marketing, "project-name": "marketing", "working-directory": "marketing" });

    assert.equal(first.code, 0, first.stdout);
    assert.equal(second.code, 1, second.stdout);
    assert.match(second.stdout, /rocky\/portability \(marketing\) failed/);
    assert.deepEqual(gh.invalid(), []);
    const names = [...gh.checkRuns.values()].map((r) => r.name).sort();
    assert.deepEqual(names, ["finance", "marketing"].flatMap((p) => ["compile", "contracts", "cost", "masking", "portability"].map((c) => `rocky/${c} (${p})`)).sort());
    assert.equal(JSON.stringify([...gh.checkRuns.values()].slice(0, 5)), financeChecks, "the second project leaves the first's checks untouched");
    assert.equal(gh.comments.length, 2);
    assert.equal(JSON.stringify(gh.comments[0]), JSON.stringify(JSON.parse(financeComment)[0]), "the second project leaves the first's comment untouched");
    assert.ok(gh.comments[0].body.startsWith("<!-- rocky-review:v1 project=finance -->"));
    assert.match(gh.comments[0].body, /## Rocky review \(finance\): pass/);
    assert.ok(gh.comments[1].body.startsWith("<!-- rocky-review:v1 project=marketing -->"));
    assert.equal(gh.reviews.length, 2, "each project's inline comments are its own (same finding, two projects)");
    assert.equal(second.outputs.posted, "true");
    assert.equal(JSON.parse(readFileSync(second.outputs["report-path"], "utf8")).project, "marketing", "the saved review keeps the name for the workflow_run step");

    // finance gets worse: only finance's checks and comment change, and the notice names it.
    const marketingComment = JSON.stringify(gh.comments[1]);
    const before = gh.checkRuns.size;
    gh.clearRequests();
    const rerun = await prRun({ "review-file": savedReview(cannedReview({ verdict: "fail" })), "project-name": "finance", "working-directory": "finance" });

    assert.equal(rerun.code, 1, rerun.stdout);
    assert.deepEqual(gh.invalid(), []);
    const added = [...gh.checkRuns.values()].slice(before);
    assert.deepEqual(added.map((r) => r.name), ["rocky/portability (finance)"]);
    assert.equal(JSON.stringify(gh.comments[1]), marketingComment);
    assert.match(gh.comments[0].body, /## Rocky review \(finance\): fail/);
    assert.equal(gh.comments.length, 3);
    assert.match(gh.comments[2].body, /^<!-- rocky-review:notice project=finance -->\n@analyst Rocky review \(finance\) got worse/);
    assert.equal(gh.reviews.length, 2, "the finding finance already commented on is not repeated");
    assert.deepEqual(gh.writes().map((w) => w.operationId).sort(), ["checks/create", "issues/create-comment", "issues/update-comment"]);
  });

  test("project-name that cannot be a check name suffix is refused before anything is posted", async () => {
    for (const name of ["finance data", "a\nb", "x".repeat(41), "-lead", "fin)"]) {
      const run = await prRun({ "review-file": savedReview(), "project-name": name });

      assert.equal(run.code, 1, name);
      assert.match(run.stdout, /project-name: .* must be 1 to 40 letters/, name);
    }
    assert.deepEqual(gh.writes(), []);
  });

  test("workflow_run posts a saved review under the project-name its pull_request run had; another name is refused", async () => {
    const payload = { action: "completed", workflow_run: { head_sha: HEAD, event: "pull_request", pull_requests: [] }, repository: { full_name: "Codertocat/Hello-World" } };
    const file = savedReview();
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), project: "finance" }));

    const refused = await runAction({ apiUrl: gh.url, event: "workflow_run", payload, inputs: { "github-token": TOKEN, "review-file": file, "project-name": "marketing" } });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /review-file is for project-name "finance", not "marketing"/);
    assert.deepEqual(gh.writes(), []);

    const run = await runAction({ apiUrl: gh.url, event: "workflow_run", payload, inputs: { "github-token": TOKEN, "review-file": file } });
    assert.equal(run.outputs.posted, "true", run.stdout);
    assert.ok([...gh.checkRuns.values()].every((r) => r.name.endsWith(" (finance)")));
    assert.ok(gh.comments[0].body.startsWith("<!-- rocky-review:v1 project=finance -->"));
  });

  test("a review-file that is not there: the error names the input and the path; nothing posted", async () => {
    const run = await prRun({ "review-file": "rocky-review/missing.json" });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error::Rocky review failed: review-file: no file at rocky-review\/missing\.json, i\.e\. \/.*\/rocky-review\/missing\.json; give the path of the saved review/);
    assert.deepEqual(gh.writes(), []);
  });

  test("Bad credentials (401 on every request): one error naming the github-token input, nothing was posted", async () => {
    const run = await prRun({ "github-token": "ghs_expired", "review-file": savedReview() });

    assert.equal(run.code, 1);
    assert.equal(gh.checkRuns.size + gh.comments.length, 0);
    assert.match(run.stdout, /::error title=Rocky review%3A posting failed::Rocky review could not post to the pull request \(nothing was posted\):%0A- every request → 401 Bad credentials \(first: POST \/repos\/Codertocat\/Hello-World\/check-runs\)\. GitHub refused the `github-token` input \(invalid or expired\)/);
    assert.match(run.summary, /Not posted to the pull request:\n\n- every request → 401/);
    assert.doesNotMatch(run.summary, /Posted in part/);
  });

  test("invalid inputs fail with every problem named", async () => {
    const run = await prRun({ "fail-on": "contract=error", comment: "sometimes", "target-dialect": "oracle" });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /unknown check \\"contract\\"|unknown check "contract"/);
    assert.match(run.stdout, /comment: \\"sometimes\\"|comment: "sometimes"/);
    assert.match(run.stdout, /target-dialect/);
  });

  test("warehouse-env with a multi-line secret (KEY<<EOF … EOF): accepted, each of its lines masked before anything is logged", async () => {
    const keyLines = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", "-----END PRIVATE KEY-----"];
    const warehouseEnv = `SNOWFLAKE_ACCOUNT=xy12345\nSNOWFLAKE_PRIVATE_KEY<<EOF\n${keyLines.join("\n")}\nEOF\n`;

    const run = await prRun({ "review-file": savedReview(), "warehouse-env": warehouseEnv });

    assert.equal(run.outputs.posted, "true", run.stdout);
    const stdout = run.stdout.split("\n");
    const firstMask = stdout.findIndex((l) => l.startsWith("::add-mask::"));
    assert.deepEqual(stdout.filter((l) => l.startsWith("::add-mask::")), keyLines.map((l) => `::add-mask::${l}`));
    assert.ok(stdout.slice(0, firstMask).every((l) => !keyLines.some((k) => l.includes(k))), "nothing before the masks shows the key");
  });

  test("warehouse-env with a delimiter never closed: the error names the input and the line, not the value; nothing posted", async () => {
    const run = await prRun({ "review-file": savedReview(), "warehouse-env": "SNOWFLAKE_PRIVATE_KEY<<EOF\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n" });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /invalid inputs%0A- warehouse-env line 1: SNOWFLAKE_PRIVATE_KEY<<EOF is never closed: end the value with a line holding only EOF/);
    assert.doesNotMatch(run.stdout + run.stderr, /BEGIN PRIVATE KEY|MIIEvQIBADANBgkqhkiG9w0BAQEF/);
    assert.deepEqual(gh.writes(), []);
  });

  test("the thread of a finding fixed since the last run is resolved; with contents: read it stays open with a warning, and the rest is posted", async () => {
    const fixedThread = gh.addReviewComment(2, { path: "models/orders.sql", line: 3, body: withFingerprint("**P001** fixed since", "P001:orders:old"), user: ACTIONS_BOT });
    const rendered = { ...cannedReview(), findingFingerprints: ["P001:orders:amount:3"] };

    const refused = await prRun({ "github-token": "ghs_contents_read", "review-file": savedReview(rendered) });

    assert.equal(gh.reviewThreads(2).find((t) => t.comments[0].id === fixedThread.id)?.resolved, false);
    assert.match(refused.stdout, /::warning::Rocky review: 1 review thread of Rocky's findings left as it is: .*contents: write/);
    assert.equal(refused.outputs.posted, "true");
    assert.equal(gh.checkRuns.size, 5);

    // resolve-threads: off leaves it open, and says nothing about threads.
    const off = await prRun({ "review-file": savedReview(rendered), "resolve-threads": "off" });

    assert.equal(gh.reviewThreads(2).find((t) => t.comments[0].id === fixedThread.id)?.resolved, false);
    assert.doesNotMatch(off.stdout, /::warning::/);
    assert.doesNotMatch(off.summary, /review thread/);

    const run = await prRun({ "review-file": savedReview(rendered) });

    assert.equal(gh.reviewThreads(2).find((t) => t.comments[0].id === fixedThread.id)?.resolved, true);
    assert.doesNotMatch(run.stdout, /::warning::/);
    assert.match(run.summary, /, 1 review thread of fixed findings resolved, /);
    assert.deepEqual(gh.invalid(), []);
  });

  test("pull_request closed with branch-schema off: nothing dropped, nothing said about a schema, exit 0", async () => {
    const run = await prRun({}, pullRequestEvent({ action: "closed", headSha: HEAD, baseSha: BASE, merged: true, mergeCommitSha: "c".repeat(40) }));

    assert.equal(run.code, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /drop|branch schema/i);
    assert.deepEqual(gh.writes(), []);
  });
});
