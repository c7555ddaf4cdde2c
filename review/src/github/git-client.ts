import { type SimpleGit, simpleGit } from "simple-git";

/**
 * simple-git for the shells' git work (fetching, `show`, `merge-base`), done when git's output is
 * closed rather than 50 ms after git exits (simple-git's default completion): on a busy event loop
 * the rest of the output is still in the pipe at exit, and a caller would read it cut short
 * (steveukx/git-js#608; it cut the review's tree listings short before the review moved to execFile).
 */
export function gitClient(baseDir: string, config: readonly string[] = []): SimpleGit {
  return simpleGit({ baseDir, config: [...config], completion: { onExit: false } });
}
