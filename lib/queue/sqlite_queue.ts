import { type Clock, systemClock } from "../time/clock.ts";
import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase, SafeStatement } from "../sqlite/safe_database.ts";
import { errorText } from "./_table_consumer.ts";
import { LocalConsumers } from "./_local_consumers.ts";
import { deadLetterFromRow, failureFate, queueJobFromRow, statsFromCounts } from "./_job_rows.ts";
import type {
  ConsumeOptions,
  DeadLetter,
  JobHandler,
  JobQueue,
  QueueConsumer,
  QueueJob,
  QueueOptions,
  QueueStats,
} from "./job_queue.ts";
import { QueueUnavailableError } from "./queue_error.ts";

/** Options of {@linkcode SqliteQueue}. */
export interface SqliteQueueOptions extends QueueOptions {
  /** How long a claimed job stays leased before another consumer may take it, ms (default 60 000). */
  leaseMs?: number;
  /** Idle poll interval, ms (default 200; a local enqueue wakes consumers at once). */
  pollMs?: number;
  /** Finished jobs kept for de-duplication, ms (default 24 h), then pruned. */
  keepDoneMs?: number;
  /** Time source (leases, retry times). */
  clock?: Clock;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  key TEXT,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready','leased','done','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (queue, key)
);
CREATE INDEX IF NOT EXISTS queue_jobs_due ON queue_jobs (queue, state, available_at);
`;

/**
 * The embedded queue: a durable SQLite table (`queue_jobs`). `enqueue`
 * commits before it resolves; consumers claim due jobs inside `BEGIN
 * IMMEDIATE` with a lease (a crashed consumer's jobs come back when the lease
 * runs out), a failure is retried with doubling delays and dead-lettered
 * (`state = 'dead'`) after `maxAttempts`. Several processes may share the file.
 *
 * @example
 * ```ts
 * const q = new SqliteQueue<{ n: number }>(".state/queue.db");
 * await q.enqueue({ n: 1 }, { key: "evt_1" });
 * const consumer = q.consume(async (job) => console.log(job.payload.n));
 * await consumer.stop();
 * ```
 */
export class SqliteQueue<T = unknown> implements JobQueue<T> {
  /** Backend name. */
  readonly backend = "sqlite" as const;
  readonly #db: SafeDatabase;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #o: Required<Omit<SqliteQueueOptions, "clock" | "name">>;
  readonly #sql: Record<"insert" | "due" | "lease" | "done" | "retry" | "dead", SafeStatement>;
  readonly #local = new LocalConsumers();
  #lastPrune = 0;

  /** Open (creating) the queue table in the database at `path`. */
  constructor(path: string, options: SqliteQueueOptions = {}) {
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    this.#name = options.name ?? "callbacks";
    this.#clock = options.clock ?? systemClock;
    this.#o = {
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 1000,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 200,
      keepDoneMs: options.keepDoneMs ?? 86_400_000,
    };
    this.#sql = {
      insert: this.#db.prepare(
        `INSERT INTO queue_jobs (queue, key, payload, available_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (queue, key) DO NOTHING`,
      ),
      due: this.#db.prepare(
        `SELECT id, key, payload, attempts FROM queue_jobs
         WHERE queue = ? AND ((state = 'ready' AND available_at <= ?) OR (state = 'leased' AND lease_until < ?))
         ORDER BY id LIMIT ?`,
      ),
      lease: this.#db.prepare(
        `UPDATE queue_jobs SET state = 'leased', attempts = attempts + 1, lease_until = ?, updated_at = ?
         WHERE id = ?`,
      ),
      done: this.#db.prepare(
        `UPDATE queue_jobs SET state = 'done', updated_at = ? WHERE id = ? AND state = 'leased' AND attempts = ?`,
      ),
      retry: this.#db.prepare(
        `UPDATE queue_jobs SET state = 'ready', available_at = ?, last_error = ?, updated_at = ?
         WHERE id = ? AND state = 'leased' AND attempts = ?`,
      ),
      dead: this.#db.prepare(
        `UPDATE queue_jobs SET state = 'dead', last_error = ?, updated_at = ?
         WHERE id = ? AND state = 'leased' AND attempts = ?`,
      ),
    };
  }

  /** Store a job (committed before this resolves); false when `key` is already queued or done. */
  enqueue(payload: T, options: { key?: string } = {}): Promise<boolean> {
    try {
      const now = this.#clock.now();
      const r = this.#sql.insert.run(this.#name, options.key ?? null, JSON.stringify(payload), now, now, now);
      const fresh = Number(r.changes) === 1;
      if (fresh) this.#local.wake();
      return Promise.resolve(fresh);
    } catch (e) {
      return Promise.reject(
        new QueueUnavailableError("sqlite", `enqueue failed: ${errorText(e)}`, { cause: e }),
      );
    }
  }

  /** Start a consumer. */
  consume(handler: JobHandler<T>, options: ConsumeOptions = {}): QueueConsumer {
    return this.#local.start<T>(
      {
        claim: (n) => Promise.resolve(this.#claim(n)),
        complete: (job) => {
          this.#sql.done.run(this.#clock.now(), Number(job.id), job.attempts);
          return Promise.resolve();
        },
        fail: (job, error) => {
          const now = this.#clock.now();
          const fate = failureFate(job.attempts, this.#o);
          if (fate.dead) {
            this.#sql.dead.run(errorText(error), now, Number(job.id), job.attempts);
          } else {
            this.#sql.retry.run(now + fate.retryInMs, errorText(error), now, Number(job.id), job.attempts);
          }
          return Promise.resolve();
        },
      },
      handler,
      options,
      this.#o.pollMs,
    );
  }

  /** Counters. */
  stats(): Promise<QueueStats> {
    const rows = this.#db.prepare(
      "SELECT state, COUNT(*) AS n FROM queue_jobs WHERE queue = ? AND state != 'done' GROUP BY state",
    ).all(this.#name);
    return Promise.resolve(statsFromCounts(rows));
  }

  /** Dead-lettered jobs, oldest first. */
  deadLetters(limit = 100): Promise<DeadLetter<T>[]> {
    const rows = this.#db.prepare(
      "SELECT id, key, payload, attempts, last_error FROM queue_jobs WHERE queue = ? AND state = 'dead' ORDER BY id LIMIT ?",
    ).all(this.#name, limit);
    return Promise.resolve(rows.map((r) => deadLetterFromRow<T>(r)));
  }

  /** The file is open. */
  ping(): Promise<void> {
    if (!this.#db.isOpen) return Promise.reject(new QueueUnavailableError("sqlite", "database closed"));
    return Promise.resolve();
  }

  /** Stop consumers and close the database. */
  async close(): Promise<void> {
    await this.#local.stopAll();
    if (this.#db.isOpen) this.#db.close();
  }

  #claim(n: number): QueueJob<T>[] {
    const now = this.#clock.now();
    const jobs = immediate(this.#db, () => {
      const rows = this.#sql.due.all(this.#name, now, now, n);
      for (const r of rows) this.#sql.lease.run(now + this.#o.leaseMs, now, Number(r.id));
      return rows.map((r) => queueJobFromRow<T>(r, Number(r.attempts) + 1));
    });
    if (jobs.length === 0 && now - this.#lastPrune > 60_000) {
      this.#lastPrune = now;
      this.#db.prepare("DELETE FROM queue_jobs WHERE queue = ? AND state = 'done' AND updated_at < ?")
        .run(this.#name, now - this.#o.keepDoneMs);
    }
    return jobs;
  }
}
