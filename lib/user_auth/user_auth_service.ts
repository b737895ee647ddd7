import { ConfigError } from "../errors/config_error.ts";
import { BadRequestError } from "../errors/bad_request_error.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import type { MessageApi } from "../im/message_api.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { buildAuthorizeUrl } from "../oauth/authorize_url.ts";
import { exchangeCode } from "../oauth/exchange_code.ts";
import { sha256Base64Url } from "../oauth/pkce.ts";
import type { AppCredentials, TokenEndpoints } from "../token/token_endpoints.ts";
import type { TokenManager } from "../token/token_manager.ts";
import { authorizationCard, authorizationText, expiredText } from "./auth_messages.ts";
import type { UserAuthMethod, UserAuthSession } from "./user_auth_session.ts";
import type { UserAuthStore } from "./user_auth_store.ts";

/** Path the authorize page redirects back to (register `{publicBaseUrl}/auth/callback` in the app's Redirect URLs). */
export const USER_AUTH_CALLBACK_PATH = "/auth/callback";

/** Options of {@linkcode UserAuthService}. */
export interface UserAuthServiceOptions {
  /** Sessions. */
  store: UserAuthStore;
  /** App credentials by id (the registry). */
  apps: (appId: string) => AppCredentials | undefined | Promise<AppCredentials | undefined>;
  /** Display name of an app, for messages (default the app id). */
  appName?: (appId: string) => string;
  /** The bot's messaging for an app. */
  messages: (appId: string) => Pick<MessageApi, "sendCard" | "sendText">;
  /** Open Platform client of an app (for `authen/v1/user_info`). */
  httpFor: (appId: string) => LarkHttp;
  /** The v2 code exchange. */
  endpoints: Required<Pick<TokenEndpoints, "exchangeCode">>;
  /** Where user tokens are saved (per app and user). */
  tokens: Pick<TokenManager, "saveUserTokens">;
  /** Where users' browsers reach the core service. */
  publicBaseUrl: string;
  /** Accounts origin of the authorize page (default `https://accounts.feishu.cn`). */
  accountsUrl?: string;
  /** Scopes asked for by default (`offline_access` is always added). */
  scopes?: readonly string[];
  /** Session lifetime, ms (default 600 000 = 10 min). */
  ttlMs?: number;
  /** Logger. */
  logger?: Logger;
}

/** Options of one {@linkcode UserAuthService.requestUserAuth} call. */
export interface RequestUserAuthOptions {
  /** An interactive card with a button (default) or a text message with the link. */
  via?: UserAuthMethod;
  /** Type of the user id (default `open_id`). */
  userIdType?: "open_id" | "user_id";
  /** Scopes for this request (default the service's). */
  scopes?: readonly string[];
}

/** What {@linkcode UserAuthService.requestUserAuth} started. */
export interface UserAuthRequest {
  /** Session id. */
  sessionId: string;
  /** When the link stops working, ms epoch. */
  expiresAt: number;
  /** Feishu's authorize URL sent to the user. */
  authorizeUrl: string;
  /** The message carrying it. */
  messageId: string;
}

/** What the callback achieved. */
export type UserAuthOutcome =
  | { ok: true; session: UserAuthSession; hasRefreshToken: boolean }
  | {
    ok: false;
    reason: "unknown" | "used" | "expired" | "denied" | "missing_code" | "failed";
    message: string;
    session?: UserAuthSession;
  };

/**
 * User authorization as a service of the core: `requestUserAuth` sends the
 * user an authorization card or link (Feishu's authorize page with a
 * single-use `state` bound to a session, PKCE S256), `complete` finishes it
 * on the core's `/auth/callback` (state consumed once, the authorizing user
 * must be the one asked, tokens saved per app and user through the token
 * manager), `sweepExpired` ends sessions not completed within 10 minutes and
 * tells their users to start again.
 *
 * @example
 * ```ts
 * import type { UserAuthServiceOptions } from "./user_auth_service.ts";
 *
 * declare const { store, apps, messages, httpFor, endpoints, tokens, publicBaseUrl }: UserAuthServiceOptions;
 * const auth = new UserAuthService({ store, apps, messages, httpFor, endpoints, tokens, publicBaseUrl });
 * await auth.requestUserAuth("cli_x", "ou_x", { via: "card" });
 * ```
 */
export class UserAuthService {
  readonly #o: UserAuthServiceOptions;
  readonly #log: Logger;
  readonly #ttl: number;

  /** Create the service. */
  constructor(options: UserAuthServiceOptions) {
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.#ttl = options.ttlMs ?? 600_000;
  }

  /** The redirect URI registered with Feishu. */
  get redirectUri(): string {
    return this.#o.publicBaseUrl.replace(/\/+$/, "") + USER_AUTH_CALLBACK_PATH;
  }

  /** Ask `userId` of `appId` to authorize; resolves once the message was sent. */
  async requestUserAuth(
    appId: string,
    userId: string,
    options: RequestUserAuthOptions = {},
  ): Promise<UserAuthRequest> {
    const via = options.via ?? "card";
    if (via !== "card" && via !== "link") {
      throw new BadRequestError(`via must be card or link`, { hint: "via 只能是 card 或 link。" });
    }
    if (!userId || userId.length > 100 || /\s/.test(userId)) {
      throw new BadRequestError("bad user id", { hint: "用户 ID 为空或格式不正确。" });
    }
    const app = await this.#o.apps(appId);
    if (!app) {
      throw new ConfigError(`unknown app ${appId}`, { hint: `应用 ${appId} 未注册，请先添加该应用。` });
    }
    const userIdType = options.userIdType ?? "open_id";
    const { session, state, verifier } = await this.#o.store.create({
      appId,
      userId,
      userIdType,
      method: via,
      ttlMs: this.#ttl,
    });
    const authorizeUrl = buildAuthorizeUrl({
      appId,
      redirectUri: this.redirectUri,
      scopes: options.scopes ?? this.#o.scopes ?? [],
      state,
      accountsBaseUrl: this.#o.accountsUrl,
      codeChallenge: await sha256Base64Url(verifier),
      codeChallengeMethod: "S256",
    });
    const name = this.#o.appName?.(appId) ?? appId;
    const minutes = Math.round(this.#ttl / 60_000);
    try {
      const im = this.#o.messages(appId);
      const uuid = `ua-${session.id}`.slice(0, 50);
      const sent = via === "card"
        ? await im.sendCard(userIdType, userId, authorizationCard(authorizeUrl, name, minutes), { uuid })
        : await im.sendText(userIdType, userId, authorizationText(authorizeUrl, name, minutes), { uuid });
      this.#o.store.setMessage(session.id, sent.messageId);
      this.#log.info("user_auth.requested", { session_id: session.id, app_id: appId, user: userId, via });
      return { sessionId: session.id, expiresAt: session.expiresAt, authorizeUrl, messageId: sent.messageId };
    } catch (e) {
      this.#o.store.fail(session.id, `send failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** Finish a session from the callback's query (`state`, `code` or `error`). */
  async complete(query: { state?: string; code?: string; error?: string }): Promise<UserAuthOutcome> {
    const found = await this.#o.store.consume(query.state ?? "");
    if (typeof found === "string") {
      this.#log.warn("user_auth.bad_state", { reason: found });
      const message = found === "expired"
        ? "授权链接已过期（超过 10 分钟），请重新发起授权。"
        : found === "used"
        ? "授权链接已使用过，请勿重复打开；如需重新授权请重新发起。"
        : "授权链接无效（不是由本服务发起的），请重新发起授权。";
      return { ok: false, reason: found, message };
    }
    const { session, verifier } = found;
    if (query.error) {
      this.#o.store.fail(session.id, `denied: ${query.error.slice(0, 64)}`);
      return { ok: false, reason: "denied", message: "你已拒绝授权。如需使用，请重新发起授权。", session };
    }
    if (!query.code) {
      this.#o.store.fail(session.id, "callback without code");
      return {
        ok: false,
        reason: "missing_code",
        message: "回调中缺少授权码（code），请重新发起授权。",
        session,
      };
    }
    try {
      const app = await this.#o.apps(session.appId);
      if (!app) {
        throw new ConfigError(`unknown app ${session.appId}`, { hint: "应用已被移除，无法完成授权。" });
      }
      const login = await exchangeCode({
        app,
        code: query.code,
        redirectUri: this.redirectUri,
        codeVerifier: verifier,
        endpoints: this.#o.endpoints,
        tokens: this.#o.tokens,
        http: this.#o.httpFor(session.appId),
        userKey: session.userIdType,
        expectedUserId: session.userId,
        logger: this.#log,
      });
      this.#log.info("user_auth.completed", {
        session_id: session.id,
        app_id: session.appId,
        user: session.userId,
      });
      return { ok: true, session: this.#o.store.get(session.id)!, hasRefreshToken: login.hasRefreshToken };
    } catch (e) {
      const message = e instanceof LarkError ? e.userMessage() : "授权码换取令牌失败，请重新发起授权。";
      this.#o.store.fail(session.id, e instanceof Error ? e.message : String(e));
      this.#log.warn("user_auth.failed", { session_id: session.id, error: e });
      return { ok: false, reason: "failed", message, session };
    }
  }

  /**
   * End pending sessions older than their lifetime and tell each user to
   * start again (with `reprompt`, send them a fresh request right away).
   */
  async sweepExpired(
    options: { reprompt?: boolean } = {},
  ): Promise<{ expired: UserAuthSession[]; reprompted: string[] }> {
    const expired = this.#o.store.expireDue();
    const reprompted: string[] = [];
    const minutes = Math.round(this.#ttl / 60_000);
    for (const s of expired) {
      this.#log.info("user_auth.expired", { session_id: s.id, app_id: s.appId, user: s.userId });
      try {
        if (options.reprompt) {
          const again = await this.requestUserAuth(s.appId, s.userId, {
            via: s.method,
            userIdType: s.userIdType,
          });
          reprompted.push(again.sessionId);
        } else {
          const name = this.#o.appName?.(s.appId) ?? s.appId;
          await this.#o.messages(s.appId).sendText(s.userIdType, s.userId, expiredText(name, minutes), {
            uuid: `ua-exp-${s.id}`.slice(0, 50),
          });
        }
      } catch (e) {
        this.#log.warn("user_auth.expiry_notice_failed", { session_id: s.id, error: e });
      }
    }
    return { expired, reprompted };
  }
}
