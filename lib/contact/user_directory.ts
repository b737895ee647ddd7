import type { LarkHttp } from "../http/lark_http.ts";
import { LarkError } from "../errors/lark_error.ts";
import { NotFoundError } from "../errors/not_found_error.ts";
import { ParamError } from "../errors/param_error.ts";
import type { Logger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { ContactApi, type ContactCallOptions, type ContactUser, type UserIdType } from "./contact_api.ts";
import type { UserCacheEntry, UserCacheStore } from "./user_cache_store.ts";
import {
  BATCH_GET_ID_MAX,
  lookupUserIds,
  type UserIdLookupInput,
  type UserIdMatch,
} from "./user_id_lookup.ts";
import { checkEmails, checkId, checkMobiles } from "./_validate.ts";

/** Options of {@linkcode UserDirectory}. */
export interface UserDirectoryOptions {
  /** The app whose ids are cached (entries of different apps never mix). */
  appId: string;
  /** Client of that app (tenant token). */
  http: LarkHttp;
  /** Where entries live (e.g. {@linkcode SqliteUserCacheStore}). */
  store: UserCacheStore;
  /** How long a found user stays fresh, ms (default 24 h); expired entries are fetched again. */
  ttlMs?: number;
  /** How long "nobody has this email/mobile" stays fresh, ms (default 1 h). */
  notFoundTtlMs?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger (INFO for addresses that match nobody). */
  logger?: Logger;
}

/** Cache figures since the directory was created. */
export interface UserDirectoryStats {
  /** Keys asked for (each email, mobile, id or department member list). */
  lookups: number;
  /** Answered from a fresh cache entry. */
  hits: number;
  /** Fetched from Feishu (absent or expired). */
  misses: number;
  /** Feishu calls made. */
  apiCalls: number;
  /** Feishu calls a cache-less client would have made for the same lookups. */
  apiCallsWithoutCache: number;
  /** `hits / lookups` (0 when nothing was asked). */
  hitRate: number;
}

/** Codes with which Feishu says a department does not exist (or no longer exists). */
const DEPARTMENT_GONE = new Set([40015, 40003]);
const ID_TYPES: readonly UserIdType[] = ["open_id", "user_id", "union_id"];

/**
 * Users of one app, cached with a TTL (default 24 h, refreshed on expiry):
 * email/mobile → ids (`batch_get_id`, 50 per call, only the misses are asked),
 * user details by id, and department members (paged; the cache is updated in one
 * batch). Entries are keyed by app: the same person seen through two apps keeps
 * one `union_id` and two `open_id`s, stored apart. {@linkcode stats} reports
 * the hit rate and the calls saved.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import { SqliteUserCacheStore } from "./sqlite_user_cache_store.ts";
 *
 * declare const http: LarkHttp;
 * const dir = new UserDirectory({ appId: "cli_xxx", http, store: new SqliteUserCacheStore(".state/contacts.db") });
 * const [zhang] = await dir.lookup({ emails: ["zhangsan@example.com"] });
 * console.log(zhang?.openId, dir.stats().hitRate);
 * ```
 */
export class UserDirectory {
  #o: UserDirectoryOptions;
  #clock: Clock;
  #api: ContactApi;
  #ttl: number;
  #missTtl: number;
  #stats = { lookups: 0, hits: 0, misses: 0, apiCalls: 0, apiCallsWithoutCache: 0 };

  /** Create the directory; nothing is fetched until asked. */
  constructor(options: UserDirectoryOptions) {
    checkId("appId", options.appId);
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#api = new ContactApi(options.http, { userIdType: "open_id" });
    this.#ttl = options.ttlMs ?? 24 * 3600_000;
    this.#missTtl = options.notFoundTtlMs ?? 3600_000;
  }

  /** Emails and mobiles → ids; who matches nobody is left out (and logged at INFO). */
  async lookup(input: UserIdLookupInput, o: ContactCallOptions = {}): Promise<UserIdMatch[]> {
    const emails = [...new Set(checkEmails("emails", input.emails ?? []))];
    const mobiles = [...new Set(checkMobiles("mobiles", input.mobiles ?? []))];
    const keys = [...emails.map((e) => `email:${e.toLowerCase()}`), ...mobiles.map((m) => `mobile:${m}`)];
    const cached = await this.#fresh(keys);
    const missE = emails.filter((e) => !cached.has(`email:${e.toLowerCase()}`));
    const missM = mobiles.filter((m) => !cached.has(`mobile:${m}`));
    this.#stats.apiCallsWithoutCache += batchCalls(emails.length, mobiles.length);
    if (missE.length + missM.length > 0) {
      const found = await lookupUserIds(this.#o.http, {
        emails: missE,
        mobiles: missM,
        includeResigned: input.includeResigned,
      }, { ...o, logger: this.#o.logger });
      this.#stats.apiCalls += batchCalls(missE.length, missM.length);
      const now = this.#clock.now();
      const byKey = new Map(
        found.map((f) => [f.email ? `email:${f.email.toLowerCase()}` : `mobile:${f.mobile}`, f]),
      );
      const fresh: UserCacheEntry[] = [];
      for (
        const key of [
          ...missE.map((e) => `email:${e.toLowerCase()}`),
          ...missM.map((m) => `mobile:${m}`),
        ]
      ) {
        const f = byKey.get(key);
        const entry: UserCacheEntry = f
          ? { key, found: true, openId: f.openId, userId: f.userId, unionId: f.unionId, fetchedAt: now }
          : { key, found: false, fetchedAt: now };
        fresh.push(entry);
        cached.set(key, entry);
      }
      await this.#o.store.putMany(this.#o.appId, fresh);
    }
    const out: UserIdMatch[] = [];
    for (const email of emails) {
      const e = cached.get(`email:${email.toLowerCase()}`);
      if (e?.found) out.push({ email, ...ids(e) });
    }
    for (const mobile of mobiles) {
      const e = cached.get(`mobile:${mobile}`);
      if (e?.found) out.push({ mobile, ...ids(e) });
    }
    return out;
  }

  /** A user's details by id (`contact/v3/users/:id`), from the cache while fresh. */
  async user(
    id: string,
    idType: UserIdType = "open_id",
    o: ContactCallOptions = {},
  ): Promise<UserCacheEntry> {
    checkId("id", id);
    if (!ID_TYPES.includes(idType)) throw new ParamError("idType", `应为 ${ID_TYPES.join("、")} 之一`);
    const key = `${idType}:${id}`;
    const hit = (await this.#fresh([key])).get(key);
    this.#stats.apiCallsWithoutCache++;
    if (hit) return hit;
    const api = idType === "open_id" ? this.#api : new ContactApi(this.#o.http, { userIdType: idType });
    this.#stats.apiCalls++;
    const u = await api.getUser(id, o);
    const entries = userEntries(u, this.#clock.now());
    await this.#o.store.putMany(this.#o.appId, entries);
    return entries.find((e) => e.key === key) ?? { ...entries[0], key };
  }

  /**
   * Direct members of a department (every page), stored in the cache in one
   * batch. A deleted or unknown department is a {@linkcode NotFoundError}, never
   * an empty list.
   */
  async departmentMembers(departmentId: string, o: ContactCallOptions = {}): Promise<ContactUser[]> {
    checkId("departmentId", departmentId);
    const members: ContactUser[] = [];
    try {
      for await (const u of this.#api.usersInDepartment(departmentId, o)) members.push(u);
    } catch (e) {
      throw departmentGone(e, departmentId) ?? e;
    }
    const pages = Math.max(1, Math.ceil(members.length / 50));
    this.#stats.apiCalls += pages;
    this.#stats.apiCallsWithoutCache += pages;
    if (members.length === 0 && departmentId !== "0") {
      // An empty page may mean "deleted": ask the department itself.
      this.#stats.apiCalls++;
      this.#stats.apiCallsWithoutCache++;
      let dep;
      try {
        dep = await this.#api.getDepartment(departmentId, o);
      } catch (e) {
        throw departmentGone(e, departmentId) ?? e;
      }
      if (dep.deleted) throw notFound(departmentId);
    }
    const now = this.#clock.now();
    await this.#o.store.putMany(this.#o.appId, members.flatMap((u) => userEntries(u, now)));
    return members;
  }

  /** Hit rate and calls saved so far. */
  stats(): UserDirectoryStats {
    const s = this.#stats;
    return { ...s, hitRate: s.lookups === 0 ? 0 : s.hits / s.lookups };
  }

  /** Forget every entry of this app. */
  clear(): Promise<void> {
    return this.#o.store.clear(this.#o.appId);
  }

  async #fresh(keys: string[]): Promise<Map<string, UserCacheEntry>> {
    const got = await this.#o.store.getMany(this.#o.appId, keys);
    const now = this.#clock.now();
    for (const [k, e] of got) {
      if (now - e.fetchedAt >= (e.found ? this.#ttl : this.#missTtl)) got.delete(k);
    }
    this.#stats.lookups += keys.length;
    this.#stats.hits += got.size;
    this.#stats.misses += keys.length - got.size;
    return got;
  }
}

function batchCalls(emails: number, mobiles: number): number {
  return Math.ceil(Math.max(emails, mobiles) / BATCH_GET_ID_MAX) * ID_TYPES.length;
}

function ids(e: UserCacheEntry) {
  return { openId: e.openId, userId: e.userId, unionId: e.unionId };
}

/** One entry per id the user is known by (and per email), all with the same content. */
function userEntries(u: ContactUser, now: number): UserCacheEntry[] {
  const base = {
    found: true,
    openId: u.openId,
    userId: u.userId,
    unionId: u.unionId,
    name: u.name,
    email: u.email,
    departmentIds: u.departmentIds,
    fetchedAt: now,
  };
  const keys = [
    u.openId && `open_id:${u.openId}`,
    u.userId && `user_id:${u.userId}`,
    u.unionId && `union_id:${u.unionId}`,
    u.email && `email:${u.email.toLowerCase()}`,
  ].filter((k): k is string => !!k);
  return keys.map((key) => ({ ...base, key }));
}

function notFound(departmentId: string, cause?: LarkError): NotFoundError {
  return new NotFoundError(`department ${departmentId} not found or deleted`, {
    code: cause?.code,
    httpStatus: cause?.httpStatus,
    logId: cause?.logId,
    requestId: cause?.requestId,
    endpoint: cause?.endpoint,
    cause,
    hint:
      `部门 ${departmentId} 不存在或已被删除：请核对部门 ID（注意 department_id 与 open_department_id 的区别）。`,
  });
}

function departmentGone(e: unknown, departmentId: string): NotFoundError | undefined {
  if (!(e instanceof LarkError)) return undefined;
  if (e instanceof NotFoundError || DEPARTMENT_GONE.has(e.code ?? 0)) return notFound(departmentId, e);
  return undefined;
}
