/**
 * Where the Action's last successful production run was, kept on GitHub (a runner keeps nothing):
 * each production run ends by writing a completed `rocky/production` check run on the commit it ran
 * (`success` or `failure`); the next one walks the default branch's first-parent history back from
 * its own commit and runs everything since the newest commit whose latest such check run succeeded.
 *
 * Why: production runs are queued in one concurrency group (two at once would race their CREATE OR
 * REPLACEs and double incremental INSERTs), and GitHub keeps only one pending run per group, so a
 * third push cancels the second's pending run. Covering "since the last success" rather than the
 * push's own before..after makes the third run build the second's changes too, and a failed run's
 * changes are retried by the next one.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type * as github from "@actions/github";
import { projectCheckName } from "../../review/src/github/index.js";

type Octokit = ReturnType<typeof github.getOctokit>;

export const PRODUCTION_CHECK = "rocky/production";
/** The check run's external_id: a check run of that name that some other tool writes is never taken for a marker. */
export const PRODUCTION_MARKER_ID = "rocky-production-run";
/** First-parent commits looked at (one GitHub request each) before falling back to the push's own range. */
export const PRODUCTION_HISTORY_LIMIT = 50;

export type LastProduction =
  | { readonly found: true; readonly sha: string; /** Commits between it and the pushed one (0: the pushed commit itself). */ readonly behind: number }
  | { readonly found: false; /** Why not, said in the log and the job summary. */ readonly why: string };

export interface MarkerPlace {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly project?: string;
}

/** The newest commit on `from`'s first-parent history (itself included) whose latest production check run succeeded. */
export async function findLastProduction(place: MarkerPlace, repoDir: string, from: string, limit = PRODUCTION_HISTORY_LIMIT): Promise<LastProduction> {
  let commits: string[];
  try {
    const { stdout } = await promisify(execFile)("git", ["rev-list", "--first-parent", `--max-count=${limit}`, from], { cwd: repoDir });
    commits = stdout.split("\n").filter(Boolean);
  } catch (error) {
    return { found: false, why: `(the pushed commit's history cannot be read in this clone: ${firstLine(error)})` };
  }
  const name = projectCheckName(PRODUCTION_CHECK, place.project);
  for (const [behind, sha] of commits.entries()) {
    let latest: { conclusion: string | null; external_id: string | null } | undefined;
    try {
      const { data } = await place.octokit.rest.checks.listForRef({ owner: place.owner, repo: place.repo, ref: sha, check_name: name, filter: "latest", per_page: 10 });
      latest = data.check_runs.find((r) => r.external_id === PRODUCTION_MARKER_ID);
    } catch (error) {
      return { found: false, why: `(the ${name} check runs could not be read: ${firstLine(error)}; the token needs \`checks: read\`)` };
    }
    if (latest?.conclusion === "success") return { found: true, sha, behind };
  }
  const shallow = commits.length < limit ? `; this clone has only ${commits.length} first-parent commit(s) up to it (check out with fetch-depth: 0)` : "";
  return { found: false, why: `among the last ${commits.length} first-parent commit(s) of ${from.slice(0, 7)}${shallow}` };
}

/**
 * Where the pushed branch points now, when GitHub says (`refs/heads/main` → its sha); undefined when
 * it cannot be read (the run then goes on, as it did before this check existed). A production run
 * whose commit is no longer the tip was queued behind, or re-run after, a newer push: that push's
 * run covers it, and running the older SQL would overwrite the newer output.
 */
export async function branchTip(place: MarkerPlace, ref: string): Promise<{ readonly sha: string } | { readonly unknown: string }> {
  if (!ref.startsWith("refs/heads/")) return { unknown: `${ref || "the pushed ref"} is not a branch` };
  try {
    const { data } = await place.octokit.rest.git.getRef({ owner: place.owner, repo: place.repo, ref: ref.slice("refs/".length) });
    return { sha: data.object.sha };
  } catch (error) {
    return { unknown: firstLine(error) };
  }
}

/** Writes the marker (a completed check run) on the commit a production run ran; the error message when GitHub refuses it. */
export async function markProduction(place: MarkerPlace, sha: string, run: { readonly ok: boolean; readonly title: string; readonly summary: string; readonly detailsUrl?: string }): Promise<string | undefined> {
  try {
    await place.octokit.rest.checks.create({
      owner: place.owner,
      repo: place.repo,
      name: projectCheckName(PRODUCTION_CHECK, place.project),
      head_sha: sha,
      external_id: PRODUCTION_MARKER_ID,
      status: "completed",
      conclusion: run.ok ? "success" : "failure",
      ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
      output: { title: run.title.slice(0, 255), summary: run.summary.slice(0, 60_000) },
    });
    return undefined;
  } catch (error) {
    return firstLine(error);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
