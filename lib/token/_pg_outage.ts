import type { Logger } from "../log/logger.ts";
import { isServerError } from "../pg/pg_pool.ts";
import type { Clock } from "../time/clock.ts";
import { unavailableAction } from "./_pg_store_errors.ts";

/**
 * The PostgreSQL token store's view of database outages: every failure is reported at
 * ERROR; after a connection failure (not a server error) the database is left alone for
 * `backoffMs`, so callers are served without waiting on connection timeouts.
 */
export class PgOutage {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #backoffMs: number;
  #downUntil = 0;

  constructor(clock: Clock, log: Logger, backoffMs: number) {
    this.#clock = clock;
    this.#log = log;
    this.#backoffMs = backoffMs;
  }

  /** Within the back-off after a connection failure. */
  isDown(): boolean {
    return this.#clock.now() < this.#downUntil;
  }

  /** An operation skipped because of the back-off. */
  skipped(op: string, key: string): void {
    this.#log.error("token_store.unavailable", { op, key, action: unavailableAction(op), backoff: true });
  }

  /** An operation failed; a connection failure starts the back-off. */
  failed(op: string, key: string, e: unknown): void {
    const server = isServerError(e);
    if (!server) this.#downUntil = this.#clock.now() + this.#backoffMs;
    this.#log.error("token_store.unavailable", {
      op,
      key,
      reason: server ? "server_error" : "unreachable",
      error: e instanceof Error ? e.message : String(e),
      action: unavailableAction(op),
    });
  }

  /** The cross-process lock cannot be taken: only the in-process one holds. */
  lockDegraded(key: string): undefined {
    this.#log.error("token_store.lock_unavailable", {
      key,
      action: "PostgreSQL 不可用：只在本进程内加锁，其他进程可能同时刷新同一令牌",
    });
    return undefined;
  }
}
