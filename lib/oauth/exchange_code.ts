import { AuthError } from "../errors/auth_error.ts";
import { ConfigError } from "../errors/config_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import type { TokenManager } from "../token/token_manager.ts";
import type { AppCredentials, AuthorizationCodeGrant, TokenEndpoints } from "../token/token_endpoints.ts";
import { getUserInfo, type UserInfo } from "./user_info.ts";

/** Options of {@linkcode exchangeCode}. */
export interface ExchangeCodeOptions extends AuthorizationCodeGrant {
  /** The app's credentials. */
  app: AppCredentials;
  /** Token endpoints with the code exchange (e.g. `LarkTokenEndpoints`). */
  endpoints: Required<Pick<TokenEndpoints, "exchangeCode">>;
  /** Where the user's tokens are saved. */
  tokens: Pick<TokenManager, "saveUserTokens">;
  /** Client for `authen/v1/user_info` (its own auth is not used). */
  http: LarkHttp;
  /** Which id the tokens are saved under (default `open_id`; `user_id` needs the employee-id scope). */
  userKey?: "open_id" | "union_id" | "user_id";
  /**
   * When set, the user who authorized must be this one (in `userKey`'s id
   * type); anyone else is refused with an `AuthError` and nothing is saved.
   */
  expectedUserId?: string;
  /** Cancel. */
  signal?: AbortSignal;
  /** Logger (never gets a token). */
  logger?: Logger;
}

/** A finished login. */
export interface ExchangedLogin {
  /** The id the tokens were saved under. */
  userId: string;
  /** Who authorized. */
  user: UserInfo;
  /** Granted scopes, space-separated (authoritative). */
  scope?: string;
  /** False when `offline_access` was not granted: the login lasts only as long as the access token. */
  hasRefreshToken: boolean;
}

/**
 * Finish an OAuth callback: exchange the code (`POST authen/v2/oauth/token`,
 * `grant_type=authorization_code`), ask `authen/v1/user_info` who the user is,
 * then save the tokens with `TokenManager.saveUserTokens` under that user's id
 * (replacing a set-aside login). Code errors are typed (`BadRequestError` for a
 * used or expired code, `ConfigError` for a redirect mismatch or bad secret).
 *
 * @example
 * ```ts
 * import type { ExchangeCodeOptions } from "./exchange_code.ts";
 *
 * declare const { app, code, redirectUri, endpoints, tokens, http }: ExchangeCodeOptions;
 * const login = await exchangeCode({ app, code, redirectUri, endpoints, tokens, http });
 * console.log(`${login.user.name} 授权成功`);
 * ```
 */
export async function exchangeCode(o: ExchangeCodeOptions): Promise<ExchangedLogin> {
  const log = o.logger ?? silentLogger;
  const fresh = await o.endpoints.exchangeCode(o.app, o, o.signal);
  const user = await getUserInfo(o.http, fresh.accessToken, { signal: o.signal });
  const key = o.userKey ?? "open_id";
  const userId = key === "open_id" ? user.openId : key === "union_id" ? user.unionId : user.userId;
  if (!userId) {
    throw new ConfigError(`user_info has no ${key}`, {
      hint: key === "user_id"
        ? "授权用户信息中没有 user_id：请为应用开通 contact:user.employee_id:readonly 权限，或改用 open_id。"
        : `授权用户信息中没有 ${key}，请检查应用权限。`,
    });
  }
  if (o.expectedUserId !== undefined && userId !== o.expectedUserId) {
    throw new AuthError(`authorized by ${key} other than the requested user`, {
      hint: "完成授权的飞书账号与发起授权请求的用户不一致：请让收到授权消息的本人打开链接完成授权。",
    });
  }
  await o.tokens.saveUserTokens(o.app.appId, userId, fresh);
  const hasRefreshToken = Boolean(fresh.refreshToken);
  log[hasRefreshToken ? "info" : "warn"]("oauth.login_saved", {
    app_id: o.app.appId,
    user: userId,
    has_refresh: hasRefreshToken,
    scope: fresh.scope,
  });
  return { userId, user, scope: fresh.scope, hasRefreshToken };
}
