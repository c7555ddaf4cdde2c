/**
 * The GitHub App (Probot). Handlers are guard clauses and one call: they record the delivery
 * (a redelivery does nothing twice), schedule the work in the background and return, so GitHub
 * gets its answer at once. Per PR, the newest head SHA wins: an older run is aborted and its check
 * runs end `cancelled`; the publisher re-checks the PR head before posting anything.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { gitClient } from "../../review/src/github/git-client.js";
import {
  asGitHubClient,
  cancelChecks,
  completeChecks,
  type DeliveryLog,
  errorMessage,
  parseExternalId,
  publishReview,
  type ReviewRunner,
  startChecks,
  type WarehousePort,
} from "../../review/src/github/index.js";
import { notRunChecks } from "../../review/src/render/checks.js";
import type { RenderedCheck } from "../../review/src/report/rendered.js";
import { HELP_TEXT, parseCommand, TRUSTED_ASSOCIATIONS } from "./commands.js";
import { type FetchRepo, fetchedRef } from "./fetch-repo.js";
import { parseRepoSettings, type RepoSettings, SETTINGS_PATH, type SettingsProblem } from "./repo-settings.js";
import { RunRegistry, SupersededError } from "./run-registry.js";

export interface AppDeps {
  readonly review: ReviewRunner;
  readonly fetchRepo: FetchRepo;
  readonly deliveries: DeliveryLog;
  /** Branch schemas and production runs for a fetched repository; absent = static review only. */
  readonly warehouseFor?: (repo: { readonly repoDir: string; readonly projectDir?: string; readonly repository: string }) => WarehousePort;
  /** The app's bot login (`<slug>[bot]`), to recognise its own comments; default any Bot. */
  readonly botLogin?: string;
  /**
   * Start the five check runs `in_progress` once the repository and its settings are read (and end them `cancelled` when a
   * newer push supersedes it). Default off: a typical review then costs 6 writes (5 completed check
   * runs + the comment) instead of 11; a superseded run simply never posts. `ROCKY_PROGRESS_CHECKS=on`.
   */
  readonly progressChecks?: boolean;
}

export interface RockyApp {
  readonly appFn: ApplicationFunction;
  /** Resolves when every scheduled job has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** What a job needs to know about a PR. */
export interface PrTarget {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly author?: string;
  readonly association?: string;
  readonly fork: boolean;
}

const REVIEW_EVENTS = ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"] as const;

// Probot's context types differ per event; the handlers only read fields every variant has.
type AnyContext = Context;
type PullPayload = {
  number: number;
  state?: string;
  merged?: boolean | null;
  merge_commit_sha?: string | null;
  author_association?: string;
  user?: { login?: string } | null;
  head: { sha: string; repo?: { full_name?: string } | null };
  base: { sha: string; ref: string; repo?: { full_name?: string } | null };
};

export function createApp(deps: AppDeps): RockyApp {
  const runs = new RunRegistry();
  /** `owner/repo#pr@headSha` a maintainer allowed to run on the warehouse with `/rocky run`. */
  const approvals = new Set<string>();

  const appFn: ApplicationFunction = (app: Probot) => {
    app.on([...REVIEW_EVENTS], async (context) => {
      if (!(await firstDelivery(context))) return;
      // Drafts are reviewed too, as the Action does: the checks are required, and a draft that turns
      // ready with no new push must not find them "Expected" (ready_for_review re-runs it anyway).
      const target = prTarget(context, context.payload.pull_request as PullPayload);
      schedule(context, `rocky review of PR #${target.number}`, () => reviewJob(context, target));
    });

    app.on("pull_request.closed", async (context) => {
      if (!(await firstDelivery(context))) return;
      const pull = context.payload.pull_request as PullPayload;
      const { owner, repo } = context.repo();
      runs.cancel(`${owner}/${repo}#${pull.number}`, "pull request closed");
      if (!deps.warehouseFor) return context.log.debug(`PR #${pull.number} closed: no warehouse, nothing to drop`);
      schedule(context, `closing PR #${pull.number}`, () => closeJob(context, pull));
    });

    // "Re-run" on one rocky/* check: its PR is in external_id (pull_requests is empty for forks).
    app.on("check_run.rerequested", async (context) => {
      if (!(await firstDelivery(context))) return;
      const pr = parseExternalId(context.payload.check_run.external_id)?.pr;
      if (pr === undefined) return context.log.debug("check_run.rerequested for a run without a PR: ignored");
      schedule(context, `re-run of the rocky review of PR #${pr}`, async () => reviewJob(context, await fetchTarget(context, pr), { rerun: true }));
    });

    // "Re-run all checks" (or "Re-run failed checks") on the App's check suite.
    app.on("check_suite.rerequested", async (context) => {
      if (!(await firstDelivery(context))) return;
      const suite = context.payload.check_suite;
      schedule(context, `re-run of the rocky review of ${suite.head_sha.slice(0, 7)}`, async () => {
        const pr = suite.pull_requests?.[0]?.number ?? (await prOfChecks(context, suite.head_sha, suite.app?.id ?? undefined));
        if (pr === undefined) return context.log.info(`check suite of ${suite.head_sha.slice(0, 7)} re-requested, but no PR has a rocky review on it: nothing to re-run`);
        await reviewJob(context, await fetchTarget(context, pr), { rerun: true });
      });
    });

    app.on("issue_comment.created", async (context) => {
      if (!(await firstDelivery(context))) return;
      const { issue, comment } = context.payload;
      if (!issue.pull_request) return;
      if (comment.user?.type === "Bot") return;
      const command = parseCommand(comment.body ?? "");
      if (!command) return;
      schedule(context, `/rocky ${command} on PR #${issue.number}`, () => commandJob(context, command, issue.number, comment.id, String(comment.author_association ?? "")));
    });

    app.on("push", async (context) => {
      if (!(await firstDelivery(context))) return;
      const { ref, before, after, repository, deleted } = context.payload;
      if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
      if (!deps.warehouseFor) return context.log.debug("push to the default branch: no warehouse, no production run");
      // One production run per repository at a time, in push order.
      schedule(context, `production run of ${context.repo().owner}/${context.repo().repo} ${pushRange(before, after)}`, () => runs.inTurn(`production ${repositoryOf(context)}`, () => productionJob(context, { before, after, ref })));
    });
  };

  async function firstDelivery(context: AnyContext): Promise<boolean> {
    if (await deps.deliveries.record(context.id)) return true;
    context.log.info(`delivery ${context.id} was already handled (or is being handled): ignored`);
    return false;
  }

  /**
   * Runs `job` after the webhook is answered; a failure is logged at error level as "<what>
   * failed: <why>" and the delivery is forgotten, so "Redeliver" in the App's settings runs it again.
   */
  function schedule(context: AnyContext, what: string, job: () => Promise<void>): void {
    runs.background(job, async (error) => {
      context.log.error({ err: error }, `${what} failed: ${errorMessage(error)} (redeliver ${context.id} to run it again)`);
      await deps.deliveries.forget(context.id).catch((forgetError: unknown) => context.log.warn(`delivery ${context.id} could not be forgotten: ${errorMessage(forgetError)}`));
    });
  }

  function prTarget(context: AnyContext, pull: PullPayload): PrTarget {
    const { owner, repo } = context.repo();
    const headRepo = pull.head.repo?.full_name;
    return {
      owner,
      repo,
      number: pull.number,
      headSha: pull.head.sha,
      baseSha: pull.base.sha,
      baseRef: pull.base.ref,
      author: pull.user?.login,
      association: pull.author_association,
      fork: headRepo === undefined || headRepo !== (pull.base.repo?.full_name ?? `${owner}/${repo}`),
    };
  }

  /**
   * The PR a head's rocky check runs were posted for (their external_id): fork heads list no PR in
   * the payload. Any of the App's runs will do: with a project-name they are `rocky/compile (finance)`, ….
   */
  async function prOfChecks(context: AnyContext, headSha: string, appId: number | undefined): Promise<number | undefined> {
    const { owner, repo } = context.repo();
    const { data } = await context.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: headSha, per_page: 100, ...(appId !== undefined ? { app_id: appId } : {}) });
    for (const run of data.check_runs) {
      const pr = parseExternalId(run.external_id ?? undefined)?.pr;
      if (pr !== undefined) return pr;
    }
    return undefined;
  }

  async function fetchTarget(context: AnyContext, pr: number): Promise<PrTarget> {
    const { owner, repo } = context.repo();
    const pull = (await context.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: pr })).data as unknown as PullPayload;
    return prTarget(context, pull);
  }

  function mayExecute(target: PrTarget): boolean {
    if (!target.fork && TRUSTED_ASSOCIATIONS.has(target.association ?? "")) return true;
    return approvals.has(`${target.owner}/${target.repo}#${target.number}@${target.headSha}`);
  }

  async function reviewJob(context: AnyContext, target: PrTarget, how: { readonly rerun?: boolean } = {}): Promise<void> {
    const key = `${target.owner}/${target.repo}#${target.number}`;
    const run = runs.start(key, target.headSha);
    const client = asGitHubClient(context.octokit);
    const checkTarget = { client, owner: target.owner, repo: target.repo, headSha: target.headSha, signal: run.signal };
    const runKey = `${context.id}`;
    const started: Record<string, number> = {};
    // Once the review is posted, a later failure (the warehouse) must not touch its check runs.
    let posted = false;
    // The settings' project-name names the check runs; unknown until they are read (then: the plain names).
    let project: string | undefined;
    try {
      // A read obtains the installation token through the request hook (which knows the base URL;
      // a bare auth() call would not).
      await context.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: target.owner, repo: target.repo, pull_number: target.number, request: { signal: run.signal } });
      const repoDir = await deps.fetchRepo({ owner: target.owner, repo: target.repo, token: await installationToken(context), refs: [`refs/heads/${target.baseRef}`, `refs/pull/${target.number}/head`], shas: [target.headSha, target.baseSha] });
      run.signal.throwIfAborted();
      const settings = parseRepoSettings(await readSettings(repoDir, `refs/heads/${target.baseRef}`, target.baseSha));
      project = settings.ok ? settings.value.projectName : settings.projectName;
      // Progress checks start once the settings are read: their names carry the project-name.
      if (deps.progressChecks === true) await startChecks(checkTarget, { pr: target.number, runKey, into: started, project });
      if (!settings.ok) {
        await completeChecks({ ...checkTarget, signal: undefined }, { checks: settingsChecks(settings.problems), pr: target.number, runKey, started, project });
        return;
      }
      const outcome = await deps.review(reviewOptions(repoDir, target, settings.value));
      run.signal.throwIfAborted();
      const result = await publishReview({
        octokit: context.octokit,
        owner: target.owner,
        repo: target.repo,
        pr: target.number,
        headSha: target.headSha,
        rendered: outcome.rendered,
        signal: run.signal,
        options: { commentMode: settings.value.comment, runKey, started, author: target.author, botLogin: deps.botLogin, inlineComments: settings.value.inlineComments, maxInlineComments: settings.value.maxInlineComments, resolveThreads: settings.value.resolveThreads, rerun: how.rerun, project },
      });
      posted = true;
      context.log.info(`PR #${target.number} @ ${target.headSha.slice(0, 7)}: comment ${result.comment}, ${result.checks.length} checks, ${result.review.posted} inline, ${result.writes} writes${result.reason ? ` (${result.reason})` : ""}`);
      for (const problem of result.errors) context.log.warn(`PR #${target.number}: ${problem}`);
      // Warehouse work only after the static review is posted: an outage never holds it back.
      if (deps.warehouseFor && settings.value.branchSchema && mayExecute(target) && !run.signal.aborted) {
        try {
          await deps.warehouseFor({ repoDir, projectDir: settings.value.workingDirectory, repository: `${target.owner}/${target.repo}` }).createBranch(target.number, target.headSha, target.baseSha);
        } catch (error) {
          throw new Error(`PR #${target.number}: the review was posted, but the branch schema could not be built: ${errorMessage(error)}`, { cause: error });
        }
      }
    } catch (error) {
      if (posted) throw error;
      const superseded = run.signal.aborted && run.signal.reason instanceof SupersededError;
      if (run.signal.aborted) {
        const title = superseded ? "Superseded by a newer push" : "Cancelled";
        const summary = superseded ? `This run for \`${target.headSha.slice(0, 7)}\` was ${run.signal.reason.message}.` : String((run.signal.reason as Error)?.message ?? "cancelled");
        await cancelChecks({ ...checkTarget, signal: undefined }, started, title, summary);
        return;
      }
      // The review could not be made (clone, project, settings, review core): rocky/compile fails
      // with the error, so required checks never wait for a review that will not come.
      try {
        await completeChecks({ ...checkTarget, signal: undefined }, { checks: reviewFailedChecks(errorMessage(error)), pr: target.number, runKey, started, skipUnchanged: false, project });
      } catch (postError) {
        context.log.warn(`PR #${target.number}: could not mark rocky/compile failed: ${errorMessage(postError)}`);
      }
      throw error;
    } finally {
      runs.finish(key, run.id);
    }
  }

  async function commandJob(context: AnyContext, command: ReturnType<typeof parseCommand>, pr: number, commentId: number, association: string): Promise<void> {
    const { owner, repo } = context.repo();
    await context.octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner, repo, comment_id: commentId, content: "eyes" });
    if (command === "help") {
      await context.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: pr, body: HELP_TEXT });
      return;
    }
    // Both clone and review the PR: only people with write access may ask (anyone else's push re-runs the review anyway).
    if (!TRUSTED_ASSOCIATIONS.has(association)) {
      const body =
        command === "run"
          ? "`/rocky run` needs a maintainer (owner, member or collaborator): warehouse execution of this PR's SQL was not approved."
          : "`/rocky review` can be asked by the repository's owners, members and collaborators; a new push to the PR re-runs the review.";
      await context.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: pr, body });
      return;
    }
    const target = await fetchTarget(context, pr);
    if (command === "run") approvals.add(`${owner}/${repo}#${pr}@${target.headSha}`);
    await reviewJob(context, target, { rerun: true });
  }

  /**
   * A closed PR only drops its branch schema. A merge's production run belongs to the push it
   * makes to the default branch (productionJob): running it here too would run production twice.
   */
  async function closeJob(context: AnyContext, pull: PullPayload): Promise<void> {
    const mergeSha = pull.merged ? (pull.merge_commit_sha ?? undefined) : undefined;
    const { repoDir, settings } = await repositoryAt(context, mergeSha ?? pull.base.sha, `refs/heads/${pull.base.ref}`);
    if (!settings.branchSchema) return context.log.debug(`PR #${pull.number} closed: branch-schema is off, nothing to drop`);
    await deps.warehouseFor?.({ repoDir, projectDir: settings.workingDirectory, repository: repositoryOf(context) }).dropBranch(pull.number, pull.base.sha);
  }

  /** Production runs once per push to the default branch, over every commit it brought (before..after). */
  async function productionJob(context: AnyContext, push: { readonly before?: string; readonly after: string; readonly ref: string }): Promise<void> {
    const { repoDir, settings } = await repositoryAt(context, push.after, push.ref);
    if (!settings.productionRun) return context.log.debug("push to the default branch: production-run is off");
    // A failed run throws naming the failed models; schedule logs it at error level.
    await deps.warehouseFor?.({ repoDir, projectDir: settings.workingDirectory, repository: repositoryOf(context) }).runProduction(push.after, push.before);
    context.log.info(`production run of ${pushRange(push.before, push.after)} succeeded`);
  }

  /** Fetches `sha` (via `ref`) and reads the review settings at the tip of `ref` (readSettings). */
  async function repositoryAt(context: AnyContext, sha: string, ref: string): Promise<{ repoDir: string; settings: RepoSettings }> {
    const { owner, repo } = context.repo();
    // One request through the hook first: it obtains and caches the installation token for the
    // right base URL (a bare auth() call would ask api.github.com, wrong on GHES).
    await context.octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
    const repoDir = await deps.fetchRepo({ owner, repo, token: await installationToken(context), refs: [ref], shas: [sha] });
    const parsed = parseRepoSettings(await readSettings(repoDir, ref, sha));
    if (!parsed.ok) throw new Error(`${SETTINGS_PATH} is invalid: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join("; ")}`);
    return { repoDir, settings: parsed.value };
  }

  return { appFn, idle: () => runs.idle() };
}

/** `owner/repo` of a delivery: whose branch records, run history and watermarks a warehouse job reads and writes. */
function repositoryOf(context: AnyContext): string {
  const { owner, repo } = context.repo();
  return `${owner}/${repo}`;
}

/** "abc1234..def5678" for a push (just "def5678" when it created the branch). */
function pushRange(before: string | undefined, after: string): string {
  return `${before && !/^0+$/.test(before) ? `${before.slice(0, 7)}..` : ""}${after.slice(0, 7)}`;
}

async function installationToken(context: AnyContext): Promise<string> {
  const auth = (await context.octokit.auth({ type: "installation" })) as { token?: string };
  if (!auth.token) throw new Error("no installation token: is the app installed on this repository?");
  return auth.token;
}

function reviewOptions(repoDir: string, target: PrTarget, settings: RepoSettings) {
  return {
    repoDir,
    base: target.baseSha,
    head: target.headSha,
    projectDir: settings.workingDirectory,
    // The App never passes its own environment into the PR's TOML: `${VAR}` resolves to nothing.
    env: {},
    targetDialect: settings.targetDialect,
    maskEnv: settings.env,
    failOn: settings.failOn,
  };
}

/**
 * `.github/rocky.yml` as the repository has it now: at the tip of the base branch (`ref`, just
 * fetched), never at the PR's head (a PR cannot relax the checks it is held to) nor at the PR's
 * base SHA (a fix merged to main since the PR was opened applies on its next run). `fallback` (the
 * event's commit on that branch) only when the fetched ref is not there.
 */
async function readSettings(repoDir: string, ref: string, fallback: string): Promise<string | undefined> {
  const tip = await gitClient(repoDir)
    .raw(["rev-parse", "--verify", "--quiet", `${fetchedRef(ref)}^{commit}`])
    .then((out) => out.trim())
    .catch(() => "");
  return readAtCommit(repoDir, tip === "" ? fallback : tip, SETTINGS_PATH);
}

async function readAtCommit(repoDir: string, sha: string, path: string): Promise<string | undefined> {
  try {
    return await gitClient(repoDir).show([`${sha}:${path}`]);
  } catch {
    return undefined;
  }
}

/** Invalid `.github/rocky.yml`: rocky/compile fails at the offending lines, the rest did not run. */
function settingsChecks(problems: readonly SettingsProblem[]): RenderedCheck[] {
  const list = problems.map((p) => `- \`${SETTINGS_PATH}\` line ${p.line}: ${p.message}`).join("\n");
  return notRunChecks(
    {
      title: `${SETTINGS_PATH} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
      summary: `The review did not run because the repository's review settings are invalid:\n\n${list}`,
      annotations: problems.map((p) => ({ path: SETTINGS_PATH, start_line: p.line, end_line: p.line, annotation_level: "failure" as const, title: "Invalid Rocky review setting", message: p.message })),
    },
    { title: "Not checked: review settings are invalid", summary: `Not checked, so not passed: see rocky/compile (\`${SETTINGS_PATH}\` is invalid).` },
  );
}

/** The review could not be made (clone, missing project, review core): rocky/compile fails with the error. */
function reviewFailedChecks(message: string): RenderedCheck[] {
  return notRunChecks(
    { title: "Rocky review could not run", summary: `The review could not run:\n\n\`\`\`\n${message}\n\`\`\`\n\nRe-run it with \`/rocky review\` or this check's Re-run button once the cause is fixed.`, annotations: [] },
    { title: "Not checked: the review could not run", summary: "Not checked, so not passed: see rocky/compile for why the review could not run." },
  );
}

