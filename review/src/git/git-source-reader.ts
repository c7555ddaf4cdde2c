import type { SourceReader } from "../ports.js";
import { changedFiles } from "./changed-files.js";
import { normalizeProjectDir, type ProjectLayout } from "./project-file-role.js";
import { lazyTreeFiles, listDirectories, listTree, readEntries, readTree } from "./read-tree.js";
import { quickCompare } from "./quick-compare.js";
import { resolveRefs, WORKTREE } from "./resolve-refs.js";
import type { ProjectFileText } from "../../../engine/src/project/types.js";

/** The SourceReader over a local git repository (git processes: one round for a cached review, one cat-file per read). */
export function createGitSourceReader(repoDir: string, layout: ProjectLayout = {}): SourceReader {
  // blob sha → text, shared by the reads of both sides: the head read fetches only what the PR changed
  const blobs = new Map<string, ProjectFileText>();
  return {
    resolveRefs: (base, head) => resolveRefs(repoDir, base, head),
    readProject: (commit, projectDir) => readTree(repoDir, commit, projectDir, layout, blobs),
    changedFiles: (from, to, projectDir) => changedFiles(repoDir, from, to, projectDir, layout),
    listProject: (commit, projectDir) => listTree(repoDir, commit, projectDir, layout),
    readEntries: (entries) => readEntries(repoDir, entries, blobs),
    lazyFiles: (listing, known, other) => lazyTreeFiles(repoDir, listing, known, other),
    quickCompare: (base, head, projectDir) => quickCompare(repoDir, base, head, projectDir, layout),
    directories: (commit, projectDir) => listDirectories(repoDir, commit, projectDir),
  };
}

/**
 * `source` with its quickCompare of (base, head, projectDir) started now: a shell that still has
 * to open its cache (importing lmdb takes tens of milliseconds) lets git's two processes run on the
 * other core meanwhile. Another comparison asked of it runs as usual.
 */
export function withEarlyCompare(source: SourceReader, base: string, head: string, projectDir: string): SourceReader {
  if (source.quickCompare === undefined || head === WORKTREE) return source;
  const quick = source.quickCompare.bind(source);
  const dir = normalizeProjectDir(projectDir);
  // A rejection is the caller's to see when it asks; until then it must not count as unhandled.
  const early = quick(base, head, dir);
  early.catch(() => {});
  return { ...source, quickCompare: (b, h, d) => (b === base && h === head && normalizeProjectDir(d) === dir ? early : quick(b, h, d)) };
}
