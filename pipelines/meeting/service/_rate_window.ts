/** A sliding-window counter of the service (not exported from the package). */
import type { Clock } from "../../../lib/time/clock.ts";

/**
 * Counts events in the last `windowMs` (memory bounded by `limit`: older hits
 * beyond the limit are dropped, they could not change a decision).
 */
export class RateWindow {
  readonly limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #hits: number[] = [];

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
