import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import type { AppCredentials, TokenEndpoints } from "./token_endpoints.ts";
import type { TokenStore } from "./token_store.ts";

/**
 * Looks up an app's credentials on every token request; `undefined` when the app is not
 * configured. May be async (e.g. the app registry's `registryAppResolver`) and may throw a
 * typed error (e.g. `AppDisabledError`) to refuse the app before any network call.
 */
export type AppResolver = (
  appId: string,
) => AppCredentials | undefined | Promise<AppCredentials | undefined>;

/** Options of {@linkcode TokenManager}. */
export interface TokenManagerOptions {
  /** Persistent cache shared between processes (e.g. `SqliteTokenStore`). */
  store: TokenStore;
  /** Feishu token endpoints (e.g. `LarkTokenEndpoints`). */
  endpoints: TokenEndpoints;
  /** App id → credentials (static config or the app registry). */
  apps: AppResolver;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger (default silent). Token values are never passed to it. */
  logger?: Logger;
  /** Refresh ahead once less than this share of a token's lifetime remains (default 0.1). */
  refreshRatio?: number;
  /** How long to wait for another process's refresh of the same token, in ms (default 30 000). */
  lockTimeoutMs?: number;
  /** A token counts as expired this long before its expiry, capped at 1% of its lifetime (default 5000 ms). */
  expirySkewMs?: number;
  /**
   * After a wrong app id/secret (`ConfigError`) or a failed background refresh, how long
   * to answer from memory instead of calling the endpoint again, in ms (default 30 000).
   */
  failureHoldMs?: number;
}

/** Counters for tests and benchmarks. */
export interface TokenStats {
  /** Endpoint calls made by this manager, per kind (`user` = refresh calls). */
  fetches: { tenant: number; app: number; user: number };
  /** Refresh-ahead refreshes started in the background. */
  backgroundRefreshes: number;
  /** Refreshes that found a fresh token written by another process under the lock. */
  reusedFromStore: number;
  /** Reads of the persistent store on the request path. */
  storeReads: number;
}

/** Tokens of a finished OAuth login, as given to {@linkcode TokenManager.saveUserTokens}. */
export interface UserTokensInput {
  /** User access token. */
  accessToken: string;
  /** Its lifetime in seconds. */
  expiresIn: number;
  /** Refresh token (present when `offline_access` was granted). */
  refreshToken?: string;
  /** Refresh token lifetime in seconds. */
  refreshExpiresIn?: number;
  /** Granted scopes, space-separated. */
  scope?: string;
}

/** Result of {@linkcode TokenManager.refreshIdleUserTokens}. */
export interface KeepAliveResult {
  /** Users whose refresh token was renewed. */
  refreshed: string[];
  /** Users whose refresh failed (they are set aside or the app is misconfigured). */
  failed: { userId: string; error: unknown }[];
  /** Users not needing a refresh (or set aside already). */
  skipped: string[];
}
