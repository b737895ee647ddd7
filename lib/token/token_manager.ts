import type { AuthProvider } from "../auth/auth_provider.ts";
import { ConfigError } from "../errors/config_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { tokenAuthProvider } from "./_auth_provider.ts";
import { TokenClockRules } from "./_helpers.ts";
import { keepAliveUsers } from "./_keep_alive.ts";
import { loginRecord } from "./_user_refresh.ts";
import { type Need, TokenRefresher } from "./_refresher.ts";
import type { AppCredentials, TokenEndpoints } from "./token_endpoints.ts";
import { tokenKey, type TokenRef } from "./token_key.ts";
import type { TokenRecord, TokenStore } from "./token_store.ts";
import type {
  AppResolver,
  KeepAliveResult,
  TokenManagerOptions,
  TokenStats,
  UserTokensInput,
} from "./token_manager_options.ts";
import type { UserAuthStatus, UserTokenInfo } from "./user_token_info.ts";

/**
 * Hands out Feishu tenant, app and user access tokens: memory cache → store →
 * network, refreshing ahead of expiry in the background, single-flight per
 * token in the process and under a store lock across processes (re-reading
 * the store once the lock is held, so a token refreshed by another process is
 * reused without a network call).
 *
 * @example
 * ```ts
 * import type { SecretBox } from "../crypto/secret_box.ts";
 * import { SqliteTokenStore } from "./token_store_sqlite.ts";
 * import { LarkTokenEndpoints } from "./lark_token_endpoints.ts";
 *
 * declare const box: SecretBox;
 * const tokens = new TokenManager({
 *   store: new SqliteTokenStore(".runs/tokens.db", { box }),
 *   endpoints: new LarkTokenEndpoints(),
 *   apps: (id) => id === "cli_x" ? { appId: id, appSecret: Deno.env.get("FEISHU_APP_SECRET")! } : undefined,
 * });
 * const auth = tokens.tenantAuth("cli_x"); // pass to the HTTP client
 * ```
 */
export class TokenManager {
  #store: TokenStore;
  #endpoints: TokenEndpoints;
  #apps: AppResolver;
  #clock: Clock;
  #log: Logger;
  #lockMs: number;
  #rules: TokenClockRules;
  #memory = new Map<string, TokenRecord>();
  #refresher: TokenRefresher;
  #stats: TokenStats = {
    fetches: { tenant: 0, app: 0, user: 0 },
    backgroundRefreshes: 0,
    reusedFromStore: 0,
    storeReads: 0,
  };

  /** Create a manager; see {@linkcode TokenManagerOptions} for defaults. */
  constructor(options: TokenManagerOptions) {
    this.#store = options.store;
    this.#endpoints = options.endpoints;
    this.#apps = options.apps;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.#lockMs = options.lockTimeoutMs ?? 30_000;
    this.#rules = new TokenClockRules(options.refreshRatio ?? 0.1, options.expirySkewMs ?? 5_000);
    this.#refresher = new TokenRefresher({
      store: this.#store,
      endpoints: this.#endpoints,
      clock: this.#clock,
      log: this.#log,
      rules: this.#rules,
      lockMs: this.#lockMs,
      holdMs: options.failureHoldMs ?? 30_000,
      memory: this.#memory,
      stats: this.#stats,
    });
  }

  /** A valid tenant_access_token for `appId`. */
  getTenantToken(appId: string, signal?: AbortSignal): Promise<string> {
    return this.#get({ kind: "tenant", appId }, signal);
  }

  /** A valid app_access_token for `appId`. */
  getAppToken(appId: string, signal?: AbortSignal): Promise<string> {
    return this.#get({ kind: "app", appId }, signal);
  }

  /**
   * A valid user_access_token for `userId` of `appId`, refreshed when needed.
   * Throws `AuthError` (`tokenKind: "refresh"`) when the user must authorize again.
   */
  getUserToken(appId: string, userId: string, signal?: AbortSignal): Promise<string> {
    return this.#get({ kind: "user", appId, userId }, signal);
  }

  /**
   * The server refused `accessToken`: drop it from memory and from the store,
   * but only where it is still the cached token (a newer one is kept). User
   * records keep their refresh token. Resolves true when the store copy was dropped.
   */
  async invalidate(ref: TokenRef | string, accessToken: string): Promise<boolean> {
    const key = typeof ref === "string" ? ref : tokenKey(ref);
    if (this.#memory.get(key)?.accessToken === accessToken) this.#memory.delete(key);
    return await this.#store.withLock(key, this.#lockMs, async () => {
      const stored = await this.#store.get(key);
      if (!stored || stored.accessToken !== accessToken) return false;
      if (stored.kind === "user") {
        await this.#store.put({ ...stored, accessToken: "", expiresAt: 0, updatedAt: this.#clock.now() });
      } else {
        await this.#store.delete(key);
      }
      this.#memory.delete(key);
      this.#log.info("token.invalidated", { key });
      return true;
    });
  }

  /** Store the tokens of a finished OAuth login (replaces a set-aside record). */
  async saveUserTokens(appId: string, userId: string, tokens: UserTokensInput): Promise<void> {
    const key = tokenKey({ kind: "user", appId, userId });
    await this.#store.withLock(key, this.#lockMs, async () => {
      const record = loginRecord(key, appId, userId, tokens, this.#clock.now());
      await this.#store.put(record);
      this.#memory.set(key, record);
      this.#log.info("token.user_saved", { key, has_refresh: Boolean(tokens.refreshToken) });
    });
  }

  /** Every user of `appId` with a stored token, with their status (no token values). */
  async listUsers(appId: string): Promise<UserTokenInfo[]> {
    const now = this.#clock.now();
    const records = await this.#store.list({ appId, kind: "user" });
    return records.map((r) => this.#rules.info(r, now));
  }

  /** Whether `userId` can currently be acted for on `appId`. */
  async userStatus(appId: string, userId: string): Promise<UserAuthStatus> {
    const r = await this.#store.get(tokenKey({ kind: "user", appId, userId }));
    return this.#rules.status(r, this.#clock.now());
  }

  /**
   * Keep idle logins alive: refresh every active user token of `appId` whose
   * refresh token expires within `withinMs` (default 24 h), one at a time.
   */
  async refreshIdleUserTokens(
    appId: string,
    options: { withinMs?: number; signal?: AbortSignal } = {},
  ): Promise<KeepAliveResult> {
    const app = await this.#app(appId);
    const withinMs = options.withinMs ?? 24 * 3600_000;
    const need: Need = (r, now) =>
      r.status !== "set_aside" && r.refreshExpiresAt !== undefined && r.refreshExpiresAt - now < withinMs;
    const result = await keepAliveUsers(appId, await this.#store.list({ appId, kind: "user" }), {
      need: (r) => need(r, this.#clock.now()),
      refresh: async (ref, key) => {
        await this.#refresher.inflight(key)?.catch(() => {});
        await this.#refresher.refresh(ref, key, app, need, options.signal);
      },
      signal: options.signal,
    });
    this.#log.info("token.keep_alive", {
      app_id: appId,
      refreshed: result.refreshed.length,
      failed: result.failed.length,
      skipped: result.skipped.length,
    });
    return result;
  }

  /** An {@linkcode AuthProvider} sending this app's tenant_access_token. */
  tenantAuth(appId: string): AuthProvider {
    return this.#provider({ kind: "tenant", appId }, `tenant:${appId}`);
  }

  /** An {@linkcode AuthProvider} sending this app's app_access_token. */
  appAuth(appId: string): AuthProvider {
    return this.#provider({ kind: "app", appId }, `app:${appId}`);
  }

  /** An {@linkcode AuthProvider} sending `userId`'s user_access_token. */
  userAuth(appId: string, userId: string): AuthProvider {
    return this.#provider({ kind: "user", appId, userId }, `user:${appId}:${userId}`);
  }

  /** A snapshot of the counters. */
  get stats(): TokenStats {
    return { ...this.#stats, fetches: { ...this.#stats.fetches } };
  }

  /** Resolves when no refresh (foreground or background) is in flight. */
  async idle(): Promise<void> {
    await this.#refresher.idle();
  }

  async #get(ref: TokenRef, signal?: AbortSignal): Promise<string> {
    const app = await this.#app(ref.appId);
    const key = tokenKey(ref);
    let rec = this.#memory.get(key);
    let now = this.#clock.now();
    if (!rec || !this.#rules.usable(rec, now)) {
      signal?.throwIfAborted();
      this.#stats.storeReads++;
      rec = await this.#store.get(key);
      if (rec) this.#memory.set(key, rec);
      now = this.#clock.now();
    }
    if (rec && this.#rules.usable(rec, now)) {
      if (this.#rules.due(rec, now) && this.#rules.refreshable(rec, now)) {
        this.#refresher.background(ref, key, app, now);
      }
      return rec.accessToken;
    }
    const fresh = await this.#refresher.refresh(ref, key, app, (r, t) => !this.#rules.usable(r, t), signal);
    return fresh.accessToken;
  }

  /** The app's credentials, looked up on every call (a registry resolver caches and may refuse a disabled app). */
  async #app(appId: string): Promise<AppCredentials> {
    const app = await this.#apps(appId);
    if (!app) {
      throw new ConfigError(`未配置应用 ${appId}`, {
        hint: `未找到应用 ${appId} 的 App ID / App Secret：请在配置文件中添加该应用并设置其 App Secret。`,
      });
    }
    return app;
  }

  #provider(ref: TokenRef, label: string): AuthProvider {
    const key = tokenKey(ref);
    return tokenAuthProvider(label, {
      token: (signal) => this.#get(ref, signal),
      invalidate: (token) => this.invalidate(key, token),
      retryable: async () => {
        if (ref.kind !== "user") return true;
        const rec = await this.#store.get(key);
        const now = this.#clock.now();
        return rec !== undefined && (this.#rules.usable(rec, now) || this.#rules.refreshable(rec, now));
      },
    });
  }
}
