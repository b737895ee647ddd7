/**
 * Cancellable real-time waits of the meeting family (answer windows,
 * redelivery schedules). They are unref'd (a pending redelivery never keeps
 * a process alive) and all cancelled at once when the family closes or
 * resets, so nothing fires after the sandbox is gone.
 *
 * @module
 */

interface Pending {
  id: ReturnType<typeof setTimeout>;
  resolve: (completed: boolean) => void;
}

/** A set of cancellable sleeps. */
export class Timers {
  readonly #pending = new Set<Pending>();

  /**
   * Wait `ms` on real time. Resolves `true` when the time is up, `false`
   * when cancelled (by `signal` or {@linkcode Timers.cancelAll}).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const done = (completed: boolean) => {
        clearTimeout(entry.id);
        signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(entry);
        resolve(completed);
      };
      const onAbort = () => done(false);
      const entry: Pending = { id: setTimeout(() => done(true), Math.max(0, ms)), resolve: done };
      Deno.unrefTimer(Number(entry.id));
      this.#pending.add(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Number of waits in progress. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Cancel every wait (they resolve `false`). */
  cancelAll(): void {
    for (const p of [...this.#pending]) p.resolve(false);
  }
}
