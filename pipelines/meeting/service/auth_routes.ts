import type { Hono } from "hono";
import { LarkError } from "../../../lib/errors/lark_error.ts";
import type { LarkHttp } from "../../../lib/http/lark_http.ts";
import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { buildAuthorizeUrl } from "../../../lib/oauth/authorize_url.ts";
import { randomBase64Url, sha256Base64Url as sha256 } from "../../../lib/oauth/pkce.ts";
import { exchangeCode } from "../../../lib/oauth/exchange_code.ts";
import type { OAuthStateStore } from "../../../lib/oauth/state_store.ts";
import type { AppCredentials, TokenEndpoints } from "../../../lib/token/token_endpoints.ts";
import type { TokenManager } from "../../../lib/token/token_manager.ts";
import type { MeetingWorker } from "../worker.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import { box, escapeHtml, htmlResponse, linkButton, page } from "./_html.ts";
import { RateWindow } from "./_rate_window.ts";
import { readCookie } from "./admin_access.ts";
import { joinUrl } from "./_paths.ts";

/** Path of the page with the 「授权开启」 button. */
export const AUTH_START_PATH = "/auth/start";
/** Path Feishu redirects back to (register `{public_base_url}/auth/callback` in the app's Redirect URLs). */
export const AUTH_CALLBACK_PATH = "/auth/callback";

/** What {@linkcode registerAuthRoutes} needs. */
export interface AuthRoutesOptions {
  /** The app (`client_id` / `client_secret`). */
  app: AppCredentials;
  /** Accounts origin of the authorize page (`app.accounts_url`). */
  accountsUrl: string;
  /** Where users' browsers reach the service (`server.public_base_url`). */
  publicBaseUrl: string;
  /** Scopes asked for (`oauth.scopes`, `offline_access` always included). */
  scopes: readonly string[];
  /** Single-use `state` values (10 min by default), each carrying its PKCE verifier. */
  states: Pick<OAuthStateStore, "create" | "consume" | "pending">;
  /** Most states waiting for a callback at once (default 500); beyond it `/auth/start` answers 503. */
  maxPendingStates?: number;
  /** Authorization starts allowed per minute, all browsers together (default 60); beyond it 429. */
  maxStartsPerMinute?: number;
  /** `Secure` on the browser-binding cookie (the public URL is https). */
  secureCookies?: boolean;
  /** Lifetime of a state, ms (the binding cookie lives as long; default 600 000). */
  stateTtlMs?: number;
  /** Time source (rate limit). */
  clock?: Clock;
  /** The v2 code exchange. */
  endpoints: Required<Pick<TokenEndpoints, "exchangeCode">>;
  /** Where the user's tokens are saved. */
  tokens: Pick<TokenManager, "saveUserTokens">;
  /** Open Platform client for `authen/v1/user_info`. */
  http: LarkHttp;
  /** Resumes the user's waiting jobs (automatic back-fill). */
  worker: Pick<MeetingWorker, "resumeUser">;
  /** Logger (user ids and outcomes; never a code or token). */
  logger?: Logger;
}

interface StateData {
  /** PKCE verifier. */
  v?: string;
  /** SHA-256 (base64url) of the browser-binding cookie set by `/auth/start`. */
  b?: string;
}

/** Cookie that binds an authorization to the browser that started it. */
export const OAUTH_BROWSER_COOKIE = "fk_oauth";

/**
 * The user-authorization pages:
 * - `GET /auth/start`: a Chinese page whose 「授权开启」 button opens Feishu's
 *   authorize page with a fresh single-use `state` (stored, 10 min), PKCE
 *   (S256) and the configured scopes plus `offline_access`; it sets a
 *   browser-binding cookie (HttpOnly, SameSite=Lax) whose hash the state
 *   keeps. At most `maxPendingStates` states wait at once (503 beyond) and
 *   `maxStartsPerMinute` are created per minute (429 beyond);
 * - `GET /auth/callback`: consumes the state, checks the browser-binding
 *   cookie (a callback opened in another browser is refused), exchanges the code
 *   (`authen/v2/oauth/token`), learns who authorized (`user_info`), saves the
 *   tokens under the user's tenant `user_id` through the token manager, shows
 *   a success page and resumes every job waiting for that user. Denial,
 *   an unknown/used/expired state and a failed exchange get Chinese error pages.
 *
 * @example
 * ```ts
 * const app = new Hono();
 * registerAuthRoutes(app, { app: creds, accountsUrl, publicBaseUrl, scopes, states, endpoints, tokens, http, worker });
 * ```
 */
export function registerAuthRoutes(app: Hono, o: AuthRoutesOptions): void {
  const log = o.logger ?? silentLogger;
  const redirectUri = joinUrl(o.publicBaseUrl, AUTH_CALLBACK_PATH);
  const again = linkButton("重新发起授权", joinUrl(o.publicBaseUrl, AUTH_START_PATH));

  const starts = new RateWindow({
    limit: o.maxStartsPerMinute ?? 60,
    windowMs: 60_000,
    clock: o.clock ?? systemClock,
  });
  const busy = (text: string, status: 429 | 503) =>
    htmlResponse(page("请稍后再试", box("error", [text], again)), status, { "retry-after": "60" });

  app.get(AUTH_START_PATH, async (c) => {
    if (o.states.pending() >= (o.maxPendingStates ?? 500)) {
      log.warn("oauth.too_many_pending", {});
      return busy("当前等待完成的授权请求过多，请一分钟后刷新本页。", 503);
    }
    if (!starts.tryHit()) {
      log.warn("oauth.start_rate_limited", {});
      return busy("授权请求过于频繁，请一分钟后刷新本页。", 429);
    }
    // One binding per browser (kept across tabs); the state remembers only its hash.
    const browser = readCookie(c.req.header("cookie"), OAUTH_BROWSER_COOKIE) ?? randomBase64Url(32);
    const verifier = randomBase64Url(32);
    const state = o.states.create({ v: verifier, b: await sha256(browser) } satisfies StateData);
    const url = buildAuthorizeUrl({
      appId: o.app.appId,
      redirectUri,
      scopes: o.scopes,
      state,
      accountsBaseUrl: o.accountsUrl,
      codeChallenge: await s256(verifier),
      codeChallengeMethod: "S256",
    });
    const secure = o.secureCookies ? "; Secure" : "";
    // SameSite=Lax: the browser sends it on Feishu's top-level redirect back to the callback.
    return htmlResponse(page("会议录制自动归档 · 授权", startBody(url, o.scopes)), 200, {
      "set-cookie": `${OAUTH_BROWSER_COOKIE}=${browser}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${
        Math.floor((o.stateTtlMs ?? 600_000) / 1000)
      }${secure}`,
    });
  });

  app.get(AUTH_CALLBACK_PATH, async (c) => {
    const found = o.states.consume<StateData>(c.req.query("state") ?? "");
    const error = c.req.query("error");
    if (error) {
      log.info("oauth.denied", { error: error.slice(0, 64) });
      return htmlResponse(
        page(
          "未完成授权",
          box("error", ["你已拒绝授权，会议录制不会被归档。如需归档，请重新发起授权。"], again),
        ),
        403,
      );
    }
    if (!found) {
      log.warn("oauth.bad_state", {});
      return htmlResponse(
        page(
          "授权链接已失效",
          box(
            "error",
            ["授权链接已失效（超过 10 分钟、已使用过或不是由本服务发起），请重新发起授权。"],
            again,
          ),
        ),
        400,
      );
    }
    const browser = readCookie(c.req.header("cookie"), OAUTH_BROWSER_COOKIE);
    if (!found.data?.b || !browser || await sha256(browser) !== found.data.b) {
      log.warn("oauth.other_browser", {});
      return htmlResponse(
        page(
          "请在同一浏览器中完成授权",
          box("error", [
            "这个授权回调不是由当前浏览器发起的：请在打开授权页的同一浏览器中完成授权，或重新发起授权。",
          ], again),
        ),
        400,
      );
    }
    const code = c.req.query("code") ?? "";
    if (!code) {
      return htmlResponse(
        page("授权失败", box("error", ["回调中缺少授权码（code），请重新发起授权。"], again)),
        400,
      );
    }
    try {
      const login = await exchangeCode({
        app: o.app,
        code,
        redirectUri,
        codeVerifier: found.data?.v,
        endpoints: o.endpoints,
        tokens: o.tokens,
        http: o.http,
        userKey: "user_id",
        logger: log,
        // No request signal: the code is single use, so an exchange is never cut off halfway.
      });
      const resumed = o.worker.resumeUser(login.userId);
      log.info("oauth.authorized", { user_id: login.userId, resumed: resumed.length });
      return htmlResponse(
        page("授权成功", successBody(login.user.name, resumed.length, login.hasRefreshToken)),
      );
    } catch (e) {
      log.warn("oauth.exchange_failed", { error: e });
      const text = e instanceof LarkError ? e.userMessage() : "授权码换取令牌时发生意外错误，请稍后重试。";
      const status = e instanceof LarkError && e.retryable ? 502 : 400;
      return htmlResponse(page("授权失败", box("error", [text], again)), status);
    }
  });
}

function startBody(authorizeUrl: string, scopes: readonly string[]): string {
  const list = scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join("、");
  return box(
    "info",
    [
      "开启后，你作为主持人（会议所有者）的会议结束并生成云录制后，录制视频会自动下载并归档到 NAS 的个人目录与所在部门的共享目录，完成后通过飞书消息通知你。",
      "授权仅用于读取你的会议录制与妙记；可随时在飞书中撤销。授权前已结束、正在等待授权的会议录制会在授权后自动补传。",
    ],
    `${linkButton("授权开启", authorizeUrl)}<p class="muted">申请的权限：${list}</p>` +
      `<p class="muted">本页面的授权链接 10 分钟内有效且只能使用一次；过期请刷新本页。</p>`,
  );
}

function successBody(name: string, resumed: number, hasRefresh: boolean): string {
  const lines = [`${name || "你"}，授权成功！之后结束的会议录制会自动归档，完成后会收到飞书消息。`];
  lines.push(resumed > 0 ? `有 ${resumed} 个等待授权的会议录制已开始补传。` : "目前没有等待授权的会议录制。");
  if (!hasRefresh) {
    lines.push(
      "注意：本次授权未包含 offline_access（长期授权），令牌过期后需要重新授权。请联系管理员开通该权限。",
    );
  }
  return box("ok", lines, `<p class="muted">可以关闭本页面了。</p>`);
}

/** PKCE S256 challenge of a verifier. */
const s256 = sha256;
