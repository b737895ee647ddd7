import { LarkError } from "../errors/lark_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { isRetryable } from "../retry/retry.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import type { ContactApi, ContactCallOptions } from "./contact_api.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase, SafeStatement } from "../sqlite/safe_database.ts";

/** A department of a cached user. */
export interface UserDepartment {
  /** Department id (of the API's department id type). */
  id: string;
  /** Department name. */
  name: string;
}

/** What the cache keeps per user. */
export interface CachedUser {
  /** User id (of the API's user id type). */
  id: string;
  /** Name. */
  name: string;
  /** Email, when the app may read it. */
  email?: string;
  /** Departments with their names (the root "0" is left out unless `rootDepartmentName` is set). */
  departments: UserDepartment[];
  /** Department ids whose name could not be read (no permission, deleted). */
  unresolvedDepartmentIds: string[];
  /** When it was fetched from Feishu, ms epoch. */
  fetchedAt: number;
  /** True when Feishu could not be reached and an expired entry was returned instead. */
  stale?: boolean;
}

/** Options of {@linkcode ContactCache}. */
export interface ContactCacheOptions {
  /** SQLite file (`":memory:"` for tests). */
  path: string;
  /** The app the entries belong to (ids are per app). */
  appId: string;
  /** Contact API of that app. */
  api: Pick<ContactApi, "getUser" | "getDepartment" | "userIdType" | "departmentIdType">;
  /** How long an entry is fresh, ms (default 24 h). */
  ttlMs?: number;
  /** Name given to the root department "0"; default: the root is left out. */
  rootDepartmentName?: string;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger. */
  logger?: Logger;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS contact_users (
  app_id TEXT NOT NULL, id_type TEXT NOT NULL, id TEXT NOT NULL,
  data TEXT NOT NULL, fetched_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, id_type, id)
);
CREATE TABLE IF NOT EXISTS contact_departments (
  app_id TEXT NOT NULL, id_type TEXT NOT NULL, id TEXT NOT NULL,
  name TEXT NOT NULL, fetched_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, id_type, id)
);`;

/**
 * Names, emails and departments of users, cached in SQLite per app with a
 * TTL (default 24 h): user → `{name, email, departments: [{id, name}]}`.
 * Department names are cached the same way. Concurrent lookups of one user
 * share one fetch. When Feishu cannot be reached (a retryable error) and an
 * expired entry exists, that entry is returned with `stale: true`.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import { ContactApi } from "./contact_api.ts";
 *
 * declare const http: LarkHttp;
 * declare const appId: string;
 * const cache = new ContactCache({ path: ".state/contacts.db", appId, api: new ContactApi(http) });
 * const { name, departments } = await cache.getUser("ou_xxx");
 * ```
 */
export class ContactCache {
  #db: SafeDatabase;
  #o: ContactCacheOptions;
  #clock: Clock;
  #log: Logger;
  #ttl: number;
  #inflight = new Map<string, Promise<CachedUser>>();
  #sql: Record<"getUser" | "putUser" | "getDept" | "putDept", SafeStatement>;

  /** Open (creating when needed) the cache database. */
  constructor(options: ContactCacheOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.#ttl = options.ttlMs ?? 24 * 3600_000;
    this.#db = openSafeDatabase(options.path, { schema: SCHEMA });
    this.#sql = {
      getUser: this.#db.prepare(
        "SELECT data, fetched_at FROM contact_users WHERE app_id = ? AND id_type = ? AND id = ?",
      ),
      putUser: this.#db.prepare("INSERT OR REPLACE INTO contact_users VALUES (?, ?, ?, ?, ?)"),
      getDept: this.#db.prepare(
        "SELECT name, fetched_at FROM contact_departments WHERE app_id = ? AND id_type = ? AND id = ?",
      ),
      putDept: this.#db.prepare("INSERT OR REPLACE INTO contact_departments VALUES (?, ?, ?, ?, ?)"),
    };
  }

  /** The user, from the cache while fresh, else from Feishu. */
  getUser(id: string, o: ContactCallOptions = {}): Promise<CachedUser> {
    const row = this.#sql.getUser.get(this.#o.appId, this.#o.api.userIdType, id) as
      | { data: string; fetched_at: number }
      | undefined;
    const now = this.#clock.now();
    if (row && now - Number(row.fetched_at) < this.#ttl) return Promise.resolve(JSON.parse(row.data));
    let p = this.#inflight.get(id);
    if (!p) {
      p = this.#fetchUser(id, row ? JSON.parse(row.data) as CachedUser : undefined, o)
        .finally(() => this.#inflight.delete(id));
      this.#inflight.set(id, p);
    }
    return p;
  }

  /** A department's name, from the cache while fresh, else from Feishu. */
  async getDepartmentName(id: string, o: ContactCallOptions = {}): Promise<string> {
    if (id === "0" && this.#o.rootDepartmentName !== undefined) return this.#o.rootDepartmentName;
    const type = this.#o.api.departmentIdType;
    const row = this.#sql.getDept.get(this.#o.appId, type, id) as
      | { name: string; fetched_at: number }
      | undefined;
    if (row && this.#clock.now() - Number(row.fetched_at) < this.#ttl) return row.name;
    try {
      const d = await this.#o.api.getDepartment(id, o);
      this.#sql.putDept.run(this.#o.appId, type, id, d.name, this.#clock.now());
      return d.name;
    } catch (e) {
      if (row && isRetryable(e)) return row.name;
      throw e;
    }
  }

  /** Forget one user (or every user and department of this app). */
  invalidate(id?: string): void {
    if (id === undefined) {
      this.#db.prepare("DELETE FROM contact_users WHERE app_id = ?").run(this.#o.appId);
      this.#db.prepare("DELETE FROM contact_departments WHERE app_id = ?").run(this.#o.appId);
    } else {
      this.#db.prepare("DELETE FROM contact_users WHERE app_id = ? AND id = ?").run(this.#o.appId, id);
    }
  }

  /** Close the database. */
  close(): void {
    this.#db.close();
  }

  async #fetchUser(id: string, expired: CachedUser | undefined, o: ContactCallOptions): Promise<CachedUser> {
    let user;
    try {
      user = await this.#o.api.getUser(id, o);
    } catch (e) {
      if (expired && isRetryable(e)) {
        this.#log.warn("contact.stale_used", { user: id, error: (e as Error).message });
        return { ...expired, stale: true };
      }
      throw e;
    }
    const departments: UserDepartment[] = [];
    const unresolved: string[] = [];
    for (const d of user.departmentIds) {
      if (d === "0" && this.#o.rootDepartmentName === undefined) continue;
      try {
        departments.push({ id: d, name: await this.getDepartmentName(d, o) });
      } catch (e) {
        if (!(e instanceof LarkError) || isRetryable(e)) throw e;
        unresolved.push(d);
        this.#log.warn("contact.department_unresolved", { department: d, code: e.code });
      }
    }
    const entry: CachedUser = {
      id: user.id,
      name: user.name,
      email: user.email,
      departments,
      unresolvedDepartmentIds: unresolved,
      fetchedAt: this.#clock.now(),
    };
    this.#sql.putUser.run(this.#o.appId, this.#o.api.userIdType, id, JSON.stringify(entry), entry.fetchedAt);
    return entry;
  }
}
