import type { ResolvedRefs } from "../ports.js";
import type { ChangedFile } from "../report/types.js";
import { changedFilesFromRawPatch, parseRawPatch, type RawDiffEntry, rawPatchArgs } from "./changed-files.js";
import { isProjectFile, normalizeProjectDir, type ProjectLayout } from "./project-file-role.js";
import { tryGit as git } from "./run-git.js";

/** What a review from a cached base needs from git besides the base listing, in one round of two processes. */
export interface QuickComparison {
  readonly refs: ResolvedRefs;
  readonly changedFiles: ChangedFile[];
  /**
   * Every project file the PR changed (project-relative path) → its blob id on head, or null when it is
   * gone from the project (deleted, renamed away, now a symlink): head = the merge-base's listing + these.
   */
  readonly changes: ReadonlyMap<string, string | null>;
}

const SHA = /^[0-9a-f]{40,64}$/;


/**
 * Resolve `base` and `head` to commits with their merge-base, and diff the merge-base against head
 * (`git diff A...B`: GitHub's three-dot diff), both at once: `git rev-parse` and one
 * `git diff --raw -p -U0` (statuses, renames, blob ids and line ranges together). Undefined when the
 * common case does not hold (a ref that is not a commit, no or several merge-bases, git failing): the
 * caller then takes the careful road, which says exactly what is wrong.
 */
export async function quickCompare(repoDir: string, base: string, head: string, projectDir = "", layout: ProjectLayout = {}): Promise<QuickComparison | undefined> {
  if (base.startsWith("-") || head.startsWith("-") || base.includes("..") || head.includes("..")) return undefined;
  const dir = normalizeProjectDir(projectDir);
  const [revs, diff] = await Promise.all([
    git(repoDir, ["rev-parse", "--end-of-options", `${head}^{commit}`, `${base}^{commit}`, `${base}...${head}`]),
    git(repoDir, rawPatchArgs([`${base}...${head}`], dir === "" ? [] : [dir])),
  ]);
  if (revs === null || diff === null) return undefined;
  // rev-parse echoes --end-of-options first (git < 2.43 does not); then head, base, and A...B as B, A, ^merge-base.
  const lines = revs.split("\n").filter((l) => l !== "" && l !== "--end-of-options");
  if (lines.length !== 5 || !SHA.test(lines[0]) || !SHA.test(lines[1]) || !lines[4].startsWith("^") || !SHA.test(lines[4].slice(1))) return undefined;
  const { raw, patch } = parseRawPatch(diff);
  return {
    refs: { base: { ref: base, sha: lines[1] }, head: { ref: head, sha: lines[0] }, mergeBase: lines[4].slice(1), worktree: false },
    changedFiles: changedFilesFromRawPatch(raw, patch, dir, layout),
    changes: projectChanges(raw, dir, layout),
  };
}

/** Modes of what listTree keeps: blobs that are not symlinks (a gitlink, 160000, is a commit). */
const isListedMode = (mode: string) => mode !== "120000" && mode !== "160000" && mode !== "000000";

/** The project files `git diff --raw` entries change: path → head blob id, or null when gone from the project. */
export function projectChanges(raw: readonly RawDiffEntry[], projectDir: string, layout: ProjectLayout = {}): Map<string, string | null> {
  const dir = normalizeProjectDir(projectDir);
  const rel = (p: string) => (dir === "" ? p : p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : null);
  const changes = new Map<string, string | null>();
  const set = (repoPath: string, object: string | null) => {
    const p = rel(repoPath);
    if (p !== null && isProjectFile(p, layout)) changes.set(p, object);
  };
  // What leaves first, then what arrives: a path a rename left and a new file took ends up with the new file.
  // A rename takes the file away from its old path (a copy, -C, would not; -M finds only renames).
  for (const e of raw) if (e.oldPath !== undefined && e.status === "renamed") set(e.oldPath, null);
  for (const e of raw) set(e.path, e.status === "deleted" || !isListedMode(e.newMode) ? null : e.newObject);
  return changes;
}
