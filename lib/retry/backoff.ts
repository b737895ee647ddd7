/** Options of the exponential backoff schedule. */
export interface BackoffOptions {
  /** First delay in ms (default 500). */
  baseMs?: number;
  /** Multiplier per attempt (default 2). */
  factor?: number;
  /** Largest delay in ms (default 10 000). */
  capMs?: number;
  /** Relative jitter, 0.2 = ±20% (default 0.2). */
  jitter?: number;
  /** Random source in [0, 1) (default `Math.random`); tests pass a fixed one. */
  random?: () => number;
}

/** Defaults of {@linkcode BackoffOptions}. */
export const BACKOFF_DEFAULTS: Required<Omit<BackoffOptions, "random">> = {
  baseMs: 500,
  factor: 2,
  capMs: 10_000,
  jitter: 0.2,
};

/**
 * Delay before retry number `retry` (1 = first retry):
 * `min(cap, base * factor^(retry-1))`, then ±jitter, never above `cap * (1 + jitter)`
 * nor below zero.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const o = { ...BACKOFF_DEFAULTS, ...options };
  const random = options.random ?? Math.random;
  const raw = Math.min(o.capMs, o.baseMs * Math.pow(o.factor, Math.max(0, retry - 1)));
  const spread = raw * o.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(raw + spread));
}
