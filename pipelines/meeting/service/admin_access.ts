import { readCookie } from "../../../lib/http/read_cookie.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import { box, htmlResponse, page } from "./_html.ts";
import { RateWindow } from "../../../lib/rate_limit/rate_window.ts";
import { type AccessPolicy, normalizeHost } from "./access_policy.ts";
import { tokenMatches } from "./admin_token.ts";
import type { MeetingContext, MeetingRoutes } from "./meeting_routes.ts";

/** Path of the admin login form (browser access to the status page). */
export const LOGIN_PATH = "/login";
/** Name of the admin session cookie (HttpOnly, SameSite=Strict). */
export const ADMIN_COOKIE = "fk_admin";

/** What {@linkcode registerAdminAccess} needs. */
export interface AdminAccessOptions {
  /** Hosts, origins and the admin token. */
  policy: AccessPolicy;
  /** Paths served without the admin token (Feishu's webhook, the users' OAuth pages, the health check). */
  publicPaths: readonly string[];
  /** Paths whose POSTs come from servers, not browsers, so carry no `Origin` to check (Feishu's webhook). */
  originExemptPaths: readonly string[];
  /** Session lifetime, ms (default 12 h). */
  sessionMs?: number;
  /** Failed logins allowed per minute before 429 (default 10). */
  maxFailuresPerMinute?: number;
  /** Time source (sessions, login throttle). */
  clock?: Clock;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const MAX_SESSIONS = 64;

/**
 * The service's front door, installed before every route:
 *
 * 1. `Host` must be on the policy's allow-list (421 otherwise), on every route;
 * 2. a state-changing request (not GET/HEAD/OPTIONS) must come from one of the
 *    configured origins — an `Origin` header elsewhere, or a cross-site
 *    `Sec-Fetch-Site`, is 403; Feishu's webhook is exempt (it has its own checks);
 * 3. when the service is exposed beyond loopback, every path but the public
 *    ones needs the admin token: `Authorization: Bearer <token>`, or the
 *    session cookie that `POST /login` sets (HttpOnly, SameSite=Strict,
 *    12 h). A browser without it gets the login form (401).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { AccessPolicy } from "./access_policy.ts";
 * import { AUTH_CALLBACK_PATH, AUTH_START_PATH } from "./auth_routes.ts";
 * import { WEBHOOK_PATH } from "./webhook_route.ts";
 *
 * declare const policy: AccessPolicy; // securityPreflight's result
 * const app = new Hono();
 * registerAdminAccess(app, {
 *   policy,
 *   publicPaths: [WEBHOOK_PATH, AUTH_START_PATH, AUTH_CALLBACK_PATH, "/healthz"],
 *   originExemptPaths: [WEBHOOK_PATH],
 * });
 * // then the routes it guards: registerWebhookRoute, registerAuthRoutes, registerStatusRoutes
 * ```
 */
export function registerAdminAccess(app: MeetingRoutes, o: AdminAccessOptions): void {
  const clock = o.clock ?? systemClock;
  const sessionMs = o.sessionMs ?? 12 * 3_600_000;
  const sessions = new Map<string, number>();
  const failures = new RateWindow({ limit: o.maxFailuresPerMinute ?? 10, windowMs: 60_000, clock });
  const open = new Set([...o.publicPaths, LOGIN_PATH]);
  const token = o.policy.adminToken;

  const sessionOk = (c: MeetingContext) => {
    const id = readCookie(c.req.header("cookie"), ADMIN_COOKIE);
    const until = id ? sessions.get(id) : undefined;
    return until !== undefined && until > clock.now();
  };
  const bearerOk = async (c: MeetingContext) => {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    return !!(m && token && await tokenMatches(m[1], token));
  };

  app.use("*", async (c, next) => {
    if (!o.policy.hosts.has(normalizeHost(c.req.header("host")))) {
      return c.text(
        "拒绝访问：请求的主机名不在本服务的允许列表中（server.public_base_url / server.allowed_hosts）。",
        421,
      );
    }
    const path = new URL(c.req.url).pathname;
    const bearer = await bearerOk(c);
    const unsafe = !SAFE_METHODS.has(c.req.method);
    if (unsafe && !o.originExemptPaths.includes(path) && !sameOrigin(c, o.policy.origins, bearer)) {
      return c.text("拒绝跨站请求：请求来源（Origin）不是本服务。", 403);
    }
    if (!token || open.has(path) || bearer || sessionOk(c)) return await next();
    if (c.req.method === "GET" && (c.req.header("accept") ?? "").includes("text/html")) {
      return htmlResponse(loginPage(false), 401);
    }
    c.header("www-authenticate", 'Bearer realm="feishu-kit meeting"');
    return c.text("需要管理令牌：请求头 Authorization: Bearer <管理令牌>，或在浏览器中登录。", 401);
  });

  app.get(
    LOGIN_PATH,
    (c) => token ? htmlResponse(loginPage(false)) : c.text("本服务只在本机可访问，无需登录。", 404),
  );
  app.post(LOGIN_PATH, async (c) => {
    if (!token) return c.text("本服务只在本机可访问，无需登录。", 404);
    if (failures.count() >= failures.limit) return c.text("登录失败次数过多，请一分钟后再试。", 429);
    const body = await smallBody(c.req.raw, 4096);
    if (body === undefined) return c.text("请求过大。", 413);
    const presented = new URLSearchParams(body).get("token")?.trim() ?? "";
    if (!await tokenMatches(presented, token)) {
      failures.hit();
      return htmlResponse(loginPage(true), 401);
    }
    const now = clock.now();
    for (const [id, until] of sessions) {
      if (until <= now || sessions.size >= MAX_SESSIONS) sessions.delete(id);
    }
    const id = crypto.getRandomValues(new Uint8Array(32)).toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
    sessions.set(id, now + sessionMs);
    const secure = o.policy.secureCookies ? "; Secure" : "";
    c.header(
      "set-cookie",
      `${ADMIN_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${
        Math.floor(sessionMs / 1000)
      }${secure}`,
    );
    // Relative, so it also works behind a proxy that serves the service under a path prefix.
    return c.redirect("status", 303);
  });
}

/** A state-changing request's origin: listed `Origin`; without one, not cross-site and not cookie-only. */
function sameOrigin(c: MeetingContext, origins: ReadonlySet<string>, bearer: boolean): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origins.has(origin.toLowerCase());
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  // Browsers send Origin with every POST; its absence means a non-browser client,
  // which proves itself with the bearer token (or needs none on a loopback-only service).
  return bearer || readCookie(c.req.header("cookie"), ADMIN_COOKIE) === undefined;
}

/** A form body of at most `max` bytes as text (undefined when larger; read no further). */
async function smallBody(request: Request, max: number): Promise<string | undefined> {
  if (Number(request.headers.get("content-length") ?? "0") > max) return undefined;
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of request.body ?? []) {
    size += part.length;
    if (size > max) return undefined;
    parts.push(part);
  }
  const all = new Uint8Array(size);
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return new TextDecoder().decode(all);
}

function loginPage(failed: boolean): string {
  const lines = failed ? ["管理令牌不正确，请重试。"] : [
    "本服务可从本机以外访问，状态页与操作需要管理令牌。",
    "管理令牌在首次启动时显示一次；也可以在配置 server.admin_token（或环境变量 FEISHU_MEETING_ADMIN_TOKEN）中指定。",
  ];
  const form = `<form method="post" action="login"><p><input type="password" name="token" ` +
    `autocomplete="current-password" placeholder="管理令牌" style="width:60%;padding:8px" required> ` +
    `<button class="btn small">登录</button></p></form>`;
  return page("会议录制自动归档 · 管理登录", box(failed ? "error" : "info", lines, form));
}
