import { type Clock, systemClock } from "../time/clock.ts";

/** Options of {@linkcode ReplayGuard}. */
export interface ReplayGuardOptions {
  /**
   * Largest accepted distance between `X-Lark-Request-Timestamp` and now, in
   * either direction, seconds (default 300: five minutes of age or of clock
   * skew between Feishu and this machine).
   */
  windowSec?: number;
  /**
   * Most nonces remembered (default 50 000, a few MB). When full, the oldest
   * is forgotten first; Feishu's own traffic to one app stays far below this.
   */
  maxNonces?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
}

/** Why {@linkcode ReplayGuard.check} refused a request. */
export type ReplayRefusal = "missing_timestamp" | "stale_timestamp" | "missing_nonce" | "replayed_nonce";

/**
 * Freshness of signed event requests: `X-Lark-Request-Timestamp` (Unix
 * seconds, covered by the signature) must lie within ±`windowSec` of now, and
 * each `X-Lark-Request-Nonce` is accepted once while its timestamp is inside
 * that window. A captured request therefore cannot be replayed: later than the
 * window its timestamp is stale, within it its nonce is known. A redelivery
 * of the same event by Feishu carries a new timestamp and nonce and passes
 * (duplicate events are a separate matter: the event store de-duplicates
 * `event_id`).
 *
 * Call {@linkcode ReplayGuard.check} only after the signature was verified,
 * so forged requests cannot fill the nonce memory.
 *
 * @example
 * ```ts
 * const guard = new ReplayGuard({ windowSec: 300 });
 * Deno.serve((req) => {
 *   const refusal = guard.check(req.headers.get("x-lark-request-timestamp"), req.headers.get("x-lark-request-nonce"));
 *   if (refusal) return new Response(refusal, { status: 401 });
 *   return new Response("ok");
 * });
 * ```
 */
export class ReplayGuard {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #clock: Clock;
  /** nonce → expiry (ms); insertion order is arrival order. */
  readonly #seen = new Map<string, number>();

  /** Create a guard with empty nonce memory. */
  constructor(options: ReplayGuardOptions = {}) {
    this.#windowMs = (options.windowSec ?? 300) * 1000;
    this.#max = options.maxNonces ?? 50_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Nonces remembered right now. */
  get size(): number {
    return this.#seen.size;
  }

  /**
   * Accept (`undefined`, and remember the nonce) or refuse a request by its
   * timestamp and nonce headers.
   */
  check(timestamp: string | null | undefined, nonce: string | null | undefined): ReplayRefusal | undefined {
    const now = this.#clock.now();
    this.#forgetExpired(now);
    if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim())) return "missing_timestamp";
    const ts = Number(timestamp.trim()) * 1000;
    if (Math.abs(now - ts) > this.#windowMs) return "stale_timestamp";
    const key = nonce?.trim();
    if (!key) return "missing_nonce";
    if (this.#seen.has(key)) return "replayed_nonce";
    if (this.#seen.size >= this.#max) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    // Remembered until its timestamp leaves the window (then the timestamp alone refuses it).
    this.#seen.set(key, ts + this.#windowMs);
    return undefined;
  }

  /**
   * Forget an accepted nonce again: the request it came with failed on our
   * side (5xx), so the same signed request, should Feishu send it again, is
   * not mistaken for a replay.
   */
  forget(nonce: string | null | undefined): void {
    const key = nonce?.trim();
    if (key) this.#seen.delete(key);
  }

  #forgetExpired(now: number): void {
    for (const [nonce, expires] of this.#seen) {
      if (expires >= now) {
        // Arrival order is close to expiry order; stop at the first live entry (a few
        // out-of-order entries are swept on a later call).
        return;
      }
      this.#seen.delete(nonce);
    }
  }
}
