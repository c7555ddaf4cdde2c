import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Octokit } from "@octokit/rest";
import { withFingerprint } from "../../review/src/github/markers.js";
import type { GitHubClient } from "../../review/src/github/github-client.js";
import { publishReview } from "../../review/src/github/publish-review.js";
import { createResiliencePlugin } from "../../review/src/github/resilience.js";
import { syncReviewThreads } from "../../review/src/github/review-threads.js";
import type { InlineComment, RenderedReview } from "../../review/src/report/rendered.js";
import { type FakeGitHub, type FakeUser, startFakeGitHub } from "../support/fake-github.js";
import { cannedReview, ORDERS_PATCH } from "../support/fake-github/canned-review.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD = "a".repeat(40);
const TOKEN = "ghs_threads";
/** A workflow token with `contents: read`: it may post everything but may not resolve a thread. */
const NO_CONTENTS_WRITE = "ghs_contents_read";
const ACTIONS_BOT: FakeUser = { login: "github-actions[bot]", type: "Bot" };
const AUTHOR: FakeUser = { login: "analyst", type: "User" };
const REVIEWER: FakeUser = { login: "reviewer", type: "User" };
const OTHER_BOT: FakeUser = { login: "renovate[bot]", type: "Bot" };

let gh: FakeGitHub;

function client(token = TOKEN) {
  const Resilient = Octokit.plugin(createResiliencePlugin({ retries: 2, baseDelayMs: 1, retryAfterUnitMs: 1, writeSpacingMs: 0, secondaryFallbackMs: 1 }));
  const quiet = () => undefined;
  return new Resilient({ auth: token, baseUrl: gh.url, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
}

function finding(fingerprint: string, line = 3): InlineComment {
  return { path: "models/orders.sql", line, side: "RIGHT", body: `**P001** finding ${fingerprint}`, fingerprint };
}

/** A review whose current findings are `inline` plus `elsewhere` (findings outside the diff). */
function review(inline: readonly InlineComment[], options: { comment?: string; elsewhere?: readonly string[]; known?: boolean } = {}): RenderedReview {
  const rendered = cannedReview({ inline, ...(options.comment ? { comment: options.comment } : {}) });
  if (options.known === false) return rendered;
  return { ...rendered, findingFingerprints: [...inline.map((c) => c.fingerprint), ...(options.elsewhere ?? [])] };
}

function publish(rendered: RenderedReview, options: Partial<Parameters<typeof publishReview>[0]["options"]> = {}, token = TOKEN) {
  return publishReview({ octokit: client(token), owner: OWNER, repo: REPO, pr: 2, headSha: HEAD, rendered, options: { commentMode: "update", ...options } });
}

/** A thread a test seeds: its first comment by `user`, carrying `fingerprint`. */
function seedThread(fingerprint: string, user: FakeUser = ACTIONS_BOT) {
  return gh.addReviewComment(2, { path: "models/orders.sql", line: 3, body: withFingerprint(`finding ${fingerprint}`, fingerprint), user });
}

function threadOf(firstCommentId: number) {
  const thread = gh.reviewThreads(2).find((t) => t.comments[0].id === firstCommentId);
  assert.ok(thread, `thread of comment ${firstCommentId}`);
  return thread;
}

function threadWith(fingerprint: string) {
  const thread = gh.reviewThreads(2).find((t) => t.comments[0].body.includes(`rocky-review:fp ${fingerprint} `));
  assert.ok(thread, `thread of ${fingerprint}`);
  return thread;
}

const graphqlMutations = () => gh.requests.filter((r) => r.operationId === "graphql" && /^\s*mutation/.test(String((r.body as { query?: string })?.query)));
const graphqlReads = () => gh.requests.filter((r) => r.operationId === "graphql" && !/^\s*mutation/.test(String((r.body as { query?: string })?.query)));

describe("review threads of fixed findings", () => {
  before(async () => {
    gh = await startFakeGitHub({
      staticTokens: {
        [TOKEN]: { user: ACTIONS_BOT },
        [NO_CONTENTS_WRITE]: { user: ACTIONS_BOT, permissions: { contents: "read", checks: "write", pull_requests: "write", issues: "write" } },
      },
    });
  });
  after(() => gh.close());
  beforeEach(() => {
    gh.reset();
    gh.addPull({ number: 2, headSha: HEAD, baseSha: "b".repeat(40), author: AUTHOR.login, files: [{ filename: "models/orders.sql", patch: ORDERS_PATCH }] });
  });

  test("a fixed finding's thread is resolved on the next run; a finding still there keeps its thread open; one GraphQL write, counted", async () => {
    const first = await publish(review([finding("fp-a", 3), finding("fp-b", 4)]));
    assert.equal(first.review.posted, 2);
    assert.equal(graphqlReads().length, 0, "a first run has no threads to read");
    gh.clearRequests();

    const second = await publish(review([finding("fp-b", 4)], { comment: "one fixed" }));

    assert.equal(threadWith("fp-a").resolved, true);
    assert.equal(threadWith("fp-b").resolved, false);
    assert.deepEqual(second.threads, { resolved: 1, reopened: 0 });
    assert.equal(second.posted, true);
    assert.deepEqual(second.errors, []);
    assert.equal(graphqlMutations().length, 1);
    assert.equal(second.writes, gh.writes().length, "the GraphQL write is counted with the others");
    assert.equal(second.reads, gh.requests.filter((r) => r.method === "GET").length + graphqlReads().length);
    assert.deepEqual(gh.invalid(), []);

    gh.clearRequests();
    const third = await publish(review([finding("fp-b", 4)], { comment: "one fixed" }));
    assert.equal(third.writes, 0, "an unchanged re-run writes nothing");
    assert.deepEqual(gh.writes(), []);
  });

  test("a finding fixed everywhere resolves its thread even when nothing is left to comment on; a finding moved outside the diff does not", async () => {
    await publish(review([finding("fp-a", 3), finding("fp-b", 4)]));

    const result = await publish(review([], { comment: "all gone from the diff", elsewhere: ["fp-b"] }));

    assert.equal(threadWith("fp-a").resolved, true);
    assert.equal(threadWith("fp-b").resolved, false, "fp-b still exists, on a line outside the diff");
    assert.equal(result.threads.resolved, 1);
  });

  test("a comment posted under a finding's former identity (an earlier version's) is that finding's: not posted again, its thread left open", async () => {
    const old = seedThread("fp-line-text");
    const renamed = { ...finding("fp-construct", 3), formerFingerprints: ["fp-line-text"] };
    const rendered = { ...review([renamed]), findingFingerprints: ["fp-construct", "fp-line-text"] };

    const result = await publish(rendered);

    assert.equal(result.review.posted, 0, "already posted, under its former identity");
    assert.equal(threadOf(old.id).resolved, false);
    assert.deepEqual(result.threads, { resolved: 0, reopened: 0 });
    assert.deepEqual(gh.invalid(), []);
  });

  test("threads of people, of another bot and of another project are never touched", async () => {
    const human = seedThread("fp-h", REVIEWER);
    const otherBot = seedThread("fp-o", OTHER_BOT);
    const otherProject = seedThread("finance:0123456789abcdef");
    const ours = seedThread("fp-ours");

    const result = await publish(review([], { comment: "nothing left" }), { botLogin: ACTIONS_BOT.login });

    assert.equal(threadOf(ours.id).resolved, true);
    for (const untouched of [human, otherBot, otherProject]) assert.equal(threadOf(untouched.id).resolved, false);
    assert.equal(result.threads.resolved, 1);
    assert.deepEqual(gh.invalid(), []);
  });

  test("a named project resolves only its own threads", async () => {
    const unnamed = seedThread("fp-plain");
    const finance = seedThread("finance:0123456789abcdef");
    const marketing = seedThread("marketing:0123456789abcdef");

    const result = await publish(review([], { comment: "nothing left" }), { project: "finance" });

    assert.equal(threadOf(finance.id).resolved, true);
    assert.equal(threadOf(unnamed.id).resolved, false);
    assert.equal(threadOf(marketing.id).resolved, false);
    assert.equal(result.threads.resolved, 1);
  });

  test("a thread someone else replied in is left for people; the PR author's own reply does not keep it open", async () => {
    const asked = seedThread("fp-asked");
    gh.addReviewComment(2, { body: "Is this really a problem on Snowflake?", user: REVIEWER, in_reply_to: asked.id });
    const thanked = seedThread("fp-thanked");
    gh.addReviewComment(2, { body: "Fixed, thanks", user: AUTHOR, in_reply_to: thanked.id });

    const result = await publish(review([], { comment: "nothing left" }));

    assert.equal(threadOf(asked.id).resolved, false);
    assert.equal(threadOf(thanked.id).resolved, true);
    assert.equal(result.threads.resolved, 1);
  });

  test("a finding that comes back reopens its thread (one thread per finding); a thread a person resolved stays resolved", async () => {
    await publish(review([finding("fp-a", 3), finding("fp-b", 4)]));
    await publish(review([finding("fp-b", 4)], { comment: "fp-a fixed" }));
    assert.equal(threadWith("fp-a").resolved, true);
    gh.setResolved(threadWith("fp-b").comments[0].id, REVIEWER);

    const back = await publish(review([finding("fp-a", 3), finding("fp-b", 4)], { comment: "fp-a is back" }));

    assert.equal(threadWith("fp-a").resolved, false);
    assert.equal(threadWith("fp-b").resolved, true, "a person's resolution stands");
    assert.deepEqual(back.threads, { resolved: 0, reopened: 1 });
    assert.equal(back.review.posted, 0, "no second comment for fp-a");
    assert.equal(gh.reviewComments.length, 2);
  });

  test("no resolution when the current findings are not known (a compile error can hide them, or a saved review of an older version)", async () => {
    const ours = seedThread("fp-ours");

    const result = await publish(review([], { known: false }));

    assert.equal(threadOf(ours.id).resolved, false);
    assert.equal(result.threads.resolved, 0);
    assert.equal(gh.requests.filter((r) => r.operationId === "graphql" || r.operationId === "pulls/list-review-comments").length, 0, "nothing read for it");
  });

  test("a token that may not resolve threads (contents: read) posts everything else; the threads stay open with a note, not a failure", async () => {
    const ours = seedThread("fp-ours");

    const result = await publish(review([finding("fp-new", 3)]), {}, NO_CONTENTS_WRITE);

    assert.equal(threadOf(ours.id).resolved, false);
    assert.equal(result.posted, true);
    assert.deepEqual(result.failures, []);
    assert.equal(result.checks.length, 5);
    assert.equal(result.comment, "created");
    assert.equal(result.review.posted, 1);
    assert.match(result.errors.join("\n"), /1 review thread of Rocky's findings left as it is: .*may not resolve.*contents: write/);
    assert.equal(graphqlMutations().length, 0, "GitHub said so in viewerCanResolve: no refused write");
  });

  test("a GraphQL outage fails only the threads part: checks, comment and inline review are posted", async () => {
    const ours = seedThread("fp-ours");
    gh.fault({ operationId: "graphql", status: 502, times: 10 });

    const result = await publish(review([finding("fp-new", 3)]));

    assert.equal(result.checks.length, 5);
    assert.equal(result.comment, "created");
    assert.equal(result.review.posted, 1);
    assert.equal(threadOf(ours.id).resolved, false);
    assert.equal(result.posted, false);
    assert.deepEqual(result.failures.map((f) => [f.part, f.status]), [["review threads", 502]]);
    assert.match(result.reason ?? "", /^review threads: /);
  });

  test("one refused resolve is reported and the other threads are still resolved", async () => {
    const one = seedThread("fp-one");
    const two = seedThread("fp-two");
    // The listing passes; the first mutation fails on every attempt (3 with 2 retries).
    gh.fault({ operationId: "graphql", status: 500, after: 1, times: 3 });

    const result = await publish(review([], { comment: "nothing left" }));

    assert.equal(threadOf(one.id).resolved, false);
    assert.equal(threadOf(two.id).resolved, true);
    assert.equal(result.threads.resolved, 1);
    assert.deepEqual(result.failures.map((f) => [f.part, f.status]), [["review thread", 500]]);
  });

  test("threads are read page by page: a fixed finding's thread on the second page of 100 is resolved", async () => {
    const seeded = Array.from({ length: 130 }, (_, i) => seedThread(`fp-${i}`));
    const fixed = new Set([5, 120]);

    const result = await publish(review([], { comment: "two fixed", elsewhere: seeded.map((_, i) => `fp-${i}`).filter((_, i) => !fixed.has(i)) }));

    assert.equal(graphqlReads().length, 2);
    assert.deepEqual(
      seeded.flatMap((c, i) => (threadOf(c.id).resolved ? [i] : [])),
      [5, 120],
    );
    assert.equal(result.threads.resolved, 2);
    assert.deepEqual(gh.invalid(), []);
  });

  test("at most 50 thread writes per run; the rest on the next run, said in a note", async () => {
    Array.from({ length: 60 }, (_, i) => seedThread(`fp-${i}`));

    const first = await publish(review([], { comment: "all fixed" }));
    const second = await publish(review([], { comment: "all fixed" }));

    assert.equal(first.threads.resolved, 50);
    assert.match(first.errors.join("\n"), /10 more review threads are resolved or reopened on the next run/);
    assert.equal(first.posted, true);
    assert.equal(second.threads.resolved, 10);
    assert.ok(gh.reviewThreads(2).every((t) => t.resolved));
  });
});

describe("syncReviewThreads with GitHub's GraphQL refusal", () => {
  test("a FORBIDDEN resolve (the token passed viewerCanResolve) leaves the threads open with one note and is not asked again", async () => {
    const mutations: string[] = [];
    const thread = (n: number) => ({ id: `PRRT_${n}`, isResolved: false, resolvedBy: null, viewerCanResolve: true, viewerCanUnresolve: false, comments: { nodes: [{ id: `PRRC_${n}` }] } });
    const client: GitHubClient = {
      request: () => Promise.reject(new Error("no REST here")),
      graphql: async (query, params) => {
        if (!/^\s*mutation/.test(query)) return { repository: { pullRequest: { reviewThreads: { nodes: [thread(1), thread(2)], pageInfo: { hasNextPage: false, endCursor: null } } } } };
        mutations.push(String(params?.threadId));
        // What @octokit/graphql throws for GitHub's 200 with errors.
        throw Object.assign(new Error("Request failed due to following response errors:\n - Resource not accessible by integration"), { errors: [{ type: "FORBIDDEN", path: ["resolveReviewThread"], message: "Resource not accessible by integration" }] });
      },
    };
    const row = (n: number) => ({ id: n, node_id: `PRRC_${n}`, body: withFingerprint("finding", `fp-${n}`), user: { login: "rocky-review[bot]", type: "Bot" } });

    const result = await syncReviewThreads({ client, owner: OWNER, repo: REPO, pr: 2, comments: [row(1), row(2)], current: new Set(), present: new Set() });

    assert.deepEqual(mutations, ["PRRT_1"]);
    assert.equal(result.resolved, 0);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.notes.length, 1);
    assert.match(result.notes[0], /^2 review threads of Rocky's findings left as they are: GitHub refused: Resource not accessible by integration\. Resolving a review thread needs contents: write/);
  });
});
