import { type Clock, systemClock } from "../time/clock.ts";

/** One named bucket's budget. Give either or both rates; the tighter wins. */
export interface BucketSpec {
  /** Calls per minute (QPM). */
  perMinute?: number;
  /** Calls per second (QPS). */
  perSecond?: number;
}

/** Options of {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** Buckets by name, e.g. `{ global: { perMinute: 60 } }`. */
  buckets?: Record<string, BucketSpec>;
  /** Time source (default the system clock). */
  clock?: Clock;
}

/** Counters per bucket, for summaries and benchmarks. */
export interface BucketStats {
  /** Calls granted. */
  granted: number;
  /** Total time callers waited for this bucket, in ms. */
  waitedMs: number;
  /** Times the bucket was paused after a throttling answer. */
  pauses: number;
}

interface Bucket {
  intervalMs: number;
  /** Sorted start times of granted or reserved slots. */
  slots: number[];
  pausedUntil: number;
  stats: BucketStats;
}

/**
 * Named rate buckets shared by every concurrent task of a process.
 *
 * A call takes a slot in several buckets at once (typically `global` and its
 * endpoint's). Slots are spaced at least `1 / rate` apart in each bucket, so
 * no window of any alignment ever holds more than the budget. Callers reserve
 * slots in arrival order (FIFO: a later caller never delays an earlier one),
 * yet a later caller may fill a gap an earlier caller left in another bucket,
 * so no capacity is wasted. After a throttling answer, {@linkcode pause} stops
 * a bucket until Feishu's reset time.
 */
export class RateLimiter {
  #clock: Clock;
  #buckets = new Map<string, Bucket>();

  /** Create a limiter with the given buckets. */
  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    for (const [name, spec] of Object.entries(options.buckets ?? {})) this.define(name, spec);
  }

  /** Define or redefine a bucket. A spec with no positive rate means unlimited. */
  define(name: string, spec: BucketSpec): void {
    const intervals: number[] = [0];
    if (spec.perSecond && spec.perSecond > 0) intervals.push(1000 / spec.perSecond);
    if (spec.perMinute && spec.perMinute > 0) intervals.push(60_000 / spec.perMinute);
    const existing = this.#buckets.get(name);
    this.#buckets.set(name, {
      intervalMs: Math.max(...intervals),
      slots: existing?.slots ?? [],
      pausedUntil: existing?.pausedUntil ?? 0,
      stats: existing?.stats ?? { granted: 0, waitedMs: 0, pauses: 0 },
    });
  }

  /** Whether a bucket of that name exists. */
  has(name: string): boolean {
    return this.#buckets.has(name);
  }

  /**
   * Wait for a slot in every named bucket (unknown names are ignored) and
   * return how long the caller waited, in ms.
   */
  async acquire(names: readonly string[], signal?: AbortSignal): Promise<number> {
    const buckets = [...new Set(names)].map((n) => this.#buckets.get(n)).filter((b): b is Bucket => !!b);
    const start = this.#clock.now();
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const at = this.#reserve(buckets, now);
      if (at > now) {
        try {
          await this.#clock.sleep(at - now, signal);
        } catch (e) {
          this.#release(buckets, at);
          throw e;
        }
      }
      // A pause may have arrived while we slept: give the slot back and queue again.
      const after = this.#clock.now();
      if (buckets.some((b) => b.pausedUntil > after)) {
        this.#release(buckets, at);
        continue;
      }
      const waited = after - start;
      for (const b of buckets) {
        b.stats.granted++;
        b.stats.waitedMs += waited;
      }
      return waited;
    }
  }

  /** Stop granting slots in `name` until `untilMs` (epoch ms), e.g. Feishu's reset time. */
  pause(name: string, untilMs: number): void {
    const b = this.#buckets.get(name);
    if (!b) return;
    if (untilMs > b.pausedUntil) {
      b.pausedUntil = untilMs;
      b.stats.pauses++;
    }
  }

  /** Counters of one bucket. */
  stats(name: string): BucketStats | undefined {
    const b = this.#buckets.get(name);
    return b ? { ...b.stats } : undefined;
  }

  /** Counters of every bucket. */
  allStats(): Record<string, BucketStats> {
    const out: Record<string, BucketStats> = {};
    for (const [n, b] of this.#buckets) out[n] = { ...b.stats };
    return out;
  }

  /** Earliest time at which every bucket has a free slot; reserve it. */
  #reserve(buckets: Bucket[], now: number): number {
    let t = now;
    for (const b of buckets) t = Math.max(t, b.pausedUntil);
    for (const b of buckets) prune(b, now);
    // Move t forward until no bucket has a reserved slot closer than its interval.
    for (let guard = 0; guard < 100_000; guard++) {
      let moved = false;
      for (const b of buckets) {
        const clash = findClash(b, t);
        if (clash !== undefined) {
          t = clash + b.intervalMs;
          moved = true;
        }
      }
      if (!moved) break;
    }
    for (const b of buckets) insertSorted(b.slots, t);
    return t;
  }

  #release(buckets: Bucket[], at: number): void {
    for (const b of buckets) {
      const i = b.slots.indexOf(at);
      if (i >= 0) b.slots.splice(i, 1);
    }
  }
}

/** Drop slots that can no longer clash with any future reservation. */
function prune(b: Bucket, now: number): void {
  let i = 0;
  while (i < b.slots.length && b.slots[i] <= now - b.intervalMs) i++;
  if (i > 0) b.slots.splice(0, i);
}

/** A slot s with |s - t| < interval, if any (the latest such). */
function findClash(b: Bucket, t: number): number | undefined {
  if (b.intervalMs <= 0) return undefined;
  let found: number | undefined;
  for (const s of b.slots) {
    if (s > t - b.intervalMs && s < t + b.intervalMs) found = s;
    if (s >= t + b.intervalMs) break;
  }
  return found;
}

function insertSorted(a: number[], v: number): void {
  let i = a.length;
  while (i > 0 && a[i - 1] > v) i--;
  a.splice(i, 0, v);
}
