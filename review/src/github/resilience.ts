/**
 * Retries, backoff and write pacing shared by both shells, as an Octokit plugin that wraps every
 * request. One mechanism for the Action (`getOctokit(token, opts, plugin)`) and the App
 * (`ProbotOctokit.plugin(plugin)` with Probot's own throttle/retry switched off through the
 * function form of `defaults`), so one set of tests covers both:
 * - 5xx (500/502/503/504) and network errors: retried with exponential backoff;
 * - secondary rate limits (403/429 with `retry-after`, or a "secondary rate limit" message):
 *   retried after `retry-after` seconds (GitHub's guidance: otherwise wait at least a minute);
 * - primary rate limit (403/429 with `x-ratelimit-remaining: 0`): retried after `x-ratelimit-reset`;
 * - writes (POST/PATCH/PUT/DELETE to /repos and /graphql) serialized process-wide, spaced by
 *   `writeSpacingMs`, and at most `writesPerMinute` in any 60 s window (GitHub: 80
 *   content-creating requests per minute).
 * An aborted request (`request.signal`) is never retried and aborts any wait.
 *
 * A create (POST) is not idempotent: after a 5xx or a dropped connection GitHub may have applied
 * it before failing, and sending it again would make a second comment, review or check run. Such
 * a request names how to find what it would have created (`request: { findCreated }`); before
 * each re-send the plugin asks, and when the object is there it is the answer and nothing is
 * re-sent. When the lookup itself fails the original error is thrown (a missing write is reported;
 * a duplicate would not be).
 */

export interface ResilienceOptions {
  /** Retries after the first attempt (default 4). */
  readonly retries?: number;
  /** Backoff base for 5xx and secondary limits without retry-after (default 1000 ms; doubles). */
  readonly baseDelayMs?: number;
  /** Longest single wait (default 120 s); a longer `retry-after` makes the request fail instead. */
  readonly maxDelayMs?: number;
  /** Wait used for a secondary rate limit that names no retry-after (default 60 s, per GitHub). */
  readonly secondaryFallbackMs?: number;
  /** Minimum gap between two writes (default 100 ms; the per-minute cap bounds sustained rates). */
  readonly writeSpacingMs?: number;
  /** Writes allowed in any 60 s window (default 80). */
  readonly writesPerMinute?: number;
  /** Scale applied to `retry-after` seconds (tests use a small value; default 1000 ms per second). */
  readonly retryAfterUnitMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/** Finds the object a create would have made (its response's `data`), or undefined when it is not there. */
export type FindCreated = () => Promise<unknown>;

interface RequestOptions {
  readonly method?: string;
  readonly url?: string;
  readonly request?: { readonly signal?: AbortSignal; readonly findCreated?: FindCreated };
}

type RequestWrapper = (request: (options: RequestOptions) => Promise<unknown>, options: RequestOptions) => Promise<unknown>;

/** Octokit's hook collection, typed loosely: Probot's and @actions/github's Octokit types differ. */
interface HookableOctokit {
  readonly hook: { wrap(name: "request", wrapper: any): void };
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/** Decides whether a failed request is retried and after how long. Pure; exported for tests. */
export function retryDecision(error: unknown, attempt: number, options: ResilienceOptions = {}): RetryDecision {
  const retries = options.retries ?? 4;
  if (attempt >= retries) return { retry: false };
  const base = options.baseDelayMs ?? 1000;
  const unit = options.retryAfterUnitMs ?? 1000;
  const now = options.now?.() ?? Date.now();
  const e = error as { status?: number; name?: string; response?: { headers?: Record<string, string | undefined>; data?: { message?: string } }; message?: string };
  if (e?.name === "AbortError") return { retry: false };
  const status = e?.status;
  const headers = e?.response?.headers ?? {};
  const message = `${e?.response?.data?.message ?? ""} ${e?.message ?? ""}`;
  const backoff = base * 2 ** attempt;
  if (status === undefined || status === 0) {
    // Network error (reset, refused): transient more often than not.
    return typeof e?.message === "string" && /fetch failed|ECONNRESET|socket|network/i.test(e.message) ? { retry: true, delayMs: backoff, reason: "network error" } : { retry: false };
  }
  if (RETRYABLE_STATUS.has(status)) return { retry: true, delayMs: backoff, reason: `HTTP ${status}` };
  if (status !== 403 && status !== 429) return { retry: false };
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return { retry: true, delayMs: Math.max(retryAfter * unit, 1), reason: `rate limit (retry-after ${retryAfter}s)` };
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    const wait = Number.isFinite(reset) ? Math.max(reset * 1000 - now, 0) + 1000 : backoff;
    return { retry: true, delayMs: wait, reason: "primary rate limit" };
  }
  if (/secondary rate limit|abuse/i.test(message)) {
    return { retry: true, delayMs: Math.max(options.secondaryFallbackMs ?? 60_000, backoff), reason: "secondary rate limit" };
  }
  if (status === 429) return { retry: true, delayMs: backoff, reason: "HTTP 429" };
  return { retry: false };
}

/** A failure after which the write may have been applied: a 5xx, or no answer at all (Octokit reports a dropped connection as 500). */
export function mayHaveBeenApplied(error: unknown): boolean {
  const e = error as { status?: number; name?: string } | null;
  if (e?.name === "AbortError") return false;
  return e?.status === undefined || e.status === 0 || e.status >= 500;
}

/** Sleeps `ms`, rejecting early when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A pacer that serializes writes process-wide with spacing and a per-minute cap. */
export class WritePacer {
  #tail: Promise<void> = Promise.resolve();
  #lastStart = Number.NEGATIVE_INFINITY;
  readonly #recent: number[] = [];
  readonly #options: ResilienceOptions;

  constructor(options: ResilienceOptions = {}) {
    this.#options = options;
  }

  /** Runs `fn` when it is this write's turn; writes never overlap. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.#tail.then(async () => {
      await this.#waitForTurn(signal);
      return fn();
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async #waitForTurn(signal?: AbortSignal): Promise<void> {
    const now = this.#options.now ?? Date.now;
    const sleep = this.#options.sleep ?? abortableSleep;
    const spacing = this.#options.writeSpacingMs ?? 100;
    const perMinute = this.#options.writesPerMinute ?? 80;
    const gap = this.#lastStart + spacing - now();
    if (gap > 0) await sleep(gap, signal);
    while (this.#recent.length > 0 && this.#recent[0] <= now() - 60_000) this.#recent.shift();
    if (this.#recent.length >= perMinute) {
      await sleep(this.#recent[0] + 60_000 - now(), signal);
      this.#recent.shift();
    }
    this.#lastStart = now();
    this.#recent.push(this.#lastStart);
  }
}

function isPacedWrite(options: RequestOptions): boolean {
  const method = (options.method ?? "GET").toUpperCase();
  if (!WRITE_METHODS.has(method)) return false;
  const url = options.url ?? "";
  // Token requests (/app/installations/.../access_tokens) run inside other requests' auth hooks: never pace them.
  return url.startsWith("/repos/") || url.includes("graphql");
}

/**
 * Builds the Octokit plugin. Octokit instances built with one plugin share a write pacer per
 * installation (GitHub's secondary limits are per installation or token), so writes stay
 * serialized across the Probot app's per-event clients of one installation.
 */
export function createResiliencePlugin(options: ResilienceOptions = {}): (octokit: HookableOctokit, octokitOptions?: { readonly auth?: unknown }) => Record<string, never> {
  const pacers = new Map<string, WritePacer>();
  const sleep = options.sleep ?? abortableSleep;
  return (octokit, octokitOptions) => {
    const installation = (octokitOptions?.auth as { installationId?: unknown } | undefined)?.installationId;
    const key = installation === undefined ? "default" : `installation:${String(installation)}`;
    let pacer = pacers.get(key);
    if (!pacer) {
      pacer = new WritePacer(options);
      pacers.set(key, pacer);
    }
    const installationPacer = pacer;
    const wrapper: RequestWrapper = async (request, requestOptions) => {
      const signal = requestOptions.request?.signal;
      const attemptOnce = () => request(requestOptions);
      const paced = isPacedWrite(requestOptions);
      for (let attempt = 0; ; attempt += 1) {
        try {
          return paced ? await installationPacer.run(attemptOnce, signal) : await attemptOnce();
        } catch (error) {
          if (signal?.aborted) throw error;
          const decision = retryDecision(error, attempt, options);
          if (!decision.retry || decision.delayMs > (options.maxDelayMs ?? 120_000)) throw error;
          options.log?.(`${requestOptions.method} ${requestOptions.url}: ${decision.reason}; retry ${attempt + 1} in ${decision.delayMs} ms`);
          await sleep(decision.delayMs, signal);
          const findCreated = requestOptions.request?.findCreated;
          if (typeof findCreated === "function" && mayHaveBeenApplied(error)) {
            let found: unknown;
            try {
              found = await findCreated();
            } catch {
              // Cannot tell whether the first attempt landed: re-sending could duplicate it.
              throw error;
            }
            if (found !== undefined) {
              options.log?.(`${requestOptions.method} ${requestOptions.url}: GitHub applied it before failing; not sent again`);
              return { status: 201, url: "", headers: {}, data: found };
            }
          }
        }
      }
    };
    octokit.hook.wrap("request", wrapper);
    return {};
  };
}

/**
 * Operational knobs read by the shells: ROCKY_GITHUB_RETRIES, ROCKY_GITHUB_RETRY_BASE_MS,
 * ROCKY_GITHUB_WRITE_SPACING_MS, ROCKY_GITHUB_WRITES_PER_MINUTE, ROCKY_GITHUB_RETRY_AFTER_UNIT_MS (tests shrink waits with it).
 */
export function resilienceFromEnv(env: Readonly<Record<string, string | undefined>>, base: ResilienceOptions = {}): ResilienceOptions {
  const num = (name: string) => {
    const value = env[name];
    if (value === undefined || value.trim() === "") return undefined;
    const n = Number(value);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const picked: Record<string, number | undefined> = {
    retries: num("ROCKY_GITHUB_RETRIES"),
    baseDelayMs: num("ROCKY_GITHUB_RETRY_BASE_MS"),
    writeSpacingMs: num("ROCKY_GITHUB_WRITE_SPACING_MS"),
    writesPerMinute: num("ROCKY_GITHUB_WRITES_PER_MINUTE"),
    retryAfterUnitMs: num("ROCKY_GITHUB_RETRY_AFTER_UNIT_MS"),
    secondaryFallbackMs: num("ROCKY_GITHUB_SECONDARY_WAIT_MS"),
  };
  return { ...base, ...Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) };
}
