/**
 * Injectable time source. Every piece of timing logic in feishu-kit takes a
 * {@linkcode Clock} so tests can drive it with {@linkcode FakeClock} instead of
 * real time.
 *
 * @module
 */

/** A source of "now" and of cancellable sleeps. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolve after `ms` milliseconds. Rejects with the signal's reason when the
   * signal aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleep on real timers, honouring an `AbortSignal`. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(id);
      reject(signal!.reason);
    };
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: delay,
};
