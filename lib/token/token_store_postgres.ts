import type { SecretBox } from "../crypto/secret_box.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { KeyMutex, lockTimeoutError } from "./_key_mutex.ts";
import { PgAdvisoryLocks } from "../pg/advisory_locks.ts";
import { openPool, parsePgUrl, type Sql } from "../pg/pg_pool.ts";
import { resealRow, rotationCounts } from "./_rekey.ts";
import { createTokenTable, decodeTokenRow, type TokenRow as Row } from "./_pg_token_table.ts";
import { unavailableError, wrongKeyError } from "./_pg_store_errors.ts";
import { PgOutage } from "./_pg_outage.ts";
import type { TokenListFilter, TokenRecord, TokenStore } from "./token_store.ts";

/** Options of {@linkcode PostgresTokenStore}. */
export interface PostgresTokenStoreOptions {
  /** Encrypts every record (AES-256-GCM, the row key as associated data); from `loadSecretBox`. */
  box: SecretBox;
  /** Schema of the `tokens` table (default: the URL's `?schema=`, else `feishu_kit`); created when missing. */
  schema?: string;
  /** Time source for lock deadlines, polling and the outage back-off (default the system clock). */
  clock?: Clock;
  /** Where outages, corrupt rows and lock problems are reported (default silent). */
  logger?: Logger;
  /** Seconds to wait for a connection (default 5). */
  connectTimeoutSec?: number;
  /** Smallest wait between advisory-lock polls in ms (default 20); up to 3× that with jitter. */
  pollMs?: number;
  /** After a connection failure, how long to answer "miss" without trying the database, in ms (default 5000). */
  outageBackoffMs?: number;
  /** Connections for reads and writes (default 4); locks use a second pool of the same size. */
  maxConnections?: number;
}

/**
 * A {@linkcode TokenStore} in PostgreSQL (npm `postgres`), for processes on more than
 * one machine. Table `<schema>.tokens`, created on first use.
 *
 * - Records are sealed with `box` (AES-256-GCM, row key as associated data); each row
 *   remembers the fingerprint of the key that sealed it. A row sealed with another key is,
 *   for a tenant/app token, a miss that the next write replaces; for a user token (which
 *   cannot be fetched again) a `ConfigError` ("密钥不对…").
 * - A corrupt row (tampered ciphertext, bad JSON, missing fields) is logged at ERROR,
 *   deleted and reported as a miss, so the next fetch rewrites it.
 * - One refresh across processes and hosts: {@linkcode withLock} takes a session-level
 *   advisory lock (`pg_try_advisory_lock`, polled until the timeout, 30 s in the token
 *   manager) on a connection of its own; a process that dies loses the lock at once.
 * - The database unreachable: `get` of a tenant/app token is a miss, `put`/`delete` of them are
 *   skipped, `withLock` runs without the cross-process lock — each logged at ERROR — so
 *   callers keep being served with tokens fetched from Feishu. Reading or writing a user
 *   token fails instead (retryable; its rotated refresh token must not be lost). After a connection failure the
 *   database is left alone for `outageBackoffMs`.
 *
 * @example
 * ```ts
 * import { PostgresTokenStore } from "./token_store_postgres.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const store = new PostgresTokenStore("postgres://postgres@127.0.0.1:5432/postgres", {
 *   box: await testSecretBox(),
 * });
 * console.log(await store.get("tenant:cli_x"));
 * await store.end();
 * ```
 */
export class PostgresTokenStore implements TokenStore {
  readonly #sql: Sql;
  readonly #lockSql: Sql;
  readonly #locks: PgAdvisoryLocks;
  readonly #schema: string;
  readonly #table: string;
  #box: SecretBox;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #mutex: KeyMutex;
  readonly #outage: PgOutage;
  #ready: Promise<void> | undefined;
  #ended: Promise<void> | undefined;

  /** Prepare a store on `url` (`postgres://…`, optional `?schema=`); nothing connects until first use. */
  constructor(url: string, options: PostgresTokenStoreOptions) {
    const target = parsePgUrl(url, options.schema);
    const max = options.maxConnections ?? 4;
    const connectSec = options.connectTimeoutSec ?? 5;
    this.#sql = openPool(target.url, max, connectSec);
    this.#lockSql = openPool(target.url, max, connectSec);
    this.#locks = new PgAdvisoryLocks(this.#lockSql, target.schema, {
      clock: options.clock,
      pollMs: options.pollMs,
    });
    this.#schema = target.schema;
    this.#table = `"${target.schema}".tokens`;
    this.#box = options.box;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.#mutex = new KeyMutex(this.#clock);
    this.#outage = new PgOutage(this.#clock, this.#log, options.outageBackoffMs ?? 5_000);
  }

  /** The schema holding the table. */
  get schema(): string {
    return this.#schema;
  }

  /**
   * See {@linkcode TokenStore.get}; the database unreachable is a miss (logged at ERROR) for a
   * tenant/app token, and a retryable `LarkError` for a user token (which cannot be fetched again).
   */
  async get(key: string): Promise<TokenRecord | undefined> {
    const rows = await this.#query<Row>(
      "get",
      key,
      `SELECT key, kind, key_fp, data FROM ${this.#table} WHERE key = $1`,
      [
        key,
      ],
    );
    // A user token cannot be fetched again without the user: an outage is an error, not "re-authorize".
    if (rows === undefined && key.startsWith("user:")) throw unavailableError("get", key);
    const row = rows?.[0];
    return row ? await this.#read(row, "get") : undefined;
  }

  /** See {@linkcode TokenStore.put}; a tenant/app token is skipped (ERROR) when the database is unreachable. */
  async put(record: TokenRecord): Promise<void> {
    const sealed = await this.#box.seal(JSON.stringify(record), record.key);
    const done = await this.#query(
      "put",
      record.key,
      `INSERT INTO ${this.#table} (key, app_id, kind, key_fp, data, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET app_id = EXCLUDED.app_id, kind = EXCLUDED.kind,
         key_fp = EXCLUDED.key_fp, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
      [record.key, record.appId, record.kind, this.#box.fingerprint, sealed, record.updatedAt],
    );
    if (done === undefined && record.kind === "user") throw unavailableError("put", record.key);
  }

  /** See {@linkcode TokenStore.delete}; skipped (ERROR) when the database is unreachable. */
  async delete(key: string): Promise<void> {
    await this.#query("delete", key, `DELETE FROM ${this.#table} WHERE key = $1`, [key]);
  }

  /** See {@linkcode TokenStore.list}; rejects when the database is unreachable. */
  async list(filter: TokenListFilter = {}): Promise<TokenRecord[]> {
    const rows = await this.#query<Row>(
      "list",
      "*",
      `SELECT key, kind, key_fp, data FROM ${this.#table}
       WHERE ($1::text IS NULL OR app_id = $1) AND ($2::text IS NULL OR kind = $2) ORDER BY key`,
      [filter.appId ?? null, filter.kind ?? null],
    );
    if (rows === undefined) throw unavailableError("list", "*");
    const out: TokenRecord[] = [];
    for (const row of rows) {
      try {
        const r = await this.#read(row, "list");
        if (r) out.push(r);
      } catch { /* another key's user row: reported by #read, skipped here */ }
    }
    return out;
  }

  /** See {@linkcode TokenStore.withLock}: an advisory lock across hosts, degraded to in-process when unreachable. */
  async withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    return await this.#mutex.hold(key, timeoutMs, async (deadline) => {
      const unlock = await this.#takeLock(key, timeoutMs, deadline);
      try {
        return await fn();
      } finally {
        // A broken connection took the session lock with it: report, do not fail the caller.
        if (unlock) await unlock().catch((e) => this.#failed("unlock", key, e));
      }
    });
  }

  /**
   * Re-encrypt every record with `next` in one transaction (see `deno task apps
   * rotate-key`). A tenant/app row that does not decrypt is dropped; a user row that does
   * not decrypt refuses the rotation with a `ConfigError`, changing nothing.
   * Unlike the other methods this fails when the database is unreachable.
   */
  async rekey(next: SecretBox): Promise<{ records: number; dropped: number }> {
    await this.#ensureSchema();
    const result = await this.#sql.begin(async (tx) => {
      const rows = await tx.unsafe<Row[]>(
        `SELECT key, kind, key_fp, data FROM ${this.#table} ORDER BY key FOR UPDATE`,
      );
      const plan: { sealed?: string }[] = [];
      for (const row of rows) {
        const sealed = await resealRow(
          row,
          () => this.#openOwn(row),
          next,
          () => wrongKeyError(row.key, row.key_fp, this.#box.fingerprint),
        );
        if (sealed === undefined) {
          await tx.unsafe(`DELETE FROM ${this.#table} WHERE key = $1`, [row.key]);
        } else {
          await tx.unsafe(`UPDATE ${this.#table} SET data = $1, key_fp = $2 WHERE key = $3`, [
            sealed,
            next.fingerprint,
            row.key,
          ]);
        }
        plan.push({ sealed });
      }
      return rotationCounts(plan);
    });
    this.#box = next;
    return result;
  }

  /** The plaintext of a row sealed with the current key; rejects for another key's row. */
  #openOwn(row: Row): Promise<string> {
    if (row.key_fp !== this.#box.fingerprint) return Promise.reject(new Error("sealed with another key"));
    return this.#box.open(row.data, row.key);
  }

  /** Close the pools in the background; see {@linkcode end} to wait. */
  close(): void {
    void this.end();
  }

  /** Close the pools and wait until they are closed. */
  end(): Promise<void> {
    this.#ended ??= Promise.all([this.#sql.end({ timeout: 1 }), this.#lockSql.end({ timeout: 1 })]).then(
      () => {},
    );
    return this.#ended;
  }

  /** The advisory lock's release, or `undefined` when the database cannot be used (in-process lock only). */
  async #takeLock(
    key: string,
    timeoutMs: number,
    deadline: number,
  ): Promise<(() => Promise<void>) | undefined> {
    if (this.#outage.isDown()) return this.#outage.lockDegraded(key);
    let unlock: (() => Promise<void>) | undefined;
    try {
      unlock = await this.#locks.acquire(key, deadline);
    } catch (e) {
      this.#failed("lock", key, e);
      return this.#outage.lockDegraded(key);
    }
    if (!unlock) throw lockTimeoutError(key, timeoutMs);
    return unlock;
  }

  /** Run one statement; `undefined` (with an ERROR line) when the database failed. */
  async #query<R>(op: string, key: string, text: string, params: unknown[]): Promise<R[] | undefined> {
    if (this.#outage.isDown()) {
      this.#outage.skipped(op, key);
      return undefined;
    }
    try {
      await this.#ensureSchema();
      return await this.#sql.unsafe(text, params as never[]) as unknown as R[];
    } catch (e) {
      this.#failed(op, key, e);
      return undefined;
    }
  }

  #failed(op: string, key: string, e: unknown): void {
    this.#ready = undefined; // the schema may have been dropped: create it again next time
    this.#outage.failed(op, key, e);
  }

  #ensureSchema(): Promise<void> {
    this.#ready ??= this.#sql.begin(async (tx) => {
      await createTokenTable(tx, this.#schema, this.#table);
    }).then(() => {}, (e) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  async #read(row: Row, via: "get" | "list"): Promise<TokenRecord | undefined> {
    const decoded = await decodeTokenRow(row, this.#box, this.#log);
    if ("record" in decoded) return decoded.record;
    if ("corrupt" in decoded) await this.#clear(row, decoded.corrupt, via);
    return undefined;
  }

  /** Delete a corrupt row (only if unchanged since it was read) and report a miss. */
  async #clear(row: Row, reason: string, via: string): Promise<undefined> {
    this.#log.error("token_store.corrupt_row", {
      key: row.key,
      reason,
      via,
      action: "已删除该行，将重新获取并写入",
    });
    await this.#query("clear", row.key, `DELETE FROM ${this.#table} WHERE key = $1 AND data = $2`, [
      row.key,
      row.data,
    ]);
    return undefined;
  }
}
