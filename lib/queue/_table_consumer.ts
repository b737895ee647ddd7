import type { ConsumeOptions, JobHandler, QueueConsumer, QueueJob } from "./job_queue.ts";

/** What a table backend gives the shared consumer loop. */
export interface TableOps<T> {
  /** Lease up to `n` due jobs. */
  claim(n: number): Promise<QueueJob<T>[]>;
  /** The handler succeeded. */
  complete(job: QueueJob<T>): Promise<void>;
  /** The handler failed: retry later or dead-letter. */
  fail(job: QueueJob<T>, error: unknown): Promise<void>;
  /** Called when the backend itself failed (claim/complete threw). */
  onBackendError?(error: unknown): void;
}

/**
 * The consumer loop of the table backends: claim up to `concurrency` jobs,
 * run them, claim more as slots free up; when nothing is due, sleep until
 * `wake()` (a local enqueue) or `pollMs`. Backend errors back off (1 s).
 */
export function runTableConsumer<T>(
  ops: TableOps<T>,
  handler: JobHandler<T>,
  options: ConsumeOptions & { pollMs: number; subscribe: (wake: () => void) => () => void },
): QueueConsumer {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const stop = new AbortController();
  options.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  const unsubscribe = options.subscribe(() => wake?.());

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        stop.signal.removeEventListener("abort", done);
        resolve();
      }
      wake = done;
      stop.signal.addEventListener("abort", done, { once: true });
    });

  const runOne = async (job: QueueJob<T>) => {
    let ok = false;
    let error: unknown;
    try {
      await handler(job);
      ok = true;
    } catch (e) {
      error = e;
    }
    try {
      if (ok) await ops.complete(job);
      else await ops.fail(job, error);
    } catch (e) {
      // The lease runs out and the job is offered again: at least once.
      ops.onBackendError?.(e);
    }
  };

  const loop = (async () => {
    while (!stop.signal.aborted) {
      const free = concurrency - running.size;
      if (free <= 0) {
        await Promise.race(running);
        continue;
      }
      let jobs: QueueJob<T>[];
      try {
        jobs = await ops.claim(free);
      } catch (e) {
        ops.onBackendError?.(e);
        await sleep(1000);
        continue;
      }
      if (jobs.length === 0) {
        if (running.size > 0) await Promise.race([...running, sleep(options.pollMs)]);
        else await sleep(options.pollMs);
        continue;
      }
      for (const job of jobs) {
        const p = runOne(job).finally(() => running.delete(p));
        running.add(p);
      }
    }
    await Promise.allSettled(running);
  })();

  return {
    async stop() {
      stop.abort();
      unsubscribe();
      await loop;
    },
  };
}

/** Error text kept with a failed job (first 500 characters). */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}
