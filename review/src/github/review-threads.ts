import { isTokenRefusal } from "./check-runs.js";
import { errorMessage, type GitHubClient } from "./github-client.js";
import { isProjectFingerprint, parseFingerprints, writtenByBot } from "./markers.js";

/**
 * The review threads of fixed findings. Each inline comment carries its finding's fingerprint;
 * on every run, a thread this bot started (the same identity rule as for its other comments: the
 * bot's login when known, else any Bot) whose fingerprints are all this project's and none is
 * among the current findings is resolved (`resolveReviewThread`), so fixed findings stop holding
 * "require conversation resolution" back. A finding that comes back reopens its thread
 * (`unresolveReviewThread`) rather than starting a second one, when a bot resolved it; a thread a
 * person resolved stays resolved. Never touched: threads a person or another bot started, threads
 * of another project's fingerprints, and threads someone other than the PR's author replied in
 * (the reply may ask something the fix does not answer; the author's own "fixed, thanks" does not
 * keep a thread open).
 *
 * Threads are read through GraphQL only when the REST comments show a thread of ours that may
 * need a change. A token that may not resolve threads (GitHub asks for contents: write) leaves
 * them open with a note; nothing here is ever a reason to fail the review.
 */

/** A review comment as `pulls/list-review-comments` returns it (the fields read here). */
export interface ReviewCommentRow {
  readonly id: number;
  readonly node_id?: string;
  readonly body?: string;
  readonly in_reply_to_id?: number | null;
  readonly user: { readonly login: string; readonly type: string } | null;
}

export interface ThreadSyncInput {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  /** Every review comment of the PR (REST rows), read once by the caller. */
  readonly comments: readonly ReviewCommentRow[];
  /** Every current finding's fingerprint, as comments carry them (project-prefixed, sanitized). Undefined: not known, and no thread is resolved. */
  readonly current?: ReadonlySet<string>;
  /** Fingerprints of the findings this run comments on (same form): a thread of theirs that a bot resolved is reopened. */
  readonly present: ReadonlySet<string>;
  readonly botLogin?: string;
  readonly project?: string;
  /** The PR's author: their replies do not keep a thread open. */
  readonly prAuthor?: string;
  /** At most this many resolve and unresolve writes per run (default 50); the rest on the next run. */
  readonly maxWrites?: number;
  readonly signal?: AbortSignal;
}

export interface ThreadSyncResult {
  readonly resolved: number;
  readonly reopened: number;
  /** Threads of fixed findings left open because someone other than the PR's author replied in them. */
  readonly joined: number;
  readonly writes: number;
  readonly reads: number;
  /** Threads left as they are, said for the run's log: the token may not change them, or over the per-run cap. */
  readonly notes: readonly string[];
  /** Resolve/unresolve writes GitHub refused for another reason than the token (one error each). */
  readonly errors: readonly unknown[];
}

interface ThreadNode {
  readonly id: string;
  readonly isResolved: boolean;
  readonly resolvedBy: { readonly login: string } | null;
  readonly viewerCanResolve: boolean;
  readonly viewerCanUnresolve: boolean;
  readonly comments: { readonly nodes: readonly ({ readonly id: string } | null)[] };
}

interface ThreadStart {
  readonly fingerprints: readonly string[];
  /** Someone other than this bot and the PR's author replied. */
  joined: boolean;
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $pr: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $pr) {
      reviewThreads(first: 100, after: $cursor) {
        nodes { id isResolved resolvedBy { login } viewerCanResolve viewerCanUnresolve comments(first: 1) { nodes { id } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;
const RESOLVE = "mutation($threadId: ID!) { resolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } } }";
const UNRESOLVE = "mutation($threadId: ID!) { unresolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } } }";
/** 30 pages of 100 threads, as the REST lists are read. */
const MAX_PAGES = 30;

const NOTHING: ThreadSyncResult = { resolved: 0, reopened: 0, joined: 0, writes: 0, reads: 0, notes: [], errors: [] };

export async function syncReviewThreads(input: ThreadSyncInput): Promise<ThreadSyncResult> {
  const starts = threadStarts(input);
  const fixed = (start: ThreadStart) => input.current !== undefined && start.fingerprints.every((fp) => !input.current?.has(fp));
  const back = (start: ThreadStart) => start.fingerprints.some((fp) => input.present.has(fp));
  if (![...starts.values()].some((s) => fixed(s) || back(s))) return NOTHING;

  const { threads, reads } = await listThreads(input);
  const changes: { readonly thread: ThreadNode; readonly resolve: boolean }[] = [];
  let joined = 0;
  for (const thread of threads) {
    const start = starts.get(thread.comments.nodes[0]?.id ?? "");
    if (!start) continue;
    if (!thread.isResolved && fixed(start)) {
      if (start.joined) joined += 1;
      else changes.push({ thread, resolve: true });
    } else if (thread.isResolved && back(start) && thread.resolvedBy === null) {
      // resolvedBy is a User: null when a bot (this one) resolved it; a person's resolution stands.
      changes.push({ thread, resolve: false });
    }
  }

  const max = input.maxWrites ?? 50;
  const notes: string[] = [];
  const errors: unknown[] = [];
  let resolved = 0;
  let reopened = 0;
  let writes = 0;
  // Threads left as they are because the token may not change them, and GitHub's reason.
  const refused = { count: 0, why: "" };
  for (const [index, change] of changes.entries()) {
    if (index >= max) {
      notes.push(`${changes.length - max} more review threads are resolved or reopened on the next run (at most ${max} per run)`);
      break;
    }
    const allowed = change.resolve ? change.thread.viewerCanResolve : change.thread.viewerCanUnresolve;
    if (refused.count > 0 || !allowed) {
      refused.count += 1;
      refused.why ||= `GitHub says this token may not ${change.resolve ? "resolve" : "unresolve"} them`;
      continue;
    }
    try {
      writes += 1;
      await input.client.graphql(change.resolve ? RESOLVE : UNRESOLVE, { threadId: change.thread.id, request: { signal: input.signal } });
      if (change.resolve) resolved += 1;
      else reopened += 1;
    } catch (error) {
      if (input.signal?.aborted) throw error;
      const why = refusal(error);
      if (why === undefined) errors.push(error);
      else {
        // Once the token is refused, every other thread would be too: not asked again.
        refused.count += 1;
        refused.why = why;
      }
    }
  }
  if (refused.count > 0) {
    notes.push(
      `${refused.count} review thread${refused.count === 1 ? "" : "s"} of Rocky's findings left as ${refused.count === 1 ? "it is" : "they are"}: ${refused.why}. ` +
        "Resolving a review thread needs contents: write on top of pull-requests: write (docs/github.md, \"Review threads of fixed findings\").",
    );
  }
  return { resolved, reopened, joined, writes, reads, notes, errors };
}

/** This bot's thread starts of this project, by GraphQL node id, with whether someone else joined in. */
function threadStarts(input: ThreadSyncInput): Map<string, ThreadStart> {
  const ours = (user: ReviewCommentRow["user"]) => writtenByBot(user, input.botLogin);
  const byId = new Map<number, ThreadStart>();
  const byNode = new Map<string, ThreadStart>();
  for (const row of input.comments) {
    if (row.in_reply_to_id !== undefined && row.in_reply_to_id !== null) continue;
    if (!row.node_id || !row.body || !ours(row.user)) continue;
    const fingerprints = parseFingerprints(row.body);
    if (fingerprints.length === 0 || !fingerprints.every((fp) => isProjectFingerprint(fp, input.project))) continue;
    const start: ThreadStart = { fingerprints, joined: false };
    byId.set(row.id, start);
    byNode.set(row.node_id, start);
  }
  for (const row of input.comments) {
    const start = row.in_reply_to_id ? byId.get(row.in_reply_to_id) : undefined;
    if (start && !ours(row.user) && (input.prAuthor === undefined || row.user?.login !== input.prAuthor)) start.joined = true;
  }
  return byNode;
}

async function listThreads(input: ThreadSyncInput): Promise<{ threads: ThreadNode[]; reads: number }> {
  const threads: ThreadNode[] = [];
  let cursor: string | null = null;
  let reads = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    reads += 1;
    const data = (await input.client.graphql(THREADS_QUERY, { owner: input.owner, repo: input.repo, pr: input.pr, cursor, request: { signal: input.signal } })) as {
      repository?: { pullRequest?: { reviewThreads?: { nodes?: (ThreadNode | null)[]; pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } } | null } | null } | null;
    };
    const connection = data?.repository?.pullRequest?.reviewThreads;
    if (!connection) throw new Error(`GraphQL: no review threads for PR #${input.pr} of ${input.owner}/${input.repo}`);
    for (const node of connection.nodes ?? []) if (node) threads.push(node);
    if (!connection.pageInfo?.hasNextPage || !connection.pageInfo.endCursor) break;
    cursor = connection.pageInfo.endCursor;
  }
  return { threads, reads };
}

/** GitHub's reason when it refused the token (GraphQL FORBIDDEN, or a 401/403 refusal); undefined for other errors. */
function refusal(error: unknown): string | undefined {
  const errors = (error as { errors?: readonly { type?: string; message?: string }[] } | null)?.errors;
  const forbidden = Array.isArray(errors) ? errors.find((e) => e?.type === "FORBIDDEN") : undefined;
  if (forbidden) return `GitHub refused: ${forbidden.message ?? "FORBIDDEN"}`;
  return isTokenRefusal(error) ? `GitHub refused: ${errorMessage(error)}` : undefined;
}
