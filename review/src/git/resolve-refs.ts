import { didYouMean } from "../../../engine/src/util/did-you-mean.js";
import type { ResolvedRefs } from "../ports.js";
import { ReviewInputError } from "./review-input-error.js";
import { runGit, tryGit } from "./run-git.js";

/** The pseudo-ref for "the work tree as it is on disk, uncommitted changes included". */
export const WORKTREE = "WORKTREE";

const CHECKOUT_ADVICE = "In GitHub Actions, check out with full history: `actions/checkout` with `fetch-depth: 0`.";

/** A repository to run git in. */
type Git = string;

async function tryRaw(git: Git, args: readonly string[]): Promise<string | null> {
  return (await tryGit(git, args))?.trim() ?? null;
}

async function commitOf(git: Git, ref: string): Promise<string | null> {
  const out = await tryRaw(git, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  return out && /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

async function isShallow(git: Git): Promise<boolean> {
  return (await tryRaw(git, ["rev-parse", "--is-shallow-repository"])) === "true";
}

/** The exact `git fetch` that brings `ref` into the clone. */
export function fetchAdvice(ref: string, depth = 50): string {
  if (/^[0-9a-f]{7,64}$/i.test(ref)) return `git fetch --no-tags --depth=${depth} origin ${ref}`;
  const remote = /^origin\/(.+)$/.exec(ref);
  const branch = remote ? remote[1] : ref.replace(/^refs\/heads\//, "");
  return `git fetch --no-tags --depth=${depth} origin +refs/heads/${branch}:refs/remotes/origin/${branch}`;
}

async function requireCommit(git: Git, ref: string, role: "base" | "head"): Promise<string> {
  const sha = await commitOf(git, ref);
  if (sha) return sha;
  // CI checkouts have no local `main` branch, only `origin/main` (once fetched).
  const remote = role === "base" && !ref.includes("/") ? await commitOf(git, `origin/${ref}`) : null;
  if (remote) return remote;
  const shallow = await isShallow(git);
  const code = role === "base" ? "missing-base" : "missing-head";
  const what = shallow ? "this shallow clone does not contain it" : "no such commit, branch or tag in this repository";
  const tip = /^[^/]+$/.test(ref) && !/^[0-9a-f]{7,64}$/i.test(ref) && role === "base" ? `\n(then give origin/${ref} as the base ref)` : "";
  const near = /^[0-9a-f]{7,64}$/i.test(ref) ? undefined : didYouMean(ref, await refNames(git));
  const typo = near === undefined ? "" : `Did you mean "${near}"? If not, fetch it:`;
  throw new ReviewInputError(code, `The ${role} ref "${ref}" cannot be resolved: ${what}.`, `${typo || "Fetch it:"}\n  ${fetchAdvice(ref)}${tip}\n${CHECKOUT_ADVICE}`);
}

/** The clone's branches (local and remote-tracking) and tags, for did-you-mean. */
async function refNames(git: Git): Promise<string[]> {
  const out = await tryRaw(git, ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags"]);
  return (out ?? "").split("\n").filter((r) => r !== "" && !r.endsWith("/HEAD"));
}

const SHA = /^[0-9a-f]{40,64}$/;

/** head, base and their merge-base in one round of two git processes: undefined when anything is off. */
async function quickResolve(git: Git, base: string, head: string): Promise<{ head: string; base: string; mergeBase: string } | undefined> {
  if (base.startsWith("-") || head.startsWith("-")) return undefined;
  const [shas, mergeBase] = await Promise.all([tryRaw(git, ["rev-parse", "--end-of-options", `${head}^{commit}`, `${base}^{commit}`]), tryRaw(git, ["merge-base", "--end-of-options", base, head])]);
  // rev-parse echoes --end-of-options on its first line (git < 2.43 does not): keep the commit lines.
  const lines = (shas ?? "").split("\n").filter((l) => SHA.test(l));
  if (lines.length !== 2 || mergeBase === null || !SHA.test(mergeBase)) return undefined;
  return { head: lines[0], base: lines[1], mergeBase };
}

/**
 * Resolve base and head to commits and find their merge-base (GitHub's three-dot diff: the PR
 * is compared against the point where it left base, not against base's tip). `head` may be
 * `WORKTREE` (the files on disk; its sha is HEAD's).
 */
export async function resolveRefs(repoDir: string, base: string, head = "HEAD"): Promise<ResolvedRefs> {
  // runGit resolves when git's output is closed, not when it exits: a listing or diff is never read cut short.
  const git: Git = repoDir;
  const worktree = head === WORKTREE;
  // The common case in one git process: both refs name commits and have a merge-base. Anything
  // else takes the careful road below, which says exactly what is missing.
  const quick = await quickResolve(git, base, worktree ? "HEAD" : head);
  if (quick !== undefined) return { base: { ref: base, sha: quick.base }, head: { ref: head, sha: quick.head }, mergeBase: quick.mergeBase, worktree };
  try {
    await runGit(git, ["rev-parse", "--git-dir"]);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/dubious ownership/i.test(text)) {
      throw new ReviewInputError("not-a-repository", `git refuses to read ${repoDir}: it is owned by another user.`, `Mark it safe: git config --global --add safe.directory ${repoDir}`);
    }
    throw new ReviewInputError("not-a-repository", `${repoDir} is not a git repository.`, "Run the review inside a git checkout of the project (`git clone ...`).");
  }
  const headSha = await requireCommit(git, worktree ? "HEAD" : head, "head");
  const baseSha = await requireCommit(git, base, "base");
  const mergeBase = await tryRaw(git, ["merge-base", baseSha, headSha]);
  if (mergeBase && /^[0-9a-f]{40,64}$/.test(mergeBase)) {
    return { base: { ref: base, sha: baseSha }, head: { ref: head, sha: headSha }, mergeBase, worktree };
  }
  if (await isShallow(git)) {
    throw new ReviewInputError(
      "missing-merge-base",
      `The merge-base of "${base}" and "${head}" is not in this shallow clone (the history stops before the two branches meet).`,
      `Deepen the history until it does:\n  git fetch --no-tags --deepen=200 origin ${fetchAdvice(base).split(" origin ")[1]}\nor fetch it all: git fetch --unshallow origin\n${CHECKOUT_ADVICE}`,
    );
  }
  throw new ReviewInputError("no-common-history", `"${base}" and "${head}" share no history, so there is no merge-base to compare against.`, "Pass the branch the pull request targets as the base.");
}
