/**
 * `POST /open-apis/authen/v2/oauth/token` (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/get-user-access-token):
 * `authorization_code` and `refresh_token` grants, JSON or
 * `application/x-www-form-urlencoded` bodies (client secret in the body or
 * HTTP Basic — both → 20070). Flat answers; failures are
 * `{code, error, error_description}` with HTTP 400:
 * 20001 missing parameter, 20063 unreadable body, 20036 bad grant_type,
 * 20048 unknown app, 20002 wrong secret, 20003 unknown code, 20065 code
 * already used, 20004 code expired, 20024 code/refresh of another app,
 * 20071 redirect_uri mismatch, 20049 PKCE failed, 20067/20068 scope errors,
 * 20026 unknown refresh token, 20073 refresh token already used (rotation),
 * 20064 refresh token revoked, 20037 refresh token expired. The RFC 6749
 * `error` names per code are an ASSUMPTION.
 *
 * @module
 */
import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { sendJson } from "../_respond.ts";
import { sha256Base64Url } from "./_pkce.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import type { IssuedUserTokens, UserTokenProblem } from "./user_tokens.ts";

const OAUTH_ERRORS: Record<number, [string, string]> = {
  20001: ["invalid_request", "缺少必填参数"],
  20002: ["invalid_client", "client_secret 错误"],
  20003: ["invalid_grant", "授权码不存在"],
  20004: ["invalid_grant", "授权码已过期"],
  20024: ["invalid_grant", "授权码或 refresh_token 不属于该应用"],
  20026: ["invalid_grant", "refresh_token 无效"],
  20036: ["unsupported_grant_type", "不支持的 grant_type"],
  20037: ["invalid_grant", "refresh_token 已过期"],
  20048: ["invalid_client", "应用不存在"],
  20049: ["invalid_grant", "PKCE 校验失败"],
  20063: ["invalid_request", "请求体格式错误"],
  20064: ["invalid_grant", "refresh_token 已被撤销"],
  20065: ["invalid_grant", "授权码已被使用"],
  20067: ["invalid_scope", "scope 中有重复项"],
  20068: ["invalid_scope", "scope 含有未授权的权限"],
  20070: ["invalid_request", "不能同时使用两种客户端认证方式"],
  20071: ["invalid_grant", "redirect_uri 与授权时不一致"],
  20073: ["invalid_grant", "refresh_token 已被使用"],
};

function oauthError(c: SandboxContext, family: MeetingFamily, code: number, detail?: string): Response {
  const [error, description] = OAUTH_ERRORS[code];
  return sendJson(c, family.state.clock, {
    code,
    error,
    error_description: detail ? `${description}：${detail}` : description,
  }, 400);
}

async function readParams(c: SandboxContext): Promise<Record<string, string> | undefined> {
  const text = await c.req.text();
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const body = JSON.parse(text);
    if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]),
    );
  } catch {
    return undefined;
  }
}

/** Requested down-scoping: the subset, or a refusal code. */
function narrowScope(requested: string | undefined, granted: string[]): string[] | number {
  if (!requested) return granted;
  const list = requested.split(/\s+/).filter((s) => s !== "");
  if (new Set(list).size !== list.length) return 20067;
  if (list.some((s) => !granted.includes(s))) return 20068;
  return list;
}

/** Answer the v2 token endpoint. */
export async function oauthToken(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const clock = family.state.clock;
  const p = await readParams(c);
  if (!p) return oauthError(c, family, 20063);
  const basic = /^Basic +(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (basic) {
    if (p.client_secret) return oauthError(c, family, 20070);
    let decoded: string;
    try {
      decoded = atob(basic[1]);
    } catch {
      return oauthError(c, family, 20063, "Authorization");
    }
    const colon = decoded.indexOf(":");
    p.client_id ??= colon < 0 ? decoded : decoded.slice(0, colon);
    p.client_secret = colon < 0 ? "" : decoded.slice(colon + 1);
  }
  for (const field of ["grant_type", "client_id", "client_secret"]) {
    if (!p[field]) return oauthError(c, family, 20001, field);
  }
  if (p.grant_type !== "authorization_code" && p.grant_type !== "refresh_token") {
    return oauthError(c, family, 20036, p.grant_type);
  }
  const app = family.state.app(p.client_id);
  if (!app) return oauthError(c, family, 20048, p.client_id);
  const entry = c.get("entry");
  if (entry) entry.appId = app.appId;
  if (app.appSecret !== p.client_secret) return oauthError(c, family, 20002);
  const limited = enforceRateLimit(c, family.state, app.appId);
  if (limited) return limited;

  let issued: IssuedUserTokens;
  if (p.grant_type === "authorization_code") {
    if (!p.code) return oauthError(c, family, 20001, "code");
    const redeemed = family.userTokens.redeemCode(p.code);
    if (!redeemed.ok) {
      return oauthError(c, family, redeemed.reason === "used" ? 20065 : codeProblem(redeemed.reason));
    }
    const code = redeemed.record;
    if (code.appId !== app.appId) return oauthError(c, family, 20024);
    if (p.redirect_uri !== undefined && p.redirect_uri !== code.redirectUri) {
      return oauthError(c, family, 20071);
    }
    if (code.codeChallenge !== undefined) {
      const verifier = p.code_verifier ?? "";
      const expected = code.codeChallengeMethod === "S256" ? await sha256Base64Url(verifier) : verifier;
      if (verifier.length < 43 || verifier.length > 128 || expected !== code.codeChallenge) {
        return oauthError(c, family, 20049);
      }
    }
    const scope = narrowScope(p.scope, code.scope);
    if (typeof scope === "number") return oauthError(c, family, scope);
    issued = family.userTokens.issue(app.appId, code.openId, scope, clock.now());
  } else {
    if (!p.refresh_token) return oauthError(c, family, 20001, "refresh_token");
    const known = family.userTokens.peek(p.refresh_token);
    if (known && known.kind === "refresh" && known.appId !== app.appId) return oauthError(c, family, 20024);
    const used = family.userTokens.useRefresh(p.refresh_token);
    if (!used.ok) return oauthError(c, family, refreshProblem(used.reason));
    const scope = narrowScope(p.scope, used.record.scope);
    if (typeof scope === "number") return oauthError(c, family, scope);
    issued = family.userTokens.issue(app.appId, used.record.openId, scope, used.record.authorizedAt);
  }
  const body: Record<string, unknown> = {
    code: 0,
    access_token: issued.access.value,
    expires_in: Math.floor((issued.access.expiresAt - issued.access.issuedAt) / 1000),
  };
  if (issued.refresh) {
    body.refresh_token = issued.refresh.value;
    body.refresh_token_expires_in = Math.floor((issued.refresh.expiresAt - issued.refresh.issuedAt) / 1000);
  }
  body.token_type = "Bearer";
  body.scope = issued.access.scope.join(" ");
  return sendJson(c, clock, body);
}

function codeProblem(reason: UserTokenProblem): number {
  return reason === "expired" ? 20004 : 20003;
}

function refreshProblem(reason: UserTokenProblem): number {
  switch (reason) {
    case "used":
      return 20073;
    case "revoked":
      return 20064;
    case "expired":
      return 20037;
    default:
      return 20026;
  }
}
