import { createHash } from "node:crypto";
import type { Verdict } from "../report/rendered.js";

/** Hidden marker that identifies the sticky summary comment among the bot's own comments. */
export const STICKY_MARKER = "<!-- rocky-review:v1 -->";
/** Hidden marker on the short "verdict got worse" notification comments (never taken for the sticky one). */
export const NOTICE_MARKER = "<!-- rocky-review:notice -->";

/**
 * A project name (the Action's `project-name` input) keeps several Rocky projects of one repository
 * apart on one PR: check names `rocky/contracts (finance)`, a sticky comment and notices of their
 * own, and inline-comment fingerprints prefixed with the name. It goes into check names, hidden
 * markers and fingerprints, so it is kept to letters, digits and `._/-` (no spaces, never `-->`).
 */
export const PROJECT_NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,38}[A-Za-z0-9])?$/;
export const PROJECT_NAME_RULE = "1 to 40 letters, digits, '.', '_', '/' or '-', starting and ending with a letter or digit";

/** What is wrong with a `project-name` (the Action's input, .github/rocky.yml's key), or undefined when it is valid. */
export function projectNameProblem(name: string): string | undefined {
  return PROJECT_NAME_RE.test(name) ? undefined : `project-name: ${JSON.stringify(name)} must be ${PROJECT_NAME_RULE} (it goes into check names such as "rocky/contracts (finance)")`;
}

/**
 * Whether a comment, review or review comment was written by this bot: by its login when known
 * (the App's ROCKY_BOT_LOGIN), else by any Bot account (the Action's github-actions[bot]).
 */
export function writtenByBot(user: { readonly login: string; readonly type: string } | null | undefined, botLogin?: string): boolean {
  if (!user) return false;
  return botLogin ? user.login === botLogin : user.type === "Bot";
}

/** The sticky comment's marker: the historic one without a project, so existing comments are still found. */
export function stickyMarker(project?: string): string {
  return project ? `<!-- rocky-review:v1 project=${project} -->` : STICKY_MARKER;
}

/** The "got worse" notice's marker, per project. */
export function noticeMarker(project?: string): string {
  return project ? `<!-- rocky-review:notice project=${project} -->` : NOTICE_MARKER;
}

/** The check run's name: `rocky/contracts`, or `rocky/contracts (finance)` for a named project. */
export function projectCheckName(name: string, project?: string): string {
  return project ? `${name} (${project})` : name;
}

/** An inline comment's identity: the finding's fingerprint, prefixed with the project's name when there is one. */
export function projectFingerprint(fingerprint: string, project?: string): string {
  return project ? `${project}:${fingerprint}` : fingerprint;
}

/** `<project>:` and the renderer's 16 hex digits: a fingerprint another (named) project posted. */
const NAMED_FINGERPRINT_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,38}[A-Za-z0-9])?:[0-9a-f]{16}$/;

/**
 * Whether a fingerprint read back from a comment is this project's: prefixed with its name when
 * it has one; when it has none, any fingerprint that is not a named project's.
 */
export function isProjectFingerprint(fingerprint: string, project?: string): boolean {
  return project ? fingerprint.startsWith(`${project}:`) : !NAMED_FINGERPRINT_RE.test(fingerprint);
}

/** "Rocky review (finance)" in the comment's first heading, so two projects' comments tell themselves apart. */
export function labelForProject(body: string, project?: string): string {
  if (!project) return body;
  const labelled = body.replace(/^(#{1,6} [^\n]*?Rocky review)/m, `$1 (${project})`);
  return labelled !== body ? labelled : `**Rocky review (${project})**\n\n${body}`;
}

/**
 * Hidden marker in an inline review's body: the head SHA it was posted for and a hash of the
 * fingerprints it carries, so a create retried after a 5xx can tell that GitHub posted it already.
 */
export function reviewMarker(headSha: string, fingerprints: readonly string[]): string {
  return `<!-- rocky-review:review head=${headSha} set=${contentHash([...fingerprints].sort().join("\n"))} -->`;
}

const META_RE = /<!-- rocky-review:meta (\{[^\n]*?\}) -->/;
const FINGERPRINT_RE = /<!-- rocky-review:fp ([A-Za-z0-9:._\-/]{1,200}) -->/g;

/** What the sticky comment remembers about the run that last wrote it. */
export interface StickyMeta {
  readonly head_sha: string;
  readonly generated_at: string;
  readonly body_hash: string;
  readonly verdict: Verdict;
}

const VERDICT_RANK: Readonly<Record<Verdict, number>> = { pass: 0, advisory: 1, fail: 2 };

/** True when `next` is strictly worse than `previous` (pass < advisory < fail). */
export function verdictWorse(previous: Verdict, next: Verdict): boolean {
  return VERDICT_RANK[next] > VERDICT_RANK[previous];
}

/** First 16 hex digits of the SHA-256 of a text: stable identity of a body for "unchanged" checks. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * The full sticky comment: marker, machine-readable stamp, the rendered body, and the visible stamp
 * (when it was reviewed, and what happens to this comment on the next review, true to the comment
 * mode) folded into the rendered footer's `<sub>` line, so the comment has one footer.
 */
export function stampComment(body: string, meta: StickyMeta, mode: "update" | "hide-and-new" = "update", project?: string): string {
  const next = mode === "hide-and-new" ? "a new review is posted as a new comment and this one hidden" : "this comment is edited in place by the next review";
  const when = `reviewed at ${formatUtc(meta.generated_at)} · ${next}`;
  const footer = /\n<sub>([^\n]*)<\/sub>\s*$/.exec(body);
  const stamped = footer
    ? `${body.slice(0, footer.index)}\n<sub>${footer[1]} · ${when}</sub>`
    : `${body}\n\n<sub>Rocky review of \`${meta.head_sha.slice(0, 7)}\` · ${when}</sub>`;
  return `${stickyMarker(project)}\n<!-- rocky-review:meta ${JSON.stringify(meta)} -->\n${stamped}`;
}

/** Reads the stamp back from a comment body; undefined when absent or damaged. */
export function parseStamp(body: string): StickyMeta | undefined {
  const match = META_RE.exec(body);
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[1]) as Partial<StickyMeta>;
    if (typeof value.head_sha !== "string" || typeof value.body_hash !== "string") return undefined;
    const verdict: Verdict = value.verdict === "fail" || value.verdict === "advisory" ? value.verdict : "pass";
    return { head_sha: value.head_sha, generated_at: String(value.generated_at ?? ""), body_hash: value.body_hash, verdict };
  } catch {
    return undefined;
  }
}

/** Appends the hidden fingerprint marker to an inline comment body. */
export function withFingerprint(body: string, fingerprint: string): string {
  return `${body}\n\n<!-- rocky-review:fp ${sanitizeFingerprint(fingerprint)} -->`;
}

/** Every fingerprint marker in a body (normally one). */
export function parseFingerprints(body: string): string[] {
  return [...body.matchAll(FINGERPRINT_RE)].map((m) => m[1]);
}

/** Fingerprints go into an HTML comment: keep them to a safe alphabet so `-->` can never end it early. */
export function sanitizeFingerprint(fingerprint: string): string {
  const safe = fingerprint.replace(/[^A-Za-z0-9:._\-/]/g, "_").slice(0, 200);
  return safe.length > 0 ? safe : "_";
}

function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
