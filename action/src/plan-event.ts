/**
 * Turns the workflow event into what the Action does, as data (pure, tested without a runner).
 */

export type ActionPlan =
  | {
      readonly kind: "review";
      readonly pr: number;
      readonly headSha: string;
      readonly baseSha: string;
      readonly author?: string;
      /** Head repository differs from the base one: its SQL never runs on a warehouse, its TOML never sees secrets. */
      readonly fork: boolean;
      /**
       * The GITHUB_TOKEN cannot write: a fork PR on `pull_request`. On `pull_request_target` the
       * workflow runs in the base repository with a write token and secrets, fork or not.
       */
      readonly readOnlyToken: boolean;
      /** `pull_request_target`: secrets are present even for a fork, so a fork's TOML must not see the environment. */
      readonly target: boolean;
    }
  | { readonly kind: "merge-group"; readonly headSha: string; readonly baseSha: string }
  | { readonly kind: "closed"; readonly pr: number; readonly merged: boolean; readonly mergeSha?: string; readonly baseSha: string }
  /** A push to the default branch: `before` is the branch's previous tip (absent for a new branch). */
  | { readonly kind: "production"; readonly sha: string; readonly before?: string; /** The pushed default branch, `refs/heads/<name>`. */ readonly ref: string }
  | { readonly kind: "replay"; readonly headSha?: string }
  | { readonly kind: "ignore"; readonly reason: string };

const REVIEW_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

interface RepoRef {
  readonly full_name?: string;
  readonly default_branch?: string;
}

interface EventPayload {
  readonly action?: string;
  readonly ref?: string;
  readonly after?: string;
  readonly before?: string;
  readonly deleted?: boolean;
  readonly repository?: RepoRef;
  readonly pull_request?: {
    readonly number: number;
    readonly merged?: boolean;
    readonly merge_commit_sha?: string | null;
    readonly user?: { readonly login?: string };
    readonly head: { readonly sha: string; readonly repo?: RepoRef | null };
    readonly base: { readonly sha: string; readonly repo?: RepoRef | null };
  };
  readonly merge_group?: { readonly head_sha: string; readonly base_sha: string };
  readonly workflow_run?: { readonly head_sha?: string };
}

export function planEvent(eventName: string, payload: EventPayload, reviewFile: string | undefined): ActionPlan {
  switch (eventName) {
    case "pull_request":
    case "pull_request_target":
      return planPullRequest(payload, eventName === "pull_request_target");
    case "merge_group": {
      const group = payload.merge_group;
      if (!group) return { kind: "ignore", reason: "merge_group event without merge_group payload" };
      return { kind: "merge-group", headSha: group.head_sha, baseSha: group.base_sha };
    }
    case "push": {
      const defaultBranch = payload.repository?.default_branch;
      if (payload.deleted) return { kind: "ignore", reason: "branch deleted" };
      if (!defaultBranch || payload.ref !== `refs/heads/${defaultBranch}`) return { kind: "ignore", reason: `push to ${payload.ref ?? "?"} is not the default branch` };
      const before = payload.before && !/^0+$/.test(payload.before) ? payload.before : undefined;
      return { kind: "production", sha: payload.after ?? "", ref: payload.ref, ...(before ? { before } : {}) };
    }
    case "workflow_run":
      if (!reviewFile) return { kind: "ignore", reason: "workflow_run needs the `review-file` input (a review saved by the pull_request run)" };
      return { kind: "replay", headSha: payload.workflow_run?.head_sha };
    default:
      return { kind: "ignore", reason: `event ${eventName} is not handled` };
  }
}

function planPullRequest(payload: EventPayload, target: boolean): ActionPlan {
  const pr = payload.pull_request;
  if (!pr) return { kind: "ignore", reason: "pull_request event without pull_request payload" };
  if (payload.action === "closed") return { kind: "closed", pr: pr.number, merged: pr.merged === true, mergeSha: pr.merge_commit_sha ?? undefined, baseSha: pr.base.sha };
  if (!REVIEW_ACTIONS.has(payload.action ?? "")) return { kind: "ignore", reason: `pull_request.${payload.action} is not reviewed` };
  const headRepo = pr.head.repo?.full_name;
  const baseRepo = pr.base.repo?.full_name;
  const fork = headRepo === undefined || headRepo !== baseRepo;
  return { kind: "review", pr: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, author: pr.user?.login, fork, readOnlyToken: fork && !target, target };
}
