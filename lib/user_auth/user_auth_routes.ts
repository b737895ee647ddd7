import { USER_AUTH_CALLBACK_PATH, type UserAuthService } from "./user_auth_service.ts";

/** Where {@linkcode registerUserAuthRoutes} adds its route: any Hono app is one. */
export interface UserAuthRouteHost {
  /** Handle `GET path`: the handler reads query parameters and answers. */
  get(
    path: string,
    handler: (c: { req: { query(name: string): string | undefined } }) => Promise<Response>,
  ): unknown;
}

/**
 * `GET /auth/callback`: finishes a user-authorization session and shows a
 * Chinese result page (200 on success; 400 for an unknown/used/expired state
 * or a missing code, 403 on denial, 502 when the exchange failed).
 */
export function registerUserAuthRoutes(app: UserAuthRouteHost, service: UserAuthService): void {
  app.get(USER_AUTH_CALLBACK_PATH, async (c) => {
    const outcome = await service.complete({
      state: c.req.query("state"),
      code: c.req.query("code"),
      error: c.req.query("error"),
    });
    if (outcome.ok) {
      const extra = outcome.hasRefreshToken
        ? ""
        : "<p>注意：本次授权未包含 offline_access（长期授权），令牌过期后需要重新授权。</p>";
      return page("授权成功", `<p>授权成功，可以关闭本页面了。</p>${extra}`, 200);
    }
    const status = outcome.reason === "denied" ? 403 : outcome.reason === "failed" ? 502 : 400;
    return page("未完成授权", `<p>${escapeHtml(outcome.message)}</p>`, status);
  });
}

function page(title: string, body: string, status: number): Response {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
    `<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${title}</h1>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
