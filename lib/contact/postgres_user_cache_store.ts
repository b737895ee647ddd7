import { ConfigError } from "../errors/config_error.ts";
import type { UserCacheEntry, UserCacheStore } from "./user_cache_store.ts";

/**
 * The part of a PostgreSQL client the store needs: postgres.js's
 * `sql.unsafe(query, params)` (the core's PostgreSQL pool) fits as is.
 */
export interface PgQueryClient {
  /** Run one parameterised statement (`$1`, `$2`, …); resolves with its rows. */
  unsafe(query: string, params?: unknown[]): PromiseLike<readonly Record<string, unknown>[]>;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
/** Most entries written by one statement (4 parameters each, below PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 10_000;
const KEYS_PER_SELECT = 1_000;

/**
 * {@linkcode UserCacheStore} in PostgreSQL, for services that run on several
 * hosts: table `<schema>.contact_user_cache (app_id, key, data, fetched_at)`,
 * created on first use. A batch of up to 10,000 entries is one `INSERT … ON
 * CONFLICT` statement, so it lands whole or not at all. The client (pool)
 * belongs to the caller; {@linkcode close} leaves it open.
 *
 * @example
 * ```ts
 * import postgres from "postgres";
 * const store = new PostgresUserCacheStore(postgres("postgres://postgres@127.0.0.1:5432/app"));
 * ```
 */
export class PostgresUserCacheStore implements UserCacheStore {
  #sql: PgQueryClient;
  #table: string;
  #ready?: Promise<void>;
  #schema: string;

  /** Use `sql`; tables go to `schema` (default `feishu_kit`, a plain lower-case identifier). */
  constructor(sql: PgQueryClient, options: { schema?: string } = {}) {
    const schema = options.schema ?? "feishu_kit";
    if (!IDENT.test(schema)) {
      throw new ConfigError(`invalid PostgreSQL schema name: ${schema}`, {
        hint: `PostgreSQL 模式名「${schema}」无效：只能用小写字母、数字和下划线，且不以数字开头。`,
      });
    }
    this.#sql = sql;
    this.#schema = schema;
    this.#table = `"${schema}".contact_user_cache`;
  }

  /** See {@linkcode UserCacheStore.getMany}. */
  async getMany(appId: string, keys: readonly string[]): Promise<Map<string, UserCacheEntry>> {
    await this.#init();
    const out = new Map<string, UserCacheEntry>();
    for (let i = 0; i < keys.length; i += KEYS_PER_SELECT) {
      const chunk = keys.slice(i, i + KEYS_PER_SELECT);
      const marks = chunk.map((_, j) => `$${j + 2}`).join(", ");
      const rows = await this.#sql.unsafe(
        `SELECT key, data FROM ${this.#table} WHERE app_id = $1 AND key IN (${marks})`,
        [appId, ...chunk],
      );
      for (const r of rows) out.set(String(r.key), JSON.parse(String(r.data)));
    }
    return out;
  }

  /** See {@linkcode UserCacheStore.putMany}: one statement per 10,000 entries. */
  async putMany(appId: string, entries: readonly UserCacheEntry[]): Promise<void> {
    await this.#init();
    for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const values = chunk.map((e) => {
        params.push(appId, e.key, JSON.stringify(e), e.fetchedAt);
        const n = params.length;
        return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      await this.#sql.unsafe(
        `INSERT INTO ${this.#table} (app_id, key, data, fetched_at) VALUES ${values.join(", ")}
         ON CONFLICT (app_id, key) DO UPDATE SET data = EXCLUDED.data, fetched_at = EXCLUDED.fetched_at`,
        params,
      );
    }
  }

  /** See {@linkcode UserCacheStore.clear}. */
  async clear(appId: string): Promise<void> {
    await this.#init();
    await this.#sql.unsafe(`DELETE FROM ${this.#table} WHERE app_id = $1`, [appId]);
  }

  /** Nothing to release: the pool is the caller's. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await this.#sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
      await this.#sql.unsafe(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
           app_id TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, fetched_at BIGINT NOT NULL,
           PRIMARY KEY (app_id, key))`,
      );
    })().catch((e) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }
}
