import type { Logger } from "../log/logger.ts";
import { isBusy } from "../sqlite/retry_busy.ts";
import type { SafeDatabase, SafeStatement } from "../sqlite/safe_database.ts";
import type { Clock } from "../time/clock.ts";

/**
 * The SQLite token store's cross-process locks: a row of the `locks` table per key (owner
 * id + expiry), taken inside `BEGIN IMMEDIATE`; an expired row is taken over (WARN).
 */
export class SqliteLockRows {
  readonly #db: SafeDatabase;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #get: SafeStatement;
  readonly #put: SafeStatement;
  readonly #del: SafeStatement;

  constructor(db: SafeDatabase, clock: Clock, logger: Logger) {
    this.#db = db;
    this.#clock = clock;
    this.#logger = logger;
    this.#get = db.prepare("SELECT owner, expires_at FROM locks WHERE key = ?");
    this.#put = db.prepare("INSERT OR REPLACE INTO locks (key, owner, expires_at) VALUES (?, ?, ?)");
    this.#del = db.prepare("DELETE FROM locks WHERE key = ? AND owner = ?");
  }

  /** Take the lock of `key` for `ttlMs`; `false` when another owner holds it or the database is busy. */
  tryTake(key: string, owner: string, ttlMs: number): boolean {
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (e) {
      if (isBusy(e)) return false;
      throw e;
    }
    try {
      const now = this.#clock.now();
      const row = this.#get.get(key) as { owner: string; expires_at: number } | undefined;
      if (row && row.expires_at > now) {
        this.#db.exec("COMMIT");
        return false;
      }
      if (row) {
        this.#logger.warn("token_store.lock_taken_over", { key, expired_ms_ago: now - row.expires_at });
      }
      this.#put.run(key, owner, now + ttlMs);
      this.#db.exec("COMMIT");
      return true;
    } catch (e) {
      try {
        this.#db.exec("ROLLBACK");
      } catch { /* already rolled back */ }
      if (isBusy(e)) return false;
      throw e;
    }
  }

  /** Release the lock of `key` if `owner` still holds it. */
  release(key: string, owner: string): void {
    this.#del.run(key, owner);
  }
}
