import type { RenderedReview } from "../report/rendered.js";
import { completeChecks, type StartedChecks } from "./check-runs.js";
import { asGitHubClient, errorMessage, type GitHubClient, type GitHubResponse, isReadOnlyTokenError } from "./github-client.js";
import { postInlineReview } from "./inline-review.js";
import { type CommentMode, upsertStickyComment } from "./sticky-comment.js";

/**
 * Posts a rendered review: check runs first (so a failed comment never leaves a check pending),
 * then the sticky comment, then one batched inline review. Never posts the comment or the review
 * for a head SHA that is no longer the PR's head. A read-only token (fork PR) is reported as
 * `posted: false` with the reason, not thrown; an abort (superseded run) is thrown.
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
  readonly maxAnnotations?: number;
  /** PR author, mentioned when the verdict gets worse. */
  readonly author?: string;
  readonly botLogin?: string;
  readonly detailsUrl?: string;
  /** When the review was computed (ISO); default now. */
  readonly generatedAt?: string;
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
  readonly notified: boolean;
  /** False when nothing could be written (read-only token) or the run was stale. */
  readonly posted: boolean;
  readonly reason?: string;
  readonly readOnly: boolean;
  /** Failures that did not stop the rest (e.g. the comment was rejected). */
  readonly errors: string[];
  readonly writes: number;
  readonly reads: number;
}

export async function publishReview(input: PublishInput): Promise<PublishResult> {
  const counter = countingClient(asGitHubClient(input.octokit));
  const client = counter.client;
  const { owner, repo, headSha, rendered, options, signal } = input;
  const errors: string[] = [];
  const result = {
    comment: "skipped" as PublishResult["comment"],
    commentUrl: undefined as string | undefined,
    checks: [] as number[],
    checksUnchanged: 0,
    review: { posted: 0, skipped: 0 },
    notified: false,
  };
  const finish = (posted: boolean, reason?: string, readOnly = false): PublishResult => ({ ...result, posted, reason, readOnly, errors, writes: counter.writes, reads: counter.reads });
  const runKey = options.runKey ?? headSha;

  try {
    const checks = await completeChecks({ client, owner, repo, headSha, signal }, { checks: rendered.checks, pr: input.pr, runKey, started: options.started, maxAnnotations: options.maxAnnotations, detailsUrl: options.detailsUrl });
    result.checks = checks.ids;
    result.checksUnchanged = checks.unchanged;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isReadOnlyTokenError(error)) return finish(false, `the token cannot write check runs: ${errorMessage(error)}`, true);
    throw error;
  }
  if (input.pr === undefined) return finish(true);

  signal?.throwIfAborted();
  // From here on the checks are complete: a failure is reported in the result, never thrown (a
  // caller that cancels its checks on an exception would otherwise overwrite finished results).
  let pull: { head?: { sha?: string }; user?: { login?: string } };
  try {
    pull = (await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: input.pr, request: { signal } })).data;
  } catch (error) {
    if (signal?.aborted) throw error;
    errors.push(`reading PR #${input.pr}: ${errorMessage(error)}`);
    return finish(false, `could not read PR #${input.pr}: ${errorMessage(error)}`, isReadOnlyTokenError(error));
  }
  const currentHead: string = pull.head?.sha ?? headSha;
  if (currentHead !== headSha) return finish(false, `stale run: PR #${input.pr} head is now ${currentHead.slice(0, 7)}, this review is for ${headSha.slice(0, 7)}`);
  const author = options.author ?? pull.user?.login;

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
      signal,
    });
    result.comment = sticky.action;
    result.commentUrl = sticky.url;
    result.notified = sticky.notified;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isReadOnlyTokenError(error)) return finish(false, `the token cannot write comments: ${errorMessage(error)}`, true);
    errors.push(`sticky comment: ${errorMessage(error)}`);
  }

  if (options.inlineComments === false || rendered.inlineComments.length === 0) return finish(true);
  try {
    const review = await postInlineReview({ client, owner, repo, pr: input.pr, headSha, comments: rendered.inlineComments, maxComments: options.maxInlineComments, botLogin: options.botLogin, signal });
    result.review = { posted: review.posted, skipped: review.skipped };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isReadOnlyTokenError(error)) return finish(false, `the token cannot write reviews: ${errorMessage(error)}`, true);
    errors.push(`inline review: ${errorMessage(error)}`);
    result.review = { posted: 0, skipped: rendered.inlineComments.length };
  }
  return finish(true);
}

/** Wraps a client to count reads and writes (logical requests; retries are not counted twice). */
export function countingClient(inner: GitHubClient): { client: GitHubClient; readonly writes: number; readonly reads: number } {
  const counts = { writes: 0, reads: 0 };
  const client: GitHubClient = {
    request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse> {
      if (/^GET /.test(route)) counts.reads += 1;
      else counts.writes += 1;
      return inner.request(route, params);
    },
    graphql(query: string, params?: Record<string, unknown>): Promise<unknown> {
      if (/^\s*mutation/.test(query)) counts.writes += 1;
      else counts.reads += 1;
      return inner.graphql(query, params);
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
  };
}
