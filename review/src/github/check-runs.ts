import type { CheckAnnotation, CheckName, RenderedCheck } from "../report/rendered.js";
import { CHECK_NAMES } from "../report/rendered.js";
import { errorMessage, errorStatus, type GitHubClient, isReadOnlyTokenError, paginate } from "./github-client.js";
import { clampBytes, clampLine, GITHUB_LIMITS } from "./limits.js";
import { contentHash, projectCheckName } from "./markers.js";

/**
 * Check runs, one per concern, on the PR head SHA. They are written before any comment so that a
 * failed comment never leaves a check pending. `external_id` carries the PR number, the run key
 * and a hash of the output, so a re-run with identical results writes nothing and a
 * `check_run.rerequested` for a fork head (whose payload has `pull_requests: []`) maps back to its PR.
 */

export interface CheckTarget {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  readonly signal?: AbortSignal;
}

export interface ExternalId {
  readonly pr?: number;
  readonly run: string;
  readonly hash?: string;
}

/** `rocky-review;pr=12;run=<key>;hash=<16 hex>` */
export function formatExternalId(id: ExternalId): string {
  const parts = ["rocky-review"];
  if (id.pr !== undefined) parts.push(`pr=${id.pr}`);
  parts.push(`run=${id.run.replace(/[;=]/g, "_")}`);
  if (id.hash) parts.push(`hash=${id.hash}`);
  return parts.join(";");
}

export function parseExternalId(value: string | null | undefined): ExternalId | undefined {
  if (!value?.startsWith("rocky-review;")) return undefined;
  const fields = new Map(
    value
      .split(";")
      .slice(1)
      .map((part) => part.split("=", 2) as [string, string]),
  );
  const pr = fields.has("pr") ? Number(fields.get("pr")) : undefined;
  return { pr: Number.isInteger(pr) ? pr : undefined, run: fields.get("run") ?? "", hash: fields.get("hash") };
}

export type StartedChecks = Readonly<Partial<Record<CheckName, number>>>;

/** Creates every check `in_progress` at the start of a run; returns their ids by name. */
export async function startChecks(
  target: CheckTarget,
  options: { readonly pr?: number; readonly runKey: string; readonly names?: readonly CheckName[]; readonly detailsUrl?: string; readonly project?: string; /** Filled as each run is created, so a failure halfway still knows what to cancel. */ readonly into?: Record<string, number> },
): Promise<Record<string, number>> {
  const ids: Record<string, number> = options.into ?? {};
  for (const name of options.names ?? CHECK_NAMES) {
    const checkName = projectCheckName(name, options.project);
    const externalId = formatExternalId({ pr: options.pr, run: options.runKey });
    const response = await target.client.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: target.owner,
      repo: target.repo,
      name: checkName,
      head_sha: target.headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      external_id: externalId,
      ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
      output: { title: "Reviewing…", summary: `Rocky is reviewing \`${target.headSha.slice(0, 7)}\`.` },
      request: { signal: target.signal, findCreated: () => findCheckRun(target, checkName, externalId) },
    });
    ids[name] = Number(response.data.id);
  }
  return ids;
}

/** Ends started checks as `cancelled` (superseded run or internal error); never throws. */
export async function cancelChecks(target: CheckTarget, ids: StartedChecks, title: string, summary: string): Promise<number> {
  let writes = 0;
  for (const id of Object.values(ids)) {
    if (id === undefined) continue;
    try {
      await target.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        owner: target.owner,
        repo: target.repo,
        check_run_id: id,
        status: "completed",
        conclusion: "cancelled",
        completed_at: new Date().toISOString(),
        output: { title: clampLine(title, GITHUB_LIMITS.checkTitleChars), summary: clampBytes(summary, GITHUB_LIMITS.checkOutputBytes) },
      });
      writes += 1;
    } catch {
      // Best effort: a check we cannot cancel stays in_progress and the next run replaces it.
    }
  }
  return writes;
}

export interface CompleteChecksOptions {
  readonly checks: readonly RenderedCheck[];
  readonly pr?: number;
  readonly runKey: string;
  /** Ids from `startChecks`; checks without one are created completed in one request. */
  readonly started?: StartedChecks;
  /** Annotations sent per check at most (the rest are counted in the text). Default 500. */
  readonly maxAnnotations?: number;
  /** Skip a check when a completed run with identical output already exists on this head (default true when nothing was started). */
  readonly skipUnchanged?: boolean;
  readonly detailsUrl?: string;
  /** A named project: check runs are named `rocky/contracts (<project>)`. */
  readonly project?: string;
}

export interface CompleteChecksResult {
  readonly ids: number[];
  readonly unchanged: number;
  readonly annotationBatches: number;
  /** Checks GitHub refused (the others were still written), with the request and the error. */
  readonly failed: readonly CheckFailure[];
  /** Problems that left a written check incomplete (e.g. a later batch of annotations refused). */
  readonly warnings: readonly string[];
}

export interface CheckFailure {
  readonly name: CheckName;
  readonly request: string;
  readonly error: unknown;
}

/** Completes (or creates completed) one check run per rendered check, annotations in batches of 50. */
export async function completeChecks(target: CheckTarget, options: CompleteChecksOptions): Promise<CompleteChecksResult> {
  const started = options.started ?? {};
  const skipUnchanged = options.skipUnchanged ?? Object.keys(started).length === 0;
  // Listing is only an optimisation: when it fails, every check is written.
  let existing = new Map<string, string>();
  if (skipUnchanged) {
    try {
      existing = await existingOutputs(target);
    } catch (error) {
      if (target.signal?.aborted) throw error;
    }
  }
  const ids: number[] = [];
  const failed: CheckFailure[] = [];
  const warnings: string[] = [];
  let unchanged = 0;
  let annotationBatches = 0;
  for (const check of options.checks) {
    const hash = checkHash(check);
    const startedId = started[check.name];
    const name = projectCheckName(check.name, options.project);
    if (startedId === undefined && existing.get(name) === hash) {
      unchanged += 1;
      continue;
    }
    // One refused check never stops the others; a refusal of the token itself (no checks
    // permission, a token that may not create check runs) is not sent again for every check.
    const refusal = failed.find((f) => isTokenRefusal(f.error));
    if (refusal) {
      failed.push({ name: check.name, request: refusal.request, error: refusal.error });
      continue;
    }
    const request = startedId === undefined ? `POST /repos/${target.owner}/${target.repo}/check-runs` : `PATCH /repos/${target.owner}/${target.repo}/check-runs/${startedId}`;
    const batches = annotationBatchesOf(check.annotations, options.maxAnnotations ?? 500);
    const output = checkOutput(check, check.annotations.length - batches.flat().length);
    const body = {
      owner: target.owner,
      repo: target.repo,
      status: "completed",
      conclusion: check.conclusion,
      completed_at: new Date().toISOString(),
      external_id: formatExternalId({ pr: options.pr, run: options.runKey, hash }),
      ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
      output: { ...output, annotations: batches[0] ?? [] },
      request: { signal: target.signal },
    };
    let id: number;
    try {
      const response =
        startedId === undefined
          ? await target.client.request("POST /repos/{owner}/{repo}/check-runs", { ...body, name, head_sha: target.headSha, request: { signal: target.signal, findCreated: () => findCheckRun(target, name, body.external_id) } })
          : await target.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...body, check_run_id: startedId });
      id = Number(response.data.id ?? startedId);
    } catch (error) {
      if (target.signal?.aborted) throw error;
      failed.push({ name: check.name, request, error });
      continue;
    }
    ids.push(id);
    annotationBatches += batches.length > 0 ? 1 : 0;
    // Later batches append to the annotations already on the run; the run itself is complete.
    for (const batch of batches.slice(1)) {
      try {
        await target.client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          owner: target.owner,
          repo: target.repo,
          check_run_id: id,
          output: { ...output, annotations: batch },
          request: { signal: target.signal },
        });
      } catch (error) {
        if (target.signal?.aborted) throw error;
        warnings.push(`${check.name}: annotations after the first ${GITHUB_LIMITS.annotationsPerRequest * batches.indexOf(batch)} were not added: ${errorMessage(error)}`);
        break;
      }
      annotationBatches += 1;
    }
  }
  return { ids, unchanged, annotationBatches, failed, warnings };
}

/** GitHub refused the token itself (not this one request): the same request for another check would fail too. */
export function isTokenRefusal(error: unknown): boolean {
  const status = errorStatus(error);
  return status === 401 || isReadOnlyTokenError(error) || (status === 403 && /must authenticate via a GitHub App/i.test(errorMessage(error)));
}

/** Hash of everything a check shows: an identical hash means nothing to write. */
export function checkHash(check: RenderedCheck): string {
  return contentHash(JSON.stringify([check.name, check.conclusion, check.title, check.summary, check.text, check.annotations]));
}

/** Splits annotations into GitHub-valid batches of 50, keeping at most `max` in all. */
export function annotationBatchesOf(annotations: readonly CheckAnnotation[], max: number): CheckAnnotation[][] {
  const kept = annotations.slice(0, Math.max(0, max)).map(sanitizeAnnotation);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < kept.length; i += GITHUB_LIMITS.annotationsPerRequest) batches.push(kept.slice(i, i + GITHUB_LIMITS.annotationsPerRequest));
  return batches;
}

function sanitizeAnnotation(a: CheckAnnotation): CheckAnnotation {
  const startLine = Math.max(1, Math.trunc(a.start_line));
  const endLine = Math.max(startLine, Math.trunc(a.end_line));
  // GitHub accepts columns only on single-line annotations.
  const columns = startLine === endLine && a.start_column !== undefined ? { start_column: a.start_column, end_column: Math.max(a.start_column, a.end_column ?? a.start_column) } : {};
  return {
    path: a.path,
    start_line: startLine,
    end_line: endLine,
    ...columns,
    annotation_level: a.annotation_level,
    title: clampLine(a.title, GITHUB_LIMITS.annotationTitleChars),
    message: clampBytes(a.message, GITHUB_LIMITS.annotationMessageBytes),
    ...(a.raw_details ? { raw_details: clampBytes(a.raw_details, GITHUB_LIMITS.annotationMessageBytes) } : {}),
  };
}

function checkOutput(check: RenderedCheck, omitted: number): { title: string; summary: string; text?: string } {
  const note = omitted > 0 ? `\n\n${omitted} more annotations are not shown on the diff; the full list is in the review report.` : "";
  const text = check.text + note;
  return {
    title: clampLine(check.title, GITHUB_LIMITS.checkTitleChars),
    summary: clampBytes(check.summary, GITHUB_LIMITS.checkOutputBytes),
    ...(text.trim().length > 0 ? { text: clampBytes(text, GITHUB_LIMITS.checkOutputBytes) } : {}),
  };
}

/**
 * The check run a create retried after a 5xx would have made: same name, same head SHA and the
 * same external_id (which names the PR, this run and, once complete, the output's hash).
 */
async function findCheckRun(target: CheckTarget, name: string, externalId: string): Promise<unknown> {
  const runs = await paginate<{ id: number; name: string; external_id: string | null }>(
    target.client,
    "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    { owner: target.owner, repo: target.repo, ref: target.headSha, check_name: name, filter: "all", request: { signal: target.signal } },
    { itemsKey: "check_runs", maxPages: 3 },
  );
  return runs.filter((run) => run.name === name && run.external_id === externalId).sort((a, b) => b.id - a.id)[0];
}

/** name → output hash of the newest completed rocky check run on this head. */
async function existingOutputs(target: CheckTarget): Promise<Map<string, string>> {
  const runs = await paginate<{ id: number; name: string; status: string; conclusion: string | null; external_id: string | null }>(
    target.client,
    "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    { owner: target.owner, repo: target.repo, ref: target.headSha, filter: "latest", request: { signal: target.signal } },
    { itemsKey: "check_runs", maxPages: 3 },
  );
  const hashes = new Map<string, string>();
  for (const run of runs.sort((a, b) => a.id - b.id)) {
    // The newest run per name decides: a later cancelled or running one means "write again".
    const hash = run.status === "completed" && run.conclusion !== "cancelled" ? parseExternalId(run.external_id)?.hash : undefined;
    if (hash) hashes.set(run.name, hash);
    else hashes.delete(run.name);
  }
  return hashes;
}
