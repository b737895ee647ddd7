import { readCookie } from "../http/read_cookie.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { randomBase64Url } from "../oauth/pkce.ts";
import { RateWindow } from "../rate_limit/rate_window.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import type { UserAuthFailure, UserAuthSuccess } from "./user_auth_outcome.ts";
import {
  type BrowserLoginBusy,
  DEFAULT_USER_AUTH_PAGES,
  USER_AUTH_PAGE_HEADERS,
  type UserAuthPages,
} from "./user_auth_pages.ts";
import { USER_AUTH_CALLBACK_PATH, type UserAuthService } from "./user_auth_service.ts";

/** The request as the user-authorization routes read it (a Hono `Context` is one). */
export interface UserAuthRouteRequest {
  /** The request. */
  req: {
    /** A query parameter. */
    query(name: string): string | undefined;
    /** A request header. */
    header(name: string): string | undefined;
  };
}

/** Where {@linkcode registerUserAuthRoutes} adds its routes: any Hono app is one. */
export interface UserAuthRouteHost {
  /** Handle `GET path`. */
  get(path: string, handler: (c: UserAuthRouteRequest) => Promise<Response>): unknown;
}

/** Path of the browser-login page (default of {@linkcode BrowserLoginRoute.path}). */
export const USER_AUTH_START_PATH = "/auth/start";
/** Cookie that binds a browser login to the browser that started it. */
export const USER_AUTH_BROWSER_COOKIE = "fk_oauth";

/** A browser-login page: the user opens it, it sends them to Feishu's authorize page. */
export interface BrowserLoginRoute {
  /** The app the user authorizes. */
  appId: string;
  /** Path of the page (default `/auth/start`). */
  path?: string;
  /** Which id the tokens are saved under (default `open_id`). */
  userIdType?: "open_id" | "user_id";
  /** Scopes (default the service's; `offline_access` is always added). */
  scopes?: readonly string[];
  /** Name of the browser-binding cookie (default `fk_oauth`). */
  cookieName?: string;
  /** `Secure` on the cookie (the public URL is https). */
  secureCookie?: boolean;
  /** Most authorizations waiting at once (default 500); beyond it the page answers 503. */
  maxPending?: number;
  /** Logins started per minute, all browsers together (default 60); beyond it 429. */
  startsPerMinute?: number;
  /** Time source of the rate limit (default the system clock). */
  clock?: Clock;
}

/** Options of {@linkcode registerUserAuthRoutes}; `T` is what `onAuthorized` returns. */
export interface UserAuthRoutesOptions<T = unknown> {
  /** Also serve a browser-login page (the user starts the authorization there, not from a message). */
  browserLogin?: BrowserLoginRoute;
  /**
   * Called once the tokens are saved (e.g. resume the user's waiting work);
   * its value goes to `pages.success`. A failure is logged; the page still
   * reports the saved authorization.
   */
  onAuthorized?: (done: UserAuthSuccess) => T | Promise<T>;
  /** Pages replacing the plain default ones. */
  pages?: Partial<UserAuthPages<T>>;
  /** Logger. */
  logger?: Logger;
}

/**
 * The user-authorization routes:
 * - `GET /auth/callback`: finishes a session ({@linkcode UserAuthService.complete},
 *   with the browser-binding cookie) and shows a Chinese result page — 200 on
 *   success; 400 for an unknown/used/expired state, a callback from another
 *   browser, a missing code or a refused exchange; 403 on denial; 502 when
 *   Feishu or the network failed (a new attempt may work);
 * - with `browserLogin`, `GET /auth/start` (or its `path`): starts a login for
 *   whoever opens it ({@linkcode UserAuthService.startBrowserLogin}) and shows a
 *   page linking to Feishu's authorize page. The state is bound to the browser
 *   by an HttpOnly, SameSite=Lax cookie (one per browser, kept across tabs;
 *   the session keeps only its hash). At most `maxPending` logins wait at once
 *   (503 beyond) and `startsPerMinute` start per minute (429 beyond).
 *
 * The routes are GET only and change nothing but single-use sessions; the
 * caller's front door checks `Host` (and `Origin` for state-changing requests).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { registerUserAuthRoutes } from "./user_auth_routes.ts";
 * import type { UserAuthService } from "./user_auth_service.ts";
 *
 * declare const auth: UserAuthService;
 * const app = new Hono();
 * registerUserAuthRoutes(app, auth, {
 *   browserLogin: { appId: "cli_x", userIdType: "user_id" },
 *   onAuthorized: (done) => console.log(`${done.user.name} 授权成功`),
 * });
 * ```
 */
export function registerUserAuthRoutes<T = unknown>(
  app: UserAuthRouteHost,
  service: UserAuthService,
  options: UserAuthRoutesOptions<T> = {},
): void {
  const log = options.logger ?? silentLogger;
  const pages: UserAuthPages<T> = { ...DEFAULT_USER_AUTH_PAGES, ...options.pages };
  const cookieName = options.browserLogin?.cookieName ?? USER_AUTH_BROWSER_COOKIE;

  app.get(USER_AUTH_CALLBACK_PATH, async (c) => {
    const outcome = await service.complete({
      state: c.req.query("state"),
      code: c.req.query("code"),
      error: c.req.query("error"),
      browser: readCookie(c.req.header("cookie"), cookieName),
    });
    if (!outcome.ok) return html(pages.failure(outcome), failureStatus(outcome));
    let after: T | undefined;
    try {
      after = await options.onAuthorized?.(outcome);
    } catch (e) {
      log.error("user_auth.on_authorized_failed", { session_id: outcome.session.id, error: e });
    }
    return html(pages.success(outcome, after), 200);
  });

  if (options.browserLogin) registerBrowserLogin(app, service, options.browserLogin, pages, log);
}

function registerBrowserLogin<T>(
  app: UserAuthRouteHost,
  service: UserAuthService,
  o: BrowserLoginRoute,
  pages: UserAuthPages<T>,
  log: Logger,
): void {
  const cookieName = o.cookieName ?? USER_AUTH_BROWSER_COOKIE;
  const starts = new RateWindow({
    limit: o.startsPerMinute ?? 60,
    windowMs: 60_000,
    clock: o.clock ?? systemClock,
  });
  const busy = (reason: BrowserLoginBusy) => {
    log.warn("user_auth.browser_busy", { reason });
    return html(pages.busy(reason), reason === "too_many_pending" ? 503 : 429, { "retry-after": "60" });
  };
  app.get(o.path ?? USER_AUTH_START_PATH, async (c: UserAuthRouteRequest) => {
    if (service.pendingCount(o.appId) >= (o.maxPending ?? 500)) return busy("too_many_pending");
    if (!starts.tryHit()) return busy("rate_limited");
    // One binding per browser (kept across tabs); a malformed cookie is replaced.
    const old = readCookie(c.req.header("cookie"), cookieName);
    const browser = old && /^[\w-]{32,128}$/.test(old) ? old : randomBase64Url(32);
    const login = await service.startBrowserLogin(o.appId, {
      browser,
      userIdType: o.userIdType,
      scopes: o.scopes,
    });
    const secure = o.secureCookie ? "; Secure" : "";
    // SameSite=Lax: the browser sends it on Feishu's top-level redirect back to the callback.
    const cookie = `${cookieName}=${browser}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${
      Math.floor(service.ttlMs / 1000)
    }${secure}`;
    return html(pages.start(login.authorizeUrl, o.scopes ?? []), 200, { "set-cookie": cookie });
  });
}

function failureStatus(outcome: UserAuthFailure): number {
  if (outcome.reason === "denied") return 403;
  return outcome.reason === "failed" && outcome.retryable ? 502 : 400;
}

function html(body: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...USER_AUTH_PAGE_HEADERS, ...extra } });
}
