/**
 * Contacts: users (with their departments), departments and their members
 * through `contact/v3` with explicit id types; a SQLite cache per app with a
 * 24 h TTL (user → name, email, departments with names); and the directory
 * export behind `meeting:users`. For internal services: email/mobile → ids
 * (`lookupUserIds`, 50 per call), a per-app user cache with hit-rate figures
 * (`UserDirectory` over a `UserCacheStore`: SQLite by default, PostgreSQL for
 * several hosts), chats by name
 * (`ChatLookup`) and the organisation tree (`orgTree`).
 *
 * @example
 * ```ts
 * import { ContactApi, ContactCache, listDirectory } from "./mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const api = new ContactApi(http, { userIdType: "user_id" });
 * const cache = new ContactCache({ path: ".state/contacts.db", appId: "cli_xxx", api });
 * const { name, departments } = await cache.getUser("zhangsan");
 * const rows = await listDirectory(api);
 * ```
 *
 * @module
 */
export * from "./contact_api.ts";
export * from "./contact_cache.ts";
export * from "./list_directory.ts";
export * from "./user_id_lookup.ts";
export * from "./user_cache_store.ts";
export * from "./sqlite_user_cache_store.ts";
export * from "./postgres_user_cache_store.ts";
export * from "./user_directory.ts";
export * from "./chat_lookup.ts";
export * from "./org_tree.ts";
