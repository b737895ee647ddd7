import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import type { Clock } from "../../../lib/time/clock.ts";
import {
  registerUserAuthRoutes,
  USER_AUTH_BROWSER_COOKIE,
  USER_AUTH_CALLBACK_PATH,
  USER_AUTH_START_PATH,
  type UserAuthRouteHost,
  type UserAuthService,
} from "../../../lib/user_auth/mod.ts";
import type { MeetingWorker } from "../worker.ts";
import { meetingAuthPages } from "./_auth_pages.ts";
import { joinUrl } from "./_paths.ts";

/** Path of the page with the 「授权开启」 button. */
export const AUTH_START_PATH: string = USER_AUTH_START_PATH;
/** Path Feishu redirects back to (register `{public_base_url}/auth/callback` in the app's Redirect URLs). */
export const AUTH_CALLBACK_PATH: string = USER_AUTH_CALLBACK_PATH;
/** Cookie that binds an authorization to the browser that started it. */
export const OAUTH_BROWSER_COOKIE: string = USER_AUTH_BROWSER_COOKIE;

/** What {@linkcode registerAuthRoutes} needs. */
export interface AuthRoutesOptions {
  /** The core's user authorization (sessions in `state.db`, tokens through the token manager). */
  userAuth: UserAuthService;
  /** The app users authorize (`app.app_id`). */
  appId: string;
  /** Where users' browsers reach the service (`server.public_base_url`). */
  publicBaseUrl: string;
  /** Scopes asked for (`oauth.scopes`, `offline_access` always included). */
  scopes: readonly string[];
  /** Most authorizations waiting for a callback at once (default 500); beyond it `/auth/start` answers 503. */
  maxPendingStates?: number;
  /** Authorization starts allowed per minute, all browsers together (default 60); beyond it 429. */
  maxStartsPerMinute?: number;
  /** `Secure` on the browser-binding cookie (the public URL is https). */
  secureCookies?: boolean;
  /** Time source (rate limit). */
  clock?: Clock;
  /** Resumes the user's waiting jobs (automatic back-fill). */
  worker: Pick<MeetingWorker, "resumeUser">;
  /** Logger (user ids and outcomes; never a code or token). */
  logger?: Logger;
}

/**
 * The archiver's user-authorization pages, mounted from lib/user_auth's
 * routes (browser login, one session per start, 10 min, state bound to the
 * browser by the `fk_oauth` cookie, capped and rate-limited):
 * - `GET /auth/start`: a Chinese page whose 「授权开启」 button opens Feishu's
 *   authorize page (PKCE S256, the configured scopes plus `offline_access`);
 * - `GET /auth/callback`: the tokens are saved under the user's tenant
 *   `user_id` through the token manager, then every job waiting for that user
 *   resumes; the success page says how many.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { MeetingConfig } from "../config.ts";
 *
 * declare const config: MeetingConfig;
 * declare const { userAuth, worker }: AuthRoutesOptions;
 * const app = new Hono();
 * registerAuthRoutes(app, {
 *   userAuth,
 *   appId: config.app.app_id,
 *   publicBaseUrl: config.server.public_base_url,
 *   scopes: config.oauth.scopes,
 *   worker,
 * });
 * ```
 */
export function registerAuthRoutes(app: UserAuthRouteHost, o: AuthRoutesOptions): void {
  const log = o.logger ?? silentLogger;
  const startUrl = joinUrl(o.publicBaseUrl, AUTH_START_PATH);
  registerUserAuthRoutes<number>(app, o.userAuth, {
    browserLogin: {
      appId: o.appId,
      userIdType: "user_id",
      scopes: o.scopes,
      cookieName: OAUTH_BROWSER_COOKIE,
      secureCookie: o.secureCookies,
      maxPending: o.maxPendingStates,
      startsPerMinute: o.maxStartsPerMinute,
      clock: o.clock,
    },
    onAuthorized: (done) => {
      const resumed = o.worker.resumeUser(done.userId).length;
      log.info("oauth.authorized", { user_id: done.userId, resumed });
      return resumed;
    },
    pages: meetingAuthPages(startUrl, Math.round(o.userAuth.ttlMs / 60_000)),
    logger: log,
  });
}
