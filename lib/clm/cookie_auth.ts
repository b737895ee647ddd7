import type { AuthProvider } from "../auth/auth_provider.ts";

/**
 * Credentials of the contract.feishu.cn web app: the browser's cookie (and
 * any other captured headers such as a CSRF token). The label starts with
 * `cookie` so the HTTP client treats 401/403, login redirects and HTML pages
 * as an expired session (`SessionError`) instead of retrying.
 */
export function cookieAuth(cookie: string, extraHeaders: Record<string, string> = {}): AuthProvider {
  return {
    label: "cookie:clm",
    headers: () => Promise.resolve({ ...extraHeaders, Cookie: normaliseCookie(cookie) }),
  };
}

/** Accept `session=abc`, `Cookie: session=abc; x=y` or a bare value (taken as `session`). */
export function normaliseCookie(raw: string): string {
  let c = raw.trim().replace(/^cookie:\s*/i, "");
  if (c && !c.includes("=")) c = `session=${c}`;
  return c;
}
