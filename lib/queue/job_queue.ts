import { backoffDelay } from "../retry/backoff.ts";

/** One job as a consumer sees it. */
export interface QueueJob<T = unknown> {
  /** Backend id of the job (row id, or the AMQP message id). */
  id: string;
  /** De-duplication key given to `enqueue`, if any. */
  key?: string;
  /** What was enqueued. */
  payload: T;
  /** Deliveries so far, this one included (1 = first run). */
  attempts: number;
}

/** Runs one job; a throw counts as a failed attempt (retried, then dead-lettered). */
export type JobHandler<T = unknown> = (job: QueueJob<T>) => Promise<void>;

/** Options of {@linkcode JobQueue.consume}. */
export interface ConsumeOptions {
  /** Jobs run at once by this consumer (default 8). */
  concurrency?: number;
  /** Stop consuming (in-flight jobs finish first; see {@linkcode QueueConsumer.stop}). */
  signal?: AbortSignal;
}

/** A running consumer. */
export interface QueueConsumer {
  /** Stop taking jobs and wait for the ones in flight. */
  stop(): Promise<void>;
}

/** Counters of a queue. */
export interface QueueStats {
  /** Waiting to run. */
  ready: number;
  /** Taken by a consumer, not yet finished. */
  inflight: number;
  /** Given up after `maxAttempts` failures (dead-letter). */
  dead: number;
}

/** A dead-lettered job. */
export interface DeadLetter<T = unknown> {
  /** Backend id. */
  id: string;
  /** De-duplication key, if any. */
  key?: string;
  /** The payload. */
  payload: T;
  /** Attempts made. */
  attempts: number;
  /** Why the last attempt failed. */
  lastError?: string;
}

/** Options shared by the backends. */
export interface QueueOptions {
  /** Queue name (default `"callbacks"`); several queues may share a database or broker. */
  name?: string;
  /** Failed attempts before a job is dead-lettered (default 5). */
  maxAttempts?: number;
  /** Wait before retrying a failed job, ms, doubled per attempt (default 1000, capped at 60 000). */
  retryDelayMs?: number;
}

/**
 * A durable job queue: `enqueue` resolves only once the job is stored
 * (committed row, or a broker's publisher confirm), consumers take jobs with
 * a lease / manual ack, a throwing handler is retried and dead-lettered after
 * `maxAttempts`. Delivery is at least once: handlers de-duplicate by `key`.
 *
 * Backends: {@linkcode SqliteQueue} (embedded default), {@linkcode PostgresQueue}
 * (`FOR UPDATE SKIP LOCKED`), {@linkcode RabbitMqQueue} (durable queue,
 * publisher confirms, manual acks, dead-letter queue). Open one by URL with
 * {@linkcode openQueue}.
 */
export interface JobQueue<T = unknown> {
  /** Which backend this is. */
  readonly backend: "sqlite" | "postgres" | "rabbitmq";
  /**
   * Store a job durably. With a `key`, a second job with the same key is not
   * stored again (table backends; `false` returned) — the broker backend
   * always stores and leaves de-duplication to the consumer.
   * Throws {@linkcode QueueUnavailableError} when the backend is down.
   */
  enqueue(payload: T, options?: { key?: string }): Promise<boolean>;
  /** Start a consumer. */
  consume(handler: JobHandler<T>, options?: ConsumeOptions): QueueConsumer;
  /** Counters (throws {@linkcode QueueUnavailableError} when down). */
  stats(): Promise<QueueStats>;
  /** Dead-lettered jobs, oldest first. */
  deadLetters(limit?: number): Promise<DeadLetter<T>[]>;
  /** Resolves when the backend answers; throws {@linkcode QueueUnavailableError} otherwise. */
  ping(): Promise<void>;
  /** Stop consumers and release connections. */
  close(): Promise<void>;
}

/** Delay before retry `attempt` (1-based): `base × 2^(attempt-1)`, at most 60 s, no jitter (the shared backoff). */
export function retryDelay(attempt: number, baseMs: number): number {
  return backoffDelay(attempt, { baseMs, factor: 2, capMs: 60_000, jitter: 0 });
}
