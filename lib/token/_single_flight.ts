import { abortable } from "./_helpers.ts";

/**
 * One run per key at a time: callers of a key share the run in flight; each caller may
 * abort its own wait (the run goes on for the others).
 */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>();

  /** Whether a run of `key` is in flight. */
  has(key: string): boolean {
    return this.#inflight.has(key);
  }

  /** The run of `key` in flight, if any. */
  get(key: string): Promise<T> | undefined {
    return this.#inflight.get(key);
  }

  /** Join the run of `key`, starting it with `start` when none is in flight. */
  run(key: string, start: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let p = this.#inflight.get(key);
    if (!p) {
      const tracked = start().finally(() => {
        if (this.#inflight.get(key) === tracked) this.#inflight.delete(key);
      });
      tracked.catch(() => {}); // every caller handles the error on its own promise
      this.#inflight.set(key, tracked);
      p = tracked;
    }
    return abortable(p, signal);
  }

  /** Resolves when no run is in flight. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) {
      await Promise.allSettled([...this.#inflight.values()]);
    }
  }
}
