/** True when a SQLite error means "busy" or "locked" (another connection holds the lock). */
export function isBusy(e: unknown): boolean {
  const err = e as { errcode?: number; message?: string } | null;
  return err?.errcode === 5 || err?.errcode === 6 || /database is (locked|busy)/i.test(err?.message ?? "");
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Run a synchronous SQLite step, retrying "busy" for up to `timeoutMs` of
 * real time. Needed where SQLite answers "locked" without consulting the busy
 * handler, e.g. switching a brand-new file to WAL while another process opens it.
 */
export function retryBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      Atomics.wait(sleepCell, 0, 0, 5 + Math.random() * 10);
    }
  }
}
