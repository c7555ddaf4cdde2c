import type { RenderedReview } from "../report/rendered.js";
import { PROJECT_NAME_RE } from "./markers.js";

/**
 * A review saved to a file (the Action's `report-path` output): the JSON report and its rendering,
 * with the PR it was computed for. The `workflow_run` pattern replays it from the base repository
 * with a write token, without executing anything from the PR.
 */
export interface SavedReview {
  readonly kind: "rocky-review";
  readonly version: 1;
  readonly generatedAt: string;
  readonly pullRequest?: { readonly number: number; readonly headSha: string; readonly baseSha?: string; readonly author?: string };
  readonly rendered: RenderedReview;
  readonly report: unknown;
  /** The `project-name` it was computed for (several projects in one repository); absent for none. */
  readonly project?: string;
}

export function parseSavedReview(text: string): { ok: true; value: SavedReview } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const value = data as Partial<SavedReview> | null;
  if (value?.kind !== "rocky-review" || value.version !== 1) return { ok: false, error: 'not a saved Rocky review (expected kind "rocky-review", version 1)' };
  const rendered = value.rendered as Partial<RenderedReview> | undefined;
  if (!rendered || typeof rendered.comment !== "string" || !Array.isArray(rendered.checks) || !Array.isArray(rendered.inlineComments) || typeof rendered.verdict !== "string") {
    return { ok: false, error: "saved review has no valid `rendered` section (comment, checks, inlineComments, verdict)" };
  }
  const fingerprints = rendered.findingFingerprints;
  if (fingerprints !== undefined && (!Array.isArray(fingerprints) || !fingerprints.every((f) => typeof f === "string"))) {
    return { ok: false, error: "saved review has an invalid `rendered.findingFingerprints` (expected a list of strings)" };
  }
  const pr = value.pullRequest;
  if (pr !== undefined && (!Number.isInteger(pr.number) || typeof pr.headSha !== "string")) return { ok: false, error: "saved review has an invalid `pullRequest`" };
  // The file may come from an untrusted fork run: its project name goes into check names and markers.
  if (value.project !== undefined && (typeof value.project !== "string" || !PROJECT_NAME_RE.test(value.project))) return { ok: false, error: "saved review has an invalid `project`" };
  return { ok: true, value: value as SavedReview };
}
