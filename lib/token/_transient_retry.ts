import type { Logger } from "../log/logger.ts";
import { retry } from "../retry/retry.ts";
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
 * Run `fn`, retrying transient failures (`isRetryable`: network, 5xx,
 * throttling, 20050/20072; never config or auth failures) a few times with a short backoff
 * (the shared {@linkcode retry}: doubled per retry, ±20% jitter, at most
 * `maxWaitMs` a wait), each retry logged as `token_endpoint.retry`.
 */
export async function retryTransient<T>(
  endpoint: string,
  fn: () => Promise<T>,
  settings: TransientRetrySettings,
  signal?: AbortSignal,
): Promise<T> {
  const { value } = await retry(() => fn(), {
    retries: settings.retries,
    baseMs: settings.backoffMs,
    capMs: settings.maxWaitMs,
    maxWaitMs: settings.maxWaitMs,
    clock: settings.clock,
    signal,
    onRetry: ({ attempt, delayMs, error }) => {
      settings.logger.warn("token_endpoint.retry", { endpoint, attempt, wait_ms: delayMs, error });
      settings.onRetry?.();
    },
  });
  return value;
}
