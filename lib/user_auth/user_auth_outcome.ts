import type { UserInfo } from "../oauth/user_info.ts";
import type { UserAuthSession } from "./user_auth_session.ts";

/** A completed authorization: the user's tokens are saved. */
export interface UserAuthSuccess {
  /** Completed. */
  ok: true;
  /** The session (completed). */
  session: UserAuthSession;
  /** Who authorized (the id the tokens were saved under). */
  userId: string;
  /** Their `user_info`. */
  user: UserInfo;
  /** False without `offline_access`: the login lasts only as long as the access token. */
  hasRefreshToken: boolean;
}

/** Why a callback did not complete. */
export type UserAuthFailureReason =
  | "unknown"
  | "used"
  | "expired"
  | "other_browser"
  | "denied"
  | "missing_code"
  | "failed";

/** A callback that did not complete; nothing was saved. */
export interface UserAuthFailure {
  /** Not completed. */
  ok: false;
  /** Why. */
  reason: UserAuthFailureReason;
  /** What to tell the user (Chinese). */
  message: string;
  /** A temporary failure of Feishu or the network (the exchange may work on a new attempt). */
  retryable: boolean;
  /** The session, when the state named one. */
  session?: UserAuthSession;
}

/** What the callback achieved. */
export type UserAuthOutcome = UserAuthSuccess | UserAuthFailure;
