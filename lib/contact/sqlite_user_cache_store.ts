import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase, SafeStatement } from "../sqlite/safe_database.ts";
import type { UserCacheEntry, UserCacheStore } from "./user_cache_store.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS contact_user_cache (
  app_id TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, fetched_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, key)
);`;

/**
 * {@linkcode UserCacheStore} in a SQLite file (via `openSafeDatabase`: 0600
 * file, text checked for NUL bytes), one row per (app, key).
 *
 * @example
 * ```ts
 * const store = new SqliteUserCacheStore(".state/contacts.db");
 * ```
 */
export class SqliteUserCacheStore implements UserCacheStore {
  #db: SafeDatabase;
  #get: SafeStatement;
  #put: SafeStatement;

  /** Open (creating when needed) the cache at `path` (`":memory:"` for tests). */
  constructor(path: string) {
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    this.#get = this.#db.prepare("SELECT data FROM contact_user_cache WHERE app_id = ? AND key = ?");
    this.#put = this.#db.prepare("INSERT OR REPLACE INTO contact_user_cache VALUES (?, ?, ?, ?)");
  }

  /** See {@linkcode UserCacheStore.getMany}. */
  getMany(appId: string, keys: readonly string[]): Promise<Map<string, UserCacheEntry>> {
    const out = new Map<string, UserCacheEntry>();
    for (const key of keys) {
      const row = this.#get.get(appId, key) as { data: string } | undefined;
      if (row) out.set(key, JSON.parse(row.data));
    }
    return Promise.resolve(out);
  }

  /** See {@linkcode UserCacheStore.putMany}: one transaction for the whole batch. */
  putMany(appId: string, entries: readonly UserCacheEntry[]): Promise<void> {
    immediate(this.#db, () => {
      for (const e of entries) this.#put.run(appId, e.key, JSON.stringify(e), e.fetchedAt);
    });
    return Promise.resolve();
  }

  /** See {@linkcode UserCacheStore.clear}. */
  clear(appId: string): Promise<void> {
    this.#db.prepare("DELETE FROM contact_user_cache WHERE app_id = ?").run(appId);
    return Promise.resolve();
  }

  /** See {@linkcode UserCacheStore.close}. */
  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}
