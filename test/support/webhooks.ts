/**
 * Webhook payloads from @octokit/webhooks-examples (GitHub's own samples, the Codertocat/Hello-World
 * repository), patched for what the samples lack: a fork PR, a merged PR, a comment on a PR, a
 * push to the default branch. Sent signed over HTTP with X-GitHub-Delivery like GitHub does.
 */
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are large free-form JSON.
export type Payload = any;

interface ExampleEvent {
  readonly name: string;
  readonly examples: Payload[];
}

let examples: ExampleEvent[] | undefined;

function example(name: string, pick: (p: Payload) => boolean): Payload {
  examples ??= require("@octokit/webhooks-examples") as ExampleEvent[];
  const found = examples.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

export const REPO_OWNER = "Codertocat";
export const REPO_NAME = "Hello-World";
export const INSTALLATION_ID = 1;

export interface PullRequestEventOptions {
  readonly action: "opened" | "synchronize" | "reopened" | "ready_for_review" | "closed";
  readonly number?: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef?: string;
  readonly author?: string;
  readonly authorAssociation?: string;
  /** Head repository of a fork, e.g. "forker/Hello-World". */
  readonly forkRepo?: string;
  readonly merged?: boolean;
  readonly mergeCommitSha?: string;
  readonly draft?: boolean;
}

export function pullRequestEvent(options: PullRequestEventOptions): Payload {
  const payload = example("pull_request", (p) => p.action === "synchronize");
  const number = options.number ?? 2;
  const pr = payload.pull_request;
  payload.action = options.action;
  payload.number = number;
  pr.number = number;
  pr.head.sha = options.headSha;
  pr.base.sha = options.baseSha;
  pr.base.ref = options.baseRef ?? "main";
  pr.user.login = options.author ?? "analyst";
  pr.author_association = options.authorAssociation ?? "MEMBER";
  pr.state = options.action === "closed" ? "closed" : "open";
  pr.merged = options.merged ?? false;
  pr.merge_commit_sha = options.mergeCommitSha ?? null;
  pr.draft = options.draft ?? false;
  payload.repository.default_branch = "main";
  if (options.forkRepo) {
    const [login] = options.forkRepo.split("/");
    pr.head.repo = { ...structuredClone(pr.head.repo), full_name: options.forkRepo, fork: true, owner: { ...pr.head.repo.owner, login } };
    pr.head.label = `${login}:${pr.head.ref}`;
    pr.author_association = options.authorAssociation ?? "CONTRIBUTOR";
  }
  if (options.action !== "synchronize") {
    delete payload.before;
    delete payload.after;
  }
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

export interface IssueCommentOptions {
  readonly number?: number;
  readonly body: string;
  readonly commenter?: string;
  readonly association?: string;
  readonly commentId?: number;
}

/** A comment on a PR (the samples only have comments on plain issues: add issue.pull_request). */
export function prCommentEvent(options: IssueCommentOptions): Payload {
  const payload = example("issue_comment", (p) => p.action === "created");
  const number = options.number ?? 2;
  payload.issue.number = number;
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${REPO_OWNER}/${REPO_NAME}/pulls/${number}`,
    html_url: `https://github.com/${REPO_OWNER}/${REPO_NAME}/pull/${number}`,
    diff_url: `https://github.com/${REPO_OWNER}/${REPO_NAME}/pull/${number}.diff`,
    patch_url: `https://github.com/${REPO_OWNER}/${REPO_NAME}/pull/${number}.patch`,
  };
  payload.comment.body = options.body;
  payload.comment.id = options.commentId ?? 4242;
  payload.comment.user.login = options.commenter ?? "maintainer";
  payload.comment.author_association = options.association ?? "MEMBER";
  payload.repository.full_name = `${REPO_OWNER}/${REPO_NAME}`;
  payload.repository.name = REPO_NAME;
  payload.repository.owner.login = REPO_OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

/** check_run.rerequested for one of our runs (pull_requests is empty for fork heads: external_id maps it back). */
export function checkRunRerequestedEvent(options: { readonly headSha: string; readonly externalId: string; readonly name?: string; readonly id?: number }): Payload {
  const payload = example("check_run", (p) => p.action === "rerequested");
  payload.check_run.head_sha = options.headSha;
  payload.check_run.external_id = options.externalId;
  payload.check_run.name = options.name ?? "rocky/contracts";
  payload.check_run.id = options.id ?? 77;
  payload.check_run.pull_requests = [];
  payload.repository.full_name = `${REPO_OWNER}/${REPO_NAME}`;
  payload.repository.name = REPO_NAME;
  payload.repository.owner.login = REPO_OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

/** check_suite.rerequested ("Re-run all checks"); `pullRequests` empty as for a fork head. */
export function checkSuiteRerequestedEvent(options: { readonly headSha: string; readonly pullRequests?: readonly number[]; readonly appId?: number }): Payload {
  const payload = example("check_suite", (p) => p.action === "rerequested");
  payload.check_suite.head_sha = options.headSha;
  payload.check_suite.after = options.headSha;
  const template = payload.check_suite.pull_requests[0];
  payload.check_suite.pull_requests = (options.pullRequests ?? []).map((number) => ({ ...structuredClone(template), number, head: { ...template.head, sha: options.headSha } }));
  if (options.appId !== undefined) payload.check_suite.app.id = options.appId;
  payload.repository.full_name = `${REPO_OWNER}/${REPO_NAME}`;
  payload.repository.name = REPO_NAME;
  payload.repository.owner.login = REPO_OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

export function pushEvent(options: { readonly ref: string; readonly after: string; readonly before?: string; readonly defaultBranch?: string }): Payload {
  const payload = example("push", (p) => p.installation !== undefined);
  payload.ref = options.ref;
  payload.after = options.after;
  payload.before = options.before ?? "0".repeat(40);
  payload.deleted = false;
  payload.repository.default_branch = options.defaultBranch ?? "main";
  payload.repository.full_name = `${REPO_OWNER}/${REPO_NAME}`;
  payload.repository.name = REPO_NAME;
  payload.repository.owner.login = REPO_OWNER;
  payload.repository.owner.name = REPO_OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

export function mergeGroupEvent(options: { readonly headSha: string; readonly baseSha: string }): Payload {
  const base = pullRequestEvent({ action: "opened", headSha: options.headSha, baseSha: options.baseSha });
  return {
    action: "checks_requested",
    merge_group: { head_sha: options.headSha, head_ref: `refs/heads/gh-readonly-queue/main/pr-2-${options.baseSha.slice(0, 8)}`, base_sha: options.baseSha, base_ref: "refs/heads/main", head_commit: { id: options.headSha, message: "Merge pull request #2" } },
    repository: base.repository,
    installation: base.installation,
    sender: base.sender,
  };
}

export interface DeliveryOptions {
  readonly event: string;
  readonly payload: Payload;
  readonly delivery: string;
  readonly secret: string;
  /** Sign with this secret instead (a forged delivery). */
  readonly signWith?: string;
  readonly path?: string;
}

/** POSTs a signed delivery the way GitHub does; resolves with the HTTP status and body text. */
export async function deliver(baseUrl: string, options: DeliveryOptions): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(options.payload);
  const signature = await sign(options.signWith ?? options.secret, body);
  const response = await fetch(`${baseUrl}${options.path ?? "/api/github/webhooks"}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-event": options.event,
      "x-github-delivery": options.delivery,
      "x-github-hook-id": "1",
      "x-hub-signature-256": signature,
    },
  });
  return { status: response.status, body: await response.text() };
}
