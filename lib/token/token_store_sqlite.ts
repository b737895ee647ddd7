import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { KeyMutex, lockTimeoutError } from "./_key_mutex.ts";
import { parseTokenRecord } from "./_record.ts";
import type { TokenListFilter, TokenRecord, TokenStore } from "./token_store.ts";
import { openDatabase } from "../sqlite/open_database.ts";
import { isBusy } from "../sqlite/retry_busy.ts";

/** Options of {@linkcode SqliteTokenStore}. */
export interface SqliteTokenStoreOptions {
  /** Time source for lock expiry and polling (default the system clock). */
  clock?: Clock;
  /** Where corrupt rows and lock take-overs are reported (default silent). */
  logger?: Logger;
  /** SQLite `busy_timeout` in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Smallest wait between lock polls in ms (default 10); up to 3× that with jitter. */
  pollMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (
  key TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_app_kind ON tokens(app_id, kind);
CREATE TABLE IF NOT EXISTS locks (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);`;

/**
 * A {@linkcode TokenStore} in a SQLite file (built-in `node:sqlite`), shared
 * by every process that opens the same path. WAL mode, `synchronous=NORMAL`
 * and a busy timeout keep concurrent writers safe. The cross-process lock is
 * a row in the `locks` table taken inside `BEGIN IMMEDIATE` (owner id +
 * expiry); waiters poll with short jittered sleeps on the injected clock.
 *
 * @example
 * ```ts
 * const store = new SqliteTokenStore(".runs/tokens.db");
 * const rec = await store.get("tenant:cli_x");
 * store.close();
 * ```
 */
export class SqliteTokenStore implements TokenStore {
  #db: DatabaseSync;
  #clock: Clock;
  #logger: Logger;
  #mutex: KeyMutex;
  #pollMs: number;
  #sql: Record<"get" | "put" | "del" | "list" | "lockGet" | "lockPut" | "lockDel", StatementSync>;

  /** Open (creating when needed) the database at `path`; `":memory:"` works. */
  constructor(path: string, options: SqliteTokenStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#mutex = new KeyMutex(this.#clock);
    this.#pollMs = options.pollMs ?? 10;
    this.#db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs, schema: SCHEMA });
    this.#sql = {
      get: this.#db.prepare("SELECT data FROM tokens WHERE key = ?"),
      put: this.#db.prepare(
        "INSERT OR REPLACE INTO tokens (key, app_id, kind, data, updated_at) VALUES (?, ?, ?, ?, ?)",
      ),
      del: this.#db.prepare("DELETE FROM tokens WHERE key = ?"),
      list: this.#db.prepare(
        "SELECT key, data FROM tokens WHERE (?1 IS NULL OR app_id = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY key",
      ),
      lockGet: this.#db.prepare("SELECT owner, expires_at FROM locks WHERE key = ?"),
      lockPut: this.#db.prepare("INSERT OR REPLACE INTO locks (key, owner, expires_at) VALUES (?, ?, ?)"),
      lockDel: this.#db.prepare("DELETE FROM locks WHERE key = ? AND owner = ?"),
    };
  }

  /** See {@linkcode TokenStore.get}; a corrupt row is logged at ERROR and reported as missing. */
  get(key: string): Promise<TokenRecord | undefined> {
    const row = this.#sql.get.get(key) as { data: unknown } | undefined;
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve(this.#parse(key, row.data));
  }

  /** See {@linkcode TokenStore.put}; committed (autocommit) when it resolves. */
  put(record: TokenRecord): Promise<void> {
    this.#sql.put.run(record.key, record.appId, record.kind, JSON.stringify(record), record.updatedAt);
    return Promise.resolve();
  }

  /** See {@linkcode TokenStore.delete}. */
  delete(key: string): Promise<void> {
    this.#sql.del.run(key);
    return Promise.resolve();
  }

  /** See {@linkcode TokenStore.list}; corrupt rows are logged and skipped. */
  list(filter: TokenListFilter = {}): Promise<TokenRecord[]> {
    const rows = this.#sql.list.all(filter.appId ?? null, filter.kind ?? null) as {
      key: string;
      data: unknown;
    }[];
    const out: TokenRecord[] = [];
    for (const row of rows) {
      const r = this.#parse(row.key, row.data);
      if (r) out.push(r);
    }
    return Promise.resolve(out);
  }

  /** See {@linkcode TokenStore.withLock}. */
  async withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const deadline = this.#clock.now() + timeoutMs;
    const release = await this.#mutex.acquire(key, deadline);
    if (!release) throw lockTimeoutError(key, timeoutMs);
    try {
      const owner = crypto.randomUUID();
      while (!this.#tryLock(key, owner, timeoutMs)) {
        const left = deadline - this.#clock.now();
        if (left <= 0) throw lockTimeoutError(key, timeoutMs);
        await this.#clock.sleep(Math.min(left, this.#pollMs * (1 + 2 * Math.random())));
      }
      try {
        return await fn();
      } finally {
        this.#sql.lockDel.run(key, owner);
      }
    } finally {
      release();
    }
  }

  /** Close the database; later calls throw. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #parse(key: string, data: unknown): TokenRecord | undefined {
    const r = parseTokenRecord(data, key);
    if (typeof r === "string") {
      this.#logger.error("token_store.corrupt_row", { key, reason: r, action: "视为缓存未命中，将被覆盖" });
      return undefined;
    }
    return r;
  }

  #tryLock(key: string, owner: string, ttlMs: number): boolean {
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (e) {
      if (isBusy(e)) return false;
      throw e;
    }
    try {
      const now = this.#clock.now();
      const row = this.#sql.lockGet.get(key) as { owner: string; expires_at: number } | undefined;
      if (row && row.expires_at > now) {
        this.#db.exec("COMMIT");
        return false;
      }
      if (row) {
        this.#logger.warn("token_store.lock_taken_over", { key, expired_ms_ago: now - row.expires_at });
      }
      this.#sql.lockPut.run(key, owner, now + ttlMs);
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
}
