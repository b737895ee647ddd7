import type { RetryOptions } from "../../lib/retry/retry.ts";

/** The retry options the core gives its HTTP clients. */
export type CoreRetryOptions = Omit<RetryOptions, "signal" | "clock" | "onRetry" | "onTokenInvalid">;

/**
 * The core service's retry schedule, per the users' spec: a first wait of
 * `baseMs` doubling on each of `retries` retries (default 1 s, 2 s, 4 s; no
 * jitter beyond ±10 %), and on a throttling answer the time Feishu gives in
 * `x-ogw-ratelimit-reset`, or 30 s when it gives none. Configured with
 * `FEISHU_CORE_RETRY_BASE_MS` and `FEISHU_CORE_RETRIES` (see `loadCoreConfig`).
 * The workflows keep their own configured schedules (lib/retry's defaults).
 *
 * @example Waits of 0.5 s, 1 s, 2 s, 4 s
 * ```ts
 * import { coreRetry } from "./core_retry.ts";
 *
 * const retry = coreRetry({ baseMs: 500, retries: 4 });
 * console.log(retry.capMs); // 4000
 * ```
 */
export function coreRetry(o: { baseMs?: number; retries?: number } = {}): CoreRetryOptions {
  const baseMs = o.baseMs ?? 1000;
  const retries = o.retries ?? 3;
  return {
    retries,
    baseMs,
    factor: 2,
    capMs: baseMs * 2 ** Math.max(0, retries - 1),
    jitter: 0.1,
    rateLimitFallbackMs: 30_000,
  };
}

/** The default schedule: 1 s, 2 s, 4 s (see {@linkcode coreRetry}). */
export const CORE_RETRY: CoreRetryOptions = coreRetry();
