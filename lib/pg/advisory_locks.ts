import { type Clock, systemClock } from "../time/clock.ts";
import type { Sql } from "./pg_pool.ts";

/** Options of {@linkcode PgAdvisoryLocks}. */
export interface PgAdvisoryLocksOptions {
  /** Time source for the deadline and the polling (default the system clock). */
  clock?: Clock;
  /** Smallest wait between polls in ms (default 20); up to 3× that with jitter. */
  pollMs?: number;
}

/**
 * Named exclusive locks across processes and hosts: PostgreSQL session-level advisory
 * locks (`pg_try_advisory_lock(hashtext(namespace), hashtext(name))`) on a connection
 * reserved from `sql` while held, polled on the injected clock until a deadline. A holder
 * that dies loses its lock at once (its session ends). Give `sql` a pool of its own, so
 * lock holders never starve the statements they run while holding the lock.
 *
 * @example
 * ```ts
 * import { openPool, PgAdvisoryLocks } from "./mod.ts";
 * const sql = openPool("postgres://postgres@127.0.0.1:5432/postgres", 4, 5);
 * const locks = new PgAdvisoryLocks(sql, "feishu_kit");
 * const release = await locks.acquire("tenant:cli_x", Date.now() + 30_000);
 * if (release) await release();
 * await sql.end();
 * ```
 */
export class PgAdvisoryLocks {
  readonly #sql: Sql;
  readonly #namespace: string;
  readonly #clock: Clock;
  readonly #pollMs: number;

  /** Locks named within `namespace` (e.g. the schema), on connections of `sql`. */
  constructor(sql: Sql, namespace: string, options: PgAdvisoryLocksOptions = {}) {
    this.#sql = sql;
    this.#namespace = namespace;
    this.#clock = options.clock ?? systemClock;
    this.#pollMs = options.pollMs ?? 20;
  }

  /**
   * Take the lock `name`, waiting until `deadline` (clock ms). Resolves to its release
   * function, or `undefined` when the deadline passed; rejects when the database fails.
   * The release function rejects when the connection broke (the lock is gone with it).
   */
  async acquire(name: string, deadline: number): Promise<(() => Promise<void>) | undefined> {
    const conn = await this.#sql.reserve();
    try {
      for (;;) {
        const [row] = await conn.unsafe<{ ok: boolean }[]>(
          "SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok",
          [this.#namespace, name],
        );
        if (row?.ok) break;
        const left = deadline - this.#clock.now();
        if (left <= 0) {
          conn.release();
          return undefined;
        }
        await this.#clock.sleep(Math.min(left, this.#pollMs * (1 + 2 * Math.random())));
      }
    } catch (e) {
      conn.release();
      throw e;
    }
    return async () => {
      try {
        await conn.unsafe("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [this.#namespace, name]);
      } finally {
        conn.release();
      }
    };
  }
}
