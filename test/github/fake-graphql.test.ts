import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Octokit } from "@octokit/rest";
import { type FakeGitHub, startFakeGitHub } from "../support/fake-github.js";
import { validateGraphql } from "../support/fake-github/graphql-validator.js";

const TOKEN = "ghs_graphql";
const PR_WRITE_ONLY = "ghs_pr_write_only";
const READ_ONLY = "ghs_read_only";
const BOT = { login: "github-actions[bot]", type: "Bot" } as const;
const THREADS = `query($owner: String!, $repo: String!, $pr: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $pr) {
    reviewThreads(first: 100, after: $cursor) {
      nodes { id isResolved resolvedBy { login } viewerCanResolve comments(first: 1) { totalCount nodes { id author { __typename login } body } } }
      pageInfo { hasNextPage endCursor }
    }
  } }
}`;
const RESOLVE = "mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }";

let gh: FakeGitHub;

function client(token = TOKEN) {
  return new Octokit({ auth: token, baseUrl: gh.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

describe("the fake GitHub's GraphQL endpoint", () => {
  before(async () => {
    gh = await startFakeGitHub({
      staticTokens: {
        [TOKEN]: { user: BOT },
        [PR_WRITE_ONLY]: { user: BOT, permissions: { pull_requests: "write", contents: "read" } },
        [READ_ONLY]: { user: BOT, readOnly: true },
      },
    });
  });
  after(() => gh.close());
  beforeEach(() => {
    gh.reset();
    gh.addPull({ number: 2, headSha: "a".repeat(40), baseSha: "b".repeat(40), files: [] });
  });

  test("an unknown field is refused as GitHub does (200 with errors) and recorded as invalid", async () => {
    await assert.rejects(client().graphql("query { repository(owner: \"Codertocat\", name: \"Hello-World\") { pullRequest(number: 2) { reviewThreadz(first: 1) { totalCount } } } }"), (e: { errors?: { message: string }[] }) =>
      /Cannot query field "reviewThreadz" on type "PullRequest"/.test(e.errors?.[0]?.message ?? ""),
    );

    assert.equal(gh.invalid().length, 1);
    assert.equal(gh.invalid()[0].status, 200);
    assert.match(gh.invalid()[0].error ?? "", /reviewThreadz/);
  });

  test("variables are coerced to their declared types: a missing or mistyped one is an error", () => {
    const missing = validateGraphql({ query: THREADS, variables: { owner: "o", repo: "r" } });
    const mistyped = validateGraphql({ query: THREADS, variables: { owner: "o", repo: "r", pr: "2" } });
    const fine = validateGraphql({ query: THREADS, variables: { owner: "o", repo: "r", pr: 2 } });

    assert.ok(!missing.ok && /\$pr/.test(missing.errors[0].message));
    assert.ok(!mistyped.ok && /Int cannot represent/.test(mistyped.errors[0].message));
    assert.ok(fine.ok);
  });

  test("GitHub's pagination rules: first or last is required, at most 100", () => {
    const none = validateGraphql({ query: "query { repository(owner: \"o\", name: \"r\") { pullRequest(number: 1) { reviewThreads { totalCount } } } }" });
    const tooMany = validateGraphql({ query: "query($n: Int) { repository(owner: \"o\", name: \"r\") { pullRequest(number: 1) { reviewThreads(first: $n) { totalCount } } } }", variables: { n: 101 } });

    assert.ok(!none.ok && /must provide a `first` or `last` value to properly paginate the `reviewThreads` connection/.test(none.errors[0].message));
    assert.ok(!tooMany.ok && /Requesting 101 records on the `reviewThreads` connection exceeds the `first` limit of 100/.test(tooMany.errors[0].message));
  });

  test("a syntax error and a body without a query are refused", () => {
    const broken = validateGraphql({ query: "query { repository(" });
    const empty = validateGraphql({});

    assert.ok(!broken.ok && /Syntax Error/.test(broken.errors[0].message) && broken.errors[0].locations?.[0].line === 1);
    assert.ok(!empty.ok);
  });

  test("review threads are built from the stored review comments, replies joined by in_reply_to; bots' logins lose [bot]", async () => {
    const first = gh.addReviewComment(2, { path: "models/orders.sql", line: 3, body: "finding", user: BOT });
    gh.addReviewComment(2, { body: "why?", user: { login: "analyst", type: "User" }, in_reply_to: first.id });
    gh.addReviewComment(2, { path: "models/orders.sql", line: 5, body: "a human's thread", user: { login: "reviewer", type: "User" } });

    const data = (await client().graphql(THREADS, { owner: "Codertocat", repo: "Hello-World", pr: 2 })) as any;

    const nodes = data.repository.pullRequest.reviewThreads.nodes;
    assert.equal(nodes.length, 2);
    assert.deepEqual(nodes[0].comments.nodes[0].author, { __typename: "Bot", login: "github-actions" });
    assert.equal(nodes[0].comments.totalCount, 2);
    assert.equal(nodes[1].comments.nodes[0].author.login, "reviewer");
    assert.deepEqual(gh.invalid(), []);
  });

  test("threads page 100 at a time with cursors", async () => {
    for (let i = 0; i < 130; i++) gh.addReviewComment(2, { line: 3, body: `t${i}`, user: BOT });

    const one = (await client().graphql(THREADS, { owner: "Codertocat", repo: "Hello-World", pr: 2 })) as any;
    const page = one.repository.pullRequest.reviewThreads;
    const two = (await client().graphql(THREADS, { owner: "Codertocat", repo: "Hello-World", pr: 2, cursor: page.pageInfo.endCursor })) as any;

    assert.equal(page.nodes.length, 100);
    assert.equal(page.pageInfo.hasNextPage, true);
    assert.equal(two.repository.pullRequest.reviewThreads.nodes.length, 30);
    assert.equal(two.repository.pullRequest.reviewThreads.pageInfo.hasNextPage, false);
    assert.equal(two.repository.pullRequest.reviewThreads.nodes[0].comments.nodes[0].body, "t100");
  });

  test("resolve and unresolve change the thread; who resolved it shows only for a person", async () => {
    const first = gh.addReviewComment(2, { line: 3, body: "finding", user: BOT });
    const id = `PRRT_${first.id}`;

    const resolved = (await client().graphql(RESOLVE, { id })) as any;
    assert.deepEqual(resolved.resolveReviewThread.thread, { id, isResolved: true });
    assert.equal(gh.reviewThreads(2)[0].resolved, true);
    await client().graphql("mutation($id: ID!) { unresolveReviewThread(input: {threadId: $id}) { thread { isResolved } } }", { id });
    assert.equal(gh.reviewThreads(2)[0].resolved, false);
    gh.setResolved(first.id, { login: "analyst", type: "User" });
    const listed = (await client().graphql(THREADS, { owner: "Codertocat", repo: "Hello-World", pr: 2 })) as any;
    assert.deepEqual(listed.repository.pullRequest.reviewThreads.nodes[0].resolvedBy, { login: "analyst" });
  });

  test("permissions: a read-only token and a token without contents: write may not resolve (FORBIDDEN), and viewerCanResolve says so", async () => {
    const first = gh.addReviewComment(2, { line: 3, body: "finding", user: BOT });

    for (const token of [READ_ONLY, PR_WRITE_ONLY]) {
      await assert.rejects(client(token).graphql(RESOLVE, { id: `PRRT_${first.id}` }), (e: { errors?: { type?: string; message: string }[] }) => e.errors?.[0]?.type === "FORBIDDEN" && /Resource not accessible by integration/.test(e.errors[0].message));
    }
    const listed = (await client(PR_WRITE_ONLY).graphql(THREADS, { owner: "Codertocat", repo: "Hello-World", pr: 2 })) as any;

    assert.equal(listed.repository.pullRequest.reviewThreads.nodes[0].viewerCanResolve, false);
    assert.equal(gh.reviewThreads(2)[0].resolved, false);
    assert.deepEqual(gh.invalid(), []);
  });

  test("an unknown thread id is NOT_FOUND", async () => {
    await assert.rejects(client().graphql(RESOLVE, { id: "PRRT_999999" }), (e: { errors?: { type?: string }[] }) => e.errors?.[0]?.type === "NOT_FOUND");
  });
});
