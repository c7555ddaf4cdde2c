/**
 * Per-PR runs: the newest head SHA wins. Starting a run for a PR aborts the one in flight (its
 * check runs end `cancelled`); background work is tracked so tests and shutdown can wait for it.
 */

interface ActiveRun {
  readonly id: number;
  readonly headSha: string;
  readonly controller: AbortController;
}

export class RunRegistry {
  readonly #active = new Map<string, ActiveRun>();
  readonly #pending = new Set<Promise<unknown>>();
  #nextId = 1;

  /** Starts a run for `key` (owner/repo#pr), aborting an older one. */
  start(key: string, headSha: string): { readonly id: number; readonly signal: AbortSignal } {
    const previous = this.#active.get(key);
    previous?.controller.abort(new SupersededError(headSha));
    const run: ActiveRun = { id: this.#nextId++, headSha, controller: new AbortController() };
    this.#active.set(key, run);
    return { id: run.id, signal: run.controller.signal };
  }

  /** Aborts whatever runs for `key` (PR closed). */
  cancel(key: string, reason: string): void {
    this.#active.get(key)?.controller.abort(new Error(reason));
    this.#active.delete(key);
  }

  finish(key: string, id: number): void {
    if (this.#active.get(key)?.id === id) this.#active.delete(key);
  }

  /** Runs `task` in the background (after the webhook is acknowledged). */
  background(task: () => Promise<void>, onError: (error: unknown) => void | Promise<void>): void {
    const promise = task().catch(onError);
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  /** Resolves when no background work is left. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

export class SupersededError extends Error {
  constructor(readonly newerHeadSha: string) {
    super(`superseded by a newer push (${newerHeadSha.slice(0, 7)})`);
    this.name = "SupersededError";
  }
}
