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

/** A budget window checked against the times grants really happened. */
interface Window {
  /** Window length, ms. */
  ms: number;
  /** Grants allowed in any window of that length. */
  limit: number;
  /** Times of the last `limit` grants, oldest first. */
  log: number[];
}

interface Bucket {
  /** Minimum spacing of grants on the schedule, ms. */
  intervalMs: number;
  windows: Window[];
  /** Theoretical time of the next grant on the bucket's schedule. */
  next: number;
  pausedUntil: number;
  stats: BucketStats;
}

interface Waiter {
  buckets: Bucket[];
  start: number;
  resolve: (waitedMs: number) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Named rate buckets shared by every concurrent task of a process.
 *
 * A call takes a grant in several buckets at once (typically `global` and its
 * endpoint's). Each bucket keeps a schedule spaced `1 / rate` apart (the
 * tighter of QPS and QPM), and every grant is also checked against the times
 * earlier grants really happened, so no window of any alignment holds more
 * than the budget even when timers fire late.
 *
 * Waiting callers form one queue. Whenever buckets become free, the queue is
 * scanned in arrival order and every caller whose buckets are all free is
 * granted at once: callers on the same buckets are served first come, first
 * served, and a caller blocked on one bucket never holds back a later caller
 * that needs other buckets, so no capacity is left idle while someone could
 * use it. After a throttling answer, {@linkcode pause} stops a bucket until
 * Feishu's reset time; waiting callers keep their places.
 */
export class RateLimiter {
  #clock: Clock;
  #buckets = new Map<string, Bucket>();
  #queue: Waiter[] = [];
  #timer?: { at: number; abort: AbortController };

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
      windows.push({ ms: 1000, limit: Math.max(1, Math.floor(spec.perSecond)), log: [] });
    }
    if (spec.perMinute && spec.perMinute > 0) {
      intervals.push(60_000 / spec.perMinute);
      windows.push({ ms: 60_000, limit: Math.max(1, Math.floor(spec.perMinute)), log: [] });
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
      this.#pump();
      return;
    }
    this.#buckets.set(name, {
      intervalMs: Math.max(...intervals),
      windows,
      next: -Infinity,
      pausedUntil: 0,
      stats: { granted: 0, waitedMs: 0, pauses: 0 },
    });
  }

  /** Whether a bucket of that name exists. */
  has(name: string): boolean {
    return this.#buckets.has(name);
  }

  /**
   * Wait for a grant in every named bucket (unknown names are ignored) and
   * return how long the caller waited, in ms.
   */
  acquire(names: readonly string[], signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const buckets = [...new Set(names)].map((n) => this.#buckets.get(n)).filter((b): b is Bucket => !!b);
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { buckets, start: this.#clock.now(), resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(signal.reason);
          this.#pump();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Stop granting in `name` until `untilMs` (epoch ms), e.g. Feishu's reset time. */
  pause(name: string, untilMs: number): void {
    const b = this.#buckets.get(name);
    if (!b || untilMs <= b.pausedUntil) return;
    b.pausedUntil = untilMs;
    b.stats.pauses++;
    this.#pump();
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

  /** Grant every waiter whose buckets are free now, in queue order; then sleep until the next one can go. */
  #pump(): void {
    const now = this.#clock.now();
    let wake = Infinity;
    const remaining: Waiter[] = [];
    for (const w of this.#queue) {
      let ready = -Infinity;
      for (const b of w.buckets) ready = Math.max(ready, readyAt(b));
      if (ready <= now) this.#grant(w, now);
      else {
        remaining.push(w);
        wake = Math.min(wake, ready);
      }
    }
    this.#queue = remaining;
    this.#arm(wake, now);
  }

  #grant(w: Waiter, now: number): void {
    const waited = now - w.start;
    for (const b of w.buckets) {
      // Stay on the schedule when a timer fired a little late (the window logs keep the
      // budget); start a new schedule after an idle spell.
      b.next = now - b.next < b.intervalMs ? b.next + b.intervalMs : now + b.intervalMs;
      for (const win of b.windows) {
        win.log.push(now);
        if (win.log.length > win.limit) win.log.splice(0, win.log.length - win.limit);
      }
      b.stats.granted++;
      b.stats.waitedMs += waited;
    }
    if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
    w.resolve(waited);
  }

  /** Keep one timer, at the earliest time a waiter may go. */
  #arm(at: number, now: number): void {
    if (this.#timer && this.#timer.at === at) return;
    this.#timer?.abort.abort();
    this.#timer = undefined;
    if (at === Infinity) return;
    const abort = new AbortController();
    const timer = { at, abort };
    this.#timer = timer;
    this.#clock.sleep(Math.max(0, at - now), abort.signal).then(() => {
      if (this.#timer === timer) {
        this.#timer = undefined;
        this.#pump();
      }
    }, () => {/* re-armed */});
  }
}

/** Earliest time a bucket may grant: its schedule, its pause, and its real-time windows. */
function readyAt(b: Bucket): number {
  let t = Math.max(b.next, b.pausedUntil);
  for (const w of b.windows) {
    if (w.log.length >= w.limit) t = Math.max(t, w.log[w.log.length - w.limit] + w.ms);
  }
  return t;
}
