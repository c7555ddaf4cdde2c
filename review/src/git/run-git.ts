import { execFile } from "node:child_process";

/** A git command that failed: its exit code and what it said on stderr (the message carries both). */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed${exitCode === null ? "" : ` (exit ${exitCode})`}: ${stderr.trim()}`);
    this.name = "GitCommandError";
  }
}

/**
 * Run git in `repoDir` and resolve with its stdout once its output is closed (execFile waits for
 * the close, not the exit: a git that exits before its output is drained is read in full); reject
 * with a GitCommandError when it fails. The review's own runner: simple-git cost 35-40 ms of CPU
 * to import on every review, for four `raw` calls.
 */
export function runGit(repoDir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: repoDir, maxBuffer: 2 ** 30, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const code = typeof error.code === "number" ? error.code : null;
      reject(new GitCommandError(args, code, stderr || error.message));
    });
  });
}

/** runGit, or null when git fails (a ref that does not resolve, no merge-base). */
export function tryGit(repoDir: string, args: readonly string[]): Promise<string | null> {
  return runGit(repoDir, args).catch(() => null);
}
