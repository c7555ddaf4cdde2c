import type { Verdict } from "../report/rendered.js";
import { type GitHubClient, paginate } from "./github-client.js";
import { clampChars, GITHUB_LIMITS } from "./limits.js";
import { contentHash, labelForProject, noticeMarker, parseStamp, type StickyMeta, stampComment, stickyMarker, verdictWorse, writtenByBot } from "./markers.js";

/**
 * The one sticky summary comment: found by its hidden marker among the bot's own comments, stamped
 * with the head SHA and time, edited in place (or minimized and re-posted in `hide-and-new` mode),
 * not rewritten when the body is unchanged, never written by a run whose head SHA is no longer the
 * PR's head, and followed by a short mention of the author when the verdict gets worse (edits do
 * not notify anyone).
 */

export type CommentMode = "update" | "hide-and-new" | "off";
export const COMMENT_MODES: readonly CommentMode[] = ["update", "hide-and-new", "off"];

export interface StickyCommentInput {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  /** The head SHA this review was computed for. */
  readonly headSha: string;
  /** The PR's head SHA as GitHub reports it now. */
  readonly currentHeadSha: string;
  readonly body: string;
  readonly verdict: Verdict;
  readonly headline: string;
  readonly mode: CommentMode;
  /** When the review was produced (ISO); a stored comment from a later run of the same head wins. */
  readonly generatedAt: string;
  /** PR author to mention when the verdict gets worse. */
  readonly author?: string;
  /** The bot's login when known (e.g. `rocky-review[bot]`); otherwise any Bot-type author with the marker. */
  readonly botLogin?: string;
  /** False: only update an existing comment, never start one (a PR that touches no model). Default true. */
  readonly createWhenAbsent?: boolean;
  /** A named project (several Rocky projects in one repository): its own comment, marker and notices. */
  readonly project?: string;
  readonly signal?: AbortSignal;
}

export interface StickyCommentResult {
  readonly action: "created" | "updated" | "unchanged" | "skipped";
  readonly id?: number;
  readonly url?: string;
  readonly notified: boolean;
  readonly reason?: string;
  readonly writes: number;
}

interface IssueComment {
  readonly id: number;
  readonly node_id: string;
  readonly body?: string;
  readonly html_url: string;
  readonly user: { readonly login: string; readonly type: string } | null;
}

/** Room kept for the marker and stamps around the rendered body. */
const STAMP_ROOM = 600;

export async function upsertStickyComment(input: StickyCommentInput): Promise<StickyCommentResult> {
  if (input.mode === "off") return { action: "skipped", notified: false, reason: "comment mode is off", writes: 0 };
  if (input.headSha !== input.currentHeadSha) {
    return { action: "skipped", notified: false, reason: `stale run: the PR head is now ${input.currentHeadSha.slice(0, 7)}, this review is for ${input.headSha.slice(0, 7)}`, writes: 0 };
  }
  const previous = await findStickyComment(input);
  const previousMeta = previous?.body ? parseStamp(previous.body) : undefined;
  if (!previous && input.createWhenAbsent === false) return { action: "skipped", notified: false, reason: "nothing to report and no earlier comment to update", writes: 0 };
  const bodyHash = contentHash(input.body);
  if (previousMeta && previousMeta.body_hash === bodyHash && previousMeta.verdict === input.verdict) {
    return { action: "unchanged", id: previous?.id, url: previous?.html_url, notified: false, writes: 0 };
  }
  if (previousMeta && previousMeta.head_sha === input.headSha && previousMeta.generated_at > input.generatedAt) {
    return { action: "skipped", id: previous?.id, url: previous?.html_url, notified: false, reason: "a later run of this head already posted", writes: 0 };
  }
  const meta: StickyMeta = { head_sha: input.headSha, generated_at: input.generatedAt, body_hash: bodyHash, verdict: input.verdict };
  const body = stampComment(clampChars(labelForProject(input.body, input.project), GITHUB_LIMITS.commentChars - STAMP_ROOM), meta, input.mode, input.project);
  const base = { owner: input.owner, repo: input.repo, request: { signal: input.signal } };
  let writes = 0;
  let action: "created" | "updated";
  let posted: IssueComment;
  if (previous && input.mode === "update") {
    posted = (await input.client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...base, comment_id: previous.id, body })).data;
    action = "updated";
    writes += 1;
  } else {
    // A retry after a 5xx first looks for this very comment (same marker and stamp): GitHub may have posted it.
    const findCreated = () => findOwnComment(input, (c) => c.body?.startsWith(stickyMarker(input.project)) === true && sameStamp(parseStamp(c.body), meta));
    posted = (await input.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...base, issue_number: input.pr, body, request: { signal: input.signal, findCreated } })).data;
    action = "created";
    writes += 1;
    if (previous) writes += await minimizeComment(input.client, previous.node_id, input.signal);
  }
  let notified = false;
  if (previousMeta && verdictWorse(previousMeta.verdict, input.verdict)) {
    const notice = noticeBody(input, previousMeta.verdict, posted.html_url);
    const findCreated = () => findOwnComment(input, (c) => c.body === notice);
    await input.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...base, issue_number: input.pr, body: notice, request: { signal: input.signal, findCreated } });
    writes += 1;
    notified = true;
  }
  return { action, id: posted.id, url: posted.html_url, notified, writes };
}

type CommentQuery = Pick<StickyCommentInput, "client" | "owner" | "repo" | "pr" | "botLogin" | "project" | "signal">;

/** The newest comment by a bot that carries the sticky marker (of this project, when named). */
export function findStickyComment(input: CommentQuery): Promise<IssueComment | undefined> {
  const marker = stickyMarker(input.project);
  return findOwnComment(input, (comment) => comment.body?.startsWith(marker) === true);
}

/** The newest of the bot's own comments on the PR that `matches`. */
async function findOwnComment(input: CommentQuery, matches: (comment: IssueComment) => boolean): Promise<IssueComment | undefined> {
  const comments = await paginate<IssueComment>(input.client, "GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: input.owner,
    repo: input.repo,
    issue_number: input.pr,
    request: { signal: input.signal },
  });
  let newest: IssueComment | undefined;
  for (const comment of comments) {
    if (!matches(comment)) continue;
    if (!writtenByBot(comment.user, input.botLogin)) continue;
    if (!newest || comment.id > newest.id) newest = comment;
  }
  return newest;
}

function sameStamp(a: StickyMeta | undefined, b: StickyMeta): boolean {
  return a !== undefined && a.head_sha === b.head_sha && a.generated_at === b.generated_at && a.body_hash === b.body_hash && a.verdict === b.verdict;
}

async function minimizeComment(client: GitHubClient, nodeId: string, signal?: AbortSignal): Promise<number> {
  await client.graphql("mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }", {
    id: nodeId,
    request: { signal },
  });
  return 1;
}

function noticeBody(input: StickyCommentInput, before: Verdict, url: string): string {
  const who = mentionable(input.author) ? `@${input.author} ` : "";
  const headline = input.headline.replace(/\s+/g, " ").trim().slice(0, 500);
  const name = input.project ? `Rocky review (${input.project})` : "Rocky review";
  return `${noticeMarker(input.project)}\n${who}${name} got worse on \`${input.headSha.slice(0, 7)}\`: **${before}** → **${input.verdict}**. ${headline}\n\n[See the updated review](${url})`;
}

/**
 * A login worth an @-mention: a user's, as GitHub spells logins (letters, digits, single hyphens).
 * A bot's (`renovate[bot]`, `dependabot[bot]`) is not: stripping its brackets names another account.
 */
export function mentionable(login: string | undefined): login is string {
  return login !== undefined && /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(login);
}
