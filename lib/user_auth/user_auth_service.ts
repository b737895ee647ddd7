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
import { authorizationCard, authorizationText, expiredText, refusalText } from "./auth_messages.ts";
import type { UserAuthFailure, UserAuthFailureReason, UserAuthOutcome } from "./user_auth_outcome.ts";
import type {
  BrowserLogin,
  BrowserLoginOptions,
  RequestUserAuthOptions,
  UserAuthRequest,
} from "./user_auth_request.ts";
import type { UserAuthSession } from "./user_auth_session.ts";
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
  /** Finished sessions and stale browser logins are deleted after this long, ms (default one day). */
  keepFinishedMs?: number;
  /** Logger. */
  logger?: Logger;
}

/**
 * User authorization as a service of the core: `requestUserAuth` sends the
 * user an authorization card or link (Feishu's authorize page with a
 * single-use `state` bound to a session, PKCE S256), `complete` finishes it
 * on the core's `/auth/callback` (state consumed once, the authorizing user
 * must be the one asked, tokens saved per app and user through the token
 * manager), `sweepExpired` ends sessions not completed within 10 minutes and
 * tells their users to start again. `startBrowserLogin` is the same flow
 * started from a browser page instead of a message (the user is whoever
 * authorizes; the state is bound to the browser that started it).
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

  /** Session lifetime, ms. */
  get ttlMs(): number {
    return this.#ttl;
  }

  /** Pending sessions not yet expired (of `appId`, or of every app). */
  pendingCount(appId?: string): number {
    return this.#o.store.pendingCount(appId);
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
    await this.#requireApp(appId);
    const userIdType = options.userIdType ?? "open_id";
    const { session, state, verifier } = await this.#o.store.create({
      appId,
      userId,
      userIdType,
      method: via,
      ttlMs: this.#ttl,
    });
    const authorizeUrl = await this.#authorizeUrl(appId, state, verifier, options.scopes);
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

  /**
   * Start a login from a browser page: a session for whoever authorizes,
   * its state bound to `browser` (only its hash is kept). Finished sessions
   * and stale browser logins older than `keepFinishedMs` are deleted on the way.
   */
  async startBrowserLogin(appId: string, options: BrowserLoginOptions): Promise<BrowserLogin> {
    if (!options.browser) throw new BadRequestError("empty browser binding");
    await this.#requireApp(appId);
    this.#o.store.prune(this.#o.keepFinishedMs ?? 86_400_000);
    const { session, state, verifier } = await this.#o.store.create({
      appId,
      userId: "",
      userIdType: options.userIdType ?? "open_id",
      method: "browser",
      ttlMs: this.#ttl,
      browserHash: await sha256Base64Url(options.browser),
    });
    const authorizeUrl = await this.#authorizeUrl(appId, state, verifier, options.scopes);
    this.#log.info("user_auth.browser_started", { session_id: session.id, app_id: appId });
    return { sessionId: session.id, expiresAt: session.expiresAt, authorizeUrl };
  }

  /**
   * Finish a session from the callback's query (`state`, `code` or `error`);
   * `browser` is the binding the callback's browser presents (required when
   * the session is a browser login). A denial is reported as such whatever
   * the state.
   */
  async complete(
    query: { state?: string; code?: string; error?: string; browser?: string },
  ): Promise<UserAuthOutcome> {
    const found = await this.#o.store.consume(query.state ?? "");
    const minutes = Math.round(this.#ttl / 60_000);
    if (query.error) {
      const session = typeof found === "string" ? undefined : found.session;
      if (session) this.#o.store.fail(session.id, `denied: ${query.error.slice(0, 64)}`);
      this.#log.info("user_auth.denied", { session_id: session?.id, error: query.error.slice(0, 64) });
      const message = "你已拒绝授权。如需使用，请重新发起授权。";
      return { ok: false, reason: "denied", message, retryable: false, session };
    }
    if (typeof found === "string") {
      this.#log.warn("user_auth.bad_state", { reason: found });
      return { ok: false, reason: found, message: refusalText(found, minutes), retryable: false };
    }
    const { session, verifier, browserHash } = found;
    const refuse = (reason: UserAuthFailureReason, message: string, error: string): UserAuthFailure => {
      this.#o.store.fail(session.id, error);
      this.#log.warn("user_auth.refused", { session_id: session.id, reason });
      return { ok: false, reason, message, retryable: false, session };
    };
    if (
      browserHash !== undefined && (!query.browser || await sha256Base64Url(query.browser) !== browserHash)
    ) {
      return refuse("other_browser", refusalText("other_browser", minutes), "callback from another browser");
    }
    if (!query.code) {
      return refuse("missing_code", "回调中缺少授权码（code），请重新发起授权。", "callback without code");
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
        expectedUserId: session.userId || undefined,
        logger: this.#log,
        // No request signal: the code is single use, so an exchange is never cut off halfway.
      });
      if (!session.userId) this.#o.store.setUser(session.id, login.userId);
      this.#log.info("user_auth.completed", {
        session_id: session.id,
        app_id: session.appId,
        user: login.userId,
        method: session.method,
      });
      return {
        ok: true,
        session: this.#o.store.get(session.id)!,
        userId: login.userId,
        user: login.user,
        hasRefreshToken: login.hasRefreshToken,
      };
    } catch (e) {
      const lark = e instanceof LarkError;
      const message = lark ? e.userMessage() : "授权码换取令牌失败，请重新发起授权。";
      this.#o.store.fail(session.id, e instanceof Error ? e.message : String(e));
      this.#log.warn("user_auth.failed", { session_id: session.id, error: e });
      return { ok: false, reason: "failed", message, retryable: lark ? e.retryable : true, session };
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
      // A browser login has nobody to tell: its page says to start again.
      if (s.method === "browser") continue;
      try {
        if (options.reprompt) {
          const again = await this.requestUserAuth(s.appId, s.userId, {
            via: s.method === "link" ? "link" : "card",
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

  async #requireApp(appId: string): Promise<AppCredentials> {
    const app = await this.#o.apps(appId);
    if (!app) {
      throw new ConfigError(`unknown app ${appId}`, { hint: `应用 ${appId} 未注册，请先添加该应用。` });
    }
    return app;
  }

  async #authorizeUrl(
    appId: string,
    state: string,
    verifier: string,
    scopes: readonly string[] | undefined,
  ): Promise<string> {
    return buildAuthorizeUrl({
      appId,
      redirectUri: this.redirectUri,
      scopes: scopes ?? this.#o.scopes ?? [],
      state,
      accountsBaseUrl: this.#o.accountsUrl,
      codeChallenge: await sha256Base64Url(verifier),
      codeChallengeMethod: "S256",
    });
  }
}
