/**
 * The checks of the authorize step (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/get-user-access-token), shared
 * by the consent page and the `POST /__sandbox/meeting/authorize` control
 * call: known `client_id` (else 20048), `redirect_uri` present (20001) and,
 * when `redirectUris` is configured, registered (20029), PKCE method
 * `S256`/`plain`. Approval redirects to `redirect_uri?code=…&state=…`,
 * denial to `redirect_uri?error=access_denied&state=…`.
 *
 * @module
 */
import type { SandboxUser } from "../contact/directory.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";

/** Scopes the control call grants when none are given. */
export const DEFAULT_GRANTED_SCOPE =
  "offline_access vc:record:readonly minutes:minutes:readonly minutes:minutes.media:export contact:user.base:readonly";

/** Input of an authorization (query of the page, or body of the control call). */
export interface AuthorizeInput {
  /** The approving user, any id kind (control call; the page has a picker). */
  user_id: string;
  /** Where to send the browser back. */
  redirect_uri: string;
  /** App id (default the first configured app). */
  client_id?: string;
  /** Space-separated scopes (control call default: {@linkcode DEFAULT_GRANTED_SCOPE}). */
  scope?: string;
  /** Echoed back. */
  state?: string;
  /** PKCE challenge. */
  code_challenge?: string;
  /** PKCE method, `S256` or `plain` (default `plain` when a challenge is given). */
  code_challenge_method?: string;
}

/** Result of an approval. */
export interface AuthorizeResult {
  /** The authorization code. */
  code: string;
  /** `redirect_uri` with `code` and `state`. */
  callback_url: string;
}

/** Refusal of the authorize step. */
export interface AuthorizeError {
  /** Feishu error code. */
  code: number;
  /** Chinese explanation. */
  message: string;
}

/** Outcome of {@linkcode checkAuthorize}. */
export type AuthorizeCheck =
  | { error: AuthorizeError }
  | { approve(user: SandboxUser): AuthorizeResult; deny(): string; appId: string };

/** Validate an authorization request; on success, functions to approve or deny it. */
export function checkAuthorize(
  family: MeetingFamily,
  input: Partial<AuthorizeInput>,
  defaultScope = DEFAULT_GRANTED_SCOPE,
): AuthorizeCheck {
  const appId = input.client_id || family.state.options.apps[0].appId;
  if (!family.state.app(appId)) return { error: { code: 20048, message: `应用不存在：${appId}` } };
  const redirectUri = input.redirect_uri;
  if (!redirectUri) return { error: { code: 20001, message: "缺少参数 redirect_uri" } };
  if (!URL.canParse(redirectUri)) {
    return { error: { code: 20029, message: `redirect_uri 不是合法的 URL：${redirectUri}` } };
  }
  const allowed = family.options.redirectUris;
  if (allowed && !allowed.includes(redirectUri)) {
    return {
      error: { code: 20029, message: `redirect_uri 未在应用的“安全设置 → 重定向 URL”中登记：${redirectUri}` },
    };
  }
  const method = input.code_challenge ? input.code_challenge_method || "plain" : undefined;
  if (method && method !== "S256" && method !== "plain") {
    return { error: { code: 20001, message: `不支持的 code_challenge_method：${method}` } };
  }
  const scope = (input.scope ?? defaultScope).split(/\s+/).filter((s) => s !== "");
  const back = (params: Record<string, string>) => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    if (input.state !== undefined) url.searchParams.set("state", input.state);
    return url.toString();
  };
  return {
    appId,
    approve(user) {
      const record = family.userTokens.newCode({
        appId,
        openId: user.openId,
        redirectUri,
        scope: [...new Set(scope)],
        codeChallenge: input.code_challenge,
        codeChallengeMethod: method,
      });
      return { code: record.code, callback_url: back({ code: record.code }) };
    },
    deny: () => back({ error: "access_denied" }),
  };
}
