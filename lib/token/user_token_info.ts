/**
 * Whether a user can be acted for:
 * - `authorized`: a usable access token, or a refresh token that can get one;
 * - `expired`: both the access token and the refresh token have lapsed;
 * - `set_aside`: the login is gone (revoked, refresh token used or invalid, or
 *   an unclear refresh failure) — the user must authorize again;
 * - `not_authorized`: no token stored for this user.
 */
export type UserAuthStatus = "authorized" | "expired" | "set_aside" | "not_authorized";

/** What is known about one user's stored token, without the token values. */
export interface UserTokenInfo {
  /** App id. */
  appId: string;
  /** User id as given to `saveUserTokens`. */
  userId: string;
  /** Whether the user can be acted for. */
  status: UserAuthStatus;
  /** When the current access token expires (ms epoch; 0 after invalidation). */
  accessExpiresAt: number;
  /** When the refresh token expires (ms epoch), when known. */
  refreshExpiresAt?: number;
  /** Granted scopes, space-separated. */
  scope?: string;
  /** Last write (ms epoch). */
  updatedAt: number;
}
