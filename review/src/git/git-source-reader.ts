import type { SourceReader } from "../ports.js";
import { changedFiles } from "./changed-files.js";
import type { ProjectLayout } from "./project-file-role.js";
import { lazyTreeFiles, listTree, readEntries, readTree } from "./read-tree.js";
import { quickCompare } from "./quick-compare.js";
import { resolveRefs } from "./resolve-refs.js";

/** The SourceReader over a local git repository (git processes: one round for a cached review, one cat-file per read). */
export function createGitSourceReader(repoDir: string, layout: ProjectLayout = {}): SourceReader {
  // blob sha → text, shared by the reads of both sides: the head read fetches only what the PR changed
  const blobs = new Map<string, string | null>();
  return {
    resolveRefs: (base, head) => resolveRefs(repoDir, base, head),
    readProject: (commit, projectDir) => readTree(repoDir, commit, projectDir, layout, blobs),
    changedFiles: (from, to, projectDir) => changedFiles(repoDir, from, to, projectDir, layout),
    listProject: (commit, projectDir) => listTree(repoDir, commit, projectDir, layout),
    readEntries: (entries) => readEntries(repoDir, entries, blobs),
    lazyFiles: (listing, known, other) => lazyTreeFiles(repoDir, listing, known, other),
    quickCompare: (base, head, projectDir) => quickCompare(repoDir, base, head, projectDir, layout),
  };
}
