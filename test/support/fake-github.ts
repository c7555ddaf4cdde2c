/**
 * A fake GitHub API on 127.0.0.1 for the Action's and the App's end-to-end tests.
 *
 * - Every REST request is validated against GitHub's OpenAPI description (method, path template,
 *   body schema); an invalid one is answered 422 and recorded with `valid: false`.
 * - Rules the schema lacks: comment bodies ≤ 65,536 characters ("Body is too long"), check-run
 *   summary/text ≤ 65,535 bytes, annotation columns only on single-line annotations, no
 *   `conclusion: stale`, review comments only on lines inside the served diff (a head line, or with `side: LEFT` a
 *   line the patch deletes; 422 "Line could not be resolved" for the whole review).
 * - State: pull requests (head SHA, files with patches), issue comments, reviews and review
 *   comments, check runs with appended annotations, reactions, minimized comments.
 * - Auth: an RS256 app JWT (verified with the app's public key when given) → installation token
 *   carrying the App's permissions (`installationPermissions`, e.g. app.yml's): a request needing a
 *   permission the token lacks, and any write by a read-only token, gets 403 "Resource not
 *   accessible by integration".
 * - GraphQL: every document is parsed and validated, with its variables, against GitHub's
 *   published schema (fake-github/graphql-validator.ts); an invalid one is answered like GitHub
 *   (HTTP 200, `{ errors }`) and recorded with `valid: false`. A valid one is executed against the
 *   fake's state: `repository.pullRequest.reviewThreads` (threads built from the stored review
 *   comments, replies joined by `in_reply_to`), `minimizeComment`, `resolveReviewThread`,
 *   `unresolveReviewThread`; a field the fake has no data for answers null (an error when non-null).
 *   Bots' GraphQL logins have no `[bot]` suffix, as on GitHub. Mutations by a read-only token, and
 *   fields needing a permission the token lacks, get GitHub's FORBIDDEN error.
 * - An optional `/api/v3` prefix (GHES); fault injection (status, headers, message, count; a write
 *   applied before the fault is answered; a dropped connection) and per-operation delays.
 */
import { createPublicKey, createVerify } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { execute, GraphQLError } from "graphql";
import { parse as parseYaml } from "yaml";
import { parsePatchLines } from "../../review/src/github/diff-lines.js";
import { type GraphqlValidation, githubError, githubSchema, validateGraphql } from "./fake-github/graphql-validator.js";
import { specExample, type Validation, validateRequest } from "./fake-github/openapi-validator.js";

export interface FakeUser {
  readonly login: string;
  readonly type: "User" | "Bot";
}

export interface FakeFile {
  readonly filename: string;
  readonly status?: "added" | "modified" | "removed" | "renamed";
  readonly patch?: string;
}

export interface FakePull {
  readonly number: number;
  headSha: string;
  readonly baseSha: string;
  readonly baseRef?: string;
  readonly headRef?: string;
  readonly author?: string;
  readonly authorAssociation?: string;
  /** Set for a fork PR (e.g. "forker/Hello-World"). */
  readonly headRepoFullName?: string;
  files: FakeFile[];
  state?: "open" | "closed";
  merged?: boolean;
  readonly mergeCommitSha?: string;
}

export interface FakeComment {
  readonly id: number;
  readonly node_id: string;
  readonly issue: number;
  body: string;
  readonly user: FakeUser;
  readonly created_at: string;
  updated_at: string;
  minimized: boolean;
}

export interface FakeReviewComment {
  readonly id: number;
  /** Absent for a reply posted on its own (not in a review). */
  readonly review_id?: number;
  readonly pull: number;
  readonly path: string;
  readonly line: number;
  /** LEFT: `line` is the base file's (a deleted line). Absent on comments added by a test (RIGHT). */
  readonly side?: "LEFT" | "RIGHT";
  readonly start_line?: number;
  readonly body: string;
  readonly user: FakeUser;
  /** The thread's first comment, when this one is a reply. */
  readonly in_reply_to?: number;
}

/** A review thread: a first comment and its replies, with its resolution. */
export interface FakeReviewThread {
  /** GraphQL node id (`PRRT_<first comment id>`). */
  readonly id: string;
  readonly pull: number;
  readonly comments: readonly FakeReviewComment[];
  readonly resolved: boolean;
  /** Who resolved it (a bot shows as null in GraphQL's `resolvedBy: User`). */
  readonly resolvedBy?: FakeUser;
}

export interface FakeReview {
  readonly id: number;
  readonly pull: number;
  readonly commit_id: string;
  readonly body: string;
  readonly event: string;
  readonly user: FakeUser;
  readonly comments: number[];
}

export interface FakeAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: string;
  readonly message: string;
  readonly title?: string;
}

export interface FakeCheckRun {
  readonly id: number;
  name: string;
  readonly head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string;
  details_url?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: FakeAnnotation[];
  started_at: string;
  completed_at: string | null;
  /** How many times the run was written (create + updates). */
  writes: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly operationId?: string;
  readonly body: unknown;
  readonly auth?: string;
  readonly userAgent?: string;
  readonly valid: boolean;
  readonly error?: string;
  status: number;
  /** The request changed state although its answer was an injected fault (`Fault.apply`). */
  applied?: boolean;
}

export interface Fault {
  /** Match by operationId ("issues/create-comment") or "graphql". */
  readonly operationId?: string;
  readonly method?: string;
  readonly status: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Let this many matching requests through first (e.g. 2: the third check-run create fails). */
  after?: number;
  /** Carry the request out first, then answer the fault: GitHub applied a write and still said 502. */
  readonly apply?: boolean;
  /** Close the connection instead of answering (with `apply`: the write landed, the answer never came). */
  readonly drop?: boolean;
}

export interface FakeGitHubOptions {
  /** "/api/v3" to mimic GitHub Enterprise Server. */
  readonly prefix?: string;
  readonly owner?: string;
  readonly repo?: string;
  /** The app's public key (PEM): app JWTs are verified against it and must name `appId`. */
  readonly appPublicKey?: string;
  readonly appId?: number;
  readonly appSlug?: string;
  /** Installation tokens issued are read-only when true (Action fork PR / read-only GITHUB_TOKEN). */
  readonly readOnlyInstallations?: boolean;
  /**
   * The permissions installation tokens carry (an App's manifest `default_permissions`): the token
   * response lists exactly these, and a request needing a permission the token lacks gets 403
   * "Resource not accessible by integration". Default: the `default_permissions` of the App's
   * manifest (app.yml), so a permission the App uses but does not ask for fails its tests.
   */
  readonly installationPermissions?: Readonly<Record<string, "read" | "write">>;
  /**
   * Tokens accepted without an app JWT exchange (the Action's GITHUB_TOKEN), each with its user and
   * access; `permissions` (a workflow's `permissions:` block, API spelling) limits it as it does an
   * installation token. Without it the token may do anything (a GITHUB_TOKEN with the old defaults).
   */
  readonly staticTokens?: Readonly<Record<string, { readonly user: FakeUser; readonly readOnly?: boolean; readonly permissions?: Readonly<Record<string, "read" | "write">> }>>;
}

export interface FakeGitHub {
  /** Base URL including the prefix (what Octokit's baseUrl / GITHUB_API_URL gets). */
  readonly url: string;
  /** Server origin without the prefix (GHE_HOST is 127.0.0.1:port). */
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly pulls: Map<number, FakePull>;
  readonly comments: FakeComment[];
  readonly reviews: FakeReview[];
  readonly reviewComments: FakeReviewComment[];
  readonly checkRuns: Map<number, FakeCheckRun>;
  /** Branch tips the API reports (`heads/main` → sha); a ref not here is a 404, as an unknown ref is on GitHub. */
  readonly refs: Map<string, string>;
  readonly reactions: { readonly commentId: number; readonly content: string }[];
  readonly issuedTokens: string[];
  addPull(pull: FakePull): FakePull;
  addComment(issue: number, body: string, user: FakeUser): FakeComment;
  /** A review comment outside any review (a human's thread, or a reply with `in_reply_to`). */
  addReviewComment(pull: number, comment: { readonly path?: string; readonly line?: number; readonly body: string; readonly user: FakeUser; readonly in_reply_to?: number }): FakeReviewComment;
  /** The PR's review threads, oldest first. */
  reviewThreads(pull: number): FakeReviewThread[];
  /** Resolves (or, with undefined, unresolves) a thread by its first comment's id, as a person in the UI would. */
  setResolved(firstCommentId: number, by: FakeUser | undefined): void;
  fault(fault: Fault): void;
  /** Drops faults not yet used up (between tests). */
  clearFaults(): void;
  delay(operationId: string, ms: number): void;
  /** Requests that changed something (not GET, not a GraphQL query, not token exchange). */
  writes(): RecordedRequest[];
  invalid(): RecordedRequest[];
  clearRequests(): void;
  /** Between tests: no pull, comment, review, review comment, check run, branch ref, reaction, resolution, fault or recorded request (tokens and delays stay). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The permission each operation the fake answers needs (any one alternative suffices): on a pull
 * request, GitHub accepts `pull_requests` for the issue-comment and reaction endpoints.
 */
const OPERATION_PERMISSIONS: Readonly<Record<string, readonly (readonly [string, "read" | "write"])[]>> = {
  "repos/get": [["metadata", "read"]],
  "pulls/get": [["pull_requests", "read"]],
  "pulls/list-files": [["pull_requests", "read"]],
  "pulls/list-review-comments": [["pull_requests", "read"]],
  "pulls/create-review": [["pull_requests", "write"]],
  "pulls/list-reviews": [["pull_requests", "read"]],
  "pulls/create-reply-for-review-comment": [["pull_requests", "write"]],
  "issues/list-comments": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "issues/create-comment": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "issues/update-comment": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "reactions/create-for-issue-comment": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "checks/create": [["checks", "write"]],
  "checks/update": [["checks", "write"]],
  "checks/get": [["checks", "read"]],
  "checks/list-for-ref": [["checks", "read"]],
  "git/get-ref": [["contents", "read"]],
  // GraphQL: checked per field (GRAPHQL_PERMISSIONS).
};

/**
 * What each GraphQL field the fake answers needs: every entry of a list (all of them). GitHub asks
 * for push access (contents: write) to resolve a review thread, on top of pull_requests: write,
 * although the mutation changes no file: reported in https://github.com/orgs/community/discussions/204269,
 * and an Actions GITHUB_TOKEN with only pull-requests: write is refused ("Resource not accessible by
 * integration", github/gh-aw#33137).
 */
const GRAPHQL_PERMISSIONS: Readonly<Record<string, readonly (readonly (readonly [string, "read" | "write"])[])[]>> = {
  pullRequest: [[["pull_requests", "read"]]],
  // Any one alternative: on a PR's comment, pull_requests: write suffices.
  minimizeComment: [[["pull_requests", "write"]], [["issues", "write"]]],
  resolveReviewThread: [
    [
      ["pull_requests", "write"],
      ["contents", "write"],
    ],
  ],
  unresolveReviewThread: [
    [
      ["pull_requests", "write"],
      ["contents", "write"],
    ],
  ],
};

/** app.yml's `default_permissions`: what GitHub grants the App's installation tokens. */
export function manifestPermissions(): Readonly<Record<string, "read" | "write">> {
  const manifest = parseYaml(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as { default_permissions?: Record<string, "read" | "write"> };
  return manifest.default_permissions ?? {};
}

/** Who a request's token acts as, and what it may do. */
interface Caller {
  readonly user: FakeUser;
  readonly readOnly: boolean;
  /** Enforced when present (installation tokens; static tokens given permissions). */
  readonly permissions?: Readonly<Record<string, "read" | "write">>;
}

const BOT_DEFAULT: FakeUser = { login: "rocky-review[bot]", type: "Bot" };
const COMMENT_LIMIT = 65_536;
const OUTPUT_BYTES = 65_535;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const prefix = options.prefix ?? "";
  const owner = options.owner ?? "Codertocat";
  const repo = options.repo ?? "Hello-World";
  const appBot: FakeUser = options.appSlug ? { login: `${options.appSlug}[bot]`, type: "Bot" } : BOT_DEFAULT;
  const requests: RecordedRequest[] = [];
  const pulls = new Map<number, FakePull>();
  const comments: FakeComment[] = [];
  const reviews: FakeReview[] = [];
  const reviewComments: FakeReviewComment[] = [];
  const checkRuns = new Map<number, FakeCheckRun>();
  const refs = new Map<string, string>();
  const reactions: { commentId: number; content: string }[] = [];
  const issuedTokens: string[] = [];
  const tokens = new Map<string, Caller>(Object.entries(options.staticTokens ?? {}).map(([t, v]) => [t, { user: v.user, readOnly: v.readOnly ?? false, ...(v.permissions ? { permissions: v.permissions } : {}) }]));
  /** Resolved threads: first comment id → who resolved it. */
  const resolutions = new Map<number, FakeUser>();
  const installationPermissions = options.installationPermissions ?? manifestPermissions();
  const faults: Fault[] = [];
  const delays = new Map<string, number>();
  let nextId = 1000;
  let origin = "";

  const now = () => new Date().toISOString();
  const userJson = (u: FakeUser) => ({ login: u.login, id: u.type === "Bot" ? 41898282 : 583231, node_id: "MDQ6VXNlcjE=", type: u.type, site_admin: false });
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    node_id: c.node_id,
    url: `${origin}${prefix}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${origin}${prefix}/repos/${owner}/${repo}/issues/${c.issue}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: "NONE",
  });
  const checkJson = (r: FakeCheckRun) => ({
    id: r.id,
    name: r.name,
    node_id: `CR_${r.id}`,
    head_sha: r.head_sha,
    external_id: r.external_id,
    url: `${origin}${prefix}/repos/${owner}/${repo}/check-runs/${r.id}`,
    html_url: `https://github.com/${owner}/${repo}/runs/${r.id}`,
    details_url: r.details_url ?? null,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.started_at,
    completed_at: r.completed_at,
    output: { ...r.output, annotations_count: r.annotations.length, annotations_url: `${origin}${prefix}/repos/${owner}/${repo}/check-runs/${r.id}/annotations` },
    check_suite: { id: 5 },
    app: { id: options.appId ?? 1, slug: options.appSlug ?? "rocky-review", name: "Rocky Review" },
    pull_requests: [],
  });
  const pullJson = (p: FakePull) => {
    const base = specExample<Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown>; user: Record<string, unknown> }>("pull-request");
    const baseRepo = { ...(base.base.repo as object), full_name: `${owner}/${repo}`, name: repo, owner: { ...((base.base.repo as { owner: object }).owner ?? {}), login: owner } };
    return {
      ...base,
      number: p.number,
      state: p.state ?? "open",
      merged: p.merged ?? false,
      merge_commit_sha: p.mergeCommitSha ?? null,
      author_association: p.authorAssociation ?? "MEMBER",
      user: { ...base.user, login: p.author ?? "octocat" },
      html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`,
      head: { ...base.head, sha: p.headSha, ref: p.headRef ?? "feature", repo: { ...baseRepo, full_name: p.headRepoFullName ?? `${owner}/${repo}`, fork: p.headRepoFullName !== undefined } },
      base: { ...base.base, sha: p.baseSha, ref: p.baseRef ?? "main", repo: baseRepo },
    };
  };

  function authenticate(auth: string | undefined, path: string, method: string, operationId?: string): Caller | undefined {
    if (path.startsWith("/app/")) {
      const jwt = /^bearer (.+)$/i.exec(auth ?? "")?.[1];
      if (!jwt) throw new HttpError(401, "A JSON web token could not be decoded");
      verifyJwt(jwt);
      return undefined;
    }
    const token = /^(?:token|bearer) (.+)$/i.exec(auth ?? "")?.[1];
    const known = token ? tokens.get(token) : undefined;
    if (!known) throw new HttpError(401, "Bad credentials");
    if (known.readOnly && method !== "GET" && !path.endsWith("/graphql")) throw new HttpError(403, "Resource not accessible by integration");
    const needs = known.permissions && operationId ? OPERATION_PERMISSIONS[operationId] : undefined;
    const granted = (name: string, level: "read" | "write") => known.permissions?.[name] === "write" || known.permissions?.[name] === level;
    if (needs && !needs.some(([name, level]) => granted(name, level))) throw new HttpError(403, "Resource not accessible by integration");
    return known;
  }

  function verifyJwt(jwt: string): void {
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) throw new HttpError(401, "A JSON web token could not be decoded");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown; exp?: number };
    if (options.appId !== undefined && String(claims.iss) !== String(options.appId)) throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
    if (!options.appPublicKey) return;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(createPublicKey(options.appPublicKey), Buffer.from(signature, "base64url"))) throw new HttpError(401, "A JSON web token could not be decoded");
  }

  function takeFault(operationId: string | undefined, method: string): Fault | undefined {
    const index = faults.findIndex((f) => (f.operationId === undefined || f.operationId === operationId) && (f.method === undefined || f.method === method));
    if (index < 0) return undefined;
    const fault = faults[index];
    if ((fault.after ?? 0) > 0) {
      fault.after = (fault.after ?? 0) - 1;
      return undefined;
    }
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  function page<T>(items: T[], query: URLSearchParams): T[] {
    const perPage = Math.min(Number(query.get("per_page") ?? 30), 100);
    const pageNo = Math.max(Number(query.get("page") ?? 1), 1);
    return items.slice((pageNo - 1) * perPage, pageNo * perPage);
  }

  function pullOr404(number: string | undefined): FakePull {
    const pull = pulls.get(Number(number));
    if (!pull) throw new HttpError(404, "Not Found");
    return pull;
  }

  function checkOutputRules(body: { conclusion?: string; output?: { summary?: string; text?: string; annotations?: FakeAnnotation[] & { start_column?: number }[] } }): void {
    if (body.conclusion === "stale") throw new HttpError(422, "Validation Failed", { errors: ["conclusion 'stale' can only be set by GitHub"] });
    for (const field of ["summary", "text"] as const) {
      const value = body.output?.[field];
      if (value !== undefined && Buffer.byteLength(value, "utf8") > OUTPUT_BYTES) throw new HttpError(422, "Invalid request.", { errors: [`${field} exceeds a maximum bytesize of 65535`] });
    }
    for (const a of (body.output?.annotations ?? []) as (FakeAnnotation & { start_column?: number; end_column?: number })[]) {
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) throw new HttpError(422, "Validation Failed", { errors: ["start_column and end_column may only be used when start_line equals end_line"] });
    }
  }

  function commentLength(body: string | undefined): void {
    if (body !== undefined && [...body].length > COMMENT_LIMIT) {
      throw new HttpError(422, "Validation Failed", { errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "Body is too long (maximum is 65536 characters)" }] });
    }
  }

  // Request bodies are JSON already validated against the OpenAPI schema above.
  function handle(v: Validation, method: string, body: any, query: URLSearchParams, caller: Caller | undefined): [number, unknown] {
    const p = v.params;
    switch (v.operationId) {
      case "apps/create-installation-access-token": {
        const token = `ghs_fake${nextId++}`;
        tokens.set(token, { user: appBot, readOnly: options.readOnlyInstallations ?? false, permissions: installationPermissions });
        issuedTokens.push(token);
        return [201, { ...specExample<Record<string, unknown>>("installation-token"), token, expires_at: new Date(Date.now() + 3600e3).toISOString(), permissions: { ...installationPermissions } }];
      }
      case "repos/get":
        return [200, { ...specExample<Record<string, unknown>>("full-repository-default-response"), name: repo, full_name: `${owner}/${repo}`, default_branch: "main" }];
      case "apps/get-repo-installation":
        return [200, { id: 1, account: { login: owner }, app_id: options.appId ?? 1, permissions: {} }];
      case "pulls/get":
        return [200, pullJson(pullOr404(p.pull_number))];
      case "pulls/list-files": {
        const pull = pullOr404(p.pull_number);
        const files = pull.files.map((f) => ({ sha: "0".repeat(40), filename: f.filename, status: f.status ?? "modified", additions: 1, deletions: 0, changes: 1, blob_url: "", raw_url: "", contents_url: "", ...(f.patch !== undefined ? { patch: f.patch } : {}) }));
        return [200, page(files, query)];
      }
      case "pulls/list-review-comments": {
        const pull = pullOr404(p.pull_number);
        const rows = reviewComments.filter((c) => c.pull === pull.number).map(reviewCommentJson);
        return [200, page(rows, query)];
      }
      case "pulls/create-reply-for-review-comment": {
        const pull = pullOr404(p.pull_number);
        const parent = reviewComments.find((c) => c.id === Number(p.comment_id) && c.pull === pull.number);
        if (!parent) throw new HttpError(404, "Not Found");
        commentLength(body.body);
        return [201, reviewCommentJson(addReviewComment(pull.number, { body: body.body, user: caller?.user ?? appBot, in_reply_to: parent.in_reply_to ?? parent.id }))];
      }
      case "pulls/create-review": {
        const pull = pullOr404(p.pull_number);
        const diff = new Map(pull.files.map((f) => [f.filename, parsePatchLines(f.patch)]));
        const incoming = (body.comments ?? []) as { path: string; line?: number; side?: "LEFT" | "RIGHT"; start_line?: number; start_side?: "LEFT" | "RIGHT"; body: string }[];
        for (const c of incoming) {
          const file = diff.get(c.path);
          commentLength(c.body);
          // LEFT: a base line the patch deletes ("Use LEFT for deletions that appear in red"); RIGHT (the default): a head line.
          const left = c.side === "LEFT";
          const onLeft = (n: number | undefined) => n !== undefined && file !== undefined && file.deleted.has(n);
          const inside = left
            ? onLeft(c.line) && (c.start_line === undefined || (c.start_side === "LEFT" && onLeft(c.start_line) && c.start_line <= (c.line ?? 0)))
            : c.line !== undefined && file?.lines.has(c.line) && (c.start_line === undefined || file.hunks.some((h) => h.start <= (c.start_line ?? 0) && (c.line ?? 0) <= h.end));
          if (!inside) throw new HttpError(422, "Unprocessable Entity", { errors: ["Line could not be resolved"] });
        }
        commentLength(body.body);
        const review: FakeReview = { id: nextId++, pull: pull.number, commit_id: body.commit_id ?? pull.headSha, body: body.body ?? "", event: body.event ?? "PENDING", user: caller?.user ?? appBot, comments: [] };
        for (const c of incoming) {
          const row: FakeReviewComment = { id: nextId++, review_id: review.id, pull: pull.number, path: c.path, line: c.line ?? 0, side: c.side ?? "RIGHT", start_line: c.start_line, body: c.body, user: review.user };
          reviewComments.push(row);
          review.comments.push(row.id);
        }
        reviews.push(review);
        return [200, { id: review.id, node_id: `PRR_${review.id}`, user: userJson(review.user), body: review.body, state: review.event === "COMMENT" ? "COMMENTED" : review.event, commit_id: review.commit_id, html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}#pullrequestreview-${review.id}` }];
      }
      case "pulls/list-reviews": {
        const pull = pullOr404(p.pull_number);
        const rows = reviews.filter((r) => r.pull === pull.number).map((r) => ({ id: r.id, node_id: `PRR_${r.id}`, user: userJson(r.user), body: r.body, state: r.event === "COMMENT" ? "COMMENTED" : r.event, commit_id: r.commit_id, html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}#pullrequestreview-${r.id}` }));
        return [200, page(rows, query)];
      }
      case "issues/list-comments": {
        const rows = comments.filter((c) => c.issue === Number(p.issue_number)).map(commentJson);
        return [200, page(rows, query)];
      }
      case "issues/create-comment": {
        commentLength(body.body);
        const comment = addComment(Number(p.issue_number), body.body, caller?.user ?? appBot);
        return [201, commentJson(comment)];
      }
      case "issues/update-comment": {
        commentLength(body.body);
        const comment = comments.find((c) => c.id === Number(p.comment_id));
        if (!comment) throw new HttpError(404, "Not Found");
        comment.body = body.body;
        comment.updated_at = now();
        return [200, commentJson(comment)];
      }
      case "reactions/create-for-issue-comment": {
        reactions.push({ commentId: Number(p.comment_id), content: body.content });
        return [201, { id: nextId++, content: body.content, user: userJson(caller?.user ?? appBot), created_at: now(), node_id: "MDg6UmVhY3Rpb24x" }];
      }
      case "checks/create": {
        checkOutputRules(body);
        const run: FakeCheckRun = {
          id: nextId++,
          name: body.name,
          head_sha: body.head_sha,
          status: body.conclusion ? "completed" : (body.status ?? "queued"),
          conclusion: body.conclusion ?? null,
          external_id: body.external_id ?? "",
          details_url: body.details_url,
          output: { title: body.output?.title, summary: body.output?.summary, text: body.output?.text },
          annotations: [...(body.output?.annotations ?? [])],
          started_at: body.started_at ?? now(),
          completed_at: body.conclusion ? (body.completed_at ?? now()) : null,
          writes: 1,
        };
        checkRuns.set(run.id, run);
        return [201, checkJson(run)];
      }
      case "checks/update": {
        checkOutputRules(body);
        const run = checkRuns.get(Number(p.check_run_id));
        if (!run) throw new HttpError(404, "Not Found");
        if (body.name) run.name = body.name;
        if (body.external_id !== undefined) run.external_id = body.external_id;
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = "completed";
          run.completed_at = body.completed_at ?? now();
        }
        if (body.output) {
          run.output = { title: body.output.title ?? run.output.title, summary: body.output.summary ?? run.output.summary, text: body.output.text ?? run.output.text };
          // Annotations sent on an update are appended to those already on the run.
          run.annotations.push(...(body.output.annotations ?? []));
        }
        run.writes += 1;
        return [200, checkJson(run)];
      }
      case "checks/list-for-ref": {
        let runs = [...checkRuns.values()].filter((r) => r.head_sha === p.ref);
        const name = query.get("check_name");
        if (name) runs = runs.filter((r) => r.name === name);
        if ((query.get("filter") ?? "latest") === "latest") {
          const newest = new Map<string, FakeCheckRun>();
          for (const r of runs) newest.set(r.name, r);
          runs = [...newest.values()];
        }
        return [200, { total_count: runs.length, check_runs: page(runs.map(checkJson), query) }];
      }
      case "git/get-ref": {
        const sha = refs.get(p.ref);
        if (sha === undefined) throw new HttpError(404, "Not Found");
        return [200, { ref: `refs/${p.ref}`, node_id: `REF_${p.ref}`, url: `${origin}${prefix}/repos/${owner}/${repo}/git/refs/${p.ref}`, object: { type: "commit", sha, url: `${origin}${prefix}/repos/${owner}/${repo}/git/commits/${sha}` } }];
      }
      case "checks/get": {
        const run = checkRuns.get(Number(p.check_run_id));
        if (!run) throw new HttpError(404, "Not Found");
        return [200, checkJson(run)];
      }
      default:
        throw new HttpError(404, `Not Found (the fake has no handler for ${v.operationId})`);
    }
  }

  function reviewCommentJson(c: FakeReviewComment) {
    return {
      id: c.id,
      node_id: `PRRC_${c.id}`,
      pull_request_review_id: c.review_id ?? null,
      path: c.path,
      line: c.line,
      side: c.side ?? "RIGHT",
      ...(c.start_line !== undefined ? { start_line: c.start_line } : {}),
      ...(c.in_reply_to !== undefined ? { in_reply_to_id: c.in_reply_to } : {}),
      body: c.body,
      user: userJson(c.user),
    };
  }

  function addReviewComment(pull: number, c: { readonly path?: string; readonly line?: number; readonly body: string; readonly user: FakeUser; readonly in_reply_to?: number }): FakeReviewComment {
    const parent = c.in_reply_to === undefined ? undefined : reviewComments.find((r) => r.id === c.in_reply_to);
    if (c.in_reply_to !== undefined && !parent) throw new Error(`fake GitHub: no review comment ${c.in_reply_to} to reply to`);
    const row: FakeReviewComment = { id: nextId++, pull, path: parent?.path ?? c.path ?? "models/orders.sql", line: parent?.line ?? c.line ?? 1, body: c.body, user: c.user, ...(parent ? { in_reply_to: parent.in_reply_to ?? parent.id } : {}) };
    reviewComments.push(row);
    return row;
  }

  function reviewThreads(pull: number): FakeReviewThread[] {
    const mine = reviewComments.filter((c) => c.pull === pull);
    return mine
      .filter((c) => c.in_reply_to === undefined)
      .map((first) => {
        const by = resolutions.get(first.id);
        return { id: `PRRT_${first.id}`, pull, comments: [first, ...mine.filter((c) => c.in_reply_to === first.id)], resolved: by !== undefined, ...(by ? { resolvedBy: by } : {}) };
      });
  }

  function addComment(issue: number, body: string, user: FakeUser): FakeComment {
    const id = nextId++;
    const comment: FakeComment = { id, node_id: `IC_${id}`, issue, body, user, created_at: now(), updated_at: now(), minimized: false };
    comments.push(comment);
    return comment;
  }

  // GraphQL: a document validated against GitHub's schema, executed against the fake's state.
  async function graphql(checked: GraphqlValidation | undefined, caller: Caller | undefined): Promise<[number, unknown]> {
    if (!checked) return [404, { message: "Not Found" }];
    if (!checked.ok) return [200, { errors: checked.errors }];
    const result = await execute({ schema: githubSchema(), document: checked.document, operationName: checked.operation.name?.value, variableValues: checked.variables, rootValue: graphqlRoot(caller) });
    const errors = result.errors?.map((e) => githubError(e));
    return [200, { data: result.data ?? null, ...(errors && errors.length > 0 ? { errors } : {}) }];
  }

  function gqlError(type: "FORBIDDEN" | "NOT_FOUND", message: string): GraphQLError {
    return new GraphQLError(message, { extensions: type === "FORBIDDEN" ? { type, saml_failure: false } : { type } });
  }

  /** Refuses a field the caller's token may not use (FORBIDDEN, as GitHub answers). */
  function allow(caller: Caller | undefined, field: string, write: boolean): void {
    if (write && caller?.readOnly) throw gqlError("FORBIDDEN", "Resource not accessible by integration");
    if (!mayUse(caller, field)) throw gqlError("FORBIDDEN", "Resource not accessible by integration");
  }

  function mayUse(caller: Caller | undefined, field: string): boolean {
    const needs = GRAPHQL_PERMISSIONS[field];
    if (!needs || !caller?.permissions) return true;
    const granted = (name: string, level: "read" | "write") => caller.permissions?.[name] === "write" || caller.permissions?.[name] === level;
    return needs.some((all) => all.every(([name, level]) => granted(name, level)));
  }

  /** GitHub's cursors are opaque base64 strings; these encode a list index. */
  function connection<T>(items: readonly T[], args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }) {
    const index = (cursor: string) => {
      const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
      if (!match) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
      return Number(match[1]);
    };
    const cursorOf = (i: number) => Buffer.from(`cursor:v2:${i}`).toString("base64");
    let start = args.after ? index(args.after) + 1 : 0;
    let end = args.before ? index(args.before) : items.length;
    if (typeof args.first === "number") end = Math.min(end, start + args.first);
    if (typeof args.last === "number") start = Math.max(start, end - args.last);
    const nodes = items.slice(start, end);
    return {
      totalCount: items.length,
      nodes,
      edges: nodes.map((node, i) => ({ node, cursor: cursorOf(start + i) })),
      pageInfo: { hasNextPage: end < items.length, hasPreviousPage: start > 0, startCursor: nodes.length > 0 ? cursorOf(start) : null, endCursor: nodes.length > 0 ? cursorOf(end - 1) : null },
    };
  }

  /** A user or bot as GraphQL's Actor: a bot's login has no `[bot]` suffix there. */
  function actorNode(u: FakeUser) {
    return u.type === "Bot" ? { __typename: "Bot", login: u.login.replace(/\[bot\]$/, ""), id: `BOT_${u.login}` } : { __typename: "User", login: u.login, id: `U_${u.login}` };
  }

  function graphqlRoot(caller: Caller | undefined) {
    const commentNode = (c: FakeReviewComment) => ({
      __typename: "PullRequestReviewComment",
      id: `PRRC_${c.id}`,
      fullDatabaseId: String(c.id),
      databaseId: c.id,
      body: c.body,
      author: actorNode(c.user),
      path: c.path,
      line: c.line,
      startLine: c.start_line ?? null,
      url: `https://github.com/${owner}/${repo}/pull/${c.pull}#discussion_r${c.id}`,
      viewerDidAuthor: caller?.user.login === c.user.login,
    });
    const threadNode = (t: FakeReviewThread) => ({
      __typename: "PullRequestReviewThread",
      id: t.id,
      isResolved: t.resolved,
      isOutdated: false,
      isCollapsed: t.resolved,
      path: t.comments[0].path,
      line: t.comments[0].line,
      startLine: t.comments[0].start_line ?? null,
      diffSide: "RIGHT",
      subjectType: "LINE",
      resolvedBy: t.resolvedBy?.type === "User" ? actorNode(t.resolvedBy) : null,
      viewerCanResolve: !caller?.readOnly && mayUse(caller, "resolveReviewThread") && !t.resolved,
      viewerCanUnresolve: !caller?.readOnly && mayUse(caller, "unresolveReviewThread") && t.resolved,
      viewerCanReply: !caller?.readOnly,
      comments: (args: { first?: number; after?: string; last?: number; before?: string }) => connection(t.comments.map(commentNode), args),
    });
    const threadByNodeId = (id: string) => {
      const first = /^PRRT_(\d+)$/.exec(id)?.[1];
      const thread = first ? reviewThreads(reviewComments.find((c) => c.id === Number(first))?.pull ?? -1).find((t) => t.id === id) : undefined;
      if (!thread) throw gqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
      return thread;
    };
    const setThread = (name: "resolveReviewThread" | "unresolveReviewThread", input: { threadId: string; clientMutationId?: string }) => {
      allow(caller, name, true);
      const thread = threadByNodeId(input.threadId);
      const first = thread.comments[0].id;
      if (name === "resolveReviewThread") resolutions.set(first, caller?.user ?? appBot);
      else resolutions.delete(first);
      return { clientMutationId: input.clientMutationId ?? null, thread: threadNode(threadByNodeId(input.threadId)) };
    };
    return {
      repository: (args: { owner: string; name: string }) => {
        if (args.owner.toLowerCase() !== owner.toLowerCase() || args.name.toLowerCase() !== repo.toLowerCase()) throw gqlError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
        return {
          __typename: "Repository",
          id: "R_1",
          name: repo,
          nameWithOwner: `${owner}/${repo}`,
          pullRequest: (pr: { number: number }) => {
            allow(caller, "pullRequest", false);
            const pull = pulls.get(pr.number);
            if (!pull) throw gqlError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${pr.number}.`);
            return {
              __typename: "PullRequest",
              id: `PR_${pull.number}`,
              number: pull.number,
              headRefOid: pull.headSha,
              reviewThreads: (args: { first?: number; after?: string; last?: number; before?: string }) => connection(reviewThreads(pull.number).map(threadNode), args),
            };
          },
        };
      },
      minimizeComment: (args: { input: { subjectId: string; classifier: string; clientMutationId?: string } }) => {
        allow(caller, "minimizeComment", true);
        const comment = comments.find((c) => c.node_id === args.input.subjectId);
        if (!comment) throw gqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${args.input.subjectId}'`);
        comment.minimized = true;
        return { clientMutationId: args.input.clientMutationId ?? null, minimizedComment: { __typename: "IssueComment", isMinimized: true, minimizedReason: args.input.classifier.toLowerCase(), viewerCanMinimize: true } };
      },
      resolveReviewThread: (args: { input: { threadId: string; clientMutationId?: string } }) => setThread("resolveReviewThread", args.input),
      unresolveReviewThread: (args: { input: { threadId: string; clientMutationId?: string } }) => setThread("unresolveReviewThread", args.input),
    };
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-media-type": "github.v3; format=json", ...headers });
      res.end(JSON.stringify(payload));
    };
    let body: unknown;
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, body: undefined, auth: req.headers.authorization, userAgent: req.headers["user-agent"], valid: false, status: 0 };
    requests.push(record);
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return send(400, { message: "Problems parsing JSON" });
    }
    Object.assign(record, { body });
    const isGraphql = url.pathname === "/graphql" || url.pathname === "/api/graphql" || url.pathname === `${prefix}/graphql`;
    if (!isGraphql && prefix && !url.pathname.startsWith(prefix)) return send(404, { message: "Not Found (missing API prefix)" });
    const path = isGraphql ? "/graphql" : url.pathname.slice(prefix.length);
    try {
      // An invalid GraphQL document is recorded as invalid and answered as GitHub does (200, `{ errors }`) once authenticated.
      const graphqlCheck = isGraphql && method === "POST" ? validateGraphql(body) : undefined;
      const graphqlError = graphqlCheck && !graphqlCheck.ok ? graphqlCheck.errors.map((e) => e.message).join("; ") : undefined;
      const validation: Validation = isGraphql ? { ok: method === "POST", operationId: "graphql", params: {}, ...(method === "POST" ? {} : { error: "GraphQL takes POST" }) } : validateRequest(method, path, body);
      Object.assign(record, { path, operationId: validation.operationId, valid: validation.ok && graphqlError === undefined, error: validation.error ?? graphqlError });
      if (!validation.ok) return send(422, { message: "Validation Failed (fake GitHub: request does not match the OpenAPI description)", errors: [validation.error] });
      const caller = authenticate(req.headers.authorization, path, method, validation.operationId);
      const fault = takeFault(validation.operationId, method);
      const answerFault = (f: Fault) => {
        if (!f.drop) return send(f.status, { message: f.message ?? `fault injected (${f.status})`, documentation_url: "https://docs.github.com/rest" }, { ...(f.headers ?? {}) });
        record.status = f.status;
        res.destroy();
      };
      if (fault && !fault.apply) return answerFault(fault);
      const wait = delays.get(validation.operationId ?? "");
      if (wait) await new Promise((r) => setTimeout(r, wait));
      const [status, payload] = isGraphql ? await graphql(graphqlCheck, caller) : handle(validation, method, body, url.searchParams, caller);
      if (fault) {
        record.applied = true;
        return answerFault(fault);
      }
      return send(status, payload);
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, { message: error.message, documentation_url: "https://docs.github.com/rest", ...error.extra }, error.headers);
      return send(500, { message: `fake GitHub crashed: ${(error as Error).stack}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${prefix}`,
    origin,
    port,
    requests,
    pulls,
    comments,
    reviews,
    reviewComments,
    checkRuns,
    refs,
    reactions,
    issuedTokens,
    addPull(pull) {
      pulls.set(pull.number, pull);
      return pull;
    },
    addComment,
    addReviewComment,
    reviewThreads,
    setResolved(firstCommentId, by) {
      if (by) resolutions.set(firstCommentId, by);
      else resolutions.delete(firstCommentId);
    },
    fault(fault) {
      faults.push({ ...fault });
    },
    clearFaults() {
      faults.length = 0;
    },
    delay(operationId, ms) {
      delays.set(operationId, ms);
    },
    writes() {
      const query = (r: RecordedRequest) => r.operationId === "graphql" && !/^\s*mutation\b/.test(String((r.body as { query?: unknown } | undefined)?.query ?? ""));
      return requests.filter((r) => r.method !== "GET" && r.operationId !== "apps/create-installation-access-token" && !query(r) && (r.status < 400 || r.applied === true));
    },
    invalid() {
      return requests.filter((r) => !r.valid);
    },
    clearRequests() {
      requests.length = 0;
    },
    reset() {
      pulls.clear();
      comments.length = 0;
      reviews.length = 0;
      reviewComments.length = 0;
      checkRuns.clear();
      refs.clear();
      reactions.length = 0;
      resolutions.clear();
      faults.length = 0;
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
