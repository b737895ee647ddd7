/**
 * feishu-kit — the Lark (Feishu) service core.
 *
 * One shared core for every workflow: typed errors, an HTTP client with
 * retries and shared rate limits, app/tenant/user tokens kept in SQLite or
 * PostgreSQL and refreshed ahead of expiry, an app registry with encrypted
 * secrets, masked logging, config loading, and API clients.
 *
 * @example
 * ```ts
 * import { LarkHttp, loadSecretBox, RateLimiter, SqliteTokenStore, TokenManager, LarkTokenEndpoints } from "./mod.ts";
 *
 * // Tokens are encrypted at rest: key from env FEISHU_KIT_KEY, else this file (created 0600).
 * const box = await loadSecretBox({ keyFile: ".state/secret.key" });
 * const store = new SqliteTokenStore(".state/tokens.sqlite", { box });
 * const tokens = new TokenManager({
 *   store,
 *   endpoints: new LarkTokenEndpoints({ baseUrl: "https://open.feishu.cn" }),
 *   apps: (id) => id === "cli_xxx" ? { appId: id, appSecret: Deno.env.get("FEISHU_APP_SECRET")! } : undefined,
 * });
 * const http = new LarkHttp({
 *   baseUrl: "https://open.feishu.cn",
 *   auth: tokens.tenantAuth("cli_xxx"),
 *   limiter: new RateLimiter({ buckets: { global: { perSecond: 50 } } }),
 * });
 * const { data } = await http.request({ method: "POST", path: "/open-apis/contract/v1/contracts/search", body: {} });
 * ```
 *
 * @module
 */
export * from "./lib/errors/mod.ts";
export * from "./lib/time/mod.ts";
export * from "./lib/log/mod.ts";
export * from "./lib/retry/mod.ts";
export * from "./lib/rate_limit/mod.ts";
export * from "./lib/http/mod.ts";
export * from "./lib/auth/auth_provider.ts";
export * from "./lib/token/mod.ts";
export * from "./lib/config/mod.ts";
export * from "./lib/excel/mod.ts";
export * from "./lib/fs/mod.ts";
export * from "./lib/contract/mod.ts";
export * from "./lib/clm/mod.ts";
export * from "./lib/events/mod.ts";
export * from "./lib/im/mod.ts";
export * from "./lib/contact/mod.ts";
export * from "./lib/apaas/mod.ts";
export * from "./lib/oauth/mod.ts";
export * from "./lib/download/mod.ts";
export * from "./lib/vc/mod.ts";
export * from "./lib/minutes/mod.ts";
export * from "./lib/crypto/mod.ts";
export * from "./lib/registry/mod.ts";
export * from "./lib/validate/mod.ts";
export * from "./lib/docx/mod.ts";
export * from "./lib/drive/mod.ts";
export * from "./lib/calendar/mod.ts";
export * from "./lib/bitable/mod.ts";
export * from "./lib/sheets/mod.ts";
export * from "./lib/queue/mod.ts";
export * from "./lib/callback/mod.ts";
export * from "./lib/user_auth/mod.ts";
