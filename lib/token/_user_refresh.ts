import { AuthError } from "../errors/auth_error.ts";
import { ConfigError } from "../errors/config_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import { reauthError, type TokenClockRules } from "./_helpers.ts";
import type { AppCredentials, RefreshedUserToken, TokenEndpoints } from "./token_endpoints.ts";
import type { UserTokensInput } from "./token_manager_options.ts";
import type { TokenRecord, TokenStore } from "./token_store.ts";

/** Codes meaning the login behind a refresh token is gone for good. */
const LOGIN_GONE = new Set([20026, 20037, 20064, 20073, 99991669]);

/** Everything the user refresh needs from the manager. */
export interface UserRefreshContext {
  ref: { appId: string; userId: string };
  key: string;
  app: AppCredentials;
  /** The record as re-read under the lock. */
  stored: TokenRecord | undefined;
  store: TokenStore;
  endpoints: TokenEndpoints;
  clock: Clock;
  log: Logger;
  rules: TokenClockRules;
  /** Count one endpoint call. */
  onFetch: () => void;
  /** Update (or drop, with `undefined`) the in-memory copy. */
  remember: (r: TokenRecord | undefined) => void;
}

/**
 * Refresh a user token with its rotating single-use refresh token; runs under
 * the store lock. The new refresh token is committed to the store BEFORE the
 * new access token is handed to anyone. A dead login (20026/20037/20064/
 * 20073/99991669) or an unclear failure (network, 5xx after retries, unknown
 * code) sets the record aside — kept, never deleted — and throws an
 * `AuthError` with `tokenKind: "refresh"`. A `ConfigError` (wrong secret,
 * refresh disabled for the app) leaves the record untouched.
 */
export async function refreshUserRecord(c: UserRefreshContext): Promise<TokenRecord> {
  const { appId, userId } = c.ref;
  const stored = c.stored;
  if (!stored) throw reauthError(appId, userId, "尚未授权（没有保存的令牌）");
  const now = c.clock.now();
  if (stored.status === "set_aside") {
    c.remember(stored);
    throw reauthError(appId, userId, "该登录已被搁置（refresh_token 失效或刷新结果不明确）");
  }
  if (!stored.refreshToken) {
    throw reauthError(appId, userId, "没有 refresh_token（授权时未申请 offline_access）");
  }
  if (!c.rules.refreshable(stored, now)) {
    await setAside(c, stored, "refresh_token_expired");
    throw reauthError(appId, userId, "refresh_token 已过期");
  }
  c.onFetch();
  let fresh: RefreshedUserToken;
  try {
    fresh = await c.endpoints.refreshUserToken(c.app, stored.refreshToken);
  } catch (error) {
    if (error instanceof ConfigError) {
      c.log.error("token.user_refresh_config_error", { key: c.key, error });
      throw error;
    }
    const code = error instanceof LarkError ? error.code : undefined;
    const gone = (code !== undefined && LOGIN_GONE.has(code)) ||
      (error instanceof AuthError && error.tokenKind === "refresh");
    await setAside(c, stored, gone ? "login_gone" : "unclear_failure", error);
    throw reauthError(
      appId,
      userId,
      gone
        ? "refresh_token 已失效、已过期、已被撤销或已被使用"
        : "刷新结果不明确（网络或服务端错误），为安全起见已搁置该登录",
      error,
    );
  }
  const at = c.clock.now();
  const record: TokenRecord = {
    ...stored,
    accessToken: fresh.accessToken,
    issuedAt: now,
    expiresAt: now + fresh.expiresIn * 1000,
    refreshToken: fresh.refreshToken,
    refreshExpiresAt: fresh.refreshToken && fresh.refreshExpiresIn !== undefined
      ? now + fresh.refreshExpiresIn * 1000
      : undefined,
    scope: fresh.scope ?? stored.scope,
    status: "active",
    updatedAt: at,
  };
  if (!fresh.refreshToken) {
    c.log.warn("token.user_refresh_without_new_refresh_token", { key: c.key });
  }
  try {
    await c.store.put(record); // commit the rotated refresh token first
  } catch (error) {
    c.remember(undefined);
    c.log.error("token.user_refresh_persist_failed", { key: c.key, error });
    throw new LarkError(`保存用户 ${userId} 的新 refresh_token 失败`, {
      cause: error,
      hint: "令牌存储写入失败（磁盘或数据库异常）：新的 refresh_token 未能保存，请检查存储后让用户重新授权。",
      endpoint: "token_store.put",
    });
  }
  c.remember(record);
  c.log.info("token.user_refreshed", { key: c.key, expire_s: fresh.expiresIn });
  return record;
}

async function setAside(c: UserRefreshContext, stored: TokenRecord, reason: string, error?: unknown) {
  const record: TokenRecord = { ...stored, status: "set_aside", updatedAt: c.clock.now() };
  try {
    await c.store.put(record);
  } catch (e) {
    c.log.error("token.set_aside_persist_failed", { key: c.key, error: e });
  }
  c.remember(record);
  c.log.warn("token.user_set_aside", { key: c.key, reason, error });
}

/** The record for a fresh OAuth login (`saveUserTokens`). */
export function loginRecord(
  key: string,
  appId: string,
  userId: string,
  tokens: UserTokensInput,
  now: number,
): TokenRecord {
  return {
    key,
    kind: "user",
    appId,
    userId,
    accessToken: tokens.accessToken,
    issuedAt: now,
    expiresAt: now + tokens.expiresIn * 1000,
    refreshToken: tokens.refreshToken,
    refreshExpiresAt: tokens.refreshToken && tokens.refreshExpiresIn !== undefined
      ? now + tokens.refreshExpiresIn * 1000
      : undefined,
    scope: tokens.scope,
    status: "active",
    updatedAt: now,
  };
}
