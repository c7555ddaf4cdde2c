import type { FailOnPolicy, RenderedReview } from "../report/rendered.js";

/**
 * The ports both shells build their work on, so each can be tested with fakes and wired to the
 * real review core, warehouse runs and state store at the edge.
 */

/** The options the shells pass to `reviewPullRequest` (review/src/review-pull-request.ts). */
export interface ReviewCallOptions {
  readonly repoDir: string;
  readonly base: string;
  readonly head?: string;
  readonly projectDir?: string;
  /** Values for `${VAR}` in TOML. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly targetDialect?: string;
  /** Compliance environment (`[mask.<env>]`). */
  readonly maskEnv?: string;
  readonly failOn?: FailOnPolicy;
}

export interface ReviewOutcome {
  readonly report: unknown;
  readonly rendered: RenderedReview;
}

export type ReviewRunner = (options: ReviewCallOptions) => Promise<ReviewOutcome>;

/** Branch schemas and production runs (engine/src/run, charter 4), behind a port. */
export interface WarehousePort {
  /** Create/refresh `branch__pr_<pr>` and run the PR's changed models into it (base: the PR's base SHA). */
  createBranch(pr: number, headSha: string, baseSha?: string): Promise<void>;
  /** Drop the PR's branch schema with its tables; `configSha` is the commit whose rocky.toml names the warehouse. */
  dropBranch(pr: number, configSha?: string): Promise<void>;
  /**
   * Run the models a merge (or push) changed, and their downstream, in production; `beforeSha`
   * is what the default branch was before (a push's `before`; default: the first parent). Throws
   * when the run did not succeed, naming the failed models.
   */
  runProduction(mergeSha: string, beforeSha?: string): Promise<void>;
}

/**
 * Webhook deliveries already handled or being handled: `record` claims an id and returns false
 * when it was claimed before (a duplicate, or a redelivery of finished work); `forget` releases
 * the claim of a delivery whose work failed, so GitHub's "Redeliver" runs it again.
 */
export interface DeliveryLog {
  record(deliveryId: string): Promise<boolean>;
  forget(deliveryId: string): Promise<void>;
}

/** In-memory delivery log (single process); the App uses the lmdb state store when it is there. */
export function memoryDeliveryLog(limit = 10_000): DeliveryLog {
  const seen = new Set<string>();
  return {
    async record(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > limit) seen.delete(seen.values().next().value as string);
      return true;
    },
    async forget(id) {
      seen.delete(id);
    },
  };
}

/** The real review core, imported on first use. */
export const defaultReviewRunner: ReviewRunner = async (options) => {
  const core = await import("../review-pull-request.js");
  return core.reviewPullRequest(options as Parameters<typeof core.reviewPullRequest>[0]);
};

/**
 * The review core with a compile cache kept on disk between reviews (the App: the next push to a
 * PR, or another PR on the same base, starts from the base's kept snapshot instead of compiling it
 * again). Opened on first use; `cacheSalt` names the build, so a new build never reads an older one's entries.
 */
export function cachedReviewRunner(cacheDir: string, cacheSalt = "", warn?: (message: string) => void): ReviewRunner & { close(): Promise<void> } {
  let opened: Promise<import("../../../engine/src/compile/compile-cache.js").CompileCache | undefined> | undefined;
  // Without a usable cache directory the review still runs, compiling both sides; `warn` hears why, once.
  const cache = () =>
    (opened ??= import("../../../engine/src/compile/lmdb-compile-cache.js")
      .then((m) => m.openLmdbCompileCache(cacheDir))
      .catch((error: unknown) => {
        warn?.(`reviewing without the compile cache: ${cacheDir} could not open (${error instanceof Error ? error.message : String(error)}); every review compiles both sides in full`);
        return undefined;
      }));
  const runner = async (options: ReviewCallOptions) => {
    const core = await import("../review-pull-request.js");
    const c = await cache();
    return core.reviewPullRequest({ ...(options as Parameters<typeof core.reviewPullRequest>[0]), ...(c ? { cache: c } : {}), compileExtras: { cacheSalt } });
  };
  return Object.assign(runner, {
    close: async () => {
      const c = await opened;
      await c?.close();
    },
  });
}
