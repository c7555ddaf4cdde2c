import type { InlineComment } from "../report/rendered.js";
import { commentFitsDiff, type FileLines, parsePatchLines } from "./diff-lines.js";
import { type GitHubClient, paginate } from "./github-client.js";
import { clampChars, GITHUB_LIMITS } from "./limits.js";
import { parseFingerprints, projectFingerprint, reviewMarker, sanitizeFingerprint, withFingerprint, writtenByBot } from "./markers.js";
import { type ReviewCommentRow, syncReviewThreads } from "./review-threads.js";

/**
 * Inline review comments: one review (`event: COMMENT`) with every finding whose line lies inside
 * the PR's diff, minus those whose fingerprint a bot already posted in an earlier review; then the
 * threads of earlier comments whose finding is gone are resolved (review-threads.ts).
 */

export interface InlineReviewInput {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  readonly headSha: string;
  readonly comments: readonly InlineComment[];
  /** At most this many new comments per run (default 30); the rest stay in the check annotations. */
  readonly maxComments?: number;
  /** Findings on diff lines the render already left out past its own cap (`RenderedReview.inlineCommentsOverCap`): counted with the rest. */
  readonly renderedOverCap?: number;
  readonly botLogin?: string;
  /** A named project: its fingerprints are prefixed with the name, so another project's comments never count as its own. */
  readonly project?: string;
  readonly signal?: AbortSignal;
  /** The PR's review comments when the caller already read them (otherwise read here). */
  readonly existing?: readonly ReviewCommentRow[];
}

export interface InlineReviewResult {
  readonly posted: number;
  /** Comments not sent: outside the diff, already posted, or over the cap. */
  readonly skipped: number;
  readonly outsideDiff: number;
  readonly alreadyPosted: number;
  readonly overCap: number;
  readonly reviewId?: number;
  readonly writes: number;
}

export async function postInlineReview(input: InlineReviewInput): Promise<InlineReviewResult> {
  if (input.comments.length === 0) return { posted: 0, skipped: 0, outsideDiff: 0, alreadyPosted: 0, overCap: 0, writes: 0 };
  const [diff, rows] = await Promise.all([diffLines(input), input.existing ?? listReviewComments(input)]);
  const seen = postedFingerprints(rows, input.botLogin);
  let outsideDiff = 0;
  let alreadyPosted = 0;
  const chosen: InlineComment[] = [];
  for (const finding of input.comments) {
    const comment = { ...finding, fingerprint: projectFingerprint(finding.fingerprint, input.project) };
    const fingerprint = sanitizeFingerprint(comment.fingerprint);
    if (!commentFitsDiff(diff.get(comment.path), comment.line, comment.start_line, comment.side)) {
      outsideDiff += 1;
      continue;
    }
    if (seen.has(fingerprint) || (finding.formerFingerprints ?? []).some((former) => seen.has(sanitizeFingerprint(projectFingerprint(former, input.project))))) {
      alreadyPosted += 1;
      continue;
    }
    seen.add(fingerprint);
    chosen.push(comment);
  }
  const max = input.maxComments ?? 30;
  const sent = chosen.slice(0, max);
  const overCap = chosen.length - sent.length;
  const skipped = outsideDiff + alreadyPosted + overCap;
  if (sent.length === 0) return { posted: 0, skipped, outsideDiff, alreadyPosted, overCap, writes: 0 };
  const more = overCap + (input.renderedOverCap ?? 0) > 0 ? ` (${overCap + (input.renderedOverCap ?? 0)} more are in the check runs' annotations)` : "";
  const marker = reviewMarker(input.headSha, sent.map((c) => sanitizeFingerprint(c.fingerprint)));
  const response = await input.client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.pr,
    commit_id: input.headSha,
    event: "COMMENT",
    body: `Rocky review${input.project ? ` (${input.project})` : ""}: ${sent.length} finding${sent.length === 1 ? "" : "s"} on lines this PR changes${more}.\n\n${marker}`,
    comments: sent.map(toReviewComment),
    // A retry after a 5xx first looks for this review (its marker): GitHub may have posted it.
    request: { signal: input.signal, findCreated: () => findOwnReview(input, marker) },
  });
  return { posted: sent.length, skipped, outsideDiff, alreadyPosted, overCap, reviewId: response.data?.id, writes: 1 };
}

function toReviewComment(comment: InlineComment): Record<string, unknown> {
  const body = withFingerprint(clampChars(comment.body, GITHUB_LIMITS.commentChars - 300), comment.fingerprint);
  // A comment on a deleted line: `line` is the base file's line.
  if (comment.side === "LEFT") return { path: comment.path, line: comment.line, side: "LEFT", body };
  const multi = comment.start_line !== undefined && comment.start_line < comment.line;
  return { path: comment.path, line: comment.line, side: "RIGHT", ...(multi ? { start_line: comment.start_line, start_side: "RIGHT" } : {}), body };
}

/** path → head-side lines inside the PR's diff, from `pulls/list-files` patches. */
export async function diffLines(input: Pick<InlineReviewInput, "client" | "owner" | "repo" | "pr" | "signal">): Promise<Map<string, FileLines>> {
  const files = await paginate<{ filename: string; patch?: string }>(input.client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.pr,
    request: { signal: input.signal },
  });
  return new Map(files.map((f) => [f.filename, parsePatchLines(f.patch)]));
}

/** The bot's review on this PR whose body carries `marker`, if GitHub has it. */
async function findOwnReview(input: InlineReviewInput, marker: string): Promise<unknown> {
  const reviews = await paginate<ReviewCommentRow & { readonly id: number }>(input.client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.pr,
    request: { signal: input.signal },
  });
  return reviews.filter((r) => writtenByBot(r.user, input.botLogin) && r.body?.includes(marker)).sort((a, b) => b.id - a.id)[0];
}

/** Every review comment of the PR. */
export function listReviewComments(input: Pick<InlineReviewInput, "client" | "owner" | "repo" | "pr" | "signal">): Promise<ReviewCommentRow[]> {
  return paginate<ReviewCommentRow>(input.client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.pr,
    request: { signal: input.signal },
  });
}

function postedFingerprints(rows: readonly ReviewCommentRow[], botLogin?: string): Set<string> {
  const seen = new Set<string>();
  for (const row of rows) {
    if (!row.body || !writtenByBot(row.user, botLogin)) continue;
    for (const fingerprint of parseFingerprints(row.body)) seen.add(fingerprint);
  }
  return seen;
}

export interface InlinePublishInput extends InlineReviewInput {
  /** Every current finding's fingerprint (RenderedReview.findingFingerprints); undefined: not known, no thread is resolved. */
  readonly findingFingerprints?: readonly string[];
  /** The PR's author: their replies do not keep a fixed finding's thread open. */
  readonly prAuthor?: string;
  /** false: leave every thread as it is (the `resolve-threads` setting); default true. */
  readonly resolveThreads?: boolean;
}

export interface InlinePublishResult {
  readonly review: { readonly posted: number; readonly skipped: number };
  readonly threads: { readonly resolved: number; readonly reopened: number };
  /** Parts GitHub refused, each with its error; the other parts were still done. */
  readonly failures: readonly { readonly part: string; readonly error: unknown }[];
  /** Threads left open, said for the run's log (a token that may not resolve them): not failures. */
  readonly notes: readonly string[];
}

/**
 * The inline review, then the threads of fixed findings: the PR's review comments are read once
 * for both. A failure of one part is returned and the other still runs; only an abort is thrown.
 */
export async function publishInlineReview(input: InlinePublishInput): Promise<InlinePublishResult> {
  const failures: { part: string; error: unknown }[] = [];
  const none = { review: { posted: 0, skipped: input.comments.length }, threads: { resolved: 0, reopened: 0 }, failures, notes: [] };
  const resolving = input.resolveThreads !== false && input.findingFingerprints !== undefined;
  if (input.comments.length === 0 && !resolving) return none;
  let rows: ReviewCommentRow[];
  try {
    rows = [...(input.existing ?? (await listReviewComments(input)))];
  } catch (error) {
    if (input.signal?.aborted) throw error;
    failures.push({ part: "inline review", error });
    return none;
  }
  let review = { posted: 0, skipped: 0 };
  if (input.comments.length > 0) {
    try {
      const posted = await postInlineReview({ ...input, existing: rows });
      review = { posted: posted.posted, skipped: posted.skipped };
    } catch (error) {
      if (input.signal?.aborted) throw error;
      failures.push({ part: "inline review", error });
      review = { posted: 0, skipped: input.comments.length };
    }
  }
  if (input.resolveThreads === false) return { review, threads: { resolved: 0, reopened: 0 }, failures, notes: [] };
  const asPosted = (fingerprint: string) => sanitizeFingerprint(projectFingerprint(fingerprint, input.project));
  try {
    const threads = await syncReviewThreads({
      client: input.client,
      owner: input.owner,
      repo: input.repo,
      pr: input.pr,
      comments: rows,
      ...(input.findingFingerprints ? { current: new Set(input.findingFingerprints.map(asPosted)) } : {}),
      present: new Set(input.comments.flatMap((c) => [c.fingerprint, ...(c.formerFingerprints ?? [])].map(asPosted))),
      botLogin: input.botLogin,
      project: input.project,
      prAuthor: input.prAuthor,
      signal: input.signal,
    });
    for (const error of threads.errors) failures.push({ part: "review thread", error });
    return { review, threads: { resolved: threads.resolved, reopened: threads.reopened }, failures, notes: threads.notes };
  } catch (error) {
    if (input.signal?.aborted) throw error;
    failures.push({ part: "review threads", error });
    return { review, threads: { resolved: 0, reopened: 0 }, failures, notes: [] };
  }
}
