import { ProbotOctokit } from "probot";
import { createResiliencePlugin, type ResilienceOptions } from "../../review/src/github/index.js";
import { permissionWarnings } from "./permissions.js";

/**
 * Probot's Octokit with the project's retry/backoff/pacing plugin. Probot's own throttle and retry
 * are switched off through the FUNCTION form of `defaults` (the object form is overridden by the
 * per-instance throttle options Probot builds, and Probot 14.3.2's own handler does not retry
 * secondary rate limits); the shared plugin retries them with backoff and paces writes. A new
 * installation token lacking a permission the App needs is logged as a warning naming it.
 */
export function rockyProbotOctokit(options: ResilienceOptions = {}): typeof ProbotOctokit {
  return ProbotOctokit.plugin(createResiliencePlugin(options) as never, permissionWarnings as never).defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    retry: { enabled: false },
    throttle: { ...(instanceOptions.throttle as object), enabled: false },
  })) as typeof ProbotOctokit;
}
