/**
 * Waits used by the latency and hang faults. They run on real timers (they
 * simulate the network, which a client experiences in wall time) and are all
 * released at once by `release()` so that closing or resetting the sandbox
 * never leaves a request hanging.
 *
 * @module
 */

interface Waiter {
  resolve: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Registry of pending fault waits. */
export class HangRegistry {
  readonly #waiters = new Set<Waiter>();

  /** Wait `ms` milliseconds (forever when `ms` is `Infinity`) or until {@linkcode HangRegistry.release}. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve: () => {
          if (waiter.timer !== undefined) clearTimeout(waiter.timer);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      if (Number.isFinite(ms)) waiter.timer = setTimeout(waiter.resolve, Math.max(0, ms));
    });
  }

  /** Number of requests currently held. */
  get pending(): number {
    return this.#waiters.size;
  }

  /** Wake every pending wait now. */
  release(): number {
    const all = [...this.#waiters];
    for (const w of all) w.resolve();
    return all.length;
  }
}
