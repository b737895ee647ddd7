import { AuthError } from "../errors/auth_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import { RateLimitError } from "../errors/rate_limit_error.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { backoffDelay, type BackoffOptions } from "./backoff.ts";

/** Options of {@linkcode retry}. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Time source for the waits (default the system clock). */
  clock?: Clock;
  /** Abort the waits and the loop. */
  signal?: AbortSignal;
  /** Longest single wait in ms, a server's `Retry-After` included (default no limit). */
  maxWaitMs?: number;
  /** Called before each wait, for logging. */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Wait after a throttling answer that did not say how long (no
   * `x-ogw-ratelimit-reset`), ms. Default: the normal backoff delay. The core
   * service sets 30 000 (the spec's rule).
   */
  rateLimitFallbackMs?: number;
  /**
   * Called when a token was refused (`AuthError.tokenInvalid`): drop it and
   * return true to retry once with a fresh one. Default: not retried.
   */
  onTokenInvalid?: (error: AuthError) => Promise<boolean>;
}

/** What {@linkcode RetryOptions.onRetry} is told. */
export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  /** Wait before the next attempt, in ms. */
  delayMs: number;
  /** The failure. */
  error: unknown;
}

/** The result of {@linkcode retry}. */
export interface RetryResult<T> {
  /** The successful value. */
  value: T;
  /** Attempts made, including the successful one. */
  attempts: number;
  /** Total time spent waiting between attempts, in ms. */
  waitedMs: number;
}

/** Thrown errors keep the attempt count so callers can report it. */
export function attemptsOf(error: unknown): number | undefined {
  return (error as { attempts?: number } | null)?.attempts;
}

/**
 * Whether a failure may succeed on another attempt: retryable
 * {@linkcode LarkError}s (network, timeout, 5xx, throttling). Config,
 * permission, parameter and session errors are never retried.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof LarkError) return error.retryable;
  return false;
}

/**
 * Run `fn` until it succeeds, retrying retryable failures with exponential
 * backoff and jitter (defaults: 500 ms base, ×2, 10 s cap, ±20%, 3 retries).
 * Throttling waits the time Feishu asked for when it said
 * (`RateLimitError.retryAfterMs`). A refused token is retried once after
 * `onTokenInvalid`; a second refusal is final.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<RetryResult<T>> {
  const retries = options.retries ?? 3;
  const clock = options.clock ?? systemClock;
  let attempt = 0;
  let waitedMs = 0;
  let tokenRetried = false;
  let normalRetries = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    attempt++;
    try {
      const value = await fn(attempt);
      return { value, attempts: attempt, waitedMs };
    } catch (error) {
      if (options.signal?.aborted) throw tag(error, attempt);
      if (error instanceof AuthError && error.tokenInvalid && !tokenRetried && options.onTokenInvalid) {
        tokenRetried = true;
        if (await options.onTokenInvalid(error)) {
          options.onRetry?.({ attempt, delayMs: 0, error });
          continue;
        }
        throw tag(error, attempt);
      }
      if (!isRetryable(error) || normalRetries >= retries) throw tag(error, attempt);
      normalRetries++;
      let delayMs = backoffDelay(normalRetries, options);
      if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
        // Feishu said when the window recovers: wait that long (plus a little jitter so
        // concurrent callers do not all return in the same millisecond).
        const random = options.random ?? Math.random;
        delayMs = error.retryAfterMs + Math.round(random() * 100);
      } else if (error instanceof RateLimitError && options.rateLimitFallbackMs !== undefined) {
        delayMs = options.rateLimitFallbackMs;
      }
      if (options.maxWaitMs !== undefined) delayMs = Math.min(delayMs, options.maxWaitMs);
      options.onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs, options.signal);
      waitedMs += delayMs;
    }
  }
}

function tag(error: unknown, attempts: number): unknown {
  if (error && typeof error === "object") {
    try {
      (error as { attempts?: number }).attempts = attempts;
    } catch { /* frozen */ }
  }
  return error;
}
