import { type DeadLetter, type QueueJob, type QueueStats, retryDelay } from "./job_queue.ts";

/** A `queue_jobs` row as both table backends read it (`id, key, payload, attempts[, last_error]`). */
export type JobRow = Readonly<Record<string, unknown>>;

const optionalText = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

/** A claimed job from its row; `attempts` is the count including this claim. */
export function queueJobFromRow<T>(r: JobRow, attempts: number): QueueJob<T> {
  return {
    id: String(r.id),
    key: optionalText(r.key),
    payload: JSON.parse(String(r.payload)) as T,
    attempts,
  };
}

/** A dead letter from its row. */
export function deadLetterFromRow<T>(r: JobRow): DeadLetter<T> {
  return { ...queueJobFromRow<T>(r, Number(r.attempts)), lastError: optionalText(r.last_error) };
}

/** The counters from `state, n` rows (finished jobs are not counted). */
export function statsFromCounts(rows: readonly JobRow[]): QueueStats {
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { ready: n("ready"), inflight: n("leased"), dead: n("dead") };
}

/** What a failed attempt leads to: dead-lettered after `maxAttempts`, else retried after the doubling delay. */
export type FailureFate = { dead: true } | { dead: false; retryInMs: number };

/** See {@linkcode FailureFate}. */
export function failureFate(
  attempts: number,
  options: { maxAttempts: number; retryDelayMs: number },
): FailureFate {
  if (attempts >= options.maxAttempts) return { dead: true };
  return { dead: false, retryInMs: retryDelay(attempts, options.retryDelayMs) };
}
