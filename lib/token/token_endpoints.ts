/** App credentials, as resolved from configuration. */
export interface AppCredentials {
  /** App ID (`cli_…`). */
  appId: string;
  /** App Secret. Never logged. */
  appSecret: string;
}

/** A freshly issued tenant or app access token. */
export interface FetchedAppToken {
  /** The access token. */
  token: string;
  /** Remaining lifetime in seconds at response time (Feishu's `expire`). */
  expireSeconds: number;
}

/** The result of refreshing a user access token (OAuth v2, flat response). */
export interface RefreshedUserToken {
  /** New user access token. */
  accessToken: string;
  /** Its lifetime in seconds (`expires_in`). */
  expiresIn: number;
  /** The new rotating refresh token (`refresh_token`); the old one is dead. */
  refreshToken?: string;
  /** Lifetime of the new refresh token in seconds (`refresh_token_expires_in`). */
  refreshExpiresIn?: number;
  /** Granted scopes, space-separated (authoritative). */
  scope?: string;
}

/** An OAuth authorization code to exchange (`authen/v2/oauth/token`, `grant_type=authorization_code`). */
export interface AuthorizationCodeGrant {
  /** The `code` from the redirect (valid 5 minutes, single use). */
  code: string;
  /** The `redirect_uri` used at authorize time; when sent it must match (else 20071). */
  redirectUri?: string;
  /** PKCE verifier, when the authorize request had a `code_challenge`. */
  codeVerifier?: string;
}

/**
 * The network side of the token manager: one method per Feishu token
 * endpoint. Implementations throw typed `LarkError`s (`ConfigError` for a
 * wrong app id/secret, `AuthError` with `tokenKind: "refresh"` for a dead
 * refresh token, `NetworkError`/`ServerError` for transient failures).
 */
export interface TokenEndpoints {
  /** `POST /open-apis/auth/v3/tenant_access_token/internal`. */
  fetchTenantToken(app: AppCredentials, signal?: AbortSignal): Promise<FetchedAppToken>;
  /** `POST /open-apis/auth/v3/app_access_token/internal`. */
  fetchAppToken(app: AppCredentials, signal?: AbortSignal): Promise<FetchedAppToken>;
  /** `POST /open-apis/authen/v2/oauth/token` with `grant_type=refresh_token`. */
  refreshUserToken(
    app: AppCredentials,
    refreshToken: string,
    signal?: AbortSignal,
  ): Promise<RefreshedUserToken>;
  /**
   * `POST /open-apis/authen/v2/oauth/token` with `grant_type=authorization_code`:
   * the tokens of a user who just authorized. Optional so test doubles of the
   * refresh side need not implement it.
   */
  exchangeCode?(
    app: AppCredentials,
    grant: AuthorizationCodeGrant,
    signal?: AbortSignal,
  ): Promise<RefreshedUserToken>;
}
