import { AdapterError } from "./adapter-error.js";

/** `[adapter.NAME.retry]`: bounded retries of transient failures with exponential backoff. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, initialBackoffMs: 250, maxBackoffMs: 5_000 };

/** Read `retry = { max_retries, initial_backoff_ms, max_backoff_ms }` from adapter settings. */
export function retryPolicyFrom(settings: Readonly<Record<string, unknown>>): RetryPolicy {
  const r = (settings.retry ?? {}) as Record<string, unknown>;
  const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    maxRetries: Math.floor(num(r.max_retries, DEFAULT_RETRY.maxRetries)),
    initialBackoffMs: num(r.initial_backoff_ms, DEFAULT_RETRY.initialBackoffMs),
    maxBackoffMs: num(r.max_backoff_ms, DEFAULT_RETRY.maxBackoffMs),
  };
}

/**
 * Run `attempt`; when it throws a transient `AdapterError`, wait (250 ms, 500 ms, 1 s ... capped)
 * and try again, at most `maxRetries` times. The last error surfaces with the attempt count.
 * Anything else surfaces at once: a SQL error is never retried.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof AdapterError) || !e.transient || n > policy.maxRetries) {
        if (e instanceof AdapterError && n > 1) throw withAttempts(e, n);
        throw e;
      }
      const wait = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (n - 1));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function withAttempts(e: AdapterError, attempts: number): AdapterError {
  return new AdapterError({ adapter: e.adapter, kind: e.kind, detail: e.detail, statement: e.statement, code: e.code, sqlState: e.sqlState, attempts, retryable: e.transient, cause: e.cause ?? e, hint: e.hint });
}
