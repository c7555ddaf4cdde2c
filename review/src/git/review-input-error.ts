/**
 * A problem with the review's inputs that the user fixes (a ref that is not in the clone, a
 * shallow history without the merge-base, a project directory that does not exist): shells
 * print `message` and `advice` and exit non-zero, with no stack trace.
 */
export type ReviewInputErrorCode =
  | "not-a-repository"
  | "missing-base"
  | "missing-head"
  | "missing-merge-base"
  | "no-common-history"
  | "missing-project-dir"
  | "missing-layout-dir"
  | "invalid-option"
  /** A compliance environment the project does not define (`--env`, the Action's `env`). */
  | "unknown-env";

export class ReviewInputError extends Error {
  override readonly name = "ReviewInputError";
  readonly code: ReviewInputErrorCode;
  /** What is wrong, without the advice (`message` is both, on two lines). */
  readonly problem: string;
  /** What to run or change to fix it (one or more lines). */
  readonly advice: string;

  constructor(code: ReviewInputErrorCode, message: string, advice: string) {
    super(`${message}\n${advice}`);
    this.code = code;
    this.problem = message;
    this.advice = advice;
  }
}

export function isReviewInputError(e: unknown): e is ReviewInputError {
  return e instanceof ReviewInputError;
}
