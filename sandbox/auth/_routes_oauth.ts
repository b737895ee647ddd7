/**
 * User OAuth (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/get-user-access-token), served on the sandbox host
 * (the authorize page lives on accounts.feishu.cn in reality):
 * - `GET  /open-apis/authen/v1/authorize?client_id&redirect_uri&scope&state&response_type=code`
 *   → a Chinese consent page (user picker, "授权" / "拒绝"); a refused
 *   request (unknown app 20048, missing redirect_uri 20001, unregistered
 *   redirect_uri 20029, `response_type` other than `code`) → HTML error page, HTTP 400;
 * - `POST /open-apis/authen/v1/authorize` (the page's form; sandbox only)
 *   → 302 to `redirect_uri?code=…&state=…` or `?error=access_denied&state=…`;
 * - `POST /open-apis/authen/v2/oauth/token` (see `_oauth_token.ts`);
 * - `GET  /open-apis/authen/v1/user_info` (user token only; a tenant token → 99991663);
 *   `user_id`, email, mobile and `employee_no` only with their field scopes
 *   granted (see `scopes.ts`).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { callerFieldGrants, requireCaller } from "./_bearer.ts";
import { withoutUngrantedFields } from "./scopes.ts";
import { type AuthorizeInput, checkAuthorize } from "./_authorize.ts";
import { AUTHORIZE_PATH, OAUTH_TOKEN_PATH, USER_INFO_PATH } from "./endpoints.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { authorizeErrorHtml, consentPageHtml } from "./_oauth_pages.ts";
import { oauthToken } from "./_oauth_token.ts";

const FIELDS = [
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
] as const;

/** Register the OAuth endpoints. */
export function registerOAuthRoutes(app: SandboxApp, family: MeetingFamily): void {
  const state = family.state;
  app.get(AUTHORIZE_PATH, endpoint(state, "oauth_authorize"), (c) => authorizePage(c, family));
  app.post(AUTHORIZE_PATH, endpoint(state, "oauth_consent"), (c) => consent(c, family));
  app.post(OAUTH_TOKEN_PATH, endpoint(state, "oauth_token"), (c) => oauthToken(c, family));
  app.get(USER_INFO_PATH, endpoint(state, "user_info"), (c) => userInfo(c, family));
}

function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

function pick(get: (key: string) => string | undefined): Partial<AuthorizeInput> {
  const out: Record<string, string> = {};
  for (const key of FIELDS) {
    const v = get(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function authorizePage(c: SandboxContext, family: MeetingFamily): Response {
  const input = pick((k) => c.req.query(k));
  const responseType = c.req.query("response_type");
  if (responseType !== undefined && responseType !== "code") {
    return html(authorizeErrorHtml(20001, `response_type 只能是 code，收到：${responseType}`), 400);
  }
  if (!input.client_id) return html(authorizeErrorHtml(20001, "缺少参数 client_id"), 400);
  const checked = checkAuthorize(family, input, "");
  if ("error" in checked) return html(authorizeErrorHtml(checked.error.code, checked.error.message), 400);
  const entry = c.get("entry");
  if (entry) entry.appId = checked.appId;
  return html(consentPageHtml({
    appId: checked.appId,
    scopes: (input.scope ?? "").split(/\s+/).filter((s) => s !== ""),
    users: family.directory.users,
    hidden: input,
    action: AUTHORIZE_PATH,
  }));
}

async function consent(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const form = new URLSearchParams(await c.req.text());
  const input = pick((k) => form.get(k) ?? undefined);
  const checked = checkAuthorize(family, input, "");
  if ("error" in checked) return html(authorizeErrorHtml(checked.error.code, checked.error.message), 400);
  const entry = c.get("entry");
  if (entry) entry.appId = checked.appId;
  if (form.get("decision") !== "approve") return c.redirect(checked.deny(), 302);
  const user = family.directory.user(form.get("user_id") ?? "");
  if (!user) return html(authorizeErrorHtml(20008, "用户不存在"), 400);
  return c.redirect(checked.approve(user).callback_url, 302);
}

function userInfo(c: SandboxContext, family: MeetingFamily): Response {
  const caller = requireCaller(c, family, { tenant: false, user: true });
  if (caller instanceof Response) return caller;
  if (caller.kind !== "user") throw new Error("unreachable: tenant caller on a user-only endpoint");
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const u = caller.user;
  const avatar = `https://s1-imfile.feishucdn.com/static-resource/v1/sandbox-${u.userId}~?image_size=72x72`;
  return sendJson(c, family.state.clock, {
    code: 0,
    msg: "success",
    data: withoutUngrantedFields({
      name: u.name,
      en_name: u.enName,
      avatar_url: avatar,
      avatar_thumb: avatar,
      avatar_middle: avatar,
      avatar_big: avatar,
      open_id: u.openId,
      union_id: u.unionId,
      email: u.email,
      enterprise_email: u.email,
      user_id: u.userId,
      mobile: u.mobile,
      tenant_key: family.directory.tenantKey,
      employee_no: u.employeeNo,
    }, callerFieldGrants(family, caller)),
  });
}
