/**
 * One cached answer about a user, as seen by one app: found or not, its ids and
 * (when known) its details. Keys name how it was asked: `email:<lowercased>`,
 * `mobile:<digits>`, `open_id:<id>`, `user_id:<id>`, `union_id:<id>`.
 */
export interface UserCacheEntry {
  /** Lookup key, e.g. `email:zhangsan@example.com`. */
  key: string;
  /** False when Feishu matched nobody (cached for a shorter time). */
  found: boolean;
  /** `ou_…` of this app. */
  openId?: string;
  /** Tenant user id. */
  userId?: string;
  /** `on_…`. */
  unionId?: string;
  /** Name, when details were fetched. */
  name?: string;
  /** Email, when known. */
  email?: string;
  /** Department ids, when details were fetched. */
  departmentIds?: string[];
  /** When Feishu answered, ms epoch. */
  fetchedAt: number;
}

/**
 * Where {@linkcode UserDirectory} keeps its entries, kept apart per app (ids
 * are per app: the same person has one `union_id` but a different `open_id` in
 * each app). SQLite by default ({@linkcode SqliteUserCacheStore}); another
 * backend (PostgreSQL) implements the same four methods.
 */
export interface UserCacheStore {
  /** The entries of `appId` for these keys (missing keys are absent from the map). */
  getMany(appId: string, keys: readonly string[]): Promise<Map<string, UserCacheEntry>>;
  /** Insert or replace entries of `appId`, all in one transaction. */
  putMany(appId: string, entries: readonly UserCacheEntry[]): Promise<void>;
  /** Forget every entry of `appId`. */
  clear(appId: string): Promise<void>;
  /** Release the connection. */
  close(): Promise<void>;
}
