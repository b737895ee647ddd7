/** Options of {@linkcode pooledMap}. */
export interface PoolOptions {
  /** Items processed at once (default 1). */
  concurrency?: number;
  /** Stop starting new items when aborted; running items see the same signal. */
  signal?: AbortSignal;
}

/**
 * Run `fn` over `items` with at most `concurrency` running at once. Results
 * are not collected (callers record them as they finish, which is what a
 * resumable job wants). The first rejection stops new items from starting and
 * is re-thrown once the running ones settle.
 */
export async function pooledMap<T>(
  items: Iterable<T>,
  fn: (item: T, index: number) => Promise<void>,
  options: PoolOptions = {},
): Promise<void> {
  const it = items[Symbol.iterator]();
  let index = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (;;) {
      if (failure || options.signal?.aborted) return;
      const next = it.next();
      if (next.done) return;
      const i = index++;
      try {
        await fn(next.value, i);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  const n = Math.max(1, Math.floor(options.concurrency ?? 1));
  await Promise.all(Array.from({ length: n }, worker));
  if (failure) throw failure.error;
}
