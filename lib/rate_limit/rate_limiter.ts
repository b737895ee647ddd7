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

/** A budget window checked against the times slots were really granted. */
interface Window {
  /** Window length, ms. */
  ms: number;
  /** Grants allowed in any window of that length. */
  limit: number;
  /** Times of the last `limit` grants, oldest first. */
  log: number[];
}

interface Bucket {
  intervalMs: number;
  windows: Window[];
  /** Sorted start times of granted or reserved slots. */
  slots: number[];
  pausedUntil: number;
  stats: BucketStats;
}

/** A caller waiting for its slot. */
interface Waiter {
  buckets: Bucket[];
  /** The reserved slot (the same time in every bucket). */
  at: number;
  /** Cuts the current sleep short when the slot is moved (pause, abort of another caller). */
  wake?: AbortController;
}

/**
 * Named rate buckets shared by every concurrent task of a process.
 *
 * A call takes a slot in several buckets at once (typically `global` and its
 * endpoint's). Slots are spaced at least `1 / rate` apart in each bucket, and a
 * grant is also checked against the times earlier grants really happened (real
 * timers fire late), so no window of any alignment ever holds more than the
 * budget. Callers reserve slots in arrival order (FIFO: a later caller never
 * delays an earlier one), yet a later caller may fill a gap an earlier caller
 * left in another bucket, so no capacity is wasted. After a throttling answer,
 * {@linkcode pause} stops a bucket until Feishu's reset time; callers already
 * waiting on it are moved behind the reset in their original order.
 */
export class RateLimiter {
  #clock: Clock;
  #buckets = new Map<string, Bucket>();
  #waiters = new Set<Waiter>();

  /** Create a limiter with the given buckets. */
  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    for (const [name, spec] of Object.entries(options.buckets ?? {})) this.define(name, spec);
  }

  /** Define or redefine a bucket. A spec with no positive rate means unlimited. */
  define(name: string, spec: BucketSpec): void {
    const intervals: number[] = [0];
    const windows: Window[] = [];
    if (spec.perSecond && spec.perSecond > 0) {
      intervals.push(1000 / spec.perSecond);
      windows.push({ ms: 1000, limit: Math.ceil(spec.perSecond), log: [] });
    }
    if (spec.perMinute && spec.perMinute > 0) {
      intervals.push(60_000 / spec.perMinute);
      windows.push({ ms: 60_000, limit: Math.ceil(spec.perMinute), log: [] });
    }
    const existing = this.#buckets.get(name);
    if (existing) {
      // Update in place: waiting callers hold references to the bucket.
      for (const w of windows) {
        const old = existing.windows.find((o) => o.ms === w.ms);
        if (old) w.log = old.log.slice(-w.limit);
      }
      existing.intervalMs = Math.max(...intervals);
      existing.windows = windows;
      return;
    }
    this.#buckets.set(name, {
      intervalMs: Math.max(...intervals),
      windows,
      slots: [],
      pausedUntil: 0,
      stats: { granted: 0, waitedMs: 0, pauses: 0 },
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
    signal?.throwIfAborted();
    const buckets = [...new Set(names)].map((n) => this.#buckets.get(n)).filter((b): b is Bucket => !!b);
    const start = this.#clock.now();
    const waiter: Waiter = { buckets, at: this.#reserve(buckets, start) };
    this.#waiters.add(waiter);
    try {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.#clock.now();
        if (buckets.some((b) => b.pausedUntil > now && waiter.at < b.pausedUntil)) {
          // Safety net; pause() normally moves waiting callers itself.
          this.#release(buckets, waiter.at);
          waiter.at = this.#reserve(buckets, now);
        }
        let due = waiter.at;
        for (const b of buckets) due = Math.max(due, windowReady(b));
        if (due > now) {
          await this.#sleep(waiter, due - now, signal);
          continue;
        }
        this.#waiters.delete(waiter);
        const waited = now - start;
        for (const b of buckets) {
          b.stats.granted++;
          b.stats.waitedMs += waited;
          for (const w of b.windows) {
            w.log.push(now);
            if (w.log.length > w.limit) w.log.splice(0, w.log.length - w.limit);
          }
        }
        return waited;
      }
    } catch (e) {
      // Give the slot back and let the callers queued behind us move up.
      if (this.#waiters.delete(waiter)) {
        this.#release(buckets, waiter.at);
        this.#replan((w) => w.at > waiter.at && w.buckets.some((b) => buckets.includes(b)));
      }
      throw e;
    }
  }

  /** Stop granting slots in `name` until `untilMs` (epoch ms), e.g. Feishu's reset time. */
  pause(name: string, untilMs: number): void {
    const b = this.#buckets.get(name);
    if (!b) return;
    if (untilMs > b.pausedUntil) {
      b.pausedUntil = untilMs;
      b.stats.pauses++;
      // Move every caller waiting on this bucket behind the reset, keeping their order,
      // so a caller arriving during the pause cannot overtake them.
      this.#replan((w) => w.buckets.includes(b));
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

  /** Sleep until woken by time, by the caller's signal (throws) or by a re-plan (returns). */
  async #sleep(waiter: Waiter, ms: number, signal?: AbortSignal): Promise<void> {
    const wake = new AbortController();
    waiter.wake = wake;
    try {
      await this.#clock.sleep(ms, signal ? AbortSignal.any([signal, wake.signal]) : wake.signal);
    } catch (e) {
      if (signal?.aborted || !wake.signal.aborted) throw e;
    } finally {
      if (waiter.wake === wake) waiter.wake = undefined;
    }
  }

  /**
   * Reserve again, in slot order, the slots of the waiting callers `pick`
   * selects. A caller whose slot moves is woken to sleep for the new time.
   */
  #replan(pick: (w: Waiter) => boolean): void {
    const moved = [...this.#waiters].filter(pick).sort((a, b) => a.at - b.at);
    if (moved.length === 0) return;
    for (const w of moved) this.#release(w.buckets, w.at);
    const now = this.#clock.now();
    for (const w of moved) {
      const before = w.at;
      w.at = this.#reserve(w.buckets, now);
      if (w.at !== before) w.wake?.abort();
    }
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

/** Earliest time the real grant history allows another grant (−∞ when free). */
function windowReady(b: Bucket): number {
  let t = -Infinity;
  for (const w of b.windows) {
    if (w.log.length >= w.limit) t = Math.max(t, w.log[w.log.length - w.limit] + w.ms);
  }
  return t;
}

/** Drop slots that can no longer clash with any future reservation. */
function prune(b: Bucket, now: number): void {
  let i = 0;
  while (i < b.slots.length && b.slots[i] + b.intervalMs <= now) i++;
  if (i > 0) b.slots.splice(0, i);
}

/**
 * A slot s closer than one interval to t, if any (the latest such). Written as
 * `s + interval > t` so that `t = s + interval` (how t is moved) never counts
 * as a clash again through floating-point rounding.
 */
function findClash(b: Bucket, t: number): number | undefined {
  if (b.intervalMs <= 0) return undefined;
  const slots = b.slots;
  // Binary search for the first slot with s + interval > t (slots are sorted).
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid] + b.intervalMs > t) hi = mid;
    else lo = mid + 1;
  }
  let found: number | undefined;
  for (let i = lo; i < slots.length && slots[i] < t + b.intervalMs; i++) found = slots[i];
  return found;
}

function insertSorted(a: number[], v: number): void {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  a.splice(lo, 0, v);
}
