import type { CheckName, RenderedReview } from "../report/rendered.js";
import { cancelChecks, completeChecks, isTokenRefusal, type StartedChecks } from "./check-runs.js";
import { asGitHubClient, errorMessage, errorStatus, failedRequest, type GitHubClient, type GitHubResponse } from "./github-client.js";
import { publishInlineReview } from "./inline-review.js";
import { type CommentMode, upsertStickyComment } from "./sticky-comment.js";

/**
 * Posts a rendered review: check runs first (so a failed comment never leaves a check pending),
 * then the sticky comment, then one batched inline review, then the resolution of the review
 * threads of findings that are gone (review-threads.ts). Never posts the comment or the review
 * for a head SHA that is no longer the PR's head. A part GitHub refuses (one check, the comment,
 * the review; a read-only token) is reported in `failures` with its request and the rest is
 * still posted; only an abort (superseded run) is thrown.
 */

export interface PublishOptions {
  readonly commentMode: CommentMode;
  /** Identifies this run in check runs' external_id (default: head SHA). */
  readonly runKey?: string;
  /** Check ids from `startChecks`, completed in place; otherwise checks are created completed. */
  readonly started?: StartedChecks;
  /** Post inline review comments (default true). */
  readonly inlineComments?: boolean;
  readonly maxInlineComments?: number;
  /** Resolve the threads of this bot's inline comments whose finding is fixed, and reopen them when it comes back (default true). */
  readonly resolveThreads?: boolean;
  readonly maxAnnotations?: number;
  /** PR author, mentioned when the verdict gets worse. */
  readonly author?: string;
  readonly botLogin?: string;
  readonly detailsUrl?: string;
  /** When the review was computed (ISO); default now. */
  readonly generatedAt?: string;
  /**
   * One of several Rocky projects in the repository: check runs `rocky/<check> (<project>)`, and a
   * sticky comment, notices and inline-comment identities of its own. Default: none (the plain names).
   */
  readonly project?: string;
  /**
   * A re-run someone asked for (Re-run, /rocky review): every check run is written again, with a
   * new completed_at, even when its result is unchanged, so GitHub shows that it ran.
   */
  readonly rerun?: boolean;
}

export interface PublishInput {
  /** An Octokit instance (or a GitHubClient). */
  readonly octokit: object;
  readonly owner: string;
  readonly repo: string;
  /** The PR number; absent for merge-group and push runs (checks only). */
  readonly pr?: number;
  readonly headSha: string;
  readonly rendered: RenderedReview;
  readonly options: PublishOptions;
  readonly signal?: AbortSignal;
}

export interface PublishResult {
  readonly comment: "created" | "updated" | "unchanged" | "skipped";
  readonly commentUrl?: string;
  readonly checks: number[];
  readonly checksUnchanged: number;
  readonly review: { readonly posted: number; readonly skipped: number };
  /** Review threads of fixed findings resolved, and of findings back again reopened. */
  readonly threads: { readonly resolved: number; readonly reopened: number };
  readonly notified: boolean;
  /** True when every part was posted (or had nothing to post); false when a part failed or the run was stale. */
  readonly posted: boolean;
  readonly reason?: string;
  /** Nothing could be written because the token may not write here (fork PR, read-only token). */
  readonly readOnly: boolean;
  /** Failures that did not stop the rest (e.g. the comment was rejected), as text. */
  readonly errors: string[];
  /** The same failures, one per part GitHub refused, with the request that failed. */
  readonly failures: readonly PublishFailure[];
  /** Checks that were not written (their annotations are on no check run). */
  readonly checksFailed: readonly CheckName[];
  readonly writes: number;
  readonly reads: number;
}

export interface PublishFailure {
  /** What was not posted: "check rocky/contracts", "sticky comment", "inline review", "review threads", "reading the PR". */
  readonly part: string;
  /** "POST /repos/o/r/check-runs" when known. */
  readonly request?: string;
  readonly status?: number;
  readonly message: string;
  /** GitHub refused the token (permissions, a token that cannot write this), not this request's content. */
  readonly tokenRefused: boolean;
}

function failure(part: string, error: unknown, request?: string): PublishFailure {
  return { part, request: failedRequest(error) ?? request, status: errorStatus(error), message: errorMessage(error), tokenRefused: isTokenRefusal(error) };
}

function failureText(f: PublishFailure): string {
  const where = [f.status, f.request].filter((x) => x !== undefined).join(" on ");
  return `${f.part}: ${f.message}${where ? ` (${where})` : ""}`;
}

export async function publishReview(input: PublishInput): Promise<PublishResult> {
  const counter = countingClient(asGitHubClient(input.octokit));
  const client = counter.client;
  const { owner, repo, headSha, rendered, options, signal } = input;
  const failures: PublishFailure[] = [];
  const warnings: string[] = [];
  const result = {
    comment: "skipped" as PublishResult["comment"],
    commentUrl: undefined as string | undefined,
    checks: [] as number[],
    checksUnchanged: 0,
    checksFailed: [] as CheckName[],
    review: { posted: 0, skipped: 0 },
    threads: { resolved: 0, reopened: 0 },
    notified: false,
  };
  const finish = (stale?: string): PublishResult => {
    const readOnly = failures.length > 0 && counter.writesDone === 0 && failures.every((f) => f.tokenRefused && f.status === 403 && /not accessible by integration|must have (admin|push|write) access/i.test(f.message));
    const first = failures[0];
    const reason = stale ?? (first ? (first.part.startsWith("check ") && readOnly ? `the token cannot write check runs: ${first.message}` : failureText(first)) : undefined);
    return { ...result, posted: failures.length === 0 && stale === undefined, reason, readOnly, errors: [...failures.map(failureText), ...warnings], failures, writes: counter.writes, reads: counter.reads };
  };
  const runKey = options.runKey ?? headSha;

  const target = { client, owner, repo, headSha, signal };
  const checks = await completeChecks(target, { checks: rendered.checks, pr: input.pr, runKey, started: options.started, maxAnnotations: options.maxAnnotations, detailsUrl: options.detailsUrl, project: options.project, ...(options.rerun ? { skipUnchanged: false } : {}) });
  result.checks = checks.ids;
  result.checksUnchanged = checks.unchanged;
  result.checksFailed = checks.failed.map((f) => f.name);
  warnings.push(...checks.warnings);
  for (const f of checks.failed) failures.push(failure(`check ${f.name}`, f.error, f.request));
  // A started check that could not be completed must not stay in progress (best effort).
  const stuck = Object.fromEntries(checks.failed.filter((f) => options.started?.[f.name] !== undefined).map((f) => [f.name, options.started?.[f.name]]));
  if (Object.keys(stuck).length > 0) await cancelChecks({ ...target, signal: undefined }, stuck, "Rocky review could not post this check", `GitHub refused the result: ${errorMessage(checks.failed[0].error)}`);
  if (input.pr === undefined) return finish();

  signal?.throwIfAborted();
  // From here on the checks are complete: a failure is reported in the result, never thrown (a
  // caller that cancels its checks on an exception would otherwise overwrite finished results).
  let pull: { head?: { sha?: string }; user?: { login?: string; type?: string } };
  try {
    pull = (await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: input.pr, request: { signal } })).data;
  } catch (error) {
    if (signal?.aborted) throw error;
    failures.push(failure(`reading PR #${input.pr}`, error));
    return finish();
  }
  const currentHead: string = pull.head?.sha ?? headSha;
  if (currentHead !== headSha) return finish(`stale run: PR #${input.pr} head is now ${currentHead.slice(0, 7)}, this review is for ${headSha.slice(0, 7)}`);
  // A bot author (Renovate, Dependabot) has no one to mention.
  const author = options.author ?? (pull.user?.type === "Bot" ? undefined : pull.user?.login);

  try {
    const sticky = await upsertStickyComment({
      client,
      owner,
      repo,
      pr: input.pr,
      headSha,
      currentHeadSha: currentHead,
      body: rendered.comment,
      verdict: rendered.verdict,
      headline: rendered.headline,
      mode: options.commentMode,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      author,
      botLogin: options.botLogin,
      createWhenAbsent: !rendered.touchesNoModels,
      project: options.project,
      signal,
    });
    result.comment = sticky.action;
    result.commentUrl = sticky.url;
    result.notified = sticky.notified;
  } catch (error) {
    if (signal?.aborted) throw error;
    failures.push(failure("sticky comment", error));
  }

  if (options.inlineComments === false) return finish();
  const inline = await publishInlineReview({
    client,
    owner,
    repo,
    pr: input.pr,
    headSha,
    comments: rendered.inlineComments,
    findingFingerprints: rendered.findingFingerprints,
    maxComments: options.maxInlineComments,
    ...(rendered.inlineCommentsOverCap ? { renderedOverCap: rendered.inlineCommentsOverCap } : {}),
    botLogin: options.botLogin,
    project: options.project,
    prAuthor: pull.user?.login,
    resolveThreads: options.resolveThreads,
    signal,
  });
  result.review = inline.review;
  result.threads = inline.threads;
  for (const f of inline.failures) failures.push(failure(f.part, f.error));
  warnings.push(...inline.notes);
  return finish();
}

/** Wraps a client to count reads and writes (logical requests; retries are not counted twice). */
export function countingClient(inner: GitHubClient): { client: GitHubClient; readonly writes: number; readonly reads: number; readonly writesDone: number } {
  const counts = { writes: 0, reads: 0, writesDone: 0 };
  const client: GitHubClient = {
    async request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse> {
      if (/^GET /.test(route)) counts.reads += 1;
      else counts.writes += 1;
      const response = await inner.request(route, params);
      if (!/^GET /.test(route)) counts.writesDone += 1;
      return response;
    },
    async graphql(query: string, params?: Record<string, unknown>): Promise<unknown> {
      const write = /^\s*mutation/.test(query);
      if (write) counts.writes += 1;
      else counts.reads += 1;
      const data = await inner.graphql(query, params);
      if (write) counts.writesDone += 1;
      return data;
    },
  };
  return {
    client,
    get writes() {
      return counts.writes;
    },
    get reads() {
      return counts.reads;
    },
    /** Writes GitHub accepted. */
    get writesDone() {
      return counts.writesDone;
    },
  };
}
