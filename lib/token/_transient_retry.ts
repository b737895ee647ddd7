import { AuthError } from "../errors/auth_error.ts";
import { ConfigError } from "../errors/config_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import { RateLimitError } from "../errors/rate_limit_error.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";

/** Settings of {@linkcode retryTransient}. */
export interface TransientRetrySettings {
  /** Extra attempts after the first. */
  retries: number;
  /** First backoff in ms; doubled per retry, ±20% jitter. */
  backoffMs: number;
  /** Largest single wait in ms. */
  maxWaitMs: number;
  /** Clock for the waits. */
  clock: Clock;
  /** Where retries are reported. */
  logger: Logger;
  /** Told before each retry (counts). */
  onRetry?: () => void;
}

/**
 * True for failures another attempt may fix: network errors, 5xx, throttling,
 * 20050/20072. Config and auth failures never are.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ConfigError || error instanceof AuthError) return false;
  return error instanceof LarkError && error.retryable;
}

/** Run `fn`, retrying transient failures a few times with a short backoff. */
export async function retryTransient<T>(
  endpoint: string,
  fn: () => Promise<T>,
  settings: TransientRetrySettings,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (signal?.aborted || attempt >= settings.retries || !isTransient(error)) throw error;
      let waitMs = settings.backoffMs * 2 ** attempt * (0.8 + 0.4 * Math.random());
      if (error instanceof RateLimitError && error.retryAfterMs !== undefined) waitMs = error.retryAfterMs;
      waitMs = Math.round(Math.min(settings.maxWaitMs, Math.max(0, waitMs)));
      settings.logger.warn("token_endpoint.retry", {
        endpoint,
        attempt: attempt + 1,
        wait_ms: waitMs,
        error,
      });
      settings.onRetry?.();
      await settings.clock.sleep(waitMs, signal);
    }
  }
}
