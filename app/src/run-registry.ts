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
  readonly #turns = new Map<string, Promise<void>>();
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

  /**
   * Runs `task` after every task queued before under `key` has settled (failed or not): production
   * runs of one repository, one at a time and in push order. Two merges in quick succession would
   * otherwise build production at once, the older push's `CREATE OR REPLACE` landing after the newer's.
   */
  inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#turns.get(key) ?? Promise.resolve();
    const mine = previous.then(task, task);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#turns.set(key, settled);
    void settled.then(() => {
      if (this.#turns.get(key) === settled) this.#turns.delete(key);
    });
    return mine;
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
