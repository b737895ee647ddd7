/**
 * Request guards shared by route modules: Bearer tenant token, CLM session
 * cookie and rate limits. Each returns either what it checked or the
 * `Response` that refuses the request.
 *
 * @module
 */
import { CLM_ERRORS, CLM_PATHS } from "./clm/shapes.ts";
import { getCookie } from "hono/cookie";
import type { SandboxContext } from "./_env.ts";
import { loginPageHtml } from "./_pages.ts";
import { MSG_INVALID_TOKEN, MSG_MISSING_TOKEN, openApiError, sendJson, throttled } from "./_respond.ts";
import type { SandboxState } from "./state.ts";
import type { TokenRecord } from "./auth/tokens.ts";

/** Name of the CLM session cookie. */
export const SESSION_COOKIE = "session";

/**
 * Require `Authorization: Bearer <tenant_access_token>`.
 * - header missing, empty, or without the `Bearer ` prefix → 99991661 (probe P06/P08);
 * - a user-token shape (`eyJ…` / `u-…`) → 99991668 (probe P09);
 * - unknown, expired, revoked or app token → 99991663 (probe P07); all HTTP 400.
 */
export function requireTenantToken(c: SandboxContext, state: SandboxState): TokenRecord | Response {
  const match = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
  if (!match) return openApiError(c, state.clock, 400, 99991661, MSG_MISSING_TOKEN);
  const token = match[1];
  if (token.startsWith("eyJ") || token.startsWith("u-")) {
    return openApiError(c, state.clock, 400, 99991668, MSG_INVALID_TOKEN);
  }
  const check = state.tokens.check(token, "tenant");
  if (!check.ok) return openApiError(c, state.clock, 400, 99991663, MSG_INVALID_TOKEN);
  const entry = c.get("entry");
  if (entry) entry.appId = check.record.appId;
  return check.record;
}

/**
 * Charge one request of `key` to the endpoint's limit (and, for Open
 * Platform endpoints, the app's `"global"` budget); a 429 when over.
 */
export function enforceRateLimit(
  c: SandboxContext,
  state: SandboxState,
  key: string,
): Response | undefined {
  const info = c.get("endpoint");
  if (!info) return undefined;
  const decision = state.rateLimits.hit(key, info.name, info.family !== "clm");
  if (decision.ok) return undefined;
  return throttled(c, state.clock, info.family, decision.limit, decision.resetSec);
}

/** Require a valid CLM `session` cookie; otherwise answer as a logged-out web app. */
export function requireSession(c: SandboxContext, state: SandboxState): string | Response {
  const value = getCookie(c, SESSION_COOKIE);
  if (value === undefined || !state.sessions.isValid(value)) return loggedOut(c, state);
  return value;
}

/** The logged-out answer, in the style chosen by `faults.setLoggedOutStyle()`. */
export function loggedOut(c: SandboxContext, state: SandboxState): Response {
  const here = c.req.url;
  switch (state.faults.loggedOutStyle) {
    case "redirect_302": {
      const login = new URL(CLM_PATHS.loginPage, here);
      login.searchParams.set("redirect_uri", here);
      return new Response(null, { status: 302, headers: { location: login.toString() } });
    }
    case "html_200":
      return new Response(loginPageHtml(here), {
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    case "json_200":
      // Seen on another Feishu web API (space/api) when logged out: HTTP 200 + code 5.
      return sendJson(c, state.clock, { code: 5, msg: "Login Required", data: {} });
    default: {
      // UNCONFIRMED (clm/shapes.ts): code 10001 and this message; HTTP 401 like most web apps' XHR endpoints.
      const answer = CLM_ERRORS.loggedOut();
      return sendJson(c, state.clock, answer.body, answer.status);
    }
  }
}
