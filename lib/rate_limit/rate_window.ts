import type { Clock } from "../time/clock.ts";

/**
 * A sliding-window counter for a few events per window (login failures,
 * authorization starts): counts events in the last `windowMs`, memory bounded
 * by `limit` (older hits beyond the limit are dropped, they could not change
 * a decision).
 *
 * @example
 * ```ts
 * import { systemClock } from "../time/clock.ts";
 *
 * const starts = new RateWindow({ limit: 60, windowMs: 60_000, clock: systemClock });
 * if (!starts.tryHit()) console.log("请求过于频繁，请一分钟后再试。");
 * ```
 */
export class RateWindow {
  /** Most events per window. */
  readonly limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #hits: number[] = [];

  /** A window of `windowMs` allowing `limit` events. */
  constructor(o: { limit: number; windowMs: number; clock: Clock }) {
    this.limit = o.limit;
    this.#windowMs = o.windowMs;
    this.#clock = o.clock;
  }

  /** Events within the window. */
  count(): number {
    const since = this.#clock.now() - this.#windowMs;
    while (this.#hits.length && this.#hits[0] <= since) this.#hits.shift();
    return this.#hits.length;
  }

  /** Record one event. */
  hit(): void {
    this.#hits.push(this.#clock.now());
    if (this.#hits.length > this.limit) this.#hits.shift();
  }

  /** Record one event when under the limit; false (nothing recorded) when the window is full. */
  tryHit(): boolean {
    if (this.count() >= this.limit) return false;
    this.hit();
    return true;
  }
}
