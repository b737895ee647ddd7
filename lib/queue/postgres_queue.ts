import postgres from "postgres";
import { errorText } from "./_table_consumer.ts";
import { LocalConsumers } from "./_local_consumers.ts";
import { deadLetterFromRow, failureFate, queueJobFromRow, statsFromCounts } from "./_job_rows.ts";
import type {
  ConsumeOptions,
  DeadLetter,
  JobHandler,
  JobQueue,
  QueueConsumer,
  QueueOptions,
  QueueStats,
} from "./job_queue.ts";
import { QueueUnavailableError } from "./queue_error.ts";

/** Options of {@linkcode PostgresQueue}. */
export interface PostgresQueueOptions extends QueueOptions {
  /** Schema holding the `queue_jobs` table (default `public`; created when missing). */
  schema?: string;
  /** Lease of a claimed job, seconds (default 60). */
  leaseSec?: number;
  /** Idle poll interval, ms (default 200; a local enqueue wakes consumers at once). */
  pollMs?: number;
  /** Connections in the pool (default 4). */
  maxConnections?: number;
}

/**
 * The queue on PostgreSQL, for several machines: a `queue_jobs` table,
 * claims with `FOR UPDATE SKIP LOCKED` (consumers never wait for each other),
 * leases, retries with doubling delays, dead-letter after `maxAttempts`.
 *
 * @example
 * ```ts
 * const q = await PostgresQueue.open<{ n: number }>("postgres://postgres@127.0.0.1:5432/postgres");
 * await q.enqueue({ n: 1 }, { key: "evt_1" });
 * ```
 */
export class PostgresQueue<T = unknown> implements JobQueue<T> {
  /** Backend name. */
  readonly backend = "postgres" as const;
  readonly #sql: postgres.Sql;
  readonly #table: string;
  readonly #name: string;
  readonly #o: Required<Omit<PostgresQueueOptions, "schema" | "name" | "maxConnections">>;
  readonly #local = new LocalConsumers();

  private constructor(sql: postgres.Sql, schema: string, options: PostgresQueueOptions) {
    this.#sql = sql;
    this.#table = `"${schema}".queue_jobs`;
    this.#name = options.name ?? "callbacks";
    this.#o = {
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 1000,
      leaseSec: options.leaseSec ?? 60,
      pollMs: options.pollMs ?? 200,
    };
  }

  /** Connect and create the schema and table when missing. */
  static async open<T = unknown>(url: string, options: PostgresQueueOptions = {}): Promise<PostgresQueue<T>> {
    const schema = options.schema ?? "public";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError(`bad schema name: ${schema}`);
    const sql = postgres(url, { max: options.maxConnections ?? 4, onnotice: () => {}, connect_timeout: 5 });
    const q = new PostgresQueue<T>(sql, schema, options);
    try {
      await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${q.#table} (
        id BIGSERIAL PRIMARY KEY,
        queue TEXT NOT NULL,
        key TEXT,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'ready',
        attempts INTEGER NOT NULL DEFAULT 0,
        available_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        lease_until TIMESTAMPTZ,
        last_error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (queue, key))`);
      await sql.unsafe(
        `CREATE INDEX IF NOT EXISTS queue_jobs_due ON ${q.#table} (queue, state, available_at)`,
      );
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw new QueueUnavailableError("postgres", `cannot prepare the queue table: ${errorText(e)}`, {
        cause: e,
      });
    }
    return q;
  }

  /** Store a job (committed before this resolves); false when `key` is already queued or done. */
  async enqueue(payload: T, options: { key?: string } = {}): Promise<boolean> {
    try {
      const rows = await this.#sql.unsafe(
        `INSERT INTO ${this.#table} (queue, key, payload) VALUES ($1, $2, $3)
         ON CONFLICT (queue, key) DO NOTHING RETURNING id`,
        [this.#name, options.key ?? null, JSON.stringify(payload)],
      );
      const fresh = rows.length === 1;
      if (fresh) this.#local.wake();
      return fresh;
    } catch (e) {
      throw new QueueUnavailableError("postgres", `enqueue failed: ${errorText(e)}`, { cause: e });
    }
  }

  /** Start a consumer. */
  consume(handler: JobHandler<T>, options: ConsumeOptions = {}): QueueConsumer {
    const t = this.#table;
    return this.#local.start<T>(
      {
        claim: async (n) => {
          const rows = await this.#sql.unsafe(
            `UPDATE ${t} SET state = 'leased', attempts = attempts + 1,
             lease_until = now() + make_interval(secs => $3), updated_at = now()
           WHERE id IN (
             SELECT id FROM ${t}
             WHERE queue = $1 AND ((state = 'ready' AND available_at <= now())
                                   OR (state = 'leased' AND lease_until < now()))
             ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id, key, payload, attempts`,
            [this.#name, n, this.#o.leaseSec],
          );
          return rows.map((r) => queueJobFromRow<T>(r, Number(r.attempts)));
        },
        complete: async (job) => {
          await this.#sql.unsafe(
            `UPDATE ${t} SET state = 'done', updated_at = now() WHERE id = $1 AND state = 'leased' AND attempts = $2`,
            [job.id, job.attempts],
          );
        },
        fail: async (job, error) => {
          const fate = failureFate(job.attempts, this.#o);
          if (fate.dead) {
            await this.#sql.unsafe(
              `UPDATE ${t} SET state = 'dead', last_error = $3, updated_at = now()
             WHERE id = $1 AND state = 'leased' AND attempts = $2`,
              [job.id, job.attempts, errorText(error)],
            );
          } else {
            await this.#sql.unsafe(
              `UPDATE ${t} SET state = 'ready', last_error = $3, updated_at = now(),
               available_at = now() + make_interval(secs => $4)
             WHERE id = $1 AND state = 'leased' AND attempts = $2`,
              [job.id, job.attempts, errorText(error), fate.retryInMs / 1000],
            );
          }
        },
      },
      handler,
      options,
      this.#o.pollMs,
    );
  }

  /** Counters. */
  async stats(): Promise<QueueStats> {
    try {
      const rows = await this.#sql.unsafe(
        `SELECT state, COUNT(*)::int AS n FROM ${this.#table} WHERE queue = $1 AND state != 'done' GROUP BY state`,
        [this.#name],
      );
      return statsFromCounts(rows);
    } catch (e) {
      throw new QueueUnavailableError("postgres", `stats failed: ${errorText(e)}`, { cause: e });
    }
  }

  /** Dead-lettered jobs, oldest first. */
  async deadLetters(limit = 100): Promise<DeadLetter<T>[]> {
    const rows = await this.#sql.unsafe(
      `SELECT id, key, payload, attempts, last_error FROM ${this.#table}
       WHERE queue = $1 AND state = 'dead' ORDER BY id LIMIT $2`,
      [this.#name, limit],
    );
    return rows.map((r) => deadLetterFromRow<T>(r));
  }

  /** `SELECT 1`. */
  async ping(): Promise<void> {
    try {
      await this.#sql`SELECT 1`;
    } catch (e) {
      throw new QueueUnavailableError("postgres", `ping failed: ${errorText(e)}`, { cause: e });
    }
  }

  /** Drop this queue's schema (tests). */
  async dropSchema(): Promise<void> {
    const schema = this.#table.split(".")[0];
    if (schema !== '"public"') await this.#sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }

  /** Stop consumers and close the pool. */
  async close(): Promise<void> {
    await this.#local.stopAll();
    await this.#sql.end({ timeout: 5 });
  }
}
