/** Options for {@linkcode waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds of real time. Default 10 000. */
  timeoutMs?: number;
  /** Pause between two checks, in milliseconds. Default 10. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. Default "condition". */
  what?: string;
  /** Stop waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Wait until `cond` returns a truthy value and resolve with it: the tests'
 * one condition wait (instead of a fixed sleep that hopes the other side is
 * done). Polls every `intervalMs` and rejects once `timeoutMs` have passed.
 *
 * @example Wait for a file to appear
 * ```ts
 * import { waitFor } from "./wait_for.ts";
 *
 * const path = await Deno.makeTempFile();
 * const info = await waitFor(() => Deno.stat(path).catch(() => undefined), { what: "the file" });
 * console.log(info.size);
 * ```
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 10, what = "condition", signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await cond();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
