import { BadRequestError } from "../errors/bad_request_error.ts";

/**
 * Scopes the meeting archiver asks users for: read their meeting recordings,
 * read minutes and export their media, and `offline_access` for a refresh token.
 */
export const MEETING_ARCHIVER_SCOPES: readonly string[] = [
  "vc:record:readonly",
  "minutes:minutes:readonly",
  "minutes:minutes.media:export",
  "offline_access",
];

/** What {@linkcode buildAuthorizeUrl} needs. */
export interface AuthorizeUrlInput {
  /** App id (`client_id`). */
  appId: string;
  /** Callback URL; must be registered under the app's Security settings → Redirect URLs (else 20029). */
  redirectUri: string;
  /** Scopes (space-joined, ≤ 50); `offline_access` is added when missing. */
  scopes?: readonly string[];
  /** Anti-CSRF state: random, single use (lib/user_auth binds it to a session). */
  state: string;
  /** Accounts origin (default `https://accounts.feishu.cn`; Lark: `https://accounts.larksuite.com`; the sandbox's URL). */
  accountsBaseUrl?: string;
  /** `consent` forces the consent page. */
  prompt?: "consent";
  /** PKCE challenge (S256 recommended). */
  codeChallenge?: string;
  /** PKCE method (default `S256` when a challenge is given). */
  codeChallengeMethod?: "S256" | "plain";
}

/**
 * The user-authorization URL, `GET {accounts}/open-apis/authen/v1/authorize`
 * with `client_id`, `response_type=code`, `redirect_uri`, `scope` (always
 * including `offline_access`, so a refresh token is issued) and `state`.
 *
 * @example
 * ```ts
 * declare const appId: string, state: string;
 * const url = buildAuthorizeUrl({ appId, redirectUri: "https://archiver.example.com/auth/callback", state });
 * ```
 */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const scopes = [...new Set([...(input.scopes ?? MEETING_ARCHIVER_SCOPES), "offline_access"])];
  if (scopes.length > 50) {
    throw new BadRequestError(`${scopes.length} scopes requested, at most 50`, {
      hint: "一次授权最多申请 50 个权限，请精简配置中的 scopes。",
    });
  }
  if (!input.state) {
    throw new BadRequestError("state is required", { hint: "授权链接缺少 state（防 CSRF）。" });
  }
  const url = new URL(
    "/open-apis/authen/v1/authorize",
    input.accountsBaseUrl ?? "https://accounts.feishu.cn",
  );
  url.searchParams.set("client_id", input.appId);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("scope", scopes.join(" "));
  url.searchParams.set("state", input.state);
  if (input.prompt) url.searchParams.set("prompt", input.prompt);
  if (input.codeChallenge) {
    url.searchParams.set("code_challenge", input.codeChallenge);
    url.searchParams.set("code_challenge_method", input.codeChallengeMethod ?? "S256");
  }
  return url.href;
}
