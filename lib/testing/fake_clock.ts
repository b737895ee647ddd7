import type { Clock } from "../time/clock.ts";

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A manually advanced {@linkcode Clock} for tests. Time only moves when the
 * test calls {@linkcode FakeClock.tick} (or {@linkcode FakeClock.runUntilIdle}),
 * and sleepers wake in deadline order (FIFO for equal deadlines).
 *
 * @example
 * ```ts
 * const clock = new FakeClock(0);
 * const p = clock.sleep(1000);
 * await clock.tick(1000); // p is now resolved
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #sleepers: Sleeper[] = [];

  /** Start the clock at `start` ms since the epoch (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  /** Current fake time in ms. */
  now(): number {
    return this.#now;
  }

  /** Number of sleepers still waiting. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Sleep on fake time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      // Like setTimeout, a NaN delay means "now" (a NaN deadline would corrupt fake time).
      const wait = Number.isNaN(ms) ? 0 : Math.max(0, ms);
      const sleeper: Sleeper = { at: this.#now + wait, seq: this.#seq++, resolve, reject, signal };
      if (signal) {
        sleeper.onAbort = () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        };
        signal.addEventListener("abort", sleeper.onAbort, { once: true });
      }
      this.#sleepers.push(sleeper);
    });
  }

  /**
   * Advance fake time by `ms`, waking every sleeper whose deadline falls in
   * that span in order, and letting their continuations run between wake-ups.
   */
  async tick(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flush();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      this.#now = Math.max(this.#now, next.at);
      this.#wake(next);
      await flush();
    }
    this.#now = target;
    await flush();
  }

  /**
   * Keep advancing to the next deadline until nothing sleeps any more (or
   * `maxMs` of fake time has passed). Returns the fake time elapsed.
   */
  async runUntilIdle(maxMs = 24 * 3600_000): Promise<number> {
    const start = this.#now;
    await flush();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at - start > maxMs) break;
      this.#now = Math.max(this.#now, next.at);
      this.#wake(next);
      await flush();
    }
    return this.#now - start;
  }

  #earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s;
    }
    return best;
  }

  #wake(s: Sleeper): void {
    this.#sleepers = this.#sleepers.filter((x) => x !== s);
    if (s.signal && s.onAbort) s.signal.removeEventListener("abort", s.onAbort);
    s.resolve();
  }
}

/** Let pending microtasks and already-due macrotasks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setTimeout(r, 0));
}
