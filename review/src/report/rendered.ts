/**
 * The seam between the review core (which renders) and the publishers (which post). A publisher
 * (review/src/github) takes a RenderedReview and needs to know nothing about SQL; the review core
 * builds it and needs to know nothing about Octokit. Everything here already fits GitHub's limits:
 * comment ≤ 65,536 characters, check-run summary/text ≤ 65,535 bytes each, annotation title ≤ 255.
 */

export type CheckName = "rocky/compile" | "rocky/contracts" | "rocky/masking" | "rocky/portability" | "rocky/cost";

export const CHECK_NAMES: readonly CheckName[] = ["rocky/compile", "rocky/contracts", "rocky/masking", "rocky/portability", "rocky/cost"];

export type CheckConclusion = "success" | "failure" | "neutral" | "skipped" | "cancelled" | "action_required";

export type Verdict = "pass" | "advisory" | "fail";

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: "notice" | "warning" | "failure";
  readonly title: string;
  readonly message: string;
  readonly raw_details?: string;
}

export interface RenderedCheck {
  readonly name: CheckName;
  readonly conclusion: CheckConclusion;
  /** One line, ≤ 255 characters. */
  readonly title: string;
  /** Markdown, ≤ 65,535 bytes. */
  readonly summary: string;
  /** Markdown, ≤ 65,535 bytes; may be empty. */
  readonly text: string;
  /** Any number; publishers send them in batches of 50. */
  readonly annotations: readonly CheckAnnotation[];
}

/**
 * An inline review comment on a line of the PR's head version of a file (`RIGHT`), or on a line
 * the PR deletes (`LEFT`: `line` is the base file's line, `path` the file's head path, or its base
 * path when the PR deletes it). Only lines inside the diff may be sent (publishers re-check).
 */
export interface InlineComment {
  readonly path: string;
  readonly line: number;
  /** For multi-line comments/suggestions (head side only). */
  readonly start_line?: number;
  readonly side: "RIGHT" | "LEFT";
  /** Markdown; may contain a ```suggestion block. ≤ 65,536 characters. */
  readonly body: string;
  /** Stable identity of the finding (code + model + column + the construct's text, whitespace aside), so a re-run does not repeat it. */
  readonly fingerprint: string;
  /** The identities earlier versions gave the same finding (its line's text): a comment posted under one of them is this one. */
  readonly formerFingerprints?: readonly string[];
}

export interface RenderedReview {
  /** Report schema version this was rendered from. */
  readonly reportVersion: number;
  readonly verdict: Verdict;
  /** Severity counts across all findings. */
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** The sticky summary comment body, WITHOUT the hidden marker/stamp lines (the publisher adds those). ≤ 65,000 characters to leave room for them. */
  readonly comment: string;
  /** Short text for a "verdict got worse" notification comment. */
  readonly headline: string;
  readonly checks: readonly RenderedCheck[];
  readonly inlineComments: readonly InlineComment[];
  /** Findings on lines inside the diff past the render's cap of inline comments: in the check annotations only. Absent when none. */
  readonly inlineCommentsOverCap?: number;
  /**
   * The fingerprints of every current finding that could carry an inline comment, on any line and
   * without the cap, each with its former ones (`InlineComment.formerFingerprints`): the publisher resolves the threads of its earlier inline comments whose
   * finding is not among them. Absent when that is not known, and then no thread is resolved: the
   * head has a new compile error (it can hide findings), the review did not run, or a saved review
   * comes from a version without this field.
   */
  readonly findingFingerprints?: readonly string[];
  /** True when the PR touches no model, contract or project config: checks are `skipped`. */
  readonly touchesNoModels: boolean;
  /** Figures the shells expose as outputs. */
  readonly outputs: {
    readonly changedColumns: number;
    readonly blastRadius: number;
    readonly costDeltaUsdPerMonth: number | null;
  };
}

/** Per-check failure threshold (`fail-on`): `error` fails the check on any Error finding, `warning` on Warning or worse, `never` makes it advisory (`neutral` when it has findings). */
export type FailOnLevel = "error" | "warning" | "never";

export type FailOnPolicy = Readonly<Record<CheckName, FailOnLevel>>;

/** Defaults: contracts/compile/portability/masking block on errors; cost is advisory unless a budget with on_breach = "error" is breached (an Error finding). */
export const DEFAULT_FAIL_ON: FailOnPolicy = {
  "rocky/compile": "error",
  "rocky/contracts": "error",
  "rocky/masking": "error",
  "rocky/portability": "error",
  "rocky/cost": "error",
};
