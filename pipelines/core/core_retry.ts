import type { RetryOptions } from "../../lib/retry/retry.ts";

/**
 * The core service's retry schedule, per the users' spec: waits of 1 s, 2 s
 * and 4 s (3 retries, no jitter beyond ±10 %), and on a throttling answer the
 * time Feishu gives in `x-ogw-ratelimit-reset`, or 30 s when it gives none.
 * The workflows keep their own configured schedules (lib/retry's defaults).
 */
export const CORE_RETRY: Omit<RetryOptions, "signal" | "clock" | "onRetry" | "onTokenInvalid"> = {
  retries: 3,
  baseMs: 1000,
  factor: 2,
  capMs: 4000,
  jitter: 0.1,
  rateLimitFallbackMs: 30_000,
};
