/**
 * The Action: read inputs once, plan from the event, review, post through the shared publisher,
 * set outputs, the job summary and (when check runs could not be posted) workflow annotations,
 * and fail the step by the fail-on policy. Every error path ends in one setFailed.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import {
  createResiliencePlugin,
  defaultReviewRunner,
  failingChecks,
  labelForProject,
  type PublishFailure,
  type PublishResult,
  parseSavedReview,
  projectCheckName,
  projectWarehouse,
  publishReview,
  type ReviewOutcome,
  type ReviewRunner,
  resilienceFromEnv,
  type SavedReview,
  type WarehousePort,
} from "../../review/src/github/index.js";
import { notRunChecks } from "../../review/src/render/checks.js";
import { type CheckAnnotation, type RenderedCheck, type RenderedReview } from "../../review/src/report/rendered.js";
import { type ActionInputs, multiLineSecrets, parseInputs } from "./inputs.js";
import { type ActionPlan, planEvent } from "./plan-event.js";
import { branchTip, findLastProduction, markProduction, PRODUCTION_CHECK, PRODUCTION_HISTORY_LIMIT } from "./production-marker.js";

export interface ActionDeps {
  readonly review?: ReviewRunner;
  /** Branch schemas and production runs; default: the engine's, when branch-schema or production-run is on. */
  readonly warehouse?: WarehousePort;
}

type Octokit = ReturnType<typeof github.getOctokit>;

export async function run(deps: ActionDeps = {}): Promise<void> {
  try {
    const parsed = parseInputs((name) => core.getInput(name));
    if (!parsed.ok) {
      core.setFailed(`Rocky review: invalid inputs\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`);
      return;
    }
    const inputs = parsed.value;
    // A multi-line secret (a PEM key) is masked by the runner only where it appears whole: mask each line.
    for (const line of multiLineSecrets(inputs.warehouseEnv)) core.setSecret(line);
    const context = github.context;
    const plan = planEvent(context.eventName, context.payload as Parameters<typeof planEvent>[1], inputs.reviewFile);
    const octokit = github.getOctokit(inputs.githubToken, { baseUrl: process.env.GITHUB_API_URL ?? "https://api.github.com" }, createResiliencePlugin(resilienceFromEnv(process.env, { log: (m) => core.info(m) })) as never);
    await execute(plan, inputs, { ...deps, warehouse: deps.warehouse ?? defaultWarehouse(inputs) }, octokit);
  } catch (error) {
    core.setFailed(`Rocky review failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The checked-out repository: the runner's workspace (the current directory in a local run). */
const workspaceDir = (): string => process.env.GITHUB_WORKSPACE ?? process.cwd();

/** The engine's branch schemas and production runs on the checked-out repository, when asked for. */
function defaultWarehouse(inputs: ActionInputs): WarehousePort | undefined {
  if (!inputs.branchSchema && !inputs.productionRun) return undefined;
  const env = tomlEnv(process.env, inputs.warehouseEnv);
  const repoDir = workspaceDir();
  return projectWarehouse({
    repoDir,
    projectDir: inputs.workingDirectory === "." ? undefined : inputs.workingDirectory,
    tomlEnv: env,
    secrets: env,
    // An embedded DuckDB runs the PR's SQL in this process, next to the runner's secrets: it may
    // touch only the checkout (docs/github.md, "Security").
    sandbox: { root: repoDir, name: "the repository checkout" },
    log: (message) => core.info(`Rocky review: ${message}`),
  });
}

async function execute(plan: ActionPlan, inputs: ActionInputs, deps: ActionDeps, octokit: Octokit): Promise<void> {
  const { owner, repo } = github.context.repo;
  switch (plan.kind) {
    case "ignore":
      core.info(`Rocky review: nothing to do (${plan.reason}).`);
      return;
    case "closed":
      return closePullRequest(plan, inputs, deps);
    case "production":
      return runProduction(plan.sha, plan.before, plan.ref, inputs, deps, octokit);
    case "merge-group": {
      const outcome = await computeOrReport(inputs, deps, inputs.base ?? plan.baseSha, plan.headSha, octokit);
      if (!outcome) return;
      const result = await publishReview({ octokit, owner, repo, headSha: plan.headSha, rendered: outcome.rendered, options: { commentMode: "off", runKey: `${github.context.runId}`, project: inputs.projectName } });
      return finish(outcome, result, undefined, undefined, inputs.projectName);
    }
    case "replay":
      return replay(plan, inputs, octokit);
    case "review": {
      // pull_request_target runs with secrets even for a fork: the fork's rocky.toml gets no environment (as in the App).
      const untrustedEnv = plan.fork && plan.target;
      if (untrustedEnv) core.info("Rocky review: fork pull request on pull_request_target: the review is posted, `${VAR}` in its rocky.toml resolves to nothing (no environment, no warehouse-env) and its SQL never runs on a warehouse.");
      const outcome = await computeOrReport(inputs, deps, inputs.base ?? plan.baseSha, plan.headSha, plan.readOnlyToken ? undefined : octokit, plan.pr, untrustedEnv);
      if (!outcome) return;
      const reportPath = saveReview(outcome, { number: plan.pr, headSha: plan.headSha, baseSha: plan.baseSha, author: plan.author }, inputs.projectName);
      let result: PublishResult | undefined;
      if (plan.readOnlyToken) {
        core.info("Rocky review: fork pull request on pull_request, the GITHUB_TOKEN is read-only: the review is in the job summary and annotations. See docs/github.md for the workflow_run pattern that posts it.");
      } else {
        result = await publishReview({
          octokit,
          owner,
          repo,
          pr: plan.pr,
          headSha: plan.headSha,
          rendered: outcome.rendered,
          options: { commentMode: inputs.comment, runKey: `${github.context.runId}`, author: plan.author, inlineComments: inputs.inlineComments, maxInlineComments: inputs.maxInlineComments, resolveThreads: inputs.resolveThreads, detailsUrl: runUrl(), project: inputs.projectName },
        });
      }
      await finish(outcome, result, reportPath, plan.readOnlyToken ? "fork pull request on pull_request (read-only token): posting needs the workflow_run pattern" : undefined, inputs.projectName);
      // The review is posted first: a warehouse failure never keeps it from the PR.
      if (result) await maybeCreateBranch(plan, inputs, deps, result);
      return;
    }
  }
}

/**
 * Computes the review; when it cannot run (shallow clone, no project at working-directory, a base
 * that is not there), fails rocky/compile with the error and marks the other checks not run, so
 * required checks never wait without a reason. Returns undefined after reporting the failure.
 */
async function computeOrReport(inputs: ActionInputs, deps: ActionDeps, base: string, head: string, octokit: Octokit | undefined, pr?: number, untrustedEnv = false): Promise<ReviewOutcome | undefined> {
  // A saved review that is refused (another head, not a review) posts nothing: that is the refusal.
  if (inputs.reviewFile) return computeReview(inputs, deps, base, head, untrustedEnv);
  try {
    return await computeReview(inputs, deps, base, head, untrustedEnv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An `env` the project does not define is a mistake in the inputs: said as one, nothing posted.
    if (error instanceof Error && error.name === "ReviewInputError" && (error as { code?: string }).code === "unknown-env") {
      core.setFailed(`Rocky review: invalid inputs\n- env: ${message.replace(/\n/g, " ")}`);
      return undefined;
    }
    let posted = "";
    if (octokit) {
      const { owner, repo } = github.context.repo;
      const result = await publishReview({ octokit, owner, repo, headSha: head, rendered: notRunReview(message), options: { commentMode: "off", runKey: `${github.context.runId}`, detailsUrl: runUrl(), project: inputs.projectName } });
      posted = result.failures.length === 0 ? " rocky/compile is marked failed with this error." : ` The failed rocky/compile check could not be posted either: ${postFailureText(result.failures)}`;
      if (pr !== undefined) core.setOutput("posted", false);
    }
    core.setFailed(`Rocky review could not run: ${message}${posted}`);
    await core.summary.addRaw(`## Rocky review could not run

${message}
`, true).write();
    return undefined;
  }
}

/** The review of a review that could not run: its checks only (notRunChecks), nothing to comment. */
function notRunReview(message: string): RenderedReview {
  const checks = notRunChecks(
    { title: "Rocky review could not run", summary: `The review did not run:\n\n\`\`\`\n${message}\n\`\`\`\n\nFix the workflow (see the step's log) and re-run the job.`, annotations: [] },
    { title: "Not checked: the review could not run", summary: "Not checked, so not passed: see rocky/compile for why the review did not run." },
  );
  return { reportVersion: 0, verdict: "fail", counts: { error: 1, warning: 0, info: 0 }, comment: "", headline: "", checks, inlineComments: [], touchesNoModels: false, outputs: { changedColumns: 0, blastRadius: 0, costDeltaUsdPerMonth: null } };
}

async function computeReview(inputs: ActionInputs, deps: ActionDeps, base: string, head: string, untrustedEnv = false): Promise<ReviewOutcome> {
  if (inputs.reviewFile) {
    const saved = readSaved(inputs.reviewFile);
    if (saved.pullRequest && saved.pullRequest.headSha !== head) throw new Error(`review-file is for ${saved.pullRequest.headSha.slice(0, 7)}, not for ${head.slice(0, 7)}; refusing to post it`);
    return { report: saved.report, rendered: saved.rendered };
  }
  const review = deps.review ?? defaultReviewRunner;
  return review({
    repoDir: workspaceDir(),
    base,
    head,
    projectDir: inputs.workingDirectory === "." ? undefined : inputs.workingDirectory,
    env: untrustedEnv ? {} : tomlEnv(process.env, inputs.warehouseEnv),
    targetDialect: inputs.targetDialect,
    maskEnv: inputs.env,
    failOn: inputs.failOn,
  });
}

/**
 * Values for `${VAR}` in the PR's TOML: the step's environment minus the runner's own credentials
 * (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_*, inputs such as the GitHub token), plus
 * `warehouse-env`. A PR cannot echo those into a rendered target name.
 */
export function tomlEnv(env: Readonly<Record<string, string | undefined>>, warehouseEnv: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const safe = Object.entries(env).filter(([name]) => !/^(ACTIONS_|INPUT_|RUNNER_|GITHUB_TOKEN$)/i.test(name));
  return { ...Object.fromEntries(safe), ...warehouseEnv };
}

/** workflow_run: post a review saved by the untrusted pull_request run, for the head SHA the event names. */
async function replay(plan: Extract<ActionPlan, { kind: "replay" }>, inputs: ActionInputs, octokit: Octokit): Promise<void> {
  const saved = readSaved(inputs.reviewFile ?? "");
  const pr = saved.pullRequest;
  if (!pr) throw new Error(`review-file ${inputs.reviewFile} names no pull request`);
  // The head SHA comes from the trusted event when there is one, never only from the file.
  if (plan.headSha && plan.headSha !== pr.headSha) throw new Error(`review-file is for ${pr.headSha.slice(0, 7)} but the triggering run was for ${plan.headSha.slice(0, 7)}; refusing to post it`);
  // The project comes from the saved review (the pull_request run's project-name) unless this step names it.
  if (inputs.projectName && saved.project && inputs.projectName !== saved.project) throw new Error(`review-file is for project-name "${saved.project}", not "${inputs.projectName}"; refusing to post it`);
  const project = inputs.projectName ?? saved.project;
  const { owner, repo } = github.context.repo;
  const result = await publishReview({
    octokit,
    owner,
    repo,
    pr: pr.number,
    headSha: plan.headSha ?? pr.headSha,
    rendered: saved.rendered,
    options: { commentMode: inputs.comment, runKey: `${github.context.runId}`, author: pr.author, inlineComments: inputs.inlineComments, maxInlineComments: inputs.maxInlineComments, generatedAt: saved.generatedAt, project },
  });
  return finish({ report: saved.report, rendered: saved.rendered }, result, inputs.reviewFile, undefined, project);
}

function readSaved(path: string): SavedReview {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = resolve(path) === path ? path : `${path}, i.e. ${resolve(path)}`;
    if (code === "ENOENT") throw new Error(`review-file: no file at ${where}; give the path of the saved review (the report-path output of the run that saved it, downloaded from its artifact)`);
    throw new Error(`review-file: cannot read ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseSavedReview(text);
  if (!parsed.ok) throw new Error(`review-file ${path}: ${parsed.error}`);
  return parsed.value;
}

/**
 * A closed PR only drops its branch schema (branch-schema: on). A merge runs production from the
 * push to the default branch it makes (one trigger, so one production run per merge).
 */
async function closePullRequest(plan: Extract<ActionPlan, { kind: "closed" }>, inputs: ActionInputs, deps: ActionDeps): Promise<void> {
  if (plan.merged && inputs.productionRun) core.info("Rocky review: the merge's production run happens on the push to the default branch (add `push` to the workflow's `on:`).");
  if (!inputs.branchSchema) return;
  if (!deps.warehouse) {
    core.info(`Rocky review: PR #${plan.pr} closed; no warehouse is configured, so there is no branch schema to drop.`);
    return;
  }
  await deps.warehouse.dropBranch(plan.pr, plan.baseSha);
}

/**
 * A push to the default branch: run in production every model changed since the last successful
 * production run (the `rocky/production` check run this function writes on each commit it runs,
 * found back along the first-parent history), so that a run cancelled while pending in the
 * workflow's concurrency group, or a failed one, is covered by the next. Without such a marker
 * within PRODUCTION_HISTORY_LIMIT commits (the first production run, a token that cannot read
 * checks), the push's own before..after, said in the log and the job summary.
 */
async function runProduction(sha: string, before: string | undefined, ref: string, inputs: ActionInputs, deps: ActionDeps, octokit: Octokit): Promise<void> {
  if (!inputs.productionRun) {
    core.info("Rocky review: production-run is off; nothing to run.");
    return;
  }
  if (!deps.warehouse) throw new Error("production-run is on but no warehouse is configured");
  const { owner, repo } = github.context.repo;
  const place = { octokit, owner, repo, project: inputs.projectName };
  const checkName = projectCheckName(PRODUCTION_CHECK, inputs.projectName);
  const short = (c: string) => c.slice(0, 7);
  // A re-run of an older push (or one queued behind a newer push) must not build older SQL over
  // what the newer commit's run built: that run covers this commit's changes (it runs everything
  // since the last successful production run).
  const tip = await branchTip(place, ref);
  if ("sha" in tip && tip.sha !== sha) {
    const why = `${ref.slice("refs/heads/".length)} is at ${short(tip.sha)} now, not ${short(sha)}: the production run of ${short(tip.sha)} covers this commit's changes, and running ${short(sha)} would build older SQL over newer output`;
    core.info(`Rocky review: production run of ${short(sha)} skipped: ${why}.`);
    await core.summary.addRaw(`## Rocky production run skipped\n\n${why}.\n`, true).write();
    return;
  }
  if ("unknown" in tip) core.info(`Rocky review: could not read where ${ref} points now (${tip.unknown}); running ${short(sha)} as pushed.`);
  const last = await findLastProduction(place, workspaceDir(), sha);
  let since: string | undefined;
  let scope: string;
  if (last.found) {
    since = last.sha;
    scope =
      last.sha === sha
        ? `${short(sha)} already had a successful production run: only what production lacks is run`
        : `the models changed since the last successful production run, at ${short(last.sha)} (${last.behind} first-parent commit(s) back${before !== undefined && before !== last.sha ? `; this push started at ${short(before)}, so the changes of earlier pushes whose production runs were cancelled or failed are run too` : ""})`;
  } else {
    since = before;
    scope = `no successful production run (a ${checkName} check run) was found ${last.why}: falling back to this push's own range${before ? ` ${short(before)}..${short(sha)}` : ""}; models changed by earlier pushes whose production runs were cancelled or failed are not run by this one (run them with \`rocky run --select\`)`;
    core.warning(`Rocky review: ${scope}`, { title: "Rocky review: production run falls back to the push's range" });
  }
  core.info(`Rocky review: production run of ${since ? `${short(since)}..` : ""}${short(sha)}: ${scope}.`);
  const range = `${since ? `${short(since)}..` : ""}${short(sha)}`;
  let failure: string | undefined;
  try {
    await deps.warehouse.runProduction(sha, since);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  // The error, fenced, under the scope: in the marker's summary and in the job summary.
  const failureBlock = failure === undefined ? "" : `\n\n\`\`\`\n${failure}\n\`\`\``;
  const marked = await markProduction(place, sha, {
    ok: failure === undefined,
    title: failure === undefined ? `Production run of ${range} succeeded` : `Production run of ${range} failed`,
    summary: `${scope}.${failureBlock}`,
    detailsUrl: runUrl(),
  });
  const markNote = marked === undefined ? "" : `\n\nThe ${checkName} check run that marks this run could not be written (${marked}): the next production run cannot find it and falls back to its own push's range; give the workflow \`checks: write\`.`;
  if (marked !== undefined) core.warning(`Rocky review: the ${checkName} check run could not be written on ${short(sha)}: ${marked}. The next production run will not find this one (it looks back ${PRODUCTION_HISTORY_LIMIT} commits for it).`);
  await core.summary.addRaw(`## Rocky production run ${failure === undefined ? "succeeded" : "failed"}\n\n${range}: ${scope}.${failureBlock}${markNote}\n`, true).write();
  if (failure !== undefined) {
    core.setFailed(`Rocky review: the production run for ${range} failed: ${failure}`);
    return;
  }
  core.info(`Rocky review: production run for ${short(sha)} finished.`);
}

/** After the review is posted: the branch schema. A failure is reported, and fails the step only as the policy already does. */
async function maybeCreateBranch(plan: Extract<ActionPlan, { kind: "review" }>, inputs: ActionInputs, deps: ActionDeps, result: PublishResult): Promise<void> {
  // Not for a stale run (the PR moved on) nor when the token could write nothing.
  if (!inputs.branchSchema || plan.fork || result.readOnly || /^stale run/.test(result.reason ?? "")) return;
  if (!deps.warehouse) {
    core.warning("Rocky review: branch-schema is on, but no warehouse runner is available in this build; no branch schema was created.");
    return;
  }
  try {
    await deps.warehouse.createBranch(plan.pr, plan.headSha, plan.baseSha);
  } catch (error) {
    const message = `Rocky review: the branch schema of PR #${plan.pr} could not be created (the review above was posted): ${error instanceof Error ? error.message : String(error)}`;
    core.warning(message, { title: "Rocky review: branch schema not created" });
    await core.summary.addRaw(`\n**Branch schema not created:** ${error instanceof Error ? error.message : String(error)}\n`).write();
  }
}

function saveReview(outcome: ReviewOutcome, pullRequest: SavedReview["pullRequest"], project: string | undefined): string {
  const dir = process.env.RUNNER_TEMP ?? process.cwd();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rocky-review-${randomUUID().slice(0, 8)}.json`);
  const saved: SavedReview = { kind: "rocky-review", version: 1, generatedAt: new Date().toISOString(), pullRequest, rendered: outcome.rendered, report: outcome.report, ...(project ? { project } : {}) };
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`);
  return path;
}

async function finish(outcome: ReviewOutcome, result: PublishResult | undefined, reportPath: string | undefined, notPostedReason?: string, project?: string): Promise<void> {
  const rendered = outcome.rendered;
  const path = reportPath ?? saveReview(outcome, undefined, project);
  setOutputs(rendered, path, result);
  // Workflow annotations only for the checks whose own annotations are on no check run.
  const unposted = result === undefined ? rendered.checks : rendered.checks.filter((c) => result.checksFailed.includes(c.name));
  const omitted = emitAnnotations(unposted);
  const reason = notPostedReason ?? (result && !result.posted ? result.reason : undefined);
  const postFailures = result?.failures ?? [];
  if (postFailures.length > 0) core.error(`Rocky review could not post ${result && nothingPosted(result) ? "to the pull request (nothing was posted)" : "everything to the pull request (the rest was posted)"}:\n${postFailureText(postFailures)}`, { title: "Rocky review: posting failed" });
  for (const warning of (result?.errors ?? []).slice(postFailures.length)) core.warning(`Rocky review: ${warning}`);
  await core.summary.addRaw(summaryMarkdown({ ...rendered, comment: labelForProject(rendered.comment, project) }, result, reason, omitted), true).write();
  const failing = failingChecks(rendered.checks);
  if (failing.length > 0) core.setFailed(`Rocky review: ${failing.map((c) => `${projectCheckName(c.name, project)} failed (${c.title})`).join("; ")}`);
  // A failed post fails the step too (its error is above), even when the review passes.
  else if (postFailures.length > 0) process.exitCode = core.ExitCode.Failure;
}

/** ", 2 review threads of fixed findings resolved, 1 reopened", or nothing when no thread changed. */
function threadCounts(r: PublishResult): string {
  const { resolved, reopened } = r.threads;
  if (resolved === 0 && reopened === 0) return "";
  return `, ${resolved} review thread${resolved === 1 ? "" : "s"} of fixed findings resolved${reopened > 0 ? `, ${reopened} reopened` : ""}`;
}

/** Nothing reached the pull request: no check run, no comment, no inline comment. */
function nothingPosted(result: PublishResult): boolean {
  return result.checks.length === 0 && result.checksUnchanged === 0 && result.comment === "skipped" && result.review.posted === 0;
}

/** One line per refused part: the request, GitHub's answer and what to change. */
export function postFailureText(failures: readonly PublishFailure[]): string {
  // GitHub refused the token itself (401 Bad credentials) for every request: one line naming the input.
  if (failures.length > 0 && failures.every((f) => f.status === 401)) {
    return `- every request → 401 ${failures[0].message} (first: ${failures[0].request ?? failures[0].part}). ${postFailureHint(failures[0])}`;
  }
  // Checks refused for one reason (a token without checks: write) make one line.
  const groups = new Map<string, { parts: string[]; failure: PublishFailure }>();
  for (const f of failures) {
    const key = `${f.part.startsWith("check ") ? "check" : f.part}|${f.request}|${f.status}|${f.message}`;
    const group = groups.get(key);
    if (group) group.parts.push(f.part.replace(/^check /, ""));
    else groups.set(key, { parts: [f.part], failure: f });
  }
  return [...groups.values()].map(({ parts, failure: f }) => `- ${parts.length > 1 ? `checks ${parts.join(", ").replace(/^check /, "")}` : parts[0]}: ${f.request ?? "request"} → ${f.status ?? "error"} ${f.message}. ${postFailureHint(f)}`).join("\n");
}

function postFailureHint(f: PublishFailure): string {
  if (/must authenticate via a GitHub App/i.test(f.message)) {
    return "`github-token` is a token that cannot create check runs (a personal access token): check runs need the GITHUB_TOKEN (the input's default) or a GitHub App installation token.";
  }
  if (f.status === 401) return "GitHub refused the `github-token` input (invalid or expired): keep the default `${{ github.token }}` or pass a valid token.";
  if (f.tokenRefused) {
    const permission = f.part.startsWith("check ") ? "checks: write" : f.part === "sticky comment" ? "pull-requests: write" : f.part === "inline review" ? "pull-requests: write" : "pull-requests: read";
    return `The token may not do this: add \`permissions: ${permission}\` to the workflow or job (or give \`github-token\` a token that has it).`;
  }
  if (f.status !== undefined && f.status >= 500) return "GitHub failed after retries: re-run the job.";
  return "GitHub rejected the request: re-run the job; if it fails again, report it with this message.";
}

function setOutputs(rendered: RenderedReview, reportPath: string, result: PublishResult | undefined): void {
  core.setOutput("verdict", rendered.verdict);
  core.setOutput("errors", rendered.counts.error);
  core.setOutput("warnings", rendered.counts.warning);
  core.setOutput("infos", rendered.counts.info);
  core.setOutput("changed-columns", rendered.outputs.changedColumns);
  core.setOutput("blast-radius", rendered.outputs.blastRadius);
  core.setOutput("cost-delta-monthly", rendered.outputs.costDeltaUsdPerMonth ?? "");
  core.setOutput("report-path", reportPath);
  core.setOutput("comment-url", result?.commentUrl ?? "");
  core.setOutput("posted", result?.posted ?? false);
}

const LEVEL_TO_COMMAND = { failure: core.error, warning: core.warning, notice: core.notice } as const;

/** GitHub shows at most this many annotations of each level per step. */
const ANNOTATIONS_PER_LEVEL = 10;

/**
 * Workflow annotations for checks that could not be posted (the check runs carry the same
 * annotations), at most 10 per level as GitHub shows; returns how many were left out.
 */
function emitAnnotations(checks: readonly RenderedCheck[], perLevel = ANNOTATIONS_PER_LEVEL): number {
  const emitted = { failure: 0, warning: 0, notice: 0 };
  let omitted = 0;
  for (const check of checks) {
    for (const a of check.annotations) {
      if (emitted[a.annotation_level] >= perLevel) {
        omitted += 1;
        continue;
      }
      emitted[a.annotation_level] += 1;
      LEVEL_TO_COMMAND[a.annotation_level](a.message, annotationProperties(a));
    }
  }
  return omitted;
}

function annotationProperties(a: CheckAnnotation): core.AnnotationProperties {
  const sameLine = a.start_line === a.end_line;
  return { title: a.title, file: a.path, startLine: a.start_line, endLine: a.end_line, ...(sameLine && a.start_column ? { startColumn: a.start_column, endColumn: a.end_column } : {}) };
}

function summaryMarkdown(rendered: RenderedReview, result: PublishResult | undefined, reason: string | undefined, omittedAnnotations: number): string {
  const posted = (r: PublishResult) => `comment ${r.failures.some((f) => f.part === "sticky comment") ? "failed" : r.comment}${r.commentUrl ? ` ([link](${r.commentUrl}))` : ""}, ${r.checks.length} check runs written, ${r.review.posted} inline comments${threadCounts(r)}, ${r.writes} GitHub writes`;
  let status: string;
  if (result?.posted) status = `Posted: ${posted(result)}.`;
  else if (result && result.failures.length > 0 && !result.readOnly && !nothingPosted(result)) status = `Posted in part: ${posted(result)}. Not posted:\n\n${postFailureText(result.failures)}`;
  else if (result && result.failures.length > 0 && !result.readOnly) status = `Not posted to the pull request:\n\n${postFailureText(result.failures)}`;
  else status = `Not posted to the pull request${reason ? `: ${reason}` : ""}.${result?.readOnly ? `\n\n${postFailureText(result.failures)}` : ""}`;
  const more = omittedAnnotations > 0 ? `\n\n${omittedAnnotations} more finding${omittedAnnotations === 1 ? "" : "s"} are not shown as annotations (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level per step): every finding is in the review above.` : "";
  return `${rendered.comment}\n\n---\n\n${status}${more}\n`;
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = process.env;
  return server && repository && runId && /^https?:\/\//.test(server) ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
