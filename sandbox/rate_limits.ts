/**
 * Fixed-window rate limits per endpoint × app (or × CLM session), plus an
 * optional `"global"` budget per app shared by every Open Platform endpoint
 * and a per-recipient budget for IM sends. Windows follow the sandbox clock,
 * so tests can drive them with a `FakeClock`.
 *
 * By default the sandbox enforces {@linkcode DOCUMENTED_RATE_LIMITS}, the
 * tiers the official pages give (per API × app; frequency-limit overview
 * open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN): tier 4
 * "1000/min & 50/s" for IM, VC, contact and OAuth; 5/s for each minutes API;
 * 5 QPS per message recipient (user or chat). Endpoints whose limit is not
 * documented ("special", auth v3, contract, the CLM web app, the long
 * connection) have none. `SandboxOptions.defaultRateLimits: false` (or
 * `deno task sandbox --no-rate-limits`, or `POST /__sandbox/rate_limits
 * {"off": true}`) turns them off.
 *
 * @module
 */
import type { Clock } from "../lib/time/mod.ts";
import type { RateLimitSpec, RateLimitTable } from "./options.ts";

/** Name of the per-app budget shared by all Open Platform endpoints. */
export const GLOBAL_LIMIT = "global";
/** Name of the per-recipient (user or chat) budget of IM sends, keyed by recipient. */
export const IM_RECIPIENT_LIMIT = "im_message_recipient";

const TIER_4: RateLimitSpec = { perMinute: 1000, perSecond: 50 };

/** The documented limits the sandbox enforces by default (see the module doc). */
export const DOCUMENTED_RATE_LIMITS: Readonly<RateLimitTable> = Object.freeze({
  oauth_authorize: TIER_4,
  oauth_token: TIER_4,
  im_message_create: TIER_4,
  im_message_list: TIER_4,
  im_message_resource: TIER_4,
  [IM_RECIPIENT_LIMIT]: { perSecond: 5 },
  vc_recording: TIER_4,
  minute_get: { perSecond: 5 },
  minute_media: { perSecond: 5 },
  contact_user_get: TIER_4,
  contact_users_batch: TIER_4,
  contact_users_by_department: TIER_4,
  contact_department_children: TIER_4,
});

/** Names {@linkcode RateLimiter.set} accepts besides endpoint names. */
export const EXTRA_LIMIT_NAMES: readonly string[] = [GLOBAL_LIMIT, IM_RECIPIENT_LIMIT];

/** Result of {@linkcode RateLimiter.hit}. */
export type RateLimitDecision =
  | { ok: true }
  | {
    ok: false;
    /** Which budget tripped: an endpoint name or `"global"`. */
    scope: string;
    /** Quota of the tripped window (`x-ogw-ratelimit-limit`). */
    limit: number;
    /** Whole seconds until the window recovers, ≥ 1 (`x-ogw-ratelimit-reset`). */
    resetSec: number;
  };

interface Window {
  start: number;
  count: number;
}

const WINDOWS: readonly { field: keyof RateLimitSpec; size: number }[] = [
  { field: "perSecond", size: 1000 },
  { field: "perMinute", size: 60_000 },
];

/** Counts requests in fixed windows and says when one is over the limit. */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #limits = new Map<string, RateLimitSpec>();
  readonly #windows = new Map<string, Window>();

  /** Create with an initial table of limits. */
  constructor(clock: Clock, limits: RateLimitTable = {}) {
    this.#clock = clock;
    for (const [name, spec] of Object.entries(limits)) this.set(name, spec);
  }

  /** Set (or with `undefined`, remove) the limit of an endpoint name or `"global"`. */
  set(name: string, spec: RateLimitSpec | undefined): void {
    if (!spec || (spec.perSecond === undefined && spec.perMinute === undefined)) {
      this.#limits.delete(name);
      return;
    }
    for (const v of [spec.perSecond, spec.perMinute]) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
        throw new RangeError(`限流值必须是非负整数，实际为 ${v}`);
      }
    }
    this.#limits.set(name, { ...spec });
  }

  /** Current limits. */
  get table(): RateLimitTable {
    return Object.fromEntries(this.#limits);
  }

  /**
   * Count one request of `key` (app id or session) to `endpoint`; with
   * `withGlobal`, the app's `"global"` budget is charged too. Throttled
   * requests are not counted.
   */
  hit(key: string, endpoint: string, withGlobal: boolean): RateLimitDecision {
    const now = this.#clock.now();
    const scopes = withGlobal ? [endpoint, GLOBAL_LIMIT] : [endpoint];
    const charged: Window[] = [];
    for (const scope of scopes) {
      const spec = this.#limits.get(scope);
      if (!spec) continue;
      for (const { field, size } of WINDOWS) {
        const limit = spec[field];
        if (limit === undefined) continue;
        const start = Math.floor(now / size) * size;
        const id = `${scope}|${key}|${size}`;
        let w = this.#windows.get(id);
        if (!w || w.start !== start) {
          w = { start, count: 0 };
          this.#windows.set(id, w);
        }
        if (w.count >= limit) {
          return { ok: false, scope, limit, resetSec: Math.max(1, Math.ceil((start + size - now) / 1000)) };
        }
        charged.push(w);
      }
    }
    for (const w of charged) w.count++;
    return { ok: true };
  }

  /** Remove every limit (windows too). */
  clear(): void {
    this.#limits.clear();
    this.#windows.clear();
  }

  /** Forget every window (limits stay). */
  resetCounters(): void {
    this.#windows.clear();
  }
}
