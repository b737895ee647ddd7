import type { UserAuthMethod } from "./user_auth_session.ts";

/** Options of one `UserAuthService.requestUserAuth` call. */
export interface RequestUserAuthOptions {
  /** An interactive card with a button (default) or a text message with the link. */
  via?: UserAuthMethod;
  /** Type of the user id (default `open_id`). */
  userIdType?: "open_id" | "user_id";
  /** Scopes for this request (default the service's). */
  scopes?: readonly string[];
}

/** What `UserAuthService.requestUserAuth` started. */
export interface UserAuthRequest {
  /** Session id. */
  sessionId: string;
  /** When the link stops working, ms epoch. */
  expiresAt: number;
  /** Feishu's authorize URL sent to the user. */
  authorizeUrl: string;
  /** The message carrying it. */
  messageId: string;
}

/** Options of one `UserAuthService.startBrowserLogin` call. */
export interface BrowserLoginOptions {
  /**
   * The browser's binding secret (e.g. a random value in an HttpOnly
   * cookie); the callback must present the same value. Only its hash is kept.
   */
  browser: string;
  /** Which id the tokens are saved under (default `open_id`). */
  userIdType?: "open_id" | "user_id";
  /** Scopes (default the service's). */
  scopes?: readonly string[];
}

/** A started browser login. */
export interface BrowserLogin {
  /** Session id. */
  sessionId: string;
  /** When the authorize link stops working, ms epoch. */
  expiresAt: number;
  /** Feishu's authorize URL to open in that browser. */
  authorizeUrl: string;
}
