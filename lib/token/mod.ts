/**
 * Feishu token management: tenant, app and user access tokens cached in
 * memory and in a store shared by every process (SQLite via `node:sqlite` by
 * default, PostgreSQL for several hosts: {@linkcode openTokenStore}),
 * refreshed ahead of expiry in the background, single-flight per token in the
 * process and under a store lock across processes. User tokens rotate their
 * single-use refresh token, which is committed before the new access token is
 * used; a dead login is set aside (kept, not deleted) and reported as
 * "re-authorize".
 *
 * @example
 * ```ts
 * import { LarkTokenEndpoints, SqliteTokenStore, TokenManager } from "./mod.ts";
 * import { loadSecretBox } from "../crypto/mod.ts";
 *
 * const box = await loadSecretBox({ keyFile: ".runs/secret.key" });
 * const tokens = new TokenManager({
 *   store: new SqliteTokenStore(".runs/tokens.db", { box }),
 *   endpoints: new LarkTokenEndpoints(),
 *   apps: (id) => ({ appId: id, appSecret: Deno.env.get("FEISHU_APP_SECRET") ?? "" }),
 * });
 * const token = await tokens.getTenantToken("cli_xxx");
 * ```
 *
 * @module
 */
export * from "./token_store.ts";
export * from "./token_key.ts";
export * from "./token_store_memory.ts";
export * from "./token_store_sqlite.ts";
export * from "./token_store_postgres.ts";
export * from "./open_token_store.ts";
export * from "./store_setting.ts";
export * from "./token_endpoints.ts";
export * from "./lark_token_endpoints.ts";
export * from "./user_token_info.ts";
export * from "./token_manager_options.ts";
export * from "./token_manager.ts";
